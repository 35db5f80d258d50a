/*
 * Unit tests of src/domain/auth.c over a real SQLite database in a
 * temporary directory: accounts and their checks, login with one message
 * for a wrong name and a wrong password, lockout and its release, disabled
 * accounts, the idle and absolute expiry of cookie sessions, API tokens,
 * logout, and what the store holds: Argon2id strings, never a password or
 * a token in clear, an audit entry for every change of an account.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secret.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/civstat.h"
#include "store/store.h"

#include "fixture.h"

#define T0  1759276800L /* 2025-10-01T00:00:00Z */
#define PW  "correct horse battery"
#define PW2 "another good passphrase"

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_auth");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "city.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	struct store *st = fx->cs->st;
	char fgw[] = "FGW", fgw_name[] = "市发展和改革委员会", none[] = "";
	char city[] = "210700", city_name[] = "锦州市";
	struct department d = {.code = fgw, .name = fgw_name, .name_en = none};
	struct area a = {
	    .code = city, .name = city_name, .name_en = none, .level = 1};
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_department(st, &d), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(civstat_reload(fx->cs), CS_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

static void add(struct fixture *fx, const char *name, int role)
{
	int rc =
	    auth_user_add(fx->cs, name, role,
			  role == ROLE_DEPARTMENT ? "FGW" : NULL, NULL, PW);
	if (rc)
		fail_msg("add %s: %d %s", name, rc, cs_errmsg());
}

static int login(struct fixture *fx, const char *name, const char *pw, long now,
		 char token[AUTH_TOKEN_HEX])
{
	struct auth who;
	char scratch[AUTH_TOKEN_HEX];
	return auth_login(fx->cs, name, pw, now, token ? token : scratch, &who);
}

static struct session get_session(struct fixture *fx, const char *token)
{
	uint8_t raw[SECRET_TOKEN], hash[SESSION_HASH];
	struct session se;
	assert_int_equal(secret_unhex(raw, sizeof raw, token), 0);
	secret_sha256(hash, raw, sizeof raw);
	assert_int_equal(fx->cs->st->ops->get_session(fx->cs->st, hash, &se),
			 CS_OK);
	session_release(&se);
	return se;
}

static struct user get_user(struct fixture *fx, const char *name)
{
	struct user u;
	assert_int_equal(fx->cs->st->ops->get_user(fx->cs->st, name, 0, &u),
			 CS_OK);
	return u;
}

/* ---- roles and passwords ---------------------------------------------- */

static void test_roles(void **state)
{
	static const struct {
		int role;
		const char *en, *zh;
	} cases[] = {
	    {ROLE_ADMIN, "admin", "管理员"},
	    {ROLE_LEADER, "leader", "领导"},
	    {ROLE_REVIEWER, "reviewer", "审核员"},
	    {ROLE_DEPARTMENT, "department", "填报员"},
	    {ROLE_PUBLIC, "public", "公众"},
	};
	(void)state;
	for (size_t k = 0; k < NELEM(cases); k++) {
		assert_string_equal(role_name(cases[k].role), cases[k].en);
		assert_string_equal(role_name_zh(cases[k].role), cases[k].zh);
		assert_int_equal(role_parse(cases[k].en), cases[k].role);
		assert_int_equal(role_parse(cases[k].zh), cases[k].role);
	}
	assert_int_equal(role_parse("root"), -1);
	assert_int_equal(role_parse(""), -1);
	assert_string_equal(role_name(ROLE_N), "?");
}

static void test_password_generate(void **state)
{
	char a[17], b[17];
	(void)state;
	auth_password_generate(a, sizeof a);
	auth_password_generate(b, sizeof b);
	assert_int_equal(strlen(a), 16);
	assert_string_not_equal(a, b);
	for (int round = 0; round < 200; round++) {
		char p[33];
		auth_password_generate(p, sizeof p);
		assert_int_equal(strlen(p), 32);
		for (const char *c = p; *c; c++)
			if (!strchr("abcdefghijkmnpqrstuvwxyz"
				    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789",
				    *c))
				fail_msg("'%c' in %s", *c, p);
	}
	auth_password_generate(a, 1);
	assert_string_equal(a, "");
}

/* ---- accounts ---------------------------------------------------------- */

static void test_add(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *name;
		int role;
		const char *dept, *area, *password;
		int rc;
		const char *msg;
	} cases[] = {
	    {"ann", ROLE_ADMIN, NULL, NULL, PW, CS_OK, ""},
	    {"clerk", ROLE_DEPARTMENT, "FGW", "210700", PW, CS_OK, ""},
	    {"ann", ROLE_LEADER, NULL, NULL, PW, CS_EEXIST,
	     "user \"ann\" already exists"},
	    {"bad", 9, NULL, NULL, PW, CS_EINVAL, "role: 9"},
	    {"bad", -1, NULL, NULL, PW, CS_EINVAL, "role: -1"},
	    {"bad", ROLE_DEPARTMENT, NULL, NULL, PW, CS_EINVAL,
	     "department: a user of role department needs one"},
	    {"bad", ROLE_DEPARTMENT, "NOPE", NULL, PW, CS_ENOTFOUND,
	     "unknown department \"NOPE\""},
	    {"bad", ROLE_REVIEWER, NULL, "999", PW, CS_ENOTFOUND,
	     "unknown area \"999\""},
	    {"bad", ROLE_ADMIN, NULL, NULL, "short", CS_EINVAL,
	     "password: 5 bytes, at least 10 needed"},
	    {"", ROLE_ADMIN, NULL, NULL, PW, CS_EINVAL, "name: \"\""},
	    {"a b", ROLE_ADMIN, NULL, NULL, PW, CS_EINVAL, "name: \"a b\""},
	    {"-x", ROLE_ADMIN, NULL, NULL, PW, CS_EINVAL, "name: \"-x\""},
	    {"../x", ROLE_ADMIN, NULL, NULL, PW, CS_EINVAL, "name: \"../x\""},
	    {"li.wei@fgw", ROLE_PUBLIC, NULL, NULL, PW, CS_OK, ""},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		cs_errclear();
		int rc = auth_user_add(fx->cs, cases[k].name, cases[k].role,
				       cases[k].dept, cases[k].area,
				       cases[k].password);
		if (rc != cases[k].rc ||
		    strncmp(cs_errmsg(), cases[k].msg, strlen(cases[k].msg)))
			fail_msg("case %zu (%s): rc %d \"%s\", want %d \"%s\"",
				 k, cases[k].name, rc, cs_errmsg(), cases[k].rc,
				 cases[k].msg);
	}
	struct user u = get_user(fx, "clerk");
	assert_int_equal(u.role, ROLE_DEPARTMENT);
	assert_int_equal(u.department_id, fx->cs->cat.depts[0].id);
	assert_int_equal(u.area_id, fx->cs->cat.areas[0].id);
	assert_int_equal(u.disabled, 0);
	user_release(&u);
	u = get_user(fx, "ann"); /* the duplicate left it as it was */
	assert_int_equal(u.role, ROLE_ADMIN);
	user_release(&u);
}

