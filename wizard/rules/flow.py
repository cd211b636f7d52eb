"""The forward data flow: which answer combinations can arrive at each node, and how many paths bring each.

In topological order, the answer combinations that can arrive at each node are
followed, with how many paths bring each. Only the answers some condition at or after
the node reads are kept (live questions), a multiple choice's answer only as far as
conditions name its options, so the sets stay small (a tree whose conditions sit near
its start pays for those few nodes only). Two paths whose kept answers agree behave
alike from there on, so merging them is exact, and the counts of paths stay exact too.
Each combination is evaluated with the engine's own `offered`, `next_of_route` and
`next_of_ladder`, so the rules and the engine cannot disagree. When a node's
combinations exceed `Limits.state_limit`, the analysis stops below it and says so
(W409) rather than guess.

"Never taken" (E205, W405), "never reached" (E103), conditional dead ends (E104),
defaults not offered (W406), path counts and "asked on every path" (E204) read it.
"""

from __future__ import annotations

from itertools import combinations

from msgspec import Struct, field

from wizard.core.model import MULTIPLE_OPERATORS as _MULTIPLE_OPS
from wizard.core.model import (
    Answer,
    Ladder,
    MultipleChoice,
    Outcome,
    Route,
    SingleChoice,
    next_of_ladder,
    next_of_route,
    offered,
)
from wizard.rules.analysis import Analysis, is_question

__all__ = ["DataFlow", "NodeFacts", "State", "on_answers"]

#: A projected answer combination: (question id, answer) pairs in a fixed question order.
State = tuple[tuple[str, Answer], ...]
_EMPTY: State = ()
#: The combinations arriving at a node, each with the number of paths that bring it.
_Arriving = dict[State, int]


class NodeFacts(Struct):
    """What the data flow saw at one node."""

    offered: set[str] = field(default_factory=set)  # option ids offered on some arriving answers
    taken: set[str] = field(default_factory=set)  # edge keys taken
    held: set[int] = field(default_factory=set)  # indexes of branches/rungs whose condition held once
    shown: set[tuple[str, int]] = field(default_factory=set)  # list items shown
    dead: dict[str, Answer] | None = None  # answers on which a single choice offers nothing
    unanswered: int = 0  # read questions (bits) some arriving combination has not answered
    unanswered_when: dict[str, Answer] | None = None  # the first such combination
    no_default: dict[str, Answer] | None = None  # answers on which a single choice's default is hidden


