// SPDX-License-Identifier: GPL-2.0
/*
 * The policy: the model's class and confidence become a readahead window,
 * changed only after a choice holds for several decisions, not below the
 * confidence floor (but see spread_change()), always within the
 * administrator's clamps. Pure C.
 */

#include <mlra/policy.h>

/**
 * mlra_action_parse() - the action a class name stands for
 * @name: a class name from the model
 * @a: the action; "keep" for any name that is not an action
 */
void mlra_action_parse(const char *name, struct mlra_action *a)
{
	u32 kb = 0;
	const char *p;

	a->keep = true;
	a->window_kb = 0;
	a->prefetch = MLRA_PF_NONE;
	if (!strcmp(name, "off") || !strcmp(name, "rev") ||
	    !strcmp(name, "stride")) {
		a->keep = false;
		if (name[0] != 'o')
			a->prefetch = name[0] == 'r' ? MLRA_PF_REVERSE :
						       MLRA_PF_STRIDE;
		return;
	}
	if (strncmp(name, "ra", 2) || !name[2] || name[2] == '0')
		return;
	for (p = name + 2; *p; p++) {
		if (*p < '0' || *p > '9' || kb > 1000000)
			return;
		kb = kb * 10 + (*p - '0');
	}
	if (kb % (1 << (MLRA_PAGE_SHIFT - 10)))
		return;
	a->keep = false;
	a->window_kb = kb;
}

/**
 * mlra_policy_reset() - forget every decision: the kernel's window stands
 * @st: the stream's policy state
 */
void mlra_policy_reset(struct mlra_policy_state *st)
{
	st->applied = MLRA_NO_CLASS;
	st->candidate = MLRA_NO_CLASS;
	st->streak = 0;
}

/**
 * mlra_policy_max_kb() - the largest window mlra sets for a file
 * @min_ra_kb: the min_ra_kb knob
 * @max_ra_kb: the max_ra_kb knob
 * @own_pages: the file's own window, as the kernel set it at open
 * @nonrot: the file's block device says it does not rotate
 *
 * Where the disk does not rotate, at most MLRA_NONROT_MAX_KB, but never
 * below the file's own window (a class that enlarges must not shrink it)
 * nor below @min_ra_kb (the administrator's floor). The knobs are read
 * one by one: if @max_ra_kb is below @min_ra_kb for a moment, the result
 * stays between the two.
 *
 * Return: the largest window, in KiB.
 */
u32 mlra_policy_max_kb(u32 min_ra_kb, u32 max_ra_kb, u32 own_pages,
		       bool nonrot)
{
	u64 floor = (u64)own_pages << (MLRA_PAGE_SHIFT - 10);

	if (floor < MLRA_NONROT_MAX_KB)
		floor = MLRA_NONROT_MAX_KB;
	if (floor < min_ra_kb)
		floor = min_ra_kb;
	if (!nonrot || max_ra_kb <= floor)
		return max_ra_kb;
	return (u32)floor;
}

static u32 clamp_kb(u32 kb, const struct mlra_policy_params *pp)
{
	if (kb < pp->min_ra_kb)
		return pp->min_ra_kb;
	if (kb > pp->max_ra_kb)
		return pp->max_ra_kb;
	return kb;
}

/**
 * mlra_action_window() - the window an action gives a file
 * @pp: the knobs, and whether the stream reads through a mapping
 * @a: the action
 * @original_pages: the file's own window, as the kernel set it at open
 *
 * "keep" and "rev" keep the file's own window, "stride" takes the largest
 * unless pp->mapped (see policy.h), the others theirs, within the clamps;
 * through a mapping, at least MLRA_MAPPED_MIN_KB or the file's own.
 *
 * Return: the window, in pages.
 */
