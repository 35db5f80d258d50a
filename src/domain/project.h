/*
 * The key-project pipeline (项目为王): projects with their yearly plan,
 * milestones, monthly reports and dated phase changes, the roll-ups
 * leaders read each month, and the feed that turns the projects' reports
 * into the figures of the key-project investment indicator, so the same
 * amount is never typed twice.  Every write is one transaction with its
 * audit entry: all of it or nothing.
 */
#ifndef CS_PROJECT_H
#define CS_PROJECT_H

#include "core/map.h"
#include "domain/civstat.h"
#include "domain/task.h"

/* The indicator the monthly reports feed (重点项目完成投资, 亿元, monthly,
 * summed over months and areas); when the catalogue lacks it, reports are
 * kept and feed nothing. */
#define PROJECT_INDICATOR "PROJ_INV"

/* The clusters (产业集群) a project may belong to. */
struct project_cluster {
	const char *code; /* fine_chem */
	const char *zh;   /* 精细化工 */
};
extern const struct project_cluster project_clusters[];
extern const int project_nclusters;

/* Lookups by code, English or Chinese name; -1 when unknown. */
int project_cluster_parse(const char *z);
int project_phase_parse(const char *z);
int project_type_parse(const char *z);
const char *project_phase_zh(int phase);  /* 谋划 ... 投产 */
const char *project_phase_en(int phase);  /* planning ... operating */
/* 产业 基础设施 民生 科技攻关（揭榜挂帅）; parse also takes 揭榜挂帅 */
const char *project_type_zh(int type);
const char *project_type_en(int type);
const char *project_cluster_zh(const char *code); /* code itself if unknown */

/* One year of a project: its plan and what it completed, month by month,
 * so that the investment done to any month is one read. */
struct project_year {
	int year;
	double plan;       /* planned investment, 亿元; NaN when none */
	int plan_sample;   /* the plan is sample data */
	double cum[12];    /* completed January to each month, 亿元 */
	unsigned has;      /* bit m: month m was reported */
	unsigned sample;   /* bit m: that report is sample data */
};

/* What the roll-ups and flags read of one project, kept beside it. */
struct project_ledger {
	struct project_year *years; /* by year */
	int n_years;
	char due[11]; /* the earliest due of a milestone not done, "" none */
	int sample;   /* some report of it is sample data */
	int cluster;  /* index in project_clusters, -1 when unknown */
};

/*
 * Everything of the pipeline read from the store, with copies of the
 * strings: what the roll-ups and the CLI read.  The ledgers and maps
 * are kept as the rows are read, so that a project's figures, its flags
 * and a lookup by code or id cost the same at 20,000 projects as at 20.
 * A lean book (the one a civstat holds, project_cache) keeps no rows of
 * reports and plans: their figures are in the ledgers.
 */
struct project_book {
	struct project *projects;     /* by id */
	int n_projects;
	struct project_plan *plans;   /* by project, year; none when lean */
	int n_plans;
	struct milestone *milestones; /* by project, name (then as written) */
	int n_milestones;
	struct project_report *reports; /* by project, month; none when lean */
	int n_reports;
	struct phase_change *phases;  /* by id */
	int n_phases;
	struct programme *programmes;
	int n_programmes;
	struct community *communities;
	int n_communities;
	char **strings;               /* every copied string, to free */
	size_t n_strings, cap_strings;
	struct project_ledger *ledgers; /* by index in projects */
	struct strmap by_code;        /* project code -> index */
	struct strmap by_milestone;   /* "id/name" -> index in milestones */
	int *at_id;                   /* project id -> index + 1, 0: none */
	int n_at_id;
	int last_month;               /* the latest month reported, -1: none */
	int lean;
	unsigned long gen;            /* moves on with every change kept */
	unsigned long area_gen;       /* ... with a project's area or a new
					 catalogue (the views' area) */
	struct project_memo *memo;    /* the last view asked for */
};

/* Reads the whole pipeline; on error b is released. */
int project_book_load(struct project_book *b, struct store *st);
void project_book_release(struct project_book *b);
/* The index of project code (of project id) in b, -1 when none. */
int project_book_find(const struct project_book *b, const char *code);
int project_book_at(const struct project_book *b, int id);
/* Project k's year, NULL when nothing is planned or reported in it. */
const struct project_year *project_year_of(const struct project_book *b,
					   int k, int year);

