/*
 * The key-project pipeline (see project.h): checks and writes of
 * projects, phases, plans, milestones and monthly reports, the feed of
 * the reports into the key-project investment indicator, and the
 * roll-ups over the pipeline read whole from the store.
 */
#include "domain/project.h"

#include <jansson.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/period.h"
#include "domain/audit.h"
#include "domain/import.h"
#include "domain/values.h"

const struct project_cluster project_clusters[] = {
	/* The six 百亿级 industry clusters of the seed, then the rest. */
	{"fine_chem", "精细化工"},
	{"new_energy", "新能源"},
	{"new_materials", "新材料"},
	{"biomed", "生物医药"},
	{"equipment", "先进装备制造"},
	{"agri_food", "农副产品精深加工"},
	{"corridor", "东北陆海新通道"},
	{"urban", "城市建设"},
	{"livelihood", "社会民生"},
	{"services", "现代服务业"},
};
const int project_nclusters =
	sizeof project_clusters / sizeof *project_clusters;

static const char *const phase_names[PHASE_N][2] = {
	{"planning", "谋划"}, {"signed", "签约"},    {"started", "开工"},
	{"building", "在建"}, {"completed", "竣工"}, {"operating", "投产"},
};

/* English, the Chinese shown, and another Chinese name a file may use:
 * the issue's 揭榜挂帅 (open competition for key technology) is the
 * way the city runs its technology projects, so it names the type. */
static const char *const type_names[PROJECT_NTYPES][3] = {
	{"industry", "产业", "产业项目"},
	{"infrastructure", "基础设施", "基础设施项目"},
	{"livelihood", "民生", "社会民生"},
	{"technology", "科技攻关（揭榜挂帅）", "揭榜挂帅"},
};

int project_cluster_parse(const char *z)
{
	for (int k = 0; k < project_nclusters; k++)
		if (!strcmp(z, project_clusters[k].code) ||
		    !strcmp(z, project_clusters[k].zh))
			return k;
	return -1;
}

int project_phase_parse(const char *z)
{
	for (int k = 0; k < PHASE_N; k++)
		if (!strcmp(z, phase_names[k][0]) ||
		    !strcmp(z, phase_names[k][1]))
			return k;
	return -1;
}

int project_type_parse(const char *z)
{
	for (int k = 0; k < PROJECT_NTYPES; k++)
		if (!strcmp(z, type_names[k][0]) ||
		    !strcmp(z, type_names[k][1]) ||
		    !strcmp(z, type_names[k][2]))
			return k;
	/* The short name the first exports wrote. */
	if (!strcmp(z, "科技攻关") || !strcmp(z, "科技攻关(揭榜挂帅)"))
		return PROJECT_TECHNOLOGY;
	return -1;
}

const char *project_phase_zh(int phase)
{
	return phase >= 0 && phase < PHASE_N ? phase_names[phase][1] : "";
}

const char *project_phase_en(int phase)
{
	return phase >= 0 && phase < PHASE_N ? phase_names[phase][0] : "";
}

const char *project_type_zh(int type)
{
	return type >= 0 && type < PROJECT_NTYPES ? type_names[type][1] : "";
}

const char *project_type_en(int type)
{
	return type >= 0 && type < PROJECT_NTYPES ? type_names[type][0] : "";
}

const char *project_cluster_zh(const char *code)
{
	int k = project_cluster_parse(code);
	return k < 0 ? code : project_clusters[k].zh;
}

int project_by_parse(const char *z)
{
	static const char *const names[BY_N][2] = {
		{"cluster", "产业集群"},
		{"area", "地区"},
		{"phase", "阶段"},
		{"department", "责任单位"},
	};
	for (int k = 0; k < BY_N; k++)
		if (!strcmp(z, names[k][0]) || !strcmp(z, names[k][1]))
			return k;
	return -1;
}

