// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the model parser and engine: any bytes must be
 * rejected or accepted without reading outside the buffer, overflowing or
 * crashing, and an accepted model must run. Each input is also tried with
 * its size field and CRC made right, so the fuzzer gets past them.
 */

#include <stdlib.h>

#include <mlra/model.h>

static void judge(const u8 *blob, size_t len)
{
	struct mlra_model m;
	struct mlra_prediction p;
	s32 x[MLRA_MAX_INPUTS];
	s64 *packed;
	size_t i;

	if (mlra_model_parse(&m, blob, len))
		return;
	packed = malloc(mlra_model_packed_size(&m));
	if (!packed)
		return;
	mlra_model_pack(&m, blob, packed);
	/* Extreme inputs, then some taken from the blob itself. */
	for (i = 0; i < MLRA_MAX_INPUTS; i++)
		x[i] = i & 1 ? -2147483647 - 1 : 2147483647;
	mlra_infer(&m, x, &p);
	for (i = 0; i < MLRA_MAX_INPUTS; i++)
		x[i] = (s32)(blob[i % len] * 0x01010101u);
	mlra_infer(&m, x, &p);
	if (p.class >= m.n_classes || p.confidence < 0)
		abort();
	free(packed);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *copy;
	u32 crc;

	judge(data, size);
	if (size < MLRA_HEADER_SIZE + 4 || size > MLRA_MODEL_MAX_SIZE)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[8] = size;
	copy[9] = size >> 8;
	copy[10] = size >> 16;
	copy[11] = size >> 24;
	crc = mlra_crc32(copy, size - 4);
	copy[size - 4] = crc;
	copy[size - 3] = crc >> 8;
	copy[size - 2] = crc >> 16;
	copy[size - 1] = crc >> 24;
	judge(copy, size);
	free(copy);
	return 0;
}
