# SPDX-License-Identifier: GPL-2.0
# The workload families, run on the test host from /data, each with a cold
# cache. Usage: sh families-guest.sh capture|bench|needs
#   capture  (scripts/families capture) with mlra observing: each
#            family's access log, taken with the disk's readahead off, in
#            out/NAME.bin, and the disk's read counters before and after
#            a second run with the kernel's readahead in out/disk
#   bench    (scripts/families bench) with mlra loaded, each family once
#            untimed with mode off, then twice in the same boot, REPS
#            times (default 1): mode off (the kernel alone) and mode on,
#            off first in odd repetitions and on first in even ones; one
#            line a run:
#            RESULT NAME off|on SECONDS READS SECTORS
#            then once more at once, mode off, from what is left in the
#            cache: HOT NAME SECONDS. With NULL=1 the run named on has
#            mode off as well: the table then shows the host's noise
#   needs    (scripts/families needs) each family once with the disk's
#            readahead off, which reads each page the family touches
#            (once, in a guest whose memory holds every file):
#            NEED NAME SECTORS_READ SECTORS_WRITTEN
#   warm     (scripts/families bench, in a guest whose memory holds
#            every file) each family once to fill the cache, then once
#            more from it: WARM NAME SECONDS
# N_RAND: reads of the random families (default 20000; fewer for slow
# disks). ONLY: if set, the names of the families to run (the others are
# skipped).
LOG=/sys/kernel/debug/mlra/access_log
KNOBS=/sys/kernel/mm/mlra
RA_KB=/sys/block/vda/queue/read_ahead_kb
mode=${1:?capture, bench, needs or warm}
n_rand=${N_RAND:-20000}
reps=${REPS:-1}
ra_kb=$(cat $RA_KB)
mkdir -p out
stat -c %d /data >out/dev
: >out/disk

cold() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

disk() {
	awk '{ print $1, $3 }' /sys/block/vda/stat
}

# sectors: read and written so far (the throttle counts both)
sectors() {
	awk '{ print $3, $7 }' /sys/block/vda/stat
}

uptime_s() {
	awk '{ print $1 }' /proc/uptime
}

# family NAME COMMAND: run COMMAND (shell words) as the mode says. A
# capture runs it twice: once with the disk's readahead off, logged, so
# that the log holds every page the program touched first (with readahead
# on, pages read ahead are mapped by fault-around and a mapped page never
# faults), and once as the kernel reads, for the disk's counters.
family() {
	case " ${ONLY:-$1} " in *" $1 "*) ;; *) return ;; esac
	if [ "$mode" = bench ]; then
		# One run first, from a cold cache and not timed: the first run
		# of a family in a boot is slower than the ones after it (a null
		# run showed it; QEMU translates the program's code once), and
		# it would always be one of mode off.
		echo off >$KNOBS/mode
		cold
		(eval "$2") >/dev/null 2>&1 || true
		# Off first in odd repetitions, on first in even ones, so that
		# what the order does (a warmed throttle, the page cache's
		# state) falls on both.
		for m in $(seq "$reps" | awk '{ print ($1 % 2 ? "off on" : "on off") }'); do
			if [ -n "${NULL:-}" ]; then echo off; else echo $m; fi >$KNOBS/mode
			cold
			set -- "$1" "$2" "$(disk)" "$(uptime_s)"
			(eval "$2") >/dev/null 2>&1 || echo "bench: $1 failed" >&2
			t=$(uptime_s)
			echo "RESULT $1 $m $(echo "$4 $t" | awk '{ print $2 - $1 }') $(echo "$3 $(disk)" |
				awk '{ print $3 - $1, $4 - $2 }')"
		done
		echo off >$KNOBS/mode
		t=$(uptime_s)
		(eval "$2") >/dev/null 2>&1
		echo "HOT $1 $(echo "$t $(uptime_s)" | awk '{ print $2 - $1 }')"
		echo "bench: $1 done" >&2
		return
	fi
	if [ "$mode" = warm ]; then
		cold
		(eval "$2") >/dev/null 2>&1 || echo "warm: $1 failed" >&2
		t=$(uptime_s)
		(eval "$2") >/dev/null 2>&1
		echo "WARM $1 $(echo "$t $(uptime_s)" | awk '{ print $2 - $1 }')"
		return
	fi
	if [ "$mode" = needs ]; then
		echo 0 >$RA_KB
		cold
		before=$(sectors)
		(eval "$2") >/dev/null 2>&1 || echo "needs: $1 failed" >&2
		sync
		echo "NEED $1 $(echo "$before $(sectors)" | awk '{ print $3 - $1, $4 - $2 }')"
		echo "$ra_kb" >$RA_KB
		return
	fi
	echo 0 >$RA_KB
	cold
	cat $LOG >/tmp/"$1".bin &
	reader=$!
	sleep 1
	(eval "$2") >/dev/null || echo "capture: $1 failed" >&2
	sleep 1
	kill $reader
	wait $reader 2>/dev/null
	echo "$ra_kb" >$RA_KB
	cold
	before=$(disk)
	(eval "$2") >/dev/null || echo "capture: $1 failed" >&2
	echo "$1 $before $(disk)" >>out/disk
	cp /tmp/"$1".bin out/ && rm /tmp/"$1".bin
	echo "captured $1"
}

