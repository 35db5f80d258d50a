/*
 * The routes of the key-project pipeline (项目为王) and of the task lists
 * (督办): reads of projects, programmes, tasks and their roll-ups, and the
 * writes a department or a leader makes on them.  The rules live in the
 * domain (project.c, task.c); this file reads the request, checks who may
 * write what, and answers JSON.
 *
 * The project reads answer from the pipeline the server holds in memory
 * (project_cache): the table, the summaries and programmes under
 * LOCK_VIEW (the cube's lock shared, which the held book's changes take
 * alone), a project's page under LOCK_STORE, as it reads that project's
 * reports from the store; task reads run under LOCK_STORE.  Writes run
 * under LOCK_NONE and take the store's mutex here (api_write_begin), since a
 * project's report changes figures of the cube through a group, and the
 * held book, each under the cube's lock taken for the instant they
 * change, moving the data version on (so no cached public answer is
 * stale).
 *
 * What the public sees: projects, programmes, task lists and tasks are
 * public information (政务公开); who reported and the supervision notes'
 * texts and answers are the government's own, shown only to staff.
 */
#include "api/api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/analytics.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/project.h"
#include "domain/project_table.h"
#include "domain/task.h"
#include "domain/task_csv.h"

/* ---- helpers ---------------------------------------------------------- */

static json_t *num(double v)
{
	return isnan(v) || !isfinite(v) ? json_null() : json_real(v);
}

/* Rounded to two decimals, as amounts of 亿元 are shown. */
static json_t *yi(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 100) / 100);
}

static void server_today(char buf[11])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* Today for a read: ?today=YYYY-MM-DD, else the server's date.  -1 after
 * answering 400. */
static int read_today(struct req *r, char buf[11])
{
	const char *t = api_arg(r, "today");
	if (!t) {
		server_today(buf);
		return 0;
	}
	if (!project_date_ok(t)) {
		api_error(r, CS_EINVAL, "today", "today: \"%s\" is not a date "
			  "(YYYY-MM-DD)", t);
		return -1;
	}
	memcpy(buf, t, 11);
	return 0;
}

static int month_of_date(const char *d)
{
	return atoi(d) * 12 + atoi(d + 5) - 1;
}

/* The month the roll-ups run to: ?period's last month, else the latest
 * month any project reported, else the month before today.  -1 after
 * answering 400. */
static int upto_month(struct req *r, const struct project_book *b,
		      const char *day, int *out)
{
	const char *z = api_arg(r, "period");
	if (z) {
		struct period p;
		if (period_parse(z, strlen(z), &p)) {
			api_error(r, CS_EINVAL, "period", "period: \"%s\" is "
				  "not a period", z);
			return -1;
		}
		*out = period_last_month(&p);
		return 0;
	}
	int m = b->last_month;
	*out = m >= 0 ? m : month_of_date(day) - 1;
	return 0;
}

static int tolerance_of(struct req *r, double *tol)
{
	const char *z = api_arg(r, "tolerance");
	char *end;
	*tol = ANALYTICS_TOLERANCE;
	if (z && ((*tol = strtod(z, &end)) < 0 || *tol >= 1 || *end || !*z)) {
		api_error(r, CS_EINVAL, "tolerance",
			  "tolerance: between 0 and 1");
		return -1;
	}
	return 0;
}

int api_project_when(struct req *r, const struct project_book *b,
		     char day[11], struct project_when *w)
{
	if (read_today(r, day) || tolerance_of(r, &w->tolerance) ||
	    upto_month(r, b, day, &w->upto))
		return -1;
	w->today = day;
	return 0;
}

static const char *dept_code(const struct catalog *cat, int id)
{
	int d = id ? catalog_department_id(cat, id) : -1;
	return d < 0 ? NULL : cat->depts[d].code;
}

static const char *area_code(const struct catalog *cat, int id)
{
	int a = catalog_area_id(cat, id);
	return a < 0 ? NULL : cat->areas[a].code;
}

static const char *area_name(const struct catalog *cat, int id)
{
	int a = catalog_area_id(cat, id);
	return a < 0 ? NULL : cat->areas[a].name;
}

static const char *opt(const char *z)
{
	return z && *z ? z : NULL;
}

static void month_text(int m, char *buf, size_t cap)
{
	struct period p = period_from_month_index(m);
	period_format(&p, buf, cap);
}

/* The domain's refusal, naming field when it is bad input. */
static enum MHD_Result refuse(struct req *r, int rc, const char *field)
{
	return api_error(r, rc, rc == CS_EINVAL || rc == CS_ECONFLICT ? field
								       : NULL,
			 "%s", *cs_errmsg() ? cs_errmsg() : cs_rc_name(rc));
}

/* The pipeline the server holds (project_cache); NULL after answering
 * 503 when it could not be kept (out of memory: the follower reads it
 * again). */
static const struct project_book *held(struct req *r)
{
	const struct project_book *b = r->api->cs->projects;
	if (!b)
		api_error(r, CS_EUNAVAIL, NULL, "the key-project pipeline is "
			  "being read again; try in a second");
	return b;
}

/* ---- projects --------------------------------------------------------- */

static json_t *flags_json(unsigned f)
{
	json_t *a = json_array();
	if (f & PFLAG_BEHIND)
		json_array_append_new(a, json_string("behind"));
	if (f & PFLAG_OVERDUE)
		json_array_append_new(a, json_string("overdue"));
	if (f & PFLAG_NOT_STARTED)
		json_array_append_new(a, json_string("not_started"));
	return a;
}

static json_t *project_json(const struct catalog *cat,
			    const struct project_book *b, int k, int upto,
			    const char *day, double tol)
{
	const struct project *p = &b->projects[k];
	double plan = project_plan_of(b, k, upto / 12);
	double done = project_done(b, k, upto);
	json_t *j = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:o,s:s,s:s,"
		"s:s?,s:s?,s:s?,s:s?,s:s?,s:o,s:o,s:s?,s:s?,s:b,s:s?}",
		"code", p->code, "name", p->name, "cluster", p->cluster,
		"cluster_zh", project_cluster_zh(p->cluster), "type",
		project_type_en(p->type), "type_zh", project_type_zh(p->type),
		"area", area_code(cat, p->area_id), "area_name",
		area_name(cat, p->area_id), "department",
		dept_code(cat, p->department_id), "leader", opt(p->leader),
		"total", yi(p->total), "phase", project_phase_en(p->phase),
		"phase_zh", project_phase_zh(p->phase), "planned_start",
		opt(p->planned_start), "planned_finish", opt(p->planned_finish),
		"actual_start", opt(p->actual_start), "actual_finish",
		opt(p->actual_finish), "address", opt(p->address), "lon",
		num(p->lon), "lat", num(p->lat), "issues", opt(p->issues),
		"programme", opt(p->programme), "sample", p->sample, "source",
		opt(p->source));
	json_object_set_new(j, "plan", yi(plan));
	json_object_set_new(j, "done", yi(done));
	json_object_set_new(j, "completion_pct",
			    plan > 0 ? json_real(round(done / plan * 1000) / 10)
				     : json_null());
	json_object_set_new(j, "flags",
			    flags_json(project_flags(b, k, upto, day, tol)));
	return j;
}

struct sorted {
	int k;
	double v;
	const char *z;
};

/* The order of a page: by v (when by_v) then z, reversed when desc. */
struct order {
	int by_v, desc;
};

static int order_cmp(const struct order *o, const struct sorted *a,
		     const struct sorted *b)
{
	int c = 0;
	if (o->by_v && a->v != b->v)
		c = a->v < b->v ? -1 : 1;
	if (!c)
		c = strcmp(a->z, b->z);
	return o->desc ? -c : c;
}

