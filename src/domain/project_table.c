/*
 * The project table (重点项目表) for the exports: which projects a filter
 * keeps, their row of figures, and the workbook leaders open in Excel
 * (see project_table.h).
 */
#include "domain/project_table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/err.h"
#include "core/period.h"

struct by_code {
	int k;
	const char *code;
};

static int cmp_code(const void *x, const void *y)
{
	return strcmp(((const struct by_code *)x)->code,
		      ((const struct by_code *)y)->code);
}

static int keeps(const struct project_book *b, const struct catalog *cat,
		 const struct project_filter *f, const struct project_when *w,
		 int k)
{
	const struct project *p = &b->projects[k];
	if (f->cluster >= 0 && project_cluster_parse(p->cluster) != f->cluster)
		return 0;
	if (f->phase >= 0 && p->phase != f->phase)
		return 0;
	if (f->department_id && p->department_id != f->department_id)
		return 0;
	if (f->area >= 0 &&
	    !catalog_area_within(cat, catalog_area_id(cat, p->area_id),
				 f->area))
		return 0;
	if (f->q && *f->q && !strstr(p->name, f->q) && !strstr(p->code, f->q))
		return 0;
	return !f->behind || (project_flags(b, k, w->upto, w->today,
					    w->tolerance) & PFLAG_BEHIND);
}

int project_select(const struct project_book *b, const struct catalog *cat,
		   const struct project_filter *f, const struct project_when *w,
		   int **out, int *n)
{
	struct by_code *s = malloc(((size_t)b->n_projects + 1) * sizeof *s);
	int *sel = malloc(((size_t)b->n_projects + 1) * sizeof *sel);
	int m = 0;
	if (!s || !sel) {
		free(s);
		free(sel);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	for (int k = 0; k < b->n_projects; k++)
		if (keeps(b, cat, f, w, k))
			s[m++] = (struct by_code){k, b->projects[k].code};
	qsort(s, (size_t)m, sizeof *s, cmp_code);
	for (int j = 0; j < m; j++)
		sel[j] = s[j].k;
	free(s);
	*out = sel;
	*n = m;
	return CS_OK;
}

/* ---- the rows ----------------------------------------------------------- */

enum col {
	C_CODE, C_NAME, C_CLUSTER, C_TYPE, C_AREA, C_DEPT, C_LEADER, C_PHASE,
	C_TOTAL, C_PLAN, C_DONE, C_PCT, C_FLAGS, C_SAMPLE, C_N
};

static const char *const head_en[C_N] = {
	"code", "name", "cluster", "type", "area", "department", "leader",
	"phase", "total", "plan", "done", "completion_pct", "flags", "sample"};
static const char *const head_zh[C_N] = {
	"项目代码", "项目名称", "产业集群", "项目类型", "地区", "责任单位",
	"包保领导", "阶段", "总投资(亿元)", "年度计划投资(亿元)",
	"累计完成投资(亿元)", "完成率(%)", "状态", "样例数据"};

/* What is wrong, in Chinese words, "正常" when nothing. */
static void flags_zh(unsigned f, char *buf, size_t cap)
{
	static const char *const words[] = {"投资滞后", "节点逾期", "应开未开"};
	size_t n = 0;
	buf[0] = 0;
	for (int k = 0; k < 3; k++)
		if (f & 1u << k)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      n ? " " : "", words[k]);
	if (!f)
		snprintf(buf, cap, "正常");
}

/* Some figure of project id is sample data. */
static int any_sample(const struct project_book *b, int id)
{
	for (int k = 0; k < b->n_reports; k++)
		if (b->reports[k].project_id == id && b->reports[k].sample)
			return 1;
	for (int k = 0; k < b->n_plans; k++)
		if (b->plans[k].project_id == id && b->plans[k].sample)
			return 1;
	return 0;
}

