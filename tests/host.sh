#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host tests of the model tools: mlra-model against the hand-computed golden
# vectors, its rejections, and the libFuzzer target for FUZZ_SECONDS (60).
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
	ok "mlra-model builds with -Werror"
else
	not_ok "mlra-model builds with -Werror" "$(cat "$tmp/build")"
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

if "$MLRA_TOP/scripts/fuzz" "${FUZZ_SECONDS:-60}" >"$tmp/fuzz" 2>&1; then
	ok "libFuzzer (ASan, UBSan) on the parser and engine: $(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/fuzz") runs, no crash"
else
	tail -n 30 "$tmp/fuzz"
	not_ok "libFuzzer on the parser and engine" "crashed; reproducer in $MLRA_CACHE/fuzz/crashes"
fi
