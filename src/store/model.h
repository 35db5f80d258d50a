/*
 * The records civstat keeps: areas, departments, indicators, series of
 * figures, targets, benchmarks and the history of changes.  These are the
 * shapes the store reads and writes; the analytics build their indices over
 * them.
 */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include <stdint.h>

enum area_kind { AREA_ADMIN = 0, AREA_ZONE = 1 };

struct area {
	int id;        /* stable numeric id */
	char *code;    /* GB/T 2260 code or a stable code */
	char *name;    /* 锦州市 */
	char *name_en; /* "" when none */
	int parent_id; /* 0 for the root */
	int level;     /* depth below the root, root = 1 */
	int kind;      /* enum area_kind */
};

struct department {
	int id;
	char *code;
	char *name;
	char *name_en;
};

enum pillar { PILLAR_STABLE = 0, PILLAR_VITAL = 1, PILLAR_EXCELLENT = 2,
	      PILLAR_N };
enum frequency { FREQ_MONTH = 0, FREQ_QUARTER = 1, FREQ_YEAR = 2 };
enum time_agg { TIME_SUM = 0, TIME_LAST = 1, TIME_AVG = 2 };
enum area_agg { AREA_SUM = 0, AREA_AVG = 1, AREA_NONE = 2 };
enum direction { DIR_UP = 0, DIR_DOWN = 1 };

struct indicator {
	int id;
	char *code;
	char *name;
	char *name_en;
	char *unit;     /* 亿元, %, 万吨 ... ("" when none) */
	int pillar;     /* enum pillar */
	int frequency;  /* enum frequency */
	int time_agg;   /* enum time_agg */
	int area_agg;   /* enum area_agg */
	int direction;  /* enum direction */
	int department_id; /* 0 when none */
	char *source;   /* "seed:L62", "sample", ... */
	char *formula;  /* "" for a base indicator */
	int decimals;   /* digits to print */
	double weight;  /* assessment weight; NaN when not assessed */
	/* Validation rules, checked by civstat check. */
	double min, max; /* bounds of a figure; NaN when none */
	char *part_of;   /* code of the whole this is a part of, or "" */
	double max_jump; /* largest change in % against the previous period
			    and a year earlier before it is questioned; NaN:
			    the default (50%) */
	int published;   /* 1: shown to the public (公开); 0: staff only */
};

/* State of a figure; the low bits of the per-figure flags byte. */
enum value_state {
	VALUE_APPROVED = 0,
	VALUE_DRAFT = 1,
	VALUE_SUBMITTED = 2,
	VALUE_RETURNED = 3,
};
#define VALUE_STATE_MASK 0x07
#define VALUE_SAMPLE 0x08  /* sample data, not from a real source */
#define VALUE_COMMENT 0x10 /* a comment is stored for the figure */

/*
 * The figures of one indicator for one area, by month index (see period.h):
 * slot i holds month first_month + i.  A quarterly figure sits at the
 * quarter's last month, a yearly one at December.  NaN marks no figure.
 */
struct series {
	int indicator_id;
	int area_id;
	int first_month;
	int n;
	double *value;    /* n figures */
	uint8_t *flags;   /* n: state | VALUE_SAMPLE | VALUE_COMMENT */
	uint32_t *change; /* n: id of the change that set the figure */
};

enum target_kind { TARGET_ANNUAL = 0, TARGET_PLAN = 1 };

struct target {
	int indicator_id;
	int area_id;
	int year;  /* for a plan target, the plan's last year */
	int kind;  /* enum target_kind */
	double value;
	int sample;
};

enum bench_measure { MEASURE_VALUE = 0, MEASURE_GROWTH = 1 };

struct benchmark {
	int indicator_id;
	char *group;  /* 全省平均, 沿海6市平均, 营口 ... */
	int month;    /* month index of the period's last month */
	int kind;     /* enum period_kind of the period */
	int measure;  /* enum bench_measure */
	double value;
	int sample;
};

