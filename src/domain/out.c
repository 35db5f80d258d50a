/*
 * Printing tables (see out.h).  JSON goes through jansson so that strings
 * are always escaped right.
 */
#include "domain/out.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/csv.h"
#include "core/err.h"

void out_init(struct out_table *t, int ncols, const char *const *head_en,
	      const char *const *head_zh)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->head_en = head_en;
	t->head_zh = head_zh;
}

void out_row(struct out_table *t)
{
	if (t->nrows == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		struct out_cell *c = realloc(
			t->cells, (size_t)cap * (size_t)t->ncols * sizeof *c);
		if (!c) {
			t->failed = 1;
			return;
		}
		t->cells = c;
		t->cap = cap;
	}
	struct out_cell *row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
	for (int k = 0; k < t->ncols; k++)
		row[k] = (struct out_cell){NULL, NAN, 0};
	t->nrows++;
	t->col = 0;
}

/* The next cell of the last row, or NULL when the row is full. */
static struct out_cell *next_cell(struct out_table *t)
{
	if (!t->nrows || t->failed || t->col >= t->ncols)
		return NULL;
	return t->cells + (size_t)(t->nrows - 1) * (size_t)t->ncols +
	       t->col++;
}

void out_text(struct out_table *t, const char *z)
{
	struct out_cell *c = next_cell(t);
	if (c && !(c->text = strdup(z ? z : "")))
		t->failed = 1;
}

void out_textf(struct out_table *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	out_text(t, buf);
}

void out_num(struct out_table *t, double v, int decimals)
{
	struct out_cell *c = next_cell(t);
	if (!c)
		return;
	c->num = v;
	c->decimals = decimals;
}

int out_width(const char *z)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	size_t n = strlen(z);
	while (n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, z, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof st);
			k = 1;
			w++;
		} else {
			if (k == 0)
				k = 1;
			int cw = wcwidth(wc);
			w += cw < 0 ? 1 : cw;
		}
		z += k;
		n -= k;
	}
	return w;
}

/* The text of a cell: its string, or the number printed. */
static const char *cell_text(const struct out_cell *c, int full, char *buf,
			     size_t cap)
{
	if (c->text)
		return c->text;
	if (isnan(c->num))
		return "";
	if (full) /* as JSON prints it: 1.66, not 1.6599999999999999 */
		snprintf(buf, cap, "%.*g", OUT_JSON_DIGITS, c->num);
	else
		snprintf(buf, cap, "%.*f", c->decimals, c->num);
	return buf;
}

static int print_json(struct out_table *t, FILE *f)
{
	json_t *arr = json_array();
	if (!arr)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (int r = 0; r < t->nrows; r++) {
		json_t *o = json_object();
		const struct out_cell *row = t->cells + (size_t)r * (size_t)t->ncols;
		for (int k = 0; o && k < t->ncols; k++) {
			double x = row[k].num;
			json_t *v = row[k].text ? json_string(row[k].text)
				    : isnan(x)  ? json_null()
				    : row[k].decimals == 0 && x == (json_int_t)x
					? json_integer((json_int_t)x)
					: json_real(x);
			json_object_set_new(o, t->head_en[k], v);
		}
		json_array_append_new(arr, o);
	}
	int rc = json_dumpf(arr, f, JSON_INDENT(2) | JSON_REAL_PRECISION(OUT_JSON_DIGITS));
	fputc('\n', f);
	json_decref(arr);
	return rc ? cs_errorf(CS_EIO, "cannot write output") : CS_OK;
}

int out_print(struct out_table *t, FILE *f, enum out_format fmt,
	      enum out_lang lang)
{
	char buf[64];
	if (t->failed)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if (fmt == OUT_JSON)
		return print_json(t, f);
	const char *const *head =
		lang == LANG_ZH && t->head_zh ? t->head_zh : t->head_en;
	if (fmt == OUT_CSV) {
		for (int k = 0; k < t->ncols; k++) {
			if (k)
				fputc(',', f);
			csv_put(f, t->head_en[k]);
		}
		fputc('\n', f);
		for (int r = 0; r < t->nrows; r++) {
			const struct out_cell *row =
				t->cells + (size_t)r * (size_t)t->ncols;
			for (int k = 0; k < t->ncols; k++) {
				if (k)
					fputc(',', f);
				csv_put(f, cell_text(&row[k], 1, buf,
						       sizeof buf));
			}
			fputc('\n', f);
		}
		return ferror(f) ? cs_errorf(CS_EIO, "cannot write output")
				 : CS_OK;
	}
	int *w = calloc((size_t)t->ncols, sizeof *w);
	if (!w)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (int k = 0; k < t->ncols; k++)
		w[k] = out_width(head[k]);
	for (int r = 0; r < t->nrows; r++) {
		const struct out_cell *row = t->cells + (size_t)r * (size_t)t->ncols;
		for (int k = 0; k < t->ncols; k++) {
			int cw = out_width(cell_text(&row[k], 0, buf, sizeof buf));
			if (cw > w[k])
				w[k] = cw;
		}
	}
	for (int r = -1; r < t->nrows; r++) {
		const struct out_cell *row =
			r < 0 ? NULL : t->cells + (size_t)r * (size_t)t->ncols;
		for (int k = 0; k < t->ncols; k++) {
			const char *z = row ? cell_text(&row[k], 0, buf, sizeof buf)
					    : head[k];
			int pad = w[k] - out_width(z);
			int right = row && !row[k].text;
			if (right)
				fprintf(f, "%*s", pad, "");
			fputs(z, f);
			if (!right && k + 1 < t->ncols)
				fprintf(f, "%*s", pad, "");
			if (k + 1 < t->ncols)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	free(w);
	return ferror(f) ? cs_errorf(CS_EIO, "cannot write output") : CS_OK;
}

void out_release(struct out_table *t)
{
	for (size_t k = 0; k < (size_t)t->nrows * (size_t)t->ncols; k++)
		free(t->cells[k].text);
	free(t->cells);
	memset(t, 0, sizeof *t);
}