int project_date_ok(const char *z)
{
	static const int days[] = {31, 29, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0;
	if (strlen(z) != 10 || sscanf(z, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	if (y < PERIOD_MIN_YEAR || y > PERIOD_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > days[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}


/* Inside an import (project_batch_begin): the writes append no audit
 * entry each and reports feed nothing; the import appends one entry and
 * feeds once, through the figures' import path.  Per thread, so that a
 * server's import does not silence another request's writes. */
static _Thread_local int batch;

void project_batch_begin(void)
{
	batch = 1;
}

void project_batch_end(void)
{
	batch = 0;
}

/* ---- the book: the pipeline in memory ---------------------------------- */

/* Keeps a copy of z in b; NULL when out of memory.  Empty strings, most
 * of a province's notes, share one. */
static char *keep(struct project_book *b, const char *z)
{
	if (!z || !*z)
		return (char *)"";
	if (b->n_strings == b->cap_strings) {
		size_t cap = b->cap_strings ? 2 * b->cap_strings : 256;
		char **p = realloc(b->strings, cap * sizeof *p);
		if (!p)
			return NULL;
		b->strings = p;
		b->cap_strings = cap;
	}
	char *c = strdup(z);
	if (c)
		b->strings[b->n_strings++] = c;
	return c;
}

/* Grows the array *a of *n elements of size sz by one; NULL on failure. */
static void *grow(void *pa, int *n, size_t sz)
{
	void **a = pa;
	/* Doubling at powers of two keeps the appends amortised. */
	if ((*n & (*n - 1)) == 0) {
		void *p = realloc(*a, (size_t)(*n ? 2 * *n : 1) * sz);
		if (!p)
			return NULL;
		*a = p;
	}
	return (char *)*a + (size_t)(*n)++ * sz;
}

#define OOM cs_errorf(CS_ENOMEM, "out of memory")

/* Project k's year, made (empty) when make and not there yet. */
static struct project_year *year_of(struct project_ledger *l, int year,
				    int make)
{
	/* A project's years are most often one after another. */
	int j = l->n_years ? year - l->years[0].year : 0;
	if (j >= 0 && j < l->n_years && l->years[j].year == year)
		return &l->years[j];
	j = 0;
	while (j < l->n_years && l->years[j].year < year)
		j++;
	if (j < l->n_years && l->years[j].year == year)
		return &l->years[j];
	if (!make)
		return NULL;
	struct project_year *p =
		realloc(l->years, (size_t)(l->n_years + 1) * sizeof *p);
	if (!p)
		return NULL;
	l->years = p;
	memmove(p + j + 1, p + j, (size_t)(l->n_years - j) * sizeof *p);
	memset(&p[j], 0, sizeof p[j]);
	p[j].year = year;
	p[j].plan = NAN;
	l->n_years++;
	return &p[j];
}

const struct project_year *project_year_of(const struct project_book *b,
					   int k, int year)
{
	return year_of(&b->ledgers[k], year, 0);
}

/* What project k reported for month m: its investment, 0 when none. */
static double month_of(const struct project_book *b, int k, int m, int *has,
		       int *sample)
{
	const struct project_year *y = year_of(&b->ledgers[k], m / 12, 0);
	int mo = m % 12;
	*has = y && (y->has >> mo & 1);
	*sample = y && (y->sample >> mo & 1);
	if (!*has)
		return 0;
	return y->cum[mo] - (mo ? y->cum[mo - 1] : 0);
}

/* Project k's report for month m into its ledger. */
static int ledger_report(struct project_book *b, int k, int m, double v,
			 int sample)
{
	struct project_year *y = year_of(&b->ledgers[k], m / 12, 1);
	int mo = m % 12, has, old_sample;
	if (!y)
		return OOM;
	double old = month_of(b, k, m, &has, &old_sample);
	for (int j = mo; j < 12; j++)
		y->cum[j] += v - old;
	y->has |= 1u << mo;
	y->sample = sample ? y->sample | 1u << mo : y->sample & ~(1u << mo);
	b->ledgers[k].sample |= sample;
	if (m > b->last_month)
		b->last_month = m;
	return CS_OK;
}

static int ledger_plan(struct project_book *b, int k, int year, double amount,
		       int sample)
{
	struct project_year *y = year_of(&b->ledgers[k], year, 1);
	if (!y)
		return OOM;
	y->plan = amount;
	y->plan_sample = sample;
	return CS_OK;
}

/* The earliest due of project k's open milestones, read again. */
static void ledger_due(struct project_book *b, int k)
{
	struct project_ledger *l = &b->ledgers[k];
	l->due[0] = 0;
	for (int j = 0; j < b->n_milestones; j++) {
		const struct milestone *m = &b->milestones[j];
		if (m->project_id == b->projects[k].id && !*m->done &&
		    (!l->due[0] || strcmp(m->due, l->due) < 0))
			snprintf(l->due, sizeof l->due, "%s", m->due);
	}
}

int project_book_find(const struct project_book *b, const char *code)
{
	return strmap_get(&b->by_code, code, strlen(code));
}

int project_book_at(const struct project_book *b, int id)
{
	return id > 0 && id < b->n_at_id ? b->at_id[id] - 1 : -1;
}

/* Copies p's strings into *c, kept by b. */
static int copy_project(struct project_book *b, struct project *c,
			const struct project *p)
{
	*c = *p;
	if (!(c->code = keep(b, p->code)) || !(c->name = keep(b, p->name)) ||
	    !(c->cluster = keep(b, p->cluster)) ||
	    !(c->leader = keep(b, p->leader)) ||
	    !(c->planned_start = keep(b, p->planned_start)) ||
	    !(c->planned_finish = keep(b, p->planned_finish)) ||
	    !(c->actual_start = keep(b, p->actual_start)) ||
	    !(c->actual_finish = keep(b, p->actual_finish)) ||
	    !(c->address = keep(b, p->address)) ||
	    !(c->issues = keep(b, p->issues)) ||
	    !(c->programme = keep(b, p->programme)) ||
	    !(c->source = keep(b, p->source)))
		return OOM;
	return CS_OK;
}

static int book_project(void *ctx, const struct project *p)
{
	struct project_book *b = ctx;
	int k = b->n_projects, nl = k;
	struct project *c = grow(&b->projects, &b->n_projects, sizeof *c);
	struct project_ledger *l = c ? grow(&b->ledgers, &nl, sizeof *l)
				     : NULL;
	if (!l) {
		b->n_projects = k;
		return OOM;
	}
	memset(l, 0, sizeof *l);
	if (p->id >= b->n_at_id) {
		int n = 2 * p->id + 16;
		int *a = realloc(b->at_id, (size_t)n * sizeof *a);
		if (!a)
			return OOM;
		memset(a + b->n_at_id, 0, (size_t)(n - b->n_at_id) * sizeof *a);
		b->at_id = a;
		b->n_at_id = n;
	}
	int rc = copy_project(b, c, p);
	if (rc || (rc = strmap_put(&b->by_code, c->code, k)))
		return rc;
	l->cluster = project_cluster_parse(c->cluster);
	if (p->id > 0)
		b->at_id[p->id] = k + 1;
	return CS_OK;
}

static int book_plan(void *ctx, const struct project_plan *p)
{
	struct project_book *b = ctx;
	int k = project_book_at(b, p->project_id);
	if (k >= 0 && ledger_plan(b, k, p->year, p->amount, p->sample))
		return OOM;
	if (b->lean)
		return CS_OK;
	struct project_plan *c = grow(&b->plans, &b->n_plans, sizeof *c);
	if (!c)
		return OOM;
	*c = *p;
	return CS_OK;
}

static int book_milestone(void *ctx, const struct milestone *m)
{
	struct project_book *b = ctx;
	char key[300];
	int j = b->n_milestones, k = project_book_at(b, m->project_id);
	struct milestone *c = grow(&b->milestones, &b->n_milestones, sizeof *c);
	if (!c)
		return OOM;
	*c = *m;
	if (!(c->name = keep(b, m->name)) || !(c->due = keep(b, m->due)) ||
	    !(c->done = keep(b, m->done)))
		return OOM;
	snprintf(key, sizeof key, "%d/%s", m->project_id, m->name);
	if (strmap_put(&b->by_milestone, key, j))
		return OOM;
	if (k >= 0 && !*c->done) {
		struct project_ledger *l = &b->ledgers[k];
		if (!l->due[0] || strcmp(c->due, l->due) < 0)
			snprintf(l->due, sizeof l->due, "%s", c->due);
	}
	return CS_OK;
}

static int book_report(void *ctx, const struct project_report *r)
{
	struct project_book *b = ctx;
	int k = project_book_at(b, r->project_id);
	if (k >= 0 && ledger_report(b, k, r->month, r->investment, r->sample))
		return OOM;
	if (b->lean)
		return CS_OK;
	struct project_report *c = grow(&b->reports, &b->n_reports, sizeof *c);
	if (!c)
		return OOM;
	*c = *r;
	if (!(c->note = keep(b, r->note)) || !(c->actor = keep(b, r->actor)) ||
	    !(c->at = keep(b, r->at)))
		return OOM;
	return CS_OK;
}

static int book_phase(void *ctx, const struct phase_change *p)
{
	struct project_book *b = ctx;
	struct phase_change *c = grow(&b->phases, &b->n_phases, sizeof *c);
	if (!c)
		return OOM;
	*c = *p;
	if (!(c->date = keep(b, p->date)) || !(c->reason = keep(b, p->reason)) ||
	    !(c->actor = keep(b, p->actor)) || !(c->at = keep(b, p->at)))
		return OOM;
	return CS_OK;
}

static int book_programme(void *ctx, const struct programme *p)
{
	struct project_book *b = ctx;
	struct programme *c = grow(&b->programmes, &b->n_programmes, sizeof *c);
	if (!c)
		return OOM;
	*c = *p;
	if (!(c->code = keep(b, p->code)) || !(c->name = keep(b, p->name)) ||
	    !(c->source = keep(b, p->source)))
		return OOM;
	return CS_OK;
}

static int book_community(void *ctx, const struct community *m)
{
	struct project_book *b = ctx;
	struct community *c =
		grow(&b->communities, &b->n_communities, sizeof *c);
	if (!c)
		return OOM;
	*c = *m;
	if (!(c->name = keep(b, m->name)) ||
	    !(c->started = keep(b, m->started)) ||
	    !(c->finished = keep(b, m->finished)))
		return OOM;
	return CS_OK;
}

static int plan_sample(const struct project_book *b, int k, int year);

/* The view a book keeps (project_view_get). */
struct project_memo {
	pthread_mutex_t mu;
	struct project_view v;
};

static int book_load(struct project_book *b, struct store *st, int lean)
{
	const struct store_ops *o = st->ops;
	int rc;
	memset(b, 0, sizeof *b);
	b->last_month = -1;
	b->lean = lean;
	if (!(b->memo = calloc(1, sizeof *b->memo)))
		return OOM;
	pthread_mutex_init(&b->memo->mu, NULL);
	if ((rc = o->scan_projects(st, book_project, b)) ||
	    (rc = o->scan_project_plans(st, book_plan, b)) ||
	    (rc = o->scan_milestones(st, book_milestone, b)) ||
	    (rc = o->scan_project_reports(st, book_report, b)) ||
	    (rc = o->scan_phase_changes(st, book_phase, b)) ||
	    (rc = o->scan_programmes(st, book_programme, b)) ||
	    (rc = o->scan_communities(st, book_community, b)))
		project_book_release(b);
	return rc;
}

int project_book_load(struct project_book *b, struct store *st)
{
	return book_load(b, st, 0);
}

int project_book_load_lean(struct project_book *b, struct store *st)
{
	return book_load(b, st, 1);
}

void project_book_release(struct project_book *b)
{
	for (size_t k = 0; k < b->n_strings; k++)
		free(b->strings[k]);
	for (int k = 0; k < b->n_projects; k++)
		free(b->ledgers[k].years);
	free(b->ledgers);
	strmap_release(&b->by_code);
	strmap_release(&b->by_milestone);
	free(b->at_id);
	free(b->strings);
	free(b->projects);
	free(b->plans);
	free(b->milestones);
	free(b->reports);
	free(b->phases);
	free(b->programmes);
	free(b->communities);
	if (b->memo) {
		pthread_mutex_destroy(&b->memo->mu);
		free(b->memo->v.plan);
		free(b->memo->v.done);
		free(b->memo->v.flags);
		free(b->memo->v.total);
		free(b->memo->v.area);
		free(b->memo->v.sample);
		free(b->memo);
	}
	memset(b, 0, sizeof *b);
	b->last_month = -1;
}

/* Grows *p to n elements of size sz; 0 when out of memory. */
static int room(void *pp, size_t n, size_t sz)
{
	void **p = pp;
	void *q = realloc(*p, n * sz);
	if (q)
		*p = q;
	return q != NULL;
}

const struct project_view *project_view_get(const struct project_book *b,
					    const struct catalog *cat,
					    int upto, const char *today,
					    double tolerance)
{
	struct project_memo *m = b->memo;
	struct project_view *v = &m->v;
	pthread_mutex_lock(&m->mu);
	if (v->gen == b->gen + 1 && v->area_gen == b->area_gen + 1 &&
	    v->upto == upto && v->n == b->n_projects &&
	    v->tolerance == tolerance && !strcmp(v->today, today))
		return v;
	size_t n = (size_t)b->n_projects + 1;
	v->gen = 0;
	if (v->cap < b->n_projects &&
	    (!room(&v->plan, n, sizeof *v->plan) ||
	     !room(&v->done, n, sizeof *v->done) ||
	     !room(&v->total, n, sizeof *v->total) ||
	     !room(&v->area, n, sizeof *v->area) ||
	     !room(&v->flags, n, 1) || !room(&v->sample, n, 1))) {
		pthread_mutex_unlock(&m->mu);
		return NULL;
	}
	if (v->cap < b->n_projects)
		v->area_gen = 0; /* the areas too, for the new projects */
	v->cap = b->n_projects;
	/* A catalogue lookup by id costs more than the rest: the areas
	 * are looked up again only when some project's area (or the
	 * catalogue) changed. */
	int areas = v->area_gen != b->area_gen + 1 || v->n != b->n_projects;
	for (int k = 0; k < b->n_projects; k++) {
		const struct project *p = &b->projects[k];
		v->flags[k] = (unsigned char)project_state(
			b, k, upto, today, tolerance, &v->plan[k], &v->done[k]);
		v->total[k] = isnan(p->total) ? 0 : p->total;
		if (areas)
			v->area[k] = catalog_area_id(cat, p->area_id);
		v->sample[k] = (unsigned char)(p->sample |
					       b->ledgers[k].sample |
					       plan_sample(b, k, upto / 12));
	}
	v->n = b->n_projects;
	v->area_gen = b->area_gen + 1;
	v->upto = upto;
	v->tolerance = tolerance;
	snprintf(v->today, sizeof v->today, "%s", today);
	v->gen = b->gen + 1;
	return v;
}

void project_view_put(const struct project_book *b)
{
	pthread_mutex_unlock(&b->memo->mu);
}

/* ---- the book a civstat holds ------------------------------------------ */

int project_cache(struct civstat *cs, struct project_book **out)
{
	if (!cs->projects) {
		struct project_book *b = malloc(sizeof *b);
		if (!b)
			return OOM;
		int rc = project_book_load_lean(b, cs->st);
		if (rc) {
			free(b);
			return rc;
		}
		cs->projects = b;
	}
	*out = cs->projects;
	return CS_OK;
}

void project_cache_take(struct civstat *cs, struct project_book *b)
{
	if (cs->projects) {
		project_book_release(cs->projects);
	} else if (!(cs->projects = malloc(sizeof *b))) {
		project_book_release(b);
		return; /* read again at the next use */
	}
	*cs->projects = *b;
}

void project_cache_drop(struct civstat *cs)
{
	if (!cs->projects)
		return;
	project_book_release(cs->projects);
	free(cs->projects);
	cs->projects = NULL;
}

/* A change to the held book: under the cube's lock for a server's
 * readers; an import (batch) runs alone and changes it as it goes. */
static void held_lock(struct civstat *cs)
{
	if (!batch)
		civstat_cube_lock(cs);
}

static void held_unlock(struct civstat *cs, int rc)
{
	if (rc) /* out of memory half way: read it again when next used */
		project_cache_drop(cs);
	else if (cs->projects)
		cs->projects->gen++; /* the views made before are stale */
	if (!batch)
		civstat_cube_unlock(cs);
}

/* Now, as the stores write "at" (ISO 8601 UTC). */
static void now_utc(char buf[24])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- writes ------------------------------------------------------------ */

/* The project with code in the held book: *k its index.  CS_ENOTFOUND
 * naming the code. */
static int find_project(struct civstat *cs, const char *code,
			struct project_book **b, int *k)
{
	int rc = project_cache(cs, b);
	if (rc)
		return rc;
	if ((*k = project_book_find(*b, code)) < 0)
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": no such project",
				 code);
	return CS_OK;
}

/* Appends an audit entry whose after is the JSON object o (taken). */
static int audit_json(struct civstat *cs, const char *action,
		      const char *object, json_t *before, json_t *after)
{
	if (batch) {
		json_decref(before);
		json_decref(after);
		return CS_OK;
	}
	char *zb = before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *za = after ? json_dumps(after, JSON_COMPACT) : NULL;
	int rc = (before && !zb) || (after && !za)
			 ? OOM
			 : audit_append(cs, action, object, zb, za);
	free(zb);
	free(za);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* A date field: "" or a real date. */
static int check_date(const char *what, const char *code, const char *z)
{
	if (!z || !*z || project_date_ok(z))
		return CS_OK;
	return cs_errorf(CS_EINVAL, "project \"%s\": %s \"%s\" is not a date "
			 "(YYYY-MM-DD)", code, what, z);
}

static int check_project(struct civstat *cs, const struct project *p)
{
	const char *code = p->code ? p->code : "";
	int rc;
	if (!*code)
		return cs_errorf(CS_EINVAL, "a project needs a code");
	if (!p->name || !*p->name)
		return cs_errorf(CS_EINVAL, "project \"%s\": no name", code);
	if (!p->cluster || project_cluster_parse(p->cluster) < 0)
		return cs_errorf(CS_EINVAL, "project \"%s\": unknown cluster "
				 "\"%s\"", code, p->cluster ? p->cluster : "");
	if (p->type < 0 || p->type >= PROJECT_NTYPES)
		return cs_errorf(CS_EINVAL, "project \"%s\": unknown type",
				 code);
	if (p->phase < 0 || p->phase >= PHASE_N)
		return cs_errorf(CS_EINVAL, "project \"%s\": unknown phase",
				 code);
	if (catalog_area_id(&cs->cat, p->area_id) < 0)
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": unknown area",
				 code);
	if (p->department_id &&
	    catalog_department_id(&cs->cat, p->department_id) < 0)
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": unknown "
				 "department", code);
	if (!isnan(p->total) && (p->total < 0 || !isfinite(p->total)))
		return cs_errorf(CS_EINVAL, "project \"%s\": total investment "
				 "%g is negative", code, p->total);
	if ((rc = check_date("planned start", code, p->planned_start)) ||
	    (rc = check_date("planned finish", code, p->planned_finish)) ||
	    (rc = check_date("actual start", code, p->actual_start)) ||
	    (rc = check_date("actual finish", code, p->actual_finish)))
		return rc;
	if ((!isnan(p->lon) && (p->lon < -180 || p->lon > 180)) ||
	    (!isnan(p->lat) && (p->lat < -90 || p->lat > 90)))
		return cs_errorf(CS_EINVAL, "project \"%s\": coordinates out "
				 "of range", code);
	return CS_OK;
}

/* Puts project p, as stored, and its phase change c (when not NULL)
 * into the held book b: in place of index old, or new. */
static int held_project(struct civstat *cs, struct project_book *b, int old,
			const struct project *p, const struct phase_change *c)
{
	char at[24];
	int rc;
	held_lock(cs);
	b->area_gen++;
	if (old < 0) {
		rc = book_project(b, p);
	} else {
		rc = copy_project(b, &b->projects[old], p);
		b->ledgers[old].cluster = project_cluster_parse(p->cluster);
	}
	if (!rc && c) {
		struct phase_change w = *c;
		now_utc(at);
		w.at = at;
		rc = book_phase(b, &w);
	}
	held_unlock(cs, rc);
	return CS_OK; /* the store has it: the book follows when read again */
}

int project_put(struct civstat *cs, struct project *p)
{
	struct store *st = cs->st;
	struct project_book *b;
	int rc = check_project(cs, p);
	if (rc || (rc = project_cache(cs, &b)))
		return rc;
	int old = project_book_find(b, p->code);
	int from = old < 0 ? -1 : b->projects[old].phase;
	if (p->phase < from) {
		/* Only project_set_phase, with its reason, goes back. */
		return cs_errorf(CS_EINVAL, "project \"%s\": the phase would "
				 "go back from %s to %s, which needs a reason "
				 "(civstat project phase --reason)", p->code,
				 project_phase_zh(from),
				 project_phase_zh(p->phase));
	}
	if ((rc = st->ops->begin(st)))
		return rc;
	if (old >= 0)
		p->id = b->projects[old].id;
	if ((rc = st->ops->put_project(st, p)))
		goto failed;
	/* A phase set by an import is a change like any other. */
	struct phase_change c = {
		.project_id = p->id, .from = from, .to = p->phase,
		.date = p->phase >= PHASE_STARTED && p->actual_start
				? p->actual_start : (char *)"",
		.reason = (char *)(old < 0 ? "" : "import"),
		.actor = (char *)cs->actor,
	};
	if (from != p->phase && (rc = st->ops->add_phase_change(st, &c)))
		goto failed;
	json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:o?}", "name",
				  p->name, "cluster", p->cluster, "type",
				  project_type_en(p->type), "phase",
				  project_phase_en(p->phase), "total",
				  isnan(p->total) ? NULL
						  : json_real(p->total));
	json_t *before = old < 0 ? NULL
			 : json_pack("{s:s, s:s}", "name",
				     b->projects[old].name, "phase",
				     project_phase_en(b->projects[old].phase));
	if ((rc = audit_json(cs, "project.put", p->code, before, after)) ||
	    (rc = st->ops->commit(st)))
		goto failed;
	return held_project(cs, b, old, p, from != p->phase ? &c : NULL);
failed:
	st->ops->rollback(st);
	return rc;
}

int project_set_phase(struct civstat *cs, const char *code, int to,
		      const char *date, const char *reason)
{
	struct store *st = cs->st;
	struct project_book *b;
	int k, rc;
	if (to < 0 || to >= PHASE_N)
		return cs_errorf(CS_EINVAL, "project \"%s\": unknown phase",
				 code);
	if (!date || !project_date_ok(date))
		return cs_errorf(CS_EINVAL, "project \"%s\": a phase change "
				 "needs its date (YYYY-MM-DD), not \"%s\"",
				 code, date ? date : "");
	if ((rc = find_project(cs, code, &b, &k)))
		return rc;
	struct project p = b->projects[k];
	if (to == p.phase)
		return cs_errorf(CS_ECONFLICT, "project \"%s\" is in phase %s "
				 "already", code, project_phase_zh(to));
	if (to < p.phase && (!reason || !*reason))
		return cs_errorf(CS_EINVAL, "project \"%s\": going back from %s "
				 "to %s needs a reason", code,
				 project_phase_zh(p.phase),
				 project_phase_zh(to));
	int from = p.phase;
	p.phase = to;
	if (to >= PHASE_STARTED && from < PHASE_STARTED && !*p.actual_start)
		p.actual_start = (char *)date;
	if (to >= PHASE_COMPLETED && from < PHASE_COMPLETED &&
	    !*p.actual_finish)
		p.actual_finish = (char *)date;
	struct phase_change c = {
		.project_id = p.id, .from = from, .to = to,
		.date = (char *)date, .reason = (char *)(reason ? reason : ""),
		.actor = (char *)cs->actor,
	};
	if ((rc = st->ops->begin(st)))
		return rc;
	json_t *before = json_pack("{s:s}", "phase", project_phase_en(from));
	json_t *after = json_pack("{s:s, s:s, s:s}", "phase",
				  project_phase_en(to), "date", date,
				  "reason", c.reason);
	if ((rc = st->ops->put_project(st, &p)) ||
	    (rc = st->ops->add_phase_change(st, &c)) ||
	    (rc = audit_json(cs, "project.phase", code, before, after)) ||
	    (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		return rc;
	}
	return held_project(cs, b, k, &p, &c);
}

/* Leaves a group whose transaction failed: nothing of it is kept, and
 * none of its figures reaches the cube. */
static void group_abort(struct civstat *cs)
{
	cs->st->ops->rollback(cs->st);
	cs->grouped = 0;
	cs->n_pending = 0;
}

/*
 * Writes the figure of PROJECT_INDICATOR for area index a and month m:
 * the sum of the reports of the projects within a, project kx's being
 * vx (sample sx) now.  The figure is sample data when any report in it
 * is.
 */
static int feed_area(struct civstat *cs, const struct project_book *b,
		     int i, int a, int m, int kx, double vx, int sx)
{
	double sum = 0;
	int n = 0, sample = 0;
	for (int k = 0; k < b->n_projects; k++) {
		int pa = catalog_area_id(&cs->cat, b->projects[k].area_id);
		int has = 1, smp = sx;
		if (pa < 0 || !catalog_area_within(&cs->cat, pa, a))
			continue;
		double v = k == kx ? vx : month_of(b, k, m, &has, &smp);
		if (!has)
			continue;
		sum += v;
		sample |= smp;
		n++;
	}
	char comment[96];
	snprintf(comment, sizeof comment, "重点项目月报汇总：%d个项目", n);
	value_feed_begin();
	int rc = value_set_sample(cs, i, a, m, n ? sum : NAN, VALUE_APPROVED,
				  n ? comment : "", sample);
	value_feed_end();
	return rc;
}

/* Feeds the figures of project k's area and every area above it for
 * month m, its report being v now, inside the caller's group. */
static int feed(struct civstat *cs, const struct project_book *b, int k,
		int m, double v, int sample)
{
	int i = catalog_indicator(&cs->cat, PROJECT_INDICATOR,
				  strlen(PROJECT_INDICATOR));
	if (i < 0)
		return CS_OK; /* no such indicator: nothing to feed */
	int rc = CS_OK;
	for (int a = catalog_area_id(&cs->cat, b->projects[k].area_id);
	     a >= 0 && !rc; a = cs->cat.parent[a])
		rc = feed_area(cs, b, i, a, m, k, v, sample);
	return rc;
}

int project_put_report(struct civstat *cs, const struct project_report *r,
		       int now_month)
{
	struct store *st = cs->st;
	struct project_book *b;
	char per[32];
	int rc, has, old_sample;
	struct period p = period_from_month_index(r->month);
	period_format(&p, per, sizeof per);
	if (isnan(r->investment) || !isfinite(r->investment) ||
	    r->investment < 0)
		return cs_errorf(CS_EINVAL, "report %s: investment %g is not an "
				 "amount of 亿元 of zero or more", per,
				 r->investment);
	if (!isnan(r->progress) && (r->progress < 0 || r->progress > 100))
		return cs_errorf(CS_EINVAL, "report %s: progress %g is not "
				 "0..100 %%", per, r->progress);
	if (r->month > now_month)
		return cs_errorf(CS_EINVAL, "report %s: the month has not come "
				 "yet", per);
	if ((rc = project_cache(cs, &b)))
		return rc;
	int k = project_book_at(b, r->project_id);
	if (k < 0)
		return cs_errorf(CS_ENOTFOUND, "report %s: no project with id "
				 "%d", per, r->project_id);
	struct project_report w = *r;
	w.actor = (char *)cs->actor;
	w.note = (char *)(r->note ? r->note : "");
	double before = month_of(b, k, r->month, &has, &old_sample);
	char object[160];
	snprintf(object, sizeof object, "%s/%s", b->projects[k].code, per);
	if ((rc = civstat_group_begin(cs)))
		return rc;
	json_t *jb = !has ? NULL : json_pack("{s:f}", "investment", before);
	json_t *ja = json_pack("{s:f, s:o, s:s}", "investment", r->investment,
			       "progress",
			       isnan(r->progress) ? json_null()
						  : json_real(r->progress),
			       "note", w.note);
	if ((rc = st->ops->put_project_report(st, &w)) ||
	    (rc = audit_json(cs, "project.report", object, jb, ja)) ||
	    (!batch && (rc = feed(cs, b, k, r->month, r->investment,
				  r->sample)))) {
		group_abort(cs);
		return rc;
	}
	if ((rc = civstat_group_end(cs)))
		return rc;
	held_lock(cs);
	rc = ledger_report(b, k, r->month, r->investment, r->sample);
	held_unlock(cs, rc);
	return CS_OK;
}

int project_put_plan(struct civstat *cs, const struct project_plan *p)
{
	struct store *st = cs->st;
	struct project_book *b;
	if (isnan(p->amount) || !isfinite(p->amount) || p->amount < 0)
		return cs_errorf(CS_EINVAL, "plan %d: investment %g is not an "
				 "amount of 亿元 of zero or more", p->year,
				 p->amount);
	if (p->year < PERIOD_MIN_YEAR || p->year > PERIOD_MAX_YEAR)
		return cs_errorf(CS_EINVAL, "plan: year %d out of range",
				 p->year);
	char object[32];
	snprintf(object, sizeof object, "%d/%d", p->project_id, p->year);
	int rc = project_cache(cs, &b);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->put_project_plan(st, p)) ||
	    (rc = audit_json(cs, "project.plan", object, NULL,
			     json_pack("{s:f}", "amount", p->amount))) ||
	    (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		return rc;
	}
	int k = project_book_at(b, p->project_id);
	held_lock(cs);
	rc = k < 0 ? CS_OK : ledger_plan(b, k, p->year, p->amount, p->sample);
	held_unlock(cs, rc);
	return CS_OK;
}

/* Milestone m, as stored, into the held book b. */
static int held_milestone(struct project_book *b, const struct milestone *m)
{
	char key[300];
	int k = project_book_at(b, m->project_id);
	snprintf(key, sizeof key, "%d/%s", m->project_id, m->name);
	int j = strmap_get(&b->by_milestone, key, strlen(key));
	if (j < 0)
		return book_milestone(b, m);
	struct milestone *c = &b->milestones[j];
	c->sample = m->sample;
	if (!(c->due = keep(b, m->due)) || !(c->done = keep(b, m->done)))
		return OOM;
	if (k >= 0)
		ledger_due(b, k);
	return CS_OK;
}

int project_put_milestone(struct civstat *cs, const struct milestone *m)
{
	struct store *st = cs->st;
	struct project_book *b;
	if (!m->name || !*m->name)
		return cs_errorf(CS_EINVAL, "a milestone needs a name");
	if (!m->due || !project_date_ok(m->due))
		return cs_errorf(CS_EINVAL, "milestone \"%s\": due \"%s\" is "
				 "not a date (YYYY-MM-DD)", m->name,
				 m->due ? m->due : "");
	if (m->done && *m->done && !project_date_ok(m->done))
		return cs_errorf(CS_EINVAL, "milestone \"%s\": done \"%s\" is "
				 "not a date (YYYY-MM-DD)", m->name, m->done);
	char object[256];
	snprintf(object, sizeof object, "%d/%s", m->project_id, m->name);
	int rc = project_cache(cs, &b);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->put_milestone(st, m)) ||
	    (rc = audit_json(cs, "project.milestone", object, NULL,
			     json_pack("{s:s, s:s}", "due", m->due, "done",
				       m->done ? m->done : ""))) ||
	    (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		return rc;
	}
	struct milestone w = *m;
	w.done = m->done ? m->done : "";
	held_lock(cs);
	rc = held_milestone(b, &w);
	held_unlock(cs, rc);
	return CS_OK;
}

