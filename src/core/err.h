/*
 * The project-wide result codes, and the one table that maps each to a CLI
 * exit code, an HTTP status and a message.  A failing function returns one of
 * these and, where the caller needs context, records it with cs_errorf().
 */
#ifndef CS_ERR_H
#define CS_ERR_H

#include <stddef.h>

enum cs_rc {
	CS_OK = 0,
	CS_EINVAL,    /* bad input: a value, a column, a field */
	CS_EUSAGE,    /* bad command line */
	CS_ENOTFOUND, /* an unknown area, indicator, file ... */
	CS_EEXIST,    /* a duplicate key */
	CS_ECONFLICT, /* a state that forbids the change */
	CS_ETOOBIG,   /* over a size cap */
	CS_EPERM,     /* the caller may not */
	CS_EAUTH,     /* the caller is not known */
	CS_ENOMEM,    /* out of memory */
	CS_EIO,       /* a file could not be read or written */
	CS_ESTORE,    /* the store failed */
	CS_EINTERNAL, /* a bug */
	CS_EMETHOD,   /* an HTTP method the resource does not take */
	CS_EBUSY,     /* a limit of the server is reached: try later */
	CS_EUNAVAIL,  /* the database cannot be reached: try later */
	CS_NRC
};

/* Static name of a code, e.g. "invalid" for CS_EINVAL. */
const char *cs_rc_name(int rc);
/* Exit code of the CLI for rc (documented in the README). */
int cs_rc_exit(int rc);
/* HTTP status for rc. */
int cs_rc_http(int rc);

/*
 * Records a message for rc in this thread and returns rc, so a failure can be
 * reported in one line: return cs_errorf(CS_EINVAL, "%s:%ld: ...", ...).
 * The message is lower case, without a full stop (git style).
 */
int cs_errorf(int rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last message recorded in this thread; "" when none. */
const char *cs_errmsg(void);
/* Forgets the last message. */
void cs_errclear(void);

#endif
