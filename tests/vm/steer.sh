# SPDX-License-Identifier: GPL-2.0
# mlra steering real files on the test host, with the fixture model
# tests/models/steer.txt: a sequential reader gets a larger window, a
# random mmap reader the smallest read-around (64 KiB), observe changes
# nothing, mode off and rmmod give windows back, data read is the same,
# application hints win unless respect_hints is 0, the table stays
# bounded.
# Expects mlra not loaded, /data/models/steer.mlra and /data/swap.dat.
. ./vm/lib.sh
STREAMS=/sys/kernel/debug/mlra/streams
FILE=/data/swap.dat
ino=$(stat -c %i $FILE)

# column COL of FILE's line in the streams table (3 own window, 4 window)
stream_col() {
	awk -v i="$ino" -v c="$1" '$1 == i { print $c; exit }' $STREAMS
}

# Until FILE has a stream (30 s at most), then 2 s more: fio starts slowly
# on a slow (debug) test host; its reads, once started, do not.
stream_wait() {
	for _t in $(seq 60); do
		[ -n "$(stream_col 8)" ] && break
		sleep 0.5
	done
	sleep 2
}

sum_off=$(md5sum <$FILE)
check "insmod" insmod "$KO"
dd if=/data/models/steer.mlra of=$KNOBS/model bs=64k 2>/dev/null
echo on >$KNOBS/mode

TRACE=/sys/kernel/tracing
mount -t tracefs tracefs $TRACE 2>/dev/null
echo 1 >$TRACE/events/mlra/mlra_decision/enable
exec 3<$FILE
dd bs=64k count=64 <&3 >/dev/null 2>&1
check_eq "a sequential reader gets a 2 MiB window" 512 "$(stream_col 4)"
echo 0 >$TRACE/events/mlra/mlra_decision/enable
check "the tracepoint mlra:mlra_decision shows the window set" \
	grep -q "mlra_decision: .* ino=$ino .* class=2 confidence=[0-9]* old_pages=32 new_pages=512 acted=1" \
	$TRACE/trace
check_eq "its own window is remembered" 32 "$(stream_col 3)"
echo off >$KNOBS/mode
echo on >$KNOBS/mode
dd bs=64k count=1 <&3 >/dev/null 2>&1
check_eq "mode off gave the file its own window back" 32 "$(stream_col 3)"
dd bs=64k count=64 <&3 >/dev/null 2>&1
check_eq "the window comes back with mode on" 512 "$(stream_col 4)"
check "rmmod while a file has mlra's window" rmmod mlra
insmod "$KO"
dd bs=64k count=1 <&3 >/dev/null 2>&1
check_eq "rmmod gave the file its own window back" 32 "$(stream_col 3)"
exec 3<&-

dd if=/data/models/steer.mlra of=$KNOBS/model bs=64k 2>/dev/null
check_eq "on is the default mode" on "$(cat $KNOBS/mode)"
echo observe >$KNOBS/mode
before=$(stat_value windows_would_set)
exec 3<$FILE
dd bs=64k count=64 <&3 >/dev/null 2>&1
check_eq "observe leaves the window alone" 32 "$(stream_col 4)"
check "observe counts what it would do" \
	test "$(stat_value windows_would_set)" -gt "$before"
exec 3<&-

echo on >$KNOBS/mode
# Cold cache: a cached page is mapped by fault-around, not filemap_fault().
# norandommap: truly random offsets; fio's random map turns the end of
# each pass over a small file into a nearly sequential scan.
echo 3 >/proc/sys/vm/drop_caches
fio --name=mmaprand --filename=$FILE --rw=randread --bs=4k --ioengine=mmap \
	--runtime=5 --time_based --fadvise_hint=0 --norandommap --eta=never \
	--output=/dev/null &
fio=$!
stream_wait
# The fixture says "off"; through a mapping that is 64 KiB, no less.
check_eq "a random mmap reader gets 64 KiB of read-around, no less" 16 \
	"$(stream_col 4)"
wait $fio

check_eq "data read with mlra on is the same" "$sum_off" "$(md5sum <$FILE)"

# Hints: fio's fadvise_hint=1 advises SEQUENTIAL (window doubled to 64)
# for a sequential job and RANDOM for a random one.
hinted_run() {
	fio --name=hint --filename=$FILE --rw="$1" --bs=64k --size=8m \
		--ioengine=psync --fadvise_hint=1 --thinktime=4000000 \
		--thinktime_blocks=120 --eta=never --output=/dev/null &
	stream_wait
	echo "$(stream_col 4) $(awk -v i="$ino" '$1 == i { print $6; exit }' $STREAMS)"
	wait
}
check_eq "FADV_SEQUENTIAL is respected: window 64, hinted" "64 1" \
	"$(hinted_run read)"
check_eq "FADV_RANDOM is respected: window 32, hinted" "32 1" \
	"$(hinted_run randread)"
# A hint that comes after mlra set the window (FADV_RANDOM after 128
# reads: 8 decisions) gives the file its own back at the next decision.
cat $FILE >/dev/null
set_before=$(stat_value windows_set)
mlra-gen -a 128 -w 6 forward $FILE 64k &
sleep 3
check_eq "a hint after mlra's window gives the file its own: window 32, not mlra's, hinted" \
	"32 0 1" "$(stream_col 4) $(stream_col 5) $(stream_col 6)"
wait
check "mlra had set the window before the hint" \
	test "$(stat_value windows_set)" -gt "$set_before"
echo 0 >$KNOBS/respect_hints
check_eq "respect_hints 0 lets mlra decide for a hinted file" "512 1" \
	"$(hinted_run read)"
echo 1 >$KNOBS/respect_hints

echo small >/data/small
small=$(stat -c %i /data/small)
# The shell's own read: an open, a read and a close, without a fork.
for i in $(seq 10000); do
	read -r line </data/small
done
check_eq "10,000 opens and closes leave no stream of the file" 0 \
	"$(awk -v i="$small" '$1 == i' $STREAMS | wc -l)"

# 64 files read at once by 4 processes, 16 each.
mkdir -p /data/many
for i in $(seq 64); do
	head -c 262144 /dev/urandom >/data/many/$i
done
echo 3 >/proc/sys/vm/drop_caches
for p in 1 2 3 4; do
	(for i in $(seq $p 4 64); do cat /data/many/$i; done >/dev/null) &
done
wait
live=$(tail -n 1 $STREAMS | awk '{ print $2 }')
check "64 files read by 4 processes leave the table bounded (live $live)" \
	test "$live" -le 4
# Where locks are debugged (lockdep), each entry's lock grows.
entry_max=256
[ -e /proc/lockdep ] && entry_max=512
check "the table is 4096 streams of at most $entry_max bytes" \
	test "$(stat_value stream_table_bytes)" -le $((4096 * entry_max))
check "decisions were made with the model" test "$(stat_value decisions)" -gt 0
check_eq "no probe hit was missed" 0 "$(stat_value kprobe_nmissed)"
check "rmmod" rmmod mlra
ok "steer tests ran to the end"
