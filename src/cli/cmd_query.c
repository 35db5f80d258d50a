/*
 * The questions: progress, growth, rank, series and pillars.  Each takes
 * its period, areas and indicators as options; the benchmark's Q1-Q5 are
 * instances of these.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "cli/cli.h"
#include "core/err.h"
#include "domain/values.h"

/* Everything a question needs: database, period, areas, indicators. */
struct ask {
	struct civstat *cs;
	struct period p;
	int *areas, n_areas;
	int *inds, n_inds;
};

static void ask_release(struct ask *q)
{
	free(q->areas);
	free(q->inds);
	civstat_close(q->cs);
}

/* Opens the database and reads the options; returns an exit code. */
static int ask_open(const struct cli_opts *o, struct ask *q, int need_inds)
{
	int rc;
	memset(q, 0, sizeof *q);
	if ((rc = cli_open(o, STORE_READONLY, &q->cs)))
		return rc;
	if ((rc = cli_period(o, q->cs, &q->p)) ||
	    (rc = cli_areas(o, q->cs, &q->areas, &q->n_areas)) ||
	    (need_inds && (rc = cli_indicators(o, q->cs, &q->inds,
					       &q->n_inds)))) {
		ask_release(q);
		return cli_fail(rc);
	}
	return 0;
}

static int finish(const struct cli_opts *o, struct ask *q, struct out_table *t)
{
	int rc = cli_print(o, t);
	ask_release(q);
	return rc ? cli_fail(rc) : 0;
}

int cmd_progress(struct cli_opts *o)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "unit",
		"period", "ytd_value", "target", "completion_pct",
		"time_progress_pct", "status", "yoy_pct"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "单位", "时期",
		"累计", "年度目标", "完成率%", "序时进度%", "状态", "同比%"};
	struct ask q;
	struct out_table t;
	char per[48];
	int rc;
	if ((rc = ask_open(o, &q, 1)))
		return rc;
	struct period ytd = period_ytd(&q.p);
	cli_period_text(o, &ytd, per, sizeof per);
	out_init(&t, 12, en, zh);
	for (int k = 0; k < q.n_areas; k++) {
		const struct area *a = &q.cs->cat.areas[q.areas[k]];
		for (int j = 0; j < q.n_inds; j++) {
			const struct indicator *ind = &q.cs->cat.inds[q.inds[j]];
			struct progress pr;
			analytics_progress(&q.cs->cube, q.inds[j], q.areas[k],
					   &q.p, o->tolerance, &pr);
			out_row(&t);
			out_text(&t, a->code);
			out_text(&t, cli_area_name(o, a));
			out_text(&t, ind->code);
			out_text(&t, cli_ind_name(o, ind));
			out_text(&t, ind->unit);
			out_text(&t, per);
			out_num(&t, pr.value, ind->decimals);
			out_num(&t, pr.target, ind->decimals);
			out_num(&t, pr.completion * 100, 1);
			out_num(&t, pr.expected * 100, 1);
			out_text(&t, cli_zh(o)
					     ? status_name_zh(pr.status)
					     : status_name(pr.status));
			out_num(&t, pr.yoy, 1);
		}
	}
	return finish(o, &q, &t);
}

int cmd_growth(struct cli_opts *o)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "unit",
		"period", "value", "base_period", "base", "growth_pct",
		"change"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "单位", "时期", "数值",
		"对比期", "对比期数值", "增速%", "增减"};
	struct ask q;
	struct out_table t;
	char per[48], base[48];
	int rc;
	if ((rc = ask_open(o, &q, 1)))
		return rc;
	struct period b = o->mom ? period_prev(&q.p) : period_prev_year(&q.p);
	cli_period_text(o, &q.p, per, sizeof per);
	cli_period_text(o, &b, base, sizeof base);
	out_init(&t, 11, en, zh);
	for (int k = 0; k < q.n_areas; k++) {
		const struct area *a = &q.cs->cat.areas[q.areas[k]];
		for (int j = 0; j < q.n_inds; j++) {
			const struct indicator *ind = &q.cs->cat.inds[q.inds[j]];
			struct growth g;
			analytics_growth(&q.cs->cube, q.inds[j], q.areas[k],
					 &q.p, !o->mom, &g);
			out_row(&t);
			out_text(&t, a->code);
			out_text(&t, cli_area_name(o, a));
			out_text(&t, ind->code);
			out_text(&t, cli_ind_name(o, ind));
			out_text(&t, ind->unit);
			out_text(&t, per);
			out_num(&t, g.value, ind->decimals);
			out_text(&t, base);
			out_num(&t, g.base, ind->decimals);
			out_num(&t, g.growth, 1);
			out_num(&t, g.change, ind->decimals);
		}
	}
	return finish(o, &q, &t);
}

