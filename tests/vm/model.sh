# SPDX-License-Identifier: GPL-2.0
# The model interface on the test host: model_info, valid and invalid
# uploads through sysfs, a blob larger than a page, 200 swaps while fio
# reads. Expects mlra loaded with default_model=0 and, in /data/models,
# golden.mlra, big.mlra and their `mlra-model info` outputs (made by
# scripts/check).
. ./vm/lib.sh
M=/data/models

check_eq "with default_model=0, model_info says no model" \
	"none: no model loaded; mode on acts as observe" "$(cat $KNOBS/model_info)"
check_eq "model is write-only, model_info read-only, for root" "200 400" \
	"$(stat -c %a $KNOBS/model) $(stat -c %a $KNOBS/model_info)"

# upload FILE: write a blob as an administrator would; print the error.
upload() {
	dd if="$1" of=$KNOBS/model bs=64k 2>&1 >/dev/null | grep -o 'Invalid argument\|Permission denied'
}

check_eq "a valid model installs" "" "$(upload $M/golden.mlra)"
crc=$(sed -n 's/^crc32 //p' $M/golden.info)
check "model_info names the model" \
	grep -qx "name golden" $KNOBS/model_info
check "model_info shows the shape" grep -qx "shape 2-3-2" $KNOBS/model_info
check "model_info shows the host's CRC" grep -qx "crc32 $crc" $KNOBS/model_info

cp $M/golden.mlra /tmp/flipped.mlra
printf 'X' | dd of=/tmp/flipped.mlra bs=1 seek=60 conv=notrunc 2>/dev/null
check_eq "a corrupted model is rejected with EINVAL" "Invalid argument" \
	"$(upload /tmp/flipped.mlra)"
check "the old model stays after a rejected one" \
	grep -qx "crc32 $crc" $KNOBS/model_info
head -c 100 $M/golden.mlra >/tmp/short.mlra
check_eq "a truncated model is rejected with EINVAL" "Invalid argument" \
	"$(upload /tmp/short.mlra)"
head -c 3000 /dev/urandom >/tmp/noise.mlra
check_eq "random bytes are rejected with EINVAL" "Invalid argument" \
	"$(upload /tmp/noise.mlra)"
check "the old model stays after garbage" grep -qx "crc32 $crc" $KNOBS/model_info
dmesg | grep -q "model rejected: CRC-32 mismatch" &&
	ok "the kernel log names the reason" ||
	not_ok "the kernel log names the reason" "no 'model rejected: CRC-32 mismatch'"
check_eq "a user other than root cannot upload" "Permission denied" \
	"$(su -s /bin/sh nobody -c "dd if=$M/golden.mlra of=$KNOBS/model bs=64k" 2>&1 | grep -o 'Permission denied')"

check_eq "a model larger than a page installs" "" "$(upload $M/big.mlra)"
check "model_info shows the large model" grep -qx "shape 32-64-64-2" $KNOBS/model_info

# 200 swaps while fio reads; every upload must succeed.
fio --name=swap --filename=/data/swap.dat --rw=read --bs=64k --size=32m \
	--loops=1000 --runtime=600 --ioengine=psync --eta=never \
	--output=/dev/null &
fio=$!
swaps=0
for i in $(seq 100); do
	[ -z "$(upload $M/golden.mlra)" ] || break
	[ -z "$(upload $M/big.mlra)" ] || break
	swaps=$((swaps + 2))
done
kill $fio 2>/dev/null
wait $fio 2>/dev/null
check_eq "200 model swaps while fio reads" 200 "$swaps"
check "the last swap is live" grep -qx "shape 32-64-64-2" $KNOBS/model_info
check "rmmod with a model loaded" rmmod mlra
ok "model tests ran to the end"
