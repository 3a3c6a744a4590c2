// SPDX-License-Identifier: GPL-2.0
/*
 * The only file that touches kprobes. Handlers run in atomic context: they
 * record the access in the stream table and return, never sleeping,
 * allocating or taking a lock shared by all CPUs.
 */

#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pipe_fs_i.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/uio.h>

#include <mlra/features.h>

#include "mlra.h"

static unsigned long arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

/* A read of @count bytes at @pos. */
static void read_access(struct file *file, loff_t pos, size_t count)
{
	pgoff_t first, last;

	mlra_count(MLRA_STAT_READ_CALLS);
	this_cpu_add(mlra_cpu_stats.count[MLRA_STAT_READ_BYTES], count);
	if (!count || pos < 0)
		return;
	first = pos >> PAGE_SHIFT;
	last = (pos + count - 1) >> PAGE_SHIFT;
	mlra_stream_access(file, first, min_t(u64, last - first + 1, U32_MAX),
			   MLRA_ACCESS_READ, MLRA_HINT_NONE);
}

/* filemap_read(struct kiocb *iocb, struct iov_iter *to, ssize_t already) */
static int filemap_read_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct kiocb *iocb = (struct kiocb *)arg(regs, 0);

	read_access(iocb->ki_filp, iocb->ki_pos,
		    iov_iter_count((struct iov_iter *)arg(regs, 1)));
	return 0;
}

/*
 * filemap_splice_read(struct file *in, loff_t *ppos,
 *		       struct pipe_inode_info *pipe, size_t len,
 *		       unsigned int flags)
 * Since 6.5 sendfile() and splice() read here, not in filemap_read(); at
 * most what the pipe has room for, as that function computes it.
 */
static int filemap_splice_read_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct pipe_inode_info *pipe = (void *)arg(regs, 2);
	unsigned int room = READ_ONCE(pipe->max_usage) -
			    pipe_occupancy(READ_ONCE(pipe->head),
					   READ_ONCE(pipe->tail));

	read_access((struct file *)arg(regs, 0), *(loff_t *)arg(regs, 1),
		    min_t(size_t, arg(regs, 3), (size_t)room << PAGE_SHIFT));
	return 0;
}

/* filemap_fault(struct vm_fault *vmf) */
static int filemap_fault_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct vm_fault *vmf = (struct vm_fault *)arg(regs, 0);
	struct vm_area_struct *vma = vmf->vma;
	enum mlra_hint hint = MLRA_HINT_NONE;

	mlra_count(MLRA_STAT_FAULTS);
	if (vma->vm_flags & VM_RAND_READ)
		hint = MLRA_HINT_RANDOM;
	else if (vma->vm_flags & VM_SEQ_READ)
		hint = MLRA_HINT_SEQUENTIAL;
	if (vma->vm_file)
		mlra_stream_access(vma->vm_file, vmf->pgoff, 1,
				   MLRA_ACCESS_FAULT, hint);
	return 0;
}

/* Readahead the kernel starts: ractl is the first argument of both. */
static void ra_event(struct pt_regs *regs, unsigned long req, bool async)
{
	struct readahead_control *ractl = (void *)arg(regs, 0);

	if (ractl->file)
		mlra_stream_ra(ractl->file, readahead_index(ractl), req, async);
}

/* page_cache_sync_ra(struct readahead_control *ractl, unsigned long req) */
static int sync_ra_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mlra_count(MLRA_STAT_MISSES);
	ra_event(regs, arg(regs, 1), false);
	return 0;
}

/*
 * page_cache_async_ra(struct readahead_control *ractl, struct folio *folio,
 *		       unsigned long req_count)
 */
static int async_ra_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mlra_count(MLRA_STAT_ASYNC_RA);
	ra_event(regs, arg(regs, 2), true);
	return 0;
}

/* locks_remove_file(struct file *): __fput() calls it before the free. */
static int release_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mlra_stream_release((struct file *)arg(regs, 0));
	return 0;
}

/*
 * The release probe comes first: registered before and unregistered after
 * the others, it keeps every file in the stream table alive while its
 * entry is locked (see src/stream.c).
 */
static struct kprobe mlra_probes[] = {
	{ .symbol_name = "locks_remove_file", .pre_handler = release_pre },
	{ .symbol_name = "filemap_read", .pre_handler = filemap_read_pre },
	{ .symbol_name = "filemap_fault", .pre_handler = filemap_fault_pre },
	{ .symbol_name = "page_cache_sync_ra", .pre_handler = sync_ra_pre },
	{ .symbol_name = "page_cache_async_ra", .pre_handler = async_ra_pre },
	{ .symbol_name = "filemap_splice_read",
	  .pre_handler = filemap_splice_read_pre },
};

/* Probes of functions that not every kernel has: 6.1 has no splice read. */
#define MLRA_OPTIONAL_PROBE	5
static bool mlra_optional_live;

/* Misses of probes since unregistered; a kprobe's own count restarts. */
static u64 mlra_nmissed_past;
static bool mlra_hooks_live;

static void unregister_from(int i)
{
	while (--i >= 0) {
		if (i >= MLRA_OPTIONAL_PROBE && !mlra_optional_live)
			continue;
		unregister_kprobe(&mlra_probes[i]);
		mlra_nmissed_past += mlra_probes[i].nmissed;
		/* Every access probe is gone: give files their windows back. */
		if (i == 1)
			mlra_streams_drain();
	}
}

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
		if (i == MLRA_OPTIONAL_PROBE) {
			mlra_optional_live = !err;
			if (err == -ENOENT)
				continue;
		}
		if (err) {
			pr_err("cannot probe %s: error %d\n",
			       kp->symbol_name, err);
			unregister_from(i);
			return err;
		}
	}
	mlra_hooks_live = true;
	return 0;
}

/**
 * mlra_hooks_unregister() - unregister every probe, restoring windows
 *
 * Called with mlra_state_lock held. On return no handler runs any more,
 * every file mlra changed has its own window back and the stream table is
 * empty.
 */
void mlra_hooks_unregister(void)
{
	unregister_from(ARRAY_SIZE(mlra_probes));
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

/**
 * mlra_hooks_active() - whether the probes are registered
 *
 * Called with mlra_state_lock held.
 *
 * Return: true while they are.
 */
bool mlra_hooks_active(void)
{
	return mlra_hooks_live;
}