static void test_passwd_and_disable(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX], api[AUTH_TOKEN_HEX];
	struct auth who;
	add(fx, "ann", ROLE_LEADER);
	assert_int_equal(auth_user_passwd(fx->cs, "nobody", PW2), CS_ENOTFOUND);
	assert_int_equal(auth_user_passwd(fx->cs, "ann", "short"), CS_EINVAL);
	assert_int_equal(auth_user_disable(fx->cs, "nobody", 1), CS_ENOTFOUND);

	/* A new password ends the sessions and the tokens. */
	assert_int_equal(login(fx, "ann", PW, T0, token), CS_OK);
	assert_int_equal(auth_token_new(fx->cs, "ann", "sync", 30, T0, api),
			 CS_OK);
	assert_int_equal(auth_user_passwd(fx->cs, "ann", PW2), CS_OK);
	assert_int_equal(auth_session(fx->cs, token, T0 + 1, &who), CS_EAUTH);
	assert_int_equal(auth_session(fx->cs, api, T0 + 1, &who), CS_EAUTH);
	assert_int_equal(login(fx, "ann", PW, T0, NULL), CS_EAUTH);
	assert_int_equal(login(fx, "ann", PW2, T0, token), CS_OK);

	/* Disabling ends them too, and refuses the login. */
	assert_int_equal(auth_user_disable(fx->cs, "ann", 1), CS_OK);
	assert_int_equal(auth_session(fx->cs, token, T0 + 1, &who), CS_EAUTH);
	cs_errclear();
	assert_int_equal(login(fx, "ann", PW2, T0, NULL), CS_EPERM);
	assert_string_equal(cs_errmsg(), "account \"ann\" is disabled");
	assert_int_equal(login(fx, "ann", PW, T0, NULL), CS_EAUTH);
	assert_int_equal(auth_token_new(fx->cs, "ann", "", 30, T0, api),
			 CS_ECONFLICT);
	assert_int_equal(auth_user_disable(fx->cs, "ann", 1), CS_OK);
	assert_int_equal(auth_user_disable(fx->cs, "ann", 0), CS_OK);
	assert_int_equal(login(fx, "ann", PW2, T0, token), CS_OK);
	assert_int_equal(auth_session(fx->cs, token, T0 + 1, &who), CS_OK);
}

