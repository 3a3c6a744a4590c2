// SPDX-License-Identifier: GPL-2.0
/*
 * The stream table: one entry per open file being read, preallocated,
 * hashed by struct file address, bounded in memory. Probe handlers find
 * or make a file's entry here and record its accesses under a per-entry
 * trylock, never a global lock; the decision is in decide.c.
 *
 * Lifetime: whoever holds an entry's lock with the key set may touch the
 * file, as the release hook (src/hook.c) takes that lock before the file
 * is freed; the rules in full are at mlra_stream_release().
 */

#include <linux/atomic.h>
#include <linux/backing-dev.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include <mlra/features.h>
#include <mlra/guard.h>
#include <mlra/policy.h>

#include "mlra.h"
#include "stream.h"

/* Slots probed from a file's hash slot: lookup is O(1). */
#define MLRA_PROBE_SLOTS	8

/**
 * struct mlra_stream_table - the entries, replaced as a whole
 * @bits: log2 of the number of entries
 * @slots: the entries
 */
struct mlra_stream_table {
	unsigned int bits;
	struct mlra_stream slots[];
};

/*
 * Replaced only while no probe is registered (mlra_streams_alloc()), so
 * the handlers and the release hook read it plainly; the prefetch worker,
 * which runs at any time, reads it under rcu_read_lock(), and an old table
 * is freed only after a grace period.
 */
static struct mlra_stream_table __rcu *mlra_table;
/*
 * Pages of the files whose streams' faults are scattered: the sum of the
 * live entries' spread_pages, each changed under its entry's lock. An
 * entry's are taken away wherever its key is cleared (stream_unkey()).
 * 64 bits: each adds at most memory and a page, so it cannot overflow.
 */
static atomic64_t mlra_spread_pages;
/* Streams numbered on each CPU; the CPU is part of the number. */
static DEFINE_PER_CPU(u64, mlra_stream_seq);

static struct mlra_stream_table *stream_table(void)
{
	return rcu_dereference_raw(mlra_table);
}

static unsigned int table_size(const struct mlra_stream_table *t)
{
	return t ? 1U << t->bits : 0;
}

/**
 * mlra_stream_slot() - where a stream is in the table
 * @e: the stream
 *
 * Return: its index, which a queued prefetch names it by (with its id).
 */
u32 mlra_stream_slot(const struct mlra_stream *e)
{
	return e - stream_table()->slots;
}

/**
 * mlra_streams_alloc() - preallocate a table for @max streams
 * @max: at least 16; rounded up to a power of two
 *
 * Called only while no probe is registered, with mlra_state_lock held
 * (or before any can be, at init). Frees the previous table once no
 * prefetch worker can be reading it.
 *
 * Return: 0 or -ENOMEM, which keeps the previous table.
 */
int mlra_streams_alloc(unsigned int max)
{
	unsigned int bits = order_base_2(max), i;
	struct mlra_stream_table *t, *old;

	/* 256 bytes; more only where locks are debugged and grow. */
	BUILD_BUG_ON(sizeof(raw_spinlock_t) <= 4 &&
		     sizeof(struct mlra_stream) > 256);
	t = vzalloc(struct_size(t, slots, 1U << bits));
	if (!t)
		return -ENOMEM;
	t->bits = bits;
	for (i = 0; i < 1U << bits; i++)
		raw_spin_lock_init(&t->slots[i].lock);
	old = rcu_dereference_protected(mlra_table,
					lockdep_is_held(&mlra_state_lock) ||
					!mlra_hooks_active());
	rcu_assign_pointer(mlra_table, t);
	/*
	 * No entry is live: the old table's were all forgotten, and the sum
	 * is 0 already; so it is for a new one at any rate.
	 */
	atomic64_set(&mlra_spread_pages, 0);
	if (old) {
		synchronize_rcu();
		vfree(old);
	}
	return 0;
}

/* At exit, or a failed init: no probe, no prefetch worker left. */
void mlra_streams_free(void)
{
	struct mlra_stream_table *t = rcu_dereference_protected(mlra_table, 1);

	RCU_INIT_POINTER(mlra_table, NULL);
	vfree(t);
}

/* Memory the table takes, for stats. */
size_t mlra_streams_bytes(void)
{
	return sizeof(struct mlra_stream) * table_size(stream_table());
}

/* Streams the table holds, for stats. */
unsigned int mlra_streams_max(void)
{
	return table_size(stream_table());
}