int cmd_rank(struct cli_opts *o)
{
	static const char *const en[] = {"rank", "area", "area_name", "score"};
	static const char *const zh[] = {"名次", "地区代码", "地区", "得分"};
	struct ask q;
	struct out_table t;
	int rc;
	if (!o->level && !o->children && !o->area)
		o->level = 2; /* the areas right below the root */
	if ((rc = ask_open(o, &q, o->indicator != NULL)))
		return rc;
	if (q.n_inds > 1) {
		ask_release(&q);
		return cli_fail(cs_errorf(CS_EUSAGE, "rank takes one "
					  "--indicator, or none for the "
					  "weighted score"));
	}
	double *key = malloc((size_t)q.n_areas * sizeof *key);
	int *rank = malloc((size_t)q.n_areas * sizeof *rank);
	int *order = malloc((size_t)q.n_areas * sizeof *order);
	if (!key || !rank || !order) {
		free(key);
		free(rank);
		free(order);
		ask_release(&q);
		return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));
	}
	/* By one indicator: its direction-adjusted progress ratio, in %;
	 * else the weighted score over the assessment set. */
	for (int k = 0; k < q.n_areas; k++) {
		if (q.n_inds) {
			struct progress pr;
			analytics_progress(&q.cs->cube, q.inds[0], q.areas[k],
					   &q.p, o->tolerance, &pr);
			key[k] = pr.ratio * 100;
		} else {
			key[k] = analytics_score(&q.cs->cube, q.areas[k], &q.p);
		}
	}
	analytics_rank(key, q.n_areas, 0, rank, order);
	out_init(&t, 4, en, zh);
	for (int k = 0; k < q.n_areas; k++) {
		int x = order[k];
		const struct area *a = &q.cs->cat.areas[q.areas[x]];
		out_row(&t);
		if (rank[x])
			out_num(&t, rank[x], 0);
		else
			out_text(&t, "");
		out_text(&t, a->code);
		out_text(&t, cli_area_name(o, a));
		out_num(&t, key[x], 2);
	}
	free(key);
	free(rank);
	free(order);
	return finish(o, &q, &t);
}

int cmd_series(struct cli_opts *o)
{
	static const char *const en[] = {"period", "value", "state", "sample"};
	static const char *const zh[] = {"时期", "数值", "状态", "样例"};
	struct ask q;
	struct out_table t;
	int rc;
	if (!o->indicator || strchr(o->indicator, ','))
		return cli_fail(cs_errorf(CS_EUSAGE, "series takes one "
					  "--indicator"));
	if ((rc = ask_open(o, &q, 1)))
		return rc;
	const struct cube *c = &q.cs->cube;
	int i = q.inds[0], a = q.areas[0];
	const struct indicator *ind = &q.cs->cat.inds[i];
	struct period from, to;
	int lo = c->month0, hi = c->month0 + c->n_months - 1;
	if ((o->from && period_parse(o->from, strlen(o->from), &from)) ||
	    (o->to && period_parse(o->to, strlen(o->to), &to))) {
		ask_release(&q);
		return cli_fail(CS_EUSAGE);
	}
	if (o->from)
		lo = period_first_month(&from);
	if (o->to)
		hi = period_last_month(&to);
	enum period_kind kind = value_period_kind(ind);
	out_init(&t, 4, en, zh);
	for (int m = lo; m <= hi; m++) {
		struct period p = period_ending(kind, m);
		if (period_last_month(&p) != m)
			continue; /* a quarter or a year ends later */
		double v = analytics_value(c, i, a, &p);
		if (isnan(v) && (!o->from || !o->to))
			continue;
		char per[48];
		uint8_t fl = cube_flags(c, i, a, m);
		cli_period_text(o, &p, per, sizeof per);
		out_row(&t);
		out_text(&t, per);
		out_num(&t, v, ind->decimals);
		/* State and sample mark an area's own figure; an aggregate
		 * has neither. */
		int own = !isnan(cube_own(c, i, a, m));
		int st = fl & VALUE_STATE_MASK;
		out_text(&t, !own		  ? ""
			     : cli_zh(o) ? value_state_name_zh(st)
						  : value_state_name(st));
		out_text(&t, own && (fl & VALUE_SAMPLE) ? "1" : "");
	}
	return finish(o, &q, &t);
}

