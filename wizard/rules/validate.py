"""The graph validator: every check of a tree's soundness, each finding with a stable code and a location.

`check_tree(tree)` returns a `Report` of `Finding`s; `count_paths(tree)` counts the
paths from the start to each outcome without listing them; `iter_paths(tree)` lists
them, walking the engine's own `Session`. No terminal library is used here, and
networkx is imported only when a tree has a cycle to take apart, never at import.

Codes (stable: scripts and CI filter on them; `pdd-wizard check --list-codes`):

====  =========================================================================================
E100  the tree cannot be read (the loader's problems; `pdd-wizard check` exits 2)
E101  a reference to a missing node: a `next`, `start`, `exhausted`, `escalates_to` or `schedule`
E102  a duplicate id: two nodes, two options of a question, two rungs of a ladder
E103  a node that cannot be reached from the start (or only through ways never taken)
E104  a dead end: a node that is not an outcome and has no way forward (on some answers)
E105  a node from which no outcome can be reached
E106  a cycle: the nodes of a strongly connected component, or a node leading to itself
E201  a route without exactly one default branch
E202  a condition (or a ladder) that names an unknown question
E203  a condition (or a ladder rung) that names an option its question does not have
E204  a condition that reads a question not asked on every path into it
E205  a route branch, ladder rung, conditional option or list item that is never taken
E206  a condition whose operator does not apply to its question's kind
E301  a missing translation for a language the tree declares
E302  an empty text
E303  text holding control characters, terminal escape sequences or bidi overrides
E304  text in a language the tree does not declare
W401  a single choice whose options all end in the same place: the choice changes nothing
W402  a multiple-choice option (or question) whose answer no condition or ladder reads
W403  a path asking more questions than the stated depth (`--max-depth`, default 25)
W404  a line of text longer than the stated budget (`--line-budget`, default 240 characters)
W405  a route's default branch or a ladder's `exhausted` that is never taken
W406  a single choice's default that is not offered on some path
W407  a schedule no outcome uses
W408  outcomes whose `escalates_to` lead round in a circle
W409  the analysis of answer combinations was bounded: checks below a node were skipped
W410  two options of one question with the same label
W411  an id that is not a plain id (a letter, then letters, digits, `_`, `.`, `-`): scripts cannot name it
====  =========================================================================================

How the checks decide:

- Structure (E101-E106) is graph search over the edges of `Tree.edges()`: the
  descendants of the start (E103), the ancestors of the outcomes (E105; a dead end
  itself is E104 only), and a topological order (Kahn). Only when there is none are
  the strongly connected components computed, with networkx, and each non-trivial
  one (and each self-loop) is reported once with its nodes and an example cycle;
  simple cycles are never enumerated. The linear passes run on lists indexed by node
  number rather than on networkx's dict-of-dicts: on a 100,000-node tree that is
  several times faster (the property tests hold them equal to networkx's answers).
  The options of all questions are read into flat lists once (targets, conditions,
  ids, labels), and the checks of options, ids and texts decide over those lists,
  with `map`, `set` and `join` in C, which questions deserve a closer look.
- "Never taken" (E205, W405), "never reached" (E103), conditional dead ends (E104),
  defaults not offered (W406) and path counts come from a forward data flow in
  topological order: the answer combinations that can arrive at each node, with how
  many paths bring each. Only the answers some condition at or after the node reads
  are kept (live questions), a multiple choice's answer only as far as conditions
  name its options, so the sets stay small (a tree whose conditions sit near its
  start pays for those few nodes only). Each combination is evaluated with the
  engine's own `offered`, `next_of_route` and `next_of_ladder`, so the validator and
  the engine cannot disagree. When a node's combinations exceed
  `Limits.state_limit`, the analysis stops below it and says so (W409) rather than
  guess.
- "Asked on every path" (E204) is the dominator-style data flow AVAILABLE(n) =
  intersection over predecessors p of (AVAILABLE(p) + p when p is a question), over
  the graph's paths, with bitsets of the questions conditions read. A read guarded
  by `answered` in the same `all` (`{q: {answered: true, is: x}}`) is not reported:
  it says the author knows the answer may be missing.
- These analyses need an acyclic graph whose node ids are their keys; otherwise
  (E106, E102) they wait for that fix.
- W401 is a single choice whose answer no condition reads and whose options all lead
  to one node, or all end at one same outcome whatever comes after; W402 a multiple
  choice option that no condition or ladder rung names (or a whole question nothing
  reads). Options that merely share a target with a sibling (synonyms) are fine.
- Text (E301-E304, W404) is every user-visible text: title, description, prompts,
  help, labels, every field and list item of an outcome, schedule names. A line
  break is allowed except in one-line texts (labels, titles, channels, names); any
  other C0 control, DEL, C1 control or bidi embedding/override/isolate is E303.

Paths (`count_paths`, `iter_paths`): a path is a sequence of answers from the start
to an outcome; a single choice's answer is one offered option, a multiple choice's
is any subset of the options offered there (the empty set included), so a multiple
choice with k options offered contributes 2**k answers.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, combinations, islice, repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Literal

from wizard.core.model import (
    ID_PATTERN,
    TREE_ID_PATTERN,
    AllOf,
    Answer,
    AnyOf,
    Compare,
    Condition,
    Edge,
    Ladder,
    Localized,
    Location,
    MultipleChoice,
    Node,
    Outcome,
    Point,
    Route,
    SingleChoice,
    Tree,
    next_of_ladder,
    next_of_route,
    node_edges,
    offered,
)
from wizard.core.model import MULTIPLE_OPERATORS as _MULTIPLE_OPS
from wizard.core.model import SINGLE_OPERATORS as _SINGLE_OPS

if TYPE_CHECKING:
    from wizard.core.engine import Session

__all__ = [
    "CODES",
    "LINE_BUDGET",
    "MAX_DEPTH",
    "Finding",
    "Limits",
    "NodeIdMismatch",
    "PathCount",
    "Report",
    "TreeCycle",
    "WalkedPath",
    "check_tree",
    "codes_table",
    "count_paths",
    "gc_paused",
    "iter_paths",
]

#: Every check code and what it means (the table of the module's docstring).
CODES: dict[str, str] = {
    "E100": "the tree cannot be read (the loader's problems)",
    "E101": "a reference to a missing node (next, start, exhausted, escalates_to, schedule)",
    "E102": "a duplicate id (nodes, options of a question, rungs of a ladder)",
    "E103": "a node that cannot be reached from the start",
    "E104": "a dead end: not an outcome and no way forward",
    "E105": "a node from which no outcome can be reached",
    "E106": "a cycle",
    "E201": "a route without exactly one default branch",
    "E202": "a condition or ladder naming an unknown question",
    "E203": "a condition, rung or default naming an option its question does not have",
    "E204": "a condition reading a question not asked on every path into it",
    "E205": "a route branch, rung, conditional option or list item never taken",
    "E206": "a condition whose operator does not apply to its question's kind",
    "E301": "a missing translation",
    "E302": "an empty text",
    "E303": "control characters, terminal escape sequences or bidi overrides in text",
    "E304": "text in a language the tree does not declare",
    "W401": "a single choice whose options all end in the same place",
    "W402": "a multiple-choice option or question whose answer nothing reads",
    "W403": "a path longer than the stated depth",
    "W404": "a line of text longer than the stated budget",
    "W405": "a default branch or ladder 'exhausted' never taken",
    "W406": "a single choice's default not offered on some path",
    "W407": "a schedule no outcome uses",
    "W408": "escalates_to leading round in a circle",
    "W409": "the analysis of answer combinations was bounded",
    "W410": "two options of one question with the same label",
    "W411": "an id that is not a plain id (scripts and the JSON Schema cannot name it)",
}

#: Longest path accepted without W403, in questions asked.
MAX_DEPTH = 25
#: Longest line of text accepted without W404, in characters.
LINE_BUDGET = 240
#: Most answer combinations followed into one node before the analysis is bounded (W409).
STATE_LIMIT = 4096
#: Most options of one multiple choice whose subsets are followed (2**12 = 4096 subsets).
SUBSET_LIMIT = 12

# C0 controls except the line feed, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates that make text read differently from how it is stored (Trojan Source).
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {
    0x1B: "ESC, which starts terminal escape sequences",
    0x9B: "CSI, which starts terminal escape sequences",
    0x0D: "CR, which moves back over the line",
    0x09: "TAB",
    0x08: "BS",
    0x07: "BEL",
}
# Texts shown as one line (a menu entry, a heading): a line break there is an error too.
_ONE_LINE = {"label", "title", "channel"}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a tree is loaded and checked; resume it after.

    Loading and checking a large tree allocate millions of objects that all live to
    the end and form no reference cycles; the collector's repeated full passes over
    them cost more than the work itself (2.7 times the time of reading a 10,000-node
    file). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # The objects made meanwhile move to the permanent generation first: else the first
            # allocation after `enable` would start a full collection over all of them (a second
            # for a 100,000-node tree). Reference counting still frees them.
            gc.freeze()
            gc.enable()


def codes_table() -> str:
    """The check codes as an aligned plain-text table, for `--help` and `--list-codes`."""
    return "\n".join(f"  {code}  {text}" for code, text in CODES.items())


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem found in a tree.

    Attributes:
        code: The stable check code, `E…` for errors and `W…` for warnings.
        message: What is wrong, naming the node (and option, branch or condition).
        node: The node the finding is about, when there is one.
        loc: Where the thing is defined: file, line and column.
    """

    code: str
    message: str
    node: str | None
    loc: Location

    @property
    def severity(self) -> Literal["error", "warning"]:
        return "error" if self.code.startswith("E") else "warning"


