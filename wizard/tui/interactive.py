"""The interactive wizard: prompts over a `Session`, back everywhere, answers checked and changed, the plan, saving.

The loop is the same as a scripted run's: it asks the current question with the options
the session offers, pre-selects what `Session.remembered()` gives back, and passes what
was picked to `Session.answer` (the one place answers are checked). Going back is
`Session.back()`. Before the plan, "check your answers" lists every answer: changing one
walks the tree again with `wizard.core.engine.rewalk`, which keeps the answers that still
apply. Prompts take an injectable prompt_toolkit input and output, so tests type keys into
a pipe (`create_pipe_input`, `DummyOutput`). Tree text in a prompt (the question, the
choices) goes through `wizard.render.text.visible`, as everywhere else.

Two front ends share the loop: questionary's prompts and rich's panels (`Prompter`,
`RichScreen`), and numbered text read line by line (`wizard.tui.plain`: `--plain`,
TERM=dumb, ACCESSIBLE=1).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.utils import get_cwidth

from wizard.core.engine import Session, dropped, rewalk
from wizard.core.errors import AnswerError, Terminated
from wizard.core.model import Answer, MultipleChoice, Option, Tree, offered
from wizard.render.plan import answer_labels
from wizard.render.text import one_line, visible, wrap
from wizard.render.words import word
from wizard.source.environment import Environment
from wizard.tui.draw import draw_header, draw_outcome, draw_saved, draw_step, echo_answer, make_console, questions_left

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from questionary.prompts.common import InquirerControl
    from rich.console import Console

__all__ = [
    "AGAIN",
    "BACK",
    "PLAN",
    "AnswersOut",
    "Asker",
    "Back",
    "Prompter",
    "RichScreen",
    "Screen",
    "run_wizard",
    "walk",
]


class Back:
    """What a prompt returns when the user asks to go back (the Back choice or the ← key)."""

    def __repr__(self) -> str:
        return "BACK"


#: The one `Back` value.
BACK = Back()

#: What "check your answers" returns besides the index of an answer to change (or BACK).
PLAN: Literal["plan"] = "plan"
AGAIN: Literal["again"] = "again"
Reviewed = int | Literal["plan", "again"] | Back

#: Keys that go back on a select or a checkbox (neither uses them); a yes/no prompt takes only ←.
BACK_KEYS = (Keys.Left, Keys.Backspace)


class Asker(Protocol):
    """How the wizard asks: questionary's prompts (`Prompter`) or numbered lines (`wizard.tui.plain`)."""

    lang: str

    def single(self, message: str, options: tuple[Option, ...], default: str | None, back: bool) -> str | Back: ...

    def multiple(
        self, message: str, options: tuple[Option, ...], checked: frozenset[str], back: bool
    ) -> list[str] | Back: ...

    def confirm(self, message: str, instruction: str, *, default: bool = False, back: bool = False) -> bool | Back: ...

    def text(self, message: str, default: str) -> str: ...

    def review(self, answers: Sequence[tuple[str, str]], back: bool) -> Reviewed: ...


