"""Benchmark: a scripted `--format json` run of the shipped tree against the floor `python -c "import yaml, json"`.

Runs both alternately in the same process tree, prints the median wall time of each and their ratio.
Target: ratio <= 2.0.

    python benchmarks/bench_run.py [--runs 21]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 2.0
ROOT = Path(__file__).resolve().parent.parent


def wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tree", default="pinduoduo")
    args = parser.parse_args()
    floor = [sys.executable, "-c", "import yaml, json"]
    answers = ["--answer", "role=consumer", "--answer", "problem=quality", "--answer", "tried=app_chat"]
    run = [sys.executable, "-m", "wizard", "run", "--tree", args.tree, "--format", "json", "--defaults"]
    if args.tree == "pinduoduo":
        run += answers
    wall(floor), wall(run)  # warm the file cache
    floors, runs = [], []
    for _ in range(args.runs):
        floors.append(wall(floor))
        runs.append(wall(run))
    f, r = statistics.median(floors), statistics.median(runs)
    ratio = r / f
    rows = [("floor: python -c 'import yaml, json'", f), (f"pdd-wizard run --format json ({args.tree})", r)]
    print(f"{'what':<50} {'median':>10}")
    for what, seconds in rows:
        print(f"{what:<50} {seconds * 1000:>8.1f}ms")
    print(f"ratio {ratio:.2f} (target <= {TARGET}): {'ok' if ratio <= TARGET else 'OVER TARGET'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
