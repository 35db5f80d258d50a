/*
 * Two small open-addressing hash maps: strings to ints (codes to indices)
 * and 64-bit keys to doubles (targets, benchmarks).  Neither removes keys;
 * both grow by doubling and never hold more than half their slots.
 */
#ifndef CS_MAP_H
#define CS_MAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	char **keys; /* owned copies, NULL for an empty slot */
	int *vals;
	size_t cap;  /* a power of two, or 0 */
	size_t n;
};

/* Returns the value for the n bytes of key, or -1 when absent. */
int strmap_get(const struct strmap *m, const char *key, size_t n);
/* Sets key to val (val >= 0).  Returns CS_OK or CS_ENOMEM. */
int strmap_put(struct strmap *m, const char *key, int val);
void strmap_release(struct strmap *m);

struct u64map {
	uint64_t *keys; /* key + 1, so that 0 marks an empty slot */
	double *vals;
	size_t cap;
	size_t n;
};

/* Returns nonzero and sets *val when key is present. */
int u64map_get(const struct u64map *m, uint64_t key, double *val);
int u64map_put(struct u64map *m, uint64_t key, double val);
void u64map_release(struct u64map *m);

#endif
