// SPDX-License-Identifier: GPL-2.0
/*
 * The only file that touches kprobes and ftrace. Handlers run in atomic
 * context: they record the access in the stream table and return, never
 * sleeping, allocating or taking a lock shared by all CPUs.
 */

#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pipe_fs_i.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/uio.h>

#include <mlra/features.h>

#include "mlra.h"

/* Without file locking, locks_remove_file() is an inline stub. */
#ifndef CONFIG_FILE_LOCKING
#error "mlra's release hook needs CONFIG_FILE_LOCKING"
#endif

static unsigned long probe_arg(struct pt_regs *regs, unsigned int n)
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
	struct kiocb *iocb = (struct kiocb *)probe_arg(regs, 0);

	read_access(iocb->ki_filp, iocb->ki_pos,
		    iov_iter_count((struct iov_iter *)probe_arg(regs, 1)));
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
	struct pipe_inode_info *pipe = (void *)probe_arg(regs, 2);
	unsigned int room = READ_ONCE(pipe->max_usage) -
			    pipe_occupancy(READ_ONCE(pipe->head),
					   READ_ONCE(pipe->tail));

	read_access((struct file *)probe_arg(regs, 0), *(loff_t *)probe_arg(regs, 1),
		    min_t(size_t, probe_arg(regs, 3), (size_t)room << PAGE_SHIFT));
	return 0;
}

/* filemap_fault(struct vm_fault *vmf) */
static int filemap_fault_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct vm_fault *vmf = (struct vm_fault *)probe_arg(regs, 0);
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
	struct readahead_control *ractl = (void *)probe_arg(regs, 0);

	if (ractl->file)
		mlra_stream_ra(ractl->file, readahead_index(ractl), req, async);
}

/* page_cache_sync_ra(struct readahead_control *ractl, unsigned long req) */
static int sync_ra_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mlra_count(MLRA_STAT_MISSES);
	ra_event(regs, probe_arg(regs, 1), false);
	return 0;
}

/*
 * page_cache_async_ra(struct readahead_control *ractl, struct folio *folio,
 *		       unsigned long req_count)
 */
static int async_ra_pre(struct kprobe *kp, struct pt_regs *regs)
{
	mlra_count(MLRA_STAT_ASYNC_RA);
	ra_event(regs, probe_arg(regs, 2), true);
	return 0;
}

/*
 * page_cache_ra_unbounded(struct readahead_control *ractl,
 *			   unsigned long nr_to_read, unsigned long lookahead)
 * Where every readahead request of a filesystem without large folios is
 * submitted, mlra's prefetch included: what a stream costs the disk.
 */
static int ra_unbounded_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct readahead_control *ractl = (void *)probe_arg(regs, 0);
	unsigned long pages = probe_arg(regs, 1);

	mlra_count(MLRA_STAT_RA_REQUESTS);
	mlra_count_add(MLRA_STAT_RA_PAGES, pages);
	if (ractl->file)
		mlra_stream_read_in(ractl->file, pages);
	return 0;
}

/*
 * The release hook: mlra_stream_release() for every file freed, on
 * locks_remove_file(), which __fput() calls before the file is freed.
 * An ftrace callback, not a kprobe, because it must never be skipped:
 * kprobes can all be disarmed at once (debugfs kprobes/enabled) and skip
 * a handler that would nest in another; FTRACE_OPS_FL_PERMANENT keeps
 * this one from being switched off (sysctl ftrace_enabled), and it calls
 * nothing that it traces, so it never recurses. A release missed would
 * leave an entry naming freed memory.
 */
static void release_hook(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	/* Never NULL: the op asks for FTRACE_OPS_FL_SAVE_REGS. */
	if (WARN_ON_ONCE(!regs))
		return;
	/*
	 * ftrace calls this op preemptible: an RCU read side of its own,
	 * which release_hook_unregister() waits for, keeps the stream
	 * table from being replaced under it, however mlra is built.
	 */
	preempt_disable_notrace();
	mlra_stream_release((struct file *)regs_get_kernel_argument(regs, 0));
	preempt_enable_notrace();
}

static struct ftrace_ops mlra_release_ops = {
	.func = release_hook,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_PERMANENT,
};

/* The filter is set anew (reset) each time, freed at exit only. */
static int release_hook_register(void)
{
	/* Writable: ftrace_set_filter() may cut a pattern it parses. */
	unsigned char sym[] = "locks_remove_file";
	int err;

	err = ftrace_set_filter(&mlra_release_ops, sym, strlen(sym), 1);
	if (!err)
		err = register_ftrace_function(&mlra_release_ops);
	if (err)
		pr_err("cannot hook %s with ftrace: error %d\n", sym, err);
	return err;
}

/* The release hook could not be unhooked: it may still run. */
static bool mlra_release_stuck;

