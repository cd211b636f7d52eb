"""`pdd-wizard test`: scenario files through the engine, the results table, coverage, JSON, JUnit XML, exit codes."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from tests.utils import FIXTURES, MINI, ROOT, Result, run_cli
from wizard.cli.main import main
from wizard.core.coverage import format_percent, tree_coverage, tree_items
from wizard.core.engine import run_answers
from wizard.core.errors import LoadError
from wizard.render.scenario_run import run_scenario
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.source.scenario import load_scenarios

SCENARIOS = FIXTURES / "scenarios"
MINI_FILE = "tests/fixtures/trees/mini.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixture paths are given relative to the repository, as a user in it would type them."""
    monkeypatch.chdir(ROOT)


def run_test(*args: str) -> Result:
    return run_cli("test", *args)


def fixture(name: str) -> str:
    return str((SCENARIOS / name).relative_to(ROOT))


def write_scenarios(folder: Path, scenarios: Sequence[Mapping[str, Any]], tree: str | None = None) -> Path:
    """A scenario file in `folder` holding `scenarios`, for the tree `tree` (default: mini.yaml)."""
    path = folder / "scenarios.yaml"
    path.write_text(
        yaml.safe_dump({"tree": tree or str(MINI), "scenarios": scenarios}, sort_keys=False), encoding="utf-8"
    )
    return path


def table_rows(stdout: str) -> dict[str, list[str]]:
    """The results table by scenario name: [expected, got, result] (names must fit the table)."""
    lines = stdout.split("\n\n")[0].splitlines()
    assert lines[0].split() == ["SCENARIO", "EXPECTED", "GOT", "RESULT"]
    return {" ".join(line.split()[:-3]): line.split()[-3:] for line in lines[1:]}


# --- Passing, failing, coverage -----------------------------------------------------------------


def test_all_passing_with_full_coverage() -> None:
    result = run_test(fixture("pass"), "--min-coverage", "100")
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    rows = table_rows(result.stdout)
    assert rows["scam call"] == ["scam_alert", "scam_alert", "ok"]
    assert rows["parcel, everything tried"] == ["all_tried", "all_tried", "ok"]
    assert len(rows) == 5
    assert f"coverage of mini ({MINI_FILE}): nodes 9/9 100%, edges 8/8 100%, options 6/6 100%" in result.stdout
    assert "unreached" not in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last == "5 scenarios: 5 passed, 0 failed; coverage mini 100% (nodes 9/9, edges 8/8, options 6/6)"


FAILURES = [
    ("wrong outcome", ["use_chat", "call_courier", "FAIL"], "expected outcome 'use_chat', got 'call_courier'"),
    (
        "wrong questions asked",
        ["scam_alert", "scam_alert", "FAIL"],
        "expected questions ['role', 'tried'], asked ['role', 'problem']",
    ),
    ("text missing", ["seller_help", "seller_help", "FAIL"], "outcome text (en) does not contain 'Call 12345'"),
    (
        "invalid answer",
        ["call_courier", "-", "FAIL"],
        "question 'problem': 'refund' is not an option; valid options: parcel, scam",
    ),
    ("unanswered question", ["call_courier", "-", "FAIL"], "question 'problem' reached but not answered"),
]


