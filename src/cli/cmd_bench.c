/*
 * civstat bench: the benchmark of shared/bench/QUERIES.md.  Imports the
 * files gen.py wrote into a fresh database, answers Q1-Q5 through the same
 * analytics the progress, growth, rank, series and pillars commands use,
 * writes each answer as CSV (QUERIES.md's columns and order, the generated
 * ids), and prints timings as "name: value unit" lines.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "cli/cli.h"
#include "core/err.h"
#include "domain/import.h"
#include "domain/project.h"
#include "domain/values.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Resident memory of this process in bytes. */
static long rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * sysconf(_SC_PAGESIZE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The areas at a level, in id order (the generated ids). */
static int *level_areas(const struct catalog *cat, int level, int *n)
{
	int *list = malloc((size_t)(cat->n_areas ? cat->n_areas : 1) *
			   sizeof *list);
	*n = 0;
	for (int a = 0; list && a < cat->n_areas; a++)
		if (cat->areas[a].level == level)
			list[(*n)++] = a;
	return list;
}

static const char *const light[] = {"", "green", "yellow", "red"};

/* Q1: YTD progress of every county on the assessment indicators. */
static void q1(const struct cube *c, FILE *f)
{
	const struct catalog *cat = c->cat;
	struct period p = {2025, PERIOD_YTD, 9};
	int n;
	int *counties = level_areas(cat, 3, &n);
	if (f)
		fputs("county_id,indicator_id,ytd_value,target,completion,"
		      "expected,status\n", f);
	for (int k = 0; counties && k < n; k++) {
		for (int i = 0; i < cat->n_inds; i++) {
			if (isnan(cat->inds[i].weight))
				continue;
			struct progress pr;
			analytics_progress(c, i, counties[k], &p,
					   ANALYTICS_TOLERANCE, &pr);
			if (f && pr.status != STATUS_NONE)
				fprintf(f, "%d,%d,%.17g,%.17g,%.17g,%.17g,%s\n",
					cat->areas[counties[k]].id,
					cat->inds[i].id, pr.value, pr.target,
					pr.completion, pr.expected,
					light[pr.status]);
		}
	}
	free(counties);
}

/* Q2: 2025-Q3 against 2024-Q3 for every city and indicator. */
static void q2(const struct cube *c, FILE *f)
{
	const struct catalog *cat = c->cat;
	struct period p = {2025, PERIOD_QUARTER, 3};
	int n;
	int *cities = level_areas(cat, 2, &n);
	if (f)
		fputs("city_id,indicator_id,v2025q3,v2024q3,growth_pct\n", f);
	for (int k = 0; cities && k < n; k++) {
		for (int i = 0; i < cat->n_inds; i++) {
			struct growth g;
			analytics_growth(c, i, cities[k], &p, 1, &g);
			if (f && !isnan(g.value) && !isnan(g.base))
				fprintf(f, "%d,%d,%.17g,%.17g,%.17g\n",
					cat->areas[cities[k]].id,
					cat->inds[i].id, g.value, g.base,
					g.growth);
		}
	}
	free(cities);
}

/* Q3: counties ranked by the weighted score. */
static void q3(const struct cube *c, FILE *f)
{
	const struct catalog *cat = c->cat;
	struct period p = {2025, PERIOD_YTD, 9};
	int n;
	int *counties = level_areas(cat, 3, &n);
	double *score = malloc((size_t)(n ? n : 1) * sizeof *score);
	int *rank = malloc((size_t)(n ? n : 1) * sizeof *rank);
	int *order = malloc((size_t)(n ? n : 1) * sizeof *order);
	if (counties && score && rank && order) {
		for (int k = 0; k < n; k++)
			score[k] = analytics_score(c, counties[k], &p, 0);
		analytics_rank(score, n, 0, rank, order);
		if (f)
			fputs("county_id,score,rnk\n", f);
		for (int k = 0; f && k < n; k++)
			if (rank[order[k]])
				fprintf(f, "%d,%.17g,%d\n",
					cat->areas[counties[order[k]]].id,
					score[order[k]], rank[order[k]]);
	}
	free(counties);
	free(score);
	free(rank);
	free(order);
}

/* Q4: indicator 7 of city id 4, every month. */
static void q4(const struct cube *c, FILE *f)
{
	const struct catalog *cat = c->cat;
	int i = catalog_indicator_id(cat, 7), a = catalog_area_id(cat, 4);
	if (i < 0 || a < 0)
		return;
	if (f)
		fputs("period,value\n", f);
	for (int m = 2016 * 12; m < 2026 * 12; m++) {
		struct period p = period_from_month_index(m);
		double v = analytics_value(c, i, a, &p);
		if (f && !isnan(v))
			fprintf(f, "%d%02d,%.17g\n", p.year, p.num, v);
	}
}

/* Q5: the province's mean completion per pillar. */
static void q5(const struct cube *c, FILE *f)
{
	struct period p = {2025, PERIOD_YTD, 9};
	struct pillar_summary s[PILLAR_N];
	static const int by_name[PILLAR_N] = {PILLAR_EXCELLENT, PILLAR_STABLE,
					      PILLAR_VITAL};
	analytics_pillars(c, catalog_root(c->cat), &p, ANALYTICS_TOLERANCE, 0,
			  s);
	if (f)
		fputs("pillar,mean_completion,n_indicators\n", f);
	for (int k = 0; f && k < PILLAR_N; k++)
		if (s[by_name[k]].n_indicators)
			fprintf(f, "%s,%.17g,%d\n", pillar_name(by_name[k]),
				s[by_name[k]].mean_completion,
				s[by_name[k]].n_indicators);
}

static void (*const questions[5])(const struct cube *, FILE *) = {
	q1, q2, q3, q4, q5};

/* The child of cmd_bench: open, answer Q1, tell the time and memory. */
static int bench_open(const struct cli_opts *o)
{
	struct civstat *cs;
	long rss0 = rss_bytes();
	double t0 = now();
	int rc = civstat_open(o->db, STORE_READONLY, &cs);
	if (rc)
		return cli_fail(rc);
	q1(&cs->cube, NULL);
	printf("open_first_query_seconds: %.3f s\n", now() - t0);
	long rss1 = rss_bytes();
	long n = cs->cube.n_values ? cs->cube.n_values : 1;
	printf("values: %ld\n", cs->cube.n_values);
	printf("resident_bytes_per_value: %.1f bytes\n",
	       (double)(rss1 - rss0) / (double)n);
	civstat_close(cs);
	return 0;
}

/*
 * CIVSTAT_BENCH_PIPELINE=1 civstat bench --db FILE: the key-project
 * pipeline of FILE in this process: the read, and the monitoring summary
 * by cluster with its view kept (warm) and made again as after a write
 * (cold), median of o->repeat runs.
 */
static int bench_pipeline(const struct cli_opts *o)
{
	struct civstat *cs;
	struct project_book *b;
	struct project_sum *s;
	int rc, n, reps = o->repeat > 0 ? o->repeat : 100;
	double *t = malloc((size_t)reps * sizeof *t);
	if (!t)
		return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));
	if ((rc = civstat_open(o->db, STORE_READONLY, &cs))) {
		free(t);
		return cli_fail(rc);
	}
	double t0 = now();
	if ((rc = project_cache(cs, &b)))
		goto out;
	printf("pipeline_read_seconds: %.2f s\n", now() - t0);
	/* The heap a book takes: a second one read, the store's page cache
	 * (which the resident growth of bench/pipeline.sh counts too)
	 * filled by the first already. */
	struct project_book other;
	struct mallinfo2 m0 = mallinfo2();
	if ((rc = project_book_load_lean(&other, cs->st)))
		goto out;
	struct mallinfo2 m1 = mallinfo2();
	project_book_release(&other);
	printf("pipeline_book_mib: %.1f MiB\n",
	       ((double)(m1.uordblks + m1.hblkhd) -
		(double)(m0.uordblks + m0.hblkhd)) / 1048576);
	for (int cold = 0; cold < 2 && !rc; cold++) {
		for (int k = 0; k < reps && !rc; k++) {
			if (cold)
				b->gen++; /* as a write does */
			t0 = now();
			rc = project_rollup_on(b, &cs->cat, BY_CLUSTER,
					       b->last_month, "2026-01-01",
					       0.05, &s, &n);
			t[k] = now() - t0;
			if (!rc)
				free(s);
		}
		if (!rc)
			printf("pipeline_inprocess_summary_%s_median_ms: %.3f "
			       "ms\n", cold ? "after_write" : "kept",
			       median(t, reps) * 1e3);
	}
