/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlra's tracepoints, for perf, trace-cmd and bpftrace:
 *   mlra:mlra_decision	every decision: the file, the model's class and
 *			confidence, the window before and after, and why
 *			the guard overrode the model, if it did
 *   mlra:mlra_guard_undo	a window of mlra's undone at a readahead request
 *			that read far more than the stream asks for
 *			(mlra_guard_request()), before its next decision
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mlra

#if !defined(_MLRA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MLRA_TRACE_H

#include <linux/fs.h>
#include <linux/tracepoint.h>

#include <mlra/guard.h>

TRACE_DEFINE_ENUM(MLRA_GUARD_NONE);
TRACE_DEFINE_ENUM(MLRA_GUARD_COST);
TRACE_DEFINE_ENUM(MLRA_GUARD_HELD);
TRACE_DEFINE_ENUM(MLRA_GUARD_THRASH);
TRACE_DEFINE_ENUM(MLRA_GUARD_MUTED);

/*
 * The inode is the one whose pages are read (a block device's, not its
 * node's), as in the access log. @class is -1 without a model;
 * @new_pages is the window mlra wants, in force only if @acted (mode on,
 * and no hint that mlra respects); @guard is enum mlra_guard_reason: why
 * it is not the model's.
 */
TRACE_EVENT(mlra_decision,
	    TP_PROTO(const struct file *file, u32 stream, int class,
		     s32 confidence, u32 old_pages, u32 new_pages, bool acted,
		     u8 guard),
	    TP_ARGS(file, stream, class, confidence, old_pages, new_pages,
		    acted, guard),
	    TP_STRUCT__entry(__field(const void *, file)
			     __field(unsigned long, ino)
			     __field(dev_t, dev)
			     __field(u32, stream)
			     __field(int, class)
			     __field(s32, confidence)
			     __field(u32, old_pages)
			     __field(u32, new_pages)
			     __field(bool, acted)
			     __field(u8, guard)),
	    TP_fast_assign(__entry->file = file;
			   __entry->ino = file->f_mapping->host->i_ino;
			   __entry->dev = file->f_mapping->host->i_sb->s_dev;
			   __entry->stream = stream;
			   __entry->class = class;
			   __entry->confidence = confidence;
			   __entry->old_pages = old_pages;
			   __entry->new_pages = new_pages;
			   __entry->acted = acted;
			   __entry->guard = guard;),
	    TP_printk("file=%p dev=%u:%u ino=%lu stream=%u class=%d confidence=%d old_pages=%u new_pages=%u acted=%d guard=%s",
		      __entry->file, MAJOR(__entry->dev), MINOR(__entry->dev),
		      __entry->ino, __entry->stream, __entry->class,
		      __entry->confidence, __entry->old_pages,
		      __entry->new_pages, __entry->acted,
		      __print_symbolic(__entry->guard,
				       { MLRA_GUARD_NONE, "none" },
				       { MLRA_GUARD_COST, "cost" },
				       { MLRA_GUARD_HELD, "held" },
				       { MLRA_GUARD_THRASH, "thrash" },
				       { MLRA_GUARD_MUTED, "muted" }))
);

/*
 * @class is the one whose window is undone (-1: none); @new_pages is the
 * file's own window, which comes back.
 */
TRACE_EVENT(mlra_guard_undo,
	    TP_PROTO(const struct file *file, u32 stream, int class,
		     u32 old_pages, u32 new_pages),
	    TP_ARGS(file, stream, class, old_pages, new_pages),
	    TP_STRUCT__entry(__field(const void *, file)
			     __field(unsigned long, ino)
			     __field(dev_t, dev)
			     __field(u32, stream)
			     __field(int, class)
			     __field(u32, old_pages)
			     __field(u32, new_pages)),
	    TP_fast_assign(__entry->file = file;
			   __entry->ino = file->f_mapping->host->i_ino;
			   __entry->dev = file->f_mapping->host->i_sb->s_dev;
			   __entry->stream = stream;
			   __entry->class = class;
			   __entry->old_pages = old_pages;
			   __entry->new_pages = new_pages;),
	    TP_printk("file=%p dev=%u:%u ino=%lu stream=%u class=%d old_pages=%u new_pages=%u",
		      __entry->file, MAJOR(__entry->dev), MINOR(__entry->dev),
		      __entry->ino, __entry->stream, __entry->class,
		      __entry->old_pages, __entry->new_pages)
);

#endif /* _MLRA_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mlra_trace
#include <trace/define_trace.h>