@dataclass(frozen=True)
class Limits:
    """The stated limits of the checks.

    Attributes:
        max_depth: Most questions on a path before W403.
        line_budget: Most characters on a line of text before W404.
        state_limit: Most answer combinations followed into a node (W409 beyond).
        subset_limit: Most options of a multiple choice whose subsets are followed.
    """

    max_depth: int = MAX_DEPTH
    line_budget: int = LINE_BUDGET
    state_limit: int = STATE_LIMIT
    subset_limit: int = SUBSET_LIMIT


@dataclass
class Report:
    """What `check_tree` found.

    Attributes:
        tree: The tree checked.
        findings: Every finding, in the order of the file.
        nodes: How many nodes the tree has.
        edges: How many edges (options, branches, rungs, `next`s).
        outcomes: How many outcomes.
    """

    tree: Tree
    findings: list[Finding]
    nodes: int
    edges: int
    outcomes: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


@dataclass(frozen=True)
class PathCount:
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


@dataclass(frozen=True)
class WalkedPath:
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
        super().__init__(f"the tree has a cycle through {_names(nodes)}: the number of paths is unbounded")


class NodeIdMismatch(ValueError):
    """Paths cannot be counted or listed: a node's id is not its key (E102, possible only in a tree
    built in Python), and answers, named by id, would not find their questions.

    Attributes:
        nodes: The keys of the nodes whose id differs.
    """

    def __init__(self, nodes: list[str]) -> None:
        self.nodes = nodes
        super().__init__(f"a node's id is not its key ({_names(nodes)}): paths cannot be followed")


_ID = attrgetter("id")
_OPTIONS = attrgetter("options")
_NEXT = attrgetter("next")
_WHEN = attrgetter("when")
_LABEL_TEXTS = attrgetter("label.texts")
_HELP = attrgetter("help")


# --- Conditions: where they are and what they read --------------------------------------------


@dataclass(frozen=True)
class _Site:
    """A condition and where it is read: at `node`, by a branch, rung, option or list item."""

    node: str
    what: str  # "branch 2", "rung 'chat'", "option 'a'", "item 3 of 'prepare'"
    condition: Condition
    loc: Location


def _compares(condition: Condition) -> Iterator[Compare]:
    yield from condition.questions()


def _point_lists(node: Outcome) -> tuple[tuple[str, tuple[Point, ...]], ...]:
    return (("how", node.how), ("prepare", node.prepare), ("record", node.record))


def _node_sites(key: str, node: Node) -> Iterator[_Site]:
    """The conditions of one node, each with the node where it is evaluated."""
    if isinstance(node, (SingleChoice, MultipleChoice)):
        for option in node.options:
            if option.when is not None:
                yield _Site(key, f"option '{option.id}'", option.when, _loc(option.loc, node.loc))
    elif isinstance(node, Route):
        for index, branch in enumerate(node.branches):
            if branch.when is not None:
                yield _Site(key, f"branch {index + 1}", branch.when, _loc(branch.loc, node.loc))
    elif isinstance(node, Ladder):
        for rung in node.rungs:
            if rung.when is not None:
                yield _Site(key, f"rung '{rung.step}'", rung.when, _loc(rung.loc, node.loc))
    elif isinstance(node, Outcome):
        for part, points in _point_lists(node):
            for index, point in enumerate(points):
                if point.when is not None:
                    yield _Site(key, f"item {index + 1} of '{part}'", point.when, _loc(point.loc, node.loc))


def _loc(*candidates: Location) -> Location:
    """The first known location among `candidates`."""
    for loc in candidates:
        if loc.known:
            return loc
    return candidates[-1]


