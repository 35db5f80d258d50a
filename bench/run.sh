#!/bin/sh
# make bench: the sf=1 province from shared/bench/gen.py, imported and asked
# Q1-Q5 by civstat bench, which prints "name: value unit" lines.
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
"$BIN" bench --data "$DATA" --db "$OUT/bench.db" --out "$OUT"
