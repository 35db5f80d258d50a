/*
 * libFuzzer target for request routing and JSON body decoding: the input
 * is "METHOD URL\nBODY".  The URL is matched against every route of the
 * table; the body is decoded and applied as a POST /api/v1/values by an
 * admin on an in-memory database with a small catalog.  A crash, a leak
 * or a sanitizer report is a finding; an error answer is not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "api/api.h"
#include "core/err.h"
#include "domain/import.h"
#include "domain/workflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct civstat *cs;

static void import_text(const char *text, enum import_kind kind)
{
	char path[64];
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	const char *files[1] = {path};
	struct import_opts o = {.kind = kind};
	struct import_report r;
	if (import_files(cs, files, 1, &o, &r))
		abort();
	import_report_release(&r);
	close(fd);
}

static void setup(void)
{
	if (civstat_open(":memory:", STORE_CREATE, &cs))
		abort();
	import_text("code,name\nFGW,发改委\n", IMPORT_DEPARTMENTS);
	import_text("code,name,parent\nC,City,\nA,Area A,C\n", IMPORT_AREAS);
	import_text("code,name,pillar,frequency,department\n"
		    "M,Monthly,stable,month,FGW\nQ,Quarterly,vital,quarter,FGW\n",
		    IMPORT_INDICATORS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cs)
		setup();
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) : size;
	char *line = strndup((const char *)data, head);
	if (!line)
		return 0;
	char *url = strchr(line, ' ');
	url = url ? url + 1 : line;
	for (int k = 0; k < api_nroutes; k++) {
		char buf[512];
		const char *params[API_MAX_PARAMS];
		int n;
		if (api_match(api_routes[k].pattern, url, buf, sizeof buf,
			      params, &n))
			for (int j = 0; j < n; j++)
				if (!params[j][0] || strchr(params[j], '/'))
					abort();
	}
	free(line);
	if (nl) {
		struct auth admin = {.user_id = 1, .role = ROLE_ADMIN};
		const char *field;
		int done;
		snprintf(admin.name, sizeof admin.name, "fuzz");
		api_figures(cs, &admin, (int)(size % STEP_N),
			    (const char *)nl + 1, size - head - 1, &done, &field);
	}
	return 0;
}
