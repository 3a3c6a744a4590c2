// SPDX-License-Identifier: GPL-2.0
/* CRC-32 (zlib's) for host builds; the kernel has its own in lib/crc32.c. */

#include <mlra/types.h>

u32 mlra_crc32(const void *buf, size_t len)
{
	const u8 *p = buf;
	u32 crc = ~0U;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}
