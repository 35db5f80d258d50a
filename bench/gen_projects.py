#!/usr/bin/env python3
"""A province-scale key-project pipeline for the benchmark (issue 6, Speed).

Writes the CSV files that `civstat project import` reads (docs/formats.md)
into --out: projects.csv, plans.csv, milestones.csv and reports.csv, for
--projects projects (20,000) spread over the 14 cities and 100 counties of
shared/bench/gen.py's province (codes C01..C14, X001..X100), every cluster,
type and phase, a planned investment per year and a report per month for
2016-01..2025-12 (10 years: 2.4 million reports at 20,000 projects), and
three milestones each.  Everything is sample data (sample=1).

Deterministic: the output is a pure function of (--projects, --seed).
Python 3 stdlib only.
"""
import argparse
import os
import random

CLUSTERS = ["fine_chem", "new_energy", "new_materials", "biomed", "equipment",
            "agri_food", "corridor", "urban", "livelihood", "services"]
TYPES = ["industry", "infrastructure", "livelihood", "technology"]
PHASES = ["planning", "signed", "started", "building", "completed",
          "operating"]
AREAS = ["C%02d" % c for c in range(1, 15)] + \
        ["X%03d" % x for x in range(1, 101)]
FIRST_YEAR, LAST_YEAR = 2016, 2025


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--projects", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(a.seed)
    path = lambda n: os.path.join(a.out, n)
    with open(path("projects.csv"), "w") as fp, \
            open(path("plans.csv"), "w") as fl, \
            open(path("milestones.csv"), "w") as fm, \
            open(path("reports.csv"), "w") as fr:
        fp.write("code,name,cluster,type,area,total,phase,planned_start,"
                 "planned_finish,actual_start,source,sample\n")
        fl.write("project,year,amount,sample\n")
        fm.write("project,milestone,due,done,sample\n")
        fr.write("project,period,investment,progress,sample\n")
        for k in range(1, a.projects + 1):
            code = "PX-%05d" % k
            cluster = CLUSTERS[k % len(CLUSTERS)]
            phase = rnd.choice(PHASES)
            total = round(rnd.uniform(1, 120), 2)
            start_year = rnd.randint(FIRST_YEAR - 1, LAST_YEAR)
            started = "%d-%02d-01" % (start_year, rnd.randint(1, 12))
            actual = started if PHASES.index(phase) >= 2 else ""
            fp.write("%s,样例项目%05d（样例）,%s,%s,%s,%s,%s,%s,%d-12-31,%s,"
                     "sample,1\n" % (code, k, cluster, rnd.choice(TYPES),
                                     rnd.choice(AREAS), total, phase,
                                     started, start_year + 3, actual))
            # The pace sets how far each project runs behind or ahead.
            pace = rnd.uniform(0.6, 1.3)
            progress = 0.0
            for y in range(FIRST_YEAR, LAST_YEAR + 1):
                plan = round(total / 10 * rnd.uniform(0.8, 1.2), 2)
                fl.write("%s,%d,%s,1\n" % (code, y, plan))
                for m in range(1, 13):
                    inv = round(plan / 12 * pace * rnd.uniform(0.5, 1.5), 4)
                    progress = min(100.0, progress + 100 / 120 * pace)
                    fr.write("%s,%d-%02d,%s,%.1f,1\n" % (code, y, m, inv,
                                                         progress))
            for j, name in enumerate(("土地手续办结", "主体工程完成",
                                      "设备安装完成")):
                due = "%d-%02d-15" % (start_year + j, rnd.randint(1, 12))
                done = due if rnd.random() < 0.7 else ""
                fm.write("%s,%s,%s,%s,1\n" % (code, name, due, done))


if __name__ == "__main__":
    main()
