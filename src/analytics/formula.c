/*
 * Formulas of derived indicators: a recursive-descent parser compiles the
 * text into a postfix program of numbers, references and operators, which
 * formula_eval() runs on a small fixed stack.
 */
#include "analytics/formula.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/*
 * Values the program holds at once.  Each open parenthesis keeps at most two
 * pending operands (the left side of a '+' and of a '*'), and the innermost
 * level needs those two plus the operand being read.
 */
#define STACK_MAX   (2 * FORMULA_MAX_DEPTH + 3)
#define CODE_MAX    64 /* bytes of an indicator code */
#define NUMBER_MAX  64 /* bytes of a number as written */
#define SNIPPET_MAX 16 /* bytes of the text quoted in a message */

/* What a node does; the binary operators are their own characters. */
enum op {
	OP_NUM = 'n', /* push num */
	OP_REF = 'r', /* push the lookup of azref[ref] under fn */
	OP_NEG = '~', /* negate the top */
	OP_ADD = '+', /* pop b and a, push a op b */
	OP_SUB = '-',
	OP_MUL = '*',
	OP_DIV = '/',
};

struct node {
	unsigned char op; /* enum op */
	unsigned char fn; /* OP_REF: enum formula_fn */
	short ref;	  /* OP_REF: index into azref */
	double num;	  /* OP_NUM: the constant */
};

struct formula {
	int nnode;	     /* length of anode */
	int nref;	     /* length of azref */
	char **azref;	     /* distinct codes in order of first use */
	struct node anode[]; /* the program, followed by azref and its codes */
};

_Static_assert(FORMULA_MAX_NODES <= SHRT_MAX, "node.ref is a short");
_Static_assert(_Alignof(struct node) % _Alignof(char *) == 0,
	       "azref follows anode in one allocation");

/* A run of bytes of the formula text. */
struct span {
	size_t off; /* first byte */
	size_t len; /* bytes */
};

struct parser {
	const char *z; /* the text, not NUL-terminated */
	size_t n;      /* its length */
	size_t pos;    /* next byte to read */
	int depth;     /* open parentheses and unary minuses */
	int sp;	       /* values the program holds after its last node */
	int nnode;
	struct node anode[FORMULA_MAX_NODES];
	int nref;
	struct span aref[FORMULA_MAX_NODES]; /* distinct codes */
};

static int parse_expr(struct parser *p);

/* Space, tab, newline, vertical tab, form feed, carriage return. */
static int is_blank(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || is_digit(c) || c == '.';
}

/*
 * Length of the printable character at s (left bytes remain): 1 for printable
 * ASCII, 2..4 for well-formed UTF-8, 0 for a control byte or bad UTF-8.
 */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* no overlong forms */
	else if (s[0] == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f; /* nothing past U+10FFFF */
	if (len > left)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}

