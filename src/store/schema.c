/*
 * civstat's tables, written once (see schema.h), and the rendering of a
 * migration step into SQLite's or PostgreSQL's DDL.  To change the schema:
 * raise SCHEMA_VERSION, then add a table, an index or a column with that
 * version in since; never edit what an older version created, which
 * databases out there already hold.
 */
#include "store/schema.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"

#define NN SCHEMA_NOT_NULL
#define KEY SCHEMA_KEY
#define UNIQUE SCHEMA_UNIQUE
#define INT SCHEMA_INT
#define BIGINT SCHEMA_BIGINT
#define TEXT SCHEMA_TEXT
#define REAL SCHEMA_REAL
#define BLOB SCHEMA_BLOB

static const struct schema_column meta[] = {
	{"key", TEXT, KEY, NULL, 0},
	{"value", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column area[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"name_en", TEXT, NN, "''", 0},
	{"parent_id", INT, 0, NULL, 0},
	{"level", INT, NN, NULL, 0},
	{"kind", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column department[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"name_en", TEXT, NN, "''", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column indicator[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"name_en", TEXT, NN, NULL, 0},
	{"unit", TEXT, NN, NULL, 0},
	{"pillar", INT, NN, NULL, 0},
	{"frequency", INT, NN, NULL, 0},
	{"time_agg", INT, NN, NULL, 0},
	{"area_agg", INT, NN, NULL, 0},
	{"direction", INT, NN, NULL, 0},
	{"department_id", INT, 0, NULL, 0},
	{"source", TEXT, NN, NULL, 0},
	{"formula", TEXT, NN, NULL, 0},
	{"decimals", INT, NN, NULL, 0},
	{"weight", REAL, 0, NULL, 0},
	{"min", REAL, 0, NULL, 0},
	{"max", REAL, 0, NULL, 0},
	{"part_of", TEXT, NN, NULL, 0},
	{"max_jump", REAL, 0, NULL, 0},
	/* 3: indicators shown to the public (公开). */
	{"published", INT, NN, "1", 3},
	{NULL, 0, 0, NULL, 0},
};

/* The figures of an indicator for an area, packed: value (doubles), flags
 * (bytes) and change (uint32 ids), n of each from first_month. */
static const struct schema_column series[] = {
	{"indicator_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"first_month", INT, NN, NULL, 0},
	{"n", INT, NN, NULL, 0},
	{"value", BLOB, NN, NULL, 0},
	{"flags", BLOB, NN, NULL, 0},
	{"change", BLOB, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column value_comment[] = {
	{"indicator_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"month", INT, NN, NULL, 0},
	{"comment", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column change[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"at", TEXT, NN, NULL, 0},
	{"actor", TEXT, NN, NULL, 0},
	{"what", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column value_history[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"indicator_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"month", INT, NN, NULL, 0},
	{"change_id", BIGINT, NN, NULL, 0},
	{"prev_change", BIGINT, NN, NULL, 0},
	{"before", REAL, 0, NULL, 0},
	{"after", REAL, 0, NULL, 0},
	{"state_before", INT, NN, NULL, 0},
	{"state_after", INT, NN, NULL, 0},
	{"comment", TEXT, 0, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column target[] = {
	{"indicator_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"year", INT, NN, NULL, 0},
	{"kind", INT, NN, NULL, 0},
	{"value", REAL, NN, NULL, 0},
	{"sample", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column benchmark[] = {
	{"indicator_id", INT, NN, NULL, 0},
	{"grp", TEXT, NN, NULL, 0},
	{"month", INT, NN, NULL, 0},
	{"kind", INT, NN, NULL, 0},
	{"measure", INT, NN, NULL, 0},
	{"value", REAL, NN, NULL, 0},
	{"sample", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column user[] = {
	{"id", INT, KEY, NULL, 0},
	{"name", TEXT, NN | UNIQUE, NULL, 0},
	{"role", INT, NN, NULL, 0},
	{"department_id", INT, 0, NULL, 0},
	{"area_id", INT, 0, NULL, 0},
	{"password", TEXT, NN, NULL, 0},
	{"disabled", INT, NN, NULL, 0},
	{"failed", INT, NN, NULL, 0},
	{"locked_until", BIGINT, NN, NULL, 0},
	{"created", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column session[] = {
	{"hash", BLOB, KEY, NULL, 0},
	{"user_id", INT, NN, NULL, 0},
	{"kind", INT, NN, NULL, 0},
	{"csrf", TEXT, NN, NULL, 0},
	{"created", BIGINT, NN, NULL, 0},
	{"last_seen", BIGINT, NN, NULL, 0},
	{"expires", BIGINT, NN, NULL, 0},
	{"label", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column audit[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"at", TEXT, NN, NULL, 0},
	{"actor", TEXT, NN, NULL, 0},
	{"action", TEXT, NN, NULL, 0},
	{"object", TEXT, NN, NULL, 0},
	{"before", TEXT, 0, NULL, 0},
	{"after", TEXT, 0, NULL, 0},
	{"request_id", TEXT, 0, NULL, 0},
	{"prev_hash", BLOB, NN, NULL, 0},
	{"hash", BLOB, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

/* The change feed, by which other processes on the same database (the
 * nodes of a PostgreSQL cluster, a CLI import beside a server) learn what
 * to read again: a series (kind 0) or everything (kind 1), written by
 * node. */
static const struct schema_column feed[] = {
	{"seq", BIGINT, KEY, NULL, 0},
	{"at", TEXT, NN, NULL, 0},
	{"node", TEXT, NN, NULL, 0},
	{"kind", INT, NN, NULL, 0},
	{"indicator_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

/* 5: the key-project pipeline (项目为王): projects with their yearly plan,
 * milestones, monthly reports and phase changes; programmes of many
 * small works (老旧小区改造) and their communities.  Dates are text
 * YYYY-MM-DD, '' when not known; investment in 亿元. */
static const struct schema_column project[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"cluster", TEXT, NN, NULL, 0},
	{"type", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"department_id", INT, 0, NULL, 0},
	{"leader", TEXT, NN, "''", 0},
	{"total", REAL, 0, NULL, 0},
	{"phase", INT, NN, NULL, 0},
	{"planned_start", TEXT, NN, "''", 0},
	{"planned_finish", TEXT, NN, "''", 0},
	{"actual_start", TEXT, NN, "''", 0},
	{"actual_finish", TEXT, NN, "''", 0},
	{"address", TEXT, NN, "''", 0},
	{"lon", REAL, 0, NULL, 0},
	{"lat", REAL, 0, NULL, 0},
	{"issues", TEXT, NN, "''", 0},
	{"programme", TEXT, NN, "''", 0},
	{"sample", INT, NN, "0", 0},
	{"source", TEXT, NN, "''", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column project_plan[] = {
	{"project_id", INT, NN, NULL, 0},
	{"year", INT, NN, NULL, 0},
	{"amount", REAL, NN, NULL, 0},
	{"sample", INT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column project_milestone[] = {
	{"project_id", INT, NN, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"due", TEXT, NN, NULL, 0},
	{"done", TEXT, NN, "''", 0},
	{"sample", INT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column project_report[] = {
	{"project_id", INT, NN, NULL, 0},
	{"month", INT, NN, NULL, 0},
	{"investment", REAL, NN, NULL, 0},
	{"progress", REAL, 0, NULL, 0},
	{"note", TEXT, NN, "''", 0},
	{"actor", TEXT, NN, NULL, 0},
	{"at", TEXT, NN, NULL, 0},
	{"sample", INT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column project_phase[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"project_id", INT, NN, NULL, 0},
	{"from_phase", INT, NN, NULL, 0},
	{"to_phase", INT, NN, NULL, 0},
	{"date", TEXT, NN, NULL, 0},
	{"reason", TEXT, NN, "''", 0},
	{"actor", TEXT, NN, NULL, 0},
	{"at", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column programme[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"first_year", INT, NN, NULL, 0},
	{"last_year", INT, NN, NULL, 0},
	{"communities", INT, NN, "0", 0},
	{"buildings", INT, NN, "0", 0},
	{"households", INT, NN, "0", 0},
	{"floor_area", REAL, 0, NULL, 0},
	{"source", TEXT, NN, "''", 0},
	{"sample", INT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column programme_community[] = {
	{"programme_id", INT, NN, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"area_id", INT, 0, NULL, 0},
	{"buildings", INT, NN, "0", 0},
	{"households", INT, NN, "0", 0},
	{"floor_area", REAL, 0, NULL, 0},
	{"started", TEXT, NN, "''", 0},
	{"finished", TEXT, NN, "''", 0},
	{"progress", REAL, NN, "0", 0},
	{"sample", INT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

/* ---- 6: task lists and supervision (督办) ----
 * Dates are ISO days (2026-06-30) as the domain gives them: deadlines and
 * "today" are days, not instants, and a day compares as text.  The status
 * kept is the one typed (未开始, 推进中, 已完成, 已销号); 滞后 is found
 * from the dates when read, never stored. */
static const struct schema_column task_list[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"year", INT, NN, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"kind", TEXT, NN, NULL, 0},   /* 六稳六保, 民生实事 ... */
	{"source", TEXT, NN, NULL, 0}, /* "seed:L119", "sample" */
	{"sample", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column task[] = {
	{"id", INT, KEY, NULL, 0},
	{"code", TEXT, NN | UNIQUE, NULL, 0},
	{"list_id", INT, NN, NULL, 0},
	{"title", TEXT, NN, NULL, 0},
	{"department_id", INT, 0, NULL, 0},
	{"leader", TEXT, NN, NULL, 0},
	{"deadline", TEXT, NN, NULL, 0},
	{"target", REAL, 0, NULL, 0},  /* 15 (条街路); NULL when none */
	{"unit", TEXT, NN, NULL, 0},
	{"achieved", REAL, 0, NULL, 0}, /* the latest report's figure */
	{"status", INT, NN, NULL, 0},
	{"done_on", TEXT, NN, NULL, 0}, /* the day it was finished, or '' */
	{"source", TEXT, NN, NULL, 0},
	{"sample", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column task_milestone[] = {
	{"task_id", INT, NN, NULL, 0},
	{"seq", INT, NN, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"due", TEXT, NN, NULL, 0},
	{"done_on", TEXT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column task_report[] = {
	{"id", INT, KEY, NULL, 0},
	{"task_id", INT, NN, NULL, 0},
	{"day", TEXT, NN, NULL, 0},
	{"text", TEXT, NN, NULL, 0},
	{"achieved", REAL, 0, NULL, 0},
	{"actor", TEXT, NN, NULL, 0},
	{"sample", INT, NN, NULL, 0},
	{NULL, 0, 0, NULL, 0},
};

/* A supervision note (督办意见) and, once given, the owner's answer. */
static const struct schema_column task_note[] = {
	{"id", INT, KEY, NULL, 0},
	{"task_id", INT, NN, NULL, 0},
	{"author", TEXT, NN, NULL, 0},
	{"day", TEXT, NN, NULL, 0},
	{"text", TEXT, NN, NULL, 0},
	{"due", TEXT, NN, NULL, 0},
	{"answer", TEXT, NN, NULL, 0},
	{"answered_by", TEXT, NN, NULL, 0},
	{"answered_on", TEXT, NN, NULL, 0}, /* '' while unanswered */
	{NULL, 0, 0, NULL, 0},
};

/* 7: a supervision note on a key project, as task_note is on a task. */
static const struct schema_column project_note[] = {
	{"id", INT, KEY, NULL, 0},
	{"project_id", INT, NN, NULL, 0},
	{"author", TEXT, NN, NULL, 0},
	{"day", TEXT, NN, NULL, 0},
	{"text", TEXT, NN, NULL, 0},
	{"due", TEXT, NN, NULL, 0},
	{"answer", TEXT, NN, NULL, 0},
	{"answered_by", TEXT, NN, NULL, 0},
	{"answered_on", TEXT, NN, NULL, 0}, /* '' while unanswered */
	{NULL, 0, 0, NULL, 0},
};

/* 8: the working-day calendar (工作日历): the days the State Council's
 * notices make rest days or working days, one row a day.  The date is
 * the key, text YYYY-MM-DD; kind is "holiday" or "workday". */
static const struct schema_column holiday[] = {
	{"date", TEXT, KEY, NULL, 0},
	{"kind", TEXT, NN, NULL, 0},
	{"name", TEXT, NN, "''", 0},
	{"source", TEXT, NN, "''", 0},
	{NULL, 0, 0, NULL, 0},
};

/* 9: the service catalogue (急难愁盼): the categories residents report
 * under, the department that answers and the deadlines, in working days
 * (dispatch_days, answer_days) or, when answer_hours > 0, clock hours
 * (heating).  "group" is an SQL word, hence grp. */
static const struct schema_column service[] = {
	{"code", TEXT, KEY, NULL, 0},
	{"name", TEXT, NN, NULL, 0},
	{"name_en", TEXT, NN, "''", 0},
	{"grp", TEXT, NN, "''", 0},
	{"department", TEXT, NN, NULL, 0},
	{"dispatch_days", INT, NN, "0", 0},
	{"answer_days", INT, NN, "0", 0},
	{"answer_hours", INT, NN, "0", 0},
	{"keywords", TEXT, NN, "''", 0},
	{"description", TEXT, NN, "''", 0},
	{"public", INT, NN, "1", 0},
	{"source", TEXT, NN, "''", 0},
	{NULL, 0, 0, NULL, 0},
};

/* 10: the residents' requests (model_request.h).  due is the next
 * deadline of an open request (dispatch_due while it waits to be
 * dispatched, else answer_due), kept by the store so that the queue
 * "overdue first" is an index read. */
static const struct schema_column request[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"ref", TEXT, NN, "''", 0},
	{"token", TEXT, NN | UNIQUE, NULL, 0},
	{"service", TEXT, NN, NULL, 0},
	{"state", INT, NN, NULL, 0},
	{"outcome", INT, NN, "0", 0},
	{"description", TEXT, NN, NULL, 0},
	{"address", TEXT, NN, "''", 0},
	{"area_id", INT, NN, "0", 0},
	{"community", TEXT, NN, "''", 0},
	{"lat", REAL, 0, NULL, 0},
	{"lon", REAL, 0, NULL, 0},
	{"media_url", TEXT, NN, "''", 0},
	{"contact_name", TEXT, NN, "''", 0},
	{"contact_phone", TEXT, NN, "''", 0},
	{"contact_email", TEXT, NN, "''", 0},
	{"channel", TEXT, NN, "''", 0},
	{"client", TEXT, NN, "''", 0},
	{"department_id", INT, NN, "0", 0},
	{"received", BIGINT, NN, NULL, 0},
	{"dispatch_due", BIGINT, NN, "0", 0},
	{"response_due", BIGINT, NN, "0", 0},
	{"answer_due", BIGINT, NN, "0", 0},
	{"dispatched", BIGINT, NN, "0", 0},
	{"accepted", BIGINT, NN, "0", 0},
	{"answered", BIGINT, NN, "0", 0},
	{"followed", BIGINT, NN, "0", 0},
	{"closed", BIGINT, NN, "0", 0},
	{"answer", TEXT, NN, "''", 0},
	{"resolved", INT, NN, "-1", 0},
	{"satisfaction", INT, NN, "0", 0},
	{"duplicate_of", BIGINT, NN, "0", 0},
	{"reopened", INT, NN, "0", 0},
	{"supervised", INT, NN, "0", 0},
	{"updated", BIGINT, NN, "0", 0},
	{"sample", INT, NN, "0", 0},
	{"due", BIGINT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

static const struct schema_column request_event[] = {
	{"id", BIGINT, KEY, NULL, 0},
	{"request_id", BIGINT, NN, NULL, 0},
	{"at", BIGINT, NN, NULL, 0},
	{"actor", TEXT, NN, NULL, 0},
	{"action", TEXT, NN, NULL, 0},
	{"from_state", INT, NN, NULL, 0},
	{"to_state", INT, NN, NULL, 0},
	{"department_id", INT, NN, "0", 0},
	{"text", TEXT, NN, "''", 0},
	{NULL, 0, 0, NULL, 0},
};

/* The tallies the rates are sums of (struct request_stat). */
static const struct schema_column request_stat[] = {
	{"month", INT, NN, NULL, 0},
	{"department_id", INT, NN, NULL, 0},
	{"area_id", INT, NN, NULL, 0},
	{"service", TEXT, NN, NULL, 0},
	{"received", BIGINT, NN, "0", 0},
	{"duplicates", BIGINT, NN, "0", 0},
	{"dispatched", BIGINT, NN, "0", 0},
	{"dispatched_on_time", BIGINT, NN, "0", 0},
	{"responded", BIGINT, NN, "0", 0},
	{"responded_on_time", BIGINT, NN, "0", 0},
	{"answered", BIGINT, NN, "0", 0},
	{"answered_on_time", BIGINT, NN, "0", 0},
	{"followed", BIGINT, NN, "0", 0},
	{"resolved", BIGINT, NN, "0", 0},
	{"satisfied", BIGINT, NN, "0", 0},
	{"basic", BIGINT, NN, "0", 0},
	{"dissatisfied", BIGINT, NN, "0", 0},
	{"reopened", BIGINT, NN, "0", 0},
	{"closed", BIGINT, NN, "0", 0},
	{"open_delta", BIGINT, NN, "0", 0},
	{NULL, 0, 0, NULL, 0},
};

const struct schema_table schema_tables[] = {
	/* 1: the catalogue, the figures and their history. */
	{{"meta", "meta"}, 1, NULL, 0, meta},
	{{"area", "area"}, 1, NULL, 0, area},
	{{"department", "department"}, 1, NULL, 0, department},
	{{"indicator", "indicator"}, 1, NULL, 0, indicator},
	{{"series", "series"}, 1, "indicator_id, area_id", 1, series},
	{{"value_comment", "value_comment"}, 1, "indicator_id, area_id, month",
	 1, value_comment},
	{{"change", "change"}, 1, NULL, 0, change},
	{{"value_history", "value_history"}, 1, NULL, 0, value_history},
	{{"target", "target"}, 1, "indicator_id, area_id, year, kind", 1,
	 target},
	{{"benchmark", "benchmark"}, 1, "indicator_id, grp, month, kind, measure",
	 1, benchmark},
	/* 2: accounts, sessions and the audit trail. */
	{{"user", "users"}, 2, NULL, 0, user},
	{{"session", "sessions"}, 2, NULL, 1, session},
	{{"audit", "audit"}, 2, NULL, 0, audit},
	/* 4: the change feed. */
	{{"feed", "feed"}, 4, NULL, 0, feed},
	/* 5: the key-project pipeline. */
	{{"project", "project"}, 5, NULL, 0, project},
	{{"project_plan", "project_plan"}, 5, "project_id, year", 1,
	 project_plan},
	{{"project_milestone", "project_milestone"}, 5, "project_id, name", 1,
	 project_milestone},
	{{"project_report", "project_report"}, 5, "project_id, month", 1,
	 project_report},
	{{"project_phase", "project_phase"}, 5, NULL, 0, project_phase},
	{{"programme", "programme"}, 5, NULL, 0, programme},
	{{"programme_community", "programme_community"}, 5,
	 "programme_id, name", 1, programme_community},
	/* 6: task lists, tasks, milestones, progress reports, 督办. */
	{{"task_list", "task_list"}, 6, NULL, 0, task_list},
	{{"task", "task"}, 6, NULL, 0, task},
	{{"task_milestone", "task_milestone"}, 6, "task_id, seq", 1,
	 task_milestone},
	{{"task_report", "task_report"}, 6, NULL, 0, task_report},
	{{"task_note", "task_note"}, 6, NULL, 0, task_note},
	/* 7: 督办 notes on key projects. */
	{{"project_note", "project_note"}, 7, NULL, 0, project_note},
	/* 8: the working-day calendar. */
	{{"holiday", "holiday"}, 8, NULL, 0, holiday},
	/* 9: the service catalogue. */
	{{"service", "service"}, 9, NULL, 0, service},
	/* 10: the residents' requests, their timelines and tallies. */
	{{"request", "request"}, 10, NULL, 0, request},
	{{"request_event", "request_event"}, 10, NULL, 0, request_event},
	{{"request_stat", "request_stat"}, 10,
	 "month, department_id, area_id, service", 1, request_stat},
};

const int schema_ntables = sizeof schema_tables / sizeof *schema_tables;

const struct schema_index schema_indices[] = {
	{{"value_history_key", "value_history_key"}, value_history,
	 "indicator_id, area_id, month", 1, NULL, 0},
	{{"session_user", "sessions_user"}, session, "user_id", 2, NULL, 0},
	{{"project_phase_key", "project_phase_key"}, project_phase,
	 "project_id, id", 5, NULL, 0},
	{{"task_list_id", "task_list_id"}, task, "list_id", 6, NULL, 0},
	{{"task_report_task", "task_report_task"}, task_report, "task_id, day",
	 6, NULL, 0},
	{{"task_note_task", "task_note_task"}, task_note, "task_id", 6, NULL, 0},
	{{"project_note_project", "project_note_project"}, project_note,
	 "project_id", 7, NULL, 0},
	/* The queue: the open by their next deadline, a department's open
	 * ones likewise (state in them too, so that counting the overdue
	 * reads the index alone), a department's all and everyone's by
	 * receipt; a hotline's ref once. */
	{{"request_due", "request_due"}, request, "due, id, state", 10,
	 "state BETWEEN 1 AND 4", 0},
	{{"request_department", "request_department"}, request,
	 "department_id, received", 10, NULL, 0},
	{{"request_open_department", "request_open_department"}, request,
	 "department_id, due, id, state", 10, "state BETWEEN 1 AND 4", 0},
	{{"request_received", "request_received"}, request, "received", 10,
	 NULL, 0},
	{{"request_ref", "request_ref"}, request, "ref", 10, "ref <> ''", 1},
	/* The overdue queue's counts by state, each a range of this index
	 * (request_due's state is read for every overdue row: 14 ms a
	 * page at 5 million requests, 4 ms with this). */
	{{"request_open_state", "request_open_state"}, request, "state, due",
	 10, "state BETWEEN 1 AND 4", 0},
	{{"request_event_request", "request_event_request"}, request_event,
	 "request_id, id", 10, NULL, 0},
	{{"request_stat_department", "request_stat_department"},
	 request_stat, "department_id, month", 10, NULL, 0},
};

const int schema_nindices = sizeof schema_indices / sizeof *schema_indices;

static const char *const type_names[][2] = {
	[SCHEMA_INT] = {"INTEGER", "integer"},
	[SCHEMA_BIGINT] = {"INTEGER", "bigint"},
	[SCHEMA_TEXT] = {"TEXT", "text"},
	[SCHEMA_REAL] = {"REAL", "double precision"},
	[SCHEMA_BLOB] = {"BLOB", "bytea"},
};

const char *schema_table_name(enum schema_dialect d, int t)
{
	return schema_tables[t].name[d];
}

/* The name in dialect d of the table whose columns are these. */
static const char *table_of(enum schema_dialect d,
			    const struct schema_column *columns)
{
	for (int k = 0; k < schema_ntables; k++)
		if (schema_tables[k].columns == columns)
			return schema_tables[k].name[d];
	return NULL; /* not reached: every index names a table above */
}

static void column_ddl(FILE *f, enum schema_dialect d,
		       const struct schema_column *c)
{
	fprintf(f, "%s %s%s%s%s", c->name, type_names[c->type][d],
		c->flags & SCHEMA_KEY ? " PRIMARY KEY" : "",
		c->flags & SCHEMA_NOT_NULL ? " NOT NULL" : "",
		c->flags & SCHEMA_UNIQUE ? " UNIQUE" : "");
	if (c->dflt)
		fprintf(f, " DEFAULT %s", c->dflt);
}

static void table_ddl(FILE *f, enum schema_dialect d,
		      const struct schema_table *t)
{
	const char *sep = "";
	fprintf(f, "CREATE TABLE %s(", t->name[d]);
	for (const struct schema_column *c = t->columns; c->name; c++) {
		if (c->since)
			continue; /* added by its own version's step */
		fputs(sep, f);
		column_ddl(f, d, c);
		sep = ", ";
	}
	if (t->key)
		fprintf(f, ", PRIMARY KEY(%s)", t->key);
	fputs(")", f);
	if (t->without_rowid && d == SCHEMA_SQLITE)
		fputs(" WITHOUT ROWID", f);
	fputs(";\n", f);
}

int schema_migration(enum schema_dialect d, int v, char **out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (int k = 0; k < schema_ntables; k++)
		if (schema_tables[k].since == v)
			table_ddl(f, d, &schema_tables[k]);
	for (int k = 0; k < schema_nindices; k++) {
		const struct schema_index *x = &schema_indices[k];
		if (x->since != v)
			continue;
		fprintf(f, "CREATE %sINDEX %s ON %s(%s)",
			x->unique ? "UNIQUE " : "", x->name[d],
			table_of(d, x->table), x->columns);
		if (x->where)
			fprintf(f, " WHERE %s", x->where);
		fputs(";\n", f);
	}
	for (int k = 0; k < schema_ntables; k++) {
		const struct schema_table *t = &schema_tables[k];
		for (const struct schema_column *c = t->columns; c->name; c++) {
			if (c->since != v)
				continue;
			fprintf(f, "ALTER TABLE %s ADD COLUMN ", t->name[d]);
			column_ddl(f, d, c);
			fputs(";\n", f);
		}
	}
	if (fclose(f) || !buf) {
		free(buf);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	*out = buf;
	return CS_OK;
}
