"""A case: one person's problem followed over time (its contacts, promises and deadline), and what to do next.

Pure: no file, no terminal and no clock of its own; the caller passes `now`. The store
(`wizard.source.casefile`) keeps cases in SQLite, and the words are in `wizard.render.case`.

The next step is the tree's own walk (`wizard.core.engine.run_answers`), with the answers the
case was opened with and, for each ladder's "what have you tried" question, the steps of the
contacts that did not solve it: a contact on a channel that is a rung of a ladder counts as
trying that rung. Before the plan come the lines a case adds: the after-sales deadline when it
is near or past, then the last promise, waiting or lapsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import msgspec
from msgspec import Meta, Struct, field

from wizard.core.engine import Session, format_answer, run_answers
from wizard.core.errors import AnswerError, CaseError, UsageError
from wizard.core.hours import SERVICE_TIMEZONE, parse_now
from wizard.core.model import Ladder, MultipleChoice, Outcome, Tree, offered

__all__ = [
    "DEADLINE_SOON_DAYS",
    "FACTS",
    "RESULTS",
    "STATUSES",
    "Case",
    "CaseNext",
    "Contact",
    "Evidence",
    "Notice",
    "Planner",
    "days_left",
    "deadline_moment",
    "new_case",
    "parse_day",
    "parse_moment",
]

#: The facts a case supplies to the texts that name them (`{order_number}`), as a tree declares them.
FACTS = ("order_number", "last_contact", "agent_id", "promise")
#: What came of a contact.
Result = Literal["solved", "refused", "no_answer", "promised"]
RESULTS: tuple[str, ...] = ("solved", "refused", "no_answer", "promised")
#: Where a case stands: open, or closed as solved or dropped.
Status = Literal["open", "solved", "dropped"]
STATUSES: tuple[str, ...] = ("open", "solved", "dropped")
#: A deadline this many days away or fewer is near: the plan says so first (the article's section 十四).
DEADLINE_SOON_DAYS = 3
#: The question of a tree that asks whether the after-sales deadline is close, and its answers: a case
#: with a deadline answers it from the date (a tree without it is walked as answered).
DEADLINE_QUESTION = "deadline"
DEADLINE_CLOSE, DEADLINE_NOT_CLOSE = "close", "not_close"

#: An aware time: every time of a case is stored with its zone.
Moment = Annotated[datetime, Meta(tz=True)]
#: A text by language, as the tree had it when the case recorded it (it survives an upgrade of the tree).
Texts = dict[str, str]


class Evidence(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One thing kept for a contact: an item of the channel's `prepare` list, ticked off.

    Attributes:
        item: The item's text by language, as the tree wrote it then.
        path: A file that holds it (a screenshot, a recording), when one was given.
    """

    item: Texts
    path: str | None = None


