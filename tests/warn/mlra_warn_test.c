// SPDX-License-Identifier: GPL-2.0
/*
 * Test only, never shipped: raises one kernel warning when loaded, so that
 * tests/runner.sh can prove scripts/vm fails a run whose guest warned.
 */

#include <linux/bug.h>
#include <linux/module.h>

static int __init mlra_warn_test_init(void)
{
	WARN(1, "mlra_warn_test: warning provoked on purpose\n");
	return 0;
}

static void __exit mlra_warn_test_exit(void)
{
}

module_init(mlra_warn_test_init);
module_exit(mlra_warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Raises a kernel warning at load, for mlra's runner tests");
