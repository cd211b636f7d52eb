"""Typed model of a decision tree: questions, routes, ladders, outcomes and conditions. No I/O.

The records here are the single description of the tree format: the loader
(`wizard.source.load`) builds them from YAML by reading their fields and type hints, and
the JSON Schema (`wizard.render.schema`) is generated from the same fields. A field's
``metadata["doc"]`` is its documentation in the schema. Records (`wizard.core.record`) are
declared like frozen dataclasses but cost nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, Union

from wizard.core.record import Record, field

__all__ = [
    "NO_LOCATION",
    "AllOf",
    "Answer",
    "Answers",
    "AnyOf",
    "Branch",
    "BusyPeriod",
    "Compare",
    "Condition",
    "Edge",
    "Ladder",
    "Localized",
    "Location",
    "MultipleChoice",
    "Node",
    "Not",
    "Option",
    "Outcome",
    "Point",
    "Question",
    "Route",
    "Rung",
    "Schedule",
    "SingleChoice",
    "Tree",
]

#: One question's answer: an option id (single choice) or a set of option ids (multiple choice).
Answer = Union[str, frozenset[str]]
#: Answers by question id.
Answers = Mapping[str, Answer]


def doc(text: str, **extra: object) -> dict[str, object]:
    """Field metadata: the schema documentation of a field, plus loader hints."""
    return {"doc": text, **extra}


class Location(Record):
    """Where something is defined: file, 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    @property
    def known(self) -> bool:
        """Whether the line is known (a location made in Python has none)."""
        return self.line > 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


#: What a plain id looks like: a letter, then letters, digits, `_`, `.` and `-`. The JSON Schema
#: requires it and the validator warns about other ids (W411): they cannot be written in
#: `--answer ID=a,b`, in a condition's shorthand or in a shell without quoting.
ID_PATTERN = r"[A-Za-z][A-Za-z0-9_.-]*"
#: A tree's id: lower case, as it names files and reports.
TREE_ID_PATTERN = r"[a-z][a-z0-9_-]*"
#: A language code: two lower-case letters, then perhaps a script or region (zh, en, zh-Hant).
LANGUAGE_PATTERN = r"[a-z]{2}(-[A-Za-z]+)?"

NO_LOCATION = Location("<memory>")


class Localized(Record):
    """A user-visible text in every language the tree provides: ``{zh: ..., en: ...}``.

    Attributes:
        texts: Text by language code.
    """

    # A large tree holds hundreds of thousands of texts: a slot, not an instance dict, for each.
    __slots__ = ("texts",)

    texts: Mapping[str, str]

    def __init__(self, texts: Mapping[str, str]) -> None:
        _set_texts(self, texts)

    @classmethod
    def _trusted(cls, values: dict[str, Any]) -> Localized:
        made = _new(cls)
        _set_texts(made, values["texts"])
        return made

    def _values(self) -> tuple[Any, ...]:
        return (self.texts,)

    def __repr__(self) -> str:
        return f"Localized(texts={self.texts!r})"

    def get(self, lang: str) -> str:
        """The text in `lang`, or in the first language given when it is missing."""
        if lang in self.texts:
            return self.texts[lang]
        return next(iter(self.texts.values()), "")

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.texts.items())


_new = object.__new__
_set_texts = vars(Localized)["texts"].__set__  # the slot, past the immutable __setattr__


# --- Conditions ---------------------------------------------------------------------------

#: Comparison operators. `is`/`is_not`/`in`/`not_in` read a single-choice answer;
#: `includes`/`excludes`/`includes_any` read a multiple-choice answer.
Operator = Literal["is", "is_not", "in", "not_in", "includes", "excludes", "includes_any", "answered"]
SINGLE_OPERATORS = ("is", "is_not", "in", "not_in")
MULTIPLE_OPERATORS = ("includes", "excludes", "includes_any")


