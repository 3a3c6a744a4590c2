/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the knob parsers, included at the end of src/knobs.c.
 * Every rejected input must also leave the output untouched.
 */

#include <kunit/test.h>

#define MLRA_SENTINEL 0xa5a5a5a5u

static void mlra_parse_mode_table(struct kunit *test)
{
	static const struct {
		const char *in;
		int err;
		enum mlra_mode want;
	} cases[] = {
		{ "off", 0, MLRA_MODE_OFF },
		{ "observe", 0, MLRA_MODE_OBSERVE },
		{ "on", 0, MLRA_MODE_ON },
		{ "on\n", 0, MLRA_MODE_ON },
		{ "observe\n", 0, MLRA_MODE_OBSERVE },
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "\n\n", -EINVAL },
		{ "ON", -EINVAL },
		{ "Off", -EINVAL },
		{ "of", -EINVAL },
		{ "offf", -EINVAL },
		{ "on\n\n", -EINVAL },
		{ " on", -EINVAL },
		{ "on ", -EINVAL },
		{ "observe\t", -EINVAL },
		{ "0", -EINVAL },
		{ "1", -EINVAL },
		{ "-1", -EINVAL },
		{ "on\noff", -EINVAL },
		{ "observeobserveobserveobserveobserveobserveobserve", -EINVAL },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum mlra_mode m = MLRA_NR_MODES;
		enum mlra_mode want = cases[i].want;

		if (cases[i].err)
			want = MLRA_NR_MODES;	/* untouched */

		KUNIT_EXPECT_EQ_MSG(test, mlra_parse_mode(cases[i].in, &m),
				    cases[i].err, "input \"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, m, want, "input \"%s\"", cases[i].in);
	}
}

static void mlra_parse_uint_table(struct kunit *test)
{
	static const struct {
		const char *in;
		unsigned int min, max;
		int err;
		unsigned int want;
	} cases[] = {
		{ "0", 0, 1, 0, 0 },
		{ "1", 0, 1, 0, 1 },
		{ "1\n", 0, 1, 0, 1 },
		{ "+1", 0, 1, 0, 1 },
		{ "4", 4, 4096, 0, 4 },
		{ "4096\n", 4, 4096, 0, 4096 },
		{ "007", 0, 10, 0, 7 },
		{ "4294967295", 0, UINT_MAX, 0, UINT_MAX },
		{ "", 0, 1, -EINVAL },
		{ "\n", 0, 1, -EINVAL },
		{ "2", 0, 1, -EINVAL },
		{ "-1", 0, 1, -EINVAL },
		{ "-0x1", 0, 1, -EINVAL },
		{ "0x1", 0, 1, -EINVAL },
		{ "1x", 0, 1, -EINVAL },
		{ "yes", 0, 1, -EINVAL },
		{ " 1", 0, 1, -EINVAL },
		{ "1 ", 0, 1, -EINVAL },
		{ "1\n\n", 0, 1, -EINVAL },
		{ "3", 4, 4096, -EINVAL },
		{ "4097", 4, 4096, -EINVAL },
		{ "4294967296", 0, UINT_MAX, -EINVAL },
		{ "99999999999999999999999999999999999", 0, UINT_MAX, -EINVAL },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int v = MLRA_SENTINEL;
		unsigned int want = cases[i].want;

		if (cases[i].err)
			want = MLRA_SENTINEL;	/* untouched */

		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_parse_uint(cases[i].in, cases[i].min,
						    cases[i].max, &v),
				    cases[i].err, "input \"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, v, want, "input \"%s\"", cases[i].in);
	}
}

static struct kunit_case mlra_knob_cases[] = {
	KUNIT_CASE(mlra_parse_mode_table),
	KUNIT_CASE(mlra_parse_uint_table),
	{}
};

static struct kunit_suite mlra_knob_suite = {
	.name = "mlra_knob",
	.test_cases = mlra_knob_cases,
};

kunit_test_suite(mlra_knob_suite);
