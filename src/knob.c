// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for the values written to mlra's knobs. They know nothing of
 * sysfs, so KUnit tests them directly; a rejected value leaves the output
 * untouched.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "mlra.h"

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
#include "../tests/knob-kunit.h"
#endif
