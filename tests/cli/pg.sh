#!/bin/sh
# CLI checks on PostgreSQL: the demo city initialised into a fresh database
# on the server at CIVSTAT_TEST_PG answers as the same city on SQLite does.
# Prints one line per check and "N passed, N failed".
# usage: CIVSTAT=build/civstat CIVSTAT_TEST_PG=postgres://... sh tests/cli/pg.sh
set -u
CIVSTAT=${CIVSTAT:-build/civstat}
case $CIVSTAT in /*) ;; *) CIVSTAT=$PWD/$CIVSTAT ;; esac
TOP=$PWD
T=$(mktemp -d /tmp/civstat-pgcli.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok $pass $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# A database of its own beside the server's: the URL with the name swapped.
base=${CIVSTAT_TEST_PG%/*}
P=$base/civstat_cli
psql() {
	PGOPTIONS='-c client_min_messages=warning' \
		/usr/lib/postgresql/15/bin/psql -qtA "$CIVSTAT_TEST_PG" "$@"
}
psql -c "DROP DATABASE IF EXISTS civstat_cli" -c "CREATE DATABASE civstat_cli" >/dev/null

S=$T/demo.db
$CIVSTAT init --db "$S" --demo "$TOP/data/demo" >"$T/init.sqlite" 2>&1
if $CIVSTAT init --db "$P" --demo "$TOP/data/demo" >"$T/init.pg" 2>&1 &&
	grep -q "figures: 9114 added" "$T/init.pg"; then
	ok "init the demo city on PostgreSQL"
else
	not_ok "init the demo city on PostgreSQL" "$(head -5 "$T/init.pg")"
fi
if $CIVSTAT init --db "$P" >"$T/out" 2>&1; then
	not_ok "init refuses an existing database" "it did not"
elif grep -q "already exists" "$T/out"; then
	ok "init refuses an existing database"
else
	not_ok "init refuses an existing database" "$(head -5 "$T/out")"
fi

# same NAME ARGS...: the command answers the same on both stores.
same() {
	name=$1
	shift
	$CIVSTAT "$@" --db "$S" >"$T/sqlite" 2>&1
	a=$?
	$CIVSTAT "$@" --db "$P" >"$T/pg" 2>&1
	b=$?
	if [ "$a" = "$b" ] && cmp -s "$T/sqlite" "$T/pg"; then
		ok "$name"
	else
		not_ok "$name" "exit $a on SQLite, $b on PostgreSQL" \
			"$(diff "$T/sqlite" "$T/pg" | head -5)"
	fi
}

same "progress" progress
# --store is --db by the name the scale-out speaks of.
if $CIVSTAT progress --store "$P" >"$T/store" 2>&1 &&
	$CIVSTAT progress --db "$P" >"$T/db" 2>&1 && cmp -s "$T/store" "$T/db"; then
	ok "--store names the database as --db does"
else
	not_ok "--store names the database as --db does" "$(head -3 "$T/store")"
fi
same "progress, csv" progress --period 2025-09 --format csv
same "growth of the counties" growth --children 210700 --indicator FAI --period 2025-09
same "rank the counties" rank --period 2025-09
same "series of port cargo" series --indicator PORT_CARGO --from 2022-01 --to 2022-12
same "pillars" pillars
same "unknown indicator" progress --indicator NOPE
same "set a figure" set --indicator FAI --area 210726 --period 2025-09 --value 100 --state submitted
same "progress after the set" progress --indicator FAI --period 2025-09 --format csv
same "audit verify" audit verify

$CIVSTAT history --db "$P" --indicator FAI --area 210726 --period 2025-09 --lang en >"$T/out" 2>&1
if grep -q "set FAI 210726 2025-09" "$T/out" && grep -q import "$T/out"; then
	ok "history shows the import and the set"
else
	not_ok "history shows the import and the set" "$(head -5 "$T/out")"
fi

$CIVSTAT audit --db "$P" list >"$T/out" 2>&1
if grep -q "import.*/values.csv" "$T/out" && grep -q "set.*FAI/210726/2025-09" "$T/out"; then
	ok "audit lists the import and the set"
