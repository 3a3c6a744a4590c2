// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed-point forward pass: integers only, no allocation, no recursion,
 * bounded work. Pure C, shared by the module, KUnit and the host tools.
 */

#include <mlra/model.h>

static s32 clamp_s32(s64 v, s32 lo, s32 hi)
{
	if (v > hi)
		return hi;
	if (v < lo)
		return lo;
	return v;
}

/* Activations run from -32768 (identity) or 0 (ReLU) to 32767. */
static s32 activation_floor(const struct mlra_layer *l)
{
	return l->activation == MLRA_ACT_RELU ? 0 : -32768;
}

/*
 * The slots after the last value, up to the next multiple of 8, meet zero
 * weights in the next layer but must hold numbers: an odd layer wrote one
 * of them already. Seven stores; the buffers have room.
 */
static void pad_with_zeros(s32 *v, int n)
{
	int i;

	for (i = 0; i < 7; i++)
		v[n + i] = 0;
}

/*
 * One layer. Each s64 of the packed weights carries two units; the
 * validator proved both sums, rounding included, stay in s32, so the low
 * half is exactly the second unit's sum and the rest the first's. Rows
 * are padded with zero weights to a multiple of 8: the loop has no tail,
 * and whatever the padding slots of @in hold adds nothing.
 */
static void layer_forward(const struct mlra_layer *l, const s32 *in, s32 *out)
{
	const s64 *bias = l->packed;
	const s64 *w = bias + (l->n_out + 1) / 2;
	s32 floor = activation_floor(l);
	int k, j;

	for (k = 0; 2 * k < l->n_out; k++, w += l->n_in_padded) {
		s64 acc = bias[k];
		s32 lo;

		for (j = 0; j < l->n_in_padded; j += 8)
			acc += w[j] * in[j] + w[j + 1] * in[j + 1] +
			       w[j + 2] * in[j + 2] + w[j + 3] * in[j + 3] +
			       w[j + 4] * in[j + 4] + w[j + 5] * in[j + 5] +
			       w[j + 6] * in[j + 6] + w[j + 7] * in[j + 7];
		lo = (s32)(u32)acc;
		out[2 * k] = clamp_s32((acc - lo) >> (32 + l->shift), floor,
				       32767);
		out[2 * k + 1] = clamp_s32(lo >> l->shift, floor, 32767);
	}
	pad_with_zeros(out, l->n_out);
}

/**
 * mlra_infer() - run a packed model on one feature vector
 * @m: a model parsed by mlra_model_parse() and packed by mlra_model_pack()
 * @features: @m->n_inputs raw feature values
 * @p: the prediction
 *
 * Deterministic: the same model and features give the same prediction on
 * every build. Uses 568 bytes of stack (gcc -fstack-usage, x86-64).
 */
void mlra_infer(const struct mlra_model *m, const s32 *features,
		struct mlra_prediction *p)
{
	s32 buf[2][MLRA_MAX_UNITS + 7];
	s32 *in = buf[0], *out = buf[1], *t;
	int i, best = 0, second = -1;

	for (i = 0; i < m->n_inputs; i++) {
		const struct mlra_input_scale *s = &m->input[i];
		s64 v = ((s64)features[i] - s->offset) * s->scale;

		if (s->shift)
			v = (v + (1LL << (s->shift - 1))) >> s->shift;
		in[i] = clamp_s32(v, -32768, 32767);
	}
	pad_with_zeros(in, m->n_inputs);
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
