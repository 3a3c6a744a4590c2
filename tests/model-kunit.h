/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests for the model parser and the fixed-point engine, included at
 * the end of src/model.c. The golden vectors were worked out by hand (see
 * tests/models/golden.csv); the differential test checks the packed engine
 * against a plain per-unit computation on random models.
 */

#include <kunit/test.h>

#include "fixtures.h"

/* Offsets in the golden blob, from the format's layout. */
#define GOLDEN_INPUT0	48
#define GOLDEN_LAYER0	(48 + 2 * 8)
#define GOLDEN_CLASS0	(GOLDEN_LAYER0 + 2 * 4)
#define GOLDEN_PARAMS0	(GOLDEN_CLASS0 + 2 * 16)
#define GOLDEN_PAD0	(GOLDEN_PARAMS0 + 3 * 4 + 6)

struct model_fixture {
	u8 blob[MLRA_MODEL_MAX_SIZE + 1];
	size_t len;
	struct mlra_model model;
	struct mlra_model_spec spec;
	s32 bias[MLRA_MAX_LAYERS][MLRA_MAX_UNITS];
	s32 weight[MLRA_MAX_LAYERS][MLRA_MAX_UNITS * MLRA_MAX_UNITS];
};

static struct model_fixture *fixture_new(struct kunit *test,
					 const struct mlra_model_spec *spec)
{
	struct model_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		kunit_skip(test, "out of memory");
	f->len = mlra_model_build(spec, f->blob, sizeof(f->blob));
	KUNIT_ASSERT_GT(test, f->len, 0);
	return f;
}

static void fix_crc(struct model_fixture *f)
{
	u32 crc = mlra_crc32(f->blob, f->len - 4);

	f->blob[f->len - 4] = crc;
	f->blob[f->len - 3] = crc >> 8;
	f->blob[f->len - 2] = crc >> 16;
	f->blob[f->len - 1] = crc >> 24;
}

static void load_packed(struct kunit *test, struct model_fixture *f)
{
	s64 *packed;

	KUNIT_ASSERT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len), 0);
	packed = kunit_kzalloc(test, mlra_model_packed_size(&f->model),
			       GFP_KERNEL);
	if (!packed)
		kunit_skip(test, "out of memory");
	mlra_model_pack(&f->model, f->blob, packed);
}

static void mlra_model_golden_vectors(struct kunit *test)
{
	static const struct {
		s32 x[2];
		u8 class;
		s32 confidence;
		s16 logits[2];
	} cases[] = {
		{ { 10, 120 }, 1, 31, { 2, 33 } },
		{ { 0, 0 }, 1, 32460, { 307, 32767 } },
		{ { -100, -1000 }, 1, 26960, { 5807, 32767 } },
		{ { 40, 90 }, 0, 44, { 17, -27 } },
		{ { 11, 121 }, 1, 29, { 3, 32 } },	/* rounds half up */
	};
	struct model_fixture *f = fixture_new(test, &mlra_test_golden_spec);
	struct mlra_prediction p;
	int i;

	load_packed(test, f);
	KUNIT_EXPECT_STREQ(test, f->model.name, "golden");
	KUNIT_EXPECT_STREQ(test, f->model.class_name[1], "high");
	KUNIT_EXPECT_EQ(test, f->len, 148);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		mlra_infer(&f->model, cases[i].x, &p);
		KUNIT_EXPECT_EQ_MSG(test, p.class, cases[i].class, "row %d", i);
		KUNIT_EXPECT_EQ_MSG(test, p.confidence, cases[i].confidence,
				    "row %d", i);
		KUNIT_EXPECT_EQ_MSG(test, p.logits[0], cases[i].logits[0],
				    "row %d", i);
		KUNIT_EXPECT_EQ_MSG(test, p.logits[1], cases[i].logits[1],
				    "row %d", i);
	}
}

static void mlra_model_truncated_everywhere(struct kunit *test)
{
	struct model_fixture *f = fixture_new(test, &mlra_test_golden_spec);
	size_t len;

	for (len = 0; len < f->len; len++)
		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_model_parse(&f->model, f->blob, len),
				    -MLRA_EMODEL_TRUNCATED, "length %zu", len);
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len), 0);
}

