"""Rows of the hostile-input table for files written (issue 15): only where the user meant, with true messages."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.hostile.case import Case
from tests.utils import MINI

TREE = MINI.read_text(encoding="utf-8")
ANSWERS = ("--answer", "role=buyer", "--answer", "problem=quality", "--answer", "tried=chat")
HOTLINE = str(Path(__file__).parent.parent / "fixtures" / "interactive" / "hotline.yaml")


Check = Callable[[Path, subprocess.CompletedProcess[bytes]], None]


def _unchanged(name: str, content: str) -> Check:
    def check(folder: Path, done: subprocess.CompletedProcess[bytes]) -> None:
        assert (folder / name).read_text(encoding="utf-8") == content

    return check


def _made_nothing(*names: str) -> Check:
    def check(folder: Path, done: subprocess.CompletedProcess[bytes]) -> None:
        for name in names:
            assert not (folder / name).exists(), name
        assert not list(folder.glob(".*.part"))

    return check


CASES = [
    Case(
        "save to a new name ending in a slash",
        ("run", "--tree", HOTLINE, *ANSWERS, "--save", "new/"),
        2,
        r"new/: a name ending in '/' names a folder \(Is a directory\)",
        after=_made_nothing("new"),
    ),
    Case(
        "save with force to an existing file's name and a slash",
        ("run", "--tree", HOTLINE, *ANSWERS, "--save", "existing.md/", "--force"),
        2,
        r"existing\.md/: not a folder, though the name ends in '/' \(Not a directory\)",
        files={"existing.md": "keep"},
        after=_unchanged("existing.md", "keep"),
    ),
    Case(
        "export -o a name ending in a slash",
        ("export", "--tree", "t.yaml", "-o", "out.mmd/"),
        2,
        r"Is a directory",
        files={"t.yaml": TREE},
        after=_made_nothing("out.mmd"),
    ),
    Case(
        "export -o the tree itself",
        ("export", "--tree", "t.yaml", "-o", "t.yaml", "--format", "json"),
        2,
        r"t\.yaml: is t\.yaml, which this command reads",
        files={"t.yaml": TREE},
        after=_unchanged("t.yaml", TREE),
    ),
    Case(
        "export -o the tree by another spelling",
        ("export", "--tree", "t.yaml", "-o", "sub/../t.yaml", "--format", "json"),
        2,
        r"which this command reads",
        files={"t.yaml": TREE, "sub/x": ""},
        after=_unchanged("t.yaml", TREE),
    ),
    Case(
        "export -o the highlight answers file",
        ("export", "--tree", "t.yaml", "--highlight", "a.yaml", "-o", "{dir}/a.yaml", "--format", "dot"),
        2,
        r"is a\.yaml, which this command reads",
        files={"t.yaml": TREE, "a.yaml": "role: buyer\n"},
        after=_unchanged("a.yaml", "role: buyer\n"),
    ),
    Case(
        "export -o an ordinary existing file replaces it",
        ("export", "--tree", "t.yaml", "-o", "out.dot"),
        0,
        files={"t.yaml": TREE, "out.dot": "old"},
    ),
    Case(
        "export -o a file in /proc",
        ("export", "--tree", "t.yaml", "-o", "/proc/version", "--format", "dot"),
        2,
        r"/proc/version: cannot make a file in /proc: that folder takes no new files",
        files={"t.yaml": TREE},
    ),
]

SCENARIOS = (
    "tree: t.yaml\n"
    "scenarios:\n"
    "  - name: a seller\n"
    "    answers: {role: seller}\n"
    "    defaults: true\n"
    "    expect: {outcome: seller_help}\n"
)

CASES += [
    Case(
        "paths -o onto its own tree",
        ("paths", "--tree", "t.yaml", "-o", "t.yaml"),
        2,
        "t.yaml",
        files={"t.yaml": TREE},
        after=_unchanged("t.yaml", TREE),
    ),
    Case(
        "test --junit-xml onto its own scenario file",
        ("test", "s.yaml", "--junit-xml", "./s.yaml"),
        2,
        "--junit-xml",
        files={"t.yaml": TREE, "s.yaml": SCENARIOS},
        after=_unchanged("s.yaml", SCENARIOS),
    ),
]
