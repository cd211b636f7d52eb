"""An outcome as a plan: its content in one language, as a dict (JSON) or as plain text.

Plain text on purpose: a scripted run must start fast and print the same bytes
whatever the terminal, so it uses no rich here (the interactive front end draws
its own panels from `outcome_content`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.engine import Session, format_answer
from wizard.model import Answers, Localized, Outcome, Point, Tree

if TYPE_CHECKING:  # datetime is off the scripted JSON path
    from datetime import datetime

__all__ = [
    "HEADINGS",
    "answer_labels",
    "availability_lines",
    "heading",
    "outcome_content",
    "path_content",
    "render_text",
    "result_content",
]

#: Headings of a plan's sections, by language.
HEADINGS: dict[str, dict[str, str]] = {
    "channel": {"zh": "渠道", "en": "Channel"},
    "how": {"zh": "怎么做", "en": "How"},
    "hours": {"zh": "时间", "en": "When"},
    "busy": {"zh": "避开高峰", "en": "Busy times"},
    "prepare": {"zh": "准备", "en": "Prepare"},
    "say": {"zh": "怎么说", "en": "What to say"},
    "record": {"zh": "记录", "en": "Write down"},
    "warning": {"zh": "防骗提醒", "en": "Scam warning"},
    "if_fails": {"zh": "如果不成", "en": "If this fails"},
    "next_rung": {"zh": "下一步", "en": "Next step"},
    "now": {"zh": "现在", "en": "Right now"},
    "path": {"zh": "你的回答", "en": "Your answers"},
    "none": {"zh": "(不选)", "en": "(none)"},
}


def heading(key: str, lang: str) -> str:
    texts = HEADINGS[key]
    return texts.get(lang, texts["en"])


def _text(value: Localized | None, lang: str) -> str | None:
    return None if value is None else value.get(lang)


def outcome_content(outcome: Outcome, lang: str, answers: Answers | None = None) -> dict[str, Any]:
    """Every field of an outcome in `lang`; absent ones are null or empty lists, so the shape is fixed.

    Args:
        outcome: The outcome.
        lang: The language.
        answers: The answers on the path; list items whose `when` does not hold are left out
            (None keeps every item, for an overview of the whole tree).
    """

    def items(points: tuple[Point, ...]) -> list[str]:
        return [p.text.get(lang) for p in points if answers is None or p.applies(answers)]

    return {
        "title": outcome.title.get(lang),
        "channel": outcome.channel.get(lang),
        "level": outcome.level,
        "tone": outcome.tone,
        "summary": outcome.summary.get(lang),
        "how": items(outcome.how),
        "hours": _text(outcome.hours, lang),
        "schedule": outcome.schedule,
        "busy": _text(outcome.busy, lang),
        "prepare": items(outcome.prepare),
        "say": _text(outcome.say, lang),
        "record": items(outcome.record),
        "warning": _text(outcome.warning, lang),
        "if_fails": _text(outcome.if_fails, lang),
        "escalates_to": outcome.escalates_to,
    }


def session_content(session: Session, lang: str) -> dict[str, Any]:
    """The content of a finished session's outcome, with the next step worked out from its answers."""
    from wizard.engine import next_step

    assert session.outcome is not None
    content = outcome_content(session.outcome, lang, session.answers)
    content["escalates_to"] = next_step(session)
    return content


def path_content(session: Session) -> list[dict[str, Any]]:
    """The questions answered, in order, with answers as a script writes them."""
    return [
        {"question": step.question, "answer": format_answer(session.tree.question(step.question), step.answer)}
        for step in session.steps
    ]


def result_content(session: Session, lang: str) -> dict[str, Any]:
    """The JSON document of a finished scripted run (its shape is documented in the README)."""
    outcome = session.outcome
    return {
        "tree": session.tree.id,
        "lang": lang,
        "path": path_content(session),
        "outcome": outcome.id,
        "content": session_content(session, lang),
    }


def answer_labels(tree: Tree, question_id: str, answer: object, lang: str) -> str:
    """An answer in words: the option labels, joined."""
    question = tree.question(question_id)
    ids = [answer] if isinstance(answer, str) else [o.id for o in question.options if o.id in answer]  # type: ignore[operator]
    labels = [o.label.get(lang) for o in question.options if o.id in ids]
    if not labels:
        return heading("none", lang)
    return ("、" if lang == "zh" else ", ").join(labels)


def availability_lines(session: Session, lang: str, now: datetime | None) -> list[str]:
    """Whether the outcome's channel is open at `now` and busy, in words; empty without a schedule or a time."""
    if now is None:
        return []
    from wizard.hours import describe, for_outcome

    found = for_outcome(session.tree, session.outcome, now)
    return [] if found is None else describe(found, lang)


def render_text(session: Session, lang: str, now: datetime | None = None) -> str:
    """A finished session as plain text: the outcome's plan, then the answers given.

    Args:
        session: A finished session.
        lang: The language.
        now: The time to read the outcome's schedule at (a "right now" section when the
            outcome has one); None leaves the section out.
    """
    content = session_content(session, lang)
    lines = [content["title"], "=" * min(60, _width(content["title"])), "", content["summary"], ""]
    lines.append(f"{heading('channel', lang)}: {content['channel']}")

    def section(key: str, items: list[str] | str | None, numbered: bool = False) -> None:
        if not items:
            return
        lines.append("")
        lines.append(f"{heading(key, lang)}:")
        if isinstance(items, str):
            lines.append(f"  {items}")
            return
        for index, item in enumerate(items, 1):
            lines.append(f"  {index}. {item}" if numbered else f"  - {item}")

    section("how", content["how"], numbered=True)
    section("hours", content["hours"])
    advice = availability_lines(session, lang, now)
    if advice:
        lines.extend(["", f"{heading('now', lang)}:", *(f"  {line}" for line in advice)])
    section("busy", content["busy"])
    section("prepare", content["prepare"])
    section("say", content["say"])
    section("record", content["record"])
    section("warning", content["warning"])
    following = session.tree.nodes.get(content["escalates_to"] or "")
    if content["if_fails"] or isinstance(following, Outcome):
        lines += ["", f"{heading('if_fails', lang)}:"]
        if content["if_fails"]:
            lines.append(f"  {content['if_fails']}")
        if isinstance(following, Outcome):
            lines.append(f"  {heading('next_rung', lang)}: {following.title.get(lang)}")
    lines.append("")
    lines.append(f"{heading('path', lang)}:")
    for step in session.steps:
        question = session.tree.question(step.question)
        words = answer_labels(session.tree, step.question, step.answer, lang)
        lines.append(f"  - {question.prompt.get(lang)} {words}")
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