else
	not_ok "audit lists the import and the set" "$(head -5 "$T/out")"
fi

# civstat migrate: the SQLite city (with an API token, after the set)
# moved to PostgreSQL and back answers as it did, ids and hashes and all;
# the city made on PostgreSQL moved to SQLite answers as it does there.
# same_db NAME DB1 DB2 ARGS...: the command answers alike on both.
same_db() {
	name=$1 d1=$2 d2=$3
	shift 3
	$CIVSTAT "$@" --db "$d1" >"$T/one" 2>&1
	a=$?
	$CIVSTAT "$@" --db "$d2" >"$T/two" 2>&1
	b=$?
	if [ "$a" = "$b" ] && cmp -s "$T/one" "$T/two"; then
		ok "$name"
	else
		not_ok "$name" "exit $a and $b" "$(diff "$T/one" "$T/two" | head -5)"
	fi
}
# want NAME EXIT PATTERN COMMAND...: exit code and a line of the output.
want() {
	name=$1 code=$2 pat=$3
	shift 3
	"$@" >"$T/out" 2>&1
	got=$?
	if [ "$got" = "$code" ] && grep -q -- "$pat" "$T/out"; then
		ok "$name"
	else
		not_ok "$name" "exit $got, wanted $code" "$(head -5 "$T/out")"
	fi
}
psql -c "DROP DATABASE IF EXISTS civstat_mig" -c "CREATE DATABASE civstat_mig" \
	-c "DROP DATABASE IF EXISTS civstat_mig2" -c "CREATE DATABASE civstat_mig2" >/dev/null
M=$base/civstat_mig
$CIVSTAT user add --db "$S" li.ming --role department --department FGW >/dev/null 2>&1
$CIVSTAT user token --db "$S" li.ming --label 迁移 >/dev/null 2>&1
want "migrate SQLite to PostgreSQL" 0 "^迁移完成：.*各表行数一致；审计链 [0-9]* 条完整" \
	$CIVSTAT migrate --from "$S" --to "$M"
want "migrate PostgreSQL back to SQLite" 0 "^session  *会话与令牌  *1  *1$" \
	$CIVSTAT migrate --from "$M" --to "sqlite:$T/back.db"
for db in "$M" "$T/back.db"; do
	on=PostgreSQL
	[ "$db" = "$M" ] || on="SQLite again"
	same_db "migrated, on $on: progress" "$S" "$db" progress
	same_db "migrated, on $on: progress, csv" "$S" "$db" progress --period 2025-09 --format csv
	same_db "migrated, on $on: history" "$S" "$db" history --indicator FAI --area 210726 --period 2025-09
	same_db "migrated, on $on: audit verify" "$S" "$db" audit verify
	same_db "migrated, on $on: audit list" "$S" "$db" audit list --format csv
	same_db "migrated, on $on: audit head" "$S" "$db" audit head
	same_db "migrated, on $on: user list" "$S" "$db" user list
done
diffs=
for t in meta area department indicator change series value_comment value_history target benchmark user session \
	programme project project_plan project_milestone project_report project_phase programme_community \
	task_list task task_milestone task_report task_note audit; do
	a=$(sqlite3 -line "$S" "SELECT * FROM $t ORDER BY 1, 2" | md5sum)
	b=$(sqlite3 -line "$T/back.db" "SELECT * FROM $t ORDER BY 1, 2" | md5sum)
	[ "$a" = "$b" ] || diffs="$diffs $t"
done
if [ -z "$diffs" ]; then
	ok "round trip: every table's rows byte for byte"
else
	not_ok "round trip: every table's rows byte for byte" "differ:$diffs"
fi
want "migrate refuses a PostgreSQL database that holds a city" 65 "holds a city already" \
	$CIVSTAT migrate --from "$S" --to "$M"
want "migrate the city made on PostgreSQL to SQLite" 0 "^迁移完成" \
	$CIVSTAT migrate --from "$P" --to "$T/frompg.db"
