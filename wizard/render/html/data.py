"""A tree as the data the page's interpreter reads: nodes in file order, conditions, schedules, the words it uses.

The page runs its walk from this document and nothing else, so it holds what the engine
reads (`wizard.core.engine`, `wizard.core.model`) in the same shape, and what the
plan and the Markdown need (`wizard.render.plan`, `wizard.render.markdown`). Two values
are worked out here rather than in the page, by the project's own functions, so they cannot
drift: a schedule's hours in minutes (`wizard.core.hours.minutes_of`, null when they are not
times of day, which leaves the "right now" section out as the terminal does) and the
width of each outcome's title underline in the plain-text plan (`wizard.render.text.cell_width`).

Texts are as the tree writes them; the page shows them through its own `visible`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from wizard import __version__
from wizard.core.model import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Ladder,
    Localized,
    MultipleChoice,
    Node,
    Not,
    Option,
    Outcome,
    Point,
    Route,
    Schedule,
    SingleChoice,
    Tree,
)
from wizard.render.plan import fact_texts, fill_facts
from wizard.render.text import cell_width, visible, wrap
from wizard.render.words import WORDS

__all__ = ["PAGE_WORDS", "page_data"]

#: The keys of `WORDS` the page uses: the plan's, the Markdown's, the step counter and its own.
PAGE_WORDS = (
    "colon",
    "comma",
    "with_help",
    "channel",
    "how",
    "hours",
    "busy",
    "prepare",
    "say",
    "record",
    "warning",
    "if_fails",
    "next_rung",
    "now",
    "path",
    "none",
    "question",
    "answer",
    "made",
    "tree",
    "step",
    "level",
    "back",
    "pick_any",
    *(key for key in WORDS if key.startswith("page_")),
)


def _text(value: Localized | None, facts: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str] | None:
    """A text in every language; with `facts`, each fact it names filled as `run` fills it."""
    if value is None:
        return None
    if not facts:
        return dict(value.texts)
    return {lang: fill_facts(text, facts.get(lang, {})) for lang, text in value.texts.items()}


def condition_data(condition: Condition | None) -> Any:
    """A condition as the page reads it: ``{q, op, v}``, ``{all: [...]}``, ``{any: [...]}`` or ``{not: c}``."""
    if condition is None:
        return None
    if isinstance(condition, Compare):
        return {"q": condition.question, "op": condition.op, "v": list(condition.values)}
    if isinstance(condition, AllOf):
        return {"all": [condition_data(c) for c in condition.conditions]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_data(c) for c in condition.conditions]}
    if isinstance(condition, Not):
        return {"not": condition_data(condition.condition)}
    raise TypeError(f"not a condition: {condition!r}")


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its null fields: the page reads a missing field as null, and the file is smaller."""
    return {key: value for key, value in record.items() if value is not None}


def _option(option: Option) -> dict[str, Any]:
    return _compact(
        {
            "id": option.id,
            "label": _text(option.label),
            "next": option.next,
            "when": condition_data(option.when),
            "help": _text(option.help),
        }
    )


def _points(points: tuple[Point, ...], facts: Mapping[str, Mapping[str, str]] | None = None) -> list[Any]:
    return [_compact({"text": _text(p.text, facts), "when": condition_data(p.when)}) for p in points]


def _underline(outcome: Outcome, lang: str) -> int:
    """The length of the `=` line under the title in the plain-text plan (`render_text` with no width)."""
    lines = wrap(visible(outcome.title.get(lang)), None)
    return min(60, max(cell_width(line) for line in lines))


def node_data(
    node: Node, languages: tuple[str, ...], facts: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, Any]:
    """One node as the page reads it (its `kind` as in the tree format).

    Args:
        facts: By language, what each fact an outcome's text names reads as (`fact_texts`): the page
            has no case, so it shows the placeholders `run` shows without one.
    """
    record: dict[str, Any] = {"id": node.id, "kind": node.kind}
    if isinstance(node, (SingleChoice, MultipleChoice)):
        record |= {
            "prompt": _text(node.prompt),
            "help": _text(node.help),
            "options": [_option(o) for o in node.options],
            "default": list(node.default) if isinstance(node.default, tuple) else node.default,
        }
        if isinstance(node, MultipleChoice):
            record["next"] = node.next
    elif isinstance(node, Route):
        record["branches"] = [
            _compact({"next": b.next, "when": condition_data(b.when), "default": b.default or None})
            for b in node.branches
        ]
    elif isinstance(node, Ladder):
        record |= {
            "question": node.question,
            "rungs": [_compact({"step": r.step, "next": r.next, "when": condition_data(r.when)}) for r in node.rungs],
            "exhausted": node.exhausted,
        }
    elif isinstance(node, Outcome):
        record |= {
            "title": _text(node.title, facts),
            "channel": _text(node.channel, facts),
            "summary": _text(node.summary, facts),
            "level": node.level,
            "tone": node.tone,
            "how": _points(node.how, facts),
            "hours": _text(node.hours, facts),
            "schedule": node.schedule,
            "busy": _text(node.busy, facts),
            "prepare": _points(node.prepare, facts),
            "say": _text(node.say, facts),
            "record": _points(node.record, facts),
            "warning": _text(node.warning, facts),
            "if_fails": _text(node.if_fails, facts),
            "escalates_to": node.escalates_to,
            "underline": {lang: _underline(node, lang) for lang in languages},
        }
    return _compact(record)


def _usable_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError; a malformed key a ValueError
        return False
    return True


def schedule_data(schedule: Schedule) -> dict[str, Any] | None:
    """A schedule as the page reads it, or None where `wizard.core.hours.for_outcome` finds it unusable."""
    from wizard.core.hours import minutes_of

    try:
        opens, closes = minutes_of(schedule.opens), minutes_of(schedule.closes)
        busy = []
        for period in schedule.busy:
            month, _, mday = period.date.partition("-")
            busy.append({"name": _text(period.name), "month": int(month), "day": int(mday), "days": period.days})
    except ValueError:  # not a time of day, or a date `busy_period` cannot read: no advice, as in the terminal
        return None
    if not _usable_zone(schedule.timezone):
        return None
    return {
        "id": schedule.id,
        "channel": _text(schedule.channel),
        "timezone": schedule.timezone,
        "opens": schedule.opens,
        "closes": schedule.closes,
        "opens_minutes": opens,
        "closes_minutes": closes,
        "busy": busy,
        "easier": _text(schedule.easier),
    }


def page_data(tree: Tree) -> dict[str, Any]:
    """The document the page embeds: the tree, its schedules, the wizard's words and version."""
    from wizard.core.hours import SERVICE_TIMEZONE

    languages = tuple(tree.languages)
    facts = {lang: fact_texts(tree, lang) for lang in languages} if tree.facts else None
    # Each word in the tree's languages that have it, and in English, which the page falls back to (as `word`).
    words = {key: {lang: WORDS[key][lang] for lang in (*languages, "en") if lang in WORDS[key]} for key in PAGE_WORDS}
    return {
        "format": "pdd-wizard-page",
        "version": 1,
        "wizard": __version__,
        "service_timezone": SERVICE_TIMEZONE,
        "tree": _compact(
            {
                "id": tree.id,
                "title": _text(tree.title),
                "languages": list(languages),
                "start": tree.start,
                "version": tree.version,
                "description": _text(tree.description),
            }
        ),
        "nodes": [node_data(node, languages, facts) for node in tree.nodes.values()],
        "schedules": {key: schedule_data(s) for key, s in tree.schedules.items()},
        "words": words,
    }
