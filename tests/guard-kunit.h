/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit tests for the guard, included at the end of src/guard.c. */

#include <kunit/test.h>

/* The file's own window, and the one a model asks for, in pages. */
#define OWN	32
#define BIG	1024

/**
 * struct guard_load - what a reader does in one decision interval
 * @pages: pages each of its 16 accesses asks for
 * @reqs: requests the kernel submits meanwhile, spread over them
 * @req_pages: pages each request reads
 */
struct guard_load {
	u32 pages;
	u32 reqs;
	u32 req_pages;
};

/* 8-page reads, the kernel's window read once per 4 of them. */
static const struct guard_load seq_own = { 8, 4, OWN };
/* The same reads, a BIG window read ahead at the first of 8 intervals. */
static const struct guard_load seq_big = { 8, 1, BIG };
static const struct guard_load seq_none = { 8, 0, 0 };
/* Page faults at random: each reads the window around it. */
static const struct guard_load rand_own = { 1, 16, OWN };
static const struct guard_load rand_big = { 1, 16, BIG };
/* 8-page reads without a window: 8 requests of a page each. */
static const struct guard_load seq_off = { 8, 128, 1 };

/* Accesses of 8 pages, @pages in all. */
static void guard_feed_pages(struct mlra_guard_state *g, u32 pages)
{
	for (; pages >= 8; pages -= 8)
		mlra_guard_access(g, 8);
}

/* One decision interval of @l, then the decision. */
static void guard_step(struct mlra_guard_state *g, u32 in_force, u32 wanted,
		       const struct guard_load *l,
		       struct mlra_guard_verdict *v)
{
	u32 i, r;

	for (i = 0; i < 16; i++) {
		mlra_guard_access(g, l->pages);
		for (r = i * l->reqs / 16; r < (i + 1) * l->reqs / 16; r++)
			mlra_guard_request(g, l->req_pages, in_force, true);
	}
	mlra_guard_decide(g, OWN, in_force, wanted, true, false, v);
}

static void mlra_guard_cost_counts(struct kunit *test)
{
	struct mlra_guard_state g;

	int i;

	mlra_guard_reset(&g);
	KUNIT_EXPECT_EQ(test, mlra_guard_cost(&g, OWN, true), 0U);
	for (i = 0; i < 4; i++)
		mlra_guard_access(&g, 2);
	mlra_guard_request(&g, 48, 0, true);
	/*
	 * One request of 48 pages for 4 accesses of 2: 48 - 8 asked for -
	 * 2 windows of 8 = 24 pages beyond; per page asked for, Q8:
	 * (32 + 24) * 256 / 8.
	 */
	BUILD_BUG_ON(MLRA_GUARD_AHEAD_WINDOWS != 2);
	KUNIT_EXPECT_EQ(test, mlra_guard_cost(&g, 8, true), 56U * 32);
	KUNIT_EXPECT_EQ(test, mlra_guard_cost(&g, 8, false), 280U * 32);
	/* Nothing beyond those asked for and the windows: requests only. */
	KUNIT_EXPECT_EQ(test, mlra_guard_cost(&g, 20, true), 32U * 32);
	/* Requests and no page asked for: as costly as can be. */
	mlra_guard_reset(&g);
	mlra_guard_request(&g, 1, 0, true);
	KUNIT_EXPECT_EQ(test, mlra_guard_cost(&g, 8, true), ~0U);
	/* Pages saturate rather than wrap; requests age rather than wrap. */
	g.requests = MLRA_GUARD_MAX_COUNT - 1;
	mlra_guard_request(&g, ~0U, 0, true);
	KUNIT_EXPECT_EQ(test, g.read, ~0U);
	mlra_guard_request(&g, 5, 0, true);
	KUNIT_EXPECT_EQ(test, g.requests, MLRA_GUARD_MAX_COUNT / 2 + 1);
	KUNIT_EXPECT_EQ(test, g.read, ~0U / 2 + 5);
	/* A base period's counts age, their ratio kept. */
	mlra_guard_reset(&g);
	for (i = 0; i < MLRA_GUARD_BASE_ACCESSES; i++) {
		mlra_guard_access(&g, 1);
		mlra_guard_request(&g, 2, 0, true);
	}
	mlra_guard_access(&g, 1);
	KUNIT_EXPECT_EQ(test, g.accesses, MLRA_GUARD_BASE_ACCESSES / 2 + 1);
	KUNIT_EXPECT_EQ(test, g.requests, MLRA_GUARD_BASE_ACCESSES / 2);
	KUNIT_EXPECT_EQ(test, g.read, (u32)MLRA_GUARD_BASE_ACCESSES);
}

