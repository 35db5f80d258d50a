/*
 * Unit tests of the CSV reader (src/core/csv.c): decoding, quoting, line
 * numbers, the size caps and every error message, on buffers and on files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/err.h"

#define BUF(s) s, sizeof(s) - 1

/*
 * Reads every record of r into out as "LINE[field][field]\n" per record; an
 * error ends the text with "!message", after checking that the next call
 * fails again with the same message.
 */
static void render(struct csv_reader *r, char *out, size_t cap)
{
	struct csv_field *f;
	size_t used = 0;
	int n, i;

	out[0] = 0;
	while ((n = csv_next(r, &f)) > 0) {
		used +=
		    (size_t)snprintf(out + used, cap - used, "%ld", r->line);
		for (i = 0; i < n; i++)
			used += (size_t)snprintf(out + used, cap - used,
						 "[%.*s]", (int)f[i].n, f[i].p);
		used += (size_t)snprintf(out + used, cap - used, "\n");
		assert_true(used < cap);
	}
	if (n < 0) {
		char msg[1024];

		assert_int_equal(n, -CS_EINVAL);
		snprintf(msg, sizeof msg, "%s", cs_errmsg());
		cs_errclear();
		assert_int_equal(csv_next(r, &f), n);
		assert_string_equal(cs_errmsg(), msg);
		snprintf(out + used, cap - used, "!%s", msg);
	}
}

