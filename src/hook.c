// SPDX-License-Identifier: GPL-2.0
/*
 * The only file that touches kprobes. Handlers run in atomic context: they
 * count per CPU and return, never sleeping, allocating or taking a lock.
 */

#include <linux/kprobes.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/uio.h>

#include "mlra.h"

/* filemap_read(struct kiocb *iocb, struct iov_iter *to, ssize_t already) */
static int filemap_read_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct iov_iter *to = (struct iov_iter *)regs_get_kernel_argument(regs, 1);

	__this_cpu_inc(mlra_cpu_stats.count[MLRA_STAT_READ_CALLS]);
	__this_cpu_add(mlra_cpu_stats.count[MLRA_STAT_READ_BYTES],
		       iov_iter_count(to));
	return 0;
}

static struct kprobe mlra_probes[] = {
	{ .symbol_name = "filemap_read", .pre_handler = filemap_read_pre },
};

/* Misses of probes since unregistered; a kprobe's own count restarts. */
static u64 mlra_nmissed_past;
static bool mlra_hooks_live;

/**
 * mlra_hooks_register() - register every probe, or none
 *
 * Called with mlra_state_lock held.
 *
 * Return: 0, or the error of the first probe that failed, which is named
 * in the kernel log.
 */
int mlra_hooks_register(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(mlra_probes); i++) {
		struct kprobe *kp = &mlra_probes[i];

		/* A kprobe is reusable only with the fields it set cleared. */
		kp->addr = NULL;
		kp->flags = 0;
		kp->nmissed = 0;
		err = register_kprobe(kp);
		if (err) {
			pr_err("cannot probe %s: error %d\n",
			       kp->symbol_name, err);
			goto err_unregister;
		}
	}
	mlra_hooks_live = true;
	return 0;

err_unregister:
	while (--i >= 0)
		unregister_kprobe(&mlra_probes[i]);
	return err;
}

/**
 * mlra_hooks_unregister() - unregister every probe
 *
 * Called with mlra_state_lock held. On return no handler runs any more.
 */
void mlra_hooks_unregister(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mlra_probes); i++) {
		unregister_kprobe(&mlra_probes[i]);
		mlra_nmissed_past += mlra_probes[i].nmissed;
	}
	mlra_hooks_live = false;
}

/**
 * mlra_hooks_nmissed() - handler runs that kprobes skipped, since load
 *
 * Called with mlra_state_lock held.
 *
 * Return: the count.
 */
u64 mlra_hooks_nmissed(void)
{
	u64 sum = mlra_nmissed_past;
	int i;

	if (mlra_hooks_live)
		for (i = 0; i < ARRAY_SIZE(mlra_probes); i++)
			sum += READ_ONCE(mlra_probes[i].nmissed);
	return sum;
}
