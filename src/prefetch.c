// SPDX-License-Identifier: GPL-2.0
/*
 * The prefetcher: the ranges the policy asks for (mlra_prefetch_plan())
 * are queued by the probe handlers, without sleeping or allocating, in a
 * fixed ring on each CPU; the ring's work item, on an unbound workqueue so
 * that an idle CPU does the reading, issues them in process context
 * through the kernel's own entry point, vfs_fadvise(POSIX_FADV_WILLNEED),
 * which never reads past the end of the file.
 *
 * A request names its stream (slot and number), not the file, and holds
 * no reference: closing the file frees it at once, and the stream with
 * it, and the request is then dropped unread. The worker pins the file
 * only while it issues (mlra_stream_file_get()), one piece at a time, and
 * stops when the pin is the last reference. A close() that comes in the
 * middle of a piece returns at once, and the file's last reference is
 * then the worker's: the file is freed (__fput(): ->release, flock
 * release, the mount's reference) when that piece has been read, one
 * piece later, in the worker. A request
 * carries the reader's memory and I/O cgroups, and the worker charges
 * the pages and the I/O to them, as the loop driver does for its I/O.
 *
 * A full ring or the global cap (prefetch_inflight_kb, on the pages
 * queued or being issued; less under memory pressure, see mlra_pf_cap())
 * drops the request and counts it. While mlra is not steering (enabled 0
 * or mode not on), the worker drops what is queued unread. At exit, after
 * the probes are gone, the workqueue is drained and destroyed.
 */

#include <linux/backing-dev.h>
#include <linux/blkdev.h>
#include <linux/cgroup.h>
#include <linux/fadvise.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "mlra.h"

/* Requests a CPU's ring holds. */
#define MLRA_PF_RING	64

/**
 * struct mlra_pf_request - read pages [@start, @start + @pages) of a file
 * @slot: the stream's slot in the table
 * @id: the stream's number: the slot holds another stream if it differs
 * @start: first page
 * @pages: how many
 * @memcg: the reader's memory cgroup, referenced (NULL without memcg)
 * @blkcg: the reader's I/O cgroup, referenced (NULL without blkcg)
 */
struct mlra_pf_request {
	u32 slot;
	u64 id;
	pgoff_t start;
	u32 pages;
	struct cgroup_subsys_state *memcg;
	struct cgroup_subsys_state *blkcg;
};

/**
 * struct mlra_pf_queue - a CPU's ring of requests
 * @lock: guards @head, @tail and the slots between them; raw, as the
 *	probe handlers take it
 * @head: the next request to issue
 * @tail: where the next request goes; @tail - @head are queued
 * @ring: the requests
 * @work: issues them
 */
struct mlra_pf_queue {
	raw_spinlock_t lock;	/* see above */
	unsigned int head;
	unsigned int tail;
	struct mlra_pf_request ring[MLRA_PF_RING];
	struct work_struct work;
};

static DEFINE_PER_CPU(struct mlra_pf_queue, mlra_pf_queues);
static struct workqueue_struct *mlra_pf_wq;
/* Pages queued or being issued, all CPUs. */
static atomic_t mlra_pf_pages = ATOMIC_INIT(0);
/* si_mem_available() walks every zone: read at most once a tick. */
static unsigned long mlra_pf_avail;
static unsigned long mlra_pf_avail_at;

/* The reader's cgroups, for the worker to charge; any context. */
static void pf_cgroups_get(struct mlra_pf_request *r)
{
#ifdef CONFIG_MEMCG
	r->memcg = task_get_css(current, memory_cgrp_id);
#endif
#ifdef CONFIG_BLK_CGROUP
	r->blkcg = task_get_css(current, io_cgrp_id);
#endif
}

static void pf_cgroups_put(struct mlra_pf_request *r)
{
	if (r->memcg)
		css_put(r->memcg);
	if (r->blkcg)
		css_put(r->blkcg);
}

/*
 * Readahead of @r's file, charged as if its reader did it: the pages to
 * its memory cgroup (set_active_memcg()), the bios to its I/O cgroup
 * (kthread_associate_blkcg(): the worker is a kthread).
 */
static void pf_fadvise_charged(const struct mlra_pf_request *r,
			       struct file *file, loff_t off, loff_t len)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *old = set_active_memcg(mem_cgroup_from_css(r->memcg));
#endif
#ifdef CONFIG_BLK_CGROUP
	kthread_associate_blkcg(r->blkcg);
#endif
	vfs_fadvise(file, off, len, POSIX_FADV_WILLNEED);
#ifdef CONFIG_BLK_CGROUP
	kthread_associate_blkcg(NULL);
#endif
#ifdef CONFIG_MEMCG
	set_active_memcg(old);
#endif
}

/*
 * POSIX_FADV_WILLNEED reads at most the larger of the device's largest
 * request and the file's window (force_page_cache_ra()): longer requests
 * go in pieces of that size.
 */
