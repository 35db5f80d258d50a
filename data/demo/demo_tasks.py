"""The demo city's task lists (任务清单), written by make_demo.py into
data/demo/tasks/: task_lists.csv, tasks.csv, milestones.csv, reports.csv and
README.md, in the formats of docs/formats.md ("Task lists").

Every task is a sentence of the seed (shared/seed/000_c76068c0fa3bff33.txt),
quoted with its line in `source`.  The seed gives the task and, where it has
one, its measurable target (15 条街路, 12 个 小树林 ...); it gives no owner,
leader, deadline, milestone or progress.  Those are sample data: every task
is marked sample=1 (its owner, deadline and status are made up, consistent
with one another), and every progress report too.  The seed's "今年" is the
start of 2023; the lists are placed in 2026, the demo's current year, and
say so (the lists are sample=1 as well).

Python 3 standard library only; deterministic (no clock, no randomness).
"""

import os

SEED_LINK = "shared/seed/000_c76068c0fa3bff33.txt"

LISTS = [
    # code, year, name, kind, source, sample
    ("2026-LWLB", 2026, "2026年六稳六保任务清单", "六稳六保",
     "seed:L119: 制定落实年度“六稳”“六保”工作任务清单 (the year 2026 is the demo's)", 1),
    ("2026-MSSS", 2026, "2026年民生实事", "民生实事",
     "seed:L45, L49, L149, L151 (grouped as 民生实事 by the demo)", 1),
]

# list, code, title (quoted), department, leader, deadline, target, unit,
# status, done_on, seed line, quoted phrase (checked against the line)
TASKS = [
    ("2026-LWLB", "2026-LWLB-01", "制定落实年度“六稳”“六保”工作任务清单",
     "FGW", "常务副市长", "2026-03-31", "", "", "已完成", "2026-03-20", 119,
     "制定落实年度“六稳”“六保”工作任务清单"),
    ("2026-LWLB", "2026-LWLB-02", "全面完成“十四五”规划各年度任务指标",
     "FGW", "常务副市长", "2026-12-31", "", "", "推进中", "", 119,
     "全面完成“十四五”规划各年度任务指标"),
    ("2026-LWLB", "2026-LWLB-03",
     "对标对表省突出高质量发展25项工作实绩考核指标任务，调整全市绩效考核体系",
     "TJJ", "常务副市长", "2026-06-30", "25", "项", "推进中", "", 119,
     "对标对表省突出高质量发展25项工作实绩考核指标任务"),
    ("2026-LWLB", "2026-LWLB-04",
     "实施芯片级高端半导体石英坩埚等“揭榜挂帅”科技攻关项目20个",
     "KJJ", "分管科技副市长", "2026-12-31", "20", "个", "推进中", "", 33,
     "“揭榜挂帅”科技攻关项目20个"),
    ("2026-LWLB", "2026-LWLB-05", "引进创新创业“带土移植”人才团队20个",
     "KJJ", "分管科技副市长", "2026-12-31", "20", "个", "推进中", "", 33,
     "“带土移植”人才团队20个"),
    ("2026-MSSS", "2026-MSSS-01", "完成科技西路等15条街路改扩建工程",
     "ZJJ", "分管城建副市长", "2026-10-31", "15", "条街路", "推进中", "", 49,
     "完成科技西路等15条街路改扩建工程"),
    ("2026-MSSS", "2026-MSSS-02", "建成城市小树林12个",
     "CGJ", "分管城建副市长", "2026-09-30", "12", "个", "已完成", "2026-09-25",
     49, "建成城市小树林12个"),
    ("2026-MSSS", "2026-MSSS-03", "建成口袋公园5个",
     "CGJ", "分管城建副市长", "2026-09-30", "5", "个", "已完成", "2026-10-15",
     49, "口袋公园5个"),
    ("2026-MSSS", "2026-MSSS-04", "新增绿化面积10公顷",
     "CGJ", "分管城建副市长", "2026-11-30", "10", "公顷", "推进中", "", 49,
     "新增绿化面积10公顷"),
    ("2026-MSSS", "2026-MSSS-05", "确保小凌河广州街大桥竣工通车",
     "ZJJ", "分管城建副市长", "2026-10-31", "", "", "已销号", "2026-10-28",
     49, "确保小凌河广州街大桥竣工通车"),
    ("2026-MSSS", "2026-MSSS-06",
     "开工建设锦州实验学校（初中）分校、松山新区实验小学分校和锦州中学图书实验楼",
     "JYJ", "分管教育副市长", "2026-08-31", "3", "个", "已完成", "2026-08-20",
     45, "开工建设锦州实验学校（初中）分校、松山新区实验小学分校和锦州中学图书实验楼"),
    ("2026-MSSS", "2026-MSSS-07", "全覆盖开展“拆围、清污、覆绿”行动",
     "CGJ", "分管城建副市长", "2026-12-31", "", "", "推进中", "", 49,
     "全覆盖开展“拆围、清污、覆绿”行动"),
    ("2026-MSSS", "2026-MSSS-08",
     "用好群众“急难愁盼”问题清单，动态清零“回迁难”“办证难”、交通拥堵、居民供暖、物业管理等问题",
     "ZJJ", "市长", "2026-12-31", "", "", "推进中", "", 149,
     "用好群众“急难愁盼”问题清单"),
    ("2026-MSSS", "2026-MSSS-09", "职业教育在校学生超过10万人",
     "JYJ", "分管教育副市长", "2026-12-31", "10", "万人", "未开始", "", 151,
     "职业教育在校学生超过10万人"),
]

