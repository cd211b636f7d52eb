"""The graph validator: one fixture per check, the shipped trees, and the `check` and `paths` commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from msgspec.structs import replace

from tests.utils import MINI, ROOT, run_cli
from wizard.cli.commands import check as check_command
from wizard.core.errors import LoadError
from wizard.core.model import (
    Branch,
    Compare,
    Ladder,
    Localized,
    MultipleChoice,
    Option,
    Outcome,
    Route,
    Rung,
    SingleChoice,
    Tree,
    node_edges,
)
from wizard.render.scenario_run import run_scenario
from wizard.rules import (
    CODES,
    LINE_BUDGET,
    MAX_DEPTH,
    RULES,
    Finding,
    Limits,
    NodeIdMismatch,
    TreeCycle,
    check_tree,
    count_paths,
    iter_paths,
    refuse_broken,
)
from wizard.source.load import build_tree, load_tree, read_document
from wizard.source.scenario import load_scenarios

FIXTURES = ROOT / "tests" / "fixtures" / "validate"
CLEAN = FIXTURES / "clean.yaml"
SHIPPED = sorted((ROOT / "trees").glob("*.yaml"))


def findings_of(tree: Tree, **limits: int) -> list[Finding]:
    return check_tree(tree, Limits(**limits)).findings


def pairs(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.code, f.node) for f in findings]


# --- One fixture per check ---------------------------------------------------------------------

#: (fixture, the code, the node it names, codes the defect brings along by nature, stated limits)
FIXTURE_CASES: list[tuple[str, str, str | None, set[str], dict[str, int]]] = [
    ("e103_unreachable.yaml", "E103", "orphan", set(), {}),
    ("e104_dead_end.yaml", "E104", "ask", set(), {}),
    ("e105_no_outcome.yaml", "E105", "spin", {"E106"}, {}),  # only a cycle can trap a path without a dead end
    ("e106_cycle.yaml", "E106", "q", set(), {}),
    ("e201_route_default.yaml", "E201", "r", set(), {}),
    ("e204_not_asked.yaml", "E204", "r", set(), {}),
    ("e205_branch_never_taken.yaml", "E205", "r", set(), {}),
    ("e205_option_never_offered.yaml", "E205", "ask", set(), {}),
    ("e205_rung_never_taken.yaml", "E205", "ladder", set(), {}),
    ("e205_item_never_shown.yaml", "E205", "done_a", set(), {}),
    ("e302_empty_text.yaml", "E302", "q", set(), {}),
    ("e303_control_characters.yaml", "E303", "q", set(), {}),
    ("e305_undeclared_fact.yaml", "E305", "done_a", set(), {}),
    ("w401_choice_changes_nothing.yaml", "W401", "q", set(), {}),
    ("w402_option_nothing_reads.yaml", "W402", "q", set(), {}),
    ("w403_too_deep.yaml", "W403", "q3", set(), {"max_depth": 2}),
    ("w404_long_line.yaml", "W404", "done_a", set(), {}),
    ("w405_default_never_taken.yaml", "W405", "r", set(), {}),
    ("w406_default_not_offered.yaml", "W406", "ask", set(), {}),
    ("w407_unused_schedule.yaml", "W407", None, set(), {}),
    ("w408_escalation_loop.yaml", "W408", "done_a", set(), {}),
    ("w409_analysis_bounded.yaml", "W409", "ladder", set(), {"state_limit": 4}),
    ("w410_same_label.yaml", "W410", "q", set(), {}),
    ("w411_not_a_plain_id.yaml", "W411", "q", set(), {}),
]


@pytest.mark.parametrize(
    ("fixture", "code", "node", "along", "limits"), FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES]
)
def test_each_fixture_holds_exactly_the_defect_it_names(
    fixture: str, code: str, node: str | None, along: set[str], limits: dict[str, int]
) -> None:
    findings = findings_of(load_tree(FIXTURES / fixture), **limits)
    assert (code, node) in pairs(findings)
    assert {f.code for f in findings} <= {code} | along, pairs(findings)
    for finding in findings:
        assert finding.loc.file.endswith(fixture)
        assert finding.loc.line > 0, finding  # file:line of the node, option, branch or condition
        if finding.node is not None:
            assert f"'{finding.node}'" in finding.message


def test_the_clean_fixture_reports_nothing() -> None:
    assert findings_of(load_tree(CLEAN)) == []


def test_the_reported_line_is_where_the_thing_is_written() -> None:
    lines = (FIXTURES / "e205_branch_never_taken.yaml").read_text().splitlines()
    (finding,) = findings_of(load_tree(FIXTURES / "e205_branch_never_taken.yaml"))
    assert "{when: {q: [a]}, next: done_b}" in lines[finding.loc.line - 1]
    lines = (FIXTURES / "e103_unreachable.yaml").read_text().splitlines()
    (finding,) = findings_of(load_tree(FIXTURES / "e103_unreachable.yaml"))
    assert lines[finding.loc.line - 1].startswith("  orphan:")


# What the loader refuses can still be built in Python: the validator checks it there too.


N = TypeVar("N")


def node_of(tree: Tree, node_id: str, kind: type[N]) -> N:
    node = tree.nodes[node_id]
    assert isinstance(node, kind)
    return node


def with_node(tree: Tree, node_id: str, node: object) -> Tree:
    return replace(tree, nodes={**tree.nodes, node_id: node})


def with_options(tree: Tree, node_id: str, *options: Option) -> Tree:
    question = tree.nodes[node_id]
    assert isinstance(question, (SingleChoice, MultipleChoice))
    return with_node(tree, node_id, replace(question, options=(*question.options, *options)))


def label(text: str) -> Localized:
    return Localized({"zh": text, "en": text})


def missing_next(tree: Tree) -> Tree:
    return with_options(tree, "role", Option("guest", label("Guest"), next="nowhere"))


def missing_start(tree: Tree) -> Tree:
    return replace(tree, start="nowhere")


def duplicate_option(tree: Tree) -> Tree:
    return with_options(tree, "role", Option("seller", label("Seller again"), next="seller_help"))


def id_not_its_key(tree: Tree) -> Tree:
    return with_node(tree, "seller_help", replace(tree.nodes["seller_help"], id="helper"))


def duplicate_rung(tree: Tree) -> Tree:
    ladder = node_of(tree, "ladder", Ladder)
    return with_node(tree, "ladder", replace(ladder, rungs=(*ladder.rungs, Rung("chat", "use_chat"))))


def route_without_branches(tree: Tree) -> Tree:
    return with_node(tree, "after_all", Route("after_all", ()))


def with_first_branch_when(tree: Tree, when: Compare) -> Tree:
    """The tree with the first branch of route 'after_all' (to 'complain') taken on `when`."""
    route = node_of(tree, "after_all", Route)
    branch = Branch("complain", when=when)
    return with_node(tree, "after_all", replace(route, branches=(branch, *route.branches[1:])))


def operator_of_the_other_kind(tree: Tree) -> Tree:
    return with_first_branch_when(tree, Compare("problem", "includes", ("refund",)))


def condition_on_no_question(tree: Tree) -> Tree:
    return with_first_branch_when(tree, Compare("problme", "is", ("refund",)))


def ladder_on_no_question(tree: Tree) -> Tree:
    return with_node(tree, "ladder", replace(node_of(tree, "ladder", Ladder), question="triedx"))


def condition_on_no_option(tree: Tree) -> Tree:
    return with_first_branch_when(tree, Compare("problem", "is", ("refnud",)))


def rung_on_no_option(tree: Tree) -> Tree:
    ladder = node_of(tree, "ladder", Ladder)
    return with_node(tree, "ladder", replace(ladder, rungs=(*ladder.rungs, Rung("carrier_pigeon", "use_chat"))))


def missing_translation(tree: Tree) -> Tree:
    outcome = tree.nodes["complain"]
    return with_node(tree, "complain", replace(outcome, say=Localized({"zh": "请答复。"})))


def undeclared_language(tree: Tree) -> Tree:
    outcome = tree.nodes["complain"]
    return with_node(tree, "complain", replace(outcome, say=Localized({"zh": "是", "en": "Yes", "fr": "Oui"})))


def default_not_an_option(tree: Tree) -> Tree:
    return with_node(tree, "role", replace(tree.nodes["role"], default="guest"))


def missing_escalation(tree: Tree) -> Tree:
    return with_node(tree, "complain", replace(tree.nodes["complain"], escalates_to="role"))


def bidi_override(tree: Tree) -> Tree:
    return with_node(tree, "complain", replace(tree.nodes["complain"], summary=label("pay \u202eenilno")))


def line_break_in_a_label(tree: Tree) -> Tree:
    role = node_of(tree, "role", SingleChoice)
    option = replace(role.options[0], label=label("A\nbuyer"))
    return with_node(tree, "role", replace(role, options=(option, *role.options[1:])))


PYTHON_CASES: list[tuple[Callable[[Tree], Tree], str, str | None]] = [
    (missing_next, "E101", "role"),
    (missing_start, "E101", None),
    (missing_escalation, "E101", "complain"),
    (duplicate_option, "E102", "role"),
    (id_not_its_key, "E102", "seller_help"),
    (duplicate_rung, "E102", "ladder"),
    (route_without_branches, "E104", "after_all"),
    (condition_on_no_question, "E202", "after_all"),
    (ladder_on_no_question, "E202", "ladder"),
    (default_not_an_option, "E203", "role"),
    (condition_on_no_option, "E203", "after_all"),
    (rung_on_no_option, "E203", "ladder"),
    (operator_of_the_other_kind, "E206", "after_all"),
    (missing_translation, "E301", "complain"),
    (undeclared_language, "E304", "complain"),
    (bidi_override, "E303", "complain"),
    (line_break_in_a_label, "E303", "role"),
]


@pytest.mark.parametrize(("build", "code", "node"), PYTHON_CASES, ids=[c[0].__name__ for c in PYTHON_CASES])
def test_a_tree_built_in_python_is_checked_for_what_the_loader_refuses(
    build: Callable[[Tree], Tree], code: str, node: str | None
) -> None:
    assert (code, node) in pairs(findings_of(build(load_tree(CLEAN))))


def test_every_code_has_a_case() -> None:
    covered = {c[1] for c in FIXTURE_CASES} | {c[1] for c in PYTHON_CASES} | {"E100"}  # E100: the CLI tests
    assert covered == set(CODES)


# --- Every fixture, by glob: each reports exactly the code in its name -------------------------------

FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("[ew][0-9][0-9][0-9]_*.yaml"))
#: Codes a fixture's defect brings along by nature.
ALONG = {c[0]: c[3] for c in FIXTURE_CASES}
#: The limits a fixture's code is stated against.
LIMITS_OF = {c[0]: c[4] for c in FIXTURE_CASES}
#: Fixtures whose code blocks loading: `check` reports the code, and every other command refuses them.
REFUSED_BY_THE_LOADER = {
    "e101_missing_node.yaml",
    "e102_duplicate_id.yaml",
    "e202_unknown_question.yaml",
    "e203_unknown_option.yaml",
    "e206_operator_kind.yaml",
    "e301_missing_translation.yaml",
    "e304_undeclared_language.yaml",
}


def codes_reported(path: Path, limits: dict[str, int]) -> set[str]:
    """The codes `check` reports for one file (E100 when the loader refuses it)."""
    try:
        document = read_document(path)
        tree = build_tree(document)
    except LoadError:
        return {"E100"}
    return {f.code for f in check_tree(tree, Limits(**limits), locate=document.where).findings}


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_each_fixture_reports_exactly_the_code_in_its_name(name: str) -> None:
    code = name[:4].upper()
    reported = codes_reported(FIXTURES / name, LIMITS_OF.get(name, {}))
    assert code in reported and reported <= {code} | ALONG.get(name, set()), reported


def test_every_code_can_come_from_a_file() -> None:
    assert {name[:4].upper() for name in FIXTURE_FILES} == set(CODES)


# --- The registry: each code once, and the README's table is it -----------------------------------------


def test_the_registry_has_each_code_once_with_its_check() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes)) and codes == sorted(codes)
    assert all(re.fullmatch(r"[EW]\d{3}", code) for code in codes)
    assert [rule.code for rule in RULES if rule.check is None] == ["E100"]  # the loader's own
    assert all(rule.summary and "\n" not in rule.summary for rule in RULES)


def test_the_readme_table_of_codes_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Checking a tree\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([EW]\d{3}) \| (error|warning) \| (.*) \|$", section, flags=re.M)
    assert rows == [(rule.code, rule.severity, rule.summary) for rule in RULES]


# --- The loading gate: what refuses a tree at `run`, with the loader's messages --------------------------


def option_next_null(tree: Tree) -> Tree:
    return with_options(tree, "role", Option("guest", label("Guest")))


def multiple_next_nowhere(tree: Tree) -> Tree:
    return with_node(tree, "tried", replace(tree.nodes["tried"], next="nowhere"))


def exhausted_nowhere(tree: Tree) -> Tree:
    return with_node(tree, "ladder", replace(tree.nodes["ladder"], exhausted="nowhere"))


def rung_next_nowhere(tree: Tree) -> Tree:
    ladder = node_of(tree, "ladder", Ladder)
    return with_node(tree, "ladder", replace(ladder, rungs=(*ladder.rungs[:2], Rung("hotline", "nowhere"))))


def default_branch_nowhere(tree: Tree) -> Tree:
    route = node_of(tree, "after_all", Route)
    return with_node(tree, "after_all", replace(route, branches=(route.branches[0], Branch("nowhere", default=True))))


def schedule_nowhere(tree: Tree) -> Tree:
    return with_node(tree, "call_hotline", replace(tree.nodes["call_hotline"], schedule="nowhere"))


def condition_on_a_route(tree: Tree) -> Tree:
    return with_first_branch_when(tree, Compare("after_all", "is", ("x",)))


def ladder_on_a_single_choice(tree: Tree) -> Tree:
    return with_node(tree, "ladder", replace(node_of(tree, "ladder", Ladder), question="problem"))


def multiple_default_not_an_option(tree: Tree) -> Tree:
    return with_node(tree, "tried", replace(tree.nodes["tried"], default=("pigeon",)))


def label_without_english(tree: Tree) -> Tree:
    role = node_of(tree, "role", SingleChoice)
    option = replace(role.options[0], label=Localized({"zh": "买家"}))
    return with_node(tree, "role", replace(role, options=(option, *role.options[1:])))


def title_without_english(tree: Tree) -> Tree:
    return replace(tree, title=Localized({"zh": "树"}))


#: A tree broken as a shape-only loader lets through, and the message of the loader that refused it.
GATE_CASES: list[tuple[Callable[[Tree], Tree], str]] = [
    (missing_next, "node 'role': option 'guest': 'next' names no node: 'nowhere'"),
    (option_next_null, "node 'role': option 'guest': missing required field 'next'"),
    (missing_start, "'start' names no node: 'nowhere'"),
    (multiple_next_nowhere, "node 'tried': 'next' names no node: 'nowhere'"),
    (exhausted_nowhere, "node 'ladder': 'exhausted' names no node: 'nowhere'"),
    (rung_next_nowhere, "node 'ladder': rung 'hotline': 'next' names no node: 'nowhere'"),
    (default_branch_nowhere, "node 'after_all': the default branch's 'next' names no node: 'nowhere'"),
    (missing_escalation, "node 'complain': 'escalates_to' names no outcome: 'role'"),
    (schedule_nowhere, "node 'call_hotline': 'schedule' names no schedule: 'nowhere'"),
    (duplicate_option, "node 'role': duplicate option id 'seller'"),
    (
        condition_on_no_question,
        "node 'after_all': condition on 'problme' names no question; questions: role, problem, tried",
    ),
    (
        condition_on_a_route,
        "node 'after_all': condition on 'after_all' names a route node, not a question; "
        "questions: role, problem, tried",
    ),
    (
        ladder_on_no_question,
        "node 'ladder': 'question' names no node: 'triedx'; a ladder reads a multiple-choice question",
    ),
    (
        ladder_on_a_single_choice,
        "node 'ladder': 'question' names a single node: 'problem'; a ladder reads a multiple-choice question",
    ),
    (
        condition_on_no_option,
        "node 'after_all': condition on 'problem': 'refnud' is not one of its options (parcel, refund, scam)",
    ),
    (rung_on_no_option, "node 'ladder': rung 'carrier_pigeon' is not an option of 'tried' (courier, chat, hotline)"),
    (default_not_an_option, "node 'role': default 'guest' is not an option; expected one of: buyer, seller"),
    (
        multiple_default_not_an_option,
        "node 'tried': default 'pigeon' is not an option; expected one of: courier, chat, hotline",
    ),
    (
        operator_of_the_other_kind,
        "node 'after_all': condition on 'problem': operator 'includes' does not apply to a single choice",
    ),
    (missing_translation, "node 'complain': 'say' has no 'en' text"),
    (label_without_english, "node 'role': option 'buyer' has no 'en' label"),
    (title_without_english, "'title' has no 'en' text"),
    (undeclared_language, "node 'complain': 'say' has language 'fr', which the tree does not declare (zh, en)"),
]
BLOCKING = {rule.code for rule in RULES if rule.blocks}


@pytest.mark.parametrize(("build", "message"), GATE_CASES, ids=[c[0].__name__ for c in GATE_CASES])
def test_the_loading_gate_refuses_with_the_loaders_message(build: Callable[[Tree], Tree], message: str) -> None:
    tree = build(load_tree(CLEAN))
    with pytest.raises(LoadError) as caught:
        refuse_broken(tree)
    problems = caught.value.problems
    assert message in [p.message for p in problems]
    for problem in problems:  # located: at the record written in the file, or the one holding it
        assert problem.location is not None and problem.location.file == str(CLEAN), problem
        assert problem.location.line > 0, problem
    # One message serves `run` and `check`: the same findings, there with their codes.
    blocking = [(f.loc, f.message) for f in check_tree(tree).findings if f.code in BLOCKING]
    assert blocking == [(p.location, p.message) for p in problems]


def test_the_gate_lets_through_what_only_check_reports() -> None:
    assert {"E100", "E101", "E102", "E202", "E203", "E206", "E301", "E304"} == BLOCKING
    for case in FIXTURE_CASES:
        refuse_broken(load_tree(FIXTURES / case[0]))  # E103 ... W411: poor advice, not a broken run
    refuse_broken(load_tree(CLEAN))


def broken_every_way(tree: Tree) -> Tree:
    for build, _ in GATE_CASES:
        if build is not missing_start:
            tree = build(tree)
    return tree


@pytest.mark.parametrize(
    "build",
    [*(case[0] for case in GATE_CASES), broken_every_way, lambda t: missing_start(broken_every_way(t))],
    ids=[*(case[0].__name__ for case in GATE_CASES), "broken_every_way", "and_no_start"],
)
def test_every_rule_runs_on_a_tree_the_shape_only_loader_accepts(build: Callable[[Tree], Tree]) -> None:
    # No KeyError on a missing node, no crash on a `next` that is None: findings, each located.
    tree = build(load_tree(CLEAN))
    report = check_tree(tree, Limits(state_limit=2, subset_limit=1, max_depth=1, line_budget=5))
    assert report.errors and all(f.loc.line > 0 for f in report.findings)
    with pytest.raises(LoadError):
        refuse_broken(tree)
    try:
        counted = count_paths(tree)
        listed = list(iter_paths(tree))
    except (TreeCycle, NodeIdMismatch):
        return
    assert counted.total >= 0 and all(p.outcome in tree.nodes for p in listed)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("e101_missing_node.yaml", ":13:9: E101 node 'q': option 'b': 'next' names no node: 'nowhere'"),
        ("e102_duplicate_id.yaml", ":13:9: E102 node 'q': duplicate option id 'a'"),
        ("e202_unknown_question.yaml", ":17:25: E202 node 'r': condition on 'nosuch' names no question; questions: q"),
        ("e203_unknown_option.yaml", ":17:20: E203 node 'r': condition on 'q': 'c' is not one of its options (a, b)"),
    ],
)
def test_what_the_loader_once_refused_check_reports_by_code_and_run_refuses(fixture: str, message: str) -> None:
    # Once the loader's own checks, reported by `check` as E100: now one rule each, with its code.
    result = run_cli("check", str(FIXTURES / fixture), str(CLEAN))
    assert result.status == 1
    assert f"{FIXTURES / fixture}{message}" in result.stdout
    assert f"{CLEAN}: ok" in result.stdout  # the others are still checked
    refused = run_cli("run", "--tree", str(FIXTURES / fixture), "--defaults")
    assert refused.status == 2
    place, _, text = message.partition(" ")
    assert f"{FIXTURES / fixture}{place} {text.partition(' ')[2]}" in refused.stderr  # the same place and words


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("question: tried", "question: triedx"), "E202 node 'ladder': 'question' names no node: 'triedx'"),
        (("question: tried", "question: problem"), "E202 node 'ladder': 'question' names a single node: 'problem'"),
        (("{step: chat,", "{step: chta,"), "E203 node 'ladder': rung 'chta' is not an option of 'tried'"),
    ],
)
def test_a_ladder_reading_what_is_not_its_question_is_refused_by_the_loader(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    # Either would send everyone to the first rung, whatever they had tried: wrong advice, exit 0.
    text = CLEAN.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "tree.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.status == 1
    assert message in result.stdout
    assert run_cli("run", "--tree", str(path), "--defaults").status == 2


def test_the_graph_has_the_models_edges() -> None:
    from wizard.rules.analysis import Analysis

    loadable = [p for p in FIXTURES.glob("[ew][2-4]*.yaml") if p.name not in REFUSED_BY_THE_LOADER]
    for path in [*SHIPPED, CLEAN, MINI, *loadable]:
        tree = load_tree(path)
        graph = Analysis(tree, Limits())
        assert graph.edge_count == len(list(tree.edges()))
        for number, node in enumerate(tree.nodes.values()):
            assert [graph.keys[n] for n in graph.succ[number]] == [e.target for e in node_edges(node)]


# --- The shipped trees: the graph validator in the test suite ----------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_tree_is_sound(path: Path) -> None:
    findings = findings_of(load_tree(path))
    assert findings == [], "\n".join(f"{f.loc}: {f.code} {f.message}" for f in findings)


@pytest.mark.parametrize("path", [*SHIPPED, MINI, CLEAN], ids=lambda p: p.name)
def test_the_count_of_paths_is_the_number_listed(path: Path) -> None:
    tree = load_tree(path)
    counted = count_paths(tree)
    listed = list(iter_paths(tree))
    assert counted.exact
    assert counted.total == len(listed)
    for outcome, number in counted.by_outcome.items():
        assert number == sum(1 for p in listed if p.outcome == outcome)
    assert len({json.dumps(p.answers) for p in listed}) == len(listed)


# --- Paths at scale ----------------------------------------------------------------------------------


def chain(length: int) -> Tree:
    """`length` questions in a row, each with two options leading to the next: 2**length paths."""
    nodes: dict[str, object] = {}
    for index in range(length):
        target = f"q{index + 1}" if index + 1 < length else "end"
        options = (Option("a", label("A"), next=target), Option("b", label("B"), next=target))
        nodes[f"q{index}"] = SingleChoice(f"q{index}", label(f"Q{index}"), options)
    nodes["end"] = Outcome("end", label("End"), label("Channel"), label("Summary"))
    return Tree("chain", label("Chain"), ("zh", "en"), "q0", nodes)  # type: ignore[arg-type]


def test_a_googol_of_paths_is_counted_at_once() -> None:
    started = time.perf_counter()
    counted = count_paths(chain(333))
    assert counted.total == 2**333 > 10**100
    assert counted.by_outcome == {"end": 2**333}
    assert time.perf_counter() - started < 1


def test_a_cycle_has_no_number_of_paths() -> None:
    with pytest.raises(TreeCycle):
        count_paths(load_tree(FIXTURES / "e106_cycle.yaml"))
    result = run_cli("paths", "--tree", str(FIXTURES / "e106_cycle.yaml"))
    assert result.status == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()  # one error, one line
    assert "has a cycle through" in line and line.endswith("the number of paths is unbounded; see `pdd-wizard check`")
    as_json = run_cli("paths", "--tree", str(FIXTURES / "e106_cycle.yaml"), "--format", "json")
    assert as_json.status == 1 and as_json.stderr == result.stderr
    document = json.loads(as_json.stdout)
    assert (document["total"], document["exact"], document["outcomes"]) == (None, False, {})
    assert "has a cycle through" in document["cycle"]


def test_bounded_counts_say_they_are_an_upper_bound() -> None:
    tree = load_tree(FIXTURES / "w409_analysis_bounded.yaml")
    exact = count_paths(tree)
    bounded = count_paths(tree, state_limit=2)
    assert exact.exact and exact.total == 8
    assert not bounded.exact and bounded.total >= exact.total


# --- pdd-wizard check --------------------------------------------------------------------------------


def test_check_takes_trees_with_tree_as_the_other_commands_do() -> None:
    result = run_cli("check", "pinduoduo", "--tree", str(MINI))
    assert result.status == 0
    assert result.stdout.splitlines()[-1] == "2 trees checked: 0 errors, 0 warnings"


def test_check_with_no_tree_checks_every_shipped_tree() -> None:
    result = run_cli("check")
    assert result.status == 0, result.stdout
    for path in SHIPPED:
        assert f"trees/{path.name}: ok (" in result.stdout
    assert (
        result.stdout.splitlines()[-1]
        == f"{len(SHIPPED)} tree{'s' if len(SHIPPED) != 1 else ''} checked: 0 errors, 0 warnings"
    )


def test_check_exit_1_on_an_error_with_one_located_line_each() -> None:
    fixture = FIXTURES / "e103_unreachable.yaml"
    result = run_cli("check", str(fixture))
    assert result.status == 1
    assert result.stdout.splitlines() == [
        f"{fixture}:16:11: E103 outcome 'orphan' cannot be reached from the start ('q')",
        f"{fixture}: 1 error, 0 warnings (4 nodes, 2 edges, 3 outcomes)",
        "1 tree checked: 1 error, 0 warnings",
    ]


def test_warnings_fail_only_with_strict() -> None:
    fixture = str(FIXTURES / "w410_same_label.yaml")
    assert run_cli("check", fixture).status == 0
    assert run_cli("check", "--strict", fixture).status == 1
    assert run_cli("check", "--strict", str(CLEAN)).status == 0


def test_stated_limits_come_from_the_command_line() -> None:
    fixture = str(FIXTURES / "w403_too_deep.yaml")
    assert "W403" not in run_cli("check", fixture).stdout
    assert "W403" in run_cli("check", "--max-depth", "2", fixture).stdout
    assert "W404" in run_cli("check", "--line-budget", "5", str(CLEAN)).stdout
    assert run_cli("check", "--max-depth", "0", fixture).status == 2
    assert (check_command.DEFAULT_MAX_DEPTH, check_command.DEFAULT_LINE_BUDGET) == (MAX_DEPTH, LINE_BUDGET)


def test_check_json_for_programs() -> None:
    result = run_cli("check", "--format", "json", str(FIXTURES / "e204_not_asked.yaml"), str(CLEAN), "nosuch.yaml")
    assert result.status == 2
    document = json.loads(result.stdout)
    assert (document["errors"], document["warnings"], document["unreadable"]) == (2, 0, 1)  # E204, and E100
    broken, clean, unreadable = document["trees"]
    assert (broken["tree"], broken["nodes"], broken["edges"], broken["readable"]) == ("e204", 5, 6, True)
    (finding,) = broken["findings"]
    assert finding == {
        "code": "E204",
        "severity": "error",
        "message": finding["message"],
        "node": "r",
        "file": str(FIXTURES / "e204_not_asked.yaml"),
        "line": 23,
        "column": 25,
    }
    assert clean["findings"] == []
    assert unreadable["readable"] is False and unreadable["findings"][0]["code"] == "E100"


def test_check_github_annotations() -> None:
    fixture = FIXTURES / "w405_default_never_taken.yaml"
    result = run_cli("check", "--format", "github", str(FIXTURES / "e201_route_default.yaml"), str(fixture))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"::error file={FIXTURES / 'e201_route_default.yaml'},line=15,col=5,title=E201::route 'r'"
    )
    assert lines[1].startswith(f"::warning file={fixture},line=20,col=9,title=W405::route 'r'")
    assert lines[2] == "2 trees checked: 1 error, 1 warning"


def test_github_annotations_escape_what_would_end_them() -> None:
    from wizard.render.github import annotation as _annotation

    assert _annotation("error", "a,b:c.yaml", 3, 4, "E1", "50% done\nnext") == (
        # A line feed, from a file, is shown as a visible stand-in: an annotation is one line (issue 15).
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=E1::50%25 done\\nnext"
    )


def test_check_lists_the_codes_in_help_and_on_demand(capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_cli("check", "--list-codes")
    assert run_cli("check", "--help").status == 0
    helped = capsys.readouterr().out  # argparse prints --help itself
    for code, meaning in CODES.items():
        assert f"{code}  {meaning}" in listed.stdout
        assert f"{code}  {meaning}" in helped


def test_the_codes_as_json_and_no_annotations_of_them() -> None:
    listed = run_cli("check", "--list-codes", "--format", "json")
    assert json.loads(listed.stdout) == {"codes": [{"code": c, "message": m} for c, m in CODES.items()]}
    refused = run_cli("check", "--list-codes", "--format", "github")
    assert refused.status == 2 and "GitHub annotations are for findings" in refused.stderr
    ignored = run_cli("check", "--list-codes", "pinduoduo", "--strict", "--max-depth", "3")
    assert (ignored.status, ignored.stdout) == (2, "")
    assert ignored.stderr == (
        "pdd-wizard: --list-codes prints the codes and checks nothing: leave out pinduoduo, --strict, --max-depth\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--limit", "5"), "--limit goes with --list or --as-scenarios"),
        (("--as-scenarios", "--format", "json"), "--as-scenarios writes a scenario file, which is YAML"),
    ],
)
def test_paths_refuses_flags_it_would_ignore(args: tuple[str, ...], message: str) -> None:
    result = run_cli("paths", *args)
    assert (result.status, result.stdout) == (2, "")
    assert result.stderr.startswith(f"pdd-wizard: {message}")


def test_tree_text_is_never_markup_in_check_output(tmp_path: Path) -> None:
    text = (FIXTURES / "w410_same_label.yaml").read_text().replace("en: Same", "en: '[bold]Same:smile:'")
    (tmp_path / "tree.yaml").write_text(text)
    assert "'[bold]Same:smile:'" in run_cli("check", str(tmp_path / "tree.yaml")).stdout


def test_the_command_modules_do_not_import_networkx() -> None:
    code = "import sys, wizard.cli.main, wizard.rules, wizard.cli.commands.check, wizard.cli.commands.paths; "
    code += "wizard.cli.main.build_parser(); print('networkx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


# --- pdd-wizard paths --------------------------------------------------------------------------------


def test_paths_counts_per_outcome() -> None:
    result = run_cli("paths", "--tree", str(MINI))
    assert result.status == 0
    assert result.stdout.splitlines() == [
        f"{MINI}: 6 paths to 5 outcomes",
        "  outcome       paths",
        "  call_courier  2",
        "  use_chat      1",
        "  all_tried     1",
        "  scam_alert    1",
        "  seller_help   1",
    ]


def test_paths_lists_answers_up_to_the_limit() -> None:
    result = run_cli("paths", "--tree", str(MINI), "--list", "--limit", "4")
    listed = result.stdout.split("\n\n", 1)[1].splitlines()
    assert listed == [
        "role=buyer problem=parcel tried= → call_courier",
        "role=buyer problem=parcel tried=courier → use_chat",
        "role=buyer problem=parcel tried=chat → call_courier",
        "role=buyer problem=parcel tried=courier,chat → all_tried",
        "(4 of 6 paths listed; 2 not listed: raise --limit)",
    ]
    document = json.loads(run_cli("paths", "--tree", str(MINI), "--list", "--format", "json").stdout)
    assert (document["total"], len(document["paths"]), document["not_listed"]) == (6, 6, 0)
    assert document["paths"][0] == {
        "answers": {"role": "buyer", "problem": "parcel", "tried": []},
        "outcome": "call_courier",
    }


def test_listed_paths_run_to_their_outcome_through_the_engine() -> None:
    from wizard.core.engine import run_answers

    for walked in iter_paths(load_tree(CLEAN)):
        session = run_answers(load_tree(CLEAN), walked.answers)
        assert session.outcome.id == walked.outcome
        assert [s.question for s in session.steps] == list(walked.answers)


def test_paths_as_scenarios_start_a_suite_that_passes(tmp_path: Path) -> None:
    out = tmp_path / "suite" / "all.yaml"
    out.parent.mkdir()
    result = run_cli("paths", "--tree", str(CLEAN), "--list", "--as-scenarios", "--limit", "0", "-o", str(out))
    assert result.status == 0 and result.stdout == ""
    assert [p.name for p in out.parent.iterdir()] == ["all.yaml"]  # no temporary file left
    data = yaml.safe_load(out.read_text())
    assert (out.parent / data["tree"]).resolve() == CLEAN  # a path relative to the file written
    scenarios = load_scenarios(out)
    assert len(scenarios) == count_paths(load_tree(CLEAN)).total
    results = [run_scenario(s, load_tree) for s in scenarios]
    assert all(r.passed for r in results), [r.failures for r in results if not r.passed]


def test_paths_as_scenarios_on_stdout_name_the_tree_so_the_saved_file_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `paths ... > sub/all.yaml`: where the output lands is unknown, and `test` reads the path from the file.
    monkeypatch.chdir(ROOT)
    result = run_cli("paths", "--tree", str(CLEAN.relative_to(ROOT)), "--list", "--as-scenarios", "--limit", "0")
    assert result.status == 0
    saved = tmp_path / "sub" / "all.yaml"
    saved.parent.mkdir()
    saved.write_text(result.stdout, encoding="utf-8")
    assert Path(yaml.safe_load(result.stdout)["tree"]).resolve() == CLEAN
    results = [run_scenario(s, load_tree) for s in load_scenarios(saved)]
    assert results and all(r.passed for r in results)


def test_paths_as_scenarios_names_a_shipped_tree_by_name() -> None:
    if not SHIPPED:
        pytest.skip("no shipped tree")
    name = SHIPPED[0].stem
    result = run_cli("paths", "--tree", name, "--list", "--as-scenarios", "--limit", "2")
    data = yaml.safe_load(result.stdout)
    assert data["tree"] == name and len(data["scenarios"]) == 2
    assert "2 of" in result.stderr and "raise --limit" in result.stderr


def test_paths_output_is_never_half_written(tmp_path: Path) -> None:
    out = tmp_path / "paths.txt"
    out.write_text("before\n")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert run_cli("paths", "--tree", str(MINI), "-o", str(folder)).status == 2  # cannot replace a folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "paths.txt"]
    assert run_cli("paths", "--tree", str(MINI), "-o", str(out)).status == 0
    assert out.read_text().startswith(f"{MINI}: 6 paths")


def test_w409_names_the_limit_that_was_hit() -> None:
    tree = load_tree(FIXTURES / "w409_analysis_bounded.yaml")
    (by_states,) = findings_of(tree, state_limit=4)
    assert "8 combinations of earlier answers can arrive here, more than the 4 followed" in by_states.message
    (by_subsets,) = findings_of(tree, subset_limit=2)
    assert "3 of its options are read by conditions, more than the 2 whose 8 subsets are followed" in (
        by_subsets.message
    )


def test_text_findings_deep_in_a_large_tree_are_found_and_only_they() -> None:
    """Texts are tested in bulk a chunk at a time: a finding far into a large tree is still found."""
    tree = load_tree(CLEAN)
    text = Localized({"zh": "结果", "en": "Outcome"})
    extra = {f"extra{n}": Outcome(id=f"extra{n}", title=text, channel=text, summary=text) for n in range(3000)}
    extra["extra1700"] = replace(extra["extra1700"], summary=Localized({"zh": "结果", "en": " "}))
    extra["extra2900"] = replace(extra["extra2900"], title=Localized({"zh": "结\n果", "en": "Outcome"}))
    found = [(f.code, f.node) for f in findings_of(replace(tree, nodes={**tree.nodes, **extra})) if f.code[0] == "E"]
    assert ("E302", "extra1700") in found and ("E303", "extra2900") in found
    assert {code for code, _ in found} == {"E103", "E302", "E303"}  # the extras are unreachable: nothing else


@pytest.mark.parametrize(
    "path", [*SHIPPED, CLEAN, ROOT / "tests" / "fixtures" / "interactive" / "hostile.yaml"], ids=lambda p: p.stem
)
def test_the_texts_tested_in_bulk_are_every_text_of_the_tree(path: Path) -> None:
    """The bulk test of texts decides which are looked at one by one: it must see every one."""
    from wizard.rules.analysis import Analysis
    from wizard.rules.texts import text_groups, texts

    tree = load_tree(path)
    groups, one_line = text_groups(Analysis(tree, Limits()))
    assert {id(t) for t in [*groups, *one_line]} == {id(text.texts) for _, _, text, _, _ in texts(tree)}
    assert {id(t) for t in one_line} == {
        id(text.texts)
        for _, name, text, _, _ in texts(tree)
        if name in {"label", "title", "channel", "name"} or name.endswith((".name", ".label"))
    }


_ROUTED = """\
id: routed
title: {en: T}
languages: [en]
start: problem
nodes:
  problem:
    kind: single
    prompt: {en: "What went wrong?"}
    options:
      - {id: late, label: {en: Late}, next: value}
      - {id: damaged, label: {en: Damaged}, next: which}
  value:
    kind: single
    prompt: {en: "Worth?"}
    options:
      - {id: cheap, label: {en: Cheap}, next: which}
      - {id: dear, label: {en: Dear}, next: which}
  which:
    kind: route
    branches:
      - {when: {problem: BRANCH}, next: photos}
      - {default: true, next: courier}
  photos: {kind: outcome, title: {en: Photos}, channel: {en: Chat}, summary: {en: Take photos.}}
  courier:
    kind: outcome
    title: {en: Courier}
    channel: {en: Courier}
    summary: {en: Ask the courier.}
    prepare:
      - {text: {en: The order's value}, when: {value: dear}}
"""


def test_e204_follows_the_answers_that_can_arrive_not_the_bare_graph(tmp_path: Path) -> None:
    # Every answer that reaches 'courier' went through 'value': the route sends 'damaged' elsewhere.
    clean = tmp_path / "clean.yaml"
    clean.write_text(_ROUTED.replace("BRANCH", "damaged"), encoding="utf-8")
    assert findings_of(load_tree(clean)) == []
    # Route 'late' away instead, and 'damaged' reaches 'courier' without 'value' asked.
    broken = tmp_path / "broken.yaml"
    broken.write_text(_ROUTED.replace("BRANCH", "late"), encoding="utf-8")
    found = {f.code: f for f in findings_of(load_tree(broken))}
    assert sorted(found) == ["E204", "E205"]  # and so the item is never shown
    finding = found["E204"]
    assert finding.node == "courier"
    assert "reads 'value', which is not asked on every path into 'courier'" in finding.message


def test_a_tree_id_the_schema_refuses_is_a_w411_warning(tmp_path: Path) -> None:
    tree = tmp_path / "t.yaml"
    tree.write_text(MINI.read_text(encoding="utf-8").replace("id: mini", "id: Mini.v2", 1), encoding="utf-8")
    (finding,) = findings_of(load_tree(tree))
    assert (finding.code, finding.node, finding.loc.line) == ("W411", None, 1)
    assert finding.message.startswith("the tree's id 'Mini.v2' is not a plain tree id")


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_check_places_a_text_finding_on_the_text_in_its_language(tmp_path: Path, form: str) -> None:
    # Once placed at the outcome's first line ('kind:'): a GitHub annotation then marked the wrong line.
    text = MINI.read_text(encoding="utf-8").replace(
        "summary: {zh: 用聊天。, en: Use the chat.}", "summary: {zh: 用聊天。, en: '  '}"
    )
    path = tmp_path / f"t.{form}"
    if form == "json":
        text = json.dumps(yaml.safe_load(text), ensure_ascii=False, indent=2)
        line = next(n for n, row in enumerate(text.splitlines(), 1) if '"en": "  "' in row)
        column = text.splitlines()[line - 1].index('"  "') + 1
    else:
        line = next(n for n, row in enumerate(text.splitlines(), 1) if "en: '  '" in row)
        column = text.splitlines()[line - 1].index("'  '") + 1
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.status == 1
    assert f"{path}:{line}:{column}: E302 outcome 'use_chat': 'summary' in 'en' is empty" in result.stdout
