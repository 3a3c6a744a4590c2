/* SPDX-License-Identifier: GPL-2.0 */
/* Models, files and settings shared by the KUnit suites (tests/fixtures.c). */
#ifndef _MLRA_TEST_FIXTURES_H
#define _MLRA_TEST_FIXTURES_H

#include <mlra/model.h>

/* tests/models/golden.txt as numbers; its outputs are worked by hand. */
extern const struct mlra_model_spec mlra_test_golden_spec;

struct file;
struct kunit;
struct kunit_suite;

void mlra_test_read(struct file *file, u32 index);
struct file *mlra_test_file_pages(struct kunit *test, unsigned long pages);
struct file *mlra_test_file(struct kunit *test);
void mlra_test_put_file(struct file *f);
void mlra_test_steer_on_action(struct kunit *test, const char *action);
void mlra_test_steer_on(struct kunit *test);
void mlra_test_steer_off(void);
int mlra_test_streams_init(struct kunit_suite *suite);
void mlra_test_streams_exit(struct kunit_suite *suite);

#endif /* _MLRA_TEST_FIXTURES_H */