int project_put_programme(struct civstat *cs, struct programme *p)
{
	struct store *st = cs->st;
	struct project_book *b;
	if (!p->code || !*p->code || !p->name || !*p->name)
		return cs_errorf(CS_EINVAL, "a programme needs a code and a "
				 "name");
	if (p->communities < 0 || p->buildings < 0 || p->households < 0)
		return cs_errorf(CS_EINVAL, "programme \"%s\": a negative "
				 "count", p->code);
	int rc = project_cache(cs, &b);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->put_programme(st, p)) ||
	    (rc = audit_json(cs, "programme.put", p->code, NULL,
			     json_pack("{s:s, s:i, s:i, s:i}", "name",
				       p->name, "communities",
				       p->communities, "buildings",
				       p->buildings, "households",
				       p->households))) ||
	    (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		return rc;
	}
	int j = 0;
	while (j < b->n_programmes && strcmp(b->programmes[j].code, p->code))
		j++;
	held_lock(cs);
	if (j == b->n_programmes) {
		rc = book_programme(b, p);
	} else {
		struct programme *c = &b->programmes[j];
		*c = *p;
		if (!(c->code = keep(b, p->code)) ||
		    !(c->name = keep(b, p->name)) ||
		    !(c->source = keep(b, p->source)))
			rc = OOM;
	}
	held_unlock(cs, rc);
	return CS_OK;
}

