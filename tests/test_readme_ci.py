"""The README's "Use in CI" section stays true: the workflow parses, and every pdd-wizard command in it is accepted."""

from __future__ import annotations

import glob
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.utils import ROOT, run_cli
from wizard.cli.main import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section() -> str:
    match = re.search(r"<!-- BEGIN ci-workflow -->\n(.*?)<!-- END ci-workflow -->", README, flags=re.S)
    assert match, "README has no ci-workflow section"
    return match.group(1)


def block_after(marker: str) -> str:
    match = re.search(re.escape(marker) + r"\s*```yaml\n(.*?)```", section(), flags=re.S)
    assert match, f"the ci-workflow section has no yaml block after {marker!r}"
    return match.group(1)


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(block_after("<!-- ci-workflow: .github/workflows/tree.yml -->"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    (job,) = workflow()["jobs"].values()
    return list(job["steps"])


def pdd_wizard_commands() -> list[str]:
    """Every line of a `run:` step that invokes pdd-wizard."""
    return [
        line.strip()
        for step in steps()
        for line in str(step.get("run", "")).splitlines()
        if line.strip().startswith("pdd-wizard")
    ]


def step_named(name: str) -> dict[str, Any]:
    found = [step for step in steps() if step.get("name") == name]
    assert len(found) == 1, f"no single step named {name!r}"
    return found[0]


def test_workflow_has_the_steps_named() -> None:
    data = workflow()
    assert "name" in data and "jobs" in data
    assert data.get("on", data.get(True)) == ["push", "pull_request"]  # YAML 1.1 reads the key `on` as True
    assert [step["name"] for step in steps()] == [
        "Check out",
        "Set up Python",
        "Install pdd-wizard",
        "Check the trees",
        "Run the scenarios",
        "Upload the scenario report",
    ]
    assert step_named("Check out")["uses"].startswith("actions/checkout@")
    setup = step_named("Set up Python")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "3.12"  # a string: unquoted 3.10 would read as 3.1
    assert step_named("Install pdd-wizard")["run"].strip() == "pip install ."


def test_workflow_checks_and_tests_with_a_junit_report() -> None:
    commands = [shlex.split(line) for line in pdd_wizard_commands()]
    assert ["pdd-wizard", "check", "trees/*.yaml", "--format", "github"] in commands
    (test,) = [argv for argv in commands if argv[1] == "test"]
    assert test[test.index("--min-coverage") + 1] == "100"
    report = test[test.index("--junit-xml") + 1]
    upload = step_named("Upload the scenario report")
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == report
    assert upload["if"] == "always()", "the report must be kept when scenarios fail, above all then"


@pytest.mark.parametrize("command", pdd_wizard_commands())
def test_every_command_is_accepted_by_the_cli(command: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "pdd-wizard"
    build_parser().parse_args(argv[1:])  # raises a WizardError on bad usage


def test_there_are_pdd_wizard_commands() -> None:
    assert len(pdd_wizard_commands()) >= 2


def test_the_check_command_checks_this_repositorys_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    (argv,) = [shlex.split(line) for line in pdd_wizard_commands() if shlex.split(line)[1] == "check"]
    monkeypatch.chdir(ROOT)
    expanded = [match for arg in argv[1:] for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])]  # the shell
    assert "trees/pinduoduo.yaml" in expanded
    result = run_cli(*expanded)
    assert result.status == 0, result.stdout + result.stderr
    assert f"{len(glob.glob('trees/*.yaml'))} tree" in result.stdout


def test_the_test_command_runs_on_this_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (argv,) = [shlex.split(line) for line in pdd_wizard_commands() if shlex.split(line)[1] == "test"]
    report = tmp_path / "test-results.xml"
    argv[argv.index("--junit-xml") + 1] = str(report)
    monkeypatch.chdir(ROOT)
    result = run_cli(*argv[1:])
    assert result.status == 0, result.stdout + result.stderr
    assert ET.parse(report).getroot().tag == "testsuites"


def test_the_scenario_example_passes(tmp_path: Path) -> None:
    path = tmp_path / "parcel.yaml"
    path.write_text(block_after("<!-- example-scenarios -->"), encoding="utf-8")
    result = run_cli("test", str(path))
    assert result.status == 0, result.stdout + result.stderr
    assert "1 scenario: 1 passed, 0 failed" in result.stdout
