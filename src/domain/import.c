/*
 * The importer (see import.h).  Each file is read whole and checked row by
 * row; catalog files are written as they are read, figures are gathered
 * first and written a series at a time, and everything happens in one
 * transaction that is rolled back at the first sign of trouble, so a bad
 * file never leaves half of itself behind.
 */
#include "domain/import.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analytics/formula.h"
#include "core/err.h"
#include "core/num.h"
#include "core/period.h"
#include "domain/audit.h"
#include "domain/values.h"

/* The fields a file may have, across all kinds. */
enum field {
	F_ID, F_CODE, F_NAME, F_NAME_EN, F_PARENT, F_PARENT_ID, F_LEVEL, F_KIND,
	F_UNIT, F_PILLAR, F_FREQUENCY, F_TIME_AGG, F_AREA_AGG, F_AGG,
	F_DIRECTION, F_DEPARTMENT, F_SOURCE, F_FORMULA, F_DECIMALS, F_WEIGHT,
	F_INDICATOR, F_INDICATOR_ID, F_AREA, F_AREA_ID, F_PERIOD, F_VALUE,
	F_STATE, F_COMMENT, F_SAMPLE, F_YEAR, F_GROUP, F_MEASURE,
	F_STRUCTURE, F_STRUCTURE_ID, F_ACTION, F_OBS_STATUS,
	F_MIN, F_MAX, F_PART_OF, F_MAX_JUMP, F_PUBLISHED,
	F_N
};

/* Column names: English, Chinese, and other accepted spellings. */
static const struct column {
	const char *en, *zh, *alt, *alt_zh;
} columns[F_N] = {
	[F_ID] = {"id", "编号", NULL},
	[F_CODE] = {"code", "代码", NULL},
	[F_NAME] = {"name", "名称", NULL},
	[F_NAME_EN] = {"name_en", "英文名称", NULL},
	[F_PARENT] = {"parent", "上级代码", NULL},
	[F_PARENT_ID] = {"parent_id", "上级编号", NULL},
	[F_LEVEL] = {"level", "层级", NULL},
	[F_KIND] = {"kind", "类型", NULL},
	[F_UNIT] = {"unit", "计量单位", "单位"},
	[F_PILLAR] = {"pillar", "支柱", NULL},
	[F_FREQUENCY] = {"frequency", "频率", NULL},
	[F_TIME_AGG] = {"time_agg", "时间汇总", NULL},
	[F_AREA_AGG] = {"area_agg", "区域汇总", NULL},
	[F_AGG] = {"agg", "汇总", NULL},
	[F_DIRECTION] = {"direction", "方向", NULL},
	[F_DEPARTMENT] = {"department", "责任单位", NULL},
	[F_SOURCE] = {"source", "来源", NULL},
	[F_FORMULA] = {"formula", "公式", NULL},
	[F_DECIMALS] = {"decimals", "小数位", NULL},
	[F_WEIGHT] = {"weight", "权重", NULL},
	[F_INDICATOR] = {"indicator", "指标代码", "指标"},
	[F_INDICATOR_ID] = {"indicator_id", "指标编号", NULL},
	[F_AREA] = {"area", "地区代码", "地区"},
	[F_AREA_ID] = {"unit_id", "地区编号", "area_id"},
	[F_PERIOD] = {"period", "时期", "时间"},
	[F_VALUE] = {"value", "数值", "target", "目标值"},
	[F_STATE] = {"state", "状态", NULL},
	[F_COMMENT] = {"comment", "备注", NULL},
	[F_SAMPLE] = {"sample", "样例", NULL},
	[F_YEAR] = {"year", "年度", "年份"},
	[F_GROUP] = {"group", "对标组", NULL},
	[F_MEASURE] = {"measure", "口径", NULL},
	[F_STRUCTURE] = {"structure", NULL, NULL},
	[F_STRUCTURE_ID] = {"structure_id", NULL, NULL},
	[F_ACTION] = {"action", NULL, NULL},
	[F_OBS_STATUS] = {"obs_status", NULL, NULL},
	[F_MIN] = {"min", "下限", NULL},
	[F_MAX] = {"max", "上限", NULL},
	[F_PART_OF] = {"part_of", "不大于", NULL},
	[F_MAX_JUMP] = {"max_jump", "最大波动%", "max_jump_pct"},
	[F_PUBLISHED] = {"public", "公开", "published"},
};

#define BIT(f) (1ull << (f))

/* Per kind: which fields it may have and which it must have.  An id
 * column may stand for a code column (F_AREA_ID for F_AREA ...). */
static const struct kind_spec {
	const char *name;
	unsigned long long allowed, required;
} kinds[IMPORT_NKINDS] = {
	[IMPORT_DEPARTMENTS] = {"departments",
				BIT(F_ID) | BIT(F_CODE) | BIT(F_NAME) |
					BIT(F_NAME_EN),
				BIT(F_CODE) | BIT(F_NAME)},
	[IMPORT_AREAS] = {"areas",
			  BIT(F_ID) | BIT(F_CODE) | BIT(F_NAME) |
				  BIT(F_NAME_EN) | BIT(F_PARENT) |
				  BIT(F_PARENT_ID) | BIT(F_LEVEL) | BIT(F_KIND),
			  BIT(F_CODE) | BIT(F_NAME)},
	[IMPORT_INDICATORS] = {"indicators",
			       BIT(F_ID) | BIT(F_CODE) | BIT(F_NAME) |
				       BIT(F_NAME_EN) | BIT(F_UNIT) |
				       BIT(F_PILLAR) | BIT(F_FREQUENCY) |
				       BIT(F_TIME_AGG) | BIT(F_AREA_AGG) |
				       BIT(F_AGG) | BIT(F_DIRECTION) |
				       BIT(F_DEPARTMENT) | BIT(F_SOURCE) |
				       BIT(F_FORMULA) | BIT(F_DECIMALS) |
				       BIT(F_WEIGHT) | BIT(F_MIN) |
				       BIT(F_MAX) | BIT(F_PART_OF) |
				       BIT(F_MAX_JUMP) | BIT(F_PUBLISHED),
			       BIT(F_CODE) | BIT(F_NAME) | BIT(F_PILLAR)},
	[IMPORT_VALUES] = {"values",
			   BIT(F_INDICATOR) | BIT(F_INDICATOR_ID) |
				   BIT(F_AREA) | BIT(F_AREA_ID) |
				   BIT(F_PERIOD) | BIT(F_VALUE) |
				   BIT(F_STATE) | BIT(F_COMMENT) |
				   BIT(F_SAMPLE),
			   BIT(F_INDICATOR) | BIT(F_AREA) | BIT(F_PERIOD) |
				   BIT(F_VALUE)},
	[IMPORT_TARGETS] = {"targets",
			    BIT(F_INDICATOR) | BIT(F_INDICATOR_ID) |
				    BIT(F_AREA) | BIT(F_AREA_ID) |
				    BIT(F_YEAR) | BIT(F_VALUE) | BIT(F_KIND) |
				    BIT(F_SAMPLE),
			    BIT(F_INDICATOR) | BIT(F_AREA) | BIT(F_YEAR) |
				    BIT(F_VALUE)},
	[IMPORT_BENCHMARKS] = {"benchmarks",
			       BIT(F_INDICATOR) | BIT(F_INDICATOR_ID) |
				       BIT(F_GROUP) | BIT(F_PERIOD) |
				       BIT(F_VALUE) | BIT(F_MEASURE) |
				       BIT(F_SAMPLE),
			       BIT(F_INDICATOR) | BIT(F_GROUP) |
				       BIT(F_PERIOD) | BIT(F_VALUE)},
	[IMPORT_SDMX] = {"sdmx",
			 BIT(F_STRUCTURE) | BIT(F_STRUCTURE_ID) |
				 BIT(F_ACTION) | BIT(F_INDICATOR) |
				 BIT(F_AREA) | BIT(F_PERIOD) | BIT(F_VALUE) |
				 BIT(F_OBS_STATUS) | BIT(F_STATE) |
				 BIT(F_COMMENT),
			 BIT(F_INDICATOR) | BIT(F_AREA) | BIT(F_PERIOD) |
				 BIT(F_VALUE)},
};

/* SDMX column names, mapped onto our fields. */
static const struct {
	const char *name;
	enum field f;
} sdmx_columns[] = {
	{"STRUCTURE", F_STRUCTURE}, {"STRUCTURE_ID", F_STRUCTURE_ID},
	{"ACTION", F_ACTION},       {"INDICATOR", F_INDICATOR},
	{"REF_AREA", F_AREA},       {"TIME_PERIOD", F_PERIOD},
	{"OBS_VALUE", F_VALUE},     {"OBS_STATUS", F_OBS_STATUS},
	{"VALUE_STATE", F_STATE},   {"COMMENT", F_COMMENT},
};

/* One figure read, waiting to be stored. */
struct pending {
	int32_t ind;    /* indicator index */
	int32_t area;   /* area index */
	uint32_t month; /* month index, flags in the top byte */
	uint32_t line;  /* where it was read: file number << LINE_BITS | line */
	double value;   /* NaN: remove the figure (SDMX action D) */
};


#define MONTH_BITS 0xffffffu
#define LINE_BITS 28 /* the file number (in reading order) above */
#define LINE_MASK ((1u << LINE_BITS) - 1)
#define FLAGS_SHIFT 24

struct note {
	int ind, area, month;
	char *text;
};

