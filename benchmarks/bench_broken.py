"""Benchmark: `pdd-wizard check` of a broken tree: the time of the located report as the tree grows.

The trees are `generate.py`'s, with every 100th option's label a number instead of a text:
type errors spread through the whole file, so the loader's located reporter runs (exit 2,
`FILE:LINE:COL: E100 ...`). The two sizes take turns; the target is on the median of the
ratios, round by round:

    broken 40,000 / broken 10,000 <= 4.5x

    python benchmarks/bench_broken.py [--runs 5] [--quick] [--venv DIR] [--sizes 10000 40000] [--every 100]

Exit status 1 when the target is missed, 2 when it could not be measured.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import harness

TARGET = 4.5


def main() -> int:
    parser = harness.arguments(__doc__, runs=5)
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="default 10000 40000")
    parser.add_argument("--every", type=int, default=100, help="every how many options a label is broken")
    args = parser.parse_args()
    small, large = args.sizes or ((1_000, 4_000) if args.quick else (10_000, 40_000))
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    reported: dict[int, str] = {}

    def check(file: Path, size: int) -> float:
        done = harness.run([env.wizard, "check", file])
        located = re.search(rf"^{re.escape(str(file))}:\d+:\d+: E100 ", done.output, re.MULTILINE)
        if done.status != 2 or located is None:
            harness.fail(f"check {file.name} exited {done.status}, not 2 with a located E100:\n{done.output}")
        reported[size] = done.output.strip().splitlines()[-1]
        return done.seconds

    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for size in (small, large):
            files[size] = harness.generate(Path(folder) / f"broken-{size}.json", size, "--json", "--broken", args.every)
        turns = [lambda: check(files[small], small), lambda: check(files[large], large)]
        smalls, larges = harness.rounds(turns, runs)
    for size, times in ((small, smalls), (large, larges)):
        harness.print_median(f"pdd-wizard check, broken, {size:,} nodes", times)
        print(f"  it said: {reported[size]}")
    verdicts = harness.Verdicts()
    verdicts.ratio(f"broken {large:,} / broken {small:,}", harness.ratio(smalls, larges), TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
