#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host tests of the model tools: mlra-model against the hand-computed golden
# vectors and its rejections, mlra-trace and mlra-sim on hand-made logs,
# the default model's reproduction, a benchmark table from kept runs, the
# plots of the results, and the libFuzzer target for FUZZ_SECONDS (60).
# Prints "ok - ..." / "not ok - ..." lines for scripts/check.
set -u
. "$(dirname "$0")/../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tool=$MLRA_TOP/scripts/mlra-model
models=$MLRA_TOP/tests/models

ok() { echo "ok - host: $1"; }
not_ok() { echo "not ok - host: $1: $2"; }

# expect_fail NAME PATTERN COMMAND...: fails, and says PATTERN on stderr.
expect_fail() {
	_name=$1 _pattern=$2
	shift 2
	if "$@" >/dev/null 2>"$tmp/err"; then
		not_ok "$_name" "succeeded"
	elif grep -q "$_pattern" "$tmp/err"; then
		ok "$_name"
	else
		not_ok "$_name" "stderr: $(cat "$tmp/err")"
	fi
}

if make -s -C "$MLRA_TOP" tools >"$tmp/build" 2>&1; then
	ok "mlra-model and mlra-trace build with -Werror"
else
	not_ok "mlra-model and mlra-trace build with -Werror" "$(cat "$tmp/build")"
	exit 0
fi

"$tool" build "$models/golden.txt" "$tmp/golden.mlra" &&
	ok "build golden.txt" || not_ok "build golden.txt" "failed"
"$tool" eval "$tmp/golden.mlra" "$models/golden.csv" >"$tmp/out" 2>&1
if cmp -s "$tmp/out" "$models/golden.expected"; then
	ok "eval gives the hand-computed golden vectors, bit for bit"
else
	not_ok "eval gives the hand-computed golden vectors" "$(diff "$tmp/out" "$models/golden.expected" | head -5)"
fi
"$tool" info "$tmp/golden.mlra" | grep -qx 'shape 2-3-2' &&
	ok "info shows the shape" || not_ok "info shows the shape" "missing"
"$tool" check "$tmp/golden.mlra" >/dev/null &&
	ok "check accepts a valid model" || not_ok "check accepts a valid model" "rejected"

cp "$tmp/golden.mlra" "$tmp/flipped.mlra"
printf 'X' | dd of="$tmp/flipped.mlra" bs=1 seek=60 conv=notrunc 2>/dev/null
expect_fail "check rejects a flipped byte, naming the CRC" "CRC-32 mismatch" \
	"$tool" check "$tmp/flipped.mlra"
head -c 100 "$tmp/golden.mlra" >"$tmp/short.mlra"
expect_fail "check rejects a truncated model" "truncated" \
	"$tool" check "$tmp/short.mlra"
head -c 64 /dev/zero >"$tmp/zeros.mlra"
expect_fail "check rejects a blob that is no model" "bad magic" \
	"$tool" check "$tmp/zeros.mlra"

sed 's/^layer 3 relu 8 1$/layer 3 sigmoid 8 1/' "$models/golden.txt" >"$tmp/bad.txt"
expect_fail "build rejects a bad statement, naming its line" "bad.txt:8: layer" \
	"$tool" build "$tmp/bad.txt" "$tmp/bad.mlra"
[ -e "$tmp/bad.mlra" ] && not_ok "a rejected build writes nothing" "file written" ||
	ok "a rejected build writes nothing"
sed 's/^layer 3 relu 8 1$/layer 3 relu 8 40/' "$models/golden.txt" >"$tmp/shift.txt"
expect_fail "build rejects a shift out of range" "layer units, activation" \
	"$tool" build "$tmp/shift.txt" "$tmp/shift.mlra"
printf '1,2,3\n' >"$tmp/three.csv"
expect_fail "eval rejects a row of the wrong width" "expected 2 integers" \
	"$tool" eval "$tmp/golden.mlra" "$tmp/three.csv"

