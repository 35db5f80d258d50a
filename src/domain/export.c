/*
 * CSV export of each kind of record (see export.h).  Numbers are printed
 * with 17 significant digits so that they read back as the same doubles.
 */
#include "domain/export.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/num.h"
#include "core/period.h"
#include "domain/values.h"

static void field(FILE *f, const char *z, int last)
{
	csv_put(f, z);
	fputc(last ? '\n' : ',', f);
}

static void number(FILE *f, double v, int last)
{
	if (!isnan(v))
		fprintf(f, "%.17g", v);
	fputc(last ? '\n' : ',', f);
}

static void integer(FILE *f, long v, int last)
{
	fprintf(f, "%ld%c", v, last ? '\n' : ',');
}



static int export_values(const struct civstat *cs, FILE *f, int sdmx)
{
	int rc;
	const struct catalog *cat = &cs->cat;
	const struct cube *c = &cs->cube;
	char per[32];
	if (sdmx)
		fputs("STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,"
		      "TIME_PERIOD,OBS_VALUE,OBS_STATUS,VALUE_STATE,COMMENT\n",
		      f);
	else
		fputs("indicator,area,period,value,state,comment,sample\n", f);
	for (int i = 0; i < cat->n_inds; i++) {
		/* What is derived is not exported, so that what is exported
		 * imports back: formulas, and PROJ_INV, which the projects'
		 * reports feed (civstat project export carries them). */
		if (cat->formula[i] || value_fed_by(cat, i))
			continue;
		for (int a = 0; a < cat->n_areas; a++) {
			for (int m = c->month0; m < c->month0 + c->n_months;
			     m++) {
				double v = cube_own(c, i, a, m);
				if (isnan(v))
					continue;
				uint8_t fl = cube_flags(c, i, a, m);
				struct period p =
					period_ending(value_period_kind(&cat->inds[i]), m);
				period_format(&p, per, sizeof per);
				if (sdmx)
					fputs("dataflow,CIVSTAT:DF_INDICATORS(1.0),"
					      "I,", f);
				field(f, cat->inds[i].code, 0);
				field(f, cat->areas[a].code, 0);
				field(f, per, 0);
				number(f, v, 0);
				char *comment = NULL;
				if ((fl & VALUE_COMMENT) &&
				    (rc = cs->st->ops->get_comment(
					     cs->st, cat->inds[i].id,
					     cat->areas[a].id, m, &comment)))
					return rc;
				/* SDMX observation status: A normal, E
				 * estimated (our sample data). */
				if (sdmx)
					field(f, fl & VALUE_SAMPLE ? "E" : "A", 0);
				field(f, value_state_name(fl & VALUE_STATE_MASK),
				      0);
				field(f, comment ? comment : "", sdmx);
				free(comment);
				if (!sdmx)
					integer(f, !!(fl & VALUE_SAMPLE), 1);
			}
		}
	}
	return CS_OK;
}

struct target_ctx {
	const struct civstat *cs;
	FILE *f;
};

static int export_target(void *ctx, const struct target *t)
{
	struct target_ctx *x = ctx;
	int i = catalog_indicator_id(&x->cs->cat, t->indicator_id);
	int a = catalog_area_id(&x->cs->cat, t->area_id);
	if (i < 0 || a < 0)
		return CS_OK;
	field(x->f, x->cs->cat.inds[i].code, 0);
	field(x->f, x->cs->cat.areas[a].code, 0);
	integer(x->f, t->year, 0);
	number(x->f, t->value, 0);
	field(x->f, t->kind == TARGET_PLAN ? "plan" : "annual", 0);
	integer(x->f, t->sample, 1);
	return CS_OK;
}

static int export_benchmark(void *ctx, const struct benchmark *b)
{
	struct target_ctx *x = ctx;
	int i = catalog_indicator_id(&x->cs->cat, b->indicator_id);
	if (i < 0)
		return CS_OK;
	struct period p = period_ending((enum period_kind)b->kind, b->month);
	char per[32];
	period_format_zh(&p, per, sizeof per);
	field(x->f, x->cs->cat.inds[i].code, 0);
	field(x->f, b->group, 0);
	field(x->f, per, 0);
	number(x->f, b->value, 0);
	field(x->f, b->measure == MEASURE_GROWTH ? "growth" : "value", 0);
	integer(x->f, b->sample, 1);
	return CS_OK;
}

