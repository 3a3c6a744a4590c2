/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The readahead simulator (scripts/sim.c): an access log replayed against
 * a page cache (LRU, a capacity in pages), a disk (FIFO, per-request time
 * from a named profile) and Linux 6.1's readahead, ported from
 * mm/readahead.c and mm/filemap.c, with a window per stream chosen by a
 * policy.
 */
#ifndef _MLRA_SCRIPTS_SIM_H
#define _MLRA_SCRIPTS_SIM_H

#include <mlra/features.h>
#include <mlra/model.h>
#include <mlra/policy.h>

#include "access_log.h"

/**
 * struct sim_disk - how long a request takes: @latency_ns plus the longer
 * of 1/@iops and its bytes at @bytes_per_s; one request at a time. The
 * guest's queue says @nonrot (scripts/vm sets "rotational" to 0 for every
 * profile but hdd): the model's MLRA_F_NONROT.
 */
struct sim_disk {
	const char *name;
	double latency_ns;
	double iops;
	double bytes_per_s;
	unsigned int max_request_pages;
	bool nonrot;
};

int sim_disk_profile(const char *name, struct sim_disk *d);

/**
 * struct sim_totals - what a replay cost
 * @time_ns: the application's time: its own per access and page, plus
 *	every wait for a page being read
 * @requests: disk requests
 * @pages_read: pages read from disk
 * @ra_unused: pages read ahead that nobody used before eviction or the end
 * @accesses: accesses replayed
 * @pages_asked: pages the application asked for
 * @seen: accesses that reached the kernel's read and fault paths (and the
 *	module): faults on pages fault-around maps do not
 * @prefetched: pages mlra's prefetch asked for
 * @prefetch_used: of those, pages the reader reached (mlra_prefetch_plan())
 * @prefetch_wasted: pages it never reached
 */
struct sim_totals {
	double time_ns;
	unsigned long long requests;
	unsigned long long pages_read;
	unsigned long long ra_unused;
	unsigned long long accesses;
	unsigned long long pages_asked;
	unsigned long long seen;
	unsigned long long prefetched;
	unsigned long long prefetch_used;
	unsigned long long prefetch_wasted;
};

/* What a policy sees at a decision point, and what it answers. */
struct sim;
struct sim_stream;

/**
 * typedef sim_policy_fn - choose a stream's window at a decision point
 * @ctx: the policy's data
 * @s: the simulator
 * @st: the stream (history, window, its file's own window)
 * @features: the stream's features now
 *
 * Return: the window in pages.
 */
typedef unsigned int (*sim_policy_fn)(void *ctx, struct sim *s,
				      struct sim_stream *st,
				      const s32 *features);

/**
 * struct sim_config - one replay's settings
 * @disk: the disk
 * @cache_pages: page cache capacity
 * @cpu_access_ns: application time per access
 * @cpu_page_ns: application time per page it asks for
 * @decision_interval: accesses of a stream between decisions
 * @ra_pages: the disk's readahead (read_ahead_kb), in pages: each file's
 *	own window (the logs are taken with it at 0)
 * @policy: NULL for Linux's own window (the one in the log)
 * @ctx: for @policy
 */
struct sim_config {
	struct sim_disk disk;
	unsigned long cache_pages;
	double cpu_access_ns;
	double cpu_page_ns;
	unsigned int decision_interval;
	unsigned int ra_pages;
	sim_policy_fn policy;
	void *ctx;
};

/**
 * struct sim_stream - a stream's state: one open file, as in the kernel
 * @id: the log's stream number
 * @file: index into the simulator's files
 * @ra_pages, @start, @size, @async_size, @prev_index: the kernel's
 *	struct file_ra_state (without mmap_miss: see sim.c)
 * @own_pages: the window the file opened with
 * @history: the accesses the features are computed from
 * @policy: mlra's policy memory, for a policy that wants it
 * @current: the log record of its access being replayed
 * @since_decision: accesses since the last decision
 * @pf: the prefetch planner's memory (the module's)
 * @pf_kind: the prefetch in force, enum mlra_prefetch_kind
 * @spread_pages: its file's pages in the footprint of scattered faults
 *	(sim_model_decide())
 * @taken: pages the cache took in for its accesses
 * @records: its accesses (read and fault records) so far
 * @mark_clock, @mark_taken, @mark_records, @mark_pos: the cache's clock,
 *	@taken, @records and the log record at its last decision (sim.c:
 *	the other streams' intake)
 */