/* Each field out of range, CRC fixed so that the field itself is judged. */
static void mlra_model_rejects_fields(struct kunit *test)
{
	static const struct {
		const char *what;
		size_t offset;
		u8 value;
		int err;
	} cases[] = {
		{ "magic", 0, 'X', -MLRA_EMODEL_MAGIC },
		{ "version", 4, 2, -MLRA_EMODEL_VERSION },
		{ "reserved header", 6, 1, -MLRA_EMODEL_RESERVED },
		{ "reserved flags", 15, 1, -MLRA_EMODEL_RESERVED },
		{ "size too large", 8, 149, -MLRA_EMODEL_TRUNCATED },
		{ "size too small", 8, 144, -MLRA_EMODEL_SIZE },
		{ "size huge", 11, 0x80, -MLRA_EMODEL_TRUNCATED },
		{ "zero inputs", 12, 0, -MLRA_EMODEL_SHAPE },
		{ "33 inputs", 12, 33, -MLRA_EMODEL_SHAPE },
		{ "255 inputs", 12, 255, -MLRA_EMODEL_SHAPE },
		{ "zero layers", 13, 0, -MLRA_EMODEL_SHAPE },
		{ "5 layers", 13, 5, -MLRA_EMODEL_SHAPE },
		{ "one class", 14, 1, -MLRA_EMODEL_SHAPE },
		{ "17 classes", 14, 17, -MLRA_EMODEL_SHAPE },
		{ "3 classes", 14, 3, -MLRA_EMODEL_CLASSES },
		{ "empty name", 16, 0, -MLRA_EMODEL_NAME },
		{ "name control char", 17, 1, -MLRA_EMODEL_NAME },
		{ "name unterminated", 16 + 31, 'x', -MLRA_EMODEL_NAME },
		{ "name junk after NUL", 16 + 20, 'x', -MLRA_EMODEL_NAME },
		{ "input shift 32", GOLDEN_INPUT0 + 6, 32, -MLRA_EMODEL_INPUT },
		{ "input reserved", GOLDEN_INPUT0 + 7, 1, -MLRA_EMODEL_RESERVED },
		{ "zero units", GOLDEN_LAYER0, 0, -MLRA_EMODEL_LAYER },
		{ "65 units", GOLDEN_LAYER0, 65, -MLRA_EMODEL_LAYER },
		{ "activation 2", GOLDEN_LAYER0 + 1, 2, -MLRA_EMODEL_LAYER },
		{ "12-bit weights", GOLDEN_LAYER0 + 2, 12, -MLRA_EMODEL_LAYER },
		{ "32-bit weights", GOLDEN_LAYER0 + 2, 32, -MLRA_EMODEL_LAYER },
		{ "layer shift 32", GOLDEN_LAYER0 + 3, 32, -MLRA_EMODEL_LAYER },
		{ "4 units (sizes)", GOLDEN_LAYER0, 4, -MLRA_EMODEL_SIZE },
		{ "empty class", GOLDEN_CLASS0, 0, -MLRA_EMODEL_NAME },
		{ "class unterminated", GOLDEN_CLASS0 + 15, 'x', -MLRA_EMODEL_NAME },
		{ "padding", GOLDEN_PAD0, 1, -MLRA_EMODEL_RESERVED },
	};
	struct model_fixture *f = fixture_new(test, &mlra_test_golden_spec);
	u8 saved;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		saved = f->blob[cases[i].offset];
		f->blob[cases[i].offset] = cases[i].value;
		fix_crc(f);
		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_model_parse(&f->model, f->blob, f->len),
				    cases[i].err, "%s: %s", cases[i].what,
				    mlra_model_strerror(cases[i].err));
		f->blob[cases[i].offset] = saved;
	}
	fix_crc(f);
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len), 0);

	/*
	 * A flipped bit after the fields judged before the CRC (magic,
	 * version, size) and before the CRC itself: the CRC catches it.
	 */
	for (i = 12; i < f->len - 4; i++) {
		f->blob[i] ^= 0x10;
		KUNIT_EXPECT_EQ_MSG(test,
				    mlra_model_parse(&f->model, f->blob, f->len),
				    -MLRA_EMODEL_CRC, "bit flipped at %d", i);
		f->blob[i] ^= 0x10;
	}
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len),
			0);
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob,
					       MLRA_MODEL_MAX_SIZE + 1),
			-MLRA_EMODEL_TOO_LARGE);
}

