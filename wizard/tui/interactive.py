"""The interactive wizard: questionary prompts over a `Session`, back on every prompt, the plan drawn, saving.

The loop is the same as a scripted run's: it asks the current question with the options
the session offers, pre-selects what `Session.remembered()` gives back, and passes what
was picked to `Session.answer` (the one place answers are checked). Going back is
`Session.back()`. Prompts take an injectable prompt_toolkit input and output, so tests
type keys into a pipe (`create_pipe_input`, `DummyOutput`). Tree text in a prompt (the
question, the choices) goes through `wizard.render.text.visible`, as everywhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.utils import get_cwidth

from wizard.core.engine import Session
from wizard.core.errors import AnswerError, Terminated
from wizard.core.model import Answer, MultipleChoice, Option, Tree
from wizard.render.text import visible, wrap
from wizard.render.words import word
from wizard.source.environment import Environment
from wizard.tui.draw import draw_header, draw_outcome, draw_saved, draw_step, echo_answer, make_console, questions_left

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console

__all__ = ["BACK", "Back", "Prompter", "run_wizard", "walk"]


class Back:
    """What a prompt returns when the user asks to go back (the Back choice or the ← key)."""

    def __repr__(self) -> str:
        return "BACK"


#: The one `Back` value.
BACK = Back()

#: Keys that go back on a select or a checkbox (neither uses them); a yes/no prompt takes only ←.
BACK_KEYS = (Keys.Left, Keys.Backspace)


class Prompter:
    """Asks with questionary, one prompt at a time; the only place that touches prompt_toolkit.

    Ctrl-C and Ctrl-D on any prompt raise KeyboardInterrupt (the command line turns it
    into "cancelled" and exit status 130).

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
        # The prompt is erased once answered: the wizard echoes the answer in the user's language.
        kwargs: dict[str, Any] = {"erase_when_done": True}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        return kwargs

    def _ask(self, question: questionary.Question, back_keys: tuple[str, ...] = ()) -> Any:
        extra = KeyBindings()

        @extra.add(Keys.ControlD, eager=True)
        def _cancel(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        for key in back_keys:

            @extra.add(key, eager=True)
            def _back(event: Any) -> None:
                event.app.exit(result=BACK)

        app = question.application
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
        message = self._message(message)
        shortcuts = len(options) + back <= 36  # questionary has 36 shortcut keys
        indent = SELECT_INDENT if shortcuts else SELECT_INDENT - 3
        columns = self._columns()
        choices: list[Any] = [questionary.Choice(_title(o, self.lang, columns, indent), value=o.id) for o in options]
        if back:
            choices += [
                questionary.Separator(),
                questionary.Choice(word("back", self.lang), value=BACK, shortcut_key="0"),
            ]
        question = questionary.select(
            message,
            choices=choices,
            default=default if default in {o.id for o in options} else None,
            use_shortcuts=shortcuts,
            use_jk_keys=False,  # j and k may be shortcuts; arrows and Ctrl-N/P move
            instruction=self._instruction(message, "select_keys", back),
            **self._kwargs(),
        )
        result: str | Back = self._ask(question, BACK_KEYS if back else ())
        return result

    def multiple(
        self, message: str, options: tuple[Option, ...], checked: frozenset[str], back: bool
    ) -> list[str] | Back:
        """A checkbox with `checked` ticked; with `back`, the ← key.

        Returns:
            The ids ticked, or BACK.
        """
        message = self._message(message)
        columns = self._columns()
        choices = [
            questionary.Choice(_title(o, self.lang, columns, CHECKBOX_INDENT), value=o.id, checked=o.id in checked)
            for o in options
        ]
        question = questionary.checkbox(
            message,
            choices=choices,
            use_jk_keys=False,
            instruction=self._instruction(message, "checkbox_keys", back),
            **self._kwargs(),
        )
        result: list[str] | Back = self._ask(question, BACK_KEYS if back else ())
        return result

    def confirm(self, message: str, instruction: str, *, default: bool = False, back: bool = False) -> bool | Back:
        """A yes/no question; with `back`, the ← key."""
        message = self._message(message)
        instruction = self._after(message, instruction)
        question = questionary.confirm(message, default=default, instruction=instruction, **self._kwargs())
        result: bool | Back = self._ask(question, (Keys.Left,) if back else ())
        return result

    def text(self, message: str, default: str) -> str:
        """A line of text, `default` filled in."""
        kwargs = self._kwargs()
        kwargs["erase_when_done"] = False
        result: str = self._ask(questionary.text(self._message(message), default=default, **kwargs))
        return result


#: What questionary draws before a question: its mark and a space.
QMARK = "? "


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
#: in a checkbox (questionary's InquirerControl). Continuation lines of a long title are indented as much.
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


# --- The walk ---------------------------------------------------------------------------------


def _asked(session: Session) -> bool:
    """Whether the current question needs asking: a multiple choice with nothing offered is answered empty."""
    return not (isinstance(session.question, MultipleChoice) and not session.options())


def go_back(session: Session) -> None:
    """Back to the previous question that was really asked (skipping ones answered empty on their own)."""
    session.back()
    while session.steps and not session.done and not _asked(session):
        session.back()


def walk(session: Session, prompter: Prompter, console: Console, lang: str, drawn: list[int] | None = None) -> Session:
    """Ask the session's questions until it reaches an outcome; ← or Back goes to the previous question.

    Args:
        drawn: The lines drawn for each question answered so far, its step and its answer (kept
            across walks by `run_wizard`, which goes back from the plan); added to as questions
            are answered, taken from as the walk goes back and erases them.

    Raises:
        KeyboardInterrupt: Ctrl-C or Ctrl-D.
        AnswerError: A single choice with no option offered (a broken tree).
    """
    longest = questions_left(session.tree)
    drawn = [] if drawn is None else drawn
    while not session.done:
        question = session.question
        options = session.options()
        if not _asked(session):
            session.answer([])
            continue
        if not options:
            raise AnswerError(question.id, "no option is offered on this path")
        shown = _counted(console, draw_step, console, session, lang, longest)
        remembered = session.remembered()
        back = bool(session.steps)
        message = question.prompt.get(lang)
        picked: Any
        if isinstance(question, MultipleChoice):
            if remembered is None:
                ticked = frozenset(question.default or ())
            else:
                ticked = remembered if isinstance(remembered, frozenset) else frozenset()
            picked = prompter.multiple(message, options, ticked, back)
        else:
            first = remembered if isinstance(remembered, str) else question.default
            picked = prompter.single(message, options, first, back)
        if isinstance(picked, Back):
            go_back(session)
            # The question gone back to is drawn again where it stood: its step, the answer it had
            # and this question's step are erased, so no answer that no longer holds stays on screen.
            _erase(console, shown + (drawn.pop() if drawn else 0))
            continue
        answer: Answer = session.answer(picked)
        drawn.append(shown + _counted(console, echo_answer, console, session.tree, question.id, answer, lang))
    return session


def _counted(console: Console, draw: Callable[..., None], *args: Any) -> int:
    """Run `draw(*args)`, which prints on `console`; the number of terminal lines it printed.

    What `draw` prints is captured, then written as rendered: rich ends every line it
    wraps or prints with a line feed, so the line feeds are the lines.
    """
    with console.capture() as capture:
        draw(*args)
    printed = capture.get()
    console.file.write(printed)
    console.file.flush()
    return printed.count("\n")


def _erase(console: Console, lines: int) -> None:
    """Erase the `lines` lines above the cursor, on a terminal that can (as rich's `Live` redraws)."""
    if lines <= 0 or not console.is_terminal or console.is_dumb_terminal:
        return
    from rich.control import Control
    from rich.segment import ControlType

    console.control(Control(*(((ControlType.CURSOR_UP, 1), (ControlType.ERASE_IN_LINE, 2)) * lines)))


def run_wizard(
    tree: Tree,
    lang: str,
    env: Environment,
    *,
    save: str | None = None,
    force: bool = False,
    console: Console | None = None,
    prompter: Prompter | None = None,
) -> Session:
    """The whole interactive run: header, questions, the plan, then saving it.

    Args:
        tree: The tree.
        lang: The language.
        env: The outside world: stdout, environment variables, the clock (`--now`).
        save: Save the plan to this path without asking (`--save`); None offers to save.
        force: Overwrite an existing `save` file without asking.
        console: Where to draw (default: a console on `env.stdout`).
        prompter: How to ask (default: questionary on the terminal).

    Returns:
        The finished session.

    Raises:
        KeyboardInterrupt: Ctrl-C or Ctrl-D at any prompt; nothing is saved.
    """
    console = console or make_console(env)
    prompter = prompter or Prompter(lang)
    draw_header(console, tree, lang)
    session = Session(tree)
    drawn: list[int] = []
    while True:
        walk(session, prompter, console, lang, drawn)
        now = env.clock()
        if save is not None:
            draw_outcome(console, session, lang, now)
            _save_given(session, lang, now, Path(save), force, prompter, console)
            return session
        plan = _counted(console, draw_outcome, console, session, lang, now)
        plan += _counted(console, console.print)  # a blank line before "Save?"
        if not _offer_save(session, lang, now, prompter, console):
            return session
        # Back to the last question: the plan and that question's step and answer are erased (a plan
        # taller than the window leaves its top in the scrollback; the window itself is right).
        go_back(session)
        _erase(console, plan + (drawn.pop() if drawn else 0))


def _write(session: Session, lang: str, now: datetime, path: str | Path, overwrite: bool) -> None:
    from wizard.render.markdown import render_markdown
    from wizard.source.save import save_text

    save_text(path, render_markdown(session, lang, now), overwrite=overwrite)


def _save_given(
    session: Session, lang: str, now: datetime, path: Path, force: bool, prompter: Prompter, console: Console
) -> None:
    """`--save PATH`: save without asking, unless the file exists (then ask, unless `--force`)."""
    from rich.text import Text

    overwrite = force
    if path.exists() and not force and not path.is_dir():
        answer = prompter.confirm(word("overwrite", lang, path=visible(str(path))), word("overwrite_keys", lang))
        if answer is not True:
            console.print(Text(word("not_saved", lang), style="yellow"))
            return
        overwrite = True
    _write(session, lang, now, path, overwrite)
    draw_saved(console, str(path), lang)


def _offer_save(session: Session, lang: str, now: datetime, prompter: Prompter, console: Console) -> bool:
    """Ask whether to save and where; never overwrite without a yes.

    Returns:
        True when the user pressed ← to go back and change an answer.
    """
    from zoneinfo import ZoneInfo

    from rich.text import Text

    from wizard.core.hours import SERVICE_TIMEZONE
    from wizard.source.save import SaveError, suggested_name

    wanted = prompter.confirm(word("save", lang), word("save_keys", lang), back=True)
    if isinstance(wanted, Back):
        return True
    if not wanted:
        return False
    # An outcome id is tree text too: no control character goes into a file name or onto the screen.
    suggestion = suggested_name(visible(session.outcome.id), now.astimezone(ZoneInfo(SERVICE_TIMEZONE)))
    while True:
        name = prompter.text(word("file", lang), suggestion).strip()
        if not name:
            console.print(Text(word("not_saved", lang), style="yellow"))
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
            _write(session, lang, now, path, overwrite)
        except SaveError as exc:
            console.print(Text(str(exc), style="red"))
            continue
        draw_saved(console, str(path), lang)
        return False
