// SPDX-License-Identifier: GPL-2.0
/*
 * The readahead simulator (see sim.h). The kernel parts follow Linux 6.1:
 * ondemand_readahead(), page_cache_sync_ra(), page_cache_async_ra(),
 * force_page_cache_ra() and page_cache_ra_unbounded() of mm/readahead.c;
 * filemap_get_pages() (batches that end at a readahead marker) and
 * do_sync_mmap_readahead()/do_async_mmap_readahead() (read-around) of
 * mm/filemap.c. ext4 on 6.1 has no large folios: order 0 throughout.
 *
 * Simplified: one application timeline (events in log order); pure LRU;
 * no hints (FMODE_RANDOM, VM_RAND_READ). Logs are taken with the disk's
 * readahead off (scripts/families-guest.sh), so that a log's faults are
 * every page the program touched first; a fault on a page that the
 * simulated cache holds, read and without a readahead marker, is one that
 * fault-around (filemap_map_pages()) would have satisfied: it never
 * reaches filemap_fault(), so the module does not see it either. The
 * kernel stops reading around after MMAP_LOTSAMISS misses more than pages
 * fault-around mapped; that count (mmap_miss) is not modelled.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/*
 * Pages a what-if replay may add or change; it ends early once it has used
 * half of them, so that its last access still has room.
 */
#define SIM_SCRATCH	(2048U * 1024)

#define PG_MARKER	0x01	/* PG_readahead */
#define PG_FROM_RA	0x02	/* read by readahead */
#define PG_USED		0x04	/* accessed since it was read */
#define PG_NEW		0x08	/* added by a what-if replay */

/*
 * A cached page; slot 0 of the pool heads the LRU list. @age: for a page
 * of the cache, the cache's clock (sim.clock) when the page last went to
 * the recently used end; for a what-if replay's page, the replay's
 * turnover (sim.wi_turn) then.
 */
struct sim_page {
	u32 file;
	u32 index;
	double ready;
	double age;
	u32 prev;
	u32 next;
	u8 flags;
};

struct sim_file {
	u64 ino;
	u32 dev;
	u32 size_pages;
	u32 *slot;	/* page index -> pool slot, 0 if not cached */
	u32 n_slot;
};

/* Open addressing, u64 keys (never ~0), u32 values. */
struct map {
	u64 *key;
	u32 *val;
	size_t cap;
	size_t n;
};

