# SPDX-License-Identifier: GPL-2.0
# Helpers for the tests that run inside the test host (busybox sh); sourced.
# Each check prints "ok - NAME" or "not ok - NAME: WHY"; scripts/check
# counts those lines.

KO=/mlra/mlra.ko
KNOBS=/sys/kernel/mm/mlra
STATS=/sys/kernel/debug/mlra/stats

ok() {
	echo "ok - $1"
}

not_ok() {
	echo "not ok - $1: $2"
}

# check NAME COMMAND...: ok when COMMAND succeeds.
check() {
	_name=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_name"
	else
		not_ok "$_name" "'$*' failed${_out:+: $_out}"
	fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected '$2', got '$3'"
	fi
}

# stat_value NAME: a counter from debugfs stats.
stat_value() {
	awk -v k="$1" '$1 == k { print $2 }' "$STATS"
}

is_loaded() {
	grep -q '^mlra ' /proc/modules
}

probe_registered() {
	grep -q 'filemap_read' /sys/kernel/debug/kprobes/list 2>/dev/null
}
