// SPDX-License-Identifier: GPL-2.0
/*
 * The stream table: one entry per open file being read, preallocated,
 * hashed by struct file address, bounded in memory. Probe handlers record
 * accesses and decide here under a per-entry trylock, never a global lock.
 *
 * Lifetime rule: an entry's key is cleared only with its lock held, and
 * the release probe (on locks_remove_file(), which __fput() calls before
 * freeing a file) takes that lock. So whoever holds an entry's lock with
 * the key set may touch the file: it cannot be freed meanwhile.
 */

#include <linux/backing-dev.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include <mlra/access_log.h>
#include <mlra/features.h>
#include <mlra/model.h>
#include <mlra/policy.h>

#include "mlra.h"

#define CREATE_TRACE_POINTS
#include "mlra_trace.h"

/* Slots probed from a file's hash slot: lookup is O(1). */
#define MLRA_PROBE_SLOTS	8

/**
 * struct mlra_stream - what mlra knows of one open file
 * @file: the key; NULL when free; cleared only with @lock held
 * @lock: taken by trylock in handlers, spin_lock by release and drain
 * @last_used: jiffies of the last access, to recycle the stalest
 * @id: the stream's number in the access log
 * @original_pages: the file's own window when mlra first saw it
 * @set_pages: the window mlra last wrote, if @changed
 * @model_gen: generation of the model @policy's classes belong to
 * @since_decision: accesses since the last decision
 * @changed: mlra's window is in force, not the file's own
 * @hinted: the application gave a readahead hint for this file
 * @random: the kernel reads no more than asked for it (a RANDOM hint)
 * @prefetch: the prefetch in force, enum mlra_prefetch_kind
 * @policy: the policy's memory
 * @pf: the prefetch planner's memory
 * @history: the last accesses
 */
struct mlra_stream {
	struct file *file;
	spinlock_t lock;	/* guards the entry; see the lifetime rule */
	unsigned long last_used;
	u32 id;
	u32 original_pages;
	u32 set_pages;
	u32 model_gen;
	u16 since_decision;
	bool changed;
	bool hinted;
	bool random;
	u8 prefetch;
	struct mlra_policy_state policy;
	struct mlra_prefetch_state pf;
	struct mlra_history history;
};

static struct mlra_stream *mlra_slots;
static unsigned int mlra_slot_bits;
/* Streams numbered on each CPU; the CPU is part of the number. */
static DEFINE_PER_CPU(u32, mlra_stream_seq);

/**
 * mlra_streams_alloc() - preallocate a table for @max streams
 * @max: at least 16; rounded up to a power of two
 *
 * Called only while no probe is registered. Frees the previous table.
 *
 * Return: 0 or -ENOMEM, which keeps the previous table.
 */
int mlra_streams_alloc(unsigned int max)
{
	unsigned int bits = order_base_2(max), i;
	struct mlra_stream *slots;

	BUILD_BUG_ON(sizeof(struct mlra_stream) > 256);
	slots = vzalloc(array_size(sizeof(*slots), 1U << bits));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < 1U << bits; i++)
		spin_lock_init(&slots[i].lock);
	vfree(mlra_slots);
	mlra_slots = slots;
	mlra_slot_bits = bits;
	return 0;
}

void mlra_streams_free(void)
{
	vfree(mlra_slots);
	mlra_slots = NULL;
}

/* Memory the table takes, for stats. */
size_t mlra_streams_bytes(void)
{
	return sizeof(struct mlra_stream) << mlra_slot_bits;
}

static unsigned int slot_count(void)
{
	return 1U << mlra_slot_bits;
}

/* Streams the table holds, for stats. */
unsigned int mlra_streams_max(void)
{
	return mlra_slots ? slot_count() : 0;
}

/* Streams in use now, for stats; racy, as any snapshot of it would be. */
unsigned int mlra_streams_live(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < mlra_streams_max(); i++)
		n += !!READ_ONCE(mlra_slots[i].file);
	return n;
}

static struct mlra_stream *slot(struct file *file, unsigned int i)
{
	return &mlra_slots[(hash_ptr(file, mlra_slot_bits) + i) &
			   (slot_count() - 1)];
}

static void count_acct(const struct mlra_prefetch_acct *acct)
{
	mlra_count_add(MLRA_STAT_PF_USED, acct->used);
	mlra_count_add(MLRA_STAT_PF_WASTED, acct->wasted);
}

