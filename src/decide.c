// SPDX-License-Identifier: GPL-2.0
/*
 * The decision: every decision_interval accesses of a stream, its
 * features go through the model and the policy, and the guard judges
 * what would change before the file's window is written; between
 * decisions the guard watches the readahead requests a window of mlra's
 * causes, and undoes one that costs more than the kernel's. Called from
 * the probe handlers with the stream's entry locked (stream.c): no sleep,
 * no allocation.
 */

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>

#include <mlra/features.h>
#include <mlra/guard.h>
#include <mlra/model.h>
#include <mlra/policy.h>

#include "mlra.h"
#include "stream.h"

#define CREATE_TRACE_POINTS
#include "mlra_trace.h"

/* The file's block device, if it has one. */
static struct block_device *mlra_file_bdev(struct file *file)
{
	struct inode *host = file_host(file);

	return S_ISBLK(host->i_mode) ? I_BDEV(host) : host->i_sb->s_bdev;
}

/* The file's block device says it does not rotate ("rotational" 0). */
static bool file_nonrot(struct file *file)
{
	struct block_device *bdev = mlra_file_bdev(file);

	return bdev && bdev_nonrot(bdev);
}

/* An application's hint: FADV_RANDOM (noted in @e->random), or a window
 * that is neither the file's own nor mlra's (FADV_SEQUENTIAL doubles it).
 */
static bool stream_hinted(struct mlra_stream *e, u32 now)
{
	e->random |= !!(READ_ONCE(e->file->f_mode) & FMODE_RANDOM);
	return e->random ||
	       now != stream_in_force(e);
}

/*
 * A class whose windows the guard undoes for their cost MLRA_MUTE_UNDOS
 * times in a row, across streams, with none that paid in between, is
 * muted for MLRA_MUTE_TIME: no stream gets its window meanwhile, however
 * the model votes. Then it is on probation until one of its changes
 * pays: each undo mutes it again, twice as long each time up to
 * MLRA_MUTE_MAX_SHIFT doublings. A model that is wrong the same way for
 * every stream then costs a few streams' trials, not every stream's.
 * Indexed by the live model's classes: after a swap, a stale mute runs
 * out in its time. Touched only when a change is judged, not per access;
 * CPUs judging at once can only lengthen a mute a little.
 */
#define MLRA_MUTE_UNDOS		4
#define MLRA_MUTE_TIME		(10 * HZ)
#define MLRA_MUTE_MAX_SHIFT	4
static atomic_t mlra_class_undos[MLRA_MAX_CLASSES];
static unsigned long mlra_class_muted_until[MLRA_MAX_CLASSES];
static u8 mlra_class_mute_shift[MLRA_MAX_CLASSES];

static bool class_muted(u8 class)
{
	return class < MLRA_MAX_CLASSES &&
	       time_before(jiffies, READ_ONCE(mlra_class_muted_until[class]));
}

/* A change of @class paid: its undos in a row start over. */
static void class_paid(u8 class)
{
	if (class >= MLRA_MAX_CLASSES)
		return;
	atomic_set(&mlra_class_undos[class], 0);
	WRITE_ONCE(mlra_class_mute_shift[class], 0);
}

/* A change of @class was undone for its cost: the MLRA_MUTE_UNDOS-th mutes. */
static void class_undone(u8 class)
{
	u8 shift;

	if (class >= MLRA_MAX_CLASSES)
		return;
	/* Counts up to MLRA_MUTE_UNDOS and stays there: on probation. */
	atomic_add_unless(&mlra_class_undos[class], 1, MLRA_MUTE_UNDOS);
	if (atomic_read(&mlra_class_undos[class]) < MLRA_MUTE_UNDOS)
		return;
	shift = READ_ONCE(mlra_class_mute_shift[class]);
	WRITE_ONCE(mlra_class_muted_until[class],
		   jiffies + (MLRA_MUTE_TIME << shift));
	if (shift < MLRA_MUTE_MAX_SHIFT)
		WRITE_ONCE(mlra_class_mute_shift[class], shift + 1);
	mlra_count(MLRA_STAT_GUARD_MUTES);
}

#ifdef CONFIG_MLRA_KUNIT_TEST
/*
 * For tests: @class muted for a minute, or as if none of its changes had
 * been undone.
 */
void mlra_test_class_set(u8 class, bool muted)
{
	if (class >= MLRA_MAX_CLASSES)
		return;
	class_paid(class);
	WRITE_ONCE(mlra_class_muted_until[class],
		   muted ? jiffies + 60 * HZ : jiffies);
}
#endif

/*
 * What the guard lets a decision for @wanted do (include/mlra/guard.h),
 * counted by reason; lock held.
 */
static void stream_guard(struct mlra_stream *e, u32 wanted, bool nonrot,
			 struct mlra_guard_verdict *gv)
{
	u32 own = e->original_pages;
	u32 in_force = stream_in_force(e);
	bool muted = class_muted(e->policy.applied);

