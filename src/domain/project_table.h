/*
 * The project table as leaders read it (重点项目表): the projects a filter
 * keeps, each with its year's plan, what was completed, the completion
 * rate and what is wrong, written as CSV or as an .xlsx workbook with a
 * totals row and a second sheet of the monthly reports.  The API's and
 * the CLI's exports share it, so both show the same figures.
 */
#ifndef CS_PROJECT_TABLE_H
#define CS_PROJECT_TABLE_H

#include <stdio.h>

#include "domain/out.h"
#include "domain/project.h"

/* Which projects: every field unset (-1, 0, NULL) keeps all. */
struct project_filter {
	int cluster;       /* index in project_clusters, -1: any */
	int area;          /* catalogue index: that area and those within */
	int phase;         /* enum project_phase, -1: any */
	int department_id; /* 0: any */
	const char *q;     /* text within the code or the name */
	int behind;        /* nonzero: only those behind plan */
};

/* The day and the months the figures and flags are judged on. */
struct project_when {
	int upto;          /* the last month of the year to date */
	const char *today; /* YYYY-MM-DD, for the milestone rules */
	double tolerance;  /* behind by less than this share is not */
};

/*
 * The indices in b of the projects f keeps, in order of code: *out
 * (malloc'd, the caller frees) holds *n of them.  CS_ENOMEM.
 */
int project_select(const struct project_book *b, const struct catalog *cat,
		   const struct project_filter *f, const struct project_when *w,
		   int **out, int *n);

/* The n projects of sel as rows of t (initialised here, the caller
 * releases it): code, name, cluster ... total, plan, done, completion_pct,
 * flags, sample. */
void project_table(const struct project_book *b, const struct catalog *cat,
		   const int *sel, int n, const struct project_when *w,
		   struct out_table *t);

/* Their monthly reports as rows of t: code, name, month, investment,
 * progress, note, sample; never who reported. */
void project_report_table(const struct project_book *b, const int *sel,
			  int n, struct out_table *t);

/*
 * Writes the workbook of the n projects of sel to f: sheet 重点项目 (the
 * project table, Chinese headers with units, frozen header row, a totals
 * row 合计) and sheet 月报 (their monthly reports).  CS_EIO, CS_ENOMEM.
 */
int project_xlsx(const struct project_book *b, const struct catalog *cat,
		 const int *sel, int n, const struct project_when *w, FILE *f);

#endif
