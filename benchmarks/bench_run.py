"""Benchmark: a scripted `pdd-wizard run --format json` of the shipped tree, against an import floor.

The floor is `python -c "import yaml, json, msgspec"` (msgspec, the model's library, when
the installed package has it): what any scripted run must import. Floor and run take
turns; the target is on the median of the ratios, round by round:

    scripted run / import floor <= 1.80x

    python benchmarks/bench_run.py [--runs 21] [--quick] [--venv DIR] [--tree pinduoduo]

Exit status 1 when the target is missed, 2 when it could not be measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

import harness

TARGET = 1.80
#: Answers that walk the Pinduoduo tree to an outcome; other trees take their defaults.
ANSWERS = ["--answer", "role=consumer", "--answer", "problem=quality", "--answer", "tried=app_chat"]


def timed(argv: list[str | Path]) -> float:
    """Seconds `argv` takes; it must succeed."""
    done = harness.run(argv)
    if done.status != 0:
        harness.fail(f"{' '.join(map(str, argv))} exited {done.status}:\n{done.output}")
    return done.seconds


def main() -> int:
    parser = harness.arguments(__doc__, runs=21)
    parser.add_argument("--tree", default="pinduoduo")
    args = parser.parse_args()
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    modules = ["yaml", "json"] + (["msgspec"] if env.has("msgspec") else [])
    floor: list[str | Path] = [env.python, "-c", f"import {', '.join(modules)}"]
    scripted: list[str | Path] = [env.wizard, "run", "--tree", args.tree, "--format", "json", "--defaults"]
    scripted += ANSWERS if args.tree == "pinduoduo" else []
    floors, walks = harness.rounds([lambda: timed(floor), lambda: timed(scripted)], runs)
    harness.print_median(f"floor: import {', '.join(modules)}", floors)
    harness.print_median(f"pdd-wizard run --format json ({args.tree})", walks)
    verdicts = harness.Verdicts()
    verdicts.ratio("scripted run / import floor", harness.ratio(floors, walks), TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
