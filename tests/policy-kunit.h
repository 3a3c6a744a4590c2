/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit tests for the policy, included at the end of src/policy.c. */

#include <kunit/test.h>

static void mlra_action_parse_table(struct kunit *test)
{
	static const struct {
		const char *name;
		bool keep;
		u32 kb;
		u8 prefetch;
	} cases[] = {
		{ "keep", true, 0 }, { "off", false, 0 },
		{ "ra4", false, 4 }, { "ra128", false, 128 },
		{ "ra2048", false, 2048 },
		{ "ra", true, 0 }, { "ra0", true, 0 }, { "ra2", true, 0 },
		{ "ra-4", true, 0 }, { "ra12x", true, 0 }, { "RA128", true, 0 },
		{ "ra0128", true, 0 }, { "ra99999999999", true, 0 },
		{ "low", true, 0 }, { "", true, 0 },
		{ "rev", false, 0, MLRA_PF_REVERSE },
		{ "stride", false, 0, MLRA_PF_STRIDE },
		{ "reverse", true, 0 }, { "strides", true, 0 }, { "r", true, 0 },
	};
	struct mlra_action a;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mlra_action_parse(cases[i].name, &a);
		KUNIT_EXPECT_EQ_MSG(test, a.keep, cases[i].keep, "\"%s\"",
				    cases[i].name);
		KUNIT_EXPECT_EQ_MSG(test, a.window_kb, cases[i].kb, "\"%s\"",
				    cases[i].name);
		KUNIT_EXPECT_EQ_MSG(test, a.prefetch, cases[i].prefetch,
				    "\"%s\"", cases[i].name);
	}
}

/* Classes: 0 off, 1 ra2048, 2 keep; the file's own window is 32 pages. */
static const struct mlra_action policy_actions[] = {
	{ false, 0 }, { false, 2048 }, { true, 0 },
};

static u32 decide(struct mlra_policy_params *pp, struct mlra_policy_state *st,
		  u8 class, s32 confidence)
{
	struct mlra_prediction p = { .class = class, .confidence = confidence };

	return mlra_policy_decide(pp, policy_actions, &p, 32, st);
}

static void mlra_policy_hysteresis(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 100, 2, false, false, false };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);	/* 1 win */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);	/* 2 wins */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 512);	/* flicker */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);	/* off */
	/* Hysteresis 1 (or 0): every decision takes effect. */
	pp.hysteresis = 0;
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	pp.hysteresis = 1;
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);
}

static void mlra_policy_low_confidence(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 100, 2, false, false, false };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 99), 32);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 99), 32);	/* never */
	decide(&pp, &st, 1, 100);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 100), 512);
	/* Unsure twice: back to the kernel's own window. */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 50), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 50), 32);
	/* A "keep" class is the kernel's window too. */
	decide(&pp, &st, 0, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);
	decide(&pp, &st, 2, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 2, 500), 32);
}

static void mlra_policy_clamps(struct kunit *test)
{
	struct mlra_policy_params pp = { 64, 1024, 0, 1, false, false, false };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 0), 256);	/* 1024 KiB */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 0), 16);	/* 64 KiB */
	/* The kernel's own window is never clamped. */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 2, 0), 32);
}

/*
 * On a disk that does not rotate, no window above MLRA_NONROT_MAX_KB
 * (2048 KiB), unless min_ra_kb or the file's own window is larger; one
 * that rotates keeps max_ra_kb.
 */
static void mlra_policy_nonrot_max(struct kunit *test)
{
	static const struct mlra_action ra4096 = { false, 4096 };
	static const struct mlra_action stride = { false, 0, MLRA_PF_STRIDE };
	struct mlra_policy_params pp = { 0, 4096, 0, 1, false, false, false };

	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 4096, 32, false), 4096);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 4096, 32, true), 2048);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 2048, 32, true), 2048);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 1024, 32, true), 1024);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(3072, 4096, 32, true), 3072);
	/* Own window 8192 KiB: the cap does not shrink it. */
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 16384, 2048, true), 8192);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(0, 4096, 2048, true), 4096);
	/* Knobs caught mid-change (min above max): between the two. */
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(8192, 4096, 32, true), 4096);
	KUNIT_EXPECT_EQ(test, mlra_policy_max_kb(64, 1048576, 32, false),
			1048576);
	/* Through the policy, ra4096 and stride's largest are 2048 KiB. */
	pp.max_ra_kb = mlra_policy_max_kb(pp.min_ra_kb, pp.max_ra_kb, 32, true);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &ra4096, 32), 512);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &stride, 32), 512);
}

