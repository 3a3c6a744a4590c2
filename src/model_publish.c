// SPDX-License-Identifier: GPL-2.0
/*
 * Publishing the model: a blob written to /sys/kernel/mm/mlra/model is
 * gathered, validated and swapped in whole by RCU; the read side
 * (mlra_predict(), mlra_model_decide()) runs under rcu_read_lock() only.
 * No model is a legal state; mlra then gives each file the kernel's own
 * window.
 */

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <mlra/model.h>
#include <mlra/policy.h>

#include "mlra.h"

/**
 * struct mlra_live_model - a model in service
 * @rcu: frees it after the readers it may have
 * @generation: differs from every earlier model's, so that streams can
 *	tell their policy memory refers to another model's classes
 * @actions: what each class asks for, from its name
 * @model: the model
 * @packed: its packed weights
 */
struct mlra_live_model {
	struct rcu_head rcu;
	u32 generation;
	struct mlra_action actions[MLRA_MAX_CLASSES];
	struct mlra_model model;
	s64 packed[];
};

static struct mlra_live_model __rcu *mlra_live;

/* Serialises uploads and swaps; guards the upload buffer. */
static DEFINE_MUTEX(mlra_model_lock);
static u32 mlra_generation;
static u8 *mlra_upload;
static size_t mlra_upload_len;

/* Validate, pack and publish a blob; the caller holds mlra_model_lock. */
static int model_install_locked(const u8 *blob, size_t len)
{
	struct mlra_live_model *live, *old;
	struct mlra_model *m;
	int err, i;

	lockdep_assert_held(&mlra_model_lock);
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	err = mlra_model_parse(m, blob, len);
	if (err) {
		pr_warn_ratelimited("model rejected: %s\n",
				    mlra_model_strerror(err));
		kfree(m);
		return -EINVAL;
	}
	live = kvmalloc(struct_size(live, packed,
				    mlra_model_packed_size(m) / sizeof(s64)),
			GFP_KERNEL);
	if (!live) {
		kfree(m);
		return -ENOMEM;
	}
	live->model = *m;
	kfree(m);
	mlra_model_pack(&live->model, blob, live->packed);
	for (i = 0; i < live->model.n_classes; i++)
		mlra_action_parse(live->model.class_name[i], &live->actions[i]);
	/* A stream's generation 0 means it has seen no model: skip it. */
	if (!++mlra_generation)
		mlra_generation++;
	live->generation = mlra_generation;

	old = rcu_replace_pointer(mlra_live, live,
				  lockdep_is_held(&mlra_model_lock));
	if (old)
		kvfree_rcu(old, rcu);
	pr_info_ratelimited("model %s installed (%zu bytes, crc32 0x%08x)\n",
			    live->model.name, len, live->model.crc);
	return 0;
}

/**
 * mlra_model_install() - validate a blob and make it the live model
 * @blob: the blob; copied, so the caller keeps it
 * @len: its length
 *
 * Called in process context; sleeps. Readers see the old model or the
 * new one, never a mix; the old one is freed after a grace period.
 *
 * Return: 0, -EINVAL if the blob is invalid (the reason is logged, the old
 * model stays), or -ENOMEM.
 */
int mlra_model_install(const u8 *blob, size_t len)
{
	int err;

	mutex_lock(&mlra_model_lock);
	err = model_install_locked(blob, len);
	mutex_unlock(&mlra_model_lock);
	return err;
}

/**
 * mlra_model_upload() - take one chunk of a blob written to sysfs
 * @buf: the chunk
 * @off: its offset in the blob
 * @count: its length; sysfs keeps @off + @count within the blob limit
 *
 * sysfs hands over a write in chunks of at most a page. A blob is complete
 * when the bytes received reach its size field; a chunk shorter than a
 * page that does not complete it means the writer stopped early, and the
 * blob is rejected. A chunk at offset 0 starts a new blob.
 *
 * Return: @count, or -EINVAL (and the upload is dropped), or -ENOMEM.
 */
