"""The benchmark scripts run, on trees small enough for the test suite; their times are not judged here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True, timeout=300
    )


def test_the_floor_is_measured_part_by_part() -> None:
    done = run("bench_floor.py", "--nodes", "2000", "--runs", "1")
    assert done.returncode == 0, done.stderr
    parts = re.findall(r"^(.+?)\s+(\d+\.\d\d)$", done.stdout, re.MULTILINE)
    names = [name.strip() for name, _ in parts]
    assert names[:5] == [
        "start Python (json, re)",
        "read and parse the JSON",
        "make the model's objects, untested",
        "graph passes",
        "search the texts",
    ]
    floor = dict(parts)["the floor, in all"]
    assert abs(float(floor) - sum(float(seconds) for _, seconds in parts[:5])) <= 0.035  # five roundings
    assert "Left for every check, within the target of 3.0 s" in done.stdout


def test_the_check_benchmark_prints_its_table() -> None:
    done = run("bench_check.py", "--sizes", "1000", "--runs", "1", "--formats", "json")
    assert done.returncode == 0, done.stderr
    row = r"^\s+1,0\d\d\s+0\.\d\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d$"  # nodes, MB, command, load, check
    assert re.search(row, done.stdout, re.MULTILINE), done.stdout
