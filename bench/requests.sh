#!/bin/sh
# The province's residents' requests (issue 7, Speed): N requests
# (bench/gen_requests.py, generated once into /tmp/civstat-bench/requests)
# over the counties of gen.py's province, imported into a fresh SQLite
# file, then served: intake over HTTP with many connections, the rates of
# a department × month and the overdue queue's first page, many times
# each.  Prints "name: value unit" lines.
# usage: sh bench/requests.sh BIN DATA OUT   (DATA: gen.py's files)
# BENCH_REQUESTS_N: how many requests.  5 million, not the issue's 20:
# the import runs at some 50,000 a second here (100 s for 5 million),
# and 20 million would take some 7 minutes of make bench
# (BENCH_REQUESTS_N=20000000 does it).
set -eu
BIN=$1 DATA=$2 OUT=$3
N=${BENCH_REQUESTS_N:-5000000}
RQ=${BENCH_REQUESTS_DATA:-/tmp/civstat-bench/requests}
DB=$RQ/requests.db
PORT=${BENCH_REQUESTS_PORT:-18095}
READS=${BENCH_REQUESTS_READS:-500}
PASSWORD=bench-password-1
mkdir -p "$RQ" "$OUT"
# The file is made once for each N: 20 million rows take minutes.
if [ ! -s "$RQ/requests.csv" ] || [ "$(cat "$RQ/n" 2>/dev/null)" != "$N" ]; then
	rm -f "$RQ/n"
	python3 bench/gen_requests.py --requests "$N" --out "$RQ" >/dev/null
	echo "$N" >"$RQ/n"
fi
# A journal left by a run that was stopped would be rolled into the new
# file: it goes too.
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
"$BIN" init --db "$DB" >/dev/null
"$BIN" import --db "$DB" "$DATA/units.csv" "$RQ/departments.csv" >/dev/null
"$BIN" service import --db "$DB" "$RQ/services.csv" >/dev/null
"$BIN" holiday import --db "$DB" data/demo/holidays.csv >/dev/null
t0=$(date +%s.%N)
"$BIN" request import --db "$DB" "$RQ/requests.csv" >/dev/null
t1=$(date +%s.%N)
echo "requests_rows: $N"
awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN {
	printf "requests_import_seconds: %.1f s\n", b - a
	printf "requests_import_per_second: %d rows/s\n", n / (b - a) }'
ls -l "$DB" "$DB-wal" 2>/dev/null | awk -v n="$N" '{ s += $5 } END {
	printf "requests_db_mib: %.0f MiB\n", s / 1048576
	printf "requests_db_bytes_per_request: %.0f bytes\n", s / n }'
echo "$PASSWORD" | "$BIN" user add bench-admin --role admin --db "$DB" \
	--password-stdin >/dev/null

# The server on the big file, its limits on public submissions raised so
# that the intake measures the server and not the abuse guard.
CIVSTAT_RATE_ADDRESS=0 "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT \
	2>/dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for i in $(seq 600); do
	curl -sf "http://127.0.0.1:$PORT/healthz" -o /dev/null && break
	sleep 0.05
done
# The reads first, on the file as imported.
node bench/requests.mjs "http://127.0.0.1:$PORT" "$READS" "$PASSWORD" \
	"$RQ/departments.csv" 2022-01 2026-10
# Intake: residents' new requests, 64 connections for 10 seconds.
wrk -t2 -c64 -d10s --latency -s bench/request_post.lua \
	"http://127.0.0.1:$PORT/api/v1/requests" >"$OUT/wrk-requests.txt" 2>&1
kill -TERM $pid
wait $pid 2>/dev/null || true
trap - EXIT
awk '
	/Requests\/sec/ { printf "requests_intake_per_second: %d requests/s\n", $2 }
	/^ +99%/ { v = $2; u = 1
		if (v ~ /us$/) u = 0.001; else if (v ~ /ms$/) u = 1; else if (v ~ /s$/) u = 1000
		sub(/[a-z]+$/, "", v); printf "requests_intake_p99_ms: %.2f ms\n", v * u }
	/Non-2xx/ { e += $NF }
	/Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
	END { printf "requests_intake_errors: %d\n", e }' "$OUT/wrk-requests.txt"