void project_table(const struct project_book *b, const struct catalog *cat,
		   const int *sel, int n, const struct project_when *w,
		   struct out_table *t)
{
	char fl[64];
	out_init(t, C_N, head_en, head_zh);
	for (int j = 0; j < n; j++) {
		int k = sel[j];
		const struct project *p = &b->projects[k];
		int a = catalog_area_id(cat, p->area_id);
		int d = p->department_id
				? catalog_department_id(cat, p->department_id)
				: -1;
		double plan = project_plan_of(b, k, w->upto / 12);
		double done = project_done(b, k, w->upto);
		flags_zh(project_flags(b, k, w->upto, w->today, w->tolerance),
			 fl, sizeof fl);
		out_row(t);
		out_text(t, p->code);
		out_text(t, p->name);
		out_text(t, project_cluster_zh(p->cluster));
		out_text(t, project_type_zh(p->type));
		out_text(t, a < 0 ? "" : cat->areas[a].name);
		out_text(t, d < 0 ? "" : cat->depts[d].name);
		out_text(t, p->leader);
		out_text(t, project_phase_zh(p->phase));
		out_num(t, p->total, 2);
		out_num(t, plan, 2);
		out_num(t, done, 2);
		out_num(t, plan > 0 ? round(done / plan * 1000) / 10 : NAN, 1);
		out_text(t, fl);
		out_num(t, p->sample || any_sample(b, p->id), 0);
	}
}

enum rcol { R_CODE, R_NAME, R_MONTH, R_INV, R_PROGRESS, R_NOTE, R_SAMPLE,
	    R_N };

void project_report_table(const struct project_book *b, const int *sel,
			  int n, struct out_table *t)
{
	static const char *const en[R_N] = {"code", "name", "period",
					    "investment", "progress", "note",
					    "sample"};
	static const char *const zh[R_N] = {
		"项目代码", "项目名称", "月份", "当月完成投资(亿元)",
		"形象进度(%)", "说明", "样例数据"};
	char per[32];
	out_init(t, R_N, en, zh);
	for (int j = 0; j < n; j++) {
		const struct project *p = &b->projects[sel[j]];
		for (int k = 0; k < b->n_reports; k++) {
			const struct project_report *r = &b->reports[k];
			if (r->project_id != p->id)
				continue;
			struct period pm = period_from_month_index(r->month);
			period_format_zh(&pm, per, sizeof per);
			out_row(t);
			out_text(t, p->code);
			out_text(t, p->name);
			out_text(t, per);
			out_num(t, r->investment, 2);
			out_num(t, r->progress, 0);
			out_text(t, r->note);
			out_num(t, r->sample, 0);
		}
	}
}

/* ---- the workbook ------------------------------------------------------- */

struct formats {
	lxw_format *head, *yi, *pct, *total_text, *total_yi, *total_pct;
};

/* Writes table t to ws from row 0: header in bold, numbers with the
 * format their decimals ask for, empty cells for NaN. */
