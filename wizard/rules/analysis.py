"""One tree's graph and what the rules share: edges by node number, reachability, order, conditions.

Nodes are numbered in file order, and the linear passes (reachability, topological order,
the data flows) run on lists indexed by those numbers: on a 100,000-node tree that is
several times faster than the same passes over networkx's dict-of-dicts (the property
tests hold them equal to networkx's answers). networkx is imported only where it earns
its keep: the strongly connected components of a graph that has a cycle, and an example
cycle through each. The options of all questions are read into flat lists once (targets,
conditions, ids, labels), so that the rules decide over those lists, with `map`, `set`
and `join` in C, which questions deserve a closer look.

Everything past the numbering is worked out when a rule first asks for it: the loading
gate (`refuse_broken`) runs only the rules it needs, and pays only for what they read.
A tree may be broken in any way the loader lets through: a `next` naming nothing, or
none, a condition reading what is no question. Every pass here copes with that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from itertools import chain, islice, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from msgspec import Struct

from wizard.core.model import (
    Compare,
    Condition,
    Ladder,
    MultipleChoice,
    Node,
    Outcome,
    Point,
    Route,
    SingleChoice,
    Tree,
)
from wizard.rules.findings import Limits, Path

if TYPE_CHECKING:
    from wizard.rules.flow import DataFlow

__all__ = ["Analysis", "Site", "is_question", "kind_name", "names", "ones", "point_lists", "with_repeats", "zeros"]

_T = TypeVar("_T")
_ID = attrgetter("id")
_OPTIONS = attrgetter("options")
_NEXT = attrgetter("next")
_WHEN = attrgetter("when")
_LABEL_TEXTS = attrgetter("label.texts")


class Site(Struct, frozen=True):
    """A condition and where it is read: at `node`, by a branch, rung, option or list item.

    Attributes:
        node: The key of the node where the condition is evaluated.
        what: The thing it belongs to, as messages name it: "branch 2", "rung 'chat'", "option 'a'",
            "item 3 of 'prepare'".
        context: How the loader named the record holding it: "node 'q'", "node 'q': option 'a'".
        condition: The condition.
        path: Where the record holding the condition is written.
    """

    node: str
    what: str
    context: str
    condition: Condition
    path: Path

    def compare_path(self, compare: Compare) -> Path:
        """Where a comparison of this condition is written."""
        written: Path | None = getattr(compare, "path", None)  # the model's own, where it has one
        return written or (*self.path, "when", compare.question)


def point_lists(node: Outcome) -> tuple[tuple[str, tuple[Point, ...]], ...]:
    """An outcome's lists of items, by field name."""
    return (("how", node.how), ("prepare", node.prepare), ("record", node.record))


