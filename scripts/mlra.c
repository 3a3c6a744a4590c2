// SPDX-License-Identifier: GPL-2.0
/*
 * mlra: the administrator's command. It reads and writes the module's
 * sysfs and debugfs files, records and reports access logs, and trains and
 * loads models, with the module's own parser, features, engine and policy
 * (src/), so that what it says of a model is what the kernel will do.
 *
 * Nothing is written to the kernel before it is checked here: a bad knob
 * value or model is refused with the reason, and the module's own answer,
 * if it refuses anyway, is turned into a sentence.
 */

#define _GNU_SOURCE	/* mkostemp() */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <libgen.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mlra/features.h>
#include <mlra/model.h>
#include <mlra/policy.h>

#include "access_log.h"

/* Exit codes, as mlra(8) documents them. */
enum {
	EXIT_OK,
	EXIT_FAILED,	/* the operation failed: the module refused, I/O */
	EXIT_USAGE,	/* bad arguments or a bad file: nothing was changed */
	EXIT_ABSENT,	/* module not loaded, debugfs not mounted, not root */
};

static const char usage[] =
	"usage: mlra status                 what mlra does now, in words\n"
	"       mlra top [-n] [-d SECONDS]  the busiest streams; -n: once\n"
	"       mlra set KNOB VALUE         set a knob (mlra set --list)\n"
	"       mlra mode on|observe|off    the same as mlra set mode ...\n"
	"       mlra record [-o FILE] [-t SECONDS | -- COMMAND...]\n"
	"                                   the access log, to FILE\n"
	"       mlra report [-m MODEL] FILE per file: pattern, accesses,\n"
	"                                   misses, what the model decides\n"
	"       mlra train [-e EPOCHS] -o MODEL FILE...\n"
	"                                   a model for this host's traces\n"
	"       mlra load MODEL | --builtin check, then upload a model\n"
	"Every command takes --help. Exit codes: 0 done, 1 failed, 2 bad\n"
	"arguments or file (nothing changed), 3 module not loaded, debugfs\n"
	"not mounted or not root.\n";

/* Where the module's files are; tests point these at a tree of their own. */
static const char *sysfs_dir(void)
{
	const char *d = getenv("MLRA_SYSFS");

	return d ? d : "/sys/kernel/mm/mlra";
}

static const char *debugfs_dir(void)
{
	const char *d = getenv("MLRA_DEBUGFS");

	return d ? d : "/sys/kernel/debug/mlra";
}

/* Usage text: to stdout for --help (exit 0), else to stderr (exit 2). */
static int usage_of(const char *text, const char *arg)
{
	bool help = arg && !strcmp(arg, "--help");

	fputs(text, help ? stdout : stderr);
	return help ? EXIT_OK : EXIT_USAGE;
}

static void need_module(void)
{
	struct stat st;

	if (stat(sysfs_dir(), &st) || !S_ISDIR(st.st_mode))
		errx(EXIT_ABSENT,
		     "the module is not loaded (no %s): insmod mlra.ko or modprobe mlra",
		     sysfs_dir());
}

static void need_debugfs(void)
{
	struct stat st;

	need_module();
	if (!stat(debugfs_dir(), &st) && S_ISDIR(st.st_mode))
		return;
	if (errno == EACCES)
		errx(EXIT_ABSENT, "%s: permission denied: run as root",
		     debugfs_dir());
	errx(EXIT_ABSENT, "no %s: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)",
	     debugfs_dir());
}

static char *path_in(const char *dir, const char *name)
{
	static char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		errx(EXIT_USAGE, "%s/%s: path too long", dir, name);
	return path;
}

/*
 * A text file, whole, or NULL with errno set; in a buffer that the next
 * call reuses.
 */
static char *read_text(const char *path)
{
	static char *buf;
	static size_t cap;
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *p = realloc(buf, cap + 65536);

			if (!p)
				errx(EXIT_FAILED, "out of memory");
			buf = p;
			cap += 65536;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			err = errno;
			close(fd);
			errno = err;
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* A knob's value, its trailing newline cut, in memory of its own. */
static const char *knob_get(const char *name)
{
	char *s = read_text(path_in(sysfs_dir(), name));

	if (!s)
		errx(errno == EACCES ? EXIT_ABSENT : EXIT_FAILED,
		     "cannot read %s: %s%s", path_in(sysfs_dir(), name),
		     strerror(errno), errno == EACCES ? ": run as root" : "");
	s[strcspn(s, "\n")] = 0;
	s = strdup(s);
	if (!s)
		errx(EXIT_FAILED, "out of memory");
	return s;
}

/**
 * struct knob - a sysfs knob, as mlra set checks it before writing
 * @name: its file in /sys/kernel/mm/mlra/
 * @min: smallest value (numeric knobs)
 * @max: largest value
 * @what: one line for mlra set --list
 */
struct knob {
	const char *name;
	unsigned long min, max;
	const char *what;
};

/* The ranges of Documentation/ABI/testing/sysfs-kernel-mm-mlra. */
static const struct knob knobs[] = {
	{ "enabled", 0, 1, "master switch: 0 unhooks mlra" },
	{ "mode", 0, 0, "off, observe or on" },
	{ "min_ra_kb", 0, 1048576, "smallest window mlra sets, KiB" },
	{ "max_ra_kb", 4, 1048576, "largest window mlra sets, KiB" },
	{ "decision_interval", 1, 1024, "accesses of a file between decisions" },
	{ "min_confidence", 0, 65535, "below it the kernel's window stands" },
	{ "max_streams", 16, 65536, "files followed at once (only while off)" },
	{ "respect_hints", 0, 1, "leave files with a readahead hint alone" },
	{ "prefetch_max_kb", 0, 65536, "most one prefetch reads, KiB; 0: none" },
	{ "prefetch_inflight_kb", 0, 1048576, "most all prefetch holds, KiB" },
};

static const struct knob *knob_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (!strcmp(knobs[i].name, name))
			return &knobs[i];
	return NULL;
}