/* |bias| + 32768 * sum |w| must stay below 2^31, to the unit. */
static void mlra_model_rejects_inexact(struct kunit *test)
{
	static const s32 w[] = { 32767, 32767, 32767, 32767 };
	static s32 b[2];
	static const struct mlra_model_spec spec = {
		.name = "range", .n_inputs = 2, .n_layers = 1,
		.layer = { { 2, MLRA_ACT_IDENTITY, 16, 0, b, w } },
		.class_name = { "a", "b" },
	};
	struct model_fixture *f;

	/* 32768 * 65534 = 2^31 - 65536: exact while |bias| < 65536. */
	b[1] = 65535;
	f = fixture_new(test, &spec);
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len), 0);
	b[1] = -65536;
	f = fixture_new(test, &spec);
	KUNIT_EXPECT_EQ(test, mlra_model_parse(&f->model, f->blob, f->len),
			-MLRA_EMODEL_RANGE);
}

/* Inputs and sums at the limits clamp to the s16 range, exactly. */
static void mlra_infer_saturates(struct kunit *test)
{
	static const s32 w[] = { 2, -2, 1, -1 };
	static const s32 b[] = { 0, 0, 0, 0 };
	static const struct mlra_model_spec spec = {
		.name = "sat", .n_inputs = 1, .n_layers = 1,
		.input = { { S32_MIN, 32767, 0 } },
		.layer = { { 4, MLRA_ACT_IDENTITY, 16, 0, b, w } },
		.class_name = { "up2", "down2", "up", "down" },
	};
	struct model_fixture *f = fixture_new(test, &spec);
	struct mlra_prediction p;
	s32 x;

	load_packed(test, f);
	x = S32_MAX;	/* (2^32 - 1) * 32767 saturates to 32767 */
	mlra_infer(&f->model, &x, &p);
	KUNIT_EXPECT_EQ(test, p.logits[0], 32767);
	KUNIT_EXPECT_EQ(test, p.logits[1], -32768);
	KUNIT_EXPECT_EQ(test, p.logits[2], 32767);
	KUNIT_EXPECT_EQ(test, p.logits[3], -32767);
	KUNIT_EXPECT_EQ(test, p.class, 0);	/* first of the tie */
	KUNIT_EXPECT_EQ(test, p.confidence, 0);
	x = S32_MIN;	/* input 0: every logit 0 */
	mlra_infer(&f->model, &x, &p);
	KUNIT_EXPECT_EQ(test, p.logits[0], 0);
	KUNIT_EXPECT_EQ(test, p.logits[3], 0);
}

/* What the format says, computed unit by unit with no packing. */
static void reference_infer(const struct mlra_model_spec *s, const s32 *x,
			    s32 *logits)
{
	s32 a[MLRA_MAX_UNITS], next[MLRA_MAX_UNITS];
	int i, j, k, n_in = s->n_inputs;

	for (j = 0; j < n_in; j++) {
		s64 v = ((s64)x[j] - s->input[j].offset) * s->input[j].scale;

		if (s->input[j].shift)
			v = (v + (1LL << (s->input[j].shift - 1))) >>
			    s->input[j].shift;
		a[j] = clamp_t(s64, v, -32768, 32767);
	}
	for (i = 0; i < s->n_layers; i++) {
		for (k = 0; k < s->layer[i].n_out; k++) {
			s64 acc = s->layer[i].bias[k];
			u8 sh = s->layer[i].shift;

			for (j = 0; j < n_in; j++)
				acc += (s64)s->layer[i].weight[k * n_in + j] * a[j];
			if (sh)
				acc = (acc + (1LL << (sh - 1))) >> sh;
			if (s->layer[i].activation == MLRA_ACT_RELU && acc < 0)
				acc = 0;
			next[k] = clamp_t(s64, acc, -32768, 32767);
		}
		n_in = s->layer[i].n_out;
		memcpy(a, next, sizeof(a));
	}
	memcpy(logits, a, n_in * sizeof(*logits));
}

