/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the prefetch queue, included at the end of
 * src/prefetch.c: the global cap, a full ring, what the work items issue
 * or skip, and every file reference given back. Requests are queued with
 * preemption off: UML has one CPU, so no work item runs in between.
 */

#include <kunit/test.h>
#include <linux/shmem_fs.h>

static u64 pf_stat(enum mlra_stat_item item, u64 *before)
{
	u64 now = mlra_stat_sum(item), d = now - *before;

	*before = now;
	return d;
}

static void mlra_prefetch_queue_limits(struct kunit *test)
{
	struct mlra_knobs saved = mlra_knobs;
	u64 full = 0, budget = 0, skipped = 0, issued = 0, pages = 0;
	struct file *f;
	int i;

	KUNIT_ASSERT_EQ(test, mlra_prefetch_init(), 0);
	f = shmem_file_setup("mlra-test", 1 << 20, 0);	/* 256 pages */
	if (IS_ERR(f)) {
		mlra_prefetch_exit();
		kunit_skip(test, "no shmem file");
	}
	pf_stat(MLRA_STAT_PF_FULL, &full);
	pf_stat(MLRA_STAT_PF_OVER_BUDGET, &budget);
	pf_stat(MLRA_STAT_PF_SKIPPED, &skipped);
	pf_stat(MLRA_STAT_PF_REQUESTS, &issued);
	pf_stat(MLRA_STAT_PF_PAGES, &pages);

	/* A full ring drops the request; mode not on: all skipped. */
	mlra_knobs.prefetch_inflight_kb = 1024;
	mlra_knobs.mode = MLRA_MODE_OBSERVE;
	preempt_disable();
	for (i = 0; i <= MLRA_PF_RING; i++)
		mlra_prefetch_queue(f, i, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), MLRA_PF_RING);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, file_count(f), MLRA_PF_RING + 1);
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_FULL, &full), 1);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_SKIPPED, &skipped),
			MLRA_PF_RING);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), 0);
	KUNIT_EXPECT_EQ(test, file_count(f), 1);

	/* The cap: 16 KiB is 4 pages; 3 fit, 2 more do not. */
	mlra_knobs.prefetch_inflight_kb = 16;
	preempt_disable();
	mlra_prefetch_queue(f, 0, 3);
	mlra_prefetch_queue(f, 3, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), 3);
	preempt_enable();
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_OVER_BUDGET, &budget), 1);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_SKIPPED, &skipped), 1);

	/* Mode on: issued, cut at the end of the file, none past it. */
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.prefetch_inflight_kb = 1024;
	mlra_prefetch_queue(f, 250, 10);
	mlra_prefetch_queue(f, 256, 1);
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_REQUESTS, &issued), 1);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_PAGES, &pages), 6);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_SKIPPED, &skipped), 1);
	KUNIT_EXPECT_EQ(test, file_count(f), 1);

	mlra_knobs = saved;
	fput(f);
	mlra_prefetch_exit();
}

/* Under memory pressure the cap shrinks first: 1/8 and 1/32 available. */
static void mlra_prefetch_pressure(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, 1 << 20, 1 << 20), 4096);
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, 1 << 17, 1 << 20), 4096);
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, (1 << 17) - 1, 1 << 20), 1024);
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, 1 << 15, 1 << 20), 1024);
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, (1 << 15) - 1, 1 << 20), 0);
	KUNIT_EXPECT_EQ(test, mlra_pf_cap(4096, 0, 1 << 20), 0);
}

static struct kunit_case mlra_prefetch_cases[] = {
	KUNIT_CASE(mlra_prefetch_queue_limits),
	KUNIT_CASE(mlra_prefetch_pressure),
	{}
};

static struct kunit_suite mlra_prefetch_suite = {
	.name = "mlra_prefetch",
	.test_cases = mlra_prefetch_cases,
};

kunit_test_suite(mlra_prefetch_suite);
