/*
 * The figure workflow and its permissions (see workflow.h).
 */
#include "domain/workflow.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/period.h"
#include "domain/values.h"

static const char *const step_names[STEP_N] = {"enter", "submit", "approve",
					       "return", "reopen"};

const char *workflow_step_name(int step)
{
	return step >= 0 && step < STEP_N ? step_names[step] : "?";
}

int workflow_step_parse(const char *z)
{
	for (int k = 0; k < STEP_N; k++)
		if (!strcmp(z, step_names[k]))
			return k;
	return -1;
}

/* Nonzero when who's department and area (if bound) cover the figure. */
static int covers(const struct civstat *cs, const struct auth *who, int i,
		  int a)
{
	const struct catalog *cat = &cs->cat;
	if (who->department_id &&
	    cat->inds[i].department_id != who->department_id)
		return 0;
	if (who->area_id) {
		int wa = catalog_area_id(cat, who->area_id);
		if (wa < 0 || !catalog_area_within(cat, a, wa))
			return 0;
	}
	return 1;
}

/* Who may take which step: the least role, and whether the department
 * and area must cover the figure. */
static int may(const struct civstat *cs, const struct auth *who, int step,
	       int i, int a)
{
	if (who->role == ROLE_ADMIN)
		return 1;
	switch (step) {
	case STEP_ENTER:
	case STEP_SUBMIT:
		return who->role == ROLE_DEPARTMENT && who->department_id &&
		       covers(cs, who, i, a);
	case STEP_APPROVE:
	case STEP_RETURN:
		return who->role == ROLE_REVIEWER && covers(cs, who, i, a);
	case STEP_REOPEN:
		return (who->role == ROLE_REVIEWER && covers(cs, who, i, a)) ||
		       who->role == ROLE_LEADER;
	}
	return 0;
}

int workflow_step(struct civstat *cs, const struct auth *who, int step, int i,
		  int a, int m, double value, const char *note)
{
	const struct indicator *ind = &cs->cat.inds[i];
	char what[160], per[32];
	struct period p = period_ending(value_period_kind(ind), m);
	period_format(&p, per, sizeof per);
	snprintf(what, sizeof what, "%s %s %s", ind->code,
		 cs->cat.areas[a].code, per);
	if (step < 0 || step >= STEP_N)
		return cs_errorf(CS_EINVAL, "no such step");
	/* Before who may and the state: a fed figure is nobody's to type,
	 * and that is the answer, not "approved" or "may not". */
	const char *fed = value_feeding() ? NULL : value_fed_by(&cs->cat, i);
	if (fed)
		return cs_errorf(CS_EINVAL, "indicator %s: %s", ind->code, fed);
	if (!may(cs, who, step, i, a))
		return cs_errorf(CS_EPERM, "%s may not %s %s", who->name,
				 step_names[step], what);
	uint8_t flags;
	double v = civstat_figure(cs, i, a, m, &flags);
	int has = !isnan(v);
	int state = has ? flags & VALUE_STATE_MASK : VALUE_DRAFT;
	static const int from[STEP_N] = {
		[STEP_ENTER] = 1 << VALUE_DRAFT | 1 << VALUE_RETURNED,
		[STEP_SUBMIT] = 1 << VALUE_DRAFT | 1 << VALUE_RETURNED,
		[STEP_APPROVE] = 1 << VALUE_SUBMITTED,
		[STEP_RETURN] = 1 << VALUE_SUBMITTED,
		[STEP_REOPEN] = 1 << VALUE_APPROVED,
	};
	static const int to[STEP_N] = {
		[STEP_ENTER] = VALUE_DRAFT,
		[STEP_SUBMIT] = VALUE_SUBMITTED,
		[STEP_APPROVE] = VALUE_APPROVED,
		[STEP_RETURN] = VALUE_RETURNED,
		[STEP_REOPEN] = VALUE_DRAFT,
	};
	if (step != STEP_ENTER && !has)
		return cs_errorf(CS_ENOTFOUND, "%s: no figure", what);
	static const char *const done[STEP_N] = {"changed", "submitted",
						 "approved", "returned",
						 "reopened"};
	if (!(from[step] & 1 << state))
		return cs_errorf(CS_ECONFLICT, "%s is %s: it cannot be %s%s",
				 what, value_state_name(state), done[step],
				 step != STEP_ENTER	     ? ""
				 : state == VALUE_APPROVED ? " until it is reopened"
							   : " until it is returned");
	if ((step == STEP_RETURN || step == STEP_REOPEN) && (!note || !*note))
		return cs_errorf(CS_EINVAL, "%s: give a reason",
				 step_names[step]);
	return value_set(cs, i, a, m, step == STEP_ENTER ? value : v, to[step],
			 note);
}
