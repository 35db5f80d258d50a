/*
 * The questions a city's leaders ask, each answered as a table: progress,
 * growth, rank, series, pillars and compare.  The CLI prints the tables;
 * the HTTP API sends them as JSON.  Each takes its period, areas and
 * indicators as parameters: the benchmark's Q1-Q5 are instances of them.
 */
#include "domain/question.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "core/err.h"
#include "domain/quality.h"
#include "domain/values.h"

/* Finds an area by code; CS_ENOTFOUND naming it. */
static int find_area(const struct civstat *cs, const char *code, int *a)
{
	*a = catalog_area(&cs->cat, code, strlen(code));
	return *a < 0 ? cs_errorf(CS_ENOTFOUND, "unknown area \"%s\"", code)
		      : CS_OK;
}

static int select_areas(struct question *q, const struct civstat *cs,
			const struct question_args *qa)
{
	const struct catalog *cat = &cs->cat;
	int a, rc = CS_OK;
	q->areas = malloc((size_t)(cat->n_areas + 1) * sizeof *q->areas);
	if (!q->areas)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if (qa->level) {
		for (a = 0; a < cat->n_areas; a++)
			if (cat->areas[a].level == qa->level)
				q->areas[q->n_areas++] = a;
		if (!q->n_areas)
			rc = cs_errorf(CS_ENOTFOUND, "no area at level %d",
				       qa->level);
	} else if (qa->children) {
		if (!(rc = find_area(cs, qa->children, &a)))
			for (int ch = cat->first_child[a]; ch >= 0;
			     ch = cat->next_sibling[ch])
				q->areas[q->n_areas++] = ch;
	} else if (qa->area) {
		if (!(rc = find_area(cs, qa->area, &a)))
			q->areas[q->n_areas++] = a;
	} else if (cat->n_areas) {
		q->areas[q->n_areas++] = catalog_root(cat);
	} else {
		rc = cs_errorf(CS_ENOTFOUND, "the database has no areas yet");
	}
	return rc;
}

static int select_indicators(struct question *q, const struct civstat *cs,
			     const struct question_args *qa)
{
	const struct catalog *cat = &cs->cat;
	q->inds = malloc((size_t)(cat->n_inds + 1) * sizeof *q->inds);
	if (!q->inds)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if (!qa->indicator) {
		q->all_inds = 1;
		for (int i = 0; i < cat->n_inds; i++)
			if ((!qa->assessed || !isnan(cat->inds[i].weight)) &&
			    (!qa->published_only || cat->inds[i].published))
				q->inds[q->n_inds++] = i;
		return CS_OK;
	}
	for (const char *z = qa->indicator; *z;) {
		size_t len = strcspn(z, ",");
		int i = catalog_indicator(cat, z, len);
		/* The public is not told which internal indicators exist. */
		if (i >= 0 && qa->published_only && !cat->inds[i].published)
			i = -1;
		if (i < 0)
			return cs_errorf(CS_ENOTFOUND,
					 "unknown indicator \"%.*s\"", (int)len,
					 z);
		if (q->n_inds < cat->n_inds)
			q->inds[q->n_inds++] = i;
		z += len + (z[len] == ',');
	}
	return CS_OK;
}

/* Parses the period parameter called name into *p. */
static int parse_period(const char *name, const char *z, struct period *p)
{
	if (period_parse(z, strlen(z), p))
		return cs_errorf(CS_EUSAGE, "%s: bad period \"%s\" (2025-09, "
				 "2025-Q3, 2025, 2025年1-9月 ...)",
				 name, z);
	return CS_OK;
}

int question_init(struct question *q, const struct civstat *cs,
		  const struct question_args *qa)
{
	struct period p;
	int rc;
	memset(q, 0, sizeof *q);
	q->tolerance = qa->tolerance;
	q->mom = qa->mom;
	q->assessed = qa->assessed;
	q->published_only = qa->published_only;
	q->zh = qa->zh;
	q->en_names = qa->en_names;
	q->from = q->to = -1;
	if (qa->period) {
		rc = parse_period("period", qa->period, &q->p);
	} else {
		int m = cube_latest_month(&cs->cube);
		rc = m < 0 ? cs_errorf(CS_ENOTFOUND, "no figures yet: give a "
				       "period")
			   : CS_OK;
		q->p = period_from_month_index(m);
	}
	if (!rc && qa->from && !(rc = parse_period("from", qa->from, &p)))
		q->from = period_first_month(&p);
	if (!rc && qa->to && !(rc = parse_period("to", qa->to, &p)))
		q->to = period_last_month(&p);
	if (!rc)
		rc = select_areas(q, cs, qa);
	if (!rc)
		rc = select_indicators(q, cs, qa);
	if (rc)
		question_release(q);
	return rc;
}

