# civstat request: a small requests.csv of our own (the demo's year of
# sample requests is another file) imported into the demo city, the queue
# with the overdue marked, steps and their refusals, the rates with their
# numerators and denominators, the export imported again as it was; bad
# files refused naming file, line and column, exit 65, nothing stored.
R=$T/request.db
RH='ref,service,description,address,area,community,lat,lon,media_url,contact_name,contact_phone,channel,received,department,dispatched,accepted,answered,answer,followed,resolved,satisfaction,duplicate_of,sample'
printf '%s\n' "$RH" \
	'H1,heating,暖气不热,古塔区士英街12号,210702,士英社区,,,,张先生,13800000000,hotline,2026-02-13 10:00,ZJJ,2026-02-13 11:00,2026-02-13 12:00,2026-02-13 18:00,已维修,2026-02-14 09:00,1,satisfied,,1' \
	'H2,certificate,回迁房办证难,凌河区某小区,210703,,,,,,,hotline,2026-02-13 10:30,,2026-02-14 09:00,,,,,,,,1' \
	'H3,certificate,同上,凌河区某小区,210703,,,,,,,web,2026-02-13 11:00,,,,,,,,,H2,1' \
	'H4,traffic,"路口拥堵, 早高峰",,210711,,41.12,121.13,http://a/1.jpg,,,app,2026-03-02 08:00,,,,,,,,,,1' \
	>"$T/requests.csv"
# The demo city without its year of sample requests, so that ids, counts
# and rates are those of the four rows above.
mkdir -p "$T/request-city"
cp -r "$TOP/data/demo/." "$T/request-city/"
rm -f "$T/request-city/requests.csv"
check "request: the demo city" 0 "service catalogue: 15 services" -- \
	$CIVSTAT init --db "$R" --demo "$T/request-city"
check "request import: four rows" 0 "已导入诉求 4 件" -- \
	$CIVSTAT request import "$T/requests.csv" --db "$R"
check "request list: 太和区's, not dispatched in time, is overdue" 0 \
	"H4 *traffic *已受理 *太和区 *2026-03-02 08:00 *2026-03-04 00:00 *超期" -- \
	$CIVSTAT request list --db "$R" --now 2026-03-05T12:00
check "request list: the open ones, in English" 0 "H2 *certificate *dispatched *ZRJ" -- \
	$CIVSTAT request list --state open --lang en --db "$R" --now 2026-03-05
check "request list: a department sees its own" 0 "共 1 件" -- \
	$CIVSTAT request list --role department --department ZRJ --db "$R"
check "request stats: numerator and denominator" 0 \
	"2026-01..2026-03 *全部 *3 *1/2 50.0% *1/1 100.0% *1/1 100.0% *1/1 100.0% *0/1 0.0% *2" -- \
	$CIVSTAT request stats --from 2026-01 --to 2026-03 --db "$R"
check "request show: the timeline" 0 "回访 *已办结 → 已关闭" -- \
	$CIVSTAT request show 1 --db "$R"
check "request act: a jump the workflow forbids" 75 \
	"request 4 is received (已受理): followup is not a step it can take" -- \
	$CIVSTAT request act 4 followup --resolved 1 --satisfaction 满意 --db "$R" --now 2026-03-05
check "request act: a department not its own" 77 "not for this account" -- \
	$CIVSTAT request act 2 accept --role department --department ZJJ --db "$R" --now 2026-03-05
check "request act: an answer needs its text" 65 "text: missing" -- \
	$CIVSTAT request act 2 answer --db "$R" --now 2026-03-05
check "request act: no such step" 64 '"close" is not a step' -- \
	$CIVSTAT request act 2 close --db "$R"
check "request act: no such request" 66 "no such request 99" -- \
	$CIVSTAT request act 99 accept --db "$R"
check "request act: the department takes it" 0 "现为承办中" -- \
	$CIVSTAT request act 2 accept --role department --department ZRJ --db "$R" --now 2026-03-05T09:00
check "request submit: from the command line" 0 "已受理诉求 5" -- \
	$CIVSTAT request submit water 停水三天 古塔区北京路 --area 210702 --db "$R" --now 2026-03-05T10:00
check "request submit: an unknown service" 66 'service: no such service "tea"' -- \
	$CIVSTAT request submit tea 喝茶 某地 --db "$R"

# The export imports again into another city as it was.
$CIVSTAT request export --db "$R" >"$T/requests-out.csv" 2>&1
$CIVSTAT init --db "$T/request2.db" --demo "$T/request-city" >/dev/null 2>&1
check "request import: the export" 0 "已导入诉求 5 件" -- \
	$CIVSTAT request import "$T/requests-out.csv" --db "$T/request2.db"
$CIVSTAT request export --db "$T/request2.db" >"$T/requests-out2.csv" 2>&1
same_file "request export: imported again, exported the same" "$T/requests-out.csv" "$T/requests-out2.csv"
check "request stats: the same rates after the round trip" 0 \
	"2026-01..2026-03 *全部 *4 *1/2 50.0% *1/1 100.0%.* 3$" -- \
	$CIVSTAT request stats --from 2026-01 --to 2026-03 --db "$T/request2.db"

# request_refuse NAME PATTERN FILE ROW: a file of the header and ROW.
request_refuse() {
	refuse_import request "$R" "$1" "$2" "$3" "$RH\n$4\n"
}
request_refuse "a time not a time" 'time.csv:2: column "received": "2026-13-01 10:00" is not a time' \
	time.csv 'X1,heating,冷,某街,,,,,,,,hotline,2026-13-01 10:00,,,,,,,,,,1'
request_refuse "an unknown service" 'svc.csv:2: column "service": service: no such service "tea"' \
	svc.csv 'X1,tea,冷,某街,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1'
request_refuse "an unknown area" 'area.csv:2: column "area": "999" is not an area' \
	area.csv 'X1,heating,冷,某街,999,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1'
request_refuse "no place" 'place.csv:2: column "address": address: missing' \
	place.csv 'X1,heating,冷,,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1'
request_refuse "answered without the answer" 'ans.csv:2: column "answer": is empty' \
	ans.csv 'X1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,ZJJ,2026-03-01 11:00,,2026-03-01 12:00,,,,,,1'
request_refuse "a step before the one before" 'order.csv:2: column "answered": 2026-03-01 09:00 is before' \
	order.csv 'X1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,ZJJ,2026-03-01 11:00,,2026-03-01 09:00,好,,,,,1'
request_refuse "a duplicate of no row" 'dup.csv:2: column "duplicate_of": no row before has ref "H9"' \
	dup.csv 'X1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,H9,1'
request_refuse "a ref stored before" 'ref.csv:2: column "ref": H1 is taken' \
	ref.csv 'H1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1'
request_refuse "a followup without satisfaction" 'fu.csv:2: column "satisfaction": is empty' \
	fu.csv 'X1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,ZJJ,2026-03-01 11:00,,2026-03-01 12:00,好,2026-03-01 13:00,1,,,1'
printf '%s\n%s\n' "$RH" 'G1,heating,冷,某街,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1' >"$T/rgood.csv"
check "request import: a good file then a bad one" 65 'time.csv:2' -- \
	$CIVSTAT request import "$T/rgood.csv" "$T/time.csv" --db "$R"
check "request import: nothing of the good file stays" 0 "" -- \
	sh -c "! $CIVSTAT request list --db '$R' | grep -q G1"
unchanged "request import --dry-run stores nothing" "$R" -- \
	$CIVSTAT request import "$T/rgood.csv" --dry-run --db "$R"