/* Streams in use now, for stats; racy, as any snapshot of it would be. */
unsigned int mlra_streams_live(void)
{
	struct mlra_stream_table *t = stream_table();
	unsigned int i, n = 0;

	for (i = 0; i < table_size(t); i++)
		n += !!READ_ONCE(t->slots[i].file);
	return n;
}

/* The @i-th slot probed for @file. */
static struct mlra_stream *probe_slot(struct mlra_stream_table *t,
				      struct file *file, unsigned int i)
{
	return &t->slots[(hash_ptr(file, t->bits) + i) &
			 (table_size(t) - 1)];
}

/* The prefetch area of @e ends: its pages count as used or wasted. */
static void stream_close_area(struct mlra_stream *e)
{
	struct mlra_prefetch_acct acct = {};

	mlra_prefetch_close(&e->pf, &acct);
	count_acct(&acct);
}

/**
 * mlra_stream_restore() - give one stream's file its own window back
 * @e: the stream, locked, its file alive (see the lifetime rules)
 *
 * Only if the window is still the one mlra set: one the application set
 * since (posix_fadvise(), under f_lock) stands. The policy's, the
 * guard's and prefetch's memory of the stream start over.
 * mlra_streams_restore() does this for every stream.
 */
void mlra_stream_restore(struct mlra_stream *e)
{
	if (e->changed)
		cmpxchg(&e->file->f_ra.ra_pages, e->set_pages,
			e->original_pages);
	e->changed = false;
	e->set_pages = e->original_pages;
	e->prefetch = MLRA_PF_NONE;
	e->strides_alone = false;
	mlra_policy_reset(&e->policy);
	/* Counts made under mlra's window would be the next trial's base. */
	mlra_guard_reset(&e->guard);
	stream_close_area(e);
}

/* Free @e, locked: its file leaves the footprint, and the key goes. */
static void stream_unkey(struct mlra_stream *e)
{
	atomic64_sub(e->spread_pages, &mlra_spread_pages);
	e->spread_pages = 0;
	WRITE_ONCE(e->file, NULL);
}

/**
 * mlra_stream_spread() - count @e's file in the footprint of scattered
 *	faults, or not
 * @e: the stream, locked
 * @scattered: its faults are scattered (mlra_features_scattered())
 *
 * The footprint is the pages of every file whose stream's faults are
 * scattered. Where it is larger than memory, pages read around one fault
 * are likely evicted before another fault reaches them, whichever of
 * those files each fault is in. Each file counts once per stream: two
 * streams of one file count it twice.
 *
 * A file counts for at most memory and a page (memory as it was then):
 * more does not change the answer. Memory is all of it, not a memory cgroup's limit: in a cgroup
 * smaller than the machine, streams are spread later or never, which
 * costs gain, not safety.
 *
 * Return: true if @scattered and the footprint, @e's file with it, is
 * larger than memory (totalram_pages()).
 */
bool mlra_stream_spread(struct mlra_stream *e, bool scattered)
{
	u64 ram = totalram_pages();
	u32 pages = 0;

	if (scattered)
		pages = min_t(u64, min(file_pages(e->file), ram + 1), U32_MAX);
	if (pages != e->spread_pages) {
		atomic64_add((s64)pages - e->spread_pages, &mlra_spread_pages);
		e->spread_pages = pages;
	}
	return scattered && atomic64_read(&mlra_spread_pages) > (s64)ram;
}

/*
 * Free @e, giving its file its own window back; lock held. A file already
 * in __fput() (count zero) is left as it is: it is about to go.
 */
static void stream_forget(struct mlra_stream *e)
{
	if (file_count(e->file))
		mlra_stream_restore(e);
	else
		stream_close_area(e);
	stream_unkey(e);
}

/* @file's entry, unlocked: recheck the key under the lock. */
static struct mlra_stream *stream_lookup(struct mlra_stream_table *t,
					 struct file *file)
{
	unsigned int i;

	for (i = 0; i < MLRA_PROBE_SLOTS; i++) {
		struct mlra_stream *e = probe_slot(t, file, i);

		if (READ_ONCE(e->file) == file)
			return e;
	}
	return NULL;
}

/* Where a new entry of @file goes: a free slot or the stalest probed. */
static struct mlra_stream *stream_victim(struct mlra_stream_table *t,
					 struct file *file)
{
	struct mlra_stream *e, *stalest = NULL;
	unsigned int i;