void question_release(struct question *q)
{
	free(q->areas);
	free(q->inds);
	q->areas = q->inds = NULL;
	q->n_areas = q->n_inds = 0;
}

void question_period(const struct question *q, const struct period *p,
		     char *buf, size_t cap)
{
	if (q->zh)
		period_format_zh(p, buf, cap);
	else
		period_format(p, buf, cap);
}

const char *question_area_name(const struct question *q,
			       const struct area *a)
{
	return q->en_names && *a->name_en ? a->name_en : a->name;
}

const char *question_ind_name(const struct question *q,
			      const struct indicator *i)
{
	return q->en_names && *i->name_en ? i->name_en : i->name;
}

/* Starts a row with the area's and the indicator's code and name. */
static void row_head(struct out_table *t, const struct question *q,
		     const struct area *a, const struct indicator *ind)
{
	out_row(t);
	out_text(t, a->code);
	out_text(t, question_area_name(q, a));
	out_text(t, ind->code);
	out_text(t, question_ind_name(q, ind));
}

int question_progress(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "unit",
		"period", "ytd_value", "target", "completion_pct",
		"time_progress_pct", "status", "yoy_pct", "sample"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "单位", "时期",
		"累计", "年度目标", "完成率%", "序时进度%", "状态", "同比%",
		"样例"};
	char per[48];
	struct period ytd = period_ytd(&q->p);
	question_period(q, &ytd, per, sizeof per);
	out_init(t, 13, en, zh);
	for (int k = 0; k < q->n_areas; k++) {
		const struct area *a = &cs->cat.areas[q->areas[k]];
		for (int j = 0; j < q->n_inds; j++) {
			const struct indicator *ind = &cs->cat.inds[q->inds[j]];
			struct progress pr;
			analytics_progress(&cs->cube, q->inds[j], q->areas[k],
					   &q->p, q->tolerance, &pr);
			row_head(t, q, a, ind);
			out_text(t, ind->unit);
			out_text(t, per);
			out_num(t, pr.value, ind->decimals);
			out_num(t, pr.target, ind->decimals);
			out_num(t, pr.completion * 100, 1);
			out_num(t, pr.expected * 100, 1);
			out_text(t, q->zh
					     ? status_name_zh(pr.status)
					     : status_name(pr.status));
			out_num(t, pr.yoy, 1);
			/* 1 when sample data stands behind the figure */
			out_num(t,
				analytics_sample(&cs->cube, q->inds[j],
						 q->areas[k],
						 period_first_month(&ytd),
						 period_last_month(&ytd)),
				0);
		}
	}
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_growth(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "unit",
		"period", "value", "base_period", "base", "growth_pct",
		"change"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "单位", "时期", "数值",
		"对比期", "对比期数值", "增速%", "增减"};
	char per[48], base[48];
	struct period b = q->mom ? period_prev(&q->p) : period_prev_year(&q->p);
	question_period(q, &q->p, per, sizeof per);
	question_period(q, &b, base, sizeof base);
	out_init(t, 11, en, zh);
	for (int k = 0; k < q->n_areas; k++) {
		const struct area *a = &cs->cat.areas[q->areas[k]];
		for (int j = 0; j < q->n_inds; j++) {
			const struct indicator *ind = &cs->cat.inds[q->inds[j]];
			struct growth g;
			analytics_growth(&cs->cube, q->inds[j], q->areas[k],
					 &q->p, !q->mom, &g);
			row_head(t, q, a, ind);
			out_text(t, ind->unit);
			out_text(t, per);
			out_num(t, g.value, ind->decimals);
			out_text(t, base);
			out_num(t, g.base, ind->decimals);
			out_num(t, g.growth, 1);
			out_num(t, g.change, ind->decimals);
		}
	}
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_rank(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {"rank", "area", "area_name", "score"};
	static const char *const zh[] = {"名次", "地区代码", "地区", "得分"};
	int by_score = q->all_inds;
	if (!by_score && q->n_inds != 1)
		return cs_errorf(CS_EUSAGE, "rank takes one indicator, or none "
				 "for the weighted score");
	double *key = malloc((size_t)(q->n_areas + 1) * sizeof *key);
	int *rank = malloc((size_t)(q->n_areas + 1) * sizeof *rank);
	int *order = malloc((size_t)(q->n_areas + 1) * sizeof *order);
	if (!key || !rank || !order) {
		free(key);
		free(rank);
		free(order);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	/* By one indicator: its direction-adjusted progress ratio, in %;
	 * else the weighted score over the assessment set. */
	for (int k = 0; k < q->n_areas; k++) {
		if (!by_score) {
			struct progress pr;
			analytics_progress(&cs->cube, q->inds[0], q->areas[k],
					   &q->p, q->tolerance, &pr);
			key[k] = pr.ratio * 100;
		} else {
			key[k] = analytics_score(&cs->cube, q->areas[k], &q->p,
						 q->published_only
							 ? ANALYTICS_PUBLISHED
							 : 0);
		}
	}
	analytics_rank(key, q->n_areas, 0, rank, order);
	out_init(t, 4, en, zh);
	for (int k = 0; k < q->n_areas; k++) {
		int x = order[k];
		const struct area *a = &cs->cat.areas[q->areas[x]];
		out_row(t);
		if (rank[x])
			out_num(t, rank[x], 0);
		else
			out_text(t, "");
		out_text(t, a->code);
		out_text(t, question_area_name(q, a));
		out_num(t, key[x], 2);
	}
	free(key);
	free(rank);
	free(order);
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_series(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {"period", "value", "state", "sample"};
	static const char *const zh[] = {"时期", "数值", "状态", "样例"};
	if (q->n_inds != 1)
		return cs_errorf(CS_EUSAGE, "a series is of one indicator");
	const struct cube *c = &cs->cube;
	int i = q->inds[0], a = q->areas[0];
	const struct indicator *ind = &cs->cat.inds[i];
	int lo = q->from >= 0 ? q->from : c->month0;
	int hi = q->to >= 0 ? q->to : c->month0 + c->n_months - 1;
	enum period_kind kind = value_period_kind(ind);
	out_init(t, 4, en, zh);
	for (int m = lo; m <= hi; m++) {
		struct period p = period_ending(kind, m);
		if (period_last_month(&p) != m)
			continue; /* a quarter or a year ends later */
		double v = analytics_value(c, i, a, &p);
		if (isnan(v) && (q->from < 0 || q->to < 0))
			continue;
		char per[48];
		uint8_t fl = cube_flags(c, i, a, m);
		question_period(q, &p, per, sizeof per);
		out_row(t);
		out_text(t, per);
		out_num(t, v, ind->decimals);
		/* State and sample mark an area's own figure; an aggregate
		 * has neither. */
		int own = !isnan(cube_own(c, i, a, m));
		int st = fl & VALUE_STATE_MASK;
		out_text(t, !own		  ? ""
			     : q->zh ? value_state_name_zh(st)
						  : value_state_name(st));
		out_text(t, own && (fl & VALUE_SAMPLE) ? "1" : "");
	}
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_pillars(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {"area", "pillar", "pillar_name",
					 "pillar_name_zh", "n_indicators",
					 "ahead", "close", "behind",
					 "mean_completion_pct"};
	static const char *const zh[] = {"地区代码", "支柱", "名称", "中文名称",
					 "指标数", "超序时", "接近", "滞后",
					 "平均完成率%"};
	static const char *const names_zh[] = {"经济社会稳", "要素活力活",
					       "发展质量优"};
	out_init(t, 9, en, zh);
	for (int k = 0; k < q->n_areas; k++) {
		struct pillar_summary s[PILLAR_N];
		analytics_pillars(&cs->cube, q->areas[k], &q->p, q->tolerance,
				  (q->assessed ? ANALYTICS_ASSESSED : 0) |
					  (q->published_only
						   ? ANALYTICS_PUBLISHED
						   : 0),
				  s);
		for (int pl = 0; pl < PILLAR_N; pl++) {
			out_row(t);
			out_text(t, cs->cat.areas[q->areas[k]].code);
			out_text(t, pillar_name(pl));
			out_text(t, q->zh ? names_zh[pl]
							: pillar_name(pl));
			out_text(t, names_zh[pl]);
			out_num(t, s[pl].n_indicators, 0);
			out_num(t, s[pl].n_ahead, 0);
			out_num(t, s[pl].n_close, 0);
			out_num(t, s[pl].n_behind, 0);
			out_num(t, s[pl].mean_completion * 100, 1);
		}
	}
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_compare(const struct civstat *cs, const struct question *q,
		    struct out_table *t)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "period",
		"group", "measure", "area_figure", "benchmark", "gap_pp"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "时期", "对标",
		"口径", "本地", "对标值", "差距(百分点)"};
	const struct cube *c = &cs->cube;
	/* Cumulative growth is compared year to date; a rate at the month. */
	struct period ytd = period_ytd(&q->p);
	struct period month = period_from_month_index(period_last_month(&q->p));
	out_init(t, 10, en, zh);
	for (int k = 0; k < q->n_areas; k++) {
		const struct area *a = &cs->cat.areas[q->areas[k]];
		for (int j = 0; j < q->n_inds; j++) {
			int i = q->inds[j];
			const struct indicator *ind = &cs->cat.inds[i];
			for (int g = 0; g < cs->cat.n_groups; g++) {
				const struct period *p = &ytd;
				double b, gap = analytics_benchmark_gap(
						  c, i, q->areas[k], g, p, &b);
				if (isnan(b)) {
					p = &month;
					gap = analytics_benchmark_gap(
						c, i, q->areas[k], g, p, &b);
				}
				if (isnan(b))
					continue;
				int growth = cube_benchmark(c, i, g,
							    period_last_month(p),
							    p->kind,
							    MEASURE_GROWTH, &b);
				double mine;
				if (growth) {
					struct growth gr;
					analytics_growth(c, i, q->areas[k], p, 1,
							 &gr);
					mine = gr.growth;
				} else {
					mine = analytics_value(c, i, q->areas[k],
							       p);
				}
				char per[48];
				question_period(q, p, per, sizeof per);
				row_head(t, q, a, ind);
				out_text(t, per);
				out_text(t, cs->cat.groups[g]);
				out_text(t, !growth	    ? q->zh ? "数值" : "value"
					     : q->zh ? "同比增速%"
							 : "growth");
				out_num(t, mine, 1);
				out_num(t, b, 1);
				out_num(t, gap, 1);
			}
		}
	}
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_check(const struct civstat *cs, const struct question *q,
		   struct out_table *t)
{
	static const char *const en[] = {"kind", "kind_name", "indicator",
					 "indicator_name", "area", "area_name",
					 "period", "value", "reference",
					 "score"};
	static const char *const zh[] = {"类型", "问题", "指标代码", "指标",
					 "地区代码", "地区", "时期", "数值",
					 "参照", "幅度"};
	struct quality qu;
	int rc = quality_check(cs, &q->p, &qu);
	if (rc)
		return rc;
	out_init(t, 10, en, zh);
	for (int k = 0; k < qu.n; k++) {
		const struct finding *x = &qu.items[k];
		const struct indicator *ind = &cs->cat.inds[x->ind];
		const struct area *a = &cs->cat.areas[x->area];
		struct period fp = period_ending(value_period_kind(ind),
						 x->month);
		char per[48];
		question_period(q, &fp, per, sizeof per);
		out_row(t);
		out_text(t, finding_name(x->kind));
		out_text(t, finding_name_zh(x->kind));
		out_text(t, ind->code);
		out_text(t, question_ind_name(q, ind));
		out_text(t, a->code);
		out_text(t, question_area_name(q, a));
		out_text(t, per);
		out_num(t, x->value, ind->decimals);
		out_num(t, x->ref, ind->decimals);
		out_num(t, x->score, 1);
	}
	quality_release(&qu);
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}

int question_reporting(const struct civstat *cs, const struct question *q,
		       struct out_table *t)
{
	static const char *const en[] = {"department", "department_name",
					 "expected", "reported", "submitted",
					 "completeness_pct", "timeliness_pct"};
	static const char *const zh[] = {"单位代码", "责任单位", "应报",
					 "已报", "已提交", "完整率%",
					 "及时率%"};
	struct quality qu;
	int rc = quality_check(cs, &q->p, &qu);
	if (rc)
		return rc;
	out_init(t, 7, en, zh);
	for (int k = 0; k < qu.n_depts; k++) {
		const struct report_stat *r = &qu.depts[k];
		const struct department *d = &cs->cat.depts[r->dept];
		if (!r->expected)
			continue;
		out_row(t);
		out_text(t, d->code);
		out_text(t, q->en_names && *d->name_en ? d->name_en : d->name);
		out_num(t, r->expected, 0);
		out_num(t, r->reported, 0);
		out_num(t, r->submitted, 0);
		out_num(t, 100.0 * r->reported / r->expected, 1);
		out_num(t, 100.0 * r->submitted / r->expected, 1);
	}
	quality_release(&qu);
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}
