// SPDX-License-Identifier: GPL-2.0
/*
 * Parse and validate a model blob (format in
 * include/uapi/linux/mlra_model.h), and pack its weights for the engine.
 * Pure C: the same file builds into the module, KUnit, the host tools and
 * the fuzz target.
 */

#include <mlra/model.h>

static const char * const mlra_model_errors[MLRA_EMODEL_NR] = {
	[0] = "valid",
	[MLRA_EMODEL_TRUNCATED] = "truncated: shorter than its header or size field",
	[MLRA_EMODEL_TOO_LARGE] = "larger than 16384 bytes",
	[MLRA_EMODEL_MAGIC] = "bad magic: not an mlra model",
	[MLRA_EMODEL_VERSION] = "unknown format version",
	[MLRA_EMODEL_SIZE] = "size field or section sizes disagree with the length",
	[MLRA_EMODEL_CRC] = "CRC-32 mismatch",
	[MLRA_EMODEL_RESERVED] = "reserved field or padding not zero",
	[MLRA_EMODEL_SHAPE] = "input, layer or class count out of range",
	[MLRA_EMODEL_NAME] = "model or class name not printable or not terminated",
	[MLRA_EMODEL_INPUT] = "input scaling out of range",
	[MLRA_EMODEL_LAYER] = "layer units, activation, weight bits or shift out of range",
	[MLRA_EMODEL_CLASSES] = "last layer width differs from the class count",
	[MLRA_EMODEL_RANGE] = "weights too large: a sum could leave the exact s32 range",
};

/**
 * mlra_model_strerror() - describe a result of mlra_model_parse()
 * @err: 0 or a negative enum mlra_model_error
 *
 * Return: a constant string.
 */
const char *mlra_model_strerror(int err)
{
	if (err > 0 || -err >= MLRA_EMODEL_NR)
		return "unknown error";
	return mlra_model_errors[-err];
}

static s32 get_weight(const u8 *p, u8 bits)
{
	return bits == 8 ? (s8)p[0] : (s16)get_unaligned_le16(p);
}

/* A NUL-terminated, NUL-padded, non-empty printable name in @len bytes. */
static bool name_ok(const u8 *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	if (i == 0 || i == len)
		return false;
	while (i < len && !p[i])
		i++;
	return i == len;
}

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Bytes of a layer's biases, weights and padding. */
static size_t layer_bytes(const struct mlra_layer *l)
{
	return 4 * l->n_out + align4((size_t)l->n_out * l->n_in * (l->bits / 8));
}

/* The rounding a unit adds before its shift: 2^(shift - 1), or 0. */
static s64 round_half(u8 shift)
{
	return shift ? 1LL << (shift - 1) : 0;
}

/* Every unit's |bias| + rounding + 32768 * sum |w| stays below 2^31. */
static bool layer_exact(const struct mlra_layer *l, const u8 *blob)
{
	const u8 *w = blob + l->blob_weights;
	int i, j;

	for (i = 0; i < l->n_out; i++) {
		s64 bias = (s32)get_unaligned_le32(blob + l->blob_bias + 4 * i);
		s64 sum = 0;

		for (j = 0; j < l->n_in; j++, w += l->bits / 8) {
			s32 v = get_weight(w, l->bits);

			sum += v < 0 ? -(s64)v : v;
		}
		if ((bias < 0 ? -bias : bias) + round_half(l->shift) +
		    32768 * sum >= 0x80000000LL)
			return false;
	}
	return true;
}

/**
 * mlra_model_parse() - validate a blob and describe it
 * @m: filled in on success; undefined on error
 * @blob: the blob
 * @len: its length in bytes
 *
 * Reads nothing outside [@blob, @blob + @len), whatever the blob says.
 * The result must be packed with mlra_model_pack() before inference.
 *
 * Return: 0, or a negative enum mlra_model_error.
 */
