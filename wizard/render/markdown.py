"""A finished session as a Markdown plan: the checklist, the path taken and the time; tree text escaped.

Pure: returns a string. Text from a tree is data, so every character that Markdown would
read as syntax (emphasis, links, HTML, a table cell's `|`, a heading or list marker at a
line start, a heading's closing `#`s) is escaped with a backslash, which renders as the
character itself; indentation that would start a code block is dropped. Control characters
and escape sequences are shown as ``\x1b`` and the like first (`wizard.render.text.visible`), so a
file that is later printed in a terminal cannot act on it either. CJK text and ordinary
punctuation are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from wizard import __version__
from wizard.core.engine import Session
from wizard.core.hours import SERVICE_TIMEZONE, describe, for_outcome, format_moment
from wizard.render.plan import answer_labels, display_content
from wizard.render.text import one_line, visible
from wizard.render.words import word

__all__ = ["escape", "render_markdown"]

# Characters that start emphasis, code, links, HTML, entities, strikethrough or end a table cell anywhere.
_INLINE = re.compile(r"([\\`*\[\]<>&|~])")
# An underscore starts or ends emphasis only at a word boundary; inside a word (hotline_95187) it is text.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# At a line start: a heading, quote, list item, thematic break or setext underline.
_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")
# A heading's closing sequence: "# Call ##" would show as "Call".
_CLOSING_HASHES = re.compile(r"(^|\s)(#+)\s*$")


def escape(text: str, *, line_start: bool = True) -> str:
    """Tree text as Markdown that shows it literally, readable as plain text too.

    Control characters become visible stand-ins first (`wizard.render.text.visible`).

    Args:
        text: The text.
        line_start: The text starts a line (so "# ", "- ", "1. " there would be syntax).
    """
    text = _INLINE.sub(r"\\\1", visible(text))
    text = _UNDERSCORE.sub(r"\\_", text)
    if not line_start and "\n" not in text:
        return text
    lines = []
    for number, line in enumerate(text.split("\n")):
        if number or line_start:
            # Leading spaces are not shown anyway; four of them would start a code block.
            line = line.lstrip(" ")
            match = _LINE_START.match(line)
            if match:
                marker = match.group(1)
                # "1." -> "1\." (the number stays), "#" -> "\#"
                line = (marker + "\\" if marker[0].isdigit() else "\\" + marker) + line[match.end() :]
        lines.append(line)
    return "\n".join(lines)


def _heading(text: str) -> str:
    """Tree text as the text of an ATX heading: on one line, without a closing `#` sequence."""
    one_line = escape(" ".join(visible(text).split("\n")).strip())
    return _CLOSING_HASHES.sub(r"\1\\\2", one_line)


def _item(marker: str, text: str) -> str:
    """A list item; continuation lines are indented under its text (under "[ ]" for a checkbox).

    A checkbox's text starts past the list item's content column, and four columns past it
    would make an indented code block of a paragraph after a blank line.
    """
    indent = " " * (len(marker) - len("[ ] ") if marker.endswith("[ ] ") else len(marker))
    first, *rest = escape(text).split("\n")
    return "\n".join([f"{marker}{first}", *(f"{indent}{line}" if line else "" for line in rest)])


def _label(name: str, value: str, lang: str) -> str:
    """ "**Name:** value"; in Chinese "**名称**：value" (a full-width colon inside ** would not close the bold)."""
    return f"**{name}**：{value}" if lang == "zh" else f"**{name}:** {value}"


def _cell(text: str) -> str:
    return escape(" ".join(text.split()))


def _answers_file(path: str | None, replay: str | None, lang: str) -> list[str]:
    """The lines naming the answers file saved with the plan, and the command that replays it."""
    if path is None:
        return []
    named = _label(word("answers_file", lang), escape(one_line(path), line_start=False), lang)
    if replay is not None:
        named += " · " + escape(word("replay", lang, command=one_line(replay)), line_start=False)
    return ["", named]


def render_markdown(
    session: Session,
    lang: str,
    now: datetime,
    facts: Mapping[str, str | None] | None = None,
    *,
    answers_file: str | None = None,
    replay: str | None = None,
) -> str:
    """The plan of a finished session as a Markdown document.

    Args:
        session: A finished session.
        lang: The language.
        now: When the plan is made: dated in Beijing time with its UTC offset, and the
            time the outcome's schedule is read at.
        facts: A case's facts, put where the texts name them (`wizard.render.plan.session_content`).
        answers_file: The answers file saved with it (`run --save-answers`), named under the answers.
        replay: The command that walks the path again from that file.
    """
    outcome = session.outcome
    content = display_content(session, lang, facts)
    out: list[str] = [f"# {_heading(content['title'])}", "", escape(content["summary"]), ""]
    colon = word("colon", lang)
    out += [_label(word("channel", lang), escape(content["channel"], line_start=False), lang), ""]

    def section(key: str) -> None:
        out.extend([f"## {word(key, lang)}", ""])

    found = for_outcome(session.tree, outcome, now)
    if found is not None:
        section("now")
        # A file is read later: it says the dates and times, never "today" or "in 10 h".
        out += [*(_item("- ", line) for line in describe(found, lang, yours=now.tzinfo, saved=True)), ""]
    if content["how"]:
        section("how")
        out += [*(_item(f"{n}. ", text) for n, text in enumerate(content["how"], 1)), ""]
    for key in ("hours", "busy"):
        if content[key]:
            section(key)
            out += [escape(content[key]), ""]
    if content["prepare"]:
        section("prepare")
        out += [*(_item("- [ ] ", text) for text in content["prepare"]), ""]
    if content["say"]:
        section("say")
        out += ["\n".join(f"> {line}" if line else ">" for line in escape(content["say"]).split("\n")), ""]
    if content["record"]:
        section("record")
        out += [*(_item("- [ ] ", text) for text in content["record"]), ""]
    if content["warning"]:
        section("warning")
        lines = [line.strip() for line in escape(content["warning"]).split("\n")]
        # Stripped: "** text" or "text **" would not be bold, and would show the asterisks.
        out += ["\n".join(f"> **{line}**" if line else ">" for line in lines), ""]
    next_rung = session.tree.nodes.get(content["escalates_to"] or "")
    if content["if_fails"] or next_rung is not None:
        section("if_fails")
        if content["if_fails"]:
            out += [escape(content["if_fails"]), ""]
        if next_rung is not None and hasattr(next_rung, "title"):
            title = escape(next_rung.title.get(lang), line_start=False)
            out += [_label(word("next_rung", lang), title, lang), ""]
    section("path")
    out += [f"| {word('question', lang)} | {word('answer', lang)} |", "| --- | --- |"]
    for step in session.steps:
        prompt = session.tree.question(step.question).prompt.get(lang)
        labels = answer_labels(session.tree, step.question, step.answer, lang)
        out.append(f"| {_cell(prompt)} | {_cell(labels)} |")
    out += _answers_file(answers_file, replay, lang)
    zone = found.schedule.timezone if found is not None else SERVICE_TIMEZONE
    tree = session.tree
    version = f" {tree.version}" if tree.version else ""
    out += [
        "",
        "---",
        "",
        f"{word('made', lang)}{colon}{format_moment(now, zone)} · "
        f"{word('tree', lang)}{colon}{escape(tree.title.get(lang), line_start=False)} "
        f"({escape(tree.id + version, line_start=False)}) · pdd-wizard {__version__}",
        "",
    ]
    return "\n".join(out)
