"""The demo city's key-project pipeline (项目为王), for make_demo.py.

Writes projects/projects.csv, plans.csv, milestones.csv, reports.csv,
programmes.csv and communities.csv under the demo directory; civstat init
--demo loads them with `civstat project import`.  Every project named in
the seed is here with the seed's line in `source`; its quoted figures
(total investment, phase) are kept as quoted.  What the seed does not say
(yearly plans, monthly reports, milestones, dates, the communities'
names and sizes) is sample data, `sample` 1, never presented as real.
"""
import os
import random

# code, name, cluster, type, area, department, total (亿元 or ""), phase,
# seed line, what the line says, planned start (sample when set)
SEED_PROJECTS = [
    ("JZ-XM-001", "国电投40万千瓦风电项目", "new_energy", "industry", "210781", "FGW", 23, "在建",
     59, "国电投资23亿元的40万千瓦风电项目现场……工人们正加紧施工", ""),
    ("JZ-XM-002", "龙宇新材料及配套项目", "new_materials", "industry", "JZ-KFQ", "GXJ", "", "竣工",
     79, "华润锦州电力、龙宇新材料……等项目竣工", ""),
    ("JZ-XM-003", "兵器集团北方能源基地", "fine_chem", "industry", "210781", "FGW", 50, "签约",
     59, "凌海市与兵器集团签署总投资50亿元的北方能源基地建设项", ""),
    ("JZ-XM-004", "港航服务中心", "corridor", "infrastructure", "JZ-KFQ", "JZG", 10, "开工",
     65, "推动总投资10亿元的港航服务中心项目开工建设", ""),
    ("JZ-XM-005", "锦州港30万吨航道改扩建工程", "corridor", "infrastructure", "JZ-KFQ", "JZG", "", "在建",
     93, "锦州港30万吨航道改扩建工程加快建设", ""),
    ("JZ-XM-006", "30万吨钛白粉项目", "fine_chem", "industry", "JZ-KFQ", "GXJ", "", "签约",
     41, "推动30万吨钛白粉、新能源电池材料、北新材料胎基布等一批重点项目开工建设", "2025-04-01"),
    ("JZ-XM-007", "锦州石化年产40万吨针状焦装置", "new_materials", "industry", "210711", "GXJ", "", "谋划",
     59, "年产40万吨针状焦装置即将上马建设", ""),
    ("JZ-XM-008", "高天铁路扩能改造", "corridor", "infrastructure", "210700", "JTJ", "", "在建",
     93, "高天铁路扩能改造有序推进", ""),
    ("JZ-XM-009", "锦州盘锦两港连接路", "corridor", "infrastructure", "210781", "JTJ", "", "开工",
     93, "锦州盘锦两港连接路开工建设", ""),
    ("JZ-XM-010", "浩业集团锦联长输管道", "corridor", "infrastructure", "210781", "FGW", "", "竣工",
     93, "浩业集团锦联长输管道贯通试运行", ""),
    ("JZ-XM-011", "锦州港30万吨级油品码头", "corridor", "infrastructure", "JZ-KFQ", "JZG", "", "谋划",
     61, "启动30万吨级油品码头、20万吨级矿石码头等项目建设", "2025-05-01"),
    ("JZ-XM-012", "锦州港20万吨级矿石码头", "corridor", "infrastructure", "JZ-KFQ", "JZG", "", "谋划",
     61, "启动30万吨级油品码头、20万吨级矿石码头等项目建设", ""),
    ("JZ-XM-013", "中信锦州钛业6万吨钛白粉项目", "fine_chem", "industry", "JZ-KFQ", "GXJ", "", "竣工",
     79, "中信锦州钛业6万吨钛白粉等项目竣工", ""),
    ("JZ-XM-014", "华润锦州电力项目", "new_energy", "industry", "210781", "FGW", "", "竣工",
     79, "华润锦州电力、龙宇新材料……等项目竣工", ""),
    ("JZ-XM-015", "锦州大宗商品交易中心", "services", "industry", "JZ-KFQ", "SWJ", "", "投产",
     59, "锦州港与深圳前海联合交易中心合资设立锦州大宗商品交易中心，首单业务已正式挂牌交易", ""),
    ("JZ-XM-016", "新能源电池材料项目", "new_energy", "industry", "JZ-KFQ", "GXJ", "", "签约",
     41, "推动30万吨钛白粉、新能源电池材料、北新材料胎基布等一批重点项目开工建设", ""),
    ("JZ-XM-017", "北新材料胎基布项目", "new_materials", "industry", "JZ-KFQ", "GXJ", "", "签约",
     41, "推动30万吨钛白粉、新能源电池材料、北新材料胎基布等一批重点项目开工建设", ""),
    # 城市建设 (seed L49)
    ("JZ-CJ-001", "小凌河广州街大桥", "urban", "infrastructure", "210703", "ZJJ", "", "在建",
     49, "确保小凌河广州街大桥竣工通车", ""),
    ("JZ-CJ-002", "女儿河福州街大桥", "urban", "infrastructure", "210711", "ZJJ", "", "开工",
     49, "新建女儿河福州街大桥", ""),
    ("JZ-CJ-003", "城市外环路", "urban", "infrastructure", "210700", "ZJJ", "", "在建",
     49, "推进城市外环路建设", ""),
    ("JZ-CJ-004", "滨大线公路", "urban", "infrastructure", "210711", "JTJ", "", "在建",
     49, "加快滨大线公路、百股河滨河路、二道河滨河路工程建设", ""),
    ("JZ-CJ-005", "百股河滨河路", "urban", "infrastructure", "210702", "ZJJ", "", "在建",
     49, "加快滨大线公路、百股河滨河路、二道河滨河路工程建设", ""),
    ("JZ-CJ-006", "二道河滨河路", "urban", "infrastructure", "210703", "ZJJ", "", "在建",
     49, "加快滨大线公路、百股河滨河路、二道河滨河路工程建设", ""),
    ("JZ-CJ-007", "科技西路等15条街路改扩建工程", "urban", "infrastructure", "210700", "ZJJ", "", "在建",
     49, "完成科技西路等15条街路改扩建工程", ""),
    ("JZ-CJ-008", "西安街市场改造", "urban", "livelihood", "210702", "SWJ", "", "在建",
     49, "加快西安街市场改造", ""),
    ("JZ-CJ-009", "薛地块城市花园酒店", "services", "industry", "210703", "SWJ", "", "签约",
     49, "开工建设薛地块城市花园酒店、万达广场东地块城市商务楼宇", "2025-03-01"),
    ("JZ-CJ-010", "万达广场东地块城市商务楼宇", "services", "industry", "210711", "SWJ", "", "签约",
     49, "开工建设薛地块城市花园酒店、万达广场东地块城市商务楼宇", ""),
    ("JZ-CJ-011", "小凌河体育公园", "urban", "livelihood", "210703", "ZJJ", "", "在建",
     49, "推进小凌河体育公园建设", ""),
    # 社会事业 (seed L45, L47)
    ("JZ-MS-001", "锦州实验学校（初中）分校", "livelihood", "livelihood", "210711", "JYJ", "", "开工",
     45, "开工建设锦州实验学校（初中）分校、松山新区实验小学分校和锦州中学图书实验楼", ""),
    ("JZ-MS-002", "松山新区实验小学分校", "livelihood", "livelihood", "JZ-SSXQ", "JYJ", "", "开工",
     45, "开工建设锦州实验学校（初中）分校、松山新区实验小学分校和锦州中学图书实验楼", ""),
    ("JZ-MS-003", "锦州中学图书实验楼", "livelihood", "livelihood", "210702", "JYJ", "", "开工",
     45, "开工建设锦州实验学校（初中）分校、松山新区实验小学分校和锦州中学图书实验楼", ""),
    ("JZ-MS-004", "锦州师专、锦州医科大学新校区", "livelihood", "livelihood", "JZ-SSXQ", "JYJ", "", "在建",
     45, "加快锦州师专、锦州医科大学新校区及辽宁铁道职业技术学院凌海校区建设", ""),
    ("JZ-MS-005", "辽宁铁道职业技术学院凌海校区", "livelihood", "livelihood", "210781", "JYJ", "", "在建",
     45, "加快锦州师专、锦州医科大学新校区及辽宁铁道职业技术学院凌海校区建设", ""),
    ("JZ-MS-006", "市妇婴医院改扩建工程", "livelihood", "livelihood", "210702", "WJW", "", "开工",
     47, "启动市妇婴医院改扩建工程", ""),
    ("JZ-MS-007", "市中心医院新门诊大楼", "livelihood", "livelihood", "210702", "WJW", "", "投产",
     47, "启用市中心医院新门诊大楼", ""),
    # 揭榜挂帅 (seed L33): one of the twenty, named
    ("JZ-KJ-001", "芯片级高端半导体石英坩埚（揭榜挂帅）", "new_materials", "technology", "JZ-GXQ", "KJJ", "", "在建",
     33, "实施芯片级高端半导体石英坩埚等“揭榜挂帅”科技攻关项目20个", ""),
]

