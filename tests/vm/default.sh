# SPDX-License-Identifier: GPL-2.0
# The shipped model in mode on against mlra off, in the same boot, for
# readers like none of the training families, on a disk that says it
# rotates and on one that says it does not (the model reads which):
# no more than an eighth more disk requests and sectors read (and 8
# requests, 64 KiB, of slack). Counts, not times: they do not depend on
# the host's speed. Where the model cannot tell what such a reader does,
# the kernel must decide. One trade is allowed where the disk says it
# rotates, for stride prefetch reading through short gaps (MLRA_PF_GAP_KB):
# more sectors, if the requests stay within that eighth and the disk
# time reckoned from both counts does too, on each disk the flag may
# stand for: the cloud and hdd profiles of scripts/lib.sh (virtio-blk
# says it rotates whatever it stands on).
# Usage: sh vm/default.sh [BLOB]   BLOB: a model to try instead
# Expects mlra not loaded and /data/swap.dat.
. ./vm/lib.sh
FILE=/data/swap.dat

check "insmod" insmod "$KO"
[ -z "${1:-}" ] || check "$1 loads" dd if="$1" of=$KNOBS/model bs=64k

# reads MODE ARGS...: "requests sectors" the disk served for mlra-gen
# ARGS, from a cold cache, in mlra's mode MODE.
reads() {
	echo "$1" >$KNOBS/mode
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_before=$(awk '{ print $1, $3 }' /sys/block/vda/stat)
	mlra-gen "$@" >/dev/null
	echo "$_before $(awk '{ print $1, $3 }' /sys/block/vda/stat)" |
		awk '{ print $3 - $1, $4 - $2 }'
}

# t(D, REQUESTS, SECTORS): an upper bound of the seconds on disk D (0:
# cloud, 1: hdd) as scripts/sim.c's disks take them: each request's
# latency and its share of the disk's rate, and the bytes at its
# bandwidth.
DISK_TIME='function t(d, r, s) {
	return r * (d ? 0.004 + 1 / 150 : 1 / 3000) + s * 512 / (d ? 120e6 : 125e6)
}'

ROT=/sys/block/vda/queue/rotational
was=$(cat $ROT)
for rot in 1 0; do
	echo $rot >$ROT
	for p in "-m reverse $FILE 4k" "-m stride $FILE 4k 4k" \
		"reverse $FILE 64k" "stride $FILE 4k 4k" "stride $FILE 16k 16k" \
		"stride $FILE 8k 24k" "-m random $FILE 8k 1000 3"; do
		off=$(reads off $p)
		on=$(reads on $p)
		name="a $(echo "$p" | sed "s| $FILE||") reader, rotational $rot:"
		name="$name disk requests and sectors with mlra on within 1/8 of off"
		[ "$rot" = 0 ] || name="$name, or more sectors for less disk time"
		if echo "$off $on $rot" | awk "$DISK_TIME"'
			NF != 5 || $3 > $1 * 9 / 8 + 8 { exit 1 }
			$4 <= $2 * 9 / 8 + 128 { exit 0 }
			!$5 { exit 1 }
			{ exit t(0, $3, $4) > t(0, $1 * 9 / 8 + 8, $2 * 9 / 8 + 128) ||
			       t(1, $3, $4) > t(1, $1 * 9 / 8 + 8, $2 * 9 / 8 + 128) }'; then
			ok "$name"
		else
			not_ok "$name" "off $off, on $on"
		fi
	done
done
echo "$was" >$ROT
echo off >$KNOBS/mode
check "rmmod" rmmod mlra
ok "default model tests ran to the end"
