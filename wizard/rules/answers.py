"""What the answers that can arrive decide: conditions reading questions not asked (E204), ways never
taken (E205, W405), defaults not offered (W406), and where the analysis was bounded (W409).

Each reads the data flow (`wizard.rules.flow`), which runs on an acyclic graph whose node
ids are their keys; otherwise (E106, E102) these wait for that fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from wizard.core.model import (
    AllOf,
    Answer,
    AnyOf,
    Compare,
    Condition,
    Ladder,
    MultipleChoice,
    Not,
    Outcome,
    Route,
    SingleChoice,
)
from wizard.rules.analysis import Analysis, kind_name, point_lists
from wizard.rules.conditions import bad_sites
from wizard.rules.findings import Found, Path
from wizard.rules.flow import NodeFacts, on_answers

__all__ = [
    "analysis_bounded",
    "default_never_taken",
    "default_not_offered",
    "never_taken",
    "not_asked",
    "unguarded_reads",
]

_ARRIVING = "its condition never holds on the answers that can arrive here"


def analysis_bounded(a: Analysis) -> Iterator[Found]:
    """W409: the answer combinations were too many to follow below a node."""
    flow = a.flow
    for number, why in flow.bounded_at if flow is not None else ():
        key = a.keys[number]
        yield Found(
            ("nodes", key),
            f"{kind_name(a.node_list[number])} '{key}': {why}; never-taken branches, rungs and options "
            f"are not checked here and after it ({sum(flow.bounded)} nodes in all)",  # type: ignore[union-attr]
            key,
        )


def never_taken(a: Analysis) -> Iterator[Found]:
    """E205: a route branch, ladder rung, conditional option or list item never taken on the answers that
    can arrive (a condition that names the wrong things is E202, E203 or E206 instead)."""
    if a.flow is None:
        return
    bad = bad_sites(a)
    for number, facts in a.flow.facts.items():
        node = a.node_list[number]
        if isinstance(node, (SingleChoice, MultipleChoice)):
            for index, option in enumerate(node.options):
                if option.id not in facts.offered and (node.id, f"option '{option.id}'") not in bad:
                    yield Found(
                        ("nodes", node.id, "options", index),
                        f"question '{node.id}': option '{option.id}' is never offered: {_ARRIVING}",
                        node.id,
                    )
        elif isinstance(node, Route):
            yield from _branches_never_taken(node, facts, bad)
        elif isinstance(node, Ladder):
            yield from _rungs_never_taken(node, facts, bad)
        elif isinstance(node, Outcome):
            yield from _items_never_shown(node, facts, bad)


def _branches_never_taken(node: Route, facts: NodeFacts, bad: set[tuple[str, str]]) -> Iterator[Found]:
    for index, branch in enumerate(node.branches):
        key = "default" if branch.default else f"branch:{index}"
        if branch.default or key in facts.taken or (node.id, f"branch {index + 1}") in bad:
            continue
        if branch.when is None:
            why = "it has no condition and is not the default"
        elif index not in facts.held:
            why = _ARRIVING
        else:
            why = "the branches before it take every answer on which its condition holds"
        message = f"route '{node.id}': branch {index + 1} (to '{branch.next}') is never taken: {why}"
        yield Found(("nodes", node.id, "branches", index), message, node.id)


def _rungs_never_taken(node: Ladder, facts: NodeFacts, bad: set[tuple[str, str]]) -> Iterator[Found]:
    for index, rung in enumerate(node.rungs):
        if f"rung:{rung.step}" in facts.taken or (node.id, f"rung '{rung.step}'") in bad:
            continue
        if rung.when is not None and index not in facts.held:
            why = _ARRIVING
        else:
            why = (
                f"a rung before it always comes first, or '{rung.step}' is always among the answers to "
                f"'{node.question}'"
            )
        message = f"ladder '{node.id}': rung '{rung.step}' (to '{rung.next}') is never taken: {why}"
        yield Found(("nodes", node.id, "rungs", index), message, node.id)


def _items_never_shown(node: Outcome, facts: NodeFacts, bad: set[tuple[str, str]]) -> Iterator[Found]:
    for part, points in point_lists(node):
        for index, point in enumerate(points):
            what = f"item {index + 1} of '{part}'"
            if point.when is None or (part, index) in facts.shown or (node.id, what) in bad:
                continue
            message = f"outcome '{node.id}': {what} is never shown: {_ARRIVING}"
            yield Found(("nodes", node.id, part, index), message, node.id)


def default_never_taken(a: Analysis) -> Iterator[Found]:
    """W405: a route's default branch, or a ladder's `exhausted`, never taken."""
    if a.flow is None:
        return
    bad = bad_sites(a)
    for number, facts in a.flow.facts.items():
        node = a.node_list[number]
        if isinstance(node, Route) and sum(b.default for b in node.branches) == 1 and "default" not in facts.taken:
            index, branch = next((i, b) for i, b in enumerate(node.branches) if b.default)
            if (node.id, f"branch {index + 1}") not in bad:
                yield Found(
                    ("nodes", node.id, "branches", index),
                    f"route '{node.id}': the default branch (to '{branch.next}') is never taken: the branches "
                    "before it take every answer that can arrive; make the last of them the default",
                    node.id,
                )
        elif (
            isinstance(node, Ladder)
            and "exhausted" not in facts.taken
            and isinstance(a.nodes.get(node.question), MultipleChoice)
        ):
            yield Found(
                ("nodes", node.id, "exhausted"),
                f"ladder '{node.id}': 'exhausted' (to '{node.exhausted}') is never taken: no answer to "
                f"'{node.question}' that can arrive here includes every step of the ladder",
                node.id,
            )


def default_not_offered(a: Analysis) -> Iterator[Found]:
    """W406: a single choice's default that some arriving answers do not offer."""
    for number, facts in a.flow.facts.items() if a.flow is not None else ():
        node = a.node_list[number]
        if not isinstance(node, SingleChoice) or facts.dead is not None or facts.no_default is None:
            continue
        if any(o.id == node.default for o in node.options):
            message = (
                f"question '{node.id}': the default '{node.default}' is not offered {on_answers(facts.no_default)}"
            )
            yield Found(("nodes", node.id, "default"), message, node.id)


