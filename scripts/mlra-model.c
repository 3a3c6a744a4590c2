// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-model: check, describe, evaluate, benchmark and build model blobs on
 * the host, with the very src/ files the module runs.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlra/features.h>
#include <mlra/model.h>
#include <mlra/policy.h>

static const char usage[] =
	"usage: mlra-model check FILE\n"
	"       mlra-model info FILE\n"
	"       mlra-model eval FILE INPUT.csv   one prediction a row:\n"
	"                                        class,confidence,logit...\n"
	"       mlra-model bench FILE N          N inferences, for callgrind\n"
	"       mlra-model bench-access N        N history updates (per access)\n"
	"       mlra-model bench-decision FILE N N decisions: features, model,\n"
	"                                        policy (per decision)\n"
	"       mlra-model build TEXT OUT        blob from a text description\n"
	"       mlra-model random SHAPE SEED OUT  e.g. 16-32-32-8: random s8\n"
	"                                        weights, for benchmarks and\n"
	"                                        tests, never a real model\n";

static u8 blob[MLRA_MODEL_MAX_SIZE + 1];

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mlra-model: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static size_t read_blob(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		die("%s: cannot open", path);
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	return n;
}

/* Parse and pack FILE; the packed weights live until exit. */
static void load(const char *path, struct mlra_model *m)
{
	size_t len = read_blob(path);
	int err = mlra_model_parse(m, blob, len);
	s64 *packed;

	if (err) {
		fprintf(stderr, "mlra-model: %s: invalid: %s\n", path,
			mlra_model_strerror(err));
		exit(1);
	}
	packed = malloc(mlra_model_packed_size(m));
	if (!packed)
		die("%s: out of memory", path);
	mlra_model_pack(m, blob, packed);
}

static const char * const act_names[MLRA_NR_ACTS] = {
	[MLRA_ACT_IDENTITY] = "identity",
	[MLRA_ACT_RELU] = "relu",
};

static void info(const struct mlra_model *m)
{
	int i;

	printf("name %s\nversion %d\nsize %u\ncrc32 0x%08x\nshape %d",
	       m->name, MLRA_MODEL_VERSION, m->size, m->crc, m->n_inputs);
	for (i = 0; i < m->n_layers; i++)
		printf("-%d", m->layer[i].n_out);
	printf("\nclasses");
	for (i = 0; i < m->n_classes; i++)
		printf(" %s", m->class_name[i]);
	printf("\n");
	for (i = 0; i < m->n_layers; i++)
		printf("layer %d: %d -> %d, %s, s%d weights, shift %d\n", i,
		       m->layer[i].n_in, m->layer[i].n_out,
		       act_names[m->layer[i].activation], m->layer[i].bits,
		       m->layer[i].shift);
}

static void print_prediction(const struct mlra_model *m,
			     const struct mlra_prediction *p)
{
	int i;

	printf("%d,%d", p->class, p->confidence);
	for (i = 0; i < m->n_classes; i++)
		printf(",%d", p->logits[i]);
	printf("\n");
}

static int eval(const struct mlra_model *m, const char *csv)
{
	FILE *f = fopen(csv, "r");
	char line[4096];
	int row = 0;

	if (!f)
		die("%s: cannot open", csv);
	while (fgets(line, sizeof(line), f)) {
		s32 x[MLRA_MAX_INPUTS];
		struct mlra_prediction p;
		char *s = line, *end;
		int n = 0;

		row++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		while (n < m->n_inputs) {
			long v;

			errno = 0;
			v = strtol(s, &end, 10);
			if (end == s || errno || v < INT32_MIN || v > INT32_MAX)
				break;
			x[n++] = v;
			s = end + strspn(end, " \t");
			if (*s == ',')
				s++;
		}
		if (n != m->n_inputs || s[strspn(s, " \t\r\n")] != '\0') {
			fprintf(stderr, "mlra-model: %s:%d: expected %d integers\n",
				csv, row, m->n_inputs);
			exit(1);
		}
		mlra_infer(m, x, &p);
		print_prediction(m, &p);
	}
	fclose(f);
	return 0;
}

/*
 * N inferences on 256 fixed pseudo-random inputs, made before the loop so
 * that N=1000 minus N=0 under callgrind counts inference and a checksum.
 */