class Compare(Record):
    """A test of one earlier answer.

    A question that was not answered on the path reads as no option (single choice)
    or the empty set (multiple choice).

    Attributes:
        question: The question whose answer is read.
        op: `is` (equals), `is_not`, `in` (one of), `not_in`, `includes` (contains every
            value), `excludes` (contains none of the values), `includes_any`, `answered`
            (the question was answered on this path; `values` is empty).
        values: The option ids compared with.
        loc: Where the condition is written.
    """

    question: str
    op: Operator
    values: tuple[str, ...]
    loc: Location = NO_LOCATION

    def holds(self, answers: Answers) -> bool:
        if self.op == "answered":
            return self.question in answers
        got = answers.get(self.question)
        if self.op in SINGLE_OPERATORS:
            single = got if isinstance(got, str) else None
            if self.op in ("is", "in"):
                return single in self.values
            return single not in self.values
        chosen = got if isinstance(got, frozenset) else frozenset()
        if self.op == "includes":
            return all(v in chosen for v in self.values)
        if self.op == "excludes":
            return not any(v in chosen for v in self.values)
        return any(v in chosen for v in self.values)  # includes_any

    def questions(self) -> Iterator[Compare]:
        yield self


class AllOf(Record):
    """Every condition holds (a mapping with several keys, or `all: [...]`)."""

    conditions: tuple[Condition, ...]
    loc: Location = NO_LOCATION

    def holds(self, answers: Answers) -> bool:
        return all(c.holds(answers) for c in self.conditions)

    def questions(self) -> Iterator[Compare]:
        for c in self.conditions:
            yield from c.questions()


class AnyOf(Record):
    """At least one condition holds (`any: [...]`)."""

    conditions: tuple[Condition, ...]
    loc: Location = NO_LOCATION

    def holds(self, answers: Answers) -> bool:
        return any(c.holds(answers) for c in self.conditions)

    def questions(self) -> Iterator[Compare]:
        for c in self.conditions:
            yield from c.questions()


class Not(Record):
    """The condition does not hold (`not: {...}`)."""

    condition: Condition
    loc: Location = NO_LOCATION

    def holds(self, answers: Answers) -> bool:
        return not self.condition.holds(answers)

    def questions(self) -> Iterator[Compare]:
        yield from self.condition.questions()


Condition = Union[Compare, AllOf, AnyOf, Not]


class Point(Record):
    """One item of an outcome's list (a step, a thing to prepare or to record), maybe conditional.

    Written either as a plain text `{zh: ..., en: ...}` or as `{text: {...}, when: {...}}`.

    Attributes:
        text: The item.
        when: Show the item only when this holds on the path taken.
    """

    text: Localized = field(metadata=doc("The item."))
    when: Condition | None = field(default=None, metadata=doc("Show the item only when this holds."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))

    def applies(self, answers: Answers) -> bool:
        return self.when is None or self.when.holds(answers)


# --- Nodes --------------------------------------------------------------------------------


class Option(Record):
    """One choice of a question.

    Attributes:
        id: The answer a script gives for this option; stable.
        label: What the user sees.
        next: The node this option leads to (single choice only).
        when: Offer the option only when this condition holds.
        help: A longer explanation shown beside the label.
    """

    id: str = field(metadata=doc("Option id: the answer a script gives. Stable: never rename it."))
    label: Localized = field(metadata=doc("What the user sees."))
    next: str | None = field(default=None, metadata=doc("Node this option leads to (single choice only)."))
    when: Condition | None = field(default=None, metadata=doc("Offer the option only when this holds."))
    help: Localized | None = field(default=None, metadata=doc("A longer explanation of the option."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))


class SingleChoice(Record):
    """A question answered with exactly one option; each option names its next node.

    Attributes:
        id: Node id (the key under `nodes`).
        prompt: The question.
        options: The choices, in display order.
        default: Option id taken by `--defaults` when no answer is given.
        help: A line of guidance under the question.
    """

    id: str = field(metadata=doc("", key=True))
    prompt: Localized = field(metadata=doc("The question."))
    options: tuple[Option, ...] = field(metadata=doc("The choices, in display order.", min_items=1))
    default: str | None = field(default=None, metadata=doc("Option id taken when no answer is given."))
    help: Localized | None = field(default=None, metadata=doc("A line of guidance under the question."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))
    kind: Literal["single"] = field(default="single", metadata=doc("Node kind: one option is chosen."))


