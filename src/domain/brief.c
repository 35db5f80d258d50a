/*
 * Writing the brief (see brief.h).  Sentences follow the usage of Chinese
 * economic-operation reports: "累计完成X亿元，完成年度目标Y%（序时进度Z%），
 * 同比增长W%，高于全省平均V个百分点".
 */
#include "domain/brief.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "core/err.h"
#include "domain/quality.h"

#define BENCH_PROVINCE "全省平均"
#define BENCH_COAST "沿海6市平均"

struct line {
	int ind;
	struct progress pr;
};

static const char *const pillar_title[PILLAR_N] = {
	"稳：经济社会稳", "活：要素活力活", "优：发展质量优"};
static const char *const mark[] = {"", "▲", "●", "▼"};

static int is_rate(const struct indicator *ind)
{
	return !strcmp(ind->unit, "%");
}

/* "同比增长3.9%" / "同比下降1.1%" / "同比提高0.5个百分点" */
static void yoy_text(FILE *f, const struct indicator *ind,
		     const struct progress *pr)
{
	if (is_rate(ind)) {
		double d = pr->value - pr->prev_year;
		if (isnan(d))
			return;
		if (fabs(d) < 0.05)
			fputs("，与上年同期持平", f);
		else
			fprintf(f, "，比上年同期%s%.1f个百分点",
				d > 0 ? "提高" : "下降", fabs(d));
	} else if (!isnan(pr->yoy)) {
		fprintf(f, "，同比%s%.1f%%", pr->yoy >= 0 ? "增长" : "下降",
			fabs(pr->yoy));
	}
}

/* "，高于全省平均1.1个百分点" for each benchmark group known. */
static void bench_text(FILE *f, const struct civstat *cs, int i, int a,
		       const struct period *ytd, const struct period *month)
{
	static const char *const groups[] = {BENCH_PROVINCE, BENCH_COAST};
	for (int k = 0; k < 2; k++) {
		int g = catalog_group(&cs->cat, groups[k], strlen(groups[k]));
		double b, gap;
		if (g < 0)
			continue;
		gap = analytics_benchmark_gap(&cs->cube, i, a, g, ytd, &b);
		if (isnan(gap))
			gap = analytics_benchmark_gap(&cs->cube, i, a, g, month,
						      &b);
		if (isnan(gap))
			continue;
		fprintf(f, "，%s%s%.1f个百分点", gap >= 0 ? "高于" : "低于",
			groups[k], fabs(gap));
	}
}

static void indicator_line(FILE *f, const struct civstat *cs, int a,
			   const struct line *l, const struct period *ytd,
			   const struct period *month)
{
	const struct indicator *ind = &cs->cat.inds[l->ind];
	const struct progress *pr = &l->pr;
	int flow = !cs->cat.formula[l->ind] && ind->time_agg == TIME_SUM;
	fprintf(f, "  %s %s：%s%.*f%s", mark[pr->status], ind->name,
		flow ? "累计" : "", ind->decimals, pr->value, ind->unit);
	if (flow)
		fprintf(f, "，完成年度目标%.1f%%（序时进度%.1f%%）",
			pr->completion * 100, pr->expected * 100);
	else
		fprintf(f, "，年度目标%.*f%s", ind->decimals, pr->target,
			ind->unit);
	yoy_text(f, ind, pr);
	bench_text(f, cs, l->ind, a, ytd, month);
	if (analytics_sample(&cs->cube, l->ind, a, period_first_month(ytd),
			     period_last_month(ytd)))
		fputs("（样例数据）", f);
	fputs("。\n", f);
}

static int cmp_line(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	/* Behind first, then close, then ahead; within, by ratio. */
	if (a->pr.status != b->pr.status)
		return b->pr.status - a->pr.status;
	return (a->pr.ratio > b->pr.ratio) - (a->pr.ratio < b->pr.ratio);
}

static void movers(FILE *f, const struct civstat *cs, int a,
		   const struct period *ytd, struct line *lines)
{
	int n = 0;
	for (int i = 0; i < cs->cat.n_inds; i++) {
		const struct indicator *ind = &cs->cat.inds[i];
		if (is_rate(ind) || cs->cat.formula[i] ||
		    ind->frequency == FREQ_YEAR)
			continue;
		struct progress pr;
		analytics_progress(&cs->cube, i, a, ytd, 0, &pr);
		if (isnan(pr.yoy))
			continue;
		lines[n].ind = i;
		lines[n].pr = pr;
		lines[n++].pr.ratio = pr.yoy;
	}
	if (n < 2)
		return;
	for (int x = 1; x < n; x++) /* by 同比, highest first */
		for (int y = x; y > 0 && lines[y].pr.ratio > lines[y - 1].pr.ratio;
		     y--) {
			struct line t = lines[y];
			lines[y] = lines[y - 1];
			lines[y - 1] = t;
		}
	int k = n < 6 ? n / 2 : 3;
	fputs("  增长较快：", f);
	for (int j = 0; j < k; j++)
		fprintf(f, "%s%s %+.1f%%", j ? "，" : "",
			cs->cat.inds[lines[j].ind].name, lines[j].pr.yoy);
	fputs("。\n  下降或增长较慢：", f);
	for (int j = 0; j < k; j++)
		fprintf(f, "%s%s %+.1f%%", j ? "，" : "",
			cs->cat.inds[lines[n - 1 - j].ind].name,
			lines[n - 1 - j].pr.yoy);
	fputs("。\n", f);
}

