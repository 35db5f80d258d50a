/*
 * civstat user: add accounts, set passwords, disable and enable them, make
 * API tokens and list the accounts.  A password made here, and a token,
 * is printed once and never again.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/auth.h"

#define PASSWORD_LEN  16   /* characters of a made password: 92 bits */
#define PASSWORD_READ 4096 /* bytes read from standard input at most */

/* The password from standard input (its first line), or a new one. */
static int get_password(const struct cli_opts *o, char *buf, size_t cap,
			int *made)
{
	*made = !o->password_stdin;
	if (*made) {
		auth_password_generate(buf, PASSWORD_LEN + 1);
		return CS_OK;
	}
	if (!fgets(buf, (int)cap, stdin))
		return cs_errorf(CS_EUSAGE, "--password-stdin: nothing on "
					    "standard input");
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return cs_errorf(CS_EINVAL, "password: longer than %zu bytes",
				 cap - 2);
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return CS_OK;
}

static void print_password(const char *name, const char *password)
{
	printf("password of %s (shown only this once): %s\n", name, password);
}

static int user_add(struct civstat *cs, const struct cli_opts *o,
		    const char *name)
{
	char password[PASSWORD_READ];
	int role, made, rc;
	if (!o->role)
		return cs_errorf(CS_EUSAGE, "user add: --role is missing");
	if ((role = role_parse(o->role)) < 0)
		return cs_errorf(CS_EUSAGE,
				 "--role: \"%s\" is not admin, "
				 "leader, reviewer, department or public",
				 o->role);
	if ((rc = get_password(o, password, sizeof password, &made)) ||
	    (rc = auth_user_add(cs, name, role, o->department, o->area,
				password)))
		goto out;
	printf("added %s (%s%s%s%s%s)\n", name, role_name(role),
	       o->department ? ", " : "", o->department ? o->department : "",
	       o->area ? ", " : "", o->area ? o->area : "");
	if (made)
		print_password(name, password);
out:
	explicit_bzero(password, sizeof password);
	return rc;
}

static int user_passwd(struct civstat *cs, const struct cli_opts *o,
		       const char *name)
{
	char password[PASSWORD_READ];
	int made, rc;
	if ((rc = get_password(o, password, sizeof password, &made)) ||
	    (rc = auth_user_passwd(cs, name, password)))
		goto out;
	printf("new password for %s; its sessions and tokens are ended\n",
	       name);
	if (made)
		print_password(name, password);
out:
	explicit_bzero(password, sizeof password);
	return rc;
}

static int set_disabled(struct civstat *cs, const char *name, int disabled)
{
	int rc = auth_user_disable(cs, name, disabled);
	if (!rc)
		printf("%s %s\n", disabled ? "disabled" : "enabled", name);
	return rc;
}

static int user_disable(struct civstat *cs, const struct cli_opts *o,
			const char *name)
{
	(void)o;
	return set_disabled(cs, name, 1);
}

static int user_enable(struct civstat *cs, const struct cli_opts *o,
		       const char *name)
{
	(void)o;
	return set_disabled(cs, name, 0);
}

static int user_token(struct civstat *cs, const struct cli_opts *o,
		      const char *name)
{
	char token[AUTH_TOKEN_HEX];
	int rc = auth_token_new(cs, name, o->label, AUTH_TOKEN_DAYS,
				(long)time(NULL), token);
	if (rc)
		return rc;
	printf("API token of %s for %d days (shown only this once; send it "
	       "as \"Authorization: Bearer TOKEN\"):\n%s\n",
	       name, AUTH_TOKEN_DAYS, token);
	explicit_bzero(token, sizeof token);
	return CS_OK;
}

struct list_ctx {
	const struct cli_opts *o;
	const struct civstat *cs;
	struct out_table *t;
	long now;
};

