/*
 * The key-project pipeline as an OC4IDS project package (see
 * project_oc4ids.h).  Field names and codes are those of the standard's
 * project schema and codelists (open-contracting/infrastructure,
 * schema/project-level); where our records say more than the standard
 * has a field for, the extra goes into a field of our own that the
 * standard's permissive schema allows, named in docs/formats.md.
 */
#include "domain/project_oc4ids.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/period.h"

/*
 * projectStatus is a closed codelist.  谋划 is the decision to develop
 * (identification); 签约 prepares it (preparation: feasibility, scope,
 * budget authorisation); 开工 and 在建 are implementation; 竣工 and 投产
 * both hand the asset over (completion).  "completed" means close-out
 * (竣工决算) is done, which the pipeline does not record, so it is not
 * used; nor is "cancelled", which the pipeline has no phase for.
 */
static const char *const status_of_phase[PHASE_N] = {
	[PHASE_PLANNING] = "identification",
	[PHASE_SIGNED] = "preparation",
	[PHASE_STARTED] = "implementation",
	[PHASE_BUILDING] = "implementation",
	[PHASE_COMPLETED] = "completion",
	[PHASE_OPERATING] = "completion",
};

const char *oc4ids_status(int phase)
{
	return phase >= 0 && phase < PHASE_N ? status_of_phase[phase] : NULL;
}

/*
 * projectType asks whether the project builds a new asset or works on
 * one that exists; our types (产业, 基础设施, 民生, 科技攻关) say what
 * for, not that, so the name tells it.  Expansion first: 改扩建 and
 * 扩能改造 enlarge an asset even though they say 改.
 */
static const struct {
	const char *word;
	const char *type;
} type_words[] = {
	{"扩建", "expansion"},   {"扩能", "expansion"},
	{"扩容", "expansion"},   {"升级", "expansion"},
	{"改造", "rehabilitation"}, {"修缮", "rehabilitation"},
	{"维修", "rehabilitation"}, {"迁建", "replacement"},
};

const char *oc4ids_type(const struct project *p)
{
	for (size_t k = 0; k < sizeof type_words / sizeof *type_words; k++)
		if (strstr(p->name, type_words[k].word))
			return type_words[k].type;
	/* A programme's works (老旧小区改造) renovate what stands. */
	if (p->programme && *p->programme)
		return "rehabilitation";
	return "construction";
}

/*
 * projectSector: words of the name first (a port is water transport
 * whatever its cluster), then the cluster's sector.  A subsector code
 * follows its parent, as the standard asks.
 */
static const struct {
	const char *word;
	const char *sector; /* "parent.sub" or "parent" */
} sector_words[] = {
	{"风电", "energy.wind"},      {"光伏", "energy.solar"},
	{"水电", "energy.hydropower"}, {"生物质", "energy.biomass"},
	{"电力", "energy"},            {"管道", "energy"},
	{"能源", "energy"},            {"大桥", "transport.road"},
	{"公路", "transport.road"},    {"街路", "transport.road"},
	{"环路", "transport.road"},    {"连接路", "transport.road"},
	{"滨河路", "transport.road"},  {"港", "transport.water"},
	{"航道", "transport.water"},   {"码头", "transport.water"},
	{"铁路", "transport.rail"},    {"机场", "transport.air"},
	{"公交", "transport.urban"},   {"学校", "education"},
	{"学院", "education"},         {"大学", "education"},
	{"小学", "education"},         {"中学", "education"},
	{"校区", "education"},         {"医院", "health"},
	{"医疗", "health"},            {"公园", "cultureSportsAndRecreation"},
	{"体育", "cultureSportsAndRecreation"},
	{"小区", "socialHousing"},     {"住房", "socialHousing"},
	{"污水", "waterAndWaste"},     {"供水", "waterAndWaste"},
	{"5G", "communications"},      {"通信", "communications"},
	{"市场", "economy"},           {"酒店", "economy"},
	{"商务", "economy"},           {"交易", "economy"},
};

static const struct {
	const char *cluster;
	const char *sector;
} sector_of_cluster[] = {
	{"new_energy", "energy"},
	{"corridor", "transport"},
	{"urban", "transport"},
	{"livelihood", "governance"},
};

static int add_sector(const char **out, int n, int cap, const char *z)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(out[k], z))
			return n;
	if (n < cap)
		out[n++] = z;
	return n;
}

