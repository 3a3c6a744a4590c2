// SPDX-License-Identifier: GPL-2.0
/*
 * The policy: the model's class and confidence become a readahead window,
 * changed only after a choice holds for several decisions, never below the
 * confidence floor, always within the administrator's clamps. Pure C.
 */

#include <mlra/policy.h>

/**
 * mlra_action_parse() - the action a class name stands for
 * @name: a class name from the model
 * @a: the action; "keep" for any name that is not an action
 */
void mlra_action_parse(const char *name, struct mlra_action *a)
{
	u32 kb = 0;
	const char *p;

	a->keep = true;
	a->window_kb = 0;
	if (!strcmp(name, "off")) {
		a->keep = false;
		return;
	}
	if (strncmp(name, "ra", 2) || !name[2] || name[2] == '0')
		return;
	for (p = name + 2; *p; p++) {
		if (*p < '0' || *p > '9' || kb > 1000000)
			return;
		kb = kb * 10 + (*p - '0');
	}
	if (kb % (1 << (MLRA_PAGE_SHIFT - 10)))
		return;
	a->keep = false;
	a->window_kb = kb;
}

/**
 * mlra_policy_reset() - forget every decision: the kernel's window stands
 * @st: the stream's policy state
 */
void mlra_policy_reset(struct mlra_policy_state *st)
{
	st->applied = MLRA_NO_CLASS;
	st->candidate = MLRA_NO_CLASS;
	st->streak = 0;
}

static u32 clamp_kb(u32 kb, const struct mlra_policy_params *pp)
{
	if (kb < pp->min_ra_kb)
		return pp->min_ra_kb;
	if (kb > pp->max_ra_kb)
		return pp->max_ra_kb;
	return kb;
}

/**
 * mlra_policy_decide() - one decision for a stream
 * @pp: the knobs
 * @actions: the action of each of the model's classes
 * @p: the model's answer, or NULL if no model is loaded
 * @original_pages: the file's own window, as the kernel set it at open
 * @st: the stream's policy state, updated
 *
 * An answer below the confidence floor counts as a vote for the kernel's
 * own window. A new choice takes effect once it has won pp->hysteresis
 * decisions in a row (at least one); until then the one in force stays.
 * With no model, the kernel's window is restored at once.
 *
 * Return: the window the file should have, in pages.
 */
u32 mlra_policy_decide(const struct mlra_policy_params *pp,
		       const struct mlra_action *actions,
		       const struct mlra_prediction *p, u32 original_pages,
		       struct mlra_policy_state *st)
{
	u8 choice = MLRA_NO_CLASS;
	const struct mlra_action *a;

	if (!p) {
		mlra_policy_reset(st);
		return original_pages;
	}
	if (p->confidence >= pp->min_confidence && !actions[p->class].keep)
		choice = p->class;

	if (choice != st->candidate) {
		st->candidate = choice;
		st->streak = 0;
	}
	if (st->streak < 255)
		st->streak++;
	if (st->streak >= pp->hysteresis)
		st->applied = choice;

	if (st->applied == MLRA_NO_CLASS)
		return original_pages;
	a = &actions[st->applied];
	return clamp_kb(a->window_kb, pp) >> (MLRA_PAGE_SHIFT - 10);
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/policy-kunit.h"
#endif
