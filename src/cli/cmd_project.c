/*
 * civstat project: the key-project pipeline on the command line — import
 * and export its CSV files, list and show projects, record a month's
 * report and a phase change, and the monthly summary leaders read
 * (planned against completed investment by cluster, area, phase or
 * department, and the projects behind, overdue or late to start).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/project.h"
#include "domain/project_io.h"
#include "domain/project_oc4ids.h"
#include "domain/project_table.h"

/* Today, from --today (tests) or the clock, as YYYY-MM-DD. */
static int today(const struct cli_opts *o, char buf[11])
{
	if (o->today) {
		if (!project_date_ok(o->today))
			return cs_errorf(CS_EUSAGE, "--today: \"%s\" is not a "
					 "date (YYYY-MM-DD)", o->today);
		memcpy(buf, o->today, 11);
		return CS_OK;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return CS_OK;
}

static int month_of_date(const char *d)
{
	return atoi(d) * 12 + atoi(d + 5) - 1;
}

/* The month the roll-ups run to: --period's last month, else the latest
 * month any project reported, else the month before today. */
static int upto_month(const struct cli_opts *o, const struct project_book *b,
		      const char *day, int *out)
{
	if (o->period) {
		struct period p;
		int rc = period_parse(o->period, strlen(o->period), &p);
		if (rc)
			return rc;
		*out = period_last_month(&p);
		return CS_OK;
	}
	int m = -1;
	for (int k = 0; k < b->n_reports; k++)
		if (b->reports[k].month > m)
			m = b->reports[k].month;
	*out = m >= 0 ? m : month_of_date(day) - 1;
	return CS_OK;
}

/* 2025年1-9月 */
static void ytd_name(int upto, char *buf, size_t cap)
{
	struct period p = period_ending(PERIOD_YTD, upto);
	period_format_zh(&p, buf, cap);
}

/* A project's flags as words, Chinese or the English codes. */
static const char *flags_text(unsigned f, int zh, char *buf, size_t cap)
{
	static const char *const words[][2] = {
		{"behind", "投资滞后"},
		{"overdue", "节点逾期"},
		{"not_started", "应开未开"},
	};
	size_t n = 0;
	buf[0] = 0;
	for (int k = 0; k < 3; k++)
		if (f & 1u << k)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      n ? " " : "", words[k][zh]);
	if (!f)
		snprintf(buf, cap, "%s", zh ? "正常" : "ok");
	return buf;
}

static const char *area_name(const struct catalog *cat, int id)
{
	int a = catalog_area_id(cat, id);
	return a < 0 ? "" : cat->areas[a].name;
}

static int report_sample(const struct project_book *b, int id)
{
	for (int r = 0; r < b->n_reports; r++)
		if (b->reports[r].project_id == id && b->reports[r].sample)
			return 1;
	return 0;
}

static int list(const struct cli_opts *o, struct civstat *cs,
		const struct project_book *b)
{
	static const char *const en[] = {
		"code", "name", "cluster", "area", "phase", "total",
		"plan", "done", "completion_pct", "status", "period",
		"sample"};
	static const char *const zh[] = {
		"项目代码", "项目名称", "产业集群", "地区", "阶段",
		"总投资(亿元)", "年度计划(亿元)", "累计完成(亿元)", "完成率%",
		"状态", "时期", "样例"};
	char day[11], per[48], fl[64];
	int upto, rc, area = -1;
	if ((rc = today(o, day)) || (rc = upto_month(o, b, day, &upto)))
		return rc;
	if (o->area && (area = catalog_area(&cs->cat, o->area,
					    strlen(o->area))) < 0)
		return cs_errorf(CS_ENOTFOUND, "--area: unknown area \"%s\"",
				 o->area);
	ytd_name(upto, per, sizeof per);
	struct out_table t;
	out_init(&t, 12, en, zh);
	int zhw = cli_zh(o);
	for (int k = 0; k < b->n_projects; k++) {
		const struct project *p = &b->projects[k];
		int pa = catalog_area_id(&cs->cat, p->area_id);
		if (area >= 0 && !catalog_area_within(&cs->cat, pa, area))
			continue;
		double plan = project_plan_of(b, k, upto / 12);
		double done = project_done(b, k, upto);
		unsigned f = project_flags(b, k, upto, day, o->tolerance);
		out_row(&t);
		out_text(&t, p->code);
		out_text(&t, p->name);
		out_text(&t, zhw ? project_cluster_zh(p->cluster) : p->cluster);
		out_text(&t, area_name(&cs->cat, p->area_id));
		out_text(&t, zhw ? project_phase_zh(p->phase)
				 : project_phase_en(p->phase));
		out_num(&t, p->total, 2);
		out_num(&t, plan, 2);
		out_num(&t, done, 2);
		out_num(&t, plan > 0 ? done / plan * 100 : NAN, 1);
		out_text(&t, flags_text(f, zhw, fl, sizeof fl));
		out_text(&t, per);
		out_num(&t, p->sample || report_sample(b, p->id), 0);
	}
	return cli_print(o, &t);
}

