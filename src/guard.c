// SPDX-License-Identifier: GPL-2.0
/*
 * The guard (include/mlra/guard.h): a changed window stays only while
 * the stream costs the disk no more per page it uses than with the
 * kernel's. Pure C.
 */

#include <mlra/guard.h>

/* Start counting anew: a base period, or a trial, begins. */
static void guard_restart(struct mlra_guard_state *g)
{
	g->read = 0;
	g->used = 0;
	g->accesses = 0;
	g->requests = 0;
}

static u32 add_sat(u32 a, u32 b)
{
	return a > ~b ? ~0U : a + b;
}

/* Halve the counts, keeping their ratios. */
static void guard_age(struct mlra_guard_state *g)
{
	g->accesses /= 2;
	g->requests /= 2;
	g->read /= 2;
	g->used /= 2;
}

/**
 * mlra_guard_reset() - a new stream: nothing on trial, nothing held
 * @g: the stream's guard memory
 */
void mlra_guard_reset(struct mlra_guard_state *g)
{
	guard_restart(g);
	g->base = 0;
	g->hold = 0;
	g->decisions = 0;
	g->backoff = 0;
}

/**
 * mlra_guard_access() - the stream made one more access
 * @g: the stream's guard memory
 * @pages: the pages it asked for
 */
void mlra_guard_access(struct mlra_guard_state *g, u32 pages)
{
	if (g->accesses >= (g->decisions ? MLRA_GUARD_MAX_COUNT :
				       MLRA_GUARD_BASE_ACCESSES))
		guard_age(g);
	g->accesses++;
	g->used = add_sat(g->used, pages);
}

/* The change on trial costs more than 1/MLRA_GUARD_SLACK over the base. */
static bool guard_over(const struct mlra_guard_state *g, u32 in_force,
		       bool nonrot)
{
	u64 cost = mlra_guard_cost(g, in_force, nonrot);

	return cost * MLRA_GUARD_SLACK > (u64)g->base * (MLRA_GUARD_SLACK + 1);
}

/* It costs at least 1/MLRA_GUARD_SLACK less than the base, measured. */
static bool guard_pays(const struct mlra_guard_state *g, u32 in_force,
		       bool nonrot)
{
	u64 cost = mlra_guard_cost(g, in_force, nonrot);

	return g->requests &&
	       cost * MLRA_GUARD_SLACK <= (u64)g->base * (MLRA_GUARD_SLACK - 1);
}

/**
 * mlra_guard_credit() - pages the stream's last access used, beyond
 *	those counted for it
 * @g: the stream's guard memory
 * @pages: the pages
 */
void mlra_guard_credit(struct mlra_guard_state *g, u32 pages)
{
	g->used = add_sat(g->used, pages);
}

/**
 * mlra_guard_fault_pages() - the pages a fault counts as asked for
 * @prev: the page of the stream's fault before it
 * @index: the page of this one
 * @window: the window in force, in pages
 *
 * A reader through a mapping faults only where no page is mapped yet:
 * fault-around maps cached pages without one, so a sequential reader
 * faults at readahead's marker and where a page is missing, a window or
 * so apart. A fault at readahead's marker at most two windows after the
 * one before has used the pages in between; any other, what fault-around
 * maps.
 *
 * Return: the pages, at least MLRA_GUARD_FAULT_PAGES.
 */
u32 mlra_guard_fault_pages(u32 prev, u32 index, u32 window)
{
	u32 step = index - prev;

	if (index > prev && step > MLRA_GUARD_FAULT_PAGES &&
	    step <= 2 * (u64)window)
		return step;
	return MLRA_GUARD_FAULT_PAGES;
}

/**
 * mlra_guard_request() - the kernel submits a read for the stream
 * @g: the stream's guard memory
 * @pages: the most pages it reads
 * @in_force: the window mlra has set, if a change is on trial
 * @nonrot: the disk says it does not rotate
 *
 * Return: true if the change on trial must be undone at once
 * (mlra_guard_undo()): it costs more than the base, and has read more
 * than the pages asked for and MLRA_GUARD_AHEAD_WINDOWS windows. A
 * window that reads megabytes around every random fault is not left to
 * do it for the whole trial.
 */
bool mlra_guard_request(struct mlra_guard_state *g, u32 pages, u32 in_force,
			bool nonrot)
{
	if (g->requests >= MLRA_GUARD_MAX_COUNT)
		guard_age(g);
	g->requests++;
	g->read = add_sat(g->read, pages);
	return g->decisions &&
	       g->read > g->used + (u64)in_force * MLRA_GUARD_AHEAD_WINDOWS &&
	       guard_over(g, in_force, nonrot);
}

