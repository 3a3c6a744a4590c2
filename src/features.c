// SPDX-License-Identifier: GPL-2.0
/*
 * A stream's access history and the features the model reads (units in
 * include/mlra/features.h). Pure C: the module, KUnit and the host tools
 * compute features with this one implementation.
 */

#include <mlra/features.h>

const char * const mlra_feature_names[MLRA_NR_FEATURES] = {
	[MLRA_F_SEQ] = "seq",
	[MLRA_F_FORWARD] = "forward",
	[MLRA_F_REVERSE] = "reverse",
	[MLRA_F_STRIDE_SHARE] = "stride_share",
	[MLRA_F_STRIDE] = "stride",
	[MLRA_F_SIZE] = "size",
	[MLRA_F_JUMP] = "jump",
	[MLRA_F_REREAD] = "reread",
	[MLRA_F_MISS] = "miss",
	[MLRA_F_FAULT] = "fault",
	[MLRA_F_WINDOW] = "window",
	[MLRA_F_POSITION] = "position",
	[MLRA_F_NONROT] = "nonrot",
};

/**
 * mlra_history_last() - the newest access held
 * @h: the history
 *
 * Return: the access, or NULL if none is held.
 */
struct mlra_access *mlra_history_last(struct mlra_history *h)
{
	if (!h->count)
		return NULL;
	return &h->ring[(h->head + MLRA_RING - 1) % MLRA_RING];
}

/**
 * mlra_history_add() - remember an access, forgetting the oldest if full
 * @h: the history
 * @a: the access
 *
 * A fault on the page of the previous fault is that fault retried (the
 * kernel dropped the mmap lock to wait for I/O, VM_FAULT_RETRY), not a
 * new access: it is not remembered. O(1): this runs on every access, in
 * the probe handlers.
 *
 * Return: true if @a was remembered.
 */
bool mlra_history_add(struct mlra_history *h, const struct mlra_access *a)
{
	const struct mlra_access *last = mlra_history_last(h);

	if (last && a->kind == MLRA_ACCESS_FAULT &&
	    last->kind == MLRA_ACCESS_FAULT && last->index == a->index)
		return false;
	h->ring[h->head] = *a;
	h->head = (h->head + 1) % MLRA_RING;
	if (h->count < MLRA_RING)
		h->count++;
	return true;
}

/**
 * mlra_log2_q4() - 16 * log2(@x), truncated, with four fraction bits
 * @x: the value
 *
 * Return: 0 for 0 and 1; 16 for 2; 1023 at most.
 */
s32 mlra_log2_q4(u64 x)
{
	int msb;

	if (!x)
		return 0;
	msb = 63 - __builtin_clzll(x);
	/* The four bits after the leading one are the fraction. */
	if (msb >= 4)
		return msb * 16 + ((x >> (msb - 4)) & 15);
	return msb * 16 + ((x << (4 - msb)) & 15);
}

static u32 magnitude(s32 v)
{
	return v < 0 ? -(s64)v : v;
}

static u32 share(u32 part, u32 whole)
{
	return whole ? part * 1024 / whole : 0;
}

/*
 * Pages from @prev's end to @a's start, negative on an overlap. A read
 * whose bytes are not a page multiple shares its last page with the next
 * read forwards: one page of overlap at that edge, moving forwards, is
 * back to back (0).
 */
static s32 step_gap(const struct mlra_access *prev,
		    const struct mlra_access *a)
{
	s32 gap = (s32)(a->index - (prev->index + prev->pages));

	return gap == -1 && a->index > prev->index ? 0 : gap;
}

/*
 * Pages from @a's end to @prev's start, negative on an overlap; mirrors
 * step_gap(): a read backwards that ends on the first page of the one
 * before, and starts before it, ends where that one began (0).
 */
static s32 step_back(const struct mlra_access *prev,
		     const struct mlra_access *a)
{
	s32 back = (s32)(prev->index - (a->index + a->pages));

	return back == -1 && a->index < prev->index ? 0 : back;
}

/* The i-th access held, oldest first: 0 to h->count - 1. */
static const struct mlra_access *history_nth(const struct mlra_history *h,
					     int i)
{
	return mlra_history_recent(h, h->count - i);
}

/* Back to back, or near forwards or backwards: a step of a run. */
static bool in_run(s32 gap, s32 back)
{
	return (gap >= 0 && gap <= MLRA_NEAR_PAGES) ||
	       (back >= 0 && back <= MLRA_NEAR_PAGES);
}

/*
 * The steps into the i-th access held (i >= 1): from the access before
 * it, or, where that step is a jump (neither a step of a run nor an
 * overlap) and the step from the access before that is a step of a run,
 * from that one. A run with a detour between two of its accesses (a
 * lookup in an index at the file's tail between data blocks) is still
 * the run; the detour itself is a jump.
 */
