"""What the interactive wizard draws with rich: the header, the step line with its breadcrumb, the plan.

Every text from a tree goes into a `rich.text.Text` (never a markup string), so `[tags]`
and `:emoji:` codes in a tree are shown as written, after `wizard.render.text.visible` (so escape
sequences and control characters in it show as ``\x1b`` and the like instead of acting on
the terminal). Text that may wrap comes from `prose`: Chinese lines never start with
closing punctuation. The console comes from the caller (`make_console`), writing to the
`Environment`'s stdout and reading its variables (`NO_COLOR`, `COLUMNS`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.containers import Lines
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text

from wizard.core.engine import Session
from wizard.core.hours import Availability, describe, for_outcome
from wizard.core.model import MultipleChoice, Outcome, SingleChoice, Tree, node_edges, offered
from wizard.render.plan import answer_labels, display_content
from wizard.render.text import GLUE, line_breaks, one_line, visible
from wizard.render.words import word
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, JustifyMethod, OverflowMethod, RenderResult
    from rich.measure import Measurement
    from rich.table import Table

__all__ = [
    "Prose",
    "draw_header",
    "draw_outcome",
    "draw_step",
    "echo_answer",
    "make_console",
    "prose",
    "questions_left",
    "step_counter",
]

_TONE = {"info": "cyan", "caution": "yellow", "danger": "red"}
_CRUMB = " › "
_MORE = "… › "


class _OwnBreaks:
    """A `Prose` or `Words` handed to rich: rendered by `Text`'s own code, which breaks its lines with
    the subclass's `wrap`. rich joins the `Text` objects printed at the top level into one plain
    `Text`, which would break them rich's way (a Chinese line starting with "？", a glue space shown)."""

    __slots__ = ("text",)

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return Text.__rich_console__(self.text, console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.text.__rich_measure__(console, options)


class Prose(Text):
    """A `Text` whose lines break as Chinese is set (`wizard.render.text.line_breaks`), English as rich breaks it.

    rich breaks a run of CJK characters anywhere, so a wrapped line could start with
    ``，`` or ``。``; here closing punctuation stays on the line before (taking the character
    before it along), and an opening bracket on the line after. Widths are rich's own cells.
    A `GLUE` space holds its neighbours on one line and is drawn as a plain space.
    """

    cjk = True

    def __rich__(self) -> _OwnBreaks:
        return _OwnBreaks(self)

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        """rich's own `Text.wrap` (as of rich 15), with `line_breaks` in place of its `divide_line`."""
        wrap_justify = justify or self.justify or DEFAULT_JUSTIFY
        wrap_overflow = overflow or self.overflow or DEFAULT_OVERFLOW
        no_wrap = bool(no_wrap if no_wrap is not None else self.no_wrap) or overflow == "ignore"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            if no_wrap:
                if overflow == "ignore":
                    lines.append(line)
                    continue
                new_lines = Lines([line])
            else:
                offsets = line_breaks(line.plain, width, fold=wrap_overflow == "fold", measure=cell_len, cjk=self.cjk)
                new_lines = line.divide(offsets)
                for part in new_lines:
                    part.rstrip()  # the space a line was broken at: no line ends in blanks
                    if GLUE in part.plain:
                        part.plain = part.plain.replace(GLUE, " ")  # as long: the styles keep their places
            if wrap_justify:
                new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines


class Words(Prose):
    """English as rich breaks it, at spaces (`line_breaks` without `cjk` breaks exactly there), with
    no line ending in the space it was broken at (rich keeps it when it fits: text piped to a file
    would carry trailing blanks), and a `GLUE` space holding its neighbours together."""

    cjk = False


def prose(lang: str, text: str = "", style: str = "") -> Text:
    """Text that may wrap, in `lang`: a `Prose` for Chinese; `Words` (rich's, breaking at spaces) otherwise."""
    return (Prose if lang == "zh" else Words)(text, style=style)


def make_console(env: Environment, width: int | None = None) -> Console:
    """A console on `env.stdout` that reads `env.environ` (NO_COLOR, COLUMNS) and never parses markup.

    Under TERM=dumb (an Emacs shell, some IDE consoles) rich lays everything out 80 columns wide,
    whatever the window; the real width is read here instead, as questionary's menus read it.
    """
    height = None
    if env.environ.get("TERM") == "dumb":  # rich answers 80 x 25 unless both are given
        real = _terminal_size(env)
        columns, lines = env.environ.get("COLUMNS", ""), env.environ.get("LINES", "")
        width = width or (int(columns) if columns.isdigit() else real[0])
        height = int(lines) if lines.isdigit() else real[1]
    return Console(
        file=env.stdout,
        width=width,
        height=height,
        markup=False,
        emoji=False,
        highlight=False,
        _environ=dict(env.environ),
    )


def _terminal_size(env: Environment) -> tuple[int, int]:
    """The size of the terminal behind stdout (or stdin); 80 x 25 when neither is one."""
    for stream in (env.stdout, env.stdin):
        if stream is None:
            continue
        try:
            size = os.get_terminal_size(stream.fileno())
        except (AttributeError, ValueError, OSError):  # not a terminal, or a stream with no descriptor
            continue
        if size.columns > 0:
            return size.columns, size.lines or 25
    return 80, 25


# --- Where the user is ------------------------------------------------------------------------


def questions_left(tree: Tree) -> Callable[[str], int]:
    """A function giving the most questions still ahead from a node, itself included (no networkx)."""
    memo: dict[str, int] = {}
    visiting: set[str] = set()

    def longest(node_id: str) -> int:
        if node_id in memo:
            return memo[node_id]
        node = tree.nodes.get(node_id)
        if node is None or node_id in visiting:  # a missing node or a cycle: count nothing more
            return 0
        visiting.add(node_id)
        here = 1 if isinstance(node, (SingleChoice, MultipleChoice)) else 0
        best = max((longest(edge.target or "") for edge in node_edges(node)), default=0)
        visiting.discard(node_id)
        memo[node_id] = here + best
        return memo[node_id]

    return longest


def step_counter(session: Session, longest: Callable[[str], int]) -> tuple[int, int]:
    """(N, M) for "step N of about M": M counts the longest way on from the current question."""
    question = session.question
    n = len(session.steps) + 1
    if isinstance(question, SingleChoice):
        targets = [o.next for o in offered(question, session.answers) if o.next]
        ahead = max((longest(t) for t in targets), default=0)
    else:
        ahead = longest(question.next)
    return n, n + ahead


def breadcrumb(labels: list[str], room: int) -> str:
    """The answers so far joined by " › ", cut from the left to fit `room` cells."""
    if room <= 0 or not labels:
        return ""
    full = _CRUMB.join(labels)
    if cell_len(full) <= room:
        return full
    for start in range(1, len(labels)):
        shorter = _MORE + _CRUMB.join(labels[start:])
        if cell_len(shorter) <= room:
            return shorter
    last = Text(_MORE + labels[-1])
    last.truncate(room, overflow="ellipsis")
    return last.plain


def _frame(console: Console, parts: list[RenderableType], style: str, *, plain: bool, padding: tuple[int, int]) -> None:
    """`parts` in a panel, or (plain) as they are, between blank lines: no box for a screen reader or a log.

    Nothing goes in the panel's borders: rich cuts a border's title to the panel's width, and a
    title or a key hint must wrap like any other text a user must read.
    """
    from rich.panel import Panel

    if plain:
        console.print()
        console.print(Group(*parts))
        console.print()
    else:
        console.print(Panel(Group(*parts), border_style=style, padding=padding))


def draw_header(console: Console, tree: Tree, lang: str, *, plain: bool = False) -> None:
    """The tree's title (and description), with the keys that work everywhere, in a panel."""
    parts: list[RenderableType] = [prose(lang, visible(tree.title.get(lang)), style="bold")]
    if tree.description is not None:
        parts.append(prose(lang, visible(tree.description.get(lang))))
    parts.append(prose(lang, word("quit_hint", lang), style="dim"))
    _frame(console, parts, "cyan", plain=plain, padding=(0, 1))


def draw_step(console: Console, session: Session, lang: str, longest: Callable[[str], int]) -> None:
    """Before a question: "step N of about M", the breadcrumb of answers so far, the question's help."""
    n, m = step_counter(session, longest)
    counter = word("step", lang, n=n, m=m)
    labels = [answer_labels(session.tree, s.question, s.answer, lang) for s in session.steps]
    width = console.width
    line = Text(counter, style="bold cyan")
    room = width - cell_len(counter) - 2
    crumbs = breadcrumb(labels, room)
    console.print()
    if labels and crumbs == _CRUMB.join(labels):  # all of it fits beside the counter
        line.append("  ")
        line.append(crumbs, style="dim")
        console.print(line, no_wrap=True, overflow="ellipsis")
    else:  # on a line of its own, cut from the left if it must be
        console.print(line, no_wrap=True, overflow="ellipsis")
        if labels:
            console.print(Text(breadcrumb(labels, width), style="dim"), no_wrap=True, overflow="ellipsis")
    help_text = session.question.help
    if help_text is not None:
        console.print(prose(lang, visible(help_text.get(lang)), style="italic"))


def echo_answer(console: Console, tree: Tree, question_id: str, answer: object, lang: str) -> None:
    """The question and the answer given, in place of the prompt that was erased.

    An answer too long for its line hangs under its own start, as a choice's title does; when
    the question leaves less than a third of the line (or 12 columns) beside it, the question
    wraps under itself and the answer starts on a line of its own, under the question.
    """
    question = visible(tree.question(question_id).prompt.get(lang))
    labels = answer_labels(tree, question_id, answer, lang)
    width = console.width
    head = cell_len(question) + 3  # "✔ ", the question and a space
    if head + cell_len(labels) <= width:  # all on one line
        asked, given, hang = [Text(question)], [Text(labels)], " "
    elif width - head >= max(12, width // 3):  # the answer's lines hang under its first
        asked, given, hang = [Text(question)], list(prose(lang, labels).wrap(console, width - head)), " " * head
    else:  # the question's lines, then the answer's, under the question
        room = max(width - 2, 1)
        asked, given = list(prose(lang, question).wrap(console, room)), list(prose(lang, labels).wrap(console, room))
        hang = "  "
    out = Text("✔ ", style="green")
    for number, part in enumerate(asked):
        out.append("\n  " if number else "")
        out.append(part.plain, style="bold")
    for number, part in enumerate(given):
        out.append(" " if number == 0 and hang != "  " else "\n" + hang)
        out.append(part.plain, style="cyan")
    console.print(out, no_wrap=True, overflow="ignore", crop=False)


# --- The plan ---------------------------------------------------------------------------------


def _list(items: list[str], marker: Callable[[int], str], lang: str, style: str = "", text_style: str = "") -> Table:
    """Items with a marker column, so wrapped lines hang under the text, not the marker."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(ratio=1, overflow="fold")
    for index, item in enumerate(items, 1):
        grid.add_row(Text(marker(index)), prose(lang, item, style=text_style))
    return grid


def _availability(found: Availability, lang: str, now: datetime) -> list[RenderableType]:
    lines = [visible(line) for line in describe(found, lang, yours=now.tzinfo)]  # names come from the tree
    styles = ["green" if found.open else "yellow"] + [""] * (len(lines) - 1)
    if found.busy is not None:  # the busy line comes last
        styles[-1] = "bold red"
    return [prose(lang, line, style=style) for line, style in zip(lines, styles, strict=True)]


def draw_outcome(console: Console, session: Session, lang: str, now: datetime, *, plain: bool = False) -> None:
    """The plan of a finished session in a panel coloured by its tone: title, channel, steps, checklist..."""
    from rich.padding import Padding

    outcome: Outcome = session.outcome
    content = display_content(session, lang)
    tone = _TONE.get(outcome.tone, "cyan")
    title = prose(lang, ("⚠ " if outcome.tone == "danger" else "") + content["title"], style=f"bold {tone}")
    parts: list[RenderableType] = [title]
    if outcome.level:
        parts.append(prose(lang, word("level", lang, level=outcome.level), style="dim"))
    parts += [Text(""), prose(lang, content["summary"])]

    def section(key: str, *body: RenderableType) -> None:
        parts.append(Text(""))
        parts.append(Text(word(key, lang), style=f"bold {tone}"))
        parts.extend(body)

    channel = prose(lang, word("channel", lang) + word("colon", lang), style=f"bold {tone}")
    channel.append(content["channel"], style="bold")
    parts += [Text(""), channel]
    found = for_outcome(session.tree, outcome, now)
    if found is not None:  # first: whether the channel can be reached right now decides what to do today
        section("now", *_availability(found, lang, now))
    if content["how"]:
        section("how", _list(content["how"], lambda n: f"{n}.", lang))
    if content["hours"]:
        section("hours", prose(lang, content["hours"]))
    if content["busy"]:
        section("busy", prose(lang, content["busy"]))
    if content["prepare"]:
        section("prepare", _list(content["prepare"], lambda n: "☐", lang))
    if content["say"]:
        section("say", Padding(prose(lang, content["say"], style="italic"), (0, 0, 0, 2)))
    if content["record"]:
        section("record", _list(content["record"], lambda n: "-", lang))
    if content["warning"]:
        section("warning", _list([content["warning"]], lambda n: "⚠", lang, "bold red", "bold red"))
    next_rung = session.tree.nodes.get(content["escalates_to"] or "")
    if content["if_fails"] or isinstance(next_rung, Outcome):
        body: list[RenderableType] = [prose(lang, content["if_fails"])] if content["if_fails"] else []
        if isinstance(next_rung, Outcome):
            rung = prose(lang, word("next_rung", lang) + word("colon", lang), style="bold")
            rung.append(visible(next_rung.title.get(lang)))
            body.append(rung)
        section("if_fails", *body)
    console.print()
    _frame(console, parts, tone, plain=plain, padding=(1, 2))


def draw_saved(console: Console, path: str, lang: str) -> None:
    """A line saying where the plan was saved."""
    line = Text(word("saved_to", lang), style="green")
    line.append(one_line(path))  # a line feed in the name must not split the line
    console.print(line)
