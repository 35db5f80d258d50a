/*
 * The CSV reader of csv.h: decodes a whole buffer (UTF-8, or GB18030 turned
 * into UTF-8 with iconv) and splits it into RFC 4180 records without copying,
 * scanning unquoted fields a word at a time because bulk files are large.
 */
#include "core/csv.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

/* Mapped files from this size give their pages back once checked, a
 * window at a time. */
#define CSV_DROP_MIN (16u << 20)
#define CSV_DROP_WINDOW (8u << 20)

static void csv_drop_bytes(const struct csv_reader *r, const void *from,
			   const void *to);

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* The 8 bytes at p as a word whose lowest byte is p[0]. */
static uint64_t load_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Offset of the first byte of s[0..n) that does not start a valid UTF-8
 * sequence (overlong forms and surrogates are invalid), or n. */
static size_t utf8_check(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i], lo = 0x80, hi = 0xbf;
		size_t k, len;

		if (c < 0x80) {
			while (n - i >= 8 &&
			       !(load_word((const char *)s + i) & HIGHS))
				i += 8;
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return i;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
		i += len;
	}
	return n;
}

/*
 * Converts the n bytes of GB18030 at s into a new UTF-8 buffer for r->owned
 * and sets r->data and r->len to it.  On invalid input returns CS_EINVAL
 * without a message and sets *bad to the offset of the first invalid byte.
 */
static int gb18030_decode(struct csv_reader *r, const char *s, size_t n,
			  size_t *bad)
{
	/* A GB18030 code never takes more than twice its bytes in UTF-8
	 * (the two bytes FE 51 are U+20087, four bytes in UTF-8). */
	size_t cap = 2 * n + 1, in_left = n, out_left = cap;
	char *in = (char *)s, *out, *buf;
	iconv_t cd;
	int rc = CS_OK;

	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return cs_errorf(CS_EINTERNAL,
				 "%s: iconv cannot read GB18030: %s", r->name,
				 strerror(errno));
	buf = malloc(cap);
	if (!buf) {
		rc = cs_errorf(CS_ENOMEM, "%s: out of memory decoding GB18030",
			       r->name);
		goto out;
	}
	out = buf;
	if (iconv(cd, &in, &in_left, &out, &out_left) == (size_t)-1) {
		free(buf);
		*bad = (size_t)(in - s);
		rc = CS_EINVAL;
		goto out;
	}
	r->owned = buf;
	r->data = buf;
	r->len = (size_t)(out - buf);
out:
	iconv_close(cd);
	return rc;
}

/* Steps *s and *n over a leading UTF-8 byte order mark. */
static void skip_bom(const char **s, size_t *n)
{
	if (*n >= 3 && !memcmp(*s, "\xef\xbb\xbf", 3)) {
		*s += 3;
		*n -= 3;
	}
}

/* ',' unless the first line has none but has a ';' or a tab (the first of
 * the two), as Excel writes in some locales. */
static char detect_sep(const char *s, size_t n)
{
	const char *end = s + (n < CSV_MAX_RECORD ? n : CSV_MAX_RECORD);
	char alt = 0;

	for (; s < end && *s != '\n'; s++) {
		if (*s == ',')
			return ',';
		if (!alt && (*s == ';' || *s == '\t'))
			alt = *s;
	}
	return alt ? alt : ',';
}

/*
 * utf8_check over a whole mapped file, a window at a time, each window's
 * pages given back once checked: so checking a file of any size costs a
 * window of memory.  A character cut by a window's end is checked with
 * the next window.
 */
static size_t utf8_check_mapped(struct csv_reader *r, const unsigned char *s,
				size_t n)
{
	size_t done = 0;
	if (!r->map || n < CSV_DROP_MIN)
		return utf8_check(s, n);
	while (done < n) {
		size_t w = n - done < CSV_DROP_WINDOW ? n - done : CSV_DROP_WINDOW;
		size_t bad = utf8_check(s + done, w);
		size_t next = done + bad;
		if (bad < w && (done + w == n || w - bad >= 4))
			return next; /* a real error, not a cut */
		csv_drop_bytes(r, s + done, s + next);
		if (next == done) /* cannot happen: a window holds a char */
			return next;
		done = next;
	}
	return n;
}

