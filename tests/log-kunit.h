/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the access log's rings, included at the end of
 * src/log.c: order and fields, a full ring's drops and the record that
 * reports them, nothing recorded while closed.
 */

#include <kunit/test.h>
#include <linux/shmem_fs.h>

static void log_index(u64 index)
{
	struct mlra_log_record r = { .index = index, .kind = MLRA_LOG_READ };

	/* As in a probe handler: this CPU's ring. */
	preempt_disable();
	if (mlra_logging())
		mlra_log(&r);
	preempt_enable();
}

static unsigned int log_take_all(struct mlra_log_record *out, unsigned int max)
{
	unsigned int n = 0, got;

	do {
		got = log_take(out + n, max - n);
		n += got;
	} while (got && n < max);
	return n;
}

static void mlra_log_order_and_fields(struct kunit *test)
{
	struct mlra_log_record out[16];
	unsigned int i, n;

	KUNIT_ASSERT_EQ(test, log_start(), 0);
	for (i = 0; i < 10; i++)
		log_index(100 + i);
	n = log_take_all(out, ARRAY_SIZE(out));
	log_stop();

	KUNIT_ASSERT_EQ(test, n, 10);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, out[i].index, 100 + i);
		KUNIT_EXPECT_EQ(test, out[i].magic, MLRA_LOG_MAGIC);
		KUNIT_EXPECT_EQ(test, out[i].kind, MLRA_LOG_READ);
		if (i)
			KUNIT_EXPECT_GE(test, out[i].time_ns,
					out[i - 1].time_ns);
	}
}

static void mlra_log_full_ring_drops(struct kunit *test)
{
	unsigned int n, i, extra = 5;
	u64 dropped = mlra_stat_sum(MLRA_STAT_LOG_DROPPED);
	struct mlra_log_record *out;

	out = kunit_kcalloc(test, MLRA_LOG_RECORDS + 8, sizeof(*out),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_EQ(test, log_start(), 0);
	for (i = 0; i < MLRA_LOG_RECORDS + extra; i++)
		log_index(i);
	n = log_take_all(out, MLRA_LOG_RECORDS + 8);
	KUNIT_EXPECT_EQ(test, n, MLRA_LOG_RECORDS);
	KUNIT_EXPECT_EQ(test, out[n - 1].index, MLRA_LOG_RECORDS - 1);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_LOG_DROPPED) - dropped,
			extra);

	/* Room again: the next record follows the count of those lost. */
	log_index(7);
	n = log_take_all(out, 8);
	log_stop();
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, out[0].kind, MLRA_LOG_DROPPED);
	KUNIT_EXPECT_EQ(test, out[0].pages, extra);
	KUNIT_EXPECT_EQ(test, out[0].magic, MLRA_LOG_MAGIC);
	KUNIT_EXPECT_EQ(test, out[1].index, 7);
}

static void mlra_log_closed_records_nothing(struct kunit *test)
{
	struct mlra_log_record out[4];
	u64 records = mlra_stat_sum(MLRA_STAT_LOG_RECORDS);

	KUNIT_EXPECT_FALSE(test, mlra_logging());
	log_index(1);
	KUNIT_EXPECT_EQ(test, mlra_stat_sum(MLRA_STAT_LOG_RECORDS), records);
	/* Opened again, the log holds only what came after. */
	KUNIT_ASSERT_EQ(test, log_start(), 0);
	KUNIT_EXPECT_TRUE(test, mlra_logging());
	log_index(5);
	KUNIT_EXPECT_EQ(test, log_take_all(out, ARRAY_SIZE(out)), 1);
	KUNIT_EXPECT_EQ(test, out[0].index, 5);
	log_stop();
}

/* What the stream table logs: accesses and releases, with their files. */
static void mlra_log_streams(struct kunit *test)
{
	struct file *f = shmem_file_setup("mlra-test", (1 << 20) + 1, 0);
	struct file *g = shmem_file_setup("mlra-test", 1 << 20, 0);
	struct mlra_log_record out[8];
	unsigned int n;

	if (IS_ERR(f) || IS_ERR(g))
		kunit_skip(test, "no shmem file");
	KUNIT_ASSERT_EQ(test, log_start(), 0);
	preempt_disable();
	mlra_stream_access(f, 3, 2, MLRA_ACCESS_READ, MLRA_HINT_NONE);
	mlra_stream_access(g, 9, 1, MLRA_ACCESS_FAULT, MLRA_HINT_NONE);
	/* a retry */
	mlra_stream_access(g, 9, 1, MLRA_ACCESS_FAULT, MLRA_HINT_NONE);
	mlra_stream_release(f);
	mlra_stream_release(g);
	preempt_enable();
	n = log_take_all(out, ARRAY_SIZE(out));
	log_stop();

	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, out[0].kind, MLRA_LOG_READ);
	KUNIT_EXPECT_EQ(test, out[0].index, 3);
	KUNIT_EXPECT_EQ(test, out[0].pages, 2);
	KUNIT_EXPECT_EQ(test, out[0].ino, file_inode(f)->i_ino);
	KUNIT_EXPECT_EQ(test, out[0].dev,
			new_encode_dev(file_inode(f)->i_sb->s_dev));
	KUNIT_EXPECT_EQ(test, out[0].window, f->f_ra.ra_pages);
	/* The partial last page counts. */
	KUNIT_EXPECT_EQ(test, out[0].size_pages, ((1 << 20) >> PAGE_SHIFT) + 1);
	KUNIT_EXPECT_EQ(test, out[1].kind, MLRA_LOG_FAULT);
	KUNIT_EXPECT_EQ(test, out[1].index, 9);
	KUNIT_EXPECT_EQ(test, out[1].ino, file_inode(g)->i_ino);
	KUNIT_EXPECT_NE(test, out[0].stream, out[1].stream);
	KUNIT_EXPECT_EQ(test, out[2].kind, MLRA_LOG_RELEASE);
	KUNIT_EXPECT_EQ(test, out[2].stream, out[0].stream);
	KUNIT_EXPECT_EQ(test, out[3].kind, MLRA_LOG_RELEASE);
	KUNIT_EXPECT_EQ(test, out[3].stream, out[1].stream);
	fput(f);
	fput(g);
}

static int mlra_log_suite_init(struct kunit_suite *suite)
{
	return mlra_streams_alloc(16);
}

static void mlra_log_suite_exit(struct kunit_suite *suite)
{
	mlra_streams_free();
}

static struct kunit_case mlra_log_cases[] = {
	KUNIT_CASE(mlra_log_order_and_fields),
	KUNIT_CASE(mlra_log_full_ring_drops),
	KUNIT_CASE(mlra_log_closed_records_nothing),
	KUNIT_CASE(mlra_log_streams),
	{}
};

static struct kunit_suite mlra_log_suite = {
	.name = "mlra_log",
	.suite_init = mlra_log_suite_init,
	.suite_exit = mlra_log_suite_exit,
	.test_cases = mlra_log_cases,
};

kunit_test_suite(mlra_log_suite);