/* Check @value for @k here, so that a bad one never reaches the kernel. */
static void knob_check(const struct knob *k, const char *value)
{
	unsigned long v;
	char *end;

	if (!strcmp(k->name, "mode")) {
		if (strcmp(value, "off") && strcmp(value, "observe") &&
		    strcmp(value, "on"))
			errx(EXIT_USAGE, "mode: '%s' is not a mode: off, observe or on",
			     value);
		return;
	}
	errno = 0;
	v = strtoul(value, &end, 10);
	/* The module takes decimal digits only: no sign, no blank. */
	if (value[0] < '0' || value[0] > '9' || *end || errno || v < k->min ||
	    v > k->max)
		errx(EXIT_USAGE, "%s: '%s' is out of range: a whole number from %lu to %lu",
		     k->name, value, k->min, k->max);
}

/* What a value means beside the other knobs, which the module holds. */
static void knob_check_against(const struct knob *k, const char *value)
{
	unsigned long v = strtoul(value, NULL, 10);

	if (!strcmp(k->name, "min_ra_kb") &&
	    v > strtoul(knob_get("max_ra_kb"), NULL, 10))
		errx(EXIT_USAGE, "min_ra_kb: %lu is above max_ra_kb (%s): raise max_ra_kb first",
		     v, knob_get("max_ra_kb"));
	if (!strcmp(k->name, "max_ra_kb") &&
	    v < strtoul(knob_get("min_ra_kb"), NULL, 10))
		errx(EXIT_USAGE, "max_ra_kb: %lu is below min_ra_kb (%s): lower min_ra_kb first",
		     v, knob_get("min_ra_kb"));
}

/* Write @len bytes to a sysfs file; the errno, or 0. */
static int write_file(const char *path, const void *buf, size_t len)
{
	/* O_TRUNC as a shell's > has it: sysfs ignores it, a test tree not. */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), err = 0;
	size_t done = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	/* sysfs takes a binary file a page a write: the module gathers them. */
	while (done < len) {
		n = write(fd, (const char *)buf + done, len - done);
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			break;
		}
		done += n;
	}
	if (close(fd) && !err)
		err = errno;
	return err;
}

/* Check, then write a knob; a refusal becomes a sentence. */
static int set_knob(const char *name, const char *value)
{
	const struct knob *k = knob_find(name);
	int err;

	if (!k)
		errx(EXIT_USAGE, "no knob '%s' (mlra set --list)", name);
	knob_check(k, value);
	need_module();
	knob_check_against(k, value);
	err = write_file(path_in(sysfs_dir(), k->name), value, strlen(value));
	switch (err) {
	case 0:
		return EXIT_OK;
	case EACCES:
	case EPERM:
		errx(EXIT_ABSENT, "%s: permission denied: run as root", k->name);
	case EBUSY:
		errx(EXIT_FAILED,
		     "%s: busy: it changes only while mlra is off (mlra mode off)",
		     k->name);
	case EINVAL:
		errx(EXIT_FAILED, "%s: the module refused '%s'", k->name, value);
	default:
		errx(EXIT_FAILED, "%s: the module refused '%s': %s", k->name,
		     value, strerror(err));
	}
}

static int cmd_set(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < ARRAY_SIZE(knobs); i++)
			printf("%-21s %s\n", knobs[i].name, knobs[i].what);
		return EXIT_OK;
	}
	if (argc != 3) {
		return usage_of("usage: mlra set KNOB VALUE   (mlra set --list: the knobs)\n",
				argc == 2 ? argv[1] : NULL);
	}
	return set_knob(argv[1], argv[2]);
}

static int cmd_mode(int argc, char **argv)
{
	if (argc != 2 || !strcmp(argv[1], "--help")) {
		return usage_of("usage: mlra mode on|observe|off\n",
				argc == 2 ? argv[1] : NULL);
	}
	return set_knob("mode", argv[1]);
}