# mlra-trace on hand-made records (tests/records.sh).
. "$MLRA_TOP/tests/records.sh"
trace=$MLRA_TOP/scripts/mlra-trace
{
	rec 200 12 5 1 2049 4 32 256 0 2
	rec 100 12 4294967296 2 2049 1 0 256 1 1
	rec 150 0 0 0 0 3 0 0 5 0
	rec 300 12 0 1 2049 0 32 256 4 0
} >"$tmp/log.bin"
cat >"$tmp/log.want" <<'END'
time_ns,stream,dev,ino,kind,index,pages,window,size_pages,hinted,changed
100,2,2049,12,fault,4294967296,1,0,256,1,0
150,0,0,0,dropped,0,3,0,0,0,0
200,1,2049,12,read,5,4,32,256,0,1
300,1,2049,12,release,0,0,32,256,0,0
END
if "$trace" csv "$tmp/log.bin" >"$tmp/log.csv" 2>"$tmp/log.err" &&
   cmp -s "$tmp/log.csv" "$tmp/log.want" &&
   grep -qx 'mlra-trace: 4 records, 3 lost' "$tmp/log.err"; then
	ok "mlra-trace decodes every field, in time order, counting the lost"
else
	not_ok "mlra-trace decodes every field" "$(diff "$tmp/log.want" "$tmp/log.csv" | head -5) $(cat "$tmp/log.err")"
fi
head -c 100 "$tmp/log.bin" >"$tmp/short.bin"
expect_fail "mlra-trace rejects a truncated log" "truncated: 4 bytes after record 2" \
	"$trace" csv "$tmp/short.bin"
{ rec 1 1 1 1 1 1 1 1 0 0; head -c 48 /dev/zero; } >"$tmp/zero.bin"
expect_fail "mlra-trace rejects a record without the magic" "byte 48: bad magic" \
	"$trace" csv "$tmp/zero.bin"
rec 1 1 1 1 1 1 1 1 6 0 >"$tmp/kind.bin"
expect_fail "mlra-trace rejects an unknown kind" "unknown kind 6" \
	"$trace" csv "$tmp/kind.bin"

# mlra-sim on hand-made logs: a program touching the 64 pages of a mapped
# file in order, logged with readahead off (every page faults). With the
# kernel's 128 KiB read-around the first fault reads pages 0-31 (marker at
# 24), the fault on the marker reads 32-63: two requests, and the kernel
# sees three faults (0, 24 and the marker at 32); fault-around maps the
# rest. With no readahead every page is a request and a fault.
i=0
while [ $i -lt 64 ]; do
	rec $((i + 1)) 12 $i 1 2049 1 0 64 1 0
	i=$((i + 1))
done >"$tmp/touch.bin"
sim=$MLRA_TOP/scripts/mlra-sim
"$sim" "$tmp/touch.bin" >"$tmp/sim.out" 2>&1
"$sim" --policy fixed:0 "$tmp/touch.bin" >>"$tmp/sim.out" 2>&1
if [ "$(awk '{ print $4, $5, $8 }' "$tmp/sim.out" | tr '\n' ' ')" = "2 0.2 3 64 0.2 64 " ]; then
	ok "mlra-sim: read-around, its marker and fault-around on an mmap log"
else
	not_ok "mlra-sim: read-around on an mmap log" "$(cat "$tmp/sim.out")"
fi
# 256 reads of 16 KiB through a 1024-page file, pages read and asked for
# the same whatever the window. Linux: 8 pages (the first window, twice
# the request), then 16 at the marker, then 32 at a time: 1 + 1 + 32
# requests; with a 512 KiB window 16, 32, 64, then 128 at a time: 4 + 7;
# with none, the forced one-page reads: 1024.
i=0
while [ $i -lt 256 ]; do
	rec $((i + 1)) 12 $((i * 4)) 1 2049 4 0 1024 0 0
	i=$((i + 1))