struct sim {
	struct sim_config cfg;
	struct sim_page *pool;
	u32 pool_used;
	struct sim_file *files;
	u32 n_files;
	struct map file_map;
	struct sim_stream *streams;
	u32 n_streams;
	/* the module's footprint of scattered faults (mlra_stream_spread()) */
	u64 spread_pages;
	struct map stream_map;
	double now;
	double disk_free;
	unsigned int io_pages;
	/* pages the cache took in, and the stream whose access is running */
	double clock;
	struct sim_stream *running;
	/*
	 * What-if mode (sim_what_if()): pages added or changed go to scratch
	 * slots after the cache's, every change of a file's slot is logged
	 * to be undone, and nothing is moved in the LRU list. Eviction is
	 * reckoned instead (alive()): @wi_turn is the pages the cache would
	 * have taken in since the replay began: the @wi_added the replay
	 * read, and for each access of another stream since record
	 * @wi_first (the stream's own, @wi_own of them so far, left out),
	 * what the replay read for each of its @wi_accesses (as if every
	 * stream read as this one does), or at least @wi_others, what the
	 * other streams took in an access of theirs since the stream's last
	 * decision.
	 */
	bool what_if;
	/*
	 * Stride prefetch reads each stride alone where the replay's disk
	 * says it does not rotate (whatever disk a what-if times), under the
	 * oracle's own replay and in its what-ifs (sim_oracle_decide());
	 * else it reads through short gaps, as the module does on a disk that
	 * says it rotates (mlra_prefetch_gap()), though the module not while
	 * the cache thrashes or its guard overrides the stream's window,
	 * neither of which the simulator models.
	 */
	bool strides_alone;
	u32 wi_first;
	u32 wi_own;
	u32 wi_accesses;
	double wi_added;
	double wi_others;
	double wi_turn;
	u32 scratch_used;
	struct undo { u32 file, index, slot; } *undo;
	u32 n_undo;
	/*
	 * the log being replayed: each access's next one in its stream, and
	 * the accesses (read and fault records) before each record
	 */
	const struct mlra_log_record *rec;
	u32 n_rec;
	const u32 *next_of;
	const u32 *accesses_before;
	/* the run being gathered by ra_unbounded() */
	u32 run_file;
	u32 run_start;
	u32 run_len;
	struct sim_totals t;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("mlra-sim: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static size_t map_find(const struct map *m, u64 key)
{
	size_t i = (key * 0x9e3779b97f4a7c15ULL) >> 20;

	for (i &= m->cap - 1; m->key[i] != ~0ULL && m->key[i] != key;
	     i = (i + 1) & (m->cap - 1))
		;
	return i;
}

static void map_put(struct map *m, u64 key, u32 val);

static void map_grow(struct map *m)
{
	struct map old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 1024;
	m->key = xrealloc(NULL, m->cap * sizeof(*m->key));
	m->val = xrealloc(NULL, m->cap * sizeof(*m->val));
	memset(m->key, 0xff, m->cap * sizeof(*m->key));
	m->n = 0;
	for (i = 0; i < old.cap; i++)
		if (old.key[i] != ~0ULL)
			map_put(m, old.key[i], old.val[i]);
	free(old.key);
	free(old.val);
}

static void map_put(struct map *m, u64 key, u32 val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	i = map_find(m, key);
	if (m->key[i] == ~0ULL)
		m->n++;
	m->key[i] = key;
	m->val[i] = val;
}

static bool map_get(const struct map *m, u64 key, u32 *val)
{
	size_t i;

	if (!m->cap)
		return false;
	i = map_find(m, key);
	if (m->key[i] == ~0ULL)
		return false;
	*val = m->val[i];
	return true;
}

/* Profiles as scripts/vm makes them; "none" as measured by scripts/profiles. */
int sim_disk_profile(const char *name, struct sim_disk *d)
{
	static const struct sim_disk profiles[] = {
		{ "none", 0, 5000, 400e6, 320, true },
		{ "ssd", 0, 20000, 500e6, 320, true },
		{ "cloud", 0, 3000, 125e6, 320, true },
		{ "hdd", 4e6, 150, 120e6, 320, false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		if (!strcmp(profiles[i].name, name)) {
			*d = profiles[i];
			return 0;
		}
	}
	return -1;
}

/**
 * sim_default_config() - the settings every replay starts from
 * @cfg: set to the capture guest's page cache (224 MiB), the cloud disk,
 *	2 us of the application's own time an access and 0.5 us a page, the
 *	module's decision interval, the default read_ahead_kb (128 KiB) and
 *	the kernel's own window (no policy)
 */
void sim_default_config(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.cache_pages = 224 << 8,
		.cpu_access_ns = 2000,
		.cpu_page_ns = 500,
		.decision_interval = MLRA_DEFAULT_DECISION_INTERVAL,
		.ra_pages = SIM_RA_PAGES,
	};
	sim_disk_profile("cloud", &cfg->disk);
}

struct sim *sim_new(const struct sim_config *cfg)
{
	struct sim *s = xrealloc(NULL, sizeof(*s));

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->strides_alone = cfg->disk.nonrot ||
			   cfg->policy == sim_oracle_decide;
	s->pool = xrealloc(NULL, (cfg->cache_pages + 1 + SIM_SCRATCH) *
			   sizeof(*s->pool));
	s->undo = xrealloc(NULL, SIM_SCRATCH * sizeof(*s->undo));
	memset(&s->pool[0], 0, sizeof(s->pool[0]));
	s->pool_used = 1;
	s->io_pages = cfg->disk.max_request_pages;
	return s;
}

void sim_free(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n_files; i++)
		free(s->files[i].slot);
	free(s->files);
	free(s->streams);
	free(s->file_map.key);
	free(s->file_map.val);
	free(s->stream_map.key);
	free(s->stream_map.val);
	free(s->pool);
	free(s->undo);
	free(s);
}

static void lru_unlink(struct sim *s, u32 i)
{
	s->pool[s->pool[i].prev].next = s->pool[i].next;
	s->pool[s->pool[i].next].prev = s->pool[i].prev;
}

/* To the most recently used end. */
static void lru_tail(struct sim *s, u32 i)
{
	s->pool[i].prev = s->pool[0].prev;
	s->pool[i].next = 0;
	s->pool[s->pool[0].prev].next = i;
	s->pool[0].prev = i;
}

static u32 *file_slot(struct sim *s, u32 file, u32 index)
{
	struct sim_file *f = &s->files[file];

	if (index >= f->n_slot) {
		u32 n = f->n_slot ? f->n_slot : 64;

		while (n <= index)
			n *= 2;
		f->slot = xrealloc(f->slot, n * sizeof(*f->slot));
		memset(f->slot + f->n_slot, 0, (n - f->n_slot) * sizeof(*f->slot));
		f->n_slot = n;
	}
	return &f->slot[index];
}

/*
 * Whether a page is still cached, in a what-if replay, after @wi_turn
 * pages taken in: LRU evicts a page once the slots still free and the
 * pages ahead of it at the least recently used end are used up. A page
 * the replay added or touched has the whole cache before it goes; one of
 * the cache (@n pages in it), the pages ahead of it reckoned from its
 * clock between the oldest page's (none ahead) and the newest's (@n - 1),
 * approximately: pages touched at one clock tick share a place.
 */
static bool alive(const struct sim *s, u32 i)
{
	const struct sim_page *p = &s->pool[i], *head, *tail;
	double n = s->pool_used - 1.0, span, ahead;

	if (i > s->cfg.cache_pages)
		return s->wi_turn - p->age < s->cfg.cache_pages;
	head = &s->pool[s->pool[0].next];
	tail = &s->pool[s->pool[0].prev];
	span = tail->age - head->age;
	ahead = (n - 1) * (span > 0 ? (p->age - head->age) / span : 1);
	return s->wi_turn < s->cfg.cache_pages - n + ahead + 1;
}

static u32 page_find(struct sim *s, u32 file, u32 index)
{
	struct sim_file *f = &s->files[file];
	u32 i = index < f->n_slot ? f->slot[index] : 0;

	return i && s->what_if && !alive(s, i) ? 0 : i;
}

static void page_drop(struct sim *s, u32 i)
{
	struct sim_page *p = &s->pool[i];

	if ((p->flags & (PG_FROM_RA | PG_USED)) == PG_FROM_RA)
		s->t.ra_unused++;
	*file_slot(s, p->file, p->index) = 0;
	lru_unlink(s, i);
}

/* Point a file's page at @slot, remembering the old one in what-if mode. */
static void set_slot(struct sim *s, u32 file, u32 index, u32 slot)
{
	u32 *p = file_slot(s, file, index);

	if (s->what_if) {
		if (s->n_undo == SIM_SCRATCH) {
			fputs("mlra-sim: what-if replay too long\n", stderr);
			exit(1);
		}
		s->undo[s->n_undo++] = (struct undo){ file, index, *p };
	}
	*p = slot;
}

static u32 scratch_slot(struct sim *s)
{
	if (s->scratch_used == SIM_SCRATCH) {
		fputs("mlra-sim: what-if replay too long\n", stderr);
		exit(1);
	}
	return s->cfg.cache_pages + 1 + s->scratch_used++;
}

/* A page about to change: in what-if mode, a scratch copy of it. */
static u32 page_mut(struct sim *s, u32 i)
{
	u32 j;

	if (!s->what_if || i > s->cfg.cache_pages)
		return i;
	j = scratch_slot(s);
	s->pool[j] = s->pool[i];
	s->pool[j].age = s->wi_turn;
	set_slot(s, s->pool[i].file, s->pool[i].index, j);
	return j;
}

static u32 page_add(struct sim *s, u32 file, u32 index, u8 flags)
{
	u32 i;

	if (s->what_if) {
		i = scratch_slot(s);
		s->pool[i] = (struct sim_page){
			.file = file, .index = index, .ready = INFINITY,
			.age = s->wi_turn, .flags = flags | PG_NEW,
		};
		set_slot(s, file, index, i);
		s->wi_added++;
		return i;
	}
	if (s->pool_used <= s->cfg.cache_pages) {
		i = s->pool_used++;
	} else {
		i = s->pool[0].next;	/* least recently used */
		page_drop(s, i);
	}
	s->pool[i] = (struct sim_page){
		.file = file, .index = index, .ready = INFINITY,
		.age = ++s->clock, .flags = flags,
	};
	if (s->running)
		s->running->taken++;
	lru_tail(s, i);
	*file_slot(s, file, index) = i;
	return i;
}

/* One disk request a max_request_pages piece of the run gathered. */
static void run_submit(struct sim *s)
{
	const struct sim_disk *d = &s->cfg.disk;
	u32 done = 0, n, k;

	while (done < s->run_len) {
		double start = s->now > s->disk_free ? s->now : s->disk_free;
		double busy, bytes;

		n = s->run_len - done;
		if (n > d->max_request_pages)
			n = d->max_request_pages;
		bytes = (double)n * 4096;
		busy = 1e9 / d->iops;
		if (bytes * 1e9 / d->bytes_per_s > busy)
			busy = bytes * 1e9 / d->bytes_per_s;
		s->disk_free = start + busy;
		for (k = 0; k < n; k++) {
			u32 i = page_find(s, s->run_file, s->run_start + done + k);

			if (i)
				s->pool[i].ready = s->disk_free + d->latency_ns;
		}
		s->t.requests++;
		s->t.pages_read += n;
		done += n;
	}
	s->run_len = 0;
}

/* page_cache_ra_unbounded(): read the missing pages, marker included. */
static void ra_unbounded(struct sim *s, u32 file, unsigned long index,
			 unsigned long nr, unsigned long lookahead)
{
	unsigned long i;

	s->run_len = 0;
	s->run_file = file;
	for (i = 0; i < nr; i++) {
		u32 p = index + i;

		if (page_find(s, file, p)) {
			run_submit(s);
			continue;
		}
		if (!s->run_len)
			s->run_start = p;
		page_add(s, file, p, PG_FROM_RA |
			 (i == nr - lookahead ? PG_MARKER : 0));
		s->run_len++;
	}
	run_submit(s);
}

/* do_page_cache_ra(): never past the end of the file. */
static void do_ra(struct sim *s, struct sim_stream *st, unsigned long index,
		  unsigned long nr, unsigned long lookahead)
{
	unsigned long size = s->files[st->file].size_pages, end;

	if (!size)
		return;
	end = size - 1;
	if (index > end)
		return;
	if (nr > end - index)
		nr = end - index + 1;
	ra_unbounded(s, st->file, index, nr, lookahead);
}

static unsigned long roundup_pow2(unsigned long x)
{
	unsigned long r = 1;

	while (r < x)
		r <<= 1;
	return r;
}

static unsigned long init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long n = roundup_pow2(size);

