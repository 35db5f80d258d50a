# The key-project pipeline (civstat project): import of projects, plans,
# milestones and reports; list, show, summary; a month's report and a
# phase change; the feed into 重点项目完成投资; and bad input (an unknown
# cluster, negative investment, a future month, a phase going back
# without a reason), each a clear error that leaves the database as it
# was.
P=$T/proj.db
D="--db $P --today 2025-10-08"
# The demo city without its pipeline: the figures' files alone.
mkdir -p "$T/city"
cp "$TOP"/data/demo/*.csv "$T/city/"
check "project: a city" 0 "" -- $CIVSTAT init --db "$P" --demo "$T/city"
printf '%s\n' 'code,name,cluster,type,area,department,total,phase,planned_start' \
	'T1,测试风电,新能源,industry,210781,FGW,23,在建,2025-03-01' \
	'T2,测试钛白粉,fine_chem,industry,JZ-KFQ,GXJ,30,签约,2025-06-01' >"$T/p.csv"
printf '%s\n' '项目代码,年度,计划投资(亿元)' 'T1,2025,12' 'T2,2025,8' >"$T/plan.csv"
printf '%s\n' 'project,milestone,due,done' 'T1,风机吊装,2025-08-31,' >"$T/ms.csv"
printf '%s\n' 'project,period,investment,progress' 'T1,2025-03,2,10' 'T1,2025年9月,1.5,60' \
	'T2,2025-09,0.5,' >"$T/rep.csv"
check "project import: four files, any order" 0 "导入完成：项目 2，年度计划 2，节点 1，月报 3" -- \
	$CIVSTAT project import $D "$T/rep.csv" "$T/ms.csv" "$T/plan.csv" "$T/p.csv"
check "project list: 2025年1-9月, behind and overdue" 0 "T1 *测试风电 *新能源 *凌海市 *在建 *23.00 *12.00 *3.50 *29.2 *投资滞后 节点逾期 *2025年1-9月" -- \
	$CIVSTAT project list $D
check "project list: late to start" 0 "T2 .*签约 .*应开未开" -- $CIVSTAT project list $D
check "project summary by cluster" 0 "^total *合计 *2 " -- $CIVSTAT project summary $D --format table
check "project summary by area, csv" 0 "^210781,凌海市,1,23,12,3.5," -- $CIVSTAT project summary $D --by area --format csv
check "project show" 0 "月报 2025年9月 完成投资 1.50 亿元 形象进度 60%" -- $CIVSTAT project show $D T1
check "project export reports" 0 "^T1,2025-09,1.5,60,,0" -- $CIVSTAT project export $D --kind reports
# The open formats: an OC4IDS package (docs/formats.md) and a workbook.
check "project export oc4ids: the project" 0 '"id": "oc4ids-jz-T1"' -- $CIVSTAT project export $D --format oc4ids
check "project export oc4ids: 签约 is preparation" 0 '"status": "preparation"' -- $CIVSTAT project export $D --format oc4ids
check "project export oc4ids: 23 亿元 in yuan" 0 '"amount": 2300000000,' -- $CIVSTAT project export $D --format oc4ids
check "project export oc4ids: 3.5 of 23 done by September" 0 '"measure": "15.22"' -- $CIVSTAT project export $D --format oc4ids
check "project export oc4ids --area: only 凌海市's" 0 '"locality": "凌海市"' -- $CIVSTAT project export $D --format oc4ids --area 210781
check "project export xlsx" 0 "" -- $CIVSTAT project export $D --format xlsx --out "$T/p.xlsx"
check "project export xlsx: the reports' sheet" 0 'name="月报"' -- unzip -p "$T/p.xlsx" xl/workbook.xml
check "project export xlsx: the total's sum" 0 '<f>SUM(I2:I3)</f><v>53</v>' -- unzip -p "$T/p.xlsx" xl/worksheets/sheet1.xml
check "project report: a month" 0 "已记录" -- $CIVSTAT project report $D T1 --period 2025-08 --investment 2.5
check "project report: counted" 0 "T1 .* 6.00 " -- $CIVSTAT project list $D
# One source per fact: the reports are the figures of 重点项目完成投资.
check "project feed: the area's figure" 0 "^210781 *凌海市 *PROJ_INV .* 6.00 " -- \
	$CIVSTAT progress --db "$P" --indicator PROJ_INV --area 210781 --period 2025-09
check "project feed: the city's figure" 0 "^210700 *锦州市 *PROJ_INV .* 6.50 " -- \
	$CIVSTAT progress --db "$P" --indicator PROJ_INV --period 2025-09
check "project feed: the figure's history" 0 "set PROJ_INV 210781 2025-08 .*2.50" -- \
	$CIVSTAT history --db "$P" --indicator PROJ_INV --area 210781 --period 2025-08
check "project phase: forward" 0 "阶段改为竣工" -- $CIVSTAT project phase $D T1 --phase 竣工 --date 2025-09-30
check "project show: the phase history" 0 "阶段 在建→竣工 2025-09-30" -- $CIVSTAT project show $D T1

# Bad input: a clear error, nothing changed.
bad() {
	bn=$1 bx=$2 bp=$3
	shift 3
	unchanged "$bn: database unchanged" "$P" -- "$@"
	check "$bn" "$bx" "$bp" -- "$@"
}
bad "project export: an unknown format" 64 "is not table, csv or json (project export: also oc4ids or xlsx)" \
	$CIVSTAT project export $D --format pdf
bad "project list --format xlsx: only for export" 64 "only for project export" \
	$CIVSTAT project list $D --format xlsx
printf '%s\n' 'code,name,cluster,area' 'T3,坏集群,钢铁,210781' >"$T/badc.csv"
bad "project import: an unknown cluster" 65 "badc.csv:2: column \"cluster\": unknown cluster \"钢铁\"" \
	$CIVSTAT project import $D "$T/badc.csv"
printf '%s\n' 'code,name,cluster,area,budget' 'T3,未知列,新能源,210781,1' >"$T/badcol.csv"
bad "project import: an unknown column" 65 "badcol.csv:1:5: unknown column \"budget\"" \
	$CIVSTAT project import $D "$T/badcol.csv"
printf '%s\n' 'project,period,investment' 'T1,2025-07,1' 'T1,2025-06,-2' >"$T/badneg.csv"
bad "project import: negative investment, the good row not kept" 65 "badneg.csv:3: column \"investment\": \"-2\" is not an amount" \
	$CIVSTAT project import $D "$T/badneg.csv"
printf '%s\n' 'project,period,investment' 'T1,2025-11,1' >"$T/badfut.csv"
bad "project import: a future month" 65 "badfut.csv:2: column \"period\": 2025-11 has not come yet" \
	$CIVSTAT project import $D "$T/badfut.csv"
printf '%s\n' 'project,period,investment' 'NOPE,2025-08,1' >"$T/badp.csv"
bad "project import: an unknown project" 66 "badp.csv:2: column \"project\": unknown project \"NOPE\"" \
	$CIVSTAT project import $D "$T/badp.csv"
bad "project report: negative investment" 65 "investment -1 is not an amount" \
	$CIVSTAT project report $D T1 --period 2025-08 --investment -1
bad "project report: a future month" 65 "the month has not come yet" \
	$CIVSTAT project report $D T1 --period 2025-12 --investment 1
bad "project phase: back without a reason" 65 "going back from 竣工 to 在建 needs a reason" \
	$CIVSTAT project phase $D T1 --phase 在建 --date 2025-10-01
# PROJ_INV is the projects' reports summed: typed by hand it is refused.
printf '%s\n' 'indicator,area,period,value' 'RETAIL,210781,2025-09,1' 'PROJ_INV,210781,2025-09,99' >"$T/badinv.csv"
bad "import: PROJ_INV typed by hand" 65 "badinv.csv:3:1: column \"indicator\": PROJ_INV 由重点项目月报自动汇总，不能直接填报" \
	$CIVSTAT import --db "$P" "$T/badinv.csv"
bad "set: PROJ_INV typed by hand" 65 "不能直接填报" \
	$CIVSTAT set --db "$P" --indicator PROJ_INV --area 210781 --period 2025-09 --value 99
check "project feed: PROJ_INV as the reports left it" 0 "^210781 *凌海市 *PROJ_INV .* 6.00 " -- \
	$CIVSTAT progress --db "$P" --indicator PROJ_INV --area 210781 --period 2025-09
check "project phase: back with a reason" 0 "阶段改为在建" -- \
	$CIVSTAT project phase $D T1 --phase 在建 --date 2025-10-01 --reason 验收未通过
check "project: the audit chain holds" 0 "the chain holds" -- $CIVSTAT audit verify --db "$P"