/*
 * Through a mapping, no window below MLRA_MAPPED_MIN_KB (64 KiB, 16
 * pages), or the file's own if that is smaller; the clamps still apply.
 */
static void mlra_policy_mapped_minimum(struct kunit *test)
{
	static const struct mlra_action off = { false, 0 }, ra16 = { false, 16 };
	static const struct mlra_action ra2048 = { false, 2048 };
	struct mlra_policy_params pp = { 0, 4096, 0, 1, false, true, false };

	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &off, 32), 16);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &ra16, 32), 16);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &off, 8), 8);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &off, 0), 0);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &ra2048, 32), 512);
	pp.max_ra_kb = 32;
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &off, 32), 8);
	/* read() streams get what they ask for. */
	pp.max_ra_kb = 4096;
	pp.mapped = false;
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &off, 32), 0);
	KUNIT_EXPECT_EQ(test, mlra_action_window(&pp, &ra16, 32), 4);
}

/*
 * For a mapping whose faults are spread over more than memory, "off" is
 * taken below the floor (its window halves: MLRA_MAPPED_MIN_KB), after
 * the same two wins; an enlargement never, however sure; neither for a
 * stream that is not spread, is no mapping, or whose window the kernel
 * ignores.
 */
static void mlra_policy_spread_shrinks(struct kunit *test)
{
	static const struct mlra_prediction unsure_off = {
		.class = 0, .confidence = 10,
	};
	struct mlra_policy_params pp = { 0, 4096, 100, 2, false, true, true };
	struct mlra_policy_state st;
	int i;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 10), 32);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 10), 16);
	/* ra2048, even sure, is a vote for the own window: two of them. */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 16);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);
	/*
	 * Where the kernel ignores the window, the floor holds, and a window
	 * (forward prefetch there) is not taken, however sure.
	 */
	pp.no_window = true;
	decide(&pp, &st, 0, 10);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 10), 32);
	decide(&pp, &st, 1, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);
	KUNIT_EXPECT_EQ(test, st.applied, MLRA_NO_CLASS);
	pp.no_window = false;
	/* Not spread, or not a mapping: the floor holds, and sure wins. */
	pp.spread = false;
	decide(&pp, &st, 0, 10);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 10), 32);
	decide(&pp, &st, 1, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	/* Spread again: that window goes at the first decision. */
	pp.spread = true;
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);
	pp.spread = false;
	decide(&pp, &st, 1, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	pp.spread = true;
	pp.mapped = false;
	decide(&pp, &st, 0, 10);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 10), 32);
	/* A file whose own window is already that small keeps it. */
	pp.mapped = true;
	mlra_policy_reset(&st);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, policy_actions,
							 &unsure_off, 16, &st),
				16);
	KUNIT_EXPECT_EQ(test, st.applied, MLRA_NO_CLASS);
}

static void mlra_policy_no_model(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 0, 1, false, false, false };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 0), 512);
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, policy_actions, NULL,
						 32, &st), 32);
	KUNIT_EXPECT_EQ(test, st.applied, MLRA_NO_CLASS);
}

/*
 * A prefetch class is applied like any other, with the kernel's window
 * ("stride": the largest); where the kernel ignores the window, a window
 * above 0 reads forwards.
 */
