// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mlra/: statistics for people and tests, not an ABI.
 * debugfs failures are not fatal; mlra works without it.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "mlra.h"

static struct dentry *mlra_debugfs_dir;

/* One "name value" pair a line, so that scripts can grep or awk it. */
static int stats_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < MLRA_NR_STATS; i++)
		seq_printf(m, "%s %llu\n", mlra_stat_names[i], mlra_stat_sum(i));
	/* Decisions by class index; the names are in model_info. */
	for (i = 0; i < MLRA_MAX_CLASSES; i++)
		seq_printf(m, "class_%d %llu\n", i,
			   mlra_percpu_sum(&mlra_cpu_stats.class_decisions[i]));

	/* Inference times, a power-of-two bucket a line. */
	for (i = 0; i < MLRA_NS_BUCKETS - 1; i++)
		seq_printf(m, "infer_ns_lt_%u %llu\n", 256U << i,
			   mlra_percpu_sum(&mlra_cpu_stats.infer_ns[i]));
	seq_printf(m, "infer_ns_ge_%u %llu\n", 256U << (i - 1),
		   mlra_percpu_sum(&mlra_cpu_stats.infer_ns[i]));

	mutex_lock(&mlra_state_lock);
	seq_printf(m, "kprobe_nmissed %llu\n", mlra_hooks_nmissed());
	seq_printf(m, "streams_live %u\n", mlra_streams_live());
	seq_printf(m, "streams_max %u\n", mlra_streams_max());
	seq_printf(m, "stream_table_bytes %zu\n", mlra_streams_bytes());
	mutex_unlock(&mlra_state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* Under mlra_state_lock: a max_streams write frees the table. */
static int streams_show(struct seq_file *m, void *v)
{
	mutex_lock(&mlra_state_lock);
	mlra_streams_show(m);
	mutex_unlock(&mlra_state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(streams);

void mlra_debugfs_init(void)
{
	mlra_debugfs_dir = debugfs_create_dir("mlra", NULL);
	debugfs_create_file("stats", 0400, mlra_debugfs_dir, NULL, &stats_fops);
	debugfs_create_file("streams", 0400, mlra_debugfs_dir, NULL,
			    &streams_fops);
	debugfs_create_file("access_log", 0400, mlra_debugfs_dir, NULL,
			    &mlra_log_fops);
}

void mlra_debugfs_exit(void)
{
	debugfs_remove(mlra_debugfs_dir);
}