static int bench(const struct mlra_model *m, long n)
{
	static s32 x[256][MLRA_MAX_INPUTS];
	u32 state = 2463534242U, sum = 0;
	struct mlra_prediction p;
	long k;
	int i;

	for (k = 0; k < 256; k++) {
		for (i = 0; i < m->n_inputs; i++) {
			state ^= state << 13;
			state ^= state >> 17;
			state ^= state << 5;
			x[k][i] = (s32)(state & 0xffff) - 0x8000;
		}
	}
	for (k = 0; k < n; k++) {
		mlra_infer(m, x[k & 255], &p);
		sum = sum * 31 + p.class + p.confidence;
	}
	printf("%ld inferences, checksum %u\n", n, sum);
	return 0;
}

/*
 * The text description that `build` reads, one statement a line, '#' starts
 * a comment:
 *   name NAME
 *   inputs N
 *   input OFFSET SCALE SHIFT          N of them, in feature order
 *   classes NAME...
 *   layer UNITS relu|identity BITS SHIFT
 *   bias B...                         UNITS values
 *   weights W...                      one line a unit, one value an input
 */
static s32 text_bias[MLRA_MAX_LAYERS][MLRA_MAX_UNITS];
static s32 text_weight[MLRA_MAX_LAYERS][MLRA_MAX_UNITS * MLRA_MAX_UNITS];

static const char *text_path;
static int text_line;

static void text_die(const char *msg)
{
	fprintf(stderr, "mlra-model: %s:%d: %s\n", text_path, text_line, msg);
	exit(1);
}

/* Read up to @max integers from the rest of the line; return the count. */
static int text_ints(char *s, long *v, int max)
{
	int n = 0;
	char *end;

	for (;;) {
		s += strspn(s, " \t\r\n");
		if (!*s)
			return n;
		if (n == max)
			text_die("too many values");
		errno = 0;
		v[n] = strtol(s, &end, 10);
		if (end == s || errno || (*end && !strchr(" \t\r\n", *end)))
			text_die("not an integer");
		n++;
		s = end;
	}
}

