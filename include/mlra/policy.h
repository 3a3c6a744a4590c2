/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From the model's answer to a readahead window, with hysteresis, a
 * confidence floor and the administrator's clamps. Pure C, shared by the
 * module, KUnit and the host tools (src/policy.c).
 *
 * A model's class names are its actions:
 *   "keep"     the kernel's own window for the file (as at open)
 *   "off"      window 0: no readahead, no mmap read-around
 *   "raN"      a window of N KiB, N a positive multiple of the page size
 *   "rev"      the kernel's own window, and prefetch before a stream that
 *              reads backwards (mlra_prefetch_plan())
 *   "stride"   prefetch the next strides of a stream that steps over
 *              gaps (short gaps on a disk that rotates read through, as
 *              one range, while the guard lets the window stand: see
 *              mlra_prefetch_gap()), with the largest window
 *              (mlra_policy_max_kb()) for read():
 *              where the kernel reads each stride alone it does not
 *              use the window, where its window reads through the gaps
 *              (small ones) the larger one takes fewer requests. For a
 *              mapping, the kernel's own window: it reads the window
 *              around every fault it serves.
 * For a file whose window the kernel ignores (a RANDOM hint mlra may
 * override), a window larger than 0, and "stride", become prefetch of the
 * pages after a stream that reads forwards: the kernel would read none.
 * Any other name means "keep": where mlra cannot tell, the kernel decides.
 */
#ifndef _MLRA_POLICY_H
#define _MLRA_POLICY_H

#include <mlra/features.h>
#include <mlra/model.h>

/*
 * The module's knobs as it starts (src/knobs.c), and the policy's fixed
 * hysteresis: the simulator (scripts/sim.c) decides with the same values.
 */
#define MLRA_DEFAULT_MIN_RA_KB		0
#define MLRA_DEFAULT_MAX_RA_KB		4096
#define MLRA_DEFAULT_MIN_CONFIDENCE	64
#define MLRA_DEFAULT_DECISION_INTERVAL	16
#define MLRA_DEFAULT_PREFETCH_MAX_KB	2048
#define MLRA_DEFAULT_PREFETCH_INFLIGHT_KB	16384
/* A new choice must win this many decisions in a row to take effect. */
#define MLRA_HYSTERESIS			2
/*
 * The smallest window mlra gives a stream read through a mapping (or the
 * file's own, if smaller): there the window is the read-around of every
 * fault, and a fault does not say how much the application will touch
 * (fault-around hides it), so a smaller one can turn each access of a
 * few pages into a fault, and a disk request, a page.
 */
#define MLRA_MAPPED_MIN_KB		64
/*
 * The largest window mlra sets on a disk that says it does not rotate,
 * whatever max_ra_kb allows (mlra_policy_max_kb()). There a request's own
 * cost is small against the transfer of a window this large, so a larger
 * one saves little time, and it reads further past the end of each
 * sequential run: pages the reader never uses. Never below the file's
 * own window or min_ra_kb.
 */
#define MLRA_NONROT_MAX_KB		2048

/* No class in force: the kernel's own window. */
#define MLRA_NO_CLASS	0xff

enum mlra_prefetch_kind {
	MLRA_PF_NONE,
	MLRA_PF_REVERSE,
	MLRA_PF_STRIDE,
	MLRA_PF_FORWARD,
};

/**
 * struct mlra_action - what a class asks for
 * @keep: leave the kernel's window
 * @window_kb: otherwise, the window in KiB (unless @prefetch)
 * @prefetch: enum mlra_prefetch_kind; with one, the kernel's own window
 */
struct mlra_action {
	bool keep;
	u32 window_kb;
	u8 prefetch;
};

/**
 * struct mlra_policy_params - the knobs the policy reads
 * @min_ra_kb: smallest window mlra sets (the kernel's own stays as it is)
 * @max_ra_kb: largest window mlra sets
 * @min_confidence: below this, the answer counts as the kernel's own window
 *	(except as @spread says)
 * @hysteresis: decisions in a row a new choice must win to take effect
 * @no_window: the kernel reads nothing ahead for the file (a RANDOM hint
 *	mlra may override): a window becomes forward prefetch
 * @mapped: the stream's last access was a fault on a mapping, where the
 *	window is what the kernel reads around every fault it serves
 * @spread: the stream's faults are scattered (mlra_features_scattered())
 *	over files that, with those of other streams so read, are larger
 *	than memory: for a mapping, a smaller window the model answers is
 *	taken below the confidence floor too, a larger one never; where
 *	@no_window, nothing below the floor and no window, which would be
 *	forward prefetch (mlra_policy_decide())
 */
