// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-sim: replay access logs (scripts/capture) in the readahead
 * simulator (sim.c) under a policy, and print what each cost.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const char usage[] =
	"usage: mlra-sim [options] TRACE...   TRACE: an access log, .xz or not\n"
	"  --profile NAME   disk: none, ssd, cloud, hdd (default cloud)\n"
	"  --cache-mib N    page cache (default 224: the capture guest's)\n"
	"  --policy P       linux (default): the kernel's own window;\n"
	"                   fixed:KB: every file gets a window of KB;\n"
	"                   model:FILE: mlra's decisions with a model blob;\n"
	"                   oracle: the labels (the cheapest action in\n"
	"                   hindsight at each decision point)\n"
	"One line a trace: name, policy, time in ms, disk requests, MiB read,\n"
	"MiB read ahead and never used, MiB asked for, accesses the kernel\n"
	"saw (faults on pages fault-around maps never reach it), and pages\n"
	"prefetched, used and wasted.\n";

static unsigned int fixed_decide(void *ctx, struct sim *s,
				 struct sim_stream *st, const s32 *f)
{
	(void)s;
	(void)st;
	(void)f;
	return *(unsigned int *)ctx;
}

static void load_model(const char *path, struct sim_model *mp)
{
	static u8 blob[MLRA_MODEL_MAX_SIZE + 1];
	FILE *f = fopen(path, "rb");
	size_t len;
	int err;

	if (!f) {
		perror(path);
		exit(1);
	}
	len = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	err = sim_model_init(mp, blob, len);
	if (err) {
		fprintf(stderr, "mlra-sim: %s: invalid: %s\n", path,
			mlra_model_strerror(err));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sim_config cfg;
	const char *profile = "cloud", *policy = "linux";
	static struct sim_model mp;
	static struct sim_oracle oracle;
	unsigned int fixed_pages;
	int i;

	sim_default_config(&cfg);
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (i + 1 >= argc)
			goto bad;
		if (!strcmp(argv[i], "--profile"))
			profile = argv[i + 1];
		else if (!strcmp(argv[i], "--cache-mib"))
			cfg.cache_pages = strtoul(argv[i + 1], NULL, 10) << 8;
		else if (!strcmp(argv[i], "--policy"))
			policy = argv[i + 1];
		else
			goto bad;
	}
	if (i >= argc || !cfg.cache_pages)
		goto bad;
	if (sim_disk_profile(profile, &cfg.disk)) {
		fprintf(stderr, "mlra-sim: unknown profile '%s'\n", profile);
		return 2;
	}
	if (!strncmp(policy, "fixed:", 6)) {
		fixed_pages = strtoul(policy + 6, NULL, 10) / 4;
		cfg.policy = fixed_decide;
		cfg.ctx = &fixed_pages;
		cfg.decision_interval = 1;
	} else if (!strncmp(policy, "model:", 6)) {
		load_model(policy + 6, &mp);
		cfg.policy = sim_model_decide;
		cfg.ctx = &mp;
	} else if (!strcmp(policy, "oracle")) {
		sim_oracle_init(&oracle, &cfg.disk);
		cfg.policy = sim_oracle_decide;
		cfg.ctx = &oracle;
	} else if (strcmp(policy, "linux")) {
		goto bad;
	}

	for (; i < argc; i++) {
		struct mlra_trace t;
		struct sim_totals r;

		if (mlra_trace_load(argv[i], &t))
			return 1;
		sim_replay(&cfg, &t, &r);
		printf("%s %s %.1f %llu %.1f %.1f %.1f %llu %llu %llu %llu\n",
		       argv[i], policy, r.time_ns / 1e6, r.requests,
		       r.pages_read / 256.0, r.ra_unused / 256.0,
		       r.pages_asked / 256.0, r.seen, r.prefetched,
		       r.prefetch_used, r.prefetch_wasted);
		free(t.rec);
	}
	return 0;
bad:
	fputs(usage, stderr);
	return 2;
}
