"""Conditions, ladders and defaults that name the wrong things (E202, E203, E206), and choices no
condition reads (W401, W402).

A condition that can never hold would route every user the same way, silently: the
loading gate refuses these, with the messages the loader once gave.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from wizard.core.model import MULTIPLE_OPERATORS, Compare, Ladder, MultipleChoice, Outcome, SingleChoice
from wizard.rules.analysis import Analysis
from wizard.rules.findings import Found, Path

__all__ = [
    "bad_sites",
    "choices_change_nothing",
    "options_nothing_reads",
    "unknown_options",
    "unknown_questions",
    "wrong_operators",
]


class _Problem(Struct, frozen=True):
    code: str
    found: Found
    site: tuple[str, str] | None  # (node, what) of a condition or rung whose taking is then not asked


def unknown_questions(a: Analysis) -> Iterator[Found]:
    """E202: a condition reading what is no question; a ladder whose question is no multiple choice."""
    return (p.found for p in a.shared(_problems) if p.code == "E202")


def unknown_options(a: Analysis) -> Iterator[Found]:
    """E203: a condition, ladder rung or default naming an option its question does not have."""
    return (p.found for p in a.shared(_problems) if p.code == "E203")


def wrong_operators(a: Analysis) -> Iterator[Found]:
    """E206: a condition whose operator does not apply to its question's kind."""
    return (p.found for p in a.shared(_problems) if p.code == "E206")


def bad_sites(a: Analysis) -> set[tuple[str, str]]:
    """(node, what) of the conditions and rungs that name the wrong things: whether they are taken is not asked."""
    return {p.site for p in a.shared(_problems) if p.site is not None}


def _problems(a: Analysis) -> list[_Problem]:
    """Each comparison's first problem (E202, E206, E203, in that order), then the ladders' and defaults'."""
    problems: list[_Problem] = []
    questions: list[str] = []  # every question, for the message of a condition naming none: made once
    for site in a.sites:
        for compare in site.condition.questions():
            found = _compare_problem(a, compare, questions)
            if found is not None:
                code, text = found
                where = site.compare_path(compare)
                problems.append(
                    _Problem(code, Found(where, f"{site.context}: {text}", site.node), (site.node, site.what))
                )
    for number, kind in enumerate(a.kinds):
        if kind is Ladder:
            problems.extend(_ladder_problems(a, a.keys[number], a.node_list[number]))  # type: ignore[arg-type]
    nodes = a.node_list
    for number in [n for n in a.question_numbers if nodes[n].default is not None]:  # type: ignore[union-attr]
        problems.extend(_default_problems(a.keys[number], nodes[number]))  # type: ignore[arg-type]
    return problems


def _compare_problem(a: Analysis, compare: Compare, questions: list[str]) -> tuple[str, str] | None:
    name = compare.question
    question = a.nodes.get(name)
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        if not questions:
            questions.extend(a.keys[n] for n in sorted(a.question_numbers))
        what = "names no question" if question is None else f"names a {question.kind} node, not a question"
        return "E202", f"condition on '{name}' {what}; questions: {', '.join(questions)}"
    if compare.op == "answered":
        return None
    multiple = isinstance(question, MultipleChoice)
    if (compare.op in MULTIPLE_OPERATORS) != multiple:
        kind = "multiple" if multiple else "single"
        return "E206", f"condition on '{name}': operator '{compare.op}' does not apply to a {kind} choice"
    ids = {o.id for o in question.options}
    unknown = [v for v in compare.values if v not in ids]
    if unknown:
        return "E203", f"condition on '{name}': '{unknown[0]}' is not one of its options ({', '.join(sorted(ids))})"
    return None


def _ladder_problems(a: Analysis, key: str, ladder: Ladder) -> Iterator[_Problem]:
    """A ladder reading what is not a multiple choice, or a step that is not its option: either would send
    everyone to the first rung, whatever they tried."""
    here = f"node '{key}'"
    question = a.nodes.get(ladder.question)
    if not isinstance(question, MultipleChoice):
        what = "names no node" if question is None else f"names a {question.kind} node"
        message = f"{here}: 'question' {what}: '{ladder.question}'; a ladder reads a multiple-choice question"
        yield _Problem("E202", Found(("nodes", key, "question"), message, key), None)
        return
    ids = [o.id for o in question.options]
    for index, rung in enumerate(ladder.rungs):
        if rung.step not in ids:
            message = f"{here}: rung '{rung.step}' is not an option of '{ladder.question}' ({', '.join(ids)})"
            where: Path = ("nodes", key, "rungs", index)
            yield _Problem("E203", Found(where, message, key), (key, f"rung '{rung.step}'"))


