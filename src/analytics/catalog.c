/*
 * Loading the catalog from the store into arrays with code and id indices
 * (see catalog.h).
 */
#include "analytics/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/formula.h"
#include "core/err.h"

static char *dup(const char *z)
{
	return strdup(z ? z : "");
}

/*
 * Makes room in *pa, an array of n elements of size sz, for one more.  The
 * capacity is implied: 16, then doubled whenever n reaches a power of two.
 */
static int grow(void *pa, int n, size_t sz)
{
	if (n != 0 && (n < 16 || (n & (n - 1))))
		return CS_OK;
	size_t cap = n ? 2 * (size_t)n : 16;
	void *p = realloc(*(void **)pa, cap * sz);
	if (!p)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*(void **)pa = p;
	return CS_OK;
}

static int put_id(struct strmap *m, int id, int idx)
{
	char key[16];
	snprintf(key, sizeof key, "%d", id);
	return strmap_put(m, key, idx);
}

static int get_id(const struct strmap *m, int id)
{
	char key[16];
	int n = snprintf(key, sizeof key, "%d", id);
	return strmap_get(m, key, (size_t)n);
}

static int add_area(void *ctx, const struct area *a)
{
	struct catalog *c = ctx;
	int rc;
	if ((rc = grow(&c->areas, c->n_areas, sizeof *c->areas)))
		return rc;
	struct area *d = &c->areas[c->n_areas];
	*d = *a;
	d->code = dup(a->code);
	d->name = dup(a->name);
	d->name_en = dup(a->name_en);
	if (!d->code || !d->name || !d->name_en)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((rc = strmap_put(&c->area_code, d->code, c->n_areas)) ||
	    (rc = put_id(&c->area_id, d->id, c->n_areas)))
		return rc;
	c->n_areas++;
	return CS_OK;
}

static int add_department(void *ctx, const struct department *dep)
{
	struct catalog *c = ctx;
	int rc;
	if ((rc = grow(&c->depts, c->n_depts, sizeof *c->depts)))
		return rc;
	struct department *d = &c->depts[c->n_depts];
	*d = *dep;
	d->code = dup(dep->code);
	d->name = dup(dep->name);
	d->name_en = dup(dep->name_en);
	if (!d->code || !d->name || !d->name_en)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((rc = strmap_put(&c->dept_code, d->code, c->n_depts)) ||
	    (rc = put_id(&c->dept_id, d->id, c->n_depts)))
		return rc;
	c->n_depts++;
	return CS_OK;
}

static int add_indicator(void *ctx, const struct indicator *ind)
{
	struct catalog *c = ctx;
	int rc;
	if ((rc = grow(&c->inds, c->n_inds, sizeof *c->inds)))
		return rc;
	struct indicator *d = &c->inds[c->n_inds];
	*d = *ind;
	d->code = dup(ind->code);
	d->name = dup(ind->name);
	d->name_en = dup(ind->name_en);
	d->unit = dup(ind->unit);
	d->source = dup(ind->source);
	d->formula = dup(ind->formula);
	d->part_of = dup(ind->part_of);
	if (!d->code || !d->name || !d->name_en || !d->unit || !d->source ||
	    !d->formula || !d->part_of)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((rc = strmap_put(&c->ind_code, d->code, c->n_inds)) ||
	    (rc = put_id(&c->ind_id, d->id, c->n_inds)))
		return rc;
	c->n_inds++;
	return CS_OK;
}

static int add_group(void *ctx, const struct benchmark *b)
{
	return catalog_group_add(ctx, b->group) < 0 ? CS_ENOMEM : CS_OK;
}

int catalog_group_add(struct catalog *c, const char *name)
{
	int g = strmap_get(&c->group_name, name, strlen(name));
	if (g >= 0)
		return g;
	if (grow(&c->groups, c->n_groups, sizeof *c->groups))
		return -1;
	if (!(c->groups[c->n_groups] = strdup(name)) ||
	    strmap_put(&c->group_name, name, c->n_groups))
		return -1;
	return c->n_groups++;
}