static void sift_down(const struct order *o, struct sorted *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && order_cmp(o, &h[l], &h[m]) > 0)
			m = l;
		if (r < n && order_cmp(o, &h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		struct sorted t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/*
 * Puts the first m of the n rows of s, in order o, sorted at its front:
 * a heap of the m best so far (the worst of them on top), so a first page
 * of 20 out of 20,000 costs a pass, not a sort of all.
 */
static void first_of(const struct order *o, struct sorted *s, int n, int m)
{
	if (m > n)
		m = n;
	for (int i = m / 2 - 1; i >= 0; i--)
		sift_down(o, s, m, i);
	for (int j = m; j < n; j++)
		if (m && order_cmp(o, &s[j], &s[0]) < 0) {
			s[0] = s[j];
			sift_down(o, s, m, 0);
		}
	/* The heap, emptied from its top, leaves the m in order. */
	for (int end = m - 1; end > 0; end--) {
		struct sorted t = s[0];
		s[0] = s[end];
		s[end] = t;
		sift_down(o, s, end, 0);
	}
}

/* GET /projects: filtered, sorted, paged, with the totals of all that the
 * filters keep. */
enum MHD_Result api_get_projects(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const struct catalog *cat = &cs->cat;
	const char *cluster = api_arg(r, "cluster"), *area = api_arg(r, "area"),
		   *phase = api_arg(r, "phase"),
		   *dept = api_arg(r, "department"), *q = api_arg(r, "q"),
		   *sort = api_arg(r, "sort"), *behind = api_arg(r, "behind");
	char day[11], per[48];
	long limit, offset;
	int upto, a = -1, d = -1, ph = -1, cl = -1;
	double tol;
	if (api_page(r, &limit, &offset) || read_today(r, day) ||
	    tolerance_of(r, &tol))
		return MHD_YES;
	if (cluster && (cl = project_cluster_parse(cluster)) < 0)
		return api_error(r, CS_EINVAL, "cluster", "cluster: unknown "
				 "cluster \"%s\"", cluster);
	if (area && (a = catalog_area(cat, area, strlen(area))) < 0)
		return api_error(r, CS_EINVAL, "area", "area: unknown area "
				 "\"%s\"", area);
	if (phase && (ph = project_phase_parse(phase)) < 0)
		return api_error(r, CS_EINVAL, "phase", "phase: \"%s\" is not "
				 "one of 谋划 签约 开工 在建 竣工 投产", phase);
	if (dept && (d = catalog_department(cat, dept, strlen(dept))) < 0)
		return api_error(r, CS_EINVAL, "department", "department: "
				 "unknown department \"%s\"", dept);
	int desc = sort && *sort == '-';
	const char *key = sort ? sort + desc : "code";
	if (strcmp(key, "code") && strcmp(key, "name") && strcmp(key, "total") &&
	    strcmp(key, "plan") && strcmp(key, "done"))
		return api_error(r, CS_EINVAL, "sort", "sort: code, name, "
				 "total, plan or done, - before for "
				 "descending");
	const struct project_book *b = held(r);
	if (!b || upto_month(r, b, day, &upto))
		return MHD_YES;
	struct sorted *s = malloc(((size_t)b->n_projects + 1) * sizeof *s);
	const struct project_view *v =
		s ? project_view_get(b, cat, upto, day, tol) : NULL;
	if (!v) {
		free(s);
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	}
	int n = 0;
	double total = 0, plan = 0, done = 0;
	for (int k = 0; k < b->n_projects; k++) {
		const struct project *p = &b->projects[k];
		if (cl >= 0 && b->ledgers[k].cluster != cl)
			continue;
		double pl = v->plan[k], dn = v->done[k];
		unsigned f = v->flags[k];
		if (
		    (ph >= 0 && p->phase != ph) ||
		    (d >= 0 && p->department_id != cat->depts[d].id) ||
		    (a >= 0 && !catalog_area_within(cat, v->area[k], a)) ||
		    (q && *q && !strstr(p->name, q) && !strstr(p->code, q)) ||
		    (behind && strcmp(behind, "0") && !(f & PFLAG_BEHIND)))
			continue;
		total += v->total[k];
		plan += isnan(pl) ? 0 : pl;
		done += isnan(dn) ? 0 : dn;
		s[n].k = k;
		s[n].z = !strcmp(key, "name") ? p->name : p->code;
		s[n].v = !strcmp(key, "total") ? p->total
			 : !strcmp(key, "plan") ? pl
						: dn;
		if (isnan(s[n].v))
			s[n].v = -1;
		n++;
	}
	project_view_put(b);
	struct order o = {strcmp(key, "code") && strcmp(key, "name"), desc};
	long want = offset + limit < n ? offset + limit : n;
	first_of(&o, s, n, (int)want);
	json_t *items = json_array();
	for (long j = offset; j < want; j++)
		json_array_append_new(items, project_json(cat, b, s[j].k, upto,
							  day, tol));
	struct period yp = period_ending(PERIOD_YTD, upto);
	period_format(&yp, per, sizeof per);
	json_t *j = json_pack(
		"{s:o,s:i,s:I,s:I,s:s,s:s,s:{s:i,s:o,s:o,s:o,s:o}}", "items",
		items, "total", n, "limit", (json_int_t)limit, "offset",
		(json_int_t)offset, "period", per, "today", day, "totals", "n",
		n, "total", yi(total), "plan", yi(plan), "done", yi(done),
		"completion_pct",
		plan > 0 ? json_real(round(done / plan * 1000) / 10)
			 : json_null());
	free(s);
	return api_json(r, 200, j);
}

/* One project's reports, read from the store, as JSON. */
struct reports_json {
	json_t *a;
	int staff;
};

static int report_json(void *ctx, const struct project_report *p)
{
	struct reports_json *x = ctx;
	char per[48];
	month_text(p->month, per, sizeof per);
	json_array_append_new(
		x->a, json_pack("{s:s,s:o,s:o,s:s?,s:s?,s:s?,s:b}", "period",
				per, "investment", yi(p->investment),
				"progress", num(p->progress), "note",
				opt(p->note), "actor",
				x->staff ? opt(p->actor) : NULL, "at",
				opt(p->at), "sample", p->sample));
	return CS_OK;
}

/* A project's 督办 notes as JSON: their count for everyone, their text,
 * author and answer for staff only (as a task's).  With b set (the list
 * across projects), each note names its project, and the notes kept are
 * those of department dept (0: all) and, with open, the unanswered. */
struct notes_json {
	json_t *a;
	int staff;
	const char *day;
	int n;
	const struct project_book *b;
	int dept;
	int open;
};

static int note_json(void *ctx, const struct project_note *n)
{
	struct notes_json *x = ctx;
	int k = x->b ? project_book_at(x->b, n->project_id) : -1;
	if (x->b && (k < 0 || (x->dept &&
			       x->b->projects[k].department_id != x->dept) ||
		     (x->open && *n->answered_on)))
		return CS_OK;
	x->n++;
	if (!x->staff)
		return CS_OK;
	json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:b}",
			      "id", n->id, "author", n->author, "day", n->day,
			      "text", n->text, "due", n->due, "answer",
			      opt(n->answer), "answered_by",
			      opt(n->answered_by), "answered_on",
			      opt(n->answered_on), "overdue",
			      project_note_overdue(n, x->day));
	if (k >= 0)
		json_object_set_new(o, "project",
				    json_pack("{s:s,s:s}", "code",
					      x->b->projects[k].code, "name",
					      x->b->projects[k].name));
	json_array_append_new(x->a, o);
	return CS_OK;
}

/* GET /projects/{code}: the project with its plans, milestones, reports
 * and phase history. */
/* Project code as GET /projects/{code} shows it, answered with status:
 * the held book's facts, the store's reports of the one project. */
static enum MHD_Result project_answer(struct req *r, const char *code,
				      int status)
{
	struct civstat *cs = r->api->cs;
	const struct catalog *cat = &cs->cat;
	int staff = r->who.role > ROLE_PUBLIC, upto, rc;
	char day[11];
	double tol;
	if (read_today(r, day) || tolerance_of(r, &tol))
		return MHD_YES;
	const struct project_book *b = held(r);
	if (!b)
		return MHD_YES;
	int k = project_book_find(b, code);
	if (k < 0)
		return api_error(r, CS_ENOTFOUND, "code", "project \"%s\": no "
				 "such project", code);
	if (upto_month(r, b, day, &upto))
		return MHD_YES;
	int id = b->projects[k].id;
	struct reports_json reps = {json_array(), staff};
	if ((rc = cs->st->ops->scan_project_reports_of(cs->st, id, report_json,
						       &reps))) {
		json_decref(reps.a);
		return api_fail(r, rc);
	}
	json_t *j = project_json(cat, b, k, upto, day, tol);
	json_t *plans = json_array(), *ms = json_array(),
	       *phases = json_array();
	const struct project_ledger *l = &b->ledgers[k];
	for (int x = 0; x < l->n_years; x++)
		if (!isnan(l->years[x].plan))
			json_array_append_new(
				plans, json_pack("{s:i,s:o,s:b}", "year",
						 l->years[x].year, "amount",
						 yi(l->years[x].plan), "sample",
						 l->years[x].plan_sample));
	for (int x = 0; x < b->n_milestones; x++) {
		const struct milestone *m = &b->milestones[x];
		if (m->project_id != id)
			continue;
		json_array_append_new(
			ms, json_pack("{s:s,s:s,s:s?,s:b,s:b}", "name", m->name,
				      "due", m->due, "done", opt(m->done),
				      "overdue",
				      !*m->done && strcmp(m->due, day) < 0,
				      "sample", m->sample));
	}
	for (int x = 0; x < b->n_phases; x++) {
		const struct phase_change *c = &b->phases[x];
		if (c->project_id != id)
			continue;
		json_array_append_new(
			phases,
			json_pack("{s:s?,s:s,s:s,s:s?,s:s?,s:s?}", "from",
				  c->from < 0 ? NULL : project_phase_en(c->from),
				  "to", project_phase_en(c->to), "date", c->date,
				  "reason", opt(c->reason), "actor",
				  staff ? opt(c->actor) : NULL, "at",
				  opt(c->at)));
	}
	struct notes_json notes = {json_array(), staff, day, 0, NULL, 0, 0};
	if ((rc = cs->st->ops->scan_project_notes(cs->st, id, note_json,
						  &notes))) {
		json_decref(notes.a);
		json_decref(j), json_decref(plans), json_decref(ms);
		json_decref(reps.a), json_decref(phases);
		return api_fail(r, rc);
	}
	json_object_set_new(j, "plans", plans);
	json_object_set_new(j, "milestones", ms);
	json_object_set_new(j, "reports", reps.a);
	json_object_set_new(j, "phases", phases);
	json_object_set_new(j, "notes_n", json_integer(notes.n));
	if (staff)
		json_object_set_new(j, "notes", notes.a);
	else
		json_decref(notes.a);
	return api_json(r, status, j);
}

enum MHD_Result api_get_project(struct req *r)
{
	return project_answer(r, r->params[0], 200);
}

static json_t *pct(double done, double plan)
{
	return plan > 0 ? json_real(round(done / plan * 1000) / 10)
			: json_null();
}

/* One cell of the cross summary. */
struct cell {
	int n, behind, overdue, not_started, sample;
	double total, plan, done;
};

/* The area a project counts in for a cross at level (0: its own). */
static int area_at(const struct catalog *cat, int a, int level)
{
	while (level && a >= 0 && cat->areas[a].level > level)
		a = cat->parent[a];
	return a;
}

/* GET /projects/summary?by=cluster,area: the cluster × area matrix of the
 * year to upto, each non-empty cell with its projects, plan, done, 完成率
 * and the projects behind (the names once, in "clusters" and "areas").
 * Each project counts in its area of the level below the root (a
 * province's cities, a city's counties), or of ?level=N. */
static enum MHD_Result cross_summary(struct req *r,
				     const struct project_book *b, int upto,
				     const char *day, double tol)
{
	const struct catalog *cat = &r->api->cs->cat;
	const char *lz = api_arg(r, "level");
	char per[48], *end;
	int root = catalog_root(cat), nc = project_nclusters, na = 0;
	int level = root < 0 ? 0 : cat->areas[root].level + 1;
	if (lz && ((level = (int)strtol(lz, &end, 10)) < 1 || *end ||
		   level > 9))
		return api_error(r, CS_EINVAL, "level", "level: an area "
				 "level, 1 (the top) or more");
	int *slot = malloc(((size_t)cat->n_areas + 1) * sizeof *slot);
	int *used = malloc(((size_t)cat->n_areas + 1) * sizeof *used);
	int *area = malloc(((size_t)b->n_projects + 1) * sizeof *area);
	struct cell *c = NULL;
	if (!slot || !used || !area)
		goto oom;
	const struct project_view *v = project_view_get(b, cat, upto, day, tol);
	if (!v)
		goto oom;
	memset(slot, -1, (size_t)cat->n_areas * sizeof *slot);
	/* The areas with projects, in the catalogue's order. */
	for (int k = 0; k < b->n_projects; k++) {
		area[k] = area_at(cat, v->area[k], level);
		if (area[k] >= 0 && slot[area[k]] < 0)
			slot[area[k]] = 0;
	}
	for (int a = 0; a < cat->n_areas; a++)
		if (!slot[a]) {
			slot[a] = na;
			used[na++] = a;
		}
	if (!(c = calloc((size_t)nc * (size_t)(na + 1), sizeof *c))) {
		project_view_put(b);
		goto oom;
	}
	struct cell all = {0};
	for (int k = 0; k < b->n_projects; k++) {
		int g = b->ledgers[k].cluster;
		if (g < 0 || area[k] < 0)
			continue;
		struct cell *x = &c[g * na + slot[area[k]]];
		double plan = v->plan[k], done = v->done[k];
		unsigned f = v->flags[k];
		for (int t = 0; t < 2; t++, x = &all) {
			x->n++;
			x->total += v->total[k];
			x->plan += isnan(plan) ? 0 : plan;
			x->done += done;
			x->behind += !!(f & PFLAG_BEHIND);
			x->overdue += !!(f & PFLAG_OVERDUE);
			x->not_started += !!(f & PFLAG_NOT_STARTED);
			x->sample |= v->sample[k];
		}
	}
	project_view_put(b);
	json_t *items = json_array(), *clusters = json_array(),
	       *areas = json_array();
	for (int g = 0; g < nc; g++)
		json_array_append_new(
			clusters, json_pack("{s:s,s:s}", "key",
					    project_clusters[g].code, "name",
					    project_clusters[g].zh));
	for (int s = 0; s < na; s++)
		json_array_append_new(
			areas, json_pack("{s:s,s:s}", "key",
					 cat->areas[used[s]].code, "name",
					 cat->areas[used[s]].name));
	for (int g = 0; g < nc; g++)
		for (int s = 0; s < na; s++) {
			const struct cell *x = &c[g * na + s];
			if (!x->n)
				continue;
			json_array_append_new(
				items,
				json_pack("{s:s,s:s,s:i,s:o,s:o,s:o,"
					  "s:o,s:i,s:i,s:i,s:b}",
					  "cluster", project_clusters[g].code,
					  "area", cat->areas[used[s]].code,
					  "n", x->n, "total", yi(x->total),
					  "plan", yi(x->plan), "done",
					  yi(x->done), "completion_pct",
					  pct(x->done, x->plan), "behind",
					  x->behind, "overdue", x->overdue,
					  "not_started", x->not_started,
					  "sample", x->sample));
		}
	struct period yp = period_ending(PERIOD_YTD, upto);
	period_format(&yp, per, sizeof per);
	json_t *j = json_pack(
		"{s:s,s:i,s:s,s:s,s:f,s:o,s:o,s:o,s:{s:s,s:s,s:i,s:o,s:o,s:o,"
		"s:o,s:i,s:i,s:i,s:b}}",
		"by", "cluster,area", "level", level, "period", per, "today",
		day,
		"time_progress_pct", round((upto % 12 + 1) / 12.0 * 1000) / 10,
		"clusters", clusters, "areas", areas, "items", items, "total",
		"key", "total", "name", "合计", "n", all.n, "total",
		yi(all.total), "plan", yi(all.plan), "done", yi(all.done),
		"completion_pct", pct(all.done, all.plan), "behind",
		all.behind, "overdue", all.overdue, "not_started",
		all.not_started, "sample", all.sample);
	free(slot);
	free(used);
	free(area);
	free(c);
	return api_json(r, 200, j);
oom:
	free(slot);
	free(used);
	free(area);
	free(c);
	return api_error(r, CS_ENOMEM, NULL, "out of memory");
}

