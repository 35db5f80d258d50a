# civstat task: the demo city's task lists, what is overdue on a given
# day, the on-time rate, a progress report, a status change, a 督办 note
# and its answer; bad input refused with the file, line and column named
# and the database unchanged; the export imports again into a fresh city.
K=$T/task.db
D=2026-11-29
check "task: the demo city with its task lists" 0 "task lists: 2 lists, 14 tasks, 9 milestones, 10 reports" -- \
	$CIVSTAT init --db "$K" --demo "$TOP/data/demo"
check "task list: a late task is 滞后 with why" 0 "2026-MSSS-01 .*滞后 *超期, 节点逾期" -- \
	$CIVSTAT task list --db "$K" --period $D
check "task list: one milestone overdue makes it late" 0 "2026-MSSS-04 .*滞后 *节点逾期" -- \
	$CIVSTAT task list --db "$K" --period $D
check "task list: before the deadline it is not late" 0 "2026-MSSS-01 .*推进中" -- \
	$CIVSTAT task list --db "$K" --period 2026-06-01
check "task list: one department's own" 0 "2026-MSSS-02" -- \
	$CIVSTAT task list --db "$K" --period $D --department CGJ
check "task list --department: no one else's" 1 "" -- \
	sh -c "$CIVSTAT task list --db '$K' --period $D --department CGJ | grep -v '^清单' | grep -q 2026-MSSS-01"
check "task summary: on-time rate per department, numerator and denominator" 0 \
	"市城市管理综合行政执法局 *4 *0 *1 *2 *1 *0 *2 *1 *50.0" -- \
	$CIVSTAT task summary --db "$K" --period $D --kind department
check "task summary: per list" 0 "2026年民生实事 *9" -- \
	$CIVSTAT task summary --db "$K" --period $D
check "task summary: CSV for programs" 0 "^group,tasks,not_started" -- \
	$CIVSTAT task summary --db "$K" --period $D --format csv
check "task show: milestones, reports, the sample mark" 0 "sample data, not real" -- \
	$CIVSTAT task show 2026-MSSS-01 --db "$K" --period $D

# Writes by the owner, the leader and the supervision office.
check "task report by the owner" 0 "report #11 recorded" -- \
	$CIVSTAT task report 2026-MSSS-01 "完工15条" --value 15 --db "$K" --period 2026-11-20 --department ZJJ
check "task report by another department is refused" 77 "not your department's" -- \
	$CIVSTAT task report 2026-MSSS-01 "x" --db "$K" --period 2026-11-20 --department CGJ
check "task status: done" 0 "2026-MSSS-01: 已完成" -- \
	$CIVSTAT task status 2026-MSSS-01 已完成 --db "$K" --period 2026-11-20 --department ZJJ
check "task status: 已销号 by a clerk is refused" 77 "only a leader" -- \
	$CIVSTAT task status 2026-MSSS-01 已销号 --db "$K" --period 2026-11-21 --department ZJJ
check "task status: 已销号 by a leader" 0 "已销号" -- \
	$CIVSTAT task status 2026-MSSS-01 已销号 --db "$K" --period 2026-11-21 --role leader
check "audit: a status change keeps the task before and after" 0 \
	'task.status,task/2026-MSSS-01,.*""status"":""done"".*""status"":""closed""' -- \
	$CIVSTAT audit list --db "$K" --limit 1 --format csv
check "task report: none after 已销号" 75 "takes no report after 2026-11-20" -- \
	$CIVSTAT task report 2026-MSSS-01 "x" --db "$K" --period 2026-11-22 --department ZJJ
check "task status: nothing leaves 已销号" 75 "cannot go from 已销号 to 推进中" -- \
	$CIVSTAT task status 2026-MSSS-01 推进中 --db "$K" --period 2026-11-22 --role leader
check "task status: 滞后 is never typed" 65 "never set" -- \
	$CIVSTAT task status 2026-MSSS-04 滞后 --db "$K" --period 2026-11-22
check "task note by the supervision office" 0 "note #1, answer by 2026-11-25" -- \
	$CIVSTAT task note 2026-MSSS-04 "秋季补植为何逾期？" 2026-11-25 --db "$K" --period 2026-11-20 --role leader
check "task note by a clerk is refused" 77 "only a leader" -- \
	$CIVSTAT task note 2026-MSSS-04 "x" 2026-11-25 --db "$K" --period 2026-11-20 --department CGJ
check "task summary: the unanswered note is overdue" 0 "市城市管理综合行政执法局 .* 1 *1$" -- \
	$CIVSTAT task summary --db "$K" --period $D --kind department
check "task answer by the owner" 0 "note #1 answered" -- \
	$CIVSTAT task answer 1 "苗木调运延误，12月5日前完成" --db "$K" --period $D --department CGJ