static int write_csv(const struct civstat *cs, enum import_kind kind, FILE *f)
{
	const struct catalog *cat = &cs->cat;
	struct target_ctx x = {cs, f};
	int rc = CS_OK;
	switch (kind) {
	case IMPORT_DEPARTMENTS:
		fputs("code,name,name_en\n", f);
		for (int k = 0; k < cat->n_depts; k++) {
			field(f, cat->depts[k].code, 0);
			field(f, cat->depts[k].name, 0);
			field(f, cat->depts[k].name_en, 1);
		}
		break;
	case IMPORT_AREAS:
		fputs("code,name,name_en,parent,kind\n", f);
		for (int k = 0; k < cat->n_areas; k++) {
			const struct area *a = &cat->areas[k];
			field(f, a->code, 0);
			field(f, a->name, 0);
			field(f, a->name_en, 0);
			field(f, cat->parent[k] >= 0
					 ? cat->areas[cat->parent[k]].code
					 : "",
			      0);
			field(f, a->kind == AREA_ZONE ? "zone" : "admin", 1);
		}
		break;
	case IMPORT_INDICATORS:
		fputs("code,name,name_en,unit,pillar,frequency,time_agg,"
		      "area_agg,direction,department,source,formula,decimals,"
		      "weight,min,max,part_of,max_jump,public\n", f);
		for (int k = 0; k < cat->n_inds; k++) {
			const struct indicator *d = &cat->inds[k];
			field(f, d->code, 0);
			field(f, d->name, 0);
			field(f, d->name_en, 0);
			field(f, d->unit, 0);
			field(f, pillar_name(d->pillar), 0);
			field(f, frequency_name(d->frequency), 0);
			field(f, time_agg_name(d->time_agg), 0);
			field(f, area_agg_name(d->area_agg), 0);
			field(f, d->direction == DIR_DOWN ? "down" : "up", 0);
			field(f, cat->ind_dept[k] >= 0
					 ? cat->depts[cat->ind_dept[k]].code
					 : "",
			      0);
			field(f, d->source, 0);
			field(f, d->formula, 0);
			integer(f, d->decimals, 0);
			number(f, d->weight, 0);
			number(f, d->min, 0);
			number(f, d->max, 0);
			field(f, d->part_of, 0);
			number(f, d->max_jump, 0);
			integer(f, d->published, 1);
		}
		break;
	case IMPORT_VALUES:
	case IMPORT_SDMX:
		rc = export_values(cs, f, kind == IMPORT_SDMX);
		break;
	case IMPORT_TARGETS:
		fputs("indicator,area,year,value,kind,sample\n", f);
		rc = cs->st->ops->scan_targets(cs->st, export_target, &x);
		break;
	case IMPORT_BENCHMARKS:
		fputs("indicator,group,period,value,measure,sample\n", f);
		rc = cs->st->ops->scan_benchmarks(cs->st, export_benchmark, &x);
		break;
	default:
		return cs_errorf(CS_EUSAGE, "nothing to export for that kind");
	}
	if (!rc && ferror(f))
		rc = cs_errorf(CS_EIO, "cannot write the export");
	return rc;
}

/* Rewrites the header line of the CSV text in buf with Chinese names. */
static int chinese_header(FILE *out, const char *buf, size_t len)
{
	const char *eol = memchr(buf, '\n', len);
	size_t hl = eol ? (size_t)(eol - buf) : len;
	char name[64];
	for (size_t k = 0; k < hl;) {
		size_t n = strcspn(buf + k, ",\n");
		if (n > hl - k)
			n = hl - k;
		snprintf(name, sizeof name, "%.*s", (int)n, buf + k);
		if (k)
			fputc(',', out);
		csv_put(out, import_column_zh(name));
		k += n + 1;
	}
	fwrite(buf + hl, 1, len - hl, out);
	return ferror(out) ? cs_errorf(CS_EIO, "cannot write the export")
			   : CS_OK;
}

