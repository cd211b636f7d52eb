"""Benchmark: `pdd-wizard check` of the generated 100,000-node JSON tree: its time, its growth, its memory.

Three processes take turns in each round: the floor, a fresh `python -c` that reads the
file and `json.loads` it with the cycle collector off (the same process start as the
command's); `pdd-wizard check` of the 100,000-node tree; and `check` of the 300,000-node
tree. The targets are on the medians of the ratios, round by round, and on the peak
resident memory of the 100,000-node check (the kernel's ru_maxrss of that child, the
largest over the rounds):

    check 100,000 / json.loads floor          <= 3.0x
    check 300,000 / check 100,000             <= 3.3x
    peak memory of check 100,000 / file size  <= 10x

    python benchmarks/bench_check.py [--runs 5] [--quick] [--venv DIR] [--sizes 100000 300000]

The trees come from `generate.py` (a clean tree checks with exit 0). A 300,000-node tree
is about 95 MB, over the loader's limit of 32 MiB today: while `check` refuses it, the growth
is reported as not measured, a missed target. Exit status 1 when a target is missed, 2
when it could not be measured.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import harness

TARGET_FLOOR = 3.0
TARGET_GROWTH = 3.3
TARGET_MEMORY = 10.0
#: Reads the file named by argv[1] and parses it, with the collector off as a fast loader would have it.
FLOOR = """\
import gc, json, sys
gc.disable()
with open(sys.argv[1], encoding="utf-8") as stream:
    json.loads(stream.read())
"""


def main() -> int:
    parser = harness.arguments(__doc__, runs=5)
    parser.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="default 100000 300000")
    args = parser.parse_args()
    small, large = args.sizes or ((1_000, 3_000) if args.quick else (100_000, 300_000))
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for size in (small, large):
            files[size] = harness.generate(Path(folder) / f"tree-{size}.json", size, "--json")
            print(f"tree of {size:,} nodes: {files[size].stat().st_size / 1e6:.1f} MB of JSON", flush=True)
        return measure(env, files[small], files[large], small, large, runs)


def measure(env: harness.Installed, small_file: Path, large_file: Path, small: int, large: int, runs: int) -> int:
    """Time the rounds, print the medians and the verdicts; the exit status."""
    peaks: dict[Path, int] = {small_file: 0, large_file: 0}

    def floor() -> float:
        done = harness.run([env.python, "-c", FLOOR, small_file])
        if done.status != 0:
            harness.fail(f"the floor exited {done.status}:\n{done.output}")
        return done.seconds

    def check(file: Path) -> float:
        done = harness.run([env.wizard, "check", file])
        if done.status != 0:
            harness.fail(f"pdd-wizard check {file.name} exited {done.status}:\n{done.output[-2000:]}")
        peaks[file] = max(peaks[file], done.peak_bytes)
        return done.seconds

    verdicts = harness.Verdicts()
    # A first round, not counted (it fills the file cache), which also sees whether the large tree
    # is read at all: it may be over the loader's limit.
    floor(), check(small_file)
    refused = harness.run([env.wizard, "check", large_file])
    if refused.status != 0:
        floors, smalls = harness.rounds([floor, lambda: check(small_file)], runs, warm=False)
        larges: list[float] = []
    else:
        turns = [floor, lambda: check(small_file), lambda: check(large_file)]
        floors, smalls, larges = harness.rounds(turns, runs, warm=False)
    harness.print_median(f"floor: json.loads of the {small:,}-node file", floors)
    harness.print_median(f"pdd-wizard check, {small:,} nodes", smalls)
    if larges:
        harness.print_median(f"pdd-wizard check, {large:,} nodes", larges)
    size = small_file.stat().st_size
    print(f"peak memory of check, {small:,} nodes: {peaks[small_file] / 1e6:,.0f} MB; the file: {size / 1e6:.1f} MB")
    if larges:
        print(f"peak memory of check, {large:,} nodes: {peaks[large_file] / 1e6:,.0f} MB")
    verdicts.ratio(f"check {small:,} / json.loads floor", harness.ratio(floors, smalls), TARGET_FLOOR)
    growth = f"check {large:,} / check {small:,}"
    if larges:
        verdicts.ratio(growth, harness.ratio(smalls, larges), TARGET_GROWTH)
    else:
        said = refused.output.strip().splitlines()
        verdicts.not_measured(growth, TARGET_GROWTH, f"check exited {refused.status}: {said[0] if said else ''}")
    if peaks[small_file] <= harness.own_peak_bytes():
        harness.fail("the peak memory measured is this process's own: it grew larger than the check's")
    verdicts.ratio(f"peak memory of check {small:,} / file size", peaks[small_file] / size, TARGET_MEMORY)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