static const struct area *sort_areas;

static int cmp_area(const void *x, const void *y)
{
	const struct area *a = &sort_areas[*(const int *)x];
	const struct area *b = &sort_areas[*(const int *)y];
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/*
 * Works out each area's level from the tree (the store's may be stale
 * after an area moved) and puts parents before children, by level then
 * id.  An area that is its own ancestor is an error.
 */
static int order_areas(struct catalog *c)
{
	int n = c->n_areas, rc = CS_OK;
	int *order = malloc((size_t)(n ? n : 1) * sizeof *order);
	struct area *sorted = malloc((size_t)(n ? n : 1) * sizeof *sorted);
	if (!order || !sorted) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int depth = 1, p = i;
		while (c->areas[p].parent_id && depth <= n) {
			p = catalog_area_id(c, c->areas[p].parent_id);
			if (p < 0) {
				rc = cs_errorf(CS_ESTORE, "area %s: no parent "
					       "with id %d", c->areas[i].code,
					       c->areas[i].parent_id);
				goto out;
			}
			depth++;
		}
		if (depth > n) {
			rc = cs_errorf(CS_ESTORE, "area %s is inside itself",
				       c->areas[i].code);
			goto out;
		}
		c->areas[i].level = depth;
		order[i] = i;
	}
	sort_areas = c->areas;
	qsort(order, (size_t)n, sizeof *order, cmp_area);
	strmap_release(&c->area_code);
	strmap_release(&c->area_id);
	for (int k = 0; k < n; k++) {
		sorted[k] = c->areas[order[k]];
		if ((rc = strmap_put(&c->area_code, sorted[k].code, k)) ||
		    (rc = put_id(&c->area_id, sorted[k].id, k)))
			goto out;
	}
	if (n)
		memcpy(c->areas, sorted, (size_t)n * sizeof *sorted);
out:
	free(order);
	free(sorted);
	return rc;
}

/* Links the tree and compiles the formulas once everything is read. */
static int finish(struct catalog *c)
{
	int rc;
	if ((rc = order_areas(c)))
		return rc;
	size_t na = (size_t)(c->n_areas ? c->n_areas : 1);
	c->parent = malloc(na * sizeof *c->parent);
	c->first_child = malloc(na * sizeof *c->first_child);
	c->next_sibling = malloc(na * sizeof *c->next_sibling);
	c->formula = calloc((size_t)(c->n_inds ? c->n_inds : 1),
			    sizeof *c->formula);
	c->ind_dept = malloc((size_t)(c->n_inds ? c->n_inds : 1) *
			     sizeof *c->ind_dept);
	if (!c->parent || !c->first_child || !c->next_sibling ||
	    !c->formula || !c->ind_dept)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (int i = 0; i < c->n_areas; i++)
		c->first_child[i] = c->next_sibling[i] = -1;
	for (int i = c->n_areas - 1; i >= 0; i--) {
		int p = c->areas[i].parent_id
				? catalog_area_id(c, c->areas[i].parent_id)
				: -1;
		c->parent[i] = p;
		if (p >= 0) {
			c->next_sibling[i] = c->first_child[p];
			c->first_child[p] = i;
		}
	}
	for (int i = 0; i < c->n_inds; i++) {
		struct indicator *ind = &c->inds[i];
		c->ind_dept[i] = ind->department_id
					 ? catalog_department_id(
						   c, ind->department_id)
					 : -1;
		if (*ind->formula &&
		    formula_parse(ind->formula, strlen(ind->formula),
				  &c->formula[i]))
			return cs_errorf(CS_ESTORE, "indicator %s: %s",
					 ind->code, cs_errmsg());
	}
	return CS_OK;
}

int catalog_load(struct catalog *c, struct store *st)
{
	memset(c, 0, sizeof *c);
	int rc;
	if ((rc = st->ops->scan_areas(st, add_area, c)) ||
	    (rc = st->ops->scan_departments(st, add_department, c)) ||
	    (rc = st->ops->scan_indicators(st, add_indicator, c)) ||
	    (rc = st->ops->scan_benchmarks(st, add_group, c)) ||
	    (rc = finish(c)))
		catalog_release(c);
	return rc;
}

