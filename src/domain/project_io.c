/*
 * CSV import and export of the key-project pipeline (see project_io.h).
 * Each kind is a table of columns with their English and Chinese names;
 * every row goes through the checks of project.c, inside one transaction
 * for the whole import.
 */
#include "domain/project_io.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/audit.h"
#include "domain/project.h"

struct col {
	const char *en, *zh;
	int required;
};

static const struct col project_cols[] = {
	{"code", "项目代码", 1},       {"name", "项目名称", 1},
	{"cluster", "产业集群", 1},    {"type", "项目类型", 0},
	{"area", "地区代码", 1},       {"department", "责任单位", 0},
	{"leader", "包保领导", 0},     {"total", "总投资(亿元)", 0},
	{"phase", "阶段", 0},          {"planned_start", "计划开工", 0},
	{"planned_finish", "计划竣工", 0}, {"actual_start", "实际开工", 0},
	{"actual_finish", "实际竣工", 0},  {"address", "地址", 0},
	{"lon", "经度", 0},            {"lat", "纬度", 0},
	{"issues", "需协调解决的问题", 0}, {"programme", "所属计划", 0},
	{"sample", "样例", 0},         {"source", "来源", 0},
	{NULL, NULL, 0},
};

static const struct col plan_cols[] = {
	{"project", "项目代码", 1},
	{"year", "年度", 1},
	{"amount", "计划投资(亿元)", 1},
	{"sample", "样例", 0},
	{NULL, NULL, 0},
};

static const struct col milestone_cols[] = {
	{"project", "项目代码", 1}, {"milestone", "节点", 1},
	{"due", "计划完成", 1},     {"done", "实际完成", 0},
	{"sample", "样例", 0},      {NULL, NULL, 0},
};

static const struct col report_cols[] = {
	{"project", "项目代码", 1},        {"period", "时期", 1},
	{"investment", "完成投资(亿元)", 1}, {"progress", "形象进度%", 0},
	{"note", "备注", 0},               {"sample", "样例", 0},
	{NULL, NULL, 0},
};

static const struct col programme_cols[] = {
	{"code", "计划代码", 1},       {"name", "计划名称", 1},
	{"first_year", "起始年", 1},   {"last_year", "结束年", 1},
	{"communities", "小区数", 0},  {"buildings", "栋数", 0},
	{"households", "户数", 0},     {"floor_area", "面积(万平方米)", 0},
	{"source", "来源", 0},         {"sample", "样例", 0},
	{NULL, NULL, 0},
};

static const struct col community_cols[] = {
	{"programme", "计划代码", 1},  {"community", "小区名称", 1},
	{"area", "地区代码", 0},       {"buildings", "栋数", 0},
	{"households", "户数", 0},     {"floor_area", "面积(万平方米)", 0},
	{"started", "开工日期", 0},    {"finished", "完工日期", 0},
	{"progress", "形象进度%", 0},  {"sample", "样例", 0},
	{NULL, NULL, 0},
};

static const struct col *const kind_cols[PK_N] = {
	[PK_PROJECTS] = project_cols,     [PK_PLANS] = plan_cols,
	[PK_MILESTONES] = milestone_cols, [PK_REPORTS] = report_cols,
	[PK_PROGRAMMES] = programme_cols, [PK_COMMUNITIES] = community_cols,
};

static const char *const kind_names[PK_N] = {
	"detect", "projects", "plans", "milestones", "reports", "programmes",
	"communities",
};

/* The order in which kinds are stored: what a row refers to first. */
static const enum project_kind kind_order[] = {
	PK_PROGRAMMES, PK_PROJECTS, PK_PLANS, PK_MILESTONES, PK_REPORTS,
	PK_COMMUNITIES,
};

const char *project_kind_name(enum project_kind k)
{
	return k >= 0 && k < PK_N ? kind_names[k] : "?";
}

int project_kind_parse(const char *z)
{
	for (int k = 1; k < PK_N; k++)
		if (!strcmp(z, kind_names[k]))
			return k;
	return -1;
}

#define MAX_COLS 24

