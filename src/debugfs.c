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

	mutex_lock(&mlra_state_lock);
	seq_printf(m, "kprobe_nmissed %llu\n", mlra_hooks_nmissed());
	mutex_unlock(&mlra_state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

void mlra_debugfs_init(void)
{
	mlra_debugfs_dir = debugfs_create_dir("mlra", NULL);
	debugfs_create_file("stats", 0400, mlra_debugfs_dir, NULL, &stats_fops);
}

void mlra_debugfs_exit(void)
{
	debugfs_remove(mlra_debugfs_dir);
}