/*
 * Decodes the len bytes at data into r->data (the input itself when it is
 * UTF-8) and sets the encoding and separator.  When CSV_ENC_AUTO finds the
 * text invalid in both encodings, the error names the later of the two
 * failing offsets: the text is most likely in the encoding it went further
 * in, so that is where the damage is.
 */
static int reader_init(struct csv_reader *r, const char *name, const char *data,
		       size_t len, enum csv_encoding enc)
{
	static const char *const what[] = {
	    [CSV_ENC_AUTO] = "UTF-8 or GB18030",
	    [CSV_ENC_UTF8] = "UTF-8",
	    [CSV_ENC_GB18030] = "GB18030",
	};
	const char *text = data;
	size_t n = len, bad = 0, gb_bad = 0, i;
	long line = 1;
	int rc;

	r->name = name;
	r->next_line = 1;
	skip_bom(&text, &n);
	if (enc != CSV_ENC_GB18030) {
		bad = utf8_check_mapped(r, (const unsigned char *)text, n);
		if (bad == n) {
			r->data = text;
			r->len = n;
			r->encoding = CSV_ENC_UTF8;
			goto done;
		}
		bad += (size_t)(text - data);
	}
	if (enc != CSV_ENC_UTF8) {
		rc = gb18030_decode(r, text, n, &gb_bad);
		if (rc == CS_OK) {
			skip_bom(&r->data, &r->len);
			r->encoding = CSV_ENC_GB18030;
			goto done;
		}
		if (rc != CS_EINVAL)
			return rc;
		gb_bad += (size_t)(text - data);
		if (gb_bad > bad)
			bad = gb_bad;
	}
	for (i = 0; i < bad; i++)
		line += data[i] == '\n';
	return cs_errorf(CS_EINVAL, "%s:%ld: invalid %s at byte %zu", name,
			 line, what[enc], bad);
done:
	r->sep = detect_sep(r->data, r->len);
	return CS_OK;
}

int csv_open_buf(struct csv_reader *r, const char *name, const char *data,
		 size_t len, enum csv_encoding enc)
{
	int rc;

	memset(r, 0, sizeof *r);
	rc = reader_init(r, name, data, len, enc);
	if (rc)
		csv_release(r);
	return rc;
}

