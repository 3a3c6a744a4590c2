// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-trace: decode the binary access log that
 * /sys/kernel/debug/mlra/access_log returns into CSV, in time order.
 */

#include <stdio.h>
#include <string.h>

#include "access_log.h"

static const char usage[] =
	"usage: mlra-trace csv [FILE]   one line a record, in time order\n"
	"                               (FILE, or standard input)\n"
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

int main(int argc, char **argv)
{
	const char *name = argc > 2 ? argv[2] : "standard input";
	struct mlra_trace t;
	FILE *f = stdin;
	int err;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "csv")) {
		fputs(usage, stderr);
		return 2;
	}
	if (argc > 2) {
		f = fopen(argv[2], "rb");
		if (!f) {
			perror(argv[2]);
			return 1;
		}
	}
	err = mlra_trace_read(f, name, &t);
	if (f != stdin)
		fclose(f);
	if (err)
		return 1;
	csv(&t);
	fprintf(stderr, "mlra-trace: %zu records, %llu lost\n", t.n, t.lost);
	return 0;
}