static int fail(size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records "formula: column C: <message>" for the byte at pos; CS_EINVAL. */
static int fail(size_t pos, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cs_errorf(CS_EINVAL, "formula: column %zu: %s", pos + 1, msg);
}

/* Fails saying what was expected at pos, quoting the text there. */
static int expected(const struct parser *p, size_t pos, const char *what)
{
	const unsigned char *s = (const unsigned char *)p->z + pos;
	size_t left = p->n - pos, len = 0, c;

	if (left == 0)
		return fail(pos, "expected %s at end of text", what);
	while (len < left && len < SNIPPET_MAX &&
	       (c = utf8_len(s + len, left - len)))
		len += c;
	if (len == 0)
		return fail(pos, "expected %s", what);
	return fail(pos, "expected %s near \"%.*s\"", what, (int)len,
		    p->z + pos);
}

/* Fails naming the word, character or byte at pos, which cannot go there. */
static int unexpected(const struct parser *p, size_t pos)
{
	const unsigned char *s = (const unsigned char *)p->z + pos;
	size_t left = p->n - pos, len = 0;

	while (len < left && len < SNIPPET_MAX && is_ident_char(s[len]))
		len++;
	if (len == 0 && (len = utf8_len(s, left)) == 0)
		return fail(pos, "unexpected byte 0x%02x", s[0]);
	return fail(pos, "unexpected \"%.*s\"", (int)len, p->z + pos);
}

/* Counts one more level of nesting at pos, failing past the limit. */
static int nest(struct parser *p, size_t pos)
{
	if (++p->depth > FORMULA_MAX_DEPTH)
		return fail(pos, "nested deeper than %d levels",
			    FORMULA_MAX_DEPTH);
	return CS_OK;
}

static void skip_blanks(struct parser *p)
{
	while (p->pos < p->n && is_blank(p->z[p->pos]))
		p->pos++;
}

/* Skips blanks; returns the next byte if it is one of set, else 0. */
static char peek(struct parser *p, const char *set)
{
	char c;

	skip_blanks(p);
	if (p->pos == p->n)
		return 0;
	c = p->z[p->pos];
	return c != '\0' && strchr(set, c) ? c : 0;
}

/* Consumes the character c after any blanks, or fails expecting it. */
static int expect(struct parser *p, char c)
{
	const char what[] = {'\'', c, '\'', '\0'};

	if (!peek(p, (const char[]){c, '\0'}))
		return expected(p, p->pos, what);
	p->pos++;
	return CS_OK;
}

/* Appends node, made from the text at pos, to the program. */
static int emit(struct parser *p, size_t pos, struct node node)
{
	if (p->nnode == FORMULA_MAX_NODES)
		return fail(pos, "more than %d numbers, codes and operators",
			    FORMULA_MAX_NODES);
	if (node.op == OP_NUM || node.op == OP_REF)
		p->sp++;
	else if (node.op != OP_NEG)
		p->sp--;
	assert(p->sp <= STACK_MAX);
	p->anode[p->nnode++] = node;
	return CS_OK;
}

/* Appends a reference to code under fn, adding code to the distinct ones. */
static int emit_ref(struct parser *p, size_t pos, struct span code,
		    enum formula_fn fn)
{
	int i, rc;

	for (i = 0; i < p->nref; i++)
		if (p->aref[i].len == code.len &&
		    !memcmp(p->z + p->aref[i].off, p->z + code.off, code.len))
			break;
	rc = emit(p, pos,
		  (struct node){.op = OP_REF, .fn = fn, .ref = (short)i});
	if (rc == CS_OK && i == p->nref)
		p->aref[p->nref++] = code;
	return rc;
}

/*
 * Reads a code after any blanks, bracketed or bare, into *code (the bytes
 * between the brackets for a bracketed one).
 */
static int scan_code(struct parser *p, struct span *code)
{
	const char *z = p->z;
	const char *close, *nul;
	struct span span;
	size_t at;

	skip_blanks(p);
	at = p->pos;
	if (at < p->n && z[at] == '[') {
		close = memchr(z + at + 1, ']', p->n - at - 1);
		if (!close)
			return expected(p, p->n, "']'");
		span = (struct span){at + 1, (size_t)(close - z) - at - 1};
		nul = memchr(z + span.off, '\0', span.len);
		if (nul)
			return unexpected(p, (size_t)(nul - z));
	} else if (at < p->n && is_ident_start(z[at])) {
		span = (struct span){at, 1};
		while (at + span.len < p->n && is_ident_char(z[at + span.len]))
			span.len++;
	} else {
		return expected(p, at, "an indicator code");
	}
	if (span.len == 0)
		return fail(at, "empty code");
	if (span.len > CODE_MAX)
		return fail(at, "code longer than %d bytes", CODE_MAX);
	p->pos = span.off + span.len + (z[at] == '[');
	*code = span;
	return CS_OK;
}

/* The function called name, or FORMULA_AT when there is none. */
static enum formula_fn function(const char *z, struct span name)
{
	static const struct {
		const char *name;
		enum formula_fn fn;
	} fns[] = {
	    {"ytd", FORMULA_YTD},
	    {"prev_year", FORMULA_PREV_YEAR},
	    {"ytd_prev_year", FORMULA_YTD_PREV_YEAR},
	};
	size_t i;

	for (i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == name.len &&
		    !memcmp(fns[i].name, z + name.off, name.len))
			return fns[i].fn;
	return FORMULA_AT;
}

/* ref | func '(' ref ')', at a '[' or the start of an identifier */
static int parse_ref(struct parser *p)
{
	size_t at = p->pos;
	enum formula_fn fn;
	struct span code;
	int rc = scan_code(p, &code);

	if (rc != CS_OK)
		return rc;
	if (p->z[at] == '[' || !peek(p, "("))
		return emit_ref(p, at, code, FORMULA_AT);
	fn = function(p->z, code);
	if (fn == FORMULA_AT)
		return fail(at, "unknown function \"%.*s\"", (int)code.len,
			    p->z + code.off);
	p->pos++;
	rc = scan_code(p, &code);
	if (rc == CS_OK)
		rc = expect(p, ')');
	if (rc == CS_OK)
		rc = emit_ref(p, at, code, fn);
	return rc;
}

/* Skips the decimal digits from i; returns the index after them. */
static size_t skip_digits(const struct parser *p, size_t i)
{
	while (i < p->n && is_digit(p->z[i]))
		i++;
	return i;
}

/* digits ['.' digits] [('e' | 'E') ['+' | '-'] digits], or '.' digits ... */
static int parse_number(struct parser *p)
{
	const char *z = p->z;
	size_t at = p->pos, end = skip_digits(p, at);
	char buf[NUMBER_MAX + 1];
	double num;

	if (end < p->n && z[end] == '.')
		end = skip_digits(p, end + 1);
	if (end < p->n && (z[end] == 'e' || z[end] == 'E')) {
		end++;
		if (end < p->n && (z[end] == '+' || z[end] == '-'))
			end++;
		if (end == p->n || !is_digit(z[end]))
			return expected(p, end, "exponent digits");
		end = skip_digits(p, end);
	}
	if (end - at > NUMBER_MAX)
		return fail(at, "number longer than %d bytes", NUMBER_MAX);
	memcpy(buf, z + at, end - at);
	buf[end - at] = '\0';
	num = strtod(buf, NULL);
	if (!isfinite(num))
		return fail(at, "number \"%s\" out of range", buf);
	p->pos = end;
	return emit(p, at, (struct node){.op = OP_NUM, .num = num});
}

/* primary := number | ref | func '(' ref ')' | '(' expr ')' */
static int parse_primary(struct parser *p)
{
	size_t at;
	int rc;
	char c;

	skip_blanks(p);
	at = p->pos;
	if (at == p->n)
		return expected(p, at, "a number, code or '('");
	c = p->z[at];
	if (c == '(') {
		rc = nest(p, at);
		p->pos++;
		if (rc == CS_OK)
			rc = parse_expr(p);
		if (rc == CS_OK)
			rc = expect(p, ')');
		p->depth--;
		return rc;
	}
	if (is_digit(c) ||
	    (c == '.' && at + 1 < p->n && is_digit(p->z[at + 1])))
		return parse_number(p);
	if (c == '[' || is_ident_start(c))
		return parse_ref(p);
	return unexpected(p, at);
}

/* unary := '-' unary | primary */
static int parse_unary(struct parser *p)
{
	size_t at;
	int rc;

	if (!peek(p, "-"))
		return parse_primary(p);
	at = p->pos++;
	rc = nest(p, at);
	if (rc == CS_OK)
		rc = parse_unary(p);
	if (rc == CS_OK)
		rc = emit(p, at, (struct node){.op = OP_NEG});
	p->depth--;
	return rc;
}

/* term := unary (('*' | '/') unary)* */
static int parse_term(struct parser *p)
{
	int rc = parse_unary(p);
	size_t at;
	char c;

	while (rc == CS_OK && (c = peek(p, "*/"))) {
		at = p->pos++;
		rc = parse_unary(p);
		if (rc == CS_OK)
			rc = emit(p, at, (struct node){.op = (unsigned char)c});
	}
	return rc;
}

/*
 * expr := term (('+' | '-') term)*
 * On success p->pos is past any blanks that follow.
 */
static int parse_expr(struct parser *p)
{
	int rc = parse_term(p);
	size_t at;
	char c;

	while (rc == CS_OK && (c = peek(p, "+-"))) {
		at = p->pos++;
		rc = parse_term(p);
		if (rc == CS_OK)
			rc = emit(p, at, (struct node){.op = (unsigned char)c});
	}
	return rc;
}

/* Copies the program and its codes out of p into one allocation. */
static int compile(const struct parser *p, struct formula **pp)
{
	size_t size = sizeof(struct formula) +
		      (size_t)p->nnode * sizeof(struct node) +
		      (size_t)p->nref * sizeof(char *);
	struct formula *f;
	char *zcode;
	int i;

	for (i = 0; i < p->nref; i++)
		size += p->aref[i].len + 1;
	f = malloc(size);
	if (!f)
		return cs_errorf(CS_ENOMEM, "formula: out of memory");
	f->nnode = p->nnode;
	f->nref = p->nref;
	memcpy(f->anode, p->anode, (size_t)p->nnode * sizeof(struct node));
	f->azref = (char **)(f->anode + p->nnode);
	zcode = (char *)(f->azref + p->nref);
	for (i = 0; i < p->nref; i++) {
		f->azref[i] = zcode;
		memcpy(zcode, p->z + p->aref[i].off, p->aref[i].len);
		zcode += p->aref[i].len;
		*zcode++ = '\0';
	}
	*pp = f;
	return CS_OK;
}

int formula_parse(const char *text, size_t n, struct formula **pp)
{
	struct parser p = {.z = text, .n = n};
	int rc;

	if (n > FORMULA_MAX_LEN)
		return fail(FORMULA_MAX_LEN, "longer than %d bytes",
			    FORMULA_MAX_LEN);
	skip_blanks(&p);
	if (p.pos == n)
		return fail(0, "empty formula");
	rc = parse_expr(&p);
	if (rc == CS_OK && p.pos < n)
		rc = unexpected(&p, p.pos);
	if (rc == CS_OK)
		rc = compile(&p, pp);
	return rc;
}

/* a op b for a binary operator; division by zero gives NaN. */
static double apply(int op, double a, double b)
{
	switch (op) {
	case OP_ADD:
		return a + b;
	case OP_SUB:
		return a - b;
	case OP_MUL:
		return a * b;
	default:
		return b == 0 ? NAN : a / b;
	}
}

double formula_eval(const struct formula *f, formula_lookup_fn lookup,
		    void *ctx)
{
	double stack[STACK_MAX];
	int sp = 0, i;

	for (i = 0; i < f->nnode; i++) {
		const struct node *node = &f->anode[i];

		switch (node->op) {
		case OP_NUM:
			stack[sp++] = node->num;
			break;
		case OP_REF:
			stack[sp++] = lookup(ctx, f->azref[node->ref],
					     (enum formula_fn)node->fn);
			break;
		case OP_NEG:
			stack[sp - 1] = -stack[sp - 1];
			break;
		default:
			sp--;
			stack[sp - 1] =
			    apply(node->op, stack[sp - 1], stack[sp]);
		}
	}
	return stack[0];
}

int formula_nrefs(const struct formula *f)
{
	return f->nref;
}

const char *formula_ref(const struct formula *f, int i)
{
	assert(i >= 0 && i < f->nref);
	return f->azref[i];
}

void formula_free(struct formula *f)
{
	free(f);
}
