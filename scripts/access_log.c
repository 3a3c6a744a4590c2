// SPDX-License-Identifier: GPL-2.0
/*
 * Reading mlra's access log (include/uapi/linux/mlra_log.h) on the host: every
 * record checked, then ordered by time, as the kernel's per-CPU rings
 * interleave them.
 */

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access_log.h"

const char * const mlra_log_kind_names[MLRA_NR_LOG_KINDS] = {
	[MLRA_LOG_READ] = "read",
	[MLRA_LOG_FAULT] = "fault",
	[MLRA_LOG_SYNC_RA] = "sync_ra",
	[MLRA_LOG_ASYNC_RA] = "async_ra",
	[MLRA_LOG_RELEASE] = "release",
	[MLRA_LOG_DROPPED] = "dropped",
};

struct keyed {
	struct mlra_log_record r;
	size_t pos;
};

/* By time, then by position in the file: a stable order. */
static int by_time(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->r.time_ns != y->r.time_ns)
		return x->r.time_ns < y->r.time_ns ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/**
 * mlra_trace_read() - read a whole access log
 * @f: the stream
 * @name: its name, for messages
 * @t: filled in; free t->rec
 *
 * Return: 0, or -1 after saying on stderr what is wrong and where.
 */
int mlra_trace_read(FILE *f, const char *name, struct mlra_trace *t)
{
	struct keyed *k = NULL, *grown;
	size_t cap = 0, n = 0, got, i;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			grown = realloc(k, cap * sizeof(*k));
			if (!grown) {
				fprintf(stderr, "%s: out of memory\n", name);
				goto fail;
			}
			k = grown;
		}
		got = fread(&k[n].r, 1, sizeof(k[n].r), f);
		if (!got)
			break;
		if (got < sizeof(k[n].r)) {
			fprintf(stderr, "%s: truncated: %zu bytes after record %zu\n",
				name, got, n);
			goto fail;
		}
		if (k[n].r.magic != MLRA_LOG_MAGIC) {
			fprintf(stderr, "%s: byte %zu: bad magic 0x%04x: %s\n",
				name, n * sizeof(k[n].r), k[n].r.magic,
				"not an mlra access log, or damaged");
			goto fail;
		}
		if (k[n].r.kind >= MLRA_NR_LOG_KINDS) {
			fprintf(stderr, "%s: byte %zu: unknown kind %u\n",
				name, n * sizeof(k[n].r), k[n].r.kind);
			goto fail;
		}
		k[n].pos = n;
		n++;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", name);
		goto fail;
	}
	qsort(k, n, sizeof(*k), by_time);
	t->rec = malloc((n ? n : 1) * sizeof(*t->rec));
	if (!t->rec) {
		fprintf(stderr, "%s: out of memory\n", name);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		t->rec[i] = k[i].r;
		if (k[i].r.kind == MLRA_LOG_DROPPED)
			t->lost += k[i].r.pages;
	}
	t->n = n;
	free(k);
	return 0;
fail:
	free(k);
	return -1;
}

/**
 * mlra_trace_load() - read a whole access log from a file
 * @path: the file; one whose name ends in .xz is decompressed with xz
 * @t: filled in; free t->rec
 *
 * Return: 0, or -1 after saying on stderr what is wrong.
 */
int mlra_trace_load(const char *path, struct mlra_trace *t)
{
	size_t n = strlen(path);
	bool xz = n > 3 && !strcmp(path + n - 3, ".xz");
	int err, fd, pipefd[2], status = 0;
	pid_t pid = -1;
	FILE *f;

	/* xz reads the file as its stdin: no shell sees the name. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	if (!xz) {
		f = fdopen(fd, "rb");
	} else if (pipe(pipefd)) {
		f = NULL;
	} else {
		pid = fork();
		if (!pid) {
			dup2(fd, STDIN_FILENO);
			dup2(pipefd[1], STDOUT_FILENO);
			execlp("xz", "xz", "-dc", (char *)NULL);
			_exit(127);
		}
		close(fd);
		close(pipefd[1]);
		f = pid > 0 ? fdopen(pipefd[0], "rb") : NULL;
	}
	if (!f) {
		perror(path);
		return -1;
	}
	err = mlra_trace_read(f, path, t);
	fclose(f);
	if (pid > 0 && (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status)) && !err) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(t->rec);
		err = -1;
	}
	return err;
}
