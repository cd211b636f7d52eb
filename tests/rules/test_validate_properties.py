"""Properties of the graph validator over random trees, valid and broken, checked against the engine's own walks.

Every option, branch, rung and list item of a random tree gets its own line number,
so a finding's location says exactly which one it is about. The walks are
exhaustive (every offered option, every subset of a multiple choice) through the
engine's `Session`, within a budget of answers; a property that needs every walk is
only asserted when the budget sufficed.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from wizard.core.engine import Session
from wizard.core.errors import AnswerError
from wizard.core.model import (
    AllOf,
    AnyOf,
    Branch,
    Compare,
    Condition,
    Ladder,
    Localized,
    Location,
    MultipleChoice,
    Node,
    Not,
    Operator,
    Option,
    Outcome,
    Point,
    Route,
    Rung,
    SingleChoice,
    Tree,
    node_edges,
)
from wizard.rules import Limits, NodeIdMismatch, TreeCycle, check_tree, count_paths, iter_paths
from wizard.rules.analysis import Analysis
from wizard.rules.answers import unguarded_reads

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Most answers given over all the walks of one tree.
BUDGET = 4000
#: Most answers on one walk (a cycle through questions never ends otherwise).
DEEPEST = 12
FILE = "<random>"


# --- Random trees --------------------------------------------------------------------------------


def text(value: str = "t") -> Localized:
    return Localized({"zh": value, "en": value})


@dataclass
class Places:
    """Hands out line numbers, remembering what each one is: (node, what, key)."""

    lines: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    by_path: dict[tuple[object, ...], int] = field(default_factory=dict)

    def at(self, path: tuple[object, ...], node: str, what: str, key: str) -> int:
        line = len(self.lines) + 1
        self.lines[line] = (node, what, key)
        self.by_path[path] = line
        return line

    def locate(self, paths: list[tuple[object, ...]]) -> list[Location]:
        """The tree's locator: each path at the line of the nearest record it leads through."""
        found = []
        for path in paths:
            while path and path not in self.by_path:
                path = path[:-1]
            found.append(Location(FILE, self.by_path[path], 1) if path else Location(FILE))
        return found


@st.composite
def conditions(draw: st.DrawFn, readable: list[tuple[str, str, list[str]]], valid: bool, depth: int = 0) -> Condition:
    """A condition reading the questions in `readable` (id, kind, option ids); anything at all when not `valid`."""
    if depth < 2 and draw(st.integers(0, 4)) == 0:
        parts = tuple(draw(st.lists(conditions(readable, valid, depth + 1), min_size=1, max_size=2)))
        combinator = draw(st.sampled_from(["all", "any", "not"]))
        if combinator == "not":
            return Not(parts[0])
        return AllOf(parts) if combinator == "all" else AnyOf(parts)
    if valid:
        question, kind, ids = draw(st.sampled_from(readable))
        ops: list[Operator] = (
            ["is", "is_not", "in", "not_in"] if kind == "single" else ["includes", "excludes", "includes_any"]
        )
        op: Operator = draw(st.sampled_from([*ops, "answered"]))
        values = () if op == "answered" else tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2)))
        return Compare(question, op, values)
    question = draw(st.sampled_from([q for q, _, _ in readable] + ["n0", "n1", "n2", "nowhere"]))
    anything: Operator = draw(st.sampled_from(list(typing.get_args(Operator))))
    ids = ["o0", "o1", "o2", "zz"]
    values = () if anything == "answered" else tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)))
    return Compare(question, anything, values)