/* ---- login ------------------------------------------------------------- */

static void test_login(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX], wrong_pw[256], unknown[256];
	struct auth who;
	add(fx, "clerk", ROLE_DEPARTMENT);

	memset(token, 'x', sizeof token);
	assert_int_equal(auth_login(fx->cs, "clerk", PW, T0, token, &who),
			 CS_OK);
	assert_int_equal(strlen(token), 64);
	assert_true(strspn(token, "0123456789abcdef") == 64);
	assert_string_equal(who.name, "clerk");
	assert_int_equal(who.role, ROLE_DEPARTMENT);
	assert_int_equal(who.department_id, fx->cs->cat.depts[0].id);
	assert_int_equal(who.kind, SESSION_COOKIE);
	assert_int_equal(strlen(who.csrf), 64);
	assert_true(who.user_id > 0);

	/* A wrong password and an unknown name: one code, one message. */
	assert_int_equal(login(fx, "clerk", "wrong password", T0, NULL),
			 CS_EAUTH);
	snprintf(wrong_pw, sizeof wrong_pw, "%s", cs_errmsg());
	assert_int_equal(login(fx, "nobody", PW, T0, NULL), CS_EAUTH);
	snprintf(unknown, sizeof unknown, "%s", cs_errmsg());
	assert_string_equal(wrong_pw, "wrong name or password");
	assert_string_equal(unknown, wrong_pw);
	assert_int_equal(login(fx, "", "", T0, NULL), CS_EAUTH);

	/* Two logins are two sessions with their own CSRF tokens. */
	struct auth who2;
	char token2[AUTH_TOKEN_HEX];
	assert_int_equal(auth_login(fx->cs, "clerk", PW, T0, token2, &who2),
			 CS_OK);
	assert_string_not_equal(token, token2);
	assert_string_not_equal(who.csrf, who2.csrf);
}