class Prompter:
    """Asks with questionary, one prompt at a time; the only place that touches prompt_toolkit.

    Ctrl-C and Ctrl-D on any prompt raise KeyboardInterrupt (the command line turns it
    into "cancelled" and exit status 130). Every prompt is erased once answered (the wizard
    echoes the answer in the user's language): questionary's own English ("Yes", "done (2
    selections)") is never drawn, as its own key hints ("(Use arrow keys)") are not.

    Attributes:
        lang: The language of the key instructions.
        input: prompt_toolkit input (None: the terminal).
        output: prompt_toolkit output (None: the terminal).
    """

    def __init__(self, lang: str, input: Input | None = None, output: Output | None = None) -> None:
        self.lang = lang
        self.input = input
        self.output = output

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"erase_when_done": True}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        return kwargs

    def _ask(
        self,
        question: questionary.Question,
        back_keys: tuple[str, ...] = (),
        more: Callable[[KeyBindings, Application[Any]], None] | None = None,
    ) -> Any:
        """Ask `question`; `more` adds key bindings of the wizard's own, which win over questionary's."""
        extra = KeyBindings()

        @extra.add(Keys.ControlD, eager=True)
        def _cancel(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        for key in back_keys:

            @extra.add(key, eager=True)
            def _back(event: Any) -> None:
                event.app.exit(result=BACK)

        app = question.application
        if more is not None:
            more(extra, app)
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
        app.pre_run_callables.append(lambda: _stop_on_signals(app))
        before = {number: signal.getsignal(number) for number in _STOPPING}
        try:
            return question.unsafe_ask()
        except EOFError:  # the input closed: the same as Ctrl-D
            raise KeyboardInterrupt from None
        finally:  # the event loop's handlers are gone with it: the command line's come back
            for number, handler in before.items():
                if handler is not None:
                    signal.signal(number, handler)

    def _columns(self) -> int:
        """The width of the terminal the prompts are drawn on."""
        if self.output is not None:
            return self.output.get_size().columns
        from prompt_toolkit.application.current import get_app_session

        return get_app_session().output.get_size().columns

    def _message(self, message: str) -> str:
        """The question as drawn after questionary's "? ": broken into lines that fit the terminal,
        each under the first (prompt_toolkit cuts a prompt line at the terminal's edge)."""
        room = max(self._columns() - len(QMARK) - 1, 12)  # a column spare, as for the choices
        return ("\n" + " " * len(QMARK)).join(wrap(visible(message), room, cjk=self.lang == "zh"))

    def _instruction(self, message: str, key: str, back: bool) -> str:
        """The key instruction after `message`, on a line of its own when both would not fit on one."""
        return self._after(message, word(f"{key}_back" if back else key, self.lang))

    def _after(self, message: str, instruction: str) -> str:
        """`instruction` after the drawn `message`, or on lines of its own when it would not fit there."""
        columns = self._columns()
        if fits_on_the_prompt_line(message, instruction, columns):
            return instruction
        return "\n" + "\n".join(wrap(instruction, max(columns - 1, 12), cjk=self.lang == "zh"))

    def single(self, message: str, options: tuple[Option, ...], default: str | None, back: bool) -> str | Back:
        """A select with number shortcuts; with `back`, a Back choice and the ← key.

        Returns:
            The id of the option picked, or BACK.
        """
        columns = self._columns()
        shortcuts = len(options) + back <= 36  # questionary has 36 shortcut keys
        indent = SELECT_INDENT if shortcuts else SELECT_INDENT - 3
        choices: list[Any] = [questionary.Choice(_title(o, self.lang, columns, indent), value=o.id) for o in options]
        result: str | Back = self._select(
            message, choices, default if default in {o.id for o in options} else None, back
        )
        return result

    def _select(self, message: str, choices: list[Any], default: Any, back: bool, key: str = "select_keys") -> Any:
        """questionary's select of `choices`, with the Back choice (0) and the ← key when `back`."""
        message = self._message(message)
        if back:
            back_choice = questionary.Choice(word("back", self.lang), BACK, shortcut_key="0")
            choices = [*choices, questionary.Separator(), back_choice]
        real = sum(not isinstance(choice, questionary.Separator) for choice in choices)
        question = questionary.select(
            message,
            choices=choices,
            default=default,
            use_shortcuts=real <= 36,  # questionary has 36 shortcut keys
            use_jk_keys=False,  # j and k may be shortcuts; arrows and Ctrl-N/P move
            instruction=self._instruction(message, key, back),
            **self._kwargs(),
        )
        return self._ask(question, BACK_KEYS if back else ())

    def multiple(
        self, message: str, options: tuple[Option, ...], checked: frozenset[str], back: bool
    ) -> list[str] | Back:
        """A checkbox with `checked` ticked; the number keys tick the first nine; with `back`, the ← key.

        Returns:
            The ids ticked, or BACK.
        """
        message = self._message(message)
        columns = self._columns()
        numbered = min(len(options), len(TICK_KEYS))
        choices = [
            questionary.Choice(
                _number(n, numbered) + _title(o, self.lang, columns, CHECKBOX_INDENT + 3 * bool(numbered)),
                value=o.id,
                checked=o.id in checked,
            )
            for n, o in enumerate(options, 1)
        ]
        question = questionary.checkbox(
            message,
            choices=choices,
            use_jk_keys=False,
            instruction=self._instruction(message, "checkbox_keys", back),
            **self._kwargs(),
        )
        result: list[str] | Back = self._ask(question, BACK_KEYS if back else (), _tick_keys(numbered))
        return result

    def confirm(self, message: str, instruction: str, *, default: bool = False, back: bool = False) -> bool | Back:
        """A yes/no question (y, n, Enter for `default`); with `back`, the ← key."""
        message = self._message(message)
        instruction = self._after(message, instruction)
        question = questionary.confirm(message, default=default, instruction=instruction, **self._kwargs())

        def keys(bindings: KeyBindings, app: Application[Any]) -> None:
            # questionary's keys draw its English "Yes"/"No" after the question before it is erased.
            for key, value in (("y", True), ("Y", True), ("n", False), ("N", False), (Keys.ControlM, default)):
                bindings.add(key, eager=True)(lambda event, value=value: event.app.exit(result=value))

        result: bool | Back = self._ask(question, (Keys.Left,) if back else (), keys)
        return result

    def text(self, message: str, default: str) -> str:
        """A line of text, `default` filled in (a file name: Enter saves, an empty line does not)."""
        message = self._message(message)
        instruction = self._after(message, word("file_keys", self.lang))
        question = questionary.text(message, default=default, instruction=instruction, **self._kwargs())
        result: str = self._ask(question)
        return result

    def review(self, answers: Sequence[tuple[str, str]], back: bool) -> Reviewed:
        """ "Check your answers": each question and its answer, to pick and change; the plan; start again.

        Returns:
            The index of the answer to change, PLAN, AGAIN, or BACK.
        """
        columns = self._columns()
        room = max(columns - SELECT_INDENT - 1, 12)
        cjk = self.lang == "zh"
        hang = "\n" + " " * SELECT_INDENT

        def title(prompt: str, answer: str) -> str:
            """The question, and under it "→ " and the answer, each wrapped under itself."""
            given = wrap(visible(answer), room - 2, cjk=cjk)
            lines = [*wrap(visible(prompt), room, cjk=cjk), f"→ {given[0]}", *(f"  {line}" for line in given[1:])]
            return hang.join(lines)

        choices: list[Any] = [questionary.Choice(title(p, a), value=n) for n, (p, a) in enumerate(answers)]
        choices += [
            questionary.Separator(),
            questionary.Choice(word("review_plan", self.lang), value=PLAN),
            questionary.Choice(word("review_again", self.lang), value=AGAIN),
        ]
        result: Reviewed = self._select(word("review", self.lang), choices, PLAN, back)
        return result


#: What questionary draws before a question: its mark and a space.
QMARK = "? "

#: The keys that tick the first options of a checkbox (questionary's `a` ticks all, `i` inverts).
TICK_KEYS = "123456789"


def _number(n: int, numbered: int) -> str:
    """The number drawn before a checkbox's option: "3) ", or as many spaces past the numbered ones."""
    if not numbered:
        return ""
    return f"{n}) " if n <= numbered else "   "


def _tick_keys(numbered: int) -> Callable[[KeyBindings, Application[Any]], None]:
    """Key bindings for a checkbox: a number ticks or unticks that option and points at it; Enter
    returns the ticks without questionary's "done (2 selections)", which would be drawn first."""

    def add(bindings: KeyBindings, app: Application[Any]) -> None:
        control = _inquirer(app)

        def tick(index: int) -> None:
            value = control.choices[index].value
            control.pointed_at = index
            if value in control.selected_options:
                control.selected_options.remove(value)
            else:
                control.selected_options.append(value)

        for index, key in enumerate(TICK_KEYS[:numbered]):
            bindings.add(key, eager=True)(lambda event, index=index: tick(index))

        @bindings.add(Keys.ControlM, eager=True)
        def _done(event: Any) -> None:
            event.app.exit(result=[choice.value for choice in control.get_selected_values()])

    return add


def _inquirer(app: Application[Any]) -> InquirerControl:
    """The control that holds a questionary select's or checkbox's choices, in its layout."""
    from questionary.prompts.common import InquirerControl

    for window in app.layout.find_all_windows():
        if isinstance(window.content, InquirerControl):
            return window.content
    raise LookupError("no choices in this prompt")  # pragma: no cover - questionary's layout changed


#: The signals that stop a run, as Ctrl-C does (`wizard.cli.main` turns them into exit statuses).
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _stop_on_signals(app: Any) -> None:
    """While a prompt is up, SIGTERM and SIGHUP end it as Ctrl-C does, by `app.exit`: prompt_toolkit
    then restores the terminal (cursor shown, bracketed paste off, raw mode off) before `Terminated`
    reaches the command line. An exception raised from a plain signal handler would skip that."""

    def stop(number: int) -> None:
        with contextlib.suppress(Exception):  # already exiting (a key pressed at the same moment)
            app.exit(exception=Terminated(number), style="class:aborting")

    loop = asyncio.get_running_loop()
    for number in _STOPPING:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows)
            loop.add_signal_handler(number, stop, number)


