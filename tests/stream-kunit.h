/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the stream table, included at the end of src/stream.c,
 * with real (shmem) files: filling past capacity, recycling, release, the
 * reuse of a struct file address, windows given back only where they are
 * still mlra's, dying files left alone, prefetch that holds no file, and
 * the guard's undo and class mute.
 */

#include <kunit/test.h>
#include <linux/shmem_fs.h>

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

static void read_once(struct file *file, u32 index)
{
	mlra_stream_access(file, index, 1, MLRA_ACCESS_READ, MLRA_HINT_NONE);
}

static struct file *test_file(struct kunit *test)
{
	struct file *f = shmem_file_setup("mlra-test", 1 << 20, 0);

	if (IS_ERR(f))
		kunit_skip(test, "no shmem file");
	return f;
}

static void put_test_file(struct file *f)
{
	mlra_stream_release(f);
	fput(f);
}

static struct mlra_knobs saved_knobs;

/* Mode on with a model that always says "ra2048" (512 pages), a decision
 * at every access: two accesses set the window.
 */
static void steer_on_model(struct kunit *test)
{
	static const s32 w[2 * MLRA_NR_FEATURES];
	static const s32 b[] = { 0, 1000 };
	struct mlra_model_spec spec = {
		.name = "always-ra2048", .n_inputs = MLRA_NR_FEATURES,
		.n_layers = 1,
		.layer = { { 2, MLRA_ACT_IDENTITY, 8, 0, b, w } },
		.class_name = { "keep", "ra2048" },
	};
	u8 *blob = kunit_kzalloc(test, MLRA_MODEL_MAX_SIZE, GFP_KERNEL);
	size_t len;

	if (!blob)
		kunit_skip(test, "out of memory");
	len = mlra_model_build(&spec, blob, MLRA_MODEL_MAX_SIZE);
	KUNIT_ASSERT_EQ(test, mlra_model_install(blob, len), 0);
	saved_knobs = mlra_knobs;
	mlra_knobs.enabled = true;
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.decision_interval = 1;
}

static void steer_off(void)
{
	mlra_knobs = saved_knobs;
}

static void mlra_stream_one_entry_per_file(struct kunit *test)
{
	struct file *f = test_file(test);
	struct mlra_stream *e;
	int i;

	for (i = 0; i < 100; i++)
		read_once(f, i);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, MLRA_RING);

	/* Released: gone. The same address read again starts afresh. */
	mlra_stream_release(f);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);
	read_once(f, 0);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, 1);
	put_test_file(f);
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
	steer_on_model(test);

	for (i = 0; i < TEST_FILES; i++) {
		files[i] = test_file(test);
		own = files[i]->f_ra.ra_pages;
		read_once(files[i], 0);
		read_once(files[i], 1);	/* two wins: the window is set */
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
		put_test_file(files[i]);
	}
	steer_off();
}

/*
 * A file in __fput() has a count of zero and may still be read (IMA
 * rehashes it after the release hook): no entry is made for it.
 */
static void mlra_stream_dying_file_ignored(struct kunit *test)
{
	struct file *f = test_file(test);

	atomic_long_set(&f->f_count, 0);
	read_once(f, 0);
	mlra_stream_ra(f, 0, 1, false);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);
	atomic_long_set(&f->f_count, 1);
	read_once(f, 0);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	put_test_file(f);
}

/*
 * A window the application set after mlra's stands when mlra lets go;
 * leaving mode on for observe gives the file its own window back and
 * keeps the stream; respect_hints 0 to 1 does so for hinted files only.
 */
static void mlra_stream_restore_only_own(struct kunit *test)
{
	struct file *f = test_file(test), *g = test_file(test);
	u32 own = f->f_ra.ra_pages;

	steer_on_model(test);
	read_once(f, 0);
	read_once(f, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	f->f_ra.ra_pages = 64;	/* as POSIX_FADV_SEQUENTIAL would */
	mlra_streams_drain();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, 64);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);

	f->f_ra.ra_pages = own;
	read_once(f, 0);
	read_once(f, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	mlra_knobs.mode = MLRA_MODE_OBSERVE;
	mlra_streams_restore();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	read_once(f, 2);
	read_once(f, 3);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);

	/* g hinted (a window not the device's), steered: respect_hints 0. */
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.respect_hints = 0;
	g->f_ra.ra_pages = 64;
	read_once(f, 4);
	read_once(f, 5);
	read_once(g, 0);
	read_once(g, 1);
	KUNIT_ASSERT_EQ(test, f->f_ra.ra_pages, 512);
	KUNIT_ASSERT_EQ(test, g->f_ra.ra_pages, 512);
	mlra_knobs.respect_hints = 1;
	mlra_streams_restore_hinted();
	KUNIT_EXPECT_EQ(test, g->f_ra.ra_pages, 64);
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, 512);
	mlra_streams_drain();
	KUNIT_EXPECT_EQ(test, f->f_ra.ra_pages, own);
	steer_off();
	put_test_file(f);
	put_test_file(g);
}

