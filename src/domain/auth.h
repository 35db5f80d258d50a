/*
 * Accounts and sessions: users with roles, passwords hashed with Argon2id,
 * cookie sessions and API tokens as random 256-bit tokens of which only
 * the SHA-256 is stored, idle and absolute expiry, CSRF tokens for cookie
 * sessions, and login throttling with lockout.  Every change to an account
 * is audited.
 */
#ifndef CS_AUTH_H
#define CS_AUTH_H

#include "domain/civstat.h"

#define AUTH_IDLE_SECONDS (30 * 60)          /* a cookie session's idle expiry */
#define AUTH_SESSION_SECONDS (12 * 60 * 60)  /* its absolute expiry */
#define AUTH_TOKEN_DAYS 365                  /* an API token's default life */
#define AUTH_MAX_FAILED 5                    /* failures before a lockout */
#define AUTH_LOCK_SECONDS (15 * 60)          /* how long a lockout lasts */
#define AUTH_PASSWORD_MIN 10                 /* bytes of a password */
#define AUTH_TOKEN_HEX 65                    /* 64 hex digits and a NUL */

/* Who is asking: the caller of a request, after authentication. */
struct auth {
	int user_id;       /* 0 for the anonymous public */
	int role;          /* enum role */
	int department_id; /* 0 when none */
	int area_id;       /* 0 when none */
	char name[64];
	int kind;          /* enum session_kind */
	char csrf[65];     /* a cookie session's CSRF token */
};

/* "admin" ..., 管理员 ...; role_parse returns -1 when unknown. */
const char *role_name(int role);
const char *role_name_zh(int role);
int role_parse(const char *z);

/*
 * Adds a user.  department and area are codes or NULL; a department user
 * needs a department.  password must be at least AUTH_PASSWORD_MIN bytes.
 * CS_EEXIST when the name is taken, CS_EINVAL for a bad field (message
 * names it), CS_ENOTFOUND for an unknown department or area.
 */
int auth_user_add(struct civstat *cs, const char *name, int role,
		  const char *department, const char *area,
		  const char *password);
/* Sets a new password and ends the user's sessions and tokens. */
int auth_user_passwd(struct civstat *cs, const char *name,
		     const char *password);
/* Disables (or enables) a user; disabling ends its sessions. */
int auth_user_disable(struct civstat *cs, const char *name, int disabled);

/*
 * Logs in: on success writes a new cookie session's token (hex) into token
 * and fills *who.  A wrong name or password is CS_EAUTH with one message
 * for both; the AUTH_MAX_FAILED-th failure in a row locks the account for
 * AUTH_LOCK_SECONDS (CS_EPERM "account locked" meanwhile, even with the
 * right password).  now is Unix time.
 */
int auth_login(struct civstat *cs, const char *name, const char *password,
	       long now, char token[AUTH_TOKEN_HEX], struct auth *who);
/*
 * Finds the caller of a cookie session or an API token (hex).  CS_EAUTH
 * when unknown, expired (idle or absolute) or the user is disabled.
 */
int auth_session(struct civstat *cs, const char *token, long now,
		 struct auth *who);
/*
 * auth_session in two halves, so that a server can read on a connection
 * of its own while another writes: auth_check only reads st, and sets
 * *write nonzero when the session's row must change (-1: it expired and
 * goes; else the time it was last seen), which auth_session_write then
 * does on cs's store.
 */
int auth_check(struct store *st, const char *token, long now,
	       struct auth *who, long *write);
void auth_session_write(struct civstat *cs, const char *token, long write);
/* Ends a session or revokes a token. */
int auth_logout(struct civstat *cs, const char *token);
/* Creates an API token for name, valid for days; writes it (hex). */
int auth_token_new(struct civstat *cs, const char *name, const char *label,
		   int days, long now, char token[AUTH_TOKEN_HEX]);

/* Writes a random password of n - 1 easy-to-read characters and a NUL. */
void auth_password_generate(char *out, size_t n);

#endif