def fits_on_the_prompt_line(message: str, instruction: str, columns: int) -> bool:
    """Whether questionary's "? MESSAGE INSTRUCTION" leaves a column free on its last line.

    prompt_toolkit keeps the cell after the prompt for the (hidden) cursor of the prompt's
    input line: a prompt exactly as wide as the terminal pushes that cell onto a line of its
    own, and the question shows with a blank line under it (你和商家协商过了吗？ and its
    instruction are exactly 60 columns). A longer one wraps in the middle of the instruction.
    """
    last = f"{QMARK}{message} {instruction}".split("\n")[-1]
    return get_cwidth(last) < columns


#: Columns before a choice's title: " » " and "1) " in a select with number shortcuts, " » " and "○ "
#: in a checkbox (questionary's InquirerControl), then the wizard's own "1) ". Continuation lines of a
#: long title are indented as much.
SELECT_INDENT = 6
CHECKBOX_INDENT = 5


def _title(option: Option, lang: str, columns: int | None = None, indent: int = 0) -> str:
    """A choice's title: the label, and the option's help after it (plain text: prompt_toolkit parses no markup).

    A plain string (not formatted text) keeps questionary's number shortcut and highlight.
    With `columns` (the terminal's width) and `indent` (the columns of the pointer and
    shortcut before the title), a title that would not fit is broken into lines indented
    under its first, Chinese by its punctuation rules: prompt_toolkit would otherwise cut
    it at the terminal's edge.
    """
    label = visible(option.label.get(lang))
    if option.help is not None:
        help_text = visible(option.help.get(lang))
        label = word("with_help", lang, label=label, help=help_text)
    if columns is None:
        return label
    room = max(columns - indent - 1, 12)  # a column spare: a line exactly as wide as the terminal wraps
    return ("\n" + " " * indent).join(wrap(label, room))


