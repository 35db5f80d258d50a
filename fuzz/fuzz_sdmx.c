/*
 * libFuzzer target for the SDMX-CSV reader: the input is imported as an
 * SDMX-CSV file (dry run, so every run sees the same database) into an
 * in-memory database holding a small catalog.  Any crash, leak or
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct civstat *cs;

static void setup(void)
{
	static const char catalog[] =
		"code,name,parent\nC,City,\nA,Area A,C\nB,Area B,C\n";
	static const char inds[] = "code,name,pillar,frequency\n"
				   "M,Monthly,stable,month\n"
				   "Q,Quarterly,vital,quarter\n"
				   "Y,Yearly,excellent,year\n"
				   "D,Derived,stable,month\n";
	char p1[64], p2[64];
	if (civstat_open(":memory:", STORE_CREATE, &cs))
		abort();
	int f1 = memfile(catalog, sizeof catalog - 1, p1, sizeof p1);
	int f2 = memfile(inds, sizeof inds - 1, p2, sizeof p2);
	const char *files[2] = {p1, p2};
	struct import_opts o = {.kind = IMPORT_DETECT};
	struct import_report r;
	o.kind = IMPORT_AREAS;
	if (import_files(cs, files, 1, &o, &r))
		abort();
	import_report_release(&r);
	o.kind = IMPORT_INDICATORS;
	if (import_files(cs, files + 1, 1, &o, &r))
		abort();
	import_report_release(&r);
	close(f1);
	close(f2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	if (!cs)
		setup();
	int fd = memfile(data, size, path, sizeof path);
	const char *files[1] = {path};
	struct import_opts o = {.dry_run = 1, .kind = IMPORT_SDMX};
	struct import_report r;
	int rc = import_files(cs, files, 1, &o, &r);
	if (rc != CS_OK && rc != CS_EINVAL)
		abort();
	import_report_release(&r);
	close(fd);
	return 0;
}
