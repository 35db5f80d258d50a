# civstat migrate between SQLite files (tests/cli/pg.sh moves cities to
# PostgreSQL and back): a copy answers as the original, every table's rows
# byte for byte; a destination that holds a city, a bad source, a source
# whose audit chain was altered and a copy that fails half-way all leave
# nothing behind.
MA=$T/migrate-a.db
MB=$T/migrate-b.db
check "migrate: the demo city" 0 "figures: 9114 added" -- $CIVSTAT init --db "$MA" --demo "$TOP/data/demo" --accounts
check "migrate: a figure set" 0 "" -- $CIVSTAT set --db "$MA" --indicator FAI --area 210726 --period 2025-09 --value 100 --state submitted --comment 核实
check "migrate: an API token" 0 "" -- $CIVSTAT user token --db "$MA" leader --label 迁移测试
check "migrate: copies every table" 0 "^迁移完成：.*各表行数一致；审计链 [0-9]* 条完整，末条与源库相同" -- $CIVSTAT migrate --from "$MA" --to "$MB"
check "migrate: reports the rows of each table" 0 "^request  *群众诉求  *3121  *3121$" -- $CIVSTAT migrate --from "$MA" --to "sqlite:$T/migrate-c.db"
check "migrate: in English" 0 "^migrated: .*audit: [0-9]* entr[a-z]*, the chain holds and ends at the source" -- $CIVSTAT migrate --from "$MA" --to "$T/migrate-d.db" --lang en

# The copy answers as the original does, and holds the same rows.
for q in "progress" "history --indicator FAI --area 210726 --period 2025-09" \
	"audit verify" "audit list" "audit head" "user list" "brief"; do
	$CIVSTAT $q --db "$MA" >"$T/orig" 2>&1
	$CIVSTAT $q --db "$MB" >"$T/copy" 2>&1
	if cmp -s "$T/orig" "$T/copy"; then
		ok "migrate: $q answers as the original"
	else
		not_ok "migrate: $q answers as the original" "$(diff "$T/orig" "$T/copy" | head -5)"
	fi
done
diffs=
for t in meta area department indicator change series value_comment value_history target benchmark user session \
	programme project project_plan project_milestone project_report project_phase programme_community \
	task_list task task_milestone task_report task_note holiday service audit; do
	a=$(sqlite3 -line "$MA" "SELECT * FROM $t ORDER BY 1, 2" | md5sum)
	b=$(sqlite3 -line "$MB" "SELECT * FROM $t ORDER BY 1, 2" | md5sum)
	[ "$a" = "$b" ] || diffs="$diffs $t"
done
n=$(sqlite3 "$MB" "SELECT count(*) FROM session")
if [ -z "$diffs" ] && [ "$n" = 1 ]; then
	ok "migrate: every table's rows byte for byte"
else
	not_ok "migrate: every table's rows byte for byte" "differ:$diffs; sessions: $n"
fi

# A destination that holds a city is refused and left as it was.
unchanged "migrate: a destination that holds a city stays as it was" "$MB" -- $CIVSTAT migrate --from "$MA" --to "$MB"
check "migrate: refuses a destination that holds a city" 65 "holds a city already (12 rows in area)" -- $CIVSTAT migrate --from "$MA" --to "$MB"
echo "not a database" >"$T/other.txt"
check "migrate: refuses a file that is not civstat's" 65 "is not an empty civstat database" -- $CIVSTAT migrate --from "$MA" --to "$T/other.txt"
check "migrate: the same database twice" 64 "name the same database" -- $CIVSTAT migrate --from "$MA" --to "$MA"
check "migrate: --to missing" 64 "give --from SRC and --to DST" -- $CIVSTAT migrate --from "$MA"

# A bad source: nothing is created.
check "migrate: a source that does not exist" 66 "no such database" -- $CIVSTAT migrate --from "$T/nope.db" --to "$T/migrate-x.db"
check "migrate: a source that is not a database" 74 "" -- $CIVSTAT migrate --from "$T/other.txt" --to "$T/migrate-x.db"
if [ ! -e "$T/migrate-x.db" ]; then ok "migrate: a bad source creates nothing"; else not_ok "migrate: a bad source creates nothing" "$T/migrate-x.db exists"; fi

# A source whose audit chain was altered is not moved.
cp "$MB" "$T/migrate-bad.db"
sqlite3 "$T/migrate-bad.db" "UPDATE audit SET actor = 'x' WHERE id = 2"
check "migrate: refuses a source whose chain does not hold" 75 "the source's audit chain does not hold: audit entry 2: its hash does not match" -- $CIVSTAT migrate --from "$T/migrate-bad.db" --to "$T/migrate-x.db"
if [ ! -e "$T/migrate-x.db" ]; then ok "migrate: an altered source creates nothing"; else not_ok "migrate: an altered source creates nothing" "$T/migrate-x.db exists"; fi

# A copy that fails half-way (a damaged series, found when it is read)
# leaves nothing: a new file is removed, an empty one stays empty.
cp "$MB" "$T/migrate-damaged.db"
sqlite3 "$T/migrate-damaged.db" "UPDATE series SET n = n + 1 WHERE indicator_id = (SELECT max(indicator_id) FROM series)"
check "migrate: a damaged source fails half-way" 74 "series: .*is damaged" -- $CIVSTAT migrate --from "$T/migrate-damaged.db" --to "$T/migrate-x.db"
if [ ! -e "$T/migrate-x.db" ]; then ok "migrate: a failed copy leaves no file"; else not_ok "migrate: a failed copy leaves no file" "$T/migrate-x.db exists"; fi
check "migrate: an empty database" 0 "created" -- $CIVSTAT init --db "$T/migrate-empty.db"
check "migrate: a failed copy into an empty database" 74 "is damaged" -- $CIVSTAT migrate --from "$T/migrate-damaged.db" --to "$T/migrate-empty.db"
n=$(sqlite3 "$T/migrate-empty.db" "SELECT (SELECT count(*) FROM area) + (SELECT count(*) FROM change) + (SELECT count(*) FROM audit)")
if [ "$n" = 0 ]; then ok "migrate: a failed copy leaves an empty database empty"; else not_ok "migrate: a failed copy leaves an empty database empty" "$n rows"; fi
check "migrate: into an empty civstat database" 0 "^迁移完成" -- $CIVSTAT migrate --from "$MA" --to "$T/migrate-empty.db"