/* Writes the n UTF-8 bytes at z to f in GB18030. */
static int write_gb18030(FILE *f, char *z, size_t n)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char buf[16384];
	int rc = CS_OK;
	if (cd == (iconv_t)-1)
		return cs_errorf(CS_EINTERNAL, "iconv cannot write GB18030");
	while (n && !rc) {
		char *o = buf;
		size_t left = sizeof buf;
		if (iconv(cd, &z, &n, &o, &left) == (size_t)-1 && errno != E2BIG)
			rc = cs_errorf(CS_EIO, "cannot write the export in "
				       "GB18030: %s", strerror(errno));
		fwrite(buf, 1, (size_t)(o - buf), f);
	}
	iconv_close(cd);
	if (!rc && ferror(f))
		rc = cs_errorf(CS_EIO, "cannot write the export");
	return rc;
}

/* Columns whose fields go into a workbook as numbers; the rest (codes
 * such as 210700 among them) stay text. */
static int numeric_column(const char *name)
{
	static const char *const names[] = {"value", "year", "decimals",
					    "weight", "min", "max",
					    "max_jump", "sample", "OBS_VALUE"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (!strcmp(name, names[k]))
			return 1;
	return 0;
}

/* Writes the CSV text at csv (n bytes) as an .xlsx workbook to f. */
static int write_xlsx(const char *csv, size_t n, enum import_kind kind,
		      FILE *f)
{
	char path[] = "/tmp/civstat-export-XXXXXX";
	int fd = mkstemp(path), rc = CS_OK;
	if (fd < 0)
		return cs_errorf(CS_EIO, "cannot make a workbook: %s",
				 strerror(errno));
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, import_kind_name(
								    kind))
			       : NULL;
	lxw_format *head = wb ? workbook_add_format(wb) : NULL;
	struct csv_reader rd;
	struct csv_field *fl;
	int nf, numeric[CSV_MAX_FIELDS] = {0};
	if (!ws || !head || csv_open_buf(&rd, "export", csv, n, CSV_ENC_UTF8)) {
		rc = cs_errorf(CS_ENOMEM, "cannot make a workbook");
		if (wb)
			workbook_close(wb);
		unlink(path);
		return rc;
	}
	format_set_bold(head);
	for (lxw_row_t row = 0; (nf = csv_next(&rd, &fl)) > 0; row++) {
		for (int k = 0; k < nf; k++) {
			char z[1024];
			double v;
			snprintf(z, sizeof z, "%.*s", (int)fl[k].n, fl[k].p);
			if (row == 0) {
				numeric[k] = numeric_column(z);
				worksheet_write_string(ws, 0, (lxw_col_t)k,
						       import_column_zh(z), head);
			} else if (numeric[k] && fl[k].n &&
				   !num_parse_double(fl[k].p, fl[k].n, &v)) {
				worksheet_write_number(ws, row, (lxw_col_t)k, v,
						       NULL);
			} else if (fl[k].n) {
				worksheet_write_string(ws, row, (lxw_col_t)k, z,
						       NULL);
			}
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	csv_release(&rd);
	if (workbook_close(wb) != LXW_NO_ERROR)
		rc = cs_errorf(CS_EIO, "cannot write the workbook");
	FILE *in = rc ? NULL : fopen(path, "rb");
	char buf[65536];
	size_t got;
	while (in && (got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, f) != got)
			rc = cs_errorf(CS_EIO, "cannot write the export");
	if (in)
		fclose(in);
	unlink(path);
	return rc;
}

int export_csv(const struct civstat *cs, enum import_kind kind, FILE *f,
	       int flags)
{
	if (!(flags & (EXPORT_EXCEL | EXPORT_XLSX)))
		return write_csv(cs, kind, f);
	char *text = NULL, *zh = NULL;
	size_t n = 0, nzh = 0;
	FILE *m = open_memstream(&text, &n);
	if (!m)
		return cs_errorf(CS_ENOMEM, "out of memory");
	int rc = write_csv(cs, kind, m);
	if (fclose(m) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (flags & EXPORT_XLSX) {
		if (!rc)
			rc = write_xlsx(text, n, kind, f);
		free(text);
		return rc;
	}
	FILE *h = rc ? NULL : open_memstream(&zh, &nzh);
	if (!rc && !h)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (h) {
		rc = chinese_header(h, text, n);
		if (fclose(h) && !rc)
			rc = cs_errorf(CS_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = write_gb18030(f, zh, nzh);
	free(text);
	free(zh);
	return rc;
}