int project_put_community(struct civstat *cs, const struct community *c)
{
	struct store *st = cs->st;
	struct project_book *b;
	if (!c->name || !*c->name)
		return cs_errorf(CS_EINVAL, "a community needs a name");
	if (c->progress < 0 || c->progress > 100 || c->buildings < 0 ||
	    c->households < 0)
		return cs_errorf(CS_EINVAL, "community \"%s\": progress must "
				 "be 0..100 and counts not negative", c->name);
	char object[256];
	snprintf(object, sizeof object, "%d/%s", c->programme_id, c->name);
	int rc = project_cache(cs, &b);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->put_community(st, c)) ||
	    (rc = audit_json(cs, "programme.community", object, NULL,
			     json_pack("{s:f}", "progress", c->progress))) ||
	    (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		return rc;
	}
	int j = 0;
	while (j < b->n_communities &&
	       (b->communities[j].programme_id != c->programme_id ||
		strcmp(b->communities[j].name, c->name)))
		j++;
	held_lock(cs);
	if (j == b->n_communities) {
		rc = book_community(b, c);
	} else {
		struct community *w = &b->communities[j];
		*w = *c;
		if (!(w->name = keep(b, c->name)) ||
		    !(w->started = keep(b, c->started)) ||
		    !(w->finished = keep(b, c->finished)))
			rc = OOM;
	}
	held_unlock(cs, rc);
	return CS_OK;
}

