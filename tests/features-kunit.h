/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the features, included at the end of src/features.c.
 * Every expected value was worked out by hand from the definitions in
 * include/mlra/features.h; the comments show the arithmetic.
 */

#include <kunit/test.h>

/* Add @n accesses of @kind, @pages pages each, at @first + i * @step. */
static void add_kind_run(struct mlra_history *h, int n, u32 first, s32 step,
			 u16 pages, u8 kind)
{
	struct mlra_access a = { .pages = pages, .kind = kind };
	int i;

	for (i = 0; i < n; i++) {
		a.index = first + i * step;
		mlra_history_add(h, &a);
	}
}

/* Fill @h with @n reads of @pages pages at @first + i * @step. */
static void add_run(struct mlra_history *h, int n, u32 first, s32 step,
		    u16 pages)
{
	add_kind_run(h, n, first, step, pages, MLRA_ACCESS_READ);
}

static void expect_features(struct kunit *test, const s32 *got,
			    const s32 *want)
{
	int i;

	for (i = 0; i < MLRA_NR_FEATURES; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "feature %s",
				    mlra_feature_names[i]);
}

static void mlra_log2_q4_table(struct kunit *test)
{
	static const struct {
		u64 x;
		s32 want;
	} cases[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 16 }, { 3, 24 }, { 4, 32 },
		{ 9, 50 }, { 33, 80 }, { 482, 142 }, { 1000, 159 },
		{ 1ULL << 63, 1008 }, { ~0ULL, 1023 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, mlra_log2_q4(cases[i].x),
				    cases[i].want, "x = %llu", cases[i].x);
}

static void mlra_features_empty_and_single(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};
	struct mlra_access a = { 10, 8, MLRA_ACCESS_FAULT, 1 };

	mlra_features(&h, 32, 100, true, f);
	want[MLRA_F_WINDOW] = 80;		/* log2(33) = 5 + 0/16 */
	want[MLRA_F_NONROT] = 1024;		/* the device's, even with none */
	expect_features(test, f, want);
	mlra_features(&h, 32, 100, false, f);
	want[MLRA_F_NONROT] = 0;
	expect_features(test, f, want);

	mlra_history_add(&h, &a);
	mlra_features(&h, 32, 100, false, f);
	want[MLRA_F_SIZE] = 48;			/* log2(8) */
	want[MLRA_F_MISS] = 1024;		/* 1 of 1 access */
	want[MLRA_F_FAULT] = 1024;
	want[MLRA_F_POSITION] = 102;		/* 10 * 1024 / 100 */
	expect_features(test, f, want);
}

/* 16 reads of 4 pages, back to back from page 0. */
static void mlra_features_sequential(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};

	add_run(&h, 16, 0, 4, 4);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_SEQ] = 1024;		/* 15 of 15 steps */
	want[MLRA_F_SIZE] = 32;			/* log2(4) */
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 60;		/* last at page 60 of 1024 */
	expect_features(test, f, want);
}

/* 16 reads of 4 pages, each just before the previous: 1000, 996, ... */
static void mlra_features_reverse(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};

	add_run(&h, 16, 1000, -4, 4);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_REVERSE] = 1024;		/* each ends where the last began */
	want[MLRA_F_STRIDE_SHARE] = 1024;	/* every step is -4 */
	want[MLRA_F_STRIDE] = -32;		/* -log2(4) */
	want[MLRA_F_SIZE] = 32;
	want[MLRA_F_JUMP] = 50;			/* gap -8: log2(9) = 3 + 2/16 */
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 940;		/* 1000 - 15 * 4 */
	expect_features(test, f, want);
}

/*
 * Block and trailer, backwards: 16 reads of 2 pages, each a page before
 * the previous, so each ends on the previous one's first page.
 */
static void mlra_features_reverse_overlapping(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};

	add_run(&h, 16, 1000, -1, 2);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_REVERSE] = 1024;		/* the shared page is an edge */
	want[MLRA_F_STRIDE_SHARE] = 1024;	/* every step is -1 */
	want[MLRA_F_STRIDE] = 0;		/* -log2(1) */
	want[MLRA_F_SIZE] = 16;			/* log2(2) */
	want[MLRA_F_JUMP] = 32;			/* gap -3: log2(4) */
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 985;		/* 1000 - 15 */
	expect_features(test, f, want);
}

