/*
 * The hash-chained audit trail (see audit.h): appending an entry inside the
 * caller's transaction, and walking the chain to prove nothing was altered.
 * The digest is streamed through libsodium's SHA-256 so that an entry of
 * any size is hashed without a copy and without a way to fail.
 */
#include "domain/audit.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/secret.h"

/* Feeds one field: its length, 4 bytes big-endian (0xFFFFFFFF for NULL),
 * then its bytes. */
static void hash_field(crypto_hash_sha256_state *h, const char *z)
{
	size_t n = z ? strlen(z) : 0;
	uint32_t len = z ? (uint32_t)n : UINT32_MAX;
	uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16),
			 (uint8_t)(len >> 8), (uint8_t)len};
	crypto_hash_sha256_update(h, be, sizeof be);
	if (z)
		crypto_hash_sha256_update(h, (const uint8_t *)z, n);
}

void audit_hash(struct audit_entry *e)
{
	crypto_hash_sha256_state h;
	char id[24];
	snprintf(id, sizeof id, "%ld", e->id);
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, e->prev_hash, sizeof e->prev_hash);
	const char *const fields[] = {id, e->at, e->actor, e->action,
				      e->object, e->before, e->after,
				      e->request_id};
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
		hash_field(&h, fields[k]);
	crypto_hash_sha256_final(&h, e->hash);
}

/* The current UTC time as 2025-10-01T08:30:00.123Z. */
static void utc_now(char at[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(at, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(at + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

int audit_append(struct civstat *cs, const char *action, const char *object,
		 const char *before, const char *after)
{
	struct store *st = cs->st;
	char at[32];
	long last;
	int rc;
	/* The store keeps the required fields as "" for NULL: hash them so. */
	struct audit_entry e = {
		.at = at,
		.actor = cs->actor ? cs->actor : "",
		.action = action ? action : "",
		.object = object ? object : "",
		.before = before,
		.after = after,
		.request_id = cs->request_id,
	};
	if ((rc = secret_init()) ||
	    (rc = st->ops->last_audit(st, &last, e.prev_hash)))
		return rc;
	utc_now(at);
	e.id = last + 1;
	audit_hash(&e);
	if ((rc = st->ops->add_audit(st, &e)))
		return rc;
	if (e.id != last + 1)
		return cs_errorf(CS_ESTORE, "audit entry %ld was stored as %ld",
				 last + 1, e.id);
	return CS_OK;
}

struct verify_ctx {
	long n;                          /* entries that held so far */
	long prev_id;                    /* the last of them, or 0 */
	uint8_t prev_hash[SESSION_HASH]; /* its hash, or zeros */
	int broken;                      /* an entry did not hold: */
	long bad;                        /* the first such */
};

/* CS_OK when e follows the entries that held, else why not. */
static int check_entry(const struct verify_ctx *v, const struct audit_entry *e)
{
	struct audit_entry again = *e;
	audit_hash(&again);
	if (!secret_equal(e->prev_hash, v->prev_hash, SESSION_HASH) && !v->n)
		return cs_errorf(CS_ECONFLICT, "audit entry %ld: it is first "
				 "but does not start the chain", e->id);
	if (!secret_equal(e->prev_hash, v->prev_hash, SESSION_HASH))
		return cs_errorf(CS_ECONFLICT, "audit entry %ld: its previous "
				 "hash is not entry %ld's hash", e->id,
				 v->prev_id);
	if (e->id != v->prev_id + 1)
		return cs_errorf(CS_ECONFLICT, "audit entry %ld: it follows "
				 "entry %ld, so its id should be %ld", e->id,
				 v->prev_id, v->prev_id + 1);
	if (!secret_equal(again.hash, e->hash, SESSION_HASH))
		return cs_errorf(CS_ECONFLICT, "audit entry %ld: its hash does "
				 "not match its contents", e->id);
	return CS_OK;
}

static int verify_entry(void *ctx, const struct audit_entry *e)
{
	struct verify_ctx *v = ctx;
	int rc = check_entry(v, e);
	if (rc) {
		v->broken = 1;
		v->bad = e->id;
		return rc;
	}
	v->n++;
	v->prev_id = e->id;
	memcpy(v->prev_hash, e->hash, SESSION_HASH);
	return CS_OK;
}

int audit_verify(struct civstat *cs, long *checked, long *first_bad)
{
	return audit_verify_store(cs->st, checked, first_bad);
}

int audit_verify_store(struct store *st, long *checked, long *first_bad)
{
	struct verify_ctx v = {0};
	int rc;
	if ((rc = secret_init()))
		return rc;
	rc = st->ops->scan_audit(st, LONG_MIN, 0, verify_entry, &v);
	if (v.broken)
		*first_bad = v.bad;
	else if (!rc)
		*checked = v.n;
	return rc;
}
