#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Tests of the test host runner itself (scripts/vm), run on the host.
# Usage: tests/runner.sh KERNEL_LINE; prints "ok - ..." / "not ok - ..." lines.
set -u
. "$(dirname "$0")/../scripts/lib.sh"
line=${1:-6.1}
vm="$MLRA_TOP/scripts/vm --kernel $line"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - runner $line: $1"; }
not_ok() { echo "not ok - runner $line: $1: $2"; }

# expect NAME WANT_STATUS [GREP_STDERR]: judge the last run.
expect() {
	if [ "$rc" != "$2" ]; then
		not_ok "$1" "exit status $rc, expected $2; stderr: $(tail -n 3 "$tmp/err")"
	elif [ -n "${3:-}" ] && ! grep -q "$3" "$tmp/err"; then
		not_ok "$1" "stderr lacks '$3': $(tail -n 3 "$tmp/err")"
	else
		ok "$1"
	fi
}

rc=0
$vm -- 'echo out; echo err >&2; exit 7' >"$tmp/out" 2>"$tmp/err" || rc=$?
expect "passes the command's exit status" 7
[ "$(cat "$tmp/out")" = out ] && grep -qx err "$tmp/err" &&
	ok "keeps stdout and stderr apart" ||
	not_ok "keeps stdout and stderr apart" "stdout '$(cat "$tmp/out")'"
kernel_log=$(sed -n 's/^vm: kernel log: //p' "$tmp/err")
grep -q 'Linux version' "$kernel_log" 2>/dev/null &&
	ok "saves the kernel log and names it" ||
	not_ok "saves the kernel log and names it" "no log at '$kernel_log'"

echo hello >"$tmp/hello.txt"
rc=0
$vm --file "$tmp/hello.txt" -- 'test "$(cat /data/hello.txt)" = hello && test "$PWD" = /data' \
	>/dev/null 2>"$tmp/err" || rc=$?
expect "--file puts a file on the data disk, cwd /data" 0

rc=0
$vm --bin fio -- 'fio --version' >"$tmp/out" 2>"$tmp/err" || rc=$?
expect "--bin fio runs in the guest" 0
rc=0
$vm --mem 192 --bin fio -- 'fio --version' >"$tmp/out" 2>"$tmp/err" || rc=$?
expect "fails a run whose initramfs did not fit in memory, saying so" 125 \
	"initramfs did not fit"
rc=0
# xz loads liblzma: the libraries come along. Given by its path, it goes
# to /usr/local/bin; called by that path, as busybox's shell runs its own
# xz applet for a bare "xz".
$vm --bin /usr/bin/xz -- '/usr/local/bin/xz --version' >"$tmp/out" 2>"$tmp/err" || rc=$?
grep -q 'XZ Utils' "$tmp/out" && ok "--bin xz runs xz --version, its libraries copied" ||
	not_ok "--bin xz runs xz --version, its libraries copied" "exit $rc: $(tail -n 3 "$tmp/err")"

rc=0
$vm --profile hdd -- 'test -b /dev/mapper/data && grep -q "^/dev/mapper/data /data" /proc/mounts' \
	>/dev/null 2>"$tmp/err" || rc=$?
expect "--profile hdd mounts /data through dm-delay" 0

rc=0
$vm --no-mlra -- '! grep -q "^mlra " /proc/modules && test -f /mlra/mlra.ko' \
	>/dev/null 2>"$tmp/err" || rc=$?
expect "--no-mlra boots without mlra, /mlra/mlra.ko at hand" 0

rc=0
start=$(date +%s)
$vm --timeout 10 --log "$tmp/hang.log" -- 'sleep 600' >/dev/null 2>"$tmp/err" || rc=$?
expect "kills a guest that hangs" 125 "did not finish within 10s"
# The log's path is on QEMU's command line.
[ $(($(date +%s) - start)) -lt 60 ] && ! pgrep -f "$tmp/hang.log" >/dev/null &&
	ok "leaves no QEMU behind after a hang" ||
	not_ok "leaves no QEMU behind after a hang" "still running or slow"

# A real kernel warning, from a test module built for this kernel.
warn=$MLRA_CACHE/warn-test-$line
rm -rf "$warn"
cp -r "$MLRA_TOP/tests/warn" "$warn"
if make -C "$("$MLRA_TOP/scripts/kernel" "$line" headers)" M="$warn" modules \
	>"$tmp/build" 2>&1; then
	rc=0
	$vm --file "$warn/mlra_warn_test.ko" -- 'insmod mlra_warn_test.ko' \
		>/dev/null 2>"$tmp/err" || rc=$?
	expect "fails a run whose kernel warned, naming it" 125 "reported: .*WARNING:"
else
	not_ok "fails a run whose kernel warned, naming it" "test module did not build"
fi
rc=0
$vm -- 'echo c >/proc/sysrq-trigger; sleep 30' >/dev/null 2>"$tmp/err" || rc=$?
expect "fails a run whose kernel crashed" 125 "reported: "