fio_run() {
	fio --eta=never --output=/dev/null --ioengine=psync --fadvise_hint=0 \
		--invalidate=0 \
		--randseed=1 --norandommap "$@"
}

# SUITE=adversarial (scripts/families adversarial): readers built to fool
# a model, run instead of the families. Never captured: nothing is trained
# on them.
if [ "${SUITE:-}" = adversarial ]; then
	[ "$mode" = bench ] || { echo "adversarial: bench only" >&2; exit 2; }
	# Many mapped files, each fits, together twice the memory: 16 KiB
	# lookups; 4 KiB lookups with a sequential reader beside them.
	family adv-mmap-many-16k "fio_run --name=m --rw=randread --bs=16k \
		--ioengine=mmap --file_service_type=random \
		--filename=f0.dat:f1.dat:f2.dat:f3.dat:f4.dat:f5.dat:f6.dat:\
f7.dat:f8.dat:f9.dat:f10.dat:f11.dat --number_ios=$((n_rand / 2))"
	family adv-mmap-many-and-seq "fio_run --name=m --rw=randread --bs=4k \
		--ioengine=mmap --file_service_type=random \
		--filename=f0.dat:f1.dat:f2.dat:f3.dat:f4.dat:f5.dat:f6.dat:\
f7.dat:f8.dat:f9.dat:f10.dat:f11.dat --number_ios=$n_rand \
		--name=s --filename=big.dat --rw=read --bs=128k --size=128m"
	# Random reads of 1000 to 20000 bytes at offsets of no alignment.
	family adv-unaligned-rand "fio_run --name=u --filename=big.dat \
		--rw=randread --bsrange=1000-20000 --bs_unaligned \
		--number_ios=$n_rand"
	# Sequential and random by turns, 3000 reads each.
	family adv-phases "mlra-gen phases big.dat 8k 3000 11"
	# One file, read sequentially by one process and at random by another.
	family adv-seq-and-rand "fio_run --name=s --filename=mid.dat --rw=read \
		--bs=64k --name=r --filename=mid.dat --rw=randread --bs=4k \
		--number_ios=$n_rand"
	# Blocks of 4 KiB and a 5-byte trailer, backwards, over a file no
	# family reads that way.
	family adv-reverse-4101 "mlra-gen reverse f5.dat 4101"
	exit 0
fi

family seq-4k "dd if=big.dat of=/dev/null bs=4k count=32768"
family seq-16k "dd if=big.dat of=/dev/null bs=16k"
family seq-128k "dd if=big.dat of=/dev/null bs=128k"
family seq-1m "dd if=big.dat of=/dev/null bs=1M"
family rand-4k "fio_run --name=r --filename=big.dat --rw=randread \
	--bs=4k --number_ios=$n_rand"
