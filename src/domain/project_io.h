/*
 * CSV import and export of the key-project pipeline: projects, yearly
 * planned investment, milestones, monthly reports, programmes and their
 * communities, with English or Chinese column names as the other
 * importers take them.  An import is all or nothing; its errors name the
 * file, the line and the column.
 */
#ifndef CS_PROJECT_IO_H
#define CS_PROJECT_IO_H

#include <stdio.h>

#include "domain/civstat.h"

enum project_kind {
	PK_DETECT = 0,
	PK_PROJECTS,
	PK_PLANS,
	PK_MILESTONES,
	PK_REPORTS,
	PK_PROGRAMMES,
	PK_COMMUNITIES,
	PK_N
};

/* "projects", "plans" ...; parse gives -1 for an unknown name. */
const char *project_kind_name(enum project_kind k);
int project_kind_parse(const char *z);

/* What an import did: rows stored per kind. */
struct project_import_report {
	long rows[PK_N];
};

/*
 * Imports the n files, each of the kind its header shows (or kind when
 * not PK_DETECT), in the order programmes, projects, plans, milestones,
 * reports, communities whatever order they are given in.  Reports for a
 * month after now_month are refused.  Returns CS_OK when all was stored;
 * on any error nothing is stored (the cube is read again, so it holds
 * what the store holds) and cs_errmsg() is "file:line:column: ...".
 */
int project_import(struct civstat *cs, const char *const *files, int n,
		   enum project_kind kind, int now_month,
		   struct project_import_report *r);

/* Writes every row of kind as CSV to f, with Chinese column names when
 * zh, in the form project_import reads back. */
int project_export(struct civstat *cs, enum project_kind kind, FILE *f,
		   int zh);

#endif