class Contact(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One contact with a channel.

    Attributes:
        id: Its number in the case file.
        channel: The outcome of the tree whose channel was used.
        at: When it happened.
        result: solved, refused, no_answer or promised.
        channel_title: That outcome's title by language, as it was when logged: shown if the tree
            no longer has the outcome.
        agent_id: The agent's ID, if one was given.
        said: What was said, in the person's words.
        promise: What was promised (with `promised`).
        promised_by: By when it was promised.
        evidence: What was kept.
        logged: When it was written into the case.
    """

    id: int
    channel: str
    at: Moment
    result: Result
    channel_title: Texts = field(default_factory=dict)
    agent_id: str | None = None
    said: str = ""
    promise: str | None = None
    promised_by: Moment | None = None
    evidence: tuple[Evidence, ...] = ()
    logged: Moment | None = None


class Case(Struct, frozen=True, gc=False, forbid_unknown_fields=True):
    """One person's case.

    Attributes:
        id: Its number (given by the case file; 0 before it is stored).
        title: A short title.
        tree: The tree's id.
        tree_spec: How to load the tree again: a shipped tree's name or a file's path.
        tree_version: The tree's version when the case was opened.
        answers: The answers of the path walked, as a script writes them.
        lang: The language it was opened in.
        opened: When it was opened.
        status: open, solved or dropped.
        order_number: The order's number, if given.
        deadline: The after-sales deadline, a day in Beijing time, if given.
        closed: When it was closed.
        contacts: Every contact, in the order logged.
    """

    id: int
    title: str
    tree: str
    tree_spec: str
    tree_version: str | None
    answers: dict[str, str | list[str]]
    lang: str
    opened: Moment
    status: Status = "open"
    order_number: str | None = None
    deadline: date | None = None
    closed: Moment | None = None
    contacts: tuple[Contact, ...] = ()

    def timeline(self) -> list[Contact]:
        """The contacts in the order they happened (the order logged among those at one time)."""
        return sorted(self.contacts, key=lambda c: (c.at, c.id))


def new_case(
    session: Session,
    *,
    title: str,
    tree_spec: str,
    lang: str,
    opened: datetime,
    order_number: str | None = None,
    deadline: date | None = None,
) -> Case:
    """A case for a finished walk (its id is 0 until the case file stores it).

    Args:
        session: The walk, at its outcome.
        title: A short title.
        tree_spec: How the tree was named (a shipped name or a path), to load it again.
        lang: The language of the run.
        opened: Now.
        order_number: The order's number, if known.
        deadline: The after-sales deadline, if known.
    """
    tree = session.tree
    answers = {step.question: format_answer(tree.question(step.question), step.answer) for step in session.steps}
    return Case(
        id=0,
        title=title,
        tree=tree.id,
        tree_spec=tree_spec,
        tree_version=tree.version,
        answers=answers,
        lang=lang,
        opened=opened,
        order_number=order_number or None,
        deadline=deadline,
    )


def deadline_moment(day: date) -> datetime:
    """The end of a deadline's day, in Beijing time (the platform's): 23:59 that day."""
    return datetime(day.year, day.month, day.day, 23, 59, tzinfo=ZoneInfo(SERVICE_TIMEZONE))


def parse_day(value: str, name: str = "--deadline") -> date:
    """A day written YYYY-MM-DD (a deadline).

    Raises:
        UsageError: Not such a day.
    """
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{name} {value!r}: expected a day as YYYY-MM-DD, for example 2026-12-20") from None
    if not 1900 <= day.year <= 2999:
        raise UsageError(f"{name} {value!r}: expected a year from 1900 to 2999")
    return day


def parse_moment(value: str, name: str) -> datetime:
    """A time as ISO-8601 (`2026-12-05T18:00+08:00`, or with a space: `2026-12-05 18:00`); without a zone,
    Beijing time; a day alone is the end of that day (a promise "by 12-05").

    Raises:
        UsageError: Not a time.
    """
    text = value.strip()
    if len(text) == 10:  # YYYY-MM-DD
        return deadline_moment(parse_day(text, name))
    when = parse_now(text, name)
    assert when is not None
    return when


def days_left(day: date, now: datetime) -> int:
    """Days from today (in Beijing time) to the deadline's day: 0 on the day itself, negative after."""
    return (day - now.astimezone(ZoneInfo(SERVICE_TIMEZONE)).date()).days


# --- What next ---------------------------------------------------------------------------------

NoticeKind = Literal[
    "closed",
    "solved",
    "deadline_passed",
    "deadline_soon",
    "promise_lapsed",
    "promise_waiting",
    "channel_gone",
    "tree_changed",
]


class Notice(Struct, frozen=True, gc=False):
    """A line the case adds to the plan, or a warning about the case.

    Attributes:
        kind: closed, solved (a contact solved it), deadline_passed, deadline_soon,
            promise_lapsed, promise_waiting; or the warnings channel_gone (a contact's channel
            is no longer in the tree) and tree_changed (the tree's version is not the case's).
        contact: The contact it is about.
        days: Days left to the deadline.
    """

    kind: NoticeKind
    contact: Contact | None = None
    days: int | None = None


#: The warnings among the notices: about the case file and the tree, not advice.
WARNINGS = ("channel_gone", "tree_changed")


class CaseNext(Struct, gc=False):
    """What to do next in a case.

    Attributes:
        case: The case.
        tree: Its tree, as loaded now.
        session: The walk to the next step; None when the case is closed or a contact solved it.
        notices: The lines that come before the plan, most urgent first.
        warnings: What is wrong with the case against the tree (shown as it was written).
        overdue: Whether a promise has lapsed or the deadline has passed.
    """

    case: Case
    tree: Tree
    session: Session | None
    notices: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()
    overdue: bool = False

    @property
    def outcome(self) -> Outcome | None:
        return None if self.session is None else self.session.outcome


#: A walk's answers as a key: each question's answer, a tuple for a multiple choice.
_Key = tuple[tuple[str, "str | tuple[str, ...]"], ...]


