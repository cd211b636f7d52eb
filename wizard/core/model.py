"""Typed model of a decision tree: questions, routes, ladders, outcomes and conditions. No I/O.

The model is declared once, as msgspec Structs: frozen, untracked by the cycle collector
(a tree holds no cycles), its node kinds tagged on `kind`. The loader (`wizard.source.load`)
decodes a file into it with `msgspec.convert`, and the JSON Schema (`wizard.render.schema`)
is generated from the same fields, whose `Meta` gives each one's documentation and limits.

Three forms a file writes more freely than a Struct reads are plain classes, decoded by the
loader's hook: a text per language (`Localized`), a list item with or without a condition
(`Point`), and a condition in its shorthand (`Condition`).

What varies by node kind lives with the kind: its edges (`edges`), whether it asks a
question (`asks`), and its shape in a diagram (`shape`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, ClassVar, Literal, Union

from msgspec import Meta, Struct, field

__all__ = [
    "FACT",
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
    "Path",
    "Point",
    "Question",
    "Route",
    "Rung",
    "Schedule",
    "SingleChoice",
    "Tree",
    "facts_named",
]

#: One question's answer: an option id (single choice) or a set of option ids (multiple choice).
Answer = Union[str, frozenset[str]]
#: Answers by question id.
Answers = Mapping[str, Answer]
#: Where a value sits in a tree's file: the keys and list indexes from the top, as
#: ("nodes", "role", "options", 0, "next"). Locations are worked out from it only when needed.
Path = tuple[Union[str, int], ...]

#: What a plain id looks like: a letter, then letters, digits, `_`, `.` and `-`. The JSON Schema
#: requires it and the validator warns about other ids (W411): they cannot be written in
#: `--answer ID=a,b`, in a condition's shorthand or in a shell without quoting.
ID_PATTERN = r"[A-Za-z][A-Za-z0-9_.-]*"
#: A tree's id: lower case, as it names files and reports.
TREE_ID_PATTERN = r"[a-z][a-z0-9_-]*"
#: A fact's name, as a text writes it between braces.
FACT_ID_PATTERN = r"[a-z][a-z0-9_]*"
#: A language code: two lower-case letters, then perhaps a script or region (zh, en, zh-Hant).
LANGUAGE_PATTERN = r"[a-z]{2}(-[A-Za-z]+)?"
#: The one class of characters unsafe in text from a file: C0 controls but tab and line feed, DEL, C1
#: controls, and the bidirectional overrides and isolates. Every output escapes them
#: (`wizard.render.text`), and the rules refuse them in a tree's texts (E303, tab too).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: A fact named in a text, `{order_number}`: filled in from a case where the tree declares it in `facts`
#: (`wizard.core.case.FACTS` are those a case supplies). Other braces are plain text.
FACT = re.compile(f"\\{{({FACT_ID_PATTERN})\\}}")
#: The longest busy period, in days: a year. Longer means nothing, and dates that far out overflow.
MOST_BUSY_DAYS = 366


def doc(text: str, **schema: Any) -> Meta:
    """A field's documentation, with JSON Schema keywords the loader does not enforce."""
    return Meta(description=text, extra_json_schema=schema or None)