static void mlra_policy_prefetch_class(struct kunit *test)
{
	static const struct mlra_action actions[] = {
		{ false, 2048 }, { false, 0, MLRA_PF_REVERSE }, { false, 0 },
		{ true }, { false, 0, MLRA_PF_STRIDE },
	};
	struct mlra_policy_params pp = { 0, 4096, 0, 1, false, false, false };
	struct mlra_prediction p = { .class = 1 };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_NONE);
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st), 32);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_REVERSE);
	pp.no_window = true;
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_REVERSE);
	p.class = 0;
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st), 512);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_FORWARD);
	pp.no_window = false;
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_NONE);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, NULL, &st),
			MLRA_PF_NONE);
	/* Window 0, unless the floor raises it; "keep": nothing forwards. */
	pp.no_window = true;
	p.class = 2;
	mlra_policy_decide(&pp, actions, &p, 32, &st);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_NONE);
	pp.min_ra_kb = 64;
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_FORWARD);
	p.class = 3;
	mlra_policy_decide(&pp, actions, &p, 32, &st);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_NONE);
	/*
	 * "stride": the largest window, clamped, with its prefetch; where
	 * the kernel ignores the window, forwards instead.
	 */
	p.class = 4;
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st),
			1024);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_FORWARD);
	pp.no_window = false;
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_STRIDE);
	pp.max_ra_kb = 256;
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st),
			64);
	pp.min_ra_kb = 0;
	pp.max_ra_kb = 4;
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st),
			1);
	/* Through a mapping, the window is read around every fault. */
	pp.mapped = true;
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, actions, &p, 32, &st),
			32);
	KUNIT_EXPECT_EQ(test, mlra_policy_prefetch(&pp, actions, &st),
			MLRA_PF_STRIDE);
}

/* The gap_pages every plan below passes: 0 but where a test reads through. */
static u32 plan_gap;

/*
 * Add an access of @pages at @index to @h and plan for it: the ranges, as
 * "start+pages " each, in @buf; pages of areas that ended added to @acct.
 */
static const char *plan_access(struct mlra_history *h,
			       struct mlra_prefetch_state *ps, u8 kind,
			       struct mlra_access a, u64 file_pages,
			       struct mlra_prefetch_acct *acct, char *buf,
			       size_t len)
{
	struct mlra_prefetch_range r[MLRA_PF_MAX_RANGES];
	size_t used = 0;
	int n, i;

	mlra_history_add(h, &a);
	n = mlra_prefetch_plan(ps, kind, h, file_pages, 512, plan_gap, r, acct);
	buf[0] = 0;
	for (i = 0; i < n; i++)
		used += scnprintf(buf + used, len - used, "%u+%u ", r[i].start,
				  r[i].pages);
	return buf;
}

static const char *plan(struct mlra_history *h, struct mlra_prefetch_state *ps,
			u8 kind, u32 index, u16 pages, u64 file_pages,
			struct mlra_prefetch_acct *acct, char *buf, size_t len)
{
	struct mlra_access a = { .index = index, .pages = pages };

	return plan_access(h, ps, kind, a, file_pages, acct, buf, len);
}

#define PLAN(kind, index, pages, size) \
	plan(&h, &ps, kind, index, pages, size, &acct, b, sizeof(b))
/*
 * From a fresh stream (@h, @ps and @acct cleared), stride prefetch for
 * three accesses of @pages, @step apart from @first: the third's plan.
 */
static const char *steps(struct mlra_history *h,
			 struct mlra_prefetch_state *ps,
			 struct mlra_prefetch_acct *acct, u32 first, s32 step,
			 u16 pages, u64 file_pages, char *buf, size_t len)
{
	memset(h, 0, sizeof(*h));
	memset(ps, 0, sizeof(*ps));
	memset(acct, 0, sizeof(*acct));
	plan(h, ps, 2, first, pages, file_pages, acct, buf, len);
	plan(h, ps, 2, first + step, pages, file_pages, acct, buf, len);
	return plan(h, ps, 2, first + 2 * step, pages, file_pages, acct, buf,
		    len);
}

#define STEPS(first, step, pages, size) \
	steps(&h, &ps, &acct, first, step, pages, size, b, sizeof(b))
#define FRESH() do { \
	memset(&h, 0, sizeof(h)); \
	memset(&ps, 0, sizeof(ps)); \
	memset(&acct, 0, sizeof(acct)); \
} while (0)

