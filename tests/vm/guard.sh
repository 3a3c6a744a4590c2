# SPDX-License-Identifier: GPL-2.0
# The guard bounds what a wrong model costs: with a fixture model that
# asks for 4 MiB windows whatever a stream does (tests/models/ra4096.txt),
# sequential readers, for which that window pays, keep it (2 MiB where
# the disk says it does not rotate: MLRA_NONROT_MAX_KB) and are no
# thrashing; random 4 KiB lookups through mappings of 2 files of a
# quarter of the test host's memory each (about 90 MiB of the 384 that
# make check gives it) get the windows, which the guard undoes and
# traces; through all 8 such files, together twice memory, they thrash
# and read no more than 1.25 times the sectors that mlra off reads, in
# the same boot. Then, with a fixture model unsure of "off"
# (tests/models/unsure-off.txt), random lookups over the 8 take its
# smaller read-around anyway (policy: spread), and one file alone does
# not. Counts, not times.
# Usage: sh vm/guard.sh [LOOKUPS]   lookups per file (default 1000)
# Expects mlra not loaded, /data/models/ra4096.mlra and unsure-off.mlra,
# and a data disk with room for twice the memory.
. ./vm/lib.sh
LOOKUPS=${1:-1000}
DIR=/data/guard
STREAMS=/sys/kernel/debug/mlra/streams
FILE_MIB=$(awk '$1 == "MemTotal:" { print int($2 / 4096) }' /proc/meminfo)

mkdir -p $DIR
for i in 1 2 3 4 5 6 7 8; do
	dd if=/dev/zero of=$DIR/$i bs=1M count="$FILE_MIB" 2>/dev/null
done
check "insmod" insmod "$KO"
check "the fixture model loads" \
	dd if=/data/models/ra4096.mlra of=$KNOBS/model bs=64k

# Sequential readers: the window pays, and stays (before the lookups,
# which get the class muted for a while).
echo on >$KNOBS/mode
undone=$(stat_value guard_undone_cost)
thrash=$(stat_value thrash_periods)
# The same reader, on a file of its own, with the disk saying it does not
# rotate, then that it does: the largest window, 512 pages, then 1024.
ROT=/sys/block/vda/queue/rotational
rot_was=$(cat $ROT)
for rot in 0 1; do
	echo $rot >$ROT
	f=$DIR/$((rot * 2 + 1))
	ino=$(stat -c %i "$f")
	sync
	echo 3 >/proc/sys/vm/drop_caches
	exec 3<"$f"
	dd bs=64k count=$((FILE_MIB * 8)) <&3 >/dev/null 2>&1
	check_eq "a sequential reader keeps the largest window, rotational $rot" \
		$((512 << rot)) \
		"$(awk -v i="$ino" '$1 == i { print $4; exit }' $STREAMS)"
	exec 3<&-
done
echo "$rot_was" >$ROT
echo 3 >/proc/sys/vm/drop_caches
mlra-gen -m forward $DIR/2 64k
check_eq "nor is it undone for sequential readers, through a mapping too" \
	"$undone" "$(stat_value guard_undone_cost)"
check_eq "reading files that fit is no thrashing" \
	"$thrash" "$(stat_value thrash_periods)"

# served MODE CMD...: "requests sectors" the disk served for CMD, from a
# cold cache, in mlra's mode MODE.
served() {
	echo "$1" >$KNOBS/mode
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_before=$(awk '{ print $1, $3 }' /sys/block/vda/stat)
	"$@"
	echo "$_before $(awk '{ print $1, $3 }' /sys/block/vda/stat)" |
		awk '{ print $3 - $1, $4 - $2 }'
}

# at_most NAME OFF ON RATIO: ok if the sectors of ON (served's "requests
# sectors") are at most RATIO (awk arithmetic) times those of OFF.
at_most() {
	if echo "$2 $3" | awk -v r="$4" '{ exit !($4 <= $2 * r + 128) }'; then
		ok "$1"
	else
		not_ok "$1" "off $2, on $3"
	fi
}

# lookups N: readers of files 1 to N, one per file at once.
lookups() {
	for _i in $(seq "$1"); do
		mlra-gen -m random $DIR/$_i 4k "$LOOKUPS" "$_i" &
	done
	wait
}

# The guard itself: two of the files, half memory together, are not
# spread (design.md, Policy), so the model's 4 MiB windows are set, and
# read megabytes around each fault; the guard undoes them, at once at a
# request and at decisions, and traces each undo with its reason.
spread=$(stat_value spread_decisions)
set_before=$(stat_value windows_set)
undone_before=$(($(stat_value guard_undone_cost) + $(stat_value guard_undone_thrash)))
held_before=$(stat_value guard_held)
cost_before=$(stat_value guard_undone_cost)
TRACE=/sys/kernel/tracing
mount -t tracefs tracefs $TRACE 2>/dev/null
: >$TRACE/trace
echo 1 >$TRACE/events/mlra/mlra_decision/enable
echo 1 >$TRACE/events/mlra/mlra_guard_undo/enable
two=$(served on lookups 2)
echo 0 >$TRACE/events/mlra/mlra_guard_undo/enable
echo 0 >$TRACE/events/mlra/mlra_decision/enable
echo "# two files, on: $two (requests sectors)"
echo "# guard: $(grep -E '^(guard_|thrash_|spread_)' $STATS | tr '\n' ' ')"
check_eq "two files that fit together are not spread" \
	"$spread" "$(stat_value spread_decisions)"
