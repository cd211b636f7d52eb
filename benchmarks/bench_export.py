"""Benchmark: `pdd-wizard export` of a generated 10,000-node tree in each text format, against `check` of it.

In each round `pdd-wizard check` of the tree and its export as Mermaid, DOT and JSON take
turns; each export is given as the median of the ratios export / check, round by round.
Both load the same tree in a fresh process, so the ratio is what the export adds to a load
and a check. It is measured only, with no target: the export's own target (issue 6, under
1 s in-process) cannot be timed from the command line.

    python benchmarks/bench_export.py [--runs 5] [--quick] [--venv DIR] [--nodes 10000]

Exit status 0, or 2 when it could not be measured.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import harness

FORMATS = ("mermaid", "dot", "json")


def main() -> int:
    parser = harness.arguments(__doc__, runs=5)
    parser.add_argument("--nodes", type=int, help="default 10000")
    args = parser.parse_args()
    nodes = args.nodes or (1_000 if args.quick else 10_000)
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    written: dict[str, int] = {}  # bytes each format's export wrote

    def timed(argv: list[str | Path]) -> harness.Finished:
        done = harness.run([env.wizard, *argv])
        if done.status != 0:
            harness.fail(f"pdd-wizard {' '.join(map(str, argv))} exited {done.status}:\n{done.output[-2000:]}")
        return done

    def export(file: Path, name: str) -> float:
        done = timed(["export", "--tree", file, "--format", name, "--lang", "en"])
        written[name] = len(done.output.encode())
        return done.seconds

    with tempfile.TemporaryDirectory() as folder:
        file = harness.generate(Path(folder) / f"tree-{nodes}.json", nodes, "--json")
        print(f"tree of {nodes:,} nodes: {file.stat().st_size / 1e6:.1f} MB of JSON", flush=True)
        turns: list[Callable[[], float]] = [lambda: timed(["check", file]).seconds]
        turns += [partial(export, file, name) for name in FORMATS]
        checks, *exports = harness.rounds(turns, runs)
    harness.print_median("pdd-wizard check", checks)
    for name, times in zip(FORMATS, exports, strict=True):
        harness.print_median(f"pdd-wizard export --format {name} ({written[name] / 1e6:.1f} MB)", times)
    verdicts = harness.Verdicts()
    for name, times in zip(FORMATS, exports, strict=True):
        verdicts.ratio(f"export {name} / check, {nodes:,} nodes", harness.ratio(checks, times), None)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
