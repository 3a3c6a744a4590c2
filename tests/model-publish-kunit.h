/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the live model, included at the end of src/model_publish.c:
 * uploads in chunks as sysfs delivers them, and RCU swaps while another
 * thread runs inference.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

#include "fixtures.h"

struct live_fixture {
	u8 golden[MLRA_MODEL_MAX_SIZE];
	size_t golden_len;
	u8 other[MLRA_MODEL_MAX_SIZE];
	size_t other_len;
};

static struct live_fixture *live_fixture_new(struct kunit *test)
{
	struct live_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct mlra_model_spec spec = mlra_test_golden_spec;
	static const s32 other_b1[] = { 5000, -5000 };

	if (!f)
		kunit_skip(test, "out of memory");
	f->golden_len = mlra_model_build(&spec, f->golden, sizeof(f->golden));
	strscpy(spec.name, "other", MLRA_NAME_LEN);
	spec.layer[1].bias = other_b1;
	f->other_len = mlra_model_build(&spec, f->other, sizeof(f->other));
	KUNIT_ASSERT_GT(test, f->golden_len, 0);
	KUNIT_ASSERT_GT(test, f->other_len, 0);
	return f;
}

static void live_reset(void)
{
	struct mlra_live_model *old;

	mutex_lock(&mlra_model_lock);
	old = rcu_replace_pointer(mlra_live, NULL,
				  lockdep_is_held(&mlra_model_lock));
	mlra_upload_len = 0;
	mutex_unlock(&mlra_model_lock);
	synchronize_rcu();
	kvfree(old);
}

static const char *live_name(void)
{
	static char name[MLRA_NAME_LEN];
	struct mlra_live_model *live;

	rcu_read_lock();
	live = rcu_dereference(mlra_live);
	strscpy(name, live ? live->model.name : "", sizeof(name));
	rcu_read_unlock();
	return name;
}

static void mlra_live_no_model(struct kunit *test)
{
	static const s32 x[2];
	struct mlra_prediction p = { .class = 99 };
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	if (!buf)
		kunit_skip(test, "out of memory");
	live_reset();
	KUNIT_EXPECT_FALSE(test, mlra_predict(x, &p));
	KUNIT_EXPECT_EQ(test, p.class, 99);
	mlra_model_show_info(buf);
	KUNIT_EXPECT_STREQ(test, buf,
			   "none: no model loaded; mode on acts as observe\n");
}

/* The built-in model: valid, on the features, its classes actions. */
static void mlra_live_default_model(struct kunit *test)
{
	struct mlra_action a;
	int i;

	live_reset();
	KUNIT_ASSERT_EQ(test, mlra_model_install(mlra_default_model,
						 mlra_default_model_size), 0);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, rcu_dereference(mlra_live)->model.n_inputs,
			MLRA_NR_FEATURES);
	KUNIT_EXPECT_STREQ(test, rcu_dereference(mlra_live)->model.class_name[0],
			   "keep");
	for (i = 1; i < rcu_dereference(mlra_live)->model.n_classes; i++) {
		mlra_action_parse(rcu_dereference(mlra_live)->model.class_name[i],
				  &a);
		KUNIT_EXPECT_FALSE_MSG(test, a.keep, "class %d", i);
	}
	rcu_read_unlock();
	live_reset();
}

static void mlra_live_upload(struct kunit *test)
{
	struct live_fixture *f = live_fixture_new(test);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	static const s32 x[2] = { 40, 90 };
	struct mlra_prediction p;

	if (!buf)
		kunit_skip(test, "out of memory");
	live_reset();
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->golden, 0, f->golden_len),
			f->golden_len);
	KUNIT_EXPECT_STREQ(test, live_name(), "golden");
	KUNIT_ASSERT_TRUE(test, mlra_predict(x, &p));
	KUNIT_EXPECT_EQ(test, p.logits[0], 17);	/* tests/models/golden.csv */
	mlra_model_show_info(buf);
	KUNIT_EXPECT_TRUE(test, strstr(buf, "shape 2-3-2\n"));
	KUNIT_EXPECT_TRUE(test, strstr(buf, "classes low high\n"));

	/* Short of its size field in a short write: rejected, old stays. */
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->other, 0, 100), -EINVAL);
	KUNIT_EXPECT_STREQ(test, live_name(), "golden");
	/* Not contiguous. */
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->other, 8, 100), -EINVAL);
	/* Corrupt. */
	f->other[60] ^= 1;
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->other, 0, f->other_len),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, live_name(), "golden");
	f->other[60] ^= 1;
	/* Longer than its size field says. */
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->other, 0, f->other_len + 4),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, live_name(), "golden");
	/* After all that, a valid one goes in. */
	KUNIT_EXPECT_EQ(test, mlra_model_upload(f->other, 0, f->other_len),
			f->other_len);
	KUNIT_EXPECT_STREQ(test, live_name(), "other");
	live_reset();
}