@st.composite
def trees(draw: st.DrawFn, valid: bool, loose: bool = False) -> tuple[Tree, Places]:
    """A random tree of 3 to 8 nodes.

    Valid ones start with a single choice `n0` whose options all lead to a multiple
    choice `n1`, then go forward only; conditions and ladders read only `n0` and `n1`,
    which every path asks. Loose ones are valid ones with a few mistakes: now and then
    an edge back (a cycle), to a missing node, or a condition reading a question not
    asked on every path. Broken ones point anywhere (cycles, missing nodes), read
    anything, and may miss defaults or hold odd text.
    """
    size = draw(st.integers(3, 8))
    ids = [f"n{i}" for i in range(size)]
    kinds = ["single", "multiple"]
    kinds += [draw(st.sampled_from(["single", "multiple", "route", "ladder", "outcome"])) for _ in range(size - 3)]
    kinds += ["outcome"]
    if not valid:
        kinds = [draw(st.sampled_from(["single", "multiple", "route", "ladder", "outcome"])) for _ in range(size)]
    option_counts = [draw(st.integers(1, 3)) for _ in range(size)]
    questions = [
        (ids[i], kinds[i], [f"o{k}" for k in range(option_counts[i])])
        for i in range(size)
        if kinds[i] in ("single", "multiple")
    ]
    readable = [q for q in questions if q[0] in ("n0", "n1") or not valid] or [("n0", "single", ["o0"])]
    places = Places()

    def following(i: int) -> str:
        """The next node in order: on a valid tree, the way every node is reached."""
        return ids[i + 1] if valid else target(i)

    def target(i: int) -> str:
        if valid and not (loose and draw(st.integers(0, 11)) == 0):
            return draw(st.sampled_from(ids[:i:-1]))  # the simplest choice jumps to the end
        return draw(st.sampled_from([*ids, "nowhere"]))

    def condition_at(i: int) -> Condition:
        earlier = [q for q in questions if 2 <= int(q[0][1:]) < i]
        if loose and earlier and draw(st.integers(0, 3)):  # a question asked before, maybe not on every path
            return draw(conditions(earlier, valid))
        return draw(conditions(readable, valid))

    def maybe_when(i: int) -> Condition | None:
        if (valid and i < 2) or draw(st.integers(0, 1)):
            return None
        return condition_at(i)

    def label(i: int, k: int) -> Localized:
        if not valid and draw(st.integers(0, 9)) == 0:
            return Localized(draw(st.dictionaries(st.sampled_from(["zh", "en", "fr"]), st.text(max_size=5))))
        return text(f"{i}.{k}")

    nodes: dict[str, Node] = {}
    for i, (node_id, kind) in enumerate(zip(ids, kinds, strict=True)):
        places.at(("nodes", node_id), node_id, "node", "")
        if kind == "single":
            options = tuple(
                Option(
                    f"o{k}",
                    label(i, k),
                    next="n1" if valid and i == 0 else (following(i) if k == 0 else target(i)),
                    when=None if valid and k == 0 and draw(st.integers(0, 2)) else maybe_when(i),
                )
                for k in range(option_counts[i])
                if places.at(("nodes", node_id, "options", k), node_id, "option", f"o{k}")
            )
            nodes[node_id] = SingleChoice(node_id, text(), options)
        elif kind == "multiple":
            options = tuple(
                Option(f"o{k}", label(i, k), when=maybe_when(i))
                for k in range(option_counts[i])
                if places.at(("nodes", node_id, "options", k), node_id, "option", f"o{k}")
            )
            nodes[node_id] = MultipleChoice(node_id, text(), options, next=following(i))
        elif kind == "route":
            branches = [
                Branch(target(i), when=condition_at(i))
                for b in range(draw(st.integers(0, 2)))
                if places.at(("nodes", node_id, "branches", b), node_id, "branch", f"branch:{b}")
            ]
            for _ in range(1 if valid else draw(st.integers(0, 2))):
                places.at(("nodes", node_id, "branches", len(branches)), node_id, "branch", "default")
                branches.append(Branch(following(i), default=True))
            nodes[node_id] = Route(node_id, tuple(branches))
        elif kind == "ladder":
            question = "n1" if valid else draw(st.sampled_from([*ids, "nowhere"]))
            steps = [f"o{k}" for k in range(option_counts[1] if valid and kinds[1] == "multiple" else 3)]
            chosen = draw(st.lists(st.sampled_from(steps), min_size=1, max_size=3, unique=valid))
            rungs = tuple(
                Rung(step, target(i), when=maybe_when(i))
                for r, step in enumerate(chosen)
                if places.at(("nodes", node_id, "rungs", r), node_id, "rung", f"rung:{step}")
            )
            nodes[node_id] = Ladder(node_id, question, rungs, exhausted=following(i))
        else:
            how = tuple(
                Point(text("step"), when=maybe_when(i))
                for p in range(draw(st.integers(0, 2)))
                if places.at(("nodes", node_id, "how", p), node_id, "point", f"how:{p}")
            )
            nodes[node_id] = Outcome(node_id, text(), text(), text(), how=how)
    if not valid and draw(st.integers(0, 9)) == 0:  # a node whose id is not its key (only in Python)
        renamed = draw(st.sampled_from(ids))
        nodes[renamed] = replace(nodes[renamed], id=draw(st.sampled_from([*ids, "other"])))
    tree = Tree("random", text(), ("zh", "en"), "n0", nodes, source=Location(FILE), locator=places.locate)
    return tree, places


