"""An outcome as a plan: its content in one language, as a dict (JSON) or as plain text.

Plain text on purpose: a scripted run must start fast and, unless asked to wrap at a
width, print the same bytes whatever the terminal, so it uses no rich here (the
interactive front end draws its own panels from `display_content`). Tree text shown
to a person goes through `wizard.render.text.visible` first; the JSON document keeps it as
written (json.dumps escapes control characters itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wizard.core.engine import Session, format_answer
from wizard.core.model import FACT, Answers, Localized, Outcome, Point, Tree
from wizard.render.text import cell_width, visible, wrap
from wizard.render.words import WORDS, word

if TYPE_CHECKING:  # datetime is off the scripted JSON path
    from datetime import datetime

__all__ = [
    "answer_labels",
    "availability_lines",
    "display_content",
    "fact_texts",
    "fill_facts",
    "outcome_content",
    "path_content",
    "render_text",
    "result_content",
]


def _text(value: Localized | None, lang: str, facts: Mapping[str, str] | None = None) -> str | None:
    if value is None:
        return None
    text = value.get(lang)
    return fill_facts(text, facts) if facts else text


def fill_facts(text: str, facts: Mapping[str, str]) -> str:
    """`text` with each fact it names (`{order_number}`) that is in `facts` replaced by its text."""
    if "{" not in text:
        return text
    return FACT.sub(lambda m: facts.get(m.group(1), m.group()), text)


def fact_texts(tree: Tree, lang: str, facts: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """What each fact the tree declares reads as: its value from a case, else a readable placeholder
    ("[order number]", "【订单号】")."""
    given = facts or {}
    out = {}
    for name in tree.facts:
        value = given.get(name)
        if value:
            out[name] = value
        else:
            label = word(f"fact_{name}", lang) if f"fact_{name}" in WORDS else name
            out[name] = word("fact_missing", lang, name=label)
    return out


def outcome_content(
    outcome: Outcome, lang: str, answers: Answers | None = None, facts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Every field of an outcome in `lang`; absent ones are null or empty lists, so the shape is fixed.

    Args:
        outcome: The outcome.
        lang: The language.
        answers: The answers on the path; list items whose `when` does not hold are left out
            (None keeps every item, for an overview of the whole tree).
        facts: The text of each fact the tree declares (`fact_texts`), put where a text names it;
            None leaves the texts as written.
    """

    def items(points: tuple[Point, ...]) -> list[str]:
        texts = [p.text.get(lang) for p in points if answers is None or p.applies(answers)]
        return [fill_facts(t, facts) for t in texts] if facts else texts

    return {
        "title": _text(outcome.title, lang, facts),
        "channel": _text(outcome.channel, lang, facts),
        "level": outcome.level,
        "tone": outcome.tone,
        "summary": _text(outcome.summary, lang, facts),
        "how": items(outcome.how),
        "hours": _text(outcome.hours, lang, facts),
        "schedule": outcome.schedule,
        "busy": _text(outcome.busy, lang, facts),
        "prepare": items(outcome.prepare),
        "say": _text(outcome.say, lang, facts),
        "record": items(outcome.record),
        "warning": _text(outcome.warning, lang, facts),
        "if_fails": _text(outcome.if_fails, lang, facts),
        "escalates_to": outcome.escalates_to,
    }


