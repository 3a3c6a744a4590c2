#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host tests of the mlra command (scripts/mlra): argument errors, knobs
# checked before they are written, a bad model refused before upload,
# status, set and load against a tree of files standing for sysfs and
# debugfs (MLRA_SYSFS, MLRA_DEBUGFS), and report on a hand-made log.
# Prints "ok - ..." / "not ok - ..." lines for scripts/check.
set -u
. "$(dirname "$0")/../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mlra=$MLRA_TOP/scripts/mlra

ok() { echo "ok - cmd: $1"; }
not_ok() { echo "not ok - cmd: $1: $2"; }

# expect NAME STATUS PATTERN COMMAND...: exits with STATUS and says
# PATTERN on stderr.
expect() {
	_name=$1 _want=$2 _pattern=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	_got=$?
	if [ "$_got" -ne "$_want" ]; then
		not_ok "$_name" "exit $_got, not $_want: $(cat "$tmp/err")"
	elif ! grep -q -- "$_pattern" "$tmp/err"; then
		not_ok "$_name" "stderr: $(cat "$tmp/err")"
	else
		ok "$_name"
	fi
}

if make -s -C "$MLRA_TOP" scripts/mlra >"$tmp/build" 2>&1; then
	ok "mlra builds with -Werror"
else
	not_ok "mlra builds with -Werror" "$(cat "$tmp/build")"
	exit 0
fi

# Without the module.
export MLRA_SYSFS="$tmp/none" MLRA_DEBUGFS="$tmp/none-dbg"
expect "no arguments: usage, exit 2" 2 "usage: mlra status" "$mlra"
expect "an unknown command, exit 2" 2 "no command 'frobnicate'" "$mlra" frobnicate
expect "status without the module: exit 3, says how to load it" 3 \
	"the module is not loaded" "$mlra" status
expect "a bad knob value is refused before the module is looked for" 2 \
	"out of range: a whole number from 1 to 1024" \
	"$mlra" set decision_interval 0
expect "an unknown knob is named" 2 "no knob 'windows'" "$mlra" set windows 1
expect "a bad mode is refused" 2 "'sideways' is not a mode" "$mlra" mode sideways
expect "record: -t wants seconds" 2 "-t wants a number of seconds" \
	"$mlra" record -t soon
if "$mlra" set --help | grep -q "usage: mlra set" && "$mlra" record --help |
	grep -q "usage: mlra record"; then
	ok "--help goes to standard output, exit 0"
else
	not_ok "--help goes to standard output" "missing"
fi

# A tree standing for the module's files.
sys=$tmp/sys dbg=$tmp/dbg
mkdir -p "$sys" "$dbg"
for k in enabled=1 mode=observe min_ra_kb=0 max_ra_kb=4096 \
	decision_interval=16 min_confidence=64 max_streams=4096 \
	respect_hints=1 prefetch_max_kb=2048 prefetch_inflight_kb=16384; do
	echo "${k#*=}" >"$sys/${k%%=*}"
done
crc=$(od -An -tx4 -j $(($(wc -c <"$MLRA_TOP/scripts/training/default.mlra") - 4)) \
	"$MLRA_TOP/scripts/training/default.mlra" | tr -d ' ')
printf 'name mlra-default\nversion 1\nshape 13-16-10\nclasses keep off\ncrc32 0x%s\nsize 1164\n' \
	"$crc" >"$sys/model_info"
: >"$sys/model"
printf 'decisions 40\ndecisions_without_model 2\nwindows_set 7\nguard_undone_cost 3\nprefetch_used_pages 90\nprefetch_wasted_pages 10\nstreams_live 5\nstreams_max 4096\nstream_table_bytes 1048576\n' \
	>"$dbg/stats"
export MLRA_SYSFS="$sys" MLRA_DEBUGFS="$dbg"

"$mlra" status >"$tmp/status" 2>&1
if grep -qx "mlra: enabled, mode observe" "$tmp/status" &&
   grep -q "^model: mlra-default, shape 13-16-10, crc32 0x$crc, built in$" "$tmp/status" &&
   grep -q "^decisions: 40 with the model, 2 without one" "$tmp/status" &&
   grep -q "^guard: 3 windows undone (3 cost the disk more" "$tmp/status" &&
   grep -q "accuracy 90.0% (90 used, 10 wasted)" "$tmp/status" &&
   grep -q "^streams: 5 live of 4096, table 1024 KiB" "$tmp/status"; then
	ok "status says mode, model (built in, by its CRC), counters in words"
else
	not_ok "status" "$(cat "$tmp/status")"
fi