class MultipleChoice(Record):
    """A question answered with any number of options (a set); one next node for all.

    Attributes:
        id: Node id.
        prompt: The question.
        options: The choices, in display order.
        next: The node that follows whatever is chosen.
        default: Option ids taken by `--defaults` (those not offered are dropped).
        help: A line of guidance under the question.
    """

    id: str = field(metadata=doc("", key=True))
    prompt: Localized = field(metadata=doc("The question."))
    options: tuple[Option, ...] = field(metadata=doc("The choices, in display order.", min_items=1))
    next: str = field(metadata=doc("The node that follows, whatever is chosen."))
    default: tuple[str, ...] | None = field(
        default=None, metadata=doc("Option ids taken when no answer is given (unoffered ones are dropped).")
    )
    help: Localized | None = field(default=None, metadata=doc("A line of guidance under the question."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))
    kind: Literal["multiple"] = field(default="multiple", metadata=doc("Node kind: any number of options."))


class Branch(Record):
    """One branch of a route: taken when its condition holds, or the default.

    Attributes:
        when: The condition; absent on the default branch.
        default: True on the one branch taken when no earlier branch is.
        next: The node the branch leads to.
    """

    next: str = field(metadata=doc("The node this branch leads to."))
    when: Condition | None = field(default=None, metadata=doc("Take this branch when this holds."))
    default: bool = field(default=False, metadata=doc("The branch taken when no other is; exactly one per route."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))


class Route(Record):
    """No question: the first branch whose condition holds on earlier answers picks the next node.

    Attributes:
        id: Node id.
        branches: Tried in order; exactly one is the default.
    """

    id: str = field(metadata=doc("", key=True))
    branches: tuple[Branch, ...] = field(metadata=doc("Tried in order; exactly one has `default: true`.", min_items=1))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))
    kind: Literal["route"] = field(default="route", metadata=doc("Node kind: pick the next node from earlier answers."))


class Rung(Record):
    """One step of an escalation ladder.

    Attributes:
        step: An option id of the ladder's multiple-choice question ("already tried").
        next: Where to go when this is the first step not yet tried.
        when: The rung belongs to the ladder only when this holds.
    """

    step: str = field(metadata=doc("Option id of the ladder's question that means 'this step was tried'."))
    next: str = field(metadata=doc("The node to go to when this is the first step not tried."))
    when: Condition | None = field(default=None, metadata=doc("The rung is on the ladder only when this holds."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))


class Ladder(Record):
    """No question: go to the first rung whose step the answer to `question` does not contain.

    Attributes:
        id: Node id.
        question: A multiple-choice question ("what have you tried").
        rungs: The escalation order.
        exhausted: Where to go when every rung on the ladder was tried.
    """

    id: str = field(metadata=doc("", key=True))
    question: str = field(metadata=doc("The multiple-choice question whose answer lists the steps tried."))
    rungs: tuple[Rung, ...] = field(metadata=doc("The escalation order, first rung first.", min_items=1))
    exhausted: str = field(metadata=doc("The node to go to when every rung was tried."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))
    kind: Literal["ladder"] = field(default="ladder", metadata=doc("Node kind: the first step not yet tried."))


class BusyPeriod(Record):
    """Days after a fixed yearly date when a channel is overloaded (a sale, a holiday).

    Attributes:
        name: The event, for example the 618 sale.
        date: Month and day the period starts, "MM-DD".
        days: How many days it lasts.
    """

    name: Localized = field(metadata=doc("The event, for example a big sale."))
    date: str = field(metadata=doc("Month and day the busy period starts.", pattern=r"^\d\d-\d\d$"))
    days: int = field(metadata=doc("How many days the busy period lasts.", minimum=1))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))


class Schedule(Record):
    """When a channel has people answering, in a given time zone.

    Attributes:
        id: Schedule id (the key under `schedules`).
        channel: What the schedule is of.
        timezone: An IANA time zone, for example Asia/Shanghai.
        opens: Opening time "HH:MM", every day.
        closes: Closing time "HH:MM".
        busy: Yearly periods when the channel is overloaded.
    """

    id: str = field(metadata=doc("", key=True))
    channel: Localized = field(metadata=doc("The channel this schedule is of."))
    timezone: str = field(metadata=doc("IANA time zone of the opening hours."))
    opens: str = field(metadata=doc("Opening time, every day.", pattern=r"^\d\d:\d\d$"))
    closes: str = field(metadata=doc("Closing time, every day.", pattern=r"^\d\d:\d\d$"))
    busy: tuple[BusyPeriod, ...] = field(default=(), metadata=doc("Yearly periods when the channel is overloaded."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))


