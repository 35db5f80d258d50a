/*
 * One figure at a time (see values.h).
 */
#include "domain/values.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/period.h"
#include "domain/audit.h"
#include "domain/request.h"
#include "domain/project.h"

const char *const value_state_names[2 * VALUE_NSTATES] = {
	"approved", "draft", "submitted", "returned",
	"已审核", "草稿", "已报送", "已退回",
};

int value_state_parse(const char *z)
{
	for (int k = 0; k < 2 * VALUE_NSTATES; k++)
		if (!strcmp(z, value_state_names[k]))
			return k % VALUE_NSTATES;
	return -1;
}

const char *value_state_name(int state)
{
	return state >= 0 && state < VALUE_NSTATES ? value_state_names[state]
						   : "?";
}

const char *value_state_name_zh(int state)
{
	return state >= 0 && state < VALUE_NSTATES
		       ? value_state_names[VALUE_NSTATES + state]
		       : "?";
}

enum period_kind value_period_kind(const struct indicator *ind)
{
	return ind->frequency == FREQ_QUARTER ? PERIOD_QUARTER
	       : ind->frequency == FREQ_YEAR  ? PERIOD_YEAR
					      : PERIOD_MONTH;
}

const char *value_frequency_name_zh(int frequency)
{
	static const char *const names[] = {"月度", "季度", "年度"};
	return frequency >= 0 && frequency < 3 ? names[frequency] : "?";
}

/* Per thread, so that a server's feed does not open the door to another
 * request's figures. */
static _Thread_local int feeding;

void value_feed_begin(void)
{
	feeding++;
}

void value_feed_end(void)
{
	feeding--;
}

int value_feeding(void)
{
	return feeding > 0;
}

const char *value_fed_by(const struct catalog *cat, int i)
{
	if (i < 0 || i >= cat->n_inds)
		return NULL;
	const char *code = cat->inds[i].code;
	if (!strcmp(code, REQUEST_IND_RESOLVE) ||
	    !strcmp(code, REQUEST_IND_SATISFY) ||
	    !strcmp(code, REQUEST_IND_ONTIME))
		return "群众诉求的比率由诉求办理自动计算，不能直接填报 "
		       "(computed from the residents' requests; it cannot "
		       "be entered directly)";
	if (strcmp(code, PROJECT_INDICATOR))
		return NULL;
	return PROJECT_INDICATOR " 由重点项目月报自动汇总，不能直接填报 "
	       "(summed from the key projects' monthly reports; it cannot "
	       "be entered directly)";
}

/*
 * A figure as the audit trail records it, {"value":12.5,"state":"approved",
 * "comment":null}, into *out, which the caller frees; NULL when there is
 * no figure.  The value has the digits that give it back (15, else 17).
 */
static int figure_json(double v, int state, const char *comment, char **out)
{
	char digits[32];
	json_error_t err;
	json_t *o;
	*out = NULL;
	if (isnan(v))
		return CS_OK;
	if (!(o = json_pack_ex(&err, 0, "{s:f, s:s, s:s?}", "value", v, "state",
			       value_state_name(state), "comment", comment)))
		return json_error_code(&err) == json_error_invalid_utf8
			       ? cs_errorf(CS_EINVAL, "comment \"%s\" is "
					   "not UTF-8 text", comment)
			       : cs_errorf(CS_ENOMEM, "out of memory");
	snprintf(digits, sizeof digits, "%.15g", v);
	int prec = strtod(digits, NULL) == v ? 15 : 17;
	*out = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(prec));
	json_decref(o);
	return *out ? CS_OK : cs_errorf(CS_ENOMEM, "out of memory");
}

/*
 * Appends change c of figure (i, a, m) to the audit trail as "set" or
 * "remove" of INDICATOR/AREA/PERIOD; had_comment: the figure had one.
 */