def names(ids: list[str] | tuple[str, ...], most: int = 8) -> str:
    """Ids quoted for a message, at most `most` of them."""
    shown = ", ".join(f"'{i}'" for i in ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def kind_name(node: Node) -> str:
    """What a message calls a node: question, route, ladder or outcome."""
    return "question" if isinstance(node, (SingleChoice, MultipleChoice)) else node.kind


def is_question(node: Node | None) -> bool:
    return isinstance(node, (SingleChoice, MultipleChoice))


def _conditional_items(node: Outcome) -> bool:
    """Whether an outcome has a list item with a condition (most have no list at all)."""
    if not (node.how or node.prepare or node.record):
        return False
    return any(p.when is not None for _, points in point_lists(node) for p in points)


def _node_sites(key: str, node: Node) -> Iterator[Site]:
    """The conditions of one node, each with the node where it is evaluated."""
    context = f"node '{key}'"
    if isinstance(node, (SingleChoice, MultipleChoice)):
        for index, option in enumerate(node.options):
            if option.when is not None:
                where = ("nodes", key, "options", index)
                yield Site(key, f"option '{option.id}'", f"{context}: option '{option.id}'", option.when, where)
    elif isinstance(node, Route):
        for index, branch in enumerate(node.branches):
            if branch.when is not None:
                yield Site(key, f"branch {index + 1}", context, branch.when, ("nodes", key, "branches", index))
    elif isinstance(node, Ladder):
        for index, rung in enumerate(node.rungs):
            if rung.when is not None:
                yield Site(key, f"rung '{rung.step}'", context, rung.when, ("nodes", key, "rungs", index))
    elif isinstance(node, Outcome):
        for part, points in point_lists(node):
            for index, point in enumerate(points):
                if point.when is not None:
                    what = f"item {index + 1} of '{part}'"
                    yield Site(key, what, context, point.when, ("nodes", key, part, index))


class Analysis:
    """One tree's graph, numbered, and what several rules read of it.

    Attributes:
        tree: The tree.
        limits: The stated limits.
        keys: The node keys in file order; a node's number is its place here.
        index: The number of each key.
        node_list: The nodes, by number.
        kinds: The class of each node, by number.
        succ: By node, the numbers of the nodes its edges lead to (edges to no node left out).
        broken: The nodes with an edge to no node.
        irregular: The single choices with an option whose `next` is missing or names no node.
        sites: Every condition, with where it is read.
        start: The number of the start node; -1 when `start` names no node.
    """

    def __init__(self, tree: Tree, limits: Limits) -> None:
        self.tree = tree
        self.limits = limits
        self.nodes: Mapping[str, Node] = tree.nodes
        self.keys: list[str] = list(tree.nodes)
        self.index: dict[str, int] = {key: number for number, key in enumerate(self.keys)}
        self.node_list: list[Node] = list(tree.nodes.values())
        self.conditional = bytearray(len(self.keys))  # 1: the node has an option, branch or rung with a condition
        self.sites: list[Site] = []
        self.irregular: set[int] = set()
        self._shared: dict[Callable[[Analysis], Any], Any] = {}
        self._build()
        self.start = self.index.get(tree.start, -1)
        self.outcome_numbers = [n for n, kind in enumerate(self.kinds) if kind is Outcome]
        self.outcome_ids = [self.keys[n] for n in self.outcome_numbers]
        # A node whose id is not its key (E102, possible only in a tree built in Python)
        # breaks the link between answers and conditions: the answer analyses wait for the fix.
        self.ids_ok = self.keys == list(map(_ID, self.node_list))

    # --- Building the graph: every node's successors and conditions --------------------------------

    def _build(self) -> None:
        """Successors, edge count and conditions of every node.

        The options of all questions are gathered into one flat list first (`options`,
        with `option_owner`, the number of each one's question), so that their targets,
        conditions, ids and labels are read by `map` in C and not question by question:
        a 100,000-node tree has some 300,000 options. The rules of options, ids and
        texts read the same lists.
        """
        node_list = self.node_list
        self.kinds = kinds = list(map(type, node_list))
        singles = [n for n, kind in enumerate(kinds) if kind is SingleChoice]
        multiples = [n for n, kind in enumerate(kinds) if kind is MultipleChoice]
        self.question_numbers = questions = singles + multiples
        self.asks = bytearray(len(node_list))  # 1 for a question
        for number in questions:
            self.asks[number] = 1
        option_lists = list(map(_OPTIONS, map(node_list.__getitem__, questions)))
        self.option_counts = counts = list(map(len, option_lists))
        self.options = options = list(chain.from_iterable(option_lists))
        self.option_owner = list(chain.from_iterable(map(repeat, questions, counts)))
        self.option_ids = list(map(_ID, options))
        conditional: set[int] = set()
        whens = list(map(_WHEN, options))
        if whens.count(None) != len(whens):
            conditional.update(owner for owner, when in zip(self.option_owner, whens, strict=True) if when is not None)
        self.succ: list[list[int]] = [[] for _ in node_list]
        broken: set[int] = set()
        edges = self._single_edges(singles, counts[: len(singles)], broken)
        edges += self._multiple_edges(multiples, broken)
        edges += self._other_edges(conditional, broken)
        self.edge_count = edges
        self.broken = sorted(broken)
        for number in broken:
            self.succ[number] = [t for t in self.succ[number] if t >= 0]
        for number in sorted(conditional):
            self.conditional[number] = 1
            self.sites.extend(_node_sites(self.keys[number], node_list[number]))

    def _single_edges(self, singles: list[int], counts: list[int], broken: set[int]) -> int:
        """A single choice's options each lead somewhere: their targets are read for all at once."""
        get = self.index.get
        single_options = self.options[: sum(counts)]
        targets = list(map(get, map(_NEXT, single_options), repeat(-1)))  # no `next`, or no such node: -1
        edges = len(targets)
        found_all = map(list, map(islice, repeat(iter(targets)), counts))
        for number, found in zip(singles, found_all, strict=True):
            self.succ[number] = found
        if -1 not in targets:
            return edges
        for number in singles:  # options with no `next` leave no edge; a `next` that names no node is broken
            if -1 in self.succ[number]:
                self.irregular.add(number)
                node: SingleChoice = self.node_list[number]  # type: ignore[assignment]
                found = [get(o.next, -1) for o in node.options if o.next is not None]
                edges -= len(self.succ[number]) - len(found)
                self.succ[number] = found
                if -1 in found:
                    broken.add(number)
        return edges

    def _multiple_edges(self, multiples: list[int], broken: set[int]) -> int:
        get = self.index.get
        for number in multiples:
            target = get(self.node_list[number].next, -1)  # type: ignore[union-attr]
            self.succ[number] = [target]
            if target < 0:
                broken.add(number)
        return len(multiples)

    def _other_edges(self, conditional: set[int], broken: set[int]) -> int:
        """The edges of routes and ladders; the conditions of outcomes' lists."""
        get = self.index.get
        edges = 0
        for number, kind in enumerate(self.kinds):
            node = self.node_list[number]
            if kind is Route:
                found = [get(b.next, -1) for b in node.branches]  # type: ignore[union-attr]
            elif kind is Ladder:
                found = [*(get(r.next, -1) for r in node.rungs), get(node.exhausted, -1)]  # type: ignore[union-attr]
            else:  # an outcome's list items may have conditions; questions were read with their options
                if kind is Outcome and _conditional_items(node):  # type: ignore[arg-type]
                    conditional.add(number)
                continue
            conditional.add(number)
            edges += len(found)
            self.succ[number] = found
            if -1 in found:
                broken.add(number)
        return edges

    # --- What the rules read, worked out once, when first asked for ------------------------------

    @cached_property
    def pred(self) -> list[list[int]]:
        """By node, the numbers of the nodes with an edge into it."""
        pred: list[list[int]] = [[] for _ in self.keys]
        for source, targets in enumerate(self.succ):
            for target in targets:
                pred[target].append(source)
        return pred

    @cached_property
    def reach(self) -> bytearray:
        """1 for each node reachable from the start."""
        return self.descendants([self.start]) if self.start >= 0 else bytearray(len(self.keys))

    @cached_property
    def coreach(self) -> bytearray:
        """1 for each node from which an outcome can be reached."""
        return self.ancestors(self.outcome_numbers)

    @cached_property
    def _full_order(self) -> list[int] | None:
        return _topological(self.succ, None)

    @cached_property
    def cycles(self) -> list[list[str]]:
        """Non-trivial strongly connected components and self-loops, nodes in file order."""
        return [] if self._full_order is not None else self._cycles()

    @cached_property
    def order(self) -> list[int] | None:
        """A topological order of the reachable nodes; None when there is no start or a cycle is reachable."""
        reach = self.reach
        if self.start < 0 or any(reach[self.index[c[0]]] for c in self.cycles):
            return None
        full = self._full_order
        return [n for n in full if reach[n]] if full is not None else _topological(self.succ, reach)

    @property
    def acyclic(self) -> bool:
        """Whether the answer analyses can run: an order of the reachable nodes, and ids that are keys."""
        return self.order is not None and self.ids_ok

    @cached_property
    def flow(self) -> DataFlow | None:
        """The answer combinations that can arrive at each node; None when the graph does not allow it."""
        if not self.acyclic:
            return None
        from wizard.rules.flow import DataFlow

        flow = DataFlow(self)
        flow.run()
        return flow

    @cached_property
    def dead(self) -> bytearray:
        """1 for a node that is not an outcome and has no edge at all (E104; then not also E105)."""
        dead = bytearray(len(self.keys))
        broken = set(self.broken)
        for number, targets in enumerate(self.succ):
            if not targets and number not in broken and self.kinds[number] is not Outcome:
                dead[number] = 1
        return dead

    def shared(self, compute: Callable[[Analysis], _T]) -> _T:
        """What `compute` finds in this tree, worked out once for all the rules that read it."""
        if compute not in self._shared:
            self._shared[compute] = compute(self)
        return self._shared[compute]  # type: ignore[no-any-return]

    @cached_property
    def label_texts(self) -> list[Mapping[str, str]]:
        """The label texts of `options`, in the same order."""
        return list(map(_LABEL_TEXTS, self.options))

    def descendants(self, sources: Iterable[int]) -> bytearray:
        """1 for `sources` and every node reachable from them."""
        return _closure(self.succ, sources, len(self.keys))

    def ancestors(self, targets: Iterable[int]) -> bytearray:
        """1 for `targets` and every node from which one of them can be reached."""
        return _closure(self.pred, targets, len(self.keys))

    def _cycles(self) -> list[list[str]]:
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(range(len(self.keys)))
        graph.add_edges_from((source, target) for source, targets in enumerate(self.succ) for target in targets)
        found = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
        found.extend([n] for n in nx.nodes_with_selfloops(graph))
        return [[self.keys[n] for n in cycle] for cycle in sorted(found)]

    def cycle_example(self, cycle: list[str]) -> list[str]:
        """One cycle through the first node of a strongly connected component (networkx)."""
        import networkx as nx

        members = {self.index[c] for c in cycle}
        graph = nx.DiGraph((s, t) for s in members for t in self.succ[s] if t in members)
        edges = nx.find_cycle(graph, source=self.index[cycle[0]])
        return [self.keys[edges[0][0]], *(self.keys[target] for _, target in edges)]


def zeros(flags: bytearray) -> Iterator[int]:
    """The numbers whose flag is 0, found by `bytearray.find` (a clean tree has none to find)."""
    return _flagged(flags, 0)


def ones(flags: bytearray) -> Iterator[int]:
    """The numbers whose flag is 1."""
    return _flagged(flags, 1)


def _flagged(flags: bytearray, value: int) -> Iterator[int]:
    number = flags.find(value)
    while number >= 0:
        yield number
        number = flags.find(value, number + 1)


def _closure(adjacency: list[list[int]], starts: Iterable[int], size: int) -> bytearray:
    seen = bytearray(size)
    stack = [s for s in starts if s >= 0]
    for s in stack:
        seen[s] = 1
    while stack:
        for other in adjacency[stack.pop()]:
            if not seen[other]:
                seen[other] = 1
                stack.append(other)
    return seen


def _topological(succ: list[list[int]], members: bytearray | None) -> list[int] | None:
    """A topological order of the nodes (of `members` only, when given), or None on a cycle (Kahn)."""
    size = len(succ)
    inside = members if members is not None else bytearray(b"\x01") * size
    indegree = [0] * size
    for source in range(size):
        if inside[source]:
            for target in succ[source]:
                indegree[target] += 1
    ready = [n for n in range(size - 1, -1, -1) if inside[n] and not indegree[n]]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for target in succ[node]:
            indegree[target] -= 1
            if not indegree[target]:
                ready.append(target)
    return order if len(order) == sum(inside) else None


def with_repeats(a: Analysis, values: list[str]) -> list[int]:
    """The questions in which a value comes twice; `values` has one per option, as `a.options`."""
    counts = a.option_counts
    sizes = list(map(len, map(set, map(islice, repeat(iter(values)), counts))))  # each question's values, in C
    if sizes == counts:
        return []
    return [n for n, size, count in zip(a.question_numbers, sizes, counts, strict=True) if size != count]
