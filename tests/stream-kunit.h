/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the stream table, included at the end of src/stream.c,
 * with real (shmem) files: filling past capacity, recycling, release, the
 * reuse of a struct file address, and windows given back.
 */

#include <kunit/test.h>
#include <linux/shmem_fs.h>

#define TEST_FILES 40

static int stream_entries(struct file *file)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < slot_count(); i++)
		n += READ_ONCE(mlra_slots[i].file) == file;
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

static void mlra_stream_one_entry_per_file(struct kunit *test)
{
	struct file *f = test_file(test);
	struct mlra_stream *e;
	int i;

	for (i = 0; i < 100; i++)
		read_once(f, i);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 1);
	e = stream_slot(f, false);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, MLRA_RING);

	/* Released: gone. The same address read again starts afresh. */
	mlra_stream_release(f);
	KUNIT_EXPECT_EQ(test, stream_entries(f), 0);
	read_once(f, 0);
	e = stream_slot(f, false);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->history.count, 1);
	put_test_file(f);
	KUNIT_EXPECT_EQ(test, mlra_streams_live(), 0);
}

/* A file has mlra's window exactly while it has an entry. */
static void mlra_stream_fill_recycle_restore(struct kunit *test)
{
	static const s32 w[2 * MLRA_NR_FEATURES];
	static const s32 b[] = { 0, 1000 };
	struct mlra_model_spec spec = {
		.name = "always-ra2048", .n_inputs = MLRA_NR_FEATURES,
		.n_layers = 1,
		.layer = { { 2, MLRA_ACT_IDENTITY, 8, 0, b, w } },
		.class_name = { "keep", "ra2048" },
	};
	struct file **files = kunit_kcalloc(test, TEST_FILES, sizeof(*files),
					    GFP_KERNEL);
	u8 *blob = kunit_kzalloc(test, MLRA_MODEL_MAX_SIZE, GFP_KERNEL);
	u64 recycled = mlra_stat_sum(MLRA_STAT_RECYCLED);
	size_t len;
	u32 own = 0;
	int i, j;

	if (!files || !blob)
		kunit_skip(test, "out of memory");
	len = mlra_model_build(&spec, blob, MLRA_MODEL_MAX_SIZE);
	KUNIT_ASSERT_EQ(test, mlra_model_install(blob, len), 0);
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.decision_interval = 1;

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
	mlra_knobs.mode = MLRA_MODE_OBSERVE;
	mlra_knobs.decision_interval = 16;
}

static int mlra_stream_suite_init(struct kunit_suite *suite)
{
	int err = mlra_live_init();

	return err ? err : mlra_streams_alloc(16);
}

static void mlra_stream_suite_exit(struct kunit_suite *suite)
{
	mlra_streams_free();
	mlra_live_exit();
}

static struct kunit_case mlra_stream_cases[] = {
	KUNIT_CASE(mlra_stream_one_entry_per_file),
	KUNIT_CASE(mlra_stream_fill_recycle_restore),
	{}
};

static struct kunit_suite mlra_stream_suite = {
	.name = "mlra_stream",
	.suite_init = mlra_stream_suite_init,
	.suite_exit = mlra_stream_suite_exit,
	.test_cases = mlra_stream_cases,
};

kunit_test_suite(mlra_stream_suite);
