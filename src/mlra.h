/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by mlra's module files: knobs, their parsers, the
 * hooks and the per-CPU statistics.
 */
#ifndef _MLRA_H
#define _MLRA_H

#include <linux/bitops.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include <uapi/linux/mlra_model.h>

#include <mlra/features.h>

/**
 * enum mlra_mode - what mlra does while it is enabled
 * @MLRA_MODE_OFF: nothing; the probes are unregistered
 * @MLRA_MODE_OBSERVE: watch reads and count what would be done
 * @MLRA_MODE_ON: watch reads and steer readahead
 * @MLRA_NR_MODES: number of modes
 */
enum mlra_mode {
	MLRA_MODE_OFF,
	MLRA_MODE_OBSERVE,
	MLRA_MODE_ON,
	MLRA_NR_MODES,
};

extern const char * const mlra_mode_names[MLRA_NR_MODES];

int mlra_parse_mode(const char *buf, enum mlra_mode *mode);
int mlra_parse_uint(const char *buf, unsigned int min, unsigned int max,
		    unsigned int *val);

/**
 * struct mlra_knobs - the values behind /sys/kernel/mm/mlra/
 * @enabled: master switch; the probes are registered only while set
 * @mode: what mlra does while enabled
 * @min_ra_kb: smallest window mlra sets
 * @max_ra_kb: largest window mlra sets
 * @decision_interval: accesses of a stream between two decisions
 * @min_confidence: confidence below which the kernel's window stands
 * @max_streams: streams the table holds (changes only while off)
 * @respect_hints: leave files and mappings with a readahead hint alone
 * @prefetch_max_kb: most one prefetch request reads, or a stride stream
 *	reads ahead; 0: no prefetch
 * @prefetch_inflight_kb: most all prefetch requests queued or being
 *	issued hold, together
 *
 * Written only under mlra_state_lock, read locklessly with READ_ONCE().
 */
struct mlra_knobs {
	bool enabled;
	enum mlra_mode mode;
	unsigned int min_ra_kb;
	unsigned int max_ra_kb;
	unsigned int decision_interval;
	unsigned int min_confidence;
	unsigned int max_streams;
	unsigned int respect_hints;
	unsigned int prefetch_max_kb;
	unsigned int prefetch_inflight_kb;
};

extern struct mlra_knobs mlra_knobs;

/* The stream table's size: the max_streams knob's range and default. */
#define MLRA_MIN_STREAMS	16
#define MLRA_MAX_STREAMS	65536
#define MLRA_DEFAULT_STREAMS	4096

/* Serialises knob writes with probe (un)registration. */
extern struct mutex mlra_state_lock;

int mlra_set_state(bool on, enum mlra_mode new_mode);
int mlra_set_enabled(bool on);
int mlra_set_mode(enum mlra_mode new_mode);
int mlra_set_max_streams(unsigned int max);
int mlra_set_respect_hints(unsigned int respect);

/* Whether mlra sets windows and prefetches: enabled, and mode on. */
static inline bool mlra_steering(void)
{
	return READ_ONCE(mlra_knobs.enabled) &&
	       READ_ONCE(mlra_knobs.mode) == MLRA_MODE_ON;
}

