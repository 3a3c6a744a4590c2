/* SPDX-License-Identifier: GPL-2.0 */
/* Models shared by the KUnit suites (tests/fixtures.c). */
#ifndef _MLRA_TEST_FIXTURES_H
#define _MLRA_TEST_FIXTURES_H

#include <mlra/model.h>

/* tests/models/golden.txt as numbers; its outputs are worked by hand. */
extern const struct mlra_model_spec mlra_test_golden_spec;

#endif /* _MLRA_TEST_FIXTURES_H */
