/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A file's recent accesses and the integer features the model reads,
 * shared by the module, KUnit and the host tools: the trainer sees the
 * features the kernel computes, from the one implementation in
 * src/features.c.
 *
 * Units. "Share" is Q10: 1024 means every access of the ring, 0 none.
 * "log2" is Q4: 16 * log2(x), with four fraction bits (x = 0 gives 0).
 * Pages are the kernel's page-cache pages (4 KiB on x86-64).
 */
#ifndef _MLRA_FEATURES_H
#define _MLRA_FEATURES_H

#include <mlra/types.h>

/* Accesses a stream remembers: the features look this far back. */
#define MLRA_RING		16
/* A jump of at most this many pages still counts as "near". */
#define MLRA_NEAR_PAGES		32

enum mlra_access_kind {
	MLRA_ACCESS_READ,	/* read(), pread(), readv() ... */
	MLRA_ACCESS_FAULT,	/* a page fault on a file mapping */
	MLRA_NR_ACCESS_KINDS,
};

/**
 * struct mlra_access - one access, 8 bytes
 * @index: first page, modulo 2^32 (jumps are computed modulo 2^32 too, so
 *	files up to 16 TiB are exact)
 * @pages: pages asked for, at least 1, saturated at 65535
 * @kind: enum mlra_access_kind
 * @miss: 1 if the access found its first page missing from the cache
 */
struct mlra_access {
	u32 index;
	u16 pages;
	u8 kind;
	u8 miss;
};

/**
 * struct mlra_history - the last MLRA_RING accesses of a stream, 130 bytes
 * @ring: the accesses, oldest overwritten first
 * @head: where the next access goes
 * @count: accesses held, at most MLRA_RING
 */
struct mlra_history {
	struct mlra_access ring[MLRA_RING];
	u8 head;
	u8 count;
};

/**
 * mlra_history_recent() - an access held, counted back from the newest
 * @h: the history
 * @n: 1 for the newest, up to @h->count for the oldest held
 *
 * Return: the access.
 */
static inline const struct mlra_access *
mlra_history_recent(const struct mlra_history *h, unsigned int n)
{
	return &h->ring[(h->head + MLRA_RING - n) % MLRA_RING];
}

/**
 * enum mlra_feature - the model's inputs, in this order
 * @MLRA_F_SEQ: share of accesses that start where the previous one ended,
 *	or on its last page and after its first (reads that are not page
 *	multiples share the page where one ends and the next begins)
 * @MLRA_F_FORWARD: share that jump forward by 1 to MLRA_NEAR_PAGES pages
 *	past the previous one's end
 * @MLRA_F_REVERSE: share that end where the previous one started, or on
 *	its first page while starting before it, or up to MLRA_NEAR_PAGES
 *	pages before it
 * @MLRA_F_STRIDE_SHARE: share of steps (start to start) equal to the last
 *	step, when that step is neither 0 nor back to back (@MLRA_F_SEQ)
 * @MLRA_F_STRIDE: that step, signed log2 of its pages (Q4); 0 when none
 * @MLRA_F_SIZE: log2 of the mean pages an access asks for (Q4)
 * @MLRA_F_JUMP: mean log2 of 1 + |pages between the previous one's end and
 *	an access's start| (Q4), a shared edge page as in @MLRA_F_SEQ counted 0
 * @MLRA_F_REREAD: share that overlap the previous access by more than the
 *	edge page of @MLRA_F_SEQ and @MLRA_F_REVERSE
 * @MLRA_F_MISS: share that found their first page missing from the cache
 * @MLRA_F_FAULT: share that are page faults rather than reads
 * @MLRA_F_WINDOW: log2 of 1 + the file's current readahead window in pages
 *	(Q4)
 * @MLRA_F_POSITION: where the last access is in the file, Q10 (1024 at
 *	the end); 0 for an empty file
 * @MLRA_F_NONROT: 1024 if the file's block device says it does not rotate
 *	(its queue's "rotational" is 0: no seeks, so small requests cost
 *	little more than large ones), 0 if it rotates or may (the default of
 *	devices that do not know, virtio-blk among them) or the file has no
 *	block device
 * @MLRA_NR_FEATURES: number of features
 *
 * The shares of MISS and FAULT are over the accesses held; the others are
 * over the steps between them (one fewer), and 0 with a single access.
 *
 * "The previous one" of an access, for SEQ, FORWARD, REVERSE, JUMP and
 * REREAD, is the access before it, except where the step from that one
 * is a jump (neither back to back, near forwards or backwards, nor an
 * overlap) and the step from the access before that is not: a run is
 * still a run with a detour between two of its accesses, such as an
 * index lookup at the file's tail between data blocks. STRIDE_SHARE and
 * STRIDE use the steps from start to start of accesses one after the
 * other.
 */
enum mlra_feature {
	MLRA_F_SEQ,
	MLRA_F_FORWARD,
	MLRA_F_REVERSE,
	MLRA_F_STRIDE_SHARE,
	MLRA_F_STRIDE,
	MLRA_F_SIZE,
	MLRA_F_JUMP,
	MLRA_F_REREAD,
	MLRA_F_MISS,
	MLRA_F_FAULT,
	MLRA_F_WINDOW,
	MLRA_F_POSITION,
	MLRA_F_NONROT,
	MLRA_NR_FEATURES,
};

extern const char * const mlra_feature_names[MLRA_NR_FEATURES];

bool mlra_history_add(struct mlra_history *h, const struct mlra_access *a);
struct mlra_access *mlra_history_last(struct mlra_history *h);
void mlra_features(const struct mlra_history *h, u32 window_pages,
		   u64 file_pages, bool nonrot, s32 *f);
s32 mlra_log2_q4(u64 x);
bool mlra_features_scattered(const struct mlra_history *h, const s32 *f);

#endif /* _MLRA_FEATURES_H */