struct importer {
	struct civstat *cs;
	const struct import_opts *o;
	struct import_report *r;
	const char *file;   /* the file being read */
	const char *const *files; /* all files, and the order they are read in */
	const int *order;
	int file_no;        /* the file being read, in reading order */
	int col[F_N];       /* column of each field, -1 if absent */
	struct csv_field *row;
	int nrow;
	long line;
	struct pending *pend;
	size_t n_pend, cap_pend;
	struct note *notes;
	size_t n_notes, cap_notes;
	int *area_by_id, n_area_by_id; /* dense id -> index for bulk files */
	int *ind_by_id, n_ind_by_id;
	int catalog_changed;
	int cube_changed;   /* targets or benchmarks put in the cube */
	long change_id;
	/* Streaming (large figures files): figures go to the store as they
	 * are read, the changed ones to a temporary file for the cube. */
	int streaming;      /* this import streams its figures files */
	int duplicate;      /* a figure came twice: report it the long way */
	struct months *seen; /* per series, the months read */
	size_t n_seen;
	FILE *spill;
	size_t n_spilled;
	int lo_month, hi_month;
	int feeding;        /* the project feed's own figures (value_feeding) */
};

const char *import_column_zh(const char *en)
{
	for (int f = 0; f < F_N; f++)
		if (!strcmp(columns[f].en, en) && columns[f].zh)
			return columns[f].zh;
	return en;
}

const char *import_kind_name(enum import_kind k)
{
	return k > 0 && k < IMPORT_NKINDS ? kinds[k].name : "detect";
}

int import_kind_parse(const char *z)
{
	for (int k = 1; k < IMPORT_NKINDS; k++)
		if (!strcmp(z, kinds[k].name))
			return k;
	if (!strcmp(z, "units"))
		return IMPORT_AREAS;
	return -1;
}