struct sim_stream {
	u32 id;
	u32 file;
	u32 ra_pages;
	unsigned long start, size, async_size, prev_index;
	u32 own_pages;
	struct mlra_history history;
	struct mlra_policy_state policy;
	u32 current;
	unsigned int since_decision;
	struct mlra_prefetch_state pf;
	u8 pf_kind;
	u32 spread_pages;
	double taken;
	u32 records;
	double mark_clock;
	double mark_taken;
	u32 mark_records;
	u32 mark_pos;
};

/* An action as a what-if replay applies it: a window and a prefetch. */
struct sim_action {
	u32 window;
	u8 prefetch;
};

/* The disk's read_ahead_kb of 128 KiB, in pages: a file's own window. */
#define SIM_RA_PAGES		32

/*
 * The labels' cost model (sim_what_if(), sim_oracle_decide()): a page read
 * and not used over the horizon costs SIM_WASTE_NS besides the disk time
 * it took (memory it holds); another action must save more than
 * SIM_KEEP_MARGIN of keep's cost to be chosen over it.
 */
#define SIM_WASTE_NS		1000.0
/*
 * The model's classes: the actions labels choose from (policy.h names).
 * "stride" comes before "ra4096": for a read() stream they have the same
 * window, so where its prefetch asks for nothing they tie, and the label
 * is "stride" both where the kernel reads a stride's gaps through and
 * where prefetch has already read the strides (which then look alike).
 */
#define SIM_CLASSES	"keep", "off", "ra16", "ra64", "ra512", "ra1024", \
			"ra2048", "stride", "ra4096", "rev"
#define SIM_KEEP_MARGIN		0.02

/**
 * struct sim_oracle - the labeller
 * @actions: what each class does (mlra_action_parse() of its name);
 *	class 0 must be "keep"
 * @n_classes: how many
 * @disks: the disks an action's cost is summed over: the replay's own
 *	where it says it does not rotate, else cloud and hdd
 * @n_disks: how many, at most 4
 * @sample: if set, called with each decision point's features and label
 * @sample_ctx: for @sample
 * @observe: label only, leaving the stream's window as it is (the kernel's
 *	own with no other policy): the states a model meets before it acts
 */
struct sim_oracle {
	struct mlra_action actions[MLRA_MAX_CLASSES];
	int n_classes;
	struct sim_disk disks[4];
	int n_disks;
	void (*sample)(void *ctx, const s32 *f, int label);
	void *sample_ctx;
	bool observe;
};

/**
 * struct sim_model - mlra's policy as the module runs it: the engine, the
 * policy and the knobs' defaults
 * @m: the model, packed
 * @actions: its classes' actions
 */
struct sim_model {
	struct mlra_model m;
	struct mlra_action actions[MLRA_MAX_CLASSES];
};

int sim_model_init(struct sim_model *mp, const u8 *blob, size_t len);
unsigned int sim_model_decide(void *ctx, struct sim *s, struct sim_stream *st,
			      const s32 *f);
void sim_oracle_init(struct sim_oracle *o, const struct sim_disk *disk);
double sim_what_if(struct sim *s, struct sim_stream *st,
		   const struct sim_action *act, const struct sim_disk *disk);
unsigned int sim_oracle_decide(void *ctx, struct sim *s, struct sim_stream *st,
			       const s32 *f);

void sim_default_config(struct sim_config *cfg);
struct sim *sim_new(const struct sim_config *cfg);
void sim_free(struct sim *s);
void sim_event(struct sim *s, const struct mlra_log_record *r);
void sim_finish(struct sim *s, struct sim_totals *t);
void sim_replay(const struct sim_config *cfg, const struct mlra_trace *t,
		struct sim_totals *out);

#endif
