# SPDX-License-Identifier: GPL-2.0
# Runs in the test host for scripts/site-train. The workload, in no
# training family: cmp(1) of two files that together are larger than
# memory (two streams read in turns by one process).
#   sh site-guest.sh record        mlra observing, mlra record of one run,
#                                  to /data/out/site.bin
#   sh site-guest.sh bench REPS    the workload with mlra off, on with the
#                                  built-in model and on with
#                                  /data/site.mlra, REPS times each, the
#                                  order turned each time; one line a run:
#                                  RESULT MODEL SECONDS DISK_READS SECTORS
set -eu
work() {
	cmp /data/a.dat /data/b.dat >/dev/null || true
}

case ${1:?record or bench} in
record)
	insmod /mlra/mlra.ko mode=observe
	mkdir -p /data/out
	echo 3 >/proc/sys/vm/drop_caches
	mlra record -o /data/out/site.bin -- sh -c 'cmp /data/a.dat /data/b.dat >/dev/null; true'
	rmmod mlra
	;;
bench)
	insmod /mlra/mlra.ko mode=on
	run() {	# MODEL: off, builtin or site
		case $1 in
		off) mlra mode off || exit 1 ;;
		builtin) { mlra load --builtin >/dev/null && mlra mode on; } ||
			exit 1 ;;
		site) { mlra load /data/site.mlra >/dev/null && mlra mode on; } ||
			exit 1 ;;
		esac
		sync
		echo 3 >/proc/sys/vm/drop_caches
		set -- "$1" $(awk '{ print $1, $3 }' /sys/block/vda/stat) \
			$(awk '{ print $1 }' /proc/uptime)
		work
		set -- "$@" $(awk '{ print $1, $3 }' /sys/block/vda/stat) \
			$(awk '{ print $1 }' /proc/uptime)
		echo "RESULT $1 $(echo "$7 $4" | awk '{ printf "%.2f", $1 - $2 }') $(($5 - $2)) $(($6 - $3))"
	}
	i=0
	while [ $i -lt "${2:-3}" ]; do
		if [ $((i % 2)) = 0 ]; then
			run off; run builtin; run site
		else
			run site; run builtin; run off
		fi
		i=$((i + 1))
	done
	rmmod mlra
	;;
esac
