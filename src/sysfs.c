// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mm/mlra/: one value per file, root only. A write is parsed
 * in full before anything changes; a rejected one returns the error and
 * leaves the old value in place.
 */

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include <mlra/compat.h>
#include <mlra/model.h>

#include "mlra.h"

static struct kobject *mlra_kobj;

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(mlra_knobs.enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int on;
	int err;

	err = mlra_parse_uint(buf, 0, 1, &on);
	if (err)
		return err;
	err = mlra_set_enabled(on);
	return err ? err : count;
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", mlra_mode_names[READ_ONCE(mlra_knobs.mode)]);
}

static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	enum mlra_mode new_mode;
	int err;

	err = mlra_parse_mode(buf, &new_mode);
	if (err)
		return err;
	err = mlra_set_mode(new_mode);
	return err ? err : count;
}

/*
 * Numeric knobs: one show and one store for all, each knob a variable with
 * its bounds (one left out of mlra_attrs is an unused variable). min_ra_kb
 * and max_ra_kb must keep min <= max; max_streams and respect_hints have
 * setters.
 */
struct mlra_uint_knob {
	struct kobj_attribute attr;
	unsigned int *value;
	unsigned int min;
	unsigned int max;
	int (*set)(unsigned int value);
};

static ssize_t uint_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	struct mlra_uint_knob *k = container_of(attr, struct mlra_uint_knob,
						attr);

	return sysfs_emit(buf, "%u\n", READ_ONCE(*k->value));
}

static ssize_t uint_knob_store(struct kobject *kobj,
			       struct kobj_attribute *attr, const char *buf,
			       size_t count)
{
	struct mlra_uint_knob *k = container_of(attr, struct mlra_uint_knob,
						attr);
	unsigned int v;
	int err;

	err = mlra_parse_uint(buf, k->min, k->max, &v);
	if (err)
		return err;
	if (k->set) {
		err = k->set(v);
		return err ? err : count;
	}
	mutex_lock(&mlra_state_lock);
	if ((k->value == &mlra_knobs.min_ra_kb && v > mlra_knobs.max_ra_kb) ||
	    (k->value == &mlra_knobs.max_ra_kb && v < mlra_knobs.min_ra_kb))
		err = -EINVAL;
	else
		WRITE_ONCE(*k->value, v);
	mutex_unlock(&mlra_state_lock);
	return err ? err : count;
}

#define MLRA_KNOB_ATTR(name) __ATTR(name, 0600, uint_knob_show, uint_knob_store)

static struct mlra_uint_knob min_ra_kb_knob = {
	MLRA_KNOB_ATTR(min_ra_kb), &mlra_knobs.min_ra_kb, 0, 1048576
};

static struct mlra_uint_knob max_ra_kb_knob = {
	MLRA_KNOB_ATTR(max_ra_kb), &mlra_knobs.max_ra_kb, 4, 1048576
};

static struct mlra_uint_knob decision_interval_knob = {
	MLRA_KNOB_ATTR(decision_interval), &mlra_knobs.decision_interval,
	1, 1024
};

static struct mlra_uint_knob min_confidence_knob = {
	MLRA_KNOB_ATTR(min_confidence), &mlra_knobs.min_confidence, 0, 65535
};

static struct mlra_uint_knob max_streams_knob = {
	MLRA_KNOB_ATTR(max_streams), &mlra_knobs.max_streams,
	MLRA_MIN_STREAMS, MLRA_MAX_STREAMS,
	mlra_set_max_streams
};

static struct mlra_uint_knob respect_hints_knob = {
	MLRA_KNOB_ATTR(respect_hints), &mlra_knobs.respect_hints, 0, 1,
	mlra_set_respect_hints
};

static struct mlra_uint_knob prefetch_max_kb_knob = {
	MLRA_KNOB_ATTR(prefetch_max_kb), &mlra_knobs.prefetch_max_kb, 0, 65536
};

static struct mlra_uint_knob prefetch_inflight_kb_knob = {
	MLRA_KNOB_ATTR(prefetch_inflight_kb), &mlra_knobs.prefetch_inflight_kb,
	0, 1048576
};

static ssize_t model_info_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return mlra_model_show_info(buf);
}

/* A model blob, written whole; see mlra_model_upload(). */
static ssize_t model_write(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	return mlra_model_upload(buf, off, count);
}

static struct kobj_attribute enabled_attr = __ATTR_RW_MODE(enabled, 0600);
static struct kobj_attribute mode_attr = __ATTR_RW_MODE(mode, 0600);
static struct kobj_attribute model_info_attr = __ATTR_RO_MODE(model_info, 0400);
static BIN_ATTR_WO(model, MLRA_MODEL_MAX_SIZE);

static struct attribute *mlra_attrs[] = {
	&enabled_attr.attr,
	&mode_attr.attr,
	&min_ra_kb_knob.attr.attr,
	&max_ra_kb_knob.attr.attr,
	&decision_interval_knob.attr.attr,
	&min_confidence_knob.attr.attr,
	&max_streams_knob.attr.attr,
	&respect_hints_knob.attr.attr,
	&prefetch_max_kb_knob.attr.attr,
	&prefetch_inflight_kb_knob.attr.attr,
	&model_info_attr.attr,
	NULL,
};

static struct bin_attribute *mlra_bin_attrs[] = {
	&bin_attr_model,
	NULL,
};

static const struct attribute_group mlra_group = {
	.attrs = mlra_attrs,
	.bin_attrs = mlra_bin_attrs,
};
__ATTRIBUTE_GROUPS(mlra);

/**
 * mlra_sysfs_init() - create /sys/kernel/mm/mlra/ and its files
 *
 * Return: 0 or a negative error; on error nothing is left behind.
 */
int mlra_sysfs_init(void)
{
	struct kobject *mm;
	int err;

	mm = mlra_mm_kobj_get();
	if (!mm) {
		pr_err("/sys/kernel/mm not found\n");
		return -ENOENT;
	}
	mlra_kobj = kobject_create_and_add("mlra", mm);
	kobject_put(mm);
	if (!mlra_kobj)
		return -ENOMEM;

	err = sysfs_create_groups(mlra_kobj, mlra_groups);
	if (err) {
		kobject_put(mlra_kobj);
		return err;
	}
	return 0;
}

/**
 * mlra_sysfs_exit() - remove /sys/kernel/mm/mlra/
 *
 * On return no show() or store() runs any more.
 */
void mlra_sysfs_exit(void)
{
	sysfs_remove_groups(mlra_kobj, mlra_groups);
	kobject_put(mlra_kobj);
}