/* stats: "name value" lines. */
static unsigned long long stat_get(const char *stats, const char *name)
{
	size_t len = strlen(name);
	const char *p = stats;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtoull(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* The built-in model's blob, which src/default_model.c holds. */
static u32 builtin_crc(void)
{
	return get_unaligned_le32(mlra_default_model +
				  mlra_default_model_size - 4);
}

static int cmd_status(int argc, char **argv)
{
	static char stats[65536], info[65536];
	unsigned long long used, wasted, undone;
	const char *s, *crc;
	struct stat st;
	size_t i;

	if (argc > 1)
		return usage_of("usage: mlra status\n", argv[1]);
	need_module();
	printf("mlra: %s, mode %s\n",
	       strcmp(knob_get("enabled"), "1") ? "disabled" : "enabled",
	       knob_get("mode"));
	s = read_text(path_in(sysfs_dir(), "model_info"));
	snprintf(info, sizeof(info), "%s", s ? s : "");
	if (!strncmp(info, "none", 4)) {
		printf("model: none loaded: mlra only observes\n");
	} else {
		char name[64] = "?", shape[64] = "?", hex[16] = "?";
		const char *p;

		p = strstr(info, "name ");
		if (p)
			sscanf(p, "name %63s", name);
		p = strstr(info, "shape ");
		if (p)
			sscanf(p, "shape %63s", shape);
		p = strstr(info, "crc32 ");
		if (p)
			sscanf(p, "crc32 %15s", hex);
		crc = strtoul(hex, NULL, 16) == builtin_crc() ? "built in" :
		      "uploaded";
		printf("model: %s, shape %s, crc32 %s, %s\n", name, shape, hex,
		       crc);
	}
	printf("knobs:");
	for (i = 2; i < ARRAY_SIZE(knobs); i++)
		printf(" %s %s", knobs[i].name, knob_get(knobs[i].name));
	printf("\n");
	if (stat(debugfs_dir(), &st)) {
		printf("counters: not shown: %s (debugfs not mounted, or not root)\n",
		       debugfs_dir());
		return EXIT_OK;
	}
	s = read_text(path_in(debugfs_dir(), "stats"));
	if (!s)
		errx(EXIT_ABSENT, "cannot read %s: %s", path_in(debugfs_dir(), "stats"),
		     strerror(errno));
	snprintf(stats, sizeof(stats), "%s", s);
	printf("decisions: %llu with the model, %llu without one\n",
	       stat_get(stats, "decisions"),
	       stat_get(stats, "decisions_without_model"));
	printf("windows: %llu set, %llu that observe would set, %llu left to\n"
	       "  the application's hint, %llu lost to a race\n", stat_get(stats, "windows_set"),
	       stat_get(stats, "windows_would_set"),
	       stat_get(stats, "hinted_skips"),
	       stat_get(stats, "window_races"));
	undone = stat_get(stats, "guard_undone_cost") +
		 stat_get(stats, "guard_undone_thrash") +
		 stat_get(stats, "guard_undone_muted");
	printf("guard: %llu windows undone (%llu cost the disk more than the\n"
	       "  kernel's, %llu while the page cache thrashed, %llu of a muted\n"
	       "  class), %llu changes held off, %llu classes muted\n", undone,
	       stat_get(stats, "guard_undone_cost"),
	       stat_get(stats, "guard_undone_thrash"),
	       stat_get(stats, "guard_undone_muted"),
	       stat_get(stats, "guard_held"),
	       stat_get(stats, "guard_classes_muted"));
	used = stat_get(stats, "prefetch_used_pages");
	wasted = stat_get(stats, "prefetch_wasted_pages");
	printf("prefetch: %llu requests, %llu pages",
	       stat_get(stats, "prefetch_requests"),
	       stat_get(stats, "prefetch_pages"));
	if (used + wasted)
		printf(", accuracy %.1f%% (%llu used, %llu wasted)",
		       100.0 * used / (used + wasted), used, wasted);
	printf("\n");
	printf("streams: %llu live of %llu, table %llu KiB\n",
	       stat_get(stats, "streams_live"), stat_get(stats, "streams_max"),
	       stat_get(stats, "stream_table_bytes") / 1024);
	return EXIT_OK;
}

/* Load and check a model file; refuse it with the parser's reason. */
static size_t model_read(const char *path, u8 *blob, struct mlra_model *m)
{
	FILE *f = fopen(path, "rb");
	size_t len;
	int err;

	if (!f)
		errx(EXIT_USAGE, "%s: %s", path, strerror(errno));
	len = fread(blob, 1, MLRA_MODEL_MAX_SIZE + 1, f);
	fclose(f);
	err = mlra_model_parse(m, blob, len);
	if (err)
		errx(EXIT_USAGE, "%s: not a valid model: %s; nothing was loaded",
		     path, mlra_model_strerror(err));
	return len;
}

static int cmd_load(int argc, char **argv)
{
	static u8 blob[MLRA_MODEL_MAX_SIZE + 1];
	static struct mlra_model m;
	const char *name;
	size_t len;
	int err;

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		return usage_of("usage: mlra load MODEL | --builtin\n",
				argc == 2 ? argv[1] : NULL);
	}
	if (!strcmp(argv[1], "--builtin")) {
		len = mlra_default_model_size;
		memcpy(blob, mlra_default_model, len);
		if (mlra_model_parse(&m, blob, len))
			errx(EXIT_FAILED, "the built-in model does not parse");
		name = "the built-in model";
	} else {
		len = model_read(argv[1], blob, &m);
		name = argv[1];
	}
	need_module();
	err = write_file(path_in(sysfs_dir(), "model"), blob, len);
	if (err == EACCES || err == EPERM)
		errx(EXIT_ABSENT, "model: permission denied: run as root");
	if (err)
		errx(EXIT_FAILED,
		     "the module refused %s: %s (see the kernel log); the old model stays",
		     name, strerror(err));
	printf("loaded %s: %s, crc32 0x%08x\n", name, m.name, m.crc);
	return EXIT_OK;
}

/* Set by a signal, read between reads of the log. */
static sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long dropped_now(void)
{
	const char *s = read_text(path_in(debugfs_dir(), "stats"));

	return s ? stat_get(s, "access_log_dropped") : 0;
}

/*
 * While mlra steers, what its windows and prefetch read in never misses
 * or faults, so a log recorded then lacks those accesses, and a model
 * trained on it learns from a partial trace. Said, not changed: the mode
 * is the administrator's.
 */
static void warn_if_steering(void)
{
	const char *s = read_text(path_in(sysfs_dir(), "mode"));

	if (s && (!strcmp(s, "on\n") || !strcmp(s, "on")))
		warnx("mode on: the log lacks what mlra reads ahead; 'mlra mode observe' first");
}

static int cmd_record(int argc, char **argv)
{
	static struct mlra_log_record rec[4096];
	static char tmp[PATH_MAX];
	unsigned long long n = 0, dropped0;
	const char *out = "mlra.trace";
	double seconds = -1, start, last = 0;
	int fd, outfd, a, status = 0, drain = 0;
	pid_t child = 0;
	FILE *f;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--")) {
			a++;
			break;
		}
		if (!strcmp(argv[a], "-o") && a + 1 < argc) {
			out = argv[++a];
		} else if (!strcmp(argv[a], "-t") && a + 1 < argc) {
			char *end;

			seconds = strtod(argv[++a], &end);
			if (*end || !(seconds > 0 && seconds <= 1e7))
				errx(EXIT_USAGE, "record: -t wants a number of seconds, not '%s'",
				     argv[a]);
		} else {
			return usage_of("usage: mlra record [-o FILE] [-t SECONDS | -- CMD...]\n"
					"  FILE: default mlra.trace; without -t or a command,\n"
					"  until interrupted (^C)\n", argv[a]);
		}
	}
	if (a < argc && seconds > 0)
		errx(EXIT_USAGE, "record: -t or a command, not both");
	need_debugfs();
	warn_if_steering();
	fd = open(path_in(debugfs_dir(), "access_log"),
		  O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY)
		errx(EXIT_FAILED, "the access log is open elsewhere (one reader at a time)");
	if (fd < 0)
		errx(errno == EACCES ? EXIT_ABSENT : EXIT_FAILED, "%s: %s%s",
		     path_in(debugfs_dir(), "access_log"), strerror(errno),
		     errno == EACCES ? ": run as root" : "");
	/* Beside FILE, renamed over it only once the log is whole. */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", out) >= (int)sizeof(tmp))
		errx(EXIT_USAGE, "%s: path too long", out);
	outfd = mkostemp(tmp, O_CLOEXEC);
	if (outfd < 0)
		errx(EXIT_USAGE, "%s: %s", out, strerror(errno));
	f = fdopen(outfd, "wb");
	dropped0 = dropped_now();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (a < argc) {
		child = fork();
		if (child < 0)
			errx(EXIT_FAILED, "fork: %s", strerror(errno));
		if (!child) {
			execvp(argv[a], argv + a);
			fprintf(stderr, "mlra: %s: %s\n", argv[a], strerror(errno));
			_exit(127);
		}
	}
	start = now();
	/*
	 * The end is looked for on every pass, busy log or not; then what
	 * the rings hold is read until they are empty, a bounded number of
	 * times on a log that never empties.
	 */
	for (;;) {
		ssize_t got = read(fd, rec, sizeof(rec));

		if (got > 0) {
			if (fwrite(rec, 1, got, f) != (size_t)got) {
				unlink(tmp);
				errx(EXIT_FAILED, "%s: %s", out, strerror(errno));
			}
			n += got / sizeof(rec[0]);
		} else if (got < 0 && errno != EAGAIN && errno != EINTR) {
			unlink(tmp);
			errx(EXIT_FAILED, "reading the access log: %s",
			     strerror(errno));
		}
		if (drain) {
			if (got <= 0 || ++drain > 64)
				break;
			continue;
		}
		if (child && waitpid(child, &status, WNOHANG) == child)
			child = 0;
		if (!child && a < argc)
			drain = 1;
		if (__atomic_load_n(&stop, __ATOMIC_RELAXED) ||
		    (seconds > 0 && now() - start >= seconds))
			drain = 1;
		if (isatty(STDERR_FILENO) && now() - last >= 1) {
			last = now();
			fprintf(stderr, "\rmlra: %llu records, %llu dropped, %.0f s",
				n, dropped_now() - dropped0, last - start);
		}
		if (got <= 0)
			usleep(20000);
	}
	if (child) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	close(fd);
	if (fclose(f) || rename(tmp, out)) {
		unlink(tmp);
		errx(EXIT_FAILED, "%s: %s", out, strerror(errno));
	}
	fprintf(stderr,
		"%smlra: %llu records to %s, %llu dropped (marked in the log)\n",
		isatty(STDERR_FILENO) ? "\r" : "", n, out,
		dropped_now() - dropped0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "mlra: the command failed (%s %d); the log is kept\n",
			WIFEXITED(status) ? "status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* A log's device number is new_encode_dev()'s, as stat(2) shows it. */
static unsigned int dev_major(u32 dev)
{
	return (dev & 0xfff00) >> 8;
}

static unsigned int dev_minor(u32 dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

/*
 * Whether the block device of a log's device number (new_encode_dev(), as
 * stat(2) shows it) says it rotates: 1, 0, or -1 where this host does not
 * know it. A partition answers for its disk.
 */
static int dev_rotational(u32 dev)
{
	unsigned int maj = dev_major(dev), min = dev_minor(dev);
	char path[128], *s;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/rotational",
		 maj, min);
	s = read_text(path);
	if (!s) {
		snprintf(path, sizeof(path),
			 "/sys/dev/block/%u:%u/../queue/rotational", maj, min);
		s = read_text(path);
	}
	return s ? s[0] != '0' : -1;
}

/**
 * struct file_report - what a log shows of one file
 * @dev: its device
 * @ino: its inode
 * @streams: opens of it seen
 * @accesses: reads and faults
 * @misses: cache misses (synchronous readahead)
 * @pages: pages asked for
 * @decisions: decisions the model made, replayed
 * @classes: those decisions by class
 */
struct file_report {
	u32 dev;
	u64 ino;
	u32 streams;
	u64 accesses, misses, pages, decisions;
	u64 classes[MLRA_MAX_CLASSES];
};

/**
 * struct stream_replay - one stream of a log as the module sees it
 * @id: the log's stream number
 * @file: its file's report, an index into the reports
 * @h: its recent accesses
 * @since: accesses since its last decision
 */
struct stream_replay {
	u32 id;
	size_t file;
	struct mlra_history h;
	u32 since;
};

/* Grow an array by one zeroed element; die without memory. */
static void *grow(void *array, size_t *n, size_t size)
{
	char *p = realloc(array, (*n + 1) * size);

	if (!p)
		errx(EXIT_FAILED, "out of memory");
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

static int cmd_report(int argc, char **argv)
{
	static u8 blob[MLRA_MODEL_MAX_SIZE + 1];
	static struct mlra_model m;
	struct file_report *files = NULL, *fr;
	struct stream_replay *st = NULL, *sr;
	unsigned long interval;
	bool nonrot;
	char *s;
	size_t nf = 0, ns = 0, i, j;
	const char *model = NULL;
	struct mlra_trace t;
	s64 *packed;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "-m")) {
		model = argv[2];
		a = 3;
	}
	if (argc != a + 1 || !strcmp(argv[a], "--help")) {
		return usage_of("usage: mlra report [-m MODEL] FILE\n"
		      "  per file of a log from mlra record: accesses, misses,\n"
		      "  pages, and the classes the model (default: the built-in\n"
		      "  one) chooses when the log is replayed as the module\n"
		      "  would see it, before the confidence floor and the\n"
		      "  hysteresis of its policy\n",
		      argc == a + 1 ? argv[a] : NULL);
	}
	if (model) {
		model_read(model, blob, &m);
	} else {
		memcpy(blob, mlra_default_model, mlra_default_model_size);
		if (mlra_model_parse(&m, blob, mlra_default_model_size))
			errx(EXIT_FAILED, "the built-in model does not parse");
	}
	packed = calloc(1, mlra_model_packed_size(&m));
	if (!packed)
		errx(EXIT_FAILED, "out of memory");
	mlra_model_pack(&m, blob, packed);
	if (mlra_trace_load(argv[a], &t))
		return EXIT_USAGE;
	/* This host's decision interval where the module is loaded. */
	s = read_text(path_in(sysfs_dir(), "decision_interval"));
	interval = s ? strtoul(s, NULL, 10) : 0;
	if (!interval)
		interval = MLRA_DEFAULT_DECISION_INTERVAL;
	nonrot = t.n && !dev_rotational(t.rec[0].dev);
	for (i = 0; i < t.n; i++) {
		const struct mlra_log_record *r = &t.rec[i];
		struct mlra_access acc = {};

		if (r->kind == MLRA_LOG_DROPPED)
			continue;
		for (j = 0; j < ns && st[j].id != r->stream; j++)
			;
		if (j == ns) {
			st = grow(st, &ns, sizeof(*st));
			st[j].id = r->stream;
			for (st[j].file = 0; st[j].file < nf; st[j].file++)
				if (files[st[j].file].dev == r->dev &&
				    files[st[j].file].ino == r->ino)
					break;
			if (st[j].file == nf) {
				files = grow(files, &nf, sizeof(*files));
				files[nf - 1].dev = r->dev;
				files[nf - 1].ino = r->ino;
			}
			files[st[j].file].streams++;
		}
		sr = &st[j];
		fr = &files[sr->file];
		if (r->kind == MLRA_LOG_SYNC_RA) {
			struct mlra_access *last = mlra_history_last(&sr->h);

			/* A miss of the last access, as the module counts it. */
			if (last && (u32)r->index - last->index < last->pages) {
				last->miss = 1;
				fr->misses++;
			}
			continue;
		}
		if (r->kind != MLRA_LOG_READ && r->kind != MLRA_LOG_FAULT)
			continue;
		acc.index = r->index;
		acc.pages = r->pages > 0xffff ? 0xffff : r->pages;
		acc.kind = r->kind == MLRA_LOG_FAULT ? MLRA_ACCESS_FAULT :
			   MLRA_ACCESS_READ;
		fr->accesses++;
		fr->pages += r->pages;
		if (!mlra_history_add(&sr->h, &acc))
			continue;
		if (++sr->since >= interval) {
			s32 f[MLRA_MAX_INPUTS] = {};
			struct mlra_prediction p;

			sr->since = 0;
			mlra_features(&sr->h, r->window, r->size_pages, nonrot, f);
			mlra_infer(&m, f, &p);
			fr->decisions++;
			fr->classes[p.class]++;
		}
	}
	printf("%-8s %-10s %7s %9s %8s %10s  %s (%s)\n", "dev", "inode",
	       "streams", "accesses", "misses", "pages", "model's classes",
	       m.name);
	for (i = 0; i < nf; i++) {
		int shown = 0;

		fr = &files[i];
		printf("%u:%-6u %-10llu %7u %9llu %8llu %10llu  ",
		       dev_major(fr->dev), dev_minor(fr->dev),
		       (unsigned long long)fr->ino, fr->streams,
		       (unsigned long long)fr->accesses,
		       (unsigned long long)fr->misses,
		       (unsigned long long)fr->pages);
		for (j = 0; j < m.n_classes; j++) {
			if (!fr->classes[j])
				continue;
			printf("%s%s %llu%%", shown++ ? ", " : "",
			       m.class_name[j],
			       (unsigned long long)(100 * fr->classes[j] /
						    fr->decisions));
		}
		printf("%s\n", shown ? "" : "no decision (too few accesses)");
	}
	if (t.lost)
		printf("# the log lost %llu records: a ring was full\n", t.lost);
	return EXIT_OK;
}

