"""Scenario files: scripted paths with what they must reach, run through the same walk as `run --answers`.

A scenario file is YAML::

    tree: pinduoduo              # the default tree of the file's scenarios
    scenarios:
      - name: parcel stuck, nothing tried
        answers: {role: consumer, problem: logistics, tried: []}
        defaults: false          # optional: take declared defaults for unanswered questions
        lang: en                 # optional: language of the text `contains` reads (default: the tree's first)
        now: 2026-11-12T10:00+08:00   # optional: the clock
        expect:
          outcome: contact_courier
          asked: [role, problem, tried]     # optional: the questions asked, in order
          contains: [tracking number]       # optional: strings the outcome's text must contain

`tree` (of the file or of one scenario) is a shipped tree's name or a path relative to the
scenario file; a name means the `trees/NAME.yaml` of the nearest folder above the scenario
file that has one (the repository's own), else the installed copy. Names are unique within a
file. A file that cannot be read, has the wrong shape or an unknown field is broken
(`LoadError`, every problem with its file:line:col); so is one whose scenario names what its
tree does not have (`tree_problems`: an expected outcome or question, a language, an answered
question), an expectation no walk could meet.
When one is run (`wizard.render.scenario_run`), a scenario whose walk stops (an invalid
answer, a question left unanswered) or that reaches something other than what it expects
is a failed scenario (`ScenarioResult.failures`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from wizard.core.engine import Session
from wizard.core.errors import LoadError, Problem, UsageError, did_you_mean
from wizard.core.model import Location, MultipleChoice, Outcome, SingleChoice, Tree
from wizard.source.answers import answers_from_data
from wizard.source.load import Document, read_document

__all__ = [
    "Expectation",
    "Scenario",
    "ScenarioFile",
    "ScenarioResult",
    "dump_scenarios",
    "load_scenarios",
    "read_scenarios",
    "scenario_files",
    "tree_problems",
]


class Expectation(Struct, frozen=True):
    """What a scenario must reach.

    Attributes:
        outcome: The outcome id.
        asked: The question ids asked, in order (None: not checked).
        contains: Strings the outcome's plain text must contain.
    """

    outcome: str
    asked: tuple[str, ...] | None = None
    contains: tuple[str, ...] = ()


class Scenario(Struct, frozen=True):
    """One scripted path and its expectation.

    Attributes:
        name: Shown in reports.
        tree: A shipped tree's name or a path (relative paths are relative to the scenario file).
        answers: Raw answers, as in an answers file.
        expect: What it must reach.
        defaults: Unanswered questions take their defaults.
        lang: Language of the text that `contains` reads; None for the tree's first language.
        now: The clock, when the advice depends on it.
        loc: Where the scenario is written.
        locations: Where the values checked against the tree are written, by key: `tree`, `lang`,
            `answers.ID` (the answer to question ID), `expect.outcome`, `expect.asked.N` (the
            Nth id, from 0); a key missing (a scenario made in Python) falls back to `loc`.
    """

    name: str
    tree: str
    answers: dict[str, Any]
    expect: Expectation
    defaults: bool = False
    lang: str | None = None
    now: datetime | None = None
    loc: Location = field(default=Location("<memory>"))
    locations: Mapping[str, Location] = field(default_factory=dict)


class ScenarioFile(Struct, frozen=True):
    """A scenario file as read: the scenarios that are well formed, and what is wrong with the others.

    Attributes:
        file: The file's name in messages.
        scenarios: The well-formed scenarios, in file order.
        problems: What is wrong with the rest (and with the file), each with its location.
        loc: Where the file's `scenarios` list is written.
    """

    file: str
    scenarios: tuple[Scenario, ...]
    problems: tuple[Problem, ...]
    loc: Location


class ScenarioResult(Struct, frozen=True):
    """A scenario's run.

    Attributes:
        scenario: The scenario.
        session: The walk to its outcome; None when the walk stopped (an invalid answer,
            a question left unanswered).
        outcome: The outcome reached, or None.
        failures: What did not match, in words; empty when it passed.
        seconds: How long the walk and the checks took.
    """

    scenario: Scenario
    session: Session | None
    outcome: str | None
    failures: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def asked(self) -> tuple[str, ...] | None:
        """The question ids asked, in order; None when the walk stopped."""
        return None if self.session is None else tuple(step.question for step in self.session.steps)

    @property
    def ignored(self) -> tuple[str, ...]:
        """Answers to questions the walk never reached (as `run` warns about them): usually a mistake."""
        asked = self.asked
        return () if asked is None else tuple(q for q in self.scenario.answers if q not in asked)

    @property
    def passed(self) -> bool:
        return not self.failures


#: What a scenario file's name ends with, when a folder is searched for them.
_SUFFIXES = (".yaml", ".yml", ".json")


def scenario_files(paths: list[str | Path]) -> list[Path]:
    """Scenario files named, folders searched for `*.yaml`/`*.yml`/`*.json` (sorted): JSON is YAML too."""
    out: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            out.extend(sorted(p for p in entry.rglob("*") if p.suffix in _SUFFIXES and p.is_file()))
        elif entry.exists():
            out.append(entry)
        else:
            raise LoadError(Problem(Location(str(entry)), "no such file or folder"))
    return out


_SCENARIO_KEYS = {"name", "tree", "answers", "defaults", "lang", "now", "expect"}
_EXPECT_KEYS = {"outcome", "asked", "contains"}


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read a scenario file.

    Raises:
        LoadError: With every problem found, each with its location.
    """
    found = read_scenarios(path)
    if found.problems:
        raise LoadError(found.problems)
    return list(found.scenarios)


