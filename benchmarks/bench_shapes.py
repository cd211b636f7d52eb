"""Benchmark: `pdd-wizard check` (and `show` of the chain) of issue 15's shapes at two sizes, and the growth.

The shapes (`generate.py --shape`): a chain of 30,000 multiple choices, a chain of 30,000
outcomes linked by `escalates_to`, and one multiple choice of 100,000 options; each also at
a third of that size. Each draws one finding per node or option (check exits 0 or 1). In
each round the two sizes take turns; the growth is the median of the ratios, round by
round, beside the growth of the size (3.00x): a linear check grows as much. The target is
`TARGET` (3.60x, linear with a margin for the machine's noise); `show` of the chain, which
drew every level nested, has the same.

    python benchmarks/bench_shapes.py [--runs 1] [--quick] [--venv DIR] [--shapes chain escalation wide]

Exit status 0, 1 when a target is missed, or 2 when it could not be measured.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

import harness
from generate import SHAPES

#: The largest size of each shape, after issue 15; the small size is a third of it.
LARGE = {"chain": 30_000, "escalation": 30_000, "wide": 100_000}
#: Most growth for 3x the size: linear, with a margin for the noise of one run.
TARGET = 3.6


def main() -> int:
    parser = harness.arguments(__doc__, runs=1)
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    args = parser.parse_args()
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)

    def timed(command: str, file: Path) -> float:
        argv = [env.wizard, command, file] if command == "check" else [env.wizard, command, "--tree", file]
        done = harness.run(argv)
        if done.status not in (0, 1):
            harness.fail(f"pdd-wizard {command} {file.name} exited {done.status}:\n{done.output[-2000:]}")
        return done.seconds

    verdicts = harness.Verdicts()
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes:
            large = LARGE[shape] // (100 if args.quick else 1)
            small = large // 3
            files = {}
            for size in (small, large):
                files[size] = harness.generate(Path(folder) / f"{shape}-{size}.json", size, "--shape", shape)
            for command in ("check", "show") if shape == "chain" else ("check",):
                # Runs of seconds each, that read a small file: a first round to warm up would only cost.
                turns = [partial(timed, command, files[small]), partial(timed, command, files[large])]
                smalls, larges = harness.rounds(turns, runs, warm=False)
                for size, times in ((small, smalls), (large, larges)):
                    harness.print_median(f"pdd-wizard {command}, {shape} of {size:,}", times)
                growth = harness.ratio(smalls, larges)
                verdicts.ratio(f"{shape}: {command} {large:,} / {command} {small:,}", growth, TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
