#!/usr/bin/env python3
"""A province's years of hotline traffic for the benchmark (issue 7, Speed).

Writes into --out the files a province's 12345 centre would load:
departments.csv (the province's bureaus and each city's, C01-ZJJ ...),
services.csv (the demo's catalogue, answered by the province's bureaus)
and requests.csv (docs/requests.md): --requests requests (20,000,000)
received from 2022-01-01 over --months months (58: to 2026-10) across
the 100 counties of shared/bench/gen.py's province (X001..X100, in the
cities C01..C14: county k is in city (k - 1) % 14 + 1, as gen.py places
them), each dispatched to its city's bureau for the service.  Most are
dispatched, taken, answered and followed up within days; some are
merged duplicates of a request of the same day; a few stalled ones
(half a percent) are still open and overdue, with the last weeks' flow
that is naturally open, so the overdue queue has depth.  Everything is
sample data (sample=1).

The descriptions and answers are the demo's (data/demo/requests_demo.py).
Deterministic: the output is a pure function of (--requests, --months,
--seed); each month draws from its own random stream, so --jobs does not
change a byte.  Python 3 stdlib only.
"""
import argparse
import datetime as dt
import multiprocessing
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "data", "demo"))
import requests_demo as demo  # noqa: E402  (the texts, the columns)

FIRST = dt.date(2022, 1, 1)
CITIES = ["C%02d" % c for c in range(1, 15)]
COUNTIES = ["X%03d" % x for x in range(1, 101)]
# The service: its bureau, its share of the traffic outside the heating
# season, and the mean days to an answer.
SERVICES = [
    ("property", "ZJJ", 16, 3), ("relocation", "ZJJ", 7, 7),
    ("certificate", "ZRJ", 7, 7), ("traffic", "JTJ", 10, 5),
    ("cityscape", "CGJ", 9, 2), ("roads", "CGJ", 7, 4),
    ("water", "CGJ", 7, 2), ("noise", "STJ", 6, 2), ("gas", "CGJ", 3, 2),
    ("labour", "RSJ", 6, 6), ("education", "JYJ", 5, 5),
    ("health", "WJW", 5, 5), ("other", "YSJ", 4, 5),
    ("petition", "YSJ", 1, 10),
]
# Heating's share of a day's requests, by month.
HEATING_SHARE = {11: 0.40, 12: 0.30, 1: 0.28, 2: 0.22, 3: 0.10, 10: 0.02}
BUREAUS = sorted({b for _, b, _, _ in SERVICES} | {"ZJJ"})
VARIANTS = 64   # descriptions drawn per service, then reused


def month_start(k):
    y, m = divmod(FIRST.month - 1 + k, 12)
    return dt.date(FIRST.year + y, m + 1, 1)


def write_catalogue(out):
    names = {r["code"]: r for r in demo.read_csv("departments.csv")}
    with open(os.path.join(out, "departments.csv"), "w") as f:
        f.write("code,name,name_en\n")
        for b in BUREAUS:
            f.write("%s,%s（样例省）,%s (sample province)\n" % (
                b, names[b]["name"].replace("市", "省", 1), b))
        for c in CITIES:
            for b in BUREAUS:
                f.write("%s-%s,%s%s（样例）,%s %s (sample)\n" % (
                    c, b, c, names[b]["name"][1:], c, b))
    shutil.copyfile(os.path.join(demo.HERE, "services.csv"),
                    os.path.join(out, "services.csv"))


def texts(rnd, service):
    """VARIANTS descriptions of service and its answers."""
    mk = demo.Maker(rnd, None, None)
    out = []
    for _ in range(VARIANTS):
        streets = ["中山路", "人民街", "解放路", "建设大街"]
        out.append(mk.describe(service, rnd.choice(["阳光", "幸福", "和平",
                                                     "文化", "友谊"]) +
                               rnd.choice(demo.SUFFIX),
                               rnd.choice(streets), streets))
    answers = demo.ANSWERS[service]
    # The rows are written without quoting: the texts use Chinese commas.
    assert not any(c in x for x in out + answers for c in ',"\n')
    return out, answers


