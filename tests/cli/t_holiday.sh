# civstat holiday and civstat workday: the State Council's notices for
# 2024-2026 imported from the demo's holidays.csv, listed and exported;
# bad files refused naming file, line and column with the database left
# byte for byte as it was; deadlines across 春节 and 国庆, from a rest day,
# over a year boundary, and in clock hours.
H=$T/holiday.db
HC=$TOP/data/demo/holidays.csv
check "holiday: a new database" 0 "created" -- $CIVSTAT init --db "$H"
check "holiday import: the demo's three notices" 0 "已导入节假日安排 108 天" -- \
	$CIVSTAT holiday import "$HC" --db "$H"
check "holiday list --year: 春节 2026 starts on a Sunday" 0 "2026-02-15 *周日 *放假 *春节" -- \
	$CIVSTAT holiday list --year 2026 --db "$H"
check "holiday list: a 调休 Saturday works" 0 "2026-02-14 *周六 *调休上班 *春节" -- \
	$CIVSTAT holiday list --year 2026 --db "$H"
check "holiday list --year: only that year" 1 "" -- \
	sh -c "$CIVSTAT holiday list --year 2025 --db '$H' | grep -q 2026-"
check "holiday list: JSON with the English codes" 0 '"kind": *"workday"' -- \
	$CIVSTAT holiday list --year 2026 --format json --db "$H"
$CIVSTAT holiday export --db "$H" >"$T/holidays.csv" 2>&1
same_file "holiday export: the file imported, byte for byte" "$HC" "$T/holidays.csv"

# Bad files: refused, file:line: column named, exit 65, nothing stored.
# refuse_file NAME PATTERN FILE TEXT: see refuse_import in run.sh.
refuse_file() { refuse_import holiday "$H" "$@"; }
refuse_file "a workday on a Wednesday" \
	'weekday.csv:3: column "kind": workday on 2027-02-03, a Wednesday' weekday.csv \
	'date,kind,name,source\n2027-02-06,holiday,春节,x\n2027-02-03,workday,春节,x\n'
refuse_file "a date that does not exist" \
	'nodate.csv:3: column "date": "2027-02-29" is not a date that exists' nodate.csv \
	'date,kind,name\n2027-02-06,holiday,春节\n2027-02-29,holiday,春节\n'
refuse_file "an unknown kind" \
	'kind.csv:2: column "kind": "rest" is not holiday or workday' kind.csv \
	'date,kind,name\n2027-02-08,rest,春节\n'
refuse_file "a date twice" \
	'twice.csv:3: column "date": 2027-02-08 is given twice' twice.csv \
	'date,kind,name\n2027-02-08,holiday,春节\n2027-02-08,holiday,春节\n'
printf 'date,kind,name\n2027-02-11,holiday,春节\n' >"$T/one.csv"
printf 'date,kind,name\n2027-02-12,holiday,春节\n2027-02-11,holiday,春节\n' >"$T/two.csv"
check "holiday import: a date in two files of one import" 65 \
	'two.csv:3: column "date": 2027-02-11 is given twice' -- \
	$CIVSTAT holiday import "$T/one.csv" "$T/two.csv" --db "$H"
check "holiday import: nothing of the first file stays" 0 "" -- \
	sh -c "! $CIVSTAT holiday list --year 2027 --db '$H' | grep -q 2027-02-11"
unchanged "holiday import --dry-run stores nothing" "$H" -- \
	$CIVSTAT holiday import "$HC" --dry-run --db "$H"
check "holiday list --year: not a year" 64 '--year: "20x6" is not a year' -- \
	$CIVSTAT holiday list --year 20x6 --db "$H"

# Deadlines.
check "workday: 5 working days across 春节 2026" 0 "2026-02-13 *周五 *5 *2026-02-27 *周五" -- \
	$CIVSTAT workday --from 2026-02-13 --days 5 --db "$H"
check "workday: the 调休 Saturday is the first" 0 "2026-02-13 *周五 *1 *2026-02-14 *周六" -- \
	$CIVSTAT workday --from 2026-02-13 --days 1 --db "$H"
check "workday: received in 春节, counted from its end" 0 "2026-02-24 *周二" -- \
	$CIVSTAT workday --from 2026-02-17 --days 1 --db "$H"
check "workday: 国庆 2025 and the Saturday after" 0 "2025-10-11 *周六" -- \
	$CIVSTAT workday --from 2025-09-30 --days 3 --db "$H"
check "workday: over the year boundary to 元旦's 调休 Sunday" 0 "2026-01-04 *周日" -- \
	$CIVSTAT workday --from 2025-12-31 --days 1 --db "$H"
check "workday --to: the working days between" 0 "2026-02-13 *2026-02-27 *5" -- \
	$CIVSTAT workday --from 2026-02-13 --to 2026-02-27 --db "$H"
check "workday --hours: heating, 24 hours on the clock" 0 "2026-02-16 18:30 *24 *2026-02-17 18:30" -- \
	$CIVSTAT workday --from 2026-02-16T18:30 --hours 24 --db "$H"
check "workday: a year the table lacks is said" 0 "没有2027年的安排" -- \
	$CIVSTAT workday --from 2026-12-30 --days 5 --db "$H"
check "workday: --days and --to together are refused" 64 "one of --days" -- \
	$CIVSTAT workday --from 2026-02-13 --days 1 --to 2026-03-01 --db "$H"
check "workday: a bad --from names it" 64 '--from: "2026-02-30" is not a date that exists' -- \
	$CIVSTAT workday --from 2026-02-30 --days 1 --db "$H"
check "workday: --year is not its option" 64 "holiday list's" -- \
	$CIVSTAT workday --from 2026-02-13 --days 1 --year 2026 --db "$H"
check "workday: --days past ten years is refused" 64 '--days: "99999"' -- \
	$CIVSTAT workday --from 2026-02-13 --days 99999 --db "$H"
