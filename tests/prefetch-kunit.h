/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the prefetch queue, included at the end of
 * src/prefetch.c: the global cap, a full ring, requests for no live stream
 * skipped. Requests are queued with preemption off: UML has one CPU, so
 * no work item runs in between. What a stream's requests read is tested
 * with the stream table (tests/stream-kunit.h).
 */

#include <kunit/test.h>

static u64 pf_stat(enum mlra_stat_item item, u64 *before)
{
	u64 now = mlra_stat_sum(item), d = now - *before;

	*before = now;
	return d;
}

/* No stream has this number: what is queued for it is never read. */
#define NO_STREAM_SLOT	0
#define NO_STREAM_ID	U64_MAX

static void mlra_prefetch_queue_limits(struct kunit *test)
{
	struct mlra_knobs saved = mlra_knobs;
	u64 full = 0, budget = 0, skipped = 0;
	int i;

	KUNIT_ASSERT_EQ(test, mlra_prefetch_init(), 0);
	pf_stat(MLRA_STAT_PF_FULL, &full);
	pf_stat(MLRA_STAT_PF_OVER_BUDGET, &budget);
	pf_stat(MLRA_STAT_PF_SKIPPED, &skipped);

	/* A full ring drops the request; not steering: all skipped. */
	mlra_knobs.prefetch_inflight_kb = 1024;
	mlra_knobs.mode = MLRA_MODE_OBSERVE;
	preempt_disable();
	for (i = 0; i <= MLRA_PF_RING; i++)
		mlra_prefetch_queue(NO_STREAM_SLOT, NO_STREAM_ID, i, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), MLRA_PF_RING);
	preempt_enable();
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_FULL, &full), 1);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_SKIPPED, &skipped),
			MLRA_PF_RING);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), 0);

	/* The cap: 16 KiB is 4 pages; 3 fit, 2 more do not. Steering, but
	 * for no live stream: skipped.
	 */
	mlra_knobs.enabled = true;
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.prefetch_inflight_kb = 16;
	preempt_disable();
	mlra_prefetch_queue(NO_STREAM_SLOT, NO_STREAM_ID, 0, 3);
	mlra_prefetch_queue(NO_STREAM_SLOT, NO_STREAM_ID, 3, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&mlra_pf_pages), 3);
	preempt_enable();
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_OVER_BUDGET, &budget), 1);
	KUNIT_EXPECT_EQ(test, pf_stat(MLRA_STAT_PF_SKIPPED, &skipped), 1);

	mlra_knobs = saved;
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
