/*
 * Open-addressing hash maps with linear probing (see map.h).
 */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* FNV-1a over n bytes. */
static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

int strmap_get(const struct strmap *m, const char *key, size_t n)
{
	if (!m->cap)
		return -1;
	for (size_t i = hash_bytes(key, n) & (m->cap - 1);;
	     i = (i + 1) & (m->cap - 1)) {
		const char *k = m->keys[i];
		if (!k)
			return -1;
		/* key may hold a NUL: compare lengths first */
		if (strnlen(k, n + 1) == n && !memcmp(k, key, n))
			return m->vals[i];
	}
}

/* Places an owned key without growing; the key must be absent. */
static void strmap_place(struct strmap *m, char *key, int val)
{
	size_t i = hash_bytes(key, strlen(key)) & (m->cap - 1);
	while (m->keys[i])
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

int strmap_put(struct strmap *m, const char *key, int val)
{
	size_t n = strlen(key);
	if (m->cap) {
		for (size_t i = hash_bytes(key, n) & (m->cap - 1); m->keys[i];
		     i = (i + 1) & (m->cap - 1)) {
			if (!strcmp(m->keys[i], key)) {
				m->vals[i] = val;
				return CS_OK;
			}
		}
	}
	if (2 * (m->n + 1) > m->cap) {
		struct strmap g = {.cap = m->cap ? 2 * m->cap : 64};
		g.keys = calloc(g.cap, sizeof *g.keys);
		g.vals = calloc(g.cap, sizeof *g.vals);
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return cs_errorf(CS_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				strmap_place(&g, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	char *copy = strdup(key);
	if (!copy)
		return cs_errorf(CS_ENOMEM, "out of memory");
	strmap_place(m, copy, val);
	return CS_OK;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

int u64map_get(const struct u64map *m, uint64_t key, double *val)
{
	if (!m->cap)
		return 0;
	key++;
	for (size_t i = hash_u64(key) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return 1;
		}
	}
	return 0;
}

int u64map_put(struct u64map *m, uint64_t key, double val)
{
	if (2 * (m->n + 1) > m->cap) {
		struct u64map g = {.cap = m->cap ? 2 * m->cap : 64};
		g.keys = calloc(g.cap, sizeof *g.keys);
		g.vals = calloc(g.cap, sizeof *g.vals);
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return cs_errorf(CS_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				u64map_put(&g, m->keys[i] - 1, m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	uint64_t k = key + 1;
	size_t i = hash_u64(k) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = k;
	m->vals[i] = val;
	return CS_OK;
}

void u64map_release(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
