/*
 * The catalog in memory: areas, departments and indicators as the store
 * holds them, with lookups by code and by id, the area tree as indices, and
 * each derived indicator's formula compiled.  Areas are kept parents first
 * (by level), so a walk from the end visits children before parents.
 */
#ifndef CS_CATALOG_H
#define CS_CATALOG_H

#include <stddef.h>

#include "core/map.h"
#include "store/model.h"
#include "store/store.h"

struct formula;

struct catalog {
	struct area *areas; /* n_areas, parents before children */
	int n_areas;
	int *parent;        /* n_areas: index of the parent, -1 for a root */
	int *first_child;   /* n_areas: index of the first child, -1 if none */
	int *next_sibling;  /* n_areas: index of the next sibling, or -1;
			       children are listed in catalog order */
	struct department *depts;
	int n_depts;
	struct indicator *inds;
	int n_inds;
	struct formula **formula; /* n_inds: NULL for a base indicator */
	int *ind_dept;            /* n_inds: department index, -1 if none */
	char **groups;            /* benchmark groups in order of first use */
	int n_groups;
	struct strmap area_code, dept_code, ind_code, group_name;
	struct strmap area_id, dept_id, ind_id; /* decimal ids as keys */
};

/* Loads the catalog from the store.  On error c is released. */
int catalog_load(struct catalog *c, struct store *st);
void catalog_release(struct catalog *c);

/* Lookups: index, or -1.  code is n bytes, not NUL-terminated. */
int catalog_area(const struct catalog *c, const char *code, size_t n);
int catalog_area_id(const struct catalog *c, int id);
int catalog_department(const struct catalog *c, const char *code, size_t n);
int catalog_department_id(const struct catalog *c, int id);
int catalog_indicator(const struct catalog *c, const char *code, size_t n);
int catalog_indicator_id(const struct catalog *c, int id);
int catalog_group(const struct catalog *c, const char *name, size_t n);
/* The group's index, adding it when new; -1 when out of memory. */
int catalog_group_add(struct catalog *c, const char *name);

/* Nonzero when ancestor is a or one of a's ancestors. */
int catalog_area_within(const struct catalog *c, int a, int ancestor);
/* Index of the root area (the first one), or -1 when there are none. */
int catalog_root(const struct catalog *c);

/* Names used in messages and tables. */
const char *pillar_name(int pillar);    /* "stable" */
const char *frequency_name(int frequency); /* "month" ... */
const char *time_agg_name(int time_agg);   /* "sum" ... */
const char *area_agg_name(int area_agg);   /* "sum" ... */
const char *pillar_name_zh(int pillar); /* "稳" */
/* Parses "stable", "vital", "excellent", 稳, 活, 优; -1 when neither. */
int pillar_parse(const char *z, size_t n);

#endif
