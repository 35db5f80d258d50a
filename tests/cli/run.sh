#!/bin/sh
# CLI tests: the real civstat binary over real SQLite files, the demo city
# and bad input.  Prints one line per check and "N passed, N failed".
# usage: CIVSTAT=build/civstat sh tests/cli/run.sh
set -u
CIVSTAT=${CIVSTAT:-build/civstat}
case $CIVSTAT in /*) ;; *) CIVSTAT=$PWD/$CIVSTAT ;; esac
TOP=$PWD
T=$(mktemp -d /tmp/civstat-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok $pass $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# check NAME EXPECTED_EXIT PATTERN -- COMMAND...: runs the command and wants
# its exit code and a line of its output (stdout and stderr) matching PATTERN.
check() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" >"$T/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		not_ok "$name" "exit $got, wanted $want" "$(head -5 "$T/out")"
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$T/out"; then
		not_ok "$name" "no line matches: $pat" "$(head -5 "$T/out")"
	else
		ok "$name"
	fi
}

# same_file NAME A B: the two files must be equal byte for byte (an export
# against the file it was imported from); the first differences shown.
same_file() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "$(diff "$2" "$3" | head -5)"
	fi
}

# unchanged NAME DB -- COMMAND...: the command must leave DB byte-for-byte
# as it was.
unchanged() {
	name=$1 db=$2
	shift 3
	sum0=$(cat "$db" "$db-wal" 2>/dev/null | md5sum)
	"$@" >"$T/out" 2>&1
	sum1=$(cat "$db" "$db-wal" 2>/dev/null | md5sum)
	if [ "$sum0" = "$sum1" ]; then ok "$name"; else not_ok "$name" "database changed"; fi
}

# refuse_import CMD DB NAME PATTERN FILE TEXT: writes TEXT (printf escapes)
# to FILE and wants "civstat CMD import FILE" refused with PATTERN, exit 65,
# and DB unchanged.
refuse_import() {
	rcmd=$1 rdb=$2 rname=$3 rpat=$4 rfile=$T/$5
	printf "$6" >"$rfile"
	check "$rcmd import: $rname" 65 "$rpat" -- \
		$CIVSTAT $rcmd import "$rfile" --db "$rdb"
	unchanged "$rcmd import: $rname stores nothing" "$rdb" -- \
		$CIVSTAT $rcmd import "$rfile" --db "$rdb"
}

for f in "$TOP"/tests/cli/t_*.sh; do
	. "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
