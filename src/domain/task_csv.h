/*
 * Task lists as CSV files (docs/formats.md): lists, tasks, milestones,
 * progress reports and 督办 notes with their answers, with English or Chinese column names, read in one
 * transaction (all or nothing) and written back in the same columns, so
 * that an export imports again unchanged.
 */
#ifndef CS_TASK_CSV_H
#define CS_TASK_CSV_H

#include "domain/civstat.h"
#include "domain/out.h"

enum task_csv_kind {
	TASK_CSV_LISTS = 0,
	TASK_CSV_TASKS,
	TASK_CSV_MILESTONES,
	TASK_CSV_REPORTS,
	TASK_CSV_NOTES, /* 督办 notes with their answers */
	TASK_CSV_NKINDS
};

/* "lists", "tasks", "milestones", "reports", "notes"; parse gives -1
 * when z is none of them. */
const char *task_csv_kind_name(int kind);
int task_csv_kind_parse(const char *z);

/*
 * Imports the n files, each of the kind its header shows, in the order
 * lists, tasks, milestones, reports, notes whatever order they are given
 * in, in one transaction.  rows[kind] counts the records read.  On the first
 * error nothing is kept and cs_errmsg() says "file:line: column "name":
 * what is wrong"; CS_EINVAL for bad input.  With dry_run everything is
 * checked and nothing kept.
 */
int task_csv_import(struct civstat *cs, const char *const *files, int n,
		    int dry_run, long rows[TASK_CSV_NKINDS]);

/* Fills t (out_init'd here; the caller releases it) with every record of
 * kind, in the columns task_csv_import reads. */
int task_csv_export(struct civstat *cs, int kind, struct out_table *t);

#endif