check "the model's windows were set" \
	test "$(stat_value windows_set)" -gt "$set_before"
check "the guard undid or held them" \
	test $(($(stat_value guard_undone_cost) + $(stat_value guard_undone_thrash) + \
		$(stat_value guard_held))) -gt $((undone_before + held_before))
# Undone for its cost: at a decision (mlra_decision, guard=cost, acted)
# or at once, at a request (mlra_guard_undo). A window race would count
# as neither; none happens here, where no reader sets a window.
traced=$(awk '/mlra_guard_undo: / || /mlra_decision: .* acted=1 guard=cost/ { n++ }
	END { print n + 0 }' $TRACE/trace)
check_eq "every undo for its cost is traced, with its reason" \
	$(($(stat_value guard_undone_cost) - cost_before)) "$traced"
check "some were undone at once, at a request" \
	grep -q "mlra_guard_undo: .* new_pages=32\$" $TRACE/trace
: >$TRACE/trace

# All 8, twice memory together: the cache thrashes, and what the 4 MiB
# model costs stays within 1.25 times the sectors of mlra off, whether
# the spread rule refuses its windows or the guard (or the thrash guard,
# or the class's mute from above) takes them back.
off=$(served off lookups 8)
thrash=$(stat_value thrash_periods)
undone_before=$(($(stat_value guard_undone_cost) + $(stat_value guard_undone_thrash)))
held_before=$(stat_value guard_held)
spread=$(stat_value spread_decisions)
on=$(served on lookups 8)
echo "# off: $off; on: $on (requests sectors)"
echo "# guard: $(grep -E '^(guard_|thrash_|spread_)' $STATS | tr '\n' ' ')"
check "lookups over files twice memory are thrashing" \
	test "$(stat_value thrash_periods)" -gt "$thrash"
check "the spread rule, or the guard, kept the model's windows back" \
	test $(($(stat_value spread_decisions) + $(stat_value guard_undone_cost) + \
		$(stat_value guard_undone_thrash) + $(stat_value guard_held))) \
		-gt $((spread + undone_before + held_before))
at_most "mapped random lookups over files twice memory: sectors with a 4 MiB model within 1.25x of mlra off" \
	"$off" "$on" 1.25

echo off >$KNOBS/mode
check "rmmod" rmmod mlra

# Spread: a model that says "off" below the confidence floor halves the
# read-around (64 KiB through a mapping: MLRA_MAPPED_MIN_KB) of random
# lookups scattered over the 8 files, twice memory together; for one of
# those files alone, which fits, it sets no window. A fresh load: the
# class muted above would stay muted into the next model for a while.

# spread_lookups: LOOKUPS random 4 KiB lookups a file through mappings
# of all 8, by one process that holds them all open (fio): how many
# count together does not depend on scheduling.
spread_lookups() {
	fio --eta=never --output=/dev/null --name=spread --rw=randread \
		--bs=4k --ioengine=mmap --fadvise_hint=0 --invalidate=0 \
		--randseed=1 --norandommap --file_service_type=random \
		--filename="$DIR/1:$DIR/2:$DIR/3:$DIR/4:$DIR/5:$DIR/6:$DIR/7:$DIR/8" \
		--number_ios=$((LOOKUPS * 8))
}

check "insmod, again" insmod "$KO"
check "the unsure fixture model loads" \
	dd if=/data/models/unsure-off.mlra of=$KNOBS/model bs=64k
spread=$(stat_value spread_decisions)
set_before=$(stat_value windows_set)
echo on >$KNOBS/mode
sync
echo 3 >/proc/sys/vm/drop_caches
mlra-gen -m random $DIR/1 4k "$LOOKUPS" 1
check_eq "one file that fits: not spread" "$spread" "$(stat_value spread_decisions)"
check_eq "nor a window set below the floor" "$set_before" "$(stat_value windows_set)"
off=$(served off spread_lookups)
unsure=$(served on spread_lookups)
echo "# off: $off; unsure off: $unsure (requests sectors)"
check "files together twice memory: spread" \
	test "$(stat_value spread_decisions)" -gt "$spread"
at_most "an unsure shrink where spread: at most 0.9 times the sectors of mlra off" \
	"$off" "$unsure" 0.9
echo off >$KNOBS/mode
check "rmmod, again" rmmod mlra
rm -r $DIR
ok "guard tests ran to the end"