/* A blob larger than a page arrives as sysfs sends it: page by page. */
static void mlra_live_upload_pages(struct kunit *test)
{
	struct live_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct mlra_model_spec *spec = kunit_kzalloc(test, sizeof(*spec),
						     GFP_KERNEL);
	s32 *w = kunit_kcalloc(test, 64 * 64, sizeof(*w), GFP_KERNEL);
	static const s32 b[64];
	size_t off, n;
	int i;

	if (!f || !spec || !w)
		kunit_skip(test, "out of memory");
	strscpy(spec->name, "big", MLRA_NAME_LEN);
	spec->n_inputs = 32;
	spec->n_layers = 3;
	for (i = 0; i < 64 * 64; i++)
		w[i] = i % 7 - 3;
	spec->layer[0] = (typeof(spec->layer[0])){ 64, 1, 16, 8, b, w };
	spec->layer[1] = (typeof(spec->layer[1])){ 64, 1, 8, 8, b, w };
	spec->layer[2] = (typeof(spec->layer[2])){ 2, 0, 8, 8, b, w };
	strscpy(spec->class_name[0], "a", MLRA_CLASS_NAME_LEN);
	strscpy(spec->class_name[1], "b", MLRA_CLASS_NAME_LEN);
	f->golden_len = mlra_model_build(spec, f->golden, sizeof(f->golden));
	KUNIT_ASSERT_GT(test, f->golden_len, 2 * PAGE_SIZE);

	live_reset();
	for (off = 0; off < f->golden_len; off += n) {
		n = min_t(size_t, PAGE_SIZE, f->golden_len - off);
		KUNIT_ASSERT_EQ(test,
				mlra_model_upload(f->golden + off, off, n), n);
		if (off + n < f->golden_len)
			KUNIT_EXPECT_STREQ(test, live_name(), "");
	}
	KUNIT_EXPECT_STREQ(test, live_name(), "big");
	live_reset();
}

struct swap_reader {
	s32 x[2];
	struct mlra_prediction a, b;
	unsigned long reads, answers, wrong;
};

static int swap_reader_fn(void *data)
{
	struct swap_reader *r = data;
	struct mlra_prediction p;

	while (!kthread_should_stop()) {
		memset(&p, 0, sizeof(p));
		if (mlra_predict(r->x, &p)) {
			r->answers++;
			if (memcmp(&p, &r->a, sizeof(p)) &&
			    memcmp(&p, &r->b, sizeof(p)))
				r->wrong++;
		}
		r->reads++;
		cond_resched();
	}
	return 0;
}

/* Every answer during 200 swaps is one model's or the other's. */
static void mlra_live_swap_under_readers(struct kunit *test)
{
	struct live_fixture *f = live_fixture_new(test);
	struct swap_reader *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *reader;
	int i;

	if (!r)
		kunit_skip(test, "out of memory");
	r->x[0] = 10;
	r->x[1] = 120;
	live_reset();
	KUNIT_ASSERT_EQ(test, mlra_model_install(f->other, f->other_len), 0);
	KUNIT_ASSERT_TRUE(test, mlra_predict(r->x, &r->b));
	KUNIT_ASSERT_EQ(test, mlra_model_install(f->golden, f->golden_len), 0);
	KUNIT_ASSERT_TRUE(test, mlra_predict(r->x, &r->a));
	KUNIT_ASSERT_NE(test, r->a.logits[0], r->b.logits[0]);

	reader = kthread_run(swap_reader_fn, r, "mlra-swap-test");
	if (IS_ERR(reader))
		kunit_skip(test, "cannot start a thread");
	for (i = 0; i < 200; i++) {
		unsigned long seen = READ_ONCE(r->reads);
		int naps = 0;

		KUNIT_EXPECT_EQ(test, mlra_model_install(i & 1 ? f->golden :
							 f->other,
							 i & 1 ? f->golden_len :
							 f->other_len), 0);
		/* Let the reader in between swaps, even on one CPU. */
		while (READ_ONCE(r->reads) == seen && naps++ < 100)
			usleep_range(10, 20);
	}
	kthread_stop(reader);
	KUNIT_EXPECT_GT(test, r->answers, 0);
	KUNIT_EXPECT_EQ(test, r->wrong, 0);
	kunit_info(test, "%lu reads, %lu answers during 200 swaps", r->reads,
		   r->answers);
	live_reset();
}

static int mlra_live_suite_init(struct kunit_suite *suite)
{
	return mlra_live_init();
}

static void mlra_live_suite_exit(struct kunit_suite *suite)
{
	mlra_live_exit();
}

static struct kunit_case mlra_live_cases[] = {
	KUNIT_CASE(mlra_live_no_model),
	KUNIT_CASE(mlra_live_default_model),
	KUNIT_CASE(mlra_live_upload),
	KUNIT_CASE(mlra_live_upload_pages),
	KUNIT_CASE(mlra_live_swap_under_readers),
	{}
};

static struct kunit_suite mlra_live_suite = {
	.name = "mlra_live",
	.suite_init = mlra_live_suite_init,
	.suite_exit = mlra_live_suite_exit,
	.test_cases = mlra_live_cases,
};

kunit_test_suite(mlra_live_suite);
