#!/usr/bin/env python3
"""Compares two CSV answers: same header, same rows in the same order,
numbers equal within a relative tolerance, strings exactly.  Prints
'PASS name' or the first differences and exits 1."""
import csv
import math
import sys


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


def main():
    name, got_path, ref_path = sys.argv[1:4]
    rel = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-9
    with open(got_path, newline="") as f:
        got = list(csv.reader(f))
    with open(ref_path, newline="") as f:
        ref = list(csv.reader(f))
    errors = []
    if not got or not ref or got[0] != ref[0]:
        errors.append("header %r != %r" % (got[:1], ref[:1]))
    elif len(got) != len(ref):
        errors.append("%d rows, reference has %d" % (len(got) - 1, len(ref) - 1))
    else:
        for r, (a, b) in enumerate(zip(got[1:], ref[1:]), start=2):
            for c, (x, y) in enumerate(zip(a, b)):
                nx, ny = num(x), num(y)
                if nx is not None and ny is not None:
                    if not math.isclose(nx, ny, rel_tol=rel, abs_tol=1e-9):
                        errors.append("line %d column %s: %s != %s" % (r, ref[0][c], x, y))
                elif x != y:
                    errors.append("line %d column %s: %r != %r" % (r, ref[0][c], x, y))
            if len(a) != len(b):
                errors.append("line %d: %d fields, reference has %d" % (r, len(a), len(b)))
    if errors:
        print("FAIL %s: %s" % (name, "; ".join(errors[:5])))
        sys.exit(1)
    print("PASS %s (%d rows)" % (name, len(ref) - 1))


if __name__ == "__main__":
    main()
