"""The wizard in plain text: numbered choices, answered by typing the number and Enter.

For screen readers, logs, dumb terminals and scripts: `--plain`, `TERM=dumb`, or `ACCESSIBLE=1`
(as GitHub CLI and huh honour it). Nothing moves the cursor or draws again; there are no boxes
and no colours, only lines of text in the order they happen. The walk, "check your answers" and
saving are the interactive wizard's own (`wizard.tui.interactive.run_wizard`), and the plan is
the scripted run's text (`wizard.render.plan.render_text`), so both give the same plan.

Input is read a line at a time from standard input: a terminal (its own line editing) or a
pipe. The end of the input cancels, as Ctrl-D does in a terminal. Tree text goes through
`wizard.render.text.visible`, as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import IO

from wizard.core.engine import Session
from wizard.core.model import Answer, Option, Tree
from wizard.render.plan import answer_labels, render_text
from wizard.render.text import cell_width, one_line, visible, wrap
from wizard.render.words import word
from wizard.tui.draw import step_counter
from wizard.tui.interactive import AGAIN, BACK, PLAN, Back, Reviewed

__all__ = ["PlainPrompter", "PlainScreen", "wants_plain"]


def wants_plain(environ: dict[str, str] | object, flag: bool) -> bool:
    """Whether the run asks in plain text: `--plain`, `TERM=dumb`, or `ACCESSIBLE` set (not to 0 or false)."""
    get = getattr(environ, "get", lambda key, default="": default)
    accessible = str(get("ACCESSIBLE", "")).strip().lower()
    return flag or get("TERM", "") == "dumb" or accessible not in ("", "0", "false", "no")


class _Lines:
    """Lines written to a stream, wrapped to a width when one is known, each flushed as it goes."""

    def __init__(self, out: IO[str], lang: str, width: int | None) -> None:
        self.out = out
        self.lang = lang
        self.width = width

    def put(self, text: str, first: str = "", rest: str | None = None) -> int:
        """`text` after `first`; its further lines (its own or wrapped ones) after `rest` (as wide as `first`)."""
        prefix, hanging = first, " " * cell_width(first) if rest is None else rest
        lines = []
        for paragraph in text.split("\n"):
            room = None if self.width is None else max(self.width - cell_width(prefix) - 1, 12)
            for line in wrap(paragraph, room, cjk=self.lang == "zh"):
                lines.append((prefix + line).rstrip(" "))
                prefix = hanging
        self.out.write("".join(f"{line}\n" for line in lines))
        self.out.flush()
        return len(lines)


class PlainScreen(_Lines):
    """What the wizard shows between questions, as plain lines (`wizard.tui.interactive.Screen`)."""

    def header(self, tree: Tree) -> None:
        self.put(visible(tree.title.get(self.lang)))
        if tree.description is not None:
            self.put(visible(tree.description.get(self.lang)))
        self.put(word("plain_hint", self.lang))

    def step(self, session: Session, longest: Callable[[str], int]) -> int:
        n, m = step_counter(session, longest)
        lines = self.put("") + self.put(word("step", self.lang, n=n, m=m))
        return lines

    def echo(self, tree: Tree, question_id: str, answer: Answer) -> int:
        return self.put(word("plain_answer", self.lang, a=answer_labels(tree, question_id, answer, self.lang)))

    def plan(self, session: Session, now: datetime) -> int:
        """The scripted run's plan text, wrapped as it wraps it, between blank lines."""
        text = render_text(session, self.lang, now, width=self.width)
        self.out.write(f"\n{text}\n")
        self.out.flush()
        return text.count("\n") + 2

    def line(self, text: str, tone: str = "") -> int:
        return self.put(text)

    def saved(self, key: str, path: str) -> int:
        return self.put(word(key, self.lang) + one_line(path))

    def erase(self, lines: int) -> None:
        """Nothing: a plain run never moves the cursor; what follows says where the run is."""


#: What separates the numbers of a tick-box answer: spaces, commas (ASCII, full-width, enumeration).
_SEPARATORS = re.compile(r"[\s,，、]+")