valid_tree = st.one_of(trees(valid=True), trees(valid=True, loose=True))
any_tree = st.one_of(trees(valid=True), trees(valid=True, loose=True), trees(valid=False))


# --- Exhaustive walks with the engine ----------------------------------------------------------------


@dataclass
class Walks:
    """Everything every walk did, within the budget."""

    visited: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)  # (node, edge key)
    offered: set[tuple[str, str]] = field(default_factory=set)  # (question, option)
    shown: set[tuple[str, int]] = field(default_factory=set)  # (outcome, line of a list item shown)
    ended: int = 0  # walks that reached an outcome
    stuck: list[str] = field(default_factory=list)  # how other walks ended
    complete: bool = True  # False when the budget ran out
    unasked: set[tuple[str, str]] = field(default_factory=set)  # (node, question not asked before it)


def choices(session: Session) -> Iterator[str | list[str]]:
    ids = [o.id for o in session.options()]
    if isinstance(session.question, SingleChoice):
        yield from ids
    else:
        for size in range(len(ids) + 1):
            yield from (list(c) for c in combinations(ids, size))


def walk_all(tree: Tree) -> Walks:
    walks = Walks()
    try:
        session = Session(tree)
    except (AnswerError, KeyError) as exc:
        walks.stuck.append(f"at the start: {exc!r}")
        return walks
    budget = [BUDGET]

    questions = {q.id for q in tree.questions()}

    def record(s: Session) -> None:
        path = s.visited()
        walks.visited.update(path)
        walks.taken.update((e.source, e.key) for e in s.edges())
        for index, node_id in enumerate(path):  # a question on the path is answered before the walk goes on
            walks.unasked.update((node_id, q) for q in questions.difference(path[:index]))

    def explore(s: Session, depth: int) -> None:
        record(s)
        if s.done:
            walks.ended += 1
            for index, point in enumerate(s.outcome.how):
                if point.applies(s.answers):
                    walks.shown.add((s.outcome.id, s.tree.where(("nodes", s.outcome.id, "how", index)).line))
            return
        if depth >= DEEPEST:
            walks.stuck.append("too deep")
            walks.complete = False
            return
        walks.offered.update((s.question.id, o.id) for o in s.options())
        options = list(choices(s))
        if not options:
            walks.stuck.append(f"no option offered at {s.question.id}")
        for choice in options:
            if budget[0] <= 0:
                walks.complete = False
                return
            budget[0] -= 1
            try:
                s.answer(choice)
            except (AnswerError, KeyError) as exc:
                walks.stuck.append(repr(exc))
                continue
            explore(s, depth + 1)
            s.back()

    explore(session, 0)
    return walks


