// SPDX-License-Identifier: GPL-2.0
/*
 * Models, files and settings shared by the KUnit suites; built into the
 * KUnit object only.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/shmem_fs.h>
#include <linux/string.h>

#include <mlra/features.h>
#include <mlra/model.h>

#include "mlra.h"
#include "fixtures.h"

static const s32 golden_b0[] = { 0, 10, -300 };
static const s32 golden_w0[] = { 1, 2, -3, 4, 5, -6 };
static const s32 golden_b1[] = { 7, -7 };
static const s32 golden_w1[] = { 1, -1, 2, -2, 3, 1000 };

const struct mlra_model_spec mlra_test_golden_spec = {
	.name = "golden",
	.n_inputs = 2,
	.n_layers = 2,
	.input = { { 0, 1, 0 }, { 100, 2, 1 } },
	.layer = {
		{ 3, MLRA_ACT_RELU, 8, 1, golden_b0, golden_w0 },
		{ 2, MLRA_ACT_IDENTITY, 16, 0, golden_b1, golden_w1 },
	},
	.class_name = { "low", "high" },
};

/*
 * A read of one page at @index, as the read probe reports it: with
 * preemption off, as a kprobe handler runs.
 */
void mlra_test_read(struct file *file, u32 index)
{
	preempt_disable();
	mlra_stream_access(file, index, 1, MLRA_ACCESS_READ, MLRA_HINT_NONE);
	preempt_enable();
}

/*
 * A shmem file of @pages pages, none allocated until written (so it may
 * be larger than memory); the test is skipped without one.
 */
struct file *mlra_test_file_pages(struct kunit *test, unsigned long pages)
{
	struct file *f = shmem_file_setup("mlra-test",
					  (loff_t)pages << PAGE_SHIFT,
					  VM_NORESERVE);

	if (IS_ERR(f))
		kunit_skip(test, "no shmem file");
	return f;
}

/* A 1 MiB shmem file. */
struct file *mlra_test_file(struct kunit *test)
{
	return mlra_test_file_pages(test, 256);
}

/* Release @f as the release hook would, then drop it. */
void mlra_test_put_file(struct file *f)
{
	mlra_stream_release(f);
	fput(f);
}

static struct mlra_knobs saved_knobs;

/*
 * Mode on with a model that always says @action (its class 1), a decision
 * at every access: two accesses make it the policy's choice.
 * mlra_test_steer_off() puts the knobs back.
 */
void mlra_test_steer_on_action(struct kunit *test, const char *action)
{
	static const s32 w[2 * MLRA_NR_FEATURES];
	static const s32 b[] = { 0, 1000 };
	struct mlra_model_spec spec = {
		.name = "always-one", .n_inputs = MLRA_NR_FEATURES,
		.n_layers = 1,
		.layer = { { 2, MLRA_ACT_IDENTITY, 8, 0, b, w } },
		.class_name = { "keep" },
	};
	u8 *blob = kunit_kzalloc(test, MLRA_MODEL_MAX_SIZE, GFP_KERNEL);
	size_t len;

	if (!blob)
		kunit_skip(test, "out of memory");
	KUNIT_ASSERT_GT(test, strscpy(spec.class_name[1], action,
				      sizeof(spec.class_name[1])), 0);
	len = mlra_model_build(&spec, blob, MLRA_MODEL_MAX_SIZE);
	KUNIT_ASSERT_EQ(test, mlra_model_install(blob, len), 0);
	saved_knobs = mlra_knobs;
	mlra_knobs.enabled = true;
	mlra_knobs.mode = MLRA_MODE_ON;
	mlra_knobs.decision_interval = 1;
}

/* As mlra_test_steer_on_action() with "ra2048": a window of 512 pages. */
void mlra_test_steer_on(struct kunit *test)
{
	mlra_test_steer_on_action(test, "ra2048");
}

void mlra_test_steer_off(void)
{
	mlra_knobs = saved_knobs;
}

/* A suite's model publication, prefetch queue and a 16-entry table. */
int mlra_test_streams_init(struct kunit_suite *suite)
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

void mlra_test_streams_exit(struct kunit_suite *suite)
{
	mlra_prefetch_exit();
	mlra_streams_free();
	mlra_live_exit();
}