BUILDING = ("开工", "在建")


def write_projects(out, fai_month, write_csv):
    """Writes the pipeline's files into out/projects with make_demo's
    write_csv(path, header, rows).  fai_month(area, y, m)
    gives the sample FAI figure of an area and month: a project's monthly
    report is kept well below it, so that 重点项目完成投资 stays a part of
    固定资产投资 (the check civstat runs with part_of)."""
    rnd = random.Random(20250930)
    d = os.path.join(out, "projects")
    os.makedirs(d, exist_ok=True)
    projects, plans, milestones, reports = [], [], [], []
    for (code, name, cluster, ptype, area, dept, total, phase, line, quote,
         start) in SEED_PROJECTS:
        sample = 1 if start else 0
        src = "seed:L%d: %s" % (line, quote)
        if start:
            src += "; 计划开工日期为样例"
        projects.append([code, name, cluster, ptype, area, dept, total, phase,
                         start, "", "", "", src, sample])
        if phase not in BUILDING:
            continue
        # A 2025 plan and the reports of January to September: sample.
        plan = round(rnd.uniform(1.0, 4.0) if total == "" else total * 0.3, 2)
        plans.append([code, 2025, plan, 1])
        pace = rnd.choice([0.55, 0.8, 1.0, 1.1])   # some behind, some ahead
        for m in range(1, 10):
            if rnd.random() < 0.15:
                continue                            # a month without work
            v = plan / 12 * pace * rnd.uniform(0.7, 1.3)
            cap = fai_month(area, 2025, m) * 0.3 if area != "210700" else v
            v = round(min(v, cap), 2)
            reports.append([code, "2025-%02d" % m, v, "", 1])
        due = "2025-%02d-%02d" % (rnd.randint(5, 11), rnd.randint(1, 28))
        done = "" if rnd.random() < 0.5 else due
        milestones.append([code, "主体工程完成" if ptype != "industry" else "设备安装完成",
                           due, done, 1])
    n = []
    n.append(("projects/projects.csv",) + write_csv(os.path.join(d, "projects.csv"),
             ["code", "name", "cluster", "type", "area", "department", "total",
              "phase", "planned_start", "address", "lon", "lat", "source", "sample"],
             projects))
    n.append(("projects/plans.csv",) + write_csv(os.path.join(d, "plans.csv"),
             ["project", "year", "amount", "sample"], plans))
    n.append(("projects/milestones.csv",) + write_csv(os.path.join(d, "milestones.csv"),
             ["project", "milestone", "due", "done", "sample"], milestones))
    n.append(("projects/reports.csv",) + write_csv(os.path.join(d, "reports.csv"),
             ["project", "period", "investment", "progress", "sample"], reports))
    # 老旧小区改造: the 十四五 plan as quoted (seed L25), and the 56
    # communities of the year, 190万平方米 (seed L97), with sample names
    # and sizes that add up to the quoted area.
    prog = [["OLD-COMM-14", "“十四五”老旧小区改造", 2021, 2025, 566, 5693, 212336, "",
             "seed:L25: 力争完成566个老旧小区5693栋居民楼212336户居民的改造任务"
             "（面积按原文521667.6万平方米，疑为笔误，不录）", 0]]
    n.append(("projects/programmes.csv",) + write_csv(os.path.join(d, "programmes.csv"),
             ["code", "name", "first_year", "last_year", "communities", "buildings",
              "households", "floor_area", "source", "sample"], prog))
    areas = ["210702", "210703", "210711", "210726", "210727", "210781", "210782"]
    weights = [rnd.uniform(0.5, 1.5) for _ in range(56)]
    scale = 190.0 / sum(weights)
    comms, acc = [], 0.0
    for k in range(56):
        area = round(weights[k] * scale, 2) if k < 55 else round(190.0 - acc, 2)
        acc += area
        comms.append(["OLD-COMM-14", "2022年改造小区%02d（样例）" % (k + 1), areas[k % 7],
                      rnd.randint(4, 30), rnd.randint(150, 1200), area,
                      "2022-%02d-%02d" % (rnd.randint(4, 6), rnd.randint(1, 28)),
                      "2022-%02d-%02d" % (rnd.randint(9, 11), rnd.randint(1, 28)), 100, 1])
    n.append(("projects/communities.csv",) + write_csv(os.path.join(d, "communities.csv"),
             ["programme", "community", "area", "buildings", "households", "floor_area",
              "started", "finished", "progress", "sample"], comms))
    return n


