/*
 * Accounts and sessions (see auth.h): users and their roles, Argon2id
 * passwords, login with throttling and lockout, cookie sessions and API
 * tokens of which the store keeps only the SHA-256.  Every change to an
 * account is one transaction with its audit entry.
 */
#include "domain/auth.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/secret.h"
#include "domain/audit.h"

#define AUTH_NAME_MAX	    63	 /* bytes of a user name */
#define AUTH_PASSWORD_MAX   1024 /* bytes of a password */
#define AUTH_LABEL_MAX	    200	 /* bytes of an API token's label */
#define AUTH_TOKEN_DAYS_MAX 3650 /* the longest life of an API token */
#define AUTH_TOUCH_SECONDS  60	 /* last_seen is written at most this often */

_Static_assert(AUTH_TOKEN_HEX == 2 * SECRET_TOKEN + 1, "token as hex");
_Static_assert(SESSION_HASH == SECRET_SHA256, "session hash is SHA-256");

static const char *const role_en[ROLE_N] = {"public", "department", "reviewer",
					    "leader", "admin"};
static const char *const role_zh[ROLE_N] = {"公众", "填报员", "审核员", "领导",
					    "管理员"};

const char *role_name(int role)
{
	return role >= 0 && role < ROLE_N ? role_en[role] : "?";
}

const char *role_name_zh(int role)
{
	return role >= 0 && role < ROLE_N ? role_zh[role] : "?";
}

int role_parse(const char *z)
{
	for (int k = 0; k < ROLE_N; k++)
		if (!strcmp(z, role_en[k]) || !strcmp(z, role_zh[k]))
			return k;
	return -1;
}

/* ---- checks and helpers -------------------------------------------- */

/* A name is 1..63 letters, digits, '.', '_', '-' or '@', starting with a
 * letter or digit: it appears in URLs, audit objects and file names. */
static int check_name(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > AUTH_NAME_MAX)
		return cs_errorf(CS_EINVAL,
				 "name: \"%s\" is not 1 to %d "
				 "characters",
				 name, AUTH_NAME_MAX);
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)name[k];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9');
		if (!alnum && (!k || !strchr("._-@", c)))
			return cs_errorf(CS_EINVAL,
					 "name: \"%s\" may hold "
					 "only letters, digits, '.', '_', '-' "
					 "and '@', and starts with a letter "
					 "or digit",
					 name);
	}
	return CS_OK;
}

static int check_password(const char *password)
{
	size_t n = strlen(password);
	if (n < AUTH_PASSWORD_MIN)
		return cs_errorf(CS_EINVAL,
				 "password: %zu bytes, at least %d "
				 "needed",
				 n, AUTH_PASSWORD_MIN);
	if (n > AUTH_PASSWORD_MAX)
		return cs_errorf(CS_EINVAL, "password: longer than %d bytes",
				 AUTH_PASSWORD_MAX);
	return CS_OK;
}