/* A request's cost beyond its pages. */
static u32 guard_seek(bool nonrot)
{
	return nonrot ? MLRA_GUARD_SEEK_PAGES : MLRA_GUARD_SEEK_PAGES_ROT;
}

/**
 * mlra_guard_cost() - what the stream's accesses cost the disk
 * @g: the stream's guard memory
 * @window: the window in force while they were counted, in pages
 * @nonrot: the disk says it does not rotate
 *
 * Per page used, whatever the size of the accesses, so that a period
 * whose accesses were larger or fewer (a mapping's faults: one a window)
 * compares with another.
 *
 * Return: pages of cost per page asked for (Q8: 256 is one) since
 * counting began: a seek's worth for each request, and the pages read
 * beyond those asked for and MLRA_GUARD_AHEAD_WINDOWS of @window; 0
 * without a request, ~0 with requests but no page asked for.
 */
u32 mlra_guard_cost(const struct mlra_guard_state *g, u32 window,
		    bool nonrot)
{
	u64 seek = guard_seek(nonrot);
	u64 unasked = (u64)g->used + (u64)window * MLRA_GUARD_AHEAD_WINDOWS;
	u64 cost;

	unasked = g->read > unasked ? g->read - unasked : 0;
	cost = (u64)g->requests * seek + unasked;
	if (!cost)
		return 0;
	if (!g->used)
		return ~0U;
	cost = cost * 256 / g->used;
	return cost > ~0U ? ~0U : (u32)cost;
}

/**
 * mlra_guard_undo() - the change on trial is undone
 * @g: the stream's guard memory
 *
 * The kernel's window is back; another change is held off for
 * MLRA_GUARD_DECISIONS decisions, twice as many each time in a row.
 */
void mlra_guard_undo(struct mlra_guard_state *g)
{
	g->hold = MLRA_GUARD_DECISIONS << g->backoff;
	if (g->backoff < MLRA_GUARD_MAX_BACKOFF)
		g->backoff++;
	g->decisions = 0;
	guard_restart(g);
}

/**
 * mlra_guard_decide() - what the guard lets one decision do
 * @g: the stream's guard memory
 * @own: the file's own window, in pages
 * @in_force: the window mlra has set, or @own
 * @wanted: the window the policy asks for
 * @nonrot: the disk says it does not rotate
 * @thrashing: the page cache is thrashing (mlra_thrashing())
 * @v: the window the file gets, and why it is not @wanted
 *
 * A change is judged at the MLRA_GUARD_DECISIONS-th decision after it
 * took effect (so within as many decision intervals of accesses), and
 * again every MLRA_GUARD_DECISIONS decisions while it stays: undone if it
 * costs more than the base (MLRA_GUARD_SLACK), @v->paid if measurably
 * less (which resets the back-off), neither otherwise. The base is at
 * least what the kernel's window would cost if the stream's pages were
 * not cached (a request a window): a base period that saw no request (a
 * cached file, or readahead the guard does not see) does not make every
 * request of the trial one too many. Counts restart with every trial and
 * every base period; a hold runs down by one each decision.
 */
void mlra_guard_decide(struct mlra_guard_state *g, u32 own, u32 in_force,
		       u32 wanted, bool nonrot, bool thrashing,
		       struct mlra_guard_verdict *v)
{
	bool held = g->hold;
	u32 floor;

	v->window = wanted;
	v->reason = MLRA_GUARD_NONE;
	v->paid = false;
	if (held)
		g->hold--;
	if (thrashing && wanted > own) {
		v->window = own;
		v->reason = MLRA_GUARD_THRASH;
	}
	if (in_force != own && g->decisions) {
		if (v->window == own) {
			/* Back to the kernel's window: a base period. */
			g->decisions = 0;
			guard_restart(g);
			return;
		}
		if (v->window != in_force) {
			/* Another window: its own trial, on the same base. */
			g->decisions = 1;
			guard_restart(g);
			return;
		}
		if (++g->decisions <= MLRA_GUARD_DECISIONS)
			return;
		if (guard_over(g, in_force, nonrot)) {
			mlra_guard_undo(g);
			v->window = own;
			v->reason = MLRA_GUARD_COST;
			return;
		}
		if (guard_pays(g, in_force, nonrot)) {
			v->paid = true;
			g->backoff = 0;
		}
		/* Judged again over the next decisions. */
		g->decisions = 1;
		guard_restart(g);
		return;
	}
	if (v->window == own)
		return;
	if (held) {
		v->window = own;
		v->reason = MLRA_GUARD_HELD;
		return;
	}
	/* A change begins its trial against the cost so far. */
	floor = guard_seek(nonrot) * 256 / (own ? own : 1);
	g->base = mlra_guard_cost(g, own, nonrot);
	if (g->base < floor)
		g->base = floor;
	g->decisions = 1;
	guard_restart(g);
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/guard-kunit.h"
#endif
