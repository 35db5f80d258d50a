/*
 * The records of the task lists (任务清单) and their supervision (督办):
 * lists, tasks, milestones, progress reports and supervision notes with
 * their answers, as the store reads and writes them.  Days are ISO dates
 * ("2026-06-30"), "" when there is none; the rules over them live in
 * domain/task.c.
 */
#ifndef CS_MODEL_TASK_H
#define CS_MODEL_TASK_H

/* The status a task is given.  TASK_LATE (滞后) is never stored: it is
 * what a task not done is once its deadline or a milestone has passed. */
enum task_status {
	TASK_NOT_STARTED = 0, /* 未开始 */
	TASK_IN_PROGRESS = 1, /* 推进中 */
	TASK_DONE = 2,	      /* 已完成 */
	TASK_LATE = 3,	      /* 滞后: found, not typed */
	TASK_CLOSED = 4, /* 已销号: checked and struck off by a leader */
	TASK_NSTATUS
};

struct task_list {
	int id;
	char *code; /* "2026-LWLB" */
	int year;
	char *name;   /* 2026年六稳六保任务清单 */
	char *kind;   /* 六稳六保, 民生实事 ... */
	char *source; /* "seed:L119", "sample" */
	int sample;
};

struct task {
	int id;
	char *code; /* "2026-LWLB-03" */
	int list_id;
	char *title;
	int department_id; /* the owner (责任单位); 0 when none */
	char *leader;	   /* the lead leader (牵头领导), "" when none */
	char *deadline;	   /* a day */
	double target;	   /* measurable target, NaN when none */
	char *unit;	   /* 条街路, 个 ... "" when none */
	double achieved;   /* the latest reported figure, NaN when none */
	int status;	   /* enum task_status, never TASK_LATE */
	char *done_on;	   /* the day it was finished, "" while not */
	char *source;	   /* the seed line it quotes, or "sample" */
	int sample;	   /* owner, deadline, progress are sample data */
};

struct task_milestone {
	int task_id;
	int seq; /* 1, 2 ... within the task */
	char *name;
	char *due;     /* a day */
	char *done_on; /* "" while not done */
};

struct task_report {
	int id;
	int task_id;
	char *day; /* the day it reports on */
	char *text;
	double achieved; /* the figure reached, NaN when none */
	char *actor;	 /* who reported */
	int sample;
};

/* A supervision note (督办意见) and its answer, once given. */
struct task_note {
	int id;
	int task_id;
	char *author; /* a leader or the supervision office (督查室) */
	char *day;    /* written on */
	char *text;
	char *due;    /* the day by which the owner must answer */
	char *answer; /* "" while unanswered */
	char *answered_by;
	char *answered_on; /* "" while unanswered */
};

#endif
