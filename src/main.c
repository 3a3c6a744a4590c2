// SPDX-License-Identifier: GPL-2.0
/*
 * mlra: learned page-cache readahead. Module entry points, the knobs' state
 * and the rule that ties it to the probes: registered exactly while mlra is
 * enabled and its mode is not off.
 */

#include <linux/module.h>
#include <linux/mutex.h>

#include "mlra.h"

static bool enabled = true;
module_param(enabled, bool, 0);
MODULE_PARM_DESC(enabled, "Initial value of the enabled knob (default: 1)");

static char *mode = "observe";
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Initial mode: off, observe or on (default: observe)");

struct mlra_knobs mlra_knobs;
/* Serialises knob writes with probe (un)registration. */
DEFINE_MUTEX(mlra_state_lock);

DEFINE_PER_CPU(struct mlra_cpu_stats, mlra_cpu_stats);

const char * const mlra_stat_names[MLRA_NR_STATS] = {
	[MLRA_STAT_READ_CALLS] = "read_calls",
	[MLRA_STAT_READ_BYTES] = "read_bytes",
};

/**
 * mlra_stat_sum() - sum a counter over all CPUs
 * @item: the counter
 *
 * Return: the sum; counters only grow, so a racy sum is a lower bound.
 */
u64 mlra_stat_sum(enum mlra_stat_item item)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mlra_cpu_stats, cpu).count[item];
	return sum;
}

static bool mlra_wants_hooks(bool on, enum mlra_mode m)
{
	return on && m != MLRA_MODE_OFF;
}

/*
 * Registers or unregisters the probes as the new state needs; on error
 * nothing changes.
 */
static int mlra_apply_state(bool on, enum mlra_mode new_mode)
{
	bool had, wants;
	int err = 0;

	lockdep_assert_held(&mlra_state_lock);
	had = mlra_wants_hooks(mlra_knobs.enabled, mlra_knobs.mode);
	wants = mlra_wants_hooks(on, new_mode);
	if (wants && !had)
		err = mlra_hooks_register();
	else if (had && !wants)
		mlra_hooks_unregister();
	if (err)
		return err;
	WRITE_ONCE(mlra_knobs.enabled, on);
	WRITE_ONCE(mlra_knobs.mode, new_mode);
	return 0;
}

/**
 * mlra_set_enabled() - switch mlra on or off, keeping its mode
 * @on: new value of enabled
 *
 * Return: 0 or the error from registering the probes; on error nothing
 * changes.
 */
int mlra_set_enabled(bool on)
{
	int err;

	mutex_lock(&mlra_state_lock);
	err = mlra_apply_state(on, mlra_knobs.mode);
	mutex_unlock(&mlra_state_lock);
	return err;
}

/**
 * mlra_set_mode() - change the mode, keeping enabled
 * @new_mode: new mode
 *
 * Return: 0 or the error from registering the probes; on error nothing
 * changes.
 */
int mlra_set_mode(enum mlra_mode new_mode)
{
	int err;

	mutex_lock(&mlra_state_lock);
	err = mlra_apply_state(mlra_knobs.enabled, new_mode);
	mutex_unlock(&mlra_state_lock);
	return err;
}

static int __init mlra_init(void)
{
	enum mlra_mode initial_mode;
	int err;

	if (mlra_parse_mode(mode, &initial_mode)) {
		pr_err("mode=%s: expected off, observe or on\n", mode);
		return -EINVAL;
	}

	err = mlra_live_init();
	if (err)
		return err;
	mlra_debugfs_init();
	mutex_lock(&mlra_state_lock);
	err = mlra_apply_state(enabled, initial_mode);
	mutex_unlock(&mlra_state_lock);
	if (err)
		goto err_debugfs;
	err = mlra_sysfs_init();
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	mlra_set_enabled(false);
err_debugfs:
	mlra_debugfs_exit();
	mlra_live_exit();
	return err;
}

static void __exit mlra_exit(void)
{
	/* No knob write can run once sysfs is gone. */
	mlra_sysfs_exit();
	mlra_set_enabled(false);
	mlra_debugfs_exit();
	mlra_live_exit();
}

module_init(mlra_init);
module_exit(mlra_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Learned page-cache readahead");
MODULE_VERSION("0.1.0");
