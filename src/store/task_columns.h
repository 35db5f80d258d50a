/*
 * The columns of the task tables (schema 6) in the order both backends
 * bind and read them, written once so that store_sqlite.c and store_pg.c
 * cannot drift apart; only their placeholders (?1, $1) differ.
 */
#ifndef CS_TASK_COLUMNS_H
#define CS_TASK_COLUMNS_H

#define TASK_LIST_COLUMNS "id, code, year, name, kind, source, sample"
#define TASK_COLUMNS                                                           \
	"id, code, list_id, title, department_id, leader,"                     \
	" deadline, target, unit, achieved, status, done_on,"                  \
	" source, sample"
#define MILESTONE_COLUMNS "task_id, seq, name, due, done_on"
#define REPORT_COLUMNS	  "id, task_id, day, text, achieved, actor, sample"
#define NOTE_COLUMNS                                                           \
	"id, task_id, author, day, text, due, answer,"                         \
	" answered_by, answered_on"

#endif
