/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the decision, included at the end of src/decide.c, with
 * real (shmem) files: the guard's undo at a readahead request, and the
 * mute of a class undone across streams.
 */

#include <kunit/test.h>

#include "fixtures.h"

/*
 * The guard from the probes' side: a window whose readahead reads far
 * more than its stream asks for is undone at the request that shows it;
 * after MLRA_MUTE_UNDOS such undos in a row, across files, the class is
 * muted, and a new file does not get its window.
 */
static void mlra_decide_guard_undoes_and_mutes(struct kunit *test)
{
	struct file *f[MLRA_MUTE_UNDOS + 1];
	u64 undone = mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST);
	u64 mutes = mlra_stat_sum(MLRA_STAT_GUARD_MUTES);
	u32 own;
	int i, j;

	/*
	 * A disk's window of 32 pages, not shmem's 0 (against which a
	 * request a page is the base); set by hand, the window is a hint:
	 * respect_hints 0.
	 */
	for (i = 0; i <= MLRA_MUTE_UNDOS; i++) {
		f[i] = mlra_test_file(test);
		f[i]->f_ra.ra_pages = 32;
	}
	own = 32;
	/* Class 1's undos and mutes of earlier tests do not count here. */
	mlra_test_class_set(1, false);
	mlra_test_steer_on(test);
	mlra_knobs.respect_hints = 0;
	for (i = 0; i < MLRA_MUTE_UNDOS; i++) {
		mlra_test_read(f[i], 0);
		mlra_test_read(f[i], 100);
		KUNIT_ASSERT_EQ(test, f[i]->f_ra.ra_pages, 512);
		KUNIT_EXPECT_FALSE(test, class_muted(1));
		/* Faults far apart, each reading the window around it. */
		for (j = 0; j < 8 && f[i]->f_ra.ra_pages == 512; j++) {
			mlra_stream_access(f[i], 200 + 20 * j, 1,
					   MLRA_ACCESS_FAULT, MLRA_HINT_NONE);
			mlra_stream_read_in(f[i], 512);
		}
		KUNIT_EXPECT_EQ_MSG(test, f[i]->f_ra.ra_pages, own, "file %d", i);
		KUNIT_EXPECT_LE(test, j, MLRA_GUARD_DECISIONS);
	}
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST) - undone,
			(u64)MLRA_MUTE_UNDOS);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_GUARD_MUTES) - mutes, 1ULL);
	KUNIT_EXPECT_TRUE(test, class_muted(1));
	mlra_test_read(f[MLRA_MUTE_UNDOS], 0);
	mlra_test_read(f[MLRA_MUTE_UNDOS], 1);
	mlra_test_read(f[MLRA_MUTE_UNDOS], 2);
	KUNIT_EXPECT_EQ(test, f[MLRA_MUTE_UNDOS]->f_ra.ra_pages, own);
	/* The next mute of the class, if no change of it pays, is longer. */
	KUNIT_EXPECT_EQ(test, mlra_class_mute_shift[1], 1);
	/* The mute ends, so that later tests' files get the window. */
	WRITE_ONCE(mlra_class_muted_until[1], jiffies);
	class_paid(1);
	mlra_test_steer_off();
	for (i = 0; i <= MLRA_MUTE_UNDOS; i++)
		mlra_test_put_file(f[i]);
}

/* 16 faults of @f at pseudo-random pages below @pages. */
static void test_scattered_faults(struct file *f, u32 pages)
{
	u32 x = 1;
	int i;

	for (i = 0; i < 16; i++) {
		x = x * 1103515245 + 12345;
		mlra_stream_access(f, (x >> 4) % pages, 1, MLRA_ACCESS_FAULT,
				   MLRA_HINT_NONE);
	}
}

/*
 * The policy's spread from the probes' side: a model unsure of "off"
 * (below the confidence floor) halves the read-around of mappings whose
 * faults are scattered over files larger than memory together: not of
 * one file that fits alone, but of it too once a larger one is read so;
 * never of one read in order.
 */
static void mlra_decide_spread_shrinks(struct kunit *test)
{
	unsigned long half = totalram_pages() / 2;
	struct file *fits = mlra_test_file_pages(test, half);
	struct file *big = mlra_test_file_pages(test, half + 256);
	struct file *in_order = mlra_test_file_pages(test, half);
	u64 spread = mlra_stat_sum(MLRA_STAT_SPREAD_DECISIONS);
	int i;

	/* A disk's window, not shmem's 0: read-around to halve. */
	fits->f_ra.ra_pages = 32;
	big->f_ra.ra_pages = 32;
	in_order->f_ra.ra_pages = 32;

	mlra_test_class_set(1, false);
	mlra_test_steer_on_action(test, "off");
	mlra_knobs.respect_hints = 0;
	mlra_knobs.min_confidence = 65535;
	test_scattered_faults(fits, half);
	KUNIT_EXPECT_EQ(test, fits->f_ra.ra_pages, 32);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_SPREAD_DECISIONS), spread);
	test_scattered_faults(big, half);
	KUNIT_EXPECT_EQ(test, big->f_ra.ra_pages, 16);
	KUNIT_EXPECT_GT(test, mlra_stat_sum(MLRA_STAT_SPREAD_DECISIONS), spread);
	test_scattered_faults(fits, half);
	KUNIT_EXPECT_EQ(test, fits->f_ra.ra_pages, 16);
	for (i = 0; i < 16; i++)
		mlra_stream_access(in_order, 32 * i, 1, MLRA_ACCESS_FAULT,
				   MLRA_HINT_NONE);
	KUNIT_EXPECT_EQ(test, in_order->f_ra.ra_pages, 32);
	mlra_test_steer_off();
	mlra_test_put_file(fits);
	mlra_test_put_file(big);
	mlra_test_put_file(in_order);
}

static struct kunit_case mlra_decide_cases[] = {
	KUNIT_CASE(mlra_decide_guard_undoes_and_mutes),
	KUNIT_CASE(mlra_decide_spread_shrinks),
	{}
};

static struct kunit_suite mlra_decide_suite = {
	.name = "mlra_decide",
	.suite_init = mlra_test_streams_init,
	.suite_exit = mlra_test_streams_exit,
	.test_cases = mlra_decide_cases,
};

kunit_test_suite(mlra_decide_suite);
