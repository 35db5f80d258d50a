/*
 * Derived indicators: a formula over other indicators, evaluated after
 * aggregation (as DHIS2 indicators are).  The grammar:
 *
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/') unary)*
 *   unary  := '-' unary | primary
 *   primary:= number | ref | func '(' ref ')' | '(' expr ')'
 *   ref    := '[' code ']' | code        code: letters, digits, '_' and '.',
 *                                        not starting with a digit; inside
 *                                        brackets any text but ']'
 *   func   := ytd | prev_year | ytd_prev_year
 *
 * ytd(X) is X's year-to-date aggregate at the period being evaluated,
 * prev_year(X) X at the same period a year earlier, ytd_prev_year(X) both.
 * A bare ref is X at the period being evaluated.
 */
#ifndef CS_FORMULA_H
#define CS_FORMULA_H

#include <stddef.h>

#define FORMULA_MAX_LEN 4096  /* bytes of formula text */
#define FORMULA_MAX_NODES 512 /* operators, numbers and refs */
#define FORMULA_MAX_DEPTH 64  /* nesting of parentheses and unary minus */

enum formula_fn {
	FORMULA_AT = 0,            /* X at the period */
	FORMULA_YTD = 1,           /* ytd(X) */
	FORMULA_PREV_YEAR = 2,     /* prev_year(X) */
	FORMULA_YTD_PREV_YEAR = 3, /* ytd_prev_year(X) */
};

struct formula;

/*
 * Value of indicator code under fn, supplied by the caller; NaN when there is
 * no figure.
 */
typedef double (*formula_lookup_fn)(void *ctx, const char *code,
				    enum formula_fn fn);

/*
 * Parses the n bytes of text.  Returns CS_OK and sets *pp (the caller owns it
 * and frees it with formula_free()), or CS_EINVAL with cs_errmsg() naming the
 * column (1-based byte offset) and what was expected, e.g.
 * `formula: column 7: expected ')' near "+ 3"`; *pp is untouched on error.
 */
int formula_parse(const char *text, size_t n, struct formula **pp);
/*
 * Evaluates f.  Division by zero and any NaN operand give NaN.
 */
double formula_eval(const struct formula *f, formula_lookup_fn lookup,
		    void *ctx);
/* Number of distinct indicator codes referenced, and the i-th of them. */
int formula_nrefs(const struct formula *f);
const char *formula_ref(const struct formula *f, int i);
/* Frees f; NULL is allowed. */
void formula_free(struct formula *f);

#endif