static int build(const char *path, const char *out_path)
{
	static struct mlra_model_spec spec;
	FILE *f = fopen(path, "r"), *out;
	int inputs_seen = 0, layer = -1, rows = 0, err;
	char line[8192];
	size_t len;
	long v[MLRA_MAX_UNITS + 1];
	struct mlra_model m;

	if (!f)
		die("%s: cannot open", path);
	text_path = path;
	while (fgets(line, sizeof(line), f)) {
		char word[32], act[16], *hash = strchr(line, '#'), *rest;
		int n, i, off, units, bits, shift;

		text_line++;
		if (hash)
			*hash = '\0';
		if (sscanf(line, "%31s%n", word, &off) != 1)
			continue;
		rest = line + off;
		if (!strcmp(word, "name")) {
			if (sscanf(rest, "%31s%n", spec.name, &off) != 1 ||
			    rest[off + strspn(rest + off, " \t\r\n")])
				text_die("name: one word of at most 31 characters");
		} else if (!strcmp(word, "inputs")) {
			if (text_ints(rest, v, 1) != 1 || v[0] < 1 ||
			    v[0] > MLRA_MAX_INPUTS)
				text_die("inputs: a count from 1 to 32");
			spec.n_inputs = v[0];
		} else if (!strcmp(word, "input")) {
			if (inputs_seen >= spec.n_inputs)
				text_die("input: more than 'inputs' said");
			if (text_ints(rest, v, 3) != 3)
				text_die("input: OFFSET SCALE SHIFT");
			spec.input[inputs_seen].offset = v[0];
			spec.input[inputs_seen].scale = v[1];
			spec.input[inputs_seen].shift = v[2];
			inputs_seen++;
		} else if (!strcmp(word, "classes")) {
			for (i = 0; sscanf(rest, "%31s%n", word, &off) == 1; i++) {
				if (i >= MLRA_MAX_CLASSES ||
				    strlen(word) >= MLRA_CLASS_NAME_LEN)
					text_die("classes: at most 16 names of 15 characters");
				strcpy(spec.class_name[i], word);
				rest += off;
			}
		} else if (!strcmp(word, "layer")) {
			if (layer >= 0 && rows != spec.layer[layer].n_out)
				text_die("layer: the previous layer lacks weights");
			if (++layer >= MLRA_MAX_LAYERS)
				text_die("layer: at most 4 layers");
			if (sscanf(rest, "%d %15s %d %d %n", &units, act, &bits,
				   &shift, &off) != 4 || rest[off] ||
			    (strcmp(act, "relu") && strcmp(act, "identity")))
				text_die("layer: UNITS relu|identity BITS SHIFT");
			if (units < 1 || units > MLRA_MAX_UNITS)
				text_die("layer: 1 to 64 units");
			spec.layer[layer].n_out = units;
			spec.layer[layer].activation = strcmp(act, "relu") ?
				MLRA_ACT_IDENTITY : MLRA_ACT_RELU;
			spec.layer[layer].bits = bits;
			spec.layer[layer].shift = shift;
			spec.layer[layer].bias = text_bias[layer];
			spec.layer[layer].weight = text_weight[layer];
			spec.n_layers = layer + 1;
			rows = 0;
		} else if (!strcmp(word, "bias")) {
			if (layer < 0)
				text_die("bias: before any layer");
			n = text_ints(rest, v, MLRA_MAX_UNITS);
			if (n != spec.layer[layer].n_out)
				text_die("bias: one value a unit");
			for (i = 0; i < n; i++)
				text_bias[layer][i] = v[i];
		} else if (!strcmp(word, "weights")) {
			int n_in = layer > 0 ? spec.layer[layer - 1].n_out :
					       spec.n_inputs;

			if (layer < 0 || rows >= spec.layer[layer].n_out)
				text_die("weights: one line a unit of the layer");
			n = text_ints(rest, v, MLRA_MAX_UNITS);
			if (n != n_in)
				text_die("weights: one value an input of the layer");
			for (i = 0; i < n; i++)
				text_weight[layer][rows * n_in + i] = v[i];
			rows++;
		} else {
			text_die("unknown statement");
		}
	}
	fclose(f);
	if (inputs_seen != spec.n_inputs || layer < 0 ||
	    rows != spec.layer[layer].n_out)
		text_die("incomplete: inputs, layers or weights missing");

	len = mlra_model_build(&spec, blob, MLRA_MODEL_MAX_SIZE);
	if (!len)
		die("%s: the model is larger than 16384 bytes", path);
	err = mlra_model_parse(&m, blob, len);
	if (err) {
		fprintf(stderr, "mlra-model: %s: invalid: %s\n", path,
			mlra_model_strerror(err));
		return 1;
	}
	out = fopen(out_path, "wb");
	if (!out || fwrite(blob, 1, len, out) != len || fclose(out))
		die("%s: cannot write", out_path);
	return 0;
}

/* Accesses of a mixed pattern: runs of reads, then jumps. */
static void next_access(struct mlra_access *a, u32 *state)
{
	a->index += (*state & 7) ? a->pages : (*state >> 8) & 0xffff;
	a->pages = 1 + (*state & 15);
	a->kind = (*state >> 4) & 1;
	a->miss = (*state >> 5) & 1;
}

static int bench_access(long n)
{
	struct mlra_history h = {};
	struct mlra_access a = {};
	u32 state = 2463534242U;
	long k;

	for (k = 0; k < n; k++) {
		state = state * 1103515245 + 12345;
		next_access(&a, &state);
		mlra_history_add(&h, &a);
	}
	printf("%ld accesses, %d held\n", n, h.count);
	return 0;
}

/* A full decision, as the module makes one, every call. */
static int bench_decision(const struct mlra_model *m, long n)
{
	struct mlra_action actions[MLRA_MAX_CLASSES];
	struct mlra_policy_params pp = { 0, 4096, 64, 2, false, false, false };
	struct mlra_policy_state st;
	struct mlra_history h = {};
	struct mlra_access a = {};
	struct mlra_prediction p;
	s32 f[MLRA_MAX_INPUTS] = {};
	u32 state = 2463534242U, sum = 0;
	long k;
	int i;

	for (i = 0; i < m->n_classes; i++)
		mlra_action_parse(m->class_name[i], &actions[i]);
	mlra_policy_reset(&st);
	for (i = 0; i < MLRA_RING; i++) {
		state = state * 1103515245 + 12345;
		next_access(&a, &state);
		mlra_history_add(&h, &a);
	}
	for (k = 0; k < n; k++) {
		state = state * 1103515245 + 12345;
		h.ring[k & (MLRA_RING - 1)].index ^= state & 0xff;
		mlra_features(&h, 32, 262144, false, f);
		mlra_infer(m, f, &p);
		sum += mlra_policy_decide(&pp, actions, &p, 32, &st);
	}
	printf("%ld decisions, checksum %u\n", n, sum);
	return 0;
}

