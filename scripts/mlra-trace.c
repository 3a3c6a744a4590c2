// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-trace: decode the binary access log that
 * /sys/kernel/debug/mlra/access_log returns into CSV, in time order.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_log.h"

static const char usage[] =
	"usage: mlra-trace csv [FILE]   one line a record, in time order\n"
	"                               (FILE, or standard input)\n"
	"       mlra-trace keep DEV [FILE]  the records of one file system\n"
	"                               (and of losses), binary, in time\n"
	"                               order, to standard output\n"
	"Columns: time_ns,stream,dev,ino,kind,index,pages,window,size_pages,\n"
	"hinted,changed. A \"dropped\" line counts, in pages, the records\n"
	"the kernel lost there. A summary goes to standard error.\n";

static void csv(const struct mlra_trace *t)
{
	size_t i;

	printf("time_ns,stream,dev,ino,kind,index,pages,window,size_pages,hinted,changed\n");
	for (i = 0; i < t->n; i++) {
		const struct mlra_log_record *r = &t->rec[i];

		printf("%llu,%u,%u,%llu,%s,%llu,%u,%u,%u,%d,%d\n",
		       (unsigned long long)r->time_ns, r->stream, r->dev,
		       (unsigned long long)r->ino,
		       mlra_log_kind_names[r->kind],
		       (unsigned long long)r->index, r->pages, r->window,
		       r->size_pages, !!(r->flags & MLRA_LOG_HINTED),
		       !!(r->flags & MLRA_LOG_CHANGED));
	}
}

static int keep(const struct mlra_trace *t, const char *dev)
{
	unsigned long d;
	char *end;
	size_t i;

	d = strtoul(dev, &end, 10);
	if (end == dev || *end) {
		fprintf(stderr, "mlra-trace: not a device number: %s\n", dev);
		return 2;
	}
	for (i = 0; i < t->n; i++)
		if (t->rec[i].dev == d || t->rec[i].kind == MLRA_LOG_DROPPED)
			fwrite(&t->rec[i], sizeof(t->rec[i]), 1, stdout);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	int args = argc > 1 && !strcmp(argv[1], "keep") ? 3 : 2;
	const char *name = argc > args ? argv[args] : "standard input";
	struct mlra_trace t;
	FILE *f = stdin;
	int err;

	if (argc < args || argc > args + 1 ||
	    (strcmp(argv[1], "csv") && strcmp(argv[1], "keep"))) {
		fputs(usage, stderr);
		return 2;
	}
	if (argc > args) {
		f = fopen(argv[args], "rb");
		if (!f) {
			perror(argv[args]);
			return 1;
		}
	}
	err = mlra_trace_read(f, name, &t);
	if (f != stdin)
		fclose(f);
	if (err)
		return 1;
	if (args == 3)
		return keep(&t, argv[2]);
	csv(&t);
	fprintf(stderr, "mlra-trace: %zu records, %llu lost\n", t.n, t.lost);
	return 0;
}
