// SPDX-License-Identifier: GPL-2.0
/*
 * The access log (format in include/uapi/linux/mlra_log.h): a ring per
 * online CPU, filled by the hooks while /sys/kernel/debug/mlra/access_log
 * is open and emptied by its one reader. A ring has one producer at a
 * time, the probe handlers and the release hook of its CPU (they run with
 * preemption off, and none of them runs inside another), and one
 * consumer, the reader: each publishes its index with a release store
 * that the other reads with an acquire load. No lock.
 */

#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <uapi/linux/mlra_log.h>

#include "mlra.h"
#include "stream.h"

/* Records a CPU's ring holds: 192 KiB. A power of two. */
#define MLRA_LOG_RECORDS	4096
/* How often a waiting reader looks for new records. */
#define MLRA_LOG_POLL_MS	20

/**
 * struct mlra_log_ring - one CPU's records
 * @rec: MLRA_LOG_RECORDS records; NULL for a CPU that was offline at open
 * @head: records written, ever; advanced by the producer only
 * @tail: records read, ever; advanced by the consumer only
 * @dropped: records lost since the last one that fit; producer only
 */
struct mlra_log_ring {
	struct mlra_log_record *rec;
	unsigned int head;
	unsigned int tail;
	unsigned int dropped;
};

static DEFINE_PER_CPU(struct mlra_log_ring, mlra_log_rings);
DEFINE_STATIC_KEY_FALSE(mlra_log_key);
/* Bit 0: the log is open. */
static unsigned long mlra_log_busy;

static void log_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mlra_log_ring *ring = per_cpu_ptr(&mlra_log_rings, cpu);

		vfree(ring->rec);
		memset(ring, 0, sizeof(*ring));
	}
}

/* Allocate the rings and start recording; process context. */
static int log_start(void)
{
	int cpu, err = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct mlra_log_ring *ring = per_cpu_ptr(&mlra_log_rings, cpu);

		ring->rec = vmalloc(array_size(MLRA_LOG_RECORDS,
					       sizeof(*ring->rec)));
		if (!ring->rec) {
			err = -ENOMEM;
			break;
		}
	}
	cpus_read_unlock();
	if (err) {
		log_free();
		return err;
	}
	/* Patching the branch in synchronises every CPU: they see @rec. */
	static_branch_enable(&mlra_log_key);
	return 0;
}

/* Stop recording, wait for handlers still writing, free the rings. */
static void log_stop(void)
{
	static_branch_disable(&mlra_log_key);
	/* Handlers run with preemption off: this waits for them. */
	synchronize_rcu();
	log_free();
}

static struct mlra_log_record *ring_slot(struct mlra_log_ring *ring,
					 unsigned int i)
{
	return &ring->rec[i & (MLRA_LOG_RECORDS - 1)];
}

/**
 * mlra_log() - append a record to this CPU's ring
 * @r: the record; its time and magic are filled in here
 *
 * Called from the hooks, only while mlra_logging(). A full ring
 * drops @r and counts it; the next record that fits follows a
 * MLRA_LOG_DROPPED record that says how many were lost.
 */
void mlra_log(struct mlra_log_record *r)
{
	struct mlra_log_ring *ring = this_cpu_ptr(&mlra_log_rings);
	unsigned int head = ring->head, room;

	/* Pairs with the reader's release of @tail: its reads are done. */
	room = MLRA_LOG_RECORDS - (head - smp_load_acquire(&ring->tail));
	if (!ring->rec || room < 1 + !!ring->dropped) {
		ring->dropped++;
		mlra_count(MLRA_STAT_LOG_DROPPED);
		return;
	}
	if (ring->dropped) {
		struct mlra_log_record *d = ring_slot(ring, head++);

		*d = (struct mlra_log_record){
			.time_ns = ktime_get_mono_fast_ns(),
			.pages = ring->dropped,
			.kind = MLRA_LOG_DROPPED,
			.magic = MLRA_LOG_MAGIC,
		};
		ring->dropped = 0;
	}
	r->time_ns = ktime_get_mono_fast_ns();
	r->magic = MLRA_LOG_MAGIC;
	*ring_slot(ring, head++) = *r;
	/* Pairs with the reader's acquire of @head: the records are written. */
	smp_store_release(&ring->head, head);
	mlra_count(MLRA_STAT_LOG_RECORDS);
}