static int summary(const struct cli_opts *o, struct civstat *cs,
		   const struct project_book *b)
{
	static const char *const en[] = {
		"group", "name", "projects", "total", "plan", "done",
		"completion_pct", "time_progress_pct", "behind", "overdue",
		"not_started", "period", "sample"};
	static const char *const zh[] = {
		"分组代码", "分组", "项目数", "总投资(亿元)", "年度计划(亿元)",
		"累计完成(亿元)", "完成率%", "序时进度%", "投资滞后",
		"节点逾期", "应开未开", "时期", "样例"};
	char day[11], per[48], key[64];
	int upto, rc, by = BY_CLUSTER, n;
	struct project_sum *s;
	if (o->by && (by = project_by_parse(o->by)) < 0)
		return cs_errorf(CS_EUSAGE, "--by: \"%s\" is not cluster, area, "
				 "phase or department", o->by);
	if ((rc = today(o, day)) || (rc = upto_month(o, b, day, &upto)) ||
	    (rc = project_rollup(b, &cs->cat, by, upto, &s, &n)))
		return rc;
	ytd_name(upto, per, sizeof per);
	struct out_table t;
	out_init(&t, 13, en, zh);
	for (int g = 0; g < n; g++) {
		int cnt[3] = {0};
		for (int k = 0; k < b->n_projects; k++) {
			const char *name;
			(void)name;
			if (g < n - 1) {
				/* The project's group key, as the roll-up
				 * made it. */
				const struct project *p = &b->projects[k];
				int x;
				switch (by) {
				case BY_CLUSTER:
					snprintf(key, sizeof key, "%s",
						 p->cluster);
					break;
				case BY_AREA:
					x = catalog_area_id(&cs->cat,
							    p->area_id);
					snprintf(key, sizeof key, "%s",
						 x < 0 ? ""
						       : cs->cat.areas[x].code);
					break;
				case BY_PHASE:
					snprintf(key, sizeof key, "%s",
						 project_phase_en(p->phase));
					break;
				default:
					x = p->department_id
						    ? catalog_department_id(
							      &cs->cat,
							      p->department_id)
						    : -1;
					snprintf(key, sizeof key, "%s",
						 x < 0 ? ""
						       : cs->cat.depts[x].code);
				}
				if (strcmp(key, s[g].key))
					continue;
			}
			unsigned f = project_flags(b, k, upto, day,
						   o->tolerance);
			cnt[0] += !!(f & PFLAG_BEHIND);
			cnt[1] += !!(f & PFLAG_OVERDUE);
			cnt[2] += !!(f & PFLAG_NOT_STARTED);
		}
		out_row(&t);
		out_text(&t, s[g].key);
		out_text(&t, s[g].name);
		out_num(&t, s[g].n, 0);
		out_num(&t, s[g].total, 2);
		out_num(&t, s[g].plan, 2);
		out_num(&t, s[g].done, 2);
		out_num(&t, s[g].plan > 0 ? s[g].done / s[g].plan * 100 : NAN,
			1);
		out_num(&t, (upto % 12 + 1) / 12.0 * 100, 1);
		out_num(&t, cnt[0], 0);
		out_num(&t, cnt[1], 0);
		out_num(&t, cnt[2], 0);
		out_text(&t, per);
		out_num(&t, s[g].sample, 0);
	}
	free(s);
	return cli_print(o, &t);
}