same_db "migrated from PostgreSQL: progress" "$P" "$T/frompg.db" progress
same_db "migrated from PostgreSQL: history" "$P" "$T/frompg.db" history --indicator FAI --area 210726 --period 2025-09
same_db "migrated from PostgreSQL: audit head" "$P" "$T/frompg.db" audit head

# A copy that fails half-way leaves the PostgreSQL database without a row,
# so that the next migrate into it goes through; a bad source, nothing.
cp "$S" "$T/damaged.db"
sqlite3 "$T/damaged.db" "UPDATE series SET n = n + 1 WHERE indicator_id = (SELECT max(indicator_id) FROM series)"
want "migrate fails half-way into PostgreSQL" 74 "is damaged" \
	$CIVSTAT migrate --from "$T/damaged.db" --to "$base/civstat_mig2"
n=$(PGOPTIONS='-c client_min_messages=warning' /usr/lib/postgresql/15/bin/psql -qtA "$base/civstat_mig2" \
	-c "SELECT (SELECT count(*) FROM area) + (SELECT count(*) FROM change) + (SELECT count(*) FROM audit)")
if [ "$n" = 0 ]; then ok "a failed migrate leaves no row"; else not_ok "a failed migrate leaves no row" "$n rows"; fi
want "migrate after the failed one" 0 "^迁移完成" $CIVSTAT migrate --from "$S" --to "$base/civstat_mig2"
want "migrate from a PostgreSQL database that does not exist" 74 "civstat_nope" \
	$CIVSTAT migrate --from "$base/civstat_nope" --to "$T/nope.db"
if [ ! -e "$T/nope.db" ]; then ok "a bad source creates nothing"; else not_ok "a bad source creates nothing" "$T/nope.db exists"; fi
psql -c "DROP DATABASE IF EXISTS civstat_mig" -c "DROP DATABASE IF EXISTS civstat_mig2" >/dev/null

# serve on PostgreSQL: it answers, and its startup line hides a password
# given in the URL (trust authentication here ignores it).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
W=$(printf '%s' "$P" | sed 's|^postgres://\([^@:]*\)@|postgres://\1:not-to-log@|')
$CIVSTAT serve --db "$W" --listen 127.0.0.1:$port >"$T/serve" 2>&1 &
spid=$!
for i in $(seq 50); do
	curl -sf "http://127.0.0.1:$port/healthz" >"$T/health" 2>/dev/null && break
	sleep 0.1
done
kill -TERM $spid 2>/dev/null
wait $spid 2>/dev/null
# 9114 figures of values.csv, 69 fed by the demo's project reports, and
# the rates its sample requests feed, month by month up to today's month
# (396 in November 2026, more later): more than 9183.
figures=$(sed -n 's/.*"figures":\([0-9]*\).*/\1/p' "$T/health")
if [ "${figures:-0}" -gt 9183 ] && grep -q 'serving postgres://.*:\*\*\*@' "$T/serve" &&
	! grep -q not-to-log "$T/serve"; then
	ok "serve answers, its log hides the password"
else
	not_ok "serve answers, its log hides the password" "$(head -3 "$T/serve")" "$(cat "$T/health")"
fi

# A streamed import (a figures file of 16 MB or more) goes by COPY on
# PostgreSQL: the sf=0.1 province of shared/bench/gen.py, imported fresh,
# imported again with some figures changed (series already there, history
# written), and once more with a bad row at the end, which must leave
# nothing behind.  Each time both stores answer alike.
SHARED=${SHARED:-$TOP/../shared}
D=$TOP/build/reference/data
if [ ! -s "$D/values.csv" ]; then
	D=$T/sf01
	python3 "$SHARED/bench/gen.py" --sf 0.1 --out "$D" >/dev/null 2>&1
