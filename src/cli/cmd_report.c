/*
 * The reports of the command line: check (data-quality findings) and
 * brief (the month's one-page summary).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/brief.h"
#include "domain/quality.h"

int cmd_check(struct cli_opts *o)
{
	static const char *const en[] = {"kind", "kind_name", "indicator",
					 "indicator_name", "area", "area_name",
					 "period", "value", "reference",
					 "score"};
	static const char *const zh[] = {"类型", "问题", "指标代码", "指标",
					 "地区代码", "地区", "时期", "数值",
					 "参照", "幅度"};
	static const char *const den[] = {"department", "department_name",
					  "expected", "reported", "submitted",
					  "completeness_pct", "timeliness_pct"};
	static const char *const dzh[] = {"单位代码", "责任单位", "应报",
					  "已报", "已提交", "完整率%",
					  "及时率%"};
	struct civstat *cs;
	struct period p;
	struct quality q;
	struct out_table t;
	int rc;
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	if ((rc = cli_period(o, cs, &p)) || (rc = quality_check(cs, &p, &q))) {
		civstat_close(cs);
		return cli_fail(rc);
	}
	out_init(&t, 10, en, zh);
	for (int k = 0; k < q.n; k++) {
		const struct finding *x = &q.items[k];
		const struct indicator *ind = &cs->cat.inds[x->ind];
		const struct area *a = &cs->cat.areas[x->area];
		char per[48];
		struct period fp = period_from_month_index(x->month);
		cli_period_text(o, &fp, per, sizeof per);
		out_row(&t);
		out_text(&t, finding_name(x->kind));
		out_text(&t, finding_name_zh(x->kind));
		out_text(&t, ind->code);
		out_text(&t, cli_ind_name(o, ind));
		out_text(&t, a->code);
		out_text(&t, cli_area_name(o, a));
		out_text(&t, per);
		out_num(&t, x->value, ind->decimals);
		out_num(&t, x->ref, ind->decimals);
		out_num(&t, x->score, 1);
	}
	rc = cli_print(o, &t);
	if (!rc && o->format == OUT_TABLE) {
		/* Completeness and timeliness per department. */
		printf("\n");
		out_init(&t, 7, den, dzh);
		for (int k = 0; k < q.n_depts; k++) {
			const struct report_stat *r = &q.depts[k];
			if (!r->expected)
				continue;
			out_row(&t);
			out_text(&t, cs->cat.depts[r->dept].code);
			out_text(&t, cs->cat.depts[r->dept].name);
			out_num(&t, r->expected, 0);
			out_num(&t, r->reported, 0);
			out_num(&t, r->submitted, 0);
			out_num(&t, 100.0 * r->reported / r->expected, 1);
			out_num(&t, 100.0 * r->submitted / r->expected, 1);
		}
		rc = cli_print(o, &t);
	}
	quality_release(&q);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}

int cmd_brief(struct cli_opts *o)
{
	struct civstat *cs;
	struct period p;
	int *areas = NULL, n, rc;
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	if (!(rc = cli_period(o, cs, &p)) &&
	    !(rc = cli_areas(o, cs, &areas, &n)))
		rc = brief_write(cs, areas[0], &p, o->tolerance, stdout);
	free(areas);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