static void mlra_pf_issue(const struct mlra_pf_request *r)
{
	struct file *file;
	struct inode *inode;
	pgoff_t end, pages, piece, done;

	file = mlra_steering() ? mlra_stream_file_get(r->slot, r->id) : NULL;
	if (!file) {
		mlra_count(MLRA_STAT_PF_SKIPPED);
		return;
	}
	inode = file->f_mapping->host;
	end = DIV_ROUND_UP_ULL(i_size_read(inode), PAGE_SIZE);
	if (r->start >= end) {
		mlra_count(MLRA_STAT_PF_SKIPPED);
		goto out;
	}
	pages = min_t(pgoff_t, r->pages, end - r->start);
	piece = max3(inode_to_bdi(inode)->io_pages,
		     (pgoff_t)READ_ONCE(file->f_ra.ra_pages), 1UL);
	/* Closed meanwhile (only the pin left): no more of it. */
	for (done = 0; done < pages && file_count(file) > 1; done += piece)
		pf_fadvise_charged(r, file,
				   (loff_t)(r->start + done) << PAGE_SHIFT,
				   (loff_t)min(piece, pages - done) << PAGE_SHIFT);
	mlra_count(MLRA_STAT_PF_REQUESTS);
	mlra_count_add(MLRA_STAT_PF_PAGES, min(done, pages));
out:
	/*
	 * The last reference if the file was closed while a piece was read:
	 * freed here and now, not deferred as fput() from a kthread would.
	 */
	__fput_sync(file);
}

static void mlra_pf_work(struct work_struct *work)
{
	struct mlra_pf_queue *q = container_of(work, struct mlra_pf_queue,
					       work);
	struct mlra_pf_request r;
	struct blk_plug plug;

	/*
	 * The requests of all the ranges queued reach the driver as one
	 * batch, merged where they touch, not one at a time.
	 */
	blk_start_plug(&plug);
	for (;;) {
		raw_spin_lock_irq(&q->lock);
		if (q->head == q->tail) {
			raw_spin_unlock_irq(&q->lock);
			break;
		}
		r = q->ring[q->head++ % MLRA_PF_RING];
		raw_spin_unlock_irq(&q->lock);
		mlra_pf_issue(&r);
		pf_cgroups_put(&r);
		atomic_sub(r.pages, &mlra_pf_pages);
		cond_resched();
	}
	blk_finish_plug(&plug);
}

/*
 * The cap on pages in flight, @cap, with @avail of @total pages of memory
 * available (si_mem_available(): free, and page cache and slab it can
 * reclaim): whole above 1/8, a quarter down to 1/32, nothing below.
 * Prefetch is the first thing to give way.
 */
static unsigned long mlra_pf_cap(unsigned long cap, unsigned long avail,
				 unsigned long total)
{
	if (avail >= total / 8)
		return cap;
	if (avail >= total / 32)
		return cap / 4;
	return 0;
}

/* si_mem_available(), at most a tick old; racy updates are harmless. */
static unsigned long pf_mem_available(void)
{
	unsigned long now = jiffies;

	if (now != READ_ONCE(mlra_pf_avail_at) || !READ_ONCE(mlra_pf_avail)) {
		WRITE_ONCE(mlra_pf_avail, si_mem_available());
		WRITE_ONCE(mlra_pf_avail_at, now);
	}
	return READ_ONCE(mlra_pf_avail);
}

/**
 * mlra_prefetch_queue() - ask for pages [@start, @start + @pages) of a
 *	stream's file
 * @slot: the stream's slot in the table
 * @id: the stream's number
 * @start: first page
 * @pages: how many, at least 1
 *
 * Safe in the probe handlers: no sleep, no allocation, no reference to
 * the file. The request may be dropped (counted), never waited for.
 */
void mlra_prefetch_queue(u32 slot, u64 id, pgoff_t start, u32 pages)
{
	unsigned long cap = READ_ONCE(mlra_knobs.prefetch_inflight_kb) >>
			    (PAGE_SHIFT - 10);
	unsigned long have = mlra_pf_cap(cap, pf_mem_available(),
					 totalram_pages());
	struct mlra_pf_request r = {
		.slot = slot, .id = id, .start = start, .pages = pages,
	};
	struct mlra_pf_queue *q;
	unsigned long flags;

	if (atomic_add_return(pages, &mlra_pf_pages) > have) {
		atomic_sub(pages, &mlra_pf_pages);
		mlra_count(have < cap ? MLRA_STAT_PF_PRESSURE :
			   MLRA_STAT_PF_OVER_BUDGET);
		return;
	}
	q = this_cpu_ptr(&mlra_pf_queues);
	raw_spin_lock_irqsave(&q->lock, flags);
	if (q->tail - q->head == MLRA_PF_RING) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		atomic_sub(pages, &mlra_pf_pages);
		mlra_count(MLRA_STAT_PF_FULL);
		return;
	}
	pf_cgroups_get(&r);
	q->ring[q->tail++ % MLRA_PF_RING] = r;
	raw_spin_unlock_irqrestore(&q->lock, flags);
	queue_work(mlra_pf_wq, &q->work);
}

/**
 * mlra_prefetch_flush() - wait until nothing is queued or being issued
 *
 * While mlra is not steering, the work items drop what is queued unread.
 * Process context; may sleep, as long as the slowest request queued: not
 * with mlra_state_lock held. For the KUnit suites: the module itself
 * never waits for prefetch but at exit (destroy_workqueue()).
 */
void mlra_prefetch_flush(void)
{
	if (mlra_pf_wq)
		flush_workqueue(mlra_pf_wq);
}

int mlra_prefetch_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mlra_pf_queue *q = per_cpu_ptr(&mlra_pf_queues, cpu);

		raw_spin_lock_init(&q->lock);
		q->head = 0;
		q->tail = 0;
		INIT_WORK(&q->work, mlra_pf_work);
	}
	mlra_pf_wq = alloc_workqueue("mlra_prefetch", WQ_UNBOUND, 0);
	return mlra_pf_wq ? 0 : -ENOMEM;
}

/* After the probes are unregistered: nothing can queue any more. */
void mlra_prefetch_exit(void)
{
	if (!mlra_pf_wq)
		return;
	destroy_workqueue(mlra_pf_wq);
	mlra_pf_wq = NULL;
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/prefetch-kunit.h"
#endif