/* GET /projects/summary?by=cluster|area|phase|department: planned against
 * completed investment of the year, the projects behind, overdue and late
 * to start per group, the last row 合计; and the pipeline by phase.
 * by=cluster,area: the matrix (cross_summary). */
enum MHD_Result api_get_projects_summary(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const struct catalog *cat = &cs->cat;
	const char *byz = api_arg(r, "by");
	char day[11], per[48];
	int upto, by = BY_CLUSTER, n, rc, cross = 0;
	double tol;
	struct project_sum *s;
	if (read_today(r, day) || tolerance_of(r, &tol))
		return MHD_YES;
	if (byz && (!strcmp(byz, "cluster,area") ||
		    !strcmp(byz, "产业集群,地区")))
		cross = 1;
	else if (byz && (by = project_by_parse(byz)) < 0)
		return api_error(r, CS_EINVAL, "by", "by: \"%s\" is not "
				 "cluster, area, phase, department or "
				 "cluster,area", byz);
	const struct project_book *b = held(r);
	if (!b || upto_month(r, b, day, &upto))
		return MHD_YES;
	if (cross)
		return cross_summary(r, b, upto, day, tol);
	if ((rc = project_rollup_on(b, cat, by, upto, day, tol, &s, &n)))
		return api_fail(r, rc);
	json_t *items = json_array();
	for (int g = 0; g < n; g++)
		json_array_append_new(
			items,
			json_pack("{s:s,s:s?,s:i,s:o,s:o,s:o,s:o,s:i,s:i,s:i,"
				  "s:b}",
				  "key", s[g].key, "name", s[g].name, "n",
				  s[g].n, "total", yi(s[g].total), "plan",
				  yi(s[g].plan), "done", yi(s[g].done),
				  "completion_pct", pct(s[g].done, s[g].plan),
				  "behind", s[g].behind, "overdue",
				  s[g].overdue, "not_started",
				  s[g].not_started, "sample", s[g].sample));
	free(s);
	int cnt[PHASE_N] = {0};
	double sum[PHASE_N] = {0};
	for (int k = 0; k < b->n_projects; k++) {
		cnt[b->projects[k].phase]++;
		sum[b->projects[k].phase] += isnan(b->projects[k].total)
						     ? 0
						     : b->projects[k].total;
	}
	json_t *pipe = json_array();
	for (int ph = 0; ph < PHASE_N; ph++)
		json_array_append_new(
			pipe, json_pack("{s:s,s:s,s:i,s:o}", "phase",
					project_phase_en(ph), "phase_zh",
					project_phase_zh(ph), "n", cnt[ph],
					"total", yi(sum[ph])));
	struct period yp = period_ending(PERIOD_YTD, upto);
	period_format(&yp, per, sizeof per);
	json_t *j = json_pack("{s:s,s:s,s:s,s:f,s:o,s:o}", "by",
			      byz ? byz : "cluster", "period", per, "today",
			      day, "time_progress_pct",
			      round((upto % 12 + 1) / 12.0 * 1000) / 10,
			      "items", items, "pipeline", pipe);
	return api_json(r, 200, j);
}

/* May the caller write on project p: its own department, or a leader. */
static int may_write_project(const struct req *r, const struct project *p)
{
	return r->who.role >= ROLE_LEADER ||
	       (r->who.role == ROLE_DEPARTMENT && r->who.department_id &&
		r->who.department_id == p->department_id);
}

/* Finds project code in the pipeline held, answering 404 or 403 itself
 * (then -1).  The store's mutex, held by a write, keeps *b as it is. */
static int project_for_write(struct req *r, const struct project_book **b,
			     int *k)
{
	if (!(*b = held(r)))
		return -1;
	if ((*k = project_book_find(*b, r->params[0])) < 0) {
		api_error(r, CS_ENOTFOUND, "code", "project \"%s\": no such "
			  "project", r->params[0]);
	} else if (!may_write_project(r, &(*b)->projects[*k])) {
		api_error(r, CS_EPERM, NULL, "%s (%s) may not write on project "
			  "%s of another department", r->who.name,
			  role_name(r->who.role), r->params[0]);
	} else {
		return 0;
	}
	return -1;
}

/* The report in body, checked; -1 after answering 400 naming the field. */
static int report_body(struct req *r, json_t *body, const char *day,
		       struct project_report *rep)
{
	json_t *jp = json_object_get(body, "period"),
	       *ji = json_object_get(body, "investment"),
	       *jg = json_object_get(body, "progress"),
	       *jn = json_object_get(body, "note");
	struct period per;
	if (!json_is_string(jp) ||
	    period_parse(json_string_value(jp), strlen(json_string_value(jp)),
			 &per) ||
	    per.kind != PERIOD_MONTH) {
		api_error(r, CS_EINVAL, "period", "period: a month, as 2025-09");
		return -1;
	}
	if (period_last_month(&per) > month_of_date(day)) {
		api_error(r, CS_EINVAL, "period", "period: %s has not come yet",
			  json_string_value(jp));
		return -1;
	}
	if (!json_is_number(ji) || json_number_value(ji) < 0) {
		api_error(r, CS_EINVAL, "investment", "investment: an amount "
			  "of 亿元 of zero or more");
		return -1;
	}
	if (jg && !json_is_null(jg) &&
	    (!json_is_number(jg) || json_number_value(jg) < 0 ||
	     json_number_value(jg) > 100)) {
		api_error(r, CS_EINVAL, "progress", "progress: 0 to 100 (%%)");
		return -1;
	}
	if (jn && !json_is_null(jn) && !json_is_string(jn)) {
		api_error(r, CS_EINVAL, "note", "note: text");
		return -1;
	}
	rep->month = period_last_month(&per);
	rep->investment = json_number_value(ji);
	rep->progress = jg && !json_is_null(jg) ? json_number_value(jg) : NAN;
	rep->note = jn && !json_is_null(jn) ? json_string_value(jn) : "";
	return 0;
}

/* POST /projects/{code}/reports {"period": "2025-09", "investment": 1.2,
 * "progress": 40, "note": ...}: the month's report, feeding PROJ_INV.
 * Who may comes first (404, 403), then the body (400). */
static enum MHD_Result project_report(struct req *r, json_t *body)
{
	const struct project_book *b;
	struct project_report rep = {0};
	char day[11], per[48];
	int k, rc;
	server_today(day);
	if (project_for_write(r, &b, &k) || report_body(r, body, day, &rep))
		return MHD_YES;
	rep.project_id = b->projects[k].id;
	if ((rc = project_put_report(r->api->cs, &rep, month_of_date(day))))
		return refuse(r, rc, "investment");
	month_text(rep.month, per, sizeof per);
	return api_json(r, 200,
			json_pack("{s:s,s:s,s:o,s:o}", "code", r->params[0],
				  "period", per, "investment",
				  yi(rep.investment), "progress",
				  num(rep.progress)));
}

/* A project write: the body, then fn on the store, acting as the caller. */
static enum MHD_Result project_write(struct req *r,
				     enum MHD_Result (*fn)(struct req *,
							   json_t *))
{
	json_t *body = api_body(r);
	if (!body)
		return MHD_YES;
	api_write_begin(r);
	enum MHD_Result ret = fn(r, body);
	api_write_end(r, 0);
	json_decref(body);
	return ret;
}

enum MHD_Result api_post_project_report(struct req *r)
{
	return project_write(r, project_report);
}

/* POST /projects/{code}/phase {"phase": "开工", "date": "2025-05-01",
 * "reason": ...}: forward with a date; backwards only with a reason. */
static enum MHD_Result project_phase(struct req *r, json_t *body)
{
	const struct project_book *b;
	const char *phase = NULL, *date = NULL, *reason = NULL;
	int k, to;
	if (project_for_write(r, &b, &k))
		return MHD_YES;
	int from = b->projects[k].phase;
	if (json_unpack(body, "{s?s,s?s,s?s}", "phase", &phase, "date", &date,
			"reason", &reason))
		return api_error(r, CS_EINVAL, "phase", "phase, date and "
				 "reason are text");
	if (!phase || (to = project_phase_parse(phase)) < 0)
		return api_error(r, CS_EINVAL, "phase", "phase: \"%s\" is not "
				 "one of 谋划 签约 开工 在建 竣工 投产",
				 phase ? phase : "");
	if (!date || !project_date_ok(date))
		return api_error(r, CS_EINVAL, "date", "date: \"%s\" is not a "
				 "date (YYYY-MM-DD)", date ? date : "");
	if (to < from && (!reason || !*reason))
		return api_error(r, CS_EINVAL, "reason", "reason: going back "
				 "from %s to %s needs a reason",
				 project_phase_zh(from), project_phase_zh(to));
	int rc = project_set_phase(r->api->cs, r->params[0], to, date,
				   reason ? reason : "");
	if (rc)
		return refuse(r, rc, "phase");
	return api_json(r, 200,
			json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", r->params[0],
				  "from", project_phase_en(from), "phase",
				  project_phase_en(to), "phase_zh",
				  project_phase_zh(to), "date", date));
}