/*
 * Reads of 4101 bytes, forwards: 16 of 2 pages, each starting on the
 * previous one's last page, are sequential; the same 2 pages read again
 * and again are rereads.
 */
static void mlra_features_sequential_overlapping(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};

	add_run(&h, 16, 0, 1, 2);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_SEQ] = 1024;		/* back to back, as 0 */
	want[MLRA_F_SIZE] = 16;
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 15;
	expect_features(test, f, want);

	memset(&h, 0, sizeof(h));
	memset(want, 0, sizeof(want));
	add_run(&h, 16, 100, 0, 2);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_REREAD] = 1024;		/* gap -2, back -2 */
	want[MLRA_F_SIZE] = 16;
	want[MLRA_F_JUMP] = 24;			/* log2(3) = 1 + 8/16 */
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 100;
	expect_features(test, f, want);
}

/* 16 reads of 1 page, 8 pages apart. */
static void mlra_features_strided(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};

	add_run(&h, 16, 0, 8, 1);
	mlra_features(&h, 32, 1024, false, f);
	want[MLRA_F_FORWARD] = 1024;		/* gap 7 <= 32 */
	want[MLRA_F_STRIDE_SHARE] = 1024;
	want[MLRA_F_STRIDE] = 48;		/* log2(8) */
	want[MLRA_F_JUMP] = 48;			/* log2(7 + 1) */
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 120;
	expect_features(test, f, want);
}

/* Four 1-page faults at 500, 20, 900, 300; three missed the cache. */
static void mlra_features_random(struct kunit *test)
{
	static const u32 where[] = { 500, 20, 900, 300 };
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};
	int i;

	for (i = 0; i < 4; i++) {
		struct mlra_access a = { where[i], 1, MLRA_ACCESS_FAULT, i < 3 };

		mlra_history_add(&h, &a);
	}
	mlra_features(&h, 0, 1000, false, f);
	/* Last step 300 - 900 = -600; of the steps -480, 880, -600 one is
	 * -600: 1024 / 3 = 341. log2(600) = 9 + 2/16 = 146.
	 */
	want[MLRA_F_STRIDE_SHARE] = 341;
	want[MLRA_F_STRIDE] = -146;
	/* Gaps -481, 879, -601: log2 of 482, 880, 602 = 142, 155, 146;
	 * their mean 443 / 3 = 147.
	 */
	want[MLRA_F_JUMP] = 147;
	want[MLRA_F_MISS] = 768;		/* 3 of 4 */
	want[MLRA_F_FAULT] = 1024;
	want[MLRA_F_POSITION] = 307;		/* 300 * 1024 / 1000 */
	expect_features(test, f, want);
}

/*
 * Add @n one-page accesses of @kind at pseudo-random pages below 2^20,
 * every @near-th (if not 0) 8 pages after the one before.
 */
static void add_scattered(struct mlra_history *h, int n, u8 kind, int near)
{
	struct mlra_access a = { .pages = 1, .kind = kind };
	u32 x = 12345;
	int i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		a.index = near && i % near == near - 1 ? a.index + 8 :
			  (x >> 8) & 0xfffff;
		mlra_history_add(h, &a);
	}
}

/*
 * Scattered: sixteen faults anywhere, or the first eight of them; not the
 * first seven (too few), nor with every fourth near the one before (4 of
 * 15 steps: 273 >= 256), nor as reads, nor faults 100 pages apart (a
 * stride), nor those of a mapping read in order (a window apart).
 */
