/*
 * The life of a figure between the clerk who enters it and the reviewer
 * who approves it: draft -> submitted -> approved, or returned with a
 * reason; an approved figure changes only after it is reopened, with a
 * reason.  Who may do what: a department clerk its own department's
 * figures (and its area's, when bound to one); a reviewer what is
 * submitted within its department or area (all, when bound to none); an
 * admin anything.  Every step is one audited write (value_set).
 */
#ifndef CS_WORKFLOW_H
#define CS_WORKFLOW_H

#include "domain/auth.h"
#include "domain/civstat.h"

enum workflow_step {
	STEP_ENTER,   /* a new value: stays or becomes draft */
	STEP_SUBMIT,  /* draft or returned -> submitted */
	STEP_APPROVE, /* submitted -> approved */
	STEP_RETURN,  /* submitted -> returned, with a reason */
	STEP_REOPEN,  /* approved -> draft, with a reason */
	STEP_N
};

/* "enter", "submit" ...; workflow_step_parse returns -1 when unknown. */
const char *workflow_step_name(int step);
int workflow_step_parse(const char *z);

/*
 * Takes step on the figure of indicator i, area a, month m by who.  value
 * is the new value for STEP_ENTER (NaN removes it) and ignored otherwise;
 * note is the comment for STEP_ENTER and the reason for return and reopen
 * (required there).  CS_EPERM when who may not, CS_ECONFLICT when the
 * figure's state does not allow the step, CS_EINVAL for a missing reason;
 * the message says which.  Nothing changes on error.
 */
int workflow_step(struct civstat *cs, const struct auth *who, int step, int i,
		  int a, int m, double value, const char *note);

#endif