enum MHD_Result api_post_project_phase(struct req *r)
{
	return project_write(r, project_phase);
}

static struct task_who task_who_of(const struct req *r);

/* POST /projects/{code}/notes {"text", "due"}: a 督办 note (leaders and
 * admins; the route's role is leader).  The body first, then the project
 * (404), so that a bad note is refused naming its field. */
static enum MHD_Result project_note(struct req *r, json_t *body)
{
	json_t *jt = json_object_get(body, "text"),
	       *jd = json_object_get(body, "due");
	char day[11];
	server_today(day);
	if (!json_is_string(jt) || !*json_string_value(jt))
		return api_error(r, CS_EINVAL, "text", "text: the note");
	if (!json_is_string(jd))
		return api_error(r, CS_EINVAL, "due", "due: the day the answer "
				 "is due (YYYY-MM-DD)");
	struct project_note n = {
		.text = json_string_value(jt),
		.due = json_string_value(jd),
	};
	struct task_who who = task_who_of(r);
	int rc = project_note_add(r->api->cs, r->params[0], &n, &who, day);
	if (rc == CS_ENOTFOUND)
		return api_error(r, rc, "code", "%s", cs_errmsg());
	if (rc)
		return refuse(r, rc, !strncmp(cs_errmsg(), "text", 4) ? "text"
								      : "due");
	return api_json(r, 200, json_pack("{s:s,s:i,s:s,s:s}", "code",
					  r->params[0], "id", n.id, "day", day,
					  "due", n.due));
}

/* POST /projects/{code}/notes/{id}/answer {"answer"}: the department's
 * answer, once. */
static enum MHD_Result project_answer_note(struct req *r, json_t *body)
{
	const char *a = json_string_value(json_object_get(body, "answer"));
	const struct project_book *b;
	char day[11], *end;
	long id = strtol(r->params[1], &end, 10);
	int k;
	server_today(day);
	/* Who may comes before what: the project's department, or admin. */
	if (!(b = held(r)))
		return MHD_YES;
	if ((k = project_book_find(b, r->params[0])) < 0)
		return api_error(r, CS_ENOTFOUND, "code", "project \"%s\": no "
				 "such project", r->params[0]);
	if (r->who.role != ROLE_ADMIN &&
	    (r->who.role != ROLE_DEPARTMENT || !r->who.department_id ||
	     r->who.department_id != b->projects[k].department_id))
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not answer "
				 "notes on project %s: its department answers",
				 r->who.name, role_name(r->who.role),
				 r->params[0]);
	if (*end || id <= 0 || id > 0x7fffffff)
		return api_error(r, CS_ENOTFOUND, "id", "note \"%s\": no such "
				 "note", r->params[1]);
	if (!a || !*a)
		return api_error(r, CS_EINVAL, "answer", "answer: text");
	struct task_who who = task_who_of(r);
	int rc = project_note_answer(r->api->cs, r->params[0], (int)id, a,
				     &who, day);
	if (rc == CS_ENOTFOUND)
		return api_error(r, rc, "id", "%s", cs_errmsg());
	if (rc)
		return refuse(r, rc, "answer");
	return api_json(r, 200, json_pack("{s:s,s:i,s:s}", "code",
					  r->params[0], "id", (int)id,
					  "answered_on", day));
}

enum MHD_Result api_post_project_note(struct req *r)
{
	return project_write(r, project_note);
}

enum MHD_Result api_post_project_answer(struct req *r)
{
	return project_write(r, project_answer_note);
}

/* GET /projects/notes?open=1: the 督办 notes of every project (a
 * department: of its own), open=1 only those not answered yet, in the
 * order they were written; the to-do view reads it. */
enum MHD_Result api_get_project_notes(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const char *open = api_arg(r, "open");
	char day[11];
	int rc;
	if (read_today(r, day))
		return MHD_YES;
	const struct project_book *b = held(r);
	if (!b)
		return MHD_YES;
	/* A clerk bound to no department has no projects: -1 keeps none. */
	int dept = r->who.role != ROLE_DEPARTMENT ? 0
		   : r->who.department_id     ? r->who.department_id
					      : -1;
	struct notes_json x = {json_array(), 1, day, 0, b, dept,
			       open && strcmp(open, "0")};
	if ((rc = cs->st->ops->scan_project_notes(cs->st, 0, note_json, &x))) {
		json_decref(x.a);
		return api_fail(r, rc);
	}
	return api_list(r, x.a, x.n, x.n, 0);
}

/* GET /programmes: each with its plan and what its communities did;
 * ?communities=1 lists them. */
enum MHD_Result api_get_programmes(struct req *r)
{
	struct civstat *cs = r->api->cs;
	int with = api_arg(r, "communities") != NULL;
	long limit, offset;
	if (api_page(r, &limit, &offset))
		return MHD_YES;
	const struct project_book *b = held(r);
	if (!b)
		return MHD_YES;
	json_t *items = json_array();
	for (long g = offset; g < b->n_programmes && g < offset + limit; g++) {
		const struct programme *p = &b->programmes[g];
		int n = 0, started = 0, finished = 0;
		long buildings = 0, households = 0;
		double progress = 0;
		json_t *list = json_array();
		for (int c = 0; c < b->n_communities; c++) {
			const struct community *m = &b->communities[c];
			if (m->programme_id != p->id)
				continue;
			n++;
			started += !!*m->started;
			finished += !!*m->finished;
			buildings += m->buildings;
			households += m->households;
			progress += isnan(m->progress) ? 0 : m->progress;
			if (with)
				json_array_append_new(
					list,
					json_pack("{s:s,s:s?,s:i,s:i,s:o,s:s?,"
						  "s:s?,s:o,s:b}",
						  "name", m->name, "area",
						  area_code(&cs->cat, m->area_id),
						  "buildings", m->buildings,
						  "households", m->households,
						  "floor_area", num(m->floor_area),
						  "started", opt(m->started),
						  "finished", opt(m->finished),
						  "progress", num(m->progress),
						  "sample", m->sample));
		}
		json_t *j = json_pack(
			"{s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:o,s:i,s:i,s:i,s:I,s:I,"
			"s:o,s:s?,s:b}",
			"code", p->code, "name", p->name, "first_year",
			p->first_year, "last_year", p->last_year,
			"communities_planned", p->communities,
			"buildings_planned", p->buildings, "households_planned",
			p->households, "floor_area", num(p->floor_area),
			"communities_n", n, "started", started, "finished",
			finished, "buildings", (json_int_t)buildings,
			"households", (json_int_t)households, "progress_pct",
			n ? json_real(round(progress / n * 10) / 10)
			  : json_null(),
			"source", opt(p->source), "sample", p->sample);
		if (with)
			json_object_set_new(j, "communities", list);
		else
			json_decref(list);
		json_array_append_new(items, j);
	}
	long total = b->n_programmes;
	return api_list(r, items, total, limit, offset);
}

/* ---- task lists ------------------------------------------------------- */

static const char *list_code(const struct task_book *b, int list_id)
{
	int l = task_book_list(b, list_id);
	return l < 0 ? NULL : b->lists[l].code;
}

static json_t *task_json(const struct catalog *cat, const struct task_book *b,
			 const struct task *t, const char *day)
{
	int why = task_overdue(b, t, day), shown = task_status_on(b, t, day);
	int open = 0;
	for (int k = 0; k < b->n_notes; k++)
		open += b->notes[k].task_id == t->id && !*b->notes[k].answer;
	json_t *late = json_array();
	if (why & TASK_LATE_DEADLINE)
		json_array_append_new(late, json_string("deadline"));
	if (why & TASK_LATE_MILESTONE)
		json_array_append_new(late, json_string("milestone"));
	return json_pack(
		"{s:s,s:s?,s:s,s:s?,s:s?,s:s,s:o,s:s?,s:o,s:s,s:s,s:s,s:s,"
		"s:o,s:s?,s:i,s:s?,s:b}",
		"code", t->code, "list", list_code(b, t->list_id), "title",
		t->title, "department", dept_code(cat, t->department_id),
		"leader", opt(t->leader), "deadline", t->deadline, "target",
		num(t->target), "unit", opt(t->unit), "achieved",
		num(t->achieved), "status", task_status_name(shown),
		"status_zh", task_status_zh(shown), "status_set",
		task_status_name(t->status), "status_set_zh",
		task_status_zh(t->status), "overdue", late, "done_on",
		opt(t->done_on), "notes_open", open, "source", opt(t->source),
		"sample", t->sample);
}