/**
 * enum mlra_stat_item - per-CPU event counters shown in debugfs stats
 * @MLRA_STAT_READ_CALLS: filemap_read() calls seen
 * @MLRA_STAT_READ_BYTES: bytes those calls asked for
 * @MLRA_STAT_FAULTS: filemap_fault() calls seen
 * @MLRA_STAT_MISSES: synchronous readahead (cache misses) seen
 * @MLRA_STAT_ASYNC_RA: readahead marker hits seen
 * @MLRA_STAT_DECISIONS: decisions made with a model
 * @MLRA_STAT_DECISIONS_NO_MODEL: decisions made without one
 * @MLRA_STAT_WINDOWS_SET: windows mlra changed (mode on)
 * @MLRA_STAT_WINDOWS_WOULD_SET: windows mlra would have changed (observe)
 * @MLRA_STAT_WINDOW_RACES: windows left alone because they changed between
 *	the decision's read and its write (posix_fadvise() meanwhile)
 * @MLRA_STAT_HINTED_SKIPS: changes left undone for a hinted file
 * @MLRA_STAT_GUARD_UNDONE_COST: windows mlra set and undid, as they cost
 *	the disk more per access than the kernel's (include/mlra/guard.h)
 * @MLRA_STAT_GUARD_UNDONE_THRASH: windows larger than the kernel's that
 *	mlra set and undid, as the page cache was thrashing
 * @MLRA_STAT_GUARD_UNDONE_MUTED: windows mlra set and undid, as their
 *	class was muted
 * @MLRA_STAT_GUARD_HELD: changes the guard held off: a stream backing off,
 *	a larger window while the page cache thrashes, a muted class
 * @MLRA_STAT_GUARD_MUTES: classes muted: undone for their cost
 *	MLRA_MUTE_UNDOS times in a row, across streams
 * @MLRA_STAT_THRASH_PERIODS: samples that found the page cache thrashing
 * @MLRA_STAT_SPREAD_DECISIONS: decisions for a stream whose faults are
 *	scattered over files larger than memory together (policy.h: spread)
 * @MLRA_STAT_RA_REQUESTS: readahead requests the kernel submitted while
 *	mlra watched (page_cache_ra_unbounded()), for any file
 * @MLRA_STAT_RA_PAGES: the most pages they read
 * @MLRA_STAT_CONTENDED: accesses lost to another CPU holding the stream
 * @MLRA_STAT_RECYCLED: streams recycled for a new file
 * @MLRA_STAT_LOG_RECORDS: records written to the access log
 * @MLRA_STAT_LOG_DROPPED: records lost because a ring was full
 * @MLRA_STAT_PF_REQUESTS: prefetch requests issued
 * @MLRA_STAT_PF_PAGES: pages they asked for
 * @MLRA_STAT_PF_FULL: requests dropped because the CPU's queue was full
 * @MLRA_STAT_PF_OVER_BUDGET: requests dropped over prefetch_inflight_kb
 * @MLRA_STAT_PF_PRESSURE: requests dropped over the cap that memory
 *	pressure lowered
 * @MLRA_STAT_PF_SKIPPED: queued requests not issued: mlra no longer
 *	steering, stream gone, file closed or shrunk below them
 * @MLRA_STAT_PF_USED: pages asked for that the reader reached (counted
 *	when it leaves the area asked for)
 * @MLRA_STAT_PF_WASTED: pages asked for that it never reached
 * @MLRA_NR_STATS: number of counters
 */
enum mlra_stat_item {
	MLRA_STAT_READ_CALLS,
	MLRA_STAT_READ_BYTES,
	MLRA_STAT_FAULTS,
	MLRA_STAT_MISSES,
	MLRA_STAT_ASYNC_RA,
	MLRA_STAT_DECISIONS,
	MLRA_STAT_DECISIONS_NO_MODEL,
	MLRA_STAT_WINDOWS_SET,
	MLRA_STAT_WINDOWS_WOULD_SET,
	MLRA_STAT_WINDOW_RACES,
	MLRA_STAT_HINTED_SKIPS,
	MLRA_STAT_GUARD_UNDONE_COST,
	MLRA_STAT_GUARD_UNDONE_THRASH,
	MLRA_STAT_GUARD_UNDONE_MUTED,
	MLRA_STAT_GUARD_HELD,
	MLRA_STAT_GUARD_MUTES,
	MLRA_STAT_THRASH_PERIODS,
	MLRA_STAT_SPREAD_DECISIONS,
	MLRA_STAT_RA_REQUESTS,
	MLRA_STAT_RA_PAGES,
	MLRA_STAT_CONTENDED,
	MLRA_STAT_RECYCLED,
	MLRA_STAT_LOG_RECORDS,
	MLRA_STAT_LOG_DROPPED,
	MLRA_STAT_PF_REQUESTS,
	MLRA_STAT_PF_PAGES,
	MLRA_STAT_PF_FULL,
	MLRA_STAT_PF_OVER_BUDGET,
	MLRA_STAT_PF_PRESSURE,
	MLRA_STAT_PF_SKIPPED,
	MLRA_STAT_PF_USED,
	MLRA_STAT_PF_WASTED,
	MLRA_NR_STATS,
};

extern const char * const mlra_stat_names[MLRA_NR_STATS];

/*
 * Inference times: bucket 0 counts those under 256 ns, bucket i those
 * under 256 << i ns, the last one all from 256 << (MLRA_NS_BUCKETS - 2).
 */
#define MLRA_NS_BUCKETS	10

struct mlra_cpu_stats {
	u64 count[MLRA_NR_STATS];
	u64 class_decisions[MLRA_MAX_CLASSES];
	u64 infer_ns[MLRA_NS_BUCKETS];
};