# --- What is drawn --------------------------------------------------------------------------------


class Screen(Protocol):
    """What the wizard draws between prompts; each method returns the lines it printed.

    `RichScreen` draws panels and erases what no longer holds; `wizard.tui.plain.PlainScreen`
    prints plain lines and never moves the cursor.
    """

    def header(self, tree: Tree) -> None: ...

    def step(self, session: Session, longest: Callable[[str], int]) -> int: ...

    def echo(self, tree: Tree, question_id: str, answer: Answer) -> int: ...

    def plan(self, session: Session, now: datetime) -> int: ...

    def line(self, text: str, tone: str = "") -> int: ...

    def saved(self, key: str, path: str) -> int: ...

    def erase(self, lines: int) -> None: ...


class RichScreen:
    """The wizard drawn with rich: a header panel, step lines, answers echoed, the plan's panel.

    Going back erases the lines drawn since (cursor up, erase line), but only lines still in the
    window and drawn after the last that may not be erased: a plan taller than the window would
    otherwise be erased only in part, its top left in the scrollback cut mid-line. Then nothing
    is erased, and a line says that what is above no longer holds.
    """

    def __init__(self, console: Console, lang: str) -> None:
        self.console = console
        self.lang = lang
        self._erasable = 0  # lines drawn since the last that may not be erased

    def _counted(self, draw: Callable[..., None], *args: Any) -> int:
        """Run `draw(*args)`, which prints on the console; the number of terminal lines it printed.

        What `draw` prints is captured, then written as rendered: rich ends every line it
        wraps or prints with a line feed, so the line feeds are the lines.
        """
        console = self.console
        with console.capture() as capture:
            draw(*args)
        printed = capture.get()
        console.file.write(printed)
        console.file.flush()
        lines = printed.count("\n")
        self._erasable += lines
        return lines

    def header(self, tree: Tree) -> None:
        draw_header(self.console, tree, self.lang)
        self._erasable = 0

    def step(self, session: Session, longest: Callable[[str], int]) -> int:
        return self._counted(draw_step, self.console, session, self.lang, longest)

    def echo(self, tree: Tree, question_id: str, answer: Answer) -> int:
        return self._counted(echo_answer, self.console, tree, question_id, answer, self.lang)

    def plan(self, session: Session, now: datetime) -> int:
        lines = self._counted(draw_outcome, self.console, session, self.lang, now)
        return lines + self._counted(self.console.print)  # a blank line before the next prompt

    def line(self, text: str, tone: str = "") -> int:
        from rich.text import Text

        from wizard.tui.draw import prose

        style = {"warn": "yellow", "error": "red", "note": "dim"}.get(tone, "")
        shown = Text(text, style) if tone == "error" else prose(self.lang, text, style=style)  # a message: as it is
        return self._counted(self.console.print, shown)

    def saved(self, key: str, path: str) -> int:
        if key == "saved_to":
            return self._counted(draw_saved, self.console, path, self.lang)
        from rich.text import Text

        line = Text(word(key, self.lang), style="green")
        line.append(one_line(path))
        return self._counted(self.console.print, line)

    def erase(self, lines: int) -> None:
        """Erase the `lines` lines above the cursor, on a terminal that can (as rich's `Live` redraws)."""
        console = self.console
        if lines <= 0 or not console.is_terminal or console.is_dumb_terminal:
            return
        if lines > self._erasable or lines >= console.height:
            from rich.rule import Rule
            from rich.text import Text

            console.print(Rule(Text(word("stale", self.lang), style="dim"), style="dim", align="left"))
            self._erasable = 0
            return
        from rich.control import Control
        from rich.segment import ControlType

        console.control(Control(*(((ControlType.CURSOR_UP, 1), (ControlType.ERASE_IN_LINE, 2)) * lines)))
        self._erasable -= lines


