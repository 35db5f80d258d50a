/*
 * What the two stores share of the key-project pipeline's statements
 * (schema 5): the statements' ids, each backend holding its dialect's SQL
 * for them in a table of its own, and the column lists they name.  Kept
 * here so that SQLite and PostgreSQL read and write the same columns in
 * the same order.
 */
#ifndef CS_STORE_PROJECT_H
#define CS_STORE_PROJECT_H

enum project_stmt_id {
	P_PUT_PROJECT, P_SCAN_PROJECTS,
	P_PUT_PLAN, P_SCAN_PLANS,
	P_PUT_MILESTONE, P_SCAN_MILESTONES,
	P_PUT_REPORT, P_SCAN_REPORTS, P_SCAN_REPORTS_OF,
	P_ADD_PHASE, P_SCAN_PHASES,
	P_PUT_PROGRAMME, P_SCAN_PROGRAMMES,
	P_PUT_COMMUNITY, P_SCAN_COMMUNITIES,
	P_PUT_NOTE, P_SCAN_NOTES,
	P_N
};

#define PROJECT_COLUMNS "id, code, name, cluster, type, area_id," \
	" department_id, leader, total, phase, planned_start, planned_finish," \
	" actual_start, actual_finish, address, lon, lat, issues, programme," \
	" sample, source"
#define PROGRAMME_COLUMNS "id, code, name, first_year, last_year," \
	" communities, buildings, households, floor_area, source, sample"
#define COMMUNITY_COLUMNS "programme_id, name, area_id, buildings," \
	" households, floor_area, started, finished, progress, sample"
#define PROJECT_NOTE_COLUMNS "id, project_id, author, day, text, due," \
	" answer, answered_by, answered_on"

#endif
