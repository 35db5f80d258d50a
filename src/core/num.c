/*
 * Strict number parsing (see num.h).  The fast path takes up to 15
 * significant digits and at most 22 fraction digits: then the digits and
 * the power of ten are both exact doubles and one division rounds
 * correctly, giving the same double as strtod.
 */
#include "core/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static void trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

int num_parse_double(const char *p, size_t n, double *out)
{
	trim(&p, &n);
	size_t i = 0;
	int neg = 0;
	if (i < n && (p[i] == '-' || p[i] == '+'))
		neg = p[i++] == '-';
	uint64_t mant = 0;
	int digits = 0, frac = 0, any = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		if (mant || p[i] != '0')
			digits++;
		mant = mant * 10 + (uint64_t)(p[i++] - '0');
		any = 1;
		if (digits > 15)
			goto slow;
	}
	if (i < n && p[i] == '.') {
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			if (mant || p[i] != '0')
				digits++;
			mant = mant * 10 + (uint64_t)(p[i++] - '0');
			frac++;
			any = 1;
			if (digits > 15 || frac > 22)
				goto slow;
		}
	}
	if (!any)
		return -1;
	if (i == n) {
		double v = (double)mant / pow10_exact[frac];
		*out = neg ? -v : v;
		return 0;
	}
	if (p[i] != 'e' && p[i] != 'E')
		return -1;
slow:;
	/* Validate the whole form, then let strtod round it. */
	char buf[128];
	if (n >= sizeof buf)
		return -1;
	size_t j = 0;
	if (j < n && (p[j] == '-' || p[j] == '+'))
		j++;
	size_t d0 = j;
	while (j < n && p[j] >= '0' && p[j] <= '9')
		j++;
	size_t nd = j - d0;
	if (j < n && p[j] == '.') {
		j++;
		size_t f0 = j;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
		nd += j - f0;
	}
	if (!nd)
		return -1;
	if (j < n && (p[j] == 'e' || p[j] == 'E')) {
		j++;
		if (j < n && (p[j] == '-' || p[j] == '+'))
			j++;
		size_t e0 = j;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
		if (j == e0)
			return -1;
	}
	if (j != n)
		return -1;
	memcpy(buf, p, n);
	buf[n] = 0;
	double v = strtod(buf, NULL);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int num_parse_int(const char *p, size_t n, long lo, long hi, long *out)
{
	trim(&p, &n);
	size_t i = 0;
	int neg = 0;
	if (i < n && (p[i] == '-' || p[i] == '+'))
		neg = p[i++] == '-';
	if (i == n || n - i > 18)
		return -1;
	long v = 0;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
