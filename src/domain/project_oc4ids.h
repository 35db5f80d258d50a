/*
 * The key projects as an OC4IDS project package (Open Contracting for
 * Infrastructure Data Standard, project level, schema 0.9): the open
 * format in which a city publishes its pipeline so that anyone can read
 * it with the standard's tools.  Our phases and types are mapped to the
 * standard's closed codelists here, in one place; docs/formats.md tells
 * the mapping.
 */
#ifndef CS_PROJECT_OC4IDS_H
#define CS_PROJECT_OC4IDS_H

#include <jansson.h>
#include <stdio.h>

#include "domain/project.h"

#define OC4IDS_VERSION "0.9"       /* the package's version: major.minor */
#define OC4IDS_PREFIX "oc4ids-jz-" /* before each project's code */
#define OC4IDS_YUAN_PER_YI 1e8     /* 亿元 -> yuan, the unit of amounts */

/* projectStatus of a phase: identification ... completion; NULL when the
 * phase is not one. */
const char *oc4ids_status(int phase);

/* projectType of a project: expansion or rehabilitation when its name or
 * its programme says it works on an existing asset (改扩建, 扩能, 改造 ...),
 * else construction. */
const char *oc4ids_type(const struct project *p);

/* The projectSector codes of p into out (at most cap, a parent code
 * before its subsector code); returns how many. */
int oc4ids_sectors(const struct project *p, const char **out, int cap);

/* What the package says about itself. */
struct oc4ids_meta {
	const char *uri;        /* the package's URI */
	const char *published;  /* date-time, ISO 8601 */
	const char *publisher;  /* the publishing government's name */
};

/*
 * The project package of the n projects of b whose indices are in sel:
 * each with its status, type, sectors, period, budget (yearly plans as
 * its breakdown), the responsible department as public authority,
 * location, and its monthly reports as financialProgress (and
 * physicalProgress) metrics.  Reporters' names are never written.
 * Returns a new reference, NULL when out of memory.
 */
json_t *oc4ids_package(const struct project_book *b,
		       const struct catalog *cat, const int *sel, int n,
		       const struct oc4ids_meta *meta);

/*
 * Writes the package of the n projects of sel to f as indented JSON: uri
 * as its URI, published at the last change of the pipeline (now when
 * unknown), by the government of the catalogue's root area (锦州市人民政府).  CS_ENOTFOUND when n is 0 (a package holds one
 * project at least), CS_ENOMEM, CS_EIO.
 */
int oc4ids_write(const struct project_book *b, const struct catalog *cat,
		 const int *sel, int n, const char *uri, FILE *f);

#endif
