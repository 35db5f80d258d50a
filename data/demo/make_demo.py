#!/usr/bin/env python3
"""Builds civstat's demo city, Jinzhou (锦州), from the seed report.

    python3 data/demo/make_demo.py [--out DIR] [--check-seed SEEDFILE]

Writes areas.csv, departments.csv, indicators.csv, values.csv, targets.csv,
benchmarks.csv and README.md into DIR (default: the directory of this
script), in the formats of docs/formats.md: UTF-8 without a BOM, LF line
ends, a header row with the English column names.

Figures quoted from the seed (shared/seed/000_c76068c0fa3bff33.txt) are
written with sample=0 and a `seed:L<line>: <phrase>` comment; everything else
is sample data (sample=1), generated deterministically from a fixed random
seed (no wall clock, no environment).  With --check-seed the script also
verifies that every quoted phrase and number is on the seed line it cites.

Python 3 standard library only.
"""

import argparse
import csv
import io
import math
import os
import random
import sys

RNG_SEED = 20230119  # 1月19日: the day of the seed's heating scene
RNG = random.Random(RNG_SEED)

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2021, 2025, 9  # series: 2021-01 .. 2025-09
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
QUOTE_YEAR = 2022      # 发展脚步 reviews 2018 onward as of the start of 2023
THIS_YEAR = 2023       # the seed's "今年"
PLAN_YEAR = 2025       # 十四五 ends 2025
CITY = "210700"


def uni(a, b):
    return a + (b - a) * RNG.random()


def gauss(mu, sd):
    # Box-Muller on random() only, so the stream is the same on every Python 3.
    u1 = RNG.random() or 1e-12
    u2 = RNG.random()
    return mu + sd * math.sqrt(-2.0 * math.log(u1)) * math.cos(2 * math.pi * u2)


def fmt(v, d):
    """Fixed d decimals, then trailing zeros (and a bare point) removed."""
    s = "%.*f" % (d, v)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "-0":
        s = "0"
    return s


def apportion(total, weights):
    """Splits the integer total over weights (largest remainder), exactly."""
    s = float(sum(weights))
    if total == 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(math.floor(r)) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def in_range(y, m):
    return (y, m) <= (LAST_YEAR, LAST_MONTH)


# ---------------------------------------------------------------- areas
AREAS = [
    # code, name, name_en, parent, kind
    (CITY, "锦州市", "Jinzhou", "", "admin"),
    ("210702", "古塔区", "Guta District", CITY, "admin"),
    ("210703", "凌河区", "Linghe District", CITY, "admin"),
    ("210711", "太和区", "Taihe District", CITY, "admin"),
    ("210726", "黑山县", "Heishan County", CITY, "admin"),
    ("210727", "义县", "Yi County", CITY, "admin"),
    ("210781", "凌海市", "Linghai City", CITY, "admin"),
    ("210782", "北镇市", "Beizhen City", CITY, "admin"),
    ("JZ-KFQ", "锦州经济技术开发区", "Jinzhou Economic and Technological Development Zone", CITY, "zone"),
    ("JZ-SSXQ", "松山新区", "Songshan New District", CITY, "zone"),
    ("JZ-GXQ", "锦州高新技术产业开发区", "Jinzhou High-tech Industrial Development Zone", CITY, "zone"),
    ("JZ-LH-ZJJD", "紫荆街道", "Zijing Subdistrict", "210703", "admin"),
]
COUNTY = [a[0] for a in AREAS[1:11]]          # the ten county-level units
ADMIN7 = COUNTY[:7]                            # districts, counties, county-level cities
AREA_NAME = {a[0]: a[1] for a in AREAS}

# ---------------------------------------------------------------- departments
DEPARTMENTS = [
    ("FGW", "市发展和改革委员会", "Municipal Development and Reform Commission"),
    ("TJJ", "市统计局", "Municipal Bureau of Statistics"),
    ("GXJ", "市工业和信息化局", "Municipal Bureau of Industry and Information Technology"),
    ("CZJ", "市财政局", "Municipal Finance Bureau"),
    ("SWJ", "市商务局", "Municipal Bureau of Commerce"),
    ("ZJJ", "市住房和城乡建设局", "Municipal Bureau of Housing and Urban-Rural Development"),
    ("RSJ", "市人力资源和社会保障局", "Municipal Bureau of Human Resources and Social Security"),
    ("STJ", "市生态环境局", "Municipal Bureau of Ecology and Environment"),
    ("JTJ", "市交通运输局", "Municipal Transport Bureau"),
    ("JZG", "锦州港", "Jinzhou Port"),
    ("YSJ", "市营商环境建设局（市政务服务中心）", "Municipal Business Environment Bureau (Government Service Center)"),
    ("KJJ", "市科学技术局", "Municipal Science and Technology Bureau"),
    ("NYJ", "市农业农村局", "Municipal Bureau of Agriculture and Rural Affairs"),
    ("MZJ", "市民政局", "Municipal Civil Affairs Bureau"),
    ("JYJ", "市教育局", "Municipal Education Bureau"),
    ("WJW", "市卫生健康委员会", "Municipal Health Commission"),
    ("ZRJ", "市自然资源局", "Municipal Natural Resources Bureau"),
    ("CGJ", "市城市管理综合行政执法局", "Municipal Urban Management and Law Enforcement Bureau"),
    ("SJJ", "市审计局", "Municipal Audit Bureau"),
    ("GZW", "市人民政府国有资产监督管理委员会", "Municipal State-owned Assets Supervision and Administration Commission"),
    ("SCJ", "市市场监督管理局", "Municipal Administration for Market Regulation"),
]

# ---------------------------------------------------------------- indicators
# Fields: code, name, name_en, unit, pillar, frequency, time_agg, area_agg,
# direction, department, source, formula, decimals, weight.
IND = []
IND_BY = {}


def ind(code, name, name_en, unit, pillar, freq, tagg, aagg, dept, source,
        decimals, weight=None, direction="up", formula="", areas=None):
    if aagg == "none":
        areas = [CITY]
    elif areas is None:
        areas = list(COUNTY)
    assert "," not in name + name_en + unit, code   # no quoting needed in the CSV
    d = dict(code=code, name=name, name_en=name_en, unit=unit, pillar=pillar,
             frequency=freq, time_agg=tagg, area_agg=aagg, direction=direction,
             department=dept, source=source, formula=formula, decimals=decimals,
             weight=weight, areas=areas)
    assert code not in IND_BY, code
    IND.append(d)
    IND_BY[code] = d
    return d


S, V, E = "stable", "vital", "excellent"
SMP = "sample"

# --- 稳 stable: the economic base, jobs, incomes, livelihoods
ind("GDP", "地区生产总值", "Gross regional product", "亿元", S, "quarter", "sum", "sum", "TJJ", SMP, 2, 6)
ind("IND_VA_G", "规模以上工业增加值增速", "Growth of value added of industry above designated size (cumulative y/y)", "%", S, "month", "last", "none", "GXJ", SMP, 1, 5)
ind("FAI", "固定资产投资", "Fixed-asset investment", "亿元", S, "month", "sum", "sum", "FGW", SMP, 2, 6)
ind("RETAIL", "社会消费品零售总额", "Retail sales of consumer goods", "亿元", S, "month", "sum", "sum", "SWJ", SMP, 2, 4)
ind("GPBR", "一般公共预算收入", "General public budget revenue", "亿元", S, "month", "sum", "sum", "CZJ", SMP, 2, 5)
ind("URBAN_JOBS", "城镇新增就业", "New urban jobs", "万人", S, "month", "sum", "sum", "RSJ", SMP, 2, 4)
ind("UNEMP", "城镇登记失业率", "Registered urban unemployment rate", "%", S, "month", "last", "none", "RSJ", "seed:L97", 2, 3, direction="down")
ind("INC_URB", "城镇常住居民人均可支配收入", "Per-capita disposable income of urban residents", "元", S, "quarter", "sum", "none", "TJJ", SMP, 0, 3)
ind("INC_RUR", "农村常住居民人均可支配收入", "Per-capita disposable income of rural residents", "元", S, "quarter", "sum", "none", "TJJ", SMP, 0, 3)
ind("OLD_COMM_START", "老旧小区改造开工", "Old residential communities: renovation started", "个", S, "month", "sum", "sum", "ZJJ", "seed:L25", 0, 4, areas=ADMIN7)
ind("OLD_COMM_AREA", "老旧小区改造开工面积", "Old residential communities: floor area of renovation started", "万平方米", S, "month", "sum", "sum", "ZJJ", "seed:L25", 2, areas=ADMIN7)
ind("OLD_COMM_BLDG", "老旧小区改造居民楼", "Old residential communities: residential buildings renovated", "栋", S, "year", "sum", "sum", "ZJJ", "seed:L25", 0, areas=ADMIN7)
ind("OLD_COMM_HH", "老旧小区改造惠及居民户数", "Old residential communities: households covered", "户", S, "year", "sum", "sum", "ZJJ", "seed:L25", 0, areas=ADMIN7)
ind("GDP_AVG_G", "地区生产总值年均增长（2018年以来）", "GRP average annual growth since 2018", "%", S, "year", "last", "none", "TJJ", "seed:L71", 1)
ind("GPBR_AVG_G", "一般公共预算收入年均增长（2018年以来）", "General public budget revenue average annual growth since 2018", "%", S, "year", "last", "none", "CZJ", "seed:L71", 1)
ind("FAI_CUM", "固定资产投资累计完成额（2018年以来）", "Fixed-asset investment cumulative since 2018", "亿元", S, "year", "last", "none", "FGW", "seed:L71", 0)
ind("INC_URB_AVG_G", "城镇居民收入年均增长（2018年以来）", "Urban residents' income average annual growth since 2018", "%", S, "year", "last", "none", "TJJ", "seed:L71", 1)
ind("INC_RUR_AVG_G", "农村居民收入年均增长（2018年以来）", "Rural residents' income average annual growth since 2018", "%", S, "year", "last", "none", "TJJ", "seed:L71", 1)
ind("URBAN_JOBS_Y", "城镇新增就业（年度）", "New urban jobs (annual figure)", "万人", S, "year", "sum", "none", "RSJ", "seed:L97", 2)
ind("WAGE_SUBSIDY", "发放稳岗资金", "Job-retention subsidies paid", "万元", S, "year", "sum", "none", "RSJ", "seed:L97", 0)
ind("WAGE_SUB_ENT", "稳岗资金惠及企业", "Enterprises receiving job-retention subsidies", "家", S, "year", "sum", "none", "RSJ", "seed:L97", 0)
ind("JOBS_STABILIZED", "稳定岗位", "Jobs stabilised by the subsidies", "万个", S, "year", "sum", "none", "RSJ", "seed:L97", 1)
ind("ELDER_CENTER", "城乡社区养老服务中心", "Community elderly-care service centres", "个", S, "year", "last", "none", "MZJ", "seed:L97", 0)
ind("ELDER_STATION", "社区养老服务站", "Community elderly-care service stations", "个", S, "year", "last", "none", "MZJ", "seed:L97", 0)
ind("OLD_COMM_START_Y", "老旧小区改造开工（年度）", "Old communities: renovation started (annual figure)", "个", S, "year", "sum", "none", "ZJJ", "seed:L97", 0)
ind("OLD_COMM_AREA_Y", "老旧小区改造开工面积（年度）", "Old communities: floor area started (annual figure)", "万平方米", S, "year", "sum", "none", "ZJJ", "seed:L97", 1)
ind("WATER_PLANT", "新建净水厂实现供水", "New water-purification plants in supply", "个", S, "year", "sum", "none", "ZJJ", "seed:L97", 0)
ind("BUDGET_CUT", "压减预算支出", "Budget expenditure cut", "亿元", S, "year", "sum", "none", "CZJ", "seed:L101", 1)
# derived (stable)
ind("RETAIL_G", "社会消费品零售总额累计增速", "Retail sales cumulative y/y growth", "%", S, "month", "", "", "SWJ", "sample", 1,
    formula="(ytd(RETAIL) / ytd_prev_year(RETAIL) - 1) * 100")
