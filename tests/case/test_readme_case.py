"""The README's "Following a case" commands run, in order, against one case file: they cannot go stale."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.case.helpers import case_cli
from tests.utils import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
STORY = re.search(r"<!-- example: case-story -->\s*```sh\n(.*?)```", README, flags=re.S)
COMMANDS = [line for line in (STORY.group(1) if STORY else "").splitlines() if line.startswith("pdd-wizard ")]


def test_the_readme_has_the_story() -> None:
    assert len(COMMANDS) >= 8
    assert {shlex.split(c)[2] for c in COMMANDS} >= {"new", "log", "next", "list", "show", "export", "close"}


def test_the_readme_story_runs_and_says_what_the_readme_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "cases.sqlite3"
    outputs = []
    for command in COMMANDS:
        result = case_cli(db, *shlex.split(command)[1:])
        assert result.status == 0, f"{command}\n{result.stderr}"
        outputs.append(result.stdout)
    section = README.split("## Following a case", 1)[1].split("\n## ", 1)[0]
    lapsed = re.search(r"The first `case next` begins `! (.*?)`, then", section, flags=re.S)
    assert lapsed and " ".join(lapsed.group(1).split()) in outputs[2]
    say = re.search(r"whose script starts `(.*?)`", section)
    assert say and say.group(1) in outputs[4]
    assert (tmp_path / "case-1.md").is_file() and (tmp_path / "case-1.ics").is_file()
