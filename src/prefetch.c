// SPDX-License-Identifier: GPL-2.0
/*
 * The prefetcher: the ranges the policy asks for (mlra_prefetch_plan())
 * are queued by the probe handlers, without sleeping or allocating, in a
 * fixed ring on each CPU, each holding a reference to its file; the ring's
 * work item, on an unbound workqueue so that an idle CPU does the reading,
 * issues them in process context through the kernel's own entry point,
 * vfs_fadvise(POSIX_FADV_WILLNEED), which never reads past the end of the
 * file, and drops the reference.
 *
 * A full ring or the global cap (prefetch_inflight_kb, on the pages
 * queued or being issued; less under memory pressure, see mlra_pf_cap())
 * drops the request and counts it. Mode off
 * flushes: requests still queued are dropped unread. At exit, after the
 * probes are gone, the workqueue is drained and destroyed.
 */

#include <linux/backing-dev.h>
#include <linux/blkdev.h>
#include <linux/fadvise.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "mlra.h"

/* Requests a CPU's ring holds. */
#define MLRA_PF_RING	64

struct mlra_pf_request {
	struct file *file;
	pgoff_t start;
	u32 pages;
};

/**
 * struct mlra_pf_queue - a CPU's ring of requests
 * @lock: guards @head, @tail and the slots between them
 * @head: the next request to issue
 * @tail: where the next request goes; @tail - @head are queued
 * @ring: the requests
 * @work: issues them
 */
struct mlra_pf_queue {
	spinlock_t lock;	/* see above */
	unsigned int head;
	unsigned int tail;
	struct mlra_pf_request ring[MLRA_PF_RING];
	struct work_struct work;
};

static DEFINE_PER_CPU(struct mlra_pf_queue, mlra_pf_queues);
static struct workqueue_struct *mlra_pf_wq;
/* Pages queued or being issued, all CPUs. */
static atomic_t mlra_pf_pages = ATOMIC_INIT(0);

/*
 * POSIX_FADV_WILLNEED reads at most the larger of the device's largest
 * request and the file's window (force_page_cache_ra()): longer requests
 * go in pieces of that size.
 */
static void mlra_pf_issue(const struct mlra_pf_request *r)
{
	struct inode *inode = file_inode(r->file);
	pgoff_t end = DIV_ROUND_UP_ULL(i_size_read(inode), PAGE_SIZE);
	pgoff_t pages, piece, done;

	/* Only our reference left: the application has closed the file. */
	if (READ_ONCE(mlra_knobs.mode) != MLRA_MODE_ON ||
	    file_count(r->file) < 2 || r->start >= end) {
		mlra_count(MLRA_STAT_PF_SKIPPED);
		return;
	}
	pages = min_t(pgoff_t, r->pages, end - r->start);
	piece = max3(inode_to_bdi(inode)->io_pages,
		     (pgoff_t)READ_ONCE(r->file->f_ra.ra_pages), 1UL);
	for (done = 0; done < pages; done += piece)
		vfs_fadvise(r->file, (loff_t)(r->start + done) << PAGE_SHIFT,
			    (loff_t)min(piece, pages - done) << PAGE_SHIFT,
			    POSIX_FADV_WILLNEED);
	mlra_count(MLRA_STAT_PF_REQUESTS);
	mlra_count_add(MLRA_STAT_PF_PAGES, pages);
}

static void mlra_pf_work(struct work_struct *work)
{
	struct mlra_pf_queue *q = container_of(work, struct mlra_pf_queue,
					       work);
	struct mlra_pf_request r;
	struct blk_plug plug;

	/*
	 * The requests of all the ranges queued reach the driver as one
	 * batch, not one at a time (bench-prefetch none, 4 KiB strides
	 * 16 KiB apart: 1.33x without the plug, 2.22x with).
	 */
	blk_start_plug(&plug);
	for (;;) {
		spin_lock_irq(&q->lock);
		if (q->head == q->tail) {
			spin_unlock_irq(&q->lock);
			break;
		}
		r = q->ring[q->head++ % MLRA_PF_RING];
		spin_unlock_irq(&q->lock);
		mlra_pf_issue(&r);
		fput(r.file);
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

/**
 * mlra_prefetch_queue() - ask for pages [@start, @start + @pages) of @file
 * @file: the file, which the caller holds (a probe handler on its read)
 * @start: first page
 * @pages: how many, at least 1
 *
 * Safe in the probe handlers: no sleep, no allocation. The request may be
 * dropped (counted), never waited for.
 */
void mlra_prefetch_queue(struct file *file, pgoff_t start, u32 pages)
{
	unsigned long cap = READ_ONCE(mlra_knobs.prefetch_inflight_kb) >>
			    (PAGE_SHIFT - 10);
	unsigned long have = mlra_pf_cap(cap, si_mem_available(),
					 totalram_pages());
	struct mlra_pf_queue *q;
	unsigned long flags;

	if (atomic_add_return(pages, &mlra_pf_pages) > have) {
		atomic_sub(pages, &mlra_pf_pages);
		mlra_count(have < cap ? MLRA_STAT_PF_PRESSURE :
			   MLRA_STAT_PF_OVER_BUDGET);
		return;
	}
	q = this_cpu_ptr(&mlra_pf_queues);
	spin_lock_irqsave(&q->lock, flags);
	if (q->tail - q->head == MLRA_PF_RING) {
		spin_unlock_irqrestore(&q->lock, flags);
		atomic_sub(pages, &mlra_pf_pages);
		mlra_count(MLRA_STAT_PF_FULL);
		return;
	}
	get_file(file);
	q->ring[q->tail++ % MLRA_PF_RING] = (struct mlra_pf_request){
		.file = file, .start = start, .pages = pages,
	};
	spin_unlock_irqrestore(&q->lock, flags);
	queue_work(mlra_pf_wq, &q->work);
}

/**
 * mlra_prefetch_flush() - wait until nothing is queued or being issued
 *
 * With mode no longer on, the work items drop what is queued unread.
 * Process context; may sleep.
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

		spin_lock_init(&q->lock);
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
