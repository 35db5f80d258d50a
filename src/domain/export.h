/*
 * Exporting what a database holds as CSV files in the formats the importer
 * reads (docs/formats.md), so that an export imports back unchanged; figures
 * also as SDMX-CSV 2.0.
 */
#ifndef CS_EXPORT_H
#define CS_EXPORT_H

#include <stdio.h>

#include "domain/civstat.h"
#include "domain/import.h"

#define EXPORT_EXCEL 1 /* for Excel in China: GB18030, Chinese headers */
#define EXPORT_XLSX 2  /* an .xlsx workbook, Chinese headers, numbers as numbers */

/* Writes every record of kind to f; flags: EXPORT_EXCEL.  Returns CS_OK or
 * CS_EIO. */
int export_csv(const struct civstat *cs, enum import_kind kind, FILE *f,
	       int flags);

#endif
