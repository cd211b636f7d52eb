"""Benchmark: export a generated 10,000-node tree in each text format (Mermaid, DOT, JSON). Target: under 1 s each.

Times, for each format, the export in-process (graph built and rendered, tree loaded once;
median of `--runs`) and the whole command `pdd-wizard export` in a fresh interpreter
(loading included; median of `--runs`). The tree is written as JSON, as a program writes
a tree this large (a YAML tree is read up to 1 MiB, about 4,000 nodes), and the table
is printed.

    python benchmarks/bench_export.py [--nodes 10000] [--runs 5]

The target (issue 6) is the export itself: under 1 s in every format. The whole command,
with the interpreter's start, networkx's import and the load, is held to
the same second as a stricter goal of ours and marked separately.

Exit status 1 when an export misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard.render.diagrams import export_tree  # noqa: E402
from wizard.source.load import load_tree  # noqa: E402

TARGET = 1.0
FORMATS = ("mermaid", "dot", "json")


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        as_json = Path(folder) / "bench.json"
        as_json.write_text(tree_json(args.nodes), encoding="utf-8")
        started = time.perf_counter()
        tree = load_tree(as_json)
        loaded = time.perf_counter() - started
        edges = sum(1 for _ in tree.edges())
        print(f"tree: {len(tree.nodes):,} nodes, {edges:,} edges, as JSON; loaded once in {loaded:.3f} s")
        print(f"{'format':<8} {'in-process':>11} {'command':>9} {'output':>10}  export  command")
        missed = False
        for fmt in FORMATS:
            size = len(export_tree(tree, fmt, lang="en"))
            inside = median_time(lambda fmt=fmt: export_tree(tree, fmt, lang="en"), args.runs)  # type: ignore[misc]
            command = [
                sys.executable,
                "-m",
                "wizard",
                "export",
                "--tree",
                str(as_json),
                "--format",
                fmt,
                "--lang",
                "en",
            ]

            def run_command(command: list[str] = command) -> None:
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)

            whole = median_time(run_command, args.runs)
            verdict = "ok" if inside < TARGET else "SLOW"
            goal = "ok" if whole < TARGET else "slow"
            missed = missed or verdict != "ok"
            print(f"{fmt:<8} {inside:>9.3f} s {whole:>7.3f} s {size / 1e6:>7.2f} MB  {verdict:<6}  {goal}")
    print(f"target: the export under {TARGET:g} s in each format; goal: the whole command too")
    return 1 if missed else 0


def tree_json(nodes: int) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_tree_json

    return str(generate_tree_json(nodes))


if __name__ == "__main__":
    sys.exit(main())
