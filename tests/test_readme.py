"""The README's examples run, so they cannot go stale: commands, the answers file, the example tree, tables."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest

from tests.utils import ROOT, run_cli
from wizard.core.errors import ExitStatus
from wizard.source.load import build_tree, read_document

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)


def block_after(marker: str) -> str:
    match = re.search(re.escape(marker) + r"\s*```\w+\n(.*?)```", README, flags=re.S)
    assert match, f"README has no code block after {marker!r}"
    return match.group(1)


def answers_example() -> str:
    return next(code for lang, code in BLOCKS if lang == "yaml" and code.startswith("# answers.yaml"))


RUN_COMMANDS = [
    line.strip()
    for lang, code in BLOCKS
    if lang == "sh"
    for line in code.splitlines()
    if line.strip().startswith("pdd-wizard run")
]


@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_scripted_examples_run(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "answers.yaml").write_text(answers_example(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli(*shlex.split(command)[1:])
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    if "--format json" in command:
        assert json.loads(result.stdout)["outcome"]


def test_there_are_scripted_examples() -> None:
    assert len(RUN_COMMANDS) >= 3


def test_example_tree_loads_and_reaches_its_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "parcel.yaml"
    path.write_text(block_after("<!-- example-tree -->"), encoding="utf-8")
    tree = build_tree(read_document(path))
    assert run_cli("run", "--tree", str(path), "--defaults", "--format", "json").status == 0
    outcomes = {
        json.loads(
            run_cli(
                "run", "--tree", str(path), "--answer", f"problem={p}", "--answer", f"tried={t}", "--format", "json"
            ).stdout
        )["outcome"]
        for p, t in [("late", ""), ("late", "courier"), ("scam", "")]
    }
    assert outcomes == {o.id for o in tree.outcomes()}


def test_json_table_names_every_key_of_the_output() -> None:
    table = README.split("### JSON output", 1)[1].split("###", 1)[0]
    documented_top = set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))
    result = run_cli("run", "--tree", str(ROOT / "tests/fixtures/trees/mini.yaml"), "--defaults", "--format", "json")
    document = json.loads(result.stdout)
    assert documented_top == set(document)
    content_row = next(line for line in table.splitlines() if line.startswith("| `content`"))
    assert set(re.findall(r"`(\w+)`", content_row)) - {"content", "null"} == set(document["content"])


def test_exit_code_table_matches_the_code() -> None:
    table = README.split("### Exit codes", 1)[1].split("##", 1)[0]
    assert {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)} == {int(s) for s in ExitStatus}


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash .ci/run" in README
    assert "python -m pytest" in ci
    assert "python -m pytest" in README


def test_ci_script_is_executable_and_strict() -> None:
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK)
    assert "set -euo pipefail" in ci.read_text(encoding="utf-8")


def test_the_broken_example_tree_prints_what_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example tree, saved as told with the `scam` option sent to `complain`, gives the console shown."""
    tree = block_after("<!-- example-tree -->")
    broken = tree.replace("next: scam_alert}", "next: complain}")
    assert broken != tree
    (tmp_path / "parcel.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    console = block_after("<!-- example-broken-tree -->")
    for command, expected in re.findall(r"^\$ pdd-wizard (.+)\n((?:(?!\$ ).*\n)*)", console, flags=re.M):
        result = run_cli(*command.split())
        assert result.status == 1
        assert result.stdout == expected, command
