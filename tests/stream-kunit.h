/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the stream table, included at the end of src/stream.c,
 * with real (shmem) files: filling past capacity, recycling, release, the
 * reuse of a struct file address, windows given back only where they are
 * still mlra's, dying files left alone, and prefetch that holds no file.
 */

#include <kunit/test.h>
#include <linux/file.h>

#include "fixtures.h"

#define TEST_FILES 40

static int stream_entries(struct file *file)
{
	struct mlra_stream_table *t = stream_table();
	unsigned int i;
	int n = 0;

	for (i = 0; i < table_size(t); i++)
		n += READ_ONCE(t->slots[i].file) == file;
	return n;
}

static void mlra_stream_one_entry_per_file(struct kunit *test)
{
	struct file *f = mlra_test_file(test);
	struct mlra_stream *e;
	int i;

	for (i = 0; i < 100; i++)
		mlra_test_read(f, i);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, MLRA_RING);
	/* debugfs' counts: every access; a miss only where one was read. */
	KUNIT_EXPECT_EQ(test, e->seen, 100);
	mlra_stream_ra(f, 99, 1, false);
	mlra_stream_ra(f, 5, 1, false);
	mlra_stream_ra(f, 99, 1, true);
	KUNIT_EXPECT_EQ(test, e->misses, 1);

	/* Released: gone. The same address read again starts afresh. */
	mlra_stream_release(f);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);
	mlra_test_read(f, 0);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, 1);
	KUNIT_EXPECT_EQ(test, e->seen, 1);
	KUNIT_EXPECT_EQ(test, e->misses, 0);
	mlra_test_put_file(f);
	KUNIT_EXPECT_EQ(test, mlra_streams_live(), 0);
}

/* A file has mlra's window exactly while it has an entry. */
static void mlra_stream_fill_recycle_restore(struct kunit *test)
{
	struct file **files = kunit_kcalloc(test, TEST_FILES, sizeof(*files),
					    GFP_KERNEL);
	u64 recycled = mlra_stat_sum(MLRA_STAT_RECYCLED);
	u32 own = 0;
	int i, j;

	if (!files)
		kunit_skip(test, "out of memory");
	mlra_test_steer_on(test);

	for (i = 0; i < TEST_FILES; i++) {
		files[i] = mlra_test_file(test);
		own = files[i]->f_ra.ra_pages;
		mlra_test_read(files[i], 0);
		mlra_test_read(files[i], 1);	/* two wins: the window is set */
		KUNIT_EXPECT_EQ(test, files[i]->f_ra.ra_pages, 512);
		for (j = 0; j <= i; j++)
			KUNIT_EXPECT_EQ_MSG(test, files[j]->f_ra.ra_pages,
					    stream_entries(files[j]) ? 512 : own,
					    "file %d after %d", j, i);
		KUNIT_EXPECT_LE(test, mlra_streams_live(), 16);
	}
	KUNIT_EXPECT_GE(test, mlra_stat_sum(MLRA_STAT_RECYCLED) - recycled,
			TEST_FILES - 16);

	mlra_streams_drain();
	KUNIT_EXPECT_EQ(test, mlra_streams_live(), 0);
	for (i = 0; i < TEST_FILES; i++) {
		KUNIT_EXPECT_EQ(test, files[i]->f_ra.ra_pages, own);
		mlra_test_put_file(files[i]);
	}
	mlra_test_steer_off();
}

/*
 * A file in __fput() has a count of zero and may still be read (IMA
 * rehashes it after the release hook): no entry is made for it.
 */
static void mlra_stream_dying_file_ignored(struct kunit *test)
{
	struct file *f = mlra_test_file(test);

	atomic_long_set(&f->f_count, 0);
	mlra_test_read(f, 0);
	mlra_stream_ra(f, 0, 1, false);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);
	atomic_long_set(&f->f_count, 1);
	mlra_test_read(f, 0);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	mlra_test_put_file(f);
}

/*
 * A window the application set after mlra's stands when mlra lets go;
 * leaving mode on for observe gives the file its own window back and
 * keeps the stream; respect_hints 0 to 1 does so for hinted files only.
 */
static void mlra_stream_restore_only_own(struct kunit *test)
{
	struct file *f = mlra_test_file(test), *g = mlra_test_file(test);
	u32 own = f->f_ra.ra_pages;

	mlra_test_steer_on(test);
	mlra_test_read(f, 0);
	mlra_test_read(f, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	f->f_ra.ra_pages = 64;	/* as POSIX_FADV_SEQUENTIAL would */
	mlra_streams_drain();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, 64);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);

	f->f_ra.ra_pages = own;
	mlra_test_read(f, 0);
	mlra_test_read(f, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	mlra_knobs.mode = MLRA_MODE_OBSERVE;
	mlra_streams_restore();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	mlra_test_read(f, 2);
	mlra_test_read(f, 3);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);

	/* g hinted (a window not the device's), steered: respect_hints 0. */
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.respect_hints = 0;
	g->f_ra.ra_pages = 64;
	mlra_test_read(f, 4);
	mlra_test_read(f, 5);
	mlra_test_read(g, 0);
	mlra_test_read(g, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	KUNIT_ASSERT_EQ(test, g->f_ra.ra_pages, 512);
	mlra_knobs.respect_hints = 1;
	mlra_streams_restore_hinted();
	KUNIT_EXPECT_EQ(test, g->f_ra.ra_pages, 64);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, 512);
	mlra_streams_drain();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	mlra_test_steer_off();
	mlra_test_put_file(f);
	mlra_test_put_file(g);
}

