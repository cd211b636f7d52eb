"""`paths` stays bounded: a listing stops after --limit in little memory, and any count prints."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils import ROOT
from wizard.cli.commands.paths import count_text


def _wide(path: Path, options: int) -> Path:
    text = {"en": "x"}
    choices = [{"id": f"x{i}", "label": text} for i in range(options)]
    nodes = {
        "q": {"kind": "multiple", "prompt": text, "options": choices, "next": "end"},
        "end": {"kind": "outcome", "title": text, "channel": text, "summary": text},
    }
    path.write_text(json.dumps({"id": "w", "title": text, "languages": ["en"], "start": "q", "nodes": nodes}))
    return path


def _little_memory() -> None:
    limit = 1 << 30  # 1 GiB of address space: the 2**40 subsets of 40 options would need far more
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("options", [40, 200])
def test_listing_two_paths_of_a_huge_choice_takes_little_memory(tmp_path: Path, options: int) -> None:
    tree = _wide(tmp_path / "w.json", options)
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "paths", "--tree", str(tree), "--list", "--limit", "2"],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_little_memory,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    listed = [line for line in done.stdout.splitlines() if "→" in line]
    assert listed == ["q= → end", "q=x0 → end"]


def test_a_count_is_written_in_full_up_to_4300_digits() -> None:
    assert count_text(2**24) == "16777216"
    assert count_text(10**4300 - 1) == "9" * 4300


@pytest.mark.parametrize(
    ("number", "shown"),
    [(10**4300, "about 1.00e+4300"), (2**14300, "about 5.36e+4304"), (10**4301 - 1, "about 1.00e+4301")],
    ids=["10^4300", "2^14300", "10^4301-1"],  # pytest's own ids would print the numbers, which Python refuses
)
def test_a_longer_count_is_written_in_scientific_form(number: int, shown: str) -> None:
    assert count_text(number) == shown
