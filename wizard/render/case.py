"""A case in words: its facts for the tree's texts, the lines before its next step, its timeline and the list.

Pure: returns strings and documents. What the person typed (a title, what was said, a promise)
and what came from the tree are shown through `wizard.render.text.visible` (`one_line` where one
line is shown); the JSON documents keep them exact. Times are shown in Beijing time, the
platform's, and, when it differs, in the person's own zone too.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from wizard.core.case import Case, CaseNext, Contact, Notice, deadline_moment
from wizard.core.hours import SERVICE_TIMEZONE
from wizard.core.model import Outcome, Tree
from wizard.render.plan import render_text, result_content
from wizard.render.text import cell_width, one_line, visible, wrap
from wizard.render.words import word

__all__ = [
    "case_document",
    "case_facts",
    "channel_name",
    "deadline_text",
    "list_document",
    "moment",
    "next_document",
    "notice_lines",
    "render_list",
    "render_next",
    "render_show",
    "warning_lines",
]

BEIJING = ZoneInfo(SERVICE_TIMEZONE)


def moment(when: datetime, lang: str, zone: tzinfo, *, year: bool = False) -> str:
    """A time in Beijing time, "12-05 18:00", with the person's own when their zone's clock differs:
    "12-05 18:00 (Beijing time; 12-05 11:00 CET your time)"."""
    shape = "%Y-%m-%d %H:%M" if year else "%m-%d %H:%M"
    there = when.astimezone(BEIJING)
    text = there.strftime(shape)
    here = when.astimezone(zone)
    if here.utcoffset() == there.utcoffset():
        return text
    mine = f"{here.strftime(shape)} {here.tzname() or ''}".rstrip()
    return text + word("your_time", lang, mine=mine)


def deadline_text(day: date, lang: str, zone: tzinfo) -> str:
    """A deadline's day: its end, 23:59 Beijing time, and that moment in the person's zone."""
    return moment(deadline_moment(day), lang, zone, year=True)


def _texts(texts: dict[str, str], lang: str, fallback: str) -> str:
    return texts.get(lang) or next(iter(texts.values()), fallback)


def channel_name(contact: Contact, tree: Tree | None, lang: str) -> str:
    """The channel of a contact: its outcome's title in the tree, or as it was written when the tree no
    longer has it (or cannot be loaded); through `visible`."""
    node = None if tree is None else tree.nodes.get(contact.channel)
    if isinstance(node, Outcome):
        return visible(node.title.get(lang))
    return visible(_texts(contact.channel_title, lang, contact.channel))


def _channel_of(contact: Contact, tree: Tree, lang: str) -> str:
    """The channel itself (the outcome's `channel`), for a fact; the title when the tree lost it."""
    node = tree.nodes.get(contact.channel)
    if isinstance(node, Outcome):
        return node.channel.get(lang)
    return _texts(contact.channel_title, lang, contact.channel)


def case_facts(case: Case, tree: Tree, lang: str, zone: tzinfo) -> dict[str, str | None]:
    """The facts a case supplies to the texts that name them (`wizard.core.case.FACTS`); None where
    the case does not know one (a placeholder then stands in)."""
    contacts = case.timeline()
    last = contacts[-1] if contacts else None
    agent = next((c.agent_id for c in reversed(contacts) if c.agent_id), None)
    promised = next((c for c in reversed(contacts) if c.promise), None)
    facts: dict[str, str | None] = {
        "order_number": case.order_number,
        "agent_id": agent,
        "last_contact": None,
        "promise": None,
    }
    if last is not None:
        facts["last_contact"] = word(
            "fact_last_contact_is", lang, when=moment(last.at, lang, zone), channel=_channel_of(last, tree, lang)
        )
    if promised is not None and promised.promise:
        if promised.promised_by is not None:
            by = moment(promised.promised_by, lang, zone)
            facts["promise"] = word("fact_promise_is", lang, promise=promised.promise, when=by)
        else:
            facts["promise"] = promised.promise
    return facts


def _who(contact: Contact, lang: str) -> str:
    if contact.agent_id:
        return word("agent_named", lang, agent=one_line(contact.agent_id))
    return word("agent_unnamed", lang)


def _days(left: int, lang: str) -> str:
    if left in (0, 1):
        return word(f"days_left_{left}", lang)
    return word("days_left_n", lang, n=left)


def _next_title(nxt: CaseNext, lang: str) -> str:
    outcome = nxt.outcome
    return "" if outcome is None else visible(outcome.title.get(lang))


def notice_line(notice: Notice, nxt: CaseNext, lang: str, zone: tzinfo) -> str:
    """One line a case adds before its plan, in words."""
    case, contact = nxt.case, notice.contact
    if notice.kind == "closed":
        return word("case_is_closed", lang, status=word(f"status_{case.status}", lang))
    if notice.kind == "solved" and contact is not None:
        when = moment(contact.at, lang, zone)
        return word("case_was_solved", lang, when=when, channel=channel_name(contact, nxt.tree, lang), id=case.id)
    if notice.kind in ("deadline_passed", "deadline_soon") and case.deadline is not None:
        when = deadline_text(case.deadline, lang, zone)
        return word(notice.kind, lang, when=when, left=_days(notice.days or 0, lang))
    if notice.kind in ("promise_lapsed", "promise_waiting") and contact is not None:
        assert contact.promised_by is not None
        promise = visible(contact.promise or word("something", lang))
        who = _who(contact, lang)
        line = word(
            notice.kind,
            lang,
            who=who,
            promise=promise,
            when=moment(contact.promised_by, lang, zone),
            next=_next_title(nxt, lang),
        )
        return line[:1].upper() + line[1:]
    return notice.kind  # pragma: no cover - every kind is worded above


def notice_lines(nxt: CaseNext, lang: str, zone: tzinfo) -> list[str]:
    """The lines before the plan, most urgent first."""
    return [notice_line(n, nxt, lang, zone) for n in nxt.notices]


def warning_lines(nxt: CaseNext) -> list[str]:
    """The warnings about a case against its tree as loaded now, one line each (in English, as every
    message of the command line)."""
    case, tree = nxt.case, nxt.tree
    version = f" {tree.version}" if tree.version else ""
    lines = []
    for notice in nxt.warnings:
        if notice.kind == "tree_changed":
            opened = one_line(case.tree_version or "(no version)")
            lines.append(
                f"case {case.id} was opened with tree '{one_line(case.tree)}' {opened}; "
                f"it is now{version or ' without a version'}: the next step follows the tree as it is now"
            )
        elif notice.contact is not None:
            lines.append(
                f"case {case.id}: contact {notice.contact.id} was on channel '{one_line(notice.contact.channel)}', "
                f"which tree '{one_line(tree.id)}'{version} no longer has; it is shown as it was written"
            )
    return lines


def _header(case: Case, lang: str) -> str:
    return f"{word('case', lang, id=case.id)}{word('colon', lang)}{one_line(case.title)}"


def render_next(nxt: CaseNext, lang: str, zone: tzinfo, now: datetime, width: int | None = None) -> str:
    """The next step of a case as text: the case, the lines it adds, then the plan with its facts filled in."""
    lines = [_header(nxt.case, lang)]
    for line in notice_lines(nxt, lang, zone):
        room = None if width is None else max(width - 2, 12)
        first, *rest = wrap(line, room, cjk=lang == "zh")
        lines += [f"! {first}", *(f"  {more}" for more in rest)]
    text = "\n".join(lines) + "\n"
    if nxt.session is None:
        return text
    facts = case_facts(nxt.case, nxt.tree, lang, zone)
    return text + "\n" + render_text(nxt.session, lang, now, width=width, facts=facts)


def next_document(nxt: CaseNext, lang: str, zone: tzinfo) -> dict[str, Any]:
    """The next step of a case as one JSON document: the case, its lines, and the plan as `run` gives it."""
    facts = case_facts(nxt.case, nxt.tree, lang, zone)
    return {
        "case": nxt.case.id,
        "title": nxt.case.title,
        "status": nxt.case.status,
        "overdue": nxt.overdue,
        "notices": [{"kind": n.kind, "text": notice_line(n, nxt, lang, zone)} for n in nxt.notices],
        "warnings": warning_lines(nxt),
        "outcome": None if nxt.outcome is None else nxt.outcome.id,
        "plan": None if nxt.session is None else result_content(nxt.session, lang, facts=facts),
    }


# --- The list ----------------------------------------------------------------------------------


def render_list(rows: list[tuple[Case, CaseNext | None, str | None]], lang: str, zone: tzinfo) -> str:
    """Cases one per line: number, a `!` on the overdue ones, title, and the next step (or why there is none).

    Args:
        rows: Each case, its next step, and the message when it could not be planned.
    """
    if not rows:
        return word("case_none", lang) + "\n"
    lines = []
    wide = max(len(str(case.id)) for case, _, _ in rows)
    label = word("case_next", lang) + word("colon", lang)
    cannot = word("case_cannot_plan", lang)
    titles: dict[str, str] = {}  # outcome id -> its title, shown: many cases share a next step
    for case, nxt, problem in rows:
        mark = "!" if nxt is not None and nxt.overdue else " "
        outcome = None if nxt is None else nxt.outcome
        if nxt is None:
            following = cannot
        elif outcome is not None:
            following = titles.get(outcome.id) or titles.setdefault(outcome.id, visible(outcome.title.get(lang)))
        else:
            following = notice_lines(nxt, lang, zone)[0] if nxt.notices else ""
        title = one_line(case.title)
        status = "" if case.status == "open" else f" ({word(f'status_{case.status}', lang)})"
        pad = " " * max(1, 24 - cell_width(title))
        lines.append(f"{case.id:>{wide}} {mark} {title}{status}{pad}{label}{following}")
        if problem:
            lines.append(f"{' ' * (wide + 3)}{one_line(problem)}")
    return "\n".join(lines) + "\n"


def list_document(rows: list[tuple[Case, CaseNext | None, str | None]], lang: str) -> dict[str, Any]:
    """The list as one JSON document: `cases`, each with its next step's outcome and whether it is overdue."""
    cases = []
    for case, nxt, problem in rows:
        cases.append(
            {
                "case": case.id,
                "title": case.title,
                "status": case.status,
                "tree": case.tree,
                "contacts": len(case.contacts),
                "deadline": None if case.deadline is None else case.deadline.isoformat(),
                "overdue": bool(nxt is not None and nxt.overdue),
                "next": None if nxt is None or nxt.outcome is None else nxt.outcome.id,
                "notices": [] if nxt is None else [n.kind for n in nxt.notices],
                "problem": problem,
            }
        )
    return {"lang": lang, "cases": cases}


# --- The timeline ------------------------------------------------------------------------------


def render_show(case: Case, tree: Tree | None, lang: str, zone: tzinfo) -> str:
    """A case as text: what it is, then every contact in the order it happened."""
    colon = word("colon", lang)
    status = word(f"status_{case.status}", lang)
    lines = [f"{_header(case, lang)} ({status})" if lang != "zh" else f"{_header(case, lang)}（{status}）"]
    version = f" {case.tree_version}" if case.tree_version else ""
    lines.append(f"{word('tree', lang)}{colon}{one_line(case.tree)}{one_line(version)}")
    lines.append(f"{word('case_opened', lang)}{colon}{moment(case.opened, lang, zone, year=True)}")
    if case.closed is not None:
        lines.append(f"{word('case_closed', lang)}{colon}{moment(case.closed, lang, zone, year=True)}")
    if case.order_number:
        lines.append(f"{word('case_order', lang)}{colon}{one_line(case.order_number)}")
    if case.deadline is not None:
        lines.append(f"{word('case_deadline', lang)}{colon}{deadline_text(case.deadline, lang, zone)}")
    answers = " ".join(f"{q}={a if isinstance(a, str) else ','.join(a)}" for q, a in case.answers.items())
    lines.append(f"{word('path', lang)}{colon}{one_line(answers)}")
    lines += ["", word("case_contacts", lang) + colon.rstrip()]
    contacts = case.timeline()
    if not contacts:
        lines.append(f"  {word('case_no_contacts', lang)}")
    for number, contact in enumerate(contacts, 1):
        lines += _contact_lines(number, contact, tree, lang, zone)
    return "\n".join(lines) + "\n"


def _contact_lines(number: int, contact: Contact, tree: Tree | None, lang: str, zone: tzinfo) -> list[str]:
    colon = word("colon", lang)
    when = moment(contact.at, lang, zone, year=True)
    lines = [f"{number:>3}. {when} · {channel_name(contact, tree, lang)} ({one_line(contact.channel)})"]
    result = word(f"result_{contact.result}", lang)
    if contact.promise or contact.promised_by is not None:
        promise = visible(contact.promise or word("something", lang))
        by = (
            ""
            if contact.promised_by is None
            else f" · {word('case_by', lang)}{colon}{moment(contact.promised_by, lang, zone, year=True)}"
        )
        result += f" · {word('case_promise', lang)}{colon}{one_line(promise)}{by}"
    lines.append(f"     {word('case_result', lang)}{colon}{result}")
    if contact.agent_id:
        lines.append(f"     {word('case_agent', lang)}{colon}{one_line(contact.agent_id)}")
    if contact.said:
        first, *rest = visible(contact.said).split("\n")
        lines.append(f"     {word('case_said', lang)}{colon}{first}")
        lines += [f"       {line}" for line in rest]
    for kept in contact.evidence:
        item = visible(_texts(kept.item, lang, ""))
        path = "" if kept.path is None else _aside(f"{word('case_file', lang)}{colon}{one_line(kept.path)}", lang)
        lines.append(f"     ✓ {item}{path}")
    return lines


def _aside(text: str, lang: str) -> str:
    """Text in brackets after what it is about: "（…）" in Chinese, " (…)" in English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def case_document(case: Case) -> dict[str, Any]:
    """A case as JSON: every field, times as ISO-8601 with their offset."""
    document: dict[str, Any] = msgspec.to_builtins(case)
    document["contacts"] = [msgspec.to_builtins(c) for c in case.timeline()]
    return document
