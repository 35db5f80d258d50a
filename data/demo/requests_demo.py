#!/usr/bin/env python3
"""The demo city's residents' requests (急难愁盼, issue 7): a year of sample
requests, 2025-12-01 to 2026-11-27, written to data/demo/requests.csv in
the format of docs/requests.md, which `civstat init --demo` imports.

The seed names the problems (回迁难, 办证难, 交通拥堵, 居民供暖, 物业管理;
figures.md, seed L56) but no request: every row here is invented and
marked sample=1.  The year is shaped like a 12345 hotline's: heating
floods in from November to March, the seed's five categories stand out,
most requests are dispatched within the day, contacted, answered in time
and followed up (about nine in ten resolved), hard cases (回迁, 办证) take
longer and are solved less often, some arrive twice and are merged, and
the last weeks are still open, a few of them overdue.  Contacts are
obviously fake (138-0000-NNNN, 张先生), photos point at example.org.

Deterministic: a fixed random seed, no clock; the deadlines are counted on
holidays.csv as src/core/workday.h counts them.  Python 3 stdlib only.

    python3 data/demo/requests_demo.py [--out data/demo/requests.csv]
"""

import argparse
import csv
import datetime as dt
import os
import random

SEED = 20260007
FIRST = dt.date(2025, 12, 1)
LAST = dt.date(2026, 11, 27)
# The demo's "now": the end of the last day received.  Steps later than
# it have not happened yet, so the last weeks are open.
NOW = dt.datetime(2026, 11, 27, 18, 0)
HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = ["ref", "service", "description", "address", "area", "community",
           "lat", "lon", "media_url", "contact_name", "contact_phone",
           "channel", "received", "department", "dispatched", "accepted",
           "answered", "answer", "followed", "resolved", "satisfaction",
           "duplicate_of", "sample"]

# County-level areas: weight (about the share of the city's residents who
# call), a centre for coordinates, streets and communities.  The street and
# community names are sample data, built to sound like the city's.
AREAS = {
    "210702": (15, (41.130, 121.140), ["士英街", "延安路", "北京路", "中央大街"],
               ["天安", "士英", "北街", "保安", "石油", "饶阳"]),
    "210703": (17, (41.115, 121.160), ["解放路", "上海路", "人民街", "云飞街"],
               ["紫荆", "正红", "康宁", "龙江", "菊园", "榴花"]),
    "210711": (13, (41.105, 121.100), ["科技路", "凌西大街", "重庆路", "太和路"],
               ["凌西", "兴隆", "汤河子", "女儿河", "天桥"]),
    "210726": (8, (41.695, 122.118), ["黑山大街", "新兴路", "府前路"],
               ["城东", "城西", "八道壕"]),
    "210727": (6, (41.533, 121.240), ["义州大街", "古城路", "奉国寺路"],
               ["城关", "南关", "北关"]),
    "210781": (10, (41.173, 121.357), ["凌海大街", "建业路", "金城路"],
               ["金城", "大凌河", "凌海"]),
    "210782": (8, (41.598, 121.795), ["北镇大街", "鼓楼路", "广宁路"],
               ["广宁", "观音阁", "北镇"]),
    "JZ-KFQ": (7, (40.960, 121.120), ["渤海大道", "港湾路", "锦港大街"],
               ["天桥", "王家", "西海"]),
    "JZ-SSXQ": (9, (41.090, 121.060), ["松山大街", "白老路", "学府路"],
                ["松山", "大薛", "学府"]),
    "JZ-GXQ": (4, (41.150, 121.050), ["高新路", "创新路", "锦绣路"],
               ["高新", "七里", "锦绣"]),
}
SUFFIX = ["社区", "小区", "家园", "花园", "新村"]

