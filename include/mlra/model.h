/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mlra's model in the kernel and the host tools: the parsed form of a blob
 * (format in include/uapi/linux/mlra_model.h) and the fixed-point engine's
 * API.
 */
#ifndef _MLRA_MODEL_H
#define _MLRA_MODEL_H

#include <uapi/linux/mlra_model.h>

#include <mlra/types.h>

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

/* The trained model built in (src/default_model.c, made by make model). */
extern const u8 mlra_default_model[];
extern const size_t mlra_default_model_size;

#endif /* _MLRA_MODEL_H */