/* ---- roll-ups ---------------------------------------------------------- */

double project_done(const struct project_book *b, int k, int upto)
{
	const struct project_year *y = year_of(&b->ledgers[k], upto / 12, 0);
	return y ? y->cum[upto % 12] : 0;
}

double project_plan_of(const struct project_book *b, int k, int year)
{
	const struct project_year *y = year_of(&b->ledgers[k], year, 0);
	return y ? y->plan : NAN;
}

static int plan_sample(const struct project_book *b, int k, int year)
{
	const struct project_year *y = year_of(&b->ledgers[k], year, 0);
	return y && y->plan_sample;
}

unsigned project_flags(const struct project_book *b, int k, int upto,
		       const char *today, double tolerance)
{
	double plan, done;
	return project_state(b, k, upto, today, tolerance, &plan, &done);
}

unsigned project_state(const struct project_book *b, int k, int upto,
		       const char *today, double tolerance, double *plan,
		       double *done)
{
	const struct project *p = &b->projects[k];
	const struct project_year *y = year_of(&b->ledgers[k], upto / 12, 0);
	const char *due = b->ledgers[k].due;
	unsigned f = 0;
	*plan = y ? y->plan : NAN;
	*done = y ? y->cum[upto % 12] : 0;
	double expected = *plan * (upto % 12 + 1) / 12.0;
	if (!isnan(*plan) && *plan > 0 && *done < expected * (1 - tolerance))
		f |= PFLAG_BEHIND;
	if (*due && strcmp(due, today) < 0)
		f |= PFLAG_OVERDUE;
	if (*p->planned_start && strcmp(p->planned_start, today) < 0 &&
	    p->phase < PHASE_STARTED)
		f |= PFLAG_NOT_STARTED;
	return f;
}