static void mlra_guard_fault_pages_table(struct kunit *test)
{
	/* After a fault at page 1000, with a window of 32 pages. */
	static const struct {
		u32 index, pages;
	} cases[] = {
		{ 1000, 16 }, { 1001, 16 }, { 1016, 16 }, { 1017, 17 },
		{ 1032, 32 }, { 1064, 64 }, { 1065, 16 }, { 999, 16 },
		{ 0, 16 }, { 0xffffffff, 16 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_guard_fault_pages(1000, cases[i].index, 32),
				    cases[i].pages, "fault at %u", cases[i].index);
	KUNIT_EXPECT_EQ(test, mlra_guard_fault_pages(0, 0x80000000, 0xffffffff),
			0x80000000U);
}

/* Sequential reads: the big window takes fewer requests; it stays. */
static void mlra_guard_paying_change_stays(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	bool paid = false;
	int i;

	mlra_guard_reset(&g);
	g.backoff = 2;
	guard_step(&g, OWN, OWN, &seq_own, &v);
	guard_step(&g, OWN, BIG, &seq_own, &v);
	KUNIT_EXPECT_EQ(test, v.window, BIG);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_NONE);
	/* Judged and kept, trial after trial. */
	for (i = 0; i < 4 * MLRA_GUARD_DECISIONS; i++) {
		guard_step(&g, BIG, BIG, i % 8 ? &seq_none : &seq_big, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.window, BIG, "decision %d", i);
		KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_NONE);
		paid |= v.paid;
	}
	KUNIT_EXPECT_EQ(test, g.backoff, 0);
	KUNIT_EXPECT_GE(test, g.decisions, 1);
	KUNIT_EXPECT_TRUE(test, paid);
}

/*
 * Random faults through a mapping: every fault reads the window around
 * it, and the bigger one saves no request. Undone at the
 * MLRA_GUARD_DECISIONS-th decision after it took effect, not before.
 */
static void mlra_guard_costly_change_undone(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	int i;

	mlra_guard_reset(&g);
	guard_step(&g, OWN, BIG, &rand_own, &v);
	KUNIT_ASSERT_EQ(test, v.window, BIG);
	for (i = 1; i < MLRA_GUARD_DECISIONS; i++) {
		guard_step(&g, BIG, BIG, &rand_big, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.window, BIG, "decision %d", i);
	}
	guard_step(&g, BIG, BIG, &rand_big, &v);
	KUNIT_EXPECT_EQ(test, v.window, OWN);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_COST);
	KUNIT_EXPECT_FALSE(test, v.paid);
	KUNIT_EXPECT_EQ(test, g.hold, MLRA_GUARD_DECISIONS);
	KUNIT_EXPECT_EQ(test, g.decisions, 0);
}

/*
 * Not left to read megabytes around every fault for the whole trial:
 * undone at the request that has read more than the pages asked for and
 * MLRA_GUARD_AHEAD_WINDOWS windows, not before.
 */
static void mlra_guard_early_undo(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	u32 i;

	mlra_guard_reset(&g);
	guard_step(&g, OWN, BIG, &rand_own, &v);
	KUNIT_ASSERT_EQ(test, v.window, BIG);
	for (i = 1; i <= MLRA_GUARD_AHEAD_WINDOWS; i++) {
		mlra_guard_access(&g, 1);
		KUNIT_EXPECT_FALSE_MSG(test,
				       mlra_guard_request(&g, BIG, BIG, true),
				       "request %u", i);
	}
	mlra_guard_access(&g, 1);
	KUNIT_EXPECT_TRUE(test, mlra_guard_request(&g, BIG, BIG, true));
	mlra_guard_undo(&g);
	KUNIT_EXPECT_EQ(test, g.decisions, 0);
	KUNIT_EXPECT_EQ(test, g.hold, MLRA_GUARD_DECISIONS);
	/* Nothing on trial: requests never ask for an undo. */
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_FALSE(test, mlra_guard_request(&g, BIG, OWN, true));
	/*
	 * A sequential reader's windows ahead are not the reason for one:
	 * it reaches each before the kernel reads two more.
	 */
	mlra_guard_reset(&g);
	guard_step(&g, OWN, BIG, &seq_own, &v);
	KUNIT_ASSERT_EQ(test, v.window, BIG);
	for (i = 0; i < 8 * MLRA_GUARD_AHEAD_WINDOWS; i++) {
		if (i >= MLRA_GUARD_AHEAD_WINDOWS)
			guard_feed_pages(&g, BIG);
		KUNIT_EXPECT_FALSE_MSG(test,
				       mlra_guard_request(&g, BIG, BIG, true),
				       "request %u", i);
	}
}

