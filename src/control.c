// SPDX-License-Identifier: GPL-2.0
/*
 * What a knob change sets in motion: the rule that ties the knobs to the
 * hooks (registered exactly while mlra is enabled and its mode is not
 * off), and the stream table's reactions to a change. sysfs.c and
 * main.c call it; it calls neither.
 */

#include <linux/lockdep.h>
#include <linux/mutex.h>

#include "mlra.h"

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
 * mlra_set_state() - set enabled and the mode together, at load
 * @on: new value of enabled
 * @new_mode: new mode
 *
 * Return: 0 or the error from registering the probes; on error nothing
 * changes.
 */
int mlra_set_state(bool on, enum mlra_mode new_mode)
{
	int err;

	mutex_lock(&mlra_state_lock);
	err = mlra_apply_state(on, new_mode);
	mutex_unlock(&mlra_state_lock);
	return err;
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
