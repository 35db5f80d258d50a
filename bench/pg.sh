#!/bin/sh
# The sf=1 province on PostgreSQL, for make bench (bench/run.sh calls it)
# or alone: a private server from scripts/pg.sh in a temporary directory on
# a free loopback port, stopped however this ends.  civstat bench imports
# the files into its fresh database, opens it again and answers Q1-Q5, as
# it does on SQLite; its lines come out with a pg_ prefix.  Then a node
# (civstat serve) starts on the database: how long until it answers its
# first question over HTTP, and how fast it answers then.
# usage: sh bench/pg.sh BIN [DATA [OUT]]
set -eu
BIN=$1
DATA=${2:-/tmp/civstat-bench/sf${SF:-1}}
OUT=${3:-build/bench}
mkdir -p "$OUT/pg"

# A free loopback port.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

dir=$(mktemp -d /tmp/civstat-pgbench.XXXXXX)
port=$(free_port)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; sh scripts/pg.sh stop "$dir" $port' EXIT
trap 'exit 1' INT TERM
url=$(sh scripts/pg.sh start "$dir" "$port")

"$BIN" bench --data "$DATA" --db "$url" --out "$OUT/pg" | sed 's/^/pg_/'
# The answers, against SQLite's when run.sh wrote them just before.
if [ -s "$OUT/q1.csv" ]; then
	same=0
	for q in 1 2 3 4 5; do
		cmp -s "$OUT/q$q.csv" "$OUT/pg/q$q.csv" && same=$((same + 1))
	done
	echo "pg_answers_as_sqlite: $same of 5"
fi

# A node starting: from the command to the first answer of a question.
hport=$(free_port)
path="/api/v1/progress?assessed=1&area=X001&period=2025-09"
t0=$(date +%s.%N)
"$BIN" serve --db "$url" --listen 127.0.0.1:$hport 2>/dev/null &
pid=$!
for i in $(seq 600); do
	curl -sf "http://127.0.0.1:$hport$path" >/dev/null 2>&1 && break
	sleep 0.05
done
t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "pg_serve_first_answer_seconds: %.2f s\n", t1 - t0 }'
if command -v wrk >/dev/null; then
	wrk -t2 -c50 -d5s --latency "http://127.0.0.1:$hport$path" >"$OUT/pg/wrk.txt" 2>&1
	awk '
		/Requests\/sec/ { printf "pg_api_progress_sf1_rps: %d req/s\n", $2 }
		/^ +99%/ { v = $2; u = 1
			if (v ~ /us$/) u = 0.001; else if (v ~ /ms$/) u = 1; else if (v ~ /s$/) u = 1000
			sub(/[a-z]+$/, "", v); printf "pg_api_progress_sf1_p99_ms: %.2f ms\n", v * u }
		/Non-2xx/ { printf "pg_api_progress_sf1_errors: %d\n", $NF }' "$OUT/pg/wrk.txt"
fi
kill -TERM $pid
wait $pid 2>/dev/null || true
pid=

# Cross-node freshness: two nodes on the demo city in a database of its
# own; a write answered by one, read on the other (bench/crossnode.mjs).
base=${url%/*}
/usr/lib/postgresql/15/bin/psql -qtA "$url" -c "CREATE DATABASE civstat_cross" >/dev/null
cross=$base/civstat_cross
"$BIN" init --db "$cross" --demo data/demo >/dev/null
echo "bench-password-1" | "$BIN" user add bench-admin --role admin --db "$cross" \
	--password-stdin >/dev/null
pa=$(free_port)
pb=$(free_port)
"$BIN" serve --db "$cross" --listen 127.0.0.1:$pa 2>/dev/null &
pid=$!
"$BIN" serve --db "$cross" --listen 127.0.0.1:$pb 2>/dev/null &
pid2=$!
for i in $(seq 100); do
	curl -sf "http://127.0.0.1:$pa/healthz" >/dev/null 2>&1 &&
		curl -sf "http://127.0.0.1:$pb/healthz" >/dev/null 2>&1 && break
	sleep 0.05
done
node bench/crossnode.mjs "http://127.0.0.1:$pa" "http://127.0.0.1:$pb" bench-admin bench-password-1 500
kill -TERM $pid $pid2
wait $pid $pid2 2>/dev/null || true
pid=
