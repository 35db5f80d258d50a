/*
 * libFuzzer target for the task-list importer (domain/task_csv.c): the
 * input is imported as one task file of whatever kind its header shows
 * (dry run, so every run sees the same database) into an in-memory
 * database holding a department, a list and a task.  Any crash, leak or
 * sanitizer report is a finding; an error report is not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/err.h"
#include "fuzz.h"
#include "domain/import.h"
#include "domain/task_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct civstat *cs;

static void setup(void)
{
	static const char depts[] = "code,name\nZJJ,住建局\n";
	static const char lists[] = "code,year,name\n2026-MSSS,2026,民生实事\n";
	static const char tasks[] = "list,code,title,department,deadline\n"
				    "2026-MSSS,T1,街路,ZJJ,2026-10-31\n";
	char p[3][64];
	int fd[3];
	if (civstat_open(":memory:", STORE_CREATE, &cs))
		abort();
	fd[0] = memfile(depts, sizeof depts - 1, p[0], sizeof p[0]);
	fd[1] = memfile(lists, sizeof lists - 1, p[1], sizeof p[1]);
	fd[2] = memfile(tasks, sizeof tasks - 1, p[2], sizeof p[2]);
	const char *files[3] = {p[0], p[1], p[2]};
	struct import_opts o = {.kind = IMPORT_DEPARTMENTS};
	struct import_report r;
	long rows[TASK_CSV_NKINDS];
	if (import_files(cs, files, 1, &o, &r))
		abort();
	import_report_release(&r);
	if (task_csv_import(cs, files + 1, 2, 0, rows))
		abort();
	for (int k = 0; k < 3; k++)
		close(fd[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	long rows[TASK_CSV_NKINDS];
	if (!cs)
		setup();
	int fd = memfile(data, size, path, sizeof path);
	const char *files[1] = {path};
	int rc = task_csv_import(cs, files, 1, 1, rows);
	if (rc != CS_OK && rc != CS_EINVAL && rc != CS_ETOOBIG)
		abort();
	close(fd);
	return 0;
}