/* GET /task-lists: each list with its tasks counted by status. */
enum MHD_Result api_get_task_lists(struct req *r)
{
	struct civstat *cs = r->api->cs;
	char day[11];
	long limit, offset;
	int rc;
	if (api_page(r, &limit, &offset) || read_today(r, day))
		return MHD_YES;
	struct task_book b;
	if ((rc = task_book_load(cs->st, &b))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	json_t *items = json_array();
	for (long l = offset; l < b.n_lists && l < offset + limit; l++) {
		const struct task_list *x = &b.lists[l];
		int n = 0, st[TASK_NSTATUS] = {0};
		for (int k = 0; k < b.n_tasks; k++)
			if (b.tasks[k].list_id == x->id) {
				n++;
				st[task_status_on(&b, &b.tasks[k], day)]++;
			}
		json_t *by = json_object();
		for (int s = 0; s < TASK_NSTATUS; s++)
			json_object_set_new(by, task_status_name(s),
					    json_integer(st[s]));
		json_array_append_new(
			items, json_pack("{s:s,s:i,s:s,s:s?,s:s?,s:b,s:i,s:o}",
					 "code", x->code, "year", x->year,
					 "name", x->name, "kind", opt(x->kind),
					 "source", opt(x->source), "sample",
					 x->sample, "tasks", n, "status", by));
	}
	long total = b.n_lists;
	task_book_release(&b);
	return api_list(r, items, total, limit, offset);
}

/* GET /tasks?list=&department=&status=: status is the one shown on today
 * (滞后 / late for a task overdue). */
enum MHD_Result api_get_tasks(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const struct catalog *cat = &cs->cat;
	const char *list = api_arg(r, "list"), *dept = api_arg(r, "department"),
		   *status = api_arg(r, "status");
	char day[11];
	long limit, offset, total = 0;
	int d = -1, s = -1, list_id = -1, rc;
	if (api_page(r, &limit, &offset) || read_today(r, day))
		return MHD_YES;
	if (dept && (d = catalog_department(cat, dept, strlen(dept))) < 0)
		return api_error(r, CS_EINVAL, "department", "department: "
				 "unknown department \"%s\"", dept);
	if (status && (s = task_status_parse(status)) < 0 &&
	    strcmp(status, "overdue"))
		return api_error(r, CS_EINVAL, "status", "status: \"%s\" is not "
				 "one of 未开始 推进中 已完成 滞后 已销号",
				 status);
	if (status && !strcmp(status, "overdue"))
		s = TASK_LATE;
	struct task_book b;
	if ((rc = task_book_load(cs->st, &b))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	if (list) {
		for (int l = 0; l < b.n_lists; l++)
			if (!strcmp(b.lists[l].code, list))
				list_id = b.lists[l].id;
		if (list_id < 0) {
			task_book_release(&b);
			return api_error(r, CS_EINVAL, "list", "list: unknown "
					 "task list \"%s\"", list);
		}
	}
	json_t *items = json_array();
	for (int k = 0; k < b.n_tasks; k++) {
		const struct task *t = &b.tasks[k];
		if ((list_id >= 0 && t->list_id != list_id) ||
		    (d >= 0 && t->department_id != cat->depts[d].id) ||
		    (s >= 0 && task_status_on(&b, t, day) != s))
			continue;
		if (total++ < offset || total > offset + limit)
			continue;
		json_array_append_new(items, task_json(cat, &b, t, day));
	}
	task_book_release(&b);
	return api_list(r, items, total, limit, offset);
}

/* GET /tasks/{code}: the task with its milestones, reports and notes; the
 * public sees how many notes there are, not what they say. */
enum MHD_Result api_get_task(struct req *r)
{
	struct civstat *cs = r->api->cs;
	int staff = r->who.role > ROLE_PUBLIC, rc;
	char day[11];
	if (read_today(r, day))
		return MHD_YES;
	struct task_book b;
	if ((rc = task_book_load(cs->st, &b))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	int k = task_book_task(&b, r->params[0]);
	if (k < 0) {
		task_book_release(&b);
		return api_error(r, CS_ENOTFOUND, "code", "task \"%s\": no such "
				 "task", r->params[0]);
	}
	const struct task *t = &b.tasks[k];
	json_t *j = task_json(&cs->cat, &b, t, day);
	json_t *ms = json_array(), *reps = json_array(), *notes = json_array();
	int n_notes = 0;
	for (int x = 0; x < b.n_milestones; x++) {
		const struct task_milestone *m = &b.milestones[x];
		if (m->task_id == t->id)
			json_array_append_new(
				ms, json_pack("{s:i,s:s,s:s,s:s?,s:b}", "seq",
					      m->seq, "name", m->name, "due",
					      m->due, "done_on", opt(m->done_on),
					      "overdue",
					      !*m->done_on &&
						      strcmp(m->due, day) < 0));
	}
	for (int x = 0; x < b.n_reports; x++) {
		const struct task_report *p = &b.reports[x];
		if (p->task_id == t->id)
			json_array_append_new(
				reps,
				json_pack("{s:i,s:s,s:s,s:o,s:s?,s:b}", "id",
					  p->id, "day", p->day, "text", p->text,
					  "achieved", num(p->achieved), "actor",
					  staff ? opt(p->actor) : NULL, "sample",
					  p->sample));
	}
	for (int x = 0; x < b.n_notes; x++) {
		const struct task_note *n = &b.notes[x];
		if (n->task_id != t->id)
			continue;
		n_notes++;
		if (staff)
			json_array_append_new(
				notes,
				json_pack("{s:i,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,"
					  "s:b}",
					  "id", n->id, "author", n->author,
					  "day", n->day, "text", n->text, "due",
					  n->due, "answer", opt(n->answer),
					  "answered_by", opt(n->answered_by),
					  "answered_on", opt(n->answered_on),
					  "overdue",
					  task_note_overdue(n, day)));
	}
	json_object_set_new(j, "milestones", ms);
	json_object_set_new(j, "reports", reps);
	json_object_set_new(j, "notes_n", json_integer(n_notes));
	if (staff)
		json_object_set_new(j, "notes", notes);
	else
		json_decref(notes);
	task_book_release(&b);
	return api_json(r, 200, j);
}

/* GET /tasks/summary?by=list|department: the on-time rate with its
 * numerator and denominator, overdue tasks, unanswered notes. */
enum MHD_Result api_get_tasks_summary(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const char *byz = api_arg(r, "by");
	char day[11];
	int by = TASK_BY_LIST, n, rc;
	struct task_tally *t;
	if (read_today(r, day))
		return MHD_YES;
	if (byz && !strcmp(byz, "department"))
		by = TASK_BY_DEPARTMENT;
	else if (byz && strcmp(byz, "list"))
		return api_error(r, CS_EINVAL, "by", "by: list or department");
	struct task_book b;
	if ((rc = task_book_load(cs->st, &b)) ||
	    (rc = task_summary(&b, by, day, &t, &n))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	json_t *items = json_array();
	for (int g = 0; g < n; g++) {
		const char *key = by == TASK_BY_LIST
					  ? list_code(&b, t[g].key)
					  : dept_code(&cs->cat, t[g].key);
		json_t *st = json_object();
		for (int s = 0; s < TASK_NSTATUS; s++)
			json_object_set_new(st, task_status_name(s),
					    json_integer(t[g].status[s]));
		json_array_append_new(
			items,
			json_pack("{s:s?,s:I,s:o,s:I,s:I,s:o,s:I,s:I,s:I,s:I}",
				  "key", key, "tasks", (json_int_t)t[g].tasks,
				  "status", st, "due", (json_int_t)t[g].due,
				  "on_time", (json_int_t)t[g].on_time,
				  "on_time_pct",
				  t[g].due ? json_real(round(t[g].on_time *
							     1000.0 /
							     t[g].due) /
						       10)
					   : json_null(),
				  "overdue",
				  (json_int_t)t[g].status[TASK_LATE], "notes",
				  (json_int_t)t[g].notes, "notes_open",
				  (json_int_t)t[g].notes_open, "notes_overdue",
				  (json_int_t)t[g].notes_overdue));
	}
	free(t);
	task_book_release(&b);
	return api_json(r, 200,
			json_pack("{s:s,s:s,s:o}", "by",
				  by == TASK_BY_LIST ? "list" : "department",
				  "today", day, "items", items));
}

static struct task_who task_who_of(const struct req *r)
{
	return (struct task_who){r->who.role, r->who.department_id};
}

/* POST /tasks/{code}/reports {"text", "achieved"}: a progress report. */
static enum MHD_Result task_report(struct req *r, json_t *body, const char *day)
{
	json_t *jt = json_object_get(body, "text"),
	       *ja = json_object_get(body, "achieved");
	if (!json_is_string(jt) || !*json_string_value(jt))
		return api_error(r, CS_EINVAL, "text", "text: what was done");
	if (ja && !json_is_null(ja) &&
	    (!json_is_number(ja) || json_number_value(ja) < 0))
		return api_error(r, CS_EINVAL, "achieved", "achieved: a figure "
				 "of zero or more");
	struct task_report rep = {
		.text = (char *)json_string_value(jt),
		.achieved = ja && !json_is_null(ja) ? json_number_value(ja)
						    : NAN,
		.actor = (char *)"",
	};
	struct task_who who = task_who_of(r);
	int rc = task_report_add(r->api->cs, r->params[0], &rep, &who, day);
	if (rc)
		return refuse(r, rc, "text");
	return api_json(r, 200, json_pack("{s:s,s:i,s:s}", "code",
					  r->params[0], "id", rep.id, "day",
					  day));
}

/* POST /tasks/{code}/status {"status"}: as task_set_status allows. */
static enum MHD_Result task_status(struct req *r, json_t *body, const char *day)
{
	const char *z = json_string_value(json_object_get(body, "status"));
	int s = z ? task_status_parse(z) : -1;
	if (s < 0)
		return api_error(r, CS_EINVAL, "status", "status: \"%s\" is not "
				 "one of 未开始 推进中 已完成 已销号",
				 z ? z : "");
	struct task_who who = task_who_of(r);
	int rc = task_set_status(r->api->cs, r->params[0], s, &who, day);
	if (rc)
		return refuse(r, rc, "status");
	return api_json(r, 200, json_pack("{s:s,s:s,s:s}", "code",
					  r->params[0], "status",
					  task_status_name(s), "status_zh",
					  task_status_zh(s)));
}

/* POST /tasks/{code}/notes {"text", "due"}: a supervision note. */
static enum MHD_Result task_note(struct req *r, json_t *body, const char *day)
{
	json_t *jt = json_object_get(body, "text"),
	       *jd = json_object_get(body, "due");
	if (r->who.role < ROLE_LEADER)
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not write "
				 "supervision notes: leaders only",
				 r->who.name, role_name(r->who.role));
	if (!json_is_string(jt) || !*json_string_value(jt))
		return api_error(r, CS_EINVAL, "text", "text: the note");
	if (!json_is_string(jd) || !task_day_valid(json_string_value(jd)))
		return api_error(r, CS_EINVAL, "due", "due: the day the answer "
				 "is due (YYYY-MM-DD)");
	struct task_note n = {
		.text = (char *)json_string_value(jt),
		.due = (char *)json_string_value(jd),
	};
	struct task_who who = task_who_of(r);
	int rc = task_note_add(r->api->cs, r->params[0], &n, &who, day);
	if (rc)
		return refuse(r, rc, "due");
	return api_json(r, 200, json_pack("{s:s,s:i,s:s,s:s}", "code",
					  r->params[0], "id", n.id, "day", day,
					  "due", json_string_value(jd)));
}

/* POST /tasks/{code}/notes/{id}/answer {"answer"}: the owner's answer. */
static enum MHD_Result task_answer(struct req *r, json_t *body, const char *day)
{
	const char *a = json_string_value(json_object_get(body, "answer"));
	char *end;
	long id = strtol(r->params[1], &end, 10);
	if (!a || !*a)
		return api_error(r, CS_EINVAL, "answer", "answer: text");
	if (*end || id <= 0 || id > 0x7fffffff)
		return api_error(r, CS_ENOTFOUND, "id", "note \"%s\": no such "
				 "note", r->params[1]);
	struct task_book b;
	int rc = task_book_load(r->api->cs->st, &b), found = 0;
	for (int k = 0; !rc && k < b.n_notes; k++) {
		int t = b.notes[k].id == id ? task_book_task(&b, r->params[0])
					    : -1;
		found |= t >= 0 && b.tasks[t].id == b.notes[k].task_id;
	}
	task_book_release(&b);
	if (rc)
		return api_fail(r, rc);
	if (!found)
		return api_error(r, CS_ENOTFOUND, "id", "task %s has no note %ld",
				 r->params[0], id);
	struct task_who who = task_who_of(r);
	if ((rc = task_note_answer(r->api->cs, (int)id, a, &who, day)))
		return refuse(r, rc, "answer");
	return api_json(r, 200, json_pack("{s:s,s:i,s:s}", "code",
					  r->params[0], "id", (int)id,
					  "answered_on", day));
}

/* A task write: the body, the store, the server's today. */
static enum MHD_Result task_write(struct req *r,
				  enum MHD_Result (*fn)(struct req *, json_t *,
							const char *))
{
	char day[11];
	json_t *body = api_body(r);
	if (!body)
		return MHD_YES;
	server_today(day);
	/* The domain lets an actor bound to no department touch every
	 * task (the command line's); over HTTP that is only a leader. */
	if (r->who.role < ROLE_LEADER &&
	    (r->who.role != ROLE_DEPARTMENT || !r->who.department_id)) {
		json_decref(body);
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not write on "
				 "tasks: their department or a leader",
				 r->who.name, role_name(r->who.role));
	}
	api_write_begin(r);
	enum MHD_Result ret = fn(r, body, day);
	api_write_end(r, 0);
	json_decref(body);
	return ret;
}

enum MHD_Result api_post_task_report(struct req *r)
{
	return task_write(r, task_report);
}

enum MHD_Result api_post_task_status(struct req *r)
{
	return task_write(r, task_status);
}

enum MHD_Result api_post_task_note(struct req *r)
{
	return task_write(r, task_note);
}

enum MHD_Result api_post_task_answer(struct req *r)
{
	return task_write(r, task_answer);
}

/* ---- the body of a write, field by field ------------------------------- */

/* Each of these reads one member of a write's body: absent leaves *out as
 * it is (what the record holds, or its default), unless required; null
 * clears it where it may be empty.  -1 after answering 400 naming the
 * field, so that a wrong type, a date that does not exist or a negative
 * amount is refused before anything is written. */

static int need(struct req *r, const char *key, const char *what)
{
	api_error(r, CS_EINVAL, key, "%s: %s", key, what);
	return -1;
}

/* Refuses a member the route does not know: a typo is not ignored. */
static int body_known(struct req *r, json_t *body, const char *const *keys)
{
	const char *key;
	json_t *v;
	if (!json_is_object(body))
		return need(r, "body", "a JSON object");
	json_object_foreach(body, key, v)
	{
		int k = 0;
		while (keys[k] && strcmp(keys[k], key))
			k++;
		if (!keys[k])
			return need(r, key, "not a field of this write");
	}
	return 0;
}

static int body_text(struct req *r, json_t *body, const char *key,
		     int required, const char **out)
{
	json_t *v = json_object_get(body, key);
	if (!v && !required)
		return 0;
	if (!required && json_is_null(v)) {
		*out = "";
		return 0;
	}
	if (!json_is_string(v) || (required && !*json_string_value(v)))
		return need(r, key, required ? "required text" : "text");
	*out = json_string_value(v);
	return 0;
}

static int body_date(struct req *r, json_t *body, const char *key,
		     int required, const char **out)
{
	const char *z = NULL;
	if (body_text(r, body, key, required, &z))
		return -1;
	if (z && *z && !project_date_ok(z)) {
		api_error(r, CS_EINVAL, key, "%s: \"%s\" is not a date that "
			  "exists (YYYY-MM-DD)", key, z);
		return -1;
	}
	if (z)
		*out = z;
	return 0;
}

/* A number from lo to hi; null is NaN (not known) unless required. */
static int body_number(struct req *r, json_t *body, const char *key,
		       int required, double lo, double hi, double *out)
{
	json_t *v = json_object_get(body, key);
	if (!v && !required)
		return 0;
	if (!required && json_is_null(v)) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v) || json_number_value(v) < lo ||
	    json_number_value(v) > hi) {
		api_error(r, CS_EINVAL, key, "%s: a number from %g to %g", key,
			  lo, hi);
		return -1;
	}
	*out = json_number_value(v);
	return 0;
}

