#!/bin/sh
# make bench: the sf=1 province from shared/bench/gen.py, imported and asked
# Q1-Q5 by civstat bench, which prints "name: value unit" lines, on SQLite
# and on a private PostgreSQL (bench/pg.sh; BENCH_ONLY=pg runs just that),
# then the server, the cockpit and the province's key-project pipeline
# (bench/pipeline.sh; BENCH_ONLY=pipeline runs just that) and its
# residents' requests (bench/requests.sh; BENCH_ONLY=requests).
set -eu
BIN=$1
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
SF=${SF:-1}
DATA=${BENCH_DATA:-/tmp/civstat-bench/sf$SF}
OUT=build/bench
mkdir -p "$OUT"
if [ ! -s "$DATA/values.csv" ]; then
	python3 "$SHARED/bench/gen.py" --sf "$SF" --out "$DATA"
fi
echo "sf: $SF"
# BENCH_ONLY=pg: just the PostgreSQL figures (bench/pg.sh).
if [ "${BENCH_ONLY:-}" = pg ]; then
	exec sh bench/pg.sh "$BIN" "$DATA" "$OUT"
fi
# BENCH_ONLY=pipeline: just the province's key-project pipeline.
if [ "${BENCH_ONLY:-}" = pipeline ]; then
	exec sh bench/pipeline.sh "$BIN" "$DATA" "$OUT"
fi
# BENCH_ONLY=requests: just the province's residents' requests.
if [ "${BENCH_ONLY:-}" = requests ]; then
	exec sh bench/requests.sh "$BIN" "$DATA" "$OUT"
fi
"$BIN" bench --data "$DATA" --db "$OUT/bench.db" --out "$OUT"
# The same on PostgreSQL, lines prefixed pg_.
sh bench/pg.sh "$BIN" "$DATA" "$OUT"

# Starts civstat serve on database $1 in the background (its pid in $pid)
# and waits until it answers.
serve() {
	"$BIN" serve --db "$1" --listen 127.0.0.1:$PORT 2>/dev/null &
	pid=$!
	for i in $(seq 100); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
}

# The server: GET the progress of the assessment indicators of one area,
# 50 connections, on the demo city and on the sf=1 province.
PORT=${BENCH_PORT:-18089}
serve_bench() {
	name=$1 db=$2 path=$3
	serve "$db"
	wrk -t2 -c50 -d5s --latency "http://127.0.0.1:$PORT$path" >"$OUT/wrk.txt" 2>&1
	kill -TERM $pid
	wait $pid 2>/dev/null || true
	awk -v n="$name" '
		/Requests\/sec/ { printf "api_progress_%s_rps: %d req/s\n", n, $2 }
		/^ +99%/ { v = $2; u = 1
			if (v ~ /us$/) u = 0.001; else if (v ~ /ms$/) u = 1; else if (v ~ /s$/) u = 1000
			sub(/[a-z]+$/, "", v); printf "api_progress_%s_p99_ms: %.2f ms\n", n, v * u }
		/Non-2xx/ { printf "api_progress_%s_errors: %d\n", n, $NF }' "$OUT/wrk.txt"
}
rm -f "$OUT/demo.db" "$OUT/demo.db-wal" "$OUT/demo.db-shm"
"$BIN" init --db "$OUT/demo.db" --demo data/demo >/dev/null
serve_bench demo "$OUT/demo.db" "/api/v1/progress?assessed=1&area=210726&period=2025-09"
serve_bench sf1 "$OUT/bench.db" "/api/v1/progress?assessed=1&area=X001&period=2025-09"

# The sf=1 figures uploaded again over HTTP (a province re-submitting its
# whole file) into the server that holds them: how long, and how much the
# server's memory grew at its peak over what it held before (VmHWM, reset
# just before through /proc/PID/clear_refs).
echo "bench-password-1" | "$BIN" user add bench-admin --role admin \
	--db "$OUT/bench.db" --password-stdin >/dev/null 2>&1 || true
