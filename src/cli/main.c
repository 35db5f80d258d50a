/*
 * civstat's command line: the table of commands, option parsing and
 * dispatch.  Each command is a function in cmd_*.c that returns an exit
 * code (see the README for their meaning).
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"

#define COMMON (O_DB | O_FORMAT | O_LANG)
#define WHERE (O_AREA | O_CHILDREN | O_LEVEL)
#define WHICH (O_INDICATOR | O_ASSESSED)

static const struct cli_command {
	const char *name;
	int (*run)(struct cli_opts *o);
	unsigned options; /* enum opt bits it takes */
	const char *usage;
	const char *help;
} commands[] = {
	{"init", cmd_init, O_DB | O_DEMO, "init --db FILE [--demo DIR]",
	 "create a database; with --demo, load the demo city (Jinzhou) from "
	 "DIR"},
	{"import", cmd_import, O_DB | O_KIND | O_DRYRUN | O_ENCODING,
	 "import [--kind K] [--dry-run] [--encoding E] FILE...",
	 "import CSV files (areas, departments, indicators, values, targets, "
	 "benchmarks, SDMX-CSV): all or nothing"},
	{"export", cmd_export, O_DB | O_KIND | O_OUT | O_SDMX | O_EXCEL,
	 "export --kind K [--sdmx|--excel] [--out FILE]",
	 "write areas, departments, indicators, values, targets or benchmarks "
	 "as CSV (values also as SDMX-CSV 2.0)"},
	{"set", cmd_set, O_DB | O_PERIOD | O_AREA | O_INDICATOR | O_VALUE,
	 "set --indicator X --area A --period P --value V [--state S] "
	 "[--comment C]",
	 "store one figure (an empty --value removes it)"},
	{"history", cmd_history, COMMON | O_PERIOD | O_AREA | O_INDICATOR,
	 "history --indicator X --area A --period P",
	 "every change of one figure: who, when, before, after, state"},
	{"progress", cmd_progress, COMMON | O_PERIOD | WHERE | WHICH | O_TOLERANCE,
	 "progress [--period P] [--area A|--children A|--level N] "
	 "[--indicator X,Y|--assessed]",
	 "year to date against the annual target and the time elapsed: "
	 "累计, 完成率, 序时进度, the light, 同比"},
	{"growth", cmd_growth, COMMON | O_PERIOD | WHERE | WHICH | O_MOM,
	 "growth [--period P] [--mom] [--area A|--children A|--level N] "
	 "[--indicator X,Y]",
	 "同比 growth against the same period a year earlier (环比 with --mom)"},
	{"rank", cmd_rank, COMMON | O_PERIOD | WHERE | O_INDICATOR | O_TOLERANCE,
	 "rank [--period P] [--children A|--level N] [--indicator X]",
	 "rank areas by the weighted score over the assessment indicators, or "
	 "by one indicator's progress"},
	{"series", cmd_series, COMMON | O_AREA | O_INDICATOR | O_RANGE,
	 "series --indicator X [--area A] [--from P] [--to P]",
	 "the monthly (quarterly, yearly) figures of one indicator"},
	{"pillars", cmd_pillars, COMMON | O_PERIOD | O_AREA | O_ASSESSED | O_TOLERANCE,
	 "pillars [--period P] [--area A] [--assessed]",
	 "per pillar 稳 活 优: indicators ahead, close and behind, mean "
	 "completion"},
	{"compare", cmd_compare, COMMON | O_PERIOD | WHERE | WHICH,
	 "compare [--period P] [--area A|--children A|--level N] "
	 "[--indicator X,Y]",
	 "对标: the gap to each benchmark (全省平均, 沿海6市平均, peer cities) "
	 "in percentage points"},
	{"check", cmd_check, COMMON | O_PERIOD | O_AREA,
	 "check [--period P]",
	 "data-quality findings: bounds, relations, jumps, outliers, "
	 "late and missing reports"},
	{"brief", cmd_brief, O_DB | O_LANG | O_PERIOD | O_AREA | O_TOLERANCE,
	 "brief [--period P] [--area A]",
	 "the month's one-page summary in Chinese"},
	{"bench", cmd_bench, O_DB | O_DATA | O_OUT | O_REPEAT,
	 "bench --data DIR --db FILE [--out DIR] [--repeat N]",
	 "import gen.py's files, answer Q1-Q5 of shared/bench/QUERIES.md, "
	 "write the answers and print timings"},
};

