"""Rows of the hostile-input table for issue 15's bounds: memory, time, devices and pipes, escapes in tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.hostile.case import Case
from tests.utils import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_shape_json

LIMIT = 32 * 1024 * 1024  # wizard.source.load.MAX_FILE_BYTES


def _text(value: str) -> dict[str, str]:
    return {"en": value}


def _wide(options: int) -> str:
    """A tree of one multiple choice of `options` options, leading to one outcome: 2**options paths."""
    choices = [{"id": f"x{i}", "label": _text(f"Option {i}")} for i in range(options)]
    nodes = {
        "q": {"kind": "multiple", "prompt": _text("Tried?"), "options": choices, "next": "end"},
        "end": {"kind": "outcome", "title": _text("End"), "channel": _text("c"), "summary": _text("s")},
    }
    return json.dumps({"id": "wide", "title": _text("Wide"), "languages": ["en"], "start": "q", "nodes": nodes})


#: A tree whose ids hold ESC, an OSC 52 clipboard write and a right-to-left override.
HOSTILE_IDS = """\
id: t
title: {en: T}
languages: [en]
start: q
nodes:
  q: {kind: single, prompt: {en: P}, options: [{id: "a\\e]52;c;aGk=\\a", label: {en: A}, next: "o\\u202e"}]}
  "o\\u202e": {kind: outcome, title: {en: E}, channel: {en: c}, summary: {en: s}}
"""
SMALL = """\
id: small
title: {en: Small}
languages: [en]
start: q
nodes:
  q: {kind: single, prompt: {en: P}, options: [{id: a, label: {en: A}, next: end}]}
  end: {kind: outcome, title: {en: E}, channel: {en: c}, summary: {en: s}}
"""
HOSTILE_NAMES = """\
tree: small.yaml
scenarios:
  - {name: "\\e]52;c;aGk=\\a clip \\e[2J", answers: {q: a}, expect: {outcome: end}}
  - {name: "\\u202e reversed", answers: {q: a}, expect: {outcome: end, contains: ["\\e[2J gone"]}}
"""


def _no_file(name: str) -> object:
    def after(folder: Path, done: subprocess.CompletedProcess[bytes]) -> None:
        assert not (folder / name).exists(), f"{name} was written"

    return after


CASES = [
    # Lazy listing: --limit 2 over 2**40 subsets (building them all took gigabytes).
    Case(
        "paths --list --limit 2 of 40 options",
        ("paths", "--tree", "w.json", "--list", "--limit", "2"),
        0,
        r"2 of 1099511627776 paths listed",
        files={"w.json": _wide(40)},
        timeout=30,
    ),
    # 2**14300 has 4,305 digits: past Python's limit for int -> str.
    Case(
        "paths count of 4305 digits",
        ("paths", "--tree", "w.json"),
        0,
        r"about 5\.36e\+4304 paths",
        files={"w.json": _wide(14_300)},
    ),
    Case(
        "paths json count of 4305 digits",
        ("paths", "--tree", "w.json", "--format", "json"),
        0,
        r'"total": "5\.36e\+4304"',
        files={"w.json": _wide(14_300)},
    ),
    # Devices and pipes: counted while read, refused past the limit.
    Case("run --answers /dev/zero", ("run", "--answers", "/dev/zero"), 2, r"/dev/zero: file is larger than the limit"),
    Case("export --highlight /dev/zero", ("export", "--highlight", "/dev/zero"), 2, r"/dev/zero: file is larger"),
    Case("test /dev/zero", ("test", "/dev/zero"), 2, r"/dev/zero: file is larger"),
    Case("check /dev/zero", ("check", "/dev/zero"), 2, r"/dev/zero: E100 not a file"),
    Case(
        "run --answers /dev/stdin, endless",
        ("run", "--answers", "/dev/stdin"),
        2,
        r"/dev/stdin: file is larger",
        stdin=b"y\n" * (LIMIT // 2 + 1),
    ),
    # Time: one JSON line of 100,000 options was located by scanning back from each (24 s).
    Case(
        "check one multiple choice of 100,000 options",
        ("check", "w.json"),
        0,
        r"W402",
        files={"w.json": generate_shape_json("wide", 100_000)},
        timeout=20,
    ),
    # --as-scenarios writes nothing `test` cannot read.
    Case(
        "paths --as-scenarios over what test reads",
        ("paths", "--tree", "w.json", "--as-scenarios", "--limit", "0", "-o", "s.yaml"),
        2,
        r"more than 1,048,576 bytes of YAML.*--limit of about",
        files={"w.json": _wide(24)},
        after=_no_file("s.yaml"),
    ),  # type: ignore[arg-type]
    Case(
        "test DIR reads .json scenario files",
        ("test", "suite"),
        0,
        r"(?m)^1 scenario: 1 passed",
        files={
            "small.yaml": SMALL,
            "suite/one.json": json.dumps(
                {
                    "tree": "../small.yaml",
                    "scenarios": [{"name": "one", "answers": {"q": "a"}, "expect": {"outcome": "end"}}],
                }
            ),
        },
    ),
    # Escapes: ids and names from files go out through one_line.
    Case(
        "paths table of hostile ids",
        ("paths", "--tree", "t.yaml", "--list"),
        0,
        r"q=a\\x1b\]52;c;aGk=\\x07 → o\\u202e",
        files={"t.yaml": HOSTILE_IDS},
    ),
    Case(
        "paths of a hostile file name",
        ("paths", "--tree", "t\x1b[2J.yaml"),
        0,
        r"t\\x1b\[2J\.yaml: 1 path",
        files={"t\x1b[2J.yaml": SMALL},
    ),
    Case(
        "test table of hostile names",
        ("test", "s.yaml"),
        1,
        r"\\x1b\]52;c;aGk=\\x07 clip \\x1b\[2J",
        files={"small.yaml": SMALL, "s.yaml": HOSTILE_NAMES},
    ),
]
