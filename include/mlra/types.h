/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types and helpers that mlra's pure C files (model, inference,
 * later features and policy) use, so that the same files build into the
 * module, KUnit, host tools and fuzz targets.
 */
#ifndef _MLRA_TYPES_H
#define _MLRA_TYPES_H

#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

/* CRC-32 as zlib and Ethernet compute it. */
static inline u32 mlra_crc32(const void *buf, size_t len)
{
	return ~crc32_le(~0U, buf, len);
}
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

u32 mlra_crc32(const void *buf, size_t len);
#endif

#endif /* _MLRA_TYPES_H */
