/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The access log: what /sys/kernel/debug/mlra/access_log returns, read by
 * scripts/mlra-trace and the training tools. A read returns whole records,
 * oldest first on each CPU; records of different CPUs interleave, so
 * readers order them by @time_ns. Little-endian, as the host that wrote it.
 *
 * The log records only while the file is open (one reader at a time).
 * When a CPU's ring is full the records that do not fit are dropped and
 * counted; the next record that fits is preceded by an
 * MLRA_LOG_DROPPED record whose @pages says how many were lost there.
 */
#ifndef _UAPI_LINUX_MLRA_LOG_H
#define _UAPI_LINUX_MLRA_LOG_H

#include <linux/types.h>

#define MLRA_LOG_MAGIC		0x6c72	/* "rl" in the file */

enum mlra_log_kind {
	MLRA_LOG_READ,		/* read(): @index, @pages asked for */
	MLRA_LOG_FAULT,		/* mmap fault: @index, @pages is 1 */
	MLRA_LOG_SYNC_RA,	/* cache miss: the kernel reads @pages at @index */
	MLRA_LOG_ASYNC_RA,	/* readahead marker hit at @index, @pages asked */
	MLRA_LOG_RELEASE,	/* the file is closed: the stream ends */
	MLRA_LOG_DROPPED,	/* @pages records of this CPU were lost here */
	MLRA_NR_LOG_KINDS,
};

/* @flags */
#define MLRA_LOG_HINTED		0x01	/* the application gave a hint */
#define MLRA_LOG_CHANGED	0x02	/* mlra's window is in force */

/**
 * struct mlra_log_record - one event, 48 bytes
 * @time_ns: CLOCK_MONOTONIC in nanoseconds
 * @ino: the file's inode number
 * @index: first page concerned
 * @stream: the open file, unique among the streams of one module load
 * @dev: the file system's device, as stat(2)'s st_dev
 * @pages: pages concerned (see enum mlra_log_kind)
 * @window: the file's readahead window (f_ra.ra_pages) before the event
 * @size_pages: pages the file has (its size in pages, rounded up),
 *	saturated
 * @kind: enum mlra_log_kind
 * @flags: MLRA_LOG_HINTED, MLRA_LOG_CHANGED
 * @magic: MLRA_LOG_MAGIC, to catch a misaligned or foreign file
 *
 * A MLRA_LOG_DROPPED record has only @time_ns, @pages, @kind and @magic.
 */
struct mlra_log_record {
	__u64 time_ns;
	__u64 ino;
	__u64 index;
	__u32 stream;
	__u32 dev;
	__u32 pages;
	__u32 window;
	__u32 size_pages;
	__u8 kind;
	__u8 flags;
	__u16 magic;
};

#endif /* _UAPI_LINUX_MLRA_LOG_H */