struct mlra_policy_params {
	u32 min_ra_kb;
	u32 max_ra_kb;
	s32 min_confidence;
	u8 hysteresis;
	bool no_window;
	bool mapped;
	bool spread;
};

/**
 * struct mlra_policy_state - a stream's policy memory, 3 bytes
 * @applied: class whose action is in force, or MLRA_NO_CLASS
 * @candidate: class that won the last decisions, or MLRA_NO_CLASS
 * @streak: how many in a row
 */
struct mlra_policy_state {
	u8 applied;
	u8 candidate;
	u8 streak;
};

/**
 * struct mlra_prefetch_state - a stream's prefetch memory, 24 bytes
 * @edge: reverse: the first page asked for so far; forward: the first
 *	page past them; stride: the next position not asked for yet
 * @last: the reader's last access in the area asked for (forward: the
 *	page past its furthest)
 * @asked: pages asked for in the area
 * @step: stride: the step, in pages (negative: backwards)
 * @size: reverse, forward: pages of the last request; stride: strides
 *	asked ahead
 * @pages: stride: pages of each range
 * @hold: accesses left without prefetch (backing off)
 * @kind: what the fields above belong to; MLRA_PF_NONE: no area
 * @backoff: areas in a row that were mostly wasted
 * @strayed: the last access was outside the area (a detour: the next one
 *	outside it leaves it)
 *
 * An area is what one run of the pattern asks for. When the reader leaves
 * it (or the prefetch stops), the pages asked for and never reached are
 * wasted, the others used; an area under MLRA_PF_GOOD used holds prefetch
 * back for 16 << @backoff accesses, @backoff growing to MLRA_PF_MAX_BACKOFF.
 */
struct mlra_prefetch_state {
	u32 edge;
	u32 last;
	u32 asked;
	s32 step;
	u16 size;
	u16 pages;
	u16 hold;
	u8 kind;
	u8 backoff:7;
	u8 strayed:1;
};

/**
 * struct mlra_prefetch_acct - pages of areas that ended, by outcome
 * @used: reached by the reader
 * @wasted: never reached
 */
struct mlra_prefetch_acct {
	u32 used;
	u32 wasted;
};

/* An area is good with this share of its pages used, in 1/4ths. */
#define MLRA_PF_GOOD		3
#define MLRA_PF_MAX_BACKOFF	6

/**
 * struct mlra_prefetch_range - read pages [start, start + pages) soon
 */
struct mlra_prefetch_range {
	u32 start;
	u32 pages;
};

/* Ranges one access may ask for. */
#define MLRA_PF_MAX_RANGES	4
/* Strides asked ahead when a stride stream starts. */
#define MLRA_PF_STRIDES		4
/*
 * The longest gap between strides (the step less the access) that a disk
 * which says it rotates reads through rather than ask for each stride
 * alone: on a disk, a request costs a seek, hundreds of pages' time; a
 * virtual disk says it rotates whatever it stands on, and a cloud
 * volume's request (3000 a second at 125 MB/s, as scripts/lib.sh's cloud
 * profile, which says it does not rotate, so no benchmark here measures
 * this case) is worth about 40 KiB. On an SSD a request is worth less
 * than the gap: a disk that says it does not rotate, or a file on no
 * block device, reads each stride alone.
 */
#define MLRA_PF_GAP_KB		32
#define MLRA_PF_GAP_PAGES	(MLRA_PF_GAP_KB >> (MLRA_PAGE_SHIFT - 10))

void mlra_action_parse(const char *name, struct mlra_action *a);
u32 mlra_policy_max_kb(u32 min_ra_kb, u32 max_ra_kb, u32 own_pages,
		       bool nonrot);
u32 mlra_action_window(const struct mlra_policy_params *pp,
		       const struct mlra_action *a, u32 original_pages);
u8 mlra_policy_prefetch(const struct mlra_policy_params *pp,
			const struct mlra_action *actions,
			const struct mlra_policy_state *st);
void mlra_prefetch_close(struct mlra_prefetch_state *ps,
			 struct mlra_prefetch_acct *acct);
u32 mlra_prefetch_gap(bool rotates, bool thrashing, bool overridden);
int mlra_prefetch_plan(struct mlra_prefetch_state *ps, u8 kind,
		       const struct mlra_history *h, u64 file_pages,
		       u32 max_pages, u32 gap_pages,
		       struct mlra_prefetch_range *out,
		       struct mlra_prefetch_acct *acct);
void mlra_policy_reset(struct mlra_policy_state *st);
u32 mlra_policy_decide(const struct mlra_policy_params *pp,
		       const struct mlra_action *actions,
		       const struct mlra_prediction *p, u32 original_pages,
		       struct mlra_policy_state *st);

#endif /* _MLRA_POLICY_H */
