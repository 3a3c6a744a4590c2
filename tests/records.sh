# SPDX-License-Identifier: GPL-2.0
# Hand-made access-log records (include/uapi/linux/mlra_log.h) for the
# host tests; sourced. le VALUE BYTES writes an integer little-endian;
# rec writes one record's fields in order.
le() {
	_v=$1 _i=0
	while [ $_i -lt "$2" ]; do
		printf "\\$(printf %03o $((_v & 255)))"
		_v=$((_v >> 8)) _i=$((_i + 1))
	done
}
rec() {	# time ino index stream dev pages window size kind flags
	le "$1" 8; le "$2" 8; le "$3" 8; le "$4" 4; le "$5" 4; le "$6" 4
	le "$7" 4; le "$8" 4; le "$9" 1; le "${10}" 1; le 27762 2
}