/*
 * The pipeline a civstat holds in memory: read (lean) at the first use,
 * then kept up to date by every write of this file and of project_io.c
 * once it commits, under civstat_cube_lock, so that a server's readers
 * (holding the cube's lock shared) never see it change under them.
 * Writes by other processes reach it by the change feed (FEED_PROJECTS):
 * the server reads a new book (project_book_load with lean set) and puts
 * it in place with project_cache_take, holding the cube's lock.
 * Inside a caller's transaction the book takes a write when the write's
 * own (inner) transaction commits: a caller that rolls back afterwards
 * calls project_cache_drop, as project_import does.
 * The writes take the cube's lock themselves: call them holding the
 * store's mutex only (as pipeline.c's write_begin does), never with the
 * cube's lock held.  project_cache: *out is the civstat's, valid until
 * the next write.
 */
int project_cache(struct civstat *cs, struct project_book **out);
int project_book_load_lean(struct project_book *b, struct store *st);
void project_cache_take(struct civstat *cs, struct project_book *b);
/* Forgets the book (read again at the next use): after a rollback. */
void project_cache_drop(struct civstat *cs);

/*
 * Creates or (by code) updates project p: the cluster, type and phase must
 * be known, the area and department ids exist, investment not negative,
 * dates YYYY-MM-DD.  A new project records its first phase; a later
 * phase is recorded as a change (dated actual_start, if any), an earlier
 * one refused (project_set_phase takes it with a reason).  p->id is
 * written back.  CS_EINVAL / CS_ENOTFOUND with a message naming the field;
 * nothing changes then.
 */
int project_put(struct civstat *cs, struct project *p);

/*
 * Moves project code to phase to, reached on date.  Forward by one or
 * more steps; backwards only with a reason (CS_EINVAL without one); the
 * same phase is CS_ECONFLICT.  Sets actual_start on reaching 开工 and
 * actual_finish on 竣工 when they are empty.  Kept as a phase change and
 * audited.
 */
int project_set_phase(struct civstat *cs, const char *code, int to,
		      const char *date, const char *reason);

/*
 * Records r (r->project_id set; actor is cs->actor) as the report of its
 * project for r->month, replacing one there, and feeds the indicator
 * PROJECT_INDICATOR: the figure of the project's area and of each area
 * above it for that month becomes the sum of the reports of the projects
 * within it, written as any figure is (history, audit, cube).  Refused:
 * negative investment, progress outside 0..100, a month after now_month
 * (a month index, passed in so that tests do not depend on the clock).
 */
int project_put_report(struct civstat *cs, const struct project_report *r,
		       int now_month);

/* A year's planned investment and a milestone; checked as above. */
int project_put_plan(struct civstat *cs, const struct project_plan *p);
int project_put_milestone(struct civstat *cs, const struct milestone *m);

/* A programme and one of its communities (by code / by name). */
int project_put_programme(struct civstat *cs, struct programme *p);
int project_put_community(struct civstat *cs, const struct community *c);

/*
 * An import's writes (project_io.c): between begin and end, on this
 * thread, the writes above append no audit entry each and reports feed
 * no figure; the import appends one entry and then calls project_feed.
 */
void project_batch_begin(void);
void project_batch_end(void);

/*
 * Writes the figures of PROJECT_INDICATOR for months lo..hi, every area
 * with a project within it: the sums of the reports, through the
 * figures' import path (one audit entry "import", the cube following),
 * inside the caller's transaction.  Figures that do not change are left
 * as they are.  Nothing when the catalogue lacks the indicator.
 */
int project_feed(struct civstat *cs, int lo, int hi);

/* ---- roll-ups ---------------------------------------------------------- */

enum project_by { BY_CLUSTER, BY_AREA, BY_PHASE, BY_DEPARTMENT, BY_N };
int project_by_parse(const char *z);

/* One group of a roll-up over the year to month upto. */
struct project_sum {
	int behind, overdue, not_started; /* projects flagged (rollup_on) */
	char key[64];     /* cluster code, area code, phase name, dept code */
	const char *name; /* its Chinese name (static or the catalogue's) */
	int n;            /* projects */
	double total;     /* total investment */
	double plan;      /* the year's planned investment */
	double done;      /* completed in the year to upto */
	int sample;       /* some figure in it is sample data */
};