# --- The walk ---------------------------------------------------------------------------------


def _asked(session: Session) -> bool:
    """Whether the current question needs asking: a multiple choice with nothing offered is answered empty."""
    return not (isinstance(session.question, MultipleChoice) and not session.options())


def go_back(session: Session) -> None:
    """Back to the previous question that was really asked (skipping ones answered empty on their own)."""
    session.back()
    while session.steps and not session.done and not _asked(session):
        session.back()


def _ask_current(session: Session, prompter: Asker, lang: str, back: bool) -> Any:
    """Ask the session's question with the options offered, the remembered answer (or the default) pre-selected."""
    question = session.question
    options = session.options()
    remembered = session.remembered()
    message = question.prompt.get(lang)
    if isinstance(question, MultipleChoice):
        if remembered is None:
            ticked = frozenset(question.default or ())
        else:
            ticked = remembered if isinstance(remembered, frozenset) else frozenset()
        return prompter.multiple(message, options, ticked, back)
    first = remembered if isinstance(remembered, str) else question.default
    return prompter.single(message, options, first, back)


def walk(
    session: Session,
    prompter: Asker,
    screen: Screen,
    lang: str,
    drawn: list[int] | None = None,
    *,
    pending: dict[str, Answer] | None = None,
    floor: int | None = None,
) -> Session | None:
    """Ask the session's questions until it reaches an outcome; ← or Back goes to the previous question.

    Args:
        drawn: The lines drawn for each question answered so far, its step and its answer (kept
            across walks by `run_wizard`, which goes back from "check your answers"); added to as
            questions are answered, taken from as the walk goes back and erases them.
        pending: Answers to keep where the path reaches their questions (changing an answer):
            after each answer the tree is walked again with them (`rewalk`), so only the questions
            they do not answer are asked.
        floor: With `pending`, the number of steps before the changed question: Back there
            cancels the change.

    Returns:
        The finished session (a new one when `pending` re-walked it), or None when Back
        cancelled a change.

    Raises:
        KeyboardInterrupt: Ctrl-C or Ctrl-D.
        AnswerError: A single choice with no option offered (a broken tree).
    """
    longest = questions_left(session.tree)
    drawn = [] if drawn is None else drawn
    while not session.done:
        question = session.question
        if not _asked(session):
            session.answer([])
            continue
        if not session.options():
            raise AnswerError(question.id, "no option is offered on this path")
        shown = screen.step(session, longest)
        at_floor = floor is not None and len(session.steps) == floor
        picked = _ask_current(session, prompter, lang, bool(session.steps) or at_floor)
        if isinstance(picked, Back):
            if at_floor:
                screen.erase(shown)
                return None
            go_back(session)
            # The question gone back to is drawn again where it stood: its step, the answer it had
            # and this question's step are erased, so no answer that no longer holds stays on screen.
            screen.erase(shown + (drawn.pop() if drawn else 0))
            continue
        revisit = any(step.question == question.id for step in session.steps)
        answer: Answer = session.answer(picked)
        drawn.append(shown + screen.echo(session.tree, question.id, answer))
        if pending is None or revisit:  # round a cycle, an earlier answer would be taken again: ask on
            pending = None
            continue
        pending[question.id] = answer
        session = rewalk(session.tree, pending, session.memory())
        for step in session.steps[len(drawn) :]:  # the answers kept: shown as answered
            drawn.append(screen.echo(session.tree, step.question, step.answer))
    return session