/* One file being read: its kind, where each column is, the row. */
struct reader {
	struct csv_reader csv;
	const char *file;
	enum project_kind kind;
	const struct col *cols;
	int at[MAX_COLS];      /* the field of each of cols, -1: absent */
	char *head[MAX_COLS];  /* the column's name as the file writes it */
	char *val[MAX_COLS];   /* the row's values, NUL-terminated */
	struct csv_field *row;
	int nrow;
	int lo, hi;            /* the months of the reports read */
};

static int match(const struct csv_field *f, const struct col *c)
{
	return csv_field_is(f, c->en) || csv_field_is(f, c->zh);
}

static int has(const struct csv_field *h, int n, const char *en,
	       const char *zh)
{
	for (int k = 0; k < n; k++)
		if (csv_field_is(&h[k], en) || csv_field_is(&h[k], zh))
			return 1;
	return 0;
}

/* The kind a header shows, PK_DETECT when none. */
static enum project_kind detect(const struct csv_field *h, int n)
{
	if (has(h, n, "cluster", "产业集群"))
		return PK_PROJECTS;
	if (has(h, n, "investment", "完成投资(亿元)"))
		return PK_REPORTS;
	if (has(h, n, "milestone", "节点"))
		return PK_MILESTONES;
	if (has(h, n, "amount", "计划投资(亿元)"))
		return PK_PLANS;
	if (has(h, n, "community", "小区名称"))
		return PK_COMMUNITIES;
	if (has(h, n, "households", "户数"))
		return PK_PROGRAMMES;
	return PK_DETECT;
}

static void reader_release(struct reader *r)
{
	for (int k = 0; k < MAX_COLS; k++) {
		free(r->head[k]);
		free(r->val[k]);
	}
	csv_release(&r->csv);
	memset(r, 0, sizeof *r);
}

/* Opens file and reads its header: the kind (given, or detected) and
 * where each column is.  On error nothing needs releasing. */
static int reader_open(struct reader *r, const char *file,
		       enum project_kind kind)
{
	struct csv_field *h;
	memset(r, 0, sizeof *r);
	int rc = csv_open_file(&r->csv, file, CSV_ENC_AUTO);
	if (rc)
		return rc;
	r->file = file;
	int n = csv_next(&r->csv, &h);
	if (n < 0) {
		rc = -n;
		goto failed;
	}
	if (n == 0) {
		rc = cs_errorf(CS_EINVAL, "%s: file is empty", file);
		goto failed;
	}
	r->kind = kind ? kind : detect(h, n);
	if (!r->kind) {
		rc = cs_errorf(CS_EINVAL, "%s:1: cannot tell what the file "
			       "holds from its header (projects need "
			       "\"cluster\", reports \"investment\", plans "
			       "\"amount\", milestones \"milestone\")", file);
		goto failed;
	}
	r->cols = kind_cols[r->kind];
	for (int k = 0; k < n; k++) {
		int known = 0;
		for (int c = 0; r->cols[c].en && !known; c++)
			known = match(&h[k], &r->cols[c]);
		if (!known) {
			rc = cs_errorf(CS_EINVAL, "%s:1:%d: unknown column "
				       "\"%.*s\" in %s", file, k + 1,
				       (int)h[k].n, h[k].p,
				       kind_names[r->kind]);
			goto failed;
		}
	}
	for (int c = 0; r->cols[c].en; c++) {
		r->at[c] = -1;
		for (int k = 0; k < n; k++)
			if (match(&h[k], &r->cols[c]))
				r->at[c] = k;
		if (r->at[c] < 0 && r->cols[c].required) {
			rc = cs_errorf(CS_EINVAL, "%s:1: %s need a column "
				       "\"%s\" (%s)", file,
				       kind_names[r->kind], r->cols[c].en,
				       r->cols[c].zh);
			goto failed;
		}
		if (r->at[c] >= 0 &&
		    !(r->head[c] = strndup(h[r->at[c]].p, h[r->at[c]].n))) {
			rc = cs_errorf(CS_ENOMEM, "out of memory");
			goto failed;
		}
	}
	return CS_OK;
failed:
	reader_release(r);
	return rc;
}

