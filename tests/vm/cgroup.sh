# SPDX-License-Identifier: GPL-2.0
# Prefetch is charged to the reader: a reverse reader (which mlra serves
# with prefetch, tests/models/prefetch.txt) in a cgroup with memory.max
# and io.max finds the file's pages charged to its memory cgroup and the
# disk's bytes, prefetch included, to its I/O cgroup, where io.max
# applies. Counts, not times.
# Expects mlra not loaded, /data/models/prefetch.mlra, /data/swap.dat.
. ./vm/lib.sh
FILE=/data/swap.dat
CG=/sys/fs/cgroup
size=$(stat -c %s $FILE)
dev=$(cat /sys/block/vda/dev)

mkdir -p $CG
mount -t cgroup2 none $CG
echo "+memory +io" >$CG/cgroup.subtree_control
mkdir $CG/reader
echo 256M >$CG/reader/memory.max
echo "$dev rbps=67108864" >$CG/reader/io.max

check "insmod" insmod "$KO" mode=on default_model=0
dd if=/data/models/prefetch.mlra of=$KNOBS/model bs=64k 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches
before=$(stat_value prefetch_pages)
(echo 0 >$CG/reader/cgroup.procs && exec mlra-gen reverse $FILE 4k)
pf=$(($(stat_value prefetch_pages) - before))
check "the reverse reader got prefetch ($pf pages)" test "$pf" -gt 1024

file=$(awk '$1 == "file" { print $2 }' $CG/reader/memory.stat)
check "its cgroup is charged for the file's pages, prefetch included ($file of $size bytes)" \
	test "$file" -ge $((size * 9 / 10))
rbytes=$(sed -n "s/^$dev rbytes=\([0-9]*\).*/\1/p" $CG/reader/io.stat)
check "its I/O cgroup, under io.max, read the file, prefetch included (${rbytes:-0} of $size bytes)" \
	test "${rbytes:-0}" -ge $((size * 9 / 10))
check "rmmod" rmmod mlra
ok "cgroup tests ran to the end"