def read_scenarios(path: str | Path) -> ScenarioFile:
    """Read a scenario file, keeping its well-formed scenarios when others are not.

    Raises:
        LoadError: The file cannot be read or is not a mapping with a list under `scenarios`.
    """
    doc = read_document(path)
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise LoadError(Problem(doc.where(data), "a scenario file is a mapping with a list under 'scenarios'"))
    for key in data:
        if key not in ("tree", "scenarios"):
            problems.append(Problem(doc.where(data, key), f"unknown field '{key}'; expected tree, scenarios"))
    default_tree = data.get("tree", "pinduoduo")
    base = Path(path).parent
    out = []
    first_of: dict[str, Location] = {}
    for index, item in enumerate(data["scenarios"]):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str):
            if name in first_of:
                problems.append(
                    Problem(
                        doc.where(item, "name"),
                        f"scenario '{name}': the name is used twice in this file (first at line {first_of[name].line})",
                    )
                )
            else:
                first_of[name] = doc.where(data["scenarios"], index)
        scenario = _scenario(doc, data["scenarios"], index, item, default_tree, base, problems)
        if scenario is not None:
            out.append(scenario)
    return ScenarioFile(doc.file, tuple(out), tuple(problems), doc.where(data, "scenarios"))


def _scenario(  # noqa: C901 - one check per field of a scenario, each with its own message
    doc: Document, parent: list[Any], index: int, item: Any, default_tree: Any, base: Path, problems: list[Problem]
) -> Scenario | None:
    where = doc.where(parent, index)
    if not isinstance(item, dict):
        problems.append(Problem(where, f"scenario {index + 1}: expected a mapping"))
        return None
    name = item.get("name")
    label = f"scenario '{name}'" if isinstance(name, str) else f"scenario {index + 1}"
    start = len(problems)
    for key in item:
        if key not in _SCENARIO_KEYS:
            problems.append(
                Problem(
                    doc.where(item, key),
                    f"{label}: unknown field '{key}'; expected one of: {', '.join(sorted(_SCENARIO_KEYS))}",
                )
            )
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(where, f"{label}: 'name' must be a non-empty string"))
    tree = item.get("tree", default_tree)
    if not isinstance(tree, str):
        problems.append(Problem(doc.where(item, "tree"), f"{label}: 'tree' must be a name or a path"))
    elif "/" in tree or tree.endswith(_SUFFIXES):
        # normpath: `../trees/x.yaml` from tests/scenarios reads as tests/trees/x.yaml in messages
        tree = os.path.normpath(base / tree) if not Path(tree).is_absolute() else tree
    else:
        tree = _repository_tree(tree, base) or tree
    answers: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    if "tree" in item:  # where the tree is named: the scenario's own `tree`, or the file's
        locations["tree"] = doc.where(item, "tree")
    elif isinstance(doc.data, dict) and "tree" in doc.data:
        locations["tree"] = doc.where(doc.data, "tree")
    if "answers" in item:
        try:
            answers = answers_from_data(doc, item["answers"], item, "answers")
        except LoadError as exc:
            problems.extend(exc.problems)
        else:
            locations.update((f"answers.{q}", doc.where(item["answers"], q)) for q in answers)
    defaults = item.get("defaults", False)
    if not isinstance(defaults, bool):
        problems.append(Problem(doc.where(item, "defaults"), f"{label}: 'defaults' must be true or false"))
    lang = item.get("lang")
    if lang is not None and not isinstance(lang, str):
        problems.append(Problem(doc.where(item, "lang"), f"{label}: 'lang' must be a language code"))
    elif lang is not None:
        locations["lang"] = doc.where(item, "lang")
    now = None
    if item.get("now") is not None:
        try:
            from wizard.core.hours import parse_now

            now = parse_now(str(item["now"]), "'now'")
        except UsageError as exc:  # reported with the location instead
            problems.append(Problem(doc.where(item, "now"), f"{label}: {exc}"))
    expect = _expectation(doc, item, label, problems, locations)
    if len(problems) > start or expect is None or not isinstance(name, str) or not isinstance(tree, str):
        return None
    return Scenario(name, tree, answers, expect, defaults, lang, now, where, locations)


