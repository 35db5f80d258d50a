/*
 * Numbers from outside: strict decimal parsing of fields that are not
 * NUL-terminated, with a fast exact path for the plain forms bulk files use
 * (123, -4.5678) and strtod for the rest.
 */
#ifndef CS_NUM_H
#define CS_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses the n bytes at p as a finite decimal number (optional sign, digits,
 * optional fraction, optional exponent; blanks around it allowed).  Returns
 * 0 and sets *out, or -1 when the text is anything else ("12,3", "1e999",
 * "nan", "").  The result is the correctly rounded double, as strtod's.
 */
int num_parse_double(const char *p, size_t n, double *out);
/* Parses a decimal integer in [lo, hi]; 0 on success, -1 otherwise. */
int num_parse_int(const char *p, size_t n, long lo, long hi, long *out);

#endif