class DataFlow:
    """Answer combinations arriving at each node, and how many paths bring each (see the module)."""

    def __init__(self, a: Analysis) -> None:
        self.a = a
        self.limits = a.limits
        self.facts: dict[int, NodeFacts] = {}
        self.never_reached: list[int] = []
        self.bounded_at: list[tuple[int, str]] = []  # where a limit was hit, and why
        self.bounded = bytearray(len(a.keys))  # 1: not analysed (at or below a bound)
        self.outcome_paths: dict[int, int] = {}
        # The questions some condition reads, each with a bit; the options named per question.
        self.named: dict[str, set[str]] = {}
        reads: dict[int, set[str]] = {}
        for site in a.sites:
            for compare in site.condition.questions():
                if is_question(a.nodes.get(compare.question)):
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

    def _project(self, state: State, target: int) -> State:
        mask = self.live[target]
        if not state or not mask:
            return _EMPTY
        return tuple(pair for pair in state if self.bit[pair[0]] & mask)

    def _with(self, state: State, question: str, answer: Answer, target: int) -> State:
        mask = self.live[target]
        if not mask:
            return _EMPTY
        kept = [pair for pair in state if self.bit[pair[0]] & mask]
        if self.bit.get(question, 0) & mask:
            kept.append((question, answer))
            kept.sort(key=lambda pair: self.rank[pair[0]])
        return tuple(kept)

    def run(self) -> None:
        """Follow the answers through the reachable nodes, in topological order."""
        a = self.a
        live, conditional, bounded, succ, kinds = self.live, a.conditional, self.bounded, a.succ, a.kinds
        arriving: dict[int, _Arriving] = {}
        # Paths that arrive with the empty combination from nodes where nothing is read: most of
        # a large tree, kept as plain numbers rather than a dict per node.
        plain = [0] * len(a.keys)
        plain[a.start] = 1
        for number in a.order or []:
            states = arriving.pop(number, None)
            # Taken out as it is passed on: a chain's counts double at each multiple choice, and
            # keeping every node's (2**k for the k-th) made memory, and time, grow with the square.
            arrived, plain[number] = plain[number], 0
            if bounded[number]:
                for child in succ[number]:
                    bounded[child] = 1
            elif not live[number] and not conditional[number]:
                # Nothing here or after reads an answer: only the empty combination arrives, and it is
                # passed on to each target with the number of answers leading there (most of a tree).
                paths = arrived + (states[_EMPTY] if states else 0)
                if paths and kinds[number] is SingleChoice:
                    for child in succ[number]:
                        plain[child] += paths
                else:
                    self._pass_plain(number, plain, paths)
            else:
                if arrived:
                    states = states or {}
                    states[_EMPTY] = states.get(_EMPTY, 0) + arrived
                for target, more in self._visit(number, states or {}).items():
                    into = arriving.get(target)
                    if into is None:
                        arriving[target] = more
                        continue
                    for state, paths in more.items():
                        into[state] = into.get(state, 0) + paths

    def _pass_plain(self, number: int, plain: list[int], paths: int) -> None:
        """The empty combination, arriving by `paths` paths at a node other than a single choice."""
        if not paths:
            self.never_reached.append(number)
            return
        kind = self.a.kinds[number]
        if kind is Outcome:
            self.outcome_paths[number] = paths
            return
        if kind is MultipleChoice:
            paths <<= len(self.a.node_list[number].options)  # type: ignore[union-attr]
        for child in self.a.succ[number]:
            plain[child] += paths

    def _visit(self, number: int, states: _Arriving) -> dict[int, _Arriving]:
        """The combinations one node sends to each target, with what it saw recorded in its facts."""
        if not states:
            self.never_reached.append(number)
            return {}
        if len(states) > self.limits.state_limit:
            self._bound(
                number,
                f"{len(states)} combinations of earlier answers can arrive here, more than the "
                f"{self.limits.state_limit} followed",
            )
            return {}
        node = self.a.node_list[number]
        facts = self.facts[number] = NodeFacts()
        self._note_unanswered(number, states, facts)
        out: dict[int, _Arriving] = {}
        if isinstance(node, SingleChoice):
            self._single(node, states, facts, out)
        elif isinstance(node, MultipleChoice):
            self._multiple(number, node, states, facts, out)
        elif isinstance(node, Route):
            self._route(node, states, facts, out)
        elif isinstance(node, Ladder):
            self._ladder(node, states, facts, out)
        else:
            self._outcome(number, node, states, facts)
        return out

    def _note_unanswered(self, number: int, states: _Arriving, facts: NodeFacts) -> None:
        """Which questions read here some arriving answers have not answered (E204)."""
        reads = self.reads_mask.get(number, 0)
        if not reads:
            return
        bit = self.bit
        for state in states:
            answered = 0
            for question, _ in state:
                answered |= bit[question]
            if reads & ~answered:
                facts.unanswered |= reads & ~answered
                if facts.unanswered_when is None:
                    facts.unanswered_when = dict(state)

    def _bound(self, number: int, why: str) -> None:
        self.bounded_at.append((number, why))
        self.bounded[number] = 1
        for child in self.a.succ[number]:
            self.bounded[child] = 1

    @staticmethod
    def _push(out: dict[int, _Arriving], target: int, state: State, paths: int) -> None:
        into = out.setdefault(target, {})
        into[state] = into.get(state, 0) + paths

    def _single(self, node: SingleChoice, states: _Arriving, facts: NodeFacts, out: dict[int, _Arriving]) -> None:
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
        self, number: int, node: MultipleChoice, states: _Arriving, facts: NodeFacts, out: dict[int, _Arriving]
    ) -> None:
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
                out.clear()
                return
            free = len(offer) - len(read)
            for size in range(len(read) + 1):
                for chosen in combinations(read, size):
                    self._push(out, target, self._with(state, node.id, frozenset(chosen), target), paths << free)

    def _route(self, node: Route, states: _Arriving, facts: NodeFacts, out: dict[int, _Arriving]) -> None:
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
            target = index.get(edge.target or "")
            if target is not None:
                self._push(out, target, self._project(state, target), paths)

    def _ladder(self, node: Ladder, states: _Arriving, facts: NodeFacts, out: dict[int, _Arriving]) -> None:
        index = self.a.index
        for state, paths in states.items():
            answers = dict(state)
            for number, rung in enumerate(node.rungs):
                if rung.when is not None and number not in facts.held and rung.when.holds(answers):
                    facts.held.add(number)
            edge = next_of_ladder(node, answers)
            facts.taken.add(edge.key)
            target = index.get(edge.target or "")
            if target is not None:
                self._push(out, target, self._project(state, target), paths)

    def _outcome(self, number: int, node: Outcome, states: _Arriving, facts: NodeFacts) -> None:
        self.outcome_paths[number] = sum(states.values())
        for part, points in (("how", node.how), ("prepare", node.prepare), ("record", node.record)):
            for index, point in enumerate(points):
                if point.when is not None and any(point.when.holds(dict(s)) for s in states):
                    facts.shown.add((part, index))


def on_answers(answers: dict[str, Answer]) -> str:
    """The answers a finding happens on, for its message: "when q=a, r=[b, c]", or "on every path"."""
    if not answers:
        return "on every path"
    return "when " + ", ".join(f"{q}={_show(v)}" for q, v in answers.items())


def _show(answer: Answer) -> str:
    return answer if isinstance(answer, str) else "[" + ", ".join(sorted(answer)) + "]"