static int body_int(struct req *r, json_t *body, const char *key,
		    int required, long lo, long hi, int *out)
{
	json_t *v = json_object_get(body, key);
	if (!v && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		api_error(r, CS_EINVAL, key, "%s: a whole number from %ld to "
			  "%ld", key, lo, hi);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

/* An area or department by code into its id; null (where allowed) is 0. */
static int body_area(struct req *r, json_t *body, const char *key,
		     int required, int *id)
{
	const struct catalog *cat = &r->api->cs->cat;
	const char *z = NULL;
	int a;
	if (body_text(r, body, key, required, &z))
		return -1;
	if (!z)
		return 0;
	if (!*z) {
		*id = 0;
		return 0;
	}
	if ((a = catalog_area(cat, z, strlen(z))) < 0) {
		api_error(r, CS_EINVAL, key, "%s: unknown area \"%s\"", key, z);
		return -1;
	}
	*id = cat->areas[a].id;
	return 0;
}

static int body_department(struct req *r, json_t *body, const char *key,
			   int *id)
{
	const struct catalog *cat = &r->api->cs->cat;
	const char *z = NULL;
	int d;
	if (body_text(r, body, key, 0, &z))
		return -1;
	if (!z)
		return 0;
	if (!*z) {
		*id = 0;
		return 0;
	}
	if ((d = catalog_department(cat, z, strlen(z))) < 0) {
		api_error(r, CS_EINVAL, key, "%s: unknown department \"%s\"",
			  key, z);
		return -1;
	}
	*id = cat->depts[d].id;
	return 0;
}

/* "first" not after "last" (days or years as text that sorts). */
static int body_order(struct req *r, const char *first, const char *last,
		      const char *key)
{
	if (*first && *last && strcmp(first, last) > 0) {
		api_error(r, CS_EINVAL, key, "%s: %s is before %s", key, last,
			  first);
		return -1;
	}
	return 0;
}

/* ---- writes of projects, plans, milestones, programmes ---------------- */

static const char *const project_keys[] = {
	"code", "name", "cluster", "type", "area", "department", "leader",
	"total", "planned_start", "planned_finish", "address", "lon", "lat",
	"issues", "programme", "phase", NULL,
};

/* Reads body onto p (a new project's defaults, or the project as it is).
 * A new one needs code, name, cluster and area; the phase changes only on
 * /phase once a project exists. */
static int project_fields(struct req *r, json_t *body,
			  const struct project_book *b, struct project *p,
			  int create)
{
	const char *cluster = NULL, *type = NULL, *phase = NULL,
		   *programme = NULL;
	int k;
	if (body_known(r, body, project_keys) ||
	    (create && body_text(r, body, "code", 1, &p->code)))
		return -1;
	json_t *jc = json_object_get(body, "code");
	if (!create && jc &&
	    (!json_is_string(jc) || strcmp(json_string_value(jc), p->code)))
		return need(r, "code", "a project's code does not change");
	if (!create && json_object_get(body, "phase"))
		return need(r, "phase", "a phase changes on POST "
			    "/api/v1/projects/{code}/phase, dated");
	if (body_text(r, body, "name", create, &p->name) ||
	    body_text(r, body, "cluster", create, &cluster) ||
	    body_text(r, body, "type", 0, &type) ||
	    body_area(r, body, "area", create, &p->area_id) ||
	    body_department(r, body, "department", &p->department_id) ||
	    body_text(r, body, "leader", 0, &p->leader) ||
	    body_number(r, body, "total", 0, 0, 1e9, &p->total) ||
	    body_date(r, body, "planned_start", 0, &p->planned_start) ||
	    body_date(r, body, "planned_finish", 0, &p->planned_finish) ||
	    body_text(r, body, "address", 0, &p->address) ||
	    body_number(r, body, "lon", 0, -180, 180, &p->lon) ||
	    body_number(r, body, "lat", 0, -90, 90, &p->lat) ||
	    body_text(r, body, "issues", 0, &p->issues) ||
	    body_text(r, body, "programme", 0, &programme) ||
	    (create && body_text(r, body, "phase", 0, &phase)) ||
	    body_order(r, p->planned_start, p->planned_finish,
		       "planned_finish"))
		return -1;
	if (!*p->name)
		return need(r, "name", "required text");
	if (cluster) {
		if ((k = project_cluster_parse(cluster)) < 0) {
			api_error(r, CS_EINVAL, "cluster", "cluster: unknown "
				  "cluster \"%s\"", cluster);
			return -1;
		}
		p->cluster = project_clusters[k].code;
	}
	if (type && (p->type = project_type_parse(type)) < 0)
		return need(r, "type", "one of 产业 基础设施 民生 "
			    "科技攻关（揭榜挂帅）, or industry, "
			    "infrastructure, livelihood, technology");
	if (phase && (p->phase = project_phase_parse(phase)) < 0)
		return need(r, "phase", "one of 谋划 签约 开工 在建 竣工 投产");
	if (programme && *programme) {
		for (k = 0; k < b->n_programmes; k++)
			if (!strcmp(b->programmes[k].code, programme))
				break;
		if (k == b->n_programmes) {
			api_error(r, CS_EINVAL, "programme", "programme: "
				  "unknown programme \"%s\"", programme);
			return -1;
		}
	}
	if (programme)
		p->programme = programme;
	return 0;
}

/* POST /projects: a new project.  A leader or admin for any department;
 * a department's clerk for its own only (its own when none is named). */
static enum MHD_Result project_create(struct req *r, json_t *body)
{
	const struct project_book *b;
	struct project p = {
		.name = "", .cluster = "", .type = PROJECT_INDUSTRY,
		.leader = "", .total = NAN, .phase = PHASE_PLANNING,
		.planned_start = "", .planned_finish = "", .actual_start = "",
		.actual_finish = "", .address = "", .lon = NAN, .lat = NAN,
		.issues = "", .programme = "", .source = "",
	};
	int leader = r->who.role >= ROLE_LEADER, rc;
	if (!leader && (r->who.role != ROLE_DEPARTMENT ||
			!r->who.department_id))
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not create "
				 "projects: a department its own, or a "
				 "leader", r->who.name,
				 role_name(r->who.role));
	if (!leader)
		p.department_id = r->who.department_id;
	if (!(b = held(r)) || project_fields(r, body, b, &p, 1))
		return MHD_YES;
	int exists = project_book_find(b, p.code) >= 0;
	if (!leader && p.department_id != r->who.department_id)
		return api_error(r, CS_EPERM, "department", "%s may create "
				 "projects of its own department only",
				 r->who.name);
	/* A programme's projects decide who writes its communities. */
	if (!leader && *p.programme)
		return api_error(r, CS_EPERM, "programme", "%s may not put a "
				 "project in a programme: a leader's decision",
				 r->who.name);
	if (exists)
		return api_error(r, CS_ECONFLICT, "code", "project \"%s\" "
				 "exists: edit it with POST "
				 "/api/v1/projects/%s", p.code, p.code);
	if ((rc = project_put(r->api->cs, &p)))
		return refuse(r, rc, "code");
	return project_answer(r, p.code, 201);
}

/* POST /projects/{code}: the fields given change, the others stay. */
static enum MHD_Result project_edit(struct req *r, json_t *body)
{
	const struct project_book *b;
	int k, rc;
	/* p's strings are the held book's until the body replaces them:
	 * kept by the book until it is released, which takes the store
	 * mutex that this write holds. */
	if (project_for_write(r, &b, &k))
		return MHD_YES;
	struct project p = b->projects[k];
	if (project_fields(r, body, b, &p, 0))
		return MHD_YES;
	/* A department hands nothing to another, nor joins a programme
	 * (whose projects decide who writes it): a leader's decisions. */
	const char *lead = p.department_id != b->projects[k].department_id
				   ? "department"
			   : strcmp(p.programme, b->projects[k].programme)
				   ? "programme"
				   : NULL;
	if (r->who.role < ROLE_LEADER && lead)
		return api_error(r, CS_EPERM, lead, "%s may not change the %s "
				 "of project %s: a leader's decision",
				 r->who.name, lead, r->params[0]);
	if ((rc = project_put(r->api->cs, &p)))
		return refuse(r, rc, "code");
	return project_answer(r, r->params[0], 200);
}

enum MHD_Result api_post_projects(struct req *r)
{
	return project_write(r, project_create);
}

enum MHD_Result api_post_project(struct req *r)
{
	return project_write(r, project_edit);
}

/* POST /projects/{code}/plans {"year": 2026, "investment": 8.5}. */
static enum MHD_Result project_plan(struct req *r, json_t *body)
{
	static const char *const keys[] = {"year", "investment", NULL};
	const struct project_book *b;
	struct project_plan pl = {.amount = NAN};
	int k, rc;
	if (project_for_write(r, &b, &k))
		return MHD_YES;
	pl.project_id = b->projects[k].id;
	if (body_known(r, body, keys) ||
	    body_int(r, body, "year", 1, PERIOD_MIN_YEAR, PERIOD_MAX_YEAR,
		     &pl.year) ||
	    body_number(r, body, "investment", 1, 0, 1e9, &pl.amount))
		return MHD_YES;
	if ((rc = project_put_plan(r->api->cs, &pl)))
		return refuse(r, rc, "investment");
	return api_json(r, 200, json_pack("{s:s,s:i,s:o}", "code", r->params[0],
					  "year", pl.year, "investment",
					  yi(pl.amount)));
}

enum MHD_Result api_post_project_plan(struct req *r)
{
	return project_write(r, project_plan);
}

/* POST /projects/{code}/milestones {"name", "due", "done"}: by name, a new
 * milestone needs its due date; done is the day it was reached, or null
 * while open. */
static enum MHD_Result project_milestone(struct req *r, json_t *body)
{
	static const char *const keys[] = {"name", "due", "done", NULL};
	const struct project_book *b;
	struct milestone m = {.due = "", .done = ""};
	int k, rc;
	if (project_for_write(r, &b, &k))
		return MHD_YES;
	m.project_id = b->projects[k].id;
	if (body_known(r, body, keys) ||
	    body_text(r, body, "name", 1, &m.name))
		return MHD_YES;
	/* The one of that name, its strings the held book's (kept while
	 * this write holds the store). */
	for (int x = 0; x < b->n_milestones; x++)
		if (b->milestones[x].project_id == m.project_id &&
		    !strcmp(b->milestones[x].name, m.name))
			m = b->milestones[x];
	if (body_date(r, body, "due", !*m.due, &m.due) ||
	    body_date(r, body, "done", 0, &m.done))
		return MHD_YES;
	if ((rc = project_put_milestone(r->api->cs, &m)))
		return refuse(r, rc, "due");
	return api_json(r, 200, json_pack("{s:s,s:s,s:s,s:s?}", "code",
					  r->params[0], "name", m.name, "due",
					  m.due, "done", opt(m.done)));
}

enum MHD_Result api_post_project_milestone(struct req *r)
{
	return project_write(r, project_milestone);
}

/* The programme's department is that of its projects: a clerk of one of
 * them may write its figures, as a leader may any. */
static int may_write_programme(const struct req *r,
			       const struct project_book *b, const char *code)
{
	if (r->who.role >= ROLE_LEADER)
		return 1;
	for (int k = 0; k < b->n_projects; k++)
		if (!strcmp(b->projects[k].programme, code) &&
		    may_write_project(r, &b->projects[k]))
			return 1;
	return 0;
}

static int find_programme(const struct project_book *b, const char *code)
{
	for (int k = 0; k < b->n_programmes; k++)
		if (!strcmp(b->programmes[k].code, code))
			return k;
	return -1;
}

/* POST /programmes {"code", "name", "first_year", "last_year",
 * "communities", "buildings", "households", "floor_area", "source"}: a new
 * programme (a leader) or the fields given of one (its department too). */
static enum MHD_Result programme_put(struct req *r, json_t *body)
{
	static const char *const keys[] = {
		"code", "name", "first_year", "last_year", "communities",
		"buildings", "households", "floor_area", "source", NULL,
	};
	const struct project_book *b;
	struct programme p = {.name = "", .floor_area = NAN, .source = ""};
	const char *code = NULL;
	char y0[8], y1[8];
	int rc;
	if (body_known(r, body, keys) || body_text(r, body, "code", 1, &code))
		return MHD_YES;
	if (!(b = held(r)))
		return MHD_YES;
	int g = find_programme(b, code);
	if (g >= 0)
		p = b->programmes[g];
	p.code = code;
	if (!may_write_programme(r, b, code) ||
	    (g < 0 && r->who.role < ROLE_LEADER))
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not write "
				 "programme %s: a leader, or the department "
				 "of its projects", r->who.name,
				 role_name(r->who.role), code);
	if (body_text(r, body, "name", g < 0, &p.name) ||
	    body_int(r, body, "first_year", g < 0, PERIOD_MIN_YEAR,
		     PERIOD_MAX_YEAR, &p.first_year) ||
	    body_int(r, body, "last_year", g < 0, PERIOD_MIN_YEAR,
		     PERIOD_MAX_YEAR, &p.last_year) ||
	    body_int(r, body, "communities", 0, 0, 10000000, &p.communities) ||
	    body_int(r, body, "buildings", 0, 0, 100000000, &p.buildings) ||
	    body_int(r, body, "households", 0, 0, 1000000000,
		     &p.households) ||
	    body_number(r, body, "floor_area", 0, 0, 1e9, &p.floor_area) ||
	    body_text(r, body, "source", 0, &p.source) ||
	    (snprintf(y0, sizeof y0, "%d", p.first_year),
	     snprintf(y1, sizeof y1, "%d", p.last_year),
	     body_order(r, y0, y1, "last_year")))
		return MHD_YES;
	if ((rc = project_put_programme(r->api->cs, &p)))
		return refuse(r, rc, "code");
	json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:o}", "code", code,
			      "name", p.name, "first_year", p.first_year,
			      "last_year", p.last_year, "communities_planned",
			      p.communities, "buildings_planned", p.buildings,
			      "households_planned", p.households,
			      "floor_area", num(p.floor_area));
	return api_json(r, g < 0 ? 201 : 200, j);
}