int cmd_pillars(struct cli_opts *o)
{
	static const char *const en[] = {"area", "pillar", "pillar_name",
					 "n_indicators", "ahead", "close",
					 "behind", "mean_completion_pct"};
	static const char *const zh[] = {"地区代码", "支柱", "名称",
					 "指标数", "超序时", "接近", "滞后",
					 "平均完成率%"};
	static const char *const names_zh[] = {"经济社会稳", "要素活力活",
					       "发展质量优"};
	struct ask q;
	struct out_table t;
	int rc;
	if ((rc = ask_open(o, &q, 0)))
		return rc;
	out_init(&t, 8, en, zh);
	for (int k = 0; k < q.n_areas; k++) {
		struct pillar_summary s[PILLAR_N];
		analytics_pillars(&q.cs->cube, q.areas[k], &q.p, o->tolerance,
				  o->assessed, s);
		for (int pl = 0; pl < PILLAR_N; pl++) {
			out_row(&t);
			out_text(&t, q.cs->cat.areas[q.areas[k]].code);
			out_text(&t, pillar_name(pl));
			out_text(&t, cli_zh(o) ? names_zh[pl]
							: pillar_name(pl));
			out_num(&t, s[pl].n_indicators, 0);
			out_num(&t, s[pl].n_ahead, 0);
			out_num(&t, s[pl].n_close, 0);
			out_num(&t, s[pl].n_behind, 0);
			out_num(&t, s[pl].mean_completion * 100, 1);
		}
	}
	return finish(o, &q, &t);
}

int cmd_compare(struct cli_opts *o)
{
	static const char *const en[] = {
		"area", "area_name", "indicator", "indicator_name", "period",
		"group", "measure", "area_figure", "benchmark", "gap_pp"};
	static const char *const zh[] = {
		"地区代码", "地区", "指标代码", "指标", "时期", "对标",
		"口径", "本地", "对标值", "差距(百分点)"};
	struct ask q;
	struct out_table t;
	int rc;
	if ((rc = ask_open(o, &q, 1)))
		return rc;
	const struct cube *c = &q.cs->cube;
	/* Cumulative growth is compared year to date; a rate at the month. */
	struct period ytd = period_ytd(&q.p);
	struct period month = period_from_month_index(period_last_month(&q.p));
	out_init(&t, 10, en, zh);
	for (int k = 0; k < q.n_areas; k++) {
		const struct area *a = &q.cs->cat.areas[q.areas[k]];
		for (int j = 0; j < q.n_inds; j++) {
			int i = q.inds[j];
			const struct indicator *ind = &q.cs->cat.inds[i];
			for (int g = 0; g < q.cs->cat.n_groups; g++) {
				const struct period *p = &ytd;
				double b, gap = analytics_benchmark_gap(
						  c, i, q.areas[k], g, p, &b);
				if (isnan(b)) {
					p = &month;
					gap = analytics_benchmark_gap(
						c, i, q.areas[k], g, p, &b);
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
					analytics_growth(c, i, q.areas[k], p, 1,
							 &gr);
					mine = gr.growth;
				} else {
					mine = analytics_value(c, i, q.areas[k],
							       p);
				}
				char per[48];
				cli_period_text(o, p, per, sizeof per);
				out_row(&t);
				out_text(&t, a->code);
				out_text(&t, cli_area_name(o, a));
				out_text(&t, ind->code);
				out_text(&t, cli_ind_name(o, ind));
				out_text(&t, per);
				out_text(&t, q.cs->cat.groups[g]);
				out_text(&t, !growth	    ? cli_zh(o) ? "数值" : "value"
					     : cli_zh(o) ? "同比增速%"
							 : "growth");
				out_num(&t, mine, 1);
				out_num(&t, b, 1);
				out_num(&t, gap, 1);
			}
		}
	}
	return finish(o, &q, &t);
}
