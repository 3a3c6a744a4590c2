// SPDX-License-Identifier: GPL-2.0
/*
 * mlra: learned page-cache readahead. Module entry points and the rule
 * that ties the knobs to the probes: registered exactly while mlra is
 * enabled and its mode is not off.
 */

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/stringify.h>

#include "mlra.h"

static bool enabled = true;
module_param(enabled, bool, 0);
MODULE_PARM_DESC(enabled, "Initial value of the enabled knob (default: 1)");

static char *mode = "observe";
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Initial mode: off, observe or on (default: observe)");

static bool default_model = true;
module_param(default_model, bool, 0);
MODULE_PARM_DESC(default_model, "Load the built-in trained model (default: 1)");

static unsigned int max_streams = MLRA_DEFAULT_STREAMS;
module_param(max_streams, uint, 0);
MODULE_PARM_DESC(max_streams, "Streams the table holds, "
		 __stringify(MLRA_MIN_STREAMS) " to " __stringify(MLRA_MAX_STREAMS)
		 " (default: " __stringify(MLRA_DEFAULT_STREAMS) ")");

/* Serialises knob writes with probe (un)registration. */
DEFINE_MUTEX(mlra_state_lock);

static bool mlra_wants_hooks(bool on, enum mlra_mode m)
{
	return on && m != MLRA_MODE_OFF;
}

/*
 * Registers or unregisters the probes as the new state needs; on error
 * nothing changes. Leaving mode on with the probes kept (observe), files
 * get their own windows back; the prefetch worker drops what is queued
 * unread as soon as the knobs say mlra no longer steers.
 */
static int mlra_apply_state(bool on, enum mlra_mode new_mode)
{
	bool had, wants, steered = mlra_steering();
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
	if (steered && wants && !mlra_steering())
		mlra_streams_restore();
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

/**
 * mlra_set_respect_hints() - whether files with a hint are left alone
 * @respect: 0 or 1
 *
 * From 0 to 1, the files with a hint get their own windows back.
 *
 * Return: 0.
 */
int mlra_set_respect_hints(unsigned int respect)
{
	bool was;

	mutex_lock(&mlra_state_lock);
	was = mlra_knobs.respect_hints;
	WRITE_ONCE(mlra_knobs.respect_hints, respect);
	if (respect && !was && mlra_hooks_active())
		mlra_streams_restore_hinted();
	mutex_unlock(&mlra_state_lock);
	return 0;
}

/**
 * mlra_set_max_streams() - resize the stream table
 * @max: streams, MLRA_MIN_STREAMS to MLRA_MAX_STREAMS
 *
 * Return: 0, -EBUSY while the probes are registered (switch mlra off
 * first), or -ENOMEM; on error nothing changes.
 */
int mlra_set_max_streams(unsigned int max)
{
	int err = -EBUSY;

	mutex_lock(&mlra_state_lock);
	if (!mlra_hooks_active()) {
		err = mlra_streams_alloc(max);
		if (!err)
			WRITE_ONCE(mlra_knobs.max_streams, max);
	}
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

	if (max_streams < MLRA_MIN_STREAMS || max_streams > MLRA_MAX_STREAMS) {
		pr_err("max_streams=%u: expected %u to %u\n", max_streams,
		       MLRA_MIN_STREAMS, MLRA_MAX_STREAMS);
		return -EINVAL;
	}
	err = mlra_streams_alloc(max_streams);
	if (err)
		return err;
	mlra_knobs.max_streams = max_streams;
	err = mlra_prefetch_init();
	if (err)
		goto err_streams;
	err = mlra_live_init();
	if (err)
		goto err_prefetch;
	if (default_model) {
		err = mlra_model_install(mlra_default_model,
					 mlra_default_model_size);
		if (err)
			goto err_live;
	}
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
	mlra_hooks_exit();
	mlra_debugfs_exit();
err_live:
	mlra_live_exit();
err_prefetch:
	mlra_prefetch_exit();
err_streams:
	mlra_streams_free();
	return err;
}

static void __exit mlra_exit(void)
{
	/* No knob write can run once sysfs is gone. */
	mlra_sysfs_exit();
	mlra_set_enabled(false);
	mlra_hooks_exit();
	mlra_debugfs_exit();
	mlra_live_exit();
	/* The probes are gone: nothing queues; drain what is queued. */
	mlra_prefetch_exit();
	mlra_streams_free();
}

module_init(mlra_init);
module_exit(mlra_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Learned page-cache readahead");
MODULE_VERSION("0.1.0");