u32 mlra_action_window(const struct mlra_policy_params *pp,
		       const struct mlra_action *a, u32 original_pages)
{
	u32 kb = a->window_kb;

	if (a->keep)
		return original_pages;
	if (a->prefetch == MLRA_PF_STRIDE && !pp->mapped)
		return clamp_kb(pp->max_ra_kb, pp) >> (MLRA_PAGE_SHIFT - 10);
	if (a->prefetch)
		return original_pages;
	if (pp->mapped && kb < MLRA_MAPPED_MIN_KB)
		kb = min_t(u32, MLRA_MAPPED_MIN_KB,
			   original_pages << (MLRA_PAGE_SHIFT - 10));
	return clamp_kb(kb, pp) >> (MLRA_PAGE_SHIFT - 10);
}

/*
 * Where the kernel ignores the file's window (pp->no_window), an action
 * with a window above 0, or "stride", is forward prefetch instead.
 */
static bool becomes_forward(const struct mlra_policy_params *pp,
			    const struct mlra_action *a)
{
	return pp->no_window &&
	       (a->prefetch == MLRA_PF_STRIDE ||
		(!a->prefetch && clamp_kb(a->window_kb, pp)));
}

/*
 * A mapping whose faults are scattered over files larger than memory
 * together (pp->spread): what read-around brings in beside each fault is
 * likely evicted before any fault reaches it. So a class that reads less
 * around the faults is taken below the confidence floor too (reading less
 * is the safe side of a guess; the guard judges it as any other change),
 * and one that reads more is not taken at all. Where the kernel ignores
 * the window, nothing reads less, and forward prefetch reads more.
 * Return: -1 for a class that reads less there, 1 for one that reads
 * more, 0 otherwise (and for any other stream).
 */
static int spread_change(const struct mlra_policy_params *pp,
			 const struct mlra_action *a, u32 original_pages)
{
	u32 window;

	if (!pp->mapped || !pp->spread)
		return 0;
	if (pp->no_window)
		return becomes_forward(pp, a);
	window = mlra_action_window(pp, a, original_pages);
	if (window == original_pages)
		return 0;
	return window < original_pages ? -1 : 1;
}

/**
 * mlra_policy_decide() - one decision for a stream
 * @pp: the knobs
 * @actions: the action of each of the model's classes
 * @p: the model's answer, or NULL if no model is loaded
 * @original_pages: the file's own window, as the kernel set it at open
 * @st: the stream's policy state, updated
 *
 * An answer below the confidence floor counts as a vote for the kernel's
 * own window; where pp->spread, so is one that reads more around a
 * mapping's faults, and one that reads less is not (spread_change()). A
 * new choice takes effect once it has won pp->hysteresis decisions in a
 * row (at least one); until then the one in force stays, unless it reads
 * more around spread faults.
 * With no model, the kernel's window is restored at once.
 *
 * Return: the window the file should have, in pages.
 */
u32 mlra_policy_decide(const struct mlra_policy_params *pp,
		       const struct mlra_action *actions,
		       const struct mlra_prediction *p, u32 original_pages,
		       struct mlra_policy_state *st)
{
	u8 choice = MLRA_NO_CLASS;
	int change;

	if (!p) {
		mlra_policy_reset(st);
		return original_pages;
	}
	if (!actions[p->class].keep) {
		change = spread_change(pp, &actions[p->class], original_pages);
		if (change < 0 ||
		    (!change && p->confidence >= pp->min_confidence))
			choice = p->class;
	}

	if (choice != st->candidate) {
		st->candidate = choice;
		st->streak = 0;
	}
	if (st->streak < 255)
		st->streak++;
	if (st->streak >= pp->hysteresis)
		st->applied = choice;
	/* One that reads more around spread faults goes at once. */
	if (st->applied != MLRA_NO_CLASS &&
	    spread_change(pp, &actions[st->applied], original_pages) > 0)
		st->applied = MLRA_NO_CLASS;

	if (st->applied == MLRA_NO_CLASS)
		return original_pages;
	return mlra_action_window(pp, &actions[st->applied], original_pages);
}