static int audit_figure(struct civstat *cs, int i, int a, int m,
			const struct value_change *c, int had_comment)
{
	struct store *st = cs->st;
	const struct indicator *ind = &cs->cat.inds[i];
	const struct area *ar = &cs->cat.areas[a];
	struct period p = period_ending(value_period_kind(ind), m);
	char object[256], per[32], *old = NULL, *before = NULL, *after = NULL;
	int rc;
	period_format(&p, per, sizeof per);
	snprintf(object, sizeof object, "%s/%s/%s", ind->code, ar->code, per);
	if (had_comment &&
	    (rc = st->ops->get_comment(st, ind->id, ar->id, m, &old)))
		return rc;
	const char *comment = !c->comment ? old
			      : *c->comment ? c->comment
					    : NULL;
	if (!(rc = figure_json(c->before, c->state_before, old, &before)) &&
	    !(rc = figure_json(c->after, c->state_after, comment, &after)))
		rc = audit_append(cs, isnan(c->after) ? "remove" : "set",
				  object, before, after);
	free(old);
	free(before);
	free(after);
	return rc;
}

int value_set(struct civstat *cs, int i, int a, int m, double v, int state,
	      const char *comment)
{
	return value_set_sample(cs, i, a, m, v, state, comment, 0);
}

int value_set_sample(struct civstat *cs, int i, int a, int m, double v,
		     int state, const char *comment, int sample)
{
	struct store *st = cs->st;
	const struct indicator *ind = &cs->cat.inds[i];
	const struct area *ar = &cs->cat.areas[a];
	struct series s = {0};
	char what[128], per[32];
	long change;
	int rc;

	if (cs->cat.formula[i])
		return cs_errorf(CS_EINVAL, "indicator %s is derived from a "
				 "formula and has no figures of its own",
				 ind->code);
	const char *fed = feeding ? NULL : value_fed_by(&cs->cat, i);
	if (fed)
		return cs_errorf(CS_EINVAL, "indicator %s: %s", ind->code, fed);
	struct period p = period_ending(value_period_kind(ind), m);
	period_format(&p, per, sizeof per);
	snprintf(what, sizeof what, "set %s %s %s", ind->code, ar->code, per);
	/* The cube changes only here and after the commit (of the group,
	 * when in one), each under the cube's lock: readers wait for
	 * neither the store nor its fsync. */
	rc = CS_OK;
	if (!cube_holds(&cs->cube, m)) {
		/* Only writers, one at a time, move the range: no lock to
		 * look, the readers' lock to move it. */
		civstat_cube_lock(cs);
		rc = cube_reserve(&cs->cube, m, m);
		civstat_cube_unlock(cs);
	}
	if (rc || (rc = civstat_figure_room(cs)) ||
	    (rc = st->ops->begin(st)))
		return rc;
	rc = st->ops->get_series(st, ind->id, ar->id, &s);
	if (rc == CS_ENOTFOUND)
		rc = series_init(&s, ind->id, ar->id, m, 0);
	if (rc || (rc = series_cover(&s, m, m)) ||
	    (rc = st->ops->add_change(st, cs->actor, what, &change)))
		goto failed;
	int k = m - s.first_month;
	uint8_t flags = (uint8_t)state |
			(s.flags[k] & (VALUE_SAMPLE | VALUE_COMMENT));
	if (comment)
		flags = (uint8_t)((flags & ~VALUE_COMMENT) |
				  (*comment ? VALUE_COMMENT : 0));
	/* A figure entered by hand is no longer sample data; one summed
	 * from sample data (the demo's project reports) still is. */
	flags &= (uint8_t)~VALUE_SAMPLE;
	if (sample)
		flags |= VALUE_SAMPLE;
	struct value_change c = {
		.change_id = change,
		.prev_change = s.change[k],
		.before = s.value[k],
		.after = v,
		.state_before = s.flags[k] & VALUE_STATE_MASK,
		.state_after = state,
		.comment = comment,
	};
	if ((rc = audit_figure(cs, i, a, m, &c, s.flags[k] & VALUE_COMMENT)))
		goto failed;
	s.value[k] = v;
	s.flags[k] = isnan(v) ? 0 : flags;
	s.change[k] = (uint32_t)change;
	if ((rc = st->ops->add_history(st, ind->id, ar->id, m, &c)) ||
	    (rc = st->ops->put_series(st, &s)) ||
	    (comment && (rc = st->ops->put_comment(st, ind->id, ar->id, m,
						   comment))) ||
	    (rc = st->ops->commit(st)))
		goto failed;
	series_release(&s);
	civstat_figure_put(cs, i, a, m, v, flags);
	return CS_OK;
failed:
	series_release(&s);
	st->ops->rollback(st);
	return rc;
}