# task, seq, name, due, done_on (all sample)
MILESTONES = [
    ("2026-LWLB-03", 1, "调整全市绩效考核体系", "2026-04-30", "2026-04-25"),
    ("2026-LWLB-03", 2, "25项指标逐项对标、建立月调度", "2026-06-30", ""),
    ("2026-MSSS-01", 1, "完成设计和招标", "2026-04-30", "2026-04-28"),
    ("2026-MSSS-01", 2, "15条街路全部开工", "2026-06-30", "2026-07-10"),
    ("2026-MSSS-01", 3, "全部完工通车", "2026-10-31", ""),
    ("2026-MSSS-02", 1, "选址和设计", "2026-04-15", "2026-04-10"),
    ("2026-MSSS-02", 2, "栽植完成", "2026-09-30", "2026-09-25"),
    ("2026-MSSS-04", 1, "春季补植", "2026-05-31", "2026-05-30"),
    ("2026-MSSS-04", 2, "秋季补植", "2026-10-31", ""),
]

# task, day, text, achieved, actor (all sample)
REPORTS = [
    ("2026-LWLB-03", "2026-05-31", "已完成绩效考核体系调整，18项指标完成对标", "18", "TJJ"),
    ("2026-LWLB-04", "2026-06-30", "已发布榜单，揭榜项目签约12个", "12", "KJJ"),
    ("2026-LWLB-05", "2026-06-30", "已引进人才团队9个", "9", "KJJ"),
    ("2026-MSSS-01", "2026-06-30", "完成设计招标，开工8条", "0", "ZJJ"),
    ("2026-MSSS-01", "2026-08-31", "15条全部开工，完工6条", "6", "ZJJ"),
    ("2026-MSSS-01", "2026-10-31", "完工13条，2条受管线迁改影响延后", "13", "ZJJ"),
    ("2026-MSSS-02", "2026-09-25", "12个城市小树林全部建成", "12", "CGJ"),
    ("2026-MSSS-03", "2026-10-15", "5个口袋公园全部建成", "5", "CGJ"),
    ("2026-MSSS-04", "2026-10-31", "新增绿化面积8.5公顷", "8.5", "CGJ"),
    ("2026-MSSS-06", "2026-08-20", "三个项目全部开工", "3", "JYJ"),
]


def check_seed(path):
    """Every quoted phrase is on the seed line its task cites."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for t in TASKS:
        line, phrase = t[10], t[11]
        assert phrase in lines[line - 1], (t[1], line, phrase)


def write(out, _write):
    """Writes the task files into out/tasks with make_demo's write_csv
    (path, header, rows -> rows, bytes); returns (name, rows, bytes)."""
    d = os.path.join(out, "tasks")
    os.makedirs(d, exist_ok=True)
    counts = []
    counts.append(("tasks/task_lists.csv",) + _write(
        os.path.join(d, "task_lists.csv"),
        ["code", "year", "name", "kind", "source", "sample"], LISTS))
    counts.append(("tasks/tasks.csv",) + _write(
        os.path.join(d, "tasks.csv"),
        ["list", "code", "title", "department", "leader", "deadline", "target",
         "unit", "status", "done_on", "source", "sample"],
        [t[:10] + ("seed:L%d: %s" % (t[10], t[11]), 1) for t in TASKS]))
    counts.append(("tasks/milestones.csv",) + _write(
        os.path.join(d, "milestones.csv"),
        ["task", "seq", "name", "due", "done_on"], MILESTONES))
    counts.append(("tasks/reports.csv",) + _write(
        os.path.join(d, "reports.csv"),
        ["task", "day", "text", "achieved", "actor", "sample"],
        [r + (1,) for r in REPORTS]))
    rows = "\n".join("| %s | %s | L%d | %s | %s |" % (
        t[1], t[2], t[10], (t[6] + " " + t[7]).strip() or "—", t[3]) for t in TASKS)
    readme = README % {"seed": SEED_LINK, "rows": rows}
    with open(os.path.join(d, "README.md"), "wb") as f:
        f.write(readme.encode("utf-8"))
    return counts


README = """# The demo city's task lists (任务清单)

Written by `data/demo/make_demo.py` (its module `demo_tasks.py`); loaded by
`civstat init --demo data/demo` after the city's figures, and by `make run`.
Formats: docs/formats.md, "Task lists".

Each task below is a sentence of the seed (`%(seed)s`), quoted in the task's
`source` with its line.  The seed gives the task and, where it has one, the
measurable target.  **Everything else is sample data** (`sample` 1): the
owner department, the lead leader (a title, never a person), the deadline,
the milestones, the status and every progress report are made up for the
demo, consistent with one another.  The seed's "今年" is the start of 2023;
the demo places the lists in 2026, its current year.

| code | task (quoted) | seed line | target | owner (sample) |
|---|---|---|---|---|
%(rows)s

On 2026-11-29 (`civstat task list --period 2026-11-29`) the sample data
shows each rule at work: 2026-LWLB-03 and 2026-MSSS-01 are 滞后 (past their
deadline, a milestone overdue), 2026-MSSS-03 was finished after its deadline
(it lowers 市城市管理综合行政执法局's on-time rate), 2026-MSSS-05 is 已销号.
"""
