/*
 * civstat migrate: move a city from one database to another, SQLite to
 * PostgreSQL or back (domain/migrate.h does the copy and proves it), and
 * print per table the rows copied and what the proof found.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/secret.h"
#include "domain/migrate.h"

/* The file of a SQLite target, or NULL for PostgreSQL, told apart as
 * store_open tells them. */
static const char *sqlite_file(const char *target)
{
	if (!strncmp(target, "sqlite:", 7))
		target += 7;
	if (!strncmp(target, "postgres://", 11) ||
	    !strncmp(target, "postgresql://", 13))
		return NULL;
	return target;
}

/* Removes the SQLite file a failed migrate created, with its companions,
 * so that nothing stays. */
static void remove_created(const char *file)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char path[4096];
	for (size_t k = 0; k < sizeof suffix / sizeof *suffix; k++) {
		snprintf(path, sizeof path, "%s%s", file, suffix[k]);
		unlink(path);
	}
}

/*
 * Opens the destination for writing.  A SQLite file that exists must be a
 * civstat database already (else its tables would be added to some other
 * program's file); *created says whether the file is new, to be removed
 * again if the copy fails.
 */
static int open_destination(const char *target, struct store **pp,
			    int *created)
{
	const char *file = sqlite_file(target);
	struct stat sb;
	struct store *st;
	int rc;
	*created = 0;
	if (file && !stat(file, &sb) && sb.st_size > 0) {
		if ((rc = store_open(target, STORE_READONLY, &st)))
			return cs_errorf(CS_EEXIST, "%s exists and is not an "
					 "empty civstat database; choose "
					 "another --to", target);
		store_close(st);
	} else if (file) {
		*created = stat(file, &sb) != 0;
	}
	return store_open(target, STORE_CREATE, pp);
}

/* Prints the report: the table, then (as a table) the proof. */
static int print_report(const struct cli_opts *o,
			const struct migrate_report *r)
{
	static const char *const en[] = {"table", "what", "copied",
					 "in destination"};
	static const char *const zh[] = {"表", "内容", "复制行数",
					 "目标库行数"};
	char hex[2 * SESSION_HASH + 1];
	struct out_table t;
	long total = 0;
	int rc;
	out_init(&t, 4, en, zh);
	for (int k = 0; k < MIGRATE_NTABLES; k++) {
		out_row(&t);
		out_text(&t, migrate_table_name(k));
		out_text(&t, migrate_table_what(k, o->lang == LANG_ZH));
		out_num(&t, (double)r->copied[k], 0);
		out_num(&t, (double)r->found[k], 0);
		total += r->copied[k];
	}
	if ((rc = cli_print(o, &t)))
		return rc;
	if (o->format != OUT_TABLE)
		return CS_OK;
	secret_hex(hex, r->head_hash, SESSION_HASH);
	if (cli_zh(o))
		printf("迁移完成：%ld 行，各表行数一致；审计链 %ld 条完整，"
		       "末条与源库相同 %ld:%s\n"
		       "(migrated: %ld rows, every table's count matches; "
		       "audit: %ld entr%s, the chain holds and ends at the "
		       "source's head)\n",
		       total, r->audit_checked, r->head_id, hex, total,
		       r->audit_checked, r->audit_checked == 1 ? "y" : "ies");
	else
		printf("migrated: %ld rows, every table's count matches; "
		       "audit: %ld entr%s, the chain holds and ends at the "
		       "source's head %ld:%s\n",
		       total, r->audit_checked,
		       r->audit_checked == 1 ? "y" : "ies", r->head_id, hex);
	return CS_OK;
}

int cmd_migrate(struct cli_opts *o)
{
	struct store *src, *dst;
	struct migrate_report r;
	int rc, created;
	if (!o->from || !o->to)
		return cli_fail(cs_errorf(CS_EUSAGE, "give --from SRC and --to "
					  "DST (a SQLite file, sqlite:FILE or "
					  "postgres://...)"));
	if (!strcmp(o->from, o->to))
		return cli_fail(cs_errorf(CS_EUSAGE, "--from and --to name the "
					  "same database"));
	/* Read-only: a file that is not a civstat database is refused,
	 * not given civstat's tables. */
	if ((rc = store_open(o->from, STORE_READONLY, &src)))
		return cli_fail(rc);
	if ((rc = open_destination(o->to, &dst, &created))) {
		store_close(src);
		return cli_fail(rc);
	}
	rc = migrate_copy(src, dst, &r);
	store_close(dst);
	store_close(src);
	if (rc) {
		if (created)
			remove_created(sqlite_file(o->to));
		return cli_fail(rc);
	}
	return (rc = print_report(o, &r)) ? cli_fail(rc) : 0;
}