	for (i = 0; i < MLRA_PROBE_SLOTS; i++) {
		e = probe_slot(t, file, i);
		if (!READ_ONCE(e->file))
			return e;
		if (!stalest || time_before(e->last_used, stalest->last_used))
			stalest = e;
	}
	return stalest;
}

/*
 * The files that may have an entry: those the page cache reads for
 * (regular files, block devices). The release hook, which runs for every
 * file freed, looks no further for the others.
 */
static bool file_tracked(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;

	return S_ISREG(mode) || S_ISBLK(mode);
}

/*
 * A reference to a file that is not yet dying. One place for it: later
 * kernels count files with file_ref_t.
 */
static bool file_pin(struct file *file)
{
	return atomic_long_inc_not_zero(&file->f_count);
}

/* Make @e, locked, a fresh entry of @file, recycling what it held. */
static void stream_init(struct mlra_stream *e, struct file *file)
{
	if (e->file) {
		stream_forget(e);
		mlra_count(MLRA_STAT_RECYCLED);
	}
	memset(&e->history, 0, sizeof(e->history));
	mlra_policy_reset(&e->policy);
	mlra_guard_reset(&e->guard);
	e->original_pages = READ_ONCE(file->f_ra.ra_pages);
	e->set_pages = e->original_pages;
	e->model_gen = 0;
	e->since_decision = 0;
	e->seen = 0;
	e->misses = 0;
	e->changed = false;
	e->prefetch = MLRA_PF_NONE;
	e->strides_alone = false;
	memset(&e->pf, 0, sizeof(e->pf));
	/* Handlers run with preemption off: the CPU cannot change here. */
	e->id = this_cpu_inc_return(mlra_stream_seq) * nr_cpu_ids +
		raw_smp_processor_id();
	/* FADV_SEQUENTIAL usually comes before the first read: a window
	 * other than the device's default is the application's.
	 */
	e->hinted = e->original_pages !=
		    READ_ONCE(inode_to_bdi(file_host(file))->ra_pages);
	e->random = false;
	/* Pairs with the acquire in mlra_stream_release(). */
	smp_store_release(&e->file, file);
}

/*
 * One more access of @e's stream, and what follows from it; lock held.
 * @pages: as asked for, where @a holds at most U16_MAX.
 */
static void stream_record(struct mlra_stream *e, const struct mlra_access *a,
			  u32 pages, enum mlra_hint hint)
{
	e->last_used = jiffies;
	e->hinted |= hint != MLRA_HINT_NONE;
	e->random |= hint == MLRA_HINT_RANDOM;
	if (!mlra_history_add(&e->history, a))
		return;
	e->seen++;
	/* A fault's pages beyond fault-around: when it hits a marker. */
	mlra_guard_access(&e->guard, a->kind == MLRA_ACCESS_FAULT ?
			  MLRA_GUARD_FAULT_PAGES : pages);
	mlra_stream_log(e, a->kind == MLRA_ACCESS_FAULT ? MLRA_LOG_FAULT :
			MLRA_LOG_READ, a->index, pages);
	if (++e->since_decision >= READ_ONCE(mlra_knobs.decision_interval)) {
		e->since_decision = 0;
		mlra_stream_decide(e);
	}
	if (e->prefetch || e->pf.kind || e->pf.hold)
		mlra_stream_prefetch(e);
}

/*
 * The first access of @file seen: a new entry for it, unless a slot it
 * needs is held by another CPU or another CPU has just made one.
 *
 * Every CPU that creates an entry of @file first holds the lock of its
 * first probed slot (its home), and looks for an entry again under it:
 * a key is published before that lock is dropped, so two CPUs cannot
 * both create one (two entries would let the second take mlra's window
 * for the file's own).
 */
static void stream_create(struct mlra_stream_table *t, struct file *file,
			  const struct mlra_access *a, u32 pages,
			  enum mlra_hint hint)
{
	struct mlra_stream *home = probe_slot(t, file, 0), *e;