	if (n <= max / 32)
		return n * 4;
	if (n <= max / 4)
		return n * 2;
	return max;
}

static unsigned long next_ra_size(unsigned long cur, unsigned long max)
{
	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/* page_cache_next_miss(), page_cache_prev_miss() */
static unsigned long next_miss(struct sim *s, u32 file, unsigned long index,
			       unsigned long max)
{
	unsigned long i;

	for (i = 0; i < max; i++)
		if (!page_find(s, file, index + i))
			return index + i;
	return index + max;
}

static unsigned long prev_miss(struct sim *s, u32 file, unsigned long index,
			       unsigned long max)
{
	unsigned long i;

	for (i = 0; i < max; i++) {
		if (!page_find(s, file, index - i))
			return index - i;
		if (index == i)
			return ~0UL;
	}
	return index - max;
}

static void ondemand(struct sim *s, struct sim_stream *st, unsigned long index,
		     unsigned long req, bool marker)
{
	unsigned long max = st->ra_pages, add, expected;

	if (req > max && s->io_pages > max)
		max = req < s->io_pages ? req : s->io_pages;
	if (!index)
		goto initial;
	expected = st->start + st->size - st->async_size;
	if (index == expected || index == st->start + st->size) {
		st->start += st->size;
		add = next_ra_size(st->size, max);
		st->size = st->size > add ? st->size : add;
		st->async_size = st->size;
		goto readit;
	}
	if (marker) {
		unsigned long start = next_miss(s, st->file, index + 1, max);

		if (!start || start - index > max)
			return;
		st->start = start;
		st->size = start - index + req;
		st->size = next_ra_size(st->size, max);
		st->async_size = st->size;
		goto readit;
	}
	if (req > max)
		goto initial;
	if (index - st->prev_index <= 1)
		goto initial;
	/* try_context_readahead() */
	{
		unsigned long head = prev_miss(s, st->file, index - 1, max);
		unsigned long size = index - 1 - head;

		if (size > req) {
			if (size >= index)
				size *= 2;
			st->start = index;
			st->size = size + req < max ? size + req : max;
			st->async_size = 1;
			goto readit;
		}
	}
	do_ra(s, st, index, req, 0);
	return;
initial:
	st->start = index;
	st->size = init_ra_size(req, max);
	st->async_size = st->size > req ? st->size - req : st->size;
readit:
	if (index == st->start && st->size == st->async_size) {
		add = next_ra_size(st->size, max);
		if (st->size + add <= max) {
			st->async_size = add;
			st->size += add;
		} else {
			st->size = max;
			st->async_size = max >> 1;
		}
	}
	do_ra(s, st, st->start, st->size, st->async_size);
}

/* page_cache_sync_ra(), with force_page_cache_ra() for a window of 0. */
static void sync_ra(struct sim *s, struct sim_stream *st, unsigned long index,
		    unsigned long req)
{
	if (st->ra_pages)
		ondemand(s, st, index, req, false);
	else	/* forced: one page (req_count 1, at most 2 MiB a chunk) */
		do_ra(s, st, index, 1, 0);
}

/*
 * At a marker the caller holds the page: it is moved to the recently used
 * end first, so that the readahead cannot evict it.
 */
static void async_ra(struct sim *s, struct sim_stream *st, u32 slot,
		     unsigned long index, unsigned long req)
{
	if (!st->ra_pages)
		return;
	if (!s->what_if) {
		s->pool[slot].age = s->clock;
		lru_unlink(s, slot);
		lru_tail(s, slot);
	}
	s->pool[page_mut(s, slot)].flags &= ~PG_MARKER;
	ondemand(s, st, index, req, true);
}

/* The page the application needs; read singly if readahead did not. */
static u32 need(struct sim *s, struct sim_stream *st, unsigned long index,
		bool from_ra)
{
	u32 i = page_find(s, st->file, index);

	if (!i) {
		s->run_file = st->file;
		s->run_start = index;
		s->run_len = 1;
		i = page_add(s, st->file, index, from_ra ? PG_FROM_RA : 0);
		run_submit(s);
	}
	return i;
}

static void use(struct sim *s, u32 i)
{
	struct sim_page *p = &s->pool[i];

	if (p->ready > s->now)
		s->now = p->ready;
	if (s->what_if) {
		p = &s->pool[page_mut(s, i)];
		p->flags |= PG_USED;
		p->age = s->wi_turn;
		return;
	}
	p->flags |= PG_USED;
	p->age = s->clock;
	lru_unlink(s, i);
	lru_tail(s, i);
}

/* filemap_read(): batches of cached pages, each ending at a marker. */
static bool sim_read(struct sim *s, struct sim_stream *st, unsigned long index,
		     unsigned long pages)
{
	unsigned long last = index + pages, pos = index, end;
	unsigned long size = s->files[st->file].size_pages;
	bool missed = false;
	u32 i;

	/* Nothing is read past the end of the file. */
	if (last > size)
		last = size;

	while (pos < last) {
		if (!page_find(s, st->file, pos)) {
			missed = true;
			sync_ra(s, st, pos, last - pos);
		}
		i = need(s, st, pos, false);
		for (end = pos; end < last; end++) {
			i = page_find(s, st->file, end);
			if (!i || s->pool[i].flags & PG_MARKER)
				break;
			use(s, i);
		}
		if (end < last && i) {	/* a marker: read ahead, then use it */
			async_ra(s, st, i, end, last - end);
			use(s, page_find(s, st->file, end));
			end++;
		}
		pos = end;
	}
	st->prev_index = last;
	return missed;
}

/* filemap_fault(): read-around on a miss, async readahead on a marker. */
static void sim_fault(struct sim *s, struct sim_stream *st,
		      unsigned long index)
{
	u32 i;

	if (index >= s->files[st->file].size_pages)
		return;
	i = page_find(s, st->file, index);

	if (i) {
		if (st->ra_pages && s->pool[i].flags & PG_MARKER)
			async_ra(s, st, i, index, st->ra_pages);
		use(s, page_find(s, st->file, index));
		return;
	}
	if (st->ra_pages) {
		st->start = index > st->ra_pages / 2 ?
			    index - st->ra_pages / 2 : 0;
		st->size = st->ra_pages;
		st->async_size = st->ra_pages / 4;
		do_ra(s, st, st->start, st->size, st->async_size);
	}
	use(s, need(s, st, index, false));
}

static u32 file_of(struct sim *s, const struct mlra_log_record *r)
{
	u64 key = r->ino * 0x100000001b3ULL ^ r->dev;
	u32 f;

	if (!map_get(&s->file_map, key, &f)) {
		f = s->n_files++;
		s->files = xrealloc(s->files, s->n_files * sizeof(*s->files));
		memset(&s->files[f], 0, sizeof(s->files[f]));
		s->files[f].ino = r->ino;
		s->files[f].dev = r->dev;
		map_put(&s->file_map, key, f);
	}
	return f;
}

static struct sim_stream *stream_of(struct sim *s,
				    const struct mlra_log_record *r)
{
	u32 i;

	if (map_get(&s->stream_map, r->stream, &i))
		return &s->streams[i];
	i = s->n_streams++;
	s->streams = xrealloc(s->streams, s->n_streams * sizeof(*s->streams));
	memset(&s->streams[i], 0, sizeof(s->streams[i]));
	s->streams[i].id = r->stream;
	s->streams[i].file = file_of(s, r);
	s->streams[i].ra_pages = s->cfg.ra_pages;
	s->streams[i].own_pages = s->cfg.ra_pages;
	s->streams[i].prev_index = ~0UL;	/* the kernel's prev_pos of -1 */
	/* Marked at its first access, which sim_event() counts next. */
	s->streams[i].mark_clock = s->clock;
	s->streams[i].mark_records = 1;
	s->streams[i].mark_pos = s->rec ? (u32)(r - s->rec) : 0;
	mlra_policy_reset(&s->streams[i].policy);
	map_put(&s->stream_map, r->stream, i);
	return &s->streams[i];
}

/* The module's decision point: features of the history, then the policy. */
static void decide(struct sim *s, struct sim_stream *st)
{
	s32 f[MLRA_MAX_INPUTS] = { 0 };

	mlra_features(&st->history, st->ra_pages,
		      s->files[st->file].size_pages, s->cfg.disk.nonrot, f);
	st->ra_pages = s->cfg.policy(s->cfg.ctx, s, st, f);
	st->mark_clock = s->clock;
	st->mark_taken = st->taken;
	st->mark_records = st->records;
	st->mark_pos = st->current;
}

/* The access of @r, after the application's own time for it; true if the
 * module learns that it missed the cache.
 */
static bool run_access(struct sim *s, struct sim_stream *st,
		       const struct mlra_log_record *r)
{
	s->files[st->file].size_pages = r->size_pages;
	s->now += s->cfg.cpu_access_ns + s->cfg.cpu_page_ns * r->pages;
	s->t.accesses++;
	s->t.pages_asked += r->pages;
	if (r->kind != MLRA_LOG_FAULT)
		return sim_read(s, st, r->index, r->pages ? r->pages : 1);
	/*
	 * The module learns of a miss from page_cache_sync_ra(), which
	 * read-around does not call: to it, a fault never misses.
	 */
	sim_fault(s, st, r->index);
	return false;
}

/*
 * Whether fault-around maps the page before the fault gets to
 * filemap_fault(): cached, read, and not a readahead marker
 * (next_uptodate_page() skips those).
 */
static bool mapped(struct sim *s, struct sim_stream *st, unsigned long index)
{
	u32 i = page_find(s, st->file, index);

	return i && s->pool[i].ready <= s->now &&
	       !(s->pool[i].flags & PG_MARKER);
}

/*
 * One access of the log: the kernel sees it or not (mapped()); as in the
 * module, it is remembered and, every decision_interval accesses (when
 * @decisions), decided on; then it runs, and the prefetch in force asks
 * for what it asks (mlra_prefetch_plan(), the module's own), read at once
 * as the module's worker would.
 */
static void sim_access(struct sim *s, struct sim_stream *st,
		       const struct mlra_log_record *r, bool decisions)
{
	struct mlra_access a = {
		.index = r->index,
		.pages = r->pages < 65535 ? r->pages : 65535,
		.kind = r->kind == MLRA_LOG_FAULT ? MLRA_ACCESS_FAULT :
			MLRA_ACCESS_READ,
	};
	struct mlra_prefetch_range pr[MLRA_PF_MAX_RANGES];
	struct mlra_prefetch_acct acct = { 0 };
	int k, n;

	if (r->kind == MLRA_LOG_FAULT && mapped(s, st, r->index)) {
		run_access(s, st, r);
		return;
	}
	s->t.seen++;
	if (mlra_history_add(&st->history, &a) && decisions &&
	    s->cfg.policy && ++st->since_decision >= s->cfg.decision_interval) {
		st->since_decision = 0;
		decide(s, st);
	}
	if (run_access(s, st, r) && st->history.count)
		mlra_history_last(&st->history)->miss = 1;
	n = mlra_prefetch_plan(&st->pf, st->pf_kind, &st->history,
			       s->files[st->file].size_pages,
			       MLRA_DEFAULT_PREFETCH_MAX_KB >> 2,
			       mlra_prefetch_gap(!s->strides_alone && !s->what_if,
						 false, false), pr, &acct);
	for (k = 0; k < n; k++) {
		ra_unbounded(s, st->file, pr[k].start, pr[k].pages, 0);
		s->t.prefetched += pr[k].pages;
	}
	s->t.prefetch_used += acct.used;
	s->t.prefetch_wasted += acct.wasted;
}

void sim_event(struct sim *s, const struct mlra_log_record *r)
{
	struct sim_stream *st;

	if (r->kind != MLRA_LOG_READ && r->kind != MLRA_LOG_FAULT)
		return;
	st = stream_of(s, r);
	st->current = s->rec ? (u32)(r - s->rec) : 0;
	s->running = st;
	st->records++;
	sim_access(s, st, r, true);
	s->running = NULL;
}

/*
 * The accesses of streams other than @st's from its last decision up to its
 * current access.
 */
static double others_since_decision(const struct sim *s,
				    const struct sim_stream *st)
{
	return (double)s->accesses_before[st->current + 1] -
	       s->accesses_before[st->mark_pos + 1] -
	       (st->records - st->mark_records);
}

/* The what-if replay has come to its stream's record @pos: the turnover. */
static void what_if_at(struct sim *s, u32 pos)
{
	double others = (double)s->accesses_before[pos] -
			s->accesses_before[s->wi_first] - s->wi_own;
	double rate = s->wi_others;

	s->wi_own++;
	if (s->wi_accesses && s->wi_added / s->wi_accesses > rate)
		rate = s->wi_added / s->wi_accesses;
	if (s->wi_added + rate * others > s->wi_turn)
		s->wi_turn = s->wi_added + rate * others;
}

/*
 * What the pages a what-if replay read are worth to the stream's accesses
 * after it (at most SIM_LATER_ACCESSES and SIM_LATER_PAGES asked for,
 * from @i; @prev_end: where the replay's last access ended). Such pages
 * are not waste; each saves the time it would cost then: a later access
 * that jumps (does not start where the one before it ended) would have
 * needed a request of its own (the disk's latency and the longer of
 * 1/IOPS and its bytes' time), and every other page its bytes' time at
 * the disk's bandwidth (it would have come with readahead). Without this,
 * a long window looks worse than it is (its last request, mostly for pages
 * past the replay, is waited for inside it) and reading around looks
 * worthless where it fills the cache for later hits.
 */
#define SIM_LATER_ACCESSES	4096
#define SIM_LATER_PAGES		8192

static double used_later(struct sim *s, struct sim_stream *st, u32 i,
			 unsigned long prev_end)
{
	const struct sim_disk *d = &s->cfg.disk;
	double page_ns = 4096 * 1e9 / d->bytes_per_s, saved = 0;
	unsigned long n = 0, pages = 0, p, len;
	u32 k;

	for (; i != ~0U && n < SIM_LATER_ACCESSES && pages < SIM_LATER_PAGES;
	     i = s->next_of[i], n++) {
		const struct mlra_log_record *r = &s->rec[i];

		what_if_at(s, i);
		len = r->pages ? r->pages : 1;
		for (p = r->index; p < r->index + len; p++) {
			k = page_find(s, st->file, p);
			if (k <= s->cfg.cache_pages ||
			    (s->pool[k].flags & (PG_NEW | PG_USED)) != PG_NEW)
				continue;
			s->pool[k].flags |= PG_USED;
			if (p == r->index && r->index != prev_end)
				saved += d->latency_ns +
					 fmax(1e9 / d->iops, len * page_ns);
			else
				saved += page_ns;
		}
		pages += len;
		prev_end = r->index + len;
	}
	return saved;
}

/**
 * sim_what_if() - what a stream's next accesses would cost with a window
 * @s: the simulator, replaying a log with sim_replay(), at a decision
 *	point of @st
 * @st: the stream
 * @act: the window (in pages) and prefetch to try
 * @disk: the disk to try it on
 *
 * Replays the stream's accesses from the current one, alone, until at
 * least 64 accesses and 512 pages asked for (at most 512 accesses), from
 * the state now (ending early if it has used half of SIM_SCRATCH), then
 * puts everything back as it was. The other streams' accesses are not
 * replayed, but the cache they share is: pages leave it, roughly as LRU
 * would (alive()), while it takes in what the replay reads and, for each
 * access of another stream, what the replay reads per access (as if
 * every stream read as this one does with @act) or what the others took
 * in per access since the stream's last decision, whichever is more.
 * Many files, each small enough for the cache, read at random together:
 * reading each whole pays for one alone and is waste for all.
 *
 * Return: the application's time over them, less the disk time of pages
 * read for the stream's later accesses (used_later()), plus SIM_WASTE_NS
 * for each page read and used by none of them, in nanoseconds.
 */
double sim_what_if(struct sim *s, struct sim_stream *st,
		   const struct sim_action *act, const struct sim_disk *disk)
{
	struct sim_stream saved_st = *st;
	struct sim_totals saved_t = s->t;
	struct sim_disk saved_disk = s->cfg.disk;
	double now = s->now, disk_free = s->disk_free, cost, others;
	unsigned long n = 0, pages = 0, end = 0;
	u32 i, k;

	s->what_if = true;
	s->cfg.disk = *disk;
	/*
	 * As if the stream had always had that window: the kernel never
	 * shrinks a sequential window it has grown (ondemand_readahead()
	 * keeps the larger size), so "keep" would otherwise look as good as
	 * the window that grew it.
	 */
	st->ra_pages = act->window;
	if (st->size > act->window)
		st->size = act->window;
	if (st->async_size > st->size)
		st->async_size = st->size;
	st->pf_kind = act->prefetch;
	s->wi_first = st->current;
	others = others_since_decision(s, st);
	s->wi_others = others > 0 ? (s->clock - st->mark_clock - st->taken +
				     st->mark_taken) / others : 0;
	s->wi_own = 0;
	s->wi_accesses = 0;
	s->wi_added = 0;
	s->wi_turn = 0;
	for (i = st->current; i != ~0U && n < 512 && (n < 64 || pages < 512) &&
	     s->scratch_used < SIM_SCRATCH / 2; i = s->next_of[i], n++) {
		what_if_at(s, i);
		sim_access(s, st, &s->rec[i], false);
		s->wi_accesses++;
		pages += s->rec[i].pages;
		end = s->rec[i].index + (s->rec[i].pages ? s->rec[i].pages : 1);
	}
	cost = s->now - now - used_later(s, st, i, end);
	for (k = 0; k < s->scratch_used; k++) {
		struct sim_page *p = &s->pool[s->cfg.cache_pages + 1 + k];

		if ((p->flags & (PG_NEW | PG_USED)) == PG_NEW)
			cost += SIM_WASTE_NS;
	}
	while (s->n_undo) {
		struct undo *u = &s->undo[--s->n_undo];

		*file_slot(s, u->file, u->index) = u->slot;
	}
	s->scratch_used = 0;
	s->what_if = false;
	s->cfg.disk = saved_disk;
	s->now = now;
	s->disk_free = disk_free;
	s->t = saved_t;
	*st = saved_st;
	return cost;
}

/**
 * sim_model_init() - mlra's policy with a model blob
 * @mp: filled in; the packed weights are allocated and kept until exit
 * @blob: the blob
 * @len: its size
 *
 * Return: 0, or the parser's error (mlra_model_strerror()).
 */
int sim_model_init(struct sim_model *mp, const u8 *blob, size_t len)
{
	int err = mlra_model_parse(&mp->m, blob, len), i;

	if (err)
		return err;
	mlra_model_pack(&mp->m, blob,
			xrealloc(NULL, mlra_model_packed_size(&mp->m)));
	for (i = 0; i < mp->m.n_classes; i++)
		mlra_action_parse(mp->m.class_name[i], &mp->actions[i]);
	return 0;
}

/* The policy's knobs for @st: the module's defaults (src/knobs.c). */
static struct mlra_policy_params sim_params(struct sim_stream *st)
{
	return (struct mlra_policy_params){
		.min_ra_kb = MLRA_DEFAULT_MIN_RA_KB,
		.max_ra_kb = MLRA_DEFAULT_MAX_RA_KB,
		.min_confidence = MLRA_DEFAULT_MIN_CONFIDENCE,
		.hysteresis = MLRA_HYSTERESIS,
		.mapped = mlra_history_last(&st->history)->kind ==
			  MLRA_ACCESS_FAULT,
	};
}

/*
 * mlra_stream_spread(), with the page cache for memory. A stream is
 * counted until the log ends: the simulator forgets none.
 */
static bool sim_spread(struct sim *s, struct sim_stream *st, bool scattered)
{
	u32 pages = scattered ? s->files[st->file].size_pages : 0;

	s->spread_pages += pages;
	s->spread_pages -= st->spread_pages;
	st->spread_pages = pages;
	return scattered && s->spread_pages > s->cfg.cache_pages;
}

/*
 * What the module decides: mlra_infer(), then mlra_policy_decide(), with
 * the largest window for the replay's disk (mlra_policy_max_kb()). The
 * oracle's labels are the classes' actions under the knobs alone: the
 * module clamps whichever class wins.
 */
unsigned int sim_model_decide(void *ctx, struct sim *s, struct sim_stream *st,
			      const s32 *f)
{
	struct sim_model *mp = ctx;
	struct mlra_policy_params pp = sim_params(st);
	struct mlra_prediction p;
	u32 window;

	pp.max_ra_kb = mlra_policy_max_kb(pp.min_ra_kb, pp.max_ra_kb,
					  st->own_pages, s->cfg.disk.nonrot);
	pp.spread = sim_spread(s, st, mlra_features_scattered(&st->history, f));
	mlra_infer(&mp->m, f, &p);
	window = mlra_policy_decide(&pp, mp->actions, &p, st->own_pages,
				    &st->policy);
	st->pf_kind = mlra_policy_prefetch(&pp, mp->actions, &st->policy);
	return window;
}

/*
 * The oracle with SIM_CLASSES, labelling for the replay's @disk. One that
 * says it does not rotate is labelled for alone. One that rotates, or may
 * (virtio-blk says it does whatever it stands on), gets labels that are
 * not slower than the kernel on the cloud disk nor on hdd.
 */
void sim_oracle_init(struct sim_oracle *o, const struct sim_disk *disk)
{
	static const char * const names[] = { SIM_CLASSES };
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < ARRAY_SIZE(names); i++)
		mlra_action_parse(names[i], &o->actions[i]);
	o->n_classes = ARRAY_SIZE(names);
	if (disk->nonrot) {
		o->disks[0] = *disk;
		o->n_disks = 1;
		return;
	}
	sim_disk_profile("cloud", &o->disks[0]);
	sim_disk_profile("hdd", &o->disks[1]);
	o->n_disks = 2;
}