# Service: (weight per day outside its season, month factors, share
# resolved, share answered late).  Heating has no weight: it comes by
# season (HEATING_PER_DAY).
SERVICES = {
    "property": (1.20, {}, 0.89, 0.06),
    "relocation": (0.70, {}, 0.70, 0.18),
    "certificate": (0.65, {}, 0.76, 0.14),
    "traffic": (0.80, {9: 1.5, 10: 1.2}, 0.85, 0.08),
    "cityscape": (0.60, {4: 1.3, 5: 1.4, 6: 1.4, 7: 1.3}, 0.93, 0.04),
    "roads": (0.45, {3: 1.4, 4: 1.4, 8: 1.3}, 0.90, 0.07),
    "water": (0.45, {6: 1.4, 7: 1.6, 8: 1.5, 1: 1.2}, 0.93, 0.04),
    "noise": (0.40, {6: 1.6, 7: 1.8, 8: 1.6, 5: 1.3}, 0.86, 0.05),
    "gas": (0.20, {12: 1.4, 1: 1.4}, 0.95, 0.03),
    "labour": (0.35, {12: 1.8, 1: 2.2, 2: 1.3}, 0.82, 0.10),
    "education": (0.28, {8: 2.0, 9: 2.2}, 0.88, 0.06),
    "health": (0.28, {}, 0.90, 0.05),
    "other": (0.22, {}, 0.90, 0.05),
    "petition": (0.06, {}, 0.80, 0.10),
}
# Heating complaints a day, by month (the season: 1 November to 31 March;
# October brings questions about its start).
HEATING_PER_DAY = {11: 7.0, 12: 4.6, 1: 4.0, 2: 3.2, 3: 1.5, 10: 0.4}