/**
 * mlra_stream_log() - an event of @e's stream, if the access log is open
 * @e: the stream, locked
 * @kind: what happened
 * @index: its first page
 * @pages: pages concerned
 */
void mlra_stream_log(struct mlra_stream *e, enum mlra_log_kind kind,
		     pgoff_t index, u32 pages)
{
	struct mlra_log_record r;
	struct inode *inode;

	if (!mlra_logging())
		return;
	inode = file_host(e->file);
	/*
	 * A dying file's f_ra may already be storage for fput()'s work
	 * (a union since 6.8): its window is not read.
	 */
	r = (struct mlra_log_record){
		.ino = inode->i_ino,
		.index = index,
		.stream = e->id,
		.dev = new_encode_dev(inode->i_sb->s_dev),
		.pages = pages,
		.window = file_dying(e->file) ? 0 :
			  READ_ONCE(e->file->f_ra.ra_pages),
		.size_pages = min_t(u64, file_pages(e->file), U32_MAX),
		.kind = kind,
		.flags = (e->hinted ? MLRA_LOG_HINTED : 0) |
			 (e->changed ? MLRA_LOG_CHANGED : 0),
	};
	mlra_log(&r);
}

/*
 * Move up to @max records to @out, each CPU's oldest first; the one
 * reader only.
 */
static unsigned int log_take(struct mlra_log_record *out, unsigned int max)
{
	unsigned int n = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mlra_log_ring *ring = per_cpu_ptr(&mlra_log_rings, cpu);
		/* Pairs with mlra_log()'s release: records before @head are whole. */
		unsigned int head = smp_load_acquire(&ring->head);
		unsigned int tail = ring->tail;

		if (!ring->rec)
			continue;
		while (tail != head && n < max)
			out[n++] = *ring_slot(ring, tail++);
		/* Pairs with mlra_log()'s acquire: the slots are free again. */
		smp_store_release(&ring->tail, tail);
	}
	return n;
}

static int access_log_open(struct inode *inode, struct file *file)
{
	int err;

	if (test_and_set_bit_lock(0, &mlra_log_busy))
		return -EBUSY;
	nonseekable_open(inode, file);
	err = log_start();
	if (err)
		clear_bit_unlock(0, &mlra_log_busy);
	return err;
}

static int access_log_release(struct inode *inode, struct file *file)
{
	log_stop();
	clear_bit_unlock(0, &mlra_log_busy);
	return 0;
}

/*
 * Whole records only. Waits for the first one unless O_NONBLOCK; records
 * taken but not copied (a bad buffer) are lost.
 */
static ssize_t access_log_read(struct file *file, char __user *buf,
			       size_t len, loff_t *ppos)
{
	struct mlra_log_record batch[8];
	unsigned int n;
	size_t done = 0;

	if (len < sizeof(batch[0]))
		return -EINVAL;
	while (len - done >= sizeof(batch[0])) {
		n = log_take(batch, min_t(size_t, ARRAY_SIZE(batch),
					  (len - done) / sizeof(batch[0])));
		if (!n) {
			if (done)
				break;
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			if (msleep_interruptible(MLRA_LOG_POLL_MS) ||
			    signal_pending(current))
				return -EINTR;
			continue;
		}
		if (copy_to_user(buf + done, batch, n * sizeof(batch[0])))
			return -EFAULT;
		done += n * sizeof(batch[0]);
	}
	return done;
}

const struct file_operations mlra_log_fops = {
	.owner = THIS_MODULE,
	.open = access_log_open,
	.release = access_log_release,
	.read = access_log_read,
};

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/log-kunit.h"
#endif