/*
 * A stride class's window undone by the guard at a readahead request
 * leaves its prefetch on, each stride alone, and so do the decisions the
 * guard holds off after it; a new trial that the guard lets stand ends
 * that. (shmem has no block device: no gap is read through either way;
 * mlra_prefetch_gap() is tested in the policy suite.)
 */
static void mlra_stream_guard_keeps_stride_prefetch(struct kunit *test)
{
	struct file *f = mlra_test_file(test);
	u64 undone = mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST);
	struct mlra_stream *e;
	u32 own = 32, i, j, asked;

	/* Class 1's undos and mutes of earlier tests do not count here. */
	mlra_test_class_set(1, false);
	/* A disk's window set by hand is a hint: respect_hints 0. */
	f->f_ra.ra_pages = own;
	mlra_test_steer_on_action(test, "stride");
	mlra_knobs.respect_hints = 0;
	for (i = 0; i < 3; i++)
		mlra_test_read(f, 16 * i);
	e = stream_lookup(stream_table(), f);
	if (!e || f->f_ra.ra_pages == own) {
		KUNIT_FAIL(test, "no stream, or its window not set");
		goto out;
	}
	KUNIT_EXPECT_EQ(test, e->prefetch, MLRA_PF_STRIDE);
	KUNIT_EXPECT_FALSE(test, e->strides_alone);

	/* Requests far larger than the stream asks for: undone. */
	for (j = 0; j < 8 && f->f_ra.ra_pages != own; j++)
		mlra_stream_read_in(f, 4096);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST) - undone,
			1ULL);
	KUNIT_EXPECT_EQ(test, e->prefetch, MLRA_PF_STRIDE);
	KUNIT_EXPECT_TRUE(test, e->strides_alone);

	/* Held off: the window stays the file's own, strides are asked. */
	asked = e->pf.asked;
	mlra_test_read(f, 48);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	KUNIT_EXPECT_EQ(test, e->prefetch, MLRA_PF_STRIDE);
	KUNIT_EXPECT_TRUE(test, e->strides_alone);
	KUNIT_EXPECT_GT(test, e->pf.asked, asked);

	/*
	 * Muted, its window overridden with no thrash verdict: while the
	 * cache thrashes, no stride is asked for all the same.
	 */
	mlra_test_class_set(1, true);
	mlra_test_thrash_set(true);
	asked = e->pf.asked;
	mlra_test_read(f, 64);
	KUNIT_EXPECT_EQ(test, e->prefetch, MLRA_PF_STRIDE);
	KUNIT_EXPECT_TRUE(test, e->strides_alone);
	mlra_test_read(f, 80);
	KUNIT_EXPECT_EQ(test, e->pf.asked, asked);
	/* The area is followed, not closed, while nothing is asked. */
	KUNIT_EXPECT_EQ(test, e->pf.kind, MLRA_PF_STRIDE);
	mlra_test_thrash_set(false);
	mlra_test_class_set(1, false);

	/* The hold runs out: a new trial, nothing overridden. */
	for (i = 6; i < 16 && f->f_ra.ra_pages == own; i++)
		mlra_test_read(f, 16 * i);
	KUNIT_EXPECT_GT(test, f->f_ra.ra_pages, own);
	KUNIT_EXPECT_FALSE(test, e->strides_alone);
out:
	mlra_test_thrash_set(false);
	mlra_prefetch_flush();
	mlra_test_steer_off();
	mlra_test_class_set(1, false);
	mlra_test_put_file(f);
}

/*
 * Queued prefetch names the stream, not the file: it holds no reference,
 * so the file is freed at its last close, and what is queued for it then
 * goes unread; nothing is issued while mlra is not steering.
 */
