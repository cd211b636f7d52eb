"""Tree coverage: which nodes, edges and options of a tree a set of walks reached, and which they did not.

Pure: no terminal, no networkx. A tree has three kinds of item:

- nodes, by id;
- edges, by (source, key) (`wizard.core.model.Edge`: an option id, `next`, `branch:N`,
  `default`, `rung:STEP` or `exhausted`);
- options, by (question id, option id).

A walk reaches the nodes it visits, the edges it follows and the options it chooses:
the option of a single choice, and every option in the set of a multiple choice, so
an option of a multiple choice is reached when at least one walk chose it.

The percentage of a kind is reached/total (100 when the tree has none of that kind);
`lowest` is the lowest of the three, the figure `pdd-wizard test --min-coverage` reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from msgspec import Struct, field

from wizard.core.engine import Session
from wizard.core.model import Location, Path, Tree

__all__ = ["KINDS", "Coverage", "Item", "KindCoverage", "format_percent", "tree_coverage"]

#: The kinds of item counted, in report order.
KINDS = ("nodes", "edges", "options")


class Item(Struct, frozen=True):
    """One countable part of a tree.

    Attributes:
        key: What identifies it: a node id, (source, edge key), or (question id, option id).
        label: How a report names it: `role`, `role[buyer] -> problem`, `role=buyer`.
        loc: Where it is written.
        target: The node an edge leads to (None for nodes and options).
    """

    key: str | tuple[str, str]
    label: str
    loc: Location
    target: str | None = None


class KindCoverage(Struct, frozen=True):
    """Coverage of one kind of item.

    Attributes:
        total: How many the tree has.
        reached: How many the walks reached.
        unreached: Those not reached, in file order.
    """

    total: int
    reached: int
    unreached: tuple[Item, ...]

    @property
    def fraction(self) -> Fraction:
        """reached/total; 1 when there is nothing to reach."""
        return Fraction(self.reached, self.total) if self.total else Fraction(1)

    @property
    def percent(self) -> float:
        return float(self.fraction * 100)


class Coverage(Struct, frozen=True):
    """A tree's coverage by a set of walks.

    Attributes:
        tree: The tree.
        kinds: Coverage by kind: `nodes`, `edges`, `options`.
        walks: How many walks were counted.
    """

    tree: Tree
    kinds: dict[str, KindCoverage] = field(default_factory=dict)
    walks: int = 0

    @property
    def lowest(self) -> Fraction:
        """The lowest of the three fractions: what a minimum is checked against."""
        return min(k.fraction for k in self.kinds.values())

    def meets(self, minimum_percent: float) -> bool:
        """Whether every kind reaches `minimum_percent` (exactly: 99.95% does not meet 100)."""
        return self.lowest * 100 >= Fraction(minimum_percent)

    def figures(self) -> str:
        """The three figures in words: `nodes 9/9 100%, edges 7/8 87.5%, options 6/6 100%`."""
        return ", ".join(
            f"{kind} {self.kinds[kind].reached}/{self.kinds[kind].total} {format_percent(self.kinds[kind].fraction)}"
            for kind in KINDS
        )

    def unreached(self) -> list[tuple[str, Item]]:
        """Every unreached item with its kind (`node`, `edge`, `option`), kinds in report order."""
        return [(kind[:-1], item) for kind in KINDS for item in self.kinds[kind].unreached]


def tree_items(tree: Tree) -> dict[str, list[Item]]:
    """Every node, edge and option of a tree, in file order, by kind."""
    found: dict[str, list[tuple[Any, str, Path, str | None]]] = {kind: [] for kind in KINDS}
    for node in tree.nodes.values():
        found["nodes"].append((node.id, node.id, node.path, None))
        for edge in node.edges():
            label = edge_label(edge.source, edge.key, edge.target)
            found["edges"].append(((edge.source, edge.key), label, edge.path, edge.target))
    for question in tree.questions():
        for index, option in enumerate(question.options):
            path = (*question.path, "options", index)
            found["options"].append(((question.id, option.id), f"{question.id}={option.id}", path, None))
    places = iter(tree.where_all([path for kind in KINDS for _, _, path, _ in found[kind]]))
    return {kind: [Item(key, label, next(places), target) for key, label, _, target in found[kind]] for kind in KINDS}


def edge_label(source: str, key: str, target: str | None) -> str:
    """An edge as a report names it: `source[key] -> target`."""
    return f"{source}[{key}] -> {target}"


def reached_keys(session: Session) -> dict[str, set[str | tuple[str, str]]]:
    """What one walk reached, by kind, as item keys."""
    options: set[str | tuple[str, str]] = set()
    for step in session.steps:
        chosen = [step.answer] if isinstance(step.answer, str) else sorted(step.answer)
        options.update((step.question, option) for option in chosen)
    return {
        "nodes": set(session.visited()),
        "edges": {(edge.source, edge.key) for edge in session.edges()},
        "options": options,
    }


def tree_coverage(tree: Tree, sessions: Iterable[Session]) -> Coverage:
    """The coverage of `tree` by the walks `sessions` (all of this tree) together."""
    reached: dict[str, set[str | tuple[str, str]]] = {kind: set() for kind in KINDS}
    walks = 0
    for session in sessions:
        walks += 1
        for kind, keys in reached_keys(session).items():
            reached[kind] |= keys
    kinds = {}
    for kind, items in tree_items(tree).items():
        unreached = tuple(item for item in items if item.key not in reached[kind])
        kinds[kind] = KindCoverage(len(items), len(items) - len(unreached), unreached)
    return Coverage(tree, kinds, walks)


def format_percent(fraction: Fraction) -> str:
    """A fraction as a percentage for reports, rounded down so that only complete coverage reads 100%.

    >>> format_percent(Fraction(199, 200))
    '99.5%'
    >>> format_percent(Fraction(1))
    '100%'
    """
    tenths = int(fraction * 1000)  # floor: 0.9999 must not print as 100%
    if tenths % 10 == 0:
        return f"{tenths // 10}%"
    return f"{tenths / 10:.1f}%"