static void steps_into(const struct mlra_history *h, int i, s32 *gap,
		       s32 *back)
{
	const struct mlra_access *a = history_nth(h, i);
	const struct mlra_access *prev = history_nth(h, i - 1);
	s32 gap2, back2;

	*gap = step_gap(prev, a);
	*back = step_back(prev, a);
	if (i < 2 || in_run(*gap, *back) || (*gap < 0 && *back < 0))
		return;
	prev = history_nth(h, i - 2);
	gap2 = step_gap(prev, a);
	back2 = step_back(prev, a);
	if (in_run(gap2, back2)) {
		*gap = gap2;
		*back = back2;
	}
}

/**
 * mlra_features() - the model's inputs for a stream
 * @h: the stream's history
 * @window_pages: the file's readahead window now (file->f_ra.ra_pages)
 * @file_pages: the file's size in pages
 * @nonrot: the file's block device says it does not rotate
 * @f: MLRA_NR_FEATURES values, in enum mlra_feature order
 *
 * O(MLRA_RING), no allocation: safe in the probe handlers.
 */
void mlra_features(const struct mlra_history *h, u32 window_pages,
		   u64 file_pages, bool nonrot, s32 *f)
{
	u32 seq = 0, forward = 0, reverse = 0, reread = 0, same = 0;
	u32 pages = 0, miss = 0, fault = 0, jump = 0, steps;
	const struct mlra_access *a, *prev, *last;
	s32 last_step = 0;
	int i;

	memset(f, 0, MLRA_NR_FEATURES * sizeof(*f));
	f[MLRA_F_WINDOW] = mlra_log2_q4((u64)window_pages + 1);
	f[MLRA_F_NONROT] = nonrot ? 1024 : 0;
	if (!h->count)
		return;

	last = history_nth(h, h->count - 1);
	if (h->count >= 2) {
		prev = history_nth(h, h->count - 2);
		last_step = (s32)(last->index - prev->index);
		/* Back to back is sequential, not a stride. */
		if (step_gap(prev, last) == 0)
			last_step = 0;
	}
	for (i = 0; i < h->count; i++) {
		s32 gap, back;

		a = history_nth(h, i);
		pages += a->pages;
		miss += a->miss;
		fault += a->kind == MLRA_ACCESS_FAULT;
		if (!i)
			continue;
		prev = history_nth(h, i - 1);
		steps_into(h, i, &gap, &back);
		seq += gap == 0;
		forward += gap > 0 && gap <= MLRA_NEAR_PAGES;
		reverse += back >= 0 && back <= MLRA_NEAR_PAGES;
		reread += gap < 0 && back < 0;
		same += last_step && (s32)(a->index - prev->index) == last_step;
		jump += mlra_log2_q4((u64)magnitude(gap) + 1);
	}

	steps = h->count - 1;
	f[MLRA_F_SEQ] = share(seq, steps);
	f[MLRA_F_FORWARD] = share(forward, steps);
	f[MLRA_F_REVERSE] = share(reverse, steps);
	f[MLRA_F_STRIDE_SHARE] = share(same, steps);
	f[MLRA_F_STRIDE] = last_step < 0 ? -mlra_log2_q4(magnitude(last_step)) :
					   mlra_log2_q4(last_step);
	f[MLRA_F_SIZE] = mlra_log2_q4(pages / h->count);
	f[MLRA_F_JUMP] = steps ? jump / steps : 0;
	f[MLRA_F_REREAD] = share(reread, steps);
	f[MLRA_F_MISS] = share(miss, h->count);
	f[MLRA_F_FAULT] = share(fault, h->count);
	if (file_pages) {
		u64 pos = (u64)last->index * 1024 / file_pages;

		f[MLRA_F_POSITION] = pos > 1024 ? 1024 : pos;
	}
}

/**
 * mlra_features_scattered() - a stream's accesses are faults scattered
 *	over its file
 * @h: its history
 * @f: its features, as mlra_features() computed them from @h
 *
 * At least MLRA_RING / 2 accesses held, three in four of them page
 * faults, and fewer than one step in four goes on from the access before
 * (back to back, near forwards or backwards) or repeats the last stride
 * (which counts itself: of 15 steps, at most two others): the pages read
 * around one fault are not where the next one goes. A mapping read in
 * order faults where its readahead has not gone yet or at its marker,
 * each fault near the one before or a window after it: not scattered.
 * (A fault's miss is not seen: read-around does not go through
 * page_cache_sync_ra().)
 *
 * Return: true if they are.
 */
bool mlra_features_scattered(const struct mlra_history *h, const s32 *f)
{
	return h->count >= MLRA_RING / 2 && f[MLRA_F_FAULT] >= 768 &&
	       f[MLRA_F_SEQ] + f[MLRA_F_FORWARD] + f[MLRA_F_REVERSE] +
	       f[MLRA_F_STRIDE_SHARE] < 256;
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/features-kunit.h"
#endif