CHANNELS = [("hotline", 55), ("app", 20), ("web", 17), ("open311", 8)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"

# Short descriptions; {c} the community, {b} a building, {n} a number.
DESCRIPTIONS = {
    "heating": [
        "{c}{b}号楼室温只有{n}度左右，暖气不热，家中有老人，请尽快处理",
        "{c}{b}号楼暖气片上热下凉，室温{n}度，要求供热单位上门排查",
        "{c}{b}号楼整栋停暖，至今未恢复，请尽快抢修",
        "{c}{b}号楼顶层住户室温不达标，测温{n}度，请求调整供热",
        "{c}{b}号楼供热管道漏水，楼道结冰，请尽快维修",
    ],
    "property": [
        "{c}物业长期不清理垃圾，楼道堆放杂物，请督促整改",
        "{c}{b}号楼电梯经常故障停运，物业维修不及时",
        "{c}物业擅自上调物业费，未公示收费依据",
        "{c}{b}号楼屋面漏雨，申请使用维修基金维修，物业推诿",
        "{c}小区监控和门禁损坏多日，物业不予维修",
    ],
    "relocation": [
        "{c}棚改项目回迁房逾期{n}个月仍未交付，请给出明确回迁时间",
        "{c}动迁后临时安置费停发{n}个月，请求核实发放",
        "{c}回迁安置楼已建成但迟迟不分房，请求尽快安排回迁",
        "{c}回迁房面积与协议不符，请求核实并答复",
    ],
    "certificate": [
        "{c}购房已{n}年，至今无法办理不动产权证书",
        "{c}回迁房交付多年办不了房产证，请协调开发商办理",
        "{c}{b}号楼开发商未缴清土地出让金，业主无法办证",
        "办理不动产登记时被要求补交材料，多次往返仍未办成",
    ],
    "traffic": [
        "{s}与{s2}交叉口早晚高峰拥堵严重，建议优化信号灯配时",
        "{s}学校门口上下学时段车辆乱停，交通拥堵",
        "{s}信号灯损坏，路口通行混乱，存在安全隐患",
        "{c}周边停车难，车辆占用消防通道，请求规划停车位",
    ],
    "cityscape": [
        "{s}沿街商户占道经营，影响行人通行",
        "{c}门口垃圾箱满溢多日无人清运",
        "{s}绿化带树木枯死，长期无人补植",
        "{c}楼道和电线杆小广告泛滥，请求清理",
    ],
    "roads": [
        "{s}路面坑洼严重，雨天积水，车辆难以通行",
        "{s}路灯已有{n}天不亮，夜间出行不便",
        "{c}门前井盖缺失，存在安全隐患",
        "{s}人行道砖松动破损，请求维修",
    ],
    "water": [
        "{c}{b}号楼连续{n}天水压低，高层住户用不上水",
        "{c}停水未提前通知，至今未恢复供水",
        "{c}自来水发黄有异味，请求检测水质",
        "{s}供水管道漏水，路面长期积水",
    ],
    "noise": [
        "{s}工地夜间施工，噪音扰民，影响休息",
        "{c}楼下烧烤店营业至凌晨，噪音很大",
        "{c}广场舞音响声音过大，影响周边居民",
        "{c}{b}号楼底商装修噪音持续，时间不规范",
    ],
    "gas": [
        "{c}{b}号楼燃气表故障，无法充值使用",
        "{c}燃气管道改造后一直未通气",
        "{c}楼道内有燃气异味，请求上门检查",
    ],
    "labour": [
        "在{s}某工地务工，被拖欠工资{n}个月，请求帮助讨薪",
        "单位未按规定缴纳社会保险，请求核查",
        "公司未签订劳动合同即辞退，请求维权",
    ],
    "education": [
        "{c}适龄儿童入学划片不合理，离学校太远",
        "{s}校外培训机构停课后不退费",
        "孩子所在学校乱收资料费，请求核查",
    ],
    "health": [
        "{s}附近医院挂号排队时间过长，请求改进",
        "异地就医医保报销手续繁琐，请求说明流程",
        "社区卫生服务站药品不全，慢病患者取药不便",
    ],
    "other": [
        "{c}附近缺少便民菜店，买菜不方便",
        "{s}公交站牌信息陈旧，请求更新",
        "咨询{n}年城乡居民养老保险缴费标准",
    ],
    "petition": [
        "信访转办：{c}居民反映历史遗留问题，请求依法处理",
        "信访转办：{c}居民反映征地补偿问题",
    ],
}
ANSWERS = {
    "heating": ["经入户测温并排查管网，已放风、调整阀门，室温恢复到18℃以上",
                "供热站已抢修漏点，当天恢复供暖，复测室温达标"],
    "property": ["已约谈物业企业，限期整改，街道社区跟踪督办",
                 "已督促物业完成维修，费用按规定从维修基金列支"],
    "relocation": ["已协调项目单位，明确回迁时间表并向居民公示，临时安置费按月发放",
                   "该项目列入回迁难专项化解，已制定方案，分批次安排回迁"],
    "certificate": ["已纳入办证难专项化解，开通绿色通道，材料齐全后5个工作日内办结",
                    "已协调开发企业补缴相关费用，近期集中为业主办理不动产权证书"],
    "traffic": ["已优化该路口信号灯配时，高峰期增派警力疏导",
                "已在周边施划临时停车位，并加强违停治理"],
    "cityscape": ["已安排执法人员现场处置，规范经营秩序",
                  "已组织清运和清理，纳入日常巡查"],
    "roads": ["已完成路面修补，恢复正常通行", "已更换灯具，路灯恢复照明"],
    "water": ["已检修加压泵站，水压恢复正常", "已抢修管道并恢复供水，水质检测合格"],
    "noise": ["已现场责令整改，夜间停止施工", "已约谈商户，限定营业时间和音量"],
    "gas": ["燃气公司已上门检修，恢复正常使用", "已排查燃气设施，未发现泄漏，已告知居民安全用气"],
    "labour": ["已立案调查，督促用人单位支付拖欠工资", "已告知劳动仲裁途径并提供法律援助"],
    "education": ["已向诉求人解释招生划片政策", "已责令培训机构退费，并纳入监管"],
    "health": ["已督促医院优化挂号流程，增开窗口", "已说明异地就医备案和报销流程"],
    "other": ["已向诉求人作出解释说明", "已转交属地街道跟进处理"],
    "petition": ["已按信访事项办理程序答复信访人", "已会同属地核实情况并书面答复"],
}


def read_csv(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Calendar:
    """The working-day calendar of holidays.csv, as core/workday.h has it:
    weekends rest, holidays rest, adjusted working days work."""

    def __init__(self, rows):
        self.kind = {dt.date.fromisoformat(r["date"]): r["kind"] for r in rows}

    def works(self, day):
        k = self.kind.get(day)
        if k:
            return k == "workday"
        return day.weekday() < 5

    def after(self, day, n):
        """The last moment of the n-th working day after day (the day
        itself not counted; n = 0: the same working day)."""
        if n == 0:
            while not self.works(day):
                day += dt.timedelta(days=1)
        while n > 0:
            day += dt.timedelta(days=1)
            if self.works(day):
                n -= 1
        return dt.datetime.combine(day, dt.time(23, 59))

    def office(self, t, minutes):
        """t moved on by minutes of office time (8:30 to 17:30 on working
        days): when a department does its part."""
        while True:
            start = dt.datetime.combine(t.date(), dt.time(8, 30))
            end = dt.datetime.combine(t.date(), dt.time(17, 30))
            if self.works(t.date()) and t < end:
                t = max(t, start)
                left = (end - t).total_seconds() / 60
                if minutes <= left:
                    return t + dt.timedelta(minutes=minutes)
                minutes -= left
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1),
                                    dt.time(0, 0))


