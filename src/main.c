// SPDX-License-Identifier: GPL-2.0
/*
 * mlra: learned page-cache readahead. The module's parameters, and its
 * entry points: every init step is undone on error and at exit.
 */

#include <linux/module.h>
#include <linux/stringify.h>

#include <mlra/model.h>

#include "mlra.h"

static bool enabled = true;
module_param(enabled, bool, 0);
MODULE_PARM_DESC(enabled, "Initial value of the enabled knob (default: 1)");

static char *mode = "on";
module_param(mode, charp, 0);
MODULE_PARM_DESC(mode, "Initial mode: off, observe or on (default: on)");

static bool default_model = true;
module_param(default_model, bool, 0);
MODULE_PARM_DESC(default_model, "Load the built-in trained model (default: 1)");

static unsigned int max_streams = MLRA_DEFAULT_STREAMS;
module_param(max_streams, uint, 0);
MODULE_PARM_DESC(max_streams, "Streams the table holds, "
		 __stringify(MLRA_MIN_STREAMS) " to " __stringify(MLRA_MAX_STREAMS)
		 " (default: " __stringify(MLRA_DEFAULT_STREAMS) ")");

static int __init mlra_init(void)
{
	enum mlra_mode initial_mode;
	int err;

	if (mlra_parse_mode(mode, &initial_mode)) {
		pr_err("mode=%s: expected off, observe or on\n", mode);
		return -EINVAL;
	}

	if (max_streams < MLRA_MIN_STREAMS || max_streams > MLRA_MAX_STREAMS) {
		pr_err("max_streams=%u: expected %u to %u\n", max_streams,
		       MLRA_MIN_STREAMS, MLRA_MAX_STREAMS);
		return -EINVAL;
	}
	err = mlra_streams_alloc(max_streams);
	if (err)
		return err;
	mlra_knobs.max_streams = max_streams;
	err = mlra_prefetch_init();
	if (err)
		goto err_streams;
	err = mlra_live_init();
	if (err)
		goto err_prefetch;
	if (default_model) {
		err = mlra_model_install(mlra_default_model,
					 mlra_default_model_size);
		if (err)
			goto err_live;
	}
	mlra_debugfs_init();
	err = mlra_set_state(enabled, initial_mode);
	if (err)
		goto err_debugfs;
	err = mlra_sysfs_init();
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	mlra_set_enabled(false);
err_debugfs:
	mlra_hooks_exit();
	mlra_debugfs_exit();
err_live:
	mlra_live_exit();
err_prefetch:
	mlra_prefetch_exit();
err_streams:
	mlra_streams_free();
	return err;
}

static void __exit mlra_exit(void)
{
	/* No knob write can run once sysfs is gone. */
	mlra_sysfs_exit();
	mlra_set_enabled(false);
	mlra_hooks_exit();
	mlra_debugfs_exit();
	mlra_live_exit();
	/* The probes are gone: nothing queues; drain what is queued. */
	mlra_prefetch_exit();
	mlra_streams_free();
}

module_init(mlra_init);
module_exit(mlra_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Learned page-cache readahead");
MODULE_VERSION("0.1.0");
