/*
 * One figure at a time (see values.h).
 */
#include "domain/values.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/period.h"

static const char *const state_en[] = {"approved", "draft", "submitted",
				       "returned"};
static const char *const state_zh[] = {"已审核", "草稿", "已报送", "已退回"};

int value_state_parse(const char *z)
{
	for (int k = 0; k < 4; k++)
		if (!strcmp(z, state_en[k]) || !strcmp(z, state_zh[k]))
			return k;
	return -1;
}

const char *value_state_name(int state)
{
	return state >= 0 && state < 4 ? state_en[state] : "?";
}

const char *value_state_name_zh(int state)
{
	return state >= 0 && state < 4 ? state_zh[state] : "?";
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

int value_set(struct civstat *cs, int i, int a, int m, double v, int state,
	      const char *comment)
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
	struct period p = period_from_month_index(m);
	period_format(&p, per, sizeof per);
	snprintf(what, sizeof what, "set %s %s %s", ind->code, ar->code, per);
	if ((rc = cube_reserve(&cs->cube, m, m)) || (rc = st->ops->begin(st)))
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
	/* A figure entered by hand is no longer sample data. */
	flags &= (uint8_t)~VALUE_SAMPLE;
	struct value_change c = {
		.change_id = change,
		.prev_change = s.change[k],
		.before = s.value[k],
		.after = v,
		.state_before = s.flags[k] & VALUE_STATE_MASK,
		.state_after = state,
		.comment = comment,
	};
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
	cube_set(&cs->cube, i, a, m, v, isnan(v) ? 0 : flags);
	cs->cube.stored[(size_t)i * (size_t)cs->cat.n_areas + (size_t)a] = 1;
	return CS_OK;
failed:
	series_release(&s);
	st->ops->rollback(st);
	return rc;
}