# --- Check your answers ---------------------------------------------------------------------------


def _reviewed(session: Session) -> list[int]:
    """The steps "check your answers" lists: the questions really asked (a multiple choice with
    nothing offered is answered empty on its own)."""
    listed = []
    for index, step in enumerate(session.steps):
        before = {s.question: s.answer for s in session.steps[:index]}
        question = session.tree.question(step.question)
        if not (isinstance(question, MultipleChoice) and not offered(question, before)):
            listed.append(index)
    return listed


def check_answers(session: Session, prompter: Asker, screen: Screen, lang: str, drawn: list[int]) -> Session | None:
    """ "Check your answers" until the user takes the plan: change an answer, start again, or go back.

    Returns:
        The session to plan (changed, or started again and walked), or None when the user went
        back to the last question (`session` is then there).
    """
    while True:
        listed = _reviewed(session)
        if not listed:  # an outcome reached without a question: nothing to check
            return session
        tree = session.tree
        answers = [
            (tree.question(session.steps[i].question).prompt.get(lang), _labels(session, i, lang)) for i in listed
        ]
        picked = prompter.review(answers, back=True)
        if picked == PLAN:
            return session
        if isinstance(picked, Back):
            go_back(session)
            screen.erase(drawn.pop() if drawn else 0)
            return None
        if picked == AGAIN:
            screen.erase(sum(drawn))
            drawn.clear()
            session = Session(tree)
            walked = walk(session, prompter, screen, lang, drawn)
        else:
            walked = _change(session, listed[picked], prompter, screen, lang, drawn)
        session = walked if walked is not None else session