ssize_t mlra_model_upload(const char *buf, loff_t off, size_t count)
{
	ssize_t ret = count;
	u32 want = 0;
	int err;

	mutex_lock(&mlra_model_lock);
	if (off == 0)
		mlra_upload_len = 0;
	if (off != mlra_upload_len ||
	    off + count > MLRA_MODEL_MAX_SIZE) {
		ret = -EINVAL;
		goto drop;
	}
	memcpy(mlra_upload + off, buf, count);
	mlra_upload_len += count;
	if (mlra_upload_len >= 12)
		want = get_unaligned_le32(mlra_upload + 8);
	if (want && mlra_upload_len >= want) {
		/* A size field shorter than the blob fails validation. */
		err = model_install_locked(mlra_upload, mlra_upload_len);
		if (err)
			ret = err;
		goto drop;
	}
	if (count < PAGE_SIZE) {
		pr_warn_ratelimited("model rejected: %s\n",
				    mlra_model_strerror(-MLRA_EMODEL_TRUNCATED));
		ret = -EINVAL;
		goto drop;
	}
	mutex_unlock(&mlra_model_lock);
	return ret;

drop:	/* the blob is installed or rejected: start afresh */
	mlra_upload_len = 0;
	mutex_unlock(&mlra_model_lock);
	return ret;
}

/**
 * mlra_predict() - ask the live model about one feature vector
 * @features: the model's inputs
 * @p: the prediction, set only when a model is live
 *
 * Safe in any context, including kprobe handlers: no sleep, no allocation.
 *
 * Return: true if a model answered.
 */
bool mlra_predict(const s32 *features, struct mlra_prediction *p)
{
	struct mlra_live_model *live;

	rcu_read_lock();
	live = rcu_dereference(mlra_live);
	if (live)
		mlra_infer(&live->model, features, p);
	rcu_read_unlock();
	return live;
}

/**
 * mlra_model_decide() - model and policy for one stream
 * @features: the stream's features; MLRA_MAX_INPUTS values, zeros after
 *	the MLRA_NR_FEATURES that exist, so any model's inputs are defined
 * @pp: the policy's knobs
 * @original_pages: the file's own window
 * @st: the stream's policy memory
 * @gen: the model generation @st refers to; updated
 * @v: the verdict; without a model, class -1 and the file's own window
 *
 * Safe in the probe handlers: RCU read side only, no sleep, no allocation.
 */
void mlra_model_decide(const s32 *features,
		       const struct mlra_policy_params *pp, u32 original_pages,
		       struct mlra_policy_state *st, u32 *gen,
		       struct mlra_verdict *v)
{
	struct mlra_live_model *live;
	struct mlra_prediction p;

	v->class = -1;
	v->confidence = 0;
	v->prefetch = MLRA_PF_NONE;
	rcu_read_lock();
	live = rcu_dereference(mlra_live);
	if (!live) {
		v->window = mlra_policy_decide(pp, NULL, NULL, original_pages,
					       st);
	} else {
		if (*gen != live->generation) {
			mlra_policy_reset(st);
			*gen = live->generation;
		}
		mlra_infer(&live->model, features, &p);
		v->window = mlra_policy_decide(pp, live->actions, &p,
					       original_pages, st);
		v->prefetch = mlra_policy_prefetch(pp, live->actions, st);
		v->class = p.class;
		v->confidence = p.confidence;
	}
	rcu_read_unlock();
}

/**
 * mlra_model_show_info() - describe the live model for model_info
 * @buf: a sysfs page
 *
 * Return: bytes written.
 */
ssize_t mlra_model_show_info(char *buf)
{
	struct mlra_live_model *live;
	const struct mlra_model *m;
	int i, n;

	rcu_read_lock();
	live = rcu_dereference(mlra_live);
	if (!live) {
		rcu_read_unlock();
		return sysfs_emit(buf, "none: no model loaded; mode on acts as observe\n");
	}
	m = &live->model;
	n = sysfs_emit(buf, "name %s\nversion %d\nshape %d", m->name,
		       MLRA_MODEL_VERSION, m->n_inputs);
	for (i = 0; i < m->n_layers; i++)
		n += sysfs_emit_at(buf, n, "-%d", m->layer[i].n_out);
	n += sysfs_emit_at(buf, n, "\nclasses");
	for (i = 0; i < m->n_classes; i++)
		n += sysfs_emit_at(buf, n, " %s", m->class_name[i]);
	n += sysfs_emit_at(buf, n, "\ncrc32 0x%08x\nsize %u\n", m->crc,
			   m->size);
	rcu_read_unlock();
	return n;
}

int mlra_live_init(void)
{
	mlra_upload = kvmalloc(MLRA_MODEL_MAX_SIZE, GFP_KERNEL);
	return mlra_upload ? 0 : -ENOMEM;
}

/* Called when no reader or writer can run any more. */
void mlra_live_exit(void)
{
	struct mlra_live_model *old;

	old = rcu_replace_pointer(mlra_live, NULL, true);
	synchronize_rcu();
	kvfree(old);
	kvfree(mlra_upload);
	mlra_upload = NULL;
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/model-publish-kunit.h"
#endif
