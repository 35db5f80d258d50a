/*
 * civstat audit: prove the hash chain of the audit trail (verify), list its
 * newest entries (list), or print its head (head).  The chain proves that
 * no entry was changed after the next one was written; the head, once
 * published outside the database (in the monthly report, say), proves that
 * nothing up to it was rewritten or cut off: `audit verify ID:HASH`.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/secret.h"
#include "domain/audit.h"

struct anchor {
	long id;
	uint8_t hash[SECRET_SHA256];
	int found, same;
};

static int anchor_entry(void *ctx, const struct audit_entry *e)
{
	struct anchor *a = ctx;
	a->found = e->id == a->id;
	a->same = a->found && secret_equal(e->hash, a->hash, SECRET_SHA256);
	return CS_OK;
}

/* Prints whether the chain holds, and, with an anchor "ID:HASH" published
 * earlier, whether entry ID still has that hash; a broken chain exits
 * with cs_rc_exit(CS_ECONFLICT), naming the first altered entry. */
static int verify(struct civstat *cs, const char *anchor)
{
	struct anchor a = {0};
	long checked, bad;
	char *colon = anchor ? strchr(anchor, ':') : NULL;
	if (anchor && (!colon || (a.id = atol(anchor)) < 1 ||
		       secret_unhex(a.hash, SECRET_SHA256, colon + 1)))
		return cli_fail(cs_errorf(CS_EUSAGE, "\"%s\" is not ID:HASH "
					  "(as civstat audit head prints it)",
					  anchor));
	int rc = audit_verify(cs, &checked, &bad);
	if (rc == CS_ECONFLICT) {
		/* "audit entry K: why": keep the why. */
		const char *why = strstr(cs_errmsg(), ": ");
		printf("audit: entry %ld was altered: %s\n", bad,
		       why ? why + 2 : cs_errmsg());
		return cs_rc_exit(rc);
	}
	if (rc)
		return cli_fail(rc);
	if (anchor) {
		if ((rc = cs->st->ops->scan_audit(cs->st, a.id, 1, anchor_entry,
						  &a)))
			return cli_fail(rc);
		if (!a.same) {
			printf("audit: entry %ld %s since it was published\n",
			       a.id, a.found ? "was rewritten" : "was removed");
			return cs_rc_exit(CS_ECONFLICT);
		}
	}
	printf("audit: %ld entr%s, the chain holds%s\n", checked,
	       checked == 1 ? "y" : "ies",
	       anchor ? ", and so does the published entry" : "");
	return 0;
}

/* Prints the newest entry as ID:HASH, to be published. */
static int head(struct civstat *cs)
{
	long id;
	uint8_t hash[SECRET_SHA256];
	char hex[2 * SECRET_SHA256 + 1];
	int rc = cs->st->ops->last_audit(cs->st, &id, hash);
	if (rc)
		return cli_fail(rc);
	secret_hex(hex, hash, SECRET_SHA256);
	printf("%ld:%s\n", id, hex);
	return 0;
}

/* Text, or for NULL an empty cell (null in JSON). */
static void opt_text(struct out_table *t, const char *z)
{
	if (z)
		out_text(t, z);
	else
		out_num(t, NAN, 0);
}

static int list_row(void *ctx, const struct audit_entry *e)
{
	struct out_table *t = ctx;
	out_row(t);
	out_num(t, (double)e->id, 0);
	out_text(t, e->at);
	out_text(t, e->actor);
	out_text(t, e->action);
	out_text(t, e->object);
	opt_text(t, e->before);
	opt_text(t, e->after);
	opt_text(t, e->request_id);
	return CS_OK;
}

/* Prints the newest o->limit entries (all without --limit), oldest
 * first. */
static int list(const struct cli_opts *o, struct civstat *cs)
{
	static const char *const en[] = {"id", "at", "actor", "action",
					 "object", "before", "after",
					 "request_id"};
	static const char *const zh[] = {"编号", "时间", "操作人", "操作",
					 "对象", "原值", "新值", "请求"};
	struct store *st = cs->st;
	struct out_table t;
	uint8_t hash[SESSION_HASH];
	long last;
	int rc;
	if ((rc = st->ops->last_audit(st, &last, hash)))
		return cli_fail(rc);
	out_init(&t, 8, en, zh);
	rc = st->ops->scan_audit(st, o->limit ? last - o->limit + 1 : LONG_MIN,
				 0, list_row, &t);
	if (!rc)
		rc = cli_print(o, &t);
	else
		out_release(&t);
	return rc ? cli_fail(rc) : 0;
}

int cmd_audit(struct cli_opts *o)
{
	const char *what = o->nargs ? o->args[0] : "";
	struct civstat *cs;
	int rc;
	if ((strcmp(what, "verify") && strcmp(what, "list") &&
	     strcmp(what, "head")) ||
	    (o->nargs > 1 && strcmp(what, "verify")))
		return cli_fail(cs_errorf(CS_EUSAGE, "usage: civstat audit "
					  "verify [ID:HASH] | head | list "
					  "[--limit N]"));
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	rc = !strcmp(what, "verify") ? verify(cs, o->nargs > 1 ? o->args[1]
							       : NULL)
	     : !strcmp(what, "head") ? head(cs)
				     : list(o, cs);
	civstat_close(cs);
	return rc;
}
