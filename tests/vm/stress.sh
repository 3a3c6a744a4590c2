# SPDX-License-Identifier: GPL-2.0
# mlra under stress, for the debug test host (KASAN, lockdep): 8 readers
# of mixed patterns (pread and mmap; forward, reverse, strided, random,
# phases) while other files are opened, closed, truncated and unlinked,
# and the knobs change under them: mode flips, model swaps, respect_hints,
# enabled, max_streams, and reads of streams, stats and the access log.
# Then insmod/rmmod cycles under the readers, and readers in a memory
# cgroup at its limit. Every reader must read what it reads with mlra
# not loaded; the runner fails the run on any kernel report.
# Usage: sh vm/stress.sh [FLIPS [CYCLES]]  (defaults 30 and 5, as make
# check runs it; make stress runs 1000 and 200)
# Expects mlra not loaded, /data/swap.dat, /data/models/*.mlra, mlra-gen.
. ./vm/lib.sh
FLIPS=${1:-30}
CYCLES=${2:-5}
FILE=/data/swap.dat
STREAMS=/sys/kernel/debug/mlra/streams
LOG=/sys/kernel/debug/mlra/access_log
MODELS="/data/models/steer.mlra /data/models/prefetch.mlra /data/models/golden.mlra"
STOP=/tmp/stress-stop
BAD=/tmp/stress-bad
rm -f $STOP $BAD

PATTERNS="forward:64k -m:forward:4k reverse:4k -m:reverse:16k stride:4k:60k
	-m:stride:4k:28k random:4k:500:1 -m:phases:16k:32:2"

# args PATTERN: mlra-gen's arguments for a pattern of PATTERNS.
args() {
	set -- $(echo "$1" | tr : ' ')
	case $1 in
	-m) echo "-m $2 $FILE ${*#-m $2 }" ;;
	*) echo "$1 $FILE ${*#$1 }" ;;
	esac
}

# What each pattern reads with mlra not loaded.
for p in $PATTERNS; do
	# shellcheck disable=SC2046
	mlra-gen -p $(args "$p") | md5sum >"/tmp/want.$p"
done

# readers PATTERN...: a loop a pattern, each comparing what it reads.
readers() {
	for _p in "$@"; do
		(while [ ! -e $STOP ]; do
			# shellcheck disable=SC2046
			_got=$(mlra-gen -p $(args "$_p") | md5sum)
			[ "$_got" = "$(cat "/tmp/want.$_p")" ] ||
				echo "reader $_p read other bytes" >>$BAD
		done) &
	done
}

# churn: files made, read by both paths, truncated under a mapping and
# unlinked while open; their contents are not checked, only the kernel.
churn() {
	mkdir -p /data/churn
	(_k=0
	while [ ! -e $STOP ]; do
		_k=$((_k + 1))
		_f=/data/churn/$((_k % 8))
		head -c 1048576 $FILE >$_f
		mlra-gen -m forward $_f 4k >/dev/null 2>&1 &
		cat $_f >/dev/null
		truncate -s 65536 $_f
		wait
		exec 5<$_f
		rm -f $_f
		dd bs=4k <&5 >/dev/null 2>&1
		exec 5<&-
	done) &
	dropper
}

# dropper: the cache dropped every second, so that readers read the disk.
dropper() {
	(while [ ! -e $STOP ]; do
		echo 3 >/proc/sys/vm/drop_caches
		sleep 1
	done) &
}

stop_all() {
	touch $STOP
	wait
	rm -f $STOP
}

check "insmod" insmod "$KO"
# shellcheck disable=SC2086
readers $PATTERNS
churn
modes="off observe on"
for i in $(seq "$FLIPS"); do
	set -- $modes
	shift $((i % 3))
	echo "$1" >$KNOBS/mode
	set -- $MODELS
	shift $((i % 3))
	dd if="$1" of=$KNOBS/model bs=64k 2>/dev/null
	echo $((i % 2)) >$KNOBS/respect_hints
	if [ $((i % 10)) = 0 ]; then
		echo 0 >$KNOBS/enabled
		echo $((16 << (i / 10 % 5))) >$KNOBS/max_streams
		echo 1 >$KNOBS/enabled
	fi
	[ $((i % 7)) = 0 ] && timeout 1 cat $LOG >/dev/null 2>&1
	cat $STREAMS $STATS >/dev/null
done
stop_all
check_eq "$FLIPS knob rounds under 8 readers and churn: every read the same" \
	"" "$(cat $BAD 2>/dev/null)"
check_eq "no probe hit was missed" 0 "$(stat_value kprobe_nmissed)"
check "rmmod" rmmod mlra

rm -f $BAD
# shellcheck disable=SC2086
readers $PATTERNS
churn
cycles=0
for i in $(seq "$CYCLES"); do
	insmod "$KO" mode=on || break
	dd if=/data/models/prefetch.mlra of=$KNOBS/model bs=64k 2>/dev/null
	cat $STREAMS >/dev/null
	rmmod mlra || break
	cycles=$i
done
stop_all
check_eq "$CYCLES insmod/rmmod cycles under 8 readers" "$CYCLES" "$cycles"
check_eq "every read the same through the cycles" "" "$(cat $BAD 2>/dev/null)"

# Two readers in a memory cgroup whose limit is half the file.
CG=/sys/fs/cgroup
mkdir -p $CG
mount -t cgroup2 none $CG 2>/dev/null
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/stress
echo 16M >$CG/stress/memory.max
check "insmod" insmod "$KO" mode=on
rm -f $BAD
dd if=/data/models/prefetch.mlra of=$KNOBS/model bs=64k 2>/dev/null
(echo 0 >$CG/stress/cgroup.procs
dropper
readers -m:reverse:16k forward:64k
sleep 20
touch $STOP
wait)
rm -f $STOP
check_eq "readers in a memory cgroup at its limit read the same" "" \
	"$(cat $BAD 2>/dev/null)"
check "the cgroup hit its limit" \
	test "$(awk '$1 == "max" { print $2 }' $CG/stress/memory.events)" -gt 0
check "rmmod" rmmod mlra
ok "stress tests ran to the end"
