# SPDX-License-Identifier: GPL-2.0
# IMA rehashes a file that root wrote when its last writer closes it, in
# __fput() after mlra's release hook, reading it through filemap_read()
# with the file's count at zero. mlra must make no entry for such a file:
# one made then would outlive it. Boot with ima_policy=appraise_tcb
# ima_appraise=fix (scripts/check does).
# Expects mlra not loaded and /data/swap.dat.
. ./vm/lib.sh
STREAMS=/sys/kernel/debug/mlra/streams

check "the test host boots with IMA appraising root's files" \
	grep -q 'ima_policy=appraise_tcb' /proc/cmdline
check "insmod" insmod "$KO" mode=on
calls=$(stat_value read_calls)
# Opened read-write, IMA hashes through the same struct file (one opened
# write-only it would hash through a file of its own); written by the
# shell itself, so that the only page-cache reads are IMA's.
for i in $(seq 50); do
	exec 4<>/data/ima.$((i % 4))
	echo "write $i" >&4
	exec 4>&-
done
check "IMA read the files it rehashed at close (read_calls grew)" \
	test "$(stat_value read_calls)" -gt "$calls"
left=0
for i in 0 1 2 3; do
	ino=$(stat -c %i /data/ima.$i)
	left=$((left + $(awk -v i="$ino" '$1 == i' $STREAMS | wc -l)))
done
check_eq "no stream is left of a file IMA rehashed after its release" 0 "$left"
check "rmmod" rmmod mlra
ok "ima tests ran to the end"
