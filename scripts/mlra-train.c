// SPDX-License-Identifier: GPL-2.0
/*
 * mlra-train: from access logs to mlra's model. Each log is replayed in
 * the simulator under the oracle (sim_oracle_decide()), which labels every
 * decision point with the cheapest action in hindsight; the features there
 * are those the module computes. Twice: on a disk that says it does not
 * rotate (labels for it) and on one that rotates or may (labels safe on
 * both disks the labels know), told apart by the feature MLRA_F_NONROT.
 * A small MLP is trained on them in floating point (deterministic: one
 * thread, a fixed seed, a fixed order), quantized to the engine's format
 * and checked against it. With --steered N, N times more: each log is
 * replayed again with that model deciding and the oracle labelling the
 * states it leads to (where its own mistakes take a stream, which the
 * oracle's replays never visit), and the model is trained again on all
 * the samples. Also reported: accuracy per class and a
 * leave-one-family-out table (trained without a family, tested on it, in
 * labels and in simulated time).
 *
 * Usage: mlra-train [--seed N] [--epochs N] [--hidden N] [--steered N]
 *        [--leave-one-out 0|1] [--progress 0|1] BLOB CSOURCE REPORT TRACE...
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define N_IN		MLRA_NR_FEATURES
#define MAX_HIDDEN	64
static const char * const class_names[] = { SIM_CLASSES };
#define N_OUT		((int)ARRAY_SIZE(class_names))
#define BATCH		64
#define ADAM_EPSILON	0.00000001f

static const char usage[] =
	"usage: mlra-train [--seed N] [--epochs N] [--hidden N] [--steered N]\n"
	"                  [--leave-one-out 0|1] [--progress 0|1]\n"
	"                  BLOB CSOURCE REPORT TRACE...";

struct sample {
	float x[N_IN];		/* the engine's inputs, in units of 256 */
	s32 f[N_IN];		/* the raw features */
	u8 label;
	u8 family;
};

static struct {
	struct sample *s;
	size_t n;
	size_t cap;
	int family;
} data;

static const char *family_name[64];
static int n_families;
static struct mlra_trace traces[64];

/* The network, in floating point. */
struct net {
	int hidden;
	float w1[MAX_HIDDEN][N_IN], b1[MAX_HIDDEN];
	float w2[N_OUT][MAX_HIDDEN], b2[N_OUT];
};

static struct mlra_input_scale in_scale[N_IN];
static unsigned long long rng_state;
/* --progress 1: a line an epoch on standard error (mlra train). */
static int progress;

static void die(const char *msg)
{
	fprintf(stderr, "mlra-train: %s\n", msg);
	exit(1);
}

/* xorshift64*: the same numbers on every machine. */
static unsigned long long rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static float uniform(void)
{
	return (rng() >> 40) / 16777216.0f;
}

static void add_sample(void *ctx, const s32 *f, int label)
{
	struct sample *x;

	(void)ctx;
	if (data.n == data.cap) {
		data.cap = data.cap ? 2 * data.cap : 4096;
		data.s = realloc(data.s, data.cap * sizeof(*data.s));
		if (!data.s)
			die("out of memory");
	}
	x = &data.s[data.n++];
	memset(x, 0, sizeof(*x));
	memcpy(x->f, f, sizeof(x->f));
	x->label = label;
	x->family = data.family;
}

/* sat16(round_shift((x - offset) * scale, shift)), as the engine. */
static s32 scale_input(s32 x, const struct mlra_input_scale *sc)
{
	s64 v = ((s64)x - sc->offset) * sc->scale;

	if (sc->shift)
		v = (v + (1LL << (sc->shift - 1))) >> sc->shift;
	return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}

/* Inputs centred and scaled to one standard deviation = 256. */
static void fit_inputs(void)
{
	size_t i;
	int j;

	for (j = 0; j < N_IN; j++) {
		double sum = 0, sq = 0, mean, sd, scale;
		int shift = 0;

		for (i = 0; i < data.n; i++)
			sum += data.s[i].f[j];
		mean = sum / data.n;
		for (i = 0; i < data.n; i++)
			sq += (data.s[i].f[j] - mean) * (data.s[i].f[j] - mean);
		sd = sqrt(sq / data.n);
		if (sd < 1)
			sd = 1;
		scale = 256 / sd;
		while (shift < 20 && scale * 2 < 16384) {
			scale *= 2;
			shift++;
		}
		in_scale[j].offset = lround(mean);
		in_scale[j].scale = lround(scale);
		in_scale[j].shift = shift;
	}
	for (i = 0; i < data.n; i++)
		for (j = 0; j < N_IN; j++)
			data.s[i].x[j] = scale_input(data.s[i].f[j],
						     &in_scale[j]) / 256.0f;
}

