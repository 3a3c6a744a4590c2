# SPDX-License-Identifier: GPL-2.0
# The module on the test host: loading, knobs, rejected writes, statistics,
# load/unload cycles under a reader. Run by scripts/check with --no-mlra.
. ./vm/lib.sh

dd if=/dev/urandom of=/data/f bs=1M count=4 2>/dev/null

check "insmod" insmod "$KO"
check "sysfs directory exists" test -d "$KNOBS"
check_eq "the built-in default model is loaded" "name mlra-default-13-16-10" \
	"$(head -n 1 $KNOBS/model_info)"
check "debugfs stats exists" test -f "$STATS"
check_eq "enabled defaults to 1" 1 "$(cat $KNOBS/enabled)"
check_eq "mode defaults to on" on "$(cat $KNOBS/mode)"
check "kprobe on filemap_read registered" probe_registered
check_eq "knobs are root-only (0600)" "600 600" \
	"$(stat -c %a $KNOBS/enabled) $(stat -c %a $KNOBS/mode)"
check_eq "stats is root-only (0400)" 400 "$(stat -c %a $STATS)"
if su -s /bin/sh nobody -c "echo 0 > $KNOBS/enabled" 2>/dev/null; then
	not_ok "a user other than root cannot write a knob" "the write succeeded"
else
	check_eq "a user other than root cannot write a knob" 1 "$(cat $KNOBS/enabled)"
fi

# Every value reads back as written; the probe follows enabled and mode.
for m in off on observe off observe; do
	echo "$m" >"$KNOBS/mode"
	check_eq "mode reads back $m" "$m" "$(cat $KNOBS/mode)"
	if [ "$m" = off ]; then
		probe_registered && not_ok "mode off unregisters the probe" registered ||
			ok "mode off unregisters the probe"
	else
		check "mode $m registers the probe" probe_registered
	fi
done
for v in 0 1 0 1; do
	echo "$v" >"$KNOBS/enabled"
	check_eq "enabled reads back $v" "$v" "$(cat $KNOBS/enabled)"
	if [ "$v" = 0 ]; then
		probe_registered && not_ok "enabled 0 unregisters the probe" registered ||
			ok "enabled 0 unregisters the probe"
	else
		check "enabled 1 registers the probe" probe_registered
	fi
done

# reject KNOB DESCRIPTION VALUE: the write fails with EINVAL, the value stays.
# dd writes the value in one write() and, unlike printf, names the error.
reject() {
	_before=$(cat "$KNOBS/$1")
	printf '%b' "$3" >/tmp/value
	if _err=$(dd if=/tmp/value of="$KNOBS/$1" bs=8k 2>&1); then
		not_ok "$1 rejects $2" "the write succeeded"
	else
		case $_err in
		*"Invalid argument"*)
			check_eq "$1 rejects $2 and keeps its value" "$_before" "$(cat "$KNOBS/$1")" ;;
		*) not_ok "$1 rejects $2" "expected EINVAL, got: $_err" ;;
		esac
	fi
}
long=$(head -c 5000 /dev/zero | tr '\0' 1)
for knob in enabled mode; do
	reject $knob "a bare newline" '\n'
	reject $knob "two newlines" '\n\n'
	reject $knob "garbage" 'garbage\n'
	reject $knob "a negative number" '-1\n'
	reject $knob "an out-of-range number" '2\n'
	reject $knob "a huge number" '4294967296\n'
	reject $knob "a value too long" "$long"
	reject $knob "a leading space" ' 1\n'
	reject $knob "a trailing word" '1 on\n'
done
reject mode "a wrong case" 'ON\n'
reject mode "a prefix" 'of\n'
for knob in enabled mode; do
	before=$(cat "$KNOBS/$knob")
	printf '' >"$KNOBS/$knob" 2>/dev/null
	check_eq "an empty write leaves $knob as it was" "$before" "$(cat "$KNOBS/$knob")"
done

# Statistics count the reads of dd and fio.
echo observe >"$KNOBS/mode"
echo 3 >/proc/sys/vm/drop_caches
calls=$(stat_value read_calls)
bytes=$(stat_value read_bytes)
dd if=/data/f of=/dev/null bs=4k 2>/dev/null
calls2=$(stat_value read_calls)
bytes2=$(stat_value read_bytes)
check "stats count dd's 1024 reads of 4 KiB" test $((calls2 - calls)) -ge 1024
check "stats count dd's 4 MiB" test $((bytes2 - bytes)) -ge 4194304
if command -v fio >/dev/null; then
	echo 3 >/proc/sys/vm/drop_caches
	fio --name=seq --filename=/data/f --rw=read --bs=64k --size=4m \
		--ioengine=psync --fadvise_hint=0 --output=/dev/null
	calls3=$(stat_value read_calls)
	check "stats count fio's 64 reads of 64 KiB" test $((calls3 - calls2)) -ge 64
fi
echo off >"$KNOBS/mode"
calls=$(stat_value read_calls)
cat /data/f >/dev/null
check_eq "mode off counts no reads" "$calls" "$(stat_value read_calls)"
check_eq "no probe hit was missed" 0 "$(stat_value kprobe_nmissed)"

check "rmmod" rmmod mlra
check "rmmod removes the sysfs directory" test ! -e "$KNOBS"
probe_registered && not_ok "rmmod unregisters the probe" registered ||
	ok "rmmod unregisters the probe"

# Module parameters set the initial values; a bad one fails the load.
check "insmod with mode=off enabled=0" insmod "$KO" mode=off enabled=0
check_eq "parameters set the knobs" "0 off" "$(cat $KNOBS/enabled) $(cat $KNOBS/mode)"
probe_registered && not_ok "mode=off loads without the probe" registered ||
	ok "mode=off loads without the probe"
rmmod mlra
check "insmod with mode=observe" insmod "$KO" mode=observe
check_eq "mode=observe: the mode, the probe registered" "observe yes" \
	"$(cat $KNOBS/mode) $(probe_registered && echo yes || echo no)"
rmmod mlra
if insmod "$KO" mode=bogus 2>/dev/null; then
	not_ok "insmod rejects mode=bogus" "it loaded"
	rmmod mlra
else
	is_loaded && not_ok "insmod rejects mode=bogus" "module left loaded" ||
		ok "insmod rejects mode=bogus"
fi

# 20 load/unload cycles while a reader runs.
(while :; do cat /data/f >/dev/null; echo 3 >/proc/sys/vm/drop_caches; done) &
reader=$!
cycles=0
for i in $(seq 20); do
	insmod "$KO" || break
	cat "$STATS" >/dev/null
	rmmod mlra || break
	cycles=$i
done
kill $reader
wait $reader 2>/dev/null
check_eq "20 insmod/rmmod cycles under a reader" 20 "$cycles"
is_loaded && not_ok "nothing left loaded after the cycles" loaded ||
	ok "nothing left loaded after the cycles"
ok "module tests ran to the end"