static void ranking(FILE *f, const struct civstat *cs, int a,
		    const struct period *ytd, int which)
{
	const struct catalog *cat = &cs->cat;
	int n = 0, child[256];
	double score[256];
	int rank[256], order[256];
	for (int ch = cat->first_child[a]; ch >= 0 && n < 256;
	     ch = cat->next_sibling[ch]) {
		child[n] = ch;
		score[n++] = analytics_score(&cs->cube, ch, ytd, which);
	}
	if (!n)
		return;
	analytics_rank(score, n, 0, rank, order);
	if (!rank[order[0]])
		return;
	fputs("\n四、所辖地区综合得分排名（按考核指标加权）\n", f);
	for (int k = 0; k < n && rank[order[k]]; k++) {
		int x = order[k];
		fprintf(f, "  %d. %s %.1f", rank[x],
			cat->areas[child[x]].name, score[x]);
		if (k % 4 == 3 || k + 1 == n || !rank[order[k + 1]])
			fputs("\n", f);
	}
}

static int quality_text(FILE *f, const struct civstat *cs,
			const struct period *month)
{
	struct quality q;
	int count[FINDING_NKINDS] = {0};
	int rc = quality_check(cs, month, &q);
	if (rc)
		return rc;
	for (int k = 0; k < q.n; k++)
		count[q.items[k].kind]++;
	fprintf(f, "\n五、数据质量\n  提示%d条", q.n);
	for (int k = 0; k < FINDING_NKINDS; k++)
		if (count[k])
			fprintf(f, "，%s%d条", finding_name_zh(k), count[k]);
	fputs("（civstat check 查看明细）。\n", f);
	int late = 0;
	for (int k = 0; k < q.n_depts; k++) {
		const struct report_stat *r = &q.depts[k];
		if (!r->expected || r->submitted == r->expected)
			continue;
		fprintf(f, "%s%s 应报%d项、已报%d项、已提交%d项", late++ ? "；" : "  报送未完成：",
			cs->cat.depts[r->dept].name, r->expected, r->reported,
			r->submitted);
	}
	fputs(late ? "。\n" : "  各责任单位均已按时报送。\n", f);
	quality_release(&q);
	return CS_OK;
}

int brief_write(const struct civstat *cs, int a, const struct period *p,
		double tolerance, int published_only, FILE *f)
{
	const struct catalog *cat = &cs->cat;
	struct period ytd = period_ytd(p);
	struct period month = period_from_month_index(period_last_month(p));
	char per[48];
	struct line *lines = malloc((size_t)(cat->n_inds ? cat->n_inds : 1) *
				    sizeof *lines);
	int total[4] = {0}, sample = 0, rc;
	if (!lines)
		return cs_errorf(CS_ENOMEM, "out of memory");

	period_format_zh(&ytd, per, sizeof per);
	fprintf(f, "%s经济社会发展简报\n%s · 序时进度%.1f%%\n", cat->areas[a].name,
		per, period_time_progress(&ytd) * 100);
	/* Gather every indicator with a light, by pillar. */
	int n = 0;
	for (int i = 0; i < cat->n_inds; i++) {
		if (published_only && !cat->inds[i].published)
			continue;
		analytics_progress(&cs->cube, i, a, &ytd, tolerance,
				   &lines[n].pr);
		if (lines[n].pr.status == STATUS_NONE)
			continue;
		lines[n].ind = i;
		total[lines[n].pr.status]++;
		sample |= analytics_sample(&cs->cube, i, a,
					   period_first_month(&ytd),
					   period_last_month(&ytd));
		n++;
	}
	qsort(lines, (size_t)n, sizeof *lines, cmp_line);
	fprintf(f, "\n一、总体情况\n  有年度目标的指标%d项：超序时%d项，接近序时%d项，"
		   "滞后序时%d项（▲超序时 ●接近 ▼滞后，接近指差距在%.0f%%以内）。\n",
		n, total[STATUS_AHEAD], total[STATUS_CLOSE],
		total[STATUS_BEHIND], tolerance * 100);
	fputs("\n二、分领域进展\n", f);
	for (int pl = 0; pl < PILLAR_N; pl++) {
		int c[4] = {0}, m = 0;
		for (int k = 0; k < n; k++)
			if (cat->inds[lines[k].ind].pillar == pl) {
				c[lines[k].pr.status]++;
				m++;
			}
		fprintf(f, "（%s）%d项：超序时%d、接近%d、滞后%d\n",
			pillar_title[pl], m, c[STATUS_AHEAD], c[STATUS_CLOSE],
			c[STATUS_BEHIND]);
		for (int k = 0; k < n; k++)
			if (cat->inds[lines[k].ind].pillar == pl)
				indicator_line(f, cs, a, &lines[k], &ytd,
					       &month);
	}
	fputs("\n三、主要指标同比变化\n", f);
	movers(f, cs, a, &ytd, lines);
	ranking(f, cs, a, &ytd, published_only ? ANALYTICS_PUBLISHED : 0);
	rc = published_only ? CS_OK : quality_text(f, cs, &month);
	if (sample)
		fputs("\n注：标注“样例数据”的数字为演示用样例数据（sample data），"
		      "不是真实统计数据；引自报道的数字在数据备注中注明出处。\n",
		      f);
	free(lines);
	if (!rc && ferror(f))
		rc = cs_errorf(CS_EIO, "cannot write the brief");
	return rc;
}
