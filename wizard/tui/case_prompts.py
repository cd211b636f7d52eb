"""The questions of an interactive case: a contact's fields (`case log`), a new case's details, a deletion.

Each prompt returns what was typed or picked as the raw text a flag would carry (`--at`,
`--evidence 2=PATH`...), and the command line parses it the same way as a flag: one check for
whoever gives the value. Prompts take an injectable prompt_toolkit input and output, for tests.
Ctrl-C and Ctrl-D raise KeyboardInterrupt (exit status 130), SIGTERM and SIGHUP end a prompt as
Ctrl-C does, with the terminal restored. Tree text and what the person typed go through
`wizard.render.text.visible`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys

from wizard.core.errors import Terminated
from wizard.render.text import visible
from wizard.render.words import word

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from wizard.core.case import Case
    from wizard.core.engine import Session
    from wizard.source.environment import Environment

__all__ = ["CasePrompter", "track_case"]

#: The signals that stop a run, as Ctrl-C does.
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class CasePrompter:
    """Asks a case's questions with questionary, one at a time.

    Attributes:
        lang: The language of the questions.
        input: prompt_toolkit input (None: the terminal).
        output: prompt_toolkit output (None: the terminal).
    """

    def __init__(self, lang: str, input: Input | None = None, output: Output | None = None) -> None:
        self.lang = lang
        self.input = input
        self.output = output

    def _kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.input is not None:
            kwargs["input"] = self.input
        if self.output is not None:
            kwargs["output"] = self.output
        return kwargs

    def _ask(self, question: questionary.Question) -> Any:
        extra = KeyBindings()

        @extra.add(Keys.ControlD, eager=True)
        def _cancel(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
        app.pre_run_callables.append(lambda: _stop_on_signals(app))
        before = {number: signal.getsignal(number) for number in _STOPPING}
        try:
            return question.unsafe_ask()
        except EOFError:  # the input closed: as Ctrl-D
            raise KeyboardInterrupt from None
        finally:
            for number, handler in before.items():
                if handler is not None:
                    signal.signal(number, handler)

    def choose(self, key: str, choices: Sequence[tuple[str, str]], default: str | None = None) -> str:
        """One of `choices` (value, label), `default` pre-selected."""
        values = [value for value, _ in choices]
        question = questionary.select(
            word(key, self.lang),
            choices=[questionary.Choice(visible(label), value=value) for value, label in choices],
            default=default if default in values else None,
            use_shortcuts=len(choices) <= 36,
            use_jk_keys=False,
            instruction=word("select_keys", self.lang),
            **self._kwargs(),
        )
        result: str = self._ask(question)
        return result

    def tick(self, key: str, items: Sequence[str]) -> list[int]:
        """The 1-based numbers of the items ticked."""
        question = questionary.checkbox(
            word(key, self.lang),
            choices=[questionary.Choice(visible(item), value=number) for number, item in enumerate(items, 1)],
            use_jk_keys=False,
            instruction=word("checkbox_keys", self.lang),
            **self._kwargs(),
        )
        result: list[int] = self._ask(question)
        return result

    def text(self, message: str, check: Callable[[str], bool] | None = None, instruction: str | None = None) -> str:
        """A line of text; with `check`, asked again until it passes (blank always passes)."""

        def valid(value: str) -> bool | str:
            return not value.strip() or check is None or check(value) or word("bad_time", self.lang)

        question = questionary.text(message, validate=valid, instruction=instruction, **self._kwargs())
        result: str = self._ask(question)
        return result.strip()

    def confirm(self, message: str) -> bool:
        result: bool = self._ask(questionary.confirm(message, default=False, **self._kwargs()))
        return result

    # --- the questions of a case -----------------------------------------------------------
    def contact(
        self,
        given: dict[str, Any],
        *,
        channels: Sequence[tuple[str, str]],
        default_channel: str | None,
        results: Sequence[str],
        evidence: Callable[[str], list[str]],
        valid_time: Callable[[str], bool],
    ) -> dict[str, Any]:
        """A contact's fields: those `given` (by flags) kept, every other one asked.

        Args:
            given: channel, at, agent, said, result, promise, promised_by, evidence (a list of
                `N[=PATH]`), each None when no flag gave it.
            channels: The tree's outcomes (id, title), in its order.
            default_channel: The channel pre-selected: the case's next step.
            results: The results a contact can have.
            evidence: The `prepare` items of a channel, as shown.
            valid_time: Whether a typed time is one (`--at` reads it the same way).

        Returns:
            Every field, as the flags would carry it ("" for one left blank).
        """
        lang = self.lang
        out = dict(given)
        if out.get("channel") is None:
            out["channel"] = self.choose("ask_channel", channels, default_channel)
        if out.get("at") is None:
            out["at"] = self.text(word("ask_at", lang), valid_time)
        if out.get("agent") is None:
            out["agent"] = self.text(word("ask_agent", lang))
        if out.get("said") is None:
            out["said"] = self.text(word("ask_said", lang))
        if out.get("result") is None:
            out["result"] = self.choose("ask_result", [(r, word(f"result_{r}", lang)) for r in results])
        if out["result"] == "promised":
            if out.get("promise") is None:
                out["promise"] = self.text(word("ask_promise", lang))
            while not out.get("promised_by"):
                out["promised_by"] = self.text(word("ask_promised_by", lang), valid_time)
        if out.get("evidence") is None:
            items = evidence(str(out["channel"]))
            kept = []
            for number in self.tick("ask_evidence", items) if items else []:
                item = items[number - 1]
                path = self.text(word("ask_evidence_path", lang, item=visible(item)))
                kept.append(f"{number}={path}" if path else str(number))
            out["evidence"] = kept
        return out

    def case_details(self, given: dict[str, str | None], valid_day: Callable[[str], bool]) -> dict[str, str | None]:
        """A new case's title, order number and deadline: those not `given` asked (title until one is typed)."""
        lang = self.lang
        out = dict(given)
        while not out.get("title"):
            out["title"] = self.text(word("ask_title", lang))
        if out.get("order_number") is None:
            out["order_number"] = self.text(word("ask_order", lang)) or None
        if out.get("deadline") is None:  # with the article's advice on where to find it
            out["deadline"] = self.text(word("ask_deadline", lang), valid_day, word("deadline_where", lang)) or None
        return out