/**
 * mlra_policy_prefetch() - the prefetch in force for a stream
 * @pp: the knobs, and whether the kernel ignores the file's window
 * @actions: the action of each of the model's classes
 * @st: the stream's policy state, as mlra_policy_decide() left it
 *
 * Return: enum mlra_prefetch_kind; MLRA_PF_FORWARD where pp->no_window
 * for a window larger than 0 and for "stride" (a window the kernel would
 * read ahead with: the largest, or through a mapping the file's own).
 */
u8 mlra_policy_prefetch(const struct mlra_policy_params *pp,
			const struct mlra_action *actions,
			const struct mlra_policy_state *st)
{
	const struct mlra_action *a;

	if (!actions || st->applied == MLRA_NO_CLASS)
		return MLRA_PF_NONE;
	a = &actions[st->applied];
	if (becomes_forward(pp, a))
		return MLRA_PF_FORWARD;
	return a->prefetch;
}

/* A new area's first request: 4 accesses' worth, at least 16 pages. */
static u32 first_size(const struct mlra_access *cur, u32 max)
{
	return min_t(u32, 4 * (u32)cur->pages < 16 ? 16 : 4 * (u32)cur->pages,
		     max);
}

/**
 * mlra_prefetch_close() - the reader leaves the area asked for
 * @ps: the stream's prefetch memory
 * @acct: the area's pages are added to it: what the reader never reached
 *	is wasted, the rest used
 *
 * A mostly wasted area holds prefetch back, longer each time in a row;
 * so does a stride area the reader leaves before MLRA_PF_STRIDES strides
 * (streams at equal distances in one file look like a stride for three
 * accesses: asking for the next one's pages alone splits the kernel's
 * readahead of it).
 * Called by the planner, and by the module as it forgets a stream.
 */
void mlra_prefetch_close(struct mlra_prefetch_state *ps,
			 struct mlra_prefetch_acct *acct)
{
	u32 wasted = 0;
	s32 ahead;

	if (ps->kind == MLRA_PF_NONE)
		return;
	if (ps->kind == MLRA_PF_REVERSE) {
		wasted = ps->last > ps->edge ? ps->last - ps->edge : 0;
	} else if (ps->kind == MLRA_PF_FORWARD) {
		wasted = ps->edge > ps->last ? ps->edge - ps->last : 0;
	} else {
		ahead = (s32)(ps->edge - ps->last) / ps->step - 1;
		wasted = ahead > 0 ? (u32)ahead * ps->pages : 0;
	}
	wasted = min_t(u32, wasted, ps->asked);
	acct->used += ps->asked - wasted;
	acct->wasted += wasted;
	if (4 * (ps->asked - wasted) < MLRA_PF_GOOD * ps->asked ||
	    (ps->kind == MLRA_PF_STRIDE &&
	     ps->asked - wasted < MLRA_PF_STRIDES * (u32)ps->pages)) {
		ps->hold = 16 << ps->backoff;
		if (ps->backoff < MLRA_PF_MAX_BACKOFF)
			ps->backoff++;
	} else if (ps->asked) {
		ps->backoff = 0;
	}
	ps->kind = MLRA_PF_NONE;
	ps->asked = 0;
	ps->strayed = 0;
}

/*
 * An access outside the area while prefetch goes on: the first in a row
 * is a detour (an index lookup at the file's tail between data blocks)
 * and leaves the area as it is; the next one outside it leaves it.
 * Return: true for a detour.
 */
static bool detour(struct mlra_prefetch_state *ps, u32 max)
{
	if (ps->strayed || !max)
		return false;
	ps->strayed = 1;
	return true;
}

/*
 * Backwards: the first request is 4 accesses' worth (at least 16 pages)
 * before the access; then, whenever less than twice the last request lies
 * between the reader and the first page asked for, the next one, twice as
 * long (at most @max), before it. So the requests double on consecutive
 * accesses up to @max, then stay one to two of them ahead: the queue and
 * the disk have time to read them. A reader that leaves the area (two
 * accesses outside it in a row: detour()) starts over. A mapping's faults
 * on pages already read are not seen (fault-around maps them): a reader
 * found past the edge by up to a request has caught up, and the area goes
 * on from where it is.
 */
