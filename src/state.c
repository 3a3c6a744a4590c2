// SPDX-License-Identifier: GPL-2.0
/*
 * What every part of mlra shares: the knobs' values and the per-CPU event
 * counters. Apart from main.c so that the stream table builds into KUnit.
 */

#include <linux/percpu.h>

#include "mlra.h"

struct mlra_knobs mlra_knobs = {
	.min_ra_kb = 0,
	.max_ra_kb = 4096,
	.decision_interval = 16,
	.min_confidence = 64,
	.respect_hints = 1,
};

DEFINE_PER_CPU(struct mlra_cpu_stats, mlra_cpu_stats);

const char * const mlra_stat_names[MLRA_NR_STATS] = {
	[MLRA_STAT_READ_CALLS] = "read_calls",
	[MLRA_STAT_READ_BYTES] = "read_bytes",
	[MLRA_STAT_FAULTS] = "faults",
	[MLRA_STAT_MISSES] = "sync_readahead",
	[MLRA_STAT_ASYNC_RA] = "async_readahead",
	[MLRA_STAT_DECISIONS] = "decisions",
	[MLRA_STAT_DECISIONS_NO_MODEL] = "decisions_without_model",
	[MLRA_STAT_WINDOWS_SET] = "windows_set",
	[MLRA_STAT_WINDOWS_WOULD_SET] = "windows_would_set",
	[MLRA_STAT_HINTED_SKIPS] = "hinted_skips",
	[MLRA_STAT_CONTENDED] = "contended",
	[MLRA_STAT_RECYCLED] = "recycled",
};

/**
 * mlra_stat_sum() - sum a counter over all CPUs
 * @item: the counter
 *
 * Return: the sum; counters only grow, so a racy sum is a lower bound.
 */
u64 mlra_stat_sum(enum mlra_stat_item item)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mlra_cpu_stats, cpu).count[item];
	return sum;
}

/**
 * mlra_class_sum() - decisions for a class, summed over all CPUs
 * @class: 0 to 15
 *
 * Return: the sum.
 */
u64 mlra_class_sum(int class)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mlra_cpu_stats, cpu).class_decisions[class];
	return sum;
}
