/*
 * Importing CSV files into a civstat database: departments, areas,
 * indicators, figures, targets and benchmarks (docs/formats.md), in English
 * or Chinese column names, UTF-8 or GB18030, and SDMX-CSV figures.  One call
 * imports all its files in one transaction: everything or nothing.
 */
#ifndef CS_IMPORT_H
#define CS_IMPORT_H

#include "core/csv.h"
#include "domain/civstat.h"

#define IMPORT_MAX_ERRORS 20 /* errors listed; the rest are counted */
#define IMPORT_BULK 1000000  /* figures from which an import goes in bulk */

enum import_kind {
	IMPORT_DETECT = 0,
	IMPORT_DEPARTMENTS,
	IMPORT_AREAS,
	IMPORT_INDICATORS,
	IMPORT_VALUES,
	IMPORT_TARGETS,
	IMPORT_BENCHMARKS,
	IMPORT_SDMX,
	IMPORT_NKINDS
};

struct import_opts {
	int dry_run;                /* check and count, store nothing */
	enum csv_encoding encoding; /* CSV_ENC_AUTO by default */
	enum import_kind kind;      /* IMPORT_DETECT: from name and header */
};

struct import_report {
	long rows[IMPORT_NKINDS];  /* records read, per kind */
	long added;                /* figures that were not there */
	long changed;              /* figures with a new value or state */
	long unchanged;            /* figures that were already so */
	long skipped;              /* rows with an empty value */
	long n_errors;             /* all errors found */
	int n_shown;               /* errors kept in errors[] */
	char *errors[IMPORT_MAX_ERRORS]; /* "file:line:column: message" */
};

/*
 * Imports the n files, in the order departments, areas, indicators,
 * figures, targets, benchmarks whatever order they are given in.  Returns
 * CS_OK when all was stored (or, with dry_run, would be); CS_EINVAL when
 * the input has errors, listed in the report, with nothing stored; another
 * code (and cs_errmsg()) when a file cannot be read or the store fails, also
 * with nothing stored.  The report is the caller's to release.
 */
int import_files(struct civstat *cs, const char *const *files, int n,
		 const struct import_opts *o, struct import_report *r);
void import_report_release(struct import_report *r);

/* The Chinese name of the column named en (指标代码 for "indicator"), or en
 * itself when it has none. */
const char *import_column_zh(const char *en);

/* Kind names: "values" ...; import_kind_parse returns -1 when unknown. */
const char *import_kind_name(enum import_kind k);
int import_kind_parse(const char *z);

#endif
