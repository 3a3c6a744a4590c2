/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One open file as mlra follows it: the entry of the stream table
 * (stream.c: lookup, lifetime), which the decision (decide.c) and the
 * access log (log.c) work on. Everything here is called with the entry's
 * lock held and its key set, which keeps its file alive (the lifetime
 * rules are at mlra_stream_release()).
 */
#ifndef _MLRA_STREAM_H
#define _MLRA_STREAM_H

#include <linux/fs.h>
#include <linux/spinlock.h>

#include <uapi/linux/mlra_log.h>
#include <mlra/features.h>
#include <mlra/guard.h>
#include <mlra/policy.h>

#include "mlra.h"

/**
 * struct mlra_stream - what mlra knows of one open file
 * @file: the key; NULL when free. Set and cleared only with @lock held,
 *	published with a release store (see mlra_stream_release())
 * @lock: taken by trylock in handlers; spun on by the release hook, the
 *	prefetch worker and the process-context walks
 * @last_used: jiffies of the last access, to recycle the stalest
 * @id: the stream's number, never reused while the module is loaded: what
 *	a queued prefetch names; its low 32 bits are the access log's stream
 * @original_pages: the file's own window when mlra first saw it
 * @set_pages: the window mlra last wrote, if @changed
 * @model_gen: generation of the model @policy's classes belong to
 * @since_decision: accesses since the last decision
 * @spread_pages: the file's pages counted in the footprint of scattered
 *	faults (mlra_stream_spread()); 0 when not counted
 * @seen: accesses since the entry was made, for debugfs (wraps)
 * @misses: of those, cache misses the kernel read for, for debugfs (wraps)
 * @changed: mlra's window is in force, not the file's own
 * @hinted: the application gave a readahead hint for this file
 * @random: the kernel reads no more than asked for it (a RANDOM hint)
 * @strides_alone: the guard overrode the window at the last decision or
 *	since: stride prefetch reads through no gap (mlra_prefetch_gap()),
 *	and asks for nothing while mlra_thrashing(). Set again or cleared
 *	at every decision, cleared with @prefetch; means nothing unless
 *	@prefetch is MLRA_PF_STRIDE
 * @prefetch: the prefetch in force, enum mlra_prefetch_kind
 * @policy: the policy's memory
 * @guard: the guard's memory
 * @pf: the prefetch planner's memory
 * @history: the last accesses
 *
 * Cache-line aligned: handlers on different CPUs reading different files
 * never write to the same line.
 */
struct mlra_stream {
	struct file *file;
	raw_spinlock_t lock;	/* guards the entry; see the lifetime rules */
	unsigned long last_used;
	u64 id;
	u32 original_pages;
	u32 set_pages;
	u32 model_gen;
	u32 spread_pages;
	u32 seen;
	u32 misses;
	u16 since_decision;
	bool changed;
	bool hinted;
	bool random;
	bool strides_alone;
	u8 prefetch;
	struct mlra_policy_state policy;
	struct mlra_guard_state guard;
	struct mlra_prefetch_state pf;
	struct mlra_history history;
} ____cacheline_aligned;

/* The inode whose pages and size a read of @file uses: for a block
 * device file the device's, not the device node's.
 */
static inline struct inode *file_host(struct file *file)
{
	return file->f_mapping->host;
}

/*
 * Handlers look at a file only while it has references: __fput() still
 * reads a file after the release hook (ima_file_free() rehashes it
 * through filemap_read()), and an entry made then would outlive it.
 */
static inline bool file_dying(struct file *file)
{
	return !file_count(file);
}

/* Pages the file has, its last partial one included: as the log counts. */
static inline u64 file_pages(struct file *file)
{
	return DIV_ROUND_UP_ULL(i_size_read(file_host(file)), PAGE_SIZE);
}

/* The window in force: mlra's if it set one, else the file's own. */
static inline u32 stream_in_force(const struct mlra_stream *e)
{
	return e->changed ? e->set_pages : e->original_pages;
}

/* Prefetched pages that an area's end found used or wasted. */
static inline void count_acct(const struct mlra_prefetch_acct *acct)
{
	mlra_count_add(MLRA_STAT_PF_USED, acct->used);
	mlra_count_add(MLRA_STAT_PF_WASTED, acct->wasted);
}

/* stream.c */
void mlra_stream_restore(struct mlra_stream *e);
u32 mlra_stream_slot(const struct mlra_stream *e);
bool mlra_stream_spread(struct mlra_stream *e, bool scattered);

/* decide.c */
void mlra_stream_decide(struct mlra_stream *e);
void mlra_stream_prefetch(struct mlra_stream *e);
void mlra_stream_fault_marker(struct mlra_stream *e);
void mlra_stream_request(struct mlra_stream *e, unsigned long pages);

/* log.c */
void mlra_stream_log(struct mlra_stream *e, enum mlra_log_kind kind,
		     pgoff_t index, u32 pages);

#endif /* _MLRA_STREAM_H */
