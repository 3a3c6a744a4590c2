/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the knob parsers, included at the end of src/knob.c.
 * Every rejected input must also leave the output untouched.
 */

#include <kunit/test.h>

#define MLRA_SENTINEL 0xa5a5a5a5u

static void mlra_parse_mode_accepts(struct kunit *test)
{
	static const struct {
		const char *in;
		enum mlra_mode want;
	} cases[] = {
		{ "off", MLRA_MODE_OFF },
		{ "observe", MLRA_MODE_OBSERVE },
		{ "on", MLRA_MODE_ON },
		{ "on\n", MLRA_MODE_ON },
		{ "observe\n", MLRA_MODE_OBSERVE },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum mlra_mode m = MLRA_NR_MODES;

		KUNIT_EXPECT_EQ_MSG(test, mlra_parse_mode(cases[i].in, &m), 0,
				    "input \"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, m, cases[i].want,
				    "input \"%s\"", cases[i].in);
	}
}

static void mlra_parse_mode_rejects(struct kunit *test)
{
	static const char * const cases[] = {
		"", "\n", "\n\n", "ON", "Off", "of", "offf", "on\n\n",
		" on", "on ", "observe\t", "0", "1", "-1", "on\noff",
		"observeobserveobserveobserveobserveobserveobserveobserve",
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum mlra_mode m = MLRA_NR_MODES;

		KUNIT_EXPECT_EQ_MSG(test, mlra_parse_mode(cases[i], &m),
				    -EINVAL, "input \"%s\"", cases[i]);
		KUNIT_EXPECT_EQ_MSG(test, m, MLRA_NR_MODES,
				    "input \"%s\" changed the output", cases[i]);
	}
}

static void mlra_parse_uint_accepts(struct kunit *test)
{
	static const struct {
		const char *in;
		unsigned int min, max, want;
	} cases[] = {
		{ "0", 0, 1, 0 },
		{ "1", 0, 1, 1 },
		{ "1\n", 0, 1, 1 },
		{ "+1", 0, 1, 1 },
		{ "4", 4, 4096, 4 },
		{ "4096\n", 4, 4096, 4096 },
		{ "007", 0, 10, 7 },
		{ "4294967295", 0, UINT_MAX, UINT_MAX },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int v = MLRA_SENTINEL;

		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_parse_uint(cases[i].in, cases[i].min,
						    cases[i].max, &v),
				    0, "input \"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, v, cases[i].want,
				    "input \"%s\"", cases[i].in);
	}
}

static void mlra_parse_uint_rejects(struct kunit *test)
{
	static const struct {
		const char *in;
		unsigned int min, max;
	} cases[] = {
		{ "", 0, 1 },
		{ "\n", 0, 1 },
		{ "2", 0, 1 },
		{ "-1", 0, 1 },
		{ "-0x1", 0, 1 },
		{ "0x1", 0, 1 },
		{ "1x", 0, 1 },
		{ "yes", 0, 1 },
		{ " 1", 0, 1 },
		{ "1 ", 0, 1 },
		{ "1\n\n", 0, 1 },
		{ "3", 4, 4096 },
		{ "4097", 4, 4096 },
		{ "4294967296", 0, UINT_MAX },
		{ "99999999999999999999999999999999999999999999", 0, UINT_MAX },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int v = MLRA_SENTINEL;

		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_parse_uint(cases[i].in, cases[i].min,
						    cases[i].max, &v),
				    -EINVAL, "input \"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, v, MLRA_SENTINEL,
				    "input \"%s\" changed the output", cases[i].in);
	}
}

static struct kunit_case mlra_knob_cases[] = {
	KUNIT_CASE(mlra_parse_mode_accepts),
	KUNIT_CASE(mlra_parse_mode_rejects),
	KUNIT_CASE(mlra_parse_uint_accepts),
	KUNIT_CASE(mlra_parse_uint_rejects),
	{}
};

static struct kunit_suite mlra_knob_suite = {
	.name = "mlra_knob",
	.test_cases = mlra_knob_cases,
};

kunit_test_suite(mlra_knob_suite);
