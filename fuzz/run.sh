#!/bin/sh
# make fuzz: builds every fuzz/fuzz_*.c with clang and libFuzzer (ASan and
# UBSan on) against the library sources, and runs each for SECONDS seconds
# on a copy of its seed corpus.  A finding stops with its reproducer in
# fuzz/findings/.
set -eu
SECONDS_EACH=${1:-60}
B=build-fuzz
mkdir -p "$B" fuzz/findings
# The library holds the PostgreSQL store too: libpq's header and library.
PQ_CFLAGS=$(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
PQ_LIBS=$(pkg-config --libs libpq 2>/dev/null || echo -lpq)
W="-std=c11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -D_GNU_SOURCE -DCS_VERSION=\"fuzz\" -Isrc $PQ_CFLAGS -g -O1"
LIB=$(ls src/core/*.c src/store/*.c src/analytics/*.c src/domain/*.c src/api/*.c)
for t in fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	corpus=fuzz/corpus/${name#fuzz_}
	echo "== $name ($SECONDS_EACH s)"
	clang $W -fsanitize=fuzzer,address,undefined -o "$B/$name" "$t" $LIB \
		-lsqlite3 $PQ_LIBS -ljansson -lsodium -lmicrohttpd -lxlsxwriter -lz -lm -lpthread
	work=$B/corpus-$name
	rm -rf "$work"
	mkdir -p "$work"
	cp "$corpus"/* "$work"/
	"$B/$name" -max_total_time="$SECONDS_EACH" -artifact_prefix=fuzz/findings/ \
		-print_final_stats=1 "$work" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY" || true
	if [ -n "$(find fuzz/findings -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \))" ]; then
		echo "fuzz: $name found a problem; see fuzz/findings/" >&2
		exit 1
	fi
done
echo "fuzz: no findings"