out:
	civstat_close(cs);
	free(t);
	return rc ? cli_fail(rc) : 0;
}

int cmd_bench(struct cli_opts *o)
{
	if (getenv("CIVSTAT_BENCH_OPEN"))
		return bench_open(o);
	if (getenv("CIVSTAT_BENCH_PIPELINE"))
		return bench_pipeline(o);
	struct civstat *cs = NULL;
	char *files[4] = {0};
	static const char *const names[4] = {"units.csv", "indicators.csv",
					     "values.csv", "targets.csv"};
	int rc = CS_OK;
	if (!o->data)
		return cli_fail(cs_errorf(CS_EUSAGE, "give --data DIR (the "
					  "files of shared/bench/gen.py)"));
	for (int k = 0; k < 4; k++)
		if (asprintf(&files[k], "%s/%s", o->data, names[k]) < 0)
			return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));

	/* Import into a fresh, durable database. */
	char wal[4096];
	unlink(o->db);
	snprintf(wal, sizeof wal, "%s-wal", o->db);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", o->db);
	unlink(wal);
	double t0 = now();
	if ((rc = civstat_open(o->db, STORE_CREATE, &cs)))
		goto failed;
	struct import_opts io = {0};
	struct import_report r;
	rc = import_files(cs, (const char *const *)files, 4, &io, &r);
	import_report_release(&r);
	if (rc)
		goto failed;
	civstat_close(cs);
	cs = NULL;
	printf("import_seconds: %.3f s\n", now() - t0);

	/* Open and answer the first question in a process of its own, so
	 * that neither the time nor the memory owes anything to the import. */
	fflush(stdout);
	pid_t pid;
	char *argv[] = {(char *)"civstat", (char *)"bench", (char *)"--db",
			(char *)o->db, NULL};
	char *envp[] = {(char *)"CIVSTAT_BENCH_OPEN=1", NULL};
	int status;
	if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, envp) ||
	    waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		rc = cs_errorf(CS_EINTERNAL, "the open measurement failed");
		goto failed;
	}
	if ((rc = civstat_open(o->db, STORE_READONLY, &cs)))
		goto failed;

	/* Q1-Q5: the answers, then the median time of o->repeat runs. */
	double *times = malloc((size_t)o->repeat * sizeof *times);
	if (!times) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto failed;
	}
	for (int q = 0; q < 5; q++) {
		if (o->out) {
			char path[4096];
			snprintf(path, sizeof path, "%s/q%d.csv", o->out, q + 1);
			FILE *f = fopen(path, "w");
			if (!f) {
				rc = cs_errorf(CS_EIO, "%s: %s", path,
					       strerror(errno));
				free(times);
				goto failed;
			}
			questions[q](&cs->cube, f);
			fclose(f);
		}
		for (int k = 0; k < o->repeat; k++) {
			t0 = now();
			questions[q](&cs->cube, NULL);
			times[k] = now() - t0;
		}
		printf("q%d_median_ms: %.3f ms\n", q + 1,
		       median(times, o->repeat) * 1e3);
	}
	free(times);
	civstat_close(cs);
	cs = NULL;

	/* One figure changed: the whole write, and the aggregates' part. */
	if ((rc = civstat_open(o->db, 0, &cs)))
		goto failed;
	int n_set = 200;
	double *total = malloc((size_t)n_set * sizeof *total);
	double *delta = malloc((size_t)n_set * sizeof *delta);
	int n_town;
	int *towns = level_areas(&cs->cat, 4, &n_town);
	if (!total || !delta || !towns || !n_town || !cs->cat.n_inds) {
		free(total);
		free(delta);
		free(towns);
		rc = cs_errorf(CS_EINVAL, "no townships to write to");
		goto failed;
	}
	srand(42);
	for (int k = 0; k < n_set; k++) {
		int i = rand() % cs->cat.n_inds, a = towns[rand() % n_town];
		int m = 2025 * 12 + rand() % 12;
		double v = cube_own(&cs->cube, i, a, m);
		double nv = (isnan(v) ? 100 : v) * 1.01;
		t0 = now();
		if ((rc = value_set(cs, i, a, m, nv, VALUE_APPROVED, NULL)))
			break;
		total[k] = now() - t0;
		/* The aggregates' share: the same delta applied again. */
		uint8_t fl = cube_flags(&cs->cube, i, a, m);
		t0 = now();
		cube_set(&cs->cube, i, a, m, nv * 1.01, fl);
		delta[k] = now() - t0;
		cube_set(&cs->cube, i, a, m, nv, fl);
	}
	if (!rc) {
		printf("set_figure_median_ms: %.3f ms\n",
		       median(total, n_set) * 1e3);
		printf("set_aggregates_median_us: %.3f us\n",
		       median(delta, n_set) * 1e6);
	}
	free(total);
	free(delta);
	free(towns);
failed:
	civstat_close(cs);
	for (int k = 0; k < 4; k++)
		free(files[k]);
	return rc ? cli_fail(rc) : 0;
}
