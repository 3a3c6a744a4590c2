# SPDX-License-Identifier: GPL-2.0
# Runs in the test host for scripts/demo: each fio workload on a cold cache,
# first without mlra, then with it, in the same boot. Prints one line a run:
#   RESULT PHASE WORKLOAD KIB_READ RUNTIME_MS DISK_READS DISK_SECTORS
# and progress on stderr.
set -eu
file=/data/${1:?data file}
rand_mib=${2:-16}

# Reads completed and sectors read by the disk under /data.
disk_reads() {
	awk '{ print $1, $3 }' /sys/block/vda/stat
}

# workload NAME FIO-ARGS...
workload() {
	name=$1
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches
	set -- $(disk_reads) "$@"
	r0=$1 s0=$2
	shift 2
	echo "demo: $phase $name..." >&2
	terse=$(fio --name="$name" --filename="$file" --fadvise_hint=0 \
		--invalidate=1 --output-format=terse "$@")
	set -- $(disk_reads)
	# terse v3: field 6 KiB read, field 9 read runtime in ms.
	echo "$terse" | awk -F';' -v p="$phase" -v n="$name" \
		-v r=$(($1 - r0)) -v s=$(($2 - s0)) \
		'{ print "RESULT", p, n, $6, $9, r, s }'
}

run_all() {
	workload seq-read --rw=read --bs=64k --ioengine=psync
	workload rand-read --rw=randread --bs=4k --ioengine=psync \
		--io_size=${rand_mib}m --randseed=1
	workload mmap-seq --rw=read --bs=64k --ioengine=mmap
	workload mmap-rand --rw=randread --bs=4k --ioengine=mmap \
		--io_size=${rand_mib}m --randseed=1
}

phase=vanilla
run_all
# No parameter: what the module does by default (mode on).
insmod /mlra/mlra.ko
[ "$(cat /sys/kernel/mm/mlra/mode)" = on ] || { echo "demo: mlra loaded in mode $(cat /sys/kernel/mm/mlra/mode), not on" >&2; exit 1; }
phase=mlra
run_all
# What the mlra command shows of it, with a reader holding the file open.
exec 3<"$file"
dd bs=4096 count=2048 <&3 >/dev/null 2>&1
mlra status | sed 's/^/STATUS /'
mlra top -n -l 5 | sed 's/^/TOP /'
exec 3<&-
rmmod mlra