static void test_lockout(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX];
	add(fx, "ann", ROLE_REVIEWER);

	/* A success resets the count: four, a success, four more. */
	for (int k = 0; k < AUTH_MAX_FAILED - 1; k++)
		assert_int_equal(login(fx, "ann", "bad guess 1", T0, NULL),
				 CS_EAUTH);
	struct user u = get_user(fx, "ann");
	assert_int_equal(u.failed, AUTH_MAX_FAILED - 1);
	user_release(&u);
	assert_int_equal(login(fx, "ann", PW, T0, NULL), CS_OK);
	u = get_user(fx, "ann");
	assert_int_equal(u.failed, 0);
	user_release(&u);
	for (int k = 0; k < AUTH_MAX_FAILED - 1; k++)
		assert_int_equal(login(fx, "ann", "bad guess 2", T0, NULL),
				 CS_EAUTH);
	assert_int_equal(login(fx, "ann", PW, T0 + 1, NULL), CS_OK);

	/* The fifth failure in a row locks, even the right password. */
	for (int k = 0; k < AUTH_MAX_FAILED; k++)
		assert_int_equal(login(fx, "ann", "bad guess 3", T0 + 10, NULL),
				 CS_EAUTH);
	cs_errclear();
	assert_int_equal(login(fx, "ann", PW, T0 + 11, NULL), CS_EPERM);
	assert_string_equal(cs_errmsg(),
			    "account locked until 2025-10-01T00:15:10Z");
	assert_int_equal(login(fx, "ann", "bad guess 4", T0 + 12, NULL),
			 CS_EPERM);
	assert_int_equal(
	    login(fx, "ann", PW, T0 + 10 + AUTH_LOCK_SECONDS - 1, NULL),
	    CS_EPERM);
	/* Released after the lock time. */
	assert_int_equal(
	    login(fx, "ann", PW, T0 + 10 + AUTH_LOCK_SECONDS, token), CS_OK);
	u = get_user(fx, "ann");
	assert_int_equal(u.failed, 0);
	assert_int_equal(u.locked_until, 0);
	user_release(&u);

	/* A new password ends a lockout. */
	for (int k = 0; k < AUTH_MAX_FAILED; k++)
		login(fx, "ann", "bad guess 5", T0 + 2000, NULL);
	assert_int_equal(login(fx, "ann", PW, T0 + 2001, NULL), CS_EPERM);
	assert_int_equal(auth_user_passwd(fx->cs, "ann", PW2), CS_OK);
	assert_int_equal(login(fx, "ann", PW2, T0 + 2002, NULL), CS_OK);
}

/* ---- sessions and tokens ----------------------------------------------- */

static void test_session_expiry(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX];
	struct auth who;
	add(fx, "ann", ROLE_ADMIN);
	assert_int_equal(login(fx, "ann", PW, T0, token), CS_OK);
	struct session se = get_session(fx, token);
	assert_int_equal(se.kind, SESSION_COOKIE);
	assert_int_equal(se.created, T0);
	assert_int_equal(se.expires, T0 + AUTH_SESSION_SECONDS);

	/* last_seen is written at most once a minute. */
	memset(&who, 0, sizeof who);
	assert_int_equal(auth_session(fx->cs, token, T0 + 59, &who), CS_OK);
	assert_string_equal(who.name, "ann");
	assert_int_equal(who.role, ROLE_ADMIN);
	assert_int_equal(who.kind, SESSION_COOKIE);
	assert_int_equal(get_session(fx, token).last_seen, T0);
	assert_int_equal(auth_session(fx->cs, token, T0 + 60, &who), CS_OK);
	assert_int_equal(get_session(fx, token).last_seen, T0 + 60);

	/* Idle expiry counts from the last use. */
	long t = T0 + 60 + AUTH_IDLE_SECONDS - 1;
	assert_int_equal(auth_session(fx->cs, token, t, &who), CS_OK);
	assert_int_equal(
	    auth_session(fx->cs, token, t + AUTH_IDLE_SECONDS, &who), CS_EAUTH);
	/* ... and an expired session is gone for good. */
	assert_int_equal(auth_session(fx->cs, token, t + 1, &who), CS_EAUTH);

	/* Absolute expiry, however busy the session. */
	assert_int_equal(login(fx, "ann", PW, T0, token), CS_OK);
	for (t = T0; t < T0 + AUTH_SESSION_SECONDS; t += AUTH_IDLE_SECONDS / 2)
		assert_int_equal(auth_session(fx->cs, token, t, &who), CS_OK);
	assert_int_equal(
	    auth_session(fx->cs, token, T0 + AUTH_SESSION_SECONDS, &who),
	    CS_EAUTH);

	/* Not tokens at all. */
	assert_int_equal(auth_session(fx->cs, NULL, T0, &who), CS_EAUTH);
	assert_int_equal(auth_session(fx->cs, "", T0, &who), CS_EAUTH);
	assert_int_equal(auth_session(fx->cs, "zz", T0, &who), CS_EAUTH);
	memset(token, 'a', 64);
	assert_int_equal(auth_session(fx->cs, token, T0, &who), CS_EAUTH);
}

