"""Benchmark: `pdd-wizard check` on generated trees of 1,000, 10,000 and 100,000 nodes, as a table.

Targets (issue 4): 100,000 nodes checked in under 3 s, and the time from 10,000 to
100,000 nodes growing less than 12 times (linear, not quadratic).

Each size is written as JSON (which is YAML too, and what a program that generates a
tree this large writes; the json module reads it several times faster than libyaml),
and as YAML where it fits the loader's 1 MiB YAML limit. For each it times the
installed command in a fresh process (`pdd-wizard check FILE`, median of `--runs`),
then splits the same work in-process: the loader
(reading the YAML and building the tree) and the validator (`check_tree`), each with
the cycle collector paused as the command does.

    python benchmarks/bench_check.py [--sizes 1000 10000 100000] [--runs 3] [--formats json yaml]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate_tree_json, generate_tree_text  # noqa: E402

from wizard.rules import check_tree, gc_paused  # noqa: E402
from wizard.source.load import MAX_YAML_BYTES, build_tree, read_document  # noqa: E402

#: Most seconds for the largest size.
TARGET_SECONDS = 3.0
#: Most growth of the time from 10,000 to 100,000 nodes.
TARGET_RATIO = 12.0


def command() -> list[str]:
    """The installed `pdd-wizard` next to this Python, else `python -m wizard`."""
    installed = Path(sys.executable).parent / "pdd-wizard"
    if installed.exists():
        return [str(installed)]
    found = shutil.which("pdd-wizard")
    return [found] if found else [sys.executable, "-m", "wizard"]


def time_command(file: Path, runs: int) -> float:
    """Median wall time of `pdd-wizard check FILE`; the tree must check clean."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([*command(), "check", str(file)], capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"pdd-wizard check {file} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return statistics.median(times)


def time_parts(file: Path) -> tuple[float, float, int]:
    """Seconds to load the tree and to check it, in this process, and its number of nodes."""
    with gc_paused():
        started = time.perf_counter()
        tree = build_tree(read_document(file, keys_checked_by_build=True))  # as read_tree, split in two
        loaded = time.perf_counter()
        report = check_tree(tree)
        checked = time.perf_counter()
    if report.findings:
        raise SystemExit(f"{file}: the generated tree has findings: {report.findings[:3]}")
    return loaded - started, checked - loaded, len(tree.nodes)


def ratio(times: dict[int, float], small: int, large: int) -> float | None:
    if small in times and large in times and times[small] > 0:
        return times[large] / times[small]
    return None


def machine_speed() -> float:
    """Seconds this machine takes for 10^7 additions in a Python loop: a yardstick for the absolute
    times, which vary from day to day on a shared machine (the ratios vary much less)."""
    started = time.perf_counter()
    total = 0
    for number in range(10**7):
        total += number
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of the command per size (median)")
    parser.add_argument(
        "--formats", nargs="+", choices=("json", "yaml"), default=["json", "yaml"], help="how the trees are written"
    )
    args = parser.parse_args()
    print(f"This machine: 10^7 additions in a Python loop take {machine_speed():.2f} s")
    missed = []
    for form in args.formats:
        missed += bench_format(form, args.sizes, args.runs)
    return 1 if missed else 0


def bench_format(form: str, sizes: list[int], runs: int) -> list[str]:
    """Time `check` on each size written in one format; print the table and the targets; the targets missed."""
    write = generate_tree_json if form == "json" else generate_tree_text
    whole: dict[int, float] = {}
    loads: dict[int, float] = {}
    checks: dict[int, float] = {}
    print(f"\nTrees written as {form.upper()}")
    print(f"{'nodes':>8}  {'file MB':>8}  {'command s':>10}  {'load s':>8}  {'check s':>8}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            file = Path(folder) / f"tree-{size}.{form}"
            file.write_text(write(size), encoding="utf-8")
            megabytes = file.stat().st_size / 1e6
            if form == "yaml" and file.stat().st_size > MAX_YAML_BYTES:
                print(f"{size:>8,}  {megabytes:>8.1f}  over the YAML limit of 1 MiB: a tree this large is JSON")
                continue
            whole[size] = time_command(file, runs)
            loads[size], checks[size], nodes = time_parts(file)
            print(
                f"{nodes:>8,}  {megabytes:>8.1f}  {whole[size]:>10.2f}  {loads[size]:>8.2f}  {checks[size]:>8.2f}",
                flush=True,
            )
    if not whole:
        return []
    largest = max(whole)
    missed = []
    if largest >= 100_000:
        ok = whole[largest] < TARGET_SECONDS
        missed += [] if ok else [f"{form} time"]
        print(f"{largest:,} nodes: {whole[largest]:.2f} s (target < {TARGET_SECONDS} s) {'ok' if ok else 'MISSED'}")
        print(f"  of which the validator: {checks[largest]:.2f} s, the loader: {loads[largest]:.2f} s")
    for name, times in (("command", whole), ("validator alone", checks), ("loader alone", loads)):
        grown = ratio(times, 10_000, 100_000)
        if grown is not None:
            ok = grown < TARGET_RATIO
            if name == "command" and not ok:
                missed.append(f"{form} ratio")
            print(f"10,000 → 100,000 nodes, {name}: × {grown:.1f} (target < {TARGET_RATIO}) {'ok' if ok else 'MISSED'}")
    return missed


if __name__ == "__main__":
    sys.exit(main())
