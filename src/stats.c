// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU event counters that debugfs shows, and their names. Apart
 * from debugfs.c so that the parts that count build into KUnit.
 */

#include <linux/percpu.h>

#include "mlra.h"

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
	[MLRA_STAT_WINDOW_RACES] = "window_races",
	[MLRA_STAT_HINTED_SKIPS] = "hinted_skips",
	[MLRA_STAT_GUARD_UNDONE_COST] = "guard_undone_cost",
	[MLRA_STAT_GUARD_UNDONE_THRASH] = "guard_undone_thrash",
	[MLRA_STAT_GUARD_UNDONE_MUTED] = "guard_undone_muted",
	[MLRA_STAT_GUARD_HELD] = "guard_held",
	[MLRA_STAT_GUARD_MUTES] = "guard_classes_muted",
	[MLRA_STAT_THRASH_PERIODS] = "thrash_periods",
	[MLRA_STAT_SPREAD_DECISIONS] = "spread_decisions",
	[MLRA_STAT_RA_REQUESTS] = "readahead_requests",
	[MLRA_STAT_RA_PAGES] = "readahead_pages",
	[MLRA_STAT_CONTENDED] = "contended",
	[MLRA_STAT_RECYCLED] = "recycled",
	[MLRA_STAT_LOG_RECORDS] = "access_log_records",
	[MLRA_STAT_LOG_DROPPED] = "access_log_dropped",
	[MLRA_STAT_PF_REQUESTS] = "prefetch_requests",
	[MLRA_STAT_PF_PAGES] = "prefetch_pages",
	[MLRA_STAT_PF_FULL] = "prefetch_dropped_full",
	[MLRA_STAT_PF_OVER_BUDGET] = "prefetch_dropped_budget",
	[MLRA_STAT_PF_PRESSURE] = "prefetch_dropped_pressure",
	[MLRA_STAT_PF_SKIPPED] = "prefetch_skipped",
	[MLRA_STAT_PF_USED] = "prefetch_used_pages",
	[MLRA_STAT_PF_WASTED] = "prefetch_wasted_pages",
};

/**
 * mlra_percpu_sum() - sum one of mlra_cpu_stats' counters over all CPUs
 * @counter: the counter, e.g. &mlra_cpu_stats.class_decisions[2]
 *
 * Return: the sum; counters only grow, so a racy sum is a lower bound.
 */
u64 mlra_percpu_sum(u64 __percpu *counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(counter, cpu);
	return sum;
}

/**
 * mlra_stat_sum() - sum an event counter over all CPUs
 * @item: the counter
 *
 * Return: the sum.
 */
u64 mlra_stat_sum(enum mlra_stat_item item)
{
	return mlra_percpu_sum(&mlra_cpu_stats.count[item]);
}