/* The key and name of project p's group. */
static void group_of(const struct project *p, const struct catalog *cat,
		     enum project_by by, char *key, size_t cap,
		     const char **name)
{
	int x;
	switch (by) {
	case BY_CLUSTER:
		snprintf(key, cap, "%s", p->cluster);
		*name = project_cluster_zh(p->cluster);
		break;
	case BY_AREA:
		x = catalog_area_id(cat, p->area_id);
		snprintf(key, cap, "%s", x < 0 ? "" : cat->areas[x].code);
		*name = x < 0 ? "" : cat->areas[x].name;
		break;
	case BY_PHASE:
		snprintf(key, cap, "%s", project_phase_en(p->phase));
		*name = project_phase_zh(p->phase);
		break;
	default:
		x = p->department_id ? catalog_department_id(cat,
							     p->department_id)
				     : -1;
		snprintf(key, cap, "%s", x < 0 ? "" : cat->depts[x].code);
		*name = x < 0 ? "（未指定）" : cat->depts[x].name;
		break;
	}
}

/* The rank of a group's key in its fixed order, so that a roll-up reads
 * clusters and phases in their own order and areas as the catalogue:
 * also the group's slot, 0..slots(by)-1. */
static int rank_of(const struct project *p, const struct catalog *cat,
		   enum project_by by)
{
	int x;
	switch (by) {
	case BY_CLUSTER:
		return project_cluster_parse(p->cluster);
	case BY_AREA:
		return catalog_area_id(cat, p->area_id);
	case BY_PHASE:
		return p->phase;
	default:
		x = p->department_id
			    ? catalog_department_id(cat, p->department_id)
			    : -1;
		return x < 0 ? cat->n_depts : x;
	}
}