fi
if [ -s "$D/values.csv" ]; then
	S=$T/bulk.db
	P=$base/civstat_bulk
	psql -c "DROP DATABASE IF EXISTS civstat_bulk" -c "CREATE DATABASE civstat_bulk" >/dev/null
	$CIVSTAT init --db "$S" >/dev/null 2>&1
	$CIVSTAT init --db "$P" >/dev/null 2>&1
	questions() {
		same "$1: progress of the counties" progress --level 3 --period 2025-09 --format csv
		same "$1: growth of the cities" growth --level 2 --period 2025-Q3 --format csv
		same "$1: rank of the counties" rank --level 3 --period 2025-09 --format csv
		same "$1: a series" series --indicator I07 --area C04 --from 2016-01 --to 2025-12 --format csv
		same "$1: pillars" pillars --period 2025-09 --format csv
	}
	same "streamed import" import "$D/units.csv" "$D/indicators.csv" "$D/values.csv" "$D/targets.csv"
	questions "streamed import"
	if [ "$(wc -l <"$T/pg")" -ge 4 ]; then
		ok "the streamed import's figures are there"
	else
		not_ok "the streamed import's figures are there" "$(head -3 "$T/pg")"
	fi
	n=$(psql -d "$P" -c "SELECT count(*) FROM feed WHERE kind = 1" 2>/dev/null)
	if [ "${n:-0}" -ge 1 ]; then
		ok "a bulk import writes a feed row to read everything again"
	else
		not_ok "a bulk import writes a feed row to read everything again" "feed rows of kind 1: ${n:-none}"
	fi
	awk -F, 'NR > 1 && NR % 997 == 0 { $4 = $4 * 2 } { print }' OFS=, \
		"$D/values.csv" >"$T/values.csv"
	same "streamed import, figures changed" import "$T/values.csv"
	questions "figures changed"
	# Both hold the figure's import and its change (times differ).
	area=$(awk -F, 'NR == 997 { print $1 }' "$D/values.csv")
	area=$(awk -F, -v id="$area" '$1 == id { print $4 }' "$D/units.csv")
	ind=$(awk -F, 'NR == 997 { print $2 }' "$D/values.csv")
	ind=$(awk -F, -v id="$ind" '$1 == id { print $2 }' "$D/indicators.csv")
	month=$(awk -F, 'NR == 997 { print substr($3, 1, 4) "-" substr($3, 5) }' "$D/values.csv")
	for db in "$S" "$P"; do
		$CIVSTAT history --db "$db" --indicator "$ind" --area "$area" --period "$month" \
			--lang en --format csv 2>&1 | cut -d, -f2- >"$T/history.$([ "$db" = "$S" ] && echo sqlite || echo pg)"
	done
	if [ "$(wc -l <"$T/history.pg")" -ge 3 ] && cmp -s "$T/history.sqlite" "$T/history.pg"; then
		ok "history of a changed figure"
	else
		not_ok "history of a changed figure" "$(diff "$T/history.sqlite" "$T/history.pg" | head -5)"
	fi
	echo "1,1,202601,not-a-number" >>"$T/values.csv"
	awk -F, 'NR > 1 && NR % 991 == 0 { $4 = $4 * 3 } { print }' OFS=, \
		"$T/values.csv" >"$T/bad.csv"
	counts="SELECT (SELECT count(*) FROM value_history), (SELECT count(*) FROM feed),"
	counts="$counts (SELECT md5(string_agg(md5(value), '' ORDER BY indicator_id, area_id)) FROM series)"
	before=$(psql -d "$P" -c "$counts" 2>&1)
	same "a streamed import with a bad row fails" import "$T/bad.csv"
	if $CIVSTAT import --db "$P" "$T/bad.csv" >/dev/null 2>&1; then
		not_ok "the bad row is refused on PostgreSQL" "exit 0"
	elif [ "$(psql -d "$P" -c "$counts" 2>&1)" != "$before" ]; then
		not_ok "the bad row is refused on PostgreSQL" "figures, history or feed changed"
	else
		ok "the bad row is refused on PostgreSQL, nothing stored"
	fi
	questions "after the failed import"
	same "audit after the failed import" audit verify
	psql -c "DROP DATABASE IF EXISTS civstat_bulk" >/dev/null
else
	not_ok "streamed import" "no sf=0.1 data: $SHARED/bench/gen.py failed"
fi

psql -c "DROP DATABASE IF EXISTS civstat_cli" >/dev/null
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
