# civstat service: the demo's catalogue (data/demo/services.csv) imported
# after its departments, listed and exported byte for byte; bad files
# refused naming file, line and column, exit 65, the database unchanged.
S=$T/service.db
SC=$TOP/data/demo/services.csv
check "service: a new database" 0 "created" -- $CIVSTAT init --db "$S"
check "service import: a department it does not know" 65 \
	'services.csv:2: column "department": "ZRJ" is not a department' -- \
	$CIVSTAT service import "$SC" --db "$S"
check "service: the departments first" 0 "" -- \
	$CIVSTAT import "$TOP/data/demo/departments.csv" --db "$S"
check "service import: the demo's catalogue" 0 "已导入服务类别 15 个" -- \
	$CIVSTAT service import "$SC" --db "$S"
check "service list: 供暖 answers in 24 hours" 0 \
	"heating *供暖 *Heating *城市管理 *ZJJ *0 *1 *24 *公开 *seed:L56" -- \
	$CIVSTAT service list --db "$S"
check "service list: 信访转办 is internal" 0 "petition .*内部 *sample" -- \
	$CIVSTAT service list --db "$S"
check "service list: JSON in English" 0 '"code": *"heating"' -- \
	$CIVSTAT service list --format json --lang en --db "$S"
$CIVSTAT service export --db "$S" >"$T/services.csv" 2>&1
same_file "service export: the file imported, byte for byte" "$SC" "$T/services.csv"

# service_refuse NAME PATTERN FILE TEXT: see refuse_import in run.sh.
H='code,name,department,dispatch_days,answer_days,answer_hours,public'
service_refuse() { refuse_import service "$S" "$@"; }
service_refuse "a code with capitals" 'code.csv:3: column "code": "Heat" is not a code' \
	code.csv "$H\nwater,供水,CGJ,1,5,0,1\nHeat,供暖,ZJJ,0,1,24,1\n"
service_refuse "an empty name" 'name.csv:2: column "name": is empty' \
	name.csv "$H\nwater,,CGJ,1,5,0,1\n"
service_refuse "a deadline not a number" 'days.csv:2: column "answer_days": "five" is not 0 to 365' \
	days.csv "$H\nwater,供水,CGJ,1,five,0,1\n"
service_refuse "no deadline to answer" 'none.csv:2: column "answer_days": no deadline to answer' \
	none.csv "$H\nwater,供水,CGJ,1,0,0,1\n"
service_refuse "public neither 0 nor 1" 'pub.csv:2: column "public": "yes" is not 0 or 1' \
	pub.csv "$H\nwater,供水,CGJ,1,5,0,yes\n"
service_refuse "a code twice" 'twice.csv:3: column "code": water is given twice' \
	twice.csv "$H\nwater,供水,CGJ,1,5,0,1\nwater,供水,CGJ,1,5,0,1\n"
service_refuse "a column missing" 'miss.csv:1: column "department" is missing' \
	miss.csv 'code,name,dispatch_days,answer_days\nwater,供水,1,5\n'
printf "$H\nnewone,新类别,CGJ,1,5,0,1\n" >"$T/good.csv"
check "service import: a good file then a bad one" 65 'code.csv:3' -- \
	$CIVSTAT service import "$T/good.csv" "$T/code.csv" --db "$S"
check "service import: nothing of the good file stays" 0 "" -- \
	sh -c "! $CIVSTAT service list --db '$S' | grep -q newone"
unchanged "service import --dry-run stores nothing" "$S" -- \
	$CIVSTAT service import "$T/good.csv" --dry-run --db "$S"
check "service: list takes no FILE" 64 "list and export take no FILE" -- \
	$CIVSTAT service list x.csv --db "$S"
check "init --demo: the catalogue" 0 "service catalogue: 15 services" -- \
	$CIVSTAT init --db "$T/service-demo.db" --demo "$TOP/data/demo"