/* Unix time as ISO 8601 UTC. */
static void iso_time(long t, char buf[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *dept_code(const struct civstat *cs, int id)
{
	int d = id ? catalog_department_id(&cs->cat, id) : -1;
	return d < 0 ? NULL : cs->cat.depts[d].code;
}

static const char *area_code(const struct civstat *cs, int id)
{
	int a = id ? catalog_area_id(&cs->cat, id) : -1;
	return a < 0 ? NULL : cs->cat.areas[a].code;
}

/* The account as the audit trail shows it, never with its password:
 * malloc'd JSON, or NULL when out of memory. */
static char *user_json(const struct civstat *cs, const struct user *u)
{
	char until[32];
	iso_time(u->locked_until, until);
	json_t *j = json_pack(
	    "{s:s, s:s, s:s?, s:s?, s:b, s:s?}", "name", u->name, "role",
	    role_name(u->role), "department", dept_code(cs, u->department_id),
	    "area", area_code(cs, u->area_id), "disabled", u->disabled,
	    "locked_until", u->locked_until ? until : NULL);
	char *z = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return z;
}

/* Reads name's account inside the caller's transaction. */
static int load_user(struct store *st, const char *name, struct user *u)
{
	int rc = st->ops->get_user(st, name, 0, u);
	return rc == CS_ENOTFOUND ? cs_errorf(rc, "unknown user \"%s\"", name)
				  : rc;
}

/*
 * Writes u, ends its sessions when asked, and appends the audit entry for
 * action, inside the caller's transaction.
 */
static int save_user(struct civstat *cs, struct user *u, const char *action,
		     const char *before, int end_sessions)
{
	struct store *st = cs->st;
	char object[80], *after;
	int rc;
	if ((rc = st->ops->put_user(st, u)) ||
	    (end_sessions && (rc = st->ops->delete_user_sessions(st, u->id))))
		return rc;
	if (!(after = user_json(cs, u)))
		return cs_errorf(CS_ENOMEM, "out of memory");
	snprintf(object, sizeof object, "user/%s", u->name);
	rc = audit_append(cs, action, object, before, after);
	free(after);
	return rc;
}

/* Ends the caller's transaction: commits when rc is CS_OK, else (or when
 * the commit fails) rolls back.  Returns the first error. */
static int finish(struct store *st, int rc)
{
	if (!rc && !(rc = st->ops->commit(st)))
		return CS_OK;
	st->ops->rollback(st);
	return rc;
}

/* ---- accounts ------------------------------------------------------- */

int auth_user_add(struct civstat *cs, const char *name, int role,
		  const char *department, const char *area,
		  const char *password)
{
	struct store *st = cs->st;
	struct user u = {.name = (char *)name, .role = role}, old;
	char hash[SECRET_PASSWORD_MAX];
	int rc, k;

	if ((rc = check_name(name)) || (rc = check_password(password)))
		return rc;
	if (role < 0 || role >= ROLE_N)
		return cs_errorf(CS_EINVAL, "role: %d is not a role", role);
	if (role == ROLE_DEPARTMENT && !department)
		return cs_errorf(CS_EINVAL, "department: a user of role "
					    "department needs one");
	if (department) {
		k = catalog_department(&cs->cat, department,
				       strlen(department));
		if (k < 0)
			return cs_errorf(CS_ENOTFOUND,
					 "unknown department "
					 "\"%s\"",
					 department);
		u.department_id = cs->cat.depts[k].id;
	}
	if (area) {
		if ((k = catalog_area(&cs->cat, area, strlen(area))) < 0)
			return cs_errorf(CS_ENOTFOUND, "unknown area \"%s\"",
					 area);
		u.area_id = cs->cat.areas[k].id;
	}
	/* Checked before the slow hash, and again in the transaction. */
	if (!(rc = st->ops->get_user(st, name, 0, &old)))
		user_release(&old);
	if (rc != CS_ENOTFOUND)
		return rc ? rc
			  : cs_errorf(CS_EEXIST,
				      "user \"%s\" already "
				      "exists",
				      name);
	if ((rc = secret_init()) || (rc = secret_password_hash(hash, password)))
		return rc;
	u.password = hash;
	if ((rc = st->ops->begin(st)))
		return rc;
	if (!(rc = st->ops->get_user(st, name, 0, &old))) {
		user_release(&old);
		rc = cs_errorf(CS_EEXIST, "user \"%s\" already exists", name);
	} else if (rc == CS_ENOTFOUND) {
		rc = save_user(cs, &u, "user.add", NULL, 0);
	}
	return finish(st, rc);
}

int auth_user_passwd(struct civstat *cs, const char *name, const char *password)
{
	struct store *st = cs->st;
	char hash[SECRET_PASSWORD_MAX];
	struct user u;
	int rc;

	if ((rc = check_password(password)) || (rc = secret_init()) ||
	    (rc = secret_password_hash(hash, password)))
		return rc;
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_user(st, name, &u)))
		return finish(st, rc);
	char *stored = u.password;
	u.password = hash;
	u.failed = 0; /* a new password also ends a lockout */
	u.locked_until = 0;
	rc = finish(st, save_user(cs, &u, "user.passwd", NULL, 1));
	u.password = stored;
	user_release(&u);
	return rc;
}

