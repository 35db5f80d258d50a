/*
 * The table of result codes and the per-thread last error message.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
	const char *name;
	int exit_code;
	int http;
} rc_table[CS_NRC] = {
	[CS_OK] = {"ok", 0, 200},
	[CS_EINVAL] = {"invalid", 65, 400},
	[CS_EUSAGE] = {"usage", 64, 400},
	[CS_ENOTFOUND] = {"not_found", 66, 404},
	[CS_EEXIST] = {"exists", 65, 409},
	[CS_ECONFLICT] = {"conflict", 75, 409},
	[CS_ETOOBIG] = {"too_big", 65, 413},
	[CS_EPERM] = {"forbidden", 77, 403},
	[CS_EAUTH] = {"unauthorized", 77, 401},
	[CS_ENOMEM] = {"no_memory", 71, 503},
	[CS_EIO] = {"io", 74, 500},
	[CS_ESTORE] = {"store", 74, 500},
	[CS_EINTERNAL] = {"internal", 70, 500},
	[CS_EMETHOD] = {"method_not_allowed", 64, 405},
	[CS_EBUSY] = {"busy", 75, 503},
	[CS_EUNAVAIL] = {"unavailable", 69, 503},
};

static _Thread_local char last_msg[1024];

const char *cs_rc_name(int rc)
{
	return rc >= 0 && rc < CS_NRC ? rc_table[rc].name : "internal";
}

int cs_rc_exit(int rc)
{
	return rc >= 0 && rc < CS_NRC ? rc_table[rc].exit_code : 70;
}

int cs_rc_http(int rc)
{
	return rc >= 0 && rc < CS_NRC ? rc_table[rc].http : 500;
}

int cs_errorf(int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof last_msg, fmt, ap);
	va_end(ap);
	return rc;
}

const char *cs_errmsg(void)
{
	return last_msg;
}

void cs_errclear(void)
{
	last_msg[0] = 0;
}