/*
 * Where the trainer, the simulator and the committed families are: beside
 * this program in the source tree (scripts/), else where make install
 * puts them; MLRA_LIBEXEC and MLRA_DATA say otherwise.
 */
static const char *helper_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("MLRA_LIBEXEC");
	ssize_t n;

	if (env)
		return env;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n > 0) {
		dir[n] = 0;
		dirname(dir);
		if (!access(path_in(dir, "mlra-train"), X_OK))
			return dir;
	}
	return "/usr/lib/mlra";
}

static const char *families_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("MLRA_DATA");

	if (env)
		return env;
	snprintf(dir, sizeof(dir), "%s/training/traces", helper_dir());
	if (!access(dir, R_OK))
		return dir;
	return "/usr/share/mlra/traces";
}

/* Run @args to the end; its exit status, or -1. */
static int run(const char **args, const char *out)
{
	int status, fd;
	pid_t pid = fork();

	if (pid < 0)
		errx(EXIT_FAILED, "fork: %s", strerror(errno));
	if (!pid) {
		if (out) {
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
				_exit(127);
		}
		execv(args[0], (char *const *)args);
		fprintf(stderr, "mlra: %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Simulated milliseconds of @trace on @profile under @policy. */
static double sim_ms(const char *tmp, const char *trace, const char *profile,
		     const char *policy)
{
	static char sim[PATH_MAX], prof[32], pol[PATH_MAX + 8], tr[PATH_MAX];
	const char *args[7];
	char *line;
	double ms = 0;

	args[0] = sim;
	args[1] = "--profile";
	args[2] = prof;
	args[3] = "--policy";
	args[4] = pol;
	args[5] = tr;
	args[6] = NULL;

	snprintf(sim, sizeof(sim), "%s/mlra-sim", helper_dir());
	snprintf(prof, sizeof(prof), "%s", profile);
	snprintf(pol, sizeof(pol), "%s", policy);
	snprintf(tr, sizeof(tr), "%s", trace);
	if (run(args, path_in(tmp, "sim.out")))
		return 0;
	line = read_text(path_in(tmp, "sim.out"));
	if (line)
		sscanf(line, "%*s %*s %lf", &ms);
	return ms;
}

/* This host's kind of disk, for the trace's device: rotational or not. */
static const char *trace_profile(const struct mlra_trace *t)
{
	return t->n && !dev_rotational(t->rec[0].dev) ? "cloud" : "hdd";
}

/* The trainer's scratch directory, removed however train ends. */
static char train_tmp[PATH_MAX];

static void train_cleanup(void)
{
	static const char * const names[] = {
		"model.mlra", "model.c", "report.txt", "sim.out",
	};
	size_t i;

	if (!train_tmp[0])
		return;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		unlink(path_in(train_tmp, names[i]));
	rmdir(train_tmp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_train(int argc, char **argv)
{
	static char trainer[PATH_MAX], epochs_s[16];
	const char *out = NULL, *fam, *tmpdir = getenv("TMPDIR");
	const char **args;
	char *policy, *end, *out_tmp;
	int a, n = 0, n_fam, epochs = 40, first, fd;
	struct dirent *d;
	size_t len;
	DIR *dir;

	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-o") && a + 1 < argc) {
			out = argv[++a];
		} else if (!strcmp(argv[a], "-e") && a + 1 < argc) {
			epochs = strtol(argv[++a], &end, 10);
			if (*end || epochs < 1 || epochs > 1000)
				errx(EXIT_USAGE, "train: -e wants 1 to 1000 epochs, not '%s'",
				     argv[a]);
		} else {
			break;
		}
	}
	if (!out || a == argc || argv[a][0] == '-') {
		return usage_of("usage: mlra train [-e EPOCHS] -o MODEL FILE...\n"
		      "  a model from access logs of mlra record, trained with the\n"
		      "  committed families (so that it keeps what they teach);\n"
		      "  at the end, each FILE's simulated speedup on this host's\n"
		      "  kind of disk (rotational or not)\n",
		      a < argc ? argv[a] : NULL);
	}
	first = a;
	for (; a < argc; a++) {
		struct mlra_trace t;

		if (mlra_trace_load(argv[a], &t))
			errx(EXIT_USAGE, "%s: not an access log; nothing was trained",
			     argv[a]);
		free(t.rec);
	}
	snprintf(trainer, sizeof(trainer), "%s/mlra-train", helper_dir());
	if (access(trainer, X_OK))
		errx(EXIT_FAILED, "no trainer at %s (make tools, or set MLRA_LIBEXEC)",
		     trainer);
	fam = families_dir();
	dir = opendir(fam);
	if (!dir)
		errx(EXIT_FAILED, "no committed families in %s (set MLRA_DATA)",
		     fam);
	snprintf(train_tmp, sizeof(train_tmp), "%s/mlra-train.XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(train_tmp)) {
		train_tmp[0] = 0;
		errx(EXIT_FAILED, "mkdtemp: %s", strerror(errno));
	}
	atexit(train_cleanup);
	args = calloc(argc + 32, sizeof(*args));
	if (!args)
		errx(EXIT_FAILED, "out of memory");
	snprintf(epochs_s, sizeof(epochs_s), "%d", epochs);
	args[n++] = trainer;
	args[n++] = "--seed";
	args[n++] = "1";
	args[n++] = "--epochs";
	args[n++] = epochs_s;
	args[n++] = "--hidden";
	args[n++] = "16";
	args[n++] = "--leave-one-out";
	args[n++] = "0";
	args[n++] = "--progress";
	args[n++] = "1";
	args[n++] = strdup(path_in(train_tmp, "model.mlra"));
	args[n++] = strdup(path_in(train_tmp, "model.c"));
	args[n++] = strdup(path_in(train_tmp, "report.txt"));
	/* The families in name order, as make model gives them: reproducible. */
	n_fam = n;
	while ((d = readdir(dir))) {
		len = strlen(d->d_name);
		if (len <= 7 || strcmp(d->d_name + len - 7, ".bin.xz"))
			continue;
		args = realloc(args, (n + argc + 2) * sizeof(*args));
		if (!args)
			errx(EXIT_FAILED, "out of memory");
		args[n++] = strdup(path_in(fam, d->d_name));
	}
	closedir(dir);
	qsort(args + n_fam, n - n_fam, sizeof(*args), by_name);
	n_fam = n - n_fam;
	if (n_fam + argc - first > 64)
		errx(EXIT_USAGE, "at most %d logs of yours: 64 in all, families included",
		     64 - n_fam);
	for (a = first; a < argc; a++)
		args[n++] = argv[a];
	args[n] = NULL;
	fprintf(stderr, "mlra: training on %d logs of %s and %d of yours\n",
		n_fam, fam, argc - first);
	if (run(args, NULL))
		errx(EXIT_FAILED, "the trainer failed; %s is left as it was", out);
	/* Into place whole: a copy beside MODEL, then a rename. */
	out_tmp = malloc(strlen(out) + 8);
	if (!out_tmp)
		errx(EXIT_FAILED, "out of memory");
	sprintf(out_tmp, "%s.XXXXXX", out);
	{
		static u8 blob[MLRA_MODEL_MAX_SIZE + 1];
		static struct mlra_model m;
		FILE *f;

		len = model_read(path_in(train_tmp, "model.mlra"), blob, &m);
		fd = mkostemp(out_tmp, O_CLOEXEC);
		f = fd < 0 ? NULL : fdopen(fd, "wb");
		if (!f || fwrite(blob, 1, len, f) != len || fclose(f) ||
		    rename(out_tmp, out)) {
			if (fd >= 0)
				unlink(out_tmp);
			errx(EXIT_FAILED, "%s: %s", out, strerror(errno));
		}
	}
	policy = malloc(strlen(out) + 8);
	if (!policy)
		errx(EXIT_FAILED, "out of memory");
	sprintf(policy, "model:%s", out);
	printf("%-40s %-6s %10s %10s %8s\n", "log", "disk", "linux ms",
	       "mlra ms", "speedup");
	for (a = first; a < argc; a++) {
		struct mlra_trace t;
		const char *profile;
		double base, mine;

		if (mlra_trace_load(argv[a], &t))
			continue;
		profile = trace_profile(&t);
		free(t.rec);
		base = sim_ms(train_tmp, argv[a], profile, "linux");
		mine = sim_ms(train_tmp, argv[a], profile, policy);
		printf("%-40s %-6s %10.1f %10.1f %7.2fx\n", argv[a], profile,
		       base, mine, mine > 0 ? base / mine : 0);
	}
	return EXIT_OK;
}

/**
 * struct top_row - one line of debugfs streams
 * @ino: the file's inode
 * @own: its own window, pages
 * @window: its window now, pages
 * @mlra: mlra's window is in force
 * @class: the class in force, -1 for the kernel's own
 * @seen: accesses seen
 * @misses: misses seen
 * @stream: the stream's number: one file may have several
 * @rate: accesses since the last snapshot
 * @path: the file's last path components, escaped as debugfs has them
 */
struct top_row {
	unsigned long long ino;
	unsigned int own, window, mlra;
	int class;
	unsigned long long seen, misses, stream, rate;
	char path[1024];
};

/* The streams table; returns the rows, their count in @n. */
static struct top_row *top_read(size_t *n)
{
	const char *s = read_text(path_in(debugfs_dir(), "streams"));
	struct top_row *rows = NULL, r;
	char line[2048], cls[16];
	const char *p = s;
	size_t len;
	int used;

	if (!s)
		errx(errno == EACCES ? EXIT_ABSENT : EXIT_FAILED, "%s: %s",
		     path_in(debugfs_dir(), "streams"), strerror(errno));
	*n = 0;
	while (*p) {
		len = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + !!p[len];
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%llu %*u %u %u %u %*u %15s %*u %llu %llu %llu %n",
			   &r.ino, &r.own, &r.window, &r.mlra, cls, &r.seen,
			   &r.misses, &r.stream, &used) != 8)
			continue;	/* the header, the summary */
		r.class = cls[0] == '-' ? -1 : atoi(cls);
		snprintf(r.path, sizeof(r.path), "%s", line + used);
		rows = grow(rows, n, sizeof(r));
		rows[*n - 1] = r;
	}
	return rows;
}

static int by_rate(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->rate != y->rate)
		return x->rate < y->rate ? 1 : -1;
	return x->seen < y->seen ? 1 : x->seen > y->seen ? -1 : 0;
}