int csv_open_file(struct csv_reader *r, const char *path, enum csv_encoding enc)
{
	struct stat st;
	void *map;
	int fd, rc;

	memset(r, 0, sizeof *r);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return cs_errorf(CS_ENOTFOUND, "%s: no such file",
					 path);
		return cs_errorf(CS_EIO, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st)) {
		rc = cs_errorf(CS_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = cs_errorf(CS_EIO, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		rc = cs_errorf(CS_EINVAL, "%s: file is empty", path);
		goto out;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = cs_errorf(CS_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	r->map = map;
	r->map_len = (size_t)st.st_size;
	rc = reader_init(r, path, map, r->map_len, enc);
	if (rc)
		csv_release(r);

out:
	close(fd);
	return rc;
}

void csv_release(struct csv_reader *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	free(r->owned);
	free(r->scratch);
	r->map = NULL;
	r->map_len = 0;
	r->owned = NULL;
	r->scratch = NULL;
	r->scratch_cap = 0;
}

void csv_slice(struct csv_reader *part, const struct csv_reader *whole,
	       size_t from, size_t to, long line)
{
	memset(part, 0, sizeof *part);
	part->name = whole->name;
	part->data = whole->data + from;
	part->len = to - from;
	part->encoding = whole->encoding;
	part->sep = whole->sep;
	part->next_line = line;
}

void csv_drop(const struct csv_reader *whole, size_t from, size_t to)
{
	if (!whole->owned)
		csv_drop_bytes(whole, whole->data + from, whole->data + to);
}

static void csv_drop_bytes(const struct csv_reader *r, const void *from,
			   const void *to)
{
	long page = sysconf(_SC_PAGESIZE);
	if (!r->map || page <= 0)
		return;
	uintptr_t base = (uintptr_t)r->map, end = base + r->map_len;
	uintptr_t a = (uintptr_t)from, b = (uintptr_t)to;
	a = (a + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	b &= ~((uintptr_t)page - 1);
	if (a < base)
		a = base;
	if (b > end)
		b = end;
	if (a < b)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

int csv_field_is(const struct csv_field *f, const char *z)
{
	size_t n = strlen(z);

	return f->n == n && !memcmp(f->p, z, n);
}

/* "date, kind, name[, source]": the required columns of cols, then the
 * others in brackets, into buf. */
static const char *column_list(const struct csv_column *cols, int n,
			       char *buf, size_t cap)
{
	size_t len = 0;
	int any = 0;
	buf[0] = '\0';
	for (int pass = 1; pass >= 0; pass--) {
		int open = 0;
		for (int c = 0; c < n && len < cap; c++) {
			if (!cols[c].required != !pass)
				continue;
			len += (size_t)snprintf(buf + len, cap - len, "%s%s%s",
						!pass && !open ? "[" : "",
						any ? ", " : "", cols[c].en);
			any = open = 1;
		}
		if (!pass && open && len < cap)
			len += (size_t)snprintf(buf + len, cap - len, "]");
	}
	return buf;
}

int csv_header(struct csv_reader *r, const struct csv_column *cols, int n,
	       int *at)
{
	struct csv_field *f;
	char list[512];
	int nf = csv_next(r, &f);
	if (nf < 0)
		return -nf;
	if (nf == 0)
		return cs_errorf(CS_EINVAL, "%s: the file is empty", r->name);
	for (int c = 0; c < n; c++)
		at[c] = -1;
	for (int k = 0; k < nf; k++) {
		int c = 0;
		while (c < n && !csv_field_is(&f[k], cols[c].en) &&
		       !csv_field_is(&f[k], cols[c].zh))
			c++;
		if (c == n)
			return cs_errorf(CS_EINVAL, "%s:1:%d: unknown column "
					 "\"%.*s\" (%s)", r->name, k + 1,
					 (int)(f[k].n > 64 ? 64 : f[k].n),
					 f[k].p,
					 column_list(cols, n, list,
						     sizeof list));
		if (at[c] >= 0)
			return cs_errorf(CS_EINVAL, "%s:1: column \"%s\" is "
					 "there twice", r->name, cols[c].en);
		at[c] = k;
	}
	for (int c = 0; c < n; c++)
		if (cols[c].required && at[c] < 0)
			return cs_errorf(CS_EINVAL, "%s:1: column \"%s\" is "
					 "missing (%s)", r->name, cols[c].en,
					 column_list(cols, n, list,
						     sizeof list));
	return CS_OK;
}

/* The first byte in [p, lim) that is sep or a newline, or lim. */
static const char *find_stop(const char *p, const char *lim, char sep)
{
	const uint64_t seps = ONES * (unsigned char)sep, nls = ONES * '\n';

	for (; lim - p >= 8; p += 8) {
		uint64_t w = load_word(p), a = w ^ seps, b = w ^ nls;
		/* A zero byte of a or b is a match; bits above the lowest
		 * match may be false, so only the lowest one is used. */
		uint64_t m = ((a - ONES) & ~a) | ((b - ONES) & ~b);

		if (m & HIGHS)
			return p + __builtin_ctzll(m & HIGHS) / 8;
	}
	while (p < lim && *p != sep && *p != '\n')
		p++;
	return p;
}

/* The quote closing the quoted field opened at p, or NULL when there is
 * none before lim; sets *doubled when the field holds a doubled quote. */
static const char *closing_quote(const char *p, const char *lim, int *doubled)
{
	const char *q;

	for (q = p + 1; (q = memchr(q, '"', (size_t)(lim - q))); q += 2) {
		if (q + 1 == lim || q[1] != '"')
			return q;
		*doubled = 1;
	}
	return NULL;
}

/* The 1-based column, in characters, of at in its line. */
static long column(const struct csv_reader *r, const char *at)
{
	const char *s = memrchr(r->data, '\n', (size_t)(at - r->data));
	long col = 1;

	for (s = s ? s + 1 : r->data; s < at; s++)
		col += ((unsigned char)*s & 0xc0) != 0x80;
	return col;
}

/*
 * Moves the fields listed in esc (quoted, with doubled quotes, of need bytes
 * in all) into r->scratch with each "" made one quote.
 */
static int unescape(struct csv_reader *r, const int *esc, int nesc, size_t need)
{
	char *dst;
	int i;

	assert(need <= CSV_MAX_RECORD);
	if (need > r->scratch_cap) {
		size_t cap = r->scratch_cap ? r->scratch_cap : 256;

		while (cap < need)
			cap *= 2;
		dst = realloc(r->scratch, cap);
		if (!dst)
			return cs_errorf(CS_ENOMEM, "%s:%ld: out of memory",
					 r->name, r->line);
		r->scratch = dst;
		r->scratch_cap = cap;
	}
	dst = r->scratch;
	for (i = 0; i < nesc; i++) {
		struct csv_field *f = &r->fields[esc[i]];
		const char *s = f->p, *end = s + f->n, *q;

		f->p = dst;
		while ((q = memchr(s, '"', (size_t)(end - s)))) {
			memcpy(dst, s, (size_t)(q + 1 - s));
			dst += q + 1 - s;
			s = q + 2;
		}
		memcpy(dst, s, (size_t)(end - s));
		dst += end - s;
		f->n = (size_t)(dst - f->p);
	}
	return CS_OK;
}

/*
 * Every scan of a record stops at lim, CSV_MAX_RECORD + 2 bytes after its
 * start (room for the record and a CRLF), so an endless line fails without
 * being read to its end; reaching lim before the end of the text means the
 * record is too long.  A failing record leaves pos where it was, so calling
 * again fails again in the same way.
 */
int csv_next(struct csv_reader *r, struct csv_field **fields)
{
	const char *end = r->data + r->len, *start = r->data + r->pos;
	const char *p, *q, *lim;
	int nf = 0, nesc = 0, esc[CSV_MAX_FIELDS];
	size_t need = 0, reclen;
	long nl = 0;

	while (start < end &&
	       (*start == '\n' ||
		(*start == '\r' && end - start > 1 && start[1] == '\n'))) {
		start += *start == '\r' ? 2 : 1;
		r->next_line++;
	}
	r->pos = (size_t)(start - r->data);
	if (start == end)
		return 0;
	r->line = r->next_line;
	lim =
	    end - start > CSV_MAX_RECORD + 2 ? start + CSV_MAX_RECORD + 2 : end;
	for (p = start;; p = q + 1) {
		struct csv_field *f;
		int doubled = 0;

		if (nf == CSV_MAX_FIELDS)
			return -cs_errorf(CS_EINVAL,
					  "%s:%ld: more than %d fields",
					  r->name, r->line, CSV_MAX_FIELDS);
		f = &r->fields[nf++];
		if (p == lim || *p != '"') {
			q = find_stop(p, lim, r->sep);
			if (q == lim && lim != end)
				goto too_long;
			f->p = p;
			f->n = (size_t)(q - p);
			if (q < end && *q == r->sep)
				continue;
			if (q < end && q > p && q[-1] == '\r')
				f->n--;
			break;
		}
		q = closing_quote(p, lim, &doubled);
		if (!q) {
			if (lim != end)
				goto too_long;
			return -cs_errorf(
			    CS_EINVAL, "%s:%ld:%ld: unterminated quoted field",
			    r->name, r->line + nl, column(r, p));
		}
		f->p = p + 1;
		f->n = (size_t)(q - f->p);
		if (doubled) {
			esc[nesc++] = nf - 1;
			need += f->n;
		}
		for (p = f->p; (p = memchr(p, '\n', (size_t)(q - p))); p++)
			nl++;
		if (++q == lim && lim != end)
			goto too_long;
		if (q == end || *q == '\n')
			break;
		if (*q == '\r' && end - q > 1 && q[1] == '\n') {
			q++;
			break;
		}
		if (*q != r->sep)
			return -cs_errorf(CS_EINVAL,
					  "%s:%ld:%ld: unexpected character "
					  "after closing quote",
					  r->name, r->line + nl, column(r, q));
	}
	reclen = (size_t)(q - start);
	if (q < end && q > start && q[-1] == '\r')
		reclen--;
	if (reclen > CSV_MAX_RECORD)
		goto too_long;
	if (nesc) {
		int rc = unescape(r, esc, nesc, need);

		if (rc)
			return -rc;
	}
	r->pos = (size_t)(q - r->data) + (q < end);
	r->next_line += 1 + nl;
	*fields = r->fields;
	return nf;
too_long:
	return -cs_errorf(CS_EINVAL, "%s:%ld: record longer than %d bytes",
			  r->name, r->line, CSV_MAX_RECORD);
}

void csv_put(FILE *f, const char *z)
{
	if (!strpbrk(z, ",\"\r\n")) {
		fputs(z, f);
		return;
	}
	fputc('"', f);
	for (; *z; z++) {
		if (*z == '"')
			fputc('"', f);
		fputc(*z, f);
	}
	fputc('"', f);
}
