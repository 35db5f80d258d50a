/*
 * What the two stores share of the residents' requests (schema 10): the
 * records' fields as tables (name, type, offset), and the statements built
 * from them in either dialect with their arguments.  A backend then needs
 * one function that binds a statement's arguments and one that reads a
 * row into a record by its field table, rather than a put and a scan
 * written out per table in each store.
 */
#ifndef CS_STORE_REQUEST_H
#define CS_STORE_REQUEST_H

#include <stddef.h>

#include "store/model_request.h"
#include "store/schema.h"

enum store_type {
	STORE_LONG, /* long */
	STORE_INT,  /* int */
	STORE_TEXT, /* char *, "" for none */
	STORE_REAL, /* double, NULL in SQL for NaN */
};

struct store_field {
	const char *name;
	enum store_type type;
	size_t off; /* in the record */
};

/* Ended by a NULL name; the first field is the key (id, or month). */
extern const struct store_field store_request_fields[];
extern const struct store_field store_request_event_fields[];
extern const struct store_field store_request_stat_fields[];

/* One argument of a statement. */
struct store_arg {
	enum store_type type;
	long l;
	double d;
	const char *z;
};

#define STORE_MAX_ARGS 160 /* a list's filter with 100 ids */

/* A statement as text in one dialect, with its arguments in order. */
struct store_sql {
	enum schema_dialect dialect;
	char z[4096];
	size_t len;
	int n;		/* arguments */
	int overflow;	/* z or the arguments were too small: a bug */
	struct store_arg arg[STORE_MAX_ARGS];
};

/* The fixed statements (the same text every time: prepare them once). */
enum store_request_stmt {
	SR_INSERT,	   /* the fields, due; RETURNING id */
	SR_UPDATE,	   /* the fields but id, due, id last: n changed */
	SR_GET_ID,	   /* by id */
	SR_GET_TOKEN,	   /* by token */
	SR_ADD_EVENT,	   /* RETURNING id */
	SR_EVENTS_OF,	   /* one request's, by id */
	SR_EVENTS_ALL,	   /* every one, by id */
	SR_ADD_STAT,	   /* adds to the row */
	SR_N
};
void store_request_sql(struct store_sql *q, enum schema_dialect d,
		       enum store_request_stmt which);

/* The arguments of SR_INSERT (r's fields, then due) and SR_UPDATE (the
 * fields but id, due, then id), SR_ADD_EVENT and SR_ADD_STAT. */
void store_request_args(struct store_sql *q, const struct request *r,
			int update);
void store_request_event_args(struct store_sql *q,
			      const struct request_event *e);
void store_request_stat_args(struct store_sql *q,
			     const struct request_stat *s);

/* The next deadline of r while open, as the column due holds it. */
long store_request_due(const struct request *r);

/*
 * The statement of a list (count 0: the fields, ordered, limited) or of
 * its count (count 1), f's filter as placeholders with their arguments.
 * CS_EINVAL when f->ids is not a list of at most 100 numbers.
 */
int store_request_list_sql(struct store_sql *q, enum schema_dialect d,
			   const struct request_filter *f, int count);
/* The statement of sum_request_stats: its rows are a request_stat's
 * fields in order (the key fields 0 or "" where not summed by). */
void store_request_stat_sql(struct store_sql *q, enum schema_dialect d,
			    const struct request_stat_query *sq);

/* Makes every text field of the record at rec a malloc'd copy, or frees
 * those copies; CS_ENOMEM (the fields then are "" or copies). */
int store_fields_dup(const struct store_field *f, void *rec);
void store_fields_free(const struct store_field *f, void *rec);

#endif
