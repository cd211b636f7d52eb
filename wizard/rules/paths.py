"""Paths from the start to the outcomes: counted over the graph (`count_paths`), or walked (`iter_paths`).

A path is a sequence of answers from the start to an outcome; a single choice's answer is
one offered option, a multiple choice's is any subset of the options offered there (the
empty set included), so a multiple choice with k options offered contributes 2**k answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING

from msgspec import Struct

from wizard.core.model import MultipleChoice, Outcome, SingleChoice, Tree
from wizard.rules.analysis import Analysis, names
from wizard.rules.findings import Limits

if TYPE_CHECKING:
    from wizard.core.engine import Session

__all__ = ["NodeIdMismatch", "PathCount", "TreeCycle", "WalkedPath", "count_paths", "iter_paths"]


class PathCount(Struct, frozen=True):
    """How many paths lead from the start to each outcome.

    Attributes:
        total: Paths to any outcome.
        by_outcome: Paths by outcome id, every outcome listed (0 when none reaches it).
        exact: False when the answer combinations were too many to follow: the counts
            then ignore conditions and are an upper bound.
    """

    total: int
    by_outcome: dict[str, int]
    exact: bool = True


class WalkedPath(Struct, frozen=True):
    """One path from the start to an outcome, as the engine walked it.

    Attributes:
        answers: The answers given, by question id in the order asked: an option id, or
            a list of option ids in the question's option order.
        outcome: The outcome reached.
    """

    answers: dict[str, str | list[str]]
    outcome: str


class TreeCycle(ValueError):
    """Paths cannot be counted or listed: routes or questions lead round in a circle.

    Attributes:
        nodes: The nodes of one cycle.
    """

    def __init__(self, nodes: list[str]) -> None:
        self.nodes = nodes
        super().__init__(f"the tree has a cycle through {names(nodes)}: the number of paths is unbounded")


class NodeIdMismatch(ValueError):
    """Paths cannot be counted or listed: a node's id is not its key (E102, possible only in a tree
    built in Python), and answers, named by id, would not find their questions.

    Attributes:
        nodes: The keys of the nodes whose id differs.
    """

    def __init__(self, nodes: list[str]) -> None:
        self.nodes = nodes
        super().__init__(f"a node's id is not its key ({names(nodes)}): paths cannot be followed")


def count_paths(tree: Tree, state_limit: int = 65536) -> PathCount:
    """The exact number of paths from the start to each outcome, without listing them.

    A forward pass in topological order adds up, per node and per combination of the
    answers later conditions read, how many paths arrive; big numbers stay exact.

    Args:
        tree: The tree.
        state_limit: Most answer combinations followed into one node; beyond it the
            counts ignore conditions (an upper bound, `exact` False).

    Raises:
        TreeCycle: A cycle can be reached from the start, so the number is unbounded.
        NodeIdMismatch: A node's id is not its key (a tree built in Python).
    """
    analysis = Analysis(tree, Limits(state_limit=state_limit, subset_limit=16))
    _refuse_cycles(analysis)
    by_outcome = dict.fromkeys(analysis.outcome_ids, 0)
    flow = analysis.flow
    if flow is None:  # the start names no node
        return PathCount(0, by_outcome)
    if any(flow.bounded):
        by_outcome.update(_count_ignoring_conditions(analysis))
        return PathCount(sum(by_outcome.values()), by_outcome, exact=False)
    by_outcome.update((analysis.keys[n], paths) for n, paths in flow.outcome_paths.items())
    return PathCount(sum(by_outcome.values()), by_outcome)


def _refuse_cycles(a: Analysis) -> None:
    """Refuse a tree whose paths cannot be followed: a cycle from the start, or ids that are not keys."""
    if not a.ids_ok:
        raise NodeIdMismatch([key for key, node in zip(a.keys, a.node_list, strict=True) if key != node.id])
    for cycle in a.cycles:
        if a.reach[a.index[cycle[0]]]:
            raise TreeCycle(cycle)


def _count_ignoring_conditions(a: Analysis) -> dict[str, int]:
    """Paths per outcome as if every option were offered and every branch could be taken."""
    paths = [0] * len(a.keys)
    paths[a.start] = 1
    totals: dict[str, int] = {}
    for number in a.order or []:
        node = a.node_list[number]
        if isinstance(node, Outcome):
            totals[a.keys[number]] = paths[number]
            continue
        factor = 1 << len(node.options) if isinstance(node, MultipleChoice) else 1
        for child in a.succ[number]:
            paths[child] += paths[number] * factor
    return totals


def iter_paths(tree: Tree) -> Iterator[WalkedPath]:
    """Every path from the start to an outcome, walked with the engine's `Session`.

    Options come in the question's order; a multiple choice's subsets from the
    smallest (none) to all, each size in option order. Walks that end anywhere but at
    an outcome (a dead end, a route with no branch to take) are left out, as they are
    from `count_paths`, so the two agree.

    Raises:
        TreeCycle: A cycle can be reached from the start.
        NodeIdMismatch: A node's id is not its key (a tree built in Python).
    """
    from wizard.core.engine import Session, format_answer
    from wizard.core.errors import AnswerError

    analysis = Analysis(tree, Limits())
    _refuse_cycles(analysis)
    if analysis.start < 0:
        return
    try:
        session = Session(tree)
    except (AnswerError, KeyError):  # the start is a route with no branch to take
        return
    if session.done:
        yield WalkedPath({}, session.outcome.id)
        return
    # Steps name questions by id (the key, unless E102 says otherwise).
    by_id = {node.id: node for node in tree.nodes.values() if isinstance(node, (SingleChoice, MultipleChoice))}
    # Depth-first, with an explicit stack of the answers left to try at each question
    # reached (no recursion: a path may be deeper than Python's recursion limit).
    stack: list[Iterator[str | list[str]]] = [_choices(session)]
    while stack:
        choice = next(stack[-1], None)
        if choice is None:
            stack.pop()
            session.back()  # to the question before (at the first question, nothing to undo)
            continue
        try:
            session.answer(choice)
        except (AnswerError, KeyError):  # a route with no branch to take, a missing node: not a path
            continue
        if session.done:
            answers = {step.question: format_answer(by_id[step.question], step.answer) for step in session.steps}
            yield WalkedPath(answers, session.outcome.id)
            session.back()
        else:
            stack.append(_choices(session))


def _choices(session: Session) -> Iterator[str | list[str]]:
    """The answers the current question accepts, one at a time: an offered option id, or a subset of them.

    Lazy: a multiple choice of k options has 2**k subsets, and a listing stops after `--limit`.
    """
    ids = [o.id for o in session.options()]
    if isinstance(session.question, SingleChoice):
        return iter(ids)
    return (list(chosen) for size in range(len(ids) + 1) for chosen in combinations(ids, size))
