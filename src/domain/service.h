/*
 * The service catalogue (服务目录) of issue 7: the categories residents
 * report under (供暖, 回迁, 办证 ...), the department that answers each and
 * its deadlines, read from services.csv (columns code, name, name_en,
 * group, department, dispatch_days, answer_days, answer_hours, keywords,
 * description, public, source; docs/formats.md) and listed by Open311.
 *
 * A file is checked whole before anything is stored.  Errors: a code that
 * is not lower-case letters, digits, '_' or '-', an empty name, a
 * department the store does not know, a deadline that is not a whole
 * number in its range, no answer deadline at all (answer_days and
 * answer_hours both 0), public other than 0 or 1, a code given twice.
 */
#ifndef CS_SERVICE_H
#define CS_SERVICE_H

#include <stddef.h>

#include "domain/civstat.h"
#include "domain/out.h"
#include "store/store.h"

/* Longest text kept, in bytes (description: SERVICE_MAX_DESC). */
#define SERVICE_MAX_TEXT 256
#define SERVICE_MAX_DESC 2000

/*
 * Checks len bytes at data as a services.csv named name, storing nothing
 * and checking no department (there is no store); *rows counts them.  On
 * error cs_errmsg() says "name:line: column "code": ...".
 */
int service_csv_check(const char *name, const char *data, size_t len,
		      long *rows);

/*
 * Imports the n files at paths in one transaction, with an audit entry a
 * file (service.import, by cs->actor): every service is put (replacing
 * the code if it was there) or, on the first error, none of any file is.
 * With dry_run nothing is stored.  *rows counts the services.
 */
int service_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows);

/*
 * Puts the n services at v (a body of POST /services) in one transaction
 * with an audit entry, each checked as a row of services.csv, all or
 * none.  On CS_EINVAL field gets "[k].column" (cap bytes) of the first
 * refused one and cs_errmsg() says why.
 */
int service_put_all(struct civstat *cs, const struct service *v, int n,
		    char *field, size_t cap);

/*
 * Fills t (out_init'd here; the caller releases it) with every service.
 * With for_import the columns are services.csv's so that an export
 * imports again; else a list with Chinese words when zh.
 */
int service_table(struct store *st, int for_import, int zh,
		  struct out_table *t);

/* The catalogue read whole into memory (the request routes read it once
 * per answer, `civstat request stats` once per table), every string a
 * copy of the list's own. */
struct service_entry {
	char *code, *name, *name_en, *group, *department, *description;
	int public;
};
struct service_list {
	struct service_entry *v;
	int n, cap;
};
int service_list_load(struct store *st, struct service_list *l);
void service_list_release(struct service_list *l);
/* The service of code, or NULL. */
const struct service_entry *service_list_find(const struct service_list *l,
					      const char *code);

#endif
