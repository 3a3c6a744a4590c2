/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit tests for the policy, included at the end of src/policy.c. */

#include <kunit/test.h>

static void mlra_action_parse_table(struct kunit *test)
{
	static const struct {
		const char *name;
		bool keep;
		u32 kb;
	} cases[] = {
		{ "keep", true, 0 }, { "off", false, 0 },
		{ "ra4", false, 4 }, { "ra128", false, 128 },
		{ "ra2048", false, 2048 },
		{ "ra", true, 0 }, { "ra0", true, 0 }, { "ra2", true, 0 },
		{ "ra-4", true, 0 }, { "ra12x", true, 0 }, { "RA128", true, 0 },
		{ "ra0128", true, 0 }, { "ra99999999999", true, 0 },
		{ "low", true, 0 }, { "", true, 0 },
	};
	struct mlra_action a;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mlra_action_parse(cases[i].name, &a);
		KUNIT_EXPECT_EQ_MSG(test, a.keep, cases[i].keep, "\"%s\"",
				    cases[i].name);
		KUNIT_EXPECT_EQ_MSG(test, a.window_kb, cases[i].kb, "\"%s\"",
				    cases[i].name);
	}
}

/* Classes: 0 off, 1 ra2048, 2 keep; the file's own window is 32 pages. */
static const struct mlra_action policy_actions[] = {
	{ false, 0 }, { false, 2048 }, { true, 0 },
};

static u32 decide(struct mlra_policy_params *pp, struct mlra_policy_state *st,
		  u8 class, s32 confidence)
{
	struct mlra_prediction p = { .class = class, .confidence = confidence };

	return mlra_policy_decide(pp, policy_actions, &p, 32, st);
}

static void mlra_policy_hysteresis(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 100, 2 };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 32);	/* 1 win */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);	/* 2 wins */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 512);	/* flicker */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);	/* off */
	/* Hysteresis 1 (or 0): every decision takes effect. */
	pp.hysteresis = 0;
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 500), 512);
	pp.hysteresis = 1;
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);
}

static void mlra_policy_low_confidence(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 100, 2 };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 99), 32);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 99), 32);	/* never */
	decide(&pp, &st, 1, 100);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 100), 512);
	/* Unsure twice: back to the kernel's own window. */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 50), 512);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 50), 32);
	/* A "keep" class is the kernel's window too. */
	decide(&pp, &st, 0, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 500), 0);
	decide(&pp, &st, 2, 500);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 2, 500), 32);
}

static void mlra_policy_clamps(struct kunit *test)
{
	struct mlra_policy_params pp = { 64, 1024, 0, 1 };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 0), 256);	/* 1024 KiB */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 0, 0), 16);	/* 64 KiB */
	/* The kernel's own window is never clamped. */
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 2, 0), 32);
}

static void mlra_policy_no_model(struct kunit *test)
{
	struct mlra_policy_params pp = { 0, 4096, 0, 1 };
	struct mlra_policy_state st;

	mlra_policy_reset(&st);
	KUNIT_EXPECT_EQ(test, decide(&pp, &st, 1, 0), 512);
	KUNIT_EXPECT_EQ(test, mlra_policy_decide(&pp, policy_actions, NULL,
						 32, &st), 32);
	KUNIT_EXPECT_EQ(test, st.applied, MLRA_NO_CLASS);
}

static struct kunit_case mlra_policy_cases[] = {
	KUNIT_CASE(mlra_action_parse_table),
	KUNIT_CASE(mlra_policy_hysteresis),
	KUNIT_CASE(mlra_policy_low_confidence),
	KUNIT_CASE(mlra_policy_clamps),
	KUNIT_CASE(mlra_policy_no_model),
	{}
};

static struct kunit_suite mlra_policy_suite = {
	.name = "mlra_policy",
	.test_cases = mlra_policy_cases,
};

kunit_test_suite(mlra_policy_suite);
