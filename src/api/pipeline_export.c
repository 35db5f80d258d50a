/*
 * GET /api/v1/projects/export: the project table as a file to download —
 * an OC4IDS project package (the open standard for infrastructure
 * projects), CSV, or an .xlsx workbook — with the filters of GET
 * /projects, so that what a leader filtered on screen is what the file
 * holds.  The public may download it (政务公开): none of the formats
 * names who reported.
 */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/project.h"
#include "domain/project_oc4ids.h"
#include "domain/project_table.h"

enum export_format { EF_CSV, EF_OC4IDS, EF_XLSX, EF_N };

static const struct {
	const char *name, *ext, *type;
} formats[EF_N] = {
	[EF_CSV] = {"csv", "csv", "text/csv; charset=utf-8"},
	[EF_OC4IDS] = {"oc4ids", "json", "application/json; charset=utf-8"},
	[EF_XLSX] = {"xlsx", "xlsx", "application/vnd.openxmlformats-"
				     "officedocument.spreadsheetml.sheet"},
};

/* The filters of ?cluster ?area ?phase ?department ?q ?behind into f; -1
 * after answering 400 with the field. */
static int read_filter(struct req *r, const struct catalog *cat,
		       struct project_filter *f)
{
	const char *z;
	*f = (struct project_filter){.cluster = -1, .area = -1, .phase = -1};
	if ((z = api_arg(r, "cluster")) &&
	    (f->cluster = project_cluster_parse(z)) < 0)
		return api_error(r, CS_EINVAL, "cluster", "cluster: unknown "
				 "cluster \"%s\"", z), -1;
	if ((z = api_arg(r, "area")) &&
	    (f->area = catalog_area(cat, z, strlen(z))) < 0)
		return api_error(r, CS_EINVAL, "area", "area: unknown area "
				 "\"%s\"", z), -1;
	if ((z = api_arg(r, "phase")) && (f->phase = project_phase_parse(z)) < 0)
		return api_error(r, CS_EINVAL, "phase", "phase: \"%s\" is not "
				 "one of 谋划 签约 开工 在建 竣工 投产", z), -1;
	if ((z = api_arg(r, "department"))) {
		int d = catalog_department(cat, z, strlen(z));
		if (d < 0)
			return api_error(r, CS_EINVAL, "department",
					 "department: unknown department "
					 "\"%s\"", z), -1;
		f->department_id = cat->depts[d].id;
	}
	f->q = api_arg(r, "q");
	f->behind = (z = api_arg(r, "behind")) && strcmp(z, "0");
	return 0;
}

/* The package's URI: where it was fetched from, when the Host header is a
 * plain host name (it goes back only to who sent it). */
static void package_uri(struct req *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "http://%s/api/v1/projects/export?format=oc4ids",
		 api_host(r));
}

static int write_file(struct req *r, const struct catalog *cat,
		      const struct project_book *b, enum export_format ef,
		      const int *sel, int n, const struct project_when *w,
		      FILE *f)
{
	char uri[320];
	struct out_table t;
	int rc;
	switch (ef) {
	case EF_OC4IDS:
		package_uri(r, uri, sizeof uri);
		return oc4ids_write(b, cat, sel, n, uri, f);
	case EF_XLSX:
		return project_xlsx(b, cat, sel, n, w, f);
	default:
		project_table(b, cat, sel, n, w, &t);
		rc = out_print(&t, f, OUT_CSV, LANG_EN);
		out_release(&t);
		return rc;
	}
}

enum MHD_Result api_get_projects_export(struct req *r)
{
	const struct catalog *cat = &r->api->cs->cat;
	const char *z = api_arg(r, "format");
	struct project_filter flt;
	struct project_when w;
	struct project_book b;
	char day[11], *text = NULL;
	size_t size = 0;
	int ef = z ? -1 : EF_CSV, n, rc, *sel = NULL;
	for (int k = 0; z && k < EF_N; k++)
		if (!strcmp(z, formats[k].name))
			ef = k;
	if (ef < 0)
		return api_error(r, CS_EINVAL, "format", "format: \"%s\" is not "
				 "oc4ids, csv or xlsx", z);
	if (read_filter(r, cat, &flt))
		return MHD_YES;
	if ((rc = project_book_load(&b, r->api->cs->st)))
		return api_fail(r, rc);
	if (api_project_when(r, &b, day, &w)) {
		project_book_release(&b);
		return MHD_YES;
	}
	FILE *f = open_memstream(&text, &size);
	rc = f ? project_select(&b, cat, &flt, &w, &sel, &n)
	       : cs_errorf(CS_ENOMEM, "out of memory");
	if (!rc)
		rc = write_file(r, cat, &b, (enum export_format)ef, sel, n, &w,
				f);
	if (f && fclose(f) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	free(sel);
	project_book_release(&b);
	if (rc) {
		free(text);
		return rc == CS_ENOTFOUND ? api_error(r, rc, NULL, "%s",
						      cs_errmsg())
					  : api_fail(r, rc);
	}
	/* jz-projects-2025-11-29.xlsx: the day it was judged on. */
	char name[64];
	snprintf(name, sizeof name, "jz-projects-%s.%s", day, formats[ef].ext);
	r->attachment = name;
	enum MHD_Result ret = api_text(r, 200, formats[ef].type, text, size);
	r->attachment = NULL; /* name lives no longer than this call */
	return ret;
}