static int show(const struct cli_opts *o, struct civstat *cs,
		const struct project_book *b, const char *code)
{
	int k = project_book_find(b, code);
	char day[11], fl[64];
	int upto, rc;
	if (k < 0)
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": no such project",
				 code);
	if ((rc = today(o, day)) || (rc = upto_month(o, b, day, &upto)))
		return rc;
	const struct project *p = &b->projects[k];
	int d = p->department_id
			? catalog_department_id(&cs->cat, p->department_id)
			: -1;
	FILE *f = stdout;
	fprintf(f, "%s %s%s\n", p->code, p->name,
		p->sample ? "（样例数据）" : "");
	fprintf(f, "产业集群 %s · 类型 %s · 地区 %s · 责任单位 %s · 包保领导 %s\n",
		project_cluster_zh(p->cluster), project_type_zh(p->type),
		area_name(&cs->cat, p->area_id),
		d < 0 ? "" : cs->cat.depts[d].name, p->leader);
	if (!isnan(p->total))
		fprintf(f, "总投资 %.2f 亿元 · ", p->total);
	fprintf(f, "阶段 %s · 计划 %s 至 %s · 实际 %s 至 %s\n",
		project_phase_zh(p->phase), p->planned_start, p->planned_finish,
		p->actual_start, p->actual_finish);
	if (*p->address || !isnan(p->lon))
		fprintf(f, "地址 %s %s%.6f,%.6f\n", p->address,
			isnan(p->lon) ? "" : "坐标 ", p->lon, p->lat);
	if (*p->issues)
		fprintf(f, "需协调解决的问题：%s\n", p->issues);
	if (*p->source)
		fprintf(f, "来源 %s\n", p->source);
	fprintf(f, "状态 %s\n",
		flags_text(project_flags(b, k, upto, day, o->tolerance), 1, fl,
			   sizeof fl));
	for (int j = 0; j < b->n_plans; j++)
		if (b->plans[j].project_id == p->id)
			fprintf(f, "%d年计划投资 %.2f 亿元%s\n", b->plans[j].year,
				b->plans[j].amount,
				b->plans[j].sample ? "（样例）" : "");
	for (int j = 0; j < b->n_milestones; j++) {
		const struct milestone *m = &b->milestones[j];
		if (m->project_id != p->id)
			continue;
		fprintf(f, "节点 %s 计划 %s %s%s\n", m->name, m->due,
			*m->done ? "完成 " : (strcmp(m->due, day) < 0
						      ? "逾期未完成"
						      : "未完成"),
			m->done);
	}
	for (int j = 0; j < b->n_reports; j++) {
		const struct project_report *r = &b->reports[j];
		char per[32];
		if (r->project_id != p->id)
			continue;
		struct period pm = period_from_month_index(r->month);
		period_format_zh(&pm, per, sizeof per);
		fprintf(f, "月报 %s 完成投资 %.2f 亿元", per, r->investment);
		if (!isnan(r->progress))
			fprintf(f, " 形象进度 %.0f%%", r->progress);
		fprintf(f, "%s%s%s\n", *r->note ? " " : "", r->note,
			r->sample ? "（样例）" : "");
	}
	for (int j = 0; j < b->n_phases; j++) {
		const struct phase_change *c = &b->phases[j];
		if (c->project_id != p->id)
			continue;
		fprintf(f, "阶段 %s→%s %s %s%s%s\n",
			c->from < 0 ? "" : project_phase_zh(c->from),
			project_phase_zh(c->to), c->date, c->actor,
			*c->reason ? " 原因：" : "", c->reason);
	}
	(void)o;
	return CS_OK;
}