static void mlra_stream_prefetch_holds_no_file(struct kunit *test)
{
	struct file *f = mlra_test_file(test);
	u64 skipped = mlra_stat_sum(MLRA_STAT_PF_SKIPPED);
	u64 issued = mlra_stat_sum(MLRA_STAT_PF_REQUESTS), pages;
	struct mlra_knobs saved_knobs = mlra_knobs;
	struct mlra_stream *e;
	u64 id;
	u32 slot;

	mlra_knobs.enabled = true;
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_test_read(f, 0);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	slot = mlra_stream_slot(e);
	id = e->id;

	preempt_disable();
	mlra_prefetch_queue(slot, id, 8, 4);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, file_count(f), 1);
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_REQUESTS) - issued, 1);
	KUNIT_EXPECT_EQ(test, file_count(f), 1);

	/* Cut at the end of the file (256 pages), none past it. */
	pages = mlra_stat_sum(MLRA_STAT_PF_PAGES);
	preempt_disable();
	mlra_prefetch_queue(slot, id, 250, 10);
	mlra_prefetch_queue(slot, id, 256, 1);
	preempt_enable();
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_REQUESTS) - issued, 2);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_PAGES) - pages, 6);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_SKIPPED) - skipped, 1);
	skipped = mlra_stat_sum(MLRA_STAT_PF_SKIPPED);

	/* Not steering: dropped. */
	mlra_knobs.enabled = false;
	preempt_disable();
	mlra_prefetch_queue(slot, id, 8, 4);
	preempt_enable();
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_SKIPPED) - skipped, 1);

	/* Released with a request queued: dropped, and the slot's next
	 * stream is not read for it.
	 */
	mlra_knobs.enabled = true;
	preempt_disable();
	mlra_prefetch_queue(slot, id, 8, 4);
	preempt_enable();
	mlra_stream_release(f);
	mlra_prefetch_flush();
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_SKIPPED) - skipped, 2);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_PF_REQUESTS) - issued, 2);
	KUNIT_EXPECT_NULL(test, mlra_stream_file_get(slot, id));
	mlra_knobs = saved_knobs;
	fput(f);
}

/* mlra_stream_spread() as a decision calls it: under the entry's lock. */
static bool spread_locked(struct mlra_stream *e, bool scattered)
{
	bool spread;

	raw_spin_lock(&e->lock);
	spread = mlra_stream_spread(e, scattered);
	raw_spin_unlock(&e->lock);
	return spread;
}

/*
 * The footprint of scattered faults: a file counts while its stream's
 * faults are scattered, once, and leaves it when they are not, when the
 * file is released and when its entry is forgotten; a file larger than
 * memory counts as memory and a page; a stream is spread only while the
 * footprint is larger than memory.
 */
static void mlra_stream_spread_footprint(struct kunit *test)
{
	struct file *small = mlra_test_file(test);
	struct file *big = mlra_test_file_pages(test, totalram_pages() + 256);
	s64 base = atomic64_read(&mlra_spread_pages);
	struct mlra_stream *a, *b;

	mlra_test_read(small, 0);
	mlra_test_read(big, 0);
	a = stream_lookup(stream_table(), small);
	b = stream_lookup(stream_table(), big);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	KUNIT_EXPECT_FALSE(test, spread_locked(a, true));
	KUNIT_EXPECT_FALSE(test, spread_locked(a, true));
	KUNIT_EXPECT_EQ(test, atomic64_read(&mlra_spread_pages) - base, 256);

	KUNIT_EXPECT_TRUE(test, spread_locked(b, true));
	KUNIT_EXPECT_TRUE(test, spread_locked(a, true));
	KUNIT_EXPECT_EQ(test, atomic64_read(&mlra_spread_pages) - base,
			(s64)totalram_pages() + 1 + 256);

	/* Not scattered: out of the footprint, and never spread itself. */
	KUNIT_EXPECT_FALSE(test, spread_locked(b, false));
	KUNIT_EXPECT_FALSE(test, spread_locked(a, true));
	KUNIT_EXPECT_EQ(test, atomic64_read(&mlra_spread_pages) - base, 256);

	/* Released, or forgotten: its pages go with it. */
	spread_locked(b, true);
	mlra_test_put_file(big);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mlra_spread_pages) - base, 256);
	raw_spin_lock(&a->lock);
	stream_forget(a);
	raw_spin_unlock(&a->lock);
	KUNIT_EXPECT_EQ(test, atomic64_read(&mlra_spread_pages), base);
	mlra_test_put_file(small);
}

static struct kunit_case mlra_stream_cases[] = {
	KUNIT_CASE(mlra_stream_one_entry_per_file),
	KUNIT_CASE(mlra_stream_fill_recycle_restore),
	KUNIT_CASE(mlra_stream_dying_file_ignored),
	KUNIT_CASE(mlra_stream_restore_only_own),
	KUNIT_CASE(mlra_stream_prefetch_holds_no_file),
	KUNIT_CASE(mlra_stream_guard_keeps_stride_prefetch),
	KUNIT_CASE(mlra_stream_spread_footprint),
	{}
};

static struct kunit_suite mlra_stream_suite = {
	.name = "mlra_stream",
	.suite_init = mlra_test_streams_init,
	.suite_exit = mlra_test_streams_exit,
	.test_cases = mlra_stream_cases,
};

kunit_test_suite(mlra_stream_suite);