/* Writes n bytes of data to a new temporary file named in path. */
static void write_temp(char *path, const char *data, size_t n)
{
	int fd;

	strcpy(path, "/tmp/test_csv_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

static const struct buf_case {
	const char *in;
	size_t len;
	enum csv_encoding enc; /* asked for */
	const char *want;      /* render() of the records, or "!message" */
	enum csv_encoding got; /* r->encoding after opening */
} buf_cases[] = {
    {BUF("a,b,c\n1,2,3\n"), CSV_ENC_AUTO, "1[a][b][c]\n2[1][2][3]\n",
     CSV_ENC_UTF8},
    {BUF("\"a,b\",c\n"), CSV_ENC_AUTO, "1[a,b][c]\n", CSV_ENC_UTF8},
    {BUF("\"say \"\"hi\"\"\",\"\"\"\",x\n"), CSV_ENC_AUTO,
     "1[say \"hi\"][\"][x]\n", CSV_ENC_UTF8},
    {BUF("\"a\nb\",c\n\"d\n\ne\"\nf\n"), CSV_ENC_AUTO,
     "1[a\nb][c]\n3[d\n\ne]\n6[f]\n", CSV_ENC_UTF8},
    {BUF("a,b\r\nc,\"d\"\r\n\"e\"\r\n"), CSV_ENC_AUTO,
     "1[a][b]\n2[c][d]\n3[e]\n", CSV_ENC_UTF8},
    {BUF("a,b\nc"), CSV_ENC_AUTO, "1[a][b]\n2[c]\n", CSV_ENC_UTF8},
    {BUF("a,\"b\""), CSV_ENC_AUTO, "1[a][b]\n", CSV_ENC_UTF8},
    {BUF("\xef\xbb\xbfid,name\n1,x\n"), CSV_ENC_AUTO, "1[id][name]\n2[1][x]\n",
     CSV_ENC_UTF8},
    {BUF("\xef\xbb\xbf"), CSV_ENC_AUTO, "", CSV_ENC_UTF8},
    {BUF(""), CSV_ENC_AUTO, "", CSV_ENC_UTF8},
    {BUF("\n\na\n\r\n\nb\n\n"), CSV_ENC_AUTO, "3[a]\n6[b]\n", CSV_ENC_UTF8},
    {BUF(",a,\n,\na,"), CSV_ENC_AUTO, "1[][a][]\n2[][]\n3[a][]\n",
     CSV_ENC_UTF8},
    {BUF("\"\",x\n"), CSV_ENC_AUTO, "1[][x]\n", CSV_ENC_UTF8},
    {BUF("a\rb\n\"c\r\nd\"\r\n"), CSV_ENC_AUTO, "1[a\rb]\n2[c\r\nd]\n",
     CSV_ENC_UTF8},
    {BUF("a\"b,c\n"), CSV_ENC_AUTO, "1[a\"b][c]\n", CSV_ENC_UTF8},
    {BUF("a;b\n1;2,5\n"), CSV_ENC_AUTO, "1[a][b]\n2[1][2,5]\n", CSV_ENC_UTF8},
    {BUF("a\tb;c\n1\t2\n"), CSV_ENC_AUTO, "1[a][b;c]\n2[1][2]\n", CSV_ENC_UTF8},
    {BUF("a;b,c\n"), CSV_ENC_AUTO, "1[a;b][c]\n", CSV_ENC_UTF8},
    {BUF("a,b\nc,\"de\nf"), CSV_ENC_AUTO,
     "1[a][b]\n!t.csv:2:3: unterminated quoted field", CSV_ENC_UTF8},
    {BUF("\"a\nb\",\"c"), CSV_ENC_AUTO, "!t.csv:2:4: unterminated quoted field",
     CSV_ENC_UTF8},
    {BUF("a\nb,\"c\"d\n"), CSV_ENC_AUTO,
     "1[a]\n!t.csv:2:6: unexpected character after closing quote",
     CSV_ENC_UTF8},
    {BUF("\"a\nb\" ,c\n"), CSV_ENC_AUTO,
     "!t.csv:2:3: unexpected character after closing quote", CSV_ENC_UTF8},
    {BUF("指,\"x\"y\n"), CSV_ENC_AUTO,
     "!t.csv:1:6: unexpected character after closing quote", CSV_ENC_UTF8},
    {BUF("\xd6\xb8\xb1\xea,\xb5\xd8\xc7\xf8\n1,2\n"), CSV_ENC_AUTO,
     "1[指标][地区]\n2[1][2]\n", CSV_ENC_GB18030},
    {BUF("\x84\x31\x95\x33\xd6\xb8;\xb1\xea\n"), CSV_ENC_AUTO, "1[指][标]\n",
     CSV_ENC_GB18030},
    {BUF("a,b\n"), CSV_ENC_GB18030, "1[a][b]\n", CSV_ENC_GB18030},
    {BUF("指标,地区\n"), CSV_ENC_AUTO, "1[指标][地区]\n", CSV_ENC_UTF8},
    {BUF("a\nb\xc3(\n"), CSV_ENC_UTF8, "!t.csv:2: invalid UTF-8 at byte 3",
     CSV_ENC_AUTO},
    {BUF("\xc0\xaf\n"), CSV_ENC_UTF8, "!t.csv:1: invalid UTF-8 at byte 0",
     CSV_ENC_AUTO},
    {BUF("a\n\n\xed\xa0\x80\n"), CSV_ENC_UTF8,
     "!t.csv:3: invalid UTF-8 at byte 3", CSV_ENC_AUTO},
    {BUF("\xef\xbb\xbf\xf4\x90\x80\x80"), CSV_ENC_UTF8,
     "!t.csv:1: invalid UTF-8 at byte 3", CSV_ENC_AUTO},
    {BUF("a\nb\n\xff\n"), CSV_ENC_AUTO,
     "!t.csv:3: invalid UTF-8 or GB18030 at byte 4", CSV_ENC_AUTO},
    {BUF("\xd6\xb8\n\xb1\xea\nx\xd6"), CSV_ENC_AUTO,
     "!t.csv:3: invalid UTF-8 or GB18030 at byte 7", CSV_ENC_AUTO},
    {BUF("指标\n地区\n\x80\n"), CSV_ENC_AUTO,
     "!t.csv:3: invalid UTF-8 or GB18030 at byte 14", CSV_ENC_AUTO},
    {BUF("a\n\xd6\n"), CSV_ENC_GB18030, "!t.csv:2: invalid GB18030 at byte 2",
     CSV_ENC_AUTO},
};

static void test_buffers(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof buf_cases / sizeof buf_cases[0]; i++) {
		const struct buf_case *c = &buf_cases[i];
		struct csv_reader r;
		char out[1024];
		int rc;

		rc = csv_open_buf(&r, "t.csv", c->in, c->len, c->enc);
		if (rc) {
			assert_int_equal(rc, CS_EINVAL);
			snprintf(out, sizeof out, "!%s", cs_errmsg());
		} else {
			assert_int_equal(r.encoding, c->got);
			render(&r, out, sizeof out);
		}
		assert_string_equal(out, c->want);
		csv_release(&r);
	}
}

/* A field of 300 bytes with a doubled quote and two more such fields: the
 * scratch space grows and every field lands in it intact. */
static void test_unescape_grows(void **state)
{
	char in[400], want[300];
	struct csv_reader r;
	struct csv_field *f;

	(void)state;
	memset(want, 'a', sizeof want);
	want[100] = '"';
	snprintf(in, sizeof in,
		 "\"%.100s\"\"%.199s\",x,\"\"\"\",\"b\"\"\"\"c\"\n", want,
		 want + 101);
	assert_int_equal(
	    csv_open_buf(&r, "t.csv", in, strlen(in), CSV_ENC_AUTO), CS_OK);
	assert_int_equal(csv_next(&r, &f), 4);
	assert_int_equal(f[0].n, 300);
	assert_memory_equal(f[0].p, want, 300);
	assert_true(csv_field_is(&f[1], "x"));
	assert_true(csv_field_is(&f[2], "\""));
	assert_true(csv_field_is(&f[3], "b\"\"c"));
	assert_int_equal(csv_next(&r, &f), 0);
	csv_release(&r);
}

/* Reads in (NUL-terminated) and returns what the second csv_next() gives. */
static int second_record(const char *in, struct csv_reader *r)
{
	struct csv_field *f;

	assert_int_equal(csv_open_buf(r, "t.csv", in, strlen(in), CSV_ENC_AUTO),
			 CS_OK);
	assert_int_equal(csv_next(r, &f), 1);
	return csv_next(r, &f);
}

static void test_field_cap(void **state)
{
	char in[2 * (CSV_MAX_FIELDS + 1) + 8];
	struct csv_reader r;
	int i;

	(void)state;
	strcpy(in, "h\n");
	for (i = 0; i < CSV_MAX_FIELDS; i++)
		strcat(in, i ? ",x" : "x");
	strcat(in, "\n");
	assert_int_equal(second_record(in, &r), CSV_MAX_FIELDS);
	csv_release(&r);
	in[strlen(in) - 1] = ',';
	assert_int_equal(second_record(in, &r), -CS_EINVAL);
	assert_string_equal(cs_errmsg(), "t.csv:2: more than 256 fields");
	csv_release(&r);
}

static const struct cap_case {
	const char *head; /* bytes at the start of the second record */
	size_t extra;	  /* record length beyond CSV_MAX_RECORD */
	const char *tail; /* after the record */
	int want;	  /* second csv_next() */
} cap_cases[] = {
    {"", 0, "\n", 1},
    {"", 0, "\r\n", 1},
    {"", 0, "", 1},
    {"a,", 0, "\n", 2},
    {"\"", 0, "\"\n", 1},
    {"", 1, "\n", -CS_EINVAL},
    {"", 1, "", -CS_EINVAL},
    {"a,", 1, "\r\n", -CS_EINVAL},
    {"\"", 1, "\"\n", -CS_EINVAL},
    {"\"", 1, "\"\r\n", -CS_EINVAL},
    {"\"", 1, "\",\n", -CS_EINVAL},
    {"\"", 2 << 20, "\n", -CS_EINVAL},
    {"", 2 << 20, "\n", -CS_EINVAL},
};

/* Records of exactly CSV_MAX_RECORD bytes (without the newline) pass, one
 * byte more fails, whether it ends in a newline, the text or a quote. */
static void test_record_cap(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cap_cases / sizeof cap_cases[0]; i++) {
		const struct cap_case *c = &cap_cases[i];
		size_t nrec = CSV_MAX_RECORD + c->extra, nt = strlen(c->tail);
		size_t nterm = !nt || c->tail[nt - 1] != '\n'	   ? 0
			       : nt > 1 && c->tail[nt - 2] == '\r' ? 2
								   : 1;
		size_t nbody = nrec - strlen(c->head) - (nt - nterm);
		char *in = malloc(2 + nrec + 3);
		struct csv_reader r;

		print_message("case %zu\n", i);
		assert_non_null(in);
		strcpy(in, "h\n");
		strcat(in, c->head);
		memset(in + strlen(in), 'x', nbody);
		strcpy(in + 2 + strlen(c->head) + nbody, c->tail);
		assert_int_equal(second_record(in, &r), c->want);
		if (c->want < 0)
			assert_string_equal(
			    cs_errmsg(),
			    "t.csv:2: record longer than 1048576 bytes");
		csv_release(&r);
		free(in);
	}
}

