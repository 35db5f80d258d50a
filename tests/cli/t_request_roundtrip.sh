# civstat request export → import: requests taken through every step with
# the CLI (held, approved, rejected, dispatched to the wrong department and
# returned, reopened twice, duplicated after a dispatch and while held,
# supervised, noted) come back from their requests.csv into a fresh city as
# they were: the same queue in every state, the same rates by department
# and by month (the open counts moved in the months they moved), and the
# same file when exported again.
RT=$T/roundtrip.db
RT2=$T/roundtrip2.db
mkdir -p "$T/rt-city"
cp -r "$TOP/data/demo/." "$T/rt-city/"
rm -f "$T/rt-city/requests.csv"
$CIVSTAT init --db "$RT" --demo "$T/rt-city" >/dev/null 2>&1
$CIVSTAT init --db "$RT2" --demo "$T/rt-city" >/dev/null 2>&1
# Two held back by moderation (held=1), the others received.
printf '%s\n' "$RH,held" \
	'A1,certificate,回迁房办证难,凌河区某小区,210703,,,,,,,hotline,2026-01-05 09:00,,,,,,,,,,1,0' \
	'A2,heating,暖气不热,古塔区士英街12号,210702,,,,,张先生,13800000000,hotline,2026-01-06 10:00,,,,,,,,,,1,0' \
	'A3,traffic,"路口拥堵, 早高峰",某路口,210711,,41.12,121.13,,,,app,2026-01-07 08:00,,,,,,,,,,1,1' \
	'A4,water,广告 www.x,某街,210702,,,,,,,web,2026-01-07 09:00,,,,,,,,,,1,1' \
	'A5,certificate,同上,凌河区某小区,210703,,,,,,,web,2026-01-08 11:00,,,,,,,,,,1,0' \
	'A6,property,电梯坏了,某小区,210702,,,,,,,hotline,2026-01-09 11:00,,,,,,,,,,1,0' \
	'A7,water,同一件事,某街,210702,,,,,,,web,2026-01-09 12:00,,,,,,,,,,1,1' \
	'A8,water,还在审,某街,210702,,,,,,,web,2026-03-09 12:00,,,,,,,,,,1,1' \
	>"$T/rt-base.csv"
check "request round trip: two held, the rest received" 0 "已导入诉求 8 件" -- \
	$CIVSTAT request import "$T/rt-base.csv" --db "$RT"
rt_act() { # NOW ID STEP [options]: a step that must be taken
	rt_now=$1 rt_id=$2
	shift 2
	$CIVSTAT request act "$rt_id" "$@" --db "$RT" --now "$rt_now" >"$T/rt-act" 2>&1 ||
		not_ok "request round trip: act $rt_id $*" "$(cat "$T/rt-act")"
}
rt_act 2026-01-07T10:00 3 approve
rt_act 2026-01-08T10:00 3 dispatch
rt_act 2026-01-07T11:00 4 reject --text "广告"
rt_act 2026-01-05T10:00 1 dispatch --department ZJJ
rt_act 2026-02-02T09:00 1 return --text "不属于本单位"
rt_act 2026-02-03T09:00 1 dispatch --department ZRJ
rt_act 2026-02-04T09:00 1 accept --role department --department ZRJ
rt_act 2026-02-10T09:00 1 answer --text "已办理"
rt_act 2026-02-11T09:00 1 followup --resolved 0 --satisfaction dissatisfied --text "未解决"
rt_act 2026-03-02T09:00 1 reopen --text "居民不满意"
rt_act 2026-03-03T09:00 1 answer --text "已再次办理
第二行"
rt_act 2026-03-04T09:00 1 reopen --text "仍未解决"
rt_act 2026-04-01T09:00 1 answer --text "第三次"
rt_act 2026-04-02T09:00 1 followup --resolved 1 --satisfaction basic
rt_act 2026-01-06T11:00 2 dispatch
rt_act 2026-01-06T12:00 2 answer --text "已修复"
rt_act 2026-01-08T12:00 5 dispatch
rt_act 2026-02-01T12:00 5 duplicate --duplicate-of 1
rt_act 2026-01-10T09:00 6 dispatch
rt_act 2026-02-20T09:00 6 supervise --role leader --text "超期督办"
rt_act 2026-02-21T09:00 6 note --text "已电话联系\\物业"
rt_act 2026-01-10T09:00 7 duplicate --duplicate-of 2
$CIVSTAT request export --db "$RT" >"$T/rt-out1.csv" 2>&1
check "request round trip: every request imports again" 0 "已导入诉求 8 件" -- \
	$CIVSTAT request import "$T/rt-out1.csv" --db "$RT2"
$CIVSTAT request export --db "$RT2" >"$T/rt-out2.csv" 2>&1
same_file "request round trip: exported again, the same file" "$T/rt-out1.csv" "$T/rt-out2.csv"
# rt_same NAME ARGS...: the command prints the same in both cities.
rt_same() {
	rt_name=$1
	shift
	$CIVSTAT "$@" --db "$RT" --now 2026-04-10 >"$T/rt-a" 2>&1
	$CIVSTAT "$@" --db "$RT2" --now 2026-04-10 >"$T/rt-b" 2>&1
	if cmp -s "$T/rt-a" "$T/rt-b" && [ -s "$T/rt-a" ]; then
		ok "request round trip: $rt_name"
	else
		not_ok "request round trip: $rt_name" "$(diff "$T/rt-a" "$T/rt-b" | head -5)"
	fi
}
for s in held received dispatched in_progress answered closed; do
	rt_same "the $s ones" request list --state $s
done
rt_same "the rates" request stats --from 2026-01 --to 2026-04
rt_same "the rates by department" request stats --from 2026-01 --to 2026-04 --by department
rt_same "the open count by month" request stats --from 2026-01 --to 2026-04 --by month
check "request round trip: the reopens are kept" 0 "A1,certificate.*,0,\"2026-01-05 10:00 dispatch ZJJ$" -- \
	cat "$T/rt-out1.csv"
check "request round trip: the held one is still held" 0 "^A8,.*,1,$" -- \
	cat "$T/rt-out1.csv"
check "request round trip: the timeline, reasons kept" 0 "重办 *已关闭 → 已派单  import：居民不满意" -- \
	$CIVSTAT request show 1 --db "$RT2"

# A hand-edited file that says two things, or a bad step, is refused.
printf '%s\n' "$RH,steps" \
	'S1,water,停水,某街,,,,,,,,hotline,2026-03-01 10:00,ZJJ,2026-03-01 12:00,,,,,,,,1,2026-03-01 11:00 dispatch ZJJ' \
	>"$T/rt-two.csv"
check "request import: steps and a column that disagree" 65 \
	'rt-two.csv:2: column "dispatched": "2026-03-01 12:00" is not what the steps give' -- \
	$CIVSTAT request import "$T/rt-two.csv" --db "$RT2"
RH="$RH,contact_email,client,token,held,steps"
request_refuse "a step the state forbids" \
	'rst.csv:2: column "steps": step 1: request 0 is received (已受理): accept is not a step' \
	rst.csv 'X1,water,停水,某街,,,,,,,,hotline,2026-03-01 10:00,,,,,,,,,,1,,,,0,"2026-03-01 11:00 accept"'