static int plan_reverse(struct mlra_prefetch_state *ps,
			const struct mlra_access *cur, u32 max,
			struct mlra_prefetch_range *out,
			struct mlra_prefetch_acct *acct)
{
	u32 i = cur->index, size, start;

	if (ps->kind == MLRA_PF_REVERSE && i + ps->size >= ps->edge &&
	    i < ps->edge + 4 * (u32)ps->size) {
		ps->strayed = 0;
		if (i < ps->edge)
			ps->edge = i;
		ps->last = i;
		if (i - ps->edge >= 2 * (u32)ps->size || !ps->edge || !max)
			return 0;
		size = min_t(u32, 2 * (u32)ps->size, max);
		i = ps->edge;
	} else {
		if (ps->kind == MLRA_PF_REVERSE && detour(ps, max))
			return 0;
		mlra_prefetch_close(ps, acct);
		if (ps->hold || !max)
			return 0;
		size = first_size(cur, max);
		ps->last = i;
	}
	start = i > size ? i - size : 0;
	ps->kind = MLRA_PF_REVERSE;
	ps->edge = start;
	ps->size = i - start;
	ps->asked += i - start;
	if (start == i)
		return 0;
	out->start = start;
	out->pages = i - start;
	return 1;
}

/* Requests from this many pages on leave a sentinel page for a mapping. */
#define MLRA_PF_SENTINEL_MIN	32

/*
 * Forwards, for a file whose window the kernel ignores: once an access
 * starts where the one before ended, 4 accesses' worth (at least 16
 * pages) after it; then as backwards, mirrored: twice as long each time
 * less than twice the last request lies ahead of the reader, up to @max.
 * Never at or past the end of the file. A mapping's reader is seen only
 * where a page is not read yet, so for a fault the page halfway through
 * a request of MLRA_PF_SENTINEL_MIN pages or more is left out: the fault
 * there asks for the next request while half of this one is ahead.
 * Otherwise the reader, unseen, would reach the end of what was asked
 * for and race the next request with faults of its own, a page each:
 * many times the requests of the area.
 */
static int plan_forward(struct mlra_prefetch_state *ps,
			const struct mlra_history *h,
			const struct mlra_access *cur, u64 file_pages, u32 max,
			struct mlra_prefetch_range *out,
			struct mlra_prefetch_acct *acct)
{
	const struct mlra_access *prev;
	u32 end = cur->index + cur->pages, size, start;

	if (ps->kind == MLRA_PF_FORWARD && cur->index <= ps->edge + ps->size &&
	    end + 4 * (u32)ps->size > ps->edge) {
		ps->strayed = 0;
		if (end > ps->edge)
			ps->edge = end;
		if (end > ps->last)
			ps->last = end;
		if (ps->edge - end >= 2 * (u32)ps->size || !max)
			return 0;
		size = min_t(u32, 2 * (u32)ps->size, max);
	} else {
		if (ps->kind == MLRA_PF_FORWARD && detour(ps, max))
			return 0;
		mlra_prefetch_close(ps, acct);
		prev = mlra_history_recent(h, 2);
		if (ps->hold || !max || h->count < 2 ||
		    prev->index + prev->pages != cur->index)
			return 0;
		size = first_size(cur, max);
		ps->edge = end;
		ps->last = end;
	}
	ps->kind = MLRA_PF_FORWARD;
	ps->size = size;
	start = ps->edge;
	if (start >= file_pages)
		return 0;
	size = min_t(u32, size, file_pages - start);
	ps->edge += size;
	out[0].start = start;
	out[0].pages = size;
	if (cur->kind != MLRA_ACCESS_FAULT || size < MLRA_PF_SENTINEL_MIN) {
		ps->asked += size;
		return 1;
	}
	/* The page halfway is left out: the reader's fault there shows. */
	out[0].pages = size / 2;
	out[1].start = start + size / 2 + 1;
	out[1].pages = size - size / 2 - 1;
	ps->asked += size - 1;
	return 2;
}