	mlra_guard_decide(&e->guard, own, in_force, muted ? own : wanted,
			  nonrot, mlra_thrashing(), gv);
	if (muted && wanted != own && gv->reason == MLRA_GUARD_NONE)
		gv->reason = MLRA_GUARD_MUTED;
	if (gv->paid)
		class_paid(e->policy.applied);
	else if (gv->reason == MLRA_GUARD_COST)
		class_undone(e->policy.applied);
	if (gv->reason == MLRA_GUARD_NONE || gv->window == wanted)
		return;
	if (in_force == own || gv->reason == MLRA_GUARD_HELD)
		mlra_count(MLRA_STAT_GUARD_HELD);
	else if (gv->reason == MLRA_GUARD_COST)
		mlra_count(MLRA_STAT_GUARD_UNDONE_COST);
	else if (gv->reason == MLRA_GUARD_THRASH)
		mlra_count(MLRA_STAT_GUARD_UNDONE_THRASH);
	else
		mlra_count(MLRA_STAT_GUARD_UNDONE_MUTED);
}

/*
 * The guard overrode the window of @e's class for @reason. Forward
 * prefetch stands for that window and stops. Stride prefetch is judged
 * by its own accuracy and gains by having requests in flight at once,
 * which the guard's counts cannot see: it goes on, each stride alone,
 * except while the cache thrashes, when pages it reads may be evicted
 * before the reader reaches them and still count as used.
 */
static void stream_guard_prefetch(struct mlra_stream *e,
				  enum mlra_guard_reason reason)
{
	if (e->prefetch == MLRA_PF_STRIDE && reason != MLRA_GUARD_THRASH)
		e->strides_alone = true;
	else
		e->prefetch = MLRA_PF_NONE;
}

/**
 * mlra_stream_decide() - features, model, policy, guard, action
 * @e: the stream, locked
 */
void mlra_stream_decide(struct mlra_stream *e)
{
	u32 now = READ_ONCE(e->file->f_ra.ra_pages);
	u64 size = file_pages(e->file);
	bool respect = READ_ONCE(mlra_knobs.respect_hints);
	bool steer = mlra_steering(), nonrot = file_nonrot(e->file);
	bool scattered;
	struct mlra_policy_params pp = {
		.min_ra_kb = READ_ONCE(mlra_knobs.min_ra_kb),
		.max_ra_kb = READ_ONCE(mlra_knobs.max_ra_kb),
		.min_confidence = READ_ONCE(mlra_knobs.min_confidence),
		.hysteresis = MLRA_HYSTERESIS,
	};
	s32 f[MLRA_MAX_INPUTS] = {};
	struct mlra_guard_verdict gv = {};
	struct mlra_verdict v;
	bool act = false;
	u64 t;

	e->hinted |= stream_hinted(e, now);
	/*
	 * A hint that came since mlra set the window (FADV_RANDOM, or a
	 * madvise()d mapping's fault): the file is the application's again.
	 */
	if (e->hinted && respect && e->changed) {
		mlra_stream_restore(e);
		mlra_count(MLRA_STAT_HINTED_SKIPS);
		return;
	}
	pp.max_ra_kb = mlra_policy_max_kb(pp.min_ra_kb, pp.max_ra_kb,
					  e->original_pages, nonrot);
	pp.no_window = e->random && !respect;
	pp.mapped = mlra_history_last(&e->history)->kind == MLRA_ACCESS_FAULT;
	mlra_features(&e->history, now, size, nonrot, f);
	scattered = mlra_features_scattered(&e->history, f);
	pp.spread = mlra_stream_spread(e, scattered);
	if (pp.spread)
		mlra_count(MLRA_STAT_SPREAD_DECISIONS);
	t = ktime_get_mono_fast_ns();
	mlra_model_decide(f, &pp, e->original_pages, &e->policy,
			  &e->model_gen, &v);
	if (v.class >= 0)
		mlra_count_infer_ns(ktime_get_mono_fast_ns() - t);
	mlra_count_decision(v.class);
	/* Prefetch, as a window, only in mode on and for unhinted files. */
	e->prefetch = MLRA_PF_NONE;
	if (v.prefetch && !(e->hinted && respect) && steer)
		e->prefetch = v.prefetch;
	/*
	 * The guard judges only windows that would take effect; where it
	 * overrides the model, prefetch waits too, or reads each stride
	 * alone (stream_guard_prefetch()).
	 */
	e->strides_alone = false;
	if (steer && !(e->hinted && respect)) {
		stream_guard(e, v.window, nonrot, &gv);
		v.window = gv.window;
		if (gv.reason != MLRA_GUARD_NONE)
			stream_guard_prefetch(e, gv.reason);
	}
	if (v.window != now) {
		if (e->hinted && respect)
			mlra_count(MLRA_STAT_HINTED_SKIPS);
		else if (!steer)
			mlra_count(MLRA_STAT_WINDOWS_WOULD_SET);
		else
			act = true;
	}
	/* Only over the window read above: one set since is not overwritten. */
	if (act && cmpxchg(&e->file->f_ra.ra_pages, now, v.window) != now) {
		mlra_count(MLRA_STAT_WINDOW_RACES);
		act = false;
	}
	trace_mlra_decision(e->file, e->id, v.class, v.confidence, now,
			    v.window, act, gv.reason);
	if (!act)
		return;
	e->set_pages = v.window;
	e->changed = v.window != e->original_pages;
	mlra_count(MLRA_STAT_WINDOWS_SET);
}