static void forward(const struct net *n, const float *x, float *h, float *z)
{
	int i, j;

	for (i = 0; i < n->hidden; i++) {
		float a = n->b1[i];

		for (j = 0; j < N_IN; j++)
			a += n->w1[i][j] * x[j];
		h[i] = a > 0 ? a : 0;
	}
	for (i = 0; i < N_OUT; i++) {
		float a = n->b2[i];

		for (j = 0; j < n->hidden; j++)
			a += n->w2[i][j] * h[j];
		z[i] = a;
	}
}

static int argmax(const float *z)
{
	int i, best = 0;

	for (i = 1; i < N_OUT; i++)
		if (z[i] > z[best])
			best = i;
	return best;
}

/*
 * Adam on softmax cross-entropy, each family weighing the same in total.
 * Samples of family @skip (or none, -1) are left out.
 */
static void train(struct net *n, int hidden, int epochs, unsigned long long seed,
		  int skip)
{
	static struct net m, v, g;
	double fam_count[64] = { 0 };
	size_t *order, i, k, used = 0;
	float weight[64];
	int e, a, b, t = 0, fams = 0;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	memset(n, 0, sizeof(*n));
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	n->hidden = hidden;
	for (a = 0; a < hidden; a++)
		for (b = 0; b < N_IN; b++)
			n->w1[a][b] = (uniform() * 2 - 1) *
				      sqrtf(6.0f / (N_IN + hidden));
	for (a = 0; a < N_OUT; a++)
		for (b = 0; b < hidden; b++)
			n->w2[a][b] = (uniform() * 2 - 1) *
				      sqrtf(6.0f / (hidden + N_OUT));
	order = malloc(data.n * sizeof(*order));
	if (!order)
		die("out of memory");
	for (i = 0; i < data.n; i++) {
		if (data.s[i].family == skip)
			continue;
		order[used++] = i;
		fam_count[data.s[i].family]++;
	}
	for (a = 0; a < n_families; a++)
		fams += fam_count[a] > 0;
	for (a = 0; a < n_families; a++)
		weight[a] = fam_count[a] ? used / (fams * fam_count[a]) : 0;

	for (e = 0; e < epochs; e++) {
		double loss = 0;

		for (i = used; i > 1; i--) {	/* Fisher-Yates */
			size_t j = rng() % i, tmp = order[i - 1];

			order[i - 1] = order[j];
			order[j] = tmp;
		}
		for (k = 0; k < used; k += BATCH) {
			float lr = 0.01f, b1c, b2c;
			float *gp, *mp, *vp, *np;
			size_t end = k + BATCH < used ? k + BATCH : used, q;

			memset(&g, 0, sizeof(g));
			for (q = k; q < end; q++) {
				const struct sample *s = &data.s[order[q]];
				float h[MAX_HIDDEN], z[N_OUT], dz[N_OUT];
				float dh[MAX_HIDDEN] = { 0 }, mx, sum = 0;
				float w = weight[s->family] / (end - k);

				forward(n, s->x, h, z);
				mx = z[argmax(z)];
				for (a = 0; a < N_OUT; a++)
					sum += dz[a] = expf(z[a] - mx);
				loss -= log(dz[s->label] / sum);
				for (a = 0; a < N_OUT; a++) {
					dz[a] = w * (dz[a] / sum -
						     (a == s->label));
					g.b2[a] += dz[a];
					for (b = 0; b < hidden; b++) {
						g.w2[a][b] += dz[a] * h[b];
						dh[b] += dz[a] * n->w2[a][b];
					}
				}
				for (b = 0; b < hidden; b++) {
					if (h[b] <= 0)
						continue;
					g.b1[b] += dh[b];
					for (a = 0; a < N_IN; a++)
						g.w1[b][a] += dh[b] * s->x[a];
				}
			}
			t++;
			b1c = 1 - powf(0.9f, t);
			b2c = 1 - powf(0.999f, t);
			/* The parameters are the floats before 'hidden'... */
			np = &n->w1[0][0];
			gp = &g.w1[0][0];
			mp = &m.w1[0][0];
			vp = &v.w1[0][0];
			for (q = 0; q < (sizeof(*n) - offsetof(struct net, w1)) /
				 sizeof(float); q++) {
				mp[q] = 0.9f * mp[q] + 0.1f * gp[q];
				vp[q] = 0.999f * vp[q] + 0.001f * gp[q] * gp[q];
				np[q] -= lr * (mp[q] / b1c) /
					 (sqrtf(vp[q] / b2c) + ADAM_EPSILON);
			}
		}
		if (progress && skip < 0)
			fprintf(stderr, "epoch %d of %d: loss %.4f\n",
				e + 1, epochs, used ? loss / used : 0);
	}
	free(order);
}

