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
#include "core/num.h"

#define COMMON (O_DB | O_FORMAT | O_LANG)
#define WHERE (O_AREA | O_CHILDREN | O_LEVEL)
#define WHICH (O_INDICATOR | O_ASSESSED)

static const struct cli_command {
	const char *name;
	int (*run)(struct cli_opts *o);
	unsigned long long options; /* enum opt and O_* bits it takes */
	int args;         /* operands it takes after the options: 0, or the
			     most it takes (-1: any number) */
	const char *usage;
	const char *help;
} commands[] = {
	{"init", cmd_init, O_DB | O_DEMO | O_ACCOUNTS, 0, "init --db FILE [--demo DIR]",
	 "create a database; with --demo, load the demo city (Jinzhou) from "
	 "DIR"},
	{"import", cmd_import, O_DB | O_KIND | O_DRYRUN | O_ENCODING, -1,
	 "import [--kind K] [--dry-run] [--encoding E] FILE...",
	 "import CSV files (areas, departments, indicators, values, targets, "
	 "benchmarks, SDMX-CSV): all or nothing"},
	{"export", cmd_export, O_DB | O_KIND | O_OUT | O_SDMX | O_EXCEL | O_XLSX,
	 0, "export --kind K [--sdmx|--excel|--xlsx] [--out FILE]",
	 "write areas, departments, indicators, values, targets or benchmarks "
	 "as CSV (values also as SDMX-CSV 2.0)"},
	{"set", cmd_set, O_DB | O_PERIOD | O_AREA | O_INDICATOR | O_VALUE, 0,
	 "set --indicator X --area A --period P --value V [--state S] "
	 "[--comment C]",
	 "store one figure (an empty --value removes it)"},
	{"history", cmd_history, COMMON | O_PERIOD | O_AREA | O_INDICATOR, 0,
	 "history --indicator X --area A --period P",
	 "every change of one figure: who, when, before, after, state"},
	{"progress", cmd_progress, COMMON | O_PERIOD | WHERE | WHICH | O_TOLERANCE, 0,
	 "progress [--period P] [--area A|--children A|--level N] "
	 "[--indicator X,Y|--assessed]",
	 "year to date against the annual target and the time elapsed: "
	 "累计, 完成率, 序时进度, the light, 同比"},
	{"growth", cmd_growth, COMMON | O_PERIOD | WHERE | WHICH | O_MOM, 0,
	 "growth [--period P] [--mom] [--area A|--children A|--level N] "
	 "[--indicator X,Y]",
	 "同比 growth against the same period a year earlier (环比 with --mom)"},
	{"rank", cmd_rank, COMMON | O_PERIOD | WHERE | O_INDICATOR | O_TOLERANCE, 0,
	 "rank [--period P] [--children A|--level N] [--indicator X]",
	 "rank areas by the weighted score over the assessment indicators, or "
	 "by one indicator's progress"},
	{"series", cmd_series, COMMON | O_AREA | O_INDICATOR | O_RANGE, 0,
	 "series --indicator X [--area A] [--from P] [--to P]",
	 "the monthly (quarterly, yearly) figures of one indicator"},
	{"pillars", cmd_pillars, COMMON | O_PERIOD | O_AREA | O_ASSESSED | O_TOLERANCE, 0,
	 "pillars [--period P] [--area A] [--assessed]",
	 "per pillar 稳 活 优: indicators ahead, close and behind, mean "
	 "completion"},
	{"compare", cmd_compare, COMMON | O_PERIOD | WHERE | WHICH, 0,
	 "compare [--period P] [--area A|--children A|--level N] "
	 "[--indicator X,Y]",
	 "对标: the gap to each benchmark (全省平均, 沿海6市平均, peer cities) "
	 "in percentage points"},
	{"check", cmd_check, COMMON | O_PERIOD | O_AREA, 0,
	 "check [--period P]",
	 "data-quality findings: bounds, relations, jumps, outliers, "
	 "late and missing reports"},
	{"brief", cmd_brief, O_DB | O_LANG | O_PERIOD | O_AREA | O_TOLERANCE, 0,
	 "brief [--period P] [--area A]",
	 "the month's one-page summary in Chinese"},
	{"bench", cmd_bench, O_DB | O_DATA | O_OUT | O_REPEAT, 0,
	 "bench --data DIR --db FILE [--out DIR] [--repeat N]",
	 "import gen.py's files, answer Q1-Q5 of shared/bench/QUERIES.md, "
	 "write the answers and print timings"},
	{"user", cmd_user,
	 O_DB | O_FORMAT | O_ROLE | O_DEPT | O_AREA | O_LABEL | O_PWSTDIN, 2,
	 "user add NAME --role R [--department D] [--area A] | passwd NAME | "
	 "disable NAME | enable NAME | token NAME [--label L] | list",
	 "accounts: add (the password is generated and shown once, or read "
	 "with --password-stdin), set a password, disable, API tokens, list"},
	{"audit", cmd_audit, O_DB | O_FORMAT | O_LIMIT, 2,
	 "audit verify [ID:HASH] | head | list [--limit N]",
	 "the tamper-evident audit trail: prove the hash chain (and that a "
	 "published head still holds), print the head to publish, or list "
	 "it"},
	{"migrate", cmd_migrate, O_FORMAT | O_LANG | O_RANGE, 0,
	 "migrate --from SRC --to DST",
	 "move a city between databases (a SQLite file, sqlite:FILE or "
	 "postgres://...): every table copied into an empty DST in one "
	 "transaction, committed once the row counts and the audit chain "
	 "are proved"},
	{"project", cmd_project,
	 COMMON | O_PERIOD | O_AREA | O_KIND | O_OUT | O_EXCEL | O_TOLERANCE |
		 O_PROJECT,
	 -1,
	 "project import FILE... | export [--kind K] [--format "
	 "oc4ids|xlsx] [--area A] [--out F] | list "
	 "[--area A] | show CODE | report CODE --period M --investment X "
	 "[--progress P] [--note N] | phase CODE --phase P --date D "
	 "[--reason R] | summary [--by cluster|area|phase|department] | "
	 "programmes",
	 "the key-project pipeline (项目为王): import and export its CSV "
	 "files, list, show, record a month's report or a phase change, and "
	 "the monthly summary of planned against completed investment"},
	{"serve", cmd_serve, O_DB | O_LISTEN | O_STATIC, 0,
	 "serve [--db FILE] [--listen 127.0.0.1:8080] [--static DIR]",
	 "the HTTP JSON API under /api/v1/ and the web UI"},
	{"task", cmd_task,
	 COMMON | O_PERIOD | O_KIND | O_OUT | O_DRYRUN | O_VALUE | O_ROLE |
		 O_DEPT,
	 -1,
	 "task import FILE... | export --kind K | list [LIST] | show CODE | "
	 "report CODE TEXT [--value N] | status CODE STATUS | "
	 "note CODE TEXT DUE | answer NOTE TEXT | "
	 "summary [--kind list|department]  [--period DAY] [--role R] "
	 "[--department D]",
	 "任务清单与督办: task lists (import, export), what is overdue on "
	 "--period DAY, progress reports, status, 督办 notes and answers, "
	 "on-time rate per list or department"},
	{"holiday", cmd_holiday, COMMON | O_OUT | O_DRYRUN | O_CALENDAR, -1,
	 "holiday import FILE... [--dry-run] | list [--year Y] | export "
	 "[--year Y] [--out F]",
	 "工作日历: the State Council's holidays (放假) and adjusted working "
	 "days (调休上班) from holidays.csv, all files or nothing"},
	{"service", cmd_service, COMMON | O_OUT | O_DRYRUN, -1,
	 "service import FILE... [--dry-run] | list | export [--out F]",
	 "服务目录: the categories residents report under (供暖, 回迁 ...), "
	 "the department that answers and the deadlines, from services.csv, "
	 "all files or nothing"},
	{"request", cmd_request,
	 COMMON | O_OUT | O_DRYRUN | O_ROLE | O_DEPT | O_AREA | O_LIMIT |
		 O_RANGE | O_REQUEST,
	 -1,
	 "request submit SERVICE DESCRIPTION ADDRESS [--area A] | list "
	 "[--state S] [--department D] [--area A] [--overdue] [--limit N] | "
	 "show ID | act ID STEP [--department D] [--text T] [--resolved 1|0] "
	 "[--satisfaction S] [--duplicate-of ID] | import FILE... "
	 "[--dry-run] | export [--out F] | stats [--from M] [--to M] [--by "
	 "department|area|service|month]  [--now T] [--role R]",
	 "群众诉求 (急难愁盼): residents' requests, received, dispatched, "
	 "answered, followed up; the queue with the overdue marked, a "
	 "request's timeline, requests.csv, the rates with numerator and "
	 "denominator"},
	{"workday", cmd_workday, COMMON | O_RANGE | O_CALENDAR, 0,
	 "workday --from DATE (--days N | --to DATE | --hours H)",
	 "the deadline N working days after DATE (the day received not "
	 "counted), the working days between two dates, or DATE[THH:MM] "
	 "plus H clock hours"},
};

