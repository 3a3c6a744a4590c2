/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guard: every window mlra sets is an experiment whose outcome is
 * measured on the stream itself, and undone when it does not pay. Pure C
 * (src/guard.c), as the policy is, so that host tools can run it too.
 *
 * What a stream costs the disk is counted per page it asks for: each
 * request the kernel submits for it costs a seek's worth of pages
 * (MLRA_GUARD_SEEK_PAGES, more on a disk that may rotate), and each page
 * it reads that the accesses did not ask for costs one, beyond
 * MLRA_GUARD_AHEAD_WINDOWS windows: what the kernel reads ahead of a
 * reader that has not reached it yet (what is left of the window it is
 * in, the next), or the half window behind a fault that read-around asks
 * for, which the count includes though the reader has just read it (a
 * request is counted at the most pages it reads: those cached are
 * skipped). Per page asked for, not per access, so that periods of
 * larger or fewer accesses compare (a mapping's reader faults about once
 * a window, the rest mapped by fault-around and seen at readahead's
 * marker).
 *
 * The cost with the kernel's own window is the base (at least a request
 * a window: a cached stream's base is not zero); a changed window is
 * judged every MLRA_GUARD_DECISIONS decisions on the accesses since it
 * took effect, and undone when it costs more than the base by over
 * 1/MLRA_GUARD_SLACK; sooner, at the request that makes it
 * so, once it has read more than those MLRA_GUARD_AHEAD_WINDOWS windows
 * beyond the pages asked for. So a window that reads more must save
 * requests worth the pages nobody asked for within that many decisions
 * (random lookups through a mapping whose every fault reads megabytes
 * around it do not), and one that reads less must not cost more requests
 * than it saves pages.
 *
 * An undone change is held off for the stream, MLRA_GUARD_DECISIONS
 * decisions the first time, twice as long each time in a row after,
 * up to MLRA_GUARD_MAX_BACKOFF doublings; a change that pays (costs
 * 1/MLRA_GUARD_SLACK less than the base) resets it.
 *
 * Not seen: readahead of filesystems with large folios (XFS), which
 * submits without page_cache_ra_unbounded(), and a fault's read with no
 * readahead. There the base is the floor, and a change is judged by its
 * requests seen alone.
 */
#ifndef _MLRA_GUARD_H
#define _MLRA_GUARD_H

#include <mlra/types.h>

/* Decisions a changed window is judged over. */
#define MLRA_GUARD_DECISIONS	4
/*
 * A changed window may cost 1/MLRA_GUARD_SLACK more than the base; it
 * pays when it costs 1/MLRA_GUARD_SLACK less.
 */
#define MLRA_GUARD_SLACK	8
/* Pages read ahead that are not counted yet: this many windows. */
#define MLRA_GUARD_AHEAD_WINDOWS	2
/*
 * Pages a fault counts as asked for, at least (mlra_guard_fault_pages()):
 * what it maps around itself (fault_around_bytes, 64 KiB by default),
 * which the reader may use without another fault.
 */
#define MLRA_GUARD_FAULT_PAGES	16
/* Undone changes in a row that double the hold, at most. */
#define MLRA_GUARD_MAX_BACKOFF	6
/* A request's cost beyond its pages: a disk that does not rotate, one that may. */
#define MLRA_GUARD_SEEK_PAGES		32
#define MLRA_GUARD_SEEK_PAGES_ROT	256
/*
 * Counts are halved past this many accesses while nothing is on trial
 * (the base follows the stream), and past MLRA_GUARD_MAX_COUNT accesses
 * or requests in any case (they are 16 bits).
 */
#define MLRA_GUARD_BASE_ACCESSES	1024
#define MLRA_GUARD_MAX_COUNT		0x8000

/**
 * enum mlra_guard_reason - why the guard overrides the model
 * @MLRA_GUARD_NONE: it does not
 * @MLRA_GUARD_COST: a changed window cost more per page than the base
 * @MLRA_GUARD_HELD: a change is held off after one was undone
 * @MLRA_GUARD_THRASH: the page cache is thrashing: no window larger than
 *	the kernel's
 * @MLRA_GUARD_MUTED: the guard kept undoing the model's class across
 *	streams, which is muted for a while
 * @MLRA_GUARD_NR_REASONS: number of reasons
 */
enum mlra_guard_reason {
	MLRA_GUARD_NONE,
	MLRA_GUARD_COST,
	MLRA_GUARD_HELD,
	MLRA_GUARD_THRASH,
	MLRA_GUARD_MUTED,
	MLRA_GUARD_NR_REASONS,
};

/**
 * struct mlra_guard_state - a stream's guard memory, 20 bytes
 * @read: pages the kernel read for the stream since @accesses began
 * @used: pages the accesses asked for
 * @base: cost with the kernel's window (mlra_guard_cost()), while a
 *	change is on trial
 * @accesses: accesses counted
 * @requests: readahead requests the kernel submitted for them
 * @hold: decisions left before the stream may be steered again
 * @decisions: decisions since the change on trial took effect; 0: none
 * @backoff: changes undone in a row
 */
struct mlra_guard_state {
	u32 read;
	u32 used;
	u32 base;
	u16 accesses;
	u16 requests;
	u16 hold;
	u8 decisions;
	u8 backoff;
};

/**
 * struct mlra_guard_verdict - what the guard lets one decision do
 * @window: the window the file gets, in pages
 * @reason: enum mlra_guard_reason: why it is not the one asked for
 * @paid: a change was judged and stays
 */
struct mlra_guard_verdict {
	u32 window;
	u8 reason;
	bool paid;
};

void mlra_guard_reset(struct mlra_guard_state *g);
void mlra_guard_access(struct mlra_guard_state *g, u32 pages);
u32 mlra_guard_fault_pages(u32 prev, u32 index, u32 window);
void mlra_guard_credit(struct mlra_guard_state *g, u32 pages);
bool mlra_guard_request(struct mlra_guard_state *g, u32 pages, u32 in_force,
			bool nonrot);
void mlra_guard_undo(struct mlra_guard_state *g);
u32 mlra_guard_cost(const struct mlra_guard_state *g, u32 window,
		    bool nonrot);
void mlra_guard_decide(struct mlra_guard_state *g, u32 own, u32 in_force,
		       u32 wanted, bool nonrot, bool thrashing,
		       struct mlra_guard_verdict *v);

#endif /* _MLRA_GUARD_H */