def _default_problems(key: str, node: SingleChoice | MultipleChoice) -> Iterator[_Problem]:
    default = node.default
    if default is None:
        return
    ids = [o.id for o in node.options]
    for value in (default,) if isinstance(default, str) else default:
        if value not in ids:
            message = f"node '{key}': default '{value}' is not an option; expected one of: {', '.join(ids)}"
            yield _Problem("E203", Found(("nodes", key, "default"), message, key), None)


# --- W401, W402: choices that change nothing ----------------------------------------------------------


def _reads(a: Analysis) -> tuple[set[str], dict[str, set[str]]]:
    """The questions some condition or ladder reads, and the options each names."""
    read: set[str] = set()
    named: dict[str, set[str]] = {}
    for site in a.sites:
        for compare in site.condition.questions():
            read.add(compare.question)
            named.setdefault(compare.question, set()).update(compare.values)
    for number, kind in enumerate(a.kinds):
        if kind is Ladder:
            ladder: Ladder = a.node_list[number]  # type: ignore[assignment]
            read.add(ladder.question)
            named.setdefault(ladder.question, set()).update(r.step for r in ladder.rungs)
    return read, named


def choices_change_nothing(a: Analysis) -> Iterator[Found]:
    """W401: a single choice whose answer no condition reads and whose options all lead to one node, or all
    end at one same outcome whatever comes after. Options that merely share a target (synonyms) are fine."""
    if not a.acyclic:
        return
    read, _ = a.shared(_reads)
    only = _single_outcome(a)
    broken = set(a.broken)
    for number in a.order or []:
        if a.kinds[number] is not SingleChoice:
            continue
        node: SingleChoice = a.node_list[number]  # type: ignore[assignment]
        key = a.keys[number]
        targets = a.succ[number]
        if len(targets) < 2 or len(targets) != len(node.options) or number in broken or key in read:
            continue
        first = targets[0]
        if targets.count(first) == len(targets):
            where = f"leads to '{a.keys[first]}'"
        else:
            end = only[first]
            if end < 0 or list(map(only.__getitem__, targets)).count(end) != len(targets):
                continue
            where = f"ends at the outcome '{a.keys[end]}'"
        ids = ", ".join(o.id for o in node.options)
        message = f"question '{key}': every option ({ids}) {where} and no condition reads the answer: "
        yield Found(("nodes", key), message + "the choice changes nothing", key)


def options_nothing_reads(a: Analysis) -> Iterator[Found]:
    """W402: a multiple-choice option that no condition or ladder rung names, or a whole question nothing reads."""
    if not a.acyclic:
        return
    read, named = a.shared(_reads)
    for number in a.order or []:
        if a.kinds[number] is not MultipleChoice:
            continue
        node: MultipleChoice = a.node_list[number]  # type: ignore[assignment]
        key = a.keys[number]
        if key not in read:
            message = f"question '{key}': no condition or ladder reads its answer: the choice changes nothing"
            yield Found(("nodes", key), message, key)
            continue
        for index, option in enumerate(node.options):
            if option.id not in named.get(key, set()):
                message = (
                    f"question '{key}': no condition or ladder rung names option '{option.id}': "
                    "choosing it changes nothing"
                )
                yield Found(("nodes", key, "options", index), message, key)


def _single_outcome(a: Analysis) -> list[int]:
    """Per reachable node, the one outcome every path from it ends at, or -1."""
    only = [-1] * len(a.keys)
    succ = a.succ
    for number in reversed(a.order or []):
        children = succ[number]
        if not children:
            only[number] = number if a.kinds[number] is Outcome else -1
            continue
        first = only[children[0]]
        if first >= 0:
            for child in children:
                if only[child] != first:
                    first = -1
                    break
        only[number] = first
    return only