/*
 * Queued prefetch names the stream, not the file: it holds no reference,
 * so the file is freed at its last close, and what is queued for it then
 * goes unread; nothing is issued while mlra is not steering.
 */
static void mlra_stream_prefetch_holds_no_file(struct kunit *test)
{
	struct file *f = test_file(test);
	u64 skipped = mlra_stat_sum(MLRA_STAT_PF_SKIPPED);
	u64 issued = mlra_stat_sum(MLRA_STAT_PF_REQUESTS), pages;
	struct mlra_stream *e;
	u64 id;
	u32 slot;

	saved_knobs = mlra_knobs;
	mlra_knobs.enabled = true;
	mlra_knobs.mode = MLRA_MODE_ON;
	read_once(f, 0);
	e = stream_lookup(stream_table(), f);
	KUNIT_ASSERT_NOT_NULL(test, e);
	slot = e - stream_table()->slots;
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
	steer_off();
	fput(f);
}

static int mlra_stream_suite_init(struct kunit_suite *suite)
{
	int err = mlra_live_init();

	if (err)
		return err;
	err = mlra_prefetch_init();
	if (err) {
		mlra_live_exit();
		return err;
	}
	err = mlra_streams_alloc(16);
	if (err) {
		mlra_prefetch_exit();
		mlra_live_exit();
	}
	return err;
}

/*
 * The guard from the probes' side: a window whose readahead reads far
 * more than its stream asks for is undone at the request that shows it;
 * after MLRA_MUTE_UNDOS such undos in a row, across files, the class is
 * muted, and a new file does not get its window.
 */
static void mlra_stream_guard_undoes_and_mutes(struct kunit *test)
{
	struct file *f[MLRA_MUTE_UNDOS + 1];
	u64 undone = mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST);
	u64 mutes = mlra_stat_sum(MLRA_STAT_GUARD_MUTES);
	u32 own;
	int i, j;

	/*
	 * A disk's window of 32 pages, not shmem's 0 (against which a
	 * request a page is the base); set by hand, the window is a hint:
	 * respect_hints 0.
	 */
	for (i = 0; i <= MLRA_MUTE_UNDOS; i++) {
		f[i] = test_file(test);
		f[i]->f_ra.ra_pages = 32;
	}
	own = 32;
	steer_on_model(test);
	mlra_knobs.respect_hints = 0;
	for (i = 0; i < MLRA_MUTE_UNDOS; i++) {
		read_once(f[i], 0);
		read_once(f[i], 100);
		KUNIT_ASSERT_EQ(test, f[i]->f_ra.ra_pages, 512);
		KUNIT_EXPECT_FALSE(test, class_muted(1));
		/* Faults far apart, each reading the window around it. */
		for (j = 0; j < 8 && f[i]->f_ra.ra_pages == 512; j++) {
			mlra_stream_access(f[i], 200 + 20 * j, 1,
					   MLRA_ACCESS_FAULT, MLRA_HINT_NONE);
			mlra_stream_read_in(f[i], 512);
		}
		KUNIT_EXPECT_EQ_MSG(test, f[i]->f_ra.ra_pages, own, "file %d", i);
		KUNIT_EXPECT_LE(test, j, MLRA_GUARD_DECISIONS);
	}
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_GUARD_UNDONE_COST) - undone,
			(u64)MLRA_MUTE_UNDOS);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_GUARD_MUTES) - mutes, 1ULL);
	KUNIT_EXPECT_TRUE(test, class_muted(1));
	read_once(f[MLRA_MUTE_UNDOS], 0);
	read_once(f[MLRA_MUTE_UNDOS], 1);
	read_once(f[MLRA_MUTE_UNDOS], 2);
	KUNIT_EXPECT_EQ(test, f[MLRA_MUTE_UNDOS]->f_ra.ra_pages, own);
	/* The next mute of the class, if no change of it pays, is longer. */
	KUNIT_EXPECT_EQ(test, mlra_class_mute_shift[1], 1);
	/* The mute ends: the next test's files get the window again. */
	WRITE_ONCE(mlra_class_muted_until[1], jiffies);
	class_paid(1);
	steer_off();
	for (i = 0; i <= MLRA_MUTE_UNDOS; i++)
		put_test_file(f[i]);
}

static void mlra_stream_suite_exit(struct kunit_suite *suite)
{
	mlra_prefetch_exit();
	mlra_streams_free();
	mlra_live_exit();
}

static struct kunit_case mlra_stream_cases[] = {
	KUNIT_CASE(mlra_stream_one_entry_per_file),
	KUNIT_CASE(mlra_stream_fill_recycle_restore),
	KUNIT_CASE(mlra_stream_dying_file_ignored),
	KUNIT_CASE(mlra_stream_restore_only_own),
	KUNIT_CASE(mlra_stream_prefetch_holds_no_file),
	KUNIT_CASE(mlra_stream_guard_undoes_and_mutes),
	{}
};

static struct kunit_suite mlra_stream_suite = {
	.name = "mlra_stream",
	.suite_init = mlra_stream_suite_init,
	.suite_exit = mlra_stream_suite_exit,
	.test_cases = mlra_stream_cases,
};

kunit_test_suite(mlra_stream_suite);