static void test_gb18030_file(void **state)
{
	static const char gb[] = "\xd6\xb8\xb1\xea,\xb5\xd8\xc7\xf8\n";
	char path[32];
	struct csv_reader r;
	struct csv_field *f;

	(void)state;
	write_temp(path, BUF(gb));
	assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_OK);
	assert_int_equal(r.encoding, CSV_ENC_GB18030);
	assert_int_equal(csv_next(&r, &f), 2);
	assert_true(csv_field_is(&f[0], "指标"));
	assert_true(csv_field_is(&f[1], "地区"));
	assert_int_equal(csv_next(&r, &f), 0);
	csv_release(&r);
	unlink(path);
}

/* A 3 MB line fails as too long, naming its line, quoted or not. */
static void test_long_line_file(void **state)
{
	static const char *const opens[] = {"", "\"", "a,\""};
	size_t n = 3 << 20, i;
	char *in = malloc(n + 16), path[32], want[128];
	struct csv_reader r;
	struct csv_field *f;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < sizeof opens / sizeof opens[0]; i++) {
		size_t k = strlen(opens[i]);

		strcpy(in, "a,b\n");
		strcpy(in + 4, opens[i]);
		memset(in + 4 + k, 'x', n);
		strcpy(in + 4 + k + n, "\nc\n");
		write_temp(path, in, 4 + k + n + 3);
		assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_OK);
		assert_int_equal(csv_next(&r, &f), 2);
		assert_int_equal(csv_next(&r, &f), -CS_EINVAL);
		snprintf(want, sizeof want,
			 "%s:2: record longer than 1048576 bytes", path);
		assert_string_equal(cs_errmsg(), want);
		assert_int_equal(csv_next(&r, &f), -CS_EINVAL);
		csv_release(&r);
		unlink(path);
	}
	free(in);
}

