/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels mlra supports, each chosen by the feature
 * it depends on (detected by Kbuild), never by version number.
 */
#ifndef _MLRA_COMPAT_H
#define _MLRA_COMPAT_H

#include <linux/kernfs.h>
#include <linux/kobject.h>

/**
 * mlra_mm_kobj_get() - take a reference to the kobject of /sys/kernel/mm
 *
 * Up to 6.1, mm_kobj is exported to modules. Later kernels stopped exporting
 * it, but sysfs keeps every directory's kobject as the private data of its
 * kernfs node, so the same kobject is found by name under kernel_kobj.
 * MLRA_HAVE_MM_KOBJ is set by Kbuild when mm_kobj can be linked against.
 *
 * Return: the kobject with a reference held (drop it with kobject_put()),
 * or NULL if /sys/kernel/mm does not exist.
 */
static inline struct kobject *mlra_mm_kobj_get(void)
{
#ifdef MLRA_HAVE_MM_KOBJ
	return kobject_get(mm_kobj);
#else
	struct kernfs_node *kn;
	struct kobject *kobj;

	kn = kernfs_find_and_get(kernel_kobj->sd, "mm");
	if (!kn)
		return NULL;
	kobj = kobject_get(kn->priv);
	kernfs_put(kn);
	return kobj;
#endif
}

#endif /* _MLRA_COMPAT_H */