/* One entry of a figure's history. */
struct value_change {
	long change_id;
	long prev_change; /* the change that had set the figure, 0 if none */
	const char *at;    /* ISO 8601 UTC */
	const char *actor;
	const char *what;  /* "import values.csv", "set ..." */
	double before; /* NaN when there was no figure */
	double after;
	int state_before;
	int state_after;
	const char *comment;
};

/* One row of the history table as it is stored, for copying a database
 * whole (civstat migrate); c's at, actor and what are unset. */
struct history_row {
	long id;
	int indicator_id;
	int area_id;
	int month;
	struct value_change c;
};

/* Roles, from the least to the most trusted; routes name the least they
 * need, handlers check departments and areas. */
enum role {
	ROLE_PUBLIC = 0,     /* residents: the public figures */
	ROLE_DEPARTMENT = 1, /* a 委办局 or county clerk: its own figures */
	ROLE_REVIEWER = 2,   /* approves or returns submitted figures */
	ROLE_LEADER = 3,     /* reads everything, publishes reports */
	ROLE_ADMIN = 4,      /* users, structure, catalogue */
	ROLE_N
};

struct user {
	int id;
	char *name;
	int role;          /* enum role */
	int department_id; /* 0 when none */
	int area_id;       /* 0 when none */
	char *password;    /* Argon2id string (crypto_pwhash_str), never the
			      password itself */
	int disabled;
	int failed;        /* failed logins in a row */
	long locked_until; /* Unix time; 0 when not locked */
	char *created;     /* ISO 8601 UTC */
};

enum session_kind { SESSION_COOKIE = 0, SESSION_TOKEN = 1 };

#define SESSION_HASH 32 /* bytes of SHA-256 */

struct session {
	uint8_t hash[SESSION_HASH]; /* SHA-256 of the token: the token
				       itself is never stored */
	int user_id;
	int kind;           /* enum session_kind */
	char csrf[65];      /* hex CSRF token of a cookie session */
	long created;       /* Unix times */
	long last_seen;
	long expires;       /* absolute expiry */
	char *label;        /* an API token's name; "" for a cookie */
};

/* One entry of the tamper-evident audit trail: hash = SHA-256 over the
 * previous entry's hash and this entry's fields (see domain/audit.c). */
struct audit_entry {
	long id;
	const char *at;     /* ISO 8601 UTC */
	const char *actor;
	const char *action; /* "import", "set", "approve", "user.add" ... */
	const char *object; /* what was changed: "FAI/210726/2025-09" */
	const char *before; /* JSON, or NULL */
	const char *after;  /* JSON, or NULL */
	const char *request_id;
	uint8_t prev_hash[SESSION_HASH];
	uint8_t hash[SESSION_HASH];
};

/* One day of the working-day calendar (schema 7), as the State Council's
 * notice gives it: a rest day (holiday, 放假) or an adjusted working day
 * (workday, 调休上班); the rules over them live in core/workday.c. */
struct holiday {
	const char *date;   /* YYYY-MM-DD, the key */
	const char *kind;   /* "holiday" or "workday" */
	const char *name;   /* 春节, 国庆节 ... */
	const char *source; /* the notice's title */
};

/* One category of the service catalogue (schema 9): what residents report
 * under (供暖, 回迁 ...), who answers and how soon.  The deadlines are in
 * working days; answer_hours > 0 means clock hours instead (供暖: 24). */
#define SERVICE_COLUMNS                                                        \
	"code, name, name_en, grp, department, dispatch_days, answer_days,"   \
	" answer_hours, keywords, description, public, source"

struct service {
	const char *code;	/* heating, the key */
	const char *name;	/* 供暖 */
	const char *name_en;
	const char *group;	/* 城市管理 */
	const char *department; /* department code */
	int dispatch_days, answer_days, answer_hours;
	const char *keywords;	/* comma-separated */
	const char *description;
	int public;		/* 1: listed by Open311 */
	const char *source;	/* seed:Lnn or sample */
};

#endif
