"""A case exported: Markdown (the evidence timeline a complaint needs), JSON (every field), iCalendar (the
deadline and the promised-by times, for a calendar's reminders). One function per format, in `EXPORTS`.

Markdown escapes everything the person typed or the tree wrote (`wizard.render.markdown.escape`);
iCalendar is written by the `icalendar` library, which escapes its own syntax, with text made
`visible` first; JSON keeps the data exact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from wizard import __version__
from wizard.core.case import DEADLINE_SOON_DAYS, Case, Contact, deadline_moment
from wizard.core.hours import format_moment
from wizard.core.model import Tree
from wizard.render.case import BEIJING, case_document, channel_name, deadline_text, moment
from wizard.render.markdown import escape
from wizard.render.text import json_document, visible
from wizard.render.words import word

if TYPE_CHECKING:  # icalendar is imported only to write a calendar
    from icalendar import Alarm, Event

__all__ = ["EXPORTS", "export_ics", "export_json", "export_markdown"]


def _cell(text: str) -> str:
    return escape(" ".join(text.split()), line_start=False) or " "


def _label(name: str, value: str, lang: str) -> str:
    return f"- **{name}**：{value}" if lang == "zh" else f"- **{name}:** {value}"


def export_markdown(case: Case, tree: Tree | None, lang: str, zone: tzinfo, now: datetime) -> str:
    """The case as a Markdown document: what it is, then a table of every contact in time order (Beijing
    time), then the evidence kept; what a platform-intervention request or a 12315 complaint asks for."""
    title = escape(" ".join(case.title.split()), line_start=False)
    out = [f"# {word('case', lang, id=case.id)}{word('colon', lang)}{title}", ""]
    out.append(_label(word("case_status", lang), word(f"status_{case.status}", lang), lang))
    if case.order_number:
        out.append(_label(word("case_order", lang), escape(case.order_number, line_start=False), lang))
    if case.deadline is not None:
        out.append(
            _label(
                word("case_deadline", lang), escape(deadline_text(case.deadline, lang, zone), line_start=False), lang
            )
        )
    out.append(
        _label(word("case_opened", lang), escape(moment(case.opened, lang, zone, year=True), line_start=False), lang)
    )
    if case.closed is not None:
        out.append(
            _label(
                word("case_closed", lang), escape(moment(case.closed, lang, zone, year=True), line_start=False), lang
            )
        )
    version = f" {case.tree_version}" if case.tree_version else ""
    out += [_label(word("tree", lang), escape(case.tree + version, line_start=False), lang), ""]
    out += [f"## {word('case_timeline', lang)}", ""]
    contacts = case.timeline()
    if not contacts:
        out += [word("case_no_contacts", lang), ""]
    else:
        heads = ("case_when", "channel", "case_agent", "case_said", "case_result", "case_promise")
        beijing = word("beijing_time", lang)
        names = [word(key, lang) for key in heads]
        names[0] += f"（{beijing}）" if lang == "zh" else f" ({beijing})"
        out += ["| # | " + " | ".join(names) + " |", "| --- " * (len(heads) + 1) + "|"]
        out += [_row(number, contact, tree, lang) for number, contact in enumerate(contacts, 1)]
        out.append("")
    kept = [(number, e) for number, c in enumerate(contacts, 1) for e in c.evidence]
    if kept:
        out += [f"## {word('case_evidence', lang)}", ""]
        for number, evidence in kept:
            item = escape(evidence.item.get(lang) or next(iter(evidence.item.values()), ""), line_start=False)
            path = ""
            if evidence.path is not None:  # a backquote in the name would end the code span: shown as a prime
                name = visible(evidence.path).replace("`", "\u2032")
                path = f" — {word('case_file', lang)}{word('colon', lang)}`{name}`"
            out.append(f"- [x] #{number}{word('colon', lang)}{item}{path}")
        out.append("")
    out += ["---", "", f"{word('made', lang)}{word('colon', lang)}{format_moment(now)} · pdd-wizard {__version__}", ""]
    return "\n".join(out)


def _row(number: int, contact: Contact, tree: Tree | None, lang: str) -> str:
    at = contact.at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    promise = contact.promise or ""
    if contact.promised_by is not None:
        by = contact.promised_by.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        promise = word("fact_promise_is", lang, promise=promise or word("something", lang), when=by)
    cells = [
        str(number),
        at,
        channel_name(contact, tree, lang),
        contact.agent_id or "",
        contact.said,
        word(f"result_{contact.result}", lang),
        promise,
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def export_json(case: Case, tree: Tree | None, lang: str, zone: tzinfo, now: datetime) -> str:
    """The case as one JSON object: every field, times as ISO-8601 with their offset."""
    return json_document(case_document(case))


def export_ics(case: Case, tree: Tree | None, lang: str, zone: tzinfo, now: datetime) -> str:
    """The case's deadline and promised-by times as an iCalendar file, each with a reminder.

    The deadline is the end of its day in Beijing time, reminded `DEADLINE_SOON_DAYS` days and 12 hours
    before; a promise at the time it is due. Times are written in UTC, so every calendar shows them in
    its own zone.
    """
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", f"-//pdd-wizard//case file {__version__}//EN")
    calendar.add("version", "2.0")
    stamp = now.astimezone(timezone.utc)
    title = visible(" ".join(case.title.split()))
    if case.deadline is not None:
        due = deadline_moment(case.deadline).astimezone(timezone.utc)
        summary = word("case_deadline_event", lang, title=title)
        details = [word("deadline_where", lang)]
        if case.order_number:
            details.append(f"{word('case_order', lang)}{word('colon', lang)}{visible(case.order_number)}")
        event = _event(f"pdd-wizard-case-{case.id}-deadline", stamp, due, summary, "\n".join(details))
        for before in (timedelta(days=DEADLINE_SOON_DAYS), timedelta(hours=12)):
            event.add_component(_alarm(summary, -before))
        calendar.add_component(event)
    for contact in case.timeline():
        if contact.promised_by is None:
            continue
        promise = visible(contact.promise or word("something", lang))
        summary = f"{word('case_promise_due', lang, promise=promise)} · {title}"
        agent = (
            f" · {word('case_agent', lang)}{word('colon', lang)}{visible(contact.agent_id)}" if contact.agent_id else ""
        )
        about = f"{word('case', lang, id=case.id)} · {channel_name(contact, tree, lang)}{agent}"
        due = contact.promised_by.astimezone(timezone.utc)
        event = _event(f"pdd-wizard-case-{case.id}-contact-{contact.id}", stamp, due, summary, about)
        event.add_component(_alarm(summary, timedelta(0)))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data.decode("utf-8")


def _event(uid: str, stamp: datetime, due: datetime, summary: str, description: str) -> Event:
    """An event of 15 minutes at `due`."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(minutes=15))
    event.add("summary", summary)
    event.add("description", description)
    return event


def _alarm(summary: str, trigger: timedelta) -> Alarm:
    """A reminder shown `trigger` after the event's start (before it when negative)."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", trigger)
    return alarm


#: The export formats of `pdd-wizard case export --format`, by name.
EXPORTS: dict[str, Callable[[Case, Tree | None, str, tzinfo, datetime], str]] = {
    "md": export_markdown,
    "json": export_json,
    "ics": export_ics,
}
