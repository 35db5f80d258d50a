/*
 * Tabular output of the CLI: a table of typed cells printed as an aligned
 * table (Chinese and English headers, wide characters counted as two
 * columns), as CSV, or as JSON.
 */
#ifndef CS_OUT_H
#define CS_OUT_H

#include <stdio.h>

enum out_format { OUT_TABLE = 0, OUT_CSV, OUT_JSON };

/* Significant digits of a number in JSON: what a spreadsheet keeps, so a
 * figure comes back as it was entered (948.48, not 948.48000000000002)
 * and a computed rate with more precision than anyone reads. */
#define OUT_JSON_DIGITS 15
enum out_lang { LANG_ZH = 0, LANG_EN };

struct out_cell {
	char *text;   /* owned; NULL for a number */
	double num;   /* NaN prints as empty */
	int decimals; /* digits in a table; CSV and JSON print all */
};

struct out_table {
	int ncols;
	const char *const *head_en; /* ncols column names (CSV, JSON keys) */
	const char *const *head_zh; /* ncols Chinese headers, or NULL */
	struct out_cell *cells;     /* nrows * ncols */
	int nrows, cap;
	int col;                    /* next cell of the last row */
	int failed;                 /* an allocation failed */
};

void out_init(struct out_table *t, int ncols, const char *const *head_en,
	      const char *const *head_zh);
/* Appends a row; then fill it with out_text/out_num in column order. */
void out_row(struct out_table *t);
void out_text(struct out_table *t, const char *z);
void out_textf(struct out_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_num(struct out_table *t, double v, int decimals);
/* Prints the table; returns CS_OK or CS_ENOMEM / CS_EIO. */
int out_print(struct out_table *t, FILE *f, enum out_format fmt,
	      enum out_lang lang);
void out_release(struct out_table *t);

/* Display width of UTF-8 text in terminal columns. */
int out_width(const char *z);

#endif