static int slots(const struct catalog *cat, enum project_by by)
{
	switch (by) {
	case BY_CLUSTER:
		return project_nclusters;
	case BY_AREA:
		return cat->n_areas;
	case BY_PHASE:
		return PHASE_N;
	default:
		return cat->n_depts + 1;
	}
}

int project_rollup(const struct project_book *b, const struct catalog *cat,
		   enum project_by by, int upto, struct project_sum **out,
		   int *n)
{
	return project_rollup_on(b, cat, by, upto, NULL, 0, out, n);
}

int project_rollup_on(const struct project_book *b, const struct catalog *cat,
		      enum project_by by, int upto, const char *today,
		      double tolerance, struct project_sum **out, int *n)
{
	/* One slot per possible group, in rank order; then the used ones
	 * are packed to the front. */
	int nslot = slots(cat, by);
	struct project_sum *s = calloc((size_t)nslot + 1, sizeof *s);
	const struct project_view *v =
		today ? project_view_get(b, cat, upto, today, tolerance) : NULL;
	if (!s || (today && !v)) {
		free(s);
		if (v)
			project_view_put(b);
		return OOM;
	}
	for (int k = 0; k < b->n_projects; k++) {
		const struct project *p = &b->projects[k];
		int g = by == BY_CLUSTER ? b->ledgers[k].cluster
			: by == BY_AREA && v ? v->area[k]
					     : rank_of(p, cat, by);
		if (g < 0 || g >= nslot)
			continue; /* not reached: every project is checked */
		struct project_sum *x = &s[g];
		if (!x->n++)
			group_of(p, cat, by, x->key, sizeof x->key, &x->name);
		double plan, done;
		unsigned f = v ? v->flags[k]
			       : project_state(b, k, upto, "", tolerance,
					       &plan, &done);
		if (v) {
			plan = v->plan[k];
			done = v->done[k];
		}
		if (!isnan(p->total))
			x->total += p->total;
		if (!isnan(plan))
			x->plan += plan;
		x->done += done;
		x->sample |= v ? v->sample[k]
			       : p->sample | plan_sample(b, k, upto / 12) |
					 b->ledgers[k].sample;
		if (today) {
			x->behind += !!(f & PFLAG_BEHIND);
			x->overdue += !!(f & PFLAG_OVERDUE);
			x->not_started += !!(f & PFLAG_NOT_STARTED);
		}
	}
	if (v)
		project_view_put(b);
	int ns = 0;
	struct project_sum all = {.name = "合计"};
	snprintf(all.key, sizeof all.key, "total");
	for (int g = 0; g < nslot; g++) {
		if (!s[g].n)
			continue;
		all.n += s[g].n;
		all.total += s[g].total;
		all.plan += s[g].plan;
		all.done += s[g].done;
		all.sample |= s[g].sample;
		all.behind += s[g].behind;
		all.overdue += s[g].overdue;
		all.not_started += s[g].not_started;
		s[ns++] = s[g];
	}
	s[ns] = all;
	*out = s;
	*n = ns + 1;
	return CS_OK;
}