/**
 * mlra_stream_prefetch() - queue what the prefetch in force asks for
 * @e: the stream, locked, after an access
 *
 * None unless steering; the pages of an area that ended are counted.
 */
void mlra_stream_prefetch(struct mlra_stream *e)
{
	struct mlra_prefetch_range r[MLRA_PF_MAX_RANGES];
	struct mlra_prefetch_acct acct = {};
	u8 kind = mlra_steering() ? e->prefetch : MLRA_PF_NONE;
	u32 max = READ_ONCE(mlra_knobs.prefetch_max_kb) >> (PAGE_SHIFT - 10);
	struct block_device *bdev;
	bool thrashing;
	u32 gap = 0;
	int i, n;

	/* Forwards, no further than the window the hint made the kernel drop. */
	if (kind == MLRA_PF_FORWARD)
		max = min(max, READ_ONCE(e->file->f_ra.ra_pages));
	if (kind == MLRA_PF_STRIDE) {
		thrashing = mlra_thrashing();
		/*
		 * Where the guard overrides the window, as where it stops it
		 * for thrashing: a muted class's verdict is never thrash, and
		 * the cache may begin to thrash between decisions.
		 */
		if (e->strides_alone && thrashing)
			kind = MLRA_PF_NONE;
		bdev = mlra_file_bdev(e->file);
		gap = mlra_prefetch_gap(bdev && !bdev_nonrot(bdev), thrashing,
					e->strides_alone);
	}
	n = mlra_prefetch_plan(&e->pf, kind, &e->history, file_pages(e->file),
			       max, gap, r, &acct);
	for (i = 0; i < n; i++)
		mlra_prefetch_queue(mlra_stream_slot(e), e->id,
				    r[i].start, r[i].pages);
	count_acct(&acct);
}

/**
 * mlra_stream_fault_marker() - a fault of @e's stream hit readahead's marker
 * @e: the stream, locked
 *
 * It went on from the fault before through pages read ahead for it,
 * which fault-around mapped without a fault (mlra_guard_fault_pages());
 * those are credited as asked for. Only at a marker: a random fault near
 * the one before went through no pages.
 */
void mlra_stream_fault_marker(struct mlra_stream *e)
{
	const struct mlra_history *h = &e->history;
	const struct mlra_access *last, *prev;

	if (h->count < 2)
		return;
	last = mlra_history_recent(h, 1);
	prev = mlra_history_recent(h, 2);
	if (prev->kind != MLRA_ACCESS_FAULT)
		return;
	mlra_guard_credit(&e->guard,
			  mlra_guard_fault_pages(prev->index, last->index,
						 stream_in_force(e)) -
			  MLRA_GUARD_FAULT_PAGES);
}

/**
 * mlra_stream_request() - judge a readahead request of @e's file
 * @e: the stream, locked
 * @pages: the most pages the request reads (those cached are skipped)
 *
 * A window of mlra's that reads far more than the stream asks for is
 * undone here, at once (mlra_guard_request()); the request itself is
 * read as asked.
 */
void mlra_stream_request(struct mlra_stream *e, unsigned long pages)
{
	struct file *file = e->file;
	u32 in_force = stream_in_force(e);

	if (!mlra_guard_request(&e->guard, min_t(unsigned long, pages, U32_MAX),
				in_force, file_nonrot(file)) ||
	    !e->changed)
		return;
	/* Only over mlra's own window, as mlra_stream_decide() sets it. */
	if (cmpxchg(&file->f_ra.ra_pages, in_force,
		    e->original_pages) == in_force) {
		mlra_guard_undo(&e->guard);
		class_undone(e->policy.applied);
		trace_mlra_guard_undo(file, e->id,
				      e->policy.applied == MLRA_NO_CLASS ?
				      -1 : e->policy.applied,
				      in_force, e->original_pages);
		e->set_pages = e->original_pages;
		e->changed = false;
		stream_guard_prefetch(e, MLRA_GUARD_COST);
		mlra_count(MLRA_STAT_GUARD_UNDONE_COST);
	} else {
		/* The application's window now: nothing on trial. */
		mlra_guard_reset(&e->guard);
		mlra_count(MLRA_STAT_WINDOW_RACES);
	}
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/decide-kunit.h"
#endif
