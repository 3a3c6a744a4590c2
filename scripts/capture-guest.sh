# SPDX-License-Identifier: GPL-2.0
# Runs on the test host, from /data, for scripts/capture: each workload
# family with a cold cache and mlra in observe mode without a model (so the
# kernel's own readahead), its access log in out/NAME.bin and the disk's
# read counters before and after in out/disk.
LOG=/sys/kernel/debug/mlra/access_log
mkdir -p out
stat -c %d /data >out/dev
: >out/disk

# family NAME COMMAND: run COMMAND (shell words) with the log open.
family() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	before=$(awk '{ print $1, $3 }' /sys/block/vda/stat)
	cat $LOG >/tmp/"$1".bin &
	reader=$!
	sleep 1
	(eval "$2") >/dev/null || echo "capture: $1 failed" >&2
	sleep 1
	kill $reader
	wait $reader 2>/dev/null
	echo "$1 $before $(awk '{ print $1, $3 }' /sys/block/vda/stat)" >>out/disk
	cp /tmp/"$1".bin out/ && rm /tmp/"$1".bin
	echo "captured $1"
}

fio_run() {
	fio --eta=never --output=/dev/null --ioengine=psync --fadvise_hint=0 \
		--randseed=1 --norandommap "$@"
}

family seq-4k "dd if=big.dat of=/dev/null bs=4k count=32768"
family seq-16k "dd if=big.dat of=/dev/null bs=16k"
family seq-128k "dd if=big.dat of=/dev/null bs=128k"
family seq-1m "dd if=big.dat of=/dev/null bs=1M"
family rand-4k "fio_run --name=r --filename=big.dat --rw=randread \
	--bs=4k --number_ios=20000"
family rand-64k "fio_run --name=r --filename=big.dat --rw=randread \
	--bs=64k --number_ios=5000"
family mmap-seq "fio_run --name=m --filename=big.dat --rw=read \
	--bs=64k --ioengine=mmap"
family mmap-rand "fio_run --name=m --filename=big.dat --rw=randread \
	--bs=4k --ioengine=mmap --number_ios=20000"
family stride-4k "fio_run --name=s --filename=big.dat --rw=read:60k \
	--bs=4k --size=256m"
family stride-16k "fio_run --name=s --filename=big.dat \
	--rw=read:240k --bs=16k"
family reverse-16k "mlra-gen reverse mid.dat 16k"
family reverse-4k "mlra-gen reverse f1.dat 4k"
family interleave-fds "fio_run --name=i --filename=big.dat --rw=read \
	--bs=32k --numjobs=4 --offset_increment=128m --size=128m"
family interleave-fd "mlra-gen interleave big.dat 64k 4"
family multi-file "fio_run --name=mf --rw=read --bs=32k \
	--filename_format=f\\\$jobnum.dat --numjobs=4 --size=64m"
family phases "mlra-gen phases big.dat 16k 2048 7"
family small-files "find small -type f | xargs cat"
family cp "cp mid.dat copy.dat && sync && rm copy.dat"
family md5sum "md5sum big.dat"
family grep "grep -r -c mutex_lock src"
family sort "sort words.txt"
