/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types and helpers that mlra's pure C files (model, inference,
 * features and policy) use, the kernel's own in the kernel and a shim
 * of the same names on the host, so that the same files build into the
 * module, KUnit, host tools and fuzz targets.
 */
#ifndef _MLRA_TYPES_H
#define _MLRA_TYPES_H

#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/types.h>
/* Moved from asm/ in 6.12; Kbuild says which this kernel has. */
#ifdef MLRA_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#define MLRA_PAGE_SHIFT PAGE_SHIFT

/* CRC-32 as zlib and Ethernet compute it. */
static inline u32 mlra_crc32(const void *buf, size_t len)
{
	return ~crc32_le(~0U, buf, len);
}
#else
#include <linux/types.h>	/* the uapi __u8 ... __s64, as tools/ uses */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define min_t(type, a, b) ({ type _a = (a), _b = (b); _a < _b ? _a : _b; })

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8;
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

#define MLRA_PAGE_SHIFT 12	/* the test host's pages: 4 KiB */

u32 mlra_crc32(const void *buf, size_t len);
#endif

#endif /* _MLRA_TYPES_H */
