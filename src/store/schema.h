/*
 * The one description of civstat's tables, from which each backend renders
 * its dialect's DDL: a table lists its columns with the schema version that
 * added each, so that the migration to version v is "create the tables and
 * indices of v, add the columns of v", the same for SQLite and PostgreSQL.
 * A version therefore means the same tables in both.
 */
#ifndef CS_SCHEMA_H
#define CS_SCHEMA_H

#define SCHEMA_VERSION 10

enum schema_dialect { SCHEMA_SQLITE = 0, SCHEMA_PG = 1 };

/* Column types; what each becomes is in schema.c's type_names. */
enum schema_type {
	SCHEMA_INT,    /* INTEGER | integer */
	SCHEMA_BIGINT, /* INTEGER | bigint: ids and Unix times */
	SCHEMA_TEXT,   /* TEXT | text */
	SCHEMA_REAL,   /* REAL | double precision */
	SCHEMA_BLOB,   /* BLOB | bytea */
};

enum schema_flag {
	SCHEMA_NOT_NULL = 1 << 0,
	SCHEMA_UNIQUE = 1 << 1,
	SCHEMA_KEY = 1 << 2, /* the primary key on its own (SQLite: the
				rowid when an integer) */
};

struct schema_column {
	const char *name;
	enum schema_type type;
	unsigned flags;      /* enum schema_flag bits */
	const char *dflt;    /* SQL of the default, or NULL */
	int since;           /* the version that added it to an existing
				table; 0: created with its table */
};

struct schema_table {
	const char *name[2];  /* by dialect: "user" is reserved in
				 PostgreSQL, so some names differ */
	int since;            /* the version that created it */
	const char *key;      /* a primary key over several columns, or
				 NULL */
	int without_rowid;    /* SQLite: WITHOUT ROWID (clustered by key) */
	const struct schema_column *columns; /* ended by a NULL name */
};

struct schema_index {
	const char *name[2];  /* by dialect */
	const struct schema_column *table; /* the columns of its table */
	const char *columns;  /* "indicator_id, area_id, month" */
	int since;
	const char *where;    /* a partial index's condition, or NULL */
	int unique;           /* a UNIQUE index */
};

extern const struct schema_table schema_tables[];
extern const int schema_ntables;
extern const struct schema_index schema_indices[];
extern const int schema_nindices;

/*
 * Renders the DDL that brings a database of version v - 1 to version v
 * (1 <= v <= SCHEMA_VERSION) in dialect d: one script of statements ended
 * by ';'.  On success *out is malloc'd and the caller frees it.
 */
int schema_migration(enum schema_dialect d, int v, char **out);

/* The name of schema_tables[t] in dialect d. */
const char *schema_table_name(enum schema_dialect d, int t);

#endif