ind("GDP_PC", "人均地区生产总值（累计）", "GRP per resident (year to date)", "元", S, "quarter", "", "", "TJJ", "sample", 0,
    formula="ytd(GDP) / 270.4 * 10000")

# --- 活 vital: openness, the port, projects, the business environment
ind("TRADE", "外贸进出口总额", "Foreign trade (imports and exports)", "亿元", V, "month", "sum", "sum", "SWJ", SMP, 2, 4)
ind("FDI", "实际利用外资", "Foreign direct investment actually used", "万美元", V, "month", "sum", "sum", "SWJ", SMP, 0, 3)
ind("CONTRACT_INV", "招商引资实际到位资金", "Investment attracted: funds actually in place", "亿元", V, "month", "sum", "sum", "SWJ", SMP, 2, 5)
ind("PROJ_NEW_START", "新开工亿元以上项目", "New projects of 100 million yuan or more started", "个", V, "month", "sum", "sum", "FGW", SMP, 0, 4)
ind("NEW_MARKET_ENT", "新登记市场主体", "Newly registered market entities", "户", V, "month", "sum", "sum", "SCJ", SMP, 0, 4)
ind("PORT_CARGO", "港口货物吞吐量", "Port cargo throughput", "万吨", V, "month", "sum", "none", "JZG", SMP, 1, 4)
ind("PORT_TEU", "集装箱吞吐量", "Port container throughput", "万标箱", V, "month", "sum", "none", "JZG", SMP, 2, 3)
ind("ONLINE_RATE", "依申请政务服务事项网上可办率", "Share of application-based government services available online", "%", V, "month", "last", "none", "YSJ", "seed:L75", 1, 3)
ind("APPROVAL_DAYS", "工程建设项目审批时限", "Approval time limit for construction projects", "工作日", V, "month", "last", "none", "YSJ", "seed:L75", 0, 3, direction="down")
ind("PORT_CARGO_Y", "港口货物吞吐量（年度）", "Port cargo throughput (annual figure)", "万吨", V, "year", "sum", "none", "JZG", "seed:L93", 0)
ind("PORT_TEU_Y", "集装箱吞吐量（年度）", "Port container throughput (annual figure)", "万标箱", V, "year", "sum", "none", "JZG", "seed:L93", 0)
ind("DELEGATED_ITEMS", "向乡镇（街道）下放权责类审批事项", "Approval powers delegated to townships and streets", "项", V, "year", "last", "none", "YSJ", "seed:L75", 0)
ind("NEARBY_ITEMS", "基层社区就近办理政务服务事项", "Government services handled nearby in communities", "项", V, "year", "last", "none", "YSJ", "seed:L75", 0)
ind("TOLERANCE_ITEMS", "容缺受理政务服务事项", "Services accepted with documents to follow (容缺受理)", "项", V, "year", "last", "none", "YSJ", "seed:L75", 0)
ind("PROMISE_ITEMS", "告知承诺政务服务事项", "Services approved on notification and commitment (告知承诺)", "项", V, "year", "last", "none", "YSJ", "seed:L75", 0)
ind("PROJ_SPECIAL", "专班谋划高质量发展项目（2018年以来累计）", "High-quality development projects planned by task forces (cumulative since 2018)", "个", V, "year", "last", "none", "FGW", "seed:L79", 0)
ind("PROJ_SPECIAL_INV", "专班谋划项目总投资（2018年以来累计）", "Total investment of the task-force projects (cumulative since 2018)", "亿元", V, "year", "last", "none", "FGW", "seed:L79", 0)
ind("CENTRAL_FUNDS", "争取中央预算内和债券资金", "Central budget and bond funds obtained", "亿元", V, "year", "sum", "none", "FGW", "seed:L79", 1)
ind("CENTRAL_FUNDS_PROJ", "中央预算内和债券资金支持项目", "Projects supported by central budget and bond funds", "个", V, "year", "sum", "none", "FGW", "seed:L79", 0)
ind("CHANNEL_PROJ", "东北陆海新通道重大项目（谋划）", "Major Northeast land-sea corridor projects in the pipeline", "个", V, "year", "last", "none", "JTJ", "seed:L93", 0)
ind("CHANNEL_PROJ_INV", "东北陆海新通道重大项目总投资", "Total investment of the corridor projects in the pipeline", "亿元", V, "year", "last", "none", "JTJ", "seed:L93", 0)
ind("ARREARS_PAID", "清理偿还拖欠企业账款", "Overdue payments to enterprises settled", "亿元", V, "year", "sum", "none", "GXJ", "seed:L101", 1)
ind("KJ_JBGS", "“揭榜挂帅”科技攻关项目", "Open-call (揭榜挂帅) key technology projects", "个", V, "year", "sum", "none", "KJJ", "seed:L33", 0)
ind("TALENT_TEAM", "引进“带土移植”人才团队", "Talent teams brought in with their projects (带土移植)", "个", V, "year", "sum", "none", "KJJ", "seed:L33", 0)
# derived (vital)
ind("PORT_CARGO_G", "港口货物吞吐量累计增速", "Port cargo throughput cumulative y/y growth", "%", V, "month", "", "", "JZG", "sample", 1,
    formula="(ytd(PORT_CARGO) / ytd_prev_year(PORT_CARGO) - 1) * 100")

# --- 优 excellent: industry upgrading, innovation, green, city quality
ind("FAI_IND", "工业投资", "Industrial investment", "亿元", E, "month", "sum", "sum", "GXJ", SMP, 2, 4)
ind("TECH_CONTRACT", "技术合同成交额", "Technology contract turnover", "亿元", E, "month", "sum", "sum", "KJJ", SMP, 2, 4)
ind("HIGHTECH_ENT", "高新技术企业", "High-tech enterprises (stock)", "家", E, "quarter", "last", "sum", "KJJ", SMP, 0, 5)
ind("G5_NEW", "新建5G基站", "New 5G base stations", "个", E, "month", "sum", "sum", "GXJ", "seed:L83", 0, 4)
ind("AIR_GOOD_DAYS", "空气质量优良天数", "Days of good or excellent air quality", "天", E, "month", "sum", "none", "STJ", "seed:L89", 0, 4)
ind("PM25", "细颗粒物（PM2.5）平均浓度", "PM2.5 mean concentration", "微克/立方米", E, "month", "avg", "avg", "STJ", SMP, 0, 3, direction="down", areas=ADMIN7)
ind("G5_NEW_Y", "新建5G基站（年度）", "New 5G base stations (annual figure)", "个", E, "year", "sum", "none", "GXJ", "seed:L83", 0)
ind("AIR_GOOD_DAYS_Y", "空气质量优良天数（年度）", "Days of good or excellent air quality (annual figure)", "天", E, "year", "sum", "none", "STJ", "seed:L89", 0)
ind("PROV_HQ_PROJ", "列入省高质量发展项目", "Projects listed as provincial high-quality development projects", "个", E, "year", "sum", "none", "FGW", "seed:L83", 0)
ind("LITTLE_GIANT", "获评国家和省级专精特新“小巨人”企业", "Enterprises rated national or provincial 'little giants' (专精特新)", "家", E, "year", "sum", "none", "GXJ", "seed:L83", 0)
ind("SRDI_SME", "获评省级专精特新中小企业", "Enterprises rated provincial specialised and innovative SMEs", "家", E, "year", "sum", "none", "GXJ", "seed:L83", 0)
ind("TECH_CENTER", "企业技术中心晋升省级中心", "Enterprise technology centres promoted to provincial level", "家", E, "year", "sum", "none", "GXJ", "seed:L83", 0)
ind("FIRST_SET", "省首台（套）重大技术装备产品", "Products recognised as provincial first-of-a-kind major equipment", "项", E, "year", "sum", "none", "GXJ", "seed:L83", 0)
ind("COAL_BOILER", "拆除主城区燃煤锅炉", "Coal-fired boilers removed in the main urban area", "台", E, "year", "sum", "none", "STJ", "seed:L87", 0)
ind("HEAT_PIPE", "改造老旧供热管网", "Old heating pipe network renovated", "公里", E, "year", "sum", "none", "ZJJ", "seed:L87", 1)
ind("SCATTERED_ENT", "整治“散乱污”企业", "'Scattered disorderly polluting' (散乱污) enterprises rectified", "家", E, "year", "sum", "none", "STJ", "seed:L87", 0)
ind("BIOMASS_STOVE", "散煤用户生物质炉具替代", "Loose-coal households switched to biomass stoves", "万户", E, "year", "sum", "none", "NYJ", "seed:L87", 1)
ind("RIVER_SECTIONS", "国考河流断面稳定达标", "National-assessment river sections meeting standard", "个", E, "year", "last", "none", "STJ", "seed:L89", 0)
ind("SOIL_SAFE_RATE", "受污染土地安全利用率", "Safe-use rate of contaminated land", "%", E, "year", "last", "none", "STJ", "seed:L89", 1)
ind("ENV_CASES", "查处通报环境违法典型案件", "Typical environmental violation cases investigated and published", "起", E, "year", "sum", "none", "STJ", "seed:L89", 0)
ind("NEEDLE_COKE_CAP", "油系针状焦产能", "Oil-based needle coke capacity", "万吨/年", E, "year", "last", "none", "GXJ", "seed:L59", 0)
ind("CLUSTER_100Y", "百亿级产业集群", "Industry clusters at the 10-billion-yuan level", "个", E, "year", "last", "none", "GXJ", "seed:L41", 0)
ind("ROAD_RENOV", "街路改扩建工程完成", "Streets rebuilt or widened", "条", E, "year", "sum", "none", "ZJJ", "seed:L49", 0)
ind("URBAN_GROVE", "建成城市小树林", "Urban groves completed", "个", E, "year", "sum", "none", "CGJ", "seed:L49", 0)
ind("POCKET_PARK", "建成口袋公园", "Pocket parks completed", "个", E, "year", "sum", "none", "CGJ", "seed:L49", 0)
ind("GREEN_AREA", "新增绿化面积", "New green area", "公顷", E, "year", "sum", "none", "CGJ", "seed:L49", 1)
ind("VOC_STUDENTS", "职业教育在校学生", "Students enrolled in vocational education", "万人", E, "year", "last", "none", "JYJ", "seed:L151", 1)
# derived (excellent)
ind("FAI_IND_SHARE", "工业投资占固定资产投资比重", "Industrial investment as a share of fixed-asset investment (YTD)", "%", E, "month", "", "", "GXJ", "sample", 1,
    formula="ytd(FAI_IND) / ytd(FAI) * 100")
# Fed by the key-project pipeline: each figure is the sum of the projects'
# monthly reports (projects/reports.csv, sample data), written by civstat
# project import; nobody types it, and values.csv holds none of it.  So
# it has no responsible department, whose clerks would find it in their
# entry grid: the projects' departments answer for the reports.
ind("PROJ_INV", "重点项目完成投资", "Investment completed by the key projects", "亿元", S, "month", "sum", "sum", "", "projects", 2)
# Fed by the residents' requests (docs/requests.md): rates civstat computes
# from the requests' tallies, by area and month; nobody types them either.
ind("REQ_RESOLVE", "群众诉求解决率", "Resolution rate of residents' requests", "%", S, "month", "last", "none", "", "requests", 1)
ind("REQ_SATISFY", "群众满意率", "Satisfaction rate of residents' requests", "%", S, "month", "last", "none", "", "requests", 1)
ind("REQ_ONTIME", "按时办结率", "Share of residents' requests answered on time", "%", S, "month", "last", "none", "", "requests", 1)