/* The parent codes, each once, for the subsector codes. */
static const char *const parents[] = {"energy", "transport",
				      "naturalResources"};

int oc4ids_sectors(const struct project *p, const char **out, int cap)
{
	int n = 0;
	for (size_t k = 0; k < sizeof sector_words / sizeof *sector_words;
	     k++) {
		const char *s = sector_words[k].sector;
		if (!strstr(p->name, sector_words[k].word))
			continue;
		for (size_t j = 0; j < sizeof parents / sizeof *parents; j++) {
			size_t len = strlen(parents[j]);
			if (!strncmp(s, parents[j], len) && s[len] == '.')
				n = add_sector(out, n, cap, parents[j]);
		}
		n = add_sector(out, n, cap, s);
		break;
	}
	if (n)
		return n;
	for (size_t k = 0;
	     k < sizeof sector_of_cluster / sizeof *sector_of_cluster; k++)
		if (!strcmp(p->cluster, sector_of_cluster[k].cluster))
			return add_sector(out, n, cap,
					  sector_of_cluster[k].sector);
	/* The industry clusters, services and 揭榜挂帅: the economy. */
	return add_sector(out, n, cap, "economy");
}

/* ---- the package ------------------------------------------------------ */

/* China keeps one time zone; dates are days there. */
#define TZ "+08:00"

static json_t *day_start(const char *date)
{
	return json_sprintf("%sT00:00:00" TZ, date);
}

static json_t *day_end(const char *date)
{
	return json_sprintf("%sT23:59:59" TZ, date);
}

static json_t *money(double yi)
{
	return json_pack("{s:I,s:s}", "amount",
			 (json_int_t)llround(yi * OC4IDS_YUAN_PER_YI),
			 "currency", "CNY");
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return days[month - 1] + (month == 2 && leap);
}

/* {startDate, endDate} of month index m. */
static json_t *month_period(int m)
{
	int y = m / 12, mo = m % 12 + 1;
	return json_pack("{s:o,s:o}", "startDate",
			 json_sprintf("%04d-%02d-01T00:00:00" TZ, y, mo),
			 "endDate",
			 json_sprintf("%04d-%02d-%02dT23:59:59" TZ, y, mo,
				      days_in_month(y, mo)));
}

static json_t *percent_unit(void)
{
	return json_pack("{s:s,s:s,s:s}", "name", "percent", "id", "P1",
			 "scheme", "UNCEFACT");
}

static void set_opt(json_t *o, const char *key, const char *z)
{
	if (z && *z)
		json_object_set_new(o, key, json_string(z));
}

/* A measure as the standard's examples write it: "4.04". */
static json_t *measure(double v)
{
	return json_sprintf("%.2f", v);
}

/* Appends the metric id to a when it has observations (taken). */
static void add_metric(json_t *a, const char *id, const char *title,
		       const char *about, json_t *observations)
{
	if (!json_array_size(observations)) {
		json_decref(observations);
		return;
	}
	json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}", "id", id,
					   "title", title, "description",
					   about, "observations",
					   observations));
}

/*
 * The monthly reports as two metrics, as the standard's guidance for
 * implementation progress reports has them: financialProgress, one
 * observation a month with the investment completed that month as its
 * value (CNY) and, when the total investment is known, the share of it
 * completed to that month's end as its measure (percent); and
 * physicalProgress, the reported 形象进度.  Metrics rather than
 * transactions: a report is a progress figure, not a payment between
 * parties.
 */