/* Reads the next row into r->val; 0 at the end, 1 for a row, or -rc. */
static int reader_next(struct reader *r)
{
	int n = csv_next(&r->csv, &r->row);
	if (n <= 0)
		return n;
	r->nrow = n;
	for (int c = 0; r->cols[c].en; c++) {
		free(r->val[c]);
		const struct csv_field *f =
			r->at[c] >= 0 && r->at[c] < n ? &r->row[r->at[c]]
						       : NULL;
		r->val[c] = f ? strndup(f->p, f->n) : strdup("");
		if (!r->val[c])
			return -cs_errorf(CS_ENOMEM, "out of memory");
		/* Blanks around a value are Excel's, not the city's. */
		char *z = r->val[c];
		size_t len = strlen(z);
		while (len && (z[len - 1] == ' ' || z[len - 1] == '\t'))
			z[--len] = 0;
		size_t lead = strspn(z, " \t");
		memmove(z, z + lead, len - lead + 1);
	}
	return 1;
}

static int col_of(const struct reader *r, const char *en)
{
	for (int c = 0; r->cols[c].en; c++)
		if (!strcmp(r->cols[c].en, en))
			return c;
	return -1; /* not reached: every name asked for is in the table */
}

static const char *get(const struct reader *r, const char *en)
{
	int c = col_of(r, en);
	return c < 0 ? "" : r->val[c];
}

/* An error at the current row, in column en: "file:line: column "x": ..." */
static __attribute__((format(printf, 4, 5))) int
bad(const struct reader *r, int rc, const char *en, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int c = col_of(r, en);
	return cs_errorf(rc, "%s:%ld: column \"%s\": %s", r->file,
			 r->csv.line, c >= 0 && r->head[c] ? r->head[c] : en,
			 msg);
}

/* A number of column en: NaN when empty (and optional). */
static int num(const struct reader *r, const char *en, double *out)
{
	const char *z = get(r, en);
	char *end;
	if (!*z) {
		*out = NAN;
		return CS_OK;
	}
	double v = strtod(z, &end);
	if (*end || !isfinite(v))
		return bad(r, CS_EINVAL, en, "\"%s\" is not a number", z);
	*out = v;
	return CS_OK;
}

static int integer(const struct reader *r, const char *en, int *out)
{
	double v;
	int rc = num(r, en, &v);
	if (rc)
		return rc;
	if (isnan(v)) {
		*out = 0;
		return CS_OK;
	}
	if (v != floor(v) || v < 0 || v > 2e9)
		return bad(r, CS_EINVAL, en, "\"%s\" is not a whole number of "
			   "zero or more", get(r, en));
	*out = (int)v;
	return CS_OK;
}

static int date(const struct reader *r, const char *en, const char **out)
{
	const char *z = get(r, en);
	if (*z && !project_date_ok(z))
		return bad(r, CS_EINVAL, en, "\"%s\" is not a date "
			   "(YYYY-MM-DD)", z);
	*out = z;
	return CS_OK;
}

static int sample(const struct reader *r, int *out)
{
	const char *z = get(r, "sample");
	if (!*z || !strcmp(z, "0") || !strcmp(z, "否"))
		*out = 0;
	else if (!strcmp(z, "1") || !strcmp(z, "是"))
		*out = 1;
	else
		return bad(r, CS_EINVAL, "sample", "\"%s\" is not 0 or 1", z);
	return CS_OK;
}

static int area(struct civstat *cs, const struct reader *r, int *id)
{
	const char *z = get(r, "area");
	if (!*z) {
		*id = 0;
		return CS_OK;
	}
	int a = catalog_area(&cs->cat, z, strlen(z));
	if (a < 0)
		return bad(r, CS_ENOTFOUND, "area", "unknown area \"%s\"", z);
	*id = cs->cat.areas[a].id;
	return CS_OK;
}

/* The project named in column "project", from the pipeline held. */
static int project_id(struct civstat *cs, const struct reader *r, int *id)
{
	struct project_book *b;
	const char *z = get(r, "project");
	int rc = project_cache(cs, &b);
	if (rc)
		return rc;
	int k = project_book_find(b, z);
	*id = k < 0 ? 0 : b->projects[k].id;
	return k < 0 ? bad(r, CS_ENOTFOUND, "project", "unknown project "
			   "\"%s\"", z)
		     : CS_OK;
}