/* ---- the feed of an import --------------------------------------------- */

int project_feed(struct civstat *cs, int lo, int hi)
{
	const struct catalog *cat = &cs->cat;
	struct project_book *b;
	struct import_report ir;
	struct import_opts io = {0};
	char dir[] = "/tmp/civstat-feed-XXXXXX", path[64];
	int rc;
	if (catalog_indicator(cat, PROJECT_INDICATOR,
			      strlen(PROJECT_INDICATOR)) < 0 || lo > hi)
		return CS_OK;
	if ((rc = project_cache(cs, &b)))
		return rc;
	double *sum = calloc((size_t)cat->n_areas + 1, sizeof *sum);
	int *n = calloc((size_t)cat->n_areas + 1, sizeof *n);
	int *sample = calloc((size_t)cat->n_areas + 1, sizeof *sample);
	if (!sum || !n || !sample || !mkdtemp(dir)) {
		rc = cs_errorf(sum && n && sample ? CS_EIO : CS_ENOMEM,
			       "project feed: no temporary directory");
		free(sum);
		free(n);
		free(sample);
		return rc;
	}
	/* The file's name is what the import's audit entry names. */
	snprintf(path, sizeof path, "%s/%s.csv", dir, PROJECT_INDICATOR);
	FILE *f = fopen(path, "w");
	if (!f) {
		rc = cs_errorf(CS_EIO, "%s: cannot write", path);
		goto out;
	}
	fputs("indicator,area,period,value,state,comment,sample\n", f);
	for (int m = lo; m <= hi; m++) {
		char per[32];
		struct period p = period_from_month_index(m);
		period_format(&p, per, sizeof per);
		memset(sum, 0, (size_t)cat->n_areas * sizeof *sum);
		memset(n, 0, (size_t)cat->n_areas * sizeof *n);
		memset(sample, 0, (size_t)cat->n_areas * sizeof *sample);
		/* Each report counts in its project's area and above. */
		for (int k = 0; k < b->n_projects; k++) {
			int has, smp;
			double v = month_of(b, k, m, &has, &smp);
			if (!has)
				continue;
			for (int a = catalog_area_id(cat,
						     b->projects[k].area_id);
			     a >= 0; a = cat->parent[a]) {
				sum[a] += v;
				n[a]++;
				sample[a] |= smp;
			}
		}
		for (int a = 0; a < cat->n_areas; a++)
			if (n[a])
				fprintf(f, "%s,%s,%s,%.15g,approved,"
					   "重点项目月报汇总：%d个项目,%d\n",
					PROJECT_INDICATOR, cat->areas[a].code,
					per, sum[a], n[a], sample[a]);
	}
	if (fclose(f)) {
		rc = cs_errorf(CS_EIO, "%s: cannot write", path);
		goto out;
	}
	const char *files[] = {path};
	value_feed_begin();
	rc = import_files(cs, files, 1, &io, &ir);
	value_feed_end();
	if (rc == CS_EINVAL && ir.n_shown)
		rc = cs_errorf(rc, "project feed: %s", ir.errors[0]);
	import_report_release(&ir);
out:
	remove(path);
	rmdir(dir);
	free(sum);
	free(n);
	free(sample);
	return rc;
}