/* The prefetch area of @e ends: its pages count as used or wasted. */
static void stream_close_area(struct mlra_stream *e)
{
	struct mlra_prefetch_acct acct = {};

	mlra_prefetch_close(&e->pf, &acct);
	count_acct(&acct);
}

/* Give the file its own window back and free the entry; lock held. */
static void stream_forget(struct mlra_stream *e)
{
	stream_close_area(e);
	if (e->changed)
		WRITE_ONCE(e->file->f_ra.ra_pages, e->original_pages);
	WRITE_ONCE(e->file, NULL);
}

/*
 * The entry of @file or, with @create, where a new one would go: a free
 * entry or the stalest one probed. Unlocked: recheck under the lock.
 */
static struct mlra_stream *stream_slot(struct file *file, bool create)
{
	struct mlra_stream *e, *free = NULL, *stalest = NULL;
	unsigned int i;

	for (i = 0; i < MLRA_PROBE_SLOTS; i++) {
		struct file *key;

		e = slot(file, i);
		key = READ_ONCE(e->file);
		if (key == file)
			return e;
		if (!key && !free)
			free = e;
		if (!stalest || time_before(e->last_used, stalest->last_used))
			stalest = e;
	}
	if (!create)
		return NULL;
	return free ? free : stalest;
}

/*
 * With @e locked: make sure it is @file's entry. Without @create, only an
 * entry that already is. A recycled file gets its own window back.
 */
static bool stream_claim(struct mlra_stream *e, struct file *file, bool create)
{
	if (e->file == file)
		return true;
	if (!create)
		return false;
	if (e->file) {
		stream_forget(e);
		mlra_count(MLRA_STAT_RECYCLED);
	}
	memset(&e->history, 0, sizeof(e->history));
	mlra_policy_reset(&e->policy);
	e->original_pages = READ_ONCE(file->f_ra.ra_pages);
	e->set_pages = e->original_pages;
	e->model_gen = 0;
	e->since_decision = 0;
	e->changed = false;
	e->prefetch = MLRA_PF_NONE;
	memset(&e->pf, 0, sizeof(e->pf));
	/* Handlers run with preemption off: the CPU cannot change here. */
	e->id = this_cpu_inc_return(mlra_stream_seq) * nr_cpu_ids +
		raw_smp_processor_id();
	/* FADV_SEQUENTIAL usually comes before the first read: a window
	 * other than the device's default is the application's.
	 */
	e->hinted = e->original_pages !=
		    READ_ONCE(inode_to_bdi(file_inode(file))->ra_pages);
	e->random = false;
	WRITE_ONCE(e->file, file);
	return true;
}

/* Pages the file has, its last partial one included: as the log counts. */
static u64 file_pages(struct file *file)
{
	return DIV_ROUND_UP_ULL(i_size_read(file_inode(file)), PAGE_SIZE);
}

/* The file's block device says it does not rotate ("rotational" 0). */
static bool file_nonrot(struct file *file)
{
	struct block_device *bdev = file_inode(file)->i_sb->s_bdev;

	return bdev && bdev_nonrot(bdev);
}

/* An application's hint: FADV_RANDOM (noted in @e->random), or a window
 * that is neither the file's own nor mlra's (FADV_SEQUENTIAL doubles it).
 */
static bool stream_hinted(struct mlra_stream *e, u32 now)
{
	e->random |= !!(READ_ONCE(e->file->f_mode) & FMODE_RANDOM);
	return e->random ||
	       now != (e->changed ? e->set_pages : e->original_pages);
}

