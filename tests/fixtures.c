// SPDX-License-Identifier: GPL-2.0
/* Models shared by the KUnit suites; built into the KUnit object only. */

#include "fixtures.h"

static const s32 golden_b0[] = { 0, 10, -300 };
static const s32 golden_w0[] = { 1, 2, -3, 4, 5, -6 };
static const s32 golden_b1[] = { 7, -7 };
static const s32 golden_w1[] = { 1, -1, 2, -2, 3, 1000 };

const struct mlra_model_spec mlra_test_golden_spec = {
	.name = "golden",
	.n_inputs = 2,
	.n_layers = 2,
	.input = { { 0, 1, 0 }, { 100, 2, 1 } },
	.layer = {
		{ 3, MLRA_ACT_RELU, 8, 1, golden_b0, golden_w0 },
		{ 2, MLRA_ACT_IDENTITY, 16, 0, golden_b1, golden_w1 },
	},
	.class_name = { "low", "high" },
};