static void test_api_token(void **state)
{
	struct fixture *fx = *state;
	char api[AUTH_TOKEN_HEX];
	struct auth who;
	add(fx, "robot", ROLE_DEPARTMENT);
	assert_int_equal(auth_token_new(fx->cs, "nobody", "", 30, T0, api),
			 CS_ENOTFOUND);
	assert_int_equal(auth_token_new(fx->cs, "robot", "sync", 0, T0, api),
			 CS_EINVAL);
	assert_int_equal(auth_token_new(fx->cs, "robot", "sync", 30, T0, api),
			 CS_OK);
	struct session se = get_session(fx, api);
	assert_int_equal(se.kind, SESSION_TOKEN);
	assert_int_equal(se.expires, T0 + 30L * 86400);
	assert_string_equal(se.csrf, "");

	/* No idle expiry: unused for 29 days, still good. */
	long t = T0 + 29L * 86400;
	assert_int_equal(auth_session(fx->cs, api, t, &who), CS_OK);
	assert_string_equal(who.name, "robot");
	assert_int_equal(who.kind, SESSION_TOKEN);
	assert_string_equal(who.csrf, "");
	assert_int_equal(get_session(fx, api).last_seen, t);
	assert_int_equal(auth_session(fx->cs, api, T0 + 30L * 86400 - 1, &who),
			 CS_OK);
	assert_int_equal(auth_session(fx->cs, api, T0 + 30L * 86400, &who),
			 CS_EAUTH);
}

static void test_logout(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX], other[AUTH_TOKEN_HEX], api[AUTH_TOKEN_HEX];
	struct auth who;
	add(fx, "ann", ROLE_LEADER);
	assert_int_equal(login(fx, "ann", PW, T0, token), CS_OK);
	assert_int_equal(login(fx, "ann", PW, T0, other), CS_OK);
	assert_int_equal(auth_token_new(fx->cs, "ann", "bi", 1, T0, api),
			 CS_OK);
	assert_int_equal(auth_logout(fx->cs, token), CS_OK);
	assert_int_equal(auth_session(fx->cs, token, T0 + 1, &who), CS_EAUTH);
	assert_int_equal(auth_session(fx->cs, other, T0 + 1, &who), CS_OK);
	assert_int_equal(auth_logout(fx->cs, token), CS_OK); /* again */
	assert_int_equal(auth_logout(fx->cs, api), CS_OK);
	assert_int_equal(auth_session(fx->cs, api, T0 + 1, &who), CS_EAUTH);
	assert_int_equal(auth_logout(fx->cs, "not a token"), CS_OK);
}

/* ---- what the store holds ---------------------------------------------- */

/* Nonzero when the n bytes at needle are anywhere in the file. */
static int file_holds(const char *path, const void *needle, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	char *buf = malloc(size > 0 ? (size_t)size : 1);
	assert_non_null(buf);
	size_t got = fread(buf, 1, (size_t)size, f);
	fclose(f);
	int found = memmem(buf, got, needle, n) != NULL;
	free(buf);
	return found;
}