def _names(ids: list[str] | tuple[str, ...], most: int = 8) -> str:
    shown = ", ".join(f"'{i}'" for i in ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def _kind_name(node: Node) -> str:
    return "question" if isinstance(node, (SingleChoice, MultipleChoice)) else node.kind


def _is_question(node: Node | None) -> bool:
    return isinstance(node, (SingleChoice, MultipleChoice))


# --- The graph -------------------------------------------------------------------------------


class _Analysis:
    """One tree's graph and what the checks share: reachability, topological order, conditions.

    Nodes are numbered in file order and the linear passes (reachability, topological
    order, the data flows) run on lists indexed by those numbers: on a 100,000-node
    tree they are several times faster than the same passes over networkx's
    dict-of-dicts. networkx takes over where it earns its keep: the strongly connected
    components of a graph with a cycle, and an example cycle through each (and the
    property tests hold these lists equal to networkx's descendants and ancestors).
    """

    def __init__(self, tree: Tree, limits: Limits, locate: Callable[[Any, Any], Location] | None = None) -> None:
        self.tree = tree
        self.limits = limits
        self.locate = locate  # see `check_tree`
        self.nodes: Mapping[str, Node] = tree.nodes
        self.findings: list[Finding] = []
        self.keys: list[str] = list(tree.nodes)
        self.index: dict[str, int] = {key: number for number, key in enumerate(self.keys)}
        self.node_list: list[Node] = list(tree.nodes.values())
        self.succ: list[list[int]] = []  # targets that exist, one per edge
        self.conditional = bytearray(len(self.keys))  # 1: the node has an option, branch or rung with a condition
        self.broken: list[int] = []  # nodes with an edge to no node
        self.edge_count = 0
        self.sites: list[_Site] = []
        # Single choices with an option whose `next` is missing or names no node.
        self.irregular: set[int] = set()
        self._label_texts: list[Mapping[str, str]] | None = None
        self._build()
        self.pred: list[list[int]] = [[] for _ in self.keys]
        for source, targets in enumerate(self.succ):
            for target in targets:
                self.pred[target].append(source)
        self.start = self.index.get(tree.start, -1)
        self.reach = self.descendants([self.start]) if self.start >= 0 else bytearray(len(self.keys))
        self.outcome_numbers = [n for n, kind in enumerate(self.kinds) if kind is Outcome]
        self.outcome_ids = [self.keys[n] for n in self.outcome_numbers]
        self.coreach = self.ancestors(self.outcome_numbers)
        full = _topological(self.succ, None)
        self.cycles: list[list[str]] = [] if full is not None else self._cycles()
        self.cyclic_reach = any(self.reach[self.index[c[0]]] for c in self.cycles)
        self.order: list[int] | None = None  # topological order of the reachable nodes
        if self.start >= 0 and not self.cyclic_reach:
            reach = self.reach
            self.order = [n for n in full if reach[n]] if full is not None else _topological(self.succ, reach)
        # A node whose id is not its key (E102, possible only in a tree built in Python)
        # breaks the link between answers and conditions: the answer analyses wait for the fix.
        self.ids_ok = all(key == node.id for key, node in zip(self.keys, self.node_list, strict=True))
        self.bad_sites: set[tuple[str, str]] = set()  # (node, what) of sites with E202, E203 or E206

    def _build(self) -> None:
        """Successors, edge count and conditions of every node.

        The options of all questions are gathered into one flat list first (`options`,
        with `option_owner`, the number of each one's question), so that their targets,
        conditions, ids and labels are read by `map` in C and not question by question:
        a 100,000-node tree has some 300,000 options. The checks of options, ids and
        texts read the same lists.
        """
        get = self.index.get
        node_list = self.node_list
        at = node_list.__getitem__
        self.kinds = kinds = list(map(type, node_list))
        singles = [n for n, kind in enumerate(kinds) if kind is SingleChoice]
        multiples = [n for n, kind in enumerate(kinds) if kind is MultipleChoice]
        self.question_numbers = questions = singles + multiples
        self.asks = bytearray(len(node_list))  # 1 for a question
        for number in questions:
            self.asks[number] = 1
        option_lists = list(map(_OPTIONS, map(at, questions)))
        self.option_counts = counts = list(map(len, option_lists))
        self.options = options = list(chain.from_iterable(option_lists))
        self.option_owner = list(chain.from_iterable(map(repeat, questions, counts)))
        self.option_ids = list(map(_ID, options))
        conditional: set[int] = set()
        whens = list(map(_WHEN, options))
        if whens.count(None) != len(whens):
            conditional.update(owner for owner, when in zip(self.option_owner, whens, strict=True) if when is not None)
        succ: list[list[int]] = [[] for _ in node_list]
        broken: set[int] = set()
        # A single choice's options each lead somewhere: their targets are read for all at once.
        single_options = options[: sum(counts[: len(singles)])]
        targets = list(map(get, map(_NEXT, single_options), repeat(-1)))  # no `next`, or no such node: -1
        edges = len(targets)
        found_all = map(list, map(islice, repeat(iter(targets)), counts[: len(singles)]))
        for number, found in zip(singles, found_all, strict=True):
            succ[number] = found
        if -1 in targets:  # options with no `next` leave no edge; a `next` that names no node is broken
            for number in singles:
                if -1 in succ[number]:
                    self.irregular.add(number)
                    found = [get(o.next, -1) for o in node_list[number].options if o.next is not None]  # type: ignore[union-attr]
                    edges -= len(succ[number]) - len(found)
                    succ[number] = found
                    if -1 in found:
                        broken.add(number)
        for number in multiples:
            found = [get(node_list[number].next, -1)]  # type: ignore[union-attr]
            edges += 1
            succ[number] = found
            if -1 in found:
                broken.add(number)
        for number, kind in enumerate(kinds):
            if kind is SingleChoice or kind is MultipleChoice or (kind is Outcome and not self._listed(number)):
                continue  # an outcome with no list has no edge and no condition
            node = node_list[number]
            if kind is Route:
                found = [get(b.next, -1) for b in node.branches]  # type: ignore[union-attr]
                conditional.add(number)
            elif kind is Ladder:
                found = [*(get(r.next, -1) for r in node.rungs), get(node.exhausted, -1)]  # type: ignore[union-attr]
                conditional.add(number)
            else:
                found = []
                if any(p.when is not None for _, points in _point_lists(node) for p in points):  # type: ignore[arg-type]
                    conditional.add(number)
            edges += len(found)
            succ[number] = found
            if -1 in found:
                broken.add(number)
        self.edge_count = edges
        self.broken = sorted(broken)
        for number in broken:
            succ[number] = [t for t in succ[number] if t >= 0]
        self.succ = succ
        for number in sorted(conditional):
            self.conditional[number] = 1
            self.sites.extend(_node_sites(self.keys[number], node_list[number]))

    def _listed(self, number: int) -> bool:
        node = self.node_list[number]
        return bool(node.how or node.prepare or node.record)  # type: ignore[union-attr]

    def label_texts(self) -> list[Mapping[str, str]]:
        """The label texts of `options`, in the same order."""
        if self._label_texts is None:
            self._label_texts = list(map(_LABEL_TEXTS, self.options))
        return self._label_texts

    def add(self, code: str, message: str, node: str | None, loc: Location) -> None:
        self.findings.append(Finding(code, message, node, loc))

    def node_loc(self, node_id: str) -> Location:
        node = self.nodes.get(node_id)
        return _loc(node.loc, self.tree.source) if node is not None else self.tree.source

    def descendants(self, sources: Iterable[int]) -> bytearray:
        """1 for `sources` and every node reachable from them."""
        return _closure(self.succ, sources, len(self.keys))

    def ancestors(self, targets: Iterable[int]) -> bytearray:
        """1 for `targets` and every node from which one of them can be reached."""
        return _closure(self.pred, targets, len(self.keys))

    def _cycles(self) -> list[list[str]]:
        """Non-trivial strongly connected components and self-loops (networkx), nodes in file order."""
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


def _zeros(flags: bytearray) -> Iterator[int]:
    """The numbers whose flag is 0, found by `bytearray.find` (a clean tree has none to find)."""
    number = flags.find(0)
    while number >= 0:
        yield number
        number = flags.find(0, number + 1)


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


def check_tree(
    tree: Tree, limits: Limits | None = None, *, locate: Callable[[Any, Any], Location] | None = None
) -> Report:
    """Run every check on a tree.

    Args:
        tree: The tree, as loaded (or built in Python: the loader's refusals are checked again).
        limits: The stated depth, line budget and analysis bounds.
        locate: Where a text is written, from the document the tree was read from
            (`Document.where`: the language mapping of a text, and a language in it); without
            it, a text's finding is placed at the record that holds it.

    Returns:
        The findings, ordered by where they are in the file.
    """
    analysis = _Analysis(tree, limits or Limits(), locate)
    _check_nodes(analysis)
    _check_structure(analysis)
    _check_conditions(analysis)
    if analysis.order is not None and analysis.ids_ok:
        flow = _DataFlow(analysis)
        flow.run()
        flow.report()
        _check_available(analysis, flow)
        _check_useless_choices(analysis)
        _check_depth(analysis)
    _check_texts(analysis)
    _check_ids(analysis)
    _check_schedules_and_escalation(analysis)
    findings = sorted(
        analysis.findings,
        key=lambda f: (f.loc.file, f.loc.line == 0, f.loc.line, f.loc.column, f.code, f.node or ""),
    )
    return Report(
        tree=tree,
        findings=findings,
        nodes=len(tree.nodes),
        edges=analysis.edge_count,
        outcomes=len(analysis.outcome_ids),
    )


# --- E101, E102, E203 (defaults), W410: one node at a time -----------------------------------------------


def _check_nodes(a: _Analysis) -> None:
    tree = a.tree
    if a.start < 0:
        a.add("E101", f"'start' names no node: '{tree.start}'", None, tree.source)
    for number in a.broken:
        key = a.keys[number]
        node = a.node_list[number]
        for edge in node_edges(node):
            if edge.target not in a.nodes:
                a.add(
                    "E101",
                    f"{_kind_name(node)} '{key}': {_edge_label(edge)} leads to '{edge.target}', which is not a node",
                    key,
                    _loc(edge.loc, node.loc),
                )
    if not a.ids_ok:  # keys are unique, so two nodes can share an id only when one is not its key
        first_key: dict[str, str] = {}
        for key, node in zip(a.keys, a.node_list, strict=True):
            if node.id != key:
                a.add("E102", f"node '{key}' has the id '{node.id}'; a node's id is its key", key, a.node_loc(key))
                if node.id in first_key:
                    what = f"nodes '{first_key[node.id]}' and '{key}' have the same id '{node.id}'"
                    a.add("E102", what, key, node.loc)
            first_key.setdefault(node.id, key)
    languages = tree.languages
    for number in _questions_to_look_at(a):
        _check_options(a, a.keys[number], a.node_list[number], languages)  # type: ignore[arg-type]
    for key, node in zip(a.keys, a.node_list, strict=True):
        if isinstance(node, Ladder):
            steps: set[str] = set()
            for rung in node.rungs:
                if rung.step in steps:
                    a.add(
                        "E102", f"ladder '{key}': the step '{rung.step}' has two rungs", key, _loc(rung.loc, node.loc)
                    )
                steps.add(rung.step)
        elif isinstance(node, Outcome):
            if node.escalates_to is not None and not isinstance(a.nodes.get(node.escalates_to), Outcome):
                a.add(
                    "E101",
                    f"outcome '{key}': 'escalates_to' names '{node.escalates_to}', which is not an outcome",
                    key,
                    node.loc,
                )
            if node.schedule is not None and node.schedule not in tree.schedules:
                a.add("E101", f"outcome '{key}': 'schedule' names no schedule: '{node.schedule}'", key, node.loc)
    for key, schedule in tree.schedules.items():
        if schedule.id != key:
            a.add("E102", f"schedule '{key}' has the id '{schedule.id}'", None, _loc(schedule.loc, tree.source))


_PLAIN_ID = re.compile(ID_PATTERN)
_TREE_ID = re.compile(TREE_ID_PATTERN)
_NOT_PLAIN_LINE = re.compile(f"^(?!{ID_PATTERN}$)", re.MULTILINE)


def _check_ids(a: _Analysis) -> None:
    """Ids that are not plain (W411): one scan of them all, and a look at each only when one is not."""
    tree_id = a.tree.id
    if _TREE_ID.fullmatch(tree_id) is None:
        a.add(
            "W411",
            f"the tree's id {tree_id!r} is not a plain tree id (a lower-case letter, then lower-case letters, "
            "digits, '_', '-'): the schema refuses it, and reports and file names carry it",
            None,
            a.tree.source,
        )
    ids = [*a.keys, *a.tree.schedules, *a.option_ids]
    if _NOT_PLAIN_LINE.search("\n".join(ids)) is None:
        return
    why = "is not a plain id (a letter, then letters, digits, '_', '.', '-'): --answer and the schema cannot name it"
    for key in a.keys:
        if _PLAIN_ID.fullmatch(key) is None:
            a.add("W411", f"node '{key}' {why}", key, a.node_loc(key))
    for number, option in zip(a.option_owner, a.options, strict=True):
        if _PLAIN_ID.fullmatch(option.id) is None:
            key, node = a.keys[number], a.node_list[number]
            a.add("W411", f"question '{key}': option '{option.id}' {why}", key, _loc(option.loc, node.loc))
    for key, schedule in a.tree.schedules.items():
        if _PLAIN_ID.fullmatch(key) is None:
            a.add("W411", f"schedule '{key}' {why}", None, _loc(schedule.loc, a.tree.source))


def _questions_to_look_at(a: _Analysis) -> list[int]:
    """The questions `_check_options` may find something in, decided over all options at once: an id or
    a label twice in one question, a default, an option with no `next`. The others it would pass."""
    suspects: set[int] = set(a.irregular)
    suspects.update(_with_repeats(a, a.option_ids))
    nodes = a.node_list
    suspects.update(n for n in a.question_numbers if nodes[n].default is not None)  # type: ignore[union-attr]
    label_texts = a.label_texts()
    for lang in a.tree.languages:
        try:
            labels = list(map(str.strip, map(itemgetter(lang), label_texts)))
        except (KeyError, TypeError):  # a label without this language (E301): each question is looked at
            return a.question_numbers
        suspects.update(_with_repeats(a, labels))
    return sorted(suspects)


def _with_repeats(a: _Analysis, values: list[str]) -> list[int]:
    """The questions in which a value comes twice; `values` has one per option, as `a.options`."""
    counts = a.option_counts
    sizes = list(map(len, map(set, map(islice, repeat(iter(values)), counts))))  # each question's values, in C
    if sizes == counts:
        return []
    return [n for n, size, count in zip(a.question_numbers, sizes, counts, strict=True) if size != count]


def _check_options(a: _Analysis, key: str, node: SingleChoice | MultipleChoice, languages: tuple[str, ...]) -> None:
    """Duplicate option ids (E102), options without `next` (E101), defaults (E203), labels (W410)."""
    options = node.options
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for option in options:
            if option.id in seen:
                a.add("E102", f"question '{key}': duplicate option id '{option.id}'", key, _loc(option.loc, node.loc))
            seen.add(option.id)
    if isinstance(node, SingleChoice):
        for option in options:
            if option.next is None:
                a.add("E101", f"question '{key}': option '{option.id}' has no 'next'", key, _loc(option.loc, node.loc))
    default = node.default
    for value in () if default is None else ((default,) if isinstance(default, str) else default):
        if value not in ids:
            a.add("E203", f"question '{key}': the default '{value}' is not an option ({', '.join(ids)})", key, node.loc)
    for lang in languages:
        labels = [o.label.texts.get(lang, "").strip() for o in options]
        if len(set(labels)) == len(labels):
            continue
        first: dict[str, str] = {}
        for option, label in zip(options, labels, strict=True):
            if label and label in first:
                a.add(
                    "W410",
                    f"question '{key}': options '{first[label]}' and '{option.id}' have the same '{lang}' label "
                    f"{label!r}",
                    key,
                    _loc(option.loc, node.loc),
                )
            first.setdefault(label, option.id)


def _edge_label(edge: Edge) -> str:
    if edge.option is not None:
        return f"option '{edge.option.id}'"
    if edge.key.startswith("rung:"):
        return f"rung '{edge.key[5:]}'"
    if edge.key.startswith("branch:"):
        return f"branch {int(edge.key[7:]) + 1}"
    return {"default": "the default branch", "next": "'next'", "exhausted": "'exhausted'"}.get(edge.key, edge.key)


# --- E103-E106, E201: structure -----------------------------------------------------------------


def _check_structure(a: _Analysis) -> None:
    dead = bytearray(len(a.keys))
    broken = set(a.broken)
    kinds = a.kinds
    for number, targets in enumerate(a.succ):
        if targets or number in broken or kinds[number] is Outcome:
            continue
        node = a.node_list[number]
        key = a.keys[number]
        what = "a question with no option leading on" if _is_question(node) else "a route with no branch"
        a.add("E104", f"{_kind_name(node)} '{key}' is a dead end: {what}", key, a.node_loc(key))
        dead[number] = 1
    for number, kind in enumerate(kinds):
        if kind is not Route:
            continue
        node = a.node_list[number]
        key = a.keys[number]
        defaults = [i + 1 for i, b in enumerate(node.branches) if b.default]  # type: ignore[union-attr]
        if len(defaults) != 1:
            what = (
                "has no default branch"
                if not defaults
                else f"has {len(defaults)} default branches ({', '.join(map(str, defaults))})"
            )
            a.add("E201", f"route '{key}' {what}; exactly one needs 'default: true'", key, node.loc)
    if a.start >= 0:
        for number in _zeros(a.reach):
            key = a.keys[number]
            a.add(
                "E103",
                f"{_kind_name(a.node_list[number])} '{key}' cannot be reached from the start ('{a.tree.start}')",
                key,
                a.node_loc(key),
            )
    for number in _zeros(a.coreach):
        if not dead[number]:
            key = a.keys[number]
            a.add(
                "E105",
                f"no outcome can be reached from {_kind_name(a.node_list[number])} '{key}'",
                key,
                a.node_loc(key),
            )
    for cycle in a.cycles:
        if len(cycle) == 1:
            message = f"cycle: '{cycle[0]}' leads back to itself"
        else:
            example = " → ".join(a.cycle_example(cycle))
            message = f"cycle: {len(cycle)} nodes lead round in a circle ({_names(cycle)}), for example {example}"
        a.add("E106", message, cycle[0], a.node_loc(cycle[0]))


# --- E202, E203, E206: conditions that name the wrong things ----------------------------------------


def _check_conditions(a: _Analysis) -> None:
    for site in a.sites:
        for compare in _compares(site.condition):
            error = _compare_error(a, compare)
            if error is not None:
                code, text = error
                node = a.nodes[site.node]
                a.add(
                    code,
                    f"{_kind_name(node)} '{site.node}': {site.what}'s condition {text}",
                    site.node,
                    _loc(compare.loc, site.loc),
                )
                a.bad_sites.add((site.node, site.what))
    for key, node in zip(a.keys, a.node_list, strict=True):
        if not isinstance(node, Ladder):
            continue
        question = a.nodes.get(node.question)
        if not isinstance(question, MultipleChoice):
            what = "no node" if question is None else f"a {question.kind} node"
            a.add(
                "E202",
                f"ladder '{key}': 'question' names '{node.question}', which is {what}, not a multiple choice",
                key,
                node.loc,
            )
            continue
        ids = [o.id for o in question.options]
        for rung in node.rungs:
            if rung.step not in ids:
                a.add(
                    "E203",
                    f"ladder '{key}': rung '{rung.step}' is not an option of '{node.question}' ({', '.join(ids)})",
                    key,
                    _loc(rung.loc, node.loc),
                )
                a.bad_sites.add((key, f"rung '{rung.step}'"))


def _compare_error(a: _Analysis, compare: Compare) -> tuple[str, str] | None:
    question = a.nodes.get(compare.question)
    if not isinstance(question, (SingleChoice, MultipleChoice)):
        what = "not a node" if question is None else f"a {question.kind}, not a question"
        return "E202", f"reads '{compare.question}', which is {what}"
    if compare.op == "answered":
        return None
    if compare.op in _MULTIPLE_OPS and isinstance(question, SingleChoice):
        return "E206", f"uses '{compare.op}' on '{compare.question}', a single choice (use is, is_not, in, not_in)"
    if compare.op in _SINGLE_OPS and isinstance(question, MultipleChoice):
        return (
            "E206",
            f"uses '{compare.op}' on '{compare.question}', a multiple choice (use includes, excludes, includes_any)",
        )
    ids = [o.id for o in question.options]
    unknown = [v for v in compare.values if v not in ids]
    if unknown:
        return "E203", f"compares '{compare.question}' with {_names(unknown)}, not among its options ({', '.join(ids)})"
    return None


# --- The forward data flow: answers that can arrive ---------------------------------------------------

#: A projected answer combination: (question id, answer) pairs in a fixed question order.
_State = tuple[tuple[str, Answer], ...]
_EMPTY: _State = ()


@dataclass
class _NodeFacts:
    """What the data flow saw at one node."""

    offered: set[str] = field(default_factory=set)  # option ids offered on some arriving answers
    taken: set[str] = field(default_factory=set)  # edge keys taken
    held: set[int] = field(default_factory=set)  # indexes of branches/rungs whose condition held once
    shown: set[tuple[str, int]] = field(default_factory=set)  # list items shown
    dead: dict[str, Answer] | None = None  # answers on which a single choice offers nothing
    unanswered: int = 0  # read questions (bits) some arriving combination has not answered
    unanswered_when: dict[str, Answer] | None = None  # the first such combination
    no_default: dict[str, Answer] | None = None  # answers on which a single choice's default is hidden


class _DataFlow:
    """Answer combinations arriving at each node, and how many paths bring each.

    Only live answers are kept: those a condition (or ladder) at the node or after it
    reads; a multiple choice's answer only as far as some condition names its options.
    Two paths whose kept answers agree behave alike from there on, so merging them is
    exact, and the counts of paths stay exact too.
    """

    def __init__(self, a: _Analysis) -> None:
        self.a = a
        self.limits = a.limits
        self.facts: dict[int, _NodeFacts] = {}
        self.never_reached: list[int] = []
        self.bounded_at: list[tuple[int, str]] = []  # where a limit was hit, and why
        self.bounded = bytearray(len(a.keys))  # 1: not analysed (at or below a bound)
        self.outcome_paths: dict[int, int] = {}
        # The questions some condition reads, each with a bit; the options named per question.
        self.named: dict[str, set[str]] = {}
        reads: dict[int, set[str]] = {}
        for site in a.sites:
            for compare in _compares(site.condition):
                if _is_question(a.nodes.get(compare.question)):
                    reads.setdefault(a.index[site.node], set()).add(compare.question)
                    if compare.op in _MULTIPLE_OPS:
                        self.named.setdefault(compare.question, set()).update(compare.values)
        for number, node in enumerate(a.node_list):
            if isinstance(node, Ladder) and isinstance(a.nodes.get(node.question), MultipleChoice):
                reads.setdefault(number, set()).add(node.question)
                self.named.setdefault(node.question, set()).update(r.step for r in node.rungs)
        questions = sorted({q for qs in reads.values() for q in qs}, key=a.index.__getitem__)
        self.bit = {q: 1 << i for i, q in enumerate(questions)}
        self.rank = {q: i for i, q in enumerate(questions)}
        self.reads_mask = {n: sum(self.bit[q] for q in qs) for n, qs in reads.items()}
        self.live = self._liveness()

    def _liveness(self) -> list[int]:
        """Per node, the bitset of questions read at the node or at any node after it.

        Only the ancestors of the nodes that read answers can have any: a large tree
        whose conditions sit near the start pays for those few nodes only.
        """
        live = [0] * len(self.a.keys)
        if not self.reads_mask:
            return live
        region = self.a.ancestors(self.reads_mask)
        succ = self.a.succ
        for number in reversed(self.a.order or []):
            if region[number]:
                mask = self.reads_mask.get(number, 0)
                for child in succ[number]:
                    mask |= live[child]
                live[number] = mask
        return live

    def _project(self, state: _State, target: int) -> _State:
        mask = self.live[target]
        if not state or not mask:
            return _EMPTY
        return tuple(pair for pair in state if self.bit[pair[0]] & mask)

    def _with(self, state: _State, question: str, answer: Answer, target: int) -> _State:
        mask = self.live[target]
        if not mask:
            return _EMPTY
        kept = [pair for pair in state if self.bit[pair[0]] & mask]
        if self.bit.get(question, 0) & mask:
            kept.append((question, answer))
            kept.sort(key=lambda pair: self.rank[pair[0]])
        return tuple(kept)

    def run(self) -> None:
        a = self.a
        live = self.live
        conditional = a.conditional
        bounded = self.bounded
        succ = a.succ
        kinds = a.kinds
        arriving: dict[int, dict[_State, int]] = {}
        # Paths that arrive with the empty combination from nodes where nothing is read: most of
        # a large tree, kept as plain numbers rather than a dict per node.
        plain = [0] * len(a.keys)
        plain[a.start] = 1
        for number in a.order or []:
            states = arriving.pop(number, None)
            if bounded[number]:
                for child in succ[number]:
                    bounded[child] = 1
                continue
            if not live[number] and not conditional[number]:
                # Nothing here or after reads an answer: only the empty combination arrives, and it
                # is passed on to each target with the number of answers leading there.
                paths = plain[number] + (states[_EMPTY] if states else 0)
                if not paths:
                    self.never_reached.append(number)
                    continue
                kind = kinds[number]
                if kind is Outcome:
                    self.outcome_paths[number] = paths
                    continue
                if kind is MultipleChoice:
                    paths <<= len(a.node_list[number].options)  # type: ignore[union-attr]
                for child in succ[number]:
                    plain[child] += paths
                continue
            if plain[number]:
                states = states or {}
                states[_EMPTY] = states.get(_EMPTY, 0) + plain[number]
            if not states:
                self.never_reached.append(number)
                continue
            node = a.node_list[number]
            if len(states) > self.limits.state_limit:
                self._bound(
                    number,
                    f"{len(states)} combinations of earlier answers can arrive here, more than the "
                    f"{self.limits.state_limit} followed",
                )
                continue
            facts = self.facts[number] = _NodeFacts()
            reads = self.reads_mask.get(number, 0)
            if reads:  # which questions read here some arriving answers have not answered (E204)
                bit = self.bit
                for state in states:
                    answered = 0
                    for question, _ in state:
                        answered |= bit[question]
                    if reads & ~answered:
                        facts.unanswered |= reads & ~answered
                        if facts.unanswered_when is None:
                            facts.unanswered_when = dict(state)
            out: dict[int, dict[_State, int]] = {}
            if isinstance(node, SingleChoice):
                self._single(node, states, facts, out)
            elif isinstance(node, MultipleChoice):
                if not self._multiple(number, node, states, facts, out):
                    continue
            elif isinstance(node, Route):
                self._route(node, states, facts, out)
            elif isinstance(node, Ladder):
                self._ladder(node, states, facts, out)
            else:
                self._outcome(number, node, states, facts)
            for target, more in out.items():
                into = arriving.get(target)
                if into is None:
                    arriving[target] = more
                    continue
                for state, paths in more.items():
                    into[state] = into.get(state, 0) + paths

    def _bound(self, number: int, why: str) -> None:
        self.bounded_at.append((number, why))
        self.bounded[number] = 1
        for child in self.a.succ[number]:
            self.bounded[child] = 1

    @staticmethod
    def _push(out: dict[int, dict[_State, int]], target: int, state: _State, paths: int) -> None:
        into = out.setdefault(target, {})
        into[state] = into.get(state, 0) + paths

    def _single(
        self, node: SingleChoice, states: dict[_State, int], facts: _NodeFacts, out: dict[int, dict[_State, int]]
    ) -> None:
        index = self.a.index
        for state, paths in states.items():
            answers = dict(state)
            offer = offered(node, answers)
            if not offer and facts.dead is None:
                facts.dead = answers
            if node.default is not None and facts.no_default is None and all(o.id != node.default for o in offer):
                facts.no_default = answers
            for option in offer:
                facts.offered.add(option.id)
                target = index.get(option.next) if option.next is not None else None
                if target is not None:
                    self._push(out, target, self._with(state, node.id, option.id, target), paths)

    def _multiple(
        self,
        number: int,
        node: MultipleChoice,
        states: dict[_State, int],
        facts: _NodeFacts,
        out: dict[int, dict[_State, int]],
    ) -> bool:
        target = self.a.index.get(node.next)
        keeps_answer = target is not None and bool(self.bit.get(node.id, 0) & self.live[target])
        named = self.named.get(node.id, set())
        for state, paths in states.items():
            offer = offered(node, dict(state))
            facts.offered.update(o.id for o in offer)
            if target is None:
                continue
            if not keeps_answer:
                self._push(out, target, self._project(state, target), paths << len(offer))
                continue
            # Options no condition names behave alike: only the named ones are followed
            # subset by subset; the others multiply the paths.
            read = [o.id for o in offer if o.id in named]
            if len(read) > self.limits.subset_limit:
                # Bounded rather than abstracted: checks below this node are skipped (W409),
                # never decided from a guess.
                self._bound(
                    number,
                    f"{len(read)} of its options are read by conditions, more than the "
                    f"{self.limits.subset_limit} whose {1 << len(read)} subsets are followed",
                )
                del self.facts[number]
                return False
            free = len(offer) - len(read)
            for size in range(len(read) + 1):
                for chosen in combinations(read, size):
                    self._push(out, target, self._with(state, node.id, frozenset(chosen), target), paths << free)
        return True

    def _route(
        self, node: Route, states: dict[_State, int], facts: _NodeFacts, out: dict[int, dict[_State, int]]
    ) -> None:
        index = self.a.index
        for state, paths in states.items():
            answers = dict(state)
            for number, branch in enumerate(node.branches):
                if branch.when is not None and number not in facts.held and branch.when.holds(answers):
                    facts.held.add(number)
            edge = next_of_route(node, answers)
            if edge is None:  # no default and no branch holds: the route's E201 says it
                continue
            facts.taken.add(edge.key)
            target = index.get(edge.target)
            if target is not None:
                self._push(out, target, self._project(state, target), paths)

    def _ladder(
        self, node: Ladder, states: dict[_State, int], facts: _NodeFacts, out: dict[int, dict[_State, int]]
    ) -> None:
        index = self.a.index
        for state, paths in states.items():
            answers = dict(state)
            for number, rung in enumerate(node.rungs):
                if rung.when is not None and number not in facts.held and rung.when.holds(answers):
                    facts.held.add(number)
            edge = next_of_ladder(node, answers)
            facts.taken.add(edge.key)
            target = index.get(edge.target)
            if target is not None:
                self._push(out, target, self._project(state, target), paths)

    def _outcome(self, number: int, node: Outcome, states: dict[_State, int], facts: _NodeFacts) -> None:
        self.outcome_paths[number] = sum(states.values())
        for part, points in _point_lists(node):
            for index, point in enumerate(points):
                if point.when is not None and any(point.when.holds(dict(s)) for s in states):
                    facts.shown.add((part, index))

    # --- what it found ---------------------------------------------------------------------------

    def report(self) -> None:
        a = self.a
        for number in self.never_reached:
            key = a.keys[number]
            a.add(
                "E103",
                f"{_kind_name(a.node_list[number])} '{key}' is never reached: every way into it is never taken",
                key,
                a.node_loc(key),
            )
        for number, why in self.bounded_at:
            key = a.keys[number]
            a.add(
                "W409",
                f"{_kind_name(a.node_list[number])} '{key}': {why}; never-taken branches, rungs and options "
                f"are not checked here and after it ({sum(self.bounded)} nodes in all)",
                key,
                a.node_loc(key),
            )
        for number, facts in self.facts.items():
            node = a.node_list[number]
            if isinstance(node, (SingleChoice, MultipleChoice)):
                self._report_question(node, facts)
            elif isinstance(node, Route):
                self._report_route(node, facts)
            elif isinstance(node, Ladder):
                self._report_ladder(node, facts)
            elif isinstance(node, Outcome):
                for part, points in _point_lists(node):
                    for index, point in enumerate(points):
                        what = f"item {index + 1} of '{part}'"
                        if point.when is None or (part, index) in facts.shown or (node.id, what) in a.bad_sites:
                            continue
                        a.add(
                            "E205",
                            f"outcome '{node.id}': {what} is never shown: its condition never holds on the answers "
                            "that can arrive here",
                            node.id,
                            _loc(point.loc, node.loc),
                        )

    def _report_question(self, node: SingleChoice | MultipleChoice, facts: _NodeFacts) -> None:
        a = self.a
        for option in node.options:
            if option.id not in facts.offered and (node.id, f"option '{option.id}'") not in a.bad_sites:
                a.add(
                    "E205",
                    f"question '{node.id}': option '{option.id}' is never offered: its condition never holds on the "
                    "answers that can arrive here",
                    node.id,
                    _loc(option.loc, node.loc),
                )
        if facts.dead is not None:
            a.add(
                "E104",
                f"question '{node.id}' is a dead end {_when(facts.dead)}: none of its options is offered",
                node.id,
                node.loc,
            )
        elif facts.no_default is not None and any(o.id == node.default for o in node.options):
            a.add(
                "W406",
                f"question '{node.id}': the default '{node.default}' is not offered {_when(facts.no_default)}",
                node.id,
                node.loc,
            )

    def _report_route(self, node: Route, facts: _NodeFacts) -> None:
        a = self.a
        for index, branch in enumerate(node.branches):
            key = "default" if branch.default else f"branch:{index}"
            if key in facts.taken or (node.id, f"branch {index + 1}") in a.bad_sites:
                continue
            where = _loc(branch.loc, node.loc)
            if branch.default:
                if sum(b.default for b in node.branches) == 1:
                    a.add(
                        "W405",
                        f"route '{node.id}': the default branch (to '{branch.next}') is never taken: the branches "
                        "before it take every answer that can arrive; make the last of them the default",
                        node.id,
                        where,
                    )
                continue
            if branch.when is None:
                why = "it has no condition and is not the default"
            elif index not in facts.held:
                why = "its condition never holds on the answers that can arrive here"
            else:
                why = "the branches before it take every answer on which its condition holds"
            a.add(
                "E205",
                f"route '{node.id}': branch {index + 1} (to '{branch.next}') is never taken: {why}",
                node.id,
                where,
            )

    def _report_ladder(self, node: Ladder, facts: _NodeFacts) -> None:
        a = self.a
        for index, rung in enumerate(node.rungs):
            if f"rung:{rung.step}" in facts.taken or (node.id, f"rung '{rung.step}'") in a.bad_sites:
                continue
            if rung.when is not None and index not in facts.held:
                why = "its condition never holds on the answers that can arrive here"
            else:
                why = (
                    f"a rung before it always comes first, or '{rung.step}' is always among the answers to "
                    f"'{node.question}'"
                )
            a.add(
                "E205",
                f"ladder '{node.id}': rung '{rung.step}' (to '{rung.next}') is never taken: {why}",
                node.id,
                _loc(rung.loc, node.loc),
            )
        if "exhausted" not in facts.taken and isinstance(a.nodes.get(node.question), MultipleChoice):
            a.add(
                "W405",
                f"ladder '{node.id}': 'exhausted' (to '{node.exhausted}') is never taken: no answer to "
                f"'{node.question}' that can arrive here includes every step of the ladder",
                node.id,
                node.loc,
            )


def _when(answers: Mapping[str, Answer]) -> str:
    if not answers:
        return "on every path"
    return "when " + ", ".join(f"{q}={_show(v)}" for q, v in answers.items())


def _show(answer: Answer) -> str:
    return answer if isinstance(answer, str) else "[" + ", ".join(sorted(answer)) + "]"


# --- E204: questions asked on every path ----------------------------------------------------------------


def _check_available(a: _Analysis, flow: _DataFlow) -> None:
    """A condition may read only questions asked on every path into the node where it runs.

    Decided from the answer combinations that can arrive (the data flow): a path the
    conditions before never let through is no path. Where the flow was bounded (W409), from
    the graph: a question every path through the graph asks.
    """
    reads: dict[int, list[tuple[str, Location, str]]] = {}  # node -> (question, where, what)
    for site in a.sites:
        number = a.index[site.node]
        if not a.reach[number] or (site.node, site.what) in a.bad_sites:
            continue
        for compare in _unguarded_reads(site.condition, frozenset()):
            reads.setdefault(number, []).append((compare.question, _loc(compare.loc, site.loc), site.what))
    for number, node in enumerate(a.node_list):
        if isinstance(node, Ladder) and a.reach[number] and isinstance(a.nodes.get(node.question), MultipleChoice):
            reads.setdefault(number, []).append((node.question, node.loc, "the ladder"))
    if not reads:
        return
    read_questions = sorted({q for items in reads.values() for q, _, _ in items})
    bit = {a.index[q]: 1 << i for i, q in enumerate(read_questions)}
    by_question = {q: 1 << i for i, q in enumerate(read_questions)}
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
    for number, items in reads.items():
        key = a.keys[number]
        node = a.node_list[number]
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
            if arriving:
                via = f"; for example {_when(arriving)}"
            else:
                example = _path_avoiding(a, number, a.index[question])
                via = f"; for example {' → '.join(example)}" if example else ""
            a.add(
                "E204",
                f"{_kind_name(node)} '{key}': {what} reads '{question}', which is not asked on every path "
                f"into '{key}'{via}; test it first, as in {{{question}: {{answered: true, ...}}}}",
                key,
                where,
            )


def _unguarded_reads(condition: Condition, guarded: frozenset[str]) -> Iterator[Compare]:
    """The comparisons of a condition that read an answer without first testing it was given.

    `{q: {answered: true, is: x}}` (an `all` holding `answered`) guards the reads of `q` in it.
    """
    if isinstance(condition, Compare):
        if condition.op != "answered" and condition.question not in guarded:
            yield condition
    elif isinstance(condition, AllOf):
        tested = {c.question for c in condition.conditions if isinstance(c, Compare) and c.op == "answered"}
        for part in condition.conditions:
            yield from _unguarded_reads(part, guarded | tested)
    elif isinstance(condition, AnyOf):
        for part in condition.conditions:
            yield from _unguarded_reads(part, guarded)
    else:
        yield from _unguarded_reads(condition.condition, guarded)


def _path_avoiding(a: _Analysis, target: int, avoid: int) -> list[str]:
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


# --- W401, W402: choices that change nothing ----------------------------------------------------------


def _check_useless_choices(a: _Analysis) -> None:
    read: set[str] = set()
    named: dict[str, set[str]] = {}
    for site in a.sites:
        for compare in _compares(site.condition):
            read.add(compare.question)
            named.setdefault(compare.question, set()).update(compare.values)
    for number, kind in enumerate(a.kinds):
        if kind is Ladder:
            ladder: Ladder = a.node_list[number]  # type: ignore[assignment]
            read.add(ladder.question)
            named.setdefault(ladder.question, set()).update(r.step for r in ladder.rungs)
    only = _single_outcome(a)
    broken = set(a.broken)
    succ = a.succ
    kinds = a.kinds
    for number in a.order or []:
        kind = kinds[number]
        if kind is not SingleChoice and kind is not MultipleChoice:
            continue
        node: SingleChoice | MultipleChoice = a.node_list[number]  # type: ignore[assignment]
        key = a.keys[number]
        if kind is SingleChoice:
            targets = succ[number]
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
            a.add(
                "W401",
                f"question '{key}': every option ({ids}) {where} and no condition reads the answer: "
                "the choice changes nothing",
                key,
                node.loc,
            )
        else:
            if key not in read:
                a.add(
                    "W402",
                    f"question '{key}': no condition or ladder reads its answer: the choice changes nothing",
                    key,
                    node.loc,
                )
                continue
            for option in node.options:
                if option.id not in named.get(key, set()):
                    a.add(
                        "W402",
                        f"question '{key}': no condition or ladder rung names option '{option.id}': "
                        "choosing it changes nothing",
                        key,
                        _loc(option.loc, node.loc),
                    )


def _single_outcome(a: _Analysis) -> list[int]:
    """Per reachable node, the one outcome every path from it ends at, or -1."""
    only = [-1] * len(a.keys)
    succ = a.succ
    nodes = a.node_list
    for number in reversed(a.order or []):
        children = succ[number]
        if not children:
            only[number] = number if isinstance(nodes[number], Outcome) else -1
            continue
        first = only[children[0]]
        if first >= 0:
            for child in children:
                if only[child] != first:
                    first = -1
                    break
        only[number] = first
    return only


# --- W403: depth ------------------------------------------------------------------------------------


def _check_depth(a: _Analysis) -> None:
    """The longest path, in questions asked, against the stated depth."""
    asked = [-1] * len(a.keys)  # questions asked before arriving, on the longest path
    via = [-1] * len(a.keys)
    asked[a.start] = 0
    succ = a.succ
    nodes = a.node_list
    asks = a.asks
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
    questions = [a.keys[n] for n in reversed(path) if _is_question(nodes[n])]
    if len(questions) <= a.limits.max_depth:
        return
    first_over = questions[a.limits.max_depth]
    shown = questions if len(questions) <= 8 else [*questions[:3], "…", *questions[-3:]]
    a.add(
        "W403",
        f"a path asks {len(questions)} questions, more than the limit of {a.limits.max_depth} "
        f"({' → '.join(shown)}); question '{first_over}' is the first beyond it",
        first_over,
        a.node_loc(first_over),
    )


# --- E301-E304, W404: text ---------------------------------------------------------------------------


#: Whose a text is, formatted only when it has a finding: (kind, node or schedule id, option id).
_Owner = tuple[str, str, str]


def _owner_name(owner: _Owner) -> str:
    kind, owner_id, option_id = owner
    if kind == "tree":
        return "the tree"
    return f"{kind} '{owner_id}'" + (f": option '{option_id}'" if option_id else "")


def _texts(tree: Tree) -> Iterator[tuple[_Owner, str, Localized, str | None, tuple[Location, ...]]]:
    """Every user-visible text: (whose it is, its field, the text, its node, where it is defined).

    Where: the locations to choose from with `_loc`, the first known one, chosen only for
    a text with a finding (a large tree has half a million texts).
    """
    yield ("tree", "", ""), "title", tree.title, None, (tree.source,)
    if tree.description is not None:
        yield ("tree", "", ""), "description", tree.description, None, (tree.source,)
    for key, node in tree.nodes.items():
        if isinstance(node, (SingleChoice, MultipleChoice)):
            owner = ("question", key, "")
            at = (node.loc,)
            yield owner, "prompt", node.prompt, key, at
            if node.help is not None:
                yield owner, "help", node.help, key, at
            for option in node.options:
                where = (option.loc, node.loc)
                yield ("question", key, option.id), "label", option.label, key, where
                if option.help is not None:
                    yield ("question", key, option.id), "help", option.help, key, where
        elif isinstance(node, Outcome):
            owner = ("outcome", key, "")
            at = (node.loc,)
            yield owner, "title", node.title, key, at
            yield owner, "channel", node.channel, key, at
            yield owner, "summary", node.summary, key, at
            for name in ("hours", "busy", "say", "warning", "if_fails"):
                value = getattr(node, name)
                if value is not None:
                    yield owner, name, value, key, at
            for part, points in (("how", node.how), ("prepare", node.prepare), ("record", node.record)):
                for index, point in enumerate(points):
                    yield owner, f"{part}[{index + 1}]", point.text, key, (point.loc, node.loc)
    for schedule_id, schedule in tree.schedules.items():
        where = (schedule.loc, tree.source)
        owner = ("schedule", schedule_id, "")
        yield owner, "channel", schedule.channel, None, where
        for index, period in enumerate(schedule.busy):
            yield owner, f"busy[{index + 1}].name", period.name, None, (period.loc, *where)


def _text_groups(a: _Analysis) -> tuple[list[Mapping[str, str]], list[Mapping[str, str]]]:
    """The language maps of every text: those that may hold line breaks, and those shown on one line."""
    tree = a.tree
    nodes = a.node_list
    questions = [nodes[n] for n in a.question_numbers]
    groups: list[Mapping[str, str]] = [q.prompt.texts for q in questions]  # type: ignore[union-attr]
    one_line: list[Mapping[str, str]] = a.label_texts().copy()
    add, add_one_line = groups.append, one_line.append
    for helps in (map(_HELP, questions), map(_HELP, a.options)):
        groups.extend(h.texts for h in helps if h is not None)
    for number in a.outcome_numbers:
        node = nodes[number]
        add_one_line(node.title.texts)  # type: ignore[union-attr]
        add_one_line(node.channel.texts)  # type: ignore[union-attr]
        add(node.summary.texts)  # type: ignore[union-attr]
        for text in (node.hours, node.busy, node.say, node.warning, node.if_fails):  # type: ignore[union-attr]
            if text is not None:
                add(text.texts)
        for points in (node.how, node.prepare, node.record):  # type: ignore[union-attr]
            for point in points:
                add(point.text.texts)
    if tree.description is not None:
        add(tree.description.texts)
    add_one_line(tree.title.texts)
    for schedule in tree.schedules.values():
        add_one_line(schedule.channel.texts)
        for period in schedule.busy:
            add_one_line(period.name.texts)
    return groups, one_line


def _all_clean(a: _Analysis, texts: list[Mapping[str, str]], *, single_line: bool) -> bool:
    """Whether the texts are surely clean: each language given and no other, none empty, none with a
    forbidden character, none over the line budget, and no line break in a text shown on one line.

    Most trees are clean, and a 100,000-node tree holds half a million texts: passes in C (`map`,
    `join`, one regular expression) over each language's texts cost a fraction of testing each
    text in turn.
    """
    if not texts:
        return True
    languages = a.tree.languages
    budget = a.limits.line_budget
    if set(map(len, texts)) != {len(languages)}:  # a language missing or one not declared
        return False
    for lang in languages:
        try:
            values = list(map(itemgetter(lang), texts))
            joined = "\n".join(values)  # TypeError: a text that is not a string
        except (KeyError, TypeError):
            return False
        if max(map(len, values)) > budget or min(map(len, map(str.strip, values))) == 0:
            return False
        if _FORBIDDEN.search(joined) is not None:
            return False
        if single_line and "\n" in "".join(map(str.strip, values)):
            return False
    return True


#: How many texts `_suspect_texts` tests in bulk at a time before testing them one by one.
_TEXT_CHUNK = 512


def _suspect_texts(a: _Analysis, groups: list[Mapping[str, str]], one_line: list[Mapping[str, str]]) -> set[int]:
    """The language maps (by id) that may have a finding: a language missing or extra, or a text
    empty, too long, with a forbidden character, or with a line break where one line is shown.

    The texts are tested in bulk a chunk at a time, and one by one only in a chunk that is not
    clean: a large tree with a few findings pays for a few chunks.
    """
    declared = set(a.tree.languages)
    budget = a.limits.line_budget
    suspects: set[int] = set()
    for texts_of, single_line in ((groups, False), (one_line, True)):
        for start in range(0, len(texts_of), _TEXT_CHUNK):
            chunk = texts_of[start : start + _TEXT_CHUNK]
            if _all_clean(a, chunk, single_line=single_line):
                continue
            for texts in chunk:
                if texts.keys() != declared or not all(_plain_text(v, single_line, budget) for v in texts.values()):
                    suspects.add(id(texts))
    return suspects


def _plain_text(value: object, single_line: bool, budget: int) -> bool:
    """Whether one text has surely no finding: a string, not blank, within the budget, with no
    forbidden character, and no line break when it is shown on one line."""
    return (
        type(value) is str
        and bool(value)
        and not value.isspace()
        and len(value) <= budget
        and _FORBIDDEN.search(value) is None
        and not (single_line and "\n" in value.strip())
    )


def _check_texts(a: _Analysis) -> None:
    suspects = _suspect_texts(a, *_text_groups(a))
    if not suspects:  # most trees
        return
    languages = a.tree.languages
    declared = set(languages)
    budget = a.limits.line_budget
    for owner, name, text, node_id, candidates in _texts(a.tree):
        texts = text.texts
        if id(texts) not in suspects:
            continue
        if texts.keys() != declared:
            where = _text_loc(a, texts, None, candidates)
            what = f"{_owner_name(owner)}: '{name}'"
            for lang in languages:
                if lang not in texts:
                    a.add("E301", f"{what} has no '{lang}' text", node_id, where)
            for lang in texts:
                if lang not in declared:
                    a.add(
                        "E304",
                        f"{what} has text in '{lang}', a language the tree does not declare ({', '.join(languages)})",
                        node_id,
                        where,
                    )
        single_line = name in _ONE_LINE or name.endswith(".name")
        for lang, value in texts.items():
            if not _plain_text(value, single_line, budget):
                at = _text_loc(a, texts, lang, candidates)
                _check_text(a, f"{_owner_name(owner)}: '{name}'", name, lang, value, node_id, at)


def _text_loc(a: _Analysis, texts: Mapping[str, str], lang: str | None, candidates: tuple[Location, ...]) -> Location:
    """Where a text (in `lang`, or its language mapping) is written, when the document says; else the
    first known place of the record holding it (a text the loader rebuilt, or a tree built in Python)."""
    if a.locate is not None:
        found = a.locate(texts, lang)
        if found.line > 0:
            return found
    return _loc(*candidates)


def _check_text(
    a: _Analysis, what: str, name: str, lang: str, value: str, node_id: str | None, where: Location
) -> None:
    """The findings of one text in one language (E302, E303, W404)."""
    budget = a.limits.line_budget
    if not value.strip():
        a.add("E302", f"{what} in '{lang}' is empty", node_id, where)
        return
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        a.add("E303", f"{what} in '{lang}' holds {_describe(bad.group())}", node_id, where)
    elif (name in _ONE_LINE or name.endswith(".name")) and "\n" in value.strip():
        a.add("E303", f"{what} in '{lang}' holds a line break, in a text shown on one line", node_id, where)
    longest = max(len(line) for line in value.split("\n"))
    if longest > budget:
        a.add(
            "W404",
            f"{what} in '{lang}' has a line of {longest} characters, more than the budget of {budget}",
            node_id,
            where,
        )


def _describe(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "a bidirectional override, which makes text display differently from how it is stored"
    elif name:
        kind = f"a control character ({name})"
    else:
        kind = "a control character"
    return f"U+{code:04X}, {kind}; tree text must be plain"


# --- W407, W408: schedules and escalation ---------------------------------------------------------


def _check_schedules_and_escalation(a: _Analysis) -> None:
    tree = a.tree
    used = {n.schedule for n in a.node_list if isinstance(n, Outcome) and n.schedule is not None}
    for schedule_id, schedule in tree.schedules.items():
        if schedule_id not in used:
            a.add("W407", f"schedule '{schedule_id}' is used by no outcome", None, _loc(schedule.loc, tree.source))
    state: dict[str, int] = {}  # 1: on the chain being followed, 2: done
    for start in a.outcome_ids:
        chain: list[str] = []
        current: str | None = start
        while current is not None and not state.get(current):
            state[current] = 1
            chain.append(current)
            node = a.nodes[current]
            following = node.escalates_to if isinstance(node, Outcome) else None
            current = following if isinstance(a.nodes.get(following or ""), Outcome) else None
        if current is not None and state.get(current) == 1:
            loop = chain[chain.index(current) :]
            a.add(
                "W408",
                f"outcome '{loop[0]}': 'escalates_to' leads round in a circle: {' → '.join([*loop, loop[0]])}",
                loop[0],
                a.node_loc(loop[0]),
            )
        for node_id in chain:
            state[node_id] = 2


# --- Paths ----------------------------------------------------------------------------------------


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
    analysis = _Analysis(tree, Limits(state_limit=state_limit, subset_limit=16))
    _refuse_cycles(analysis)
    by_outcome = dict.fromkeys(analysis.outcome_ids, 0)
    if analysis.order is None:  # the start names no node
        return PathCount(0, by_outcome)
    flow = _DataFlow(analysis)
    flow.run()
    if any(flow.bounded):
        by_outcome.update(_count_ignoring_conditions(analysis))
        return PathCount(sum(by_outcome.values()), by_outcome, exact=False)
    by_outcome.update((analysis.keys[n], paths) for n, paths in flow.outcome_paths.items())
    return PathCount(sum(by_outcome.values()), by_outcome)


def _refuse_cycles(a: _Analysis) -> None:
    """Refuse a tree whose paths cannot be followed: a cycle from the start, or ids that are not keys."""
    if not a.ids_ok:
        raise NodeIdMismatch([key for key, node in zip(a.keys, a.node_list, strict=True) if key != node.id])
    for cycle in a.cycles:
        if a.reach[a.index[cycle[0]]]:
            raise TreeCycle(cycle)


def _count_ignoring_conditions(a: _Analysis) -> dict[str, int]:
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

    analysis = _Analysis(tree, Limits())
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
    stack: list[Iterator[str | list[str]]] = [iter(_choices(session))]
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
            stack.append(iter(_choices(session)))


def _choices(session: Session) -> list[str | list[str]]:
    """The answers the current question accepts: an offered option id, or a subset of them."""
    ids = [o.id for o in session.options()]
    if isinstance(session.question, SingleChoice):
        return list(ids)
    return [list(chosen) for size in range(len(ids) + 1) for chosen in combinations(ids, size)]