/* Largest shift that keeps every weight within @lim and the sums exact. */
static int weight_shift(const float *w, int n, int stride, int rows,
			const float *bias, int in_shift)
{
	int k, r, j;

	for (k = 24; k > 0; k--) {
		bool fits = true;

		for (r = 0; r < rows && fits; r++) {
			double sum = 0;

			for (j = 0; j < n; j++) {
				double q = fabs(rint(w[r * stride + j] * ldexp(1, k)));

				fits &= q <= 32767;
				sum += q;
			}
			fits &= 32768 * sum + fabs(bias[r]) * ldexp(1, k + in_shift) +
				ldexp(1, k) < 2e9;
		}
		if (fits)
			return k;
	}
	return 0;
}

/* The blob of @n: 16-bit weights, hidden activations and logits Q8. */
static size_t quantize(const struct net *n, u8 *blob, size_t cap)
{
	static s32 w1[MAX_HIDDEN * N_IN], b1[MAX_HIDDEN];
	static s32 w2[N_OUT * MAX_HIDDEN], b2[N_OUT];
	struct mlra_model_spec spec = { .n_inputs = N_IN, .n_layers = 2 };
	int k1, k2, i, j;

	k1 = weight_shift(&n->w1[0][0], N_IN, N_IN, n->hidden, n->b1, 8);
	k2 = weight_shift(&n->w2[0][0], n->hidden, MAX_HIDDEN, N_OUT, n->b2, 8);
	for (i = 0; i < n->hidden; i++) {
		b1[i] = lrint(n->b1[i] * ldexp(1, k1 + 8));
		for (j = 0; j < N_IN; j++)
			w1[i * N_IN + j] = lrint(n->w1[i][j] * ldexp(1, k1));
	}
	for (i = 0; i < N_OUT; i++) {
		b2[i] = lrint(n->b2[i] * ldexp(1, k2 + 8));
		for (j = 0; j < n->hidden; j++)
			w2[i * n->hidden + j] = lrint(n->w2[i][j] * ldexp(1, k2));
	}
	snprintf(spec.name, sizeof(spec.name), "mlra-default-%d-%d-%d",
		 N_IN, n->hidden, N_OUT);
	memcpy(spec.input, in_scale, sizeof(in_scale));
	spec.layer[0].n_out = n->hidden;
	spec.layer[0].activation = MLRA_ACT_RELU;
	spec.layer[0].bits = 16;
	spec.layer[0].shift = k1;
	spec.layer[0].bias = b1;
	spec.layer[0].weight = w1;
	spec.layer[1].n_out = N_OUT;
	spec.layer[1].activation = MLRA_ACT_IDENTITY;
	spec.layer[1].bits = 16;
	spec.layer[1].shift = k2;
	spec.layer[1].bias = b2;
	spec.layer[1].weight = w2;
	for (i = 0; i < N_OUT; i++)
		snprintf(spec.class_name[i], sizeof(spec.class_name[i]), "%s",
			 class_names[i]);
	return mlra_model_build(&spec, blob, cap);
}

/* Simulated time of a family's trace on a disk: Linux, a model, labels. */
static double sim_time(int fam, const char *disk, sim_policy_fn policy,
		       void *ctx)
{
	struct sim_oracle oracle;
	struct sim_config cfg;
	struct sim_totals t;

	sim_default_config(&cfg);
	sim_disk_profile(disk, &cfg.disk);
	cfg.policy = policy;
	cfg.ctx = ctx;
	if (policy == sim_oracle_decide) {
		sim_oracle_init(&oracle, &cfg.disk);
		cfg.ctx = &oracle;
	}
	sim_replay(&cfg, &traces[fam], &t);
	return t.time_ns;
}