static void test_open_errors(void **state)
{
	char path[32], want[128];
	struct csv_reader r;

	(void)state;
	write_temp(path, "", 0);
	assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_EINVAL);
	snprintf(want, sizeof want, "%s: file is empty", path);
	assert_string_equal(cs_errmsg(), want);
	csv_release(&r);

	snprintf(want, sizeof want, "%s/x.csv", path);
	assert_int_equal(csv_open_file(&r, want, CSV_ENC_AUTO), CS_EIO);
	snprintf(want, sizeof want, "%s/x.csv: %s", path, strerror(ENOTDIR));
	assert_string_equal(cs_errmsg(), want);
	unlink(path);

	assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_ENOTFOUND);
	snprintf(want, sizeof want, "%s: no such file", path);
	assert_string_equal(cs_errmsg(), want);

	assert_int_equal(csv_open_file(&r, "/tmp", CSV_ENC_AUTO), CS_EIO);
	assert_string_equal(cs_errmsg(), "/tmp: not a regular file");

	write_temp(path, BUF("ok\n\xff"));
	assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_EINVAL);
	snprintf(want, sizeof want, "%s:2: invalid UTF-8 or GB18030 at byte 3",
		 path);
	assert_string_equal(cs_errmsg(), want);
	unlink(path);
}

static void test_release_twice(void **state)
{
	char path[32];
	struct csv_reader r;
	struct csv_field *f;

	(void)state;
	write_temp(path, BUF("\"a\"\"b\"\n"));
	assert_int_equal(csv_open_file(&r, path, CSV_ENC_AUTO), CS_OK);
	assert_int_equal(csv_next(&r, &f), 1);
	assert_true(csv_field_is(&f[0], "a\"b"));
	csv_release(&r);
	csv_release(&r);
	assert_null(r.map);
	assert_null(r.scratch);
	unlink(path);

	assert_int_equal(
	    csv_open_buf(&r, "t.csv", BUF("\xd6\xb8\n"), CSV_ENC_GB18030),
	    CS_OK);
	assert_non_null(r.owned);
	csv_release(&r);
	csv_release(&r);
	assert_null(r.owned);
}

static void test_field_is(void **state)
{
	struct csv_field f = {"abc", 2};

	(void)state;
	assert_true(csv_field_is(&f, "ab"));
	assert_false(csv_field_is(&f, "a"));
	assert_false(csv_field_is(&f, "abc"));
	assert_false(csv_field_is(&f, "ac"));
	f.n = 0;
	assert_true(csv_field_is(&f, ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buffers),
	    cmocka_unit_test(test_unescape_grows),
	    cmocka_unit_test(test_field_cap),
	    cmocka_unit_test(test_record_cap),
	    cmocka_unit_test(test_gb18030_file),
	    cmocka_unit_test(test_long_line_file),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_release_twice),
	    cmocka_unit_test(test_field_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
