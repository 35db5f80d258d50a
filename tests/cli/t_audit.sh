# The audit trail: the demo city's import is entry 1, a figure set is
# entry 2 with its before and after, a dry run adds nothing, and a row
# altered by hand with sqlite3 is named by verify while an untouched copy
# still holds.
A=$T/audit.db
# The demo's figures alone, in one import (init --demo also loads its task
# lists, one entry a record).
$CIVSTAT init --db "$A" >/dev/null
# holidays.csv is the working-day calendar's (civstat holiday import) and
# services.csv the service catalogue's (civstat service import).
check "audit: the demo city" 0 "figures: 9114 added" -- $CIVSTAT import --db "$A" $(ls "$TOP"/data/demo/*.csv | grep -v -e /holidays.csv -e /services.csv -e /requests.csv)
check "audit verify holds" 0 "^audit: 1 entry, the chain holds$" -- $CIVSTAT audit --db "$A" verify
check "audit lists the import" 0 "import.*/values.csv" -- $CIVSTAT audit --db "$A" list
check "audit: set a figure" 0 "" -- $CIVSTAT set --db "$A" --indicator FAI --area 210726 --period 2025-09 --value 100 --state submitted --comment 核实
check "audit list shows before and after" 0 'set  *FAI/210726/2025-09  *{"value":[0-9.]*,"state":"approved","comment":[^}]*}  *{"value":100.0,"state":"submitted","comment":"核实"}' -- $CIVSTAT audit --db "$A" list
check "audit list has Chinese headers" 0 "^编号  *时间  *操作人  *操作  *对象  *原值  *新值  *请求" -- $CIVSTAT audit --db "$A" list
check "audit list --limit 1: the newest" 0 '^2,[^,]*,cli,set,FAI/210726/2025-09,' -- $CIVSTAT audit --db "$A" list --limit 1 --format csv
n=$($CIVSTAT audit --db "$A" list --limit 1 --format csv | wc -l)
if [ "$n" = 2 ]; then ok "audit list --limit 1: one entry"; else not_ok "audit list --limit 1: one entry" "$n lines"; fi
check "audit list as json" 0 '"action": "set"' -- $CIVSTAT audit --db "$A" list --format json
check "audit: a dry run" 0 "dry run" -- $CIVSTAT import --db "$A" --dry-run "$TOP/data/demo/values.csv"
check "audit: a dry run adds no entry" 0 "^audit: 2 entries, the chain holds$" -- $CIVSTAT audit --db "$A" verify
check "audit: neither verify nor list" 64 "usage: civstat audit" -- $CIVSTAT audit --db "$A" check

# Alter entry 2 by hand: verify names it (exit 75, CS_ECONFLICT); the copy
# taken before still holds.
cp "$A" "$T/audit-copy.db"
[ -f "$A-wal" ] && cp "$A-wal" "$T/audit-copy.db-wal"
check "audit: tamper by hand" 0 "" -- sqlite3 "$A" "UPDATE audit SET actor='x' WHERE id=2"
check "audit verify names the altered entry" 75 "^audit: entry 2 was altered: its hash does not match its contents$" -- $CIVSTAT audit --db "$A" verify
check "audit verify: the untouched copy holds" 0 "^audit: 2 entries, the chain holds$" -- $CIVSTAT audit --db "$T/audit-copy.db" verify
check "audit: a later write does not mend it" 0 "" -- $CIVSTAT set --db "$A" --indicator FAI --area 210726 --period 2025-09 --value 101
check "audit verify still names entry 2" 75 "^audit: entry 2 was altered" -- $CIVSTAT audit --db "$A" verify

# A published head: cutting the tail off the untouched copy is caught.
HEAD=$($CIVSTAT audit --db "$T/audit-copy.db" head)
check "audit head prints ID:HASH" 0 "^2:[0-9a-f]\{64\}$" -- $CIVSTAT audit --db "$T/audit-copy.db" head
check "audit verify with the published head" 0 "and so does the published entry" -- $CIVSTAT audit --db "$T/audit-copy.db" verify "$HEAD"
check "audit: cut the tail by hand" 0 "" -- sqlite3 "$T/audit-copy.db" "DELETE FROM audit WHERE id=2"
check "audit verify: the chain alone cannot tell" 0 "^audit: 1 entry, the chain holds$" -- $CIVSTAT audit --db "$T/audit-copy.db" verify
check "audit verify: the published head can" 75 "^audit: entry 2 was removed since it was published$" -- $CIVSTAT audit --db "$T/audit-copy.db" verify "$HEAD"
check "audit verify: a bad anchor" 64 "is not ID:HASH" -- $CIVSTAT audit --db "$T/audit-copy.db" verify 2:zz
