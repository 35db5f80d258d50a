#!/bin/sh
# The province-scale key-project pipeline (issue 6, Speed): 20,000 projects
# with 10 years of monthly reports (bench/gen_projects.py, generated once
# into build/bench/projects) over the areas of gen.py's province, imported
# into a fresh SQLite file, then served: the start, the memory the pipeline
# holds, and the monitoring reads over HTTP, many times each.
# usage: sh bench/pipeline.sh BIN DATA OUT   (DATA: gen.py's files)
set -eu
BIN=$1 DATA=$2 OUT=$3
PROJ=$OUT/projects
DB=$OUT/pipeline.db
PORT=${BENCH_PIPELINE_PORT:-18093}
N=${BENCH_PIPELINE_N:-500}
mkdir -p "$OUT"
if [ ! -s "$PROJ/reports.csv" ]; then
	python3 bench/gen_projects.py --out "$PROJ"
fi
rm -f "$DB" "$DB-wal" "$DB-shm" "$OUT/areas.db" "$OUT/areas.db-wal" \
	"$OUT/areas.db-shm"
"$BIN" init --db "$DB" >/dev/null
"$BIN" import --db "$DB" "$DATA/units.csv" "$DATA/indicators.csv" >/dev/null
# The same areas without projects: what the server holds without them.
cp "$DB" "$OUT/areas.db"
t0=$(date +%s.%N)
"$BIN" project import --db "$DB" "$PROJ/projects.csv" "$PROJ/plans.csv" \
	"$PROJ/milestones.csv" "$PROJ/reports.csv" >/dev/null
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "pipeline_import_seconds: %.1f s\n", b - a }'
echo "pipeline_reports: $(($(wc -l <"$PROJ/reports.csv") - 1))"
# In this process, no HTTP: the read, and the summary by cluster with its
# view kept and made again as after a write.
CIVSTAT_BENCH_PIPELINE=1 "$BIN" bench --db "$DB"

# Starts the server on $1 and waits for the first answer of $2; the time
# from the start to it in $started, the pid in $pid.
serve() {
	s0=$(date +%s.%N)
	"$BIN" serve --db "$1" --listen 127.0.0.1:$PORT 2>/dev/null &
	pid=$!
	for i in $(seq 600); do
		curl -sf "http://127.0.0.1:$PORT$2" -o /dev/null && break
		sleep 0.02
	done
	started=$(awk -v a="$s0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}
stop() {
	kill -TERM $pid
	wait $pid 2>/dev/null || true
}
rss() { awk '/^VmRSS/ { print $2 }' /proc/$pid/status; }

SUMMARY='/api/v1/projects/summary?by=cluster,area'
serve "$OUT/areas.db" "$SUMMARY"
rss0=$(rss)
stop
serve "$DB" "$SUMMARY"
rss1=$(rss)
echo "pipeline_server_start_seconds: $started s"
awk -v a="$rss0" -v b="$rss1" -v n="$(($(wc -l <"$PROJ/reports.csv") - 1))" 'BEGIN {
	printf "pipeline_resident_growth_mib: %.1f MiB\n", (b - a) / 1024
	printf "pipeline_resident_bytes_per_report: %.1f bytes\n", (b - a) * 1024 / n }'
# The monthly monitoring (cluster × city), the same by county (1,100
# cells), and the project table: one cluster, behind plan only, sorted by
# completed investment, the first page of 20.
node bench/pipeline.mjs "http://127.0.0.1:$PORT" "$N" \
	"pipeline_summary_cluster_area=$SUMMARY" \
	"pipeline_summary_cluster_county=$SUMMARY&level=3" \
	"pipeline_table_first_page=/api/v1/projects?cluster=new_energy&behind=1&sort=-done&limit=20"
stop