/* A message of project.c, placed at the row. */
static int at_row(const struct reader *r, int rc)
{
	char msg[512];
	snprintf(msg, sizeof msg, "%s", cs_errmsg());
	return cs_errorf(rc, "%s:%ld: %s", r->file, r->csv.line, msg);
}

static int row_project(struct civstat *cs, const struct reader *r)
{
	struct project p = {.lon = NAN, .lat = NAN};
	int rc;
	p.code = get(r, "code");
	p.name = get(r, "name");
	p.cluster = get(r, "cluster");
	if (project_cluster_parse(p.cluster) < 0)
		return bad(r, CS_EINVAL, "cluster", "unknown cluster \"%s\"",
			   p.cluster);
	p.cluster = project_clusters[project_cluster_parse(p.cluster)].code;
	const char *z = get(r, "type");
	if (*z && (p.type = project_type_parse(z)) < 0)
		return bad(r, CS_EINVAL, "type", "unknown type \"%s\" "
			   "(industry, infrastructure, livelihood, "
			   "technology)", z);
	z = get(r, "phase");
	if (*z && (p.phase = project_phase_parse(z)) < 0)
		return bad(r, CS_EINVAL, "phase", "unknown phase \"%s\" "
			   "(谋划 签约 开工 在建 竣工 投产)", z);
	if ((rc = area(cs, r, &p.area_id)))
		return rc;
	z = get(r, "department");
	if (*z) {
		int d = catalog_department(&cs->cat, z, strlen(z));
		if (d < 0)
			return bad(r, CS_ENOTFOUND, "department",
				   "unknown department \"%s\"", z);
		p.department_id = cs->cat.depts[d].id;
	}
	if ((rc = num(r, "total", &p.total)) ||
	    (rc = num(r, "lon", &p.lon)) || (rc = num(r, "lat", &p.lat)) ||
	    (rc = date(r, "planned_start", &p.planned_start)) ||
	    (rc = date(r, "planned_finish", &p.planned_finish)) ||
	    (rc = date(r, "actual_start", &p.actual_start)) ||
	    (rc = date(r, "actual_finish", &p.actual_finish)) ||
	    (rc = sample(r, &p.sample)))
		return rc;
	if (!isnan(p.total) && p.total < 0)
		return bad(r, CS_EINVAL, "total", "investment %s is negative",
			   get(r, "total"));
	p.leader = get(r, "leader");
	p.address = get(r, "address");
	p.issues = get(r, "issues");
	p.programme = get(r, "programme");
	p.source = get(r, "source");
	return (rc = project_put(cs, &p)) ? at_row(r, rc) : CS_OK;
}

static int row_plan(struct civstat *cs, const struct reader *r)
{
	struct project_plan p = {0};
	int rc;
	if ((rc = project_id(cs, r, &p.project_id)) ||
	    (rc = integer(r, "year", &p.year)) ||
	    (rc = num(r, "amount", &p.amount)) || (rc = sample(r, &p.sample)))
		return rc;
	if (isnan(p.amount) || p.amount < 0)
		return bad(r, CS_EINVAL, "amount", "\"%s\" is not an amount of "
			   "zero or more", get(r, "amount"));
	return (rc = project_put_plan(cs, &p)) ? at_row(r, rc) : CS_OK;
}

static int row_milestone(struct civstat *cs, const struct reader *r)
{
	struct milestone m = {0};
	int rc;
	m.name = get(r, "milestone");
	if ((rc = project_id(cs, r, &m.project_id)) ||
	    (rc = date(r, "due", &m.due)) || (rc = date(r, "done", &m.done)) ||
	    (rc = sample(r, &m.sample)))
		return rc;
	if (!*m.due)
		return bad(r, CS_EINVAL, "due", "a milestone needs its date");
	return (rc = project_put_milestone(cs, &m)) ? at_row(r, rc) : CS_OK;
}