done >"$tmp/seq.bin"
for p in linux fixed:512 fixed:0; do
	"$sim" --policy $p "$tmp/seq.bin"
done >"$tmp/sim.out" 2>&1
if [ "$(awk '{ print $4, $5, $7 }' "$tmp/sim.out" | tr '\n' ' ')" = "34 4.0 4.0 11 4.0 4.0 1024 4.0 4.0 " ]; then
	ok "mlra-sim: sequential reads under three windows"
else
	not_ok "mlra-sim: sequential reads under three windows" "$(cat "$tmp/sim.out")"
fi

# The committed default model is what the committed pipeline makes.
if "$MLRA_TOP/scripts/model" --check >"$tmp/model" 2>&1; then
	ok "make model reproduces the committed default model byte for byte"
else
	not_ok "make model reproduces the committed default model" "$(tail -n 3 "$tmp/model")"
fi

# A benchmark's table from its kept runs (scripts/families table): each
# repetition's off and on run back to back, the speedup the median of
# their ratios. Family b: pairs 10/12, 6.6/6 (on first) and 2/2.2 while
# the host sped up: 0.91x, where the ratio of the medians says 1.10x.
mkdir -p "$tmp/cache/bench"
cat >"$tmp/cache/bench/families-cloud.txt" <<'END'
BENCH cloud 2000 3 2026-01-01
NEED a 2048 0
NEED b 2048 0
RESULT a off 10 100 2048
RESULT a on 5 50 2048
RESULT a on 8 50 2048
RESULT a off 16 100 2048
RESULT a off 4 100 2048
RESULT a on 4 50 2048
RESULT b off 10 100 2048
RESULT b on 12 100 2048
RESULT b on 6 100 2048
RESULT b off 6.6 100 2048
RESULT b off 2 100 2048
RESULT b on 2.2 100 2048
END
MLRA_CACHE=$tmp/cache "$MLRA_TOP/scripts/families" table bench cloud >"$tmp/table" 2>&1
if grep -q '^| a | 10.00 | 5.00 | 2.00x |' "$tmp/table" &&
   grep -q '^| b | 6.60 | 6.00 | 0.91x |' "$tmp/table" &&
   grep -q '^Geometric mean speedup over 2 families: 1.35x$' "$tmp/table" &&
   grep -q '^Families below 0.95x: b 0.909x$' "$tmp/table"; then
	ok "families table: the speedup is the median of each repetition's off / on"
else
	not_ok "families table: the speedup is the median of each repetition's off / on" \
		"$(cat "$tmp/table")"
fi
sed -i 1d "$tmp/cache/bench/families-cloud.txt"
expect_fail "families table: runs kept without their arguments are refused" \
	"does not begin with a BENCH line" \
	env MLRA_CACHE="$tmp/cache" "$MLRA_TOP/scripts/families" table bench cloud

# Several benches of one code (scripts/families table --runs N): a
# family's speedup is the median of the benches' speedups (0.6x, 0.8x and
# 1.6x: 0.80x), not of all their pairs pooled (1.50x). kept_run KIND CODE
# TIME RATIO...: a run (KIND families: a bench; adversarial) of family a
# whose pairs have those off / on.
kept_run() {
	_f=$tmp/cache/bench/runs/$1-cloud-$3.txt
	[ "$1" = families ] && _h=BENCH || _h=ADVERSARIAL
	printf '%s cloud 2000 3 2026-01-01\nCODE %s 6.1.0\nNEED a 2048 0\n' "$_h" "$2" >"$_f"
	shift 3
	for _x in "$@"; do
		echo "RESULT a off $(echo "$_x" | awk '{ print $1 * 10 }') 100 2048"
		echo "RESULT a on 10 100 2048"
	done >>"$_f"
}
mkdir -p "$tmp/cache/bench/runs"
# A null bench, kept after these, is not one of them.
kept_run families c1 20260101T000009 1.0 1.0 1.0
sed -i '1s/$/ null/' "$tmp/cache/bench/runs/families-cloud-20260101T000009.txt"
mv "$tmp/cache/bench/runs/families-cloud-20260101T000009.txt" \
	"$tmp/cache/bench/runs/families-cloud-null-20260101T000009.txt"