#define NCOMMANDS (int)(sizeof commands / sizeof *commands)

static const struct option long_options[] = {
	{"db", required_argument, NULL, 'd'},
	{"format", required_argument, NULL, 'f'},
	{"lang", required_argument, NULL, 'l'},
	{"period", required_argument, NULL, 'p'},
	{"area", required_argument, NULL, 'a'},
	{"children", required_argument, NULL, 'c'},
	{"level", required_argument, NULL, 'L'},
	{"indicator", required_argument, NULL, 'i'},
	{"assessed", no_argument, NULL, 'A'},
	{"tolerance", required_argument, NULL, 't'},
	{"from", required_argument, NULL, 'F'},
	{"to", required_argument, NULL, 'T'},
	{"kind", required_argument, NULL, 'k'},
	{"dry-run", no_argument, NULL, 'n'},
	{"encoding", required_argument, NULL, 'e'},
	{"demo", required_argument, NULL, 'D'},
	{"out", required_argument, NULL, 'o'},
	{"value", required_argument, NULL, 'v'},
	{"state", required_argument, NULL, 's'},
	{"comment", required_argument, NULL, 'C'},
	{"mom", no_argument, NULL, 'm'},
	{"data", required_argument, NULL, 'X'},
	{"repeat", required_argument, NULL, 'r'},
	{"sdmx", no_argument, NULL, 'S'},
	{"excel", no_argument, NULL, 'E'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* The enum opt bit of each short option letter. */
static unsigned opt_bit(int c)
{
	switch (c) {
	case 'd': return O_DB;
	case 'f': return O_FORMAT;
	case 'l': return O_LANG;
	case 'p': return O_PERIOD;
	case 'a': return O_AREA;
	case 'c': return O_CHILDREN;
	case 'L': return O_LEVEL;
	case 'i': return O_INDICATOR;
	case 'A': return O_ASSESSED;
	case 't': return O_TOLERANCE;
	case 'F': case 'T': return O_RANGE;
	case 'k': return O_KIND;
	case 'n': return O_DRYRUN;
	case 'e': return O_ENCODING;
	case 'D': return O_DEMO;
	case 'o': return O_OUT;
	case 'v': case 's': case 'C': return O_VALUE;
	case 'm': return O_MOM;
	case 'X': return O_DATA;
	case 'r': return O_REPEAT;
	case 'S': return O_SDMX;
	case 'E': return O_EXCEL;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: civstat COMMAND [OPTIONS]\n\ncommands:\n");
	for (int k = 0; k < NCOMMANDS; k++)
		fprintf(f, "  %-9s %s\n", commands[k].name, commands[k].help);
	fprintf(f, "\n'civstat COMMAND --help' tells a command's options; "
		   "civstat --version prints the version.\n");
}

static void command_help(const struct cli_command *c)
{
	printf("usage: civstat %s\n\n%s\n\noptions:\n", c->usage, c->help);
	for (const struct option *op = long_options; op->name; op++) {
		unsigned bit = opt_bit(op->val);
		if (bit && (c->options & bit))
			printf("  --%s%s\n", op->name,
			       op->has_arg ? " ARG" : "");
	}
}

static int parse_double_opt(const char *name, const char *z, double *out)
{
	char *end;
	*out = strtod(z, &end);
	if (!*z || *end)
		return cs_errorf(CS_EUSAGE, "--%s: \"%s\" is not a number",
				 name, z);
	return CS_OK;
}

int main(int argc, char **argv)
{
	/* Character widths for aligned tables; numbers stay in the C locale. */
	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? cs_rc_exit(CS_EUSAGE) : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("civstat %s\n", CS_VERSION);
		return 0;
	}
	const struct cli_command *cmd = NULL;
	for (int k = 0; k < NCOMMANDS; k++)
		if (!strcmp(argv[1], commands[k].name))
			cmd = &commands[k];
	if (!cmd) {
		fprintf(stderr, "civstat: unknown command \"%s\"\n", argv[1]);
		usage(stderr);
		return cs_rc_exit(CS_EUSAGE);
	}

	struct cli_opts o = {
		.db = getenv("CIVSTAT_DB") ? getenv("CIVSTAT_DB") : "civstat.db",
		.tolerance = 0.10,
		.repeat = 21,
	};
	const char *lang = getenv("CIVSTAT_LANG");
	if (lang && !strncmp(lang, "en", 2))
		o.lang = LANG_EN;
	int c;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (c == 'h') {
			command_help(cmd);
			return 0;
		}
		if (c == '?' || !(cmd->options & opt_bit(c))) {
			if (c != '?')
				fprintf(stderr, "civstat %s: %s is not an "
						"option of this command\n",
					cmd->name, argv[optind - 1]);
			fprintf(stderr, "usage: civstat %s\n", cmd->usage);
			return cs_rc_exit(CS_EUSAGE);
		}
		int rc = CS_OK;
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'f':
			if (!strcmp(optarg, "table"))
				o.format = OUT_TABLE;
			else if (!strcmp(optarg, "csv"))
				o.format = OUT_CSV;
			else if (!strcmp(optarg, "json"))
				o.format = OUT_JSON;
			else
				rc = cs_errorf(CS_EUSAGE, "--format: \"%s\" is "
					       "not table, csv or json", optarg);
			break;
		case 'l':
			if (!strcmp(optarg, "zh"))
				o.lang = LANG_ZH;
			else if (!strcmp(optarg, "en"))
				o.lang = LANG_EN;
			else
				rc = cs_errorf(CS_EUSAGE, "--lang: \"%s\" is not "
					       "zh or en", optarg);
			break;
		case 'p': o.period = optarg; break;
		case 'a': o.area = optarg; break;
		case 'c': o.children = optarg; break;
		case 'L':
			o.level = atoi(optarg);
			if (o.level < 1)
				rc = cs_errorf(CS_EUSAGE, "--level: \"%s\" is not "
					       "a level (1 is the root)", optarg);
			break;
		case 'i': o.indicator = optarg; break;
		case 'A': o.assessed = 1; break;
		case 't':
			rc = parse_double_opt("tolerance", optarg, &o.tolerance);
			if (!rc && (o.tolerance < 0 || o.tolerance >= 1))
				rc = cs_errorf(CS_EUSAGE, "--tolerance: %s is not "
					       "between 0 and 1", optarg);
			break;
		case 'F': o.from = optarg; break;
		case 'T': o.to = optarg; break;
		case 'k': o.kind = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'e': o.encoding = optarg; break;
		case 'D': o.demo = optarg; break;
		case 'o': o.out = optarg; break;
		case 'v': o.value = optarg; break;
		case 's': o.state = optarg; break;
		case 'C': o.comment = optarg; break;
		case 'm': o.mom = 1; break;
		case 'X': o.data = optarg; break;
		case 'r':
			o.repeat = atoi(optarg);
			if (o.repeat < 1)
				rc = cs_errorf(CS_EUSAGE, "--repeat: \"%s\" is "
					       "not a positive number", optarg);
			break;
		case 'S': o.sdmx = 1; break;
		case 'E': o.excel = 1; break;
		}
		if (rc)
			return cli_fail(rc);
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	if (o.nargs && strcmp(cmd->name, "import")) {
		fprintf(stderr, "civstat %s: unexpected argument \"%s\"\n",
			cmd->name, o.args[0]);
		fprintf(stderr, "usage: civstat %s\n", cmd->usage);
		return cs_rc_exit(CS_EUSAGE);
	}
	return cmd->run(&o);
}