DECLARE_PER_CPU(struct mlra_cpu_stats, mlra_cpu_stats);

u64 mlra_stat_sum(enum mlra_stat_item item);
u64 mlra_percpu_sum(u64 __percpu *counter);

static inline void mlra_count(enum mlra_stat_item item)
{
	this_cpu_inc(mlra_cpu_stats.count[item]);
}

static inline void mlra_count_add(enum mlra_stat_item item, u64 n)
{
	this_cpu_add(mlra_cpu_stats.count[item], n);
}

/* A decision's class, or -1 when no model answered. */
static inline void mlra_count_decision(int class)
{
	if (class < 0) {
		mlra_count(MLRA_STAT_DECISIONS_NO_MODEL);
		return;
	}
	mlra_count(MLRA_STAT_DECISIONS);
	this_cpu_inc(mlra_cpu_stats.class_decisions[class % MLRA_MAX_CLASSES]);
}

static inline void mlra_count_infer_ns(u64 ns)
{
	this_cpu_inc(mlra_cpu_stats.infer_ns[clamp(fls64(ns) - 8, 0,
						   MLRA_NS_BUCKETS - 1)]);
}

struct file;
struct mlra_policy_state;
struct seq_file;

/* A mapping's madvise() hint, as an access carries it. */
enum mlra_hint {
	MLRA_HINT_NONE,
	MLRA_HINT_SEQUENTIAL,
	MLRA_HINT_RANDOM,	/* the kernel reads no more than asked */
};

int mlra_streams_alloc(unsigned int max);
void mlra_streams_free(void);
size_t mlra_streams_bytes(void);
unsigned int mlra_streams_live(void);
unsigned int mlra_streams_max(void);
void mlra_stream_access(struct file *file, pgoff_t index, u32 pages,
			enum mlra_access_kind kind, enum mlra_hint hint);
void mlra_stream_ra(struct file *file, pgoff_t index, unsigned long pages,
		    bool async);
void mlra_stream_read_in(struct file *file, unsigned long pages);
void mlra_stream_release(struct file *file);
struct file *mlra_stream_file_get(u32 slot, u64 id);
void mlra_streams_drain(void);
void mlra_streams_restore(void);
void mlra_streams_restore_hinted(void);
void mlra_streams_show(struct seq_file *m);
#ifdef CONFIG_MLRA_KUNIT_TEST
void mlra_test_class_set(u8 class, bool muted);
#endif

struct mlra_log_record;

DECLARE_STATIC_KEY_FALSE(mlra_log_key);

/* Whether the access log is open: building a record is worth it. */
static inline bool mlra_logging(void)
{
	return static_branch_unlikely(&mlra_log_key);
}

void mlra_log(struct mlra_log_record *r);
extern const struct file_operations mlra_log_fops;

bool mlra_thrashing(void);
#ifdef CONFIG_MLRA_KUNIT_TEST
void mlra_test_thrash_set(bool on);
#endif

int mlra_prefetch_init(void);
void mlra_prefetch_exit(void);
void mlra_prefetch_flush(void);
void mlra_prefetch_queue(u32 slot, u64 id, pgoff_t start, u32 pages);

int mlra_hooks_register(void);
void mlra_hooks_unregister(void);
void mlra_hooks_exit(void);
u64 mlra_hooks_nmissed(void);
bool mlra_hooks_active(void);

struct mlra_prediction;

int mlra_model_install(const u8 *blob, size_t len);
ssize_t mlra_model_upload(const char *buf, loff_t off, size_t count);
bool mlra_predict(const s32 *features, struct mlra_prediction *p);
struct mlra_policy_params;

/**
 * struct mlra_verdict - what one decision found
 * @class: the model's class, or -1 when no model is loaded
 * @confidence: the model's confidence in it, 0 without a model
 * @window: the window the file should have, in pages
 * @prefetch: the prefetch it should get, enum mlra_prefetch_kind
 */
struct mlra_verdict {
	int class;
	s32 confidence;
	u32 window;
	u8 prefetch;
};

void mlra_model_decide(const s32 *features,
		       const struct mlra_policy_params *pp, u32 original_pages,
		       struct mlra_policy_state *st, u32 *gen,
		       struct mlra_verdict *v);
ssize_t mlra_model_show_info(char *buf);
int mlra_live_init(void);
void mlra_live_exit(void);

int mlra_sysfs_init(void);
void mlra_sysfs_exit(void);
void mlra_debugfs_init(void);
void mlra_debugfs_exit(void);

#endif /* _MLRA_H */
