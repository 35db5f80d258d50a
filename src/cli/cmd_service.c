/*
 * civstat service: the service catalogue (服务目录) on the command line.
 * import checks services.csv files whole and stores all or nothing; list
 * shows the catalogue; export writes it back as a services.csv.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/service.h"

static int usage_error(const char *what)
{
	return cs_errorf(CS_EUSAGE, "service: %s", what);
}

static int service_import(struct cli_opts *o, struct civstat *cs)
{
	long total = 0;
	int rc;
	if (o->nargs < 2)
		return usage_error("import needs a FILE");
	if ((rc = service_csv_import(cs, (const char *const *)o->args + 1,
				     o->nargs - 1, o->dry_run, &total)))
		return rc;
	printf("%s服务类别 %ld 个\n(%s: %ld services)\n",
	       o->dry_run ? "检查通过，未写入：" : "已导入", total,
	       o->dry_run ? "checked, nothing stored" : "imported", total);
	return CS_OK;
}

static int service_list(struct cli_opts *o, struct civstat *cs, int export)
{
	struct out_table t;
	int rc;
	if ((rc = service_table(cs->st, export, cli_zh(o), &t))) {
		out_release(&t);
		return rc;
	}
	return export ? cli_print_export(o, &t) : cli_print(o, &t);
}

int cmd_service(struct cli_opts *o)
{
	struct civstat *cs;
	int rc;
	const char *sub = o->nargs ? o->args[0] : "";
	if (strcmp(sub, "import") && strcmp(sub, "list") &&
	    strcmp(sub, "export"))
		return cli_fail(usage_error("import FILE... | list | export"));
	if (strcmp(sub, "import") && o->nargs > 1)
		return cli_fail(usage_error("list and export take no FILE"));
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	if (!strcmp(sub, "import"))
		rc = service_import(o, cs);
	else
		rc = service_list(o, cs, !strcmp(sub, "export"));
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
