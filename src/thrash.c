// SPDX-License-Identifier: GPL-2.0
/*
 * The thrash guard: while the page cache is thrashing, mlra sets no
 * window larger than the kernel's own (src/guard.c).
 *
 * The signal is the share of pages read from disk that were in the page
 * cache not long ago: the workingset's file refaults
 * (WORKINGSET_REFAULT_FILE, counted by mm/workingset.c) against the
 * pages read in (the PGPGIN event, in 512-byte sectors). Both counters
 * exist on every kernel mlra builds for and are readable from atomic
 * context without a lock. A refault means memory was too small for what
 * was read before it was used again: once one page in MLRA_THRASH_SHARE
 * read in is one, windows that read more can only evict more. Memory
 * available alone does not tell this: a full page cache that is not
 * refaulting is doing its job. The workingset's activations (a refault
 * within the workingset's size) would spare a second pass over data
 * larger than memory, which refaults without thrashing, but the
 * multi-generational LRU (on by default in 6.12) does not count them; so
 * such a pass counts as thrashing here, and the kernel's windows stand
 * for it: what this signal can cost is gain, never safety. It is global:
 * one memory cgroup thrashing stops windows growing for all.
 *
 * Sampled by the decisions themselves and by stride prefetch at each
 * access (mlra_stream_prefetch()), at most once per
 * MLRA_THRASH_PERIOD: no timer runs while nothing reads. The verdict holds
 * for MLRA_THRASH_HOLD after the last sample that found thrashing.
 */

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/mm.h>	/* vmstat.h, after what it needs */

#include "mlra.h"

#ifndef CONFIG_VM_EVENT_COUNTERS
#error "mlra's thrash guard reads the PGPGIN event: CONFIG_VM_EVENT_COUNTERS"
#endif

#define MLRA_THRASH_PERIOD	(HZ / 4)
#define MLRA_THRASH_HOLD	(2 * HZ)
/* Thrashing: refaults are at least 1/MLRA_THRASH_SHARE of pages read in, */
#define MLRA_THRASH_SHARE	8
/* and at least this many pages in a period: a few are not thrashing. */
#define MLRA_THRASH_MIN_PAGES	256

static unsigned long mlra_thrash_next;	/* jiffies of the next sample */
static unsigned long mlra_thrash_until;	/* thrashing until then */
/* The last sample's counters: written only by the cmpxchg's winner. */
static unsigned long mlra_thrash_refaults, mlra_thrash_read_in;

/* Pages read in from block devices since boot, all CPUs. */
static unsigned long pages_read_in(void)
{
	unsigned long sectors = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sectors += per_cpu(vm_event_states, cpu).event[PGPGIN];
	return sectors >> (PAGE_SHIFT - 9);
}

#ifdef CONFIG_MLRA_KUNIT_TEST
/*
 * For tests: thrashing for the next minute, whatever is counted; or not,
 * with the next sample only starting to count anew.
 */
void mlra_test_thrash_set(bool on)
{
	WRITE_ONCE(mlra_thrash_until, on ? jiffies + 60 * HZ : jiffies);
	WRITE_ONCE(mlra_thrash_next, on ? jiffies + 60 * HZ :
		   jiffies - 4 * MLRA_THRASH_PERIOD);
}
#endif

/**
 * mlra_thrashing() - whether the page cache is thrashing
 *
 * Any context. One caller a period samples the counters (the one whose
 * cmpxchg wins); the others read the last verdict.
 *
 * Return: true while it is, and for MLRA_THRASH_HOLD after.
 */
bool mlra_thrashing(void)
{
	unsigned long now = jiffies, next = READ_ONCE(mlra_thrash_next);
	unsigned long refaults, read_in, d_refaults, d_read_in;

	if (time_before(now, next) ||
	    cmpxchg(&mlra_thrash_next, next, now + MLRA_THRASH_PERIOD) != next)
		return time_before(now, READ_ONCE(mlra_thrash_until));
	refaults = global_node_page_state(WORKINGSET_REFAULT_FILE);
	read_in = pages_read_in();
	d_refaults = refaults - READ_ONCE(mlra_thrash_refaults);
	d_read_in = read_in - READ_ONCE(mlra_thrash_read_in);
	WRITE_ONCE(mlra_thrash_refaults, refaults);
	WRITE_ONCE(mlra_thrash_read_in, read_in);
	/*
	 * The first sample, or one after a quiet of several periods, only
	 * starts counting: refaults spread over a long time are no thrashing.
	 */
	if (time_after(now, next + 3 * MLRA_THRASH_PERIOD))
		return time_before(now, READ_ONCE(mlra_thrash_until));
	if (d_refaults >= MLRA_THRASH_MIN_PAGES &&
	    d_refaults * MLRA_THRASH_SHARE >= d_read_in) {
		WRITE_ONCE(mlra_thrash_until, now + MLRA_THRASH_HOLD);
		mlra_count(MLRA_STAT_THRASH_PERIODS);
	}
	return time_before(now, READ_ONCE(mlra_thrash_until));
}
