// SPDX-License-Identifier: GPL-2.0
/*
 * Write a model blob from plain numbers: for the host tools (mlra-model,
 * the trainer), the fuzz corpus and the KUnit tests. Not in the module.
 * It checks only that the blob fits; mlra_model_parse() judges the rest.
 */

#include <mlra/model.h>

struct blob_writer {
	u8 *out;
	size_t cap;
	size_t pos;
};

static void put_bytes(struct blob_writer *w, const void *p, size_t n)
{
	if (w->pos + n <= w->cap)
		memcpy(w->out + w->pos, p, n);
	w->pos += n;
}

static void put_le(struct blob_writer *w, u32 v, size_t n)
{
	u8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put_bytes(w, b, n);
}

/**
 * mlra_model_build() - serialise @s in the blob format
 * @s: the model
 * @out: where to write
 * @cap: bytes available at @out
 *
 * Weight values are truncated to the layer's width, names to their field.
 *
 * Return: the blob's size, or 0 if it does not fit in @cap.
 */
size_t mlra_model_build(const struct mlra_model_spec *s, u8 *out, size_t cap)
{
	struct blob_writer w = { out, cap, 0 };
	static const u8 zeros[MLRA_NAME_LEN];
	u8 n_classes = s->n_layers ? s->layer[s->n_layers - 1].n_out : 0;
	size_t i, j, n_in = s->n_inputs;

	put_le(&w, MLRA_MODEL_MAGIC, 4);
	put_le(&w, MLRA_MODEL_VERSION, 2);
	put_le(&w, 0, 2);
	put_le(&w, 0, 4);		/* size, set below */
	put_le(&w, s->n_inputs, 1);
	put_le(&w, s->n_layers, 1);
	put_le(&w, n_classes, 1);
	put_le(&w, 0, 1);
	put_bytes(&w, s->name, strnlen(s->name, MLRA_NAME_LEN));
	put_bytes(&w, zeros, MLRA_NAME_LEN - strnlen(s->name, MLRA_NAME_LEN));
	for (i = 0; i < s->n_inputs && i < MLRA_MAX_INPUTS; i++) {
		put_le(&w, s->input[i].offset, 4);
		put_le(&w, (u16)s->input[i].scale, 2);
		put_le(&w, s->input[i].shift, 1);
		put_le(&w, 0, 1);
	}
	for (i = 0; i < s->n_layers && i < MLRA_MAX_LAYERS; i++) {
		put_le(&w, s->layer[i].n_out, 1);
		put_le(&w, s->layer[i].activation, 1);
		put_le(&w, s->layer[i].bits, 1);
		put_le(&w, s->layer[i].shift, 1);
	}
	for (i = 0; i < n_classes && i < MLRA_MAX_CLASSES; i++) {
		size_t n = strnlen(s->class_name[i], MLRA_CLASS_NAME_LEN);

		put_bytes(&w, s->class_name[i], n);
		put_bytes(&w, zeros, MLRA_CLASS_NAME_LEN - n);
	}
	for (i = 0; i < s->n_layers && i < MLRA_MAX_LAYERS; i++) {
		size_t n_out = s->layer[i].n_out, bytes = s->layer[i].bits / 8;
		size_t weights = n_out * n_in * bytes;

		for (j = 0; j < n_out; j++)
			put_le(&w, s->layer[i].bias[j], 4);
		for (j = 0; j < n_out * n_in; j++)
			put_le(&w, s->layer[i].weight[j], bytes);
		put_bytes(&w, zeros, ((weights + 3) & ~(size_t)3) - weights);
		n_in = n_out;
	}
	if (w.pos + 4 > cap)
		return 0;
	out[8] = w.pos + 4;
	out[9] = (w.pos + 4) >> 8;
	out[10] = (w.pos + 4) >> 16;
	out[11] = (w.pos + 4) >> 24;
	put_le(&w, mlra_crc32(out, w.pos), 4);
	return w.pos;
}