class Planner:
    """Works out cases' next steps against one tree, remembering each walk: the cases of a list
    share a few paths, so 10,000 cases take a few hundred walks.

    Attributes:
        tree: The tree.
    """

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self._walks: dict[_Key, Session] = {}
        self._plans: dict[tuple[bytes, str | None, frozenset[str]], Session] = {}
        self._rungs = _rung_steps(tree)

    def plan(self, case: Case, now: datetime) -> CaseNext:
        """The next step of `case` at `now`.

        Raises:
            CaseError: The case's answers no longer fit the tree (an upgrade removed an option).
        """
        contacts = case.timeline()
        warnings = list(self._warnings(case, contacts))
        notices: list[Notice] = []
        if case.status != "open":
            return CaseNext(case, self.tree, None, (Notice("closed"),), tuple(warnings))
        solved = next((c for c in reversed(contacts) if c.result == "solved"), None)
        if solved is not None:
            return CaseNext(case, self.tree, None, (Notice("solved", solved),), tuple(warnings))
        overdue = False
        if case.deadline is not None:
            left = days_left(case.deadline, now)
            if left < 0:
                notices.append(Notice("deadline_passed", days=left))
                overdue = True
            elif left <= DEADLINE_SOON_DAYS:
                notices.append(Notice("deadline_soon", days=left))
        last = contacts[-1] if contacts else None
        if last is not None and last.result == "promised" and last.promised_by is not None:
            lapsed = now >= last.promised_by
            notices.append(Notice("promise_lapsed" if lapsed else "promise_waiting", last))
            overdue = overdue or lapsed
        session = self._walk_case(case, contacts, now)
        return CaseNext(case, self.tree, session, tuple(notices), tuple(warnings), overdue)

    def opened_path(self, case: Case) -> Session:
        """The walk of the answers the case was opened with, without its contacts.

        Raises:
            CaseError: They no longer fit the tree.
        """
        try:
            return self._walk(case.answers)
        except AnswerError as exc:
            raise self._misfit(case, exc) from None

    def _misfit(self, case: Case, exc: AnswerError) -> CaseError:
        version = f" {self.tree.version}" if self.tree.version else ""
        return CaseError(
            f"case {case.id}: its answers no longer fit tree '{self.tree.id}'{version}: {exc}; "
            "open a new case for this problem"
        )

    def _warnings(self, case: Case, contacts: Iterable[Contact]) -> Iterable[Notice]:
        if case.tree_version != self.tree.version:
            yield Notice("tree_changed")
        for contact in contacts:
            if not isinstance(self.tree.nodes.get(contact.channel), Outcome):
                yield Notice("channel_gone", contact)

    def _walk_case(self, case: Case, contacts: list[Contact], now: datetime) -> Session:
        """The walk of a case: what was remembered for its answers, deadline answer and channels tried."""
        deadline = None if case.deadline is None else _deadline_answer(self.tree, days_left(case.deadline, now))
        channels = frozenset(c.channel for c in contacts if c.channel in self._rungs)  # none of them solved it
        key = (msgspec.json.encode(case.answers, order="sorted"), deadline, channels)
        found = self._plans.get(key)
        if found is None:
            try:
                found = self._plans[key] = self._walk_tried(case.answers, deadline, channels)
            except AnswerError as exc:
                raise self._misfit(case, exc) from None
        return found

    def _walk_tried(
        self, opened: Mapping[str, str | list[str]], deadline: str | None, channels: frozenset[str]
    ) -> Session:
        """The tree walked with the case's answers, the deadline's answer, and each ladder's question
        answered with the steps of the channels tried too, where the path offers them."""
        answers: dict[str, str | list[str]] = dict(opened)
        if deadline is not None:
            answers[DEADLINE_QUESTION] = deadline
        session = self._walk(answers)
        tried: dict[str, set[str]] = {}
        for channel in channels:
            for question, step in self._rungs[channel]:
                tried.setdefault(question, set()).add(step)
        if not tried:
            return session
        # Only the steps offered on this path count: `problem: logistics` offers `courier`, others not.
        for question, steps in tried.items():
            if question not in session.answers:
                continue
            multiple = self.tree.question(question)
            ids = {o.id for o in offered(multiple, session.answers)}
            before = answers.get(question, [])
            chosen = {before} if isinstance(before, str) else set(before)
            answers[question] = [o.id for o in multiple.options if o.id in chosen or o.id in steps & ids]
        return self._walk(answers)

    def _walk(self, answers: Mapping[str, str | list[str]]) -> Session:
        key = tuple(sorted((q, a if isinstance(a, str) else tuple(a)) for q, a in answers.items()))
        found = self._walks.get(key)
        if found is None:
            found = self._walks[key] = run_answers(self.tree, answers, defaults=True)
        return found


def _rung_steps(tree: Tree) -> dict[str, list[tuple[str, str]]]:
    """For each outcome on a ladder: the ladders' questions and the steps that trying it answers."""
    steps: dict[str, list[tuple[str, str]]] = {}
    for node in tree.nodes.values():
        if not isinstance(node, Ladder) or not isinstance(tree.nodes.get(node.question), MultipleChoice):
            continue
        for rung in node.rungs:
            pair = (node.question, rung.step)
            if pair not in steps.setdefault(rung.next, []):
                steps[rung.next].append(pair)
    return steps


def _deadline_answer(tree: Tree, left: int) -> str | None:
    """The answer to the tree's "is the deadline close?" from the days left, where the tree asks it."""
    node = tree.nodes.get(DEADLINE_QUESTION)
    if node is None or not node.asks:
        return None
    ids = {o.id for o in node.options}  # type: ignore[union-attr]
    if not {DEADLINE_CLOSE, DEADLINE_NOT_CLOSE} <= ids:
        return None
    return DEADLINE_CLOSE if left <= DEADLINE_SOON_DAYS else DEADLINE_NOT_CLOSE