	if (!raw_spin_trylock(&home->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	e = stream_lookup(t, file) ? NULL : stream_victim(t, file);
	if (e == home) {
		stream_init(e, file);
		stream_record(e, a, pages, hint);
	} else if (e && raw_spin_trylock(&e->lock)) {
		stream_init(e, file);
		stream_record(e, a, pages, hint);
		raw_spin_unlock(&e->lock);
	} else {
		mlra_count(MLRA_STAT_CONTENDED);
	}
	raw_spin_unlock(&home->lock);
}

/**
 * mlra_stream_access() - record an access and decide when it is time
 * @file: the file read; its caller holds a reference, or it is dying
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
	struct mlra_stream_table *t = stream_table();
	struct mlra_access a = {
		.index = index,
		.pages = min_t(u32, pages, U16_MAX),
		.kind = kind,
	};
	struct mlra_stream *e;

	if (file_dying(file) || !file_tracked(file))
		return;
	e = stream_lookup(t, file);
	if (!e) {
		stream_create(t, file, &a, pages, hint);
		return;
	}
	if (!raw_spin_trylock(&e->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	/* Recycled since the lookup: this access is lost. */
	if (e->file == file)
		stream_record(e, &a, pages, hint);
	else
		mlra_count(MLRA_STAT_CONTENDED);
	raw_spin_unlock(&e->lock);
}

/* The entry of @file, unlocked, for a handler that never makes one. */
static struct mlra_stream *stream_find(struct file *file)
{
	if (file_dying(file) || !file_tracked(file))
		return NULL;
	return stream_lookup(stream_table(), file);
}

/**
 * mlra_stream_ra() - the kernel reads ahead in @file
 * @file: the file; its caller holds a reference, or it is dying
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
	struct mlra_stream *e = stream_find(file);
	struct mlra_access *last;

	if (!e)
		return;
	if (!raw_spin_trylock(&e->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	if (e->file == file) {
		last = mlra_history_last(&e->history);
		if (!async && last && (u32)index - last->index < last->pages) {
			last->miss = 1;
			e->misses++;
		}
		if (async && last && last->kind == MLRA_ACCESS_FAULT &&
		    last->index == (u32)index)
			mlra_stream_fault_marker(e);
		mlra_stream_log(e, async ? MLRA_LOG_ASYNC_RA : MLRA_LOG_SYNC_RA,
				index, min_t(unsigned long, pages, U32_MAX));
	}
	raw_spin_unlock(&e->lock);
}

/**
 * mlra_stream_read_in() - the kernel submits a readahead request for @file
 * @file: the file; its caller holds a reference, or it is dying
 * @pages: the most pages the request reads (those cached are skipped)
 *
 * Context: a probe handler. Counted for the guard: what the stream costs
 * the disk, mlra's own prefetch included (mlra_stream_request()).
 */
void mlra_stream_read_in(struct file *file, unsigned long pages)
{
	struct mlra_stream *e = stream_find(file);

	if (!e)
		return;
	if (!raw_spin_trylock(&e->lock)) {
		mlra_count(MLRA_STAT_CONTENDED);
		return;
	}
	if (e->file == file)
		mlra_stream_request(e, pages);
	raw_spin_unlock(&e->lock);
}

/**
 * mlra_stream_release() - @file is being freed: forget it
 * @file: the file, in __fput(): its count is zero
 *
 * Called by the release hook, which runs for every file freed while mlra
 * is enabled (see src/hook.c). Waits for whoever holds the entry, so that
 * no one touches the file after this returns. Its window needs no
 * restoring.
 *
 * The lifetime rules: an entry's key is set and cleared only with its
 * lock held; no entry is made for a dying file; and this runs before the
 * file is freed. So whoever holds an entry's lock with the key set may
 * touch the file: it cannot be freed meanwhile. Anyone who must touch it
 * with the lock dropped pins it first (mlra_stream_file_get()).
 */
void mlra_stream_release(struct file *file)
{
	struct mlra_stream_table *t = stream_table();
	unsigned int i;

	if (!file_tracked(file))
		return;
	for (i = 0; i < MLRA_PROBE_SLOTS; i++) {
		struct mlra_stream *e = probe_slot(t, file, i);

		/*
		 * Pairs with the release store that set the key: a handler
		 * that made the entry ran with a reference, dropped before
		 * the count reached zero, so the key is seen here.
		 */
		if (smp_load_acquire(&e->file) != file)
			continue;
		raw_spin_lock(&e->lock);
		if (e->file == file) {
			mlra_stream_log(e, MLRA_LOG_RELEASE, 0, 0);
			stream_close_area(e);
			stream_unkey(e);
		}
		raw_spin_unlock(&e->lock);
	}
}

/**
 * mlra_stream_file_get() - pin the file of a stream, for prefetch
 * @slot: the stream's slot in the table
 * @id: the stream's number; a slot reused since holds another
 *
 * Any context that may sleep; rcu_read_lock() guards the table.
 *
 * Return: the file with a reference taken (fput() it), or NULL if the
 * stream is gone or its file is being freed.
 */
struct file *mlra_stream_file_get(u32 slot, u64 id)
{
	struct mlra_stream_table *t;
	struct file *file = NULL;
	struct mlra_stream *e;