"$mlra" mode on && [ "$(cat "$sys/mode")" = on ] &&
	"$mlra" set max_ra_kb 8192 && [ "$(cat "$sys/max_ra_kb")" = 8192 ] &&
	ok "mode and set write the knob's file" ||
	not_ok "mode and set write the knob's file" "$(cat "$sys/mode" "$sys/max_ra_kb")"
expect "min_ra_kb above max_ra_kb is refused, naming both" 2 \
	"above max_ra_kb (8192)" "$mlra" set min_ra_kb 16384
[ "$(cat "$sys/min_ra_kb")" = 0 ] && ok "a refused value leaves the knob" ||
	not_ok "a refused value leaves the knob" "$(cat "$sys/min_ra_kb")"

printf 'inode size_pages own_window window mlra hinted class accesses seen misses stream path\n12 256 32 32 0 0 - 16 100 5 7 /data/a\\040file\n13 256 32 512 1 0 1 16 900 1 9 /data/b\n# 2 live of 4096\n' \
	>"$dbg/streams"
"$mlra" top -n >"$tmp/top" 2>&1
if [ "$(sed -n 2p "$tmp/top" | awk '{ print $1, $2, $3, $4, $5, $6 }')" = "900 1 off 2048 128 /data/b" ] &&
   [ "$(sed -n 3p "$tmp/top" | awk '{ print $1, $3, $6, NF }')" = '100 - /data/a\040file 6' ]; then
	ok "top -n: the busiest first, the class by name, windows in KiB, a path one field"
else
	not_ok "top -n" "$(cat "$tmp/top")"
fi

cp "$MLRA_TOP/scripts/training/default.mlra" "$tmp/flipped.mlra"
printf 'X' | dd of="$tmp/flipped.mlra" bs=1 seek=60 conv=notrunc 2>/dev/null
expect "load refuses a damaged model with the parser's reason" 2 \
	"not a valid model: CRC-32 mismatch; nothing was loaded" \
	"$mlra" load "$tmp/flipped.mlra"
[ ! -s "$sys/model" ] && ok "a refused model never reaches the module" ||
	not_ok "a refused model never reaches the module" "model written"
if "$mlra" load --builtin >"$tmp/out" 2>&1 &&
   cmp -s "$sys/model" "$MLRA_TOP/scripts/training/default.mlra"; then
	ok "load --builtin uploads the built-in model, byte for byte"
else
	not_ok "load --builtin" "$(cat "$tmp/out")"
fi
chmod 0 "$dbg"
if [ "$(id -u)" -ne 0 ]; then
	expect "record without debugfs access: exit 3" 3 "run as root" \
		"$mlra" record -t 1 -o "$tmp/r.bin"
fi
chmod 755 "$dbg"
expect "record in mode on warns that the log misses what mlra reads" 1 \
	"'mlra mode observe' first" "$mlra" record -t 1 -o "$tmp/r.bin"
echo observe >"$sys/mode"
expect "record without an access log fails and says so" 1 "access_log" \
	"$mlra" record -t 1 -o "$tmp/r.bin"
if grep -q "'mlra mode observe' first" "$tmp/err"; then
	not_ok "record in mode observe does not warn" "$(cat "$tmp/err")"
else
	ok "record in mode observe does not warn"
fi

# report on a hand-made log: two streams of one file read backwards a page
# at a time, one of another read forwards (tests/records.sh); a miss of
# the last access read backwards.
. "$MLRA_TOP/tests/records.sh"
i=0
while [ $i -lt 64 ]; do
	rec $((i * 3 + 1)) 12 $((1000 - i)) 1 2049 1 32 1024 0 0
	rec $((i * 3 + 2)) 12 $((500 - i)) 2 2049 1 32 1024 0 0
	rec $((i * 3 + 3)) 13 $((i * 4)) 3 2049 4 32 1024 0 0
	i=$((i + 1))
done >"$tmp/log.bin"
rec 999 12 937 1 2049 1 32 1024 2 0 >>"$tmp/log.bin"
if "$mlra" report "$tmp/log.bin" >"$tmp/report" 2>&1 &&
   grep -q "^8:1 *12 *2 *128 *1 *128 .*rev" "$tmp/report" &&
   grep -q "^8:1 *13 *1 *64 *0 *256 " "$tmp/report"; then
	ok "report: per file streams, accesses, misses, pages and the model's classes"
else
	not_ok "report" "$(cat "$tmp/report")"
fi
expect "report refuses what is no access log" 2 "not an mlra access log" \
	"$mlra" report "$MLRA_TOP/scripts/training/default.mlra"