/**
 * sim_oracle_decide() - the label: the cheapest action in hindsight
 * @ctx: a struct sim_oracle
 * @s: the simulator, replaying a log with sim_replay()
 * @st: the stream at a decision point
 * @f: its features, passed to the oracle's sample callback with the label
 *
 * Each action is tried on each of the oracle's disks (sim_what_if()). An
 * action costing more than "keep" by over SIM_KEEP_MARGIN on any disk is
 * out: where the model cannot tell the disks apart, it must not be slower
 * than the kernel on any. Of the others, the label is the one whose cost relative
 * to "keep", summed over the disks, is least; then the first class, in
 * class order, within SIM_KEEP_MARGIN of it: "keep" (class 0) unless
 * another saves more than that (where the gain is small, the kernel
 * decides), then the smaller windows, so that near-ties do not make labels
 * flip between neighbouring windows. Under the oracle, stride prefetch
 * reads each stride alone, where the module reads through short gaps on a
 * disk that says it rotates (MLRA_PF_GAP_PAGES): a label of "stride" is earned
 * the slower way, and the gaps read through, which no access uses, do not
 * weigh against it.
 *
 * Return: the window of the action chosen.
 */
unsigned int sim_oracle_decide(void *ctx, struct sim *s, struct sim_stream *st,
			       const s32 *f)
{
	struct sim_oracle *o = ctx;
	double cost[MLRA_MAX_CLASSES] = { 0 }, keep, rel;
	bool out[MLRA_MAX_CLASSES] = { false };
	struct sim_action act[MLRA_MAX_CLASSES];
	struct mlra_policy_params pp = sim_params(st);
	int c, d, best = 0;

	for (c = 0; c < o->n_classes; c++) {
		act[c].window = mlra_action_window(&pp, &o->actions[c],
						   st->own_pages);
		act[c].prefetch = o->actions[c].prefetch;
	}
	for (d = 0; d < o->n_disks; d++) {
		keep = sim_what_if(s, st, &act[0], &o->disks[d]);
		for (c = 1; c < o->n_classes; c++) {
			rel = sim_what_if(s, st, &act[c], &o->disks[d]) /
			      (keep > 0 ? keep : 1);
			out[c] |= rel > 1 + SIM_KEEP_MARGIN;
			cost[c] += rel;
		}
	}
	cost[0] = o->n_disks;
	for (c = 1; c < o->n_classes; c++)
		if (!out[c] && cost[c] < cost[best])
			best = c;
	for (c = 0; c < best; c++)
		if (!out[c] && cost[c] <= cost[best] + o->n_disks * SIM_KEEP_MARGIN)
			break;
	best = c;
	if (o->sample)
		o->sample(o->sample_ctx, f, best);
	if (o->observe)
		return st->ra_pages;
	st->pf_kind = act[best].prefetch;
	return act[best].window;
}

