/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mlra's model blob: what user space writes to /sys/kernel/mm/mlra/model
 * and what the host tools (scripts/mlra-model, mlra-train) read and write.
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
#ifndef _UAPI_LINUX_MLRA_MODEL_H
#define _UAPI_LINUX_MLRA_MODEL_H

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

#endif /* _UAPI_LINUX_MLRA_MODEL_H */