/* On PostgreSQL, the text of its tables, where a bytea shows in hex. */
static int db_holds(struct fixture *fx, const void *needle, size_t n)
{
	char wal[160];
	if (fixture_pg()) {
		char *dump = fixture_pg_dump(fx->db), hex[2 * 64 + 1];
		const uint8_t *b = needle;
		assert_true(n <= 64);
		for (size_t k = 0; k < n; k++)
			snprintf(hex + 2 * k, 3, "%02x", b[k]);
		int found = memmem(dump, strlen(dump), needle, n) ||
			    strstr(dump, hex);
		free(dump);
		return found;
	}
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	return file_holds(fx->db, needle, n) || file_holds(wal, needle, n);
}

struct audit_seen {
	char actions[512];
	int leaks;
};

static int audit_one(void *ctx, const struct audit_entry *e)
{
	struct audit_seen *s = ctx;
	size_t n = strlen(s->actions);
	snprintf(s->actions + n, sizeof s->actions - n, "%s%s %s", n ? "," : "",
		 e->action, e->object);
	const char *texts[] = {e->before, e->after};
	for (size_t k = 0; k < NELEM(texts); k++)
		if (texts[k] &&
		    (strstr(texts[k], PW) || strstr(texts[k], PW2) ||
		     strstr(texts[k], "argon2") ||
		     strstr(texts[k], "password")))
			s->leaks++;
	return CS_OK;
}

static void test_stored(void **state)
{
	struct fixture *fx = *state;
	char token[AUTH_TOKEN_HEX], api[AUTH_TOKEN_HEX];
	uint8_t raw[SECRET_TOKEN], hash[SESSION_HASH];
	add(fx, "ann", ROLE_ADMIN);
	assert_int_equal(login(fx, "ann", PW, T0, token), CS_OK);
	assert_int_equal(auth_token_new(fx->cs, "ann", "sync", 30, T0, api),
			 CS_OK);

	struct user u = get_user(fx, "ann");
	assert_true(!strncmp(u.password, "$argon2id$", 10));
	assert_true(secret_password_check(u.password, PW));
	user_release(&u);

	/* The files hold the tokens' digests, never the tokens. */
	const char *tokens[] = {token, api};
	for (size_t k = 0; k < NELEM(tokens); k++) {
		assert_int_equal(secret_unhex(raw, sizeof raw, tokens[k]), 0);
		secret_sha256(hash, raw, sizeof raw);
		assert_true(db_holds(fx, hash, sizeof hash));
		assert_false(db_holds(fx, tokens[k], 64));
		assert_false(db_holds(fx, raw, sizeof raw));
	}
	assert_false(db_holds(fx, PW, strlen(PW)));

	/* Every change of the account is audited, without its password. */
	for (int k = 0; k < AUTH_MAX_FAILED; k++)
		login(fx, "ann", "bad guess", T0, NULL);
	assert_int_equal(auth_user_passwd(fx->cs, "ann", PW2), CS_OK);
	assert_int_equal(auth_user_disable(fx->cs, "ann", 1), CS_OK);
	assert_int_equal(auth_user_disable(fx->cs, "ann", 0), CS_OK);
	struct audit_seen seen = {0};
	assert_int_equal(
	    fx->cs->st->ops->scan_audit(fx->cs->st, 0, 0, audit_one, &seen),
	    CS_OK);
	assert_string_equal(seen.actions,
			    "user.add user/ann,user.token user/ann,"
			    "user.lock user/ann,user.passwd user/ann,"
			    "user.disable user/ann,user.enable user/ann");
	assert_int_equal(seen.leaks, 0);
	long checked = 0, first_bad = 0;
	assert_int_equal(audit_verify(fx->cs, &checked, &first_bad), CS_OK);
	assert_int_equal(checked, 6);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_password_generate),
	    T(test_add),
	    T(test_passwd_and_disable),
	    T(test_login),
	    T(test_lockout),
	    T(test_session_expiry),
	    T(test_api_token),
	    T(test_logout),
	    T(test_stored),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