/* The class names of the model in use, from model_info. */
static int top_classes(char names[MLRA_MAX_CLASSES][MLRA_CLASS_NAME_LEN])
{
	char *s = read_text(path_in(sysfs_dir(), "model_info"));
	char *p = s ? strstr(s, "\nclasses ") : NULL;
	int n = 0;

	if (!p)
		return 0;
	p[strcspn(p + 1, "\n") + 1] = 0;
	for (p = strtok(p + strlen("\nclasses "), " "); p && n < MLRA_MAX_CLASSES;
	     p = strtok(NULL, " "))
		snprintf(names[n++], MLRA_CLASS_NAME_LEN, "%s", p);
	return n;
}

static void top_print(struct top_row *rows, size_t n, size_t max,
		      char names[MLRA_MAX_CLASSES][MLRA_CLASS_NAME_LEN],
		      int n_names, const char *rate)
{
	unsigned int kb = sysconf(_SC_PAGESIZE) / 1024;
	size_t i;

	qsort(rows, n, sizeof(*rows), by_rate);
	if (rate)
		printf("%10s ", rate);
	printf("%10s %8s %-8s %9s %9s %s\n", "accesses", "misses", "class",
	       "window_kb", "own_kb", "path");
	for (i = 0; i < n && i < max; i++) {
		const struct top_row *r = &rows[i];

		if (rate)
			printf("%10llu ", r->rate);
		printf("%10llu %8llu %-8s %9u %9u %s\n", r->seen, r->misses,
		       r->class < 0 ? "-" : r->class < n_names ?
		       names[r->class] : "?", r->window * kb, r->own * kb,
		       r->path);
	}
}