/* Strides a stride stream asks ahead, at most. */
#define MLRA_PF_MAX_STRIDES	64

/*
 * A step shorter than this many accesses is a stride only where the
 * kernel reads each access alone: the two accesses before the last found
 * their page missing. Where its window reads through the gaps instead
 * (the reader lands on the window's edge: on 6.1, 4 KiB reads with gaps
 * of one and of three accesses, the window starting at 4 pages), asking
 * for each access alone would take a request for each, where the
 * kernel's window takes one for several strides; where its requests are
 * one a stride anyway, prefetch costs no request and overlaps them with
 * the reader.
 */
#define MLRA_PF_MIN_STEP	8

/*
 * Over gaps: once three accesses are a step apart, the step at most 2^20
 * pages and at least MLRA_PF_MIN_STEP accesses (or 2 where the two before
 * the last missed, see above), the accesses MLRA_PF_STRIDES steps ahead
 * are asked for, each as long as the last access; while the reader's
 * accesses find their pages, twice as many steps, up to @max pages and
 * MLRA_PF_MAX_STRIDES steps ahead. The step may be negative.
 *
 * Where the gap between strides is @gap pages or fewer, the strides are
 * read through, gaps and all, as one range: the gap costs less than the
 * request it saves (see MLRA_PF_GAP_KB). Then @max bounds the strides
 * asked ahead with their gaps, so the range too (but for the last
 * stride's own pages), and once the area stops growing (at its most, or
 * after a miss), the next range waits until the reader has passed half of
 * the strides asked for. Only the strides' own pages count as asked for:
 * the gaps are the price of fewer requests, not a guess at what the
 * reader wants.
 */
static int plan_stride(struct mlra_prefetch_state *ps,
		       const struct mlra_history *h,
		       const struct mlra_access *cur, u64 file_pages, u32 max,
		       u32 gap, struct mlra_prefetch_range *out,
		       struct mlra_prefetch_acct *acct)
{
	const struct mlra_access *prev, *prev2;
	u32 n = cur->pages, most, len, per;
	s32 step, span, ahead, dist;
	bool through;
	s64 pos;
	int k = 0;

	if (h->count < 3)
		goto none;
	prev = mlra_history_recent(h, 2);
	prev2 = mlra_history_recent(h, 3);
	step = (s32)(cur->index - prev->index);
	span = step < 0 ? -step : step;
	if (step != (s32)(prev->index - prev2->index) ||
	    span < 2 * (s32)n || span > (1 << 20))
		goto none;
	if (span < MLRA_PF_MIN_STEP * (s32)n && !(prev->miss && prev2->miss) &&
	    !(ps->kind == MLRA_PF_STRIDE && ps->step == step))
		goto none;
	dist = (s32)(ps->edge - cur->index);
	if (!max) {
		/* Quiet: the area goes on while the steps do. */
		if (ps->kind == MLRA_PF_STRIDE && ps->step == step &&
		    !(dist % step) && dist / step >= 0) {
			ps->last = cur->index;
			return 0;
		}
		goto none;
	}
	through = (u32)span - n <= gap;
	per = through ? (u32)span : n;
	most = min_t(u32, max / per ? max / per : 1, MLRA_PF_MAX_STRIDES);
	if (ps->kind == MLRA_PF_STRIDE && ps->step == step &&
	    ps->pages == n && !(dist % step) && dist / step >= 1 &&
	    dist / step <= (s32)ps->size + 1) {
		ps->size = min_t(u32, cur->miss ? ps->size : 2 * (u32)ps->size,
				 most);
	} else {
		mlra_prefetch_close(ps, acct);
		if (ps->hold)
			return 0;
		ps->kind = MLRA_PF_STRIDE;
		ps->step = step;
		ps->pages = n;
		ps->size = min_t(u32, MLRA_PF_STRIDES, most);
		ps->edge = cur->index + (u32)step;
		dist = step;
	}
	ps->last = cur->index;
	/* Through the gaps: not while over half the strides asked are ahead. */
	if (through && 2 * (dist / step - 1) > (s32)ps->size)
		return 0;
	for (ahead = dist / step; ahead <= ps->size; ahead++) {
		if (!through && k == MLRA_PF_MAX_RANGES)
			break;
		pos = (s64)cur->index + (s64)ahead * step;
		if (pos < 0 || pos >= (s64)file_pages)
			break;
		len = (u64)pos + n > file_pages ? (u32)(file_pages - pos) : n;
		ps->asked += len;
		ps->edge = (u32)(pos + step);
		if (through && k) {
			/* One range, from the first stride to this one. */
			if (step > 0) {
				out[0].pages = (u32)pos + len - out[0].start;
			} else {
				out[0].pages += out[0].start - (u32)pos;
				out[0].start = (u32)pos;
			}
			continue;
		}
		out[k].start = (u32)pos;
		out[k].pages = len;
		k++;
	}
	return k;
none:
	mlra_prefetch_close(ps, acct);
	return 0;
}