#define NCOMMANDS (int)(sizeof commands / sizeof *commands)

/* Every option, once: its name, its bit, its argument and what it means. */
static const struct opt_doc {
	const char *name;
	int val;      /* getopt_long's value */
	unsigned long long bit; /* enum opt or an O_* macro */
	const char *arg; /* NULL: takes none */
	const char *help;
} opt_docs[] = {
	{"db", 'd', O_DB, "FILE|URL",
	 "the database: a SQLite file or postgres://... ($CIVSTAT_DB, else "
	 "civstat.db)"},
	{"store", 'd', O_DB, "FILE|URL", "the same as --db"},
	{"format", 'f', O_FORMAT, "table|csv|json", "how to print (table)"},
	{"lang", 'l', O_LANG, "zh|en", "language of headers and words (zh)"},
	{"period", 'p', O_PERIOD, "P",
	 "2025-09, 2025-Q3, 2025, 2025年1-9月 ... (the latest month reported)"},
	{"area", 'a', O_AREA, "CODE", "one area (the whole city)"},
	{"children", 'c', O_CHILDREN, "CODE", "the areas right below CODE"},
	{"level", 'L', O_LEVEL, "N", "every area at level N (the root is 1)"},
	{"indicator", 'i', O_INDICATOR, "X,Y", "indicator codes (all)"},
	{"assessed", 'A', O_ASSESSED, NULL,
	 "the assessment indicators (those with a weight)"},
	{"tolerance", 't', O_TOLERANCE, "T",
	 "behind by less than T of schedule is 接近, close (0.1)"},
	{"from", 'F', O_RANGE, "P|DB",
	 "first period of a series; migrate: the database to copy; workday: "
	 "the day (or YYYY-MM-DDTHH:MM) received"},
	{"to", 'T', O_RANGE, "P|DB",
	 "last period of a series; migrate: the empty database to copy into; "
	 "workday: the last day counted"},
	{"kind", 'k', O_KIND, "K",
	 "areas, departments, indicators, values, targets, benchmarks, sdmx "
	 "(import: from the header)"},
	{"dry-run", 'n', O_DRYRUN, NULL, "check and count, store nothing"},
	{"encoding", 'e', O_ENCODING, "utf8|gb18030",
	 "the files' encoding (found out)"},
	{"demo", 'D', O_DEMO, "DIR", "load the demo city's files from DIR"},
	{"out", 'o', O_OUT, "PATH", "write there, not to standard output"},
	{"value", 'v', O_VALUE, "V", "the figure (empty: remove it)"},
	{"state", 's', O_VALUE | O_REQUEST, "S",
	 "approved, draft, submitted, returned (approved); a request's "
	 "state (received, 已派单 ...; open: the open ones)"},
	{"comment", 'C', O_VALUE, "TEXT", "a comment on the figure"},
	{"mom", 'm', O_MOM, NULL, "环比, against the previous period"},
	{"data", 'X', O_DATA, "DIR", "the files shared/bench/gen.py wrote"},
	{"repeat", 'r', O_REPEAT, "N", "timing runs per question (21)"},
	{"sdmx", 'S', O_SDMX, NULL, "SDMX-CSV 2.0 rather than civstat's CSV"},
	{"excel", 'E', O_EXCEL, NULL,
	 "for Excel in China: GB18030, Chinese column names"},
	{"xlsx", 'Y', O_XLSX, NULL,
	 "an .xlsx workbook (Chinese column names, numbers as numbers)"},
	{"role", 'R', O_ROLE, "R",
	 "admin, leader, reviewer, department or public"},
	{"department", 'P', O_DEPT, "CODE", "the user's department"},
	{"label", 'B', O_LABEL, "TEXT", "what an API token is for"},
	{"password-stdin", 'W', O_PWSTDIN, NULL,
	 "read the password from standard input (else one is made)"},
	{"limit", 'I', O_LIMIT, "N", "at most N entries (all)"},
	{"listen", 'N', O_LISTEN, "ADDR:PORT",
	 "where to serve (127.0.0.1:8080)"},
	{"static", 'U', O_STATIC, "DIR", "the web UI's files (web/dist)"},
	{"phase", 1001, O_PROJECT, "P",
	 "a project's new phase: 谋划 签约 开工 在建 竣工 投产"},
	{"date", 1002, O_PROJECT, "YYYY-MM-DD", "the day of a phase change"},
	{"reason", 1003, O_PROJECT, "TEXT",
	 "why a phase goes back (required then)"},
	{"investment", 1004, O_PROJECT, "X",
	 "investment completed in the month, 亿元"},
	{"progress", 1005, O_PROJECT, "P", "physical progress at month end, %"},
	{"note", 1006, O_PROJECT, "TEXT", "a note on the month's report"},
	{"by", 1007, O_PROJECT | O_REQUEST, "B",
	 "summary by cluster, area, phase or department (cluster); request "
	 "stats by department, area, service or month"},
	{"today", 1008, O_PROJECT, "YYYY-MM-DD",
	 "the day to judge by (today): overdue, late, future months"},
	{"year", 1009, O_CALENDAR, "Y", "only the days of year Y (all)"},
	{"days", 1010, O_CALENDAR, "N",
	 "working days allowed (0: the same working day)"},
	{"hours", 1011, O_CALENDAR, "H",
	 "clock hours allowed, holidays included (heating: 24)"},
	{"now", 1012, O_REQUEST, "YYYY-MM-DD[THH:MM]",
	 "the moment the step is taken, Shanghai time (now)"},
	{"text", 1013, O_REQUEST, "TEXT", "a step's reason, answer or note"},
	{"resolved", 1014, O_REQUEST, "1|0", "回访: was it resolved"},
	{"satisfaction", 1015, O_REQUEST, "S",
	 "回访: satisfied, basic, dissatisfied (满意, 基本满意, 不满意)"},
	{"duplicate-of", 1016, O_REQUEST, "ID", "合并: the original request"},
	{"overdue", 1017, O_REQUEST, NULL, "only the requests past a deadline"},
	{"accounts", 'G', O_ACCOUNTS, NULL,
	 "with --demo: one account per role, passwords shown once"},
	{"help", 'h', 0, NULL, "this text"},
};