int auth_user_disable(struct civstat *cs, const char *name, int disabled)
{
	struct store *st = cs->st;
	char *before = NULL;
	struct user u;
	int rc;

	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_user(st, name, &u)))
		return finish(st, rc);
	disabled = !!disabled;
	if (u.disabled != disabled) {
		if (!(before = user_json(cs, &u)))
			rc = cs_errorf(CS_ENOMEM, "out of memory");
		u.disabled = disabled;
		if (!rc)
			rc = save_user(
			    cs, &u, disabled ? "user.disable" : "user.enable",
			    before, disabled);
	}
	rc = finish(st, rc);
	free(before);
	user_release(&u);
	return rc;
}

/* ---- login ---------------------------------------------------------- */

/* An Argon2id string checked when the name is unknown, so that an unknown
 * name costs the same time as a wrong password. */
static char dummy_hash[SECRET_PASSWORD_MAX];
static int dummy_rc;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	uint8_t raw[16];
	char password[33];
	secret_random(raw, sizeof raw);
	secret_hex(password, raw, sizeof raw);
	dummy_rc = secret_password_hash(dummy_hash, password);
}

static int wrong_login(void)
{
	return cs_errorf(CS_EAUTH, "wrong name or password");
}

static int locked(long until)
{
	char when[32];
	iso_time(until, when);
	return cs_errorf(CS_EPERM, "account locked until %s", when);
}

/*
 * Stores a new session or API token for user_id inside the caller's
 * transaction; on success writes its token (hex) and, for a cookie
 * session, its CSRF token into csrf[65].
 */
static int new_session(struct store *st, int user_id, int kind, long now,
		       long expires, const char *label,
		       char token[AUTH_TOKEN_HEX], char *csrf)
{
	uint8_t raw[SECRET_TOKEN];
	struct session se = {
	    .user_id = user_id,
	    .kind = kind,
	    .created = now,
	    .last_seen = now,
	    .expires = expires,
	    .label = (char *)label,
	};
	int rc;
	secret_random(raw, sizeof raw);
	secret_sha256(se.hash, raw, sizeof raw);
	if (kind == SESSION_COOKIE) {
		uint8_t c[SECRET_TOKEN];
		secret_random(c, sizeof c);
		secret_hex(se.csrf, c, sizeof c);
	}
	if ((rc = st->ops->put_session(st, &se)))
		return rc;
	secret_hex(token, raw, sizeof raw);
	if (csrf)
		memcpy(csrf, se.csrf, sizeof se.csrf);
	return CS_OK;
}

static void fill_auth(struct auth *who, const struct user *u, int kind,
		      const char *csrf)
{
	memset(who, 0, sizeof *who);
	who->user_id = u->id;
	who->role = u->role;
	who->department_id = u->department_id;
	who->area_id = u->area_id;
	snprintf(who->name, sizeof who->name, "%s", u->name);
	who->kind = kind;
	snprintf(who->csrf, sizeof who->csrf, "%s", csrf);
}

/* Counts a failed login inside the caller's transaction, locking the
 * account at the AUTH_MAX_FAILED-th in a row. */
static int count_failure(struct civstat *cs, struct user *u, long now)
{
	if (++u->failed < AUTH_MAX_FAILED)
		return cs->st->ops->put_user(cs->st, u);
	u->failed = 0;
	u->locked_until = now + AUTH_LOCK_SECONDS;
	return save_user(cs, u, "user.lock", NULL, 0);
}

