#!/bin/sh
# Answers Q1-Q5 of shared/bench/QUERIES.md with the reference SQL, run by
# the sqlite3 shell over the same files civstat imports.
# usage: reference.sh DATA_DIR QUERIES_DIR OUT_DIR
set -eu
data=$1 queries=$2 out=$3
db=$out/reference.db
rm -f "$db"
sqlite3 "$db" <<SQL
CREATE TABLE units(id INTEGER PRIMARY KEY, parent_id INTEGER, level INTEGER, code TEXT, name TEXT);
CREATE TABLE indicators(id INTEGER PRIMARY KEY, code TEXT, name TEXT, pillar TEXT, agg TEXT, direction TEXT, weight INTEGER);
CREATE TABLE vals(unit_id INTEGER, indicator_id INTEGER, period INTEGER, value REAL);
CREATE TABLE targets(unit_id INTEGER, indicator_id INTEGER, year INTEGER, target REAL);
.mode csv
.import --skip 1 $data/units.csv units
.import --skip 1 $data/indicators.csv indicators
.import --skip 1 $data/values.csv vals
.import --skip 1 $data/targets.csv targets
UPDATE units SET parent_id = NULL WHERE parent_id = '';
UPDATE indicators SET weight = NULL WHERE weight = '';
SQL
for q in 1 2 3 4 5; do
	{ printf '.headers on\n.mode csv\n'; cat "$queries/q$q.sql"; } |
		sqlite3 "$db" > "$out/ref_q$q.csv"
done
rm -f "$db"