@pytest.mark.parametrize(("name", "row", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failing_scenario_is_marked_with_its_reason(name: str, row: list[str], reason: str) -> None:
    result = run_test(fixture("fail"))
    assert result.status == 1
    assert table_rows(result.stdout)[name] == row
    failures = result.stdout.split("\nfailures:\n")[1].split("\n\n")[0]
    block = failures.split(f"  {name} (")[1].split("\n  ")[0]
    assert block.startswith(fixture("fail/mini.yaml") + ":")
    assert reason in failures.split(f"  {name} (")[1].splitlines()[1]


def test_failing_run_summary_and_stderr() -> None:
    result = run_test(fixture("fail"))
    assert result.status == 1
    assert table_rows(result.stdout)["passes"] == ["seller_help", "seller_help", "ok"]
    assert result.stdout.splitlines()[-1].startswith("6 scenarios: 1 passed, 5 failed; coverage mini ")
    assert result.stderr == "pdd-wizard: 5 scenarios failed\n"


def test_walks_that_stop_count_for_no_coverage(tmp_path: Path) -> None:
    path = write_scenarios(
        tmp_path,
        [
            {
                "name": "stops at problem",
                "answers": {"role": "buyer", "problem": "x"},
                "expect": {"outcome": "call_courier"},
            }
        ],
    )
    result = run_cli("test", str(path), "--format", "json")
    coverage = json.loads(result.stdout)["coverage"]["mini"]
    assert coverage["reached"] == {"nodes": 0, "edges": 0, "options": 0}


def test_a_walk_to_the_wrong_outcome_still_counts_for_coverage() -> None:
    data = json.loads(run_test(fixture("fail"), "--format", "json").stdout)
    unreached = {item["id"] for item in data["coverage"]["mini"]["unreached"]["nodes"]}
    assert "call_courier" not in unreached  # reached by "wrong outcome", which expected use_chat


def test_below_the_minimum_coverage_fails_and_lists_the_unreached() -> None:
    assert run_test(fixture("partial")).status == 0
    assert run_test(fixture("partial"), "--min-coverage", "66").status == 0
    result = run_test(fixture("partial"), "--min-coverage", "66.7")
    assert result.status == 1
    assert result.stderr == "pdd-wizard: coverage below the minimum of 66.7%: mini 66.6%\n"
    assert f"coverage of mini ({MINI_FILE}): nodes 7/9 77.7%, edges 6/8 75%, options 4/6 66.6%" in result.stdout
    unreached = [line.split() for line in result.stdout.splitlines() if line.startswith("  unreached ")]
    assert unreached == [
        ["unreached", "node", "all_tried", f"{MINI_FILE}:52:5"],
        ["unreached", "node", "seller_help", f"{MINI_FILE}:64:5"],
        ["unreached", "edge", "role[seller]", "->", "seller_help", f"{MINI_FILE}:14:9"],
        ["unreached", "edge", "ladder[exhausted]", "->", "all_tried", f"{MINI_FILE}:38:16"],
        ["unreached", "option", "role=seller", f"{MINI_FILE}:14:9"],
        ["unreached", "option", "tried=chat", f"{MINI_FILE}:30:9"],
    ]
    assert result.stdout.splitlines()[-1].endswith("; below the minimum of 66.7%: mini")


@pytest.mark.parametrize("value", ["101", "-1", "abc", "nan"])
def test_min_coverage_must_be_a_percentage(value: str) -> None:
    result = run_test(fixture("pass"), "--min-coverage", value)
    assert result.status == 2
    assert "expected a percentage from 0 to 100" in result.stderr


def test_default_path_is_tests_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tests" / "scenarios").mkdir(parents=True)
    write_scenarios(
        tmp_path / "tests" / "scenarios",
        [{"name": "seller", "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}}],
    )
    monkeypatch.chdir(tmp_path)
    result = run_test()
    assert result.status == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        "1 scenario: 1 passed, 0 failed; coverage mini 12.5% (nodes 2/9, edges 1/8, "
    )


@pytest.mark.parametrize("columns", [60, 80, 400])
def test_table_and_unreached_list_fit_a_terminal(tmp_path: Path, columns: int) -> None:
    long = "a scenario with a name much longer than the table has room for, and then some more words"
    with_long = [{"name": long, "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}}]
    out = io.StringIO()
    env = Environment(
        stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), stdout_isatty=True, environ={"COLUMNS": str(columns)}
    )
    assert main(["test", str(write_scenarios(tmp_path, with_long))], env) == 0
    table = out.getvalue().split("\n\n")[0].splitlines()
    assert all(len(line) < columns for line in table), table
    name = table[1].split("  ")[0]
    if columns < 400:  # cut in the middle: the start and the end both show
        assert name.startswith("a scena") and "…" in name and name.endswith("some more words")
    else:  # room enough, however long the fixture's path: nothing is cut
        assert name == long
        unreached = [line for line in out.getvalue().splitlines() if line.startswith("  unreached")]
        assert unreached and not any("…" in line for line in unreached)


def test_in_a_pipe_nothing_is_cut_so_every_row_can_be_told_apart(tmp_path: Path) -> None:
    # Generated suites name scenarios by their answers: cut at a fixed width, every row looked the same.
    names = [f"role=buyer problem=parcel tried=courier and a long tail number {n}" for n in range(3)]
    scenarios = [{"name": n, "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}} for n in names]
    result = run_cli("test", str(write_scenarios(tmp_path, scenarios)), environ={"COLUMNS": "60"})
    table = result.stdout.split("\n\n")[0].splitlines()
    assert [line.split("  ")[0] for line in table[1:]] == names
    assert "…" not in result.stdout
    unreached = [line for line in result.stdout.splitlines() if line.startswith("  unreached edge")]
    assert unreached and all(" -> " in line and "…" not in line for line in unreached)


# --- Broken input: exit 2 ------------------------------------------------------------------------


def test_broken_yaml_is_reported_with_its_location() -> None:
    result = run_test(fixture("broken_yaml"))
    assert result.status == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"pdd-wizard: {fixture('broken_yaml/mini.yaml')}:5:11: YAML syntax error")


def test_unknown_fields_are_all_reported() -> None:
    result = run_test(fixture("unknown_field"))
    assert result.status == 2
    file = fixture("unknown_field/mini.yaml")
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"pdd-wizard: {file}:4:") and "unknown field 'answer'" in lines[0]
    assert lines[1].startswith(f"pdd-wizard: {file}:8:") and "expect: unknown field 'contain'" in lines[1]
    assert len(lines) == 2


def test_every_broken_file_is_reported_not_only_the_first() -> None:
    result = run_test(fixture("broken_yaml"), fixture("unknown_field"), fixture("pass"))
    assert result.status == 2
    assert "YAML syntax error" in result.stderr and "unknown field 'answer'" in result.stderr


def test_a_tree_that_cannot_be_loaded_is_bad_input_located_where_it_is_named() -> None:
    result = run_test(fixture("bad_tree"))
    assert result.status == 2
    assert result.stderr.splitlines() == [  # one error, one line
        f"pdd-wizard: {fixture('bad_tree/missing.yaml')}:1:7: scenario 'its tree is missing': "
        "tree 'tests/fixtures/trees/no-such-tree.yaml' cannot be loaded: "
        "tests/fixtures/trees/no-such-tree.yaml: no such file",
    ]


def test_a_tree_with_several_problems_is_announced_then_each_is_a_located_line(tmp_path: Path) -> None:
    tree = tmp_path / "broken.yaml"
    tree.write_text("id: broken\nlanguages: [zh]\nstart: a\nnodes: {a: {kind: nope}, b: {kind: outcome}}\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"tree: {tree}\nscenarios:\n  - {{name: x, answers: {{}}, expect: {{outcome: a}}}}\n")
    result = run_cli("test", str(scenario))
    lines = result.stderr.splitlines()
    assert result.status == 2
    lead = f"pdd-wizard: {scenario}:1:7: scenario 'x': tree '{tree}' cannot be loaded"
    assert lines[0] == f"{lead}, for the {len(lines) - 1} problems below"
    assert len(lines) > 2 and all(line.startswith(f"pdd-wizard: {tree}:") for line in lines[1:])


def test_no_scenarios_is_bad_input(tmp_path: Path) -> None:
    result = run_cli("test", str(tmp_path))
    assert result.status == 2
    assert result.stderr == f"pdd-wizard: {tmp_path}: no scenarios found (scenario files are *.yaml or *.yml)\n"
    assert run_cli("test", str(tmp_path / "missing")).status == 2


def test_duplicate_names_in_a_file_are_bad_input(tmp_path: Path) -> None:
    twice = {"name": "same", "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}}
    result = run_cli("test", str(write_scenarios(tmp_path, [twice, twice])))
    assert result.status == 2
    assert "scenario 'same': the name is used twice in this file (first at line 3)" in result.stderr


# --- Naming what the tree does not have: a broken file, exit 2 --------------------------------------

UNKNOWN_IDS = fixture("unknown_ids/mini.yaml")
MINI_OUTCOMES = "expected one of: call_courier, use_chat, all_tried, scam_alert, seller_help"
MINI_QUESTIONS = "expected one of: role, problem, tried"
UNKNOWN = [
    (
        "12:16",
        "no such outcome",
        f"expect: outcome 'no_such_outcome' is not an outcome of tree 'mini'; {MINI_OUTCOMES}",
    ),
    (
        "16:23",
        "outcome misspelt",
        f"expect: outcome 'seller_hlep' is not an outcome of tree 'mini'; did you mean 'seller_help'? {MINI_OUTCOMES}",
    ),
    (
        "20:23",
        "a question expected as the outcome",
        f"expect: outcome 'role' is a question of tree 'mini', not an outcome; {MINI_OUTCOMES}",
    ),
    (
        "26:21",
        "no such question asked",
        f"expect: asked: 'problme' is not a question of tree 'mini'; did you mean 'problem'? {MINI_QUESTIONS}",
    ),
    (
        "32:37",
        "a ladder expected as asked",
        f"expect: asked: 'ladder' is a ladder of tree 'mini', not a question; {MINI_QUESTIONS}",
    ),
    ("36:11", "no such language", "lang 'fr' is not a language of tree 'mini'; expected one of: zh, en"),
    (
        "42:12",
        "answer to no question",
        f"answer to 'rol': tree 'mini' has no such question; did you mean 'role'? {MINI_QUESTIONS}",
    ),
]


def unknown_line(where: str, name: str, message: str) -> str:
    return f"pdd-wizard: {UNKNOWN_IDS}:{where}: scenario '{name}': {message}"


@pytest.mark.parametrize(("where", "name", "message"), UNKNOWN, ids=[case[1] for case in UNKNOWN])
def test_a_scenario_naming_what_the_tree_does_not_have_is_a_broken_file(where: str, name: str, message: str) -> None:
    result = run_test(UNKNOWN_IDS)
    assert result.status == 2
    assert unknown_line(where, name, message) in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_every_broken_scenario_is_reported_and_none_runs() -> None:
    result = run_test(UNKNOWN_IDS)
    assert result.status == 2
    assert result.stdout == ""  # not even the scenarios that are right, nor the real failure
    assert result.stderr.splitlines() == [unknown_line(*case) for case in UNKNOWN]


def test_a_real_failure_still_exits_1(tmp_path: Path) -> None:
    wrong = {"name": "wrong outcome", "answers": {"role": "seller"}, "expect": {"outcome": "scam_alert"}}
    result = run_cli("test", str(write_scenarios(tmp_path, [wrong])))
    assert result.status == 1
    assert table_rows(result.stdout)["wrong outcome"] == ["scam_alert", "seller_help", "FAIL"]
    assert "    expected outcome 'scam_alert', got 'seller_help'\n" in result.stdout
    assert result.stderr == "pdd-wizard: 1 scenario failed\n"


def test_a_long_list_of_ids_is_shortened(tmp_path: Path) -> None:
    # The issue's example: the shipped tree has 18 outcomes, of which the message names 10.
    wrong = {"name": "bad outcome", "answers": {"role": "consumer", "problem": "fraud"}, "expect": {"outcome": "x"}}
    result = run_cli("test", str(write_scenarios(tmp_path, [wrong], tree="pinduoduo")))
    assert result.status == 2
    (line,) = result.stderr.splitlines()
    assert line == (
        f"pdd-wizard: {tmp_path / 'scenarios.yaml'}:8:14: scenario 'bad outcome': expect: outcome 'x' "
        "is not an outcome of tree 'pinduoduo'; expected one of: contact_courier, app_chat, hotline_95187, "
        "platform_intervention, email, social_media, consumer_all_tried, fraud_alert, scam_loss, "
        "searched_number_alert and 8 more"
    )


def test_an_answer_run_ignores_is_an_error_in_a_scenario(tmp_path: Path) -> None:
    # `run --answers` goes on with a warning: an answers file may be shared. A scenario's answer to a
    # question the tree does not have is a mistake that would test another path than the one meant.
    answers = {"role": "seller", "rol": "buyer"}
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    ran = run_cli("run", "--tree", str(MINI), "--answers", str(tmp_path / "answers.yaml"), "--format", "json")
    assert ran.status == 0
    assert "answer to 'rol' ignored: the tree has no such question" in ran.stderr
    typo = {"name": "typo", "answers": answers, "expect": {"outcome": "seller_help"}}
    result = run_cli("test", str(write_scenarios(tmp_path, [typo])))
    assert result.status == 2
    assert "scenario 'typo': answer to 'rol': tree 'mini' has no such question; did you mean 'role'?" in result.stderr


def test_shape_problems_and_unknown_ids_of_one_file_are_reported_together(tmp_path: Path) -> None:
    scenarios: list[dict[str, Any]] = [
        {"name": "unknown outcome", "answers": {"role": "seller"}, "expect": {"outcome": "nope"}},
        {"name": "unknown field", "answers": {"role": "seller"}, "expect": {"outcome": "seller_help", "x": 1}},
        {"name": "unknown lang", "answers": {"role": "seller"}, "lang": "fr", "expect": {"outcome": "seller_help"}},
    ]
    result = run_cli("test", str(write_scenarios(tmp_path, scenarios)))
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert [line.split(": scenario ")[1].split(":")[0] for line in lines] == [
        "'unknown outcome'",
        "'unknown field'",
        "'unknown lang'",
    ]  # in file order
    assert "expect: unknown field 'x'" in lines[1]


def test_a_broken_file_stops_the_files_that_are_sound(tmp_path: Path) -> None:
    result = run_test(fixture("pass"), UNKNOWN_IDS, fixture("broken_yaml"))
    assert result.status == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[: len(UNKNOWN)] == [unknown_line(*case) for case in UNKNOWN]
    assert "YAML syntax error" in lines[len(UNKNOWN)] and len(lines) == len(UNKNOWN) + 1


def test_unknown_ids_in_json_and_junit_are_reported_as_broken_input(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = run_test(UNKNOWN_IDS, "--format", "json", "--junit-xml", str(report))
    assert result.status == 2
    assert len(result.stderr.splitlines()) == len(UNKNOWN)
    # A whole document, as `check --format json` gives for an unreadable tree: no scenario, every problem.
    document = json.loads(result.stdout)
    assert document["scenarios"] == [] and len(document["problems"]) == len(UNKNOWN)
    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "1")
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("name") == UNKNOWN_IDS
    error = case.find("error")
    assert error is not None
    assert error.get("message") == unknown_line(*UNKNOWN[0]).removeprefix("pdd-wizard: ")
    assert (error.text or "").splitlines() == [unknown_line(*c).removeprefix("pdd-wizard: ") for c in UNKNOWN]


def test_the_api_refuses_to_run_such_a_scenario() -> None:
    scenarios = load_scenarios(UNKNOWN_IDS)  # well formed: only the tree can tell
    assert len(scenarios) == 9
    with pytest.raises(LoadError) as caught:
        run_scenario(scenarios[1], load_tree)
    assert caught.value.lines() == [unknown_line(*UNKNOWN[0]).removeprefix("pdd-wizard: ")]
    assert run_scenario(scenarios[0], load_tree).passed


def test_a_file_without_scenarios_says_so() -> None:
    result = run_test(fixture("empty"))
    assert result.status == 2
    assert result.stderr == (
        f"pdd-wizard: {fixture('empty/mini.yaml')}:3:12: the file holds no scenario: its 'scenarios' list is empty\n"
    )


def test_an_empty_file_beside_scenarios_is_no_error() -> None:
    assert run_test(fixture("empty"), fixture("pass")).status == 0


# --- Scenario semantics ---------------------------------------------------------------------------


def test_defaults_and_lang(tmp_path: Path) -> None:
    scenarios: list[dict[str, Any]] = [
        {"name": "defaults", "answers": {}, "defaults": True, "expect": {"outcome": "call_courier"}},
        {
            "name": "zh text",
            "answers": {"role": "seller"},
            "lang": "zh",
            "expect": {"outcome": "seller_help", "contains": "看后台"},
        },
        {
            "name": "en text",
            "answers": {"role": "seller"},
            "lang": "en",
            "expect": {"outcome": "seller_help", "contains": "看后台"},
        },
    ]
    result = run_cli("test", str(write_scenarios(tmp_path, scenarios)))
    rows = table_rows(result.stdout)
    assert rows["defaults"][-1] == "ok" and rows["zh text"][-1] == "ok"
    assert rows["en text"][-1] == "FAIL"
    assert "outcome text (en) does not contain '看后台'" in result.stdout


def test_now_is_passed_to_the_plan(tmp_path: Path) -> None:
    tree = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    tree["schedules"] = {
        "desk": {
            "channel": {"zh": "后台客服", "en": "The back office desk"},
            "timezone": "Asia/Shanghai",
            "opens": "09:00",
            "closes": "21:00",
        }
    }
    tree["nodes"]["seller_help"]["schedule"] = "desk"
    (tmp_path / "tree.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    closed = {"outcome": "seller_help", "contains": ["Outside service hours now"]}
    scenarios: list[dict[str, Any]] = [
        {
            "name": "at night",
            "answers": {"role": "seller"},
            "lang": "en",
            "now": "2026-11-12T03:00+08:00",
            "expect": closed,
        },
        {"name": "no clock", "answers": {"role": "seller"}, "lang": "en", "expect": closed},
    ]
    result = run_cli("test", str(write_scenarios(tmp_path, scenarios, tree="tree.yaml")))
    rows = table_rows(result.stdout)
    assert rows["at night"][-1] == "ok", result.stdout
    assert rows["no clock"][-1] == "FAIL"


def test_each_tree_is_loaded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.source.load

    calls: list[str] = []
    real = wizard.source.load.build_tree

    def counting(doc: wizard.source.load.Document) -> object:
        calls.append(doc.file)
        return real(doc)

    monkeypatch.setattr(wizard.source.load, "build_tree", counting)
    seller = {"name": "seller", "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}}
    (tmp_path / "a").mkdir()
    write_scenarios(tmp_path / "a", [seller], tree=str(MINI))
    (tmp_path / "b").mkdir()
    write_scenarios(tmp_path / "b", [seller], tree=os.path.relpath(MINI, tmp_path / "b"))
    data = json.loads(run_cli("test", str(tmp_path), "--format", "json").stdout)
    assert len(calls) == 1
    assert list(data["coverage"]) == ["mini"]
    assert data["coverage"]["mini"]["scenarios"] == 2


def test_content_engineer_api_still_loads_the_fixtures() -> None:
    (first, *_) = load_scenarios(fixture("pass/mini.yaml"))
    assert first.name == "seller goes to the back office"
    assert first.tree == MINI_FILE
    assert first.loc.line == 4


# --- JSON ----------------------------------------------------------------------------------------

ITEM = {"type": "object", "required": ["id", "location"]}
STRINGS = {"type": "array", "items": {"type": "string"}}
IDS = {"anyOf": [STRINGS, {"type": "null"}]}
COUNTS = {
    "type": "object",
    "required": ["nodes", "edges", "options"],
    "additionalProperties": False,
    "properties": {kind: {"type": "integer"} for kind in ("nodes", "edges", "options")},
}
PROBLEM = {
    "type": "object",
    "required": ["file", "line", "column", "message"],
    "additionalProperties": False,
    "properties": {
        "file": {"type": ["string", "null"]},
        "line": {"type": ["integer", "null"]},
        "column": {"type": ["integer", "null"]},
        "message": {"type": "string"},
    },
}
JSON_SCHEMA = {
    "type": "object",
    "required": ["scenarios", "coverage", "summary", "problems"],
    "additionalProperties": False,
    "properties": {
        "scenarios": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "name",
                    "file",
                    "line",
                    "tree",
                    "expected",
                    "got",
                    "passed",
                    "failures",
                    "ignored_answers",
                ],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "file": {"type": "string"},
                    "line": {"type": "integer"},
                    "tree": {"type": "string"},
                    "expected": {
                        "type": "object",
                        "required": ["outcome", "asked", "contains"],
                        "additionalProperties": False,
                        "properties": {"outcome": {"type": "string"}, "asked": IDS, "contains": STRINGS},
                    },
                    "got": {
                        "type": "object",
                        "required": ["outcome", "asked"],
                        "additionalProperties": False,
                        "properties": {"outcome": {"type": ["string", "null"]}, "asked": IDS},
                    },
                    "passed": {"type": "boolean"},
                    "failures": {"type": "array", "items": {"type": "string"}},
                    "ignored_answers": IDS,
                },
            },
        },
        "coverage": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["tree", "file", "scenarios", "totals", "reached", "percent", "meets_minimum", "unreached"],
                "additionalProperties": False,
                "properties": {
                    "tree": {"type": "string"},
                    "file": {"type": "string"},
                    "scenarios": {"type": "integer"},
                    "totals": COUNTS,
                    "reached": COUNTS,
                    "percent": {"type": "object", "required": ["nodes", "edges", "options", "lowest"]},
                    "meets_minimum": {"type": ["boolean", "null"]},
                    "unreached": {
                        "type": "object",
                        "required": ["nodes", "edges", "options"],
                        "additionalProperties": {"type": "array", "items": ITEM},
                    },
                },
            },
        },
        "problems": {"type": "array", "items": PROBLEM},
        "summary": {
            "type": "object",
            "required": ["scenarios", "passed", "failed", "min_coverage", "ok"],
            "additionalProperties": False,
            "properties": {
                "scenarios": {"type": "integer"},
                "passed": {"type": "integer"},
                "failed": {"type": "integer"},
                "min_coverage": {"type": ["number", "null"]},
                "ok": {"type": "boolean"},
            },
        },
    },
}


def test_json_report_shape() -> None:
    result = run_test(fixture("fail"), "--format", "json", "--min-coverage", "50")
    assert result.status == 1
    data = json.loads(result.stdout)
    jsonschema.validate(data, JSON_SCHEMA)
    wrong = next(s for s in data["scenarios"] if s["name"] == "wrong outcome")
    assert wrong == {
        "name": "wrong outcome",
        "file": fixture("fail/mini.yaml"),
        "line": 8,
        "tree": "mini",
        "expected": {"outcome": "use_chat", "asked": None, "contains": []},
        "got": {"outcome": "call_courier", "asked": ["role", "problem", "tried"]},
        "passed": False,
        "failures": ["expected outcome 'use_chat', got 'call_courier'"],
        "ignored_answers": [],
    }
    invalid = next(s for s in data["scenarios"] if s["name"] == "invalid answer")
    assert invalid["got"] == {"outcome": None, "asked": None}
    mini = data["coverage"]["mini"]
    assert mini["totals"] == {"nodes": 9, "edges": 8, "options": 6}
    assert mini["percent"]["options"] == 66.66 and mini["percent"]["lowest"] == 66.66
    assert mini["meets_minimum"] is True
    assert {
        "id": "ladder[exhausted] -> all_tried",
        "location": f"{MINI_FILE}:38:16",
        "source": "ladder",
        "key": "exhausted",
        "target": "all_tried",
    } in mini["unreached"]["edges"]
    assert {"id": "tried=chat", "location": f"{MINI_FILE}:30:9", "question": "tried", "option": "chat"} in mini[
        "unreached"
    ]["options"]
    assert data["summary"] == {"scenarios": 6, "passed": 1, "failed": 5, "min_coverage": 50.0, "ok": False}


# --- JUnit XML -----------------------------------------------------------------------------------


def test_junit_report_of_a_failing_run(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "junit.xml"
    result = run_test(fixture("fail"), fixture("pass"), "--min-coverage", "100", "--junit-xml", str(report))
    assert result.status == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("12", "5", "0")
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == [fixture("fail/mini.yaml"), fixture("pass/mini.yaml"), "coverage"]
    failing = suites[fixture("fail/mini.yaml")]
    assert (failing.get("tests"), failing.get("failures")) == ("6", "5")
    cases = {case.get("name"): case for case in failing.findall("testcase")}
    assert cases["passes"].find("failure") is None
    failure = cases["wrong outcome"].find("failure")
    assert failure is not None
    assert failure.get("message") == "expected outcome 'use_chat', got 'call_courier'"
    assert cases["wrong outcome"].get("line") == "8"
    assert cases["wrong outcome"].get("classname") == fixture("fail/mini.yaml")
    (coverage,) = suites["coverage"].findall("testcase")
    assert coverage.get("name") == "coverage of mini >= 100%"
    assert coverage.find("failure") is None  # the two files together reach everything
    assert [p.name for p in report.parent.iterdir()] == ["junit.xml"]  # no temporary file left behind


def test_junit_report_of_coverage_below_the_minimum(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text("stale", encoding="utf-8")
    assert run_test(fixture("partial"), "--min-coverage", "90", "--junit-xml", str(report)).status == 1
    root = ET.parse(report).getroot()
    (case,) = root.findall("testsuite[@name='coverage']/testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "mini coverage 66.6% is below the minimum of 90%"
    assert "unreached node: seller_help (tests/fixtures/trees/mini.yaml:64:5)" in (failure.text or "")


def test_junit_report_of_broken_input(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    assert run_test(fixture("broken_yaml"), "--junit-xml", str(report)).status == 2
    root = ET.parse(report).getroot()
    assert root.get("errors") == "1"
    error = root.find("testsuite/testcase/error")
    assert error is not None
    assert (error.get("message") or "").startswith(f"{fixture('broken_yaml/mini.yaml')}:5:11: YAML syntax error")


def test_junit_report_escapes_what_xml_cannot_hold(tmp_path: Path) -> None:
    name = 'a <b> & "c" \x01 退款'
    scenario = {"name": name, "answers": {"role": "seller"}, "expect": {"outcome": "seller_help", "contains": "x]]>"}}
    report = tmp_path / "junit.xml"
    run_cli("test", str(write_scenarios(tmp_path, [scenario])), "--junit-xml", str(report))
    case = ET.parse(report).getroot().find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == 'a <b> & "c" \\x01 退款'
    failure = case.find("failure")
    assert failure is not None and "x]]>" in (failure.text or "")


def test_junit_report_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run_test(fixture("pass"), "--junit-xml", str(tmp_path / "file" / "junit.xml"))
    assert result.status == 2
    assert result.stderr == f"pdd-wizard: --junit-xml {tmp_path}/file/junit.xml: {tmp_path}/file is not a folder\n"


# --- Coverage, the pure part ---------------------------------------------------------------------


def test_items_of_a_tree() -> None:
    items = tree_items(load_tree(MINI))
    assert [i.label for i in items["nodes"]][:3] == ["role", "problem", "tried"]
    assert [i.label for i in items["edges"]] == [
        "role[buyer] -> problem",
        "role[seller] -> seller_help",
        "problem[parcel] -> tried",
        "problem[scam] -> scam_alert",
        "tried[next] -> ladder",
        "ladder[rung:courier] -> call_courier",
        "ladder[rung:chat] -> use_chat",
        "ladder[exhausted] -> all_tried",
    ]
    assert len(items["options"]) == 6


def test_a_multiple_choice_option_is_reached_when_chosen_once() -> None:
    tree = load_tree(MINI)
    walks = [
        run_answers(tree, {"role": "buyer", "problem": "parcel", "tried": []}),
        run_answers(tree, {"role": "buyer", "problem": "parcel", "tried": ["chat"]}),
    ]
    found = tree_coverage(tree, walks)
    assert [i.label for i in found.kinds["options"].unreached] == ["role=seller", "problem=scam", "tried=courier"]
    assert found.walks == 2


def test_no_walks_reach_nothing() -> None:
    found = tree_coverage(load_tree(MINI), [])
    assert found.lowest == 0
    assert found.meets(0) and not found.meets(0.1)


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (Fraction(1), "100%"),
        (Fraction(0), "0%"),
        (Fraction(3, 4), "75%"),
        (Fraction(2, 3), "66.6%"),
        (Fraction(9999, 10000), "99.9%"),
    ],
)
def test_percentages_round_down(fraction: Fraction, text: str) -> None:
    assert format_percent(fraction) == text


# --- The shipped scenarios -----------------------------------------------------------------------


def test_shipped_scenarios_cover_everything() -> None:
    result = run_test("tests/scenarios", "--min-coverage", "100")
    assert result.status == 0, result.stdout + result.stderr


def test_answers_the_path_never_reached_are_warned_about_as_run_does(tmp_path: Path) -> None:
    scenarios = [
        {"name": "seller", "answers": {"role": "seller", "problem": "scam"}, "expect": {"outcome": "seller_help"}}
    ]
    path = write_scenarios(tmp_path, scenarios)
    result = run_cli("test", str(path))
    assert result.status == 0  # a warning, as in run: the scenario still passes
    assert "warnings:\n  seller (" in result.stdout
    assert "    answer to 'problem' ignored: the path never reached that question" in result.stdout
    data = json.loads(run_cli("test", str(path), "--format", "json").stdout)
    assert data["scenarios"][0]["ignored_answers"] == ["problem"]


def test_a_bad_time_is_named_as_the_scenario_writes_it(tmp_path: Path) -> None:
    scenario = {"name": "late", "answers": {"role": "seller"}, "now": "garbage", "expect": {"outcome": "seller_help"}}
    result = run_test(str(write_scenarios(tmp_path, [scenario])))
    assert result.status == 2
    assert "scenario 'late': 'now' 'garbage': expected an ISO-8601 time" in result.stderr
    assert "--now" not in result.stderr


def test_a_refused_answer_is_located_at_its_value_with_a_likely_fix(tmp_path: Path) -> None:
    path = write_scenarios(
        tmp_path,
        [{"name": "typo", "answers": {"role": "buyer", "problem": "parcle"}, "expect": {"outcome": "call_courier"}}],
    )
    result = run_cli("test", str(path))
    assert result.status == 1
    failure = next(line.strip() for line in result.stdout.splitlines() if "'parcle'" in line)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "parcle" in text)
    assert failure.startswith(f"{path}:{line}:")
    assert failure.endswith(
        "question 'problem': 'parcle' is not an option (did you mean 'parcel'?); valid options: parcel, scam"
    )


def test_two_trees_of_one_id_are_each_named_once_by_their_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for tree in (first, second):
        tree.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    one = {"name": "seller", "answers": {"role": "seller"}, "expect": {"outcome": "seller_help"}}
    (tmp_path / "s").mkdir()
    write_scenarios(tmp_path / "s", [one], tree=str(first))
    (tmp_path / "s" / "scenarios.yaml").rename(tmp_path / "s" / "a.yaml")
    write_scenarios(tmp_path / "s", [one], tree=str(second))
    result = run_cli("test", str(tmp_path / "s"))
    headings = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("coverage of")]
    assert headings == [f"coverage of mini ({first})", f"coverage of mini ({second})"]


def test_json_output_says_what_is_broken_when_no_scenario_can_run() -> None:
    result = run_test(fixture("broken_yaml"), "--format", "json")
    assert result.status == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, JSON_SCHEMA)
    assert document["scenarios"] == [] and document["summary"]["ok"] is False
    (problem,) = document["problems"]
    assert problem["message"].startswith("YAML syntax error") and problem["line"] >= 1
    assert result.stderr.count("pdd-wizard: ") == 1  # and the person reading stderr is told as before