DERIVED = [d["code"] for d in IND if d["formula"]]
# The indicators with figures of their own in values.csv: not the derived
# ones, nor those the projects or the requests feed.
BASE = [d for d in IND if not d["formula"]
        and d["source"] not in ("projects", "requests")]

# ---------------------------------------------------------------- quoted figures
# (indicator, period, value as printed in the indicator's unit, line, phrase, printed number)
QUOTED_VALUES = [
    ("GDP_AVG_G", "2022", 3.8, 71, "地区生产总值年均增长3.8%", "3.8"),
    ("GPBR_AVG_G", "2022", 4.6, 71, "一般公共预算收入年均增长4.6%", "4.6"),
    ("FAI_CUM", "2022", 1446, 71, "累计完成固定资产投资1446亿元", "1446"),
    ("INC_URB_AVG_G", "2022", 5.4, 71, "城乡居民收入年均分别增长5.4%和7.1%", "5.4"),
    ("INC_RUR_AVG_G", "2022", 7.1, 71, "城乡居民收入年均分别增长5.4%和7.1%", "7.1"),
    ("DELEGATED_ITEMS", "2022", 306, 75, "向乡镇（街道）下放306项权责类审批事项", "306"),
    ("NEARBY_ITEMS", "2022", 130, 75, "130项基层社区就近办理", "130"),
    ("TOLERANCE_ITEMS", "2022", 613, 75, "613项容缺受理", "613"),
    ("PROMISE_ITEMS", "2022", 1123, 75, "1123项告知承诺", "1123"),
    ("ONLINE_RATE", "2022-12", 100, 75, "依申请政务服务事项网上可办率达100%", "100"),
    ("APPROVAL_DAYS", "2022-12", 60, 75, "工程建设项目审批时限压缩至60个工作日以内", "60"),
    ("PROJ_SPECIAL", "2022", 100, 79, "专班谋划高质量发展项目100个", "100"),
    ("PROJ_SPECIAL_INV", "2022", 2422, 79, "总投资达2422亿元", "2422"),
    ("CENTRAL_FUNDS", "2022", 21.7, 79, "争取中央预算内和债券资金21.7亿元", "21.7"),
    ("CENTRAL_FUNDS_PROJ", "2022", 68, 79, "支持项目68个", "68"),
    ("PROV_HQ_PROJ", "2022", 7, 83, "辽晶电子等企业的7个项目列入省高质量发展项目", "7"),
    ("LITTLE_GIANT", "2022", 14, 83, "拓新电力等14家企业获评国家和省级专精特新“小巨人”企业", "14"),
    ("SRDI_SME", "2022", 11, 83, "集信高温材料等11家企业获评省级专精特新中小企业", "11"),
    ("TECH_CENTER", "2022", 8, 83, "神工半导体等8家企业技术中心晋升省级中心", "8"),
    ("FIRST_SET", "2022", 3, 83, "莱茵动力驱动电机等3项产品被认定为省首台（套）重大技术装备产品", "3"),
    ("G5_NEW_Y", "2022", 1332, 83, "新建5G基站1332个", "1332"),
    ("COAL_BOILER", "2022", 8, 87, "拆除主城区燃煤锅炉8台", "8"),
    ("HEAT_PIPE", "2022", 88.9, 87, "改造老旧供热管网88.9公里", "88.9"),
    ("SCATTERED_ENT", "2022", 21, 87, "整治“散乱污”企业21家", "21"),
    ("BIOMASS_STOVE", "2022", 1.4, 87, "对1.4万散煤用户实施生物质炉具替代", "1.4"),
    ("AIR_GOOD_DAYS_Y", "2022", 300, 89, "空气质量优良天数首次突破300天", "300"),
    ("RIVER_SECTIONS", "2022", 9, 89, "9个国考河流断面稳定达标", "9"),
    ("SOIL_SAFE_RATE", "2022", 100, 89, "受污染土地安全利用率达100%", "100"),
    ("ENV_CASES", "2022", 215, 89, "查处通报环境违法典型案件215起", "215"),
    ("CHANNEL_PROJ", "2022", 54, 93, "谋划通道重大项目54个", "54"),
    ("CHANNEL_PROJ_INV", "2022", 547, 93, "总投资达547亿元", "547"),
    ("PORT_CARGO_Y", "2022", 10200, 93, "锦州港完成货物吞吐量1.02亿吨", "1.02"),
    ("PORT_TEU_Y", "2022", 173, 93, "集装箱吞吐量173万标箱", "173"),
    ("OLD_COMM_START_Y", "2022", 56, 97, "56个老旧小区190万平方米改造全部开工", "56"),
    ("OLD_COMM_AREA_Y", "2022", 190, 97, "56个老旧小区190万平方米改造全部开工", "190"),
    ("WATER_PLANT", "2022", 3, 97, "新建3个净水厂实现供水", "3"),
    ("URBAN_JOBS_Y", "2022", 1.84, 97, "城镇新增就业1.84万人", "1.84"),
    ("UNEMP", "2022-12", 4.65, 97, "城镇登记失业率控制在4.65%", "4.65"),
    ("WAGE_SUBSIDY", "2022", 2259, 97, "发放稳岗资金2259万元", "2259"),
    ("WAGE_SUB_ENT", "2022", 2591, 97, "惠及企业2591家", "2591"),
    ("JOBS_STABILIZED", "2022", 5.9, 97, "稳定岗位5.9万个", "5.9"),
    ("ELDER_CENTER", "2022", 30, 97, "城乡社区养老服务服务中心、社区养老服务站分别达30个、866个", "30"),
    ("ELDER_STATION", "2022", 866, 97, "城乡社区养老服务服务中心、社区养老服务站分别达30个、866个", "866"),
    ("ARREARS_PAID", "2022", 4.8, 101, "依法清理偿还拖欠企业账款4.8亿元", "4.8"),
    ("BUDGET_CUT", "2022", 12.7, 101, "压减预算支出12.7亿元", "12.7"),
    ("NEEDLE_COKE_CAP", "2022", 15, 59, "现有生产能力为年产15万吨", "15"),
]

# (indicator, year, kind, value, line, phrase, printed number) -- all at the city
QUOTED_TARGETS = [
    ("OLD_COMM_START", PLAN_YEAR, "plan", 566, 25, "力争完成566个老旧小区5693栋居民楼212336户居民521667.6万平方米的改造任务", "566"),
    ("OLD_COMM_BLDG", PLAN_YEAR, "plan", 5693, 25, "力争完成566个老旧小区5693栋居民楼212336户居民521667.6万平方米的改造任务", "5693"),
    ("OLD_COMM_HH", PLAN_YEAR, "plan", 212336, 25, "力争完成566个老旧小区5693栋居民楼212336户居民521667.6万平方米的改造任务", "212336"),
    ("OLD_COMM_AREA", PLAN_YEAR, "plan", 521667.6, 25, "力争完成566个老旧小区5693栋居民楼212336户居民521667.6万平方米的改造任务", "521667.6"),
    ("KJ_JBGS", THIS_YEAR, "annual", 20, 33, "实施芯片级高端半导体石英坩埚等“揭榜挂帅”科技攻关项目20个", "20"),
    ("TALENT_TEAM", THIS_YEAR, "annual", 20, 33, "引进创新创业“带土移植”人才团队20个", "20"),
    ("CLUSTER_100Y", THIS_YEAR, "annual", 6, 41, "农副产品精深加工6个百亿级产业集群", "6"),
    ("CHANNEL_PROJ_INV", THIS_YEAR, "annual", 1000, 41, "着力建设东北陆海新通道千亿元级项目集群", "千亿"),
    ("ROAD_RENOV", THIS_YEAR, "annual", 15, 49, "完成科技西路等15条街路改扩建工程", "15"),
    ("URBAN_GROVE", THIS_YEAR, "annual", 12, 49, "建成城市小树林12个", "12"),
    ("POCKET_PARK", THIS_YEAR, "annual", 5, 49, "口袋公园5个", "5"),
    ("GREEN_AREA", THIS_YEAR, "annual", 10, 49, "新增绿化面积10公顷", "10"),
    ("VOC_STUDENTS", PLAN_YEAR, "plan", 10, 151, "职业教育在校学生超过10万人", "10"),
]

# Figures of figures.md that are deliberately not placed, with the reason.
NOT_PLACED = [
    ("30万吨钛白粉", 41, "capacity of a project to be started (推动…开工建设); a project attribute with no target year, not an indicator figure"),
    ("年产40万吨针状焦装置", 59, "a unit 'about to be built' (即将上马建设) with no completion year; the existing 15万吨 is placed (NEEDLE_COKE_CAP), the 40万吨 belongs to the project record"),
    ("锦州港30万吨航道改扩建", 61, "vessel class (30万吨级) naming a project, not a quantity to achieve"),
    ("30万吨级油品码头, 20万吨级矿石码头", 61, "vessel classes naming projects, not quantities"),
    ("300米见绿，500米入园", 49, "a service-radius standard; no indicator in this demo measures park coverage"),
    ("主要经济指标增速高于全省平均水平和沿海6市平均水平", 105, "not a number: represented by the benchmark groups 全省平均 and 沿海6市平均 in benchmarks.csv"),
    ("省突出高质量发展25项工作实绩考核指标", 119, "not a target value: mirrored by the assessment set, 25 indicators with a weight (summing to 100)"),
]