class Location(Struct, frozen=True, gc=False):
    """Where something is defined: file, 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    @property
    def known(self) -> bool:
        """Whether the line is known (a tree built in Python has none)."""
        return self.line > 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


NO_LOCATION = Location("<memory>")


class Localized:
    """A user-visible text in every language the tree provides: ``{zh: ..., en: ...}``.

    Attributes:
        texts: Text by language code.
    """

    __slots__ = ("texts",)

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts

    def get(self, lang: str) -> str:
        """The text in `lang`, or in the first language given when it is missing."""
        if lang in self.texts:
            return self.texts[lang]
        return next(iter(self.texts.values()), "")

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.texts.items())

    def __eq__(self, other: object) -> bool:
        return type(other) is Localized and self.texts == other.texts

    def __hash__(self) -> int:
        return hash(tuple(self.texts.items()))

    def __repr__(self) -> str:
        return f"Localized({dict(self.texts)!r})"


# --- Conditions ---------------------------------------------------------------------------

#: Comparison operators. `is`/`is_not`/`in`/`not_in` read a single-choice answer;
#: `includes`/`excludes`/`includes_any` read a multiple-choice answer.
Operator = Literal["is", "is_not", "in", "not_in", "includes", "excludes", "includes_any", "answered"]
SINGLE_OPERATORS = ("is", "is_not", "in", "not_in")
MULTIPLE_OPERATORS = ("includes", "excludes", "includes_any")


class Condition:
    """A test of earlier answers (`Compare`, `AllOf`, `AnyOf`, `Not`).

    Every condition has `at`, where it is written below the `when` that holds it (a key
    of the shorthand, `all`, an index: the path the loader read it from).
    """

    __slots__ = ()
    at: Path

    def holds(self, answers: Answers) -> bool:
        raise NotImplementedError

    def questions(self) -> Iterator[Compare]:
        """Every comparison inside, in the order written."""
        raise NotImplementedError


class Compare(Struct, Condition, frozen=True, gc=False):
    """A test of one earlier answer.

    A question that was not answered on the path reads as no option (single choice)
    or the empty set (multiple choice).

    Attributes:
        question: The question whose answer is read.
        op: `is` (equals), `is_not`, `in` (one of), `not_in`, `includes` (contains every
            value), `excludes` (contains none of the values), `includes_any`, `answered`
            (the question was answered on this path; `values` is empty).
        values: The option ids compared with.
        at: Where it is written, below its `when`.
    """

    question: str
    op: Operator
    values: tuple[str, ...]
    at: Path = ()

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


class AllOf(Struct, Condition, frozen=True, gc=False):
    """Every condition holds (a mapping with several keys, or `all: [...]`)."""

    conditions: tuple[Condition, ...]
    at: Path = ()

    def holds(self, answers: Answers) -> bool:
        return all(c.holds(answers) for c in self.conditions)

    def questions(self) -> Iterator[Compare]:
        for c in self.conditions:
            yield from c.questions()


class AnyOf(Struct, Condition, frozen=True, gc=False):
    """At least one condition holds (`any: [...]`)."""

    conditions: tuple[Condition, ...]
    at: Path = ()

    def holds(self, answers: Answers) -> bool:
        return any(c.holds(answers) for c in self.conditions)

    def questions(self) -> Iterator[Compare]:
        for c in self.conditions:
            yield from c.questions()


class Not(Struct, Condition, frozen=True, gc=False):
    """The condition does not hold (`not: {...}`)."""

    condition: Condition
    at: Path = ()

    def holds(self, answers: Answers) -> bool:
        return not self.condition.holds(answers)

    def questions(self) -> Iterator[Compare]:
        yield from self.condition.questions()


class Point:
    """One item of an outcome's list (a step, a thing to prepare or to record), maybe conditional.

    Written either as a plain text `{zh: ..., en: ...}` or as `{text: {...}, when: {...}}`.

    Attributes:
        text: The item.
        when: Show the item only when this holds on the path taken.
    """

    __slots__ = ("text", "when")
    text: Annotated[Localized, doc("The item.")]
    when: Annotated[Condition | None, doc("Show the item only when this holds.")]

    def __init__(self, text: Localized, when: Condition | None = None) -> None:
        self.text = text
        self.when = when

    def applies(self, answers: Answers) -> bool:
        return self.when is None or self.when.holds(answers)

    def __eq__(self, other: object) -> bool:
        return type(other) is Point and (self.text, self.when) == (other.text, other.when)

    def __hash__(self) -> int:
        return hash((self.text, self.when))

    def __repr__(self) -> str:
        return f"Point({self.text!r}, {self.when!r})"


# --- Nodes --------------------------------------------------------------------------------

#: A node's own id: its key under `nodes`, set by the loader. Node kinds are tagged on `kind`.
Id = Annotated[str, doc("", key=True)]


class Edge(Struct, frozen=True, gc=False):
    """A way from one node to another.

    Attributes:
        source: Node id the edge leaves.
        target: Node id it enters; None for a single choice's option without `next` (E101).
        key: Unique among the source's edges: an option id (single choice), `next`
            (multiple choice), `branch:N` or `default` (route), `rung:STEP` or
            `exhausted` (ladder).
        option: The option taken (single choice).
        when: The condition under which the edge is taken (route branch, ladder rung,
            conditional option).
        path: Where the edge is written (the option, branch or rung; the node's field).
    """

    source: str
    target: str | None
    key: str
    option: Option | None = None
    when: Condition | None = None
    path: Path = ()


class Option(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One choice of a question.

    Attributes:
        id: The answer a script gives for this option; stable.
        label: What the user sees.
        next: The node this option leads to (single choice only).
        when: Offer the option only when this condition holds.
        help: A longer explanation shown beside the label.
    """

    id: Annotated[str, doc("Option id: the answer a script gives. Stable: never rename it.")]
    label: Annotated[Localized, doc("What the user sees.")]
    next: Annotated[str | None, doc("Node this option leads to (single choice only).")] = None
    when: Annotated[Condition | None, doc("Offer the option only when this holds.")] = None
    help: Annotated[Localized | None, doc("A longer explanation of the option.")] = None


class _Kind(Struct, frozen=True, gc=False):
    """What every node kind has: its id, and the behaviour that varies by kind."""

    #: The node's `kind` in a file, and what it means (the JSON Schema's description of it).
    kind: ClassVar[str]
    about: ClassVar[str]
    #: Whether the user answers it (a question) rather than the tree deciding.
    asks: ClassVar[bool] = False
    #: Its shape in a diagram (Graphviz names; the Mermaid exporter maps them).
    shape: ClassVar[str] = "box"

    def edges(self) -> Iterator[Edge]:
        """The edges leaving the node, in the order the engine tries them."""
        return iter(())

    @property
    def path(self) -> Path:
        return ("nodes", self.id)  # type: ignore[attr-defined]


class SingleChoice(_Kind, tag="single", tag_field="kind", frozen=True, gc=False, forbid_unknown_fields=True):
    """A question answered with exactly one option; each option names its next node.

    Attributes:
        id: Node id (the key under `nodes`).
        prompt: The question.
        options: The choices, in display order.
        default: Option id taken by `--defaults` when no answer is given.
        help: A line of guidance under the question.
        name: A short name of what is asked ("the problem"), for conditions in diagrams and `show`.
    """

    kind: ClassVar[str] = "single"
    about: ClassVar[str] = "Node kind: one option is chosen."
    asks: ClassVar[bool] = True
    shape: ClassVar[str] = "box"

    id: Id
    prompt: Annotated[Localized, doc("The question.")]
    options: Annotated[tuple[Option, ...], doc("The choices, in display order."), Meta(min_length=1)]
    default: Annotated[str | None, doc("Option id taken when no answer is given.")] = None
    help: Annotated[Localized | None, doc("A line of guidance under the question.")] = None
    name: Annotated[Localized | None, doc("A short name of what is asked, for diagrams: 'the problem'.")] = None

    def edges(self) -> Iterator[Edge]:
        for index, option in enumerate(self.options):
            path = ("nodes", self.id, "options", index)
            yield Edge(self.id, option.next, option.id, option, option.when, path)


class MultipleChoice(_Kind, tag="multiple", tag_field="kind", frozen=True, gc=False, forbid_unknown_fields=True):
    """A question answered with any number of options (a set); one next node for all.

    Attributes:
        id: Node id.
        prompt: The question.
        options: The choices, in display order.
        next: The node that follows whatever is chosen.
        default: Option ids taken by `--defaults` (those not offered are dropped).
        help: A line of guidance under the question.
        name: A short name of what is asked ("the problem"), for conditions in diagrams and `show`.
    """

    kind: ClassVar[str] = "multiple"
    about: ClassVar[str] = "Node kind: any number of options."
    asks: ClassVar[bool] = True
    shape: ClassVar[str] = "box"

    id: Id
    prompt: Annotated[Localized, doc("The question.")]
    options: Annotated[tuple[Option, ...], doc("The choices, in display order."), Meta(min_length=1)]
    next: Annotated[str, doc("The node that follows, whatever is chosen.")]
    default: Annotated[
        tuple[str, ...] | None, doc("Option ids taken when no answer is given (unoffered ones are dropped).")
    ] = None
    help: Annotated[Localized | None, doc("A line of guidance under the question.")] = None
    name: Annotated[Localized | None, doc("A short name of what is asked, for diagrams: 'the problem'.")] = None

    def edges(self) -> Iterator[Edge]:
        yield Edge(self.id, self.next, "next", path=("nodes", self.id, "next"))


class Branch(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One branch of a route: taken when its condition holds, or the default.

    Attributes:
        when: The condition; absent on the default branch.
        default: True on the one branch taken when no earlier branch is.
        next: The node the branch leads to.
    """

    next: Annotated[str, doc("The node this branch leads to.")]
    when: Annotated[Condition | None, doc("Take this branch when this holds.")] = None
    default: Annotated[bool, doc("The branch taken when no other is; exactly one per route.")] = False


class Route(_Kind, tag="route", tag_field="kind", frozen=True, gc=False, forbid_unknown_fields=True):
    """No question: the first branch whose condition holds on earlier answers picks the next node.

    Attributes:
        id: Node id.
        branches: Tried in order; exactly one is the default.
    """

    kind: ClassVar[str] = "route"
    about: ClassVar[str] = "Node kind: pick the next node from earlier answers."
    shape: ClassVar[str] = "diamond"

    id: Id
    branches: Annotated[tuple[Branch, ...], doc("Tried in order; exactly one has `default: true`."), Meta(min_length=1)]

    def edges(self) -> Iterator[Edge]:
        for index, branch in enumerate(self.branches):
            key = "default" if branch.default else f"branch:{index}"
            yield Edge(self.id, branch.next, key, None, branch.when, ("nodes", self.id, "branches", index))

    def next_edge(self, answers: Answers) -> Edge | None:
        """The edge taken: the first conditional branch that holds, else the default."""
        default: Edge | None = None
        for edge in self.edges():
            if edge.key == "default":
                default = default or edge
            elif edge.when is not None and edge.when.holds(answers):
                return edge
        return default


class Rung(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One step of an escalation ladder.

    Attributes:
        step: An option id of the ladder's multiple-choice question ("already tried").
        next: Where to go when this is the first step not yet tried.
        when: The rung belongs to the ladder only when this holds.
        label: What the step is, as diagrams and `show` write it on the rung ("95187 not called yet").
    """

    step: Annotated[str, doc("Option id of the ladder's question that means 'this step was tried'.")]
    next: Annotated[str, doc("The node to go to when this is the first step not tried.")]
    when: Annotated[Condition | None, doc("The rung is on the ladder only when this holds.")] = None
    label: Annotated[Localized | None, doc("The rung in words, for diagrams: '95187 not called yet'.")] = None


class Ladder(_Kind, tag="ladder", tag_field="kind", frozen=True, gc=False, forbid_unknown_fields=True):
    """No question: go to the first rung whose step the answer to `question` does not contain.

    Attributes:
        id: Node id.
        question: A multiple-choice question ("what have you tried").
        rungs: The escalation order.
        exhausted: Where to go when every rung on the ladder was tried.
    """

    kind: ClassVar[str] = "ladder"
    about: ClassVar[str] = "Node kind: the first step not yet tried."
    shape: ClassVar[str] = "diamond"

    id: Id
    question: Annotated[str, doc("The multiple-choice question whose answer lists the steps tried.")]
    rungs: Annotated[tuple[Rung, ...], doc("The escalation order, first rung first."), Meta(min_length=1)]
    exhausted: Annotated[str, doc("The node to go to when every rung was tried.")]

    def edges(self) -> Iterator[Edge]:
        for index, rung in enumerate(self.rungs):
            path = ("nodes", self.id, "rungs", index)
            yield Edge(self.id, rung.next, f"rung:{rung.step}", None, rung.when, path)
        yield Edge(self.id, self.exhausted, "exhausted", path=("nodes", self.id, "exhausted"))

    def next_edge(self, answers: Answers) -> Edge:
        """The edge taken: the first rung on the ladder whose step was not tried."""
        got = answers.get(self.question)
        tried = got if isinstance(got, frozenset) else frozenset()
        edges = list(self.edges())
        for edge, rung in zip(edges, self.rungs, strict=False):
            if rung.when is not None and not rung.when.holds(answers):
                continue
            if rung.step not in tried:
                return edge
        return edges[-1]


class BusyPeriod(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """Days after a fixed yearly date when a channel is overloaded (a sale, a holiday).

    Attributes:
        name: The event, for example the 618 sale.
        date: Month and day the period starts, "MM-DD".
        days: How many days it lasts.
    """

    name: Annotated[Localized, doc("The event, for example a big sale.")]
    date: Annotated[str, doc("Month and day the busy period starts.", pattern=r"^\d\d-\d\d$")]
    days: Annotated[int, doc("How many days the busy period lasts."), Meta(ge=1, le=MOST_BUSY_DAYS)]


class Schedule(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """When a channel has people answering, in a given time zone.

    Attributes:
        id: Schedule id (the key under `schedules`).
        channel: What the schedule is of.
        timezone: An IANA time zone, for example Asia/Shanghai.
        opens: Opening time "HH:MM", every day.
        closes: Closing time "HH:MM".
        busy: Yearly periods when the channel is overloaded.
        easier: When getting through tends to be easier, in words (shown beside "right now").
    """

    id: Id
    channel: Annotated[Localized, doc("The channel this schedule is of.")]
    timezone: Annotated[str, doc("IANA time zone of the opening hours.")]
    opens: Annotated[str, doc("Opening time, every day.", pattern=r"^\d\d:\d\d$")]
    closes: Annotated[str, doc("Closing time, every day.", pattern=r"^\d\d:\d\d$")]
    busy: Annotated[tuple[BusyPeriod, ...], doc("Yearly periods when the channel is overloaded.")] = ()
    easier: Annotated[Localized | None, doc("When getting through tends to be easier, in words.")] = None


class Outcome(_Kind, tag="outcome", tag_field="kind", frozen=True, gc=False, forbid_unknown_fields=True):
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

    kind: ClassVar[str] = "outcome"
    about: ClassVar[str] = "Node kind: a terminal plan."
    shape: ClassVar[str] = "note"

    id: Id
    title: Annotated[Localized, doc("One line naming the step.")]
    channel: Annotated[Localized, doc("The channel to use.")]
    summary: Annotated[Localized, doc("Why this is the right step now.")]
    level: Annotated[int, doc("Rung of the escalation ladder; 0 for warnings."), Meta(ge=0)] = 0
    tone: Annotated[Literal["info", "caution", "danger"], doc("How the plan is presented.")] = "info"
    how: Annotated[tuple[Point, ...], doc("Numbered steps to reach the channel.")] = ()
    hours: Annotated[Localized | None, doc("When the channel is open, in words.")] = None
    schedule: Annotated[str | None, doc("Id of a schedule under `schedules`.")] = None
    busy: Annotated[Localized | None, doc("Busy times to avoid.")] = None
    prepare: Annotated[tuple[Point, ...], doc("What to have at hand.")] = ()
    say: Annotated[Localized | None, doc("A short script with one clear demand.")] = None
    record: Annotated[tuple[Point, ...], doc("What to write down.")] = ()
    warning: Annotated[Localized | None, doc("A scam warning.")] = None
    if_fails: Annotated[Localized | None, doc("What to do if this step fails.")] = None
    escalates_to: Annotated[str | None, doc("Id of the outcome that is the next rung.")] = None

    def points(self) -> Iterator[tuple[str, int, Point]]:
        """Every list item: its list's name, its index there, and the item."""
        for part in ("how", "prepare", "record"):
            for index, point in enumerate(getattr(self, part)):
                yield part, index, point


Question = Union[SingleChoice, MultipleChoice]
Node = Union[SingleChoice, MultipleChoice, Route, Ladder, Outcome]
NODE_KINDS: dict[str, type[Node]] = {cls.kind: cls for cls in (SingleChoice, MultipleChoice, Route, Ladder, Outcome)}


class Tree(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
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
        facts: The facts its texts name as `{name}`, filled in from a case (an order number, the last
            contact...); without a case, a readable placeholder stands in.
        source: Where the tree was loaded from (set by the loader, never read from a file).
        locator: Works out where a path of the file is (set by the loader; None in Python).
    """

    id: Annotated[str, doc("Tree id.", pattern=f"^{TREE_ID_PATTERN}$")]
    title: Annotated[Localized, doc("Shown as the wizard's header.")]
    languages: Annotated[
        tuple[Annotated[str, Meta(pattern=f"^{LANGUAGE_PATTERN}$")], ...],
        doc("Language codes every text provides."),
        Meta(min_length=1),
    ]
    start: Annotated[str, doc("Id of the first node.")]
    nodes: Annotated[dict[str, Node], doc("The nodes by id."), Meta(min_length=1)]
    description: Annotated[Localized | None, doc("What the tree helps with.")] = None
    schedules: Annotated[dict[str, Schedule], doc("Opening hours of channels.")] = field(default_factory=dict)
    version: Annotated[str | None, doc("Version of the tree's content.")] = None
    facts: Annotated[
        tuple[Annotated[str, Meta(pattern=f"^{FACT_ID_PATTERN}$")], ...],
        doc("Facts of a case that texts name as {name}: order_number, last_contact, agent_id, promise."),
    ] = ()
    source: Location = NO_LOCATION
    locator: Any = None

    def question(self, node_id: str) -> Question:
        node = self.nodes[node_id]
        if not node.asks:
            raise KeyError(node_id)
        return node  # type: ignore[return-value]

    def questions(self) -> Iterator[Question]:
        for node in self.nodes.values():
            if node.asks:
                yield node  # type: ignore[misc]

    def outcomes(self) -> Iterator[Outcome]:
        for node in self.nodes.values():
            if type(node) is Outcome:
                yield node

    def points(self) -> Iterator[tuple[Outcome, Point]]:
        """Every list item of every outcome (those with a `when` read earlier answers)."""
        for outcome in self.outcomes():
            for _, _, point in outcome.points():
                yield outcome, point

    def edges(self) -> Iterator[Edge]:
        """Every edge of the tree, in file order; targets may name missing nodes."""
        for node in self.nodes.values():
            yield from node.edges()

    def where(self, path: Path) -> Location:
        """Where `path` is written in the tree's file (the file alone when that is not known)."""
        return self.where_all([path])[0]

    def where_all(self, paths: list[Path]) -> list[Location]:
        """`where` of each path, worked out together: in one pass over the file."""
        if not paths:
            return []  # a clean tree: the file is not scanned at all
        if self.locator is None:
            return [self.source] * len(paths)
        located: list[Location] = self.locator(paths)
        return located


def facts_named(text: str) -> list[str]:
    """The facts a text names, `{name}` each, in order (repeats kept)."""
    if "{" not in text:
        return []
    return FACT.findall(text)


def node_edges(node: Node) -> Iterator[Edge]:
    """The edges leaving one node, in the order the engine tries them."""
    return node.edges()


def offered(question: Question, answers: Answers) -> tuple[Option, ...]:
    """The options of `question` offered given earlier answers (conditions hold)."""
    return tuple(o for o in question.options if o.when is None or o.when.holds(answers))


def next_of_route(route: Route, answers: Answers) -> Edge | None:
    """The edge a route takes: the first conditional branch that holds, else the default."""
    return route.next_edge(answers)


def next_of_ladder(ladder: Ladder, answers: Answers) -> Edge:
    """The edge a ladder takes: the first rung on the ladder whose step was not tried."""
    return ladder.next_edge(answers)