static int row_report(struct civstat *cs, struct reader *r, int now_month)
{
	struct project_report p = {0};
	struct period per;
	int rc;
	const char *z = get(r, "period");
	if (period_parse(z, strlen(z), &per) || per.kind != PERIOD_MONTH)
		return bad(r, CS_EINVAL, "period", "\"%s\" is not a month "
			   "(2025-09, 2025年9月)", z);
	p.month = period_last_month(&per);
	if ((rc = project_id(cs, r, &p.project_id)) ||
	    (rc = num(r, "investment", &p.investment)) ||
	    (rc = num(r, "progress", &p.progress)) ||
	    (rc = sample(r, &p.sample)))
		return rc;
	if (isnan(p.investment) || p.investment < 0)
		return bad(r, CS_EINVAL, "investment", "\"%s\" is not an "
			   "amount of zero or more", get(r, "investment"));
	if (p.month > now_month)
		return bad(r, CS_EINVAL, "period", "%s has not come yet", z);
	p.note = get(r, "note");
	if ((rc = project_put_report(cs, &p, now_month)))
		return at_row(r, rc);
	/* The months the import's feed writes again at the end. */
	r->lo = p.month < r->lo ? p.month : r->lo;
	r->hi = p.month > r->hi ? p.month : r->hi;
	return CS_OK;
}

static int row_programme(struct civstat *cs, const struct reader *r)
{
	struct programme p = {0};
	int rc;
	p.code = get(r, "code");
	p.name = get(r, "name");
	p.source = get(r, "source");
	if ((rc = integer(r, "first_year", &p.first_year)) ||
	    (rc = integer(r, "last_year", &p.last_year)) ||
	    (rc = integer(r, "communities", &p.communities)) ||
	    (rc = integer(r, "buildings", &p.buildings)) ||
	    (rc = integer(r, "households", &p.households)) ||
	    (rc = num(r, "floor_area", &p.floor_area)) ||
	    (rc = sample(r, &p.sample)))
		return rc;
	return (rc = project_put_programme(cs, &p)) ? at_row(r, rc) : CS_OK;
}

static int row_community(struct civstat *cs, const struct reader *r)
{
	struct community c = {0};
	struct project_book *b;
	int rc;
	c.name = get(r, "community");
	const char *code = get(r, "programme");
	if ((rc = project_cache(cs, &b)))
		return rc;
	for (int k = 0; k < b->n_programmes; k++)
		if (!strcmp(b->programmes[k].code, code))
			c.programme_id = b->programmes[k].id;
	if (!c.programme_id)
		return bad(r, CS_ENOTFOUND, "programme", "unknown programme "
			   "\"%s\"", code);
	if ((rc = area(cs, r, &c.area_id)) ||
	    (rc = integer(r, "buildings", &c.buildings)) ||
	    (rc = integer(r, "households", &c.households)) ||
	    (rc = num(r, "floor_area", &c.floor_area)) ||
	    (rc = date(r, "started", &c.started)) ||
	    (rc = date(r, "finished", &c.finished)) ||
	    (rc = num(r, "progress", &c.progress)) ||
	    (rc = sample(r, &c.sample)))
		return rc;
	if (isnan(c.progress))
		c.progress = 0;
	return (rc = project_put_community(cs, &c)) ? at_row(r, rc) : CS_OK;
}

static int import_file(struct civstat *cs, const char *file,
		       enum project_kind kind, int now_month,
		       struct project_import_report *rep, int *lo, int *hi)
{
	struct reader r;
	int rc = reader_open(&r, file, kind), n;
	if (rc)
		return rc;
	r.lo = *lo;
	r.hi = *hi;
	while ((n = reader_next(&r)) > 0) {
		switch (r.kind) {
		case PK_PROJECTS: rc = row_project(cs, &r); break;
		case PK_PLANS: rc = row_plan(cs, &r); break;
		case PK_MILESTONES: rc = row_milestone(cs, &r); break;
		case PK_REPORTS: rc = row_report(cs, &r, now_month); break;
		case PK_PROGRAMMES: rc = row_programme(cs, &r); break;
		default: rc = row_community(cs, &r); break;
		}
		if (rc)
			break;
		rep->rows[r.kind]++;
	}
	if (n < 0)
		rc = -n;
	*lo = r.lo;
	*hi = r.hi;
	reader_release(&r);
	return rc;
}