def session_content(session: Session, lang: str, facts: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """The content of a finished session's outcome, with the next step worked out from its answers.

    Args:
        facts: A case's facts by name (`wizard.render.case.case_facts`); the facts the tree declares
            that are not given read as placeholders.
    """
    from wizard.core.engine import next_step

    assert session.outcome is not None
    filled = fact_texts(session.tree, lang, facts) if session.tree.facts else None
    content = outcome_content(session.outcome, lang, session.answers, filled)
    content["escalates_to"] = next_step(session)
    return content


def display_content(session: Session, lang: str, facts: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """`session_content` made safe to show: every text (and list item) passed through `visible`."""

    def shown(value: Any) -> Any:
        if isinstance(value, str):
            return visible(value)
        if isinstance(value, list):
            return [visible(item) for item in value]
        return value

    return {key: shown(value) for key, value in session_content(session, lang, facts).items()}


def path_content(session: Session) -> list[dict[str, Any]]:
    """The questions answered, in order, with answers as a script writes them."""
    return [
        {"question": step.question, "answer": format_answer(session.tree.question(step.question), step.answer)}
        for step in session.steps
    ]


def result_content(
    session: Session, lang: str, now: datetime | None = None, facts: Mapping[str, str | None] | None = None
) -> dict[str, Any]:
    """The JSON document of a finished scripted run (its shape is documented in the README); `facts`
    as for `session_content`.

    Only its `now` key depends on the clock: the rest is the same whenever it is made.
    """
    outcome = session.outcome
    return {
        "tree": session.tree.id,
        "lang": lang,
        "path": path_content(session),
        "outcome": outcome.id,
        "content": session_content(session, lang, facts),
        "now": None if now is None else now_content(session, lang, now),
    }


def now_content(session: Session, lang: str, now: datetime) -> dict[str, Any] | None:
    """The "right now" facts of the outcome's schedule at `now`, for a pipeline; None without a schedule."""
    from wizard.core.hours import for_outcome

    found = for_outcome(session.tree, session.outcome, now)
    if found is None:
        return None

    def moment(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(timespec="minutes")

    busy = found.busy
    return {
        "at": moment(found.now),
        "schedule": found.schedule.id,
        "timezone": found.schedule.timezone,
        "open": found.open,
        "closes_at": moment(found.closes_at),
        "opens_at": moment(found.opens_at),
        "busy": None
        if busy is None or found.busy_until is None
        else {"name": busy.name.get(lang), "until": found.busy_until.isoformat()},
    }


def answer_labels(tree: Tree, question_id: str, answer: object, lang: str) -> str:
    """An answer in words, to show: the option labels, joined, through `visible`."""
    question = tree.question(question_id)
    ids = [answer] if isinstance(answer, str) else [o.id for o in question.options if o.id in answer]  # type: ignore[operator]
    labels = [o.label.get(lang) for o in question.options if o.id in ids]
    if not labels:
        return word("none", lang)
    return visible(word("comma", lang).join(labels))


def availability_lines(session: Session, lang: str, now: datetime | None) -> list[str]:
    """Whether the outcome's channel is open at `now` and busy, in words; empty without a schedule or a time.

    The schedule's channel and busy-period names come from the tree: the lines are passed through `visible`.
    """
    if now is None:
        return []
    from wizard.core.hours import describe, for_outcome

    found = for_outcome(session.tree, session.outcome, now)
    return [] if found is None else [visible(line) for line in describe(found, lang, yours=now.tzinfo)]


def render_text(
    session: Session,
    lang: str,
    now: datetime | None = None,
    width: int | None = None,
    facts: Mapping[str, str | None] | None = None,
) -> str:
    """A finished session as plain text: the outcome's plan, then the answers given.

    Args:
        session: A finished session.
        lang: The language.
        now: The time to read the outcome's schedule at (a "right now" section when the
            outcome has one); None leaves the section out.
        width: Wrap lines to fit this many columns (`wizard.render.text.output_width` gives the
            terminal's): Chinese breaks between characters but never before closing
            punctuation or after an opening bracket, English at spaces only (as rich
            breaks it), and a wrapped line hangs under its item's text. None (the
            default) leaves every line whole, so the bytes do not depend on a terminal.
        facts: A case's facts, as for `session_content`.
    """
    content = display_content(session, lang, facts)
    lines: list[str] = []
    cjk = lang == "zh"

    def put(text: str, first: str = "", rest: str | None = None) -> None:
        """`text` from `first`; its further lines (its own or wrapped ones) from `rest` (as wide as `first`)."""
        prefix, hanging = first, " " * cell_width(first) if rest is None else rest
        for paragraph in text.split("\n"):
            room = None if width is None else max(width - cell_width(prefix), 1)
            for line in wrap(paragraph, room, cjk=cjk):
                lines.append((prefix + line).rstrip(" "))
                prefix = hanging

    title = wrap(content["title"], width, cjk=cjk)
    lines += [*title, "=" * min(60, width or 60, max(cell_width(line) for line in title)), ""]
    put(content["summary"])
    lines.append("")
    colon = word("colon", lang)  # "：" in Chinese, as the interactive view and the Markdown write it
    put(content["channel"], f"{word('channel', lang)}{colon}", "  ")

    def section(key: str, items: list[str] | str | None, numbered: bool = False) -> None:
        if not items:
            return
        lines.append("")
        lines.append(word(key, lang) + colon.rstrip())
        if isinstance(items, str):
            put(items, "  ")
            return
        for index, item in enumerate(items, 1):
            put(item, f"  {index}. " if numbered else "  - ")

    section("how", content["how"], numbered=True)
    section("hours", content["hours"])
    advice = availability_lines(session, lang, now)
    if advice:
        lines.extend(["", word("now", lang) + colon.rstrip()])
        for line in advice:
            put(line, "  ")
    section("busy", content["busy"])
    section("prepare", content["prepare"])
    section("say", content["say"])
    section("record", content["record"])
    section("warning", content["warning"])
    following = session.tree.nodes.get(content["escalates_to"] or "")
    if content["if_fails"] or isinstance(following, Outcome):
        lines += ["", word("if_fails", lang) + colon.rstrip()]
        if content["if_fails"]:
            put(content["if_fails"], "  ")
        if isinstance(following, Outcome):
            put(visible(following.title.get(lang)), f"  {word('next_rung', lang)}{colon}", "    ")
    lines.append("")
    lines.append(word("path", lang) + colon.rstrip())
    for step in session.steps:
        question = session.tree.question(step.question)
        words = answer_labels(session.tree, step.question, step.answer, lang)
        put(f"{visible(question.prompt.get(lang))} {words}", "  - ")
    return "\n".join(lines) + "\n"
