/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlra's model: the blob format shared by the module and the host tools,
 * and the fixed-point engine's API.
 *
 * Blob format, version 1. All fields little-endian, no implicit padding.
 *
 *   offset  size  field
 *   0       4     magic, MLRA_MODEL_MAGIC ("MLRA" in file order)
 *   4       2     version, MLRA_MODEL_VERSION
 *   6       2     reserved, 0
 *   8       4     size of the whole blob in bytes, CRC included
 *   12      1     n_inputs, 1..MLRA_MAX_INPUTS
 *   13      1     n_layers, 1..MLRA_MAX_LAYERS
 *   14      1     n_classes, MLRA_MIN_CLASSES..MLRA_MAX_CLASSES
 *   15      1     reserved, 0
 *   16      32    name: printable ASCII, NUL-terminated, NUL-padded
 *   48            n_inputs input scalings, 8 bytes each:
 *                   s32 offset, s16 scale, u8 shift (0..31), u8 reserved 0;
 *                   the network's input j is
 *                   sat16(round_shift((x_j - offset) * scale, shift))
 *   ...           n_layers layer descriptors, 4 bytes each:
 *                   u8 n_out (1..MLRA_MAX_UNITS), u8 activation
 *                   (enum mlra_activation), u8 weight bits (8 or 16),
 *                   u8 shift (0..31); the last layer has n_classes units
 *   ...           n_classes class names, 16 bytes each: printable ASCII,
 *                   not empty, NUL-terminated, NUL-padded
 *   ...           for each layer: n_out s32 biases, then n_out * n_in
 *                   weights (s8 or s16) row by row (one row an output
 *                   unit), then zero bytes up to a multiple of 4
 *   size - 4 4    CRC-32 (zlib's) of all bytes before it
 *
 * Arithmetic. Activations are s16. A unit computes
 *   acc = bias + sum_j w_j * a_j
 *   y   = sat16(act(round_shift(acc, shift)))
 * with round_shift(v, s) = (v + 2^(s-1)) >> s for s > 0 (arithmetic shift:
 * rounds half up), v for s = 0, and sat16 clamping to [-32768, 32767]. The
 * validator rejects a model in which any unit could reach |acc| + 2^(s-1)
 * >= 2^31: |bias| + 2^(s-1) + 32768 * sum_j |w_j| must stay below 2^31.
 * That bound is what lets the engine pack the weights of two units into one
 * s64 and get both rounded sums from a single multiply-accumulate, exactly,
 * for every possible input.
 *
 * Output. The class is the argmax of the last layer (lowest index on a tie);
 * the confidence is the top logit minus the second, in the last layer's
 * units (the trainer makes that Q8: 256 is one natural-log unit of odds).
 *
 * Bounds. At most MLRA_MAX_INPUTS inputs, MLRA_MAX_LAYERS layers,
 * MLRA_MAX_UNITS units a layer, MLRA_MODEL_MAX_SIZE bytes a blob: no model
 * can make the kernel allocate or loop without bound.
 */
#ifndef _MLRA_MODEL_H
#define _MLRA_MODEL_H

#include <mlra/types.h>

#define MLRA_MODEL_MAGIC	0x41524c4dU	/* "MLRA" */
#define MLRA_MODEL_VERSION	1
#define MLRA_MAX_INPUTS		32
#define MLRA_MAX_LAYERS		4
#define MLRA_MAX_UNITS		64
#define MLRA_MIN_CLASSES	2
#define MLRA_MAX_CLASSES	16
#define MLRA_MODEL_MAX_SIZE	16384
#define MLRA_NAME_LEN		32
#define MLRA_CLASS_NAME_LEN	16
#define MLRA_HEADER_SIZE	48
#define MLRA_INPUT_SIZE		8
#define MLRA_LAYER_SIZE		4

/**
 * enum mlra_activation - a layer's activation function
 * @MLRA_ACT_IDENTITY: y = x
 * @MLRA_ACT_RELU: y = max(x, 0)
 * @MLRA_NR_ACTS: number of activations
 */
enum mlra_activation {
	MLRA_ACT_IDENTITY,
	MLRA_ACT_RELU,
	MLRA_NR_ACTS,
};

/**
 * enum mlra_model_error - why a blob was rejected; each has its message
 * @MLRA_EMODEL_TRUNCATED: shorter than its header, or than its size field
 * @MLRA_EMODEL_TOO_LARGE: larger than MLRA_MODEL_MAX_SIZE
 * @MLRA_EMODEL_MAGIC: not an mlra model
 * @MLRA_EMODEL_VERSION: a format version this code does not know
 * @MLRA_EMODEL_SIZE: size field or section sizes disagree with the length
 * @MLRA_EMODEL_CRC: CRC-32 mismatch
 * @MLRA_EMODEL_RESERVED: a reserved field or padding byte is not zero
 * @MLRA_EMODEL_SHAPE: input, layer or class count out of range
 * @MLRA_EMODEL_NAME: model or class name not printable or not terminated
 * @MLRA_EMODEL_INPUT: an input scaling out of range
 * @MLRA_EMODEL_LAYER: a layer's units, activation, bits or shift out of range
 * @MLRA_EMODEL_CLASSES: the last layer's width differs from n_classes
 * @MLRA_EMODEL_RANGE: a unit's sum could leave the exact s32 range
 * @MLRA_EMODEL_NR: number of errors
 */
enum mlra_model_error {
	MLRA_EMODEL_TRUNCATED = 1,
	MLRA_EMODEL_TOO_LARGE,
	MLRA_EMODEL_MAGIC,
	MLRA_EMODEL_VERSION,
	MLRA_EMODEL_SIZE,
	MLRA_EMODEL_CRC,
	MLRA_EMODEL_RESERVED,
	MLRA_EMODEL_SHAPE,
	MLRA_EMODEL_NAME,
	MLRA_EMODEL_INPUT,
	MLRA_EMODEL_LAYER,
	MLRA_EMODEL_CLASSES,
	MLRA_EMODEL_RANGE,
	MLRA_EMODEL_NR,
};

struct mlra_input_scale {
	s32 offset;
	s16 scale;
	u8 shift;
};

/**
 * struct mlra_layer - one dense layer, parsed
 * @n_in: inputs
 * @n_in_padded: inputs rounded up to a multiple of 8, the packed row length
 * @n_out: units
 * @activation: enum mlra_activation
 * @bits: weight width in the blob, 8 or 16
 * @shift: right shift of the accumulator, with rounding
 * @blob_bias: offset of the biases in the blob
 * @blob_weights: offset of the weights in the blob
 * @packed: (n_out + 1) / 2 packed biases (rounding included), then
 *	n_in_padded packed weights for each pair of units, zeros after n_in;
 *	set by mlra_model_pack()
 */
struct mlra_layer {
	u8 n_in;
	u8 n_in_padded;
	u8 n_out;
	u8 activation;
	u8 bits;
	u8 shift;
	u32 blob_bias;
	u32 blob_weights;
	const s64 *packed;
};

/**
 * struct mlra_model - a validated model, ready for mlra_infer() once packed
 * @name: the model's name
 * @size: blob size in bytes
 * @crc: the blob's CRC-32
 * @n_inputs: features the model reads
 * @n_layers: dense layers
 * @n_classes: output classes
 * @input: scaling of each feature
 * @layer: the layers
 * @class_name: name of each class
 */
struct mlra_model {
	char name[MLRA_NAME_LEN];
	u32 size;
	u32 crc;
	u8 n_inputs;
	u8 n_layers;
	u8 n_classes;
	struct mlra_input_scale input[MLRA_MAX_INPUTS];
	struct mlra_layer layer[MLRA_MAX_LAYERS];
	char class_name[MLRA_MAX_CLASSES][MLRA_CLASS_NAME_LEN];
};

/**
 * struct mlra_prediction - what the model says about one feature vector
 * @class: index of the winning class
 * @confidence: top logit minus the second, >= 0
 * @logits: the last layer's outputs
 */
struct mlra_prediction {
	u8 class;
	s32 confidence;
	s16 logits[MLRA_MAX_CLASSES];
};

int mlra_model_parse(struct mlra_model *m, const u8 *blob, size_t len);
size_t mlra_model_packed_size(const struct mlra_model *m);
void mlra_model_pack(struct mlra_model *m, const u8 *blob, s64 *packed);
const char *mlra_model_strerror(int err);
void mlra_infer(const struct mlra_model *m, const s32 *features,
		struct mlra_prediction *p);

/**
 * struct mlra_model_spec - a model as plain numbers, for mlra_model_build()
 * @name: model name
 * @n_inputs: inputs
 * @n_layers: layers
 * @input: input scalings
 * @layer: each layer's shape; weight holds n_out rows of n_in values
 * @class_name: class names; their count is the last layer's n_out
 */
struct mlra_model_spec {
	char name[MLRA_NAME_LEN];
	u8 n_inputs;
	u8 n_layers;
	struct mlra_input_scale input[MLRA_MAX_INPUTS];
	struct {
		u8 n_out;
		u8 activation;
		u8 bits;
		u8 shift;
		const s32 *bias;
		const s32 *weight;
	} layer[MLRA_MAX_LAYERS];
	char class_name[MLRA_MAX_CLASSES][MLRA_CLASS_NAME_LEN];
};

size_t mlra_model_build(const struct mlra_model_spec *s, u8 *out, size_t cap);

#endif /* _MLRA_MODEL_H */
