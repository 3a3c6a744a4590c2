# SPDX-License-Identifier: GPL-2.0
# The mlra command on the test host: status, top -n, set and mode round
# trips and the module's refusals in words, record while a reader runs and
# report of it, load and the model_info that follows, a bad model refused
# before upload, the built-in model back. Expects mlra not loaded, mlra
# and mlra-trace, /data/swap.dat and /data/models/golden.mlra.
. ./vm/lib.sh
FILE=/data/swap.dat
M=/data/models
ino=$(stat -c %i $FILE)

check "insmod" insmod "$KO"
mlra status >/tmp/status 2>&1
check_eq "status: enabled, mode on" "mlra: enabled, mode on" \
	"$(head -n 1 /tmp/status)"
check "status: the model is the built-in one" \
	grep -q "^model: mlra-default.* built in\$" /tmp/status
check "status: the counters in words" \
	grep -q "^streams: [0-9]* live of 4096, table [0-9]* KiB\$" /tmp/status

check "mode observe" mlra mode observe
check_eq "mode observe reads back" observe "$(cat $KNOBS/mode)"
check "mode on" mlra mode on
check_eq "mode on reads back" on "$(cat $KNOBS/mode)"
check "set max_ra_kb 2048" mlra set max_ra_kb 2048
check_eq "max_ra_kb reads back" 2048 "$(cat $KNOBS/max_ra_kb)"
out=$(mlra set max_streams 1024 2>&1)
check_eq "max_streams while mlra is on: the module's EBUSY, exit 1" 1 $?
case $out in
*"only while mlra is off"*) ok "EBUSY said in words" ;;
*) not_ok "EBUSY said in words" "$out" ;;
esac
out=$(mlra set decision_interval 0 2>&1)
check_eq "a value out of range: exit 2" 2 $?
check_eq "a value out of range leaves the knob" 16 \
	"$(cat $KNOBS/decision_interval)"
check "mode off, then max_streams" sh -c 'mlra mode off && mlra set max_streams 1024'
check_eq "max_streams reads back" 1024 "$(cat $KNOBS/max_streams)"
check "mode observe" mlra mode observe
check "set max_ra_kb back" mlra set max_ra_kb 4096

# A reader in the background while mlra records for two seconds, then
# for the life of a command.
echo 3 >/proc/sys/vm/drop_caches
dd if=$FILE of=/dev/null bs=4096 count=4096 2>/dev/null &
reader=$!
check "record -t 2 while a reader runs" mlra record -t 2 -o /tmp/t.bin
wait $reader
check "the timed log has the reader's reads" \
	sh -c "mlra-trace csv /tmp/t.bin 2>/dev/null | grep -q ',$ino,read,'"
echo 3 >/proc/sys/vm/drop_caches
check "record -- COMMAND" mlra record -o /tmp/c.bin -- \
	dd if=$FILE of=/dev/null bs=65536 count=256
reads=$(mlra-trace csv /tmp/c.bin 2>/dev/null | grep -c ",$ino,read,")
check "the command's log has its 256 reads" [ "$reads" -ge 256 ]
check "report names the file with its accesses" \
	sh -c "mlra report /tmp/c.bin | grep -q '^[0-9]*:[0-9]* *$ino *1 *$reads '"

# top -n while a reader runs: it is the busiest stream.
dd if=$FILE of=/dev/null bs=4096 count=2000 2>/dev/null
sh -c "exec 3<$FILE; dd bs=4096 count=3000 <&3 >/dev/null 2>&1; mlra top -n >/tmp/top; exec 3<&-"
check "top -n: the open file is the busiest, with its path" \
	sh -c "sed -n 2p /tmp/top | grep -q 'swap.dat\$'"

check "load a valid model" mlra load $M/golden.mlra
check "model_info names it" grep -qx "name golden" $KNOBS/model_info
check "status says uploaded" sh -c 'mlra status | grep -q "^model: golden.* uploaded\$"'
head -c 100 $M/golden.mlra >/tmp/short.mlra
out=$(mlra load /tmp/short.mlra 2>&1)
check_eq "a truncated model: exit 2" 2 $?
check "the module never saw it: model_info unchanged" \
	grep -qx "name golden" $KNOBS/model_info
check "load --builtin" mlra load --builtin
check "status says built in again" sh -c 'mlra status | grep -q "built in\$"'

check "rmmod" rmmod mlra
out=$(mlra status 2>&1)
check_eq "status without the module: exit 3" 3 $?
ok "cmd tests ran to the end"