	rcu_read_lock();
	t = rcu_dereference(mlra_table);
	if (slot < table_size(t)) {
		e = &t->slots[slot];
		raw_spin_lock(&e->lock);
		/* Alive under the lock; referenced only if not yet dying. */
		if (e->file && e->id == id && file_pin(e->file))
			file = e->file;
		raw_spin_unlock(&e->lock);
	}
	rcu_read_unlock();
	return file;
}

/*
 * Call @fn on every live entry, locked; process context. The probes are
 * registered or not, but the release hook is: every file is alive while
 * its entry is locked.
 */
static void streams_walk(void (*fn)(struct mlra_stream *e, void *arg),
			 void *arg)
{
	struct mlra_stream_table *t = stream_table();
	unsigned int i;

	for (i = 0; i < table_size(t); i++) {
		struct mlra_stream *e = &t->slots[i];

		raw_spin_lock(&e->lock);
		if (e->file)
			fn(e, arg);
		raw_spin_unlock(&e->lock);
		cond_resched();
	}
}

static void stream_forget_fn(struct mlra_stream *e, void *unused)
{
	stream_forget(e);
}

/**
 * mlra_streams_drain() - give every file its own window back, forget all
 *
 * Called with the access probes unregistered and the release hook still
 * registered, with mlra_state_lock held.
 */
void mlra_streams_drain(void)
{
	streams_walk(stream_forget_fn, NULL);
}

static void stream_restore_fn(struct mlra_stream *e, void *unused)
{
	if (file_count(e->file))
		mlra_stream_restore(e);
}

static void stream_restore_hinted_fn(struct mlra_stream *e, void *unused)
{
	if (file_count(e->file) && e->hinted)
		mlra_stream_restore(e);
}

/**
 * mlra_streams_restore() - stop steering, keep watching
 *
 * For a change that stops steering while the probes stay (mode on to
 * observe): every file gets its own
 * window back and prefetch stops; streams and histories stay. Called with
 * mlra_state_lock held, after the knob changed, so no decision sets a
 * window again behind the walk.
 */
void mlra_streams_restore(void)
{
	streams_walk(stream_restore_fn, NULL);
}

/**
 * mlra_streams_restore_hinted() - stop steering the files with a hint
 *
 * As mlra_streams_restore(), for respect_hints 0 to 1.
 */
void mlra_streams_restore_hinted(void)
{
	streams_walk(stream_restore_hinted_fn, NULL);
}

static void stream_show_fn(struct mlra_stream *e, void *arg)
{
	struct seq_file *m = arg;
	struct inode *inode = file_host(e->file);
	char path[256];

	seq_printf(m, "%lu %llu %u %u %d %d ", inode->i_ino,
		   i_size_read(inode) >> PAGE_SHIFT, e->original_pages,
		   READ_ONCE(e->file->f_ra.ra_pages), e->changed, e->hinted);
	if (e->policy.applied == MLRA_NO_CLASS)
		seq_puts(m, "-");
	else
		seq_printf(m, "%u", e->policy.applied);
	seq_printf(m, " %u %u %u %llu ", e->history.count, e->seen,
		   e->misses, e->id);
	/*
	 * Up to four path components, within the file's file system; any
	 * name may hold blanks or a newline: escaped, so a line stays a line
	 * and the path one field.
	 */
	snprintf(path, sizeof(path), "%pD4", e->file);
	seq_escape(m, path, " \t\n\\");
	seq_putc(m, '\n');
}

/**
 * mlra_streams_show() - one line per live stream, for debugfs
 * @m: the seq_file
 *
 * Columns: inode, pages in the file, the file's own window, the window
 * now, whether mlra set it, whether the application hinted, class in
 * force (- for the kernel's own), accesses held, accesses seen, misses
 * seen, the stream's number (as in the access log, all 64 bits), and the
 * file's path (its last four components within its file system, blanks,
 * newlines and backslashes escaped in octal). Called with mlra_state_lock
 * held: the table is not replaced meanwhile.
 */
void mlra_streams_show(struct seq_file *m)
{
	seq_puts(m, "inode size_pages own_window window mlra hinted class accesses seen misses stream path\n");
	streams_walk(stream_show_fn, m);
	seq_printf(m, "# %u live of %u\n", mlra_streams_live(),
		   mlra_streams_max());
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/stream-kunit.h"
#endif