static void mlra_features_scattered_faults(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES];
	int i;

	add_scattered(&h, 16, MLRA_ACCESS_FAULT, 0);
	mlra_features(&h, 32, 1 << 20, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FAULT], 1024);
	KUNIT_EXPECT_LT(test, f[MLRA_F_SEQ] + f[MLRA_F_FORWARD] +
			f[MLRA_F_REVERSE] + f[MLRA_F_STRIDE_SHARE], 256);
	KUNIT_EXPECT_TRUE(test, mlra_features_scattered(&h, f));

	for (i = 7; i <= 8; i++) {
		memset(&h, 0, sizeof(h));
		add_scattered(&h, i, MLRA_ACCESS_FAULT, 0);
		mlra_features(&h, 32, 1 << 20, false, f);
		KUNIT_EXPECT_EQ_MSG(test, mlra_features_scattered(&h, f), i == 8,
				    "%d faults", i);
	}

	memset(&h, 0, sizeof(h));
	add_scattered(&h, 16, MLRA_ACCESS_FAULT, 4);
	mlra_features(&h, 32, 1 << 20, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FORWARD], 273);
	KUNIT_EXPECT_FALSE(test, mlra_features_scattered(&h, f));

	memset(&h, 0, sizeof(h));
	add_scattered(&h, 16, MLRA_ACCESS_READ, 0);
	mlra_features(&h, 32, 1 << 20, false, f);
	KUNIT_EXPECT_FALSE(test, mlra_features_scattered(&h, f));

	memset(&h, 0, sizeof(h));
	add_kind_run(&h, 16, 0, 100, 1, MLRA_ACCESS_FAULT);
	mlra_features(&h, 32, 2048, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FORWARD], 0);	/* gap 99 */
	KUNIT_EXPECT_EQ(test, f[MLRA_F_STRIDE_SHARE], 1024);
	KUNIT_EXPECT_FALSE(test, mlra_features_scattered(&h, f));

	memset(&h, 0, sizeof(h));
	add_kind_run(&h, 16, 0, 32, 1, MLRA_ACCESS_FAULT);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FORWARD], 1024);	/* gap 31 */
	KUNIT_EXPECT_FALSE(test, mlra_features_scattered(&h, f));
}

/*
 * Two sequential readers interleaved: 0, 1000, 4, 1004, 8, 1008. From
 * the third access on, each continues the one two before it, past a
 * detour: sequential.
 */
static void mlra_features_interleaved(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES], want[MLRA_NR_FEATURES] = {};
	int i;

	for (i = 0; i < 3; i++) {
		add_run(&h, 1, 4 * i, 0, 4);
		add_run(&h, 1, 1000 + 4 * i, 0, 4);
	}
	mlra_features(&h, 32, 2048, false, f);
	/* Steps 1000, -996, 1000, -996, 1000: 3 of 5 are the last one. */
	want[MLRA_F_STRIDE_SHARE] = 614;
	want[MLRA_F_STRIDE] = 159;		/* log2(1000) = 9 + 15/16 */
	want[MLRA_F_SEQ] = 819;			/* 4 of 5 */
	want[MLRA_F_SIZE] = 32;
	/* Gaps 996, then 0 four times: log2(997) = 159, over 5. */
	want[MLRA_F_JUMP] = 31;
	want[MLRA_F_WINDOW] = 80;
	want[MLRA_F_POSITION] = 504;		/* 1008 * 1024 / 2048 */
	expect_features(test, f, want);
}

/*
 * Data blocks of 4 pages from page 0, and after every second one a lookup
 * of 1 page in the index at the tail (pages 1000, 1001 ...): d0 d1 t0 d2
 * d3 t1 ... t4 d10. Each block after a lookup continues the block before
 * it: 10 of the 15 steps are sequential (5 without the detour rule). The
 * lookups jump from the block before: t0 from d1's end (8) to 1000, gap
 * 992, log2(993) = 159; t1, 16 to 1001: 985; t2: 978; t3: 971; t4: 964,
 * each 158 (9 + 14/16). Jump: (159 + 4 * 158) / 15 = 52.
 */
