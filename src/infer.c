// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed-point forward pass: integers only, no allocation, no recursion,
 * bounded work. Pure C, shared by the module, KUnit and the host tools.
 */

#include <mlra/model.h>

static s32 sat16(s64 v)
{
	if (v > 32767)
		return 32767;
	if (v < -32768)
		return -32768;
	return v;
}

/* Arithmetic right shift that rounds half up; see include/mlra/model.h. */
static s64 round_shift(s64 v, u8 shift)
{
	return shift ? (v + (1LL << (shift - 1))) >> shift : v;
}

static s32 unit_output(const struct mlra_layer *l, s64 acc)
{
	s64 y = round_shift(acc, l->shift);

	if (l->activation == MLRA_ACT_RELU && y < 0)
		y = 0;
	return sat16(y);
}

/*
 * One layer. Each s64 of the packed weights carries two units; the
 * validator proved both sums stay in s32, so the low half is exactly the
 * second unit's sum and the rest, shifted down, the first's.
 */
static void layer_forward(const struct mlra_layer *l, const s32 *in, s32 *out)
{
	const s64 *bias = l->packed;
	const s64 *w = bias + (l->n_out + 1) / 2;
	int k, j;

	for (k = 0; 2 * k < l->n_out; k++, w += l->n_in) {
		s64 acc = bias[k];
		s32 lo;

		for (j = 0; j < l->n_in; j++)
			acc += w[j] * in[j];
		lo = (s32)(u32)acc;
		out[2 * k] = unit_output(l, (acc - lo) >> 32);
		if (2 * k + 1 < l->n_out)
			out[2 * k + 1] = unit_output(l, lo);
	}
}

/**
 * mlra_infer() - run a packed model on one feature vector
 * @m: a model parsed by mlra_model_parse() and packed by mlra_model_pack()
 * @features: @m->n_inputs raw feature values
 * @p: the prediction
 *
 * Deterministic: the same model and features give the same prediction on
 * every build. Uses about 512 bytes of stack.
 */
void mlra_infer(const struct mlra_model *m, const s32 *features,
		struct mlra_prediction *p)
{
	s32 buf[2][MLRA_MAX_UNITS];
	s32 *in = buf[0], *out = buf[1], *t;
	int i, best = 0, second = -1;

	for (i = 0; i < m->n_inputs; i++) {
		const struct mlra_input_scale *s = &m->input[i];

		in[i] = sat16(round_shift(((s64)features[i] - s->offset) *
					  s->scale, s->shift));
	}
	for (i = 0; i < m->n_layers; i++) {
		layer_forward(&m->layer[i], in, out);
		t = in;
		in = out;
		out = t;
	}

	for (i = 0; i < m->n_classes; i++) {
		p->logits[i] = in[i];
		if (in[i] > in[best]) {
			second = best;
			best = i;
		} else if (i != best && (second < 0 || in[i] > in[second])) {
			second = i;
		}
	}
	p->class = best;
	p->confidence = in[best] - in[second];
}