enum MHD_Result api_post_programmes(struct req *r)
{
	return project_write(r, programme_put);
}

/* POST /programmes/{code}/communities {"name", "area", "buildings",
 * "households", "floor_area", "started", "finished", "progress"}: one
 * community by name, the fields given. */
static enum MHD_Result programme_community(struct req *r, json_t *body)
{
	static const char *const keys[] = {
		"name", "area", "buildings", "households", "floor_area",
		"started", "finished", "progress", NULL,
	};
	const struct project_book *b;
	struct community c = {.name = "", .floor_area = NAN, .started = "",
			      .finished = ""};
	int rc;
	if (!(b = held(r)))
		return MHD_YES;
	int g = find_programme(b, r->params[0]);
	if (g < 0)
		return api_error(r, CS_ENOTFOUND, "code", "programme \"%s\": "
				 "no such programme", r->params[0]);
	if (!may_write_programme(r, b, r->params[0]))
		return api_error(r, CS_EPERM, NULL, "%s (%s) may not write "
				 "programme %s: a leader, or the department "
				 "of its projects", r->who.name,
				 role_name(r->who.role), r->params[0]);
	c.programme_id = b->programmes[g].id;
	if (body_known(r, body, keys) ||
	    body_text(r, body, "name", 1, &c.name))
		return MHD_YES;
	for (int x = 0; x < b->n_communities; x++)
		if (b->communities[x].programme_id == c.programme_id &&
		    !strcmp(b->communities[x].name, c.name))
			c = b->communities[x];
	if (body_area(r, body, "area", 0, &c.area_id) ||
	    body_int(r, body, "buildings", 0, 0, 100000, &c.buildings) ||
	    body_int(r, body, "households", 0, 0, 10000000, &c.households) ||
	    body_number(r, body, "floor_area", 0, 0, 1e6, &c.floor_area) ||
	    body_date(r, body, "started", 0, &c.started) ||
	    body_date(r, body, "finished", 0, &c.finished) ||
	    body_number(r, body, "progress", 0, 0, 100, &c.progress) ||
	    body_order(r, c.started, c.finished, "finished"))
		return MHD_YES;
	if (isnan(c.progress))
		c.progress = 0;
	if (*c.finished && !*c.started) {
		need(r, "started", "a community finished was started first");
		return MHD_YES;
	}
	if ((rc = project_put_community(r->api->cs, &c)))
		return refuse(r, rc, "name");
	json_t *j = json_pack(
		"{s:s,s:s,s:s?,s:i,s:i,s:o,s:s?,s:s?,s:o}", "programme",
		r->params[0], "name", c.name, "area",
		area_code(&r->api->cs->cat, c.area_id), "buildings",
		c.buildings, "households", c.households, "floor_area",
		num(c.floor_area), "started", opt(c.started), "finished",
		opt(c.finished), "progress", num(c.progress));
	return api_json(r, 200, j);
}

enum MHD_Result api_post_programme_community(struct req *r)
{
	return project_write(r, programme_community);
}

/* ---- writes of task lists, tasks and their milestones ------------------ */

/* The task records hold char *: "" for their empty fields, never
 * written through. */
#define E ((char *)"")

/* A list's id by its code (body member key); -1 after answering 400. */
static int body_list(struct req *r, json_t *body, const struct task_book *b,
		     int required, int *list_id)
{
	const char *z = NULL;
	if (body_text(r, body, "list", required, &z))
		return -1;
	if (!z)
		return 0;
	for (int l = 0; l < b->n_lists; l++)
		if (!strcmp(b->lists[l].code, z)) {
			*list_id = b->lists[l].id;
			return 0;
		}
	api_error(r, CS_EINVAL, "list", "list: unknown task list \"%s\"", z);
	return -1;
}

/* The leaders' writes (the supervision office is one): a department
 * reports on its tasks, it does not set them. */
static int leaders_only(struct req *r, const char *what)
{
	if (r->who.role >= ROLE_LEADER)
		return 0;
	api_error(r, CS_EPERM, NULL, "%s (%s) may not %s: leaders and the "
		  "supervision office (督查室) only", r->who.name,
		  role_name(r->who.role), what);
	return -1;
}

/* The domain's refusal of a task write: its messages begin with the
 * field ("deadline: ..."). */
