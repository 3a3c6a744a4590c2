# SPDX-License-Identifier: GPL-2.0
# The access log on the test host: while it is open it records every read
# of a file, with its pages, and every release; mlra-trace decodes it to
# exactly the reads made. One reader at a time; rmmod is refused while
# it is open.
# Expects mlra not loaded, /data/swap.dat and mlra-trace.
. ./vm/lib.sh
LOG=/sys/kernel/debug/mlra/access_log
FILE=/data/swap.dat
ino=$(stat -c %i $FILE)

check "insmod" insmod "$KO"
check_eq "access_log is root-only (0400)" 400 "$(stat -c %a $LOG)"
cat $LOG >/tmp/log.bin &
reader=$!
sleep 1
case $(cat $LOG 2>&1 >/dev/null) in
*busy*) ok "a second reader is refused (EBUSY)" ;;
*) not_ok "a second reader is refused (EBUSY)" "it could open the log" ;;
esac

# One process a read, each its own stream: INDEX:PAGES as the log says.
for k in 7 100 2048 5000 8191; do
	dd if=$FILE of=/dev/null bs=4096 skip=$k count=1 2>/dev/null
done
dd if=$FILE of=/dev/null bs=12288 skip=10 count=1 2>/dev/null
dd if=$FILE of=/dev/null bs=6000 skip=3 count=1 2>/dev/null
want="7:1 100:1 2048:1 5000:1 8191:1 30:3 4:2"
# And page faults, on a cold cache.
echo 3 >/proc/sys/vm/drop_caches
fio --name=mmap --filename=$FILE --rw=read --bs=4k --size=1m \
	--ioengine=mmap --fadvise_hint=0 --eta=never --output=/dev/null
sleep 1
check "rmmod is refused while the log is open" sh -c '! rmmod mlra 2>/dev/null'
kill $reader
wait $reader 2>/dev/null

if mlra-trace csv /tmp/log.bin >/tmp/log.csv 2>/tmp/log.err; then
	ok "mlra-trace decodes the log ($(cat /tmp/log.err))"
else
	not_ok "mlra-trace decodes the log" "$(cat /tmp/log.err)"
fi
# Fields: time_ns,stream,dev,ino,kind,index,pages,window,size_pages,...
reads() {
	awk -F, -v i="$ino" '$4 == i && $5 == "read"' /tmp/log.csv
}
check_eq "the log has each read of the file, its first page and pages" \
	"$want" "$(reads | awk -F, '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $6, $7 }')"
check_eq "each read is its own stream" 7 \
	"$(reads | awk -F, '{ print $2 }' | sort -u | wc -l)"
check_eq "each of those streams is released" 7 \
	"$(reads | awk -F, '{ print $2 }' | while read -r s; do
		awk -F, -v s="$s" '$2 == s && $5 == "release"' /tmp/log.csv
	done | wc -l)"
check_eq "the reads carry the file's device, window and size" \
	"$(stat -c %d $FILE),32,8192" \
	"$(reads | awk -F, '{ print $3 "," $8 "," $9 }' | sort -u)"
check "an mmap reader's first fault is at page 0" \
	awk -F, -v i="$ino" '$4 == i && $5 == "fault" { f = 1; exit $6 != 0 }
		END { if (!f) exit 1 }' /tmp/log.csv
check "the mmap reader's cache misses are logged" \
	grep -q ",$ino,sync_ra," /tmp/log.csv
check_eq "nothing was dropped" 0 "$(stat_value access_log_dropped)"
check "stats count at least the records read" \
	test "$(stat_value access_log_records)" -ge $(($(wc -l </tmp/log.csv) - 1))

before=$(stat_value access_log_records)
dd if=$FILE of=/dev/null bs=4096 count=1 2>/dev/null
check_eq "a closed log records nothing" "$before" \
	"$(stat_value access_log_records)"
check "rmmod after the reader is gone" rmmod mlra
ok "log tests ran to the end"