def fmt(t):
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def pick(rnd, weighted):
    return rnd.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def received_at(rnd, day, channel):
    """Hotline calls come in office hours and evenings, the app and the web
    at any hour but mostly by day."""
    if channel == "hotline":
        minute = int(rnd.triangular(7 * 60, 21 * 60, 10 * 60))
    else:
        minute = int(rnd.triangular(0, 24 * 60 - 1, 14 * 60))
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60))


def place(rnd):
    code = pick(rnd, [(c, a[0]) for c, a in AREAS.items()])
    _, (lat, lon), streets, stems = AREAS[code]
    community = rnd.choice(stems) + rnd.choice(SUFFIX)
    street = rnd.choice(streets)
    return code, street, streets, community, lat, lon


class Maker:
    def __init__(self, rnd, cal, services):
        self.rnd, self.cal, self.services = rnd, cal, services
        self.n = 0

    def ref(self, t):
        """A provisional number, unique; generate() numbers them again."""
        self.n += 1
        return "%s-%d" % (t.strftime("%y%m%d"), self.n)

    def describe(self, service, community, street, streets):
        rnd = self.rnd
        tpl = rnd.choice(DESCRIPTIONS[service])
        return tpl.format(c=community, b=rnd.randint(1, 24),
                          n=(rnd.randint(12, 17) if service == "heating"
                             else 2026 if service == "other"
                             else rnd.randint(2, 16)),
                          s=street, s2=rnd.choice([x for x in streets
                                                  if x != street] or streets))

    def request(self, day, service, stall=None):
        """One request received on day, with the steps it has taken by NOW:
        all of them, unless stall names the step it stops before."""
        rnd, cal = self.rnd, self.cal
        svc = self.services[service]
        channel = pick(rnd, CHANNELS)
        if service == "petition":
            channel = "hotline"
        received = received_at(rnd, day, channel)
        area, street, streets, community, lat, lon = place(rnd)
        row = {
            "ref": self.ref(received), "service": service,
            "description": self.describe(service, community, street, streets),
            "address": "%s%d号" % (street, rnd.randint(1, 300)),
            "area": area, "community": community, "lat": "", "lon": "",
            "media_url": "", "contact_name": rnd.choice(SURNAMES) +
            rnd.choice(["先生", "女士"]),
            "contact_phone": "",
            "channel": channel, "received": fmt(received),
            "department": "", "dispatched": "", "accepted": "",
            "answered": "", "answer": "", "followed": "", "resolved": "",
            "satisfaction": "", "duplicate_of": "", "sample": "1"}
        if channel != "hotline":
            row["lat"] = "%.5f" % (lat + rnd.uniform(-0.02, 0.02))
            row["lon"] = "%.5f" % (lon + rnd.uniform(-0.02, 0.02))
            if rnd.random() < 0.3:
                row["media_url"] = "photo"  # named once numbered
        heating = service == "heating"
        # 派单: heating at once, round the clock; the rest by the centre
        # within office hours, a few late.
        if heating:
            dispatched = received + dt.timedelta(minutes=rnd.randint(10, 150))
        else:
            late = rnd.random() < 0.03
            dispatched = cal.office(received, rnd.randint(600, 1500) if late
                                    else rnd.randint(15, 420))
        steps = [("dispatched", dispatched)]
        # 承办: the resident contacted, mostly within hours.
        if heating:
            accepted = dispatched + dt.timedelta(minutes=rnd.randint(20, 240))
        else:
            accepted = cal.office(dispatched, rnd.randint(30, 400)
                                  if rnd.random() > 0.05 else
                                  rnd.randint(600, 1400))
        steps.append(("accepted", accepted))
        # 办结: within the deadline, or after it for share_late of them.
        _, _, share_resolved, share_late = SERVICES_OR_HEATING[service]
        late = rnd.random() < share_late
        if heating:
            due = received + dt.timedelta(hours=svc["answer_hours"])
            hours = rnd.uniform(26, 60) if late else rnd.uniform(2, 22)
            answered = max(accepted + dt.timedelta(minutes=30),
                           received + dt.timedelta(hours=hours))
        else:
            due = cal.after(dispatched.date(), svc["answer_days"])
            days = svc["answer_days"] + rnd.randint(1, 8) if late else \
                max(1, int(rnd.triangular(0, svc["answer_days"],
                                          svc["answer_days"] * 0.4)))
            answered = cal.office(cal.after(accepted.date(), days - 1) -
                                  dt.timedelta(hours=23, minutes=59),
                                  rnd.randint(30, 500))
            if not late and answered > due:
                answered = due - dt.timedelta(hours=7)
            answered = max(answered, accepted + dt.timedelta(minutes=30))
        steps.append(("answered", answered))
        # 回访: one to three working days later.
        followed = cal.office(answered, rnd.randint(300, 1600))
        steps.append(("followed", followed))
        for name, t in steps:
            if t > NOW or name == stall:
                break
            row[name] = fmt(t)
            if name == "dispatched":
                row["department"] = svc["department"]
            elif name == "answered":
                row["answer"] = rnd.choice(ANSWERS[service])
            elif name == "followed":
                resolved = rnd.random() < share_resolved
                row["resolved"] = "1" if resolved else "0"
                row["satisfaction"] = pick(rnd, [
                    ("satisfied", 76), ("basic", 21), ("dissatisfied", 3)]
                    if resolved else [("satisfied", 4), ("basic", 34),
                                      ("dissatisfied", 62)])
        return row, received

    def duplicate(self, orig, received):
        """The same problem told again a few hours or days later: received
        only, merged into orig by the centre (合并)."""
        rnd = self.rnd
        t = received + dt.timedelta(minutes=rnd.randint(30, 4 * 24 * 60))
        if t > NOW:
            return None
        row = dict(orig)
        for k in ("dispatched", "department", "accepted", "answered",
                  "answer", "followed", "resolved", "satisfaction",
                  "media_url"):
            row[k] = ""
        row["ref"] = self.ref(t)
        row["received"] = fmt(t)
        row["channel"] = pick(rnd, CHANNELS)
        row["contact_name"] = rnd.choice(SURNAMES) + rnd.choice(["先生",
                                                                "女士"])
        row["duplicate_of"] = orig["ref"]
        return row


