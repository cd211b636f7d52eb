"""Benchmark: export a generated 10,000-node tree in each text format (Mermaid, DOT, JSON). Target: under 1 s each.

Times, for each format, the export in-process (graph built and rendered, tree loaded once;
median of `--runs`) and the whole command `pdd-wizard export` in a fresh interpreter
(loading included; median of `--runs`), on the tree written as JSON (how a program writes
a tree this large; read with the json module) and as YAML, and prints a table.

    python benchmarks/bench_export.py [--nodes 10000] [--runs 5]

The target (issue 6) is the export itself: under 1 s in every format. The whole command
on the JSON tree, with the interpreter's start, networkx's import and the load, is held to
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

from wizard import export  # noqa: E402
from wizard.load import load_tree  # noqa: E402

TARGET = 1.0
FORMATS = ("mermaid", "dot", "json")


def tree_text(nodes: int) -> str:
    """A valid generated tree of about `nodes` nodes (`benchmarks/generate.py`, else a local stand-in)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate_tree_text
    except ImportError:
        return _fan_tree_text(nodes)
    return str(generate_tree_text(nodes))


def _fan_tree_text(nodes: int) -> str:
    """A stand-in generator: questions with three options each, leading to the next questions or outcomes."""
    questions = max(1, (nodes - 1) // 2)
    outcomes = max(1, nodes - questions)
    lines = ["id: bench", "title: {zh: 基准树, en: Benchmark tree}", "languages: [zh, en]", "start: q0", "nodes:"]
    for index in range(questions):
        options = []
        for choice in range(3):
            child = 3 * index + choice + 1
            target = f"q{child}" if child < questions else f"o{child % outcomes}"
            options.append(f"{{id: c{choice}, label: {{zh: 选项{choice}, en: Choice {choice}}}, next: {target}}}")
        lines.append(
            f"  q{index}: {{kind: single, prompt: {{zh: 问题{index}, en: Question {index}}}, "
            f"options: [{', '.join(options)}]}}"
        )
    for index in range(outcomes):
        lines.append(
            f"  o{index}: {{kind: outcome, level: {index % 5}, title: {{zh: 结果{index}, en: Outcome {index}}}, "
            f"channel: {{zh: 渠道, en: Channel}}, summary: {{zh: 说明, en: Summary}}}}"
        )
    return "\n".join(lines) + "\n"


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
        path = Path(folder) / "bench.yaml"
        path.write_text(tree_text(args.nodes), encoding="utf-8")
        as_json = Path(folder) / "bench.json"
        as_json.write_text(tree_json(args.nodes), encoding="utf-8")
        started = time.perf_counter()
        tree = load_tree(path)
        loaded = time.perf_counter() - started
        edges = sum(1 for _ in tree.edges())
        print(f"tree: {len(tree.nodes):,} nodes, {edges:,} edges; loaded once in {loaded:.3f} s")
        print(
            f"{'format':<8} {'in-process':>11} {'command, JSON tree':>19} {'YAML tree':>10} {'output':>10}"
            "  export  command"
        )
        missed = False
        for fmt in FORMATS:
            size = len(export.export_tree(tree, fmt, lang="en"))
            inside = median_time(lambda fmt=fmt: export.export_tree(tree, fmt, lang="en"), args.runs)  # type: ignore[misc]
            wholes = []
            for source in (as_json, path):
                command = [sys.executable, "-m", "wizard", "export", "--tree", str(source), "--format", fmt]

                def run_command(command: list[str] = command) -> None:
                    subprocess.run([*command, "--lang", "en"], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)

                wholes.append(median_time(run_command, args.runs))
            verdict = "ok" if inside < TARGET else "SLOW"
            goal = "ok" if wholes[0] < TARGET else "slow"
            missed = missed or verdict != "ok"
            print(
                f"{fmt:<8} {inside:>9.3f} s {wholes[0]:>17.3f} s {wholes[1]:>8.3f} s {size / 1e6:>7.2f} MB"
                f"  {verdict:<6}  {goal}"
            )
    print(f"target: the export under {TARGET:g} s in each format; goal: the whole command on the JSON tree too")
    return 1 if missed else 0


def tree_json(nodes: int) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_tree_json

    return str(generate_tree_json(nodes))


if __name__ == "__main__":
    sys.exit(main())