static void release_hook_unregister(void)
{
	int err = unregister_ftrace_function(&mlra_release_ops);

	/*
	 * Fails once ftrace has shut itself down after a bug of its own
	 * (-ENODEV), which it reported: the op's trampoline may still call
	 * release_hook(), so the module stays (a reference nobody drops),
	 * and so do the stream table (mlra_hooks_active() stays true) and
	 * the op's filter. That holds when enabled 0 gets here; an rmmod
	 * that gets here was granted already, and the kernel frees the
	 * module whatever this does.
	 */
	if (err) {
		pr_err("cannot unhook locks_remove_file: error %d; mlra stays loaded\n",
		       err);
		__module_get(THIS_MODULE);
		mlra_release_stuck = true;
	}
	/* A module's op is waited for by ftrace; a built-in one is not. */
	synchronize_rcu();
}

/**
 * mlra_hooks_exit() - free what registering left, at module exit
 *
 * After the last mlra_hooks_unregister(), or none.
 */
void mlra_hooks_exit(void)
{
	if (!mlra_release_stuck)
		ftrace_free_filter(&mlra_release_ops);
}

/**
 * struct mlra_probe - a kprobe on the read path
 * @kp: the probe
 * @optional: a kernel without the function runs without the probe
 * @live: registered now
 */
struct mlra_probe {
	struct kprobe kp;
	bool optional;
	bool live;
};

#define MLRA_PROBE(sym, fn, opt) \
	{ .kp = { .symbol_name = sym, .pre_handler = fn }, .optional = opt }

/* 6.1 has no filemap_splice_read(): splice reads through filemap_read(). */
static struct mlra_probe mlra_probes[] = {
	MLRA_PROBE("filemap_read", filemap_read_pre, false),
	MLRA_PROBE("filemap_fault", filemap_fault_pre, false),
	MLRA_PROBE("page_cache_sync_ra", sync_ra_pre, false),
	MLRA_PROBE("page_cache_async_ra", async_ra_pre, false),
	MLRA_PROBE("page_cache_ra_unbounded", ra_unbounded_pre, false),
	MLRA_PROBE("filemap_splice_read", filemap_splice_read_pre, true),
};

/* Misses of probes since unregistered; a kprobe's own count restarts. */
static u64 mlra_nmissed_past;
static bool mlra_hooks_live;

static void probes_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(mlra_probes) - 1; i >= 0; i--) {
		struct mlra_probe *p = &mlra_probes[i];

		if (!p->live)
			continue;
		unregister_kprobe(&p->kp);
		mlra_nmissed_past += p->kp.nmissed;
		p->live = false;
	}
}

/*
 * Handlers must run where a spinning lock is fine: from ftrace at the
 * function's entry, never from an int3 trap, which may interrupt code
 * with interrupts off (and is NMI-like on x86). A probe is registered
 * disabled and enabled only once it is known to be ftrace-based.
 */
static int probe_register(struct mlra_probe *p)
{
	struct kprobe *kp = &p->kp;
	int err;

	/* A kprobe is reusable only with the fields it set cleared. */
	kp->addr = NULL;
	kp->flags = KPROBE_FLAG_DISABLED;
	kp->nmissed = 0;
	err = register_kprobe(kp);
	if (err == -ENOENT && p->optional)
		return 0;
	if (err)
		goto err_report;
	err = kprobe_ftrace(kp) ? enable_kprobe(kp) : -EOPNOTSUPP;
	if (err) {
		unregister_kprobe(kp);
		goto err_report;
	}
	p->live = true;
	return 0;

err_report:
	pr_err("cannot probe %s from ftrace: error %d\n", kp->symbol_name, err);
	return err;
}

/**
 * mlra_hooks_register() - the release hook, then every probe; or nothing
 *
 * Called with mlra_state_lock held. The release hook comes first and
 * goes last (mlra_hooks_unregister()): no entry is ever made while it is
 * not there to clear it.
 *
 * Return: 0, or the error of the first hook that failed, which is named
 * in the kernel log; -EBUSY once the release hook could not be unhooked.
 */
int mlra_hooks_register(void)
{
	int i, err;

	if (mlra_release_stuck)
		return -EBUSY;
	err = release_hook_register();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(mlra_probes); i++) {
		err = probe_register(&mlra_probes[i]);
		if (err) {
			probes_unregister();
			mlra_streams_drain();
			release_hook_unregister();
			return err;
		}
	}
	mlra_hooks_live = true;
	return 0;
}

/**
 * mlra_hooks_unregister() - unregister every hook, restoring windows
 *
 * Called with mlra_state_lock held. The probes go first; with no handler
 * left, the files are given their own windows back while the release
 * hook still keeps each alive while its entry is locked; the release
 * hook goes last. On return no handler runs any more, every file mlra
 * changed has its own window back and the stream table is empty.
 */
void mlra_hooks_unregister(void)
{
	probes_unregister();
	mlra_streams_drain();
	release_hook_unregister();
	mlra_hooks_live = mlra_release_stuck;
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

	for (i = 0; i < ARRAY_SIZE(mlra_probes); i++)
		if (mlra_probes[i].live)
			sum += READ_ONCE(mlra_probes[i].kp.nmissed);
	return sum;
}

/**
 * mlra_hooks_active() - whether the probes are registered, or the
 * release hook could not be unhooked (and may still use the stream table)
 *
 * Called with mlra_state_lock held.
 *
 * Return: true while they are.
 */
bool mlra_hooks_active(void)
{
	return mlra_hooks_live;
}