/* Features, model, policy, action; lock held. */
static void stream_decide(struct mlra_stream *e)
{
	u32 now = READ_ONCE(e->file->f_ra.ra_pages);
	u64 size = file_pages(e->file);
	bool respect = READ_ONCE(mlra_knobs.respect_hints);
	struct mlra_policy_params pp = {
		.min_ra_kb = READ_ONCE(mlra_knobs.min_ra_kb),
		.max_ra_kb = READ_ONCE(mlra_knobs.max_ra_kb),
		.min_confidence = READ_ONCE(mlra_knobs.min_confidence),
		.hysteresis = MLRA_HYSTERESIS,
	};
	s32 f[MLRA_MAX_INPUTS] = {};
	struct mlra_verdict v;
	bool act = false;
	u64 t;

	e->hinted |= stream_hinted(e, now);
	pp.no_window = e->random && !respect;
	pp.mapped = mlra_history_last(&e->history)->kind == MLRA_ACCESS_FAULT;
	mlra_features(&e->history, now, size, file_nonrot(e->file), f);
	t = ktime_get_mono_fast_ns();
	mlra_model_decide(f, &pp, e->original_pages, &e->policy,
			  &e->model_gen, &v);
	if (v.class >= 0)
		mlra_count_infer_ns(ktime_get_mono_fast_ns() - t);
	mlra_count_decision(v.class);
	/* Prefetch, as a window, only in mode on and for unhinted files. */
	e->prefetch = MLRA_PF_NONE;
	if (v.prefetch && !(e->hinted && respect) &&
	    READ_ONCE(mlra_knobs.mode) == MLRA_MODE_ON)
		e->prefetch = v.prefetch;
	if (v.window != now) {
		if (e->hinted && respect)
			mlra_count(MLRA_STAT_HINTED_SKIPS);
		else if (READ_ONCE(mlra_knobs.mode) != MLRA_MODE_ON)
			mlra_count(MLRA_STAT_WINDOWS_WOULD_SET);
		else
			act = true;
	}
	trace_mlra_decision(e->file, e->id, v.class, v.confidence, now,
			    v.window, act);
	if (!act)
		return;
	WRITE_ONCE(e->file->f_ra.ra_pages, v.window);
	e->set_pages = v.window;
	e->changed = v.window != e->original_pages;
	mlra_count(MLRA_STAT_WINDOWS_SET);
}

/*
 * What the prefetch in force (none unless mode on) asks for after an
 * access, and the pages of an area that ended; lock held.
 */
static void stream_prefetch(struct mlra_stream *e)
{
	struct mlra_prefetch_range r[MLRA_PF_MAX_RANGES];
	struct mlra_prefetch_acct acct = {};
	u8 kind = READ_ONCE(mlra_knobs.mode) == MLRA_MODE_ON ?
		  e->prefetch : MLRA_PF_NONE;
	u32 max = READ_ONCE(mlra_knobs.prefetch_max_kb) >> (PAGE_SHIFT - 10);
	int i, n;

	/* Forwards, no further than the window the hint made the kernel drop. */
	if (kind == MLRA_PF_FORWARD)
		max = min(max, READ_ONCE(e->file->f_ra.ra_pages));
	n = mlra_prefetch_plan(&e->pf, kind, &e->history, file_pages(e->file),
			       max, r, &acct);
	for (i = 0; i < n; i++)
		mlra_prefetch_queue(e->file, r[i].start, r[i].pages);
	count_acct(&acct);
}

/* An event of @e's stream for the access log, if it is open; lock held. */
static void stream_log(struct mlra_stream *e, enum mlra_log_kind kind,
		       pgoff_t index, u32 pages)
{
	struct mlra_log_record r;
	struct inode *inode;

	if (!mlra_logging())
		return;
	inode = file_inode(e->file);
	r = (struct mlra_log_record){
		.ino = inode->i_ino,
		.index = index,
		.stream = e->id,
		.dev = new_encode_dev(inode->i_sb->s_dev),
		.pages = pages,
		.window = READ_ONCE(e->file->f_ra.ra_pages),
		.size_pages = min_t(u64, file_pages(e->file), U32_MAX),
		.kind = kind,
		.flags = (e->hinted ? MLRA_LOG_HINTED : 0) |
			 (e->changed ? MLRA_LOG_CHANGED : 0),
	};
	mlra_log(&r);
}

/**
 * mlra_stream_access() - record an access and decide when it is time
 * @file: the file read
 * @index: its first page
 * @pages: pages asked for, at least 1
 * @kind: enum mlra_access_kind
 * @hint: the access's hint (madvise), enum mlra_hint
 *
 * Called from the probe handlers: no sleep, no allocation, no lock shared
 * by all CPUs. An access to a file whose entry another CPU holds is lost.
 */
void mlra_stream_access(struct file *file, pgoff_t index, u32 pages,
			enum mlra_access_kind kind, enum mlra_hint hint)
{
	struct mlra_stream *e = stream_slot(file, true);
	struct mlra_access a = {
		.index = index,
		.pages = min_t(u32, pages, U16_MAX),
		.kind = kind,
	};

