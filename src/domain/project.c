/*
 * The key-project pipeline (see project.h): checks and writes of
 * projects, phases, plans, milestones and monthly reports, the feed of
 * the reports into the key-project investment indicator, and the
 * roll-ups over the pipeline read whole from the store.
 */
#include "domain/project.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Keeps a copy of z in b; NULL when out of memory. */
static char *keep(struct project_book *b, const char *z)
{
	if (b->n_strings == b->cap_strings) {
		size_t cap = b->cap_strings ? 2 * b->cap_strings : 256;
		char **p = realloc(b->strings, cap * sizeof *p);
		if (!p)
			return NULL;
		b->strings = p;
		b->cap_strings = cap;
	}
	char *c = strdup(z ? z : "");
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

static int book_project(void *ctx, const struct project *p)
{
	struct project_book *b = ctx;
	struct project *c = grow(&b->projects, &b->n_projects, sizeof *c);
	if (!c)
		return OOM;
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

static int book_plan(void *ctx, const struct project_plan *p)
{
	struct project_book *b = ctx;
	struct project_plan *c = grow(&b->plans, &b->n_plans, sizeof *c);
	if (!c)
		return OOM;
	*c = *p;
	return CS_OK;
}

static int book_milestone(void *ctx, const struct milestone *m)
{
	struct project_book *b = ctx;
	struct milestone *c = grow(&b->milestones, &b->n_milestones, sizeof *c);
	if (!c)
		return OOM;
	*c = *m;
	if (!(c->name = keep(b, m->name)) || !(c->due = keep(b, m->due)) ||
	    !(c->done = keep(b, m->done)))
		return OOM;
	return CS_OK;
}

static int book_report(void *ctx, const struct project_report *r)
{
	struct project_book *b = ctx;
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

int project_book_load(struct project_book *b, struct store *st)
{
	const struct store_ops *o = st->ops;
	int rc;
	memset(b, 0, sizeof *b);
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

void project_book_release(struct project_book *b)
{
	for (size_t k = 0; k < b->n_strings; k++)
		free(b->strings[k]);
	free(b->strings);
	free(b->projects);
	free(b->plans);
	free(b->milestones);
	free(b->reports);
	free(b->phases);
	free(b->programmes);
	free(b->communities);
	memset(b, 0, sizeof *b);
}

int project_book_find(const struct project_book *b, const char *code)
{
	for (int k = 0; k < b->n_projects; k++)
		if (!strcmp(b->projects[k].code, code))
			return k;
	return -1;
}

/* ---- writes ------------------------------------------------------------ */

/* The project with code in the store, into a book of its own: *k its
 * index.  CS_ENOTFOUND naming the code. */
static int find_project(struct civstat *cs, const char *code,
			struct project_book *b, int *k)
{
	int rc = project_book_load(b, cs->st);
	if (rc)
		return rc;
	if ((*k = project_book_find(b, code)) < 0) {
		project_book_release(b);
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": no such project",
				 code);
	}
	return CS_OK;
}

static int find_project_id(const struct project_book *b, int id)
{
	for (int k = 0; k < b->n_projects; k++)
		if (b->projects[k].id == id)
			return k;
	return -1;
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

int project_put(struct civstat *cs, struct project *p)
{
	struct store *st = cs->st;
	struct project_book b;
	int rc = check_project(cs, p);
	if (rc || (rc = project_book_load(&b, st)))
		return rc;
	int old = project_book_find(&b, p->code);
	int from = old < 0 ? -1 : b.projects[old].phase;
	if (p->phase < from) {
		/* Only project_set_phase, with its reason, goes back. */
		rc = cs_errorf(CS_EINVAL, "project \"%s\": the phase would go "
			       "back from %s to %s, which needs a reason "
			       "(civstat project phase --reason)", p->code,
			       project_phase_zh(from),
			       project_phase_zh(p->phase));
		goto out;
	}
	if ((rc = st->ops->begin(st)))
		goto out;
	if (old >= 0)
		p->id = b.projects[old].id;
	if ((rc = st->ops->put_project(st, p)))
		goto failed;
	if (from != p->phase) {
		/* A phase set by an import is a change like any other. */
		struct phase_change c = {
			.project_id = p->id, .from = from, .to = p->phase,
			.date = p->phase >= PHASE_STARTED && p->actual_start
					? p->actual_start : (char *)"",
			.reason = (char *)(old < 0 ? "" : "import"),
			.actor = (char *)cs->actor,
		};
		if ((rc = st->ops->add_phase_change(st, &c)))
			goto failed;
	}
	json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:o?}", "name",
				  p->name, "cluster", p->cluster, "type",
				  project_type_en(p->type), "phase",
				  project_phase_en(p->phase), "total",
				  isnan(p->total) ? NULL
						  : json_real(p->total));
	json_t *before = old < 0 ? NULL
			 : json_pack("{s:s, s:s}", "name",
				     b.projects[old].name, "phase",
				     project_phase_en(b.projects[old].phase));
	if ((rc = audit_json(cs, "project.put", p->code, before, after)) ||
	    (rc = st->ops->commit(st)))
		goto failed;
	goto out;
failed:
	st->ops->rollback(st);
out:
	project_book_release(&b);
	return rc;
}

int project_set_phase(struct civstat *cs, const char *code, int to,
		      const char *date, const char *reason)
{
	struct store *st = cs->st;
	struct project_book b;
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
	struct project p = b.projects[k];
	if (to == p.phase) {
		rc = cs_errorf(CS_ECONFLICT, "project \"%s\" is in phase %s "
			       "already", code, project_phase_zh(to));
		goto out;
	}
	if (to < p.phase && (!reason || !*reason)) {
		rc = cs_errorf(CS_EINVAL, "project \"%s\": going back from %s "
			       "to %s needs a reason", code,
			       project_phase_zh(p.phase), project_phase_zh(to));
		goto out;
	}
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
		goto out;
	json_t *before = json_pack("{s:s}", "phase", project_phase_en(from));
	json_t *after = json_pack("{s:s, s:s, s:s}", "phase",
				  project_phase_en(to), "date", date,
				  "reason", c.reason);
	if ((rc = st->ops->put_project(st, &p)) ||
	    (rc = st->ops->add_phase_change(st, &c)) ||
	    (rc = audit_json(cs, "project.phase", code, before, after)) ||
	    (rc = st->ops->commit(st)))
		st->ops->rollback(st);
out:
	project_book_release(&b);
	return rc;
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
 * the sum of the reports, in b, of the projects within a.  The figure is
 * sample data when any report in it is.
 */
static int feed_area(struct civstat *cs, const struct project_book *b,
		     int i, int a, int m)
{
	double sum = 0;
	int n = 0, sample = 0;
	for (int r = 0; r < b->n_reports; r++) {
		const struct project_report *rp = &b->reports[r];
		if (rp->month != m)
			continue;
		int k = find_project_id(b, rp->project_id);
		int pa = k < 0 ? -1
			       : catalog_area_id(&cs->cat,
						 b->projects[k].area_id);
		if (pa < 0 || !catalog_area_within(&cs->cat, pa, a))
			continue;
		sum += rp->investment;
		sample |= rp->sample;
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
 * month m, inside the caller's group. */
static int feed(struct civstat *cs, const struct project_book *b, int k,
		int m)
{
	int i = catalog_indicator(&cs->cat, PROJECT_INDICATOR,
				  strlen(PROJECT_INDICATOR));
	if (i < 0)
		return CS_OK; /* no such indicator: nothing to feed */
	int rc = CS_OK;
	for (int a = catalog_area_id(&cs->cat, b->projects[k].area_id);
	     a >= 0 && !rc; a = cs->cat.parent[a])
		rc = feed_area(cs, b, i, a, m);
	return rc;
}

int project_put_report(struct civstat *cs, const struct project_report *r,
		       int now_month)
{
	struct store *st = cs->st;
	struct project_book b;
	char per[32];
	int rc;
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
	if ((rc = project_book_load(&b, st)))
		return rc;
	int k = find_project_id(&b, r->project_id);
	if (k < 0) {
		rc = cs_errorf(CS_ENOTFOUND, "report %s: no project with id "
			       "%d", per, r->project_id);
		goto out;
	}
	struct project_report w = *r;
	w.actor = (char *)cs->actor;
	w.note = (char *)(r->note ? r->note : "");
	/* The book takes the new report so that the feed sums it. */
	int old = -1;
	for (int j = 0; j < b.n_reports; j++)
		if (b.reports[j].project_id == r->project_id &&
		    b.reports[j].month == r->month)
			old = j;
	double before = old < 0 ? NAN : b.reports[old].investment;
	if (old >= 0) {
		b.reports[old].investment = r->investment;
		b.reports[old].sample = r->sample;
	} else {
		struct project_report *c = grow(&b.reports, &b.n_reports,
						sizeof *c);
		if (!c) {
			rc = OOM;
			goto out;
		}
		*c = w;
	}
	char object[160];
	snprintf(object, sizeof object, "%s/%s", b.projects[k].code, per);
	if ((rc = civstat_group_begin(cs)))
		goto out;
	json_t *jb = isnan(before) ? NULL
				   : json_pack("{s:f}", "investment", before);
	json_t *ja = json_pack("{s:f, s:o, s:s}", "investment", r->investment,
			       "progress",
			       isnan(r->progress) ? json_null()
						  : json_real(r->progress),
			       "note", w.note);
	if ((rc = st->ops->put_project_report(st, &w)) ||
	    (rc = audit_json(cs, "project.report", object, jb, ja)) ||
	    (!batch && (rc = feed(cs, &b, k, r->month)))) {
		group_abort(cs);
		goto out;
	}
	rc = civstat_group_end(cs);
out:
	project_book_release(&b);
	return rc;
}

int project_put_plan(struct civstat *cs, const struct project_plan *p)
{
	struct store *st = cs->st;
	if (isnan(p->amount) || !isfinite(p->amount) || p->amount < 0)
		return cs_errorf(CS_EINVAL, "plan %d: investment %g is not an "
				 "amount of 亿元 of zero or more", p->year,
				 p->amount);
	if (p->year < PERIOD_MIN_YEAR || p->year > PERIOD_MAX_YEAR)
		return cs_errorf(CS_EINVAL, "plan: year %d out of range",
				 p->year);
	char object[32];
	snprintf(object, sizeof object, "%d/%d", p->project_id, p->year);
	int rc = st->ops->begin(st);
	if (rc)
		return rc;
	if ((rc = st->ops->put_project_plan(st, p)) ||
	    (rc = audit_json(cs, "project.plan", object, NULL,
			     json_pack("{s:f}", "amount", p->amount))) ||
	    (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

int project_put_milestone(struct civstat *cs, const struct milestone *m)
{
	struct store *st = cs->st;
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
	int rc = st->ops->begin(st);
	if (rc)
		return rc;
	if ((rc = st->ops->put_milestone(st, m)) ||
	    (rc = audit_json(cs, "project.milestone", object, NULL,
			     json_pack("{s:s, s:s}", "due", m->due, "done",
				       m->done ? m->done : ""))) ||
	    (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

int project_put_programme(struct civstat *cs, struct programme *p)
{
	struct store *st = cs->st;
	if (!p->code || !*p->code || !p->name || !*p->name)
		return cs_errorf(CS_EINVAL, "a programme needs a code and a "
				 "name");
	if (p->communities < 0 || p->buildings < 0 || p->households < 0)
		return cs_errorf(CS_EINVAL, "programme \"%s\": a negative "
				 "count", p->code);
	int rc = st->ops->begin(st);
	if (rc)
		return rc;
	if ((rc = st->ops->put_programme(st, p)) ||
	    (rc = audit_json(cs, "programme.put", p->code, NULL,
			     json_pack("{s:s, s:i, s:i, s:i}", "name",
				       p->name, "communities",
				       p->communities, "buildings",
				       p->buildings, "households",
				       p->households))) ||
	    (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

int project_put_community(struct civstat *cs, const struct community *c)
{
	struct store *st = cs->st;
	if (!c->name || !*c->name)
		return cs_errorf(CS_EINVAL, "a community needs a name");
	if (c->progress < 0 || c->progress > 100 || c->buildings < 0 ||
	    c->households < 0)
		return cs_errorf(CS_EINVAL, "community \"%s\": progress must "
				 "be 0..100 and counts not negative", c->name);
	char object[256];
	snprintf(object, sizeof object, "%d/%s", c->programme_id, c->name);
	int rc = st->ops->begin(st);
	if (rc)
		return rc;
	if ((rc = st->ops->put_community(st, c)) ||
	    (rc = audit_json(cs, "programme.community", object, NULL,
			     json_pack("{s:f}", "progress", c->progress))) ||
	    (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

/* ---- roll-ups ---------------------------------------------------------- */

double project_done(const struct project_book *b, int k, int upto)
{
	int id = b->projects[k].id, first = upto - upto % 12;
	double sum = 0;
	for (int r = 0; r < b->n_reports; r++) {
		const struct project_report *rp = &b->reports[r];
		if (rp->project_id == id && rp->month >= first &&
		    rp->month <= upto)
			sum += rp->investment;
	}
	return sum;
}

double project_plan_of(const struct project_book *b, int k, int year)
{
	for (int j = 0; j < b->n_plans; j++)
		if (b->plans[j].project_id == b->projects[k].id &&
		    b->plans[j].year == year)
			return b->plans[j].amount;
	return NAN;
}

static int plan_sample(const struct project_book *b, int k, int year)
{
	for (int j = 0; j < b->n_plans; j++)
		if (b->plans[j].project_id == b->projects[k].id &&
		    b->plans[j].year == year)
			return b->plans[j].sample;
	return 0;
}

unsigned project_flags(const struct project_book *b, int k, int upto,
		       const char *today, double tolerance)
{
	const struct project *p = &b->projects[k];
	unsigned f = 0;
	double plan = project_plan_of(b, k, upto / 12);
	double expected = plan * (upto % 12 + 1) / 12.0;
	if (!isnan(plan) && plan > 0 &&
	    project_done(b, k, upto) < expected * (1 - tolerance))
		f |= PFLAG_BEHIND;
	for (int j = 0; j < b->n_milestones; j++) {
		const struct milestone *m = &b->milestones[j];
		if (m->project_id == p->id && !*m->done &&
		    strcmp(m->due, today) < 0)
			f |= PFLAG_OVERDUE;
	}
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
 * clusters and phases in their own order and areas as the catalogue. */
static int rank_of(const struct project *p, const struct catalog *cat,
		   enum project_by by)
{
	switch (by) {
	case BY_CLUSTER:
		return project_cluster_parse(p->cluster);
	case BY_AREA:
		return catalog_area_id(cat, p->area_id);
	case BY_PHASE:
		return p->phase;
	default:
		return p->department_id
			       ? catalog_department_id(cat, p->department_id)
			       : 1 << 20;
	}
}

int project_rollup(const struct project_book *b, const struct catalog *cat,
		   enum project_by by, int upto, struct project_sum **out,
		   int *n)
{
	struct project_sum *s = calloc((size_t)b->n_projects + 1, sizeof *s);
	int *rank = calloc((size_t)b->n_projects + 1, sizeof *rank);
	int ns = 0;
	if (!s || !rank) {
		free(s);
		free(rank);
		return OOM;
	}
	for (int k = 0; k < b->n_projects; k++) {
		const struct project *p = &b->projects[k];
		char key[64];
		const char *name;
		group_of(p, cat, by, key, sizeof key, &name);
		int g = 0;
		while (g < ns && strcmp(s[g].key, key))
			g++;
		if (g == ns) {
			/* Insert in rank order. */
			int r = rank_of(p, cat, by);
			g = 0;
			while (g < ns && rank[g] <= r)
				g++;
			memmove(s + g + 1, s + g, (size_t)(ns - g) * sizeof *s);
			memmove(rank + g + 1, rank + g,
				(size_t)(ns - g) * sizeof *rank);
			memset(&s[g], 0, sizeof s[g]);
			snprintf(s[g].key, sizeof s[g].key, "%s", key);
			s[g].name = name;
			rank[g] = r;
			ns++;
		}
		double plan = project_plan_of(b, k, upto / 12);
		s[g].n++;
		if (!isnan(p->total))
			s[g].total += p->total;
		if (!isnan(plan))
			s[g].plan += plan;
		s[g].done += project_done(b, k, upto);
		s[g].sample |= p->sample | plan_sample(b, k, upto / 12);
		for (int r = 0; r < b->n_reports; r++)
			if (b->reports[r].project_id == p->id &&
			    b->reports[r].sample)
				s[g].sample = 1;
	}
	struct project_sum *all = &s[ns];
	memset(all, 0, sizeof *all);
	snprintf(all->key, sizeof all->key, "total");
	all->name = "合计";
	for (int g = 0; g < ns; g++) {
		all->n += s[g].n;
		all->total += s[g].total;
		all->plan += s[g].plan;
		all->done += s[g].done;
		all->sample |= s[g].sample;
	}
	free(rank);
	*out = s;
	*n = ns + 1;
	return CS_OK;
}

/* ---- the feed of an import --------------------------------------------- */

int project_feed(struct civstat *cs, int lo, int hi)
{
	const struct catalog *cat = &cs->cat;
	struct project_book b;
	struct import_report ir;
	struct import_opts io = {0};
	char dir[] = "/tmp/civstat-feed-XXXXXX", path[64];
	int rc;
	if (catalog_indicator(cat, PROJECT_INDICATOR,
			      strlen(PROJECT_INDICATOR)) < 0 || lo > hi)
		return CS_OK;
	if ((rc = project_book_load(&b, cs->st)))
		return rc;
	int *area = malloc(((size_t)b.n_reports + 1) * sizeof *area);
	if (!area || !mkdtemp(dir)) {
		free(area);
		project_book_release(&b);
		return cs_errorf(area ? CS_EIO : CS_ENOMEM,
				 "project feed: no temporary directory");
	}
	/* The file's name is what the import's audit entry names. */
	snprintf(path, sizeof path, "%s/%s.csv", dir, PROJECT_INDICATOR);
	FILE *f = fopen(path, "w");
	if (!f) {
		rc = cs_errorf(CS_EIO, "%s: cannot write", path);
		goto out;
	}
	for (int r = 0; r < b.n_reports; r++) {
		int k = find_project_id(&b, b.reports[r].project_id);
		area[r] = k < 0 ? -1 : catalog_area_id(cat, b.projects[k].area_id);
	}
	fputs("indicator,area,period,value,state,comment,sample\n", f);
	for (int m = lo; m <= hi; m++) {
		char per[32];
		struct period p = period_from_month_index(m);
		period_format(&p, per, sizeof per);
		for (int a = 0; a < cat->n_areas; a++) {
			double sum = 0;
			int n = 0, sample = 0;
			for (int r = 0; r < b.n_reports; r++) {
				if (b.reports[r].month != m || area[r] < 0 ||
				    !catalog_area_within(cat, area[r], a))
					continue;
				sum += b.reports[r].investment;
				sample |= b.reports[r].sample;
				n++;
			}
			if (n)
				fprintf(f, "%s,%s,%s,%.15g,approved,"
					   "重点项目月报汇总：%d个项目,%d\n",
					PROJECT_INDICATOR, cat->areas[a].code,
					per, sum, n, sample);
		}
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
	free(area);
	project_book_release(&b);
	return rc;
}