static void write_sheet(lxw_worksheet *ws, const struct out_table *t,
			const char *const *head, const struct formats *fm)
{
	for (int c = 0; c < t->ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], fm->head);
	for (int r = 0; r < t->nrows; r++) {
		const struct out_cell *row = t->cells + (size_t)r * t->ncols;
		for (int c = 0; c < t->ncols; c++) {
			const struct out_cell *x = &row[c];
			lxw_row_t y = (lxw_row_t)r + 1;
			if (x->text)
				worksheet_write_string(ws, y, (lxw_col_t)c,
						       x->text, NULL);
			else if (!isnan(x->num))
				worksheet_write_number(
					ws, y, (lxw_col_t)c, x->num,
					x->decimals == 2   ? fm->yi
					: x->decimals == 1 ? fm->pct
							   : NULL);
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
}

static double column_sum(const struct out_table *t, int c)
{
	double s = 0;
	for (int r = 0; r < t->nrows; r++) {
		double v = t->cells[(size_t)r * t->ncols + c].num;
		s += isnan(v) ? 0 : v;
	}
	return s;
}

/* The totals row under the projects: sums as formulas, with their values
 * cached so that a reader that does not compute (or a test) sees them. */
static void totals_row(lxw_worksheet *ws, const struct out_table *t,
		       const struct formats *fm)
{
	lxw_row_t y = (lxw_row_t)t->nrows + 1;
	char f[64], label[64];
	double sum[C_N] = {0};
	snprintf(label, sizeof label, "%d个项目", t->nrows);
	worksheet_write_string(ws, y, C_CODE, "合计", fm->total_text);
	worksheet_write_string(ws, y, C_NAME, label, fm->total_text);
	for (int c = C_TOTAL; c <= C_DONE; c++) {
		/* Rounded to two decimals, as GET /projects rounds its totals. */
		sum[c] = round(column_sum(t, c) * 100) / 100;
		snprintf(f, sizeof f, "=SUM(%c2:%c%u)", 'A' + c, 'A' + c,
			 (unsigned)y);
		worksheet_write_formula_num(ws, y, (lxw_col_t)c, f,
					    fm->total_yi, sum[c]);
	}
	if (sum[C_PLAN] > 0) {
		snprintf(f, sizeof f, "=ROUND(%c%u/%c%u*100,1)", 'A' + C_DONE,
			 (unsigned)y + 1, 'A' + C_PLAN, (unsigned)y + 1);
		worksheet_write_formula_num(
			ws, y, C_PCT, f, fm->total_pct,
			round(sum[C_DONE] / sum[C_PLAN] * 1000) / 10);
	}
}

static int copy_file(const char *path, FILE *f)
{
	FILE *in = fopen(path, "rb");
	char buf[65536];
	size_t got;
	int rc = in ? CS_OK : cs_errorf(CS_EIO, "cannot read the workbook: %s",
					strerror(errno));
	while (in && !rc && (got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, f) != got)
			rc = cs_errorf(CS_EIO, "cannot write the export");
	if (in)
		fclose(in);
	return rc;
}

int project_xlsx(const struct project_book *b, const struct catalog *cat,
		 const int *sel, int n, const struct project_when *w, FILE *f)
{
	static const double widths[C_N] = {12, 34, 14, 10, 12, 16, 10, 8,
					   13, 17, 17, 10, 18, 9};
	char path[] = "/tmp/civstat-projects-XXXXXX", per[48], done_head[96];
	const char *head[C_N];
	struct out_table t, rt;
	struct formats fm;
	int fd = mkstemp(path), rc = CS_OK;
	if (fd < 0)
		return cs_errorf(CS_EIO, "cannot make a workbook: %s",
				 strerror(errno));
	close(fd);
	project_table(b, cat, sel, n, w, &t);
	project_report_table(b, sel, n, &rt);
	/* The year to date the completed investment is of, in its header:
	 * 2025年1-9月完成投资(亿元). */
	struct period ytd = period_ending(PERIOD_YTD, w->upto);
	period_format_zh(&ytd, per, sizeof per);
	snprintf(done_head, sizeof done_head, "%s完成投资(亿元)", per);
	memcpy(head, head_zh, sizeof head);
	head[C_DONE] = done_head;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "重点项目") : NULL;
	lxw_worksheet *ws2 = wb ? workbook_add_worksheet(wb, "月报") : NULL;
	if (!ws || !ws2 || t.failed || rt.failed) {
		rc = cs_errorf(CS_ENOMEM, "cannot make a workbook");
		goto out;
	}
	fm.head = workbook_add_format(wb);
	format_set_bold(fm.head);
	format_set_text_wrap(fm.head);
	fm.yi = workbook_add_format(wb);
	format_set_num_format(fm.yi, "0.00");
	fm.pct = workbook_add_format(wb);
	format_set_num_format(fm.pct, "0.0");
	fm.total_text = workbook_add_format(wb);
	format_set_bold(fm.total_text);
	fm.total_yi = workbook_add_format(wb);
	format_set_bold(fm.total_yi);
	format_set_num_format(fm.total_yi, "0.00");
	fm.total_pct = workbook_add_format(wb);
	format_set_bold(fm.total_pct);
	format_set_num_format(fm.total_pct, "0.0");
	write_sheet(ws, &t, head, &fm);
	totals_row(ws, &t, &fm);
	for (int c = 0; c < C_N; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c],
				     NULL);
	write_sheet(ws2, &rt, rt.head_zh, &fm);
	worksheet_set_column(ws2, 0, 0, 12, NULL);
	worksheet_set_column(ws2, 1, 1, 34, NULL);
	worksheet_set_column(ws2, 2, 5, 16, NULL);
out:
	if (wb && workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = cs_errorf(CS_EIO, "cannot write the workbook");
	if (!rc)
		rc = copy_file(path, f);
	unlink(path);
	out_release(&t);
	out_release(&rt);
	return rc;
}