static json_t *metrics(const struct project_book *b, const struct project *p,
		       int *sample)
{
	json_t *fin = json_array(), *phys = json_array();
	double sum = 0;
	char per[32];
	for (int k = 0; k < b->n_reports; k++) {
		const struct project_report *r = &b->reports[k];
		if (r->project_id != p->id)
			continue;
		struct period pm = period_from_month_index(r->month);
		period_format(&pm, per, sizeof per);
		*sample |= r->sample;
		sum += r->investment;
		json_t *o = json_pack("{s:s,s:o,s:o}", "id", per, "period",
				      month_period(r->month), "value",
				      money(r->investment));
		if (!isnan(p->total) && p->total > 0) {
			json_object_set_new(o, "measure",
					    measure(sum / p->total * 100));
			json_object_set_new(o, "unit", percent_unit());
		}
		if (r->sample || *r->note) {
			char note[512];
			snprintf(note, sizeof note, "%s%s%s",
				 r->sample ? "样例数据 sample data" : "",
				 r->sample && *r->note ? "；" : "", r->note);
			json_object_set_new(o, "notes", json_string(note));
		}
		json_array_append_new(fin, o);
		if (isnan(r->progress))
			continue;
		json_array_append_new(
			phys, json_pack("{s:s,s:o,s:o,s:o}", "id", per,
					"period", month_period(r->month),
					"measure", measure(r->progress), "unit",
					percent_unit()));
	}
	json_t *a = json_array();
	add_metric(a, "financialProgress", "财务进度 Financial progress",
		   "每月完成投资（元）及累计完成占总投资的百分比 investment "
		   "completed each month (CNY) and the share of the total "
		   "investment completed to the month's end (percent)",
		   fin);
	add_metric(a, "physicalProgress", "形象进度 Physical progress",
		   "月末形象进度（%） physical progress at the month's end "
		   "(percent)",
		   phys);
	return a;
}

/* The yearly plans (年度计划投资) as the budget's breakdown by period. */
static json_t *budget(const struct project_book *b, const struct project *p,
		      int *sample)
{
	json_t *o = json_object(), *bd = json_array();
	char id[16], about[64];
	if (!isnan(p->total))
		json_object_set_new(o, "amount", money(p->total));
	for (int k = 0; k < b->n_plans; k++) {
		const struct project_plan *pl = &b->plans[k];
		char d0[16], d1[16];
		if (pl->project_id != p->id)
			continue;
		*sample |= pl->sample;
		snprintf(id, sizeof id, "%d", pl->year);
		snprintf(about, sizeof about, "%d年计划投资%s", pl->year,
			 pl->sample ? "（样例数据）" : "");
		snprintf(d0, sizeof d0, "%d-01-01", pl->year);
		snprintf(d1, sizeof d1, "%d-12-31", pl->year);
		json_array_append_new(
			bd, json_pack("{s:s,s:s,s:o,s:{s:o,s:o}}", "id", id,
				      "description", about, "amount",
				      money(pl->amount), "period", "startDate",
				      day_start(d0), "endDate", day_end(d1)));
	}
	if (json_array_size(bd))
		json_object_set_new(o, "budgetBreakdown", bd);
	else
		json_decref(bd);
	return o;
}

static json_t *location(const struct catalog *cat, const struct project *p)
{
	int a = catalog_area_id(cat, p->area_id);
	const char *area = a < 0 ? "" : cat->areas[a].name;
	json_t *l = json_pack("{s:s,s:{s:s,s:s}}", "id", "1", "address",
			      "locality", area, "countryName", "中国");
	char about[512];
	snprintf(about, sizeof about, "%s%s%s", area,
		 *area && *p->address ? " " : "", p->address);
	set_opt(l, "description", about);
	set_opt(json_object_get(l, "address"), "streetAddress", p->address);
	/* GeoJSON order: longitude first. */
	if (!isnan(p->lon) && !isnan(p->lat))
		json_object_set_new(l, "geometry",
				    json_pack("{s:s,s:[f,f]}", "type", "Point",
					      "coordinates", p->lon, p->lat));
	return l;
}

/* The responsible department, as a party and as the public authority. */
static void authority(json_t *j, const struct catalog *cat,
		      const struct project *p)
{
	int d = p->department_id
			? catalog_department_id(cat, p->department_id)
			: -1;
	if (d < 0)
		return;
	const struct department *dp = &cat->depts[d];
	json_object_set_new(j, "parties",
			    json_pack("[{s:s,s:s,s:[s]}]", "id", dp->code,
				      "name", dp->name, "roles",
				      "publicAuthority"));
	json_object_set_new(j, "publicAuthority",
			    json_pack("{s:s,s:s}", "id", dp->code, "name",
				      dp->name));
}