void catalog_release(struct catalog *c)
{
	for (int i = 0; i < c->n_areas; i++) {
		free(c->areas[i].code);
		free(c->areas[i].name);
		free(c->areas[i].name_en);
	}
	for (int i = 0; i < c->n_depts; i++) {
		free(c->depts[i].code);
		free(c->depts[i].name);
		free(c->depts[i].name_en);
	}
	for (int i = 0; i < c->n_inds; i++) {
		struct indicator *d = &c->inds[i];
		free(d->code);
		free(d->name);
		free(d->name_en);
		free(d->unit);
		free(d->source);
		free(d->formula);
		free(d->part_of);
		if (c->formula)
			formula_free(c->formula[i]);
	}
	for (int i = 0; i < c->n_groups; i++)
		free(c->groups[i]);
	free(c->areas);
	free(c->parent);
	free(c->first_child);
	free(c->next_sibling);
	free(c->depts);
	free(c->inds);
	free(c->formula);
	free(c->ind_dept);
	free(c->groups);
	strmap_release(&c->area_code);
	strmap_release(&c->dept_code);
	strmap_release(&c->ind_code);
	strmap_release(&c->group_name);
	strmap_release(&c->area_id);
	strmap_release(&c->dept_id);
	strmap_release(&c->ind_id);
	memset(c, 0, sizeof *c);
}

int catalog_area(const struct catalog *c, const char *code, size_t n)
{
	return strmap_get(&c->area_code, code, n);
}

int catalog_area_id(const struct catalog *c, int id)
{
	return get_id(&c->area_id, id);
}

int catalog_department(const struct catalog *c, const char *code, size_t n)
{
	return strmap_get(&c->dept_code, code, n);
}

int catalog_department_id(const struct catalog *c, int id)
{
	return get_id(&c->dept_id, id);
}

int catalog_indicator(const struct catalog *c, const char *code, size_t n)
{
	return strmap_get(&c->ind_code, code, n);
}

int catalog_indicator_id(const struct catalog *c, int id)
{
	return get_id(&c->ind_id, id);
}

int catalog_group(const struct catalog *c, const char *name, size_t n)
{
	return strmap_get(&c->group_name, name, n);
}

int catalog_area_within(const struct catalog *c, int a, int ancestor)
{
	for (; a >= 0; a = c->parent[a])
		if (a == ancestor)
			return 1;
	return 0;
}

int catalog_root(const struct catalog *c)
{
	return c->n_areas ? 0 : -1;
}

static const char *const pillar_en[PILLAR_N] = {"stable", "vital",
						 "excellent"};
static const char *const pillar_zh[PILLAR_N] = {"稳", "活", "优"};

const char *pillar_name(int pillar)
{
	return pillar >= 0 && pillar < PILLAR_N ? pillar_en[pillar] : "?";
}

const char *pillar_name_zh(int pillar)
{
	return pillar >= 0 && pillar < PILLAR_N ? pillar_zh[pillar] : "?";
}

int pillar_parse(const char *z, size_t n)
{
	for (int i = 0; i < PILLAR_N; i++)
		if ((strlen(pillar_en[i]) == n && !strncmp(z, pillar_en[i], n)) ||
		    (strlen(pillar_zh[i]) == n && !strncmp(z, pillar_zh[i], n)))
			return i;
	return -1;
}

const char *frequency_name(int frequency)
{
	static const char *const names[] = {"month", "quarter", "year"};
	return frequency >= 0 && frequency < 3 ? names[frequency] : "?";
}

const char *time_agg_name(int time_agg)
{
	static const char *const names[] = {"sum", "last", "avg"};
	return time_agg >= 0 && time_agg < 3 ? names[time_agg] : "?";
}

const char *area_agg_name(int area_agg)
{
	static const char *const names[] = {"sum", "avg", "none"};
	return area_agg >= 0 && area_agg < 3 ? names[area_agg] : "?";
}