void sim_finish(struct sim *s, struct sim_totals *t)
{
	struct mlra_prefetch_acct acct = { 0 };
	u32 i;

	/* As the module does when it forgets a stream. */
	for (i = 0; i < s->n_streams; i++)
		mlra_prefetch_close(&s->streams[i].pf, &acct);
	s->t.prefetch_used += acct.used;
	s->t.prefetch_wasted += acct.wasted;

	for (i = s->pool[0].next; i; i = s->pool[i].next)
		if ((s->pool[i].flags & (PG_FROM_RA | PG_USED)) == PG_FROM_RA)
			s->t.ra_unused++;
	s->t.time_ns = s->now;
	*t = s->t;
}

/*
 * Each access's next one in its stream, ~0 for the last; in @before, the
 * accesses before each record (t->n + 1 of them).
 */
static u32 *next_accesses(const struct mlra_trace *t, u32 *before)
{
	u32 *next = xrealloc(NULL, t->n * sizeof(*next)), prev;
	struct map last = { 0 };
	size_t i;

	before[0] = 0;
	for (i = 0; i < t->n; i++) {
		const struct mlra_log_record *r = &t->rec[i];

		next[i] = ~0U;
		before[i + 1] = before[i];
		if (r->kind != MLRA_LOG_READ && r->kind != MLRA_LOG_FAULT)
			continue;
		before[i + 1]++;
		if (map_get(&last, r->stream, &prev))
			next[prev] = i;
		map_put(&last, r->stream, i);
	}
	free(last.key);
	free(last.val);
	return next;
}

void sim_replay(const struct sim_config *cfg, const struct mlra_trace *t,
		struct sim_totals *out)
{
	struct sim *s = sim_new(cfg);
	u32 *before = xrealloc(NULL, (t->n + 1) * sizeof(*before));
	u32 *next = next_accesses(t, before);
	size_t i;

	s->rec = t->rec;
	s->n_rec = t->n;
	s->next_of = next;
	s->accesses_before = before;
	for (i = 0; i < t->n; i++)
		sim_event(s, &t->rec[i]);
	sim_finish(s, out);
	sim_free(s);
	free(next);
	free(before);
}