def _stop_on_signals(app: Any) -> None:
    """While a prompt is up, SIGTERM and SIGHUP end it by `app.exit`, as Ctrl-C does: prompt_toolkit then
    restores the terminal before `Terminated` reaches the command line."""

    def stop(number: int) -> None:
        with contextlib.suppress(Exception):  # already exiting
            app.exit(exception=Terminated(number), style="class:aborting")

    loop = asyncio.get_running_loop()
    for number in _STOPPING:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop, number)


def track_case(
    session: Session,
    lang: str,
    env: Environment,
    *,
    tree_spec: str,
    db: str | None = None,
    prompter: CasePrompter | None = None,
) -> Case:
    """Open a case for a finished interactive walk: ask its title, order number and deadline, and store it.

    What "Track this as a case?" at the end of `pdd-wizard run` calls when the answer is yes.

    Args:
        session: The walk, at its outcome.
        lang: The language of the run.
        env: The outside world (the clock, `PDD_WIZARD_DB`).
        tree_spec: How the tree was named (`--tree`): a shipped name or a path.
        db: `--db`, when given.
        prompter: The prompts (tests pass one with a pipe input).

    Returns:
        The case, with its number.

    Raises:
        CaseFileError: The case file cannot be used.
        KeyboardInterrupt: Ctrl-C or Ctrl-D at a question.
    """
    from wizard.core.case import parse_day
    from wizard.source.casefile import open_case

    ask = prompter or CasePrompter(lang)
    details = ask.case_details({"title": None, "order_number": None, "deadline": None}, _is_day)
    deadline = parse_day(details["deadline"]) if details["deadline"] else None
    return open_case(
        env,
        session,
        title=str(details["title"]),
        tree_spec=tree_spec,
        lang=lang,
        order_number=details["order_number"],
        deadline=deadline,
        db=db,
    )


def _is_day(value: str) -> bool:
    from wizard.core.case import parse_day
    from wizard.core.errors import UsageError

    try:
        parse_day(value)
    except UsageError:
        return False
    return True