def _labels(session: Session, index: int, lang: str) -> str:
    step = session.steps[index]
    return answer_labels(session.tree, step.question, step.answer, lang)


def _change(session: Session, index: int, prompter: Asker, screen: Screen, lang: str, drawn: list[int]) -> Session:
    """Ask the answer of step `index` again; then ask only what the new path needs (`rewalk`).

    Back at that question leaves every answer as it was.
    """
    tree = session.tree
    before = session.answers
    screen.erase(sum(drawn[index:]))
    del drawn[index:]
    start = rewalk(tree, {step.question: step.answer for step in session.steps[:index]}, session.memory())
    changed = walk(start, prompter, screen, lang, drawn, pending=dict(before), floor=index)
    if changed is None:  # cancelled: the answers as they were, shown as answered
        for step in session.steps[len(drawn) :]:
            drawn.append(screen.echo(tree, step.question, step.answer))
        return session
    gone = dropped(before, changed)
    if gone and drawn:
        names = word("comma", lang).join(visible(tree.question(q).prompt.get(lang)) for q in gone)
        drawn[-1] += screen.line(word("dropped", lang, questions=names), "note")
    return changed


# --- The whole run ------------------------------------------------------------------------------


class AnswersOut:
    """Where `--save-answers` writes the answers each time the plan is shown, and what names them.

    Attributes:
        path: The file, as given.
        replay: The command that walks the same path again, for the plan to name.
        inputs: Files the run read (the tree): never written over.
        force: Replace an existing file without asking.
    """

    def __init__(self, path: str, replay: str, inputs: Iterable[str] = (), force: bool = False) -> None:
        self.path = path
        self.replay = replay
        self.inputs = tuple(inputs)
        self.force = force
        self.written = False

    def write(self, session: Session, lang: str, prompter: Asker, screen: Screen) -> int:
        """Write the answers (asking before replacing a file this run did not write); the lines drawn."""
        from wizard.source.answers import answers_text
        from wizard.source.save import SaveError, write_file

        overwrite = self.force or self.written
        if not overwrite and os.path.exists(self.path) and not os.path.isdir(self.path):
            question = word("overwrite", lang, path=visible(self.path))
            if prompter.confirm(question, word("overwrite_keys", lang)) is not True:
                return screen.line(word("answers_not_saved", lang), "warn")
            overwrite = True
        comment = word("answers_comment", lang, command=one_line(self.replay))
        try:
            write_file(self.path, answers_text(session, comment), overwrite=overwrite, inputs=self.inputs)
        except SaveError as exc:
            return screen.line(str(exc), "error")
        self.written = True
        return screen.saved("answers_saved_to", self.path)


