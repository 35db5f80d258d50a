/*
 * The records of the key-project pipeline (项目为王, schema version 5):
 * projects, their planned investment per year, milestones, monthly
 * reports and phase changes, and programmes (老旧小区改造) with their
 * communities.  Kept apart from model.h so that the pipeline's shapes
 * live in one place.  Dates are "YYYY-MM-DD", "" when not known.
 */
#ifndef CS_MODEL_PROJECT_H
#define CS_MODEL_PROJECT_H

/* 项目类型 */
enum project_type {
	PROJECT_INDUSTRY = 0,       /* 产业项目 */
	PROJECT_INFRASTRUCTURE = 1, /* 基础设施 */
	PROJECT_LIVELIHOOD = 2,     /* 社会民生 */
	PROJECT_TECHNOLOGY = 3,     /* 科技攻关 揭榜挂帅 */
	PROJECT_NTYPES
};

/* The phases, in the order a project moves through them. */
enum project_phase {
	PHASE_PLANNING = 0,  /* 谋划 */
	PHASE_SIGNED = 1,    /* 签约 */
	PHASE_STARTED = 2,   /* 开工 */
	PHASE_BUILDING = 3,  /* 在建 */
	PHASE_COMPLETED = 4, /* 竣工 */
	PHASE_OPERATING = 5, /* 投产 */
	PHASE_N
};

struct project {
	int id;
	const char *code;           /* a stable code: JZ-2025-001 */
	const char *name;
	const char *cluster;        /* a cluster code (project.c's table) */
	int type;             /* enum project_type */
	int area_id;
	int department_id;    /* 0 when none */
	const char *leader;         /* 包保领导, "" when none */
	double total;         /* total investment, 亿元; NaN when unknown */
	int phase;            /* enum project_phase */
	const char *planned_start, *planned_finish; /* dates */
	const char *actual_start, *actual_finish;
	const char *address;
	double lon, lat;      /* WGS 84; NaN when not known */
	const char *issues;         /* 需协调解决的问题, "" when none */
	const char *programme;      /* the programme's code, "" when none */
	int sample;           /* 1: invented demo data, not a real figure */
	const char *source;         /* "seed:L40", "sample" ... */
};

/* The investment planned for a project in a year (年度计划投资). */
struct project_plan {
	int project_id;
	int year;
	double amount; /* 亿元 */
	int sample;
};

struct milestone {
	int project_id;
	const char *name;
	const char *due;  /* date */
	const char *done; /* date, "" while open */
	int sample;
};

/* A project's report for one month (月报). */
struct project_report {
	int project_id;
	int month;         /* month index (period.h) */
	double investment; /* completed in that month, 亿元 */
	double progress;   /* physical progress at month end, %; NaN: none */
	const char *note;
	const char *actor;       /* who reported */
	const char *at;          /* when, ISO 8601 UTC */
	int sample;
};

/* One change of a project's phase, kept for ever. */
struct phase_change {
	long id;
	int project_id;
	int from, to;  /* enum project_phase; from -1 for the first phase */
	const char *date;    /* the day the project reached to */
	const char *reason;  /* required when going back, else "" */
	const char *actor;
	const char *at;      /* when it was recorded */
};

/* A supervision note (督办意见) on a project and its department's answer,
 * the same shape as a task's (model_task.h). */
struct project_note {
	int id;
	int project_id;
	const char *author; /* a leader or the supervision office (督查室) */
	const char *day;    /* written on */
	const char *text;
	const char *due;    /* the day by which the department must answer */
	const char *answer; /* "" while unanswered */
	const char *answered_by;
	const char *answered_on; /* "" while unanswered */
};

/* A programme of many small works (老旧小区改造) with its plan. */
struct programme {
	int id;
	const char *code;
	const char *name;
	int first_year, last_year; /* the plan's years: 2021-2025 */
	int communities;           /* planned counts, 0 when not set */
	int buildings;
	int households;
	double floor_area;         /* 万平方米; NaN when not set */
	const char *source;
	int sample;
};

/* One community (小区) of a programme. */
struct community {
	int programme_id;
	const char *name;
	int area_id;       /* 0 when not known */
	int buildings;
	int households;
	double floor_area; /* 万平方米; NaN when not known */
	const char *started;     /* dates, "" when not yet */
	const char *finished;
	double progress;   /* physical progress, % */
	int sample;
};

#endif