static json_t *project(const struct project_book *b,
		       const struct catalog *cat, const struct project *p)
{
	const char *sectors[4];
	int ns = oc4ids_sectors(p, sectors, 4), sample = p->sample;
	char id[128], text[1024];
	snprintf(id, sizeof id, OC4IDS_PREFIX "%s", p->code);
	json_t *j = json_pack("{s:s,s:[{s:s,s:s}],s:s,s:s,s:s}", "id", id,
			      "identifiers", "id", p->code, "scheme",
			      "civstat", "title", p->name, "status",
			      oc4ids_status(p->phase), "type", oc4ids_type(p));
	json_t *sec = json_array();
	for (int k = 0; k < ns; k++)
		json_array_append_new(sec, json_string(sectors[k]));
	json_object_set_new(j, "sector", sec);
	snprintf(text, sizeof text, "产业集群 %s · 项目类型 %s",
		 project_cluster_zh(p->cluster), project_type_zh(p->type));
	json_object_set_new(j, "purpose", json_string(text));
	if (*p->planned_start || *p->planned_finish) {
		json_t *per = json_object();
		if (*p->planned_start)
			json_object_set_new(per, "startDate",
					    day_start(p->planned_start));
		if (*p->planned_finish)
			json_object_set_new(per, "endDate",
					    day_end(p->planned_finish));
		json_object_set_new(j, "period", per);
	}
	json_object_set_new(j, "budget", budget(b, p, &sample));
	authority(j, cat, p);
	json_object_set_new(j, "locations", json_pack("[o]", location(cat, p)));
	json_t *m = metrics(b, p, &sample);
	if (json_array_size(m))
		json_object_set_new(j, "metrics", m);
	else
		json_decref(m);
	if (p->phase >= PHASE_COMPLETED && *p->actual_finish)
		json_object_set_new(j, "completion",
				    json_pack("{s:o}", "endDate",
					      day_end(p->actual_finish)));
	/* The description says in words what sampleData says to programs:
	 * the project itself invented, or only its plans and reports. */
	snprintf(text, sizeof text, "%s（%s阶段）%s%s%s", p->name,
		 project_phase_zh(p->phase),
		 *p->issues ? "；需协调解决的问题：" : "", p->issues,
		 p->sample ? "。样例数据 sample data"
		 : sample  ? "。年度计划和月报为样例数据 plans and reports "
			     "are sample data"
			   : "");
	json_object_set_new(j, "description", json_string(text));
	json_object_set_new(j, "sampleData", json_boolean(sample));
	return j;
}

json_t *oc4ids_package(const struct project_book *b,
		       const struct catalog *cat, const int *sel, int n,
		       const struct oc4ids_meta *meta)
{
	json_t *projects = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(projects,
				      project(b, cat, &b->projects[sel[k]]));
	return json_pack("{s:s,s:s,s:{s:s},s:s,s:o}", "uri", meta->uri,
			 "publishedDate", meta->published, "publisher", "name",
			 meta->publisher, "version", OC4IDS_VERSION,
			 "projects", projects);
}

int oc4ids_write(const struct project_book *b, const struct catalog *cat,
		 const int *sel, int n, const char *uri, FILE *f)
{
	char now[32], publisher[256];
	time_t t = time(NULL);
	struct tm tm;
	if (!n)
		return cs_errorf(CS_ENOTFOUND, "no project to export: an OC4IDS "
				 "package holds one at least");
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* Made on demand, the package is dated, as the standard asks, by
	 * the last change of what it holds: the latest report or phase
	 * change (ISO 8601 UTC, so the greatest string is the latest). */
	const char *last = NULL;
	for (int k = 0; k < b->n_reports; k++)
		if (!last || strcmp(b->reports[k].at, last) > 0)
			last = b->reports[k].at;
	for (int k = 0; k < b->n_phases; k++)
		if (!last || strcmp(b->phases[k].at, last) > 0)
			last = b->phases[k].at;
	if (last && strlen(last) == 20 && last[10] == 'T' && last[19] == 'Z')
		snprintf(now, sizeof now, "%s", last);
	snprintf(publisher, sizeof publisher, "%s人民政府",
		 cat->n_areas ? cat->areas[0].name : "");
	struct oc4ids_meta meta = {uri, now, publisher};
	json_t *j = oc4ids_package(b, cat, sel, n, &meta);
	if (!j)
		return cs_errorf(CS_ENOMEM, "out of memory");
	int rc = json_dumpf(j, f, JSON_INDENT(1) | JSON_REAL_PRECISION(15))
			 ? cs_errorf(CS_EIO, "cannot write the export")
			 : CS_OK;
	json_decref(j);
	if (!rc)
		fputc('\n', f);
	return rc;
}