static int report(const struct cli_opts *o, struct civstat *cs,
		  const struct project_book *b, const char *code)
{
	char day[11], *end;
	struct period per;
	int rc, k = project_book_find(b, code);
	if (k < 0)
		return cs_errorf(CS_ENOTFOUND, "project \"%s\": no such project",
				 code);
	if (!o->period || !o->investment)
		return cs_errorf(CS_EUSAGE, "project report: --period and "
				 "--investment are needed");
	if ((rc = today(o, day)))
		return rc;
	if (period_parse(o->period, strlen(o->period), &per) ||
	    per.kind != PERIOD_MONTH)
		return cs_errorf(CS_EUSAGE, "--period: \"%s\" is not a month",
				 o->period);
	struct project_report r = {
		.project_id = b->projects[k].id,
		.month = period_last_month(&per),
		.progress = NAN,
		.note = o->note ? o->note : "",
	};
	r.investment = strtod(o->investment, &end);
	if (!*o->investment || *end)
		return cs_errorf(CS_EUSAGE, "--investment: \"%s\" is not a "
				 "number", o->investment);
	if (o->progress) {
		r.progress = strtod(o->progress, &end);
		if (!*o->progress || *end)
			return cs_errorf(CS_EUSAGE, "--progress: \"%s\" is not "
					 "a number", o->progress);
	}
	if ((rc = project_put_report(cs, &r, month_of_date(day))))
		return rc;
	printf("%s %s：完成投资 %s 亿元已记录\n", code, o->period,
	       o->investment);
	return CS_OK;
}

static int phase(const struct cli_opts *o, struct civstat *cs,
		 const char *code)
{
	int to;
	if (!o->phase || (to = project_phase_parse(o->phase)) < 0)
		return cs_errorf(CS_EUSAGE, "--phase: \"%s\" is not one of "
				 "谋划 签约 开工 在建 竣工 投产",
				 o->phase ? o->phase : "");
	int rc = project_set_phase(cs, code, to, o->date, o->reason);
	if (!rc)
		printf("%s：阶段改为%s（%s）\n", code, project_phase_zh(to),
		       o->date);
	return rc;
}

static int import(const struct cli_opts *o, struct civstat *cs)
{
	struct project_import_report r;
	char day[11];
	int kind = PK_DETECT, rc;
	if (o->nargs < 2)
		return cs_errorf(CS_EUSAGE, "project import: name the files");
	if (o->kind && (kind = project_kind_parse(o->kind)) < 0)
		return cs_errorf(CS_EUSAGE, "--kind: \"%s\" is not projects, "
				 "plans, milestones, reports, programmes or "
				 "communities", o->kind);
	if ((rc = today(o, day)) ||
	    (rc = project_import(cs, (const char *const *)o->args + 1,
				 o->nargs - 1, kind, month_of_date(day), &r)))
		return rc;
	printf("导入完成：项目 %ld，年度计划 %ld，节点 %ld，月报 %ld，"
	       "计划 %ld，小区 %ld\n",
	       r.rows[PK_PROJECTS], r.rows[PK_PLANS], r.rows[PK_MILESTONES],
	       r.rows[PK_REPORTS], r.rows[PK_PROGRAMMES],
	       r.rows[PK_COMMUNITIES]);
	return CS_OK;
}

/* project export --format oc4ids|xlsx: the projects (of --area) as an
 * OC4IDS package or as the workbook of the project table. */
static int export_open(const struct cli_opts *o, struct civstat *cs)
{
	struct project_filter flt = {.cluster = -1, .area = -1, .phase = -1};
	struct project_book b;
	char day[11], uri[64];
	int n, rc, *sel = NULL;
	FILE *f = stdout;
	if (o->area && (flt.area = catalog_area(&cs->cat, o->area,
						strlen(o->area))) < 0)
		return cs_errorf(CS_ENOTFOUND, "--area: unknown area \"%s\"",
				 o->area);
	if ((rc = today(o, day)) || (rc = project_book_load(&b, cs->st)))
		return rc;
	struct project_when w = {0, day, o->tolerance};
	if (!(rc = upto_month(o, &b, day, &w.upto)) &&
	    !(rc = project_select(&b, &cs->cat, &flt, &w, &sel, &n)) &&
	    o->out && !(f = fopen(o->out, "wb")))
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	if (!rc && !strcmp(o->export_format, "xlsx")) {
		rc = project_xlsx(&b, &cs->cat, sel, n, &w, f);
	} else if (!rc) {
		snprintf(uri, sizeof uri, "urn:civstat:projects:%s", day);
		rc = oc4ids_write(&b, &cs->cat, sel, n, uri, f);
	}
	if (f && f != stdout && fclose(f) && !rc)
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	free(sel);
	project_book_release(&b);
	return rc;
}

