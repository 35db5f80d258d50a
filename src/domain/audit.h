/*
 * The audit trail: every write appends who, when, what, before and after,
 * and the request id, to a hash chain in the same transaction as the write
 * (让权力在阳光下运行).  Each entry's hash is SHA-256 over the previous
 * entry's hash and the entry's own fields, so altering, removing or
 * reordering any past entry breaks the chain from there on.
 */
#ifndef CS_AUDIT_H
#define CS_AUDIT_H

#include "domain/civstat.h"

/*
 * Appends an entry by cs->actor (with cs->request_id) inside the caller's
 * open transaction.  before and after are JSON texts or NULL.  Returns
 * CS_OK or the store's error (the caller rolls back).
 */
int audit_append(struct civstat *cs, const char *action, const char *object,
		 const char *before, const char *after);

/*
 * Walks the whole chain.  Returns CS_OK with *checked entries when it is
 * intact, or CS_ECONFLICT with *first_bad the id of the first entry that
 * does not hold (and cs_errmsg() saying why).
 */
int audit_verify(struct civstat *cs, long *checked, long *first_bad);

/* As audit_verify, on the chain of any open store (civstat migrate
 * proves a copy's chain before it commits). */
int audit_verify_store(struct store *st, long *checked, long *first_bad);

/* Computes the hash of e over e->prev_hash and its fields into e->hash. */
void audit_hash(struct audit_entry *e);

#endif