def _expectation(
    doc: Document, item: dict[str, Any], label: str, problems: list[Problem], locations: dict[str, Location]
) -> Expectation | None:
    expect = item.get("expect")
    if not isinstance(expect, dict):
        where = doc.where(item, "expect") if "expect" in item else doc.where(item)
        problems.append(Problem(where, f"{label}: 'expect' must be a mapping with at least 'outcome'"))
        return None
    for key in expect:
        if key not in _EXPECT_KEYS:
            problems.append(
                Problem(
                    doc.where(expect, key),
                    f"{label}: expect: unknown field '{key}'; expected one of: {', '.join(sorted(_EXPECT_KEYS))}",
                )
            )
    outcome = expect.get("outcome")
    if not isinstance(outcome, str):
        problems.append(Problem(doc.where(expect), f"{label}: expect: 'outcome' must be an outcome id"))
        return None
    locations["expect.outcome"] = doc.where(expect, "outcome")
    lists: dict[str, tuple[str, ...] | None] = {"asked": None, "contains": ()}
    for key in lists:
        value = expect.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(doc.where(expect, key), f"{label}: expect: '{key}' must be a list of strings"))
            continue
        lists[key] = tuple(value)
    if lists["asked"] is not None:
        asked = expect["asked"]
        for index in range(len(lists["asked"])):
            # `asked: role` (one id, not a list) is located at the value itself
            locations[f"expect.asked.{index}"] = (
                doc.where(asked, index) if isinstance(asked, list) else doc.where(expect, "asked")
            )
    return Expectation(outcome, lists["asked"], lists["contains"] or ())