int mlra_model_parse(struct mlra_model *m, const u8 *blob, size_t len)
{
	size_t pos, i, n_in;

	if (len > MLRA_MODEL_MAX_SIZE)
		return -MLRA_EMODEL_TOO_LARGE;
	if (len < MLRA_HEADER_SIZE + 4)
		return -MLRA_EMODEL_TRUNCATED;
	if (get_unaligned_le32(blob) != MLRA_MODEL_MAGIC)
		return -MLRA_EMODEL_MAGIC;
	if (get_unaligned_le16(blob + 4) != MLRA_MODEL_VERSION)
		return -MLRA_EMODEL_VERSION;
	m->size = get_unaligned_le32(blob + 8);
	if (m->size > len)
		return -MLRA_EMODEL_TRUNCATED;
	if (m->size != len)
		return -MLRA_EMODEL_SIZE;
	m->crc = get_unaligned_le32(blob + len - 4);
	if (mlra_crc32(blob, len - 4) != m->crc)
		return -MLRA_EMODEL_CRC;
	if (get_unaligned_le16(blob + 6) || blob[15])
		return -MLRA_EMODEL_RESERVED;

	m->n_inputs = blob[12];
	m->n_layers = blob[13];
	m->n_classes = blob[14];
	if (m->n_inputs < 1 || m->n_inputs > MLRA_MAX_INPUTS ||
	    m->n_layers < 1 || m->n_layers > MLRA_MAX_LAYERS ||
	    m->n_classes < MLRA_MIN_CLASSES || m->n_classes > MLRA_MAX_CLASSES)
		return -MLRA_EMODEL_SHAPE;
	if (!name_ok(blob + 16, MLRA_NAME_LEN))
		return -MLRA_EMODEL_NAME;
	memcpy(m->name, blob + 16, MLRA_NAME_LEN);

	/* Descriptors: bounded by the shape checks, well inside 16 KiB. */
	pos = MLRA_HEADER_SIZE;
	if (pos + m->n_inputs * MLRA_INPUT_SIZE +
	    m->n_layers * MLRA_LAYER_SIZE +
	    m->n_classes * MLRA_CLASS_NAME_LEN + 4 > len)
		return -MLRA_EMODEL_SIZE;
	for (i = 0; i < m->n_inputs; i++, pos += MLRA_INPUT_SIZE) {
		struct mlra_input_scale *in = &m->input[i];

		in->offset = (s32)get_unaligned_le32(blob + pos);
		in->scale = (s16)get_unaligned_le16(blob + pos + 4);
		in->shift = blob[pos + 6];
		if (blob[pos + 7])
			return -MLRA_EMODEL_RESERVED;
		if (in->shift > 31)
			return -MLRA_EMODEL_INPUT;
	}
	n_in = m->n_inputs;
	for (i = 0; i < m->n_layers; i++, pos += MLRA_LAYER_SIZE) {
		struct mlra_layer *l = &m->layer[i];

		l->n_in = n_in;
		l->n_in_padded = (n_in + 7) & ~7;
		l->n_out = blob[pos];
		l->activation = blob[pos + 1];
		l->bits = blob[pos + 2];
		l->shift = blob[pos + 3];
		l->packed = NULL;
		if (l->n_out < 1 || l->n_out > MLRA_MAX_UNITS ||
		    l->activation >= MLRA_NR_ACTS ||
		    (l->bits != 8 && l->bits != 16) || l->shift > 31)
			return -MLRA_EMODEL_LAYER;
		n_in = l->n_out;
	}
	if (m->layer[m->n_layers - 1].n_out != m->n_classes)
		return -MLRA_EMODEL_CLASSES;
	for (i = 0; i < m->n_classes; i++, pos += MLRA_CLASS_NAME_LEN) {
		if (!name_ok(blob + pos, MLRA_CLASS_NAME_LEN))
			return -MLRA_EMODEL_NAME;
		memcpy(m->class_name[i], blob + pos, MLRA_CLASS_NAME_LEN);
	}

	/* Parameters: at most 4 * 64 * 64 * 2 bytes, so no sum overflows. */
	for (i = 0; i < m->n_layers; i++) {
		struct mlra_layer *l = &m->layer[i];
		size_t end, data;

		if (pos + layer_bytes(l) + 4 > len)
			return -MLRA_EMODEL_SIZE;
		l->blob_bias = pos;
		l->blob_weights = pos + 4 * l->n_out;
		data = l->blob_weights + (size_t)l->n_out * l->n_in * (l->bits / 8);
		end = pos + layer_bytes(l);
		for (; data < end; data++)
			if (blob[data])
				return -MLRA_EMODEL_RESERVED;
		pos = end;
	}
	if (pos + 4 != len)
		return -MLRA_EMODEL_SIZE;

	for (i = 0; i < m->n_layers; i++)
		if (!layer_exact(&m->layer[i], blob))
			return -MLRA_EMODEL_RANGE;
	return 0;
}