serve "$OUT/bench.db"
csrf=$(curl -s -c "$OUT/cookies" -X POST \
	-d '{"name":"bench-admin","password":"bench-password-1"}' \
	"http://127.0.0.1:$PORT/api/v1/login" | sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/')
rss0=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status)
echo 5 >/proc/$pid/clear_refs
t0=$(date +%s.%N)
curl -s -b "$OUT/cookies" -H "X-CSRF-Token: $csrf" --data-binary @"$DATA/values.csv" \
	"http://127.0.0.1:$PORT/api/v1/imports?kind=values" >"$OUT/upload.json"
t1=$(date +%s.%N)
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status)
kill -TERM $pid
wait $pid 2>/dev/null || true
grep -q '"n_errors":0' "$OUT/upload.json" || { echo "upload failed: $(head -c 300 "$OUT/upload.json")" >&2; exit 1; }
awk -v t0="$t0" -v t1="$t1" -v a="$rss0" -v b="$hwm" -v bytes="$(stat -c %s "$DATA/values.csv")" 'BEGIN {
	printf "api_upload_mb: %.1f MB\n", bytes / 1e6
	printf "api_upload_seconds: %.2f s\n", t1 - t0
	printf "api_upload_peak_growth_mib: %.1f MiB\n", (b - a) / 1024 }'

# 16 writers posting single figures while 50 readers read progress: both
# loads from wrk (a client light enough to leave the server the machine),
# and beside them a clerk who reads each of its writes back at once.
rm -f "$OUT/demo.db" "$OUT/demo.db-wal" "$OUT/demo.db-shm"
"$BIN" init --db "$OUT/demo.db" --demo data/demo >/dev/null
echo "bench-password-1" | "$BIN" user add bench-clerk --role department \
	--department FGW --db "$OUT/demo.db" --password-stdin >/dev/null
serve "$OUT/demo.db"
login=$(curl -si -X POST -d '{"name":"bench-clerk","password":"bench-password-1"}' \
	"http://127.0.0.1:$PORT/api/v1/login")
COOKIE=$(printf '%s\n' "$login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
CSRF=$(printf '%s\n' "$login" | tail -n 1 | sed 's/.*"csrf":"\([0-9a-f]*\)".*/\1/')
export COOKIE CSRF
wrk -t1 -c50 -d5s "http://127.0.0.1:$PORT/api/v1/progress?assessed=1&period=2025-09" \
	>"$OUT/wrk-readers.txt" 2>&1 &
readers=$!
node bench/writers.mjs "http://127.0.0.1:$PORT" bench-password-1 5 >"$OUT/fresh.txt" &
fresh=$!
wrk -t1 -c16 -d5s --latency -s bench/post.lua "http://127.0.0.1:$PORT/api/v1/values" \
	>"$OUT/wrk-writers.txt" 2>&1
wait $readers $fresh
kill -TERM $pid
wait $pid 2>/dev/null || true
awk '
	FNR == 1 { who = FILENAME ~ /writers/ ? "writes" : "reads" }
	/Requests\/sec/ { rps[who] = $2 }
	/^ +99%/ && who == "writes" { v = $2; u = 1
		if (v ~ /us$/) u = 0.001; else if (v ~ /ms$/) u = 1; else if (v ~ /s$/) u = 1000
		sub(/[a-z]+$/, "", v); p99 = v * u }
	/Non-2xx/ { err[who] += $NF }
	/Socket errors/ { gsub(/,/, ""); err[who] += $4 + $6 + $8 + $10 }
	END {
		printf "api_writes_per_second: %d writes/s\n", rps["writes"]
		printf "api_write_p99_ms: %.2f ms\n", p99
		printf "api_reads_per_second_during_writes: %d req/s\n", rps["reads"]
		printf "api_write_errors: %d\n", err["writes"]
		printf "api_read_errors: %d\n", err["reads"]
	}' "$OUT/wrk-writers.txt" "$OUT/wrk-readers.txt"
cat "$OUT/fresh.txt"

# The cockpit in headless chromium: the home page's ready time, cold and
# warm, and the JavaScript and CSS it loads (web/dist, built by make ui).
node bench/ui.mjs "$BIN"

# The province's key-project pipeline: 20,000 projects, 2.4 million
# monthly reports (bench/pipeline.sh).
sh bench/pipeline.sh "$BIN" "$DATA" "$OUT"

# The province's residents' requests: 5 million of them, intake, rates
# and the overdue queue (bench/requests.sh).
sh bench/requests.sh "$BIN" "$DATA" "$OUT"
