# SPDX-License-Identifier: GPL-2.0
# mlra's prefetch on the test host, with the fixture model
# tests/models/prefetch.txt: a reverse and a strided reader, by pread and
# through a mapping, get prefetch and read the same bytes as with mlra
# off (a strided one whose gaps the kernel's window reads through gets
# none); a sequential reader under a RANDOM hint gets forward prefetch only
# with respect_hints=0, and the same bytes; a random reader gets none, the
# in-flight cap holds, and a file truncated under prefetch and rmmod during
# prefetch cause no error (the runner fails a kernel log with a warning).
# Expects mlra not loaded, /data/models/prefetch.mlra and /data/swap.dat.
. ./vm/lib.sh
FILE=/data/swap.dat

cold() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# grown NAME BEFORE: how much stat NAME grew since BEFORE
grown() {
	echo $(($(stat_value "$1") - $2))
}

check "insmod" insmod "$KO" default_model=0
dd if=/data/models/prefetch.mlra of=$KNOBS/model bs=64k 2>/dev/null

# same NAME ARGS...: mlra-gen -p ARGS reads the same with mlra on as off;
# the prefetch requests it made are in $n.
same() {
	name=$1
	shift
	echo off >$KNOBS/mode
	cold
	want=$(mlra-gen -p "$@" | md5sum)
	echo on >$KNOBS/mode
	cold
	b=$(stat_value prefetch_requests)
	got=$(mlra-gen -p "$@" | md5sum)
	n=$(grown prefetch_requests "$b")
	check_eq "the $name reader reads what it reads with mlra off" \
		"$want" "$got"
}

for p in "reverse $FILE 4k" "stride $FILE 4k 60k" "stride $FILE 4k 16k" \
	"-m reverse $FILE 4k" "-m stride $FILE 4k 60k"; do
	same "$p" $p
	check "a $p reader gets prefetch ($n requests)" test "$n" -gt 0
done

# Gaps of one access: the kernel's window reads through them, and asking
# for each stride alone would split its requests.
same "stride $FILE 4k 4k" stride $FILE 4k 4k
check_eq "a stride reader over gaps the kernel reads through gets no prefetch" \
	0 "$n"

# A RANDOM hint for a file read from start to end: the kernel reads no
# more than asked; mlra too, unless told not to respect hints.
for p in "-r forward $FILE 16k" "-m -r forward $FILE 4k"; do
	same "$p" $p
	check_eq "a $p reader gets no prefetch" 0 "$n"
	echo 0 >$KNOBS/respect_hints
	same "$p, hints not respected," $p
	check "a $p reader, hints not respected, gets prefetch ($n requests)" \
		test "$n" -gt 0
	echo 1 >$KNOBS/respect_hints
done

cold
b=$(stat_value prefetch_requests)
fio --name=r --filename=$FILE --rw=randread --bs=4k --number_ios=2000 \
	--randseed=1 --norandommap --fadvise_hint=0 --ioengine=psync \
	--output=/dev/null --eta=never
check_eq "a random reader gets no prefetch" 0 "$(grown prefetch_requests "$b")"

# 64 KiB in flight: the first reverse request (16 pages) fits, the next
# (32) does not.
echo 64 >$KNOBS/prefetch_inflight_kb
cold
b=$(stat_value prefetch_dropped_budget)
mlra-gen reverse $FILE 4k
check "the in-flight cap drops what would pass it" \
	test "$(grown prefetch_dropped_budget "$b")" -gt 0
echo 16384 >$KNOBS/prefetch_inflight_kb

cp $FILE /data/trunc.dat
cold
mlra-gen reverse /data/trunc.dat 4k &
reader=$!
: >/data/trunc.dat
wait $reader
check_eq "a reader whose file is truncated under prefetch ends well" 0 $?
rm /data/trunc.dat

# rmmod once prefetch is going (or after 2000 looks).
cold
b=$(stat_value prefetch_requests)
mlra-gen reverse $FILE 4k &
reader=$!
i=0
while [ "$(stat_value prefetch_requests)" -le "$b" ] && [ $i -lt 2000 ]; do
	i=$((i + 1))
done
check "rmmod during prefetch" rmmod mlra
wait $reader
check_eq "the reader ends well" 0 $?
ok "prefetch tests ran to the end"