def check_seed(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    bad = 0
    for q in QUOTED_VALUES:
        code, _, _, line, phrase, num = q
        text = lines[line - 1]
        if phrase not in text or num not in phrase:
            print("check-seed: %s: L%d does not hold %r" % (code, line, phrase), file=sys.stderr)
            bad += 1
    for q in QUOTED_TARGETS:
        code, _, _, _, line, phrase, num = q
        text = lines[line - 1]
        if phrase not in text or num not in phrase:
            print("check-seed: %s: L%d does not hold %r" % (code, line, phrase), file=sys.stderr)
            bad += 1
    for what, line, _ in NOT_PLACED:
        key = what.split(",")[0].split("，")[0]
        key = key.replace("年产", "").replace("锦州港", "")
        if key[:6] not in lines[line - 1]:
            print("check-seed: not-placed %r not on L%d" % (what, line), file=sys.stderr)
            bad += 1
    for d in IND:
        src = d["source"]
        if src.startswith("seed:L"):
            n = int(src[6:])
            if not lines[n - 1].strip():
                print("check-seed: %s cites empty line %d" % (d["code"], n), file=sys.stderr)
                bad += 1
    if bad:
        sys.exit("check-seed: %d problem(s)" % bad)
    print("check-seed: %d quoted values and %d quoted targets found on their lines"
          % (len(QUOTED_VALUES), len(QUOTED_TARGETS)))


# ---------------------------------------------------------------- series generation
# A series is a dict (area, year, sub) -> value in integer units of 10**-decimals
# where sub is the month (1..12), the quarter (1..4), or 0 for a year.
SERIES = {}
UNITS_DEC = {}   # code -> decimals of the stored units


def periods_of(freq):
    out = []
    for y in YEARS:
        if freq == "month":
            out += [(y, m) for m in range(1, 13) if in_range(y, m)]
        elif freq == "quarter":
            out += [(y, q) for q in range(1, 5) if in_range(y, q * 3)]
        else:
            if in_range(y, 12):
                out.append((y, 0))
    return out


def period_str(freq, y, s):
    if freq == "month":
        return "%d-%02d" % (y, s)
    if freq == "quarter":
        return "%d-Q%d" % (y, s)
    return "%d" % y


SEASON = {
    "fai":    [0.020, 0.030, 0.070, 0.090, 0.110, 0.125, 0.120, 0.120, 0.110, 0.095, 0.070, 0.040],
    "retail": [0.088, 0.080, 0.080, 0.078, 0.083, 0.082, 0.078, 0.080, 0.083, 0.090, 0.085, 0.093],
    "fiscal": [0.110, 0.060, 0.080, 0.090, 0.090, 0.080, 0.080, 0.070, 0.080, 0.080, 0.070, 0.110],
    "trade":  [0.080, 0.065, 0.085, 0.085, 0.085, 0.085, 0.085, 0.085, 0.085, 0.085, 0.085, 0.090],
    "lumpy":  [0.060, 0.060, 0.080, 0.080, 0.080, 0.100, 0.080, 0.080, 0.090, 0.080, 0.080, 0.130],
    "jobs":   [0.050, 0.060, 0.100, 0.100, 0.100, 0.100, 0.090, 0.090, 0.090, 0.080, 0.070, 0.070],
    "build":  [0.030, 0.030, 0.060, 0.080, 0.100, 0.110, 0.110, 0.110, 0.100, 0.100, 0.100, 0.070],
    "renov":  [0.000, 0.000, 0.080, 0.220, 0.250, 0.200, 0.120, 0.080, 0.050, 0.000, 0.000, 0.000],
    "starts": [0.020, 0.030, 0.120, 0.150, 0.140, 0.120, 0.100, 0.090, 0.090, 0.070, 0.040, 0.030],
    "market": [0.080, 0.055, 0.095, 0.090, 0.090, 0.088, 0.085, 0.085, 0.085, 0.080, 0.082, 0.085],
    "tech":   [0.040, 0.040, 0.060, 0.070, 0.070, 0.090, 0.070, 0.070, 0.090, 0.080, 0.100, 0.220],
    "port":   [0.076, 0.070, 0.082, 0.085, 0.088, 0.087, 0.085, 0.085, 0.085, 0.090, 0.085, 0.082],
    "gdpq":   [0.210, 0.240, 0.250, 0.300],
    "incu":   [0.265, 0.235, 0.245, 0.255],
    "incr":   [0.300, 0.200, 0.220, 0.280],
}

# shares of the ten county-level units:
#          古塔  凌河  太和  黑山  义县  凌海  北镇  开发区 松山  高新
SHARE = {
    "gdp":    [0.12, 0.14, 0.12, 0.11, 0.07, 0.14, 0.11, 0.12, 0.04, 0.03],
    "fai":    [0.06, 0.08, 0.09, 0.10, 0.07, 0.17, 0.10, 0.18, 0.08, 0.07],
    "retail": [0.22, 0.24, 0.14, 0.09, 0.05, 0.10, 0.09, 0.04, 0.02, 0.01],
    "fiscal": [0.10, 0.11, 0.09, 0.08, 0.05, 0.14, 0.09, 0.21, 0.07, 0.06],
    "trade":  [0.05, 0.06, 0.12, 0.05, 0.03, 0.14, 0.05, 0.35, 0.05, 0.10],
    "fdi":    [0.03, 0.04, 0.08, 0.03, 0.02, 0.15, 0.03, 0.45, 0.05, 0.12],
    "jobs":   [0.15, 0.16, 0.13, 0.09, 0.06, 0.12, 0.10, 0.10, 0.05, 0.04],
    "g5":     [0.13, 0.14, 0.13, 0.11, 0.08, 0.13, 0.11, 0.09, 0.04, 0.04],
    "renov":  [0.30, 0.28, 0.18, 0.06, 0.05, 0.07, 0.06],
    "market": [0.17, 0.18, 0.13, 0.09, 0.06, 0.11, 0.09, 0.09, 0.05, 0.03],
    "tech":   [0.08, 0.07, 0.10, 0.04, 0.02, 0.08, 0.04, 0.22, 0.08, 0.27],
}
# industrial share of each unit's fixed-asset investment
IND_SHARE = [0.12, 0.15, 0.25, 0.35, 0.30, 0.48, 0.33, 0.62, 0.50, 0.58]


def gen_flow(code, annual, season, share, areas=None, area_sd=0.04,
             sub_sd=0.06, zero_p=0.0):
    """A flow (time_agg sum): city totals per year, exact to the unit, split
    over areas (with a drift per area) and sub-periods (seasonality, noise)."""
    d = IND_BY[code]["decimals"]
    if code in ("URBAN_JOBS",):
        d = 4  # 万人 to the person
    UNITS_DEC[code] = d
    areas = areas or IND_BY[code]["areas"]
    nsub = len(season)
    drift = [gauss(0.0, area_sd) for _ in areas]
    out = {}
    for y in YEARS:
        total = int(round(annual[y] * 10 ** d))
        cells, ws = [], []
        for i, a in enumerate(areas):
            aw = share[i] * (1 + drift[i]) ** (y - FIRST_YEAR) * max(0.3, 1 + gauss(0, 0.025))
            for s in range(1, nsub + 1):
                w = season[s - 1] * max(0.05, 1 + gauss(0, sub_sd))
                if zero_p and RNG.random() < zero_p:
                    w = 0.0
                cells.append((a, s))
                ws.append(aw * w)
        units = apportion(total, ws)
        for (a, s), u in zip(cells, units):
            last_month = s if nsub == 12 else s * 3
            if in_range(y, last_month):
                out[(a, y, s)] = u
    SERIES[code] = out
    return out


def series_total(code, y, area=None, upto=12):
    """Sum of a flow over the sub-periods of year y up to month `upto`."""
    d = UNITS_DEC[code]
    freq = IND_BY[code]["frequency"]
    t = 0
    for (a, yy, s), u in SERIES[code].items():
        if yy != y or (area is not None and a != area):
            continue
        last_month = s if freq == "month" else (s * 3 if freq == "quarter" else 12)
        if last_month <= upto:
            t += u
    return t / 10 ** d


def build_series():
    # ---- quarterly GDP by area
    gen_flow("GDP", {2021: 1173.0, 2022: 1226.0, 2023: 1262.0, 2024: 1310.0, 2025: 1356.0},
             SEASON["gdpq"], SHARE["gdp"], area_sd=0.02, sub_sd=0.02)
    # ---- monthly flows by area
    gen_flow("FAI", {2021: 282.0, 2022: 301.0, 2023: 278.0, 2024: 292.0, 2025: 306.0},
             SEASON["fai"], SHARE["fai"], area_sd=0.06, sub_sd=0.10)
    # industrial investment: a part of each FAI cell
    fai = SERIES["FAI"]
    UNITS_DEC["FAI_IND"] = UNITS_DEC["FAI"]
    ishare = {a: IND_SHARE[i] * (1 + gauss(0, 0.05)) for i, a in enumerate(COUNTY)}
    out = {}
    for (a, y, m), u in sorted(fai.items()):
        s = ishare[a] * (1 + 0.02 * (y - FIRST_YEAR)) * max(0.3, 1 + gauss(0, 0.10))
        out[(a, y, m)] = max(0, min(u, int(round(u * s))))
    SERIES["FAI_IND"] = out
    gen_flow("RETAIL", {2021: 512.0, 2022: 498.0, 2023: 531.0, 2024: 552.0, 2025: 574.0},
             SEASON["retail"], SHARE["retail"], area_sd=0.02, sub_sd=0.03)
    gen_flow("GPBR", {2021: 84.3, 2022: 80.5, 2023: 87.9, 2024: 90.6, 2025: 93.8},
             SEASON["fiscal"], SHARE["fiscal"], area_sd=0.04, sub_sd=0.08)
    gen_flow("TRADE", {2021: 236.0, 2022: 262.0, 2023: 248.0, 2024: 257.0, 2025: 268.0},
             SEASON["trade"], SHARE["trade"], area_sd=0.06, sub_sd=0.12)
    gen_flow("FDI", {2021: 9800, 2022: 12500, 2023: 10200, 2024: 11000, 2025: 11800},
             SEASON["lumpy"], SHARE["fdi"], area_sd=0.08, sub_sd=0.5, zero_p=0.25)
    gen_flow("CONTRACT_INV", {2021: 265.0, 2022: 281.0, 2023: 312.0, 2024: 335.0, 2025: 352.0},
             SEASON["build"], SHARE["fai"], area_sd=0.06, sub_sd=0.12)
    gen_flow("PROJ_NEW_START", {2021: 132, 2022: 141, 2023: 156, 2024: 162, 2025: 170},
             SEASON["starts"], SHARE["fai"], area_sd=0.06, sub_sd=0.2)
    gen_flow("NEW_MARKET_ENT", {2021: 41200, 2022: 38600, 2023: 45300, 2024: 47100, 2025: 48800},
             SEASON["market"], SHARE["market"], area_sd=0.03, sub_sd=0.05)
    gen_flow("URBAN_JOBS", {2021: 1.92, 2022: 1.84, 2023: 1.88, 2024: 1.90, 2025: 1.93},
             SEASON["jobs"], SHARE["jobs"], area_sd=0.03, sub_sd=0.06)
    gen_flow("G5_NEW", {2021: 1050, 2022: 1332, 2023: 920, 2024: 780, 2025: 700},
             SEASON["build"], SHARE["g5"], area_sd=0.05, sub_sd=0.15)
    gen_flow("TECH_CONTRACT", {2021: 28.5, 2022: 34.2, 2023: 41.0, 2024: 47.3, 2025: 52.0},
             SEASON["tech"], SHARE["tech"], area_sd=0.06, sub_sd=0.2)
    # ---- old communities: 2021-2025 starts close to the 十四五 plan of 566
    gen_flow("OLD_COMM_START", {2021: 118, 2022: 56, 2023: 142, 2024: 136, 2025: 110},
             SEASON["renov"], SHARE["renov"], area_sd=0.08, sub_sd=0.3)
    UNITS_DEC["OLD_COMM_AREA"] = 2
    size = {a: uni(2.6, 4.2) for a in ADMIN7}
    area = {}
    for y in YEARS:
        keys = [k for k in sorted(SERIES["OLD_COMM_START"]) if k[1] == y and SERIES["OLD_COMM_START"][k] > 0]
        raw = [SERIES["OLD_COMM_START"][k] * size[k[0]] * max(0.5, 1 + gauss(0, 0.15)) for k in keys]
        if y == QUOTE_YEAR:
            units = apportion(19000, raw)        # 190万平方米 exactly (seed:L97)
        else:
            units = [int(round(r * 100)) for r in raw]
        for k, u in zip(keys, units):
            area[k] = u
        for k in SERIES["OLD_COMM_START"]:
            if k[1] == y and k not in area:
                area[k] = 0
    SERIES["OLD_COMM_AREA"] = area
    # buildings and households per year and area, from the communities started
    UNITS_DEC["OLD_COMM_BLDG"] = 0
    UNITS_DEC["OLD_COMM_HH"] = 0
    bl, hh = {}, {}
    for y in YEARS:
        if not in_range(y, 12):
            continue
        for a in ADMIN7:
            n = int(round(series_total("OLD_COMM_START", y, a)))
            b = int(round(n * uni(8.8, 11.2)))
            bl[(a, y, 0)] = b
            hh[(a, y, 0)] = int(round(b * uni(33.0, 41.5)))
    SERIES["OLD_COMM_BLDG"] = bl
    SERIES["OLD_COMM_HH"] = hh
    # ---- city-only flows
    gen_flow("PORT_CARGO", {2021: 10650.0, 2022: 10200.0, 2023: 10480.0, 2024: 10060.0, 2025: 10390.0},
             SEASON["port"], [1.0], areas=[CITY], area_sd=0.0, sub_sd=0.05)
    gen_flow("PORT_TEU", {2021: 182.0, 2022: 173.0, 2023: 158.0, 2024: 166.0, 2025: 171.0},
             SEASON["port"], [1.0], areas=[CITY], area_sd=0.0, sub_sd=0.06)
    gen_flow("INC_URB", {2021: 38640, 2022: 40420, 2023: 42310, 2024: 44190, 2025: 46080},
             SEASON["incu"], [1.0], areas=[CITY], area_sd=0.0, sub_sd=0.01)
    gen_flow("INC_RUR", {2021: 18920, 2022: 20110, 2023: 21480, 2024: 22930, 2025: 24390},
             SEASON["incr"], [1.0], areas=[CITY], area_sd=0.0, sub_sd=0.01)
    build_air()
    build_rates()
    build_hightech()
    build_pm25()
    build_yearly()


def build_air():
    """Good-air days per month (integers within the month's length); 2022 is
    the first year above 300 (seed:L89), 2021 stays below."""
    UNITS_DEC["AIR_GOOD_DAYS"] = 0
    p = [0.66, 0.70, 0.76, 0.82, 0.86, 0.86, 0.93, 0.96, 0.93, 0.86, 0.76, 0.66]
    mdays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    totals = {2021: 291, 2022: 303, 2023: 306, 2024: 311, 2025: 314}
    out = {}
    for y in YEARS:
        md = list(mdays)
        if y % 4 == 0:
            md[1] = 29
        w = [md[i] * p[i] * max(0.6, 1 + gauss(0, 0.05)) for i in range(12)]
        days = apportion(totals[y], w)
        # respect the month lengths
        for _ in range(100):
            over = [i for i in range(12) if days[i] > md[i]]
            if not over:
                break
            for i in over:
                extra = days[i] - md[i]
                days[i] = md[i]
                room = sorted((i2 for i2 in range(12) if days[i2] < md[i2]), key=lambda k: -(md[k] - days[k]))
                for k in room[:extra]:
                    days[k] += 1
        for m in range(1, 13):
            if in_range(y, m):
                out[(CITY, y, m)] = days[m - 1]
    SERIES["AIR_GOOD_DAYS"] = out


def build_rates():
    # 规上工业增加值 cumulative growth: volatile early in the year, settling
    UNITS_DEC["IND_VA_G"] = 1
    final = {2021: 7.6, 2022: 2.9, 2023: 5.8, 2024: 4.6, 2025: 5.4}
    start = {2021: 14.0, 2022: 6.5, 2023: 2.1, 2024: 6.8, 2025: 3.9}
    out = {}
    for y in YEARS:
        for m in range(1, 13):
            if not in_range(y, m):
                continue
            k = math.exp(-(m - 1) / 3.0)
            v = final[y] + (start[y] - final[y]) * k + gauss(0, 0.35 * k + 0.12)
            if m == 12:
                v = final[y]
            out[(CITY, y, m)] = int(round(v * 10))
    SERIES["IND_VA_G"] = out
    # 城镇登记失业率: Dec 2022 = 4.65 exactly (seed:L97)
    UNITS_DEC["UNEMP"] = 2
    base = {2021: 4.72, 2022: 4.67, 2023: 4.58, 2024: 4.51, 2025: 4.44}
    seas = [0.02, 0.05, 0.06, 0.03, 0.0, -0.01, 0.02, 0.01, -0.02, -0.03, -0.03, -0.02]
    out = {}
    for y in YEARS:
        for m in range(1, 13):
            if in_range(y, m):
                out[(CITY, y, m)] = int(round((base[y] + seas[m - 1] + gauss(0, 0.015)) * 100))
    out[(CITY, QUOTE_YEAR, 12)] = 465
    SERIES["UNEMP"] = out
    # 网上可办率: rising to 100 by Dec 2022 (seed:L75), then kept at 100
    UNITS_DEC["ONLINE_RATE"] = 1
    out = {}
    prev = 0
    for y in YEARS:
        for m in range(1, 13):
            if not in_range(y, m):
                continue
            i = (y - FIRST_YEAR) * 12 + m - 1       # 0 .. 56
            if i >= 23:
                v = 1000
            else:
                v = int(round((91.5 + 8.5 * (i / 23.0) ** 0.8 + gauss(0, 0.15)) * 10))
                v = min(999, max(prev, v))
            prev = v
            out[(CITY, y, m)] = v
    SERIES["ONLINE_RATE"] = out
    # 工程建设项目审批时限 (working days): a step-down; Dec 2022 = 60 (seed:L75)
    UNITS_DEC["APPROVAL_DAYS"] = 0
    steps = [((2021, 1), 90), ((2021, 7), 80), ((2022, 3), 70), ((2022, 9), 60),
             ((2023, 6), 50), ((2024, 6), 45), ((2025, 3), 40)]
    out = {}
    for y in YEARS:
        for m in range(1, 13):
            if not in_range(y, m):
                continue
            v = [val for (start_ym, val) in steps if start_ym <= (y, m)][-1]
            out[(CITY, y, m)] = v
    SERIES["APPROVAL_DAYS"] = out


def build_hightech():
    """High-tech enterprises, a stock by quarter: dips a little when
    certificates lapse early in the year, jumps at the year-end batch."""
    UNITS_DEC["HIGHTECH_ENT"] = 0
    level = {2020: 372, 2021: 420, 2022: 486, 2023: 560, 2024: 630, 2025: 702}
    share = SHARE["tech"]
    drift = [gauss(0, 0.04) for _ in COUNTY]
    out = {}
    for y in YEARS:
        q1 = level[y - 1] * uni(0.955, 0.975)
        qs = [q1, q1 + 0.12 * (level[y] - q1), q1 + 0.25 * (level[y] - q1), level[y]]
        w = [share[i] * (1 + drift[i]) ** (y - FIRST_YEAR) for i in range(len(COUNTY))]
        for q in range(1, 5):
            if not in_range(y, q * 3):
                continue
            units = apportion(int(round(qs[q - 1])), w)
            for a, u in zip(COUNTY, units):
                out[(a, y, q)] = u
    SERIES["HIGHTECH_ENT"] = out


def build_pm25():
    UNITS_DEC["PM25"] = 0
    seas = [55, 48, 42, 35, 28, 24, 20, 18, 22, 32, 42, 52]
    off = {a: o for a, o in zip(ADMIN7, [3.0, 2.5, 1.5, -1.0, -2.5, 0.5, -1.5])}
    out = {}
    for y in YEARS:
        f = 0.97 ** (y - FIRST_YEAR)
        for a in ADMIN7:
            af = 1 + gauss(0, 0.02)
            for m in range(1, 13):
                if in_range(y, m):
                    out[(a, y, m)] = max(8, int(round((seas[m - 1] * f + off[a]) * af * (1 + gauss(0, 0.08)))))
    SERIES["PM25"] = out


# sample values of the city-only yearly indicators (2022 comes from the seed)
YEARLY = {
    "GDP_AVG_G": {2021: 3.5, 2023: 4.0, 2024: 4.2},
    "GPBR_AVG_G": {2021: 4.4, 2023: 4.9, 2024: 5.0},
    "INC_URB_AVG_G": {2021: 5.6, 2023: 5.3, 2024: 5.3},
    "INC_RUR_AVG_G": {2021: 7.4, 2023: 7.0, 2024: 6.9},
    "DELEGATED_ITEMS": {2021: 271, 2023: 318, 2024: 325},
    "NEARBY_ITEMS": {2021: 96, 2023: 152, 2024: 168},
    "TOLERANCE_ITEMS": {2021: 540, 2023: 655, 2024: 690},
    "PROMISE_ITEMS": {2021: 980, 2023: 1180, 2024: 1215},
    "PROJ_SPECIAL": {2021: 78, 2023: 131, 2024: 158},
    "PROJ_SPECIAL_INV": {2021: 1830, 2023: 3010, 2024: 3560},
    "CENTRAL_FUNDS": {2021: 18.6, 2023: 26.4, 2024: 31.2},
    "CENTRAL_FUNDS_PROJ": {2021: 59, 2023: 82, 2024: 90},
    "CHANNEL_PROJ": {2021: 38, 2023: 68, 2024: 77},
    "CHANNEL_PROJ_INV": {2021: 402, 2023: 764, 2024: 893},
    "ARREARS_PAID": {2021: 3.1, 2023: 2.6, 2024: 1.9},
    "KJ_JBGS": {2021: 8, 2022: 12, 2023: 21, 2024: 24},
    "TALENT_TEAM": {2021: 9, 2022: 14, 2023: 20, 2024: 22},
    "WAGE_SUBSIDY": {2021: 3180, 2023: 1960, 2024: 2105},
    "WAGE_SUB_ENT": {2021: 3020, 2023: 2388, 2024: 2460},
    "JOBS_STABILIZED": {2021: 6.4, 2023: 5.6, 2024: 5.7},
    "ELDER_CENTER": {2021: 24, 2023: 36, 2024: 41},
    "ELDER_STATION": {2021: 802, 2023: 889, 2024: 905},
    "WATER_PLANT": {2021: 1, 2023: 1, 2024: 2},
    "BUDGET_CUT": {2021: 10.4, 2023: 9.8, 2024: 11.2},
    "PROV_HQ_PROJ": {2021: 5, 2023: 9, 2024: 11},
    "LITTLE_GIANT": {2021: 9, 2023: 12, 2024: 15},
    "SRDI_SME": {2021: 8, 2023: 23, 2024: 31},
    "TECH_CENTER": {2021: 6, 2023: 7, 2024: 9},
    "FIRST_SET": {2021: 2, 2023: 4, 2024: 3},
    "COAL_BOILER": {2021: 11, 2023: 5, 2024: 3},
    "HEAT_PIPE": {2021: 64.5, 2023: 96.2, 2024: 102.8},
    "SCATTERED_ENT": {2021: 34, 2023: 12, 2024: 9},
    "BIOMASS_STOVE": {2021: 0.8, 2023: 1.1, 2024: 0.9},
    "RIVER_SECTIONS": {2021: 8, 2023: 9, 2024: 9},
    "SOIL_SAFE_RATE": {2021: 96.0, 2023: 100.0, 2024: 100.0},
    "ENV_CASES": {2021: 188, 2023: 203, 2024: 196},
    "NEEDLE_COKE_CAP": {2021: 15, 2023: 15, 2024: 15},
    "CLUSTER_100Y": {2021: 2, 2022: 3, 2023: 4, 2024: 4},
    "ROAD_RENOV": {2021: 11, 2022: 13, 2023: 15, 2024: 12},
    "URBAN_GROVE": {2021: 4, 2022: 6, 2023: 12, 2024: 10},
    "POCKET_PARK": {2021: 3, 2022: 4, 2023: 5, 2024: 8},
    "GREEN_AREA": {2021: 7.5, 2022: 8.2, 2023: 10.6, 2024: 11.3},
    "VOC_STUDENTS": {2021: 7.4, 2022: 7.9, 2023: 8.5, 2024: 9.1},
}
# yearly companions of monthly series: their sample years are the series' sums
COMPANION = {
    "URBAN_JOBS_Y": "URBAN_JOBS", "G5_NEW_Y": "G5_NEW", "OLD_COMM_START_Y": "OLD_COMM_START",
    "OLD_COMM_AREA_Y": "OLD_COMM_AREA", "PORT_CARGO_Y": "PORT_CARGO", "PORT_TEU_Y": "PORT_TEU",
    "AIR_GOOD_DAYS_Y": "AIR_GOOD_DAYS",
}


def build_yearly():
    q = {(c, p): v for c, p, v, *_ in QUOTED_VALUES}
    for code, vals in YEARLY.items():
        d = IND_BY[code]["decimals"]
        UNITS_DEC[code] = d
        out = {}
        for y, v in vals.items():
            out[(CITY, y, 0)] = int(round(v * 10 ** d))
        if (code, str(QUOTE_YEAR)) in q:
            out[(CITY, QUOTE_YEAR, 0)] = int(round(q[(code, str(QUOTE_YEAR))] * 10 ** d))
        SERIES[code] = out
    # FAI_CUM: 1446 at 2022 (seed:L71), the other years consistent with FAI
    UNITS_DEC["FAI_CUM"] = 2
    f = {y: series_total("FAI", y) for y in YEARS}
    cum = {2022: 1446.0}
    cum[2021] = cum[2022] - f[2022]
    cum[2023] = cum[2022] + f[2023]
    cum[2024] = cum[2023] + f[2024]
    SERIES["FAI_CUM"] = {(CITY, y, 0): int(round(v * 100)) for y, v in cum.items()}
    for comp, base in COMPANION.items():
        d = IND_BY[comp]["decimals"]
        UNITS_DEC[comp] = 2 if base == "URBAN_JOBS" else max(d, UNITS_DEC[base])
        out = {}
        for y in YEARS:
            if not in_range(y, 12):
                continue
            v = series_total(base, y)
            if y == QUOTE_YEAR:
                v = q[(comp, str(QUOTE_YEAR))]
            out[(CITY, y, 0)] = int(round(v * 10 ** UNITS_DEC[comp]))
        SERIES[comp] = out


def check_consistency():
    """The sample series agree with the quoted figures (see README)."""
    def near(a, b):
        return abs(a - b) < 1e-6
    assert near(series_total("PORT_CARGO", 2022), 10200)      # 1.02亿吨
    assert near(series_total("PORT_TEU", 2022), 173)
    assert near(series_total("URBAN_JOBS", 2022), 1.84)
    assert near(series_total("G5_NEW", 2022), 1332)
    assert near(series_total("OLD_COMM_START", 2022), 56)
    assert near(series_total("OLD_COMM_AREA", 2022), 190)
    assert SERIES["UNEMP"][(CITY, 2022, 12)] == 465
    assert SERIES["ONLINE_RATE"][(CITY, 2022, 12)] == 1000
    assert SERIES["APPROVAL_DAYS"][(CITY, 2022, 12)] == 60
    air = {y: series_total("AIR_GOOD_DAYS", y) for y in (2021, 2022)}
    assert air[2021] < 300 < air[2022], air                   # 首次突破300天
    assert SERIES["FAI_CUM"][(CITY, 2022, 0)] == 144600
    for y in (2023, 2024):
        step = (SERIES["FAI_CUM"][(CITY, y, 0)] - SERIES["FAI_CUM"][(CITY, y - 1, 0)]) / 100
        assert near(step, series_total("FAI", y)), y
    assert near(SERIES["FAI_CUM"][(CITY, 2022, 0)] / 100 - SERIES["FAI_CUM"][(CITY, 2021, 0)] / 100,
                series_total("FAI", 2022))


# ---------------------------------------------------------------- aggregation helpers
def val(code, area, y, s):
    u = SERIES[code].get((area, y, s))
    return None if u is None else u / 10 ** UNITS_DEC[code]


def actual(code, area, y, upto=12):
    """The indicator at year y up to month `upto`, for an area or the city
    (aggregated over areas the way civstat would), or None."""
    d = IND_BY[code]
    freq, tagg, aagg = d["frequency"], d["time_agg"], d["area_agg"]
    if area == CITY and aagg != "none":
        parts = [actual(code, a, y, upto) for a in d["areas"]]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return sum(parts) if aagg == "sum" else sum(parts) / len(parts)
    subs = []
    for (a, yy, s), u in SERIES[code].items():
        if a != area or yy != y:
            continue
        lm = s if freq == "month" else (s * 3 if freq == "quarter" else 12)
        if lm <= upto:
            subs.append((s, u / 10 ** UNITS_DEC[code]))
    if not subs:
        return None
    subs.sort()
    if tagg == "sum":
        return sum(v for _, v in subs)
    if tagg == "last":
        return subs[-1][1]
    return sum(v for _, v in subs) / len(subs)


# ---------------------------------------------------------------- targets
def build_targets():
    rows = []   # (indicator, area, year, value, kind, sample)
    quoted = {(c, CITY, y, k) for c, y, k, *_ in QUOTED_TARGETS}
    mix = {"ahead": 0, "close": 0, "behind": 0}
    for d in BASE:
        code = d["code"]
        dec = d["decimals"]
        down = d["direction"] == "down"
        flow = d["time_agg"] == "sum"
        areas = [] if d["area_agg"] == "none" else list(d["areas"])
        tv = {}   # (area, year) -> target
        for a in areas + ([CITY] if not areas else []):
            for y in YEARS:
                if y < LAST_YEAR:
                    act = actual(code, a, y)
                    if act is None:
                        # yearly indicators without a value that year
                        prev = [actual(code, a, yy) for yy in YEARS if yy < y]
                        prev = [p for p in prev if p is not None]
                        if not prev:
                            continue
                        act = prev[-1]
                    t = act / uni(0.94, 1.07) if not down else act * uni(0.95, 1.06)
                elif d["frequency"] == "year":
                    prev = [actual(code, a, yy) for yy in YEARS if actual(code, a, yy) is not None]
                    if not prev:
                        continue
                    t = prev[-1] * (uni(0.92, 0.99) if down else uni(1.02, 1.10))
                else:
                    act = actual(code, a, y, LAST_MONTH)
                    if act is None:
                        continue
                    r = RNG.random()
                    cls = "ahead" if r < 0.40 else ("close" if r < 0.70 else "behind")
                    if flow:
                        c = {"ahead": uni(0.775, 0.86), "close": uni(0.705, 0.748),
                             "behind": uni(0.56, 0.69)}[cls]
                        t = act / c
                        # keep the target a believable plan: between 2% below
                        # and 15% above last year's outcome
                        last = actual(code, a, y - 1)
                        if last:
                            t = min(max(t, last * 0.98), last * 1.15)
                    else:
                        # a level (stock or rate): compared as a level
                        f = {"ahead": uni(0.90, 0.97), "close": uni(0.985, 1.015),
                             "behind": uni(1.05, 1.15)}[cls]
                        t = act / f if not down else act * f
                if code == "UNEMP" and y == LAST_YEAR:
                    t = 4.8
                if code == "ONLINE_RATE":
                    t = min(100.0, t)
                if code == "APPROVAL_DAYS" and y == LAST_YEAR:
                    t = 40
                tv[(a, y)] = t
        # the city: the sum (or average) of the areas' targets
        if areas:
            for y in YEARS:
                parts = [tv[(a, y)] for a in areas if (a, y) in tv]
                if parts:
                    tv[(CITY, y)] = sum(parts) if d["area_agg"] == "sum" else sum(parts) / len(parts)
        if flow and d["frequency"] != "year":
            for (a, y), t in tv.items():
                if y == LAST_YEAR and t:
                    done = actual(code, a, y, LAST_MONTH) / t
                    mix["ahead" if done > 0.75 else ("close" if done >= 0.70 else "behind")] += 1
        for (a, y), t in sorted(tv.items(), key=lambda kv: (kv[0][1], (kv[0][0] != CITY, kv[0][0]))):
            if (code, a, y, "annual") in quoted:
                continue
            tdec = dec if not (dec == 0 and t < 20 and d["unit"] not in ("个", "家", "项", "条", "台", "起", "栋", "户")) else 1
            rows.append((code, a, y, fmt(t, tdec), "annual", "1"))
    # sample plan (十四五) targets, end-of-plan levels at the city
    for code, v in (("GDP", 1400), ("HIGHTECH_ENT", 700), ("ELDER_STATION", 900),
                    ("PM25", 32), ("AIR_GOOD_DAYS", 310)):
        rows.append((code, CITY, PLAN_YEAR, fmt(v, 0), "plan", "1"))
    # quoted targets (sample 0)
    for code, y, kind, v, *_ in QUOTED_TARGETS:
        rows.append((code, CITY, y, fmt(v, 1), kind, "0"))
    seen = set()
    for r in rows:
        key = (r[0], r[1], r[2], r[4])
        assert key not in seen, key
        seen.add(key)
    return rows, mix


# ---------------------------------------------------------------- benchmarks
BENCH_GROWTH = {  # indicator -> spread (points) of a group's offset from Jinzhou
    "GDP": 1.0, "FAI": 4.0, "FAI_IND": 6.0, "RETAIL": 2.0, "GPBR": 3.0, "TRADE": 6.0,
    "FDI": 15.0, "PORT_CARGO": 4.0, "PORT_TEU": 6.0, "INC_URB": 0.8, "INC_RUR": 1.0,
    "URBAN_JOBS": 4.0, "NEW_MARKET_ENT": 5.0,
}
BENCH_VALUE = ["IND_VA_G", "UNEMP", "ONLINE_RATE"]
GROUPS = ["全省平均", "沿海6市平均", "营口"]


def city_ytd(code, y, upto):
    return actual(code, CITY, y, upto)


def build_benchmarks():
    rows = []
    for code, spread in BENCH_GROWTH.items():
        d = IND_BY[code]
        for g in GROUPS:
            bias = gauss(0, spread * (1.3 if g == "营口" else 1.0))
            for y, s in periods_of(d["frequency"]):
                if y < 2024:
                    continue
                upto = s if d["frequency"] == "month" else s * 3
                cur, prev = city_ytd(code, y, upto), city_ytd(code, y - 1, upto)
                if not cur or not prev:
                    continue
                jz = (cur / prev - 1) * 100
                # groups move with the same cycle, less violently
                b = 0.6 * jz + 0.4 * (3.0 if code not in ("FDI", "TRADE") else 2.0) + bias + gauss(0, spread * 0.15)
                # A cumulative growth rate is a year-to-date figure: 2025年1-9月.
                rows.append((code, g, "%d年1-%d月" % (y, upto), fmt(b, 1), "growth", "1"))
    for code in BENCH_VALUE:
        d = IND_BY[code]
        for g in GROUPS:
            bias = {"IND_VA_G": gauss(0, 1.2), "UNEMP": gauss(-0.15, 0.2), "ONLINE_RATE": -uni(0.4, 2.0)}[code]
            for y, s in periods_of(d["frequency"]):
                if y < 2024:
                    continue
                jz = val(code, CITY, y, s)
                if code == "IND_VA_G":
                    b = 0.7 * jz + 0.3 * 4.8 + bias + gauss(0, 0.25)
                    dec = 1
                elif code == "UNEMP":
                    b = jz + bias + gauss(0, 0.03)
                    dec = 2
                else:
                    b = min(100.0, 99.0 + bias / 2 + 0.05 * (y - 2024) * 12 / 12 + gauss(0, 0.1))
                    dec = 1
                rows.append((code, g, period_str(d["frequency"], y, s), fmt(b, dec), "value", "1"))
    return rows


# ---------------------------------------------------------------- values
def build_values():
    rows = []  # indicator, area, period, value, state, comment, sample
    qv = {(c, p): (v, line, phrase) for c, p, v, line, phrase, _ in QUOTED_VALUES}
    for d in BASE:
        code = d["code"]
        dec = UNITS_DEC[code]
        freq = d["frequency"]
        keys = sorted(SERIES[code], key=lambda k: (k[1], k[2], (k[0] != CITY, k[0])))
        for (a, y, s) in keys:
            u = SERIES[code][(a, y, s)]
            per = period_str(freq, y, s)
            state, comment, sample = "approved", "", "1"
            if (code, per) in qv and a == CITY:
                v, line, phrase = qv[(code, per)]
                comment = "seed:L%d: %s" % (line, phrase)
                sample = "0"
                text = fmt(v, 4)
                assert abs(v - u / 10 ** dec) < 1e-9, (code, per, v, u)
            else:
                text = fmt(u / 10 ** dec, dec)
            last_month = s if freq == "month" else (s * 3 if freq == "quarter" else 12)
            if a != CITY and (y, last_month) == (LAST_YEAR, LAST_MONTH):
                r = RNG.random()
                if r < 0.04:
                    state = "draft"
                elif r < 0.33:
                    state = "submitted"
            rows.append((code, a, per, text, state, comment, sample))
    # every quoted figure must have been written
    written = {(r[0], r[2]) for r in rows if r[6] == "0"}
    missing = [k for k in qv if k not in written]
    assert not missing, missing
    return rows


# ---------------------------------------------------------------- writing
def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    data = buf.getvalue().encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(rows), len(data)


# Validation rules civstat check applies: bounds (min, max), a part not
# above its whole (part_of), and the largest change in % against the
# previous period and a year earlier (max_jump; empty: civstat's 50%).
RULES = {
    "UNEMP": (0, 100, "", 30),
    "IND_VA_G": (-50, 50, "", ""),
    "ONLINE_RATE": (0, 100, "", 10),
    "SOIL_SAFE_RATE": (0, 100, "", ""),
    "APPROVAL_DAYS": (1, 365, "", ""),
    "AIR_GOOD_DAYS": (0, 31, "", ""),
    "PM25": (0, 500, "", ""),
    "FAI_IND": (0, "", "FAI", ""),
    # A project's investment comes in lumps (equipment paid in one
    # month): month-to-month jumps say nothing about its quality.
    "PROJ_INV": (0, "", "FAI", 1000),
    "REQ_RESOLVE": (0, 100, "", ""),
    "REQ_SATISFY": (0, 100, "", ""),
    "REQ_ONTIME": (0, 100, "", ""),
    "FAI": (0, "", "", 80),
    "OLD_COMM_START": (0, "", "", 200),
}


# Indicators for staff only (public = 0): the rest are shown to residents
# on the 公开 page and to anyone not signed in.  Every figure the seed
# quotes was published in a newspaper, so it stays public; these two are
# working figures of the government: the investment-promotion money a
# department is assessed on, and an analysis ratio built from two others.
INTERNAL = {"CONTRACT_INV", "FAI_IND_SHARE"}


def indicator_rows():
    out = []
    for d in IND:
        rule = RULES.get(d["code"], ("", "", "", ""))
        out.append((d["code"], d["name"], d["name_en"], d["unit"], d["pillar"], d["frequency"],
                    d["time_agg"], d["area_agg"], d["direction"], d["department"], d["source"],
                    d["formula"], d["decimals"], "" if d["weight"] is None else d["weight"])
                   + rule + (0 if d["code"] in INTERNAL else 1,))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--check-seed", metavar="SEEDFILE")
    args = ap.parse_args()
    if args.check_seed:
        check_seed(args.check_seed)

    # sanity of the catalogue
    pillars = {}
    for d in IND:
        pillars[d["pillar"]] = pillars.get(d["pillar"], 0) + 1
    assert all(n >= 10 for n in pillars.values()), pillars
    weights = [d["weight"] for d in IND if d["weight"]]
    assert sum(weights) == 100, sum(weights)
    for d in IND:
        for ref in (d["formula"].replace("(", " ").replace(")", " ").replace("*", " ")
                    .replace("/", " ").replace("-", " ").split()):
            if ref[0].isalpha() and ref not in ("ytd", "prev_year", "ytd_prev_year"):
                assert ref in IND_BY and not IND_BY[ref]["formula"], (d["code"], ref)

    build_series()
    check_consistency()
    values = build_values()
    targets, mix = build_targets()
    benches = build_benchmarks()

    out = args.out
    os.makedirs(out, exist_ok=True)
    counts = []
    counts.append(("areas.csv",) + write_csv(os.path.join(out, "areas.csv"),
                  ["code", "name", "name_en", "parent", "kind"], AREAS))
    counts.append(("departments.csv",) + write_csv(os.path.join(out, "departments.csv"),
                  ["code", "name", "name_en"], DEPARTMENTS))
    counts.append(("indicators.csv",) + write_csv(os.path.join(out, "indicators.csv"),
                  ["code", "name", "name_en", "unit", "pillar", "frequency", "time_agg",
                   "area_agg", "direction", "department", "source", "formula", "decimals",
                   "weight", "min", "max", "part_of", "max_jump", "public"],
                  indicator_rows()))
    counts.append(("values.csv",) + write_csv(os.path.join(out, "values.csv"),
                  ["indicator", "area", "period", "value", "state", "comment", "sample"], values))
    counts.append(("targets.csv",) + write_csv(os.path.join(out, "targets.csv"),
                  ["indicator", "area", "year", "value", "kind", "sample"], targets))
    counts.append(("benchmarks.csv",) + write_csv(os.path.join(out, "benchmarks.csv"),
                  ["indicator", "group", "period", "value", "measure", "sample"], benches))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from projects_demo import readme_section, write_projects
    counts += write_projects(out, lambda a, y, m: val("FAI", a, y, m) or 0,
                             write_csv)
    import requests_demo
    readme = (render_readme(values, targets, benches, mix) + readme_section()
              + requests_demo.readme_section())
    with open(os.path.join(out, "README.md"), "wb") as f:
        f.write(readme.encode("utf-8"))
    # The task lists (任务清单) live in tasks/: init reads them with the
    # task importer, after the figures.
    import demo_tasks
    if args.check_seed:
        demo_tasks.check_seed(args.check_seed)
    counts += demo_tasks.write(out, write_csv)

    for name, n, size in counts:
        print("%-16s %6d rows %9d bytes" % (name, n, size))
    st = {}
    for r in values:
        st[r[4]] = st.get(r[4], 0) + 1
    print("values: %d quoted (sample 0), states %s" % (
        sum(1 for r in values if r[6] == "0"),
        ", ".join("%s %d" % (k, st[k]) for k in ("approved", "submitted", "draft") if k in st)))
    print("indicators: %s; %d derived; %d weighted (sum 100)" % (
        ", ".join("%s %d" % (k, pillars[k]) for k in (S, V, E)), len(DERIVED), len(weights)))
    print("2025 flow targets at 1-9月: ahead %d, close %d, behind %d; %d quoted targets" % (
        mix["ahead"], mix["close"], mix["behind"], len(QUOTED_TARGETS)))
    print("README.md        written")


# ---------------------------------------------------------------- README
def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def render_readme(values, targets, benches, mix):
    pill = {S: "稳 stable", V: "活 vital", E: "优 excellent"}
    ind_rows = []
    for d in IND:
        agg = "formula: `%s`" % d["formula"] if d["formula"] else "%s / %s" % (d["time_agg"], d["area_agg"])
        ind_rows.append((d["code"], d["name"], d["unit"], pill[d["pillar"]], d["frequency"], agg,
                         d["direction"], d["department"], d["source"], d["weight"] or ""))
    qv_rows = []
    for code, per, v, line, phrase, num in QUOTED_VALUES:
        qv_rows.append((phrase, "%s %s" % (num, ""), code, per, fmt(v, 4) + " " + IND_BY[code]["unit"],
                        "L%d" % line))
    qt_rows = []
    for code, y, kind, v, line, phrase, num in QUOTED_TARGETS:
        qt_rows.append((phrase, code, "%s %d" % (kind, y), fmt(v, 1) + " " + IND_BY[code]["unit"], "L%d" % line))
    np_rows = [(w, "L%d" % l, why) for w, l, why in NOT_PLACED]
    area_rows = [(c, n, e, p or "(root)", k) for c, n, e, p, k in AREAS]
    dept_rows = list(DEPARTMENTS)
    nsample_t = sum(1 for r in targets if r[5] == "1")
    last = [r for r in values if r[1] != CITY and r[2] in ("%d-%02d" % (LAST_YEAR, LAST_MONTH),
                                                          "%d-Q%d" % (LAST_YEAR, LAST_MONTH // 3))]
    return README_TEMPLATE.format(
        areas=md_table(["code", "name", "name_en", "parent", "kind"], area_rows),
        departments=md_table(["code", "name", "name_en"], dept_rows),
        indicators=md_table(["code", "name", "unit", "pillar", "frequency", "time / area agg",
                             "direction", "dept", "source", "weight"], ind_rows),
        quoted_values=md_table(["seed phrase", "figure", "indicator", "period", "value written", "seed line"],
                               [(a, b.strip(), c, d, e, f) for a, b, c, d, e, f in qv_rows]),
        quoted_targets=md_table(["seed phrase", "indicator", "kind / year", "target", "seed line"], qt_rows),
        not_placed=md_table(["figure", "seed line", "why not placed"], np_rows),
        n_values=len(values), n_targets=len(targets), n_sample_targets=nsample_t,
        n_bench=len(benches), n_ind=len(IND), n_derived=len(DERIVED), n_internal=len(INTERNAL),
        n_last=len(last), n_sub=sum(1 for r in last if r[4] == "submitted"),
        n_draft=sum(1 for r in last if r[4] == "draft"),
        rng_seed=RNG_SEED, ahead=mix["ahead"], close=mix["close"], behind=mix["behind"],
    )


README_TEMPLATE = """# Demo city: Jinzhou 锦州

This directory is civstat's demo data set: the city of Jinzhou (锦州市,
Liaoning), built from the seed report `shared/seed/000_c76068c0fa3bff33.txt`
(a newspaper report on Jinzhou's 稳活优并举 strategy, published at the start of
2023) and its figure list `shared/seed/figures.md`. `make run` loads it with
`civstat init --demo data/demo`.

**Everything here is generated by `make_demo.py`** (this README included):

    python3 data/demo/make_demo.py                       # rewrite the files
    python3 data/demo/make_demo.py --check-seed PATH/TO/shared/seed/000_c76068c0fa3bff33.txt

The script uses the Python standard library only and is deterministic (one
fixed random seed, {rng_seed}; no clock, no environment), so running it again gives
byte-identical files. `--check-seed` verifies that every quoted phrase and
number is on the seed line it cites. The CSVs follow `docs/formats.md`: UTF-8
without a BOM, LF line ends, English column names.

| file | content |
|---|---|
| `areas.csv` | 12 areas: the city, 7 districts/counties, 3 functional zones, 1 street |
| `departments.csv` | 21 responsible departments (责任单位) |
| `indicators.csv` | {n_ind} indicators ({n_derived} derived, with a formula; {n_internal} for staff only, `public` = 0) |
| `values.csv` | {n_values} figures |
| `targets.csv` | {n_targets} targets, {n_sample_targets} of them sample data |
| `benchmarks.csv` | {n_bench} benchmark figures |

## Quoted versus sample data

* A figure **quoted from the seed** has `sample` = 0 in `values.csv` and the
  comment `seed:L<n>: <the Chinese phrase>`, where `<n>` is the 1-based line of
  `000_c76068c0fa3bff33.txt` (as `grep -n` counts). Its indicator's `source`
  is `seed:L<n>`. Quoted targets (十四五 plans and the "今年" figures) have
  `sample` = 0 in `targets.csv`; since that file has no comment column, the
  citation is in the indicator's `source` and in the table below.
* **Everything else is sample data** (`sample` = 1): invented but plausible
  monthly, quarterly and yearly series 2021-01 .. 2025-09, annual targets
  2021–2025, and benchmarks 2024–2025. They are not Jinzhou's real statistics.
  Indicators whose `source` is `sample` have no figure in the seed at all;
  an indicator with a `seed:` source may still carry sample figures for the
  years the seed does not cover.

## Areas (行政区划)

{areas}

* 210700 and the seven county-level codes are the official GB/T 2260 codes.
* **`JZ-KFQ`, `JZ-SSXQ`, `JZ-GXQ` are not GB/T 2260 codes**: functional zones
  (开发区, 新区) have none; these are stable codes made up for civstat
  (`kind` = `zone`, parent 210700).
* **`JZ-LH-ZJJD` (凌河区紫荆街道) is a made-up code**, not the official
  12-digit statistical division code; it is there for the seed's heating scene
  (五里营子小区, seed:L23), so that requests and tasks can be placed in a
  street. It carries no figures, and nothing deeper is defined.
* Interpretation: the ten county-level units (7 admin + 3 zones) are treated as
  **non-overlapping statistical units**: a zone's figures are not also counted
  in the district around it, so the city is the sum (or average) of the ten.
  City-level (市本级) revenue and investment are attributed to the unit where
  they arise.

## Departments (责任单位)

{departments}

## Indicators (指标)

Pillars: 稳 stable, 活 vital, 优 excellent. Aggregation is `time_agg / area_agg`
as in `docs/formats.md`. `weight` marks the assessment (考核) set: 25
indicators with integer weights summing to 100 (25 mirrors the province's
"25项工作实绩考核指标", seed:L119).

{indicators}

REQ_RESOLVE, REQ_SATISFY and REQ_ONTIME are computed by civstat from the
residents' requests (docs/requests.md), by area and month, cumulative from
January; in the demo they come from the year of sample requests
(`requests.csv`, 样例数据) and are marked as sample data, and nobody may
type them.

Kinds of indicators:

* **Monthly/quarterly operation indicators** (经济运行): the usual figures of a
  Chinese city's monthly economic report. Those that add up over areas
  (`area_agg` sum or avg) have figures for the county-level units only; civstat
  aggregates the city, so **no city row is written for them**. Those with
  `area_agg` none (规上工业增加值增速, 失业率, port, air, 网上可办率, 审批时限,
  incomes) have city rows only.
* **发展脚步 indicators** (yearly, `area_agg` none): one per realised figure of
  the seed's 发展脚步 section, the quoted figure at 2022, sample figures at
  2021, 2023 and 2024. A yearly indicator has no 2025 figure, because the year
  2025 is not closed at 2025-09.
* **Annual companions** (`*_Y`, "（年度）"): where a quoted annual total
  belongs to a monthly flow (port cargo, containers, good-air days, new urban
  jobs, new 5G stations, old communities started and their floor area), the
  quoted total goes into a yearly companion indicator at the city, because a
  yearly period cannot be written to a monthly indicator and the quoted figure
  is a city total while the monthly series is by area. The monthly sample
  series is made to add up to the quoted total (see "Consistency"), and the
  companion's sample years are the sums of the monthly series, so the two never
  disagree (except good-air days, see below). Where the monthly indicator is a
  level (`time_agg` last: 失业率, 网上可办率, 审批时限), the quoted figure is
  simply the December 2022 row of the monthly series, with `sample` 0.
* **Derived indicators** (no values of their own; `source` is `sample`
  because they are computed from sample series): `FAI_IND_SHARE` =
  `ytd(FAI_IND) / ytd(FAI) * 100`, `RETAIL_G` and `PORT_CARGO_G` (cumulative
  同比 growth with `ytd_prev_year`), and `GDP_PC` = `ytd(GDP) / 270.4 * 10000`
  (元; 270.4 万人 is an approximate resident population of the whole city,
  a sample constant, so `GDP_PC` is meaningful for the city only, not for a
  district).

## Quoted figures → indicators

Every number of the figures.md section "发展脚步", and the realised 15万吨 of
needle coke, as written to `values.csv` (area 210700, `sample` 0):

{quoted_values}

## Quoted plans and targets → targets.csv

At the city (210700), `sample` 0. "今年" is taken as {this_year}; 十四五 figures are
`plan` targets with year 2025.

{quoted_targets}

## Figures not placed

{not_placed}

The named projects and enterprises of figures.md (国电投 40万千瓦风电, 兵器集团
北方能源基地 50亿元, 港航服务中心 10亿元, 龙宇新材料 …) belong to civstat's project
and enterprise records, which this data set does not include.

## Interpretations

1. **Periods of the realised figures.** The seed was published in January 2023
   (the heating scene is dated 1月19日, and its 发展脚步 reviews "2018年以来").
   Each realised figure is written at the year **2022**, at the city.
   Figures the seed marks as cumulative or averaged since 2018 have indicators
   named so: 地区生产总值/一般公共预算收入/城乡居民收入 年均增长（2018年以来）,
   固定资产投资累计完成额（2018年以来）, 专班谋划高质量发展项目 and its total
   investment（2018年以来累计）. For the other flows (中央资金 21.7亿元, 5G
   基站 1332个, 专精特新 14/11家, 燃煤锅炉 8台, 供热管网 88.9公里, 散乱污 21家,
   生物质炉具 1.4万户, 违法案件 215起, 净水厂 3个, 清欠 4.8亿元 …) the seed does
   not say whether the number is the 2022 figure or a total since 2018;
   they are written as 2022 figures, as instructed, and their names do not claim
   either. Stocks (下放事项 306项, 养老服务站 866个, 通道项目 54个 …) are the
   level at the end of 2022, which is right either way. The seed calls the
   summary "据初步预计" (preliminary).
2. **Values as printed, in the indicator's unit**: 1.02亿吨 → 10200 万吨;
   173万标箱, 1.84万人, 1.4万户, 5.9万个, 2259万元 in those units.
   "突破300天" is written as **300** (the printed number; the true figure is
   above it) while the monthly sample series of good-air days adds up to 303
   in 2022 and stays below 300 in 2021 ("首次突破"). "60个工作日以内" is written
   as 60 (a ceiling), "网上可办率达100%" as 100.
3. **"今年" = 2023.** The targets of L33 (揭榜挂帅 20个, 带土移植 20个), L41 (6个
   百亿级产业集群, 千亿元级项目集群) and L49 (15条街路, 小树林 12个, 口袋公园 5个,
   绿化 10公顷) are annual targets for 2023. L33 continues L31's "今年"; L45–L49
   continue the "今年，锦州市坚持以人民为中心工作方案" sentence that the page layout
   broke at L27.
4. **6个百亿级产业集群** ("重点发展 … 6个百亿级产业集群") is read as a 2023
   target of 6 clusters at the 10-billion level (`CLUSTER_100Y`); the sample
   figures show fewer (the target is behind).
5. **千亿元级项目集群** is read as a 2023 target of 1000亿元 total investment for
   the Northeast land-sea corridor project cluster (`CHANNEL_PROJ_INV`), whose
   2022 figure is the quoted "谋划通道重大项目54个，总投资达547亿元".
6. **老旧小区 十四五 plan** (566个, 5693栋, 212336户, 521667.6万平方米) is written
   as printed: plan targets for 2025 at the city, meant as five-year totals
   (2021–2025) of the yearly/monthly flows `OLD_COMM_START`, `OLD_COMM_BLDG`,
   `OLD_COMM_HH` and `OLD_COMM_AREA`. **521667.6万平方米 is almost certainly a
   misprint** (5.2 billion m² for 212336 households; 190万平方米 covered 56
   communities in 2022, so 566 communities are about 2000万平方米). It is kept
   as printed, so the floor-area plan completion will look absurdly low in the
   demo; do not "fix" it without a better source. The sample series of
   communities started adds up to about 566 by 2025-09, with about 10 buildings
   a community and about 37 households a building, like the plan's ratios.
7. **职业教育在校学生超过10万人** (未来愿景, L151) has no year; it is written as a
   十四五 plan target for 2025 (`VOC_STUDENTS`, "超过" read as the target level 10).
8. **The existing needle-coke capacity** (现有生产能力为年产15万吨, L59) is a
   realised figure of early 2023, written at 2022.
9. **Zones and the street**: see Areas. PM2.5 has figures for the seven
   districts/counties only (the zones have no monitoring station in this
   demo); its city figure is their average.
10. **规上工业增加值增速** is the cumulative (1–m月) 同比 growth: each month holds
    the year-to-date rate, so `time_agg` is last and `area_agg` none. January
    figures are given although Chinese statistics often publish 1–2月 together.
11. **Quarterly figures** (GDP, incomes, high-tech enterprises) are the
    quarter's own figure (GDP of the quarter, not 1–3季度 cumulative); civstat
    forms the year to date. High-tech enterprises are a stock (`last`).
12. **Benchmarks of `measure` growth** are cumulative (year-to-date) 同比
    growth rates of the group, written as year-to-date periods (2025年1-9月). 沿海6市平均 includes
    Jinzhou itself, as the province defines the group.

## Sample data: how it is made

* **Series.** Each flow has a yearly city total (chosen near Jinzhou's real
  order of magnitude: GDP about 1200–1350亿元, FAI about 300亿元, retail about
  500亿元, budget revenue about 85–95亿元), split over the ten county-level
  units by a fixed share per unit with a random drift per unit (so units grow
  at different speeds), and over the months by a seasonal profile (winter
  pause of construction, year-end peaks of revenue and technology contracts,
  renovation starts in spring and summer, lower port traffic in the icy months)
  with noise. The split is done in integer units, so every year adds up exactly.
  Industrial investment is a share of each unit's FAI (industrial zones high,
  old districts low). Levels (失业率, 网上可办率, 审批时限, 规上工业增速, PM2.5)
  follow a trend with seasonality and noise.
* **Consistency with the seed** (asserted by the script on every run):
  港口货物吞吐量 2022 adds up to 10200 万吨 (1.02亿吨), 集装箱 to 173 万标箱,
  城镇新增就业 over all units to 1.84 万人, 新建5G基站 to 1332, 老旧小区改造开工
  to 56 and their floor area to 190 万平方米; 城镇登记失业率 is 4.65 in December
  2022; 网上可办率 reaches 100 in December 2022 and 审批时限 60 working days;
  good-air days add up to 303 in 2022 (291 in 2021: the first year above 300);
  固定资产投资累计（2018年以来） is 1446 at 2022 and moves with the monthly FAI
  series in 2021, 2023 and 2024.
* **Targets.** Annual targets 2021–2025 for every base indicator: for each
  county-level unit and the city where the indicator adds up over areas (the
  city's target is the sum, or average, of the units'), for the city alone
  otherwise. 2021–2024 targets are near the outcome (mostly met). The 2025
  targets are drawn per indicator and unit so that at 2025年1–9月 (序时进度 75%)
  the flows are a mix of **ahead** (completion above 75%), **close** (70–75%,
  within 5 points) and **behind** (below 70%): a class is drawn (40/30/30), the
  target set to give a completion in it (77.5–86%, 70.5–74.8%, 56–69%), and
  then kept between 2% below and 15% above the 2024 outcome so that it stays a
  believable plan (seasonal indicators such as GDP and 5G stations therefore
  lean towards "behind" at 1–9月, as they do in real reports). The resulting
  2025 completions of the flows, over the units and the city: {ahead} ahead,
  {close} close, {behind} behind. Levels (stocks and rates) get targets a
  little easier than, about equal to, or harder than their latest figure
  (direction-aware). A few sample 十四五 plan
  targets (GDP 1400亿元 in 2025, 高新技术企业 700家, 养老服务站 900个, PM2.5 32,
  优良天数 310) are end-of-plan levels.
* **Benchmarks.** Groups 全省平均, 沿海6市平均 and the peer city 营口, 2024-01 ..
  2025-09 monthly (quarterly for quarterly indicators): `measure` growth
  (cumulative 同比 %) for 13 indicators, `measure` value for 3 indicators in %
  (规上工业增加值增速, 城镇登记失业率, 网上可办率). Each group follows Jinzhou's
  cycle with its own offset, so Jinzhou is above some averages and below
  others.
* **States.** All figures are `approved`, except the 2025-09 (and 2025-Q3)
  figures of the county-level units: of those {n_last}, {n_sub} are `submitted`
  and {n_draft} `draft`, so the reviewer queue is not empty.
"""

README_TEMPLATE = README_TEMPLATE.replace("{this_year}", str(THIS_YEAR))

if __name__ == "__main__":
    main()