def key_graph(tree: Tree) -> nx.DiGraph:
    """The tree's graph in networkx, nodes by key (edges name their targets by key, as the engine reads them)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(tree.nodes)
    for key, node in tree.nodes.items():
        graph.add_edges_from((key, e.target) for e in node_edges(node) if e.target in tree.nodes)
    return graph


def engine_can_walk(tree: Tree) -> bool:
    """The engine names answers by node id and finds nodes by key: with a node whose id is not its key (E102,
    possible only in Python) its walk is not defined."""
    return all(key == node.id for key, node in tree.nodes.items())


# --- Properties ------------------------------------------------------------------------------------


@SETTINGS
@given(any_tree)
def test_the_validator_never_crashes(drawn: tuple[Tree, Places]) -> None:
    tree, _ = drawn
    report = check_tree(tree)
    assert all(f.code[0] in "EW" and f.message for f in report.findings)
    check_tree(tree, Limits(state_limit=1, subset_limit=0, max_depth=1, line_budget=1))
    try:
        counted = count_paths(tree)
    except (TreeCycle, NodeIdMismatch):
        return
    assert counted.total == sum(counted.by_outcome.values())


@SETTINGS
@given(any_tree)
def test_what_the_validator_reports_is_real(drawn: tuple[Tree, Places]) -> None:
    tree, places = drawn
    findings = check_tree(tree).findings
    if not engine_can_walk(tree):
        return
    walks = walk_all(tree)
    for finding in findings:
        if finding.code == "E103":  # unreachable: no walk ever visits it
            assert finding.node not in walks.visited, finding.message
        if finding.code in ("E205", "W405") and finding.loc.file == FILE:  # never taken, never offered, never shown
            node, what, key = places.lines[finding.loc.line]
            if what == "option":
                assert (node, key) not in walks.offered, finding.message
            elif what == "point":
                assert (node, finding.loc.line) not in walks.shown, finding.message
            else:
                assert (node, key) not in walks.taken, finding.message
        if finding.code == "E104" and "none of its options is offered" in finding.message and walks.complete:
            assert f"no option offered at {finding.node}" in walks.stuck, finding.message


@SETTINGS
@given(any_tree)
def test_a_tree_without_errors_ends_in_an_outcome_on_every_walk(drawn: tuple[Tree, Places]) -> None:
    tree, _ = drawn
    report = check_tree(tree)
    assert report.errors or engine_can_walk(tree)
    event("no errors" if not report.errors else "errors")
    if report.errors:
        return
    walks = walk_all(tree)
    assert walks.stuck == []
    assert walks.ended > 0


@SETTINGS
@given(any_tree)
def test_path_counts_are_the_walks_to_an_outcome(drawn: tuple[Tree, Places]) -> None:
    tree, _ = drawn
    try:
        counted = count_paths(tree)
        listed = list(iter_paths(tree))
    except TreeCycle:
        return
    except NodeIdMismatch:
        assert not engine_can_walk(tree)
        return
    assert engine_can_walk(tree)
    walks = walk_all(tree)
    if walks.complete and counted.exact:
        assert counted.total == walks.ended == len(listed)
        for outcome, number in counted.by_outcome.items():
            assert number == sum(1 for p in listed if p.outcome == outcome)


@SETTINGS
@given(any_tree)
def test_the_graph_passes_agree_with_networkx(drawn: tuple[Tree, Places]) -> None:
    tree, _ = drawn
    analysis = Analysis(tree, Limits())
    graph = key_graph(tree)
    reach = {analysis.keys[n] for n, on in enumerate(analysis.reach) if on}
    assert reach == (nx.descendants(graph, tree.start) | {tree.start} if tree.start in graph else set())
    outcomes = [n for n, node in tree.nodes.items() if isinstance(node, Outcome)]
    assert {analysis.keys[n] for n, on in enumerate(analysis.coreach) if on} == set().union(
        *(nx.ancestors(graph, o) | {o} for o in outcomes)
    )
    assert bool(analysis.cycles) == (not nx.is_directed_acyclic_graph(graph))
    if analysis.order is not None:
        position = {analysis.keys[n]: i for i, n in enumerate(analysis.order)}
        assert set(position) == reach
        assert all(position[u] < position[v] for u, v in graph.edges if u in position and v in position)


#: Findings after which the walks and the analysis do not describe the same thing: a node missing, an
#: id not its key, a cycle, a route that stops the engine, a condition reading nothing, a bounded analysis.
OFF_THE_WALK = {"E101", "E102", "E106", "E201", "E202", "E203", "E206", "W409"}


@SETTINGS
@given(valid_tree)
def test_what_no_walk_does_is_reported(drawn: tuple[Tree, Places]) -> None:
    """The other way round: the data flow misses nothing the exhaustive walks show."""
    tree, places = drawn
    findings = check_tree(tree).findings
    if {f.code for f in findings} & OFF_THE_WALK:
        return
    walks = walk_all(tree)
    if not walks.complete:
        return
    reported = {(f.code, f.node) for f in findings}
    at = {(f.code, f.loc.line) for f in findings if f.loc.file == FILE}
    for node_id in tree.nodes:
        if node_id not in walks.visited:
            assert ("E103", node_id) in reported, node_id
    for line, (node_id, what, key) in places.lines.items():
        if node_id not in walks.visited or what == "node":
            continue
        if what == "option":
            option = next(o for o in tree.nodes[node_id].options if o.id == key)  # type: ignore[union-attr]
            if option.when is not None and (node_id, key) not in walks.offered:
                assert ("E205", line) in at, (node_id, key)
        elif what == "point":
            index = int(key.removeprefix("how:"))
            point = tree.nodes[node_id].how[index]  # type: ignore[union-attr]
            if point.when is not None and (node_id, line) not in walks.shown:
                assert ("E205", line) in at, (node_id, key)
        elif (node_id, key) not in walks.taken:
            assert ("E205", line) in at or ("W405", line) in at or ("E102", node_id) in reported, (node_id, key)
    for stuck in walks.stuck:
        if stuck.startswith("no option offered at "):
            assert ("E104", stuck.rsplit(" ", 1)[1]) in reported


@SETTINGS
@given(st.one_of(trees(valid=True, loose=True), trees(valid=False)))
def test_a_question_not_asked_on_every_path_is_what_the_walks_find(drawn: tuple[Tree, Places]) -> None:
    """E204 both ways: reported exactly when some walk, answering as the tree lets it, reaches the
    node without the question asked; and never where networkx finds no path avoiding the question."""
    tree, _ = drawn
    findings = check_tree(tree).findings
    if {f.code for f in findings} & {"E102", "E106", "E202", "E203", "E206"} or tree.start not in tree.nodes:
        return
    graph = key_graph(tree)
    reachable = nx.descendants(graph, tree.start) | {tree.start}
    expected: set[tuple[str, str]] = set()
    for site in Analysis(tree, Limits()).sites:
        if site.node in reachable:
            expected.update((site.node, c.question) for c in unguarded_reads(site.condition, frozenset()))
    for node in tree.nodes.values():
        if (
            isinstance(node, Ladder)
            and node.id in reachable
            and isinstance(tree.nodes.get(node.question), MultipleChoice)
        ):
            expected.add((node.id, node.question))

    def avoidable(node_id: str, question: str) -> bool:
        if question == node_id:  # a node reading its own answer reads it before it is given
            return True
        if question == tree.start:
            return False
        return bool(nx.has_path(graph.subgraph(n for n in graph if n != question), tree.start, node_id))

    reported = {(f.node, re.findall(r"reads '([^']+)'", f.message)[0]) for f in findings if f.code == "E204"}
    assert reported <= {(node_id, question) for node_id, question in expected if avoidable(node_id, question)}
    walks = walk_all(tree)
    seen = {pair for pair in expected if pair in walks.unasked}
    assert seen <= reported  # a walk that reads an unasked answer is always reported
    if walks.complete and not any(f.code == "W409" for f in findings):
        assert reported == seen  # and nothing else is: the analysis follows the answers, not the bare graph
