/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by mlra's module files: knobs, their parsers, the
 * hooks and the per-CPU statistics.
 */
#ifndef _MLRA_H
#define _MLRA_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/types.h>

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
 *
 * Written only under mlra_state_lock, read locklessly with READ_ONCE().
 */
struct mlra_knobs {
	bool enabled;
	enum mlra_mode mode;
};

extern struct mlra_knobs mlra_knobs;
/* Serialises knob writes with probe (un)registration. */
extern struct mutex mlra_state_lock;

int mlra_set_enabled(bool on);
int mlra_set_mode(enum mlra_mode new_mode);

/**
 * enum mlra_stat_item - per-CPU event counters shown in debugfs stats
 * @MLRA_STAT_READ_CALLS: filemap_read() calls seen
 * @MLRA_STAT_READ_BYTES: bytes those calls asked for
 * @MLRA_NR_STATS: number of counters
 */
enum mlra_stat_item {
	MLRA_STAT_READ_CALLS,
	MLRA_STAT_READ_BYTES,
	MLRA_NR_STATS,
};

extern const char * const mlra_stat_names[MLRA_NR_STATS];

struct mlra_cpu_stats {
	u64 count[MLRA_NR_STATS];
};

DECLARE_PER_CPU(struct mlra_cpu_stats, mlra_cpu_stats);

u64 mlra_stat_sum(enum mlra_stat_item item);

int mlra_hooks_register(void);
void mlra_hooks_unregister(void);
u64 mlra_hooks_nmissed(void);

struct mlra_prediction;

int mlra_model_install(const u8 *blob, size_t len);
ssize_t mlra_model_upload(const char *buf, loff_t off, size_t count);
bool mlra_predict(const s32 *features, struct mlra_prediction *p);
ssize_t mlra_model_show_info(char *buf);
int mlra_live_init(void);
void mlra_live_exit(void);

int mlra_sysfs_init(void);
void mlra_sysfs_exit(void);
void mlra_debugfs_init(void);
void mlra_debugfs_exit(void);

#endif /* _MLRA_H */
