/*
 * A CSV reader for files that come from outside: RFC 4180 quoting, a UTF-8
 * byte order mark, and files saved by Excel in China, which are GB18030.
 * Input is a whole buffer (a mapped file or an uploaded body); fields are
 * returned as pointers into it, so reading a large file copies nothing except
 * quoted fields with doubled quotes.  Every error names the file, the line,
 * the column and the offending bytes.
 */
#ifndef CS_CSV_H
#define CS_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 256        /* fields in one record */
#define CSV_MAX_RECORD (1 << 20)  /* bytes in one record, quotes included */

enum csv_encoding {
	CSV_ENC_AUTO = 0, /* UTF-8 (BOM skipped) if valid, else GB18030 */
	CSV_ENC_UTF8,
	CSV_ENC_GB18030,
};

struct csv_field {
	const char *p; /* not NUL-terminated; valid until csv_release() */
	size_t n;
};

struct csv_reader {
	const char *name;   /* file name used in messages */
	const char *data;   /* the UTF-8 text being read */
	size_t len;
	size_t pos;         /* offset of the next record */
	long line;          /* line number of the record last returned, 1-based */
	long next_line;     /* line number where the next record starts */
	enum csv_encoding encoding; /* what the input turned out to be */
	char sep;           /* ',' (or ';' / '\t' when detected from the header) */
	void *map;          /* mmap of the file, or NULL */
	size_t map_len;
	char *owned;        /* converted text (GB18030 -> UTF-8), or NULL */
	char *scratch;      /* unquoting space for the current record */
	size_t scratch_cap;
	struct csv_field fields[CSV_MAX_FIELDS];
};

/*
 * Maps the file at path and prepares to read it.  enc says how to decode it;
 * with CSV_ENC_AUTO, invalid UTF-8 makes the reader try GB18030, and text
 * that is neither is an error naming the line and byte offset.  An empty file
 * is CS_EINVAL ("file is empty").  On error nothing needs releasing.
 */
int csv_open_file(struct csv_reader *r, const char *path, enum csv_encoding enc);
/*
 * Reads len bytes at data, which must stay valid until csv_release(); name is
 * used in messages.  Same decoding rules as csv_open_file().
 */
int csv_open_buf(struct csv_reader *r, const char *name, const char *data,
		 size_t len, enum csv_encoding enc);
/*
 * Reads the next record.  Returns the number of fields (>= 1) and points
 * *fields at them, 0 at the end of input, or -CS_EINVAL on a malformed record
 * (an unterminated quote, a record over CSV_MAX_RECORD or CSV_MAX_FIELDS) with
 * cs_errmsg() set to "name:line:column: ...".  Blank lines are skipped.  CRLF
 * and LF both end a record; a last record without a newline is accepted.
 */
int csv_next(struct csv_reader *r, struct csv_field **fields);
/* Frees what the reader holds; the reader may be released twice. */
void csv_release(struct csv_reader *r);

/*
 * Points part at the records of whole's (decoded) text from offset from to
 * offset to, which must start records; line numbers go on from line.  The
 * part borrows whole's text: release it (for its scratch space) before
 * whole.  Used to read halves of a file on two threads.
 */
void csv_slice(struct csv_reader *part, const struct csv_reader *whole,
	       size_t from, size_t to, long line);
/*
 * Gives the pages of whole's mapped file between from and to (offsets in
 * its text) back to the system: they are read again from the page cache
 * when touched.  So a large file read once from end to end costs a window
 * of memory, not its size.  Does nothing for text that is not mapped.
 */
void csv_drop(const struct csv_reader *whole, size_t from, size_t to);

/* Writes z to f as one CSV field, quoted when it holds a comma, a quote or
 * a line break. */
void csv_put(FILE *f, const char *z);

/* Nonzero when field f equals the NUL-terminated z exactly. */
int csv_field_is(const struct csv_field *f, const char *z);

/* A column a file may hold: its header in English or in Chinese. */
struct csv_column {
	const char *en, *zh;
	int required;
};
/*
 * Reads r's header and maps the n columns of cols onto it: at[c] is the
 * field of column c, -1 when the file lacks it.  An empty file, a header
 * naming no column, a column twice or a required one missing is
 * CS_EINVAL naming the file, line 1 and the column, with the columns
 * there may be.
 */
int csv_header(struct csv_reader *r, const struct csv_column *cols, int n,
	       int *at);

#endif