static size_t layer_packed_count(const struct mlra_layer *l)
{
	size_t pairs = (l->n_out + 1) / 2;

	return pairs + pairs * l->n_in_padded;
}

/**
 * mlra_model_packed_size() - bytes mlra_model_pack() needs for @m
 * @m: a model that mlra_model_parse() accepted
 *
 * Return: at most 4 * 32 * (64 + 1) * 8 bytes, about 65 KiB.
 */
size_t mlra_model_packed_size(const struct mlra_model *m)
{
	size_t n = 0;
	int i;

	for (i = 0; i < m->n_layers; i++)
		n += layer_packed_count(&m->layer[i]);
	return n * sizeof(s64);
}

/* Two values in one s64: hi * 2^32 + lo, both recoverable exactly. */
static s64 pack_pair(s32 hi, s32 lo)
{
	return (s64)hi * 0x100000000LL + lo;
}

/**
 * mlra_model_pack() - lay out @m's weights for mlra_infer()
 * @m: a model that mlra_model_parse() accepted from @blob
 * @blob: the same blob
 * @packed: mlra_model_packed_size(@m) bytes, kept as long as @m is used
 *
 * Units 2k and 2k+1 of a layer share one s64 per input: the weight of 2k
 * in the high half, that of 2k+1 in the low. An odd last unit pairs with
 * a unit of zeros; rows end in zeros up to n_in_padded, so the engine's
 * loop needs no tail. The biases carry the rounding before the shift.
 */
void mlra_model_pack(struct mlra_model *m, const u8 *blob, s64 *packed)
{
	int i, k, j;

	for (i = 0; i < m->n_layers; i++) {
		struct mlra_layer *l = &m->layer[i];
		const u8 *bias = blob + l->blob_bias;
		const u8 *w = blob + l->blob_weights;
		size_t row = (size_t)l->n_in * (l->bits / 8);
		int pairs = (l->n_out + 1) / 2;

		l->packed = packed;
		for (k = 0; k < pairs; k++) {
			bool odd = 2 * k + 1 == l->n_out;
			s32 lo = odd ? 0 : (s32)get_unaligned_le32(bias + 4 * (2 * k + 1));

			*packed++ = pack_pair((s32)get_unaligned_le32(bias + 8 * k) +
					      round_half(l->shift),
					      lo + round_half(l->shift));
		}
		for (k = 0; k < pairs; k++) {
			const u8 *hi_row = w + 2 * k * row;
			bool odd = 2 * k + 1 == l->n_out;

			for (j = 0; j < l->n_in; j++) {
				const u8 *p = hi_row + j * (l->bits / 8);
				s32 lo = odd ? 0 : get_weight(p + row, l->bits);

				*packed++ = pack_pair(get_weight(p, l->bits), lo);
			}
			for (; j < l->n_in_padded; j++)
				*packed++ = 0;
		}
	}
}

#ifdef CONFIG_MLRA_KUNIT_TEST
#include "../tests/model-kunit.h"
#endif