# --- E204: questions asked on every path --------------------------------------------------------------

#: The questions read at each node: (question, where, what reads it).
_Reads = dict[int, list[tuple[str, Path, str]]]


def not_asked(a: Analysis) -> Iterator[Found]:
    """E204: a condition may read only questions asked on every path into the node where it runs.

    Decided from the answer combinations that can arrive (the data flow): a path the
    conditions before never let through is no path. Where the flow was bounded (W409), from
    the graph: AVAILABLE(n) = intersection over predecessors p of (AVAILABLE(p) + p when p is a
    question), with bitsets of the questions conditions read. A read guarded by `answered` in
    the same `all` (`{q: {answered: true, is: x}}`) is not reported: it says the author knows
    the answer may be missing.
    """
    flow = a.flow
    if flow is None:
        return
    reads = _reads(a)
    if not reads:
        return
    available, by_question = _asked_on_every_path(a, reads)
    for number, items in reads.items():
        facts = None if flow.bounded[number] else flow.facts.get(number)
        if facts is None and not flow.bounded[number]:
            continue  # no answers arrive here at all (E103 says so)
        for question, where, what in items:
            if facts is not None:
                if not facts.unanswered & flow.bit.get(question, 0):
                    continue
                arriving = facts.unanswered_when  # the answers that came without it, when there were any
            elif available.get(number, 0) & by_question[question]:
                continue
            else:
                arriving = None
            yield _not_asked(a, number, question, where, what, arriving)


def _reads(a: Analysis) -> _Reads:
    """The unguarded reads of reachable conditions and ladders (of conditions that name the right things)."""
    bad = bad_sites(a)
    reads: _Reads = {}
    for site in a.sites:
        number = a.index[site.node]
        if not a.reach[number] or (site.node, site.what) in bad:
            continue
        for compare in unguarded_reads(site.condition, frozenset()):
            reads.setdefault(number, []).append((compare.question, site.compare_path(compare), site.what))
    for number, node in enumerate(a.node_list):
        if isinstance(node, Ladder) and a.reach[number] and isinstance(a.nodes.get(node.question), MultipleChoice):
            reads.setdefault(number, []).append((node.question, ("nodes", node.id, "question"), "the ladder"))
    return reads


def _asked_on_every_path(a: Analysis, reads: _Reads) -> tuple[dict[int, int], dict[str, int]]:
    """Per node, the bitset of read questions every path through the graph asks before it; and each
    read question's bit."""
    read_questions = sorted({q for items in reads.values() for q, _, _ in items})
    bit = {a.index[q]: 1 << i for i, q in enumerate(read_questions)}
    everything = (1 << len(read_questions)) - 1
    # Only the nodes on some path to a reading node matter; in topological order, each
    # node's set is final before it is passed on: the intersection over its predecessors.
    region = a.ancestors(reads)
    available = {a.start: 0}
    succ = a.succ
    for number in a.order or []:
        if not region[number]:
            continue
        passed = available.get(number, everything) | bit.get(number, 0)
        for child in succ[number]:
            if region[child]:
                available[child] = available.get(child, everything) & passed
    return available, {q: 1 << i for i, q in enumerate(read_questions)}


def _not_asked(
    a: Analysis, number: int, question: str, where: Path, what: str, arriving: dict[str, Answer] | None
) -> Found:
    key = a.keys[number]
    if arriving:
        via = f"; for example {on_answers(arriving)}"
    else:
        example = _path_avoiding(a, number, a.index[question])
        via = f"; for example {' → '.join(example)}" if example else ""
    return Found(
        where,
        f"{kind_name(a.node_list[number])} '{key}': {what} reads '{question}', which is not asked on every path "
        f"into '{key}'{via}; test it first, as in {{{question}: {{answered: true, ...}}}}",
        key,
    )


def unguarded_reads(condition: Condition, guarded: frozenset[str]) -> Iterator[Compare]:
    """The comparisons of a condition that read an answer without first testing it was given.

    `{q: {answered: true, is: x}}` (an `all` holding `answered`) guards the reads of `q` in it.
    """
    if isinstance(condition, Compare):
        if condition.op != "answered" and condition.question not in guarded:
            yield condition
    elif isinstance(condition, AllOf):
        tested = {c.question for c in condition.conditions if isinstance(c, Compare) and c.op == "answered"}
        for part in condition.conditions:
            yield from unguarded_reads(part, guarded | tested)
    elif isinstance(condition, AnyOf):
        for part in condition.conditions:
            yield from unguarded_reads(part, guarded)
    elif isinstance(condition, Not):
        yield from unguarded_reads(condition.condition, guarded)


def _path_avoiding(a: Analysis, target: int, avoid: int) -> list[str]:
    """A shortest path from the start to `target` that does not pass through `avoid`."""
    if a.start == avoid:
        return []
    parent: dict[int, int] = {a.start: -1}
    queue = [a.start]
    for current in queue:
        if current == target:
            path = [current]
            while parent[path[-1]] >= 0:
                path.append(parent[path[-1]])
            return [a.keys[n] for n in reversed(path)]
        for child in a.succ[current]:
            if child not in parent and child != avoid:
                parent[child] = current
                queue.append(child)
    return []