static int export(const struct cli_opts *o, struct civstat *cs)
{
	if (o->export_format)
		return export_open(o, cs);
	int kind = o->kind ? project_kind_parse(o->kind) : PK_PROJECTS;
	FILE *f = stdout;
	if (kind <= 0)
		return cs_errorf(CS_EUSAGE, "--kind: \"%s\" is not projects, "
				 "plans, milestones, reports, programmes or "
				 "communities", o->kind);
	if (o->out && !(f = fopen(o->out, "w")))
		return cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	int rc = project_export(cs, kind, f, o->excel);
	if (f != stdout && fclose(f) && !rc)
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	return rc;
}

static int programmes(const struct cli_opts *o, const struct project_book *b)
{
	static const char *const en[] = {
		"code", "name", "years", "communities_planned",
		"buildings_planned", "households_planned", "communities",
		"started", "finished", "progress_pct", "sample"};
	static const char *const zh[] = {
		"计划代码", "计划名称", "年限", "计划小区数", "计划栋数",
		"计划户数", "已录小区", "已开工", "已完工", "平均进度%", "样例"};
	struct out_table t;
	out_init(&t, 11, en, zh);
	for (int k = 0; k < b->n_programmes; k++) {
		const struct programme *p = &b->programmes[k];
		int n = 0, started = 0, finished = 0, sample = p->sample;
		double progress = 0;
		for (int j = 0; j < b->n_communities; j++) {
			const struct community *c = &b->communities[j];
			if (c->programme_id != p->id)
				continue;
			n++;
			started += !!*c->started;
			finished += !!*c->finished;
			progress += c->progress;
			sample |= c->sample;
		}
		out_row(&t);
		out_text(&t, p->code);
		out_text(&t, p->name);
		out_textf(&t, "%d-%d", p->first_year, p->last_year);
		out_num(&t, p->communities, 0);
		out_num(&t, p->buildings, 0);
		out_num(&t, p->households, 0);
		out_num(&t, n, 0);
		out_num(&t, started, 0);
		out_num(&t, finished, 0);
		out_num(&t, n ? progress / n : NAN, 1);
		out_num(&t, sample, 0);
	}
	return cli_print(o, &t);
}

int cmd_project(struct cli_opts *o)
{
	const char *what = o->nargs ? o->args[0] : "";
	const char *code = o->nargs > 1 ? o->args[1] : NULL;
	static const char *const readers[] = {"list", "show", "summary",
					      "export", "programmes"};
	int writes = !strcmp(what, "import") || !strcmp(what, "report") ||
		     !strcmp(what, "phase");
	int reads = 0;
	for (size_t k = 0; k < sizeof readers / sizeof *readers; k++)
		reads |= !strcmp(what, readers[k]);
	if ((!writes && !reads) ||
	    ((!strcmp(what, "show") || !strcmp(what, "report") ||
	      !strcmp(what, "phase")) && (o->nargs != 2)))
		return cli_fail(cs_errorf(
			CS_EUSAGE,
			"usage: civstat project import FILE... | export "
			"[--kind K | --format oc4ids|xlsx] | list | show CODE | report CODE "
			"--period M --investment X | phase CODE --phase P "
			"--date D [--reason R] | summary [--by B] | "
			"programmes"));
	if (o->export_format && (strcmp(what, "export") || o->kind))
		return cli_fail(cs_errorf(
			CS_EUSAGE, "--format %s: only for project export, "
			"without --kind", o->export_format));
	struct civstat *cs;
	struct project_book b;
	int rc;
	if ((rc = cli_open(o, writes ? 0 : STORE_READONLY, &cs)))
		return rc;
	if (!strcmp(what, "import"))
		rc = import(o, cs);
	else if (!strcmp(what, "phase"))
		rc = phase(o, cs, code);
	else if (!strcmp(what, "export"))
		rc = export(o, cs);
	else if (!(rc = project_book_load(&b, cs->st))) {
		if (!strcmp(what, "list"))
			rc = list(o, cs, &b);
		else if (!strcmp(what, "summary"))
			rc = summary(o, cs, &b);
		else if (!strcmp(what, "show"))
			rc = show(o, cs, &b, code);
		else if (!strcmp(what, "report"))
			rc = report(o, cs, &b, code);
		else
			rc = programmes(o, &b);
		project_book_release(&b);
	}
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