static int cmd_top(int argc, char **argv)
{
	char names[MLRA_MAX_CLASSES][MLRA_CLASS_NAME_LEN];
	struct top_row *before = NULL, *rows;
	size_t nb = 0, n, i, j, max = 20;
	double delay = 2;
	int a, once = 0, n_names;

	for (a = 1; a < argc; a++) {
		char *end = NULL;

		if (!strcmp(argv[a], "-n")) {
			once = 1;
		} else if (!strcmp(argv[a], "-d") && a + 1 < argc) {
			delay = strtod(argv[++a], &end);
			if (*end || !(delay >= 0.1 && delay <= 3600))
				errx(EXIT_USAGE, "top: -d wants 0.1 to 3600 seconds, not '%s'",
				     argv[a]);
		} else if (!strcmp(argv[a], "-l") && a + 1 < argc) {
			max = strtoul(argv[++a], &end, 10);
			if (*end || !max || argv[a][0] < '0' || argv[a][0] > '9' ||
			    max > 100000)
				errx(EXIT_USAGE, "top: -l wants a number of lines, not '%s'",
				     argv[a]);
		} else {
			return usage_of("usage: mlra top [-n] [-d SECONDS] [-l LINES]\n"
					"  the busiest streams, every SECONDS (2); -n: one\n"
					"  snapshot, by accesses, for scripts; LINES: 20\n",
					argv[a]);
		}
	}
	need_debugfs();
	n_names = top_classes(names);
	if (once) {
		rows = top_read(&n);
		for (i = 0; i < n; i++)
			rows[i].rate = rows[i].seen;
		top_print(rows, n, max, names, n_names, NULL);
		free(rows);
		return EXIT_OK;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		rows = top_read(&n);
		for (i = 0; i < n; i++) {
			rows[i].rate = 0;
			for (j = 0; j < nb; j++)
				if (before[j].stream == rows[i].stream &&
				    rows[i].seen >= before[j].seen)
					rows[i].rate = rows[i].seen - before[j].seen;
		}
		printf("\033[H\033[2J");
		top_print(rows, n, max, names, n_names, "recent");
		fflush(stdout);
		free(before);
		before = rows;
		nb = n;
		usleep(delay * 1e6);
	}
	free(before);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "status", cmd_status },
		{ "top", cmd_top },
		{ "set", cmd_set },
		{ "mode", cmd_mode },
		{ "load", cmd_load },
		{ "record", cmd_record },
		{ "report", cmd_report },
		{ "train", cmd_train },
	};
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	}
	errx(EXIT_USAGE, "no command '%s' (mlra --help)", argv[1]);
}