int auth_login(struct civstat *cs, const char *name, const char *password,
	       long now, char token[AUTH_TOKEN_HEX], struct auth *who)
{
	struct store *st = cs->st;
	char tok[AUTH_TOKEN_HEX], csrf[65];
	struct user u;
	int rc, right;

	if ((rc = secret_init()))
		return rc;
	pthread_once(&dummy_once, dummy_init);
	if (dummy_rc)
		return dummy_rc;
	rc = st->ops->get_user(st, name, 0, &u);
	if (rc == CS_ENOTFOUND) {
		(void)secret_password_check(dummy_hash, password);
		return wrong_login();
	}
	if (rc)
		return rc;
	if (u.locked_until > now) {
		rc = locked(u.locked_until);
		user_release(&u);
		return rc;
	}
	right = secret_password_check(u.password, password);
	user_release(&u);

	/* Decide on the account as it is now: another login or an admin
	 * may have changed it during the check. */
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->get_user(st, name, 0, &u))) {
		finish(st, rc);
		return rc == CS_ENOTFOUND ? wrong_login() : rc;
	}
	if (u.locked_until > now) {
		rc = locked(u.locked_until);
	} else if (!right) {
		rc = count_failure(cs, &u, now);
	} else if (u.disabled) {
		rc = cs_errorf(CS_EPERM, "account \"%s\" is disabled", name);
	} else {
		if (u.failed || u.locked_until) {
			u.failed = 0;
			u.locked_until = 0;
			rc = st->ops->put_user(st, &u);
		}
		if (!rc)
			rc = new_session(st, u.id, SESSION_COOKIE, now,
					 now + AUTH_SESSION_SECONDS, "", tok,
					 csrf);
	}
	if (!(rc = finish(st, rc))) {
		if (right) {
			memcpy(token, tok, sizeof tok);
			fill_auth(who, &u, SESSION_COOKIE, csrf);
		} else {
			rc = wrong_login();
		}
	}
	user_release(&u);
	return rc;
}

/* ---- sessions and tokens -------------------------------------------- */

static int unknown_session(void)
{
	return cs_errorf(CS_EAUTH, "not signed in, or the session has "
				   "expired");
}

/* Reads the session of a hex token; CS_EAUTH when there is none. */
static int find_session(struct store *st, const char *token, struct session *se)
{
	uint8_t raw[SECRET_TOKEN], hash[SESSION_HASH];
	int rc;
	if (!token || secret_unhex(raw, sizeof raw, token))
		return unknown_session();
	secret_sha256(hash, raw, sizeof raw);
	rc = st->ops->get_session(st, hash, se);
	return rc == CS_ENOTFOUND ? unknown_session() : rc;
}

/* Runs a one-statement write on a session in a transaction of its own.
 * Failures are ignored: the row is left as it was, which is harmless. */
static void session_write(struct store *st, const uint8_t *hash, long touch)
{
	if (st->ops->begin(st))
		return;
	finish(st, touch ? st->ops->touch_session(st, hash, touch)
			 : st->ops->delete_session(st, hash));
}

int auth_check(struct store *st, const char *token, long now,
	       struct auth *who, long *write)
{
	struct session se;
	struct user u;
	int rc;

	*write = 0;
	if ((rc = find_session(st, token, &se)))
		return rc;
	if (now >= se.expires || (se.kind == SESSION_COOKIE &&
				  now - se.last_seen >= AUTH_IDLE_SECONDS)) {
		*write = -1;
		session_release(&se);
		return unknown_session();
	}
	rc = st->ops->get_user(st, NULL, se.user_id, &u);
	if (rc) {
		session_release(&se);
		return rc == CS_ENOTFOUND ? unknown_session() : rc;
	}
	if (u.disabled) {
		rc = cs_errorf(CS_EAUTH, "account \"%s\" is disabled", u.name);
	} else {
		if (now - se.last_seen >= AUTH_TOUCH_SECONDS)
			*write = now;
		fill_auth(who, &u, se.kind, se.csrf);
	}
	user_release(&u);
	session_release(&se);
	return rc;
}