def fmt_minute(days, minute):
    d, m = divmod(minute, 1440)
    return "%s %02d:%02d" % (days[d], m // 60, m % 60)


def month_file(args):
    """Writes the requests of month k into part file path; the count."""
    k, n_month, seed, months, path = args
    rnd = random.Random("%d-%d" % (seed, k))
    first = month_start(k)
    ndays = (month_start(k + 1) - first).days
    # Day strings from the month's start to well past its end, so that a
    # step days later is one lookup.
    days = [(first + dt.timedelta(days=d)).isoformat()
            for d in range(ndays + 220)]
    end = (month_start(months) - first).days * 1440  # "now": no step after
    hshare = HEATING_SHARE.get(first.month, 0.0)
    weights = [w for _, _, w, _ in SERVICES]
    pool = {}
    for s, _, _, _ in SERVICES + [("heating", "ZJJ", 0, 1)]:
        pool[s] = texts(rnd, s)
    chans = ["hotline"] * 11 + ["app"] * 4 + ["web"] * 3 + ["open311"] * 2
    sats = (["satisfied"] * 76 + ["basic"] * 21 + ["dissatisfied"] * 3,
            ["satisfied"] * 4 + ["basic"] * 34 + ["dissatisfied"] * 62)
    lines = []
    # The times of the month's requests, in order: receptions cluster by
    # day (7:00-22:00 mostly).
    minutes = sorted(int(rnd.random() * ndays) * 1440 +
                     int(rnd.triangular(0, 1439, 600))
                     for _ in range(n_month))
    today, day_rows = -1, []
    for i, t in enumerate(minutes):
        ref = "P%02d%06d" % (k, i + 1)   # unique: months < 100
        d = t // 1440
        if d != today:
            today, day_rows = d, []
        if day_rows and rnd.random() < 0.03:
            orig = rnd.choice(day_rows)
            lines.append("%s,%s,%s,中山路1号,%s,,,,,样例,138-0000-%04d,%s,%s,"
                         ",,,,,,,,%s,1\n"
                         % (ref, orig[1], orig[2], orig[3], i % 10000,
                            rnd.choice(chans), fmt_minute(days, t), orig[0]))
            continue
        if rnd.random() < hshare:
            service, bureau, mean = "heating", "ZJJ", 0.6
        else:
            service, bureau, _, mean = rnd.choices(SERVICES, weights)[0]
        county = rnd.randrange(100)
        area = COUNTIES[county]
        dept = "%s-%s" % (CITIES[county % 14], bureau)
        desc = rnd.choice(pool[service][0])
        day_rows.append((ref, service, desc, area))
        steps = ["", "", "", "", "", "", "", ""]
        # dispatched, accepted, answered, answer, followed, resolved,
        # satisfaction; stalled ones stop at their department.
        stalled = rnd.random() < 0.005
        td = t + int(rnd.expovariate(1 / 300.0)) + 5
        ta = td + int(rnd.expovariate(1 / 400.0)) + 10
        tw = ta + min(int(rnd.expovariate(1 / (mean * 1440.0))),
                      180 * 1440) + 30
        tf = tw + int(rnd.uniform(600, 4000))
        if td < end:
            steps[0] = dept
            steps[1] = fmt_minute(days, td)
            if ta < end:
                steps[2] = fmt_minute(days, ta)
                if tw < end and not stalled:
                    steps[3] = fmt_minute(days, tw)
                    steps[4] = rnd.choice(pool[service][1])
                    if tf < end:
                        ok = rnd.random() < 0.9
                        steps[5] = fmt_minute(days, tf)
                        steps[6] = "1" if ok else "0"
                        steps[7] = rnd.choice(sats[0 if ok else 1])
        coords = ",,"
        if rnd.random() < 0.4:
            coords = ",%.4f,%.4f" % (39 + county * 0.03 + rnd.random() * 0.03,
                                     120 + rnd.random() * 4)
        lines.append("%s,%s,%s,中山路%d号,%s,%s%s,,样例,138-0000-%04d,%s,%s,"
                     "%s,%s,%s,%s,%s,%s,%s,%s,,1\n" % (
                         ref, service, desc, 1 + i % 300, area,
                         "幸福社区", coords, i % 10000, rnd.choice(chans),
                         fmt_minute(days, t), steps[0], steps[1], steps[2],
                         steps[3], steps[4], steps[5], steps[6], steps[7]))
    with open(path, "w") as f:
        f.writelines(lines)
    return len(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=20000000)
    ap.add_argument("--months", type=int, default=58)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    write_catalogue(a.out)
    # Spread evenly over the months, the remainder to the first ones.
    per, extra = divmod(a.requests, a.months)
    work = [(k, per + (k < extra), a.seed, a.months,
             os.path.join(a.out, "part-%02d.csv" % k)) for k in range(a.months)]
    with multiprocessing.Pool(max(1, a.jobs)) as p:
        n = sum(p.map(month_file, work, chunksize=1))
    with open(os.path.join(a.out, "requests.csv.tmp"), "wb") as f:
        f.write((",".join(demo.COLUMNS) + "\n").encode())
        for w in work:
            with open(w[4], "rb") as part:
                shutil.copyfileobj(part, f, 1 << 20)
            os.remove(w[4])
    os.replace(os.path.join(a.out, "requests.csv.tmp"),
               os.path.join(a.out, "requests.csv"))
    print("requests.csv: %d requests over %d months" % (n, a.months))


if __name__ == "__main__":
    main()