family rand-64k "fio_run --name=r --filename=big.dat --rw=randread \
	--bs=64k --number_ios=$((n_rand / 4))"
family mmap-seq "fio_run --name=m --filename=big.dat --rw=read \
	--bs=64k --ioengine=mmap"
family mmap-rand "fio_run --name=m --filename=big.dat --rw=randread \
	--bs=4k --ioengine=mmap --number_ios=$n_rand"
family mmap-rand-16k "fio_run --name=m --filename=big.dat --rw=randread \
	--bs=16k --ioengine=mmap --number_ios=$((n_rand / 2))"
family mmap-rand-fits "fio_run --name=m --filename=mid.dat --rw=randread \
	--bs=4k --ioengine=mmap --number_ios=$n_rand"
# Twelve mapped files of 64 MiB, each fits in memory, together twice it.
family mmap-rand-many "fio_run --name=m --rw=randread --bs=4k --ioengine=mmap \
	--filename=f0.dat:f1.dat:f2.dat:f3.dat:f4.dat:f5.dat:f6.dat:f7.dat:\
f8.dat:f9.dat:f10.dat:f11.dat --file_service_type=random \
	--number_ios=$n_rand"
family rand-16k "fio_run --name=r --filename=big.dat --rw=randread \
	--bs=16k --number_ios=$((n_rand / 2))"
family mmap-stride "fio_run --name=s --filename=big.dat --rw=read:60k \
	--bs=4k --ioengine=mmap --size=256m"
family stride-4k "fio_run --name=s --filename=big.dat --rw=read:60k \
	--bs=4k --size=256m"
family stride-16k "fio_run --name=s --filename=big.dat \
	--rw=read:240k --bs=16k"
family stride-16k-gap-16k "fio_run --name=s --filename=big.dat \
	--rw=read:16k --bs=16k --size=256m"
family stride-4k-gap-12k "fio_run --name=s --filename=big.dat \
	--rw=read:12k --bs=4k --size=256m"
family stride-4k-gap-28k "fio_run --name=s --filename=big.dat \
	--rw=read:28k --bs=4k --size=256m"
family reverse-16k "mlra-gen reverse mid.dat 16k"
family reverse-4k "mlra-gen reverse f1.dat 4k"
# Blocks of 4 KiB and a 5-byte trailer, backwards: each read covers two
# pages, the first of the read before among them.
family reverse-4101 "mlra-gen reverse f2.dat 4101"
# Data blocks in order with a lookup in the file's index, at its tail,
# before every second one.
family indexed "mlra-gen indexed big.dat 16k 2"
family interleave-fds "fio_run --name=i --filename=big.dat --rw=read \
	--bs=32k --numjobs=4 --offset_increment=128m --size=128m"
family interleave-fd "mlra-gen interleave big.dat 64k 4"
family multi-file "fio_run --name=mf --rw=read --bs=32k \
	--filename_format=f\\\$jobnum.dat --numjobs=4 --size=64m"
family phases "mlra-gen phases big.dat 16k 2048 7"
family small-files "find small -type f | xargs cat"
family cp "cp mid.dat copy.dat && sync && rm copy.dat"
family md5sum "md5sum big.dat"
family grep "grep -r -c mutex_lock src"
family sort "sort words.txt"
# Real programs over real layouts: git reads its pack through mmap (blobs
# and their delta bases, wherever the pack put them) and its index by
# binary search; tar reads each file in 10 KiB records; zstd streams a
# file larger than memory.
family git-grep "git -C repo grep -c mutex_lock HEAD~2"
family git-log "git -C repo log -p -5"
family tar "tar -cf - src repo/fs | cat >/dev/null"
family zstd "zstd -d -q -c big.zst >/dev/null"