#define NOPTS (int)(sizeof opt_docs / sizeof *opt_docs)

/* The enum opt bit of a getopt_long value. */
static unsigned long long opt_bit(int c)
{
	for (int k = 0; k < NOPTS; k++)
		if (opt_docs[k].val == c)
			return opt_docs[k].bit;
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
	for (int k = 0; k < NOPTS; k++) {
		const struct opt_doc *d = &opt_docs[k];
		char left[64];
		if (d->bit && !(c->options & d->bit))
			continue;
		snprintf(left, sizeof left, "--%s%s%s", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		printf("  %-28s %s\n", left, d->help);
	}
}

/* A whole number option of at least 1, strictly: "3x" is refused. */
static int parse_count_opt(const char *name, const char *z, long *out)
{
	if (num_parse_int(z, strlen(z), 1, 1000000000, out))
		return cs_errorf(CS_EUSAGE, "--%s: \"%s\" is not a whole number "
				 "of at least 1", name, z);
	return CS_OK;
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
	struct option long_options[NOPTS + 1];
	for (int k = 0; k < NOPTS; k++)
		long_options[k] = (struct option){
			opt_docs[k].name,
			opt_docs[k].arg ? required_argument : no_argument, NULL,
			opt_docs[k].val};
	long_options[NOPTS] = (struct option){NULL, 0, NULL, 0};
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
		long count = 0;
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'f':
			if (!strcmp(optarg, "table"))
				o.format = OUT_TABLE;
			else if (!strcmp(optarg, "csv"))
				o.format = OUT_CSV;
			else if (!strcmp(optarg, "json"))
				o.format = OUT_JSON;
			else if (cmd->run == cmd_project &&
				 (!strcmp(optarg, "oc4ids") ||
				  !strcmp(optarg, "xlsx")))
				o.export_format = optarg;
			else
				rc = cs_errorf(CS_EUSAGE, "--format: \"%s\" is "
					       "not table, csv or json%s", optarg,
					       cmd->run == cmd_project
						       ? " (project export: "
							 "also oc4ids or xlsx)"
						       : "");
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
			rc = parse_count_opt("level", optarg, &count);
			o.level = (int)count;
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
			rc = parse_count_opt("repeat", optarg, &count);
			o.repeat = (int)count;
			break;
		case 'S': o.sdmx = 1; break;
		case 'E': o.excel = 1; break;
		case 'Y': o.xlsx = 1; break;
		case 'R': o.role = optarg; break;
		case 'P': o.department = optarg; break;
		case 'B': o.label = optarg; break;
		case 'W': o.password_stdin = 1; break;
		case 'I':
			rc = parse_count_opt("limit", optarg, &o.limit);
			break;
		case 'N': o.listen = optarg; break;
		case 'U': o.static_dir = optarg; break;
		case 'G': o.accounts = 1; break;
		case 1001: o.phase = optarg; break;
		case 1002: o.date = optarg; break;
		case 1003: o.reason = optarg; break;
		case 1004: o.investment = optarg; break;
		case 1005: o.progress = optarg; break;
		case 1006: o.note = optarg; break;
		case 1007: o.by = optarg; break;
		case 1008: o.today = optarg; break;
		case 1009: o.year = optarg; break;
		case 1010: o.days = optarg; break;
		case 1011: o.hours = optarg; break;
		case 1012: o.now = optarg; break;
		case 1013: o.text = optarg; break;
		case 1014: o.resolved = optarg; break;
		case 1015: o.satisfaction = optarg; break;
		case 1016: o.duplicate_of = optarg; break;
		case 1017: o.overdue = 1; break;
		}
		if (rc)
			return cli_fail(rc);
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	if (cmd->args >= 0 && o.nargs > cmd->args) {
		fprintf(stderr, "civstat %s: unexpected argument \"%s\"\n",
			cmd->name, o.args[cmd->args]);
		fprintf(stderr, "usage: civstat %s\n", cmd->usage);
		return cs_rc_exit(CS_EUSAGE);
	}
	return cmd->run(&o);
}