def _repository_tree(name: str, base: Path) -> str | None:
    """The `trees/NAME.yaml` of the nearest folder at or above `base` that has one, or None.

    Scenarios kept in a repository test that repository's tree, not a copy installed in
    site-packages: the coverage report then points at lines the author can edit. A path in
    `tree` chooses another file.
    """
    try:
        start = base.resolve()
    except OSError:
        return None
    for folder in (start, *start.parents):
        candidate = folder / "trees" / f"{name}.yaml"
        if candidate.is_file():
            try:  # relative where the user stands in the repository, as it is written
                return str(candidate.relative_to(Path.cwd().resolve()))
            except (ValueError, OSError):
                return str(candidate)
    return None


def tree_problems(scenario: Scenario, tree: Tree) -> list[Problem]:
    """What `scenario` names that `tree` does not have: expectations no walk could meet.

    Each is a mistake in the scenario file (a typo, or an id the tree renamed), not a
    scenario that failed: an expected outcome or asked question that is not one, a
    language the tree does not declare, an answer to a question it does not have (which
    `run --answers` ignores with a warning; here it would walk a path other than the one meant).

    Returns:
        One problem per wrong value, located at the value where the file says where it is.
    """
    label = f"scenario '{scenario.name}'"
    of_tree = f"tree '{tree.id}'"

    def at(key: str) -> Location:
        return scenario.locations.get(key, scenario.loc)

    # Looked up by id (a suite checks every scenario); the tree's ids are listed only for a message.
    def is_question(node_id: str) -> bool:
        return isinstance(tree.nodes.get(node_id), (SingleChoice, MultipleChoice))

    def questions() -> list[str]:
        return [q.id for q in tree.questions()]

    problems = [
        Problem(
            at(f"answers.{q}"), f"{label}: answer to '{q}': {of_tree} has no such question; {_one_of(q, questions())}"
        )
        for q in scenario.answers
        if not is_question(q)
    ]
    lang = scenario.lang
    if lang is not None and lang not in tree.languages:
        hint = _one_of(lang, tree.languages)
        problems.append(Problem(at("lang"), f"{label}: lang '{lang}' is not a language of {of_tree}; {hint}"))
    expect = scenario.expect
    if not isinstance(tree.nodes.get(expect.outcome), Outcome):
        problems.append(
            Problem(
                at("expect.outcome"),
                f"{label}: expect: outcome '{expect.outcome}' {_not_a('outcome', expect.outcome, tree)}; "
                f"{_one_of(expect.outcome, [o.id for o in tree.outcomes()])}",
            )
        )
    for index, question in enumerate(expect.asked or ()):
        if not is_question(question):
            problems.append(
                Problem(
                    at(f"expect.asked.{index}"),
                    f"{label}: expect: asked: '{question}' {_not_a('question', question, tree)}; "
                    f"{_one_of(question, questions())}",
                )
            )
    return problems


#: The most ids a message lists before it says how many more there are.
_MOST_IDS = 10


def _not_a(kind: str, node_id: str, tree: Tree) -> str:
    """`is not an outcome of tree 'x'`, or, when the id is a node of another kind, what it is."""
    node = tree.nodes.get(node_id)
    if node is None:
        return f"is not {_a(kind)} of tree '{tree.id}'"
    what = "question" if isinstance(node, (SingleChoice, MultipleChoice)) else node.kind
    return f"is {_a(what)} of tree '{tree.id}', not {_a(kind)}"


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _one_of(wrong: str, ids: Sequence[str]) -> str:
    """`expected one of: a, b, c` (the first `_MOST_IDS`, then how many more), led by a likely fix of a typo."""
    shown = ", ".join(ids[:_MOST_IDS])
    if len(ids) > _MOST_IDS:
        shown += f" and {len(ids) - _MOST_IDS} more"
    hint = did_you_mean(wrong, ids)
    return f"{hint} expected one of: {shown}" if hint else f"expected one of: {shown}"


def dump_scenarios(tree: str, scenarios: list[dict[str, Any]]) -> str:
    """A scenario file's YAML: `tree` and its `scenarios` (each name, answers and expect)."""
    import yaml

    document = {"tree": tree, "scenarios": scenarios}
    text: str = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120)
    return text