class Outcome(Record):
    """A terminal node: a plan for the next escalation step.

    Attributes:
        id: Node id; stable, scripts test for it.
        title: One line naming the step.
        channel: The channel to use.
        level: The rung of the escalation ladder (0 = a warning or no escalation).
        tone: `info`, `caution`, or `danger` (a scam warning).
        summary: Why this is the right step now.
        how: Numbered steps to reach the channel.
        hours: When the channel is open, in words.
        schedule: A schedule id, for advice on whether the channel is open now.
        busy: Busy times to avoid, in words.
        prepare: Checklist of what to have at hand.
        say: A short script with one clear demand.
        record: What to write down during and after.
        warning: A scam warning.
        if_fails: What to do if this step fails.
        escalates_to: The outcome that is the next rung, if any.
    """

    id: str = field(metadata=doc("", key=True))
    title: Localized = field(metadata=doc("One line naming the step."))
    channel: Localized = field(metadata=doc("The channel to use."))
    summary: Localized = field(metadata=doc("Why this is the right step now."))
    level: int = field(default=0, metadata=doc("Rung of the escalation ladder; 0 for warnings.", minimum=0))
    tone: Literal["info", "caution", "danger"] = field(default="info", metadata=doc("How the plan is presented."))
    how: tuple[Point, ...] = field(default=(), metadata=doc("Numbered steps to reach the channel."))
    hours: Localized | None = field(default=None, metadata=doc("When the channel is open, in words."))
    schedule: str | None = field(default=None, metadata=doc("Id of a schedule under `schedules`."))
    busy: Localized | None = field(default=None, metadata=doc("Busy times to avoid."))
    prepare: tuple[Point, ...] = field(default=(), metadata=doc("What to have at hand."))
    say: Localized | None = field(default=None, metadata=doc("A short script with one clear demand."))
    record: tuple[Point, ...] = field(default=(), metadata=doc("What to write down."))
    warning: Localized | None = field(default=None, metadata=doc("A scam warning."))
    if_fails: Localized | None = field(default=None, metadata=doc("What to do if this step fails."))
    escalates_to: str | None = field(default=None, metadata=doc("Id of the outcome that is the next rung."))
    loc: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))
    kind: Literal["outcome"] = field(default="outcome", metadata=doc("Node kind: a terminal plan."))


Question = Union[SingleChoice, MultipleChoice]
Node = Union[SingleChoice, MultipleChoice, Route, Ladder, Outcome]
NODE_KINDS: dict[str, type] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "route": Route,
    "ladder": Ladder,
    "outcome": Outcome,
}


class Edge(Record):
    """A way from one node to another.

    Attributes:
        source: Node id the edge leaves.
        target: Node id it enters.
        key: Unique among the source's edges: an option id (single choice), `next`
            (multiple choice), `branch:N` or `default` (route), `rung:STEP` or
            `exhausted` (ladder).
        option: The option taken (single choice).
        when: The condition under which the edge is taken (route branch, ladder rung,
            conditional option).
        loc: Where the edge is written.
    """

    source: str
    target: str
    key: str
    option: Option | None = None
    when: Condition | None = None
    loc: Location = NO_LOCATION