/* Records an error of the input; the first IMPORT_MAX_ERRORS are kept. */
__attribute__((format(printf, 3, 4))) static void
bad(struct importer *im, enum field f, const char *fmt, ...)
{
	struct import_report *r = im->r;
	r->n_errors++;
	if (r->n_shown >= IMPORT_MAX_ERRORS)
		return;
	char msg[512], where[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (f < F_N && im->col[f] >= 0)
		snprintf(where, sizeof where, "%s:%ld:%d: column \"%s\"",
			 im->file, im->line, im->col[f] + 1, columns[f].en);
	else
		snprintf(where, sizeof where, "%s:%ld", im->file, im->line);
	size_t n = strlen(where) + strlen(msg) + 3;
	char *e = malloc(n);
	if (e) {
		snprintf(e, n, "%s: %s", where, msg);
		r->errors[r->n_shown++] = e;
	}
}

/* Records an error whose message already names the file (the CSV
 * reader's). */
static void bad_raw(struct importer *im, const char *msg)
{
	struct import_report *r = im->r;
	r->n_errors++;
	if (r->n_shown < IMPORT_MAX_ERRORS &&
	    (r->errors[r->n_shown] = strdup(msg)))
		r->n_shown++;
}

/* The field f of the current row; empty when the file has no such column
 * or the row is short. */
static struct csv_field get(const struct importer *im, enum field f)
{
	int c = im->col[f];
	struct csv_field none = {"", 0};
	if (c < 0 || c >= im->nrow)
		return none;
	struct csv_field x = im->row[c];
	while (x.n && (*x.p == ' ' || *x.p == '\t')) {
		x.p++;
		x.n--;
	}
	while (x.n && (x.p[x.n - 1] == ' ' || x.p[x.n - 1] == '\t'))
		x.n--;
	return x;
}

/* A NUL-terminated copy of field f in buf of cap bytes; NULL if longer. */
static const char *text(const struct importer *im, enum field f, char *buf,
			size_t cap)
{
	struct csv_field x = get(im, f);
	if (x.n >= cap)
		return NULL;
	memcpy(buf, x.p, x.n);
	buf[x.n] = 0;
	return buf;
}

/* Shows at most 40 bytes of a field in a message, cut at a character. */
static int shown(const struct csv_field *x)
{
	int n = x->n > 40 ? 40 : (int)x->n;
	while (n > 0 && n < (int)x->n && ((unsigned char)x->p[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static int match_name(const struct csv_field *h, const char *name)
{
	if (!name || strlen(name) != h->n)
		return 0;
	for (size_t i = 0; i < h->n; i++) {
		char a = h->p[i], b = name[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

/* Nonzero when header field h is one of the names of field f. */
static int names_column(const struct csv_field *h, int f)
{
	return match_name(h, columns[f].en) || match_name(h, columns[f].zh) ||
	       match_name(h, columns[f].alt) ||
	       match_name(h, columns[f].alt_zh);
}

/* The kind a file holds, from its header (and name when unclear). */
static enum import_kind detect(const char *file, struct csv_field *h, int n)
{
	unsigned long long have = 0;
	for (int k = 0; k < n; k++) {
		if (match_name(&h[k], "structure"))
			return IMPORT_SDMX;
		for (int f = 0; f < F_N; f++)
			if (names_column(&h[k], f))
				have |= BIT(f);
	}
	if (have & BIT(F_PILLAR))
		return IMPORT_INDICATORS;
	if (have & BIT(F_GROUP))
		return IMPORT_BENCHMARKS;
	if (have & BIT(F_YEAR))
		return IMPORT_TARGETS;
	if (have & BIT(F_PERIOD))
		return IMPORT_VALUES;
	if (have & (BIT(F_PARENT) | BIT(F_PARENT_ID) | BIT(F_LEVEL)))
		return IMPORT_AREAS;
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (!strncmp(base, "depart", 6) || !strncmp(base, "dept", 4))
		return IMPORT_DEPARTMENTS;
	if (!strncmp(base, "area", 4) || !strncmp(base, "unit", 4))
		return IMPORT_AREAS;
	return IMPORT_DETECT;
}

/* Maps the header's columns to fields; errors name unknown, repeated and
 * missing columns. */
static int map_header(struct importer *im, enum import_kind kind,
		      struct csv_field *h, int n)
{
	const struct kind_spec *spec = &kinds[kind];
	unsigned long long have = 0;
	long errors = im->r->n_errors;
	for (int f = 0; f < F_N; f++)
		im->col[f] = -1;
	for (int k = 0; k < n; k++) {
		int f = -1;
		if (kind == IMPORT_SDMX) {
			for (size_t j = 0;
			     j < sizeof sdmx_columns / sizeof *sdmx_columns;
			     j++)
				if (h[k].n == strlen(sdmx_columns[j].name) &&
				    !memcmp(h[k].p, sdmx_columns[j].name,
					    h[k].n))
					f = (int)sdmx_columns[j].f;
		} else {
			for (int g = 0; g < F_N && f < 0; g++)
				if ((spec->allowed & BIT(g)) &&
				    names_column(&h[k], g))
					f = g;
		}
		char msg[512];
		if (f < 0) {
			snprintf(msg, sizeof msg, "%s:%ld:%d: unknown column "
				 "\"%.*s\"", im->file, im->line, k + 1,
				 shown(&h[k]), h[k].p);
			bad_raw(im, msg);
			continue;
		}
		if (have & BIT(f)) {
			snprintf(msg, sizeof msg, "%s:%ld:%d: column \"%.*s\" "
				 "repeats column %d", im->file, im->line,
				 k + 1, shown(&h[k]), h[k].p, im->col[f] + 1);
			bad_raw(im, msg);
			continue;
		}
		have |= BIT(f);
		im->col[f] = k;
	}
	/* An id column stands in for the code column it names. */
	if (have & BIT(F_INDICATOR_ID))
		have |= BIT(F_INDICATOR);
	if (have & BIT(F_AREA_ID))
		have |= BIT(F_AREA);
	for (int f = 0; f < F_N; f++)
		if ((spec->required & BIT(f)) && !(have & BIT(f)))
			bad(im, F_N, "missing column \"%s\" (%s)",
			    columns[f].en, columns[f].zh ? columns[f].zh : "");
	if ((have & BIT(F_INDICATOR)) && (have & BIT(F_INDICATOR_ID)) &&
	    im->col[F_INDICATOR] >= 0 && im->col[F_INDICATOR_ID] >= 0)
		bad(im, F_N, "both \"indicator\" and \"indicator_id\" given");
	return im->r->n_errors > errors ? CS_EINVAL : CS_OK;
}

/* Builds a dense id -> index table over n records of size sz at base,
 * whose int id is at offset off. */
static int dense_ids(int **pt, int *pn, int n, const void *base, size_t sz,
		     size_t off)
{
	int max = 0;
	for (int k = 0; k < n; k++) {
		int id;
		memcpy(&id, (const char *)base + (size_t)k * sz + off, sizeof id);
		if (id > max)
			max = id;
	}
	if (max > 1 << 24)
		max = 1 << 24; /* larger ids go through the hash */
	free(*pt);
	*pt = malloc((size_t)(max + 1) * sizeof **pt);
	if (!*pt)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*pn = max + 1;
	for (int k = 0; k <= max; k++)
		(*pt)[k] = -1;
	for (int k = 0; k < n; k++) {
		int id;
		memcpy(&id, (const char *)base + (size_t)k * sz + off, sizeof id);
		if (id >= 0 && id <= max)
			(*pt)[id] = k;
	}
	return CS_OK;
}

/* Resolves the area of the row: by code, or by id when the file uses
 * ids.  Returns the index, or -1 after recording an error. */
static int row_area(struct importer *im)
{
	const struct catalog *cat = &im->cs->cat;
	if (im->col[F_AREA_ID] >= 0) {
		struct csv_field x = get(im, F_AREA_ID);
		long id;
		int a = -1;
		if (!num_parse_int(x.p, x.n, 1, 2147483647, &id))
			a = id < im->n_area_by_id ? im->area_by_id[id]
						  : catalog_area_id(cat, (int)id);
		if (a < 0)
			bad(im, F_AREA_ID, "unknown area id \"%.*s\"",
			    shown(&x), x.p);
		return a;
	}
	struct csv_field x = get(im, F_AREA);
	int a = catalog_area(cat, x.p, x.n);
	if (a < 0)
		bad(im, F_AREA, "unknown area \"%.*s\"", shown(&x), x.p);
	return a;
}

static int row_indicator(struct importer *im)
{
	const struct catalog *cat = &im->cs->cat;
	if (im->col[F_INDICATOR_ID] >= 0) {
		struct csv_field x = get(im, F_INDICATOR_ID);
		long id;
		int i = -1;
		if (!num_parse_int(x.p, x.n, 1, 2147483647, &id))
			i = id < im->n_ind_by_id
				    ? im->ind_by_id[id]
				    : catalog_indicator_id(cat, (int)id);
		if (i < 0)
			bad(im, F_INDICATOR_ID, "unknown indicator id \"%.*s\"",
			    shown(&x), x.p);
		return i;
	}
	struct csv_field x = get(im, F_INDICATOR);
	int i = catalog_indicator(cat, x.p, x.n);
	if (i < 0)
		bad(im, F_INDICATOR, "unknown indicator \"%.*s\"", shown(&x),
		    x.p);
	return i;
}

/* Parses a period field; the fast path takes the YYYYMM of bulk files. */
static int row_period(struct importer *im, struct period *p)
{
	struct csv_field x = get(im, F_PERIOD);
	if (x.n == 6) {
		int ok = 1, v = 0;
		for (int k = 0; k < 6; k++) {
			ok &= x.p[k] >= '0' && x.p[k] <= '9';
			v = v * 10 + (x.p[k] - '0');
		}
		if (ok && v % 100 >= 1 && v % 100 <= 12 &&
		    v / 100 >= PERIOD_MIN_YEAR) {
			*p = period_month(v / 100, v % 100);
			return 0;
		}
	}
	if (period_parse(x.p, x.n, p)) {
		bad(im, F_PERIOD, "bad period \"%.*s\" (2025-03, 2025-Q3, "
				  "2025, 2025年3月 ...)",
		    shown(&x), x.p);
		return -1;
	}
	return 0;
}

/* Checks that period p is one the indicator is reported at. */
static int period_fits(struct importer *im, int i, const struct period *p)
{
	const struct indicator *ind = &im->cs->cat.inds[i];
	if (p->kind == value_period_kind(ind))
		return 0;
	struct csv_field x = get(im, F_PERIOD);
	bad(im, F_PERIOD, "period \"%.*s\" does not fit indicator %s, which "
			  "is reported %s",
	    shown(&x), x.p, ind->code, value_frequency_name_zh(ind->frequency));
	return -1;
}

static int parse_flag(struct importer *im, enum field f, int *out)
{
	struct csv_field x = get(im, f);
	*out = 0;
	if (!x.n || (x.n == 1 && x.p[0] == '0'))
		return 0;
	if (x.n == 1 && x.p[0] == '1') {
		*out = 1;
		return 0;
	}
	bad(im, f, "\"%.*s\" is not 0 or 1", shown(&x), x.p);
	return -1;
}

/* Looks the field up in a list of names; index, or -1 after an error. */
static int parse_enum(struct importer *im, enum field f,
		      const char *const *names, int n, int dflt)
{
	struct csv_field x = get(im, f);
	if (!x.n)
		return dflt;
	for (int k = 0; k < n; k++)
		if (names[k] && strlen(names[k]) == x.n &&
		    !memcmp(names[k], x.p, x.n))
			return k % (n / 2);
	char list[256] = "";
	for (int k = 0; k < n / 2; k++)
		snprintf(list + strlen(list), sizeof list - strlen(list),
			 "%s%s", k ? ", " : "", names[k]);
	bad(im, f, "\"%.*s\" is not one of %s", shown(&x), x.p, list);
	return -1;
}

static int add_pending(struct importer *im, int i, int a, int m,
		       uint8_t flags, double v)
{
	if (im->n_pend == im->cap_pend) {
		size_t cap = im->cap_pend ? 2 * im->cap_pend : 4096;
		struct pending *p = realloc(im->pend, cap * sizeof *p);
		if (!p)
			return cs_errorf(CS_ENOMEM, "out of memory");
		im->pend = p;
		im->cap_pend = cap;
	}
	im->pend[im->n_pend++] = (struct pending){
		.ind = i,
		.area = a,
		.month = (uint32_t)m | (uint32_t)flags << FLAGS_SHIFT,
		.line = (uint32_t)im->file_no << LINE_BITS |
			((uint32_t)im->line & LINE_MASK),
		.value = v,
	};
	return CS_OK;
}

static int add_note(struct importer *im, int i, int a, int m)
{
	struct csv_field x = get(im, F_COMMENT);
	if (im->n_notes == im->cap_notes) {
		size_t cap = im->cap_notes ? 2 * im->cap_notes : 64;
		struct note *p = realloc(im->notes, cap * sizeof *p);
		if (!p)
			return cs_errorf(CS_ENOMEM, "out of memory");
		im->notes = p;
		im->cap_notes = cap;
	}
	char *t = strndup(x.p, x.n);
	if (!t)
		return cs_errorf(CS_ENOMEM, "out of memory");
	im->notes[im->n_notes++] = (struct note){i, a, m, t};
	return CS_OK;
}

/* One row of a figures file (ours or SDMX-CSV). */
static int values_row(struct importer *im, int sdmx)
{
	int i = row_indicator(im), a = row_area(im), st = VALUE_APPROVED;
	int sample = 0, remove = 0;
	struct period p;
	double v = NAN;
	if (row_period(im, &p) || i < 0 || a < 0)
		return CS_OK;
	if (im->cs->cat.formula[i]) {
		bad(im, F_INDICATOR, "indicator %s is derived from a formula "
				     "and has no figures of its own",
		    im->cs->cat.inds[i].code);
		return CS_OK;
	}
	const char *fed = im->feeding ? NULL : value_fed_by(&im->cs->cat, i);
	if (fed) {
		bad(im, F_INDICATOR, "%s", fed);
		return CS_OK;
	}
	if (period_fits(im, i, &p))
		return CS_OK;
	if (sdmx) {
		struct csv_field act = get(im, F_ACTION);
		remove = act.n == 1 && (act.p[0] == 'D' || act.p[0] == 'd');
		if (act.n && !remove && !(act.n == 1 && strchr("IiAaRrMm",
							       act.p[0]))) {
			bad(im, F_ACTION, "\"%.*s\" is not I, D, A, M or R",
			    shown(&act), act.p);
			return CS_OK;
		}
		/* OBS_STATUS E (estimated) is how civstat marks sample data. */
		struct csv_field os = get(im, F_OBS_STATUS);
		sample = os.n == 1 && os.p[0] == 'E';
	} else if (parse_flag(im, F_SAMPLE, &sample)) {
		return CS_OK;
	}
	if ((st = parse_enum(im, F_STATE, value_state_names, 2 * VALUE_NSTATES,
			      VALUE_APPROVED)) < 0)
		return CS_OK;
	struct csv_field x = get(im, F_VALUE);
	if (!remove) {
		if (!x.n) {
			im->r->skipped++;
			return CS_OK;
		}
		if (num_parse_double(x.p, x.n, &v)) {
			bad(im, F_VALUE, "\"%.*s\" is not a number", shown(&x),
			    x.p);
			return CS_OK;
		}
	}
	int m = period_last_month(&p);
	uint8_t flags = (uint8_t)(st | (sample ? VALUE_SAMPLE : 0));
	if (get(im, F_COMMENT).n) {
		flags |= VALUE_COMMENT;
		if (add_note(im, i, a, m))
			return CS_ENOMEM;
	}
	return add_pending(im, i, a, m, flags, v);
}

static int cmp_pending(const void *x, const void *y)
{
	const struct pending *a = x, *b = y;
	if (a->ind != b->ind)
		return a->ind < b->ind ? -1 : 1;
	if (a->area != b->area)
		return a->area < b->area ? -1 : 1;
	uint32_t ma = a->month & MONTH_BITS, mb = b->month & MONTH_BITS;
	if (ma != mb)
		return ma < mb ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* Nonzero when every series' figures are together, months ascending, as
 * bulk files are (by area, then indicator, or the other way round). */
static int grouped(const struct pending *p, size_t n)
{
	for (size_t k = 1; k < n; k++) {
		const struct pending *a = &p[k - 1], *b = &p[k];
		if (a->ind == b->ind && a->area == b->area) {
			if ((a->month & MONTH_BITS) >= (b->month & MONTH_BITS))
				return 0;
		}
	}
	return 1;
}

/*
 * Writes the n figures at run, all of one series and no month twice, into
 * the store, and records in the history each figure that had another
 * value before.  The flags stored are written back into the figures, so
 * that the cube gets what the store holds; with spill, the figures that
 * changed are also appended to it, for the cube after the commit.  again:
 * this import wrote the series before.
 */
static int merge_series(struct importer *im, struct pending *run, size_t n,
			FILE *spill, int again)
{
	struct civstat *cs = im->cs;
	struct store *st = cs->st;
	const struct catalog *cat = &cs->cat;
	int i = run[0].ind, a = run[0].area;
	int lo = (int)(run[0].month & MONTH_BITS), hi = lo, rc;
	for (size_t j = 1; j < n; j++) {
		int m = (int)(run[j].month & MONTH_BITS);
		lo = m < lo ? m : lo;
		hi = m > hi ? m : hi;
	}
	struct series s = {0};
	size_t si = (size_t)i * (size_t)cat->n_areas + (size_t)a;
	if (cs->cube.stored[si] || again) {
		rc = st->ops->get_series(st, cat->inds[i].id, cat->areas[a].id,
					 &s);
		if (rc == CS_ENOTFOUND)
			rc = series_init(&s, cat->inds[i].id, cat->areas[a].id,
					 lo, 0);
	} else {
		rc = series_init(&s, cat->inds[i].id, cat->areas[a].id, lo, 0);
	}
	if (rc || (rc = series_cover(&s, lo, hi)))
		goto out;
	int changed = 0;
	for (size_t j = 0; j < n; j++) {
		struct pending *p = &run[j];
		int m = (int)(p->month & MONTH_BITS);
		uint8_t fl = (uint8_t)(p->month >> FLAGS_SHIFT);
		int slot = m - s.first_month;
		double old = s.value[slot];
		uint8_t ofl = s.flags[slot];
		/* A row without a comment keeps the stored one. */
		if (!isnan(old))
			fl |= ofl & VALUE_COMMENT;
		p->month = (p->month & MONTH_BITS) | (uint32_t)fl << FLAGS_SHIFT;
		if ((isnan(old) && isnan(p->value)) ||
		    (old == p->value && ofl == fl)) {
			im->r->unchanged++;
			continue;
		}
		if (isnan(old)) {
			im->r->added++;
		} else {
			im->r->changed++;
			struct value_change c = {
				.change_id = im->change_id,
				.prev_change = s.change[slot],
				.before = old,
				.after = p->value,
				.state_before = ofl & VALUE_STATE_MASK,
				.state_after = fl & VALUE_STATE_MASK,
			};
			if ((rc = st->ops->add_history(st, s.indicator_id,
						       s.area_id, m, &c)))
				goto out;
		}
		if (spill && fwrite(p, sizeof *p, 1, spill) != 1) {
			rc = cs_errorf(CS_EIO, "cannot write a temporary file");
			goto out;
		}
		im->n_spilled += spill != NULL;
		s.value[slot] = p->value;
		s.flags[slot] = isnan(p->value) ? 0 : fl;
		s.change[slot] = (uint32_t)im->change_id;
		changed = 1;
	}
	if (changed)
		rc = st->ops->put_series(st, &s);
out:
	series_release(&s);
	return rc;
}

/* Writes the figures' comments. */
static int store_notes(struct importer *im)
{
	struct store *st = im->cs->st;
	const struct catalog *cat = &im->cs->cat;
	int rc;
	for (size_t k = 0; k < im->n_notes; k++) {
		const struct note *n = &im->notes[k];
		if ((rc = st->ops->put_comment(st, cat->inds[n->ind].id,
					       cat->areas[n->area].id, n->month,
					       n->text)))
			return rc;
	}
	return CS_OK;
}

/*
 * Writes the pending figures, a series at a time.  Series must be
 * contiguous; a series that appears twice (not contiguous) was caught as
 * a duplicate by the caller.
 */
static int store_values(struct importer *im)
{
	int rc;
	for (size_t k = 0; k < im->n_pend;) {
		size_t e = k + 1;
		while (e < im->n_pend && im->pend[e].ind == im->pend[k].ind &&
		       im->pend[e].area == im->pend[k].area)
			e++;
		if ((rc = merge_series(im, &im->pend[k], e - k, NULL, 0)))
			return rc;
		k = e;
	}
	return CS_OK;
}

/* Sorts the pending figures when needed and reports duplicates. */
static void check_duplicates(struct importer *im)
{
	if (!grouped(im->pend, im->n_pend))
		qsort(im->pend, im->n_pend, sizeof *im->pend, cmp_pending);
	/* With series contiguous, a duplicate is either adjacent or a
	 * series that comes back after another: find both with a mark per
	 * series. */
	const struct catalog *cat = &im->cs->cat;
	size_t nseries = (size_t)cat->n_inds * (size_t)cat->n_areas;
	uint8_t *seen = calloc(nseries ? nseries : 1, 1);
	int resort = 0;
	for (size_t k = 0; seen && k < im->n_pend; k++) {
		const struct pending *p = &im->pend[k];
		size_t si = (size_t)p->ind * (size_t)cat->n_areas +
			    (size_t)p->area;
		int first = k == 0 || im->pend[k - 1].ind != p->ind ||
			    im->pend[k - 1].area != p->area;
		if (first && seen[si])
			resort = 1;
		seen[si] = 1;
	}
	free(seen);
	if (resort)
		qsort(im->pend, im->n_pend, sizeof *im->pend, cmp_pending);
	for (size_t k = 1; k < im->n_pend; k++) {
		const struct pending *a = &im->pend[k - 1], *b = &im->pend[k];
		if (a->ind == b->ind && a->area == b->area &&
		    (a->month & MONTH_BITS) == (b->month & MONTH_BITS)) {
			char per[32];
			struct period p = period_from_month_index(
				(int)(b->month & MONTH_BITS));
			period_format(&p, per, sizeof per);
			int fa = (int)(a->line >> LINE_BITS);
			int fb = (int)(b->line >> LINE_BITS);
			im->file = im->files[im->order[fb]];
			im->line = b->line & LINE_MASK;
			bad(im, F_N, "duplicate figure for %s, %s, %s "
				     "(first at %s:%u)",
			    cat->inds[b->ind].code, cat->areas[b->area].code, per,
			    im->files[im->order[fa]], a->line & LINE_MASK);
		}
	}
}

/* Reads a code field into buf: letters, digits, '_', '-', '.'. */
static const char *row_code(struct importer *im, enum field f, char *buf,
			    size_t cap, int required)
{
	struct csv_field x = get(im, f);
	buf[0] = 0;
	if (!x.n) {
		if (required)
			bad(im, f, "empty");
		return required ? NULL : buf;
	}
	for (size_t k = 0; k < x.n; k++) {
		char ch = x.p[k];
		if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'z') &&
		    !(ch >= 'A' && ch <= 'Z') && ch != '_' && ch != '-' &&
		    ch != '.') {
			bad(im, f, "\"%.*s\" is not a code (letters, digits, "
				   "_ - .)",
			    shown(&x), x.p);
			return NULL;
		}
	}
	if (x.n >= cap) {
		bad(im, f, "longer than %zu bytes", cap - 1);
		return NULL;
	}
	return text(im, f, buf, cap);
}

static const char *row_text(struct importer *im, enum field f, char *buf,
			    size_t cap, int required)
{
	const char *z = text(im, f, buf, cap);
	if (!z)
		bad(im, f, "longer than %zu bytes", cap - 1);
	else if (required && !*z) {
		bad(im, f, "empty");
		z = NULL;
	}
	return z;
}

static int row_id(struct importer *im, enum field f, int *id)
{
	struct csv_field x = get(im, f);
	long v;
	*id = 0;
	if (!x.n)
		return 0;
	if (num_parse_int(x.p, x.n, 1, 2147483647, &v)) {
		bad(im, f, "\"%.*s\" is not a positive whole number", shown(&x),
		    x.p);
		return -1;
	}
	*id = (int)v;
	return 0;
}

/* Reports a code that an earlier row of the file already had. */
static int repeated(struct importer *im, struct strmap *seen, enum field f,
		    const char *code)
{
	int first = strmap_get(seen, code, strlen(code));
	if (first >= 0) {
		bad(im, f, "\"%s\" repeats line %d", code, first);
		return 1;
	}
	return strmap_put(seen, code, (int)im->line) ? -1 : 0;
}

static int departments_row(struct importer *im, struct strmap *seen)
{
	char code[64], name[256], name_en[256];
	struct department d = {0};
	const char *c = row_code(im, F_CODE, code, sizeof code, 1);
	const char *n = row_text(im, F_NAME, name, sizeof name, 1);
	const char *e = row_text(im, F_NAME_EN, name_en, sizeof name_en, 0);
	if (row_id(im, F_ID, &d.id) || !c || !n || !e || repeated(im, seen,
								  F_CODE, c))
		return CS_OK;
	d.code = code;
	d.name = name;
	d.name_en = name_en;
	if (im->r->n_errors)
		return CS_OK;
	return im->cs->st->ops->put_department(im->cs->st, &d);
}

/*
 * One area.  ids remembers this file's areas for their children: code ->
 * id, and "#id" -> line.  Levels are worked out by the catalog from the
 * tree, so moving an area moves everything below it.
 */
static int areas_row(struct importer *im, struct strmap *seen,
		     struct strmap *ids)
{
	static const char *const kind_names[] = {"admin", "zone", "行政区",
						 "功能区"};
	const struct catalog *cat = &im->cs->cat;
	char code[64], name[256], name_en[256], parent[64], key[16];
	struct area a = {.level = 1};
	const char *c = row_code(im, F_CODE, code, sizeof code, 1);
	const char *n = row_text(im, F_NAME, name, sizeof name, 1);
	const char *e = row_text(im, F_NAME_EN, name_en, sizeof name_en, 0);
	const char *p = row_code(im, F_PARENT, parent, sizeof parent, 0);
	a.kind = parse_enum(im, F_KIND, kind_names, 4, AREA_ADMIN);
	if (row_id(im, F_ID, &a.id) || row_id(im, F_PARENT_ID, &a.parent_id) ||
	    !c || !n || !e || !p || a.kind < 0 || repeated(im, seen, F_CODE, c))
		return CS_OK;
	int self = catalog_area(cat, c, strlen(c));
	if (a.id) {
		int other = catalog_area_id(cat, a.id);
		snprintf(key, sizeof key, "#%d", a.id);
		if ((other >= 0 && other != self) ||
		    strmap_get(ids, key, strlen(key)) >= 0) {
			bad(im, F_ID, "id %d is taken by another area", a.id);
			return CS_OK;
		}
		if (self >= 0 && cat->areas[self].id != a.id) {
			bad(im, F_ID, "area %s has id %d, not %d", c,
			    cat->areas[self].id, a.id);
			return CS_OK;
		}
	}
	/* The parent: by code or by id, from this file or the catalog. */
	int known = 1, k = -1;
	if (*p) {
		k = catalog_area(cat, p, strlen(p));
		int id = strmap_get(ids, p, strlen(p));
		known = id >= 0 || k >= 0;
		a.parent_id = id >= 0 ? id : k >= 0 ? cat->areas[k].id : 0;
	} else if (a.parent_id) {
		snprintf(key, sizeof key, "#%d", a.parent_id);
		k = catalog_area_id(cat, a.parent_id);
		known = k >= 0 || strmap_get(ids, key, strlen(key)) >= 0;
	}
	if (!known) {
		snprintf(key, sizeof key, "%d", a.parent_id);
		bad(im, *p ? F_PARENT : F_PARENT_ID,
		    "unknown parent \"%s\" (list parents before their "
		    "children)",
		    *p ? p : key);
		return CS_OK;
	}
	if (self >= 0 && k >= 0 && catalog_area_within(cat, k, self)) {
		bad(im, *p ? F_PARENT : F_PARENT_ID,
		    "%s is inside %s: an area cannot be inside itself",
		    cat->areas[k].code, c);
		return CS_OK;
	}
	if (k >= 0)
		a.level = cat->areas[k].level + 1;
	if (im->r->n_errors)
		return CS_OK;
	a.code = code;
	a.name = name;
	a.name_en = name_en;
	int rc = im->cs->st->ops->put_area(im->cs->st, &a);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "#%d", a.id);
	if (strmap_put(ids, code, a.id) || strmap_put(ids, key, (int)im->line))
		return CS_ENOMEM;
	return CS_OK;
}

static const char *const freq_names[] = {"month", "quarter", "year",
					 "月度", "季度", "年度"};
static const char *const time_agg_names[] = {"sum", "last", "avg",
					     "累计", "期末", "平均"};
static const char *const area_agg_names[] = {"sum", "avg", "none",
					     "求和", "平均", "不汇总"};
static const char *const dir_names[] = {"up", "down", "正向", "逆向"};
static const char *const agg_names[] = {"sum", "avg", "求和", "平均"};

/* Formulas wait until the whole file is read: they may name indicators
 * further down. */
struct formula_check {
	long line;
	char *code;
	struct formula *f;     /* NULL when only part_of is to check */
	char *part_of;         /* the whole named by part_of, or NULL */
};

/* An optional number: NaN when empty, -1 after an error. */
static int opt_number(struct importer *im, enum field f, double *out)
{
	struct csv_field x = get(im, f);
	*out = NAN;
	if (!x.n)
		return 0;
	if (!num_parse_double(x.p, x.n, out))
		return 0;
	bad(im, f, "\"%.*s\" is not a number", shown(&x), x.p);
	return -1;
}

static int indicators_row(struct importer *im, struct strmap *seen,
			  struct formula_check **fc, size_t *nfc)
{
	const struct catalog *cat = &im->cs->cat;
	char code[64], name[256], name_en[256], unit[64], dept[64];
	char source[512], formula[FORMULA_MAX_LEN + 1], part_of[64];
	struct indicator d = {.weight = NAN, .decimals = 2};
	const char *c = row_code(im, F_CODE, code, sizeof code, 1);
	const char *n = row_text(im, F_NAME, name, sizeof name, 1);
	const char *e = row_text(im, F_NAME_EN, name_en, sizeof name_en, 0);
	const char *u = row_text(im, F_UNIT, unit, sizeof unit, 0);
	const char *dp = row_code(im, F_DEPARTMENT, dept, sizeof dept, 0);
	const char *s = row_text(im, F_SOURCE, source, sizeof source, 0);
	const char *fm = row_text(im, F_FORMULA, formula, sizeof formula, 0);
	const char *po = row_code(im, F_PART_OF, part_of, sizeof part_of, 0);
	int bad_numbers = opt_number(im, F_WEIGHT, &d.weight) |
			  opt_number(im, F_MIN, &d.min) |
			  opt_number(im, F_MAX, &d.max) |
			  opt_number(im, F_MAX_JUMP, &d.max_jump);
	if (d.weight < 0 || d.max_jump <= 0) {
		bad(im, d.weight < 0 ? F_WEIGHT : F_MAX_JUMP, "must be above 0");
		bad_numbers = -1;
	}
	if (d.min > d.max) {
		bad(im, F_MIN, "above the upper bound %g", d.max);
		bad_numbers = -1;
	}
	struct csv_field x = get(im, F_PILLAR);
	d.pillar = pillar_parse(x.p, x.n);
	if (d.pillar < 0)
		bad(im, F_PILLAR, "\"%.*s\" is not stable, vital, excellent "
				  "(稳, 活, 优)",
		    shown(&x), x.p);
	d.frequency = parse_enum(im, F_FREQUENCY, freq_names, 6, FREQ_MONTH);
	d.time_agg = parse_enum(im, F_TIME_AGG, time_agg_names, 6, TIME_SUM);
	d.area_agg = parse_enum(im, F_AREA_AGG, area_agg_names, 6, AREA_SUM);
	d.direction = parse_enum(im, F_DIRECTION, dir_names, 4, DIR_UP);
	int agg = parse_enum(im, F_AGG, agg_names, 4, -2);
	if (agg >= 0) {
		d.time_agg = agg ? TIME_AVG : TIME_SUM;
		d.area_agg = agg ? AREA_AVG : AREA_SUM;
	}
	long dec = 2;
	struct csv_field xd = get(im, F_DECIMALS);
	if (xd.n && num_parse_int(xd.p, xd.n, 0, 9, &dec))
		bad(im, F_DECIMALS, "\"%.*s\" is not a whole number 0-9",
		    shown(&xd), xd.p);
	d.decimals = (int)dec;
	/* Without a word in the file, an indicator stays as shown as it
	 * was, and a new one is public: a file from before the column
	 * neither hides nor shows anything anew. */
	int known = c ? catalog_indicator(cat, c, strlen(c)) : -1;
	d.published = known >= 0 ? cat->inds[known].published : 1;
	if (get(im, F_PUBLISHED).n &&
	    parse_flag(im, F_PUBLISHED, &d.published))
		bad_numbers = -1;
	if (row_id(im, F_ID, &d.id) || !c || !n || !e || !u || !dp || !s ||
	    !fm || !po || bad_numbers || d.pillar < 0 || d.frequency < 0 ||
	    d.time_agg < 0 || d.area_agg < 0 || d.direction < 0 || agg == -1 ||
	    repeated(im, seen, F_CODE, c))
		return CS_OK;
	if (*dp) {
		int k = catalog_department(cat, dp, strlen(dp));
		if (k < 0) {
			bad(im, F_DEPARTMENT, "unknown department \"%s\"", dp);
			return CS_OK;
		}
		d.department_id = cat->depts[k].id;
	}
	if (*fm || *po) {
		struct formula *f = NULL;
		if (*fm && formula_parse(fm, strlen(fm), &f)) {
			bad(im, F_FORMULA, "%s", cs_errmsg());
			return CS_OK;
		}
		struct formula_check *g = realloc(*fc, (*nfc + 1) * sizeof **fc);
		if (!g) {
			formula_free(f);
			return CS_ENOMEM;
		}
		*fc = g;
		g[*nfc] = (struct formula_check){im->line, strdup(c), f,
						 *po ? strdup(po) : NULL};
		(*nfc)++;
	}
	if (im->r->n_errors)
		return CS_OK;
	d.code = code;
	d.name = name;
	d.name_en = name_en;
	d.unit = unit;
	d.source = source;
	d.formula = formula;
	d.part_of = part_of;
	return im->cs->st->ops->put_indicator(im->cs->st, &d);
}

/* Checks that formulas name known indicators and form no cycle; run after
 * the catalog was reloaded with the file's indicators. */
static int known_indicator(const struct catalog *cat, const struct strmap *seen,
			   const char *code)
{
	return catalog_indicator(cat, code, strlen(code)) >= 0 ||
	       strmap_get(seen, code, strlen(code)) >= 0;
}

/*
 * Checks that formulas and part_of name indicators of the catalog or of
 * this file (seen), and, once the file is in the catalog (reloaded), that
 * no formula depends on itself.
 */
static void check_formulas(struct importer *im, struct formula_check *fc,
			   size_t n, const struct strmap *seen, int reloaded)
{
	const struct catalog *cat = &im->cs->cat;
	for (size_t k = 0; k < n; k++) {
		im->line = fc[k].line;
		const char *po = fc[k].part_of;
		if (po && !known_indicator(cat, seen, po))
			bad(im, F_PART_OF, "unknown indicator \"%s\"", po);
		else if (po && !strcmp(po, fc[k].code))
			bad(im, F_PART_OF, "an indicator is not a part of "
					   "itself");
		for (int j = 0; fc[k].f && j < formula_nrefs(fc[k].f); j++) {
			const char *ref = formula_ref(fc[k].f, j);
			if (!known_indicator(cat, seen, ref))
				bad(im, F_FORMULA, "unknown indicator \"%s\"",
				    ref);
			else if (!strcmp(ref, fc[k].code))
				bad(im, F_FORMULA, "refers to itself");
		}
	}
	/* Cycles through several formulas: follow refs at most n_inds deep. */
	for (int i = 0; reloaded && i < cat->n_inds; i++) {
		if (!cat->formula[i])
			continue;
		int depth = 0, cur = i, found = 0;
		/* Depth-first over the first ref chain is not enough; walk all
		 * refs with an explicit stack. */
		int *stack = malloc((size_t)cat->n_inds * 64 * sizeof *stack);
		int top = 0;
		if (!stack)
			return;
		stack[top++] = cur;
		while (top && !found && depth++ < cat->n_inds * 64) {
			int x = stack[--top];
			const struct formula *f = cat->formula[x];
			for (int j = 0; f && j < formula_nrefs(f); j++) {
				const char *ref = formula_ref(f, j);
				int y = catalog_indicator(cat, ref, strlen(ref));
				if (y == i)
					found = 1;
				else if (y >= 0 && cat->formula[y] &&
					 top < cat->n_inds * 64)
					stack[top++] = y;
			}
		}
		free(stack);
		if (found) {
			im->line = 0;
			for (size_t k = 0; k < n; k++)
				if (!strcmp(fc[k].code, cat->inds[i].code))
					im->line = fc[k].line;
			bad(im, F_FORMULA, "the formula of %s depends on itself",
			    cat->inds[i].code);
		}
	}
}

static const char *const target_kind_names[] = {"annual", "plan", "年度",
						"规划"};

static int targets_row(struct importer *im)
{
	int i = row_indicator(im), a = row_area(im), sample;
	int kind = parse_enum(im, F_KIND, target_kind_names, 4, TARGET_ANNUAL);
	struct csv_field y = get(im, F_YEAR), x = get(im, F_VALUE);
	long year;
	double v;
	if (num_parse_int(y.p, y.n, PERIOD_MIN_YEAR, PERIOD_MAX_YEAR, &year)) {
		bad(im, F_YEAR, "\"%.*s\" is not a year", shown(&y), y.p);
		return CS_OK;
	}
	if (num_parse_double(x.p, x.n, &v)) {
		bad(im, F_VALUE, "\"%.*s\" is not a number", shown(&x), x.p);
		return CS_OK;
	}
	if (parse_flag(im, F_SAMPLE, &sample) || i < 0 || a < 0 || kind < 0 ||
	    im->r->n_errors)
		return CS_OK;
	const struct catalog *cat = &im->cs->cat;
	struct target t = {cat->inds[i].id, cat->areas[a].id, (int)year, kind,
			   v, sample};
	int rc = im->cs->st->ops->put_target(im->cs->st, &t);
	if (!rc) {
		im->cube_changed = 1;
		rc = cube_set_target(&im->cs->cube, i, a, (int)year, kind, v);
	}
	return rc;
}

static const char *const measure_names[] = {"value", "growth", "数值",
					    "增速"};

static int benchmarks_row(struct importer *im)
{
	char group[128];
	int i = row_indicator(im), sample;
	int measure = parse_enum(im, F_MEASURE, measure_names, 4,
				 MEASURE_VALUE);
	const char *g = row_text(im, F_GROUP, group, sizeof group, 1);
	struct csv_field x = get(im, F_VALUE);
	struct period p;
	double v;
	if (row_period(im, &p))
		return CS_OK;
	if (num_parse_double(x.p, x.n, &v)) {
		bad(im, F_VALUE, "\"%.*s\" is not a number", shown(&x), x.p);
		return CS_OK;
	}
	if (parse_flag(im, F_SAMPLE, &sample) || i < 0 || !g || measure < 0 ||
	    im->r->n_errors)
		return CS_OK;
	struct benchmark b = {im->cs->cat.inds[i].id, group,
			      period_last_month(&p), (int)p.kind, measure, v,
			      sample};
	int rc = im->cs->st->ops->put_benchmark(im->cs->st, &b);
	if (rc)
		return rc;
	im->cube_changed = 1;
	int gi = catalog_group_add(&im->cs->cat, group);
	if (gi < 0)
		return cs_errorf(CS_ENOMEM, "out of memory");
	return cube_set_benchmark(&im->cs->cube, i, gi, b.month, b.kind,
				  measure, v);
}

/* ---- streaming large figures files ---------------------------------- */

/*
 * A large figures file is read by two threads, each a half, handing the
 * figures over a chunk at a time to the importing thread, which checks
 * them for duplicates and merges them into the store at once, within the
 * import's transaction.  Only a few chunks exist, and the file's pages
 * are given back as they are read: memory stays flat however large the
 * file.  The figures that changed go to a temporary file, and reach the
 * cube from there once the transaction commits.
 */
#define STREAM_MIN (16u << 20) /* figures bytes from which an import streams */
#define CHUNK 32768             /* figures in a chunk */
#define NCHUNKS 6               /* chunks in all */
#define DROP_EVERY (8u << 20)   /* bytes read between giving pages back */

/* The months of a series read so far: bits from month lo, a multiple of
 * 64, for n words. */
struct months {
	int lo, n;
	uint64_t *bits;
};

struct chunk {
	struct pending p[CHUNK];
	size_t n;
};

struct stream {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk *free[NCHUNKS], *full[NCHUNKS];
	int n_free, n_full;
	int readers;  /* threads still reading */
	int stop;     /* the importing thread gave up: stop reading */
};

/* One part of a figures file, read by a thread of its own. */
struct part {
	struct importer im;     /* a copy: own report and notes */
	struct import_report r;
	struct csv_reader rd;
	const struct csv_reader *whole;
	struct stream *s;
	long rows;
	int sdmx;
	int rc;
};

/* Marks month m of series si as read; 1 when it was already, 0 when not,
 * -1 when out of memory. */
static int mark_month(struct importer *im, size_t si, int m)
{
	struct months *ms = &im->seen[si];
	if (!ms->n || m < ms->lo || m >= ms->lo + 64 * ms->n) {
		int lo = ms->n && ms->lo < m ? ms->lo : m & ~63;
		int hi = ms->n && ms->lo + 64 * ms->n > m ? ms->lo + 64 * ms->n
							  : (m & ~63) + 64;
		int n = (hi - lo) / 64;
		uint64_t *bits = calloc((size_t)n, sizeof *bits);
		if (!bits)
			return -1;
		if (ms->n)
			memcpy(bits + (ms->lo - lo) / 64, ms->bits,
			       (size_t)ms->n * sizeof *bits);
		free(ms->bits);
		ms->bits = bits;
		ms->lo = lo;
		ms->n = n;
	}
	int k = m - ms->lo;
	uint64_t bit = UINT64_C(1) << (k % 64);
	if (ms->bits[k / 64] & bit)
		return 1;
	ms->bits[k / 64] |= bit;
	return 0;
}

/* Checks and merges a chunk's figures, a run of one series at a time. */
static int merge_chunk(struct importer *im, struct chunk *c)
{
	const struct catalog *cat = &im->cs->cat;
	int rc;
	for (size_t k = 0; k < c->n;) {
		struct pending *p = &c->p[k];
		size_t si = (size_t)p->ind * (size_t)cat->n_areas +
			    (size_t)p->area;
		int again = im->seen[si].n > 0, dup = 0;
		size_t e = k;
		for (; e < c->n && c->p[e].ind == p->ind &&
		       c->p[e].area == p->area;
		     e++) {
			int m = (int)(c->p[e].month & MONTH_BITS);
			if ((dup = mark_month(im, si, m)))
				break;
			im->lo_month = m < im->lo_month ? m : im->lo_month;
			im->hi_month = m > im->hi_month ? m : im->hi_month;
		}
		if (dup < 0)
			return cs_errorf(CS_ENOMEM, "out of memory");
		if (dup) {
			/* Reported by the long way, with both lines. */
			im->duplicate = 1;
			return CS_ECONFLICT;
		}
		if ((rc = merge_series(im, p, e - k, im->spill, again)))
			return rc;
		k = e;
	}
	return CS_OK;
}

/* A free chunk to fill, or NULL when reading must stop. */
static struct chunk *take_free(struct stream *s)
{
	struct chunk *c = NULL;
	pthread_mutex_lock(&s->mu);
	while (!s->n_free && !s->stop)
		pthread_cond_wait(&s->cv, &s->mu);
	if (!s->stop)
		c = s->free[--s->n_free];
	pthread_mutex_unlock(&s->mu);
	return c;
}

static void put_full(struct stream *s, struct chunk *c)
{
	pthread_mutex_lock(&s->mu);
	s->full[s->n_full++] = c;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* A filled chunk to merge, or NULL when all is read. */
static struct chunk *take_full(struct stream *s)
{
	struct chunk *c = NULL;
	pthread_mutex_lock(&s->mu);
	while (!s->n_full && s->readers)
		pthread_cond_wait(&s->cv, &s->mu);
	if (s->n_full)
		c = s->full[--s->n_full];
	pthread_mutex_unlock(&s->mu);
	return c;
}

static void put_free(struct stream *s, struct chunk *c)
{
	c->n = 0;
	pthread_mutex_lock(&s->mu);
	s->free[s->n_free++] = c;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void *read_part(void *arg)
{
	struct part *p = arg;
	struct stream *s = p->s;
	struct chunk *c = NULL;
	struct csv_field *f;
	size_t dropped = 0, base = (size_t)(p->rd.data - p->whole->data);
	int n = 0;
	for (;;) {
		if (!c && !(c = take_free(s)))
			break;
		/* values_row adds at most one figure: there is room. */
		p->im.pend = c->p;
		p->im.n_pend = c->n;
		p->im.cap_pend = CHUNK;
		if ((n = csv_next(&p->rd, &f)) <= 0)
			break;
		p->im.row = f;
		p->im.nrow = n;
		p->im.line = p->rd.line;
		p->rows++;
		if ((p->rc = values_row(&p->im, p->sdmx)) ||
		    p->r.n_errors > 100000)
			break;
		c->n = p->im.n_pend;
		if (c->n == CHUNK) {
			put_full(s, c);
			c = NULL;
		}
		if (p->rd.pos - dropped >= DROP_EVERY) {
			csv_drop(p->whole, base + dropped, base + p->rd.pos);
			dropped = p->rd.pos;
		}
	}
	if (n < 0)
		bad_raw(&p->im, cs_errmsg());
	if (c)
		put_full(s, c);
	p->im.pend = NULL;
	p->im.n_pend = p->im.cap_pend = 0;
	pthread_mutex_lock(&s->mu);
	s->readers--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Appends n records of size sz at src to the array *dst of *ndst. */
static int append(void *dst, size_t *ndst, size_t *cap, const void *src,
		  size_t n, size_t sz)
{
	if (!n)
		return CS_OK;
	if (*ndst + n > *cap) {
		void *p = realloc(*(void **)dst, (*ndst + n) * sz);
		if (!p)
			return cs_errorf(CS_ENOMEM, "out of memory");
		*(void **)dst = p;
		*cap = *ndst + n;
	}
	memcpy((char *)*(void **)dst + *ndst * sz, src, n * sz);
	*ndst += n;
	return CS_OK;
}

/* Counts the bytes c in [a, b) of rd's text, giving the pages back as
 * it goes; for a quote, only whether there is one. */
static long scan(const struct csv_reader *rd, const char *a, const char *b,
		 char c)
{
	long n = 0;
	while (a < b) {
		const char *w = (size_t)(b - a) > DROP_EVERY ? a + DROP_EVERY : b;
		for (const char *q = a; (q = memchr(q, c, (size_t)(w - q)));
		     q++) {
			n++;
			if (c == '"')
				break;
		}
		csv_drop(rd, (size_t)(a - rd->data), (size_t)(w - rd->data));
		if (n && c == '"')
			return n;
		a = w;
	}
	return n;
}

/*
 * Reads the records of a figures file (rd is past the header) and merges
 * them as they come: in two halves on two threads when the file is large
 * and has no quotes (so that a half starts at a record), else on one.
 * Errors, notes and counts are put together in file order, as one reader
 * would have found them.
 */
static int stream_file(struct importer *im, struct csv_reader *rd, int sdmx,
		       long *rows)
{
	struct part part[2];
	struct chunk *chunks = calloc(NCHUNKS, sizeof *chunks);
	struct stream s = {.n_free = NCHUNKS};
	const char *start = rd->data + rd->pos, *end = rd->data + rd->len;
	const char *mid = end;
	long line = rd->next_line;
	int rc = CS_OK, nparts = 1;
	pthread_t tid[2];
	int started[2] = {0, 0};

	if (!chunks)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((size_t)(end - start) >= STREAM_MIN &&
	    !scan(rd, start, end, '"')) {
		const char *nl = memchr(start + (end - start) / 2, '\n',
					(size_t)(end - start) / 2);
		mid = nl ? nl + 1 : end;
		nparts = mid < end ? 2 : 1;
	}
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	for (int k = 0; k < NCHUNKS; k++)
		s.free[k] = &chunks[k];
	memset(part, 0, sizeof part);
	for (int k = 0; k < nparts; k++) {
		const char *a = k ? mid : start, *b = k ? end : mid;
		struct part *p = &part[k];
		p->im = *im;
		p->im.r = &p->r;
		p->im.notes = NULL;
		p->im.n_notes = p->im.cap_notes = 0;
		p->whole = rd;
		p->s = &s;
		p->sdmx = sdmx;
		csv_slice(&p->rd, rd, (size_t)(a - rd->data),
			  (size_t)(b - rd->data), line);
		line += scan(rd, a, b, '\n');
	}
	s.readers = nparts;
	for (int k = 0; k < nparts; k++)
		started[k] = !pthread_create(&tid[k], NULL, read_part, &part[k]);
	for (int k = 0; k < nparts; k++)
		if (!started[k])
			read_part(&part[k]); /* no thread: here, at once */
	for (struct chunk *c; (c = take_full(&s));) {
		if (!rc && (rc = merge_chunk(im, c))) {
			pthread_mutex_lock(&s.mu);
			s.stop = 1;
			pthread_cond_broadcast(&s.cv);
			pthread_mutex_unlock(&s.mu);
		}
		put_free(&s, c);
	}
	for (int k = 0; k < nparts; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
	csv_drop(rd, (size_t)(start - rd->data), rd->len);
	for (int k = 0; k < nparts; k++) {
		struct part *p = &part[k];
		if (!rc)
			rc = p->rc;
		if (!rc)
			rc = append(&im->notes, &im->n_notes, &im->cap_notes,
				    p->im.notes, p->im.n_notes,
				    sizeof *im->notes);
		else
			for (size_t j = 0; j < p->im.n_notes; j++)
				free(p->im.notes[j].text);
		free(p->im.notes);
		for (int j = 0; j < p->r.n_shown; j++) {
			if (im->r->n_shown < IMPORT_MAX_ERRORS)
				im->r->errors[im->r->n_shown++] = p->r.errors[j];
			else
				free(p->r.errors[j]);
		}
		im->r->n_errors += p->r.n_errors;
		im->r->skipped += p->r.skipped;
		*rows += p->rows;
		csv_release(&p->rd);
	}
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.cv);
	free(chunks);
	return rc;
}

/*
 * Brings the cube up to stored figures, after the commit: one delta at a
 * time for a few, or, for many, the figures put in place and the touched
 * indicators' aggregates built again at the end, which is quicker than
 * millions of deltas.  take_begin is told how many will come.
 */
struct taker {
	struct cube *c;
	const struct catalog *cat;
	uint8_t *touched; /* per indicator, in bulk */
	int bulk;
};

static void take_begin(struct taker *t, struct importer *im, size_t n)
{
	t->c = &im->cs->cube;
	t->cat = &im->cs->cat;
	t->touched = calloc((size_t)(t->cat->n_inds ? t->cat->n_inds : 1), 1);
	t->bulk = t->touched && n >= IMPORT_BULK;
}

static void take(struct taker *t, const struct pending *p, size_t n)
{
	for (; n--; p++) {
		int m = (int)(p->month & MONTH_BITS);
		uint8_t fl = (uint8_t)(p->month >> FLAGS_SHIFT);
		if (t->bulk) {
			cube_put_own(t->c, p->ind, p->area, m, p->value, fl);
			t->touched[p->ind] = 1;
		} else {
			cube_set(t->c, p->ind, p->area, m, p->value, fl);
		}
		t->c->stored[(size_t)p->ind * (size_t)t->cat->n_areas +
			     (size_t)p->area] = 1;
	}
}

static void take_end(struct taker *t)
{
	for (int i = 0; t->bulk && i < t->cat->n_inds; i++)
		if (t->touched[i])
			cube_aggregate(t->c, i);
	free(t->touched);
}

/*
 * Brings the cube up to the figures spilled by a streamed import, after
 * its commit: as apply_values does, from the temporary file.
 */
static int apply_spill(struct importer *im)
{
	struct pending buf[1024];
	struct taker t;
	size_t n, total = 0;
	if (fflush(im->spill) || fseek(im->spill, 0, SEEK_SET))
		return cs_errorf(CS_EIO, "cannot read a temporary file");
	take_begin(&t, im, im->n_spilled);
	while ((n = fread(buf, sizeof *buf, 1024, im->spill)) > 0) {
		take(&t, buf, n);
		total += n;
	}
	take_end(&t);
	return total == im->n_spilled ? CS_OK
				      : cs_errorf(CS_EIO, "cannot read a "
						  "temporary file");
}

/* Sets up what streaming needs, once the catalog is known. */
static int stream_begin(struct importer *im)
{
	const struct catalog *cat = &im->cs->cat;
	size_t n = (size_t)cat->n_inds * (size_t)cat->n_areas;
	if (im->seen)
		return CS_OK;
	im->lo_month = INT32_MAX;
	im->hi_month = -1;
	if (!(im->seen = calloc(n ? n : 1, sizeof *im->seen)))
		return cs_errorf(CS_ENOMEM, "out of memory");
	im->n_seen = n;
	if (!(im->spill = tmpfile()))
		return cs_errorf(CS_EIO, "cannot create a temporary file: %s",
				 strerror(errno));
	return CS_OK;
}

/* Reads one file of the given kind (IMPORT_DETECT: find out). */
static int import_file(struct importer *im, const char *file,
		       enum import_kind kind)
{
	struct csv_reader rd;
	struct csv_field *f;
	struct strmap seen = {0}, ids = {0};
	struct formula_check *fc = NULL;
	size_t nfc = 0;
	int n, rc;

	im->file = file;
	im->line = 0;
	if ((rc = csv_open_file(&rd, file, im->o->encoding))) {
		if (rc == CS_EINVAL) {
			bad_raw(im, cs_errmsg());
			return CS_OK;
		}
		return rc;
	}
	if ((n = csv_next(&rd, &f)) <= 0) {
		if (n == 0)
			bad(im, F_N, "no header line");
		else
			bad_raw(im, cs_errmsg());
		goto done;
	}
	im->line = rd.line;
	if (kind == IMPORT_DETECT)
		kind = detect(file, f, n);
	if (kind == IMPORT_DETECT) {
		bad(im, F_N, "cannot tell what the file holds from its header; "
			     "say it with --kind");
		goto done;
	}
	if (map_header(im, kind, f, n))
		goto done;
	long rows = 0;
	if ((kind == IMPORT_VALUES || kind == IMPORT_SDMX) && im->streaming) {
		if ((rc = stream_begin(im)) ||
		    (rc = stream_file(im, &rd, kind == IMPORT_SDMX, &rows)))
			goto done;
		n = 0;
		goto counted;
	}
	while ((n = csv_next(&rd, &f)) > 0) {
		im->row = f;
		im->nrow = n;
		im->line = rd.line;
		rows++;
		switch (kind) {
		case IMPORT_DEPARTMENTS:
			rc = departments_row(im, &seen);
			break;
		case IMPORT_AREAS:
			rc = areas_row(im, &seen, &ids);
			break;
		case IMPORT_INDICATORS:
			rc = indicators_row(im, &seen, &fc, &nfc);
			break;
		case IMPORT_VALUES:
		case IMPORT_SDMX:
			rc = values_row(im, kind == IMPORT_SDMX);
			break;
		case IMPORT_TARGETS:
			rc = targets_row(im);
			break;
		case IMPORT_BENCHMARKS:
			rc = benchmarks_row(im);
			break;
		default:
			rc = CS_EINTERNAL;
		}
		if (rc)
			goto done;
		if (im->r->n_errors > 100000)
			break; /* enough to tell the file is wrong */
	}
	if (n < 0) {
		im->line = rd.line;
		bad_raw(im, cs_errmsg());
	}
counted:
	if (rows == 0 && !im->r->n_errors)
		bad(im, F_N, "no rows after the header");
	im->r->rows[kind] += rows;
	if (kind <= IMPORT_INDICATORS && !im->r->n_errors) {
		/* Later files and formula checks see this file's records. */
		im->catalog_changed = 1;
		if ((rc = civstat_reload(im->cs)))
			goto done;
		check_formulas(im, fc, nfc, &seen, 1);
	} else if (kind == IMPORT_INDICATORS) {
		check_formulas(im, fc, nfc, &seen, 0);
	}
done:
	for (size_t k = 0; k < nfc; k++) {
		free(fc[k].code);
		free(fc[k].part_of);
		formula_free(fc[k].f);
	}
	free(fc);
	strmap_release(&seen);
	strmap_release(&ids);
	csv_release(&rd);
	return rc;
}

/*
 * Reads the files in order; with skip_values, all but the figures files
 * (which were read already).
 */
static int run_files(struct importer *im, const char *const *files,
		     const int *order, const enum import_kind *kind, int n,
		     int skip_values)
{
	struct civstat *cs = im->cs;
	struct store *st = cs->st;
	char what[256];
	int rc;
	snprintf(what, sizeof what, "import %s%s", files[0],
		 n > 1 ? " ..." : "");
	if ((rc = st->ops->add_change(st, cs->actor, what, &im->change_id)))
		return rc;
	im->files = files;
	im->order = order;
	for (int k = 0; k < n && !rc; k++) {
		int f = order[k];
		im->file_no = k < 16 ? k : 15;
		if (skip_values &&
		    (kind[f] == IMPORT_VALUES || kind[f] == IMPORT_SDMX))
			continue;
		/* Bulk files name areas and indicators by id: index them. */
		if ((rc = dense_ids(&im->area_by_id, &im->n_area_by_id,
				    cs->cat.n_areas, cs->cat.areas,
				    sizeof *cs->cat.areas,
				    offsetof(struct area, id))) ||
		    (rc = dense_ids(&im->ind_by_id, &im->n_ind_by_id,
				    cs->cat.n_inds, cs->cat.inds,
				    sizeof *cs->cat.inds,
				    offsetof(struct indicator, id))))
			break;
		rc = import_file(im, files[f], kind[f]);
	}
	return rc;
}

/* The figures an import held in memory, into the cube. */
static void apply_values(struct importer *im)
{
	struct taker t;
	take_begin(&t, im, im->n_pend);
	take(&t, im->pend, im->n_pend);
	take_end(&t);
}

/*
 * Appends the import to the audit trail: the object is the files' names
 * joined by ", ", after is {"files":[...], "rows":{kind:n}, "added":n,
 * "changed":n, "unchanged":n}.
 */
static int audit_import(struct importer *im, const char *const *files, int n)
{
	const struct import_report *r = im->r;
	json_t *o = json_object(), *names = json_array(), *rows = json_object();
	char *object = NULL, *after = NULL, *z;
	size_t len = 1;
	int rc = CS_OK, failed = 0;
	for (int k = 0; k < n; k++)
		len += strlen(files[k]) + 2;
	if ((z = object = malloc(len)))
		*z = 0;
	else
		failed = 1;
	for (int k = 0; k < n && !failed; k++) {
		json_error_t err;
		json_t *name = json_pack_ex(&err, 0, "s", files[k]);
		if (!name && json_error_code(&err) == json_error_invalid_utf8) {
			rc = cs_errorf(CS_EUSAGE, "%s: the file name is not "
				       "UTF-8 text", files[k]);
			goto out;
		}
		failed |= json_array_append_new(names, name);
		z = stpcpy(stpcpy(z, k ? ", " : ""), files[k]);
	}
	for (int k = 1; k < IMPORT_NKINDS; k++)
		if (r->rows[k])
			failed |= json_object_set_new(rows, import_kind_name(k),
						      json_integer(r->rows[k]));
	failed |= json_object_set_new(o, "files", names);
	failed |= json_object_set_new(o, "rows", rows);
	names = rows = NULL;
	failed |= json_object_set_new(o, "added", json_integer(r->added));
	failed |= json_object_set_new(o, "changed", json_integer(r->changed));
	failed |= json_object_set_new(o, "unchanged",
				      json_integer(r->unchanged));
	if (failed || !(after = json_dumps(o, JSON_COMPACT)))
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	else
		rc = audit_append(im->cs, "import", object, NULL, after);
out:
	json_decref(names);
	json_decref(rows);
	json_decref(o);
	free(object);
	free(after);
	return rc;
}

/* Order of kinds in one import: what later files refer to comes first. */
static int kind_order(enum import_kind k)
{
	return k == IMPORT_DETECT ? 99 : (int)k;
}

/* Frees what an import gathered, for a start afresh or the end. */
static void importer_release(struct importer *im)
{
	for (size_t k = 0; k < im->n_notes; k++)
		free(im->notes[k].text);
	free(im->notes);
	free(im->pend);
	free(im->area_by_id);
	free(im->ind_by_id);
	for (size_t k = 0; k < im->n_seen; k++)
		free(im->seen[k].bits);
	free(im->seen);
	if (im->spill)
		fclose(im->spill);
}

/* Nonzero when the figures files come to STREAM_MIN bytes or more. */
static int worth_streaming(const char *const *files,
			   const enum import_kind *kind, int n)
{
	off_t bytes = 0;
	struct stat st;
	for (int k = 0; k < n; k++)
		if ((kind[k] == IMPORT_VALUES || kind[k] == IMPORT_SDMX) &&
		    !stat(files[k], &st))
			bytes += st.st_size;
	return bytes >= (off_t)STREAM_MIN;
}

int import_files(struct civstat *cs, const char *const *files, int n,
		 const struct import_opts *o, struct import_report *r)
{
	/* Read here, on the caller's thread: the rows may be parsed on
	 * others. */
	struct importer im = {.cs = cs, .o = o, .r = r,
			      .feeding = value_feeding()};
	struct store *st = cs->st;
	enum import_kind *kind = calloc((size_t)(n ? n : 1), sizeof *kind);
	int *order = calloc((size_t)(n ? n : 1), sizeof *order);
	int rc, stream;

	memset(r, 0, sizeof *r);
	if (!kind || !order) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto out;
	}
	/* Find each file's kind from its header first, to order them. */
	for (int k = 0; k < n; k++) {
		kind[k] = o->kind;
		order[k] = k;
		if (kind[k] != IMPORT_DETECT)
			continue;
		struct csv_reader rd;
		struct csv_field *f;
		if (csv_open_file(&rd, files[k], o->encoding) == CS_OK) {
			int nf = csv_next(&rd, &f);
			if (nf > 0)
				kind[k] = detect(files[k], f, nf);
			csv_release(&rd);
		}
	}
	for (int a = 1; a < n; a++)
		for (int b = a; b > 0 && kind_order(kind[order[b]]) <
						 kind_order(kind[order[b - 1]]);
		     b--) {
			int t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	stream = worth_streaming(files, kind, n);
again:
	im.streaming = stream;
	if ((rc = st->ops->begin(st)) ||
	    (rc = run_files(&im, files, order, kind, n, 0))) {
		if (im.duplicate && stream) {
			/* A figure came twice: start again the long way,
			 * which names both lines. */
			st->ops->rollback(st);
			if ((rc = civstat_reload(cs)))
				goto out;
			importer_release(&im);
			im = (struct importer){.cs = cs, .o = o, .r = r};
			memset(r, 0, sizeof *r);
			stream = 0;
			goto again;
		}
		goto rollback;
	}
	if (!r->n_errors && im.n_pend)
		check_duplicates(&im);
	if (!r->n_errors && !o->dry_run && im.n_pend >= IMPORT_BULK) {
		/* All is read and checked: write it again in a bulk
		 * transaction, the catalog files anew, the figures as read.
		 * The store gives the catalog the same ids again, so the
		 * figures' indices still hold. */
		int n_areas = cs->cat.n_areas, n_inds = cs->cat.n_inds;
		long rows[IMPORT_NKINDS];
		memcpy(rows, r->rows, sizeof rows);
		st->ops->rollback(st);
		if ((rc = civstat_reload(cs)) ||
		    (rc = st->ops->begin_bulk(st)) ||
		    (rc = run_files(&im, files, order, kind, n, 1)))
			goto rollback;
		memcpy(r->rows, rows, sizeof rows);
		if (!r->n_errors && (cs->cat.n_areas != n_areas ||
				     cs->cat.n_inds != n_inds)) {
			rc = cs_errorf(CS_ECONFLICT, "the files changed while "
				       "they were imported");
			goto rollback;
		}
	}
	if (!r->n_errors && im.n_pend) {
		int lo = 1 << 30, hi = -1;
		for (size_t k = 0; k < im.n_pend; k++) {
			int m = (int)(im.pend[k].month & MONTH_BITS);
			lo = m < lo ? m : lo;
			hi = m > hi ? m : hi;
		}
		if ((rc = cube_reserve(&cs->cube, lo, hi)) ||
		    (rc = store_values(&im)))
			goto rollback;
	}
	if (!r->n_errors && im.n_spilled &&
	    (rc = cube_reserve(&cs->cube, im.lo_month, im.hi_month)))
		goto rollback;
	if (!r->n_errors && (rc = store_notes(&im)))
		goto rollback;
	if (r->n_errors) {
		rc = CS_EINVAL;
		goto rollback;
	}
	if (o->dry_run)
		goto rollback;
	if ((rc = audit_import(&im, files, n)) || (rc = st->ops->commit(st)))
		goto rollback;
	apply_values(&im);
	/* Committed: should the cube miss the spilled figures, it is
	 * built again from the store. */
	if (im.n_spilled && (rc = apply_spill(&im)))
		rc = civstat_reload(cs);
	goto out;
rollback:
	st->ops->rollback(st);
	/* The catalog and the cube may hold what was rolled back; figures
	 * reach the cube only after the commit. */
	if (im.catalog_changed || im.cube_changed) {
		int rc2 = civstat_reload(cs);
		if (!rc)
			rc = rc2;
	}
out:
	importer_release(&im);
	free(kind);
	free(order);
	return rc;
}

void import_report_release(struct import_report *r)
{
	for (int k = 0; k < r->n_shown; k++)
		free(r->errors[k]);
	r->n_shown = 0;
}
