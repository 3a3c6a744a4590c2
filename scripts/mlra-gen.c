// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-gen: read patterns that fio does not make, for trace capture and
 * tests. Plain pread(), or copies from a shared mapping with -m; no hints
 * unless -r (POSIX_FADV_RANDOM, or MADV_RANDOM on the mapping); with -p
 * what was read goes to standard output, in the order read (to compare
 * runs), otherwise nothing is printed unless an error.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: mlra-gen [-p] [-m] [-r] [-a N] [-w SEC] PATTERN FILE ARGS...\n"
	"       -p: print what was read; -m: read through a shared mapping;\n"
	"       -r: hint RANDOM (fadvise, or madvise with -m); -a N: hint it\n"
	"       after N reads instead; -w SEC: wait SEC seconds before exiting\n"
	"       mlra-gen forward FILE BS             the file from the start\n"
	"       mlra-gen reverse FILE BS             the file backwards\n"
	"       mlra-gen stride FILE BS GAP          BS, then skip GAP, to the\n"
	"                                            end of the file\n"
	"       mlra-gen interleave FILE BS K        K sequential streams in\n"
	"                                            K regions, one descriptor\n"
	"       mlra-gen phases FILE BS N SEED       N sequential reads, then\n"
	"                                            N random ones, repeated\n"
	"                                            through the file\n"
	"       mlra-gen random FILE BS N SEED       N reads at random blocks\n"
	"       mlra-gen indexed FILE BS K           the file's first 63/64\n"
	"                                            in order, and before\n"
	"                                            every K-th block one of\n"
	"                                            its index (the last 1/64)\n"
	"BS in bytes; sizes may end in k or m.\n";

static char *buf;
static size_t bs;
static int fd;
static off_t size;
static int print;
static const char *map;
static unsigned long long reads, advise_after;

/* POSIX_FADV_RANDOM, or MADV_RANDOM on the mapping. */
static void advise_random(void)
{
	if (map ? madvise((void *)map, size, MADV_RANDOM) :
		  posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM)) {
		fputs("mlra-gen: cannot hint RANDOM\n", stderr);
		exit(1);
	}
}

static unsigned long long number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		goto bad;
	if (*end == 'k')
		v <<= 10, end++;
	else if (*end == 'm')
		v <<= 20, end++;
	if (*end || !v)
		goto bad;
	return v;
bad:
	fprintf(stderr, "mlra-gen: not a positive size: %s\n", s);
	exit(2);
}

static void read_at(off_t pos)
{
	ssize_t n;

	if (advise_after && reads++ == advise_after)
		advise_random();
	if (map) {
		n = pos + (off_t)bs > size ? size - pos : (ssize_t)bs;
		memcpy(buf, map + pos, n);
	} else {
		n = pread(fd, buf, bs, pos);
	}
	if (n < 0) {
		perror("mlra-gen: pread");
		exit(1);
	}
	if (print && fwrite(buf, 1, n, stdout) != (size_t)n) {
		perror("mlra-gen: write");
		exit(1);
	}
}

/* xorshift64: the same offsets on every run with the same seed. */
static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int main(int argc, char **argv)
{
	int mapped = 0, hint = 0;
	unsigned long long wait = 0;
	struct stat st;
	off_t pos, blocks;

	for (; argc > 1 && argv[1][0] == '-'; argv++, argc--) {
		if (!strcmp(argv[1], "-p")) {
			print = 1;
		} else if (!strcmp(argv[1], "-m")) {
			mapped = 1;
		} else if (!strcmp(argv[1], "-r")) {
			hint = 1;
		} else if (!strcmp(argv[1], "-a") && argc > 2) {
			advise_after = number(argv[2]);
			argv++, argc--;
		} else if (!strcmp(argv[1], "-w") && argc > 2) {
			wait = number(argv[2]);
			argv++, argc--;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (argc < 4) {
		fputs(usage, stderr);
		return 2;
	}
	bs = number(argv[3]);
	buf = malloc(bs);
	fd = open(argv[2], O_RDONLY);
	if (!buf || fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 1;
	}
	size = st.st_size;
	blocks = size / bs;
	if (mapped && size) {
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED ||
		    (hint && madvise((void *)map, size, MADV_RANDOM))) {
			perror("mlra-gen: mmap");
			return 1;
		}
	} else if (hint && posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM)) {
		fputs("mlra-gen: posix_fadvise failed\n", stderr);
		return 1;
	}
	if (!strcmp(argv[1], "forward") && argc == 4) {
		for (pos = 0; pos + (off_t)bs <= size; pos += bs)
			read_at(pos);
	} else if (!strcmp(argv[1], "reverse") && argc == 4) {
		for (pos = (blocks - 1) * (off_t)bs; pos >= 0; pos -= bs)
			read_at(pos);
	} else if (!strcmp(argv[1], "stride") && argc == 5) {
		off_t step = bs + number(argv[4]);

		for (pos = 0; pos + (off_t)bs <= size; pos += step)
			read_at(pos);
	} else if (!strcmp(argv[1], "interleave") && argc == 5) {
		off_t k = number(argv[4]), region = blocks / k, i, j;

		for (i = 0; i < region; i++)
			for (j = 0; j < k; j++)
				read_at((j * region + i) * (off_t)bs);
	} else if (!strcmp(argv[1], "phases") && argc == 6) {
		off_t n = number(argv[4]), i, b = 0;
		unsigned long long seed = number(argv[5]);

		while (b < blocks) {
			for (i = 0; i < n && b < blocks; i++, b++)
				read_at(b * (off_t)bs);
			for (i = 0; i < n; i++)
				read_at((rnd(&seed) % blocks) * (off_t)bs);
			b += n;
		}
	} else if (!strcmp(argv[1], "random") && argc == 6) {
		off_t n = number(argv[4]), i;
		unsigned long long seed = number(argv[5]);

		for (i = 0; i < n && blocks; i++)
			read_at((rnd(&seed) % blocks) * (off_t)bs);
	} else if (!strcmp(argv[1], "indexed") && argc == 5) {
		off_t k = number(argv[4]), data = blocks - blocks / 64, b;
		off_t index = data * (off_t)bs, entries = size - index;

		for (b = 0; b < data && k; b++) {
			if (!(b % k))
				read_at(index + (b * entries / data & ~4095LL));
			read_at(b * (off_t)bs);
		}
	} else {
		fputs(usage, stderr);
		return 2;
	}
	/* The file stays open meanwhile: a test can look at its stream. */
	sleep(wait);
	return 0;
}