SERVICES_OR_HEATING = dict(SERVICES, heating=(0, {}, 0.93, 0.05))


def generate():
    rnd = random.Random(SEED)
    cal = Calendar(read_csv("holidays.csv"))
    services = {}
    for s in read_csv("services.csv"):
        services[s["code"]] = {"department": s["department"],
                               "answer_days": int(s["answer_days"]),
                               "answer_hours": int(s["answer_hours"])}
    for code in SERVICES_OR_HEATING:
        assert code in services, code
    mk = Maker(rnd, cal, services)
    rows = []
    day = FIRST
    while day <= LAST:
        quiet = 0.75 if not cal.works(day) else 1.0
        want = [("heating", HEATING_PER_DAY.get(day.month, 0))]
        for code, (w, season, _, _) in SERVICES.items():
            want.append((code, w * season.get(day.month, 1.0) * quiet))
        for code, mean in want:
            # A Poisson count of mean: the sum of exponential gaps.
            t, k = rnd.expovariate(1.0), 0
            while mean > 0 and t < mean:
                k += 1
                t += rnd.expovariate(1.0)
            for _ in range(k):
                # The stalled: a few of the autumn's hard cases sit at
                # their department past the deadline (overdue, 督办).
                stall = None
                if (day >= dt.date(2026, 9, 1) and rnd.random() < 0.06 and
                        code in ("relocation", "certificate", "property",
                                 "traffic")):
                    stall = "dispatched" if rnd.random() < 0.1 else \
                        "answered"
                row, received = mk.request(day, code, stall)
                rows.append(row)
                if rnd.random() < 0.04:
                    dup = mk.duplicate(row, received)
                    if dup:
                        rows.append(dup)
        day += dt.timedelta(days=1)
    rows.sort(key=lambda r: (r["received"], r["ref"]))
    # Numbered in the order received, as the hotline numbers its calls.
    seq, new = {}, {}
    for k, r in enumerate(rows):
        day = r["received"][2:10].replace("-", "")
        seq[day] = seq.get(day, 0) + 1
        new[r["ref"]] = "JZ12345-%s%04d" % (day, seq[day])
        r["ref"] = new[r["ref"]]
        r["duplicate_of"] = new.get(r["duplicate_of"], "")
        r["contact_phone"] = "138-0000-%04d" % (k % 10000)
        if r["media_url"]:
            r["media_url"] = ("https://example.org/sample/%s.jpg" %
                              r["ref"].lower())
    return rows