check "task answer twice is refused" 75 "answered already" -- \
	$CIVSTAT task answer 1 "again" --db "$K" --period $D --department CGJ
check "task show: the note and its answer" 0 "答复 $D .*苗木调运延误" -- \
	$CIVSTAT task show 2026-MSSS-04 --db "$K" --period $D
# The 督办 notes as CSV: exported with their answers, imported again
# harmlessly, a new note and a later answer taken from a file.
check "task export --kind notes: the note and its answer" 0 \
	"^2026-MSSS-04,1,[^,]*,2026-11-20,2026-11-25,秋季补植为何逾期？,[^,]*,$D,苗木调运延误" -- \
	$CIVSTAT task export --kind notes --db "$K"
$CIVSTAT task export --kind notes --db "$K" --out "$T/notes.csv"
unchanged "task import: the notes' export again changes nothing" "$K" -- \
	$CIVSTAT task import "$T/notes.csv" --db "$K"
printf '%s\n' '任务编号,督办人,督办日期,答复期限,督办意见' \
	'2026-MSSS-02,督查室,2026-11-21,2026-12-05,小树林进度请说明' >"$T/n_new.csv"
check "task import: a 督办 note (Chinese columns)" 0 "1 notes" -- \
	$CIVSTAT task import "$T/n_new.csv" --db "$K"
printf '%s\n' 'task,id,author,day,due,text,answered_by,answered_on,answer' \
	'2026-MSSS-02,2,督查室,2026-11-21,2026-12-05,小树林进度请说明,CGJ,2026-11-28,已建成10个' >"$T/n_ans.csv"
check "task import: its answer, by the note's id" 0 "1 notes" -- \
	$CIVSTAT task import "$T/n_ans.csv" --db "$K"
check "task show: the imported note's answer" 0 "已建成10个" -- \
	$CIVSTAT task show 2026-MSSS-02 --db "$K" --period $D
# Bad input: refused with the place named, the database unchanged.
# task_refuse NAME EXIT PATTERN ARG...: civstat task ARG... on $K.
task_refuse() {
	tn=$1 tx=$2 tp=$3
	shift 3
	unchanged "$tn: database unchanged" "$K" -- $CIVSTAT task "$@" --db "$K"
	check "$tn" "$tx" "$tp" -- $CIVSTAT task "$@" --db "$K"
}
NH=task,id,author,day,due,text,answered_by,answered_on,answer
printf '%s\n' $NH '2026-MSSS-02,,督查室,2026-11-21,2026-12-05,x,CGJ,2026-11-20,早答' >"$T/n_early.csv"
task_refuse "task import: a note answered before it was written" 65 \
	'n_early.csv:2: column "answered_on": 2026-11-20 is before the note' import "$T/n_early.csv"
printf '%s\n' $NH '2026-MSSS-99,,督查室,2026-11-21,2026-12-05,x,,,' >"$T/n_task.csv"
task_refuse "task import: a note on no task" 65 'n_task.csv:2: column "task": "2026-MSSS-99" is not a task' \
	import "$T/n_task.csv"
printf '%s\n' $NH '2026-MSSS-04,1,督查室,2026-11-20,2026-11-25,改写的意见,,,' >"$T/n_rewrite.csv"
task_refuse "task import: a note is never rewritten" 65 'n_rewrite.csv:2: column "text": note 1 says otherwise' \
	import "$T/n_rewrite.csv"
printf '%s\n' $NH '2026-MSSS-02,,督查室,2026-11-22,2026-12-05,y,CGJ,,答了' >"$T/n_noday.csv"
task_refuse "task import: an answer without its day" 65 'n_noday.csv:2: column "answered_on": an answer needs' \
	import "$T/n_noday.csv"
printf '%s\n' '任务编号,督办人,督办日期,答复期限,督办意见' '2026-MSSS-02,督查室,2026-11-22,2026-02-30,z' >"$T/n_due.csv"
task_refuse "task import: a due day that does not exist (Chinese column)" 65 \
	'n_due.csv:2: column "答复期限": "2026-02-30" is not a day' import "$T/n_due.csv"
printf '%s\n' $NH '2026-MSSS-02,x1,督查室,2026-11-22,2026-12-05,z,,,' >"$T/n_id.csv"
task_refuse "task import: a note id that is no number" 65 'n_id.csv:2: column "id": "x1" is not' \
	import "$T/n_id.csv"
check "audit: the task writes are in the chain" 0 "the chain holds" -- \
	$CIVSTAT audit verify --db "$K"