static enum MHD_Result task_refuse(struct req *r, int rc)
{
	char field[32];
	const char *m = cs_errmsg(), *colon = strchr(m, ':');
	size_t n = colon ? (size_t)(colon - m) : 0;
	if (!n || n >= sizeof field || strspn(m, "abcdefghijklmnopqrstuvwxyz_")
					      != n)
		return refuse(r, rc, "code");
	memcpy(field, m, n);
	field[n] = 0;
	return refuse(r, rc, field);
}

/* POST /task-lists {"code", "year", "name", "kind", "source"}: a new list
 * or the fields given of one. */
static enum MHD_Result task_list_write(struct req *r, json_t *body,
				       const char *day)
{
	static const char *const keys[] = {"code", "year", "name", "kind",
					   "source", NULL};
	struct task_book b;
	struct task_list l = {.name = E, .kind = E, .source = E};
	const char *code = NULL;
	int rc, found = -1;
	(void)day;
	if (leaders_only(r, "write task lists") || body_known(r, body, keys) ||
	    body_text(r, body, "code", 1, &code))
		return MHD_YES;
	if ((rc = task_book_load(r->api->cs->st, &b))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	for (int k = 0; k < b.n_lists; k++)
		if (!strcmp(b.lists[k].code, code))
			l = b.lists[found = k];
	l.code = (char *)code;
	if (body_int(r, body, "year", found < 0, 1900, 2999, &l.year) ||
	    body_text(r, body, "name", found < 0, (const char **)&l.name) ||
	    body_text(r, body, "kind", 0, (const char **)&l.kind) ||
	    body_text(r, body, "source", 0, (const char **)&l.source)) {
		task_book_release(&b);
		return MHD_YES;
	}
	rc = task_list_put(r->api->cs, &l);
	json_t *j = rc ? NULL
		       : json_pack("{s:s,s:i,s:s,s:s?}", "code", code, "year",
				   l.year, "name", l.name, "kind", opt(l.kind));
	task_book_release(&b);
	if (rc)
		return task_refuse(r, rc);
	return api_json(r, found < 0 ? 201 : 200, j);
}

static const char *const task_keys[] = {
	"list", "code", "title", "department", "leader", "deadline", "target",
	"unit", "achieved", "source", "status", "done_on", NULL,
};

/* Reads body onto t; a new task needs list, code, title and deadline.
 * The status moves on /status, by its rules, never here. */
static int task_fields(struct req *r, json_t *body, const struct task_book *b,
		       struct task *t, int create)
{
	if (body_known(r, body, task_keys))
		return -1;
	if (json_object_get(body, "status") || json_object_get(body, "done_on"))
		return need(r, json_object_get(body, "status") ? "status"
							       : "done_on",
			    "a status changes on POST "
			    "/api/v1/tasks/{code}/status, by its rules");
	json_t *jc = json_object_get(body, "code");
	if (!create && jc &&
	    (!json_is_string(jc) || strcmp(json_string_value(jc), t->code)))
		return need(r, "code", "a task's code does not change");
	if ((create && body_text(r, body, "code", 1, (const char **)&t->code)) ||
	    body_list(r, body, b, create, &t->list_id) ||
	    body_text(r, body, "title", create, (const char **)&t->title) ||
	    body_department(r, body, "department", &t->department_id) ||
	    body_text(r, body, "leader", 0, (const char **)&t->leader) ||
	    body_date(r, body, "deadline", create,
		      (const char **)&t->deadline) ||
	    body_number(r, body, "target", 0, 0, 1e12, &t->target) ||
	    body_text(r, body, "unit", 0, (const char **)&t->unit) ||
	    body_number(r, body, "achieved", 0, 0, 1e12, &t->achieved) ||
	    body_text(r, body, "source", 0, (const char **)&t->source))
		return -1;
	if (!*t->deadline)
		return need(r, "deadline", "a task has a deadline "
			    "(YYYY-MM-DD)");
	return 0;
}

/* POST /tasks: a new task on a list, 未开始. */
static enum MHD_Result task_create(struct req *r, json_t *body,
				   const char *day)
{
	struct task_book b;
	struct task t = {
		.code = E, .title = E, .leader = E, .deadline = E,
		.target = NAN, .unit = E, .achieved = NAN,
		.status = TASK_NOT_STARTED, .done_on = E, .source = E,
	};
	int rc;
	(void)day;
	if (leaders_only(r, "create tasks"))
		return MHD_YES;
	if ((rc = task_book_load(r->api->cs->st, &b))) {
		task_book_release(&b);
		return api_fail(r, rc);
	}
	if (task_fields(r, body, &b, &t, 1)) {
		task_book_release(&b);
		return MHD_YES;
	}
	int exists = task_book_task(&b, t.code) >= 0;
	task_book_release(&b);
	if (exists)
		return api_error(r, CS_ECONFLICT, "code", "task \"%s\" exists: "
				 "edit it with POST /api/v1/tasks/%s", t.code,
				 t.code);
	if ((rc = task_put(r->api->cs, &t)))
		return task_refuse(r, rc);
	return api_json(r, 201, json_pack("{s:s,s:i,s:s,s:s}", "code", t.code,
					  "id", t.id, "deadline", t.deadline,
					  "status", task_status_name(t.status)));
}

/* Loads the book and finds task code for a write by the caller: a leader
 * any, a department its own.  -1 after answering 404 or 403 (b released
 * then). */
static int task_for_write(struct req *r, struct task_book *b, int *k)
{
	int rc = task_book_load(r->api->cs->st, b);
	if (rc) {
		api_fail(r, rc);
	} else if ((*k = task_book_task(b, r->params[0])) < 0) {
		api_error(r, CS_ENOTFOUND, "code", "task \"%s\": no such task",
			  r->params[0]);
	} else if (r->who.role < ROLE_LEADER &&
		   b->tasks[*k].department_id != r->who.department_id) {
		api_error(r, CS_EPERM, NULL, "%s (%s) may not write on task %s "
			  "of another department", r->who.name,
			  role_name(r->who.role), r->params[0]);
	} else {
		return 0;
	}
	task_book_release(b);
	return -1;
}

/* A department changes only the progress of its own task (the figure
 * reached); what the task is, a leader's.  -1 after answering 403 naming
 * the first other field. */
static int progress_only(struct req *r, json_t *body,
			 const char *const *progress)
{
	const char *key;
	json_t *v;
	if (r->who.role >= ROLE_LEADER)
		return 0;
	json_object_foreach(body, key, v)
	{
		int k = 0;
		while (progress[k] && strcmp(progress[k], key))
			k++;
		if (!progress[k]) {
			api_error(r, CS_EPERM, key, "%s: %s may change only "
				  "the progress of its tasks; the rest is the "
				  "supervision office's", key, r->who.name);
			return -1;
		}
	}
	return 0;
}

/* POST /tasks/{code}: the fields given change. */
static enum MHD_Result task_edit(struct req *r, json_t *body, const char *day)
{
	static const char *const progress[] = {"achieved", NULL};
	struct task_book b;
	int k, rc;
	(void)day;
	if (task_for_write(r, &b, &k))
		return MHD_YES;
	struct task t = b.tasks[k];
	if (body_known(r, body, task_keys) || progress_only(r, body, progress) ||
	    task_fields(r, body, &b, &t, 0)) {
		task_book_release(&b);
		return MHD_YES;
	}
	rc = task_put(r->api->cs, &t);
	json_t *j = rc ? NULL : task_json(&r->api->cs->cat, &b, &t, day);
	task_book_release(&b);
	if (rc)
		return task_refuse(r, rc);
	return api_json(r, 200, j);
}

/* POST /tasks/{code}/milestones {"seq", "name", "due", "done_on"}: a new
 * milestone (next seq when none is given) or the fields given of one; a
 * department marks one of its own tasks' done, nothing more. */
static enum MHD_Result task_milestone(struct req *r, json_t *body,
				      const char *day)
{
	static const char *const keys[] = {"seq", "name", "due", "done_on",
					   NULL};
	static const char *const progress[] = {"seq", "done_on", NULL};
	struct task_book b;
	struct task_milestone m = {.name = E, .due = E, .done_on = E};
	int k, rc, found = -1, last = 0;
	(void)day;
	if (task_for_write(r, &b, &k))
		return MHD_YES;
	int id = b.tasks[k].id;
	if (body_known(r, body, keys) || progress_only(r, body, progress) ||
	    body_int(r, body, "seq", r->who.role < ROLE_LEADER, 1, 1000,
		     &m.seq))
		goto answered;
	for (int x = 0; x < b.n_milestones; x++) {
		if (b.milestones[x].task_id != id)
			continue;
		if (b.milestones[x].seq > last)
			last = b.milestones[x].seq;
		if (m.seq && b.milestones[x].seq == m.seq)
			found = x;
	}
	if (found >= 0)
		m = b.milestones[found];
	else if (r->who.role < ROLE_LEADER) {
		api_error(r, CS_ENOTFOUND, "seq", "task %s has no milestone %d",
			  r->params[0], m.seq);
		goto answered;
	} else if (!m.seq)
		m.seq = last + 1;
	if (body_text(r, body, "name", found < 0, (const char **)&m.name) ||
	    body_date(r, body, "due", found < 0, (const char **)&m.due) ||
	    body_date(r, body, "done_on", 0, (const char **)&m.done_on))
		goto answered;
	if ((rc = task_milestone_put(r->api->cs, r->params[0], &m))) {
		task_book_release(&b);
		return task_refuse(r, rc);
	}
	json_t *j = json_pack("{s:s,s:i,s:s,s:s,s:s?}", "code", r->params[0],
			      "seq", m.seq, "name", m.name, "due", m.due,
			      "done_on", opt(m.done_on));
	task_book_release(&b);
	return api_json(r, found < 0 ? 201 : 200, j);
answered:
	task_book_release(&b);
	return MHD_YES;
}

enum MHD_Result api_post_task_lists(struct req *r)
{
	return task_write(r, task_list_write);
}

enum MHD_Result api_post_tasks(struct req *r)
{
	return task_write(r, task_create);
}

enum MHD_Result api_post_task(struct req *r)
{
	return task_write(r, task_edit);
}

enum MHD_Result api_post_task_milestone(struct req *r)
{
	return task_write(r, task_milestone);
}

/* GET /tasks/notes.csv: every 督办 note with its answer, in the columns
 * `civstat task import` reads (docs/formats.md); the notes' texts are
 * the government's own, so leaders and admin only (the route's role). */
enum MHD_Result api_get_task_notes_csv(struct req *r)
{
	struct out_table t;
	char *text = NULL;
	size_t n = 0;
	int rc = task_csv_export(r->api->cs, TASK_CSV_NOTES, &t);
	FILE *f = rc ? NULL : open_memstream(&text, &n);
	if (!rc && !f)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (!rc)
		rc = out_print(&t, f, OUT_CSV, LANG_EN);
	if (f && fclose(f) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	out_release(&t);
	if (rc) {
		free(text);
		return api_fail(r, rc);
	}
	return api_text(r, 200, "text/csv; charset=utf-8", text, n);
}
