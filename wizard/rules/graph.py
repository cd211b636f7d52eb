"""The graph: nodes never reached (E103), dead ends (E104), no outcome ahead (E105), cycles (E106),
a route's default (E201) and paths too deep (W403).

Graph search over the edges of the model: the descendants of the start (E103), the
ancestors of the outcomes (E105; a dead end itself is E104 only), and a topological
order (Kahn). Only when there is none are the strongly connected components computed,
with networkx, and each non-trivial one (and each self-loop) is reported once with its
nodes and an example cycle; simple cycles are never enumerated. Where the answers that
can arrive decide (a node reached only through ways never taken, a question offering
nothing on some answers), the data flow says so (`wizard.rules.flow`).
"""

from __future__ import annotations

from collections.abc import Iterator

from wizard.core.model import Route
from wizard.rules.analysis import Analysis, is_question, kind_name, names, ones, zeros
from wizard.rules.findings import Found
from wizard.rules.flow import on_answers

__all__ = ["cycles", "dead_ends", "no_outcome", "route_defaults", "too_deep", "unreachable"]


def unreachable(a: Analysis) -> Iterator[Found]:
    """E103: a node no path from the start reaches, or only through ways never taken."""
    if a.start < 0:
        return
    for number in zeros(a.reach):
        key = a.keys[number]
        message = f"{kind_name(a.node_list[number])} '{key}' cannot be reached from the start ('{a.tree.start}')"
        yield Found(("nodes", key), message, key)
    for number in a.flow.never_reached if a.flow is not None else ():
        key = a.keys[number]
        message = f"{kind_name(a.node_list[number])} '{key}' is never reached: every way into it is never taken"
        yield Found(("nodes", key), message, key)


def dead_ends(a: Analysis) -> Iterator[Found]:
    """E104: a node, not an outcome, with no way forward; or a question offering no option on some answers."""
    for number in ones(a.dead):
        key, node = a.keys[number], a.node_list[number]
        what = "a question with no option leading on" if is_question(node) else "a route with no branch"
        yield Found(("nodes", key), f"{kind_name(node)} '{key}' is a dead end: {what}", key)
    if a.flow is None:
        return
    for number, facts in a.flow.facts.items():
        if facts.dead is not None:
            key = a.keys[number]
            message = f"question '{key}' is a dead end {on_answers(facts.dead)}: none of its options is offered"
            yield Found(("nodes", key), message, key)


def no_outcome(a: Analysis) -> Iterator[Found]:
    """E105: a node from which no outcome can be reached (a dead end itself is E104 only)."""
    dead = a.dead
    for number in zeros(a.coreach):
        if not dead[number]:
            key = a.keys[number]
            yield Found(("nodes", key), f"no outcome can be reached from {kind_name(a.node_list[number])} '{key}'", key)


def cycles(a: Analysis) -> Iterator[Found]:
    """E106: the nodes of each strongly connected component, or a node leading to itself."""
    for cycle in a.cycles:
        if len(cycle) == 1:
            message = f"cycle: '{cycle[0]}' leads back to itself"
        else:
            example = " → ".join(a.cycle_example(cycle))
            message = f"cycle: {len(cycle)} nodes lead round in a circle ({names(cycle)}), for example {example}"
        yield Found(("nodes", cycle[0]), message, cycle[0])


def route_defaults(a: Analysis) -> Iterator[Found]:
    """E201: a route without exactly one default branch."""
    for number, kind in enumerate(a.kinds):
        if kind is not Route:
            continue
        node: Route = a.node_list[number]  # type: ignore[assignment]
        key = a.keys[number]
        defaults = [i + 1 for i, b in enumerate(node.branches) if b.default]
        if len(defaults) != 1:
            what = (
                "has no default branch"
                if not defaults
                else f"has {len(defaults)} default branches ({', '.join(map(str, defaults))})"
            )
            yield Found(("nodes", key), f"route '{key}' {what}; exactly one needs 'default: true'", key)


def too_deep(a: Analysis) -> Iterator[Found]:
    """W403: the longest path, in questions asked, against the stated depth."""
    if not a.acyclic:
        return
    asked = [-1] * len(a.keys)  # questions asked before arriving, on the longest path
    via = [-1] * len(a.keys)
    asked[a.start] = 0
    succ, asks = a.succ, a.asks
    for number in a.order or []:
        depth = asked[number] + asks[number]
        for child in succ[number]:
            if depth > asked[child]:
                asked[child] = depth
                via[child] = number
    deepest = max(range(len(asked)), key=asked.__getitem__)
    if asked[deepest] < a.limits.max_depth:
        return
    path = [deepest]
    while via[path[-1]] >= 0:
        path.append(via[path[-1]])
    questions = [a.keys[n] for n in reversed(path) if is_question(a.node_list[n])]
    if len(questions) <= a.limits.max_depth:
        return
    first_over = questions[a.limits.max_depth]
    shown = questions if len(questions) <= 8 else [*questions[:3], "…", *questions[-3:]]
    yield Found(
        ("nodes", first_over),
        f"a path asks {len(questions)} questions, more than the limit of {a.limits.max_depth} "
        f"({' → '.join(shown)}); question '{first_over}' is the first beyond it",
        first_over,
    )
