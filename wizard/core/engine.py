"""A session walking a tree: the current question, answers (parsed and checked here only), back, outcome.

Pure Python: no terminal, no networkx. Every front end (interactive prompts,
scripted answers, scenario tests) drives a `Session`, so an answer is checked the
same way whoever gives it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec import Struct

from wizard.core.errors import AnswerError, UnansweredError, did_you_mean
from wizard.core.model import (
    Answer,
    Edge,
    Ladder,
    MultipleChoice,
    Node,
    Option,
    Outcome,
    Question,
    Route,
    SingleChoice,
    Tree,
    next_of_ladder,
    next_of_route,
    offered,
)

__all__ = [
    "Session",
    "Step",
    "TreeCycleError",
    "TreeStuckError",
    "dropped",
    "format_answer",
    "next_step",
    "parse_answer",
    "refuse_revisit",
    "rewalk",
    "run_answers",
]


class TreeStuckError(AnswerError):
    """A route with no branch that applies and no default: the walk cannot go on.

    `pdd-wizard check` reports such a route (E104, E201); a walk stops at it with this error,
    placed at the route in the tree's file, since the tree, not an answer, is at fault.
    """

    blames_answer = False

    def __init__(self, tree: Tree, node: str) -> None:
        super().__init__(node, "no branch applies")
        self.args = (f"route '{node}': no branch applies and it has no default (see `pdd-wizard check`)",)
        self.location = tree.where(("nodes", node))

    def __str__(self) -> str:
        return str(self.args[0])


class TreeCycleError(AnswerError):
    """The tree leads round in a circle: routes that never reach a question or an outcome, or a
    question reached a second time on one path (scripted answers would go round forever).

    `pdd-wizard check` reports the cycle (E106); a walk stops at it with this error.
    """

    blames_answer = False

    def __init__(self, node: str, message: str) -> None:
        super().__init__(node, message)
        self.args = (f"node '{node}': {message}; the tree has a cycle (see `pdd-wizard check`)",)

    def __str__(self) -> str:
        return str(self.args[0])


class Step(Struct, frozen=True, gc=False):
    """One question answered on the path.

    Attributes:
        question: The question's id.
        answer: The option id, or the set of option ids.
        edges: The edges followed from this question to the next question or outcome,
            through any routes and ladders on the way.
    """

    question: str
    answer: Answer
    edges: tuple[Edge, ...]


def parse_answer(question: Question, options: Iterable[Option], raw: object) -> Answer:
    """Parse and check an answer to `question` given the options offered.

    A single choice takes an option id. A multiple choice takes a list (or set) of
    option ids, or one string of ids separated by commas; the empty string or list
    is the empty choice.

    Raises:
        AnswerError: Naming the question and listing the valid option ids.
    """
    valid = [o.id for o in options]
    if isinstance(question, SingleChoice):
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise AnswerError(question.id, f"expected one option id, got {_show(raw)}", valid)
        value = str(raw).strip()
        if not value:  # `--answer role=`
            raise AnswerError(question.id, "expected one option id, got nothing", valid)
        if value not in valid:
            raise _refused(question, value, valid)
        return value
    if isinstance(raw, str):
        items = [part.strip() for part in raw.split(",")] if raw.strip() else []
    elif isinstance(raw, (list, tuple, set, frozenset)):
        items = []
        for item in raw:
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise AnswerError(question.id, f"expected option ids, got {_show(item)}", valid)
            items.append(str(item).strip())
    else:
        raise AnswerError(question.id, f"expected a list of option ids, got {_show(raw)}", valid)
    for item in items:
        if item not in valid:
            raise _refused(question, item, valid)
    return frozenset(items)


def _refused(question: Question, value: str, valid: list[str]) -> AnswerError:
    """The error for an option id not offered: hidden on this path, or no option at all (a typo's
    likely fix first, as `test` suggests for a scenario's answers)."""
    if any(o.id == value for o in question.options):
        return AnswerError(question.id, f"'{value}' is not offered on this path", valid, value=value)
    hint = did_you_mean(value, valid)
    return AnswerError(question.id, f"'{value}' is not an option" + (f" ({hint})" if hint else ""), valid, value=value)


def format_answer(question: Question, answer: Answer) -> str | list[str]:
    """An answer as a script writes it: the id, or the ids in the question's option order."""
    if isinstance(answer, str):
        return answer
    return [o.id for o in question.options if o.id in answer]


def _show(raw: object) -> str:
    if raw is None or (isinstance(raw, (list, tuple, set, frozenset)) and not raw):
        return "nothing"  # `role:` left empty, or `role: []`, in an answers file
    if isinstance(raw, dict):
        return "a mapping"
    return repr(raw)


class Session:
    """A walk through a tree.

    Attributes:
        tree: The tree walked.
        steps: The questions answered so far, in order.
        node: The current node: a question waiting for an answer, or the outcome.
    """

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.steps: list[Step] = []
        self._remembered: dict[str, Answer] = {}
        self._entry: tuple[Edge, ...] = ()  # edges from the start to the first question
        self.node, self._entry = self._settle(tree.start)

    # --- state -----------------------------------------------------------------------------
    @property
    def answers(self) -> dict[str, Answer]:
        """The answers on the current path, by question id (what conditions read)."""
        return {step.question: step.answer for step in self.steps}

    @property
    def done(self) -> bool:
        return isinstance(self.node, Outcome)

    @property
    def outcome(self) -> Outcome:
        if not isinstance(self.node, Outcome):
            raise RuntimeError("the session has not reached an outcome")
        return self.node

    @property
    def question(self) -> Question:
        if not isinstance(self.node, (SingleChoice, MultipleChoice)):
            raise RuntimeError("the session is at an outcome")
        return self.node

    def options(self) -> tuple[Option, ...]:
        """The options of the current question offered on this path."""
        return offered(self.question, self.answers)

    def remembered(self, question_id: str | None = None) -> Answer | None:
        """An earlier answer to a question (kept after `back()`), limited to the options offered now."""
        question = self.question if question_id is None else self.tree.question(question_id)
        got = self._remembered.get(question.id)
        if got is None:
            return None
        ids = {o.id for o in offered(question, self.answers)}
        if isinstance(got, str):
            return got if got in ids else None
        return frozenset(got & ids)

    def memory(self) -> dict[str, Answer]:
        """Every answer given in this session, by question id, on the path or not (what `rewalk` takes
        to pre-select when a question is asked again)."""
        return dict(self._remembered)

    def edges(self) -> tuple[Edge, ...]:
        """Every edge followed so far, from the start node on."""
        out = list(self._entry)
        for step in self.steps:
            out.extend(step.edges)
        return tuple(out)

    def visited(self) -> list[str]:
        """Ids of every node on the path so far, routes and ladders included, in order."""
        return [self.tree.start] + [str(edge.target) for edge in self.edges()]

    # --- moves -----------------------------------------------------------------------------
    def answer(self, raw: object) -> Answer:
        """Answer the current question and move on through any routes.

        Returns:
            The parsed answer.

        Raises:
            AnswerError: The answer is not valid here.
        """
        question = self.question
        value = parse_answer(question, self.options(), raw)
        key = value if isinstance(question, SingleChoice) else "next"
        first = next(edge for edge in question.edges() if edge.key == key)
        self._remembered[question.id] = value
        answers = {**self.answers, question.id: value}
        node, edges = self._settle(_target(first), answers)
        self.steps.append(Step(question.id, value, (first, *edges)))
        self.node = node
        return value

    def back(self) -> bool:
        """Return to the previous question; its answer stays remembered. False at the first question."""
        if not self.steps:
            return False
        step = self.steps.pop()
        self.node = self.tree.nodes[step.question]
        return True

    def _settle(self, node_id: str, answers: Mapping[str, Answer] | None = None) -> tuple[Node, tuple[Edge, ...]]:
        """Follow routes and ladders from `node_id` to a question or an outcome."""
        answers = self.answers if answers is None else answers
        edges: list[Edge] = []
        node = self.tree.nodes[node_id]
        for _ in range(len(self.tree.nodes) + 1):
            if isinstance(node, Route):
                edge = next_of_route(node, answers)
                if edge is None:
                    raise TreeStuckError(self.tree, node.id)
            elif isinstance(node, Ladder):
                edge = next_of_ladder(node, answers)
            else:
                return node, tuple(edges)
            edges.append(edge)
            node = self.tree.nodes[_target(edge)]
        raise TreeCycleError(node_id, "routes lead round in a circle here, never reaching a question or an outcome")


def _target(edge: Edge) -> str:
    """Where an edge leads; the rules refuse a tree with an option that leads nowhere (E101)
    before any walk."""
    if edge.target is None:
        raise AnswerError(edge.source, f"option '{edge.key}' leads nowhere (no 'next')")
    return edge.target


def run_answers(
    tree: Tree,
    answers: Mapping[str, object],
    *,
    defaults: bool = False,
) -> Session:
    """Walk a tree with scripted answers, never prompting.

    Args:
        tree: The tree.
        answers: Raw answers by question id, as read from a file or `--answer`.
        defaults: A question reached but not answered takes its declared default.

    Raises:
        UnansweredError: A question reached has no answer (and no default).
        AnswerError: An answer is not valid for its question.
    """
    session = Session(tree)
    while not session.done:
        question = refuse_revisit(session)
        if question.id in answers:
            session.answer(answers[question.id])
        elif defaults and question.default is not None:
            session.answer(default_answer(question, session.options()))
        else:
            valid = [o.id for o in session.options()]
            hint = "" if question.default is None else f" (or pass --defaults to take {_default_text(question)})"
            raise UnansweredError(question.id, f"reached but not answered{hint}", valid)
    return session


def refuse_revisit(session: Session) -> Question:
    """The session's question, unless it was answered before on this path (a cycle in the tree).

    Scripted answers would take the same way round again, forever. A person at the keyboard may
    answer differently the second time, so the interactive walk does not ask this.

    Raises:
        TreeCycleError: Naming the question and the answer that led back to it.
    """
    question = session.question
    if any(step.question == question.id for step in session.steps):
        last = session.steps[-1].question
        raise TreeCycleError(question.id, f"the answer to '{last}' leads back to this question")
    return question


def default_answer(question: Question, options: Iterable[Option]) -> Answer:
    """The declared default of a question, limited to the options offered (multiple choice)."""
    if isinstance(question, SingleChoice):
        return question.default or ""
    ids = {o.id for o in options}
    return frozenset(d for d in (question.default or ()) if d in ids)


def _default_text(question: Question) -> str:
    """A question's default as a message names it: 'a', 'a,b', or the empty choice."""
    if isinstance(question.default, str):
        return f"'{question.default}'"
    return f"'{','.join(question.default)}'" if question.default else "the empty choice"


def next_step(session: Session) -> str | None:
    """The outcome to turn to if the one reached fails, given the answers.

    When a ladder led here, it is the next rung of that ladder that the answers have
    not tried and whose condition holds, and the ladder's `exhausted` outcome after the
    last: so someone who has already called the hotline is never sent back to it, and
    a question about a product is never sent to a dispute's platform intervention.
    Without a ladder on the path, it is the outcome's own `escalates_to`.
    """
    outcome = session.outcome
    if outcome is None:
        return None
    answers = session.answers
    for edge in reversed(session.edges()):
        ladder = session.tree.nodes.get(edge.source)
        if not isinstance(ladder, Ladder):
            continue
        if not edge.key.startswith("rung:"):  # the ladder was exhausted: no rung is left
            return outcome.escalates_to
        tried_answer = answers.get(ladder.question)
        tried = set(tried_answer) if isinstance(tried_answer, frozenset) else set()
        steps = [rung.step for rung in ladder.rungs]
        taken = edge.key.removeprefix("rung:")
        for rung in ladder.rungs[steps.index(taken) + 1 :]:
            if rung.step in tried or (rung.when is not None and not rung.when.holds(answers)):
                continue
            return rung.next
        return ladder.exhausted
    return outcome.escalates_to


def rewalk(tree: Tree, answers: Mapping[str, Answer], remembered: Mapping[str, Answer] | None = None) -> Session:
    """A new session that walks `tree` from its start with `answers`, as far as they still apply.

    What "check your answers, change one" needs: after a change, the answers that still fit the
    new path are kept, and those the change made unreachable are left behind (`dropped` names
    them). The walk stops at the first question on the new path that needs asking: one with no
    answer, one whose answer is no longer offered there (a single choice), or no longer wholly
    offered (a multiple choice: an answer is never quietly cut down), or one reached a second
    time on the path (a tree with a cycle: the same answer would go round again). Nothing is
    checked twice: every answer goes through `Session.answer`.

    Args:
        tree: The tree.
        answers: Parsed answers by question id (a session's `answers`, with a change).
        remembered: Earlier answers to pre-select when a question is asked (a session's
            `memory()`); `answers` are remembered over them.

    Returns:
        The session, at an outcome or at the question to ask next.
    """
    session = Session(tree)
    session._remembered.update(remembered or {})
    session._remembered.update(answers)
    while not session.done:
        question = session.question
        if question.id not in answers or any(step.question == question.id for step in session.steps):
            break
        answer = answers[question.id]
        offered_ids = {option.id for option in session.options()}
        if isinstance(answer, str):
            if answer not in offered_ids:
                break
        elif not answer <= offered_ids:
            break
        session.answer(answer if isinstance(answer, str) else sorted(answer))
    return session


def dropped(before: Mapping[str, Answer], after: Session) -> list[str]:
    """The questions of `before` (answers by id, in path order) that `after` no longer answers."""
    kept = after.answers
    return [question for question in before if question not in kept]