/**
 * mlra_prefetch_gap() - the longest gap stride prefetch reads through
 * @rotates: the file's block device says it rotates
 * @thrashing: the page cache is thrashing: the gaps' pages take memory
 * @overridden: the guard overrides the stream's window, whose cost may
 *	have been the gaps' pages
 *
 * Return: the @gap_pages of mlra_prefetch_plan(): MLRA_PF_GAP_PAGES on
 * a disk that rotates, unless either of the others holds; else 0.
 */
u32 mlra_prefetch_gap(bool rotates, bool thrashing, bool overridden)
{
	return rotates && !thrashing && !overridden ? MLRA_PF_GAP_PAGES : 0;
}

/**
 * mlra_prefetch_plan() - what to read for a stream after its last access
 * @ps: the stream's prefetch memory
 * @kind: the prefetch in force (mlra_policy_prefetch()); with
 *	MLRA_PF_NONE nothing is asked, but an area follows the reader until
 *	it leaves
 * @h: the stream's history, the access just made last
 * @file_pages: pages in the file: nothing at or past its end is asked for
 * @max_pages: the most pages one request asks for, or a stride stream
 *	asks ahead (prefetch_max_kb; forwards, at most the file's window)
 * @gap_pages: strides whose gap (the step less the access) is this many
 *	pages or fewer are read through (mlra_prefetch_gap(); 0: each
 *	stride alone)
 * @out: at least MLRA_PF_MAX_RANGES ranges
 * @acct: pages of an area that ended here are added to it
 *
 * Pure arithmetic on the history: the caller queues the ranges.
 *
 * Return: how many ranges of @out to read.
 */
int mlra_prefetch_plan(struct mlra_prefetch_state *ps, u8 kind,
		       const struct mlra_history *h, u64 file_pages,
		       u32 max_pages, u32 gap_pages,
		       struct mlra_prefetch_range *out,
		       struct mlra_prefetch_acct *acct)
{
	const struct mlra_access *cur;

	max_pages = min_t(u32, max_pages, 0xffff);
	if (!h->count)
		return 0;
	if (ps->hold)
		ps->hold--;
	if (kind == MLRA_PF_NONE || !max_pages) {
		kind = ps->kind;
		max_pages = 0;
	} else if (ps->hold) {
		return 0;
	}
	if (kind == MLRA_PF_NONE)
		return 0;
	cur = mlra_history_recent(h, 1);
	if (kind == MLRA_PF_REVERSE)
		return plan_reverse(ps, cur, max_pages, out, acct);
	if (kind == MLRA_PF_FORWARD)
		return plan_forward(ps, h, cur, file_pages, max_pages, out,
				    acct);
	return plan_stride(ps, h, cur, file_pages, max_pages, gap_pages, out,
			   acct);
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/policy-kunit.h"
#endif