class PlainPrompter(_Lines):
    """Asks by printing numbered choices and reading a line (`wizard.tui.interactive.Asker`).

    Attributes:
        lang: The language.
        stdin: Where the answers are read, a line each.
        echoes: Whether what is typed shows by itself (a terminal); otherwise each line read
            is followed by a line break, so the next text starts on a line of its own.
    """

    def __init__(self, lang: str, stdin: IO[str], out: IO[str], width: int | None, echoes: bool) -> None:
        super().__init__(out, lang, width)
        self.stdin = stdin
        self.echoes = echoes

    def _read(self, prompt: str) -> str:
        """The line typed after `prompt`, stripped. The end of the input cancels the run (KeyboardInterrupt)."""
        text = prompt.rstrip(" ")  # wrapped as any line, the space after it kept for what is typed
        room = None if self.width is None else max(self.width - 1, 12)
        self.out.write("\n".join(wrap(text, room, cjk=self.lang == "zh")) + prompt[len(text) :])
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise KeyboardInterrupt
        if not self.echoes:
            self.out.write("\n")
        return line.strip()

    def _ask_line(self, how: str) -> str:
        return self._read(how + word("plain_colon", self.lang))

    def _choices(self, message: str, options: Sequence[str], back: bool) -> None:
        self.put(visible(message))
        for n, label in enumerate(options, 1):
            self.put(label, f"  {n}. ")
        if back:
            self.put(word("plain_back", self.lang), "  0. ")

    def _number(self, typed: str, high: int, back: bool) -> int | None:
        """The number typed, from 0 (with `back`) or 1 to `high`; None (and a line saying so) otherwise."""
        low = 0 if back else 1
        number = _int(typed)
        if number is None or not low <= number <= high:
            self.put(word("plain_bad_number", self.lang, low=low, high=high))
            return None
        return number

    def single(self, message: str, options: tuple[Option, ...], default: str | None, back: bool) -> str | Back:
        """A numbered list; the number of the answer, 0 to go back, Enter alone for `default`."""
        self._choices(message, [_label(o, self.lang) for o in options], back)
        ids = [o.id for o in options]
        keep = ids.index(default) + 1 if default in ids else None
        how = word("plain_pick", self.lang)
        if keep is not None:
            how += word("plain_keep", self.lang, n=keep)
        while True:
            typed = self._ask_line(how)
            if not typed and keep is not None:
                return ids[keep - 1]
            number = self._number(typed, len(ids), back)
            if number == 0:
                return BACK
            if number is not None:
                return ids[number - 1]

    def multiple(
        self, message: str, options: tuple[Option, ...], checked: frozenset[str], back: bool
    ) -> list[str] | Back:
        """A numbered list; the numbers to tick (spaces or commas between), 0 to go back, `-` for none,
        Enter alone to keep what is ticked (`checked`)."""
        ticked = [n for n, o in enumerate(options, 1) if o.id in checked]
        labels = [_label(o, self.lang) + (word("plain_ticked", self.lang) if o.id in checked else "") for o in options]
        self._choices(message, labels, back)
        how = word("plain_ticks", self.lang)
        kept = word("comma", self.lang).join(str(n) for n in ticked)
        how += word("plain_keep_ticks", self.lang, n=kept) if ticked else word("plain_keep_none", self.lang)
        while True:
            typed = self._ask_line(how)
            if not typed:
                return [options[n - 1].id for n in ticked]
            if typed == "-":
                return []
            numbers = [self._number(part, len(options), back) for part in _SEPARATORS.split(typed) if part]
            if None in numbers:
                continue
            if 0 in numbers:
                if numbers == [0]:
                    return BACK
                self.put(word("plain_bad_number", self.lang, low=1, high=len(options)))
                continue
            chosen = {n for n in numbers if n is not None}
            return [o.id for n, o in enumerate(options, 1) if n in chosen]

    def confirm(self, message: str, instruction: str, *, default: bool = False, back: bool = False) -> bool | Back:
        """y or n (Enter alone for `default`), or 0 to go back; `instruction` is for the keys of a terminal."""
        how = word("plain_yes_no_back" if back else "plain_yes_no", self.lang)
        while True:
            typed = self._read(f"{visible(message)} {how}{word('plain_colon', self.lang)}").lower()
            if not typed:
                return default
            if typed in _YES:
                return True
            if typed in _NO:
                return False
            if back and _int(typed) == 0:
                return BACK
            self.put(how)

    def text(self, message: str, default: str) -> str:
        """A line of text; Enter alone for `default`, `-` for none (nothing saved)."""
        how = word("plain_file", self.lang, name=visible(default))
        typed = self._read(f"{message.rstrip(':：')} {how}{word('plain_colon', self.lang)}")
        if typed == "-":
            return ""
        return typed or default

    def review(self, answers: Sequence[tuple[str, str]], back: bool) -> Reviewed:
        """ "Check your answers": the answers numbered to change one, then the plan and start again."""
        self.put("")
        self.put(word("review", self.lang))
        for n, (prompt, answer) in enumerate(answers, 1):
            self.put(f"{visible(prompt)} → {visible(answer)}", f"  {n}. ")
        plan, again = len(answers) + 1, len(answers) + 2
        self.put(word("review_plan", self.lang), f"  {plan}. ")
        self.put(word("review_again", self.lang), f"  {again}. ")
        if back:
            self.put(word("plain_back", self.lang), "  0. ")
        how = word("plain_pick", self.lang) + word("plain_keep", self.lang, n=plan)
        while True:
            typed = self._ask_line(how)
            number = plan if not typed else self._number(typed, again, back)
            if number is None:
                continue
            if number == 0:
                return BACK
            if number == plan:
                return PLAN
            if number == again:
                return AGAIN
            return number - 1


_YES = frozenset({"y", "yes", "是", "好", "要"})
_NO = frozenset({"n", "no", "否", "不", "不要"})


def _int(typed: str) -> int | None:
    """A number typed in ASCII or full-width digits; None for anything else."""
    try:
        return int(typed) if typed.strip().isdigit() else None
    except ValueError:
        return None


def _label(option: Option, lang: str) -> str:
    label = visible(option.label.get(lang))
    if option.help is not None:
        label = word("with_help", lang, label=label, help=visible(option.help.get(lang)))
    return label