/* The import's one audit entry: its files and what it stored. */
static int audit_import(struct civstat *cs, const char *const *files, int n,
			const struct project_import_report *rep)
{
	char object[1024], after[256];
	size_t len = 0;
	object[0] = 0;
	for (int k = 0; k < n && len < sizeof object; k++) {
		const char *base = strrchr(files[k], '/');
		len += (size_t)snprintf(object + len, sizeof object - len, "%s%s",
					k ? " " : "", base ? base + 1 : files[k]);
	}
	snprintf(after, sizeof after,
		 "{\"projects\":%ld,\"plans\":%ld,\"milestones\":%ld,"
		 "\"reports\":%ld,\"programmes\":%ld,\"communities\":%ld}",
		 rep->rows[PK_PROJECTS], rep->rows[PK_PLANS],
		 rep->rows[PK_MILESTONES], rep->rows[PK_REPORTS],
		 rep->rows[PK_PROGRAMMES], rep->rows[PK_COMMUNITIES]);
	return audit_append(cs, "project.import", object, NULL, after);
}

int project_import(struct civstat *cs, const char *const *files, int n,
		   enum project_kind kind, int now_month,
		   struct project_import_report *rep)
{
	struct store *st = cs->st;
	enum project_kind *kinds = calloc((size_t)n + 1, sizeof *kinds);
	int rc = CS_OK;
	memset(rep, 0, sizeof *rep);
	if (!kinds)
		return cs_errorf(CS_ENOMEM, "out of memory");
	/* Each file's kind first, so that the files go in in the order
	 * their rows refer to one another. */
	for (int k = 0; k < n && !rc; k++) {
		struct reader r;
		if (!(rc = reader_open(&r, files[k], kind))) {
			kinds[k] = r.kind;
			reader_release(&r);
		}
	}
	if (rc || (rc = st->ops->begin(st))) {
		free(kinds);
		return rc;
	}
	int lo = 1 << 30, hi = -1;
	project_batch_begin();
	for (size_t o = 0; o < sizeof kind_order / sizeof *kind_order && !rc;
	     o++)
		for (int k = 0; k < n && !rc; k++)
			if (kinds[k] == kind_order[o])
				rc = import_file(cs, files[k], kinds[k],
						 now_month, rep, &lo, &hi);
	project_batch_end();
	free(kinds);
	if (!rc && !(rc = audit_import(cs, files, n, rep)) &&
	    !(rc = project_feed(cs, lo, hi)) && !(rc = st->ops->commit(st)))
		return CS_OK;
	/* The reports' figures reached the cube as each row committed
	 * inside the import: read it again from what the store kept. */
	char msg[1024];
	snprintf(msg, sizeof msg, "%s", cs_errmsg());
	st->ops->rollback(st);
	civstat_reload(cs);
	project_cache_drop(cs); /* it took the rows as they went in */
	memset(rep, 0, sizeof *rep);
	return cs_errorf(rc, "%s", msg);
}

/* ---- export ------------------------------------------------------------ */

static void head(FILE *f, enum project_kind kind, int zh)
{
	const struct col *c = kind_cols[kind];
	for (int k = 0; c[k].en; k++) {
		if (k)
			fputc(',', f);
		csv_put(f, zh ? c[k].zh : c[k].en);
	}
	fputc('\n', f);
}

static void put_num(FILE *f, double v)
{
	if (!isnan(v))
		fprintf(f, "%.15g", v);
}

static const char *project_code(const struct project_book *b, int id)
{
	for (int k = 0; k < b->n_projects; k++)
		if (b->projects[k].id == id)
			return b->projects[k].code;
	return "";
}

static const char *area_code(const struct catalog *cat, int id)
{
	int a = id ? catalog_area_id(cat, id) : -1;
	return a < 0 ? "" : cat->areas[a].code;
}