static u32 xorshift(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* A model of the given shape with pseudo-random s8 weights. */
static int random_model(const char *shape, const char *seed_arg,
			const char *out_path)
{
	static struct mlra_model_spec spec;
	static s32 bias[MLRA_MAX_LAYERS][MLRA_MAX_UNITS];
	static s32 weight[MLRA_MAX_LAYERS][MLRA_MAX_UNITS * MLRA_MAX_UNITS];
	int dims[MLRA_MAX_LAYERS + 2], n = 0, off, i, j;
	u32 state = strtoul(seed_arg, NULL, 10) | 1;
	const char *p = shape;
	struct mlra_model m;
	size_t len;
	FILE *out;

	while (n < MLRA_MAX_LAYERS + 2 && sscanf(p, "%d%n", &dims[n], &off) == 1) {
		n++;
		p += off;
		if (*p != '-')
			break;
		p++;
	}
	if (*p || n < 2 || n > MLRA_MAX_LAYERS + 1)
		die("random: SHAPE is INPUTS-UNITS-...-CLASSES: %s", shape);
	for (i = 0; i < n; i++)
		if (dims[i] < 1 || dims[i] > (i ? MLRA_MAX_UNITS : MLRA_MAX_INPUTS))
			die("random: 1 to 32 inputs, 1 to 64 units: %s", shape);
	snprintf(spec.name, sizeof(spec.name), "random-%s", shape);
	spec.n_inputs = dims[0];
	spec.n_layers = n - 1;
	for (j = 0; j < dims[0]; j++)
		spec.input[j] = (struct mlra_input_scale){ 0, 1, 0 };
	for (i = 0; i < n - 1; i++) {
		spec.layer[i].n_out = dims[i + 1];
		spec.layer[i].activation = i < n - 2 ? MLRA_ACT_RELU :
						       MLRA_ACT_IDENTITY;
		spec.layer[i].bits = 8;
		spec.layer[i].shift = 8;
		spec.layer[i].bias = bias[i];
		spec.layer[i].weight = weight[i];
		for (j = 0; j < dims[i + 1]; j++)
			bias[i][j] = (s32)(xorshift(&state) % 2001) - 1000;
		for (j = 0; j < dims[i] * dims[i + 1]; j++)
			weight[i][j] = (s8)xorshift(&state);
	}
	for (j = 0; j < dims[n - 1] && j < MLRA_MAX_CLASSES; j++)
		snprintf(spec.class_name[j], MLRA_CLASS_NAME_LEN, "c%d", j);

	len = mlra_model_build(&spec, blob, MLRA_MODEL_MAX_SIZE);
	if (!len || mlra_model_parse(&m, blob, len))
		die("random: no valid model of shape %s", shape);
	out = fopen(out_path, "wb");
	if (!out || fwrite(blob, 1, len, out) != len || fclose(out))
		die("%s: cannot write", out_path);
	return 0;
}

int main(int argc, char **argv)
{
	struct mlra_model m;

	if (argc == 3 && !strcmp(argv[1], "check")) {
		load(argv[2], &m);
		printf("%s: valid\n", argv[2]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "info")) {
		load(argv[2], &m);
		info(&m);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "eval")) {
		load(argv[2], &m);
		return eval(&m, argv[3]);
	}
	if (argc == 4 && !strcmp(argv[1], "bench")) {
		char *end;
		long n = strtol(argv[3], &end, 10);

		if (*end || n < 0)
			die("bench: not a count: %s", argv[3]);
		load(argv[2], &m);
		return bench(&m, n);
	}
	if (argc == 3 && !strcmp(argv[1], "bench-access"))
		return bench_access(strtol(argv[2], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "bench-decision")) {
		load(argv[2], &m);
		return bench_decision(&m, strtol(argv[3], NULL, 10));
	}
	if (argc == 4 && !strcmp(argv[1], "build"))
		return build(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "random"))
		return random_model(argv[2], argv[3], argv[4]);
	fputs(usage, stderr);
	return 2;
}