static void mlra_prefetch_reverse(struct kunit *test)
{
	static const char * const ramp[] = {
		"9984+16 ", "9952+32 ", "9888+64 ", "9760+128 ", "9504+256 ",
		"8992+512 ", "8480+512 ",
	};
	struct mlra_prefetch_acct acct;
	struct mlra_prefetch_state ps;
	struct mlra_history h;
	char b[64];
	u32 i;

	FRESH();
	/* 16 pages before the first access, then twice as many on each of
	 * the next ones, up to 512, until two requests are ahead ...
	 */
	for (i = 0; i < ARRAY_SIZE(ramp); i++)
		KUNIT_EXPECT_STREQ(test, PLAN(1, 10000 - i, 1, 1 << 20), ramp[i]);
	/* ... then nothing while the reader is two requests away ... */
	for (i = 9993; i >= 9504; i--)
		KUNIT_EXPECT_STREQ(test, PLAN(1, i, 1, 1 << 20), "");
	/* ... and the next one once it is closer. */
	KUNIT_EXPECT_STREQ(test, PLAN(1, 9503, 1, 1 << 20), "7968+512 ");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	/* One access elsewhere is a detour: the area stays ... */
	KUNIT_EXPECT_STREQ(test, PLAN(1, 3000, 1, 1 << 20), "");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	KUNIT_EXPECT_EQ(test, ps.kind, MLRA_PF_REVERSE);
	/* ... a second in a row leaves it: 2032 pages asked, the reader got
	 * down to 9503, so 1535 wasted. Under 3/4 used: 16 accesses without.
	 */
	KUNIT_EXPECT_STREQ(test, PLAN(1, 2999, 1, 1 << 20), "");
	KUNIT_EXPECT_EQ(test, acct.used, 497);
	KUNIT_EXPECT_EQ(test, acct.wasted, 1535);
	for (i = 2998; i >= 2984; i--)
		KUNIT_EXPECT_STREQ(test, PLAN(1, i, 1, 1 << 20), "");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 2983, 1, 1 << 20), "2967+16 ");
	/* The next wasted area holds it back twice as long. */
	KUNIT_EXPECT_STREQ(test, PLAN(1, 100, 1, 1 << 20), "");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 99, 1, 1 << 20), "");
	KUNIT_EXPECT_EQ(test, ps.hold, 32);

	/* Index lookups at the tail between the reader's blocks: each is a
	 * detour, and the area goes on as if it had not happened.
	 */
	FRESH();
	KUNIT_EXPECT_STREQ(test, PLAN(1, 1000, 1, 4096), "984+16 ");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 4000, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, (int)ps.strayed, 1);
	KUNIT_EXPECT_STREQ(test, PLAN(1, 999, 1, 4096), "952+32 ");
	KUNIT_EXPECT_EQ(test, (int)ps.strayed, 0);
	KUNIT_EXPECT_STREQ(test, PLAN(1, 4001, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 998, 1, 4096), "888+64 ");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	/* Prefetch switched off: the next access outside ends the area at
	 * once (no detour): 112 asked down to 888, the reader got down to
	 * 998, so 110 not reached.
	 */
	KUNIT_EXPECT_STREQ(test, PLAN(0, 4002, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, ps.kind, MLRA_PF_NONE);
	KUNIT_EXPECT_EQ(test, acct.used, 2);
	KUNIT_EXPECT_EQ(test, acct.wasted, 110);

	/* Never below page 0. */
	FRESH();
	KUNIT_EXPECT_STREQ(test, PLAN(1, 10, 1, 4096), "0+10 ");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 5, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 0, 1, 4096), "");
	/* Closed with the reader at page 0: all used. */
	mlra_prefetch_close(&ps, &acct);
	KUNIT_EXPECT_EQ(test, acct.used, 10);
	KUNIT_EXPECT_EQ(test, acct.wasted, 0);

	/* A mapping's reader is seen only below what was read: up to a
	 * request below the edge, the area goes on from there, twice as
	 * long; the pages it skipped are not counted as asked.
	 */
	FRESH();
	KUNIT_EXPECT_STREQ(test, PLAN(1, 1000, 1, 4096), "984+16 ");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 983, 1, 4096), "951+32 ");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 940, 1, 4096), "876+64 ");
	KUNIT_EXPECT_STREQ(test, PLAN(1, 870, 1, 4096), "742+128 ");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	/* Further down, twice, it starts over: 240 asked, 128 not reached. */
	KUNIT_EXPECT_STREQ(test, PLAN(1, 100, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	KUNIT_EXPECT_STREQ(test, PLAN(1, 99, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used, 112);
	KUNIT_EXPECT_EQ(test, acct.wasted, 128);
}

/* A fault on page @i, forward prefetch in force. */
#define FAULT(i) \
	plan_access(&h, &ps, MLRA_PF_FORWARD, (struct mlra_access){ \
		    .index = (i), .pages = 1, .kind = MLRA_ACCESS_FAULT }, \
		    1 << 20, &acct, b, sizeof(b))

static void mlra_prefetch_forward(struct kunit *test)
{
	struct mlra_prefetch_acct acct;
	struct mlra_prefetch_state ps;
	struct mlra_history h;
	char b[64];
	u32 i;

	/* Nothing until an access starts where the one before ended ... */
	FRESH();
	KUNIT_EXPECT_STREQ(test, PLAN(3, 0, 1, 1 << 20), "");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 5, 1, 1 << 20), "");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 6, 1, 1 << 20), "7+16 ");
	/* ... then twice as long on each access, up to 512 ... */
	KUNIT_EXPECT_STREQ(test, PLAN(3, 7, 1, 1 << 20), "23+32 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 8, 1, 1 << 20), "55+64 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 9, 1, 1 << 20), "119+128 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 10, 1, 1 << 20), "247+256 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 11, 1, 1 << 20), "503+512 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 12, 1, 1 << 20), "1015+512 ");
	/* ... nothing while two requests lie ahead ... */
	for (i = 13; i < 503; i++)
		KUNIT_EXPECT_STREQ(test, PLAN(3, i, 1, 1 << 20), "");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 503, 1, 1 << 20), "1527+512 ");
	/* ... a mapping's reader seen only past them has caught up ... */
	KUNIT_EXPECT_STREQ(test, PLAN(3, 2100, 1, 1 << 20), "2101+512 ");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	/* ... a jump back is a detour ... */
	KUNIT_EXPECT_STREQ(test, PLAN(3, 30, 1, 1 << 20), "");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	/* ... and a second leaves the area: 2544 asked, the last 512 not
	 * reached; a new one begins, back to back with the detour.
	 */
	KUNIT_EXPECT_STREQ(test, PLAN(3, 31, 1, 1 << 20), "32+16 ");
	KUNIT_EXPECT_EQ(test, acct.used, 2032);
	KUNIT_EXPECT_EQ(test, acct.wasted, 512);

	/* Faults: the page halfway through a request of 32 pages or more
	 * is left out, and the reader's fault there asks for the next.
	 */
	FRESH();
	KUNIT_EXPECT_STREQ(test, FAULT(0), "");
	KUNIT_EXPECT_STREQ(test, FAULT(1), "2+16 ");
	KUNIT_EXPECT_STREQ(test, FAULT(2), "18+16 35+15 ");
	KUNIT_EXPECT_STREQ(test, FAULT(34), "50+32 83+31 ");
	KUNIT_EXPECT_STREQ(test, FAULT(82), "114+64 179+63 ");
	KUNIT_EXPECT_EQ(test, ps.asked, 16 + 31 + 63 + 127);

	/* Never at or past the end of the file. */
	FRESH();
	PLAN(3, 90, 2, 100);
	KUNIT_EXPECT_STREQ(test, PLAN(3, 92, 2, 100), "94+6 ");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 94, 2, 100), "");
	KUNIT_EXPECT_STREQ(test, PLAN(3, 98, 2, 100), "");
	mlra_prefetch_close(&ps, &acct);
	KUNIT_EXPECT_EQ(test, acct.used, 6);
	KUNIT_EXPECT_EQ(test, acct.wasted, 0);
}