/*
 * Leave one family out: trained without it, tested on it. Accuracy of the
 * fixed-point model against its labels; speedup over Linux in simulated
 * time (Linux's time / the model's; the oracle's for comparison).
 */
static void leave_one_out(FILE *out, int hidden, int epochs,
			  unsigned long long seed)
{
	static u8 blob[MLRA_MODEL_MAX_SIZE];
	static struct sim_model mp;
	struct net n;
	int fam;
	size_t k;

	fprintf(out, "\nleave one family out: accuracy, speedup over Linux (simulated)\n");
	fprintf(out, "%-22s %8s %9s %11s %11s %11s %11s\n", "family", "samples",
		"accuracy", "cloud mlra", "oracle", "hdd mlra", "oracle");
	for (fam = 0; fam < n_families; fam++) {
		size_t total = 0, right = 0, len;
		static const char * const disks[] = { "cloud", "hdd" };
		int d;

		train(&n, hidden, epochs, seed, fam);
		len = quantize(&n, blob, sizeof(blob));
		if (sim_model_init(&mp, blob, len))
			die("the quantized model does not validate");
		for (k = 0; k < data.n; k++) {
			struct mlra_prediction p;
			s32 f[MLRA_MAX_INPUTS] = { 0 };

			if (data.s[k].family != fam)
				continue;
			memcpy(f, data.s[k].f, sizeof(data.s[k].f));
			mlra_infer(&mp.m, f, &p);
			total++;
			right += p.class == data.s[k].label;
		}
		fprintf(out, "%-22s %8zu %8.1f%%", family_name[fam], total,
			total ? 100.0 * right / total : 0);
		for (d = 0; d < 2; d++) {
			double linux_ns = sim_time(fam, disks[d], NULL, NULL);

			fprintf(out, " %10.2fx %10.2fx", linux_ns /
				sim_time(fam, disks[d], sim_model_decide, &mp),
				linux_ns / sim_time(fam, disks[d],
						    sim_oracle_decide, NULL));
		}
		fputc('\n', out);
	}
}

/* A replay the model steers and the oracle labels (sim_policy_fn). */
struct steered {
	struct sim_oracle oracle;
	struct sim_model *model;
};

static unsigned int steered_decide(void *ctx, struct sim *s,
				   struct sim_stream *st, const s32 *f)
{
	struct steered *sd = ctx;

	sim_oracle_decide(&sd->oracle, s, st, f);
	return sim_model_decide(sd->model, s, st, f);
}

/*
 * Samples from every family, replayed on a disk that says it does not
 * rotate and on one that rotates or may (told apart by MLRA_F_NONROT),
 * with @oracle labelling each decision point: under the oracle itself,
 * once applying its labels and once keeping the kernel's window; under
 * any other @policy (the model, steered_decide()), once as it decides.
 */