class Tree(Record):
    """A decision tree.

    Attributes:
        id: Tree id.
        title: Shown as the wizard's header.
        languages: Language codes every text provides, first is the fallback.
        start: Id of the first node.
        nodes: Nodes by id, in file order.
        description: What the tree helps with.
        schedules: Opening hours of channels, by id.
        version: Version of the tree content.
        source: Where the tree was loaded from.
    """

    id: str = field(metadata=doc("Tree id.", pattern=f"^{TREE_ID_PATTERN}$"))
    title: Localized = field(metadata=doc("Shown as the wizard's header."))
    languages: tuple[str, ...] = field(metadata=doc("Language codes every text provides.", min_items=1))
    start: str = field(metadata=doc("Id of the first node."))
    nodes: Mapping[str, Node] = field(metadata=doc("The nodes by id.", min_items=1))
    description: Localized | None = field(default=None, metadata=doc("What the tree helps with."))
    schedules: Mapping[str, Schedule] = field(default_factory=dict, metadata=doc("Opening hours of channels."))
    version: str | None = field(default=None, metadata=doc("Version of the tree's content."))
    source: Location = field(default=NO_LOCATION, metadata=doc("", internal=True))

    def question(self, node_id: str) -> Question:
        node = self.nodes[node_id]
        if not isinstance(node, (SingleChoice, MultipleChoice)):
            raise KeyError(node_id)
        return node

    def questions(self) -> Iterator[Question]:
        for node in self.nodes.values():
            if isinstance(node, (SingleChoice, MultipleChoice)):
                yield node

    def outcomes(self) -> Iterator[Outcome]:
        for node in self.nodes.values():
            if isinstance(node, Outcome):
                yield node

    def points(self) -> Iterator[tuple[Outcome, Point]]:
        """Every list item of every outcome (those with a `when` read earlier answers)."""
        for outcome in self.outcomes():
            for point in (*outcome.how, *outcome.prepare, *outcome.record):
                yield outcome, point

    def edges(self) -> Iterator[Edge]:
        """Every edge of the tree, in file order; targets may name missing nodes."""
        for node in self.nodes.values():
            yield from node_edges(node)


def node_edges(node: Node) -> Iterator[Edge]:
    """The edges leaving one node, in the order the engine tries them."""
    # Edges are made for every node each time a tree is loaded or checked: they skip the
    # argument checks of __init__, as every field is given here.
    edge = Edge._trusted
    source = node.id
    if isinstance(node, SingleChoice):
        for option in node.options:
            if option.next is not None:
                yield edge(
                    {
                        "source": source,
                        "target": option.next,
                        "key": option.id,
                        "option": option,
                        "when": option.when,
                        "loc": option.loc,
                    }
                )
    elif isinstance(node, MultipleChoice):
        yield edge(
            {"source": source, "target": node.next, "key": "next", "option": None, "when": None, "loc": node.loc}
        )
    elif isinstance(node, Route):
        for index, branch in enumerate(node.branches):
            key = "default" if branch.default else f"branch:{index}"
            yield edge(
                {
                    "source": source,
                    "target": branch.next,
                    "key": key,
                    "option": None,
                    "when": branch.when,
                    "loc": branch.loc,
                }
            )
    elif isinstance(node, Ladder):
        for rung in node.rungs:
            yield edge(
                {
                    "source": source,
                    "target": rung.next,
                    "key": f"rung:{rung.step}",
                    "option": None,
                    "when": rung.when,
                    "loc": rung.loc,
                }
            )
        yield edge(
            {
                "source": source,
                "target": node.exhausted,
                "key": "exhausted",
                "option": None,
                "when": None,
                "loc": node.loc,
            }
        )


def offered(question: Question, answers: Answers) -> tuple[Option, ...]:
    """The options of `question` offered given earlier answers (conditions hold)."""
    return tuple(o for o in question.options if o.when is None or o.when.holds(answers))


def next_of_route(route: Route, answers: Answers) -> Edge | None:
    """The edge a route takes: the first conditional branch that holds, else the default."""
    default: Edge | None = None
    for edge in node_edges(route):
        if edge.key == "default":
            default = default or edge
        elif edge.when is not None and edge.when.holds(answers):
            return edge
    return default


def next_of_ladder(ladder: Ladder, answers: Answers) -> Edge:
    """The edge a ladder takes: the first rung on the ladder whose step was not tried."""
    got = answers.get(ladder.question)
    tried = got if isinstance(got, frozenset) else frozenset()
    for edge, rung in zip(node_edges(ladder), ladder.rungs, strict=False):
        if rung.when is not None and not rung.when.holds(answers):
            continue
        if rung.step not in tried:
            return edge
    return Edge(ladder.id, ladder.exhausted, "exhausted", loc=ladder.loc)