static void export_rows(struct civstat *cs, const struct project_book *b,
			enum project_kind kind, FILE *f)
{
	const struct catalog *cat = &cs->cat;
	char per[32];
	switch (kind) {
	case PK_PROJECTS:
		for (int k = 0; k < b->n_projects; k++) {
			const struct project *p = &b->projects[k];
			int d = p->department_id
					? catalog_department_id(cat,
								p->department_id)
					: -1;
			const char *text[] = {
				p->code, p->name, p->cluster,
				project_type_en(p->type),
				area_code(cat, p->area_id),
				d < 0 ? "" : cat->depts[d].code, p->leader,
			};
			for (size_t t = 0; t < sizeof text / sizeof *text;
			     t++) {
				csv_put(f, text[t]);
				fputc(',', f);
			}
			put_num(f, p->total);
			fprintf(f, ",%s,", project_phase_en(p->phase));
			const char *rest[] = {p->planned_start,
					      p->planned_finish,
					      p->actual_start,
					      p->actual_finish, p->address};
			for (size_t t = 0; t < sizeof rest / sizeof *rest;
			     t++) {
				csv_put(f, rest[t]);
				fputc(',', f);
			}
			put_num(f, p->lon);
			fputc(',', f);
			put_num(f, p->lat);
			fputc(',', f);
			csv_put(f, p->issues);
			fputc(',', f);
			csv_put(f, p->programme);
			fprintf(f, ",%d,", p->sample);
			csv_put(f, p->source);
			fputc('\n', f);
		}
		break;
	case PK_PLANS:
		for (int k = 0; k < b->n_plans; k++) {
			const struct project_plan *p = &b->plans[k];
			csv_put(f, project_code(b, p->project_id));
			fprintf(f, ",%d,", p->year);
			put_num(f, p->amount);
			fprintf(f, ",%d\n", p->sample);
		}
		break;
	case PK_MILESTONES:
		for (int k = 0; k < b->n_milestones; k++) {
			const struct milestone *m = &b->milestones[k];
			csv_put(f, project_code(b, m->project_id));
			fputc(',', f);
			csv_put(f, m->name);
			fprintf(f, ",%s,%s,%d\n", m->due, m->done, m->sample);
		}
		break;
	case PK_REPORTS:
		for (int k = 0; k < b->n_reports; k++) {
			const struct project_report *p = &b->reports[k];
			struct period pm = period_from_month_index(p->month);
			period_format(&pm, per, sizeof per);
			csv_put(f, project_code(b, p->project_id));
			fprintf(f, ",%s,", per);
			put_num(f, p->investment);
			fputc(',', f);
			put_num(f, p->progress);
			fputc(',', f);
			csv_put(f, p->note);
			fprintf(f, ",%d\n", p->sample);
		}
		break;
	case PK_PROGRAMMES:
		for (int k = 0; k < b->n_programmes; k++) {
			const struct programme *p = &b->programmes[k];
			csv_put(f, p->code);
			fputc(',', f);
			csv_put(f, p->name);
			fprintf(f, ",%d,%d,%d,%d,%d,", p->first_year,
				p->last_year, p->communities, p->buildings,
				p->households);
			put_num(f, p->floor_area);
			fputc(',', f);
			csv_put(f, p->source);
			fprintf(f, ",%d\n", p->sample);
		}
		break;
	default:
		for (int k = 0; k < b->n_communities; k++) {
			const struct community *c = &b->communities[k];
			const char *code = "";
			for (int j = 0; j < b->n_programmes; j++)
				if (b->programmes[j].id == c->programme_id)
					code = b->programmes[j].code;
			csv_put(f, code);
			fputc(',', f);
			csv_put(f, c->name);
			fprintf(f, ",%s,%d,%d,", area_code(cat, c->area_id),
				c->buildings, c->households);
			put_num(f, c->floor_area);
			fprintf(f, ",%s,%s,", c->started, c->finished);
			put_num(f, c->progress);
			fprintf(f, ",%d\n", c->sample);
		}
		break;
	}
}

int project_export(struct civstat *cs, enum project_kind kind, FILE *f,
		   int zh)
{
	struct project_book b;
	if (kind <= PK_DETECT || kind >= PK_N)
		return cs_errorf(CS_EUSAGE, "export: say which kind");
	int rc = project_book_load(&b, cs->st);
	if (rc)
		return rc;
	head(f, kind, zh);
	export_rows(cs, &b, kind, f);
	project_book_release(&b);
	return ferror(f) ? cs_errorf(CS_EIO, "export: write failed") : CS_OK;
}
