/* SPDX-License-Identifier: GPL-2.0 */
/* Reading mlra's access log on the host (scripts/access_log.c). */
#ifndef _MLRA_SCRIPTS_ACCESS_LOG_H
#define _MLRA_SCRIPTS_ACCESS_LOG_H

#include <stdio.h>

#include <uapi/linux/mlra_log.h>

extern const char * const mlra_log_kind_names[MLRA_NR_LOG_KINDS];

/**
 * struct mlra_trace - a whole access log, in time order
 * @rec: the records
 * @n: how many
 * @lost: records the kernel dropped, from its MLRA_LOG_DROPPED records
 */
struct mlra_trace {
	struct mlra_log_record *rec;
	size_t n;
	unsigned long long lost;
};

int mlra_trace_read(FILE *f, const char *name, struct mlra_trace *t);
int mlra_trace_load(const char *path, struct mlra_trace *t);

#endif
