/*
 * civstat holiday and civstat workday: the working-day calendar (工作日历)
 * on the command line.  holiday imports, lists and exports the table of
 * the State Council's 放假 and 调休上班 days; workday is the check a person
 * can run by hand: the deadline N working days after a day, the working
 * days between two days, or a deadline in clock hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/num.h"
#include "core/workday.h"
#include "domain/holiday.h"

static int usage_error(const char *cmd, const char *what)
{
	return cs_errorf(CS_EUSAGE, "%s: %s", cmd, what);
}

/* --year Y, 0 when not given. */
static int year_of(const struct cli_opts *o, int *year)
{
	long y = 0;
	if (o->year && num_parse_int(o->year, strlen(o->year),
				     WORKDAY_MIN_YEAR, WORKDAY_MAX_YEAR, &y))
		return cs_errorf(CS_EUSAGE, "--year: \"%s\" is not a year",
				 o->year);
	*year = (int)y;
	return CS_OK;
}

static int holiday_import(struct cli_opts *o, struct civstat *cs)
{
	long total = 0;
	int rc;
	if (o->nargs < 2)
		return usage_error("holiday", "import needs a FILE");
	if ((rc = holiday_csv_import(cs, (const char *const *)o->args + 1,
				     o->nargs - 1, o->dry_run, &total)))
		return rc;
	printf("%s节假日安排 %ld 天\n(%s: %ld days)\n",
	       o->dry_run ? "检查通过，未写入：" : "已导入", total,
	       o->dry_run ? "checked, nothing stored" : "imported", total);
	return CS_OK;
}

static int holiday_list(struct cli_opts *o, struct civstat *cs, int export)
{
	struct out_table t;
	int year = 0, rc;
	if ((rc = year_of(o, &year)))
		return rc;
	if ((rc = holiday_table(cs->st, year, export, cli_zh(o), &t))) {
		out_release(&t);
		return rc;
	}
	return export ? cli_print_export(o, &t) : cli_print(o, &t);
}

int cmd_holiday(struct cli_opts *o)
{
	struct civstat *cs;
	int rc;
	const char *sub = o->nargs ? o->args[0] : "";
	if (strcmp(sub, "import") && strcmp(sub, "list") &&
	    strcmp(sub, "export"))
		return cli_fail(usage_error("holiday", "import FILE... | list "
					    "[--year Y] | export [--year Y]"));
	if (strcmp(sub, "import") && o->nargs > 1)
		return cli_fail(usage_error("holiday", "list and export take "
					    "no FILE"));
	/* The calendar's options come as a group: refuse the workday's. */
	if (o->days || o->hours)
		return cli_fail(usage_error("holiday", "--days and --hours "
					    "are workday's (civstat workday)"));
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	if (!strcmp(sub, "import"))
		rc = holiday_import(o, cs);
	else
		rc = holiday_list(o, cs, !strcmp(sub, "export"));
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}

/* ---- workday ------------------------------------------------------------ */

/* Parses the day of option name; its message copied first, since
 * cs_errorf writes where cs_errmsg() reads. */
static int day_opt(const char *name, const char *z, size_t n, int *day)
{
	char why[128];
	if (!workday_day_parse(z, n, day))
		return CS_OK;
	snprintf(why, sizeof why, "%s", cs_errmsg());
	return cs_errorf(CS_EUSAGE, "--%s: %s", name, why);
}

/* --from: a day, or a moment YYYY-MM-DDTHH:MM of Shanghai time. */
static int moment_of(const char *z, int *day, int *minute)
{
	size_t n = strlen(z);
	long hh, mm;
	*minute = 0;
	if (n == 16 && (z[10] == 'T' || z[10] == ' ') && z[13] == ':') {
		if (num_parse_int(z + 11, 2, 0, 23, &hh) ||
		    num_parse_int(z + 14, 2, 0, 59, &mm))
			return cs_errorf(CS_EUSAGE, "--from: \"%s\" is not a "
					 "time (HH:MM)", z);
		*minute = (int)(hh * 60 + mm);
		n = 10;
	}
	return day_opt("from", z, n, day);
}

/* The weekday of day, in Chinese in a table. */
static const char *weekday(const struct cli_opts *o, int day)
{
	return workday_weekday_name(workday_weekday(day), cli_zh(o));
}