/* Held off MLRA_GUARD_DECISIONS << n decisions after the n-th undo in a row. */
static void mlra_guard_backoff_grows_and_resets(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	int round, i;

	mlra_guard_reset(&g);
	guard_step(&g, OWN, OWN, &rand_own, &v);
	for (round = 0; round < 3; round++) {
		guard_step(&g, OWN, BIG, &rand_own, &v);
		KUNIT_ASSERT_EQ(test, v.window, BIG);
		for (i = 0; i < MLRA_GUARD_DECISIONS; i++)
			guard_step(&g, BIG, BIG, &rand_big, &v);
		KUNIT_ASSERT_EQ(test, v.reason, MLRA_GUARD_COST);
		for (i = 0; i < MLRA_GUARD_DECISIONS << round; i++) {
			guard_step(&g, OWN, BIG, &rand_own, &v);
			KUNIT_EXPECT_EQ_MSG(test, v.window, OWN, "round %d, %d",
					    round, i);
			KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_HELD);
		}
		KUNIT_EXPECT_EQ(test, g.backoff, round + 1);
	}
	/* The next change pays (the reader turned sequential): back-off
	 * starts over.
	 */
	guard_step(&g, OWN, BIG, &rand_own, &v);
	KUNIT_ASSERT_EQ(test, v.window, BIG);
	for (i = 0; i < MLRA_GUARD_DECISIONS; i++)
		guard_step(&g, BIG, BIG, i ? &seq_none : &seq_big, &v);
	KUNIT_EXPECT_EQ(test, v.window, BIG);
	KUNIT_EXPECT_EQ(test, g.backoff, 0);
}

/* A smaller window that makes a sequential reader miss every page. */
static void mlra_guard_costly_shrink_undone(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	int i;

	mlra_guard_reset(&g);
	guard_step(&g, OWN, 0, &seq_own, &v);
	KUNIT_ASSERT_EQ(test, v.window, 0U);
	for (i = 0; i < MLRA_GUARD_DECISIONS; i++)
		guard_step(&g, 0, 0, &seq_off, &v);
	KUNIT_EXPECT_EQ(test, v.window, OWN);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_COST);
}

static void mlra_guard_thrashing(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;

	mlra_guard_reset(&g);
	/* No window beyond the kernel's: none set, one in force shrunk. */
	mlra_guard_decide(&g, OWN, OWN, BIG, true, true, &v);
	KUNIT_EXPECT_EQ(test, v.window, OWN);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_THRASH);
	mlra_guard_decide(&g, OWN, OWN, BIG, true, false, &v);
	KUNIT_ASSERT_EQ(test, v.window, BIG);
	mlra_guard_decide(&g, OWN, BIG, BIG, true, true, &v);
	KUNIT_EXPECT_EQ(test, v.window, OWN);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_THRASH);
	KUNIT_EXPECT_EQ(test, g.decisions, 0);
	/* A smaller one is still allowed. */
	mlra_guard_decide(&g, OWN, OWN, 8, true, true, &v);
	KUNIT_EXPECT_EQ(test, v.window, 8U);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_NONE);
}

/*
 * The policy going back to the kernel's window ends the trial; another
 * window starts its own, against the same base.
 */
static void mlra_guard_back_to_own(struct kunit *test)
{
	struct mlra_guard_state g;
	struct mlra_guard_verdict v;
	u32 base;

	mlra_guard_reset(&g);
	guard_step(&g, OWN, BIG, &rand_own, &v);
	base = g.base;
	guard_step(&g, BIG, 2 * BIG, &rand_big, &v);
	KUNIT_EXPECT_EQ(test, v.window, 2 * BIG);
	KUNIT_EXPECT_EQ(test, g.decisions, 1);
	KUNIT_EXPECT_EQ(test, g.accesses, 0);
	KUNIT_EXPECT_EQ(test, g.base, base);
	guard_step(&g, 2 * BIG, OWN, &rand_big, &v);
	KUNIT_EXPECT_EQ(test, v.window, OWN);
	KUNIT_EXPECT_EQ(test, v.reason, MLRA_GUARD_NONE);
	KUNIT_EXPECT_EQ(test, g.decisions, 0);
	KUNIT_EXPECT_EQ(test, g.backoff, 0);
}

static struct kunit_case mlra_guard_cases[] = {
	KUNIT_CASE(mlra_guard_cost_counts),
	KUNIT_CASE(mlra_guard_fault_pages_table),
	KUNIT_CASE(mlra_guard_paying_change_stays),
	KUNIT_CASE(mlra_guard_costly_change_undone),
	KUNIT_CASE(mlra_guard_early_undo),
	KUNIT_CASE(mlra_guard_backoff_grows_and_resets),
	KUNIT_CASE(mlra_guard_costly_shrink_undone),
	KUNIT_CASE(mlra_guard_thrashing),
	KUNIT_CASE(mlra_guard_back_to_own),
	{}
};

static struct kunit_suite mlra_guard_suite = {
	.name = "mlra_guard",
	.test_cases = mlra_guard_cases,
};

kunit_test_suite(mlra_guard_suite);