/* A read of page @i that found it missing (@m 1) or not, strides in force. */
#define STRIDE_READ(i, m) \
	plan_access(&h, &ps, MLRA_PF_STRIDE, (struct mlra_access){ \
		    .index = (i), .pages = 1, .miss = (m) }, \
		    4096, &acct, b, sizeof(b))

static void mlra_prefetch_stride(struct kunit *test)
{
	struct mlra_prefetch_acct acct;
	struct mlra_prefetch_state ps;
	struct mlra_history h;
	char b[64];

	/* Three accesses 16 pages apart: the next 4 steps ... */
	FRESH();
	PLAN(2, 0, 1, 4096);
	KUNIT_EXPECT_STREQ(test, PLAN(2, 16, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(2, 32, 1, 4096), "48+1 64+1 80+1 96+1 ");
	/* ... a hit doubles how far ahead, 4 ranges an access at most. */
	KUNIT_EXPECT_STREQ(test, PLAN(2, 48, 1, 4096),
			   "112+1 128+1 144+1 160+1 ");
	/* A changed step leaves the area: 8 asked, 7 ahead of the reader. */
	KUNIT_EXPECT_STREQ(test, PLAN(2, 80, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used, 1);
	KUNIT_EXPECT_EQ(test, acct.wasted, 7);
	KUNIT_EXPECT_EQ(test, ps.hold, 16);

	/* A step of the access (sequential) or under 8 of them (small
	 * gaps, which the kernel's window reads through): not a stride.
	 */
	KUNIT_EXPECT_STREQ(test, STEPS(84, 4, 4, 4096), "");
	KUNIT_EXPECT_STREQ(test, STEPS(0, 28, 4, 4096), "");

	/* Under 8, a stride where the kernel read the two accesses before
	 * the last alone (they missed), and it goes on while they hit ...
	 */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(3, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(6, 1), "9+1 12+1 15+1 18+1 ");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(9, 0), "21+1 24+1 27+1 30+1 ");
	/* ... not while one of the two found its page (read through). */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(3, 0);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(6, 1), "");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(9, 1), "");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(12, 1), "15+1 18+1 21+1 24+1 ");

	/* Four streams of 16 pages at equal distances in one file look
	 * like a stride for three accesses, and the reader leaves after
	 * one: an area that ends before 4 strides did not pay, and holds
	 * prefetch back like a wasted one.
	 */
	KUNIT_EXPECT_STREQ(test, STEPS(0, 1024, 16, 4096), "3072+16 ");
	KUNIT_EXPECT_STREQ(test, PLAN(2, 3072, 16, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(2, 16, 16, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used, 16);
	KUNIT_EXPECT_EQ(test, acct.wasted, 0);
	KUNIT_EXPECT_EQ(test, ps.hold, 16);

	/* Backwards, 8 pages every 64, stopping at page 0. */
	KUNIT_EXPECT_STREQ(test, STEPS(320, -64, 8, 4096), "128+8 64+8 0+8 ");

	/* Never at or past the end of the file; the last range cut. */
	KUNIT_EXPECT_STREQ(test, STEPS(0, 16, 2, 81), "48+2 64+2 80+1 ");

	/* Prefetch no longer in force: nothing asked, but the area follows
	 * the reader, whose pages count as used once it leaves.
	 */
	KUNIT_EXPECT_STREQ(test, STEPS(0, 16, 1, 4096), "48+1 64+1 80+1 96+1 ");
	KUNIT_EXPECT_STREQ(test, PLAN(0, 48, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(0, 64, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(0, 80, 1, 4096), "");
	KUNIT_EXPECT_STREQ(test, PLAN(0, 96, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used + acct.wasted, 0);
	KUNIT_EXPECT_STREQ(test, PLAN(0, 7, 1, 4096), "");
	KUNIT_EXPECT_EQ(test, acct.used, 4);
	KUNIT_EXPECT_EQ(test, acct.wasted, 0);
	KUNIT_EXPECT_EQ(test, ps.hold, 0);
}

/* Strides whose gaps a disk that may rotate reads through. */
static void mlra_prefetch_stride_through(struct kunit *test)
{
	struct mlra_prefetch_acct acct;
	struct mlra_prefetch_state ps;
	struct mlra_history h;
	char b[64];

	plan_gap = MLRA_PF_GAP_PAGES;
	/* Gaps of 7 pages: the 4 strides ahead, as one range ... */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(8, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(16, 1), "24+25 ");
	/* ... a hit doubles how far ahead, still one range ... */
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(24, 0), "56+33 ");
	/* ... and nothing more while over half of them are ahead. */
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(32, 1), "");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(40, 1), "");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(48, 1), "");
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(56, 1), "96+25 ");
	/* Leaving: the strides' own pages count, not the gaps read. */
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(1000, 1), "");
	KUNIT_EXPECT_EQ(test, acct.used, 5);
	KUNIT_EXPECT_EQ(test, acct.wasted, 8);

	/* Backwards, the same. */
	FRESH();
	STRIDE_READ(320, 1);
	STRIDE_READ(312, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(304, 1), "272+25 ");
	/* A gap of 9 pages: each stride alone. */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(10, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(20, 1), "30+1 40+1 50+1 60+1 ");
	/* Never at or past the end of the file. */
	KUNIT_EXPECT_STREQ(test, STEPS(4040, 8, 1, 4073), "4064+9 ");
	/* No gap read through (a disk that does not rotate). */
	plan_gap = 0;
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(8, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(16, 1), "24+1 32+1 40+1 48+1 ");
	/*
	 * Gaps of 8 pages, read through from the middle of an area that
	 * grew to 64 strides each alone (the cache stopped thrashing): even
	 * after a miss, no more strides ahead than 512 pages hold with their
	 * gaps, 56.
	 */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(9, 1);
	STRIDE_READ(18, 1);
	STRIDE_READ(27, 0);
	STRIDE_READ(36, 0);
	STRIDE_READ(45, 0);
	STRIDE_READ(54, 0);
	KUNIT_EXPECT_EQ(test, ps.size, 64);
	plan_gap = MLRA_PF_GAP_PAGES;
	STRIDE_READ(63, 1);
	KUNIT_EXPECT_EQ(test, ps.size, 56);

	/*
	 * Gaps of 7 pages read through, then each stride alone from the
	 * middle of the area (the guard overrode the window): the next
	 * strides after those asked for, one page each.
	 */
	FRESH();
	STRIDE_READ(0, 1);
	STRIDE_READ(8, 1);
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(16, 1), "24+25 ");
	plan_gap = 0;
	KUNIT_EXPECT_STREQ(test, STRIDE_READ(24, 0),
			   "56+1 64+1 72+1 80+1 ");

	/* Through gaps on a disk that rotates, unless thrashing or overridden. */
	KUNIT_EXPECT_EQ(test, mlra_prefetch_gap(true, false, false),
			MLRA_PF_GAP_PAGES);
	KUNIT_EXPECT_EQ(test, mlra_prefetch_gap(false, false, false), 0);
	KUNIT_EXPECT_EQ(test, mlra_prefetch_gap(true, true, false), 0);
	KUNIT_EXPECT_EQ(test, mlra_prefetch_gap(true, false, true), 0);
}

static struct kunit_case mlra_policy_cases[] = {
	KUNIT_CASE(mlra_action_parse_table),
	KUNIT_CASE(mlra_policy_prefetch_class),
	KUNIT_CASE(mlra_prefetch_reverse),
	KUNIT_CASE(mlra_prefetch_forward),
	KUNIT_CASE(mlra_prefetch_stride),
	KUNIT_CASE(mlra_prefetch_stride_through),
	KUNIT_CASE(mlra_policy_hysteresis),
	KUNIT_CASE(mlra_policy_low_confidence),
	KUNIT_CASE(mlra_policy_clamps),
	KUNIT_CASE(mlra_policy_nonrot_max),
	KUNIT_CASE(mlra_policy_mapped_minimum),
	KUNIT_CASE(mlra_policy_spread_shrinks),
	KUNIT_CASE(mlra_policy_no_model),
	{}
};

static int mlra_policy_init(struct kunit *test)
{
	plan_gap = 0;
	return 0;
}

static struct kunit_suite mlra_policy_suite = {
	.name = "mlra_policy",
	.init = mlra_policy_init,
	.test_cases = mlra_policy_cases,
};

kunit_test_suite(mlra_policy_suite);