kept_run families c1 20260101T000001 0.5 0.6 2.0
kept_run families c1 20260101T000002 0.7 0.8 2.0
kept_run families c1 20260101T000003 1.5 1.6 1.7
MLRA_CACHE=$tmp/cache "$MLRA_TOP/scripts/families" table bench cloud --runs 3 >"$tmp/table" 2>&1
if grep -q '^| a | 15.00 | 10.00 | 0.80x |' "$tmp/table" &&
   grep -q '^3 times, each in boots of its own, on 2026-01-01, all of code c1 6.1.0$' "$tmp/table"; then
	ok "families table --runs: a family's speedup is the median of the benches'"
else
	not_ok "families table --runs: a family's speedup is the median of the benches'" \
		"$(cat "$tmp/table")"
fi
expect_fail "families table --runs: more benches than are kept are refused" \
	"3 bench run(s) on cloud kept" \
	env MLRA_CACHE="$tmp/cache" "$MLRA_TOP/scripts/families" table bench cloud --runs 4
kept_run families c2 20260101T000004 1.0 1.0 1.0
expect_fail "families table --runs: benches of different code are refused" \
	"not one code" \
	env MLRA_CACHE="$tmp/cache" "$MLRA_TOP/scripts/families" table bench cloud --runs 2
# Adversarial runs the same way: a reader's speedup is the median of the
# runs' own, and so is its verdict.
kept_run adversarial c1 20260101T000001 0.5 0.6 2.0
kept_run adversarial c1 20260101T000002 0.7 0.8 2.0
kept_run adversarial c1 20260101T000003 1.5 1.6 1.7
MLRA_CACHE=$tmp/cache "$MLRA_TOP/scripts/families" table adversarial cloud --runs 3 >"$tmp/table" 2>&1
if grep -q '^| a | 15.00 | 10.00 | 0.80x |' "$tmp/table" &&
   grep -q '^Slowest reader: 0.80x .*NOT held$' "$tmp/table" &&
   grep -q 'times, each in a boot of$' "$tmp/table"; then
	ok "families table adversarial --runs: a reader's speedup is the median of the runs'"
else
	not_ok "families table adversarial --runs: a reader's speedup is the median of the runs'" \
		"$(cat "$tmp/table")"
fi
kept_run adversarial c2 20260101T000004 1.0 1.0 1.0
expect_fail "families table adversarial --runs: runs of different code are refused" \
	"not one code" \
	env MLRA_CACHE="$tmp/cache" "$MLRA_TOP/scripts/families" table adversarial cloud --runs 2
expect_fail "families table adversarial --runs: more runs than are kept are refused" \
	"4 adversarial run(s) on cloud kept" \
	env MLRA_CACHE="$tmp/cache" "$MLRA_TOP/scripts/families" table adversarial cloud --runs 5

# The plots and the README's summary are what the results' tables make.
if "$MLRA_TOP/scripts/plots" --check >"$tmp/plots" 2>&1; then
	ok "the plots and README summary match Documentation/results.md"
else
	not_ok "the plots and README summary match Documentation/results.md" "$(tail -n 3 "$tmp/plots")"
fi

if "$MLRA_TOP/scripts/fuzz" "${FUZZ_SECONDS:-60}" >"$tmp/fuzz" 2>&1; then
	ok "libFuzzer (ASan, UBSan) on the parser and engine: $(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/fuzz") runs, no crash"
else
	tail -n 30 "$tmp/fuzz"
	not_ok "libFuzzer on the parser and engine" "crashed; reproducer in $MLRA_CACHE/fuzz/crashes"
fi
