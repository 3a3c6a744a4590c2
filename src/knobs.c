// SPDX-License-Identifier: GPL-2.0
/*
 * The knobs' values and the parsers for what is written to them. They
 * know nothing of sysfs, so KUnit tests them directly; a rejected value
 * leaves the output untouched. What a change sets in motion is in
 * control.c.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <mlra/policy.h>

#include "mlra.h"

struct mlra_knobs mlra_knobs = {
	.min_ra_kb = MLRA_DEFAULT_MIN_RA_KB,
	.max_ra_kb = MLRA_DEFAULT_MAX_RA_KB,
	.decision_interval = MLRA_DEFAULT_DECISION_INTERVAL,
	.min_confidence = MLRA_DEFAULT_MIN_CONFIDENCE,
	.respect_hints = 1,
	.prefetch_max_kb = MLRA_DEFAULT_PREFETCH_MAX_KB,
	.prefetch_inflight_kb = MLRA_DEFAULT_PREFETCH_INFLIGHT_KB,
};

const char * const mlra_mode_names[MLRA_NR_MODES] = {
	[MLRA_MODE_OFF] = "off",
	[MLRA_MODE_OBSERVE] = "observe",
	[MLRA_MODE_ON] = "on",
};

/**
 * mlra_parse_mode() - parse the name of a mode
 * @buf: NUL-terminated input, one trailing newline allowed
 * @mode: set to the mode named, only on success
 *
 * Return: 0, or -EINVAL if @buf names no mode.
 */
int mlra_parse_mode(const char *buf, enum mlra_mode *mode)
{
	int i;

	for (i = 0; i < MLRA_NR_MODES; i++) {
		if (sysfs_streq(buf, mlra_mode_names[i])) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * mlra_parse_uint() - parse a decimal number within bounds
 * @buf: NUL-terminated input, one trailing newline allowed
 * @min: smallest value accepted
 * @max: largest value accepted
 * @val: set to the number, only on success
 *
 * Every rejection is -EINVAL, so that a writer sees one error for any bad
 * value, whether malformed, negative, too large for an unsigned int or
 * outside [@min, @max].
 *
 * Return: 0 or -EINVAL.
 */
int mlra_parse_uint(const char *buf, unsigned int min, unsigned int max,
		    unsigned int *val)
{
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

#if IS_ENABLED(CONFIG_MLRA_KUNIT_TEST)
#include "../tests/knobs-kunit.h"
#endif