static void day_cell(struct out_table *t, int day)
{
	char buf[16];
	workday_day_format(day, buf, sizeof buf);
	out_text(t, buf);
}

/* Says so when a day counted lies in a year the table does not hold:
 * only weekends were known there. */
static void warn_uncovered(const struct workday_calendar *c, int from, int to)
{
	for (int d = from; d <= to; d++)
		if (!workday_covers(c, d)) {
			int y, m, dd;
			workday_civil(d, &y, &m, &dd);
			fprintf(stderr, "注意：节假日表没有%d年的安排，"
					"只按周末计算 (note: the holiday "
					"table has no %d; only weekends were "
					"counted)\n",
				y, y);
			return;
		}
}

static int workday_run(struct cli_opts *o, const struct workday_calendar *c)
{
	static const char *const due_en[] = {"from", "weekday", "working_days",
					     "due", "due_weekday"};
	static const char *const due_zh[] = {"受理日期", "星期",
					     "工作日", "办理期限",
					     "期限星期"};
	static const char *const count_en[] = {"from", "to", "working_days"};
	static const char *const count_zh[] = {"起始日期", "截止日期",
					       "工作日"};
	static const char *const hours_en[] = {"from", "hours", "due"};
	static const char *const hours_zh[] = {"受理时间", "小时",
					       "办理期限"};
	struct out_table t;
	int from, minute, to;
	long n;
	int rc, modes = !!o->days + !!o->to + !!o->hours;
	if (!o->from || modes != 1)
		return usage_error("workday", "--from DATE with one of --days "
				   "N, --to DATE or --hours H");
	if ((rc = moment_of(o->from, &from, &minute)))
		return rc;
	if (o->days) {
		if (num_parse_int(o->days, strlen(o->days), 0,
				  WORKDAY_MAX_DAYS, &n))
			return cs_errorf(CS_EUSAGE, "--days: \"%s\" is not a "
					 "whole number 0..%d", o->days,
					 WORKDAY_MAX_DAYS);
		int due = workday_after(c, from, (int)n);
		warn_uncovered(c, from, due);
		out_init(&t, 5, due_en, due_zh);
		out_row(&t);
		day_cell(&t, from);
		out_text(&t, weekday(o, from));
		out_num(&t, (double)n, 0);
		day_cell(&t, due);
		out_text(&t, weekday(o, due));
	} else if (o->to) {
		if ((rc = day_opt("to", o->to, strlen(o->to), &to)))
			return rc;
		warn_uncovered(c, from < to ? from : to, from < to ? to : from);
		out_init(&t, 3, count_en, count_zh);
		out_row(&t);
		day_cell(&t, from);
		day_cell(&t, to);
		out_num(&t, (double)workday_count(c, from, to), 0);
	} else {
		if (num_parse_int(o->hours, strlen(o->hours), 0,
				  WORKDAY_MAX_HOURS, &n))
			return cs_errorf(CS_EUSAGE, "--hours: \"%s\" is not a "
					 "whole number 0..%d", o->hours,
					 WORKDAY_MAX_HOURS);
		time_t at = workday_start_of(from) + minute * 60;
		time_t due = workday_deadline_hours(at, (int)n);
		int dm = (int)((due - workday_start_of(workday_day_of(due))) /
			       60);
		char buf[16];
		out_init(&t, 3, hours_en, hours_zh);
		out_row(&t);
		workday_day_format(from, buf, sizeof buf);
		out_textf(&t, "%s %02d:%02d", buf, minute / 60, minute % 60);
		out_num(&t, (double)n, 0);
		workday_day_format(workday_day_of(due), buf, sizeof buf);
		out_textf(&t, "%s %02d:%02d", buf, dm / 60, dm % 60);
	}
	return cli_print(o, &t);
}

int cmd_workday(struct cli_opts *o)
{
	struct workday_calendar c;
	struct civstat *cs;
	int rc;
	if (o->year)
		return cli_fail(usage_error("workday", "--year is holiday "
					    "list's (civstat holiday)"));
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	if (!(rc = holiday_calendar(cs->st, &c)))
		rc = workday_run(o, &c);
	workday_release(&c);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