/*
 * Sums the projects of b by by over the year of month upto (January to
 * upto): *out (malloc'd, the caller frees) holds *n groups in order of
 * their key's first appearance in the catalogue or the fixed lists, then
 * one last row "合计" for all.
 */
int project_rollup(const struct project_book *b, const struct catalog *cat,
		   enum project_by by, int upto, struct project_sum **out,
		   int *n);

/*
 * project_rollup, and the flags of each group's projects counted on day
 * today with tolerance (see project_flags); today NULL counts none.
 */
int project_rollup_on(const struct project_book *b, const struct catalog *cat,
		      enum project_by by, int upto, const char *today,
		      double tolerance, struct project_sum **out, int *n);

/* The investment of project k (index in b) completed Jan..upto of upto's
 * year, and its plan for that year (NaN when none). */
double project_done(const struct project_book *b, int k, int upto);
double project_plan_of(const struct project_book *b, int k, int year);

/*
 * What project_flags, project_done and project_plan_of say of project k,
 * in one look at its ledger: the flags, and *plan (NaN when none) and
 * *done for the year of upto.
 */
unsigned project_state(const struct project_book *b, int k, int upto,
		       const char *today, double tolerance, double *plan,
		       double *done);

/*
 * Every project's plan, done and flags for one month upto, day today and
 * tolerance (project_state of each), with its area's index in cat: what
 * the monitoring's reads loop over.  Made at the first ask and kept
 * until the book changes (a write, a reload, a new catalogue), so that
 * asking again is a pass over flat arrays.  project_view_get
 * returns it with the view's mutex held (the caller holds the book
 * shared), NULL when out of memory; project_view_put lets it go.
 */
struct project_view {
	int upto;
	char today[11];
	double tolerance;
	unsigned long gen;    /* the book's gen + 1 it was made at; 0: none */
	unsigned long area_gen; /* the book's area_gen + 1 of area */
	int n, cap;           /* projects, room */
	double *plan, *done;  /* by index in projects; plan NaN when none */
	double *total;        /* total investment, 0 when unknown */
	int *area;            /* the catalogue's index of its area */
	unsigned char *flags; /* enum project_flag */
	unsigned char *sample; /* the project, a report or the plan is */
};
const struct project_view *project_view_get(const struct project_book *b,
					    const struct catalog *cat,
					    int upto, const char *today,
					    double tolerance);
void project_view_put(const struct project_book *b);

/* What is wrong with a project now (bits). */
enum project_flag {
	PFLAG_BEHIND = 1 << 0,    /* investment below plan × 序时进度 */
	PFLAG_OVERDUE = 1 << 1,   /* a milestone past due and not done */
	PFLAG_NOT_STARTED = 1 << 2, /* planned start passed, before 开工 */
};
/*
 * The flags of project k on day today ("YYYY-MM-DD"), judging investment
 * over the year to upto (the last month reported): behind when what was
 * done is below plan × upto's 序时进度 × (1 - tolerance).
 */
unsigned project_flags(const struct project_book *b, int k, int upto,
		       const char *today, double tolerance);

/* Nonzero when z is a date YYYY-MM-DD that exists. */
int project_date_ok(const char *z);

/* ---- supervision notes (督办意见, project_note.c) -------------------------
 * Notes live in the store only, not in the held book: read them per
 * project with the store's scan_project_notes.  Both writes are one
 * transaction with their audit entry and take no cube lock.
 */

/* Adds note n on project code, written on today by cs->actor, who must be
 * a leader or an admin; text and due are checked as a task's note
 * (task_note_check).  n->id and n->project_id are written back. */
int project_note_add(struct civstat *cs, const char *code,
		     struct project_note *n, const struct task_who *who,
		     const char *today);

/* Answers note id of project code on today by cs->actor: a clerk of the
 * project's department or an admin, once.  CS_ENOTFOUND naming the id
 * when project code has no such note, CS_ECONFLICT when answered. */
int project_note_answer(struct civstat *cs, const char *code, int id,
			const char *answer, const struct task_who *who,
			const char *today);

/* Nonzero when n is unanswered past its due day. */
int project_note_overdue(const struct project_note *n, const char *today);

#endif