def run_wizard(
    tree: Tree,
    lang: str,
    env: Environment,
    *,
    save: str | None = None,
    force: bool = False,
    answers_out: AnswersOut | None = None,
    console: Console | None = None,
    prompter: Asker | None = None,
    screen: Screen | None = None,
) -> Session:
    """The whole interactive run: header, questions, "check your answers", the plan, then saving it.

    Args:
        tree: The tree.
        lang: The language.
        env: The outside world: stdout, environment variables, the clock (`--now`).
        save: Save the plan to this path without asking (`--save`); None offers to save.
        force: Overwrite an existing `save` file without asking.
        answers_out: Save the answers there too (`--save-answers`), named in the saved plan.
        console: Where to draw (default: a console on `env.stdout`).
        prompter: How to ask (default: questionary on the terminal).
        screen: What draws (default: rich on `console`).

    Returns:
        The finished session.

    Raises:
        KeyboardInterrupt: Ctrl-C or Ctrl-D at any prompt; nothing more is saved.
    """
    screen = screen or RichScreen(console or make_console(env), lang)
    prompter = prompter or Prompter(lang)
    screen.header(tree)
    session = Session(tree)
    drawn: list[int] = []
    while True:
        walked = walk(session, prompter, screen, lang, drawn)
        assert walked is not None  # only a change (a floor) is cancelled by Back
        checked = check_answers(walked, prompter, screen, lang, drawn)
        if checked is None:  # back to the last question
            session = walked
            continue
        session = checked
        now = env.clock()
        plan = screen.plan(session, now)
        if answers_out is not None:
            plan += answers_out.write(session, lang, prompter, screen)
        named = answers_out if answers_out is not None and answers_out.written else None
        if save is not None:
            _save_given(session, lang, now, Path(save), force, prompter, screen, named)
            return session
        if not _offer_save(session, lang, now, prompter, screen, named):
            return session
        # Back to "check your answers": the plan is erased (or, taller than the window, marked as no longer current).
        screen.erase(plan)


def _write(
    session: Session, lang: str, now: datetime, path: str | Path, overwrite: bool, named: AnswersOut | None
) -> None:
    from wizard.render.markdown import render_markdown
    from wizard.source.save import save_text

    if named is None:
        text = render_markdown(session, lang, now)
    else:
        text = render_markdown(session, lang, now, answers_file=named.path, replay=named.replay)
    save_text(path, text, overwrite=overwrite)


def _save_given(
    session: Session,
    lang: str,
    now: datetime,
    path: Path,
    force: bool,
    prompter: Asker,
    screen: Screen,
    named: AnswersOut | None,
) -> None:
    """`--save PATH`: save without asking, unless the file exists (then ask, unless `--force`)."""
    overwrite = force
    if path.exists() and not force and not path.is_dir():
        answer = prompter.confirm(word("overwrite", lang, path=visible(str(path))), word("overwrite_keys", lang))
        if answer is not True:
            screen.line(word("not_saved", lang), "warn")
            return
        overwrite = True
    _write(session, lang, now, path, overwrite, named)
    screen.saved("saved_to", str(path))


def _offer_save(
    session: Session, lang: str, now: datetime, prompter: Asker, screen: Screen, named: AnswersOut | None
) -> bool:
    """Ask whether to save and where; never overwrite without a yes.

    The file name asked again (after an error, or a no to "overwrite?") starts as typed.

    Returns:
        True when the user pressed ← to go back and change an answer.
    """
    from zoneinfo import ZoneInfo

    from wizard.core.hours import SERVICE_TIMEZONE
    from wizard.source.save import SaveError, suggested_name

    wanted = prompter.confirm(word("save", lang), word("save_keys", lang), back=True)
    if isinstance(wanted, Back):
        return True
    if not wanted:
        return False
    # An outcome id is tree text too: no control character goes into a file name or onto the screen.
    suggestion = suggested_name(visible(session.outcome.id), now.astimezone(ZoneInfo(SERVICE_TIMEZONE)))
    typed = suggestion
    while True:
        typed = prompter.text(word("file", lang), typed)
        name = typed.strip()
        if not name:
            screen.line(word("not_saved", lang), "warn")
            return False
        # Kept as typed: `Path` would drop a trailing '/', and `new/` then name a file `new`.
        path: str | Path = os.path.expanduser(name)
        if os.path.isdir(path):
            path = Path(path) / suggestion
        overwrite = False
        if os.path.exists(path):
            overwrite_question = word("overwrite", lang, path=visible(str(path)))
            if prompter.confirm(overwrite_question, word("overwrite_keys", lang)) is not True:
                continue
            overwrite = True
        try:
            _write(session, lang, now, path, overwrite, named)
        except SaveError as exc:
            screen.line(str(exc), "error")
            continue
        screen.saved("saved_to", str(path))
        return False