static void mlra_features_tail_lookups(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES];
	int i;

	for (i = 0; i < 5; i++) {
		add_run(&h, 2, 8 * i, 4, 4);
		add_run(&h, 1, 1000 + i, 0, 1);
	}
	add_run(&h, 1, 40, 0, 4);
	KUNIT_EXPECT_EQ(test, h.count, MLRA_RING);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_SEQ], 682);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FORWARD], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REVERSE], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REREAD], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_JUMP], 52);

	/* Backwards, blocks of 2 pages from 500 down: r0 r1 t0 r2 ... r10.
	 * Each block after a lookup ends where the block before it began:
	 * 10 of 15 steps reverse, none sequential.
	 */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < 5; i++) {
		add_run(&h, 2, 500 - 4 * i, -2, 2);
		add_run(&h, 1, 1000 + i, 0, 1);
	}
	add_run(&h, 1, 480, 0, 2);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REVERSE], 682);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_SEQ], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REREAD], 0);

	/* Reads of 8 pages every 4 (0, 4, 8 ...) overlap the one before by
	 * 4 pages: rereads, though each starts where the one two before
	 * ended. Overlaps are not detours.
	 */
	memset(&h, 0, sizeof(h));
	add_run(&h, 16, 0, 4, 8);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REREAD], 1024);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_SEQ], 0);
}

/* Four old accesses the ring forgets, 12 sequential, then 4 random. */
static void mlra_features_phases(struct kunit *test)
{
	struct mlra_history h = {};
	s32 f[MLRA_NR_FEATURES];

	add_run(&h, 4, 9000, 4, 4);
	add_run(&h, 12, 0, 4, 4);
	add_run(&h, 1, 700, 0, 4);
	add_run(&h, 1, 100, 0, 4);
	add_run(&h, 1, 900, 0, 4);
	add_run(&h, 1, 300, 0, 4);
	KUNIT_EXPECT_EQ(test, h.count, MLRA_RING);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_SEQ], 750);	/* 11 of 15 steps */
	KUNIT_EXPECT_EQ(test, f[MLRA_F_FORWARD], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REVERSE], 0);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_POSITION], 300);
	/* A re-read: the next access overlaps page 300 (an overlap, not a
	 * jump: not a step from the access two before).
	 */
	add_run(&h, 1, 302, 0, 4);
	mlra_features(&h, 32, 1024, false, f);
	KUNIT_EXPECT_EQ(test, f[MLRA_F_REREAD], 68);	/* 1 of 15 */
	KUNIT_EXPECT_EQ(test, f[MLRA_F_SEQ], 682);	/* 10 of 15 */
}

/* A fault on the page of the previous fault is its retry, not an access. */
static void mlra_history_skips_fault_retries(struct kunit *test)
{
	struct mlra_history h = {};
	struct mlra_access fault = { 7, 1, MLRA_ACCESS_FAULT, 1 };
	struct mlra_access read = { 7, 1, MLRA_ACCESS_READ, 0 };

	KUNIT_EXPECT_TRUE(test, mlra_history_add(&h, &fault));
	KUNIT_EXPECT_FALSE(test, mlra_history_add(&h, &fault));
	KUNIT_EXPECT_EQ(test, h.count, 1);
	/* Reading the same page again is a real access. */
	KUNIT_EXPECT_TRUE(test, mlra_history_add(&h, &read));
	KUNIT_EXPECT_TRUE(test, mlra_history_add(&h, &read));
	fault.index = 8;
	KUNIT_EXPECT_TRUE(test, mlra_history_add(&h, &fault));
	KUNIT_EXPECT_EQ(test, h.count, 4);
}

static struct kunit_case mlra_features_cases[] = {
	KUNIT_CASE(mlra_log2_q4_table),
	KUNIT_CASE(mlra_features_empty_and_single),
	KUNIT_CASE(mlra_features_sequential),
	KUNIT_CASE(mlra_features_reverse),
	KUNIT_CASE(mlra_features_reverse_overlapping),
	KUNIT_CASE(mlra_features_sequential_overlapping),
	KUNIT_CASE(mlra_features_strided),
	KUNIT_CASE(mlra_features_random),
	KUNIT_CASE(mlra_features_scattered_faults),
	KUNIT_CASE(mlra_features_interleaved),
	KUNIT_CASE(mlra_features_phases),
	KUNIT_CASE(mlra_features_tail_lookups),
	KUNIT_CASE(mlra_history_skips_fault_retries),
	{}
};

static struct kunit_suite mlra_features_suite = {
	.name = "mlra_features",
	.test_cases = mlra_features_cases,
};

kunit_test_suite(mlra_features_suite);