static int list_one(void *ctx, const struct user *u)
{
	struct list_ctx *c = ctx;
	const struct catalog *cat = &c->cs->cat;
	int zh = cli_zh(c->o);
	int d = u->department_id ? catalog_department_id(cat, u->department_id)
				 : -1;
	int a = u->area_id ? catalog_area_id(cat, u->area_id) : -1;
	char until[32] = "";
	if (u->locked_until > c->now) {
		struct tm tm;
		time_t tt = (time_t)u->locked_until;
		gmtime_r(&tt, &tm);
		strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	out_row(c->t);
	out_text(c->t, u->name);
	out_text(c->t, zh ? role_name_zh(u->role) : role_name(u->role));
	out_text(c->t, d < 0 ? "" : cat->depts[d].code);
	out_text(c->t, a < 0 ? "" : cat->areas[a].code);
	out_text(c->t, zh ? (u->disabled ? "是" : "否")
			  : (u->disabled ? "yes" : "no"));
	out_text(c->t, until);
	out_text(c->t, u->created);
	return CS_OK;
}

static int user_list(struct civstat *cs, const struct cli_opts *o,
		     const char *name)
{
	static const char *const head_en[] = {
	    "name",	"role",		"department", "area",
	    "disabled", "locked_until", "created"};
	static const char *const head_zh[] = {
	    "账号", "角色", "部门", "地区", "停用", "锁定至", "创建时间"};
	struct out_table t;
	struct list_ctx c = {o, cs, &t, (long)time(NULL)};
	(void)name;
	out_init(&t, 7, head_en, head_zh);
	int rc = cs->st->ops->scan_users(cs->st, list_one, &c);
	if (rc) {
		out_release(&t);
		return rc;
	}
	return cli_print(o, &t);
}

/* The subcommands: what each needs and which options it takes. */
static const struct user_command {
	const char *name;
	int (*run)(struct civstat *cs, const struct cli_opts *o,
		   const char *name);
	int named;	  /* takes the account's NAME */
	unsigned long long options; /* enum opt bits it takes besides --db */
	int flags;	  /* how it opens the store: STORE_READONLY or 0 */
} user_commands[] = {
    {"add", user_add, 1, O_ROLE | O_DEPT | O_AREA | O_PWSTDIN, 0},
    {"passwd", user_passwd, 1, O_PWSTDIN, 0},
    {"disable", user_disable, 1, 0, 0},
    {"enable", user_enable, 1, 0, 0},
    {"token", user_token, 1, O_LABEL, 0},
    {"list", user_list, 0, O_FORMAT, STORE_READONLY},
};

#define NUSER_COMMANDS (int)(sizeof user_commands / sizeof *user_commands)

/* The first option given that sub does not take, or NULL. */
static const char *stray_option(const struct cli_opts *o,
				const struct user_command *sub)
{
	const struct {
		unsigned long long bit;
		int given;
		const char *name;
	} given[] = {
	    {O_ROLE, o->role != NULL, "--role"},
	    {O_DEPT, o->department != NULL, "--department"},
	    {O_AREA, o->area != NULL, "--area"},
	    {O_LABEL, o->label != NULL, "--label"},
	    {O_PWSTDIN, o->password_stdin, "--password-stdin"},
	    {O_FORMAT, o->format != OUT_TABLE, "--format"},
	};
	for (size_t k = 0; k < sizeof given / sizeof *given; k++)
		if (given[k].given && !(sub->options & given[k].bit))
			return given[k].name;
	return NULL;
}

int cmd_user(struct cli_opts *o)
{
	const struct user_command *sub = NULL;
	const char *stray;
	struct civstat *cs;
	int rc;

	if (!o->nargs)
		return cli_fail(cs_errorf(CS_EUSAGE,
					  "user: add, passwd, "
					  "disable, enable, token or list?"));
	for (int k = 0; k < NUSER_COMMANDS; k++)
		if (!strcmp(o->args[0], user_commands[k].name))
			sub = &user_commands[k];
	if (!sub)
		return cli_fail(cs_errorf(CS_EUSAGE,
					  "user: unknown subcommand "
					  "\"%s\" (add, passwd, disable, "
					  "enable, token, list)",
					  o->args[0]));
	if (sub->named && o->nargs < 2)
		return cli_fail(cs_errorf(CS_EUSAGE,
					  "user %s: the account's "
					  "NAME is missing",
					  sub->name));
	if (!sub->named && o->nargs > 1)
		return cli_fail(cs_errorf(CS_EUSAGE,
					  "user %s: unexpected "
					  "argument \"%s\"",
					  sub->name, o->args[1]));
	if ((stray = stray_option(o, sub)))
		return cli_fail(cs_errorf(CS_EUSAGE,
					  "user %s does not take "
					  "%s",
					  sub->name, stray));
	if ((rc = cli_open(o, sub->flags, &cs)))
		return rc;
	rc = sub->run(cs, o, sub->named ? o->args[1] : NULL);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