# More bad input below: refused with the place named, the database unchanged.
TH=list,code,title,department,deadline,target,unit
printf '%s\n' "$TH" '2026-MSSS,2026-MSSS-90,新任务,ZJJ,2026-02-30,1,个' >"$T/t_day.csv"
task_refuse "task import: a deadline that is no day" 65 \
	't_day.csv:2: column "deadline": "2026-02-30" is not a day' import "$T/t_day.csv"
printf '%s\n' "$TH" '2026-MSSS,2026-MSSS-90,新任务,ZJJ,2026-12-31,-3,个' >"$T/t_neg.csv"
task_refuse "task import: a negative target" 65 't_neg.csv:2: column "target": -3 is negative' \
	import "$T/t_neg.csv"
printf '%s\n' "$TH" '2026-MSSS,2026-MSSS-90,新任务,NOPE,2026-12-31,3,个' >"$T/t_dept.csv"
task_refuse "task import: an unknown department" 65 't_dept.csv:2: column "department": "NOPE" is not' \
	import "$T/t_dept.csv"
printf '%s\n' "清单代码,任务编号,任务内容,完成时限,状态" '2026-MSSS,2026-MSSS-90,新任务,2026-12-31,滞后' >"$T/t_late.csv"
task_refuse "task import (Chinese columns): 滞后 is never typed" 65 't_late.csv:2: column "状态": 滞后' \
	import "$T/t_late.csv"
# A good file first, then a bad one: neither is kept.
printf '%s\n' "$TH" '2026-MSSS,2026-MSSS-91,好任务,ZJJ,2026-12-31,1,个' >"$T/t_good.csv"
printf '%s\n' "task,seq,name,due" '2026-MSSS-91,1,开工,2026-13-01' >"$T/t_ms.csv"
task_refuse "task import: all or nothing over files" 65 't_ms.csv:2: column "due": "2026-13-01" is not a day' \
	import "$T/t_good.csv" "$T/t_ms.csv"
check "task import: the good file's task was not kept" 66 'is not a task' -- \
	$CIVSTAT task show 2026-MSSS-91 --db "$K"
printf '%s\n' "task,day,text" '2026-MSSS-99,2026-06-01,x' >"$T/t_rep.csv"
task_refuse "task import: a report on no task" 65 't_rep.csv:2: column "task": "2026-MSSS-99" is not a task' \
	import "$T/t_rep.csv"
printf '%s\n' "task,day,text,acheived" '2026-MSSS-01,2026-06-01,x,3' >"$T/t_col.csv"
task_refuse "task import: a misspelt column" 65 't_col.csv:1:4: unknown column "acheived"' import "$T/t_col.csv"
printf '%s\n' "what,ever" '1,2' >"$T/t_head.csv"
task_refuse "task import: a header of no kind" 65 't_head.csv:1: the header is not' import "$T/t_head.csv"
task_refuse "task note: a due day in the past" 65 'before today' \
	note 2026-MSSS-04 "x" 2026-11-01 --period 2026-11-20 --role leader
task_refuse "task: --period must be a day" 64 '"2026-11" is not a day' list --period 2026-11
task_refuse "task: an unknown subcommand" 64 'import|export' frobnicate
check "task import --dry-run stores nothing" 0 "checked, nothing stored" -- \
	$CIVSTAT task import --dry-run "$T/t_good.csv" --db "$K"
check "task import --dry-run: not kept" 66 'is not a task' -- \
	$CIVSTAT task show 2026-MSSS-91 --db "$K"

# Export and import again: a fresh city holds the same lists.
K2=$T/task2.db
check "task: a fresh city for the round trip" 0 "figures:" -- \
	$CIVSTAT init --db "$K2" --demo "$TOP/data/demo"
for k in lists tasks milestones reports notes; do
	check "task export --kind $k" 0 "" -- $CIVSTAT task export --kind $k --db "$K" --out "$T/rt_$k.csv"
done
K3=$T/task3.db
$CIVSTAT init --db "$K3" >/dev/null 2>&1
$CIVSTAT import --db "$K3" "$TOP/data/demo/departments.csv" >/dev/null 2>&1
check "task import: the export imports into an empty city" 0 "2 lists, 14 tasks, 9 milestones, 11 reports, 2 notes" -- \
	$CIVSTAT task import "$T/rt_notes.csv" "$T/rt_lists.csv" "$T/rt_tasks.csv" "$T/rt_milestones.csv" "$T/rt_reports.csv" --db "$K3"
for k in lists tasks milestones reports notes; do
	$CIVSTAT task export --kind $k --db "$K3" --out "$T/rt3_$k.csv"
	if cmp -s "$T/rt_$k.csv" "$T/rt3_$k.csv"; then ok "task export: $k the same after the round trip"
	else not_ok "task export: $k the same after the round trip" "$(diff "$T/rt_$k.csv" "$T/rt3_$k.csv" | head -5)"; fi
done