static u32 test_rand(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Random shapes (odd and even widths), weights and inputs. */
static void mlra_infer_matches_reference(struct kunit *test)
{
	u32 seed = 12345;
	int round;

	for (round = 0; round < 200; round++) {
		struct model_fixture *f = kunit_kzalloc(test, sizeof(*f),
							GFP_KERNEL);
		struct mlra_model_spec *s;
		s32 x[MLRA_MAX_INPUTS], logits[MLRA_MAX_UNITS];
		struct mlra_prediction p;
		int i, j, n_in, trial;

		if (!f)
			kunit_skip(test, "out of memory");
		s = &f->spec;
		strscpy(s->name, "random", MLRA_NAME_LEN);
		s->n_inputs = 1 + test_rand(&seed) % MLRA_MAX_INPUTS;
		s->n_layers = 1 + test_rand(&seed) % 3;
		for (j = 0; j < s->n_inputs; j++) {
			s->input[j].offset = (s32)test_rand(&seed) % 1000;
			s->input[j].scale = (s16)test_rand(&seed);
			s->input[j].shift = test_rand(&seed) % 20;
		}
		n_in = s->n_inputs;
		for (i = 0; i < s->n_layers; i++) {
			bool last = i == s->n_layers - 1;
			int n_out = last ? 2 + test_rand(&seed) % 15 :
					   1 + test_rand(&seed) % 48;
			int bits = test_rand(&seed) & 1 ? 8 : 16;

			s->layer[i].n_out = n_out;
			s->layer[i].activation = test_rand(&seed) % MLRA_NR_ACTS;
			s->layer[i].bits = bits;
			s->layer[i].shift = test_rand(&seed) % 16;
			for (j = 0; j < n_out; j++)
				f->bias[i][j] = (s32)test_rand(&seed) % 100000;
			/* 16-bit weights small enough for the exact bound */
			for (j = 0; j < n_out * n_in; j++)
				f->weight[i][j] = bits == 8 ?
					(s8)test_rand(&seed) :
					(s32)(test_rand(&seed) % 1001) - 500;
			s->layer[i].bias = f->bias[i];
			s->layer[i].weight = f->weight[i];
			n_in = n_out;
		}
		for (j = 0; j < n_in; j++)
			snprintf(s->class_name[j], MLRA_CLASS_NAME_LEN, "c%d", j);

		f->len = mlra_model_build(s, f->blob, sizeof(f->blob));
		if (!f->len)
			continue;	/* too large for a blob: not a case */
		load_packed(test, f);
		for (trial = 0; trial < 20; trial++) {
			for (j = 0; j < s->n_inputs; j++)
				x[j] = test_rand(&seed);
			mlra_infer(&f->model, x, &p);
			reference_infer(s, x, logits);
			for (j = 0; j < n_in; j++)
				KUNIT_ASSERT_EQ_MSG(test, p.logits[j], logits[j],
						    "round %d logit %d", round, j);
		}
	}
}

static struct kunit_case mlra_model_cases[] = {
	KUNIT_CASE(mlra_model_golden_vectors),
	KUNIT_CASE(mlra_model_truncated_everywhere),
	KUNIT_CASE(mlra_model_rejects_fields),
	KUNIT_CASE(mlra_model_rejects_inexact),
	KUNIT_CASE(mlra_infer_saturates),
	KUNIT_CASE(mlra_infer_matches_reference),
	{}
};

static struct kunit_suite mlra_model_suite = {
	.name = "mlra_model",
	.test_cases = mlra_model_cases,
};

kunit_test_suite(mlra_model_suite);