def readme_section():
    """The demo README's part on the pipeline: each project with its seed
    line and what of it is sample data."""
    out = ["", "## Key projects → projects/", "",
           "Loaded by `civstat init --demo` through `civstat project import`.",
           "Each project the seed names, with the line it comes from; its name,",
           "total investment (where quoted) and phase are as the seed says. The",
           "cluster, area and department of a project the seed does not place are",
           "our reading. Sample data (`sample` 1): the 2025 plans, the monthly",
           "reports 2025-01 to 2025-09, the milestones, the planned start dates",
           "(and with them the project's row), the 56 communities' names, sizes",
           "and dates (their number and 190 万平方米 are quoted, seed L97), and the",
           "PROJ_INV (重点项目完成投资) figures the reports feed.", "",
           "| code | project | total 亿元 | phase | seed |", "|---|---|---|---|---|"]
    for (code, name, _c, _t, _a, _d, total, phase, line, quote, start) in SEED_PROJECTS:
        out.append("| %s | %s | %s | %s | L%d: %s%s |" % (
            code, name, total, phase, line, quote, " (planned start: sample)" if start else ""))
    out += ["", "The programme OLD-COMM-14 “十四五”老旧小区改造 is quoted (seed L25): 566",
            "communities, 5,693 buildings, 212,336 households, 2021–2025; its floor",
            "area as printed (521667.6 万平方米) is not stored: it cannot be right.", ""]
    return "\n".join(out)