def summary(rows):
    """What the year holds, for the README and the console."""
    fol = [r for r in rows if r["followed"]]
    return {
        "rows": len(rows),
        "open": sum(1 for r in rows
                    if not r["followed"] and not r["duplicate_of"]),
        "dups": sum(1 for r in rows if r["duplicate_of"]),
        "heating": sum(1 for r in rows if r["service"] == "heating"),
        "followed": len(fol),
        "resolved": 100.0 * sum(r["resolved"] == "1" for r in fol) / len(fol),
        "satisfied": 100.0 * sum(r["satisfaction"] in ("satisfied", "basic")
                                 for r in fol) / len(fol),
    }


def readme_section():
    """The demo README's part on the requests (make_demo.py appends it)."""
    return """
## Residents' requests → requests.csv (样例数据)

**Every request is sample data** (`sample` 1): the seed names the
problems (回迁难, 办证难, 交通拥堵, 居民供暖, 物业管理; L56) but no single
request. `requests_demo.py` writes them (fixed random seed {seed}, no
clock; `python3 data/demo/requests_demo.py`), `civstat init --demo` loads
them in the format of `docs/requests.md`. {rows} requests received
2025-12-01 .. 2026-11-27 over the ten county-level areas and the services
of `services.csv`: {heating} about heating (November to March), the
seed's categories ahead of the others; most dispatched within the day,
answered by the deadline (counted on `holidays.csv`) and followed up
({resolved:.1f} % of {followed} resolved, {satisfied:.1f} % satisfied or
basically satisfied; 回迁 and 办证 slower and less often resolved); {dups}
told twice and merged (`duplicate_of`); {open} still open on
2026-11-27 18:00, the demo's today, a few of them past their deadline.
Names (张先生), phone numbers (138-0000-NNNN), streets, communities,
coordinates and photo URLs (example.org) are made up.
""".format(seed=SEED, **summary(generate()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "requests.csv"))
    a = ap.parse_args()
    rows = generate()
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r[c] for c in COLUMNS])
    print("requests.csv %(rows)d rows: %(open)d open, %(dups)d duplicates, "
          "%(followed)d followed up (%(resolved).1f %% resolved, "
          "%(satisfied).1f %% satisfied)" % summary(rows))


if __name__ == "__main__":
    main()