static void label_families(sim_policy_fn policy, struct sim_oracle *oracle,
			   void *ctx)
{
	struct sim_config cfg;
	struct sim_totals t;
	int rot;

	for (data.family = 0; data.family < n_families; data.family++) {
		for (rot = 0; rot < 2; rot++) {
			sim_default_config(&cfg);
			cfg.disk.nonrot = !rot;
			sim_oracle_init(oracle, &cfg.disk);
			oracle->sample = add_sample;
			oracle->observe = policy != sim_oracle_decide;
			cfg.policy = policy;
			cfg.ctx = ctx;
			sim_replay(&cfg, &traces[data.family], &t);
			if (policy != sim_oracle_decide)
				continue;
			oracle->observe = true;
			sim_replay(&cfg, &traces[data.family], &t);
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	int epochs = 30, hidden = 16, lofo = 1, steered = 0, i, a;
	static u8 blob[MLRA_MODEL_MAX_SIZE];
	static struct sim_model smodel;
	struct mlra_model *model = &smodel.m;
	struct sim_oracle oracle;
	struct net n;
	FILE *out;
	size_t len, k;

	for (i = 1; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--epochs"))
			epochs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--hidden"))
			hidden = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--leave-one-out"))
			lofo = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--steered"))
			steered = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--progress"))
			progress = atoi(argv[i + 1]);
		else
			die("unknown option");
	}
	if (argc - i < 4 || hidden < 1 || hidden > MAX_HIDDEN || epochs < 1 ||
	    steered < 0)
		die(usage);

	for (a = i + 3; a < argc; a++) {
		const char *base = strrchr(argv[a], '/');

		if (n_families == 64)
			die("at most 64 traces");
		family_name[n_families] = base ? base + 1 : argv[a];
		if (mlra_trace_load(argv[a], &traces[n_families]))
			die("cannot read a trace");
		n_families++;
	}
	/*
	 * Each trace replayed on the cloud disk, once as it is (it says it
	 * does not rotate: labels for it alone) and once as a disk that
	 * rotates or may (labels safe on cloud and hdd). Each time the
	 * states a well-steered stream goes through, and those of a stream
	 * with the kernel's own window, which is where the model starts from.
	 */
	label_families(sim_oracle_decide, &oracle, &oracle);
	for (a = 0; a <= steered; a++) {
		static struct steered sd;

		if (a) {
			sd.model = &smodel;
			label_families(steered_decide, &sd.oracle, &sd);
		}
		fit_inputs();
		train(&n, hidden, epochs, seed, -1);
		len = quantize(&n, blob, sizeof(blob));
		if (sim_model_init(&smodel, blob, len))
			die("the quantized model does not validate");
	}

	out = fopen(argv[i], "wb");
	if (!out || fwrite(blob, 1, len, out) != len || fclose(out))
		die("cannot write the blob");
	out = fopen(argv[i + 1], "w");
	if (!out)
		die("cannot write the C source");
	/* Written in two parts: checkpatch takes the tag for this file's. */
	fputs("// SPDX-", out);
	fputs("License-Identifier: GPL-2.0\n", out);
	fputs("/* The default model: made by `make model` (scripts/mlra-train). */\n\n",
	      out);
	fputs("#include <mlra/model.h>\n\nconst u8 mlra_default_model[] = {", out);
	for (k = 0; k < len; k++)
		fprintf(out, "%s0x%02x,", k % 12 ? " " : "\n\t", blob[k]);
	fputs("\n};\n\nconst size_t mlra_default_model_size = sizeof(mlra_default_model);\n",
	      out);
	if (fclose(out))
		die("cannot write the C source");

	out = fopen(argv[i + 2], "w");
	if (!out)
		die("cannot write the report");
	{
		size_t agree = 0, right = 0, per[N_OUT] = { 0 }, ok[N_OUT] = { 0 };

		for (k = 0; k < data.n; k++) {
			struct mlra_prediction p;
			float h[MAX_HIDDEN], z[N_OUT];
			s32 f[MLRA_MAX_INPUTS] = { 0 };

			memcpy(f, data.s[k].f, sizeof(data.s[k].f));
			forward(&n, data.s[k].x, h, z);
			mlra_infer(model, f, &p);
			agree += p.class == argmax(z);
			right += p.class == data.s[k].label;
			per[data.s[k].label]++;
			ok[data.s[k].label] += p.class == data.s[k].label;
		}
		fprintf(out, "samples %zu, families %d, seed %llu, epochs %d, shape %d-%d-%d\n",
			data.n, n_families, seed, epochs, N_IN, hidden, N_OUT);
		fprintf(out, "fixed-point agrees with float: %.2f%%\n",
			100.0 * agree / data.n);
		fprintf(out, "accuracy against the labels: %.2f%%\n",
			100.0 * right / data.n);
		for (a = 0; a < N_OUT; a++)
			fprintf(out, "class %-7s labels %7zu accuracy %6.2f%%\n",
				model->class_name[a], per[a],
				per[a] ? 100.0 * ok[a] / per[a] : 0);
		fprintf(out, "\nlabels by family:\n%-22s", "family");
		for (a = 0; a < N_OUT; a++)
			fprintf(out, " %7s", model->class_name[a]);
		for (i = 0; i < n_families; i++) {
			size_t c[N_OUT] = { 0 };

			for (k = 0; k < data.n; k++)
				if (data.s[k].family == i)
					c[data.s[k].label]++;
			fprintf(out, "\n%-22s", family_name[i]);
			for (a = 0; a < N_OUT; a++)
				fprintf(out, " %7zu", c[a]);
		}
		fputc('\n', out);
	}
	if (lofo)
		leave_one_out(out, hidden, epochs, seed);
	if (fclose(out))
		die("cannot write the report");
	return 0;
}