void auth_session_write(struct civstat *cs, const char *token, long write)
{
	uint8_t raw[SECRET_TOKEN], hash[SESSION_HASH];
	if (!write || !token || secret_unhex(raw, sizeof raw, token))
		return;
	secret_sha256(hash, raw, sizeof raw);
	session_write(cs->st, hash, write > 0 ? write : 0);
}

int auth_session(struct civstat *cs, const char *token, long now,
		 struct auth *who)
{
	long write;
	int rc = auth_check(cs->st, token, now, who, &write);
	auth_session_write(cs, token, write);
	return rc;
}

int auth_logout(struct civstat *cs, const char *token)
{
	struct store *st = cs->st;
	struct session se;
	struct user u = {0};
	int rc;

	if ((rc = find_session(st, token, &se)))
		return rc == CS_EAUTH ? CS_OK : rc;
	if ((rc = st->ops->begin(st)))
		goto out;
	rc = st->ops->delete_session(st, se.hash);
	/* Revoking an API token changes the account; ending a cookie
	 * session does not. */
	if (!rc && se.kind == SESSION_TOKEN &&
	    !(rc = st->ops->get_user(st, NULL, se.user_id, &u))) {
		char object[80];
		json_t *j = json_pack("{s:s}", "label", se.label);
		char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		snprintf(object, sizeof object, "user/%s", u.name);
		rc = after
			 ? audit_append(cs, "user.revoke", object, NULL, after)
			 : cs_errorf(CS_ENOMEM, "out of memory");
		free(after);
		user_release(&u);
	}
	rc = finish(st, rc == CS_ENOTFOUND ? CS_OK : rc);
out:
	session_release(&se);
	return rc;
}

int auth_token_new(struct civstat *cs, const char *name, const char *label,
		   int days, long now, char token[AUTH_TOKEN_HEX])
{
	struct store *st = cs->st;
	char tok[AUTH_TOKEN_HEX], object[80], until[32];
	struct user u;
	int rc;

	label = label ? label : "";
	if (days < 1 || days > AUTH_TOKEN_DAYS_MAX)
		return cs_errorf(CS_EINVAL, "days: %d is not between 1 and %d",
				 days, AUTH_TOKEN_DAYS_MAX);
	if (strlen(label) > AUTH_LABEL_MAX)
		return cs_errorf(CS_EINVAL, "label: longer than %d bytes",
				 AUTH_LABEL_MAX);
	if ((rc = secret_init()) || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_user(st, name, &u)))
		return finish(st, rc);
	long expires = now + (long)days * 86400;
	iso_time(expires, until);
	json_t *j = json_pack("{s:s, s:s}", "label", label, "expires", until);
	char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	snprintf(object, sizeof object, "user/%s", name);
	if (u.disabled)
		rc = cs_errorf(CS_ECONFLICT, "user \"%s\" is disabled", name);
	else if (!after)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	else if (!(rc = new_session(st, u.id, SESSION_TOKEN, now, expires,
				    label, tok, NULL)))
		rc = audit_append(cs, "user.token", object, NULL, after);
	if (!(rc = finish(st, rc)))
		memcpy(token, tok, sizeof tok);
	free(after);
	user_release(&u);
	return rc;
}

/* ---- passwords ------------------------------------------------------ */

void auth_password_generate(char *out, size_t n)
{
	/* No 0 O o 1 l I: nothing to misread on paper or on a screen. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz"
				       "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const unsigned size = sizeof alphabet - 1;
	const unsigned limit = 256 - 256 % size; /* no modulo bias */
	size_t k = 0;
	if (!n)
		return;
	(void)secret_init();
	while (k + 1 < n) {
		uint8_t b[32];
		secret_random(b, sizeof b);
		for (size_t j = 0; j < sizeof b && k + 1 < n; j++)
			if (b[j] < limit)
				out[k++] = alphabet[b[j] % size];
	}
	out[k] = '\0';
}