	/* Handlers never wait: an entry another CPU holds costs an access. */
	if (!spin_trylock(&e->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	if (stream_claim(e, file, true)) {
		e->last_used = jiffies;
		e->hinted |= hint != MLRA_HINT_NONE;
		e->random |= hint == MLRA_HINT_RANDOM;
		if (mlra_history_add(&e->history, &a)) {
			stream_log(e, kind == MLRA_ACCESS_FAULT ?
				   MLRA_LOG_FAULT : MLRA_LOG_READ, index, pages);
			if (++e->since_decision >=
			    READ_ONCE(mlra_knobs.decision_interval)) {
				e->since_decision = 0;
				stream_decide(e);
			}
			if (e->prefetch || e->pf.kind || e->pf.hold)
				stream_prefetch(e);
		}
	}
	spin_unlock(&e->lock);
}

/**
 * mlra_stream_ra() - the kernel reads ahead in @file
 * @file: the file
 * @index: where: a missing page (sync), a readahead marker (async)
 * @pages: the pages the reader asked for
 * @async: a marker was hit, rather than a page found missing
 *
 * A missing page marks the last access as a cache miss if it covers
 * @index. Both go to the access log.
 */
void mlra_stream_ra(struct file *file, pgoff_t index, unsigned long pages,
		    bool async)
{
	struct mlra_stream *e = stream_slot(file, false);
	struct mlra_access *last;

	if (!e)
		return;
	if (!spin_trylock(&e->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	if (stream_claim(e, file, false)) {
		last = mlra_history_last(&e->history);
		if (!async && last && (u32)index - last->index < last->pages)
			last->miss = 1;
		stream_log(e, async ? MLRA_LOG_ASYNC_RA : MLRA_LOG_SYNC_RA,
			   index, min_t(unsigned long, pages, U32_MAX));
	}
	spin_unlock(&e->lock);
}

/**
 * mlra_stream_release() - @file is being freed: forget it
 * @file: the file
 *
 * Waits for a handler that holds the entry, so that no one touches the
 * file after this returns. Its window needs no restoring.
 */
void mlra_stream_release(struct file *file)
{
	unsigned int i;

	for (i = 0; i < MLRA_PROBE_SLOTS; i++) {
		struct mlra_stream *e = slot(file, i);

		if (READ_ONCE(e->file) != file)
			continue;
		spin_lock(&e->lock);
		if (e->file == file) {
			stream_log(e, MLRA_LOG_RELEASE, 0, 0);
			stream_close_area(e);
			WRITE_ONCE(e->file, NULL);
		}
		spin_unlock(&e->lock);
	}
}

/**
 * mlra_streams_drain() - give every file its own window back, forget all
 *
 * Called with the access probes unregistered and the release probe still
 * registered, so every file in the table is alive while its entry is
 * locked.
 */
void mlra_streams_drain(void)
{
	unsigned int i;

	for (i = 0; mlra_slots && i < slot_count(); i++) {
		struct mlra_stream *e = &mlra_slots[i];

		spin_lock(&e->lock);
		if (e->file)
			stream_forget(e);
		spin_unlock(&e->lock);
		cond_resched();
	}
}

/**
 * mlra_streams_show() - one line per live stream, for debugfs
 * @m: the seq_file
 *
 * Columns: inode, pages in the file, the file's own window, the window
 * now, whether mlra set it, whether the application hinted, class in
 * force (- for the kernel's own), accesses held.
 */
void mlra_streams_show(struct seq_file *m)
{
	unsigned int i, live = 0;

	seq_puts(m, "inode size_pages own_window window mlra hinted class accesses\n");
	for (i = 0; mlra_slots && i < slot_count(); i++) {
		struct mlra_stream *e = &mlra_slots[i];
		struct file *f;

		spin_lock(&e->lock);
		f = e->file;
		if (f) {
			live++;
			seq_printf(m, "%lu %llu %u %u %d %d ",
				   file_inode(f)->i_ino,
				   i_size_read(file_inode(f)) >> PAGE_SHIFT,
				   e->original_pages,
				   READ_ONCE(f->f_ra.ra_pages), e->changed,
				   e->hinted);
			if (e->policy.applied == MLRA_NO_CLASS)
				seq_puts(m, "-");
			else
				seq_printf(m, "%u", e->policy.applied);
			seq_printf(m, " %u\n", e->history.count);
		}
		spin_unlock(&e->lock);
	}
	seq_printf(m, "# %u live of %u\n", live, slot_count());
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/stream-kunit.h"
#endif
