"""Check your answers, tick-box number keys, the file-name prompt and the prompts' own words, in-process.

Keys are typed into prompt_toolkit's pipe input, as in `test_interactive`; a run that asks
more than the keys answer ends with KeyboardInterrupt instead of hanging.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from tests.tui.test_interactive import (
    CTRL_U,
    DOWN,
    ENTER,
    HOTLINE,
    LEFT,
    NIGHT,
    NO,
    OK,
    PATHS,
    SPACE,
    ask,
    screen,
    terminal_run,
    wizard,
)
from wizard.core.engine import Session
from wizard.core.model import Tree
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.tui.draw import make_console
from wizard.tui.interactive import Prompter, run_wizard


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree(HOTLINE)


class Recording(Prompter):
    """The wizard's prompts, each call recorded: (method, message or None, what was pre-selected or listed).

    prompt_toolkit handles keys typed ahead before it draws a prompt, so a run typed up front
    shows only its first prompt in full; what later prompts were asked with is read here.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.calls: list[tuple[str, str | None, object]] = []

    def single(self, message: str, options: Any, default: Any, back: bool) -> Any:
        self.calls.append(("single", message, default))
        return super().single(message, options, default, back)

    def multiple(self, message: str, options: Any, checked: Any, back: bool) -> Any:
        self.calls.append(("multiple", message, checked))
        return super().multiple(message, options, checked, back)

    def text(self, message: str, default: str) -> str:
        self.calls.append(("text", message, default))
        return super().text(message, default)

    def review(self, answers: Any, back: bool) -> Any:
        self.calls.append(("review", None, list(answers)))
        return super().review(answers, back)

    def asked(self, message: str) -> int:
        return sum(call[1] == message for call in self.calls)


def recorded(tree: Tree, *keys: str, lang: str = "en") -> tuple[Session, Recording, str]:
    """Run the wizard typing `keys`: the session, the prompts asked, and what rich drew."""
    out = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stdin_isatty=True, stdout_isatty=False, environ={}, now=NIGHT)
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        pipe.close()
        prompter = Recording(lang, pipe, PlainTextOutput(io.StringIO()))
        session = run_wizard(tree, lang, env, console=make_console(env, width=100), prompter=prompter)
    return session, prompter, out.getvalue()


# --- Check your answers -----------------------------------------------------------------------------


def test_check_your_answers_lists_every_answer_and_the_ways_on(tree: Tree) -> None:
    _, prompter, _ = recorded(tree, *PATHS["complain"], NO)
    assert [call for call in prompter.calls if call[0] == "review"] == [
        (
            "review",
            None,
            [
                ("Are you a shopper or a merchant?", "Shopper"),
                ("What is the problem?", "A faulty item"),
                ("What have you tried?", "In-app chat, The 95187 hotline"),
            ],
        )
    ]
    answers = [("Are you a shopper or a merchant?", "Shopper"), ("What have you tried?", "In-app chat")]
    picked, shown = ask("en", "review", answers, True)
    assert picked == "plan"  # Enter: the pointer starts on "show the plan"
    for text in (
        "? Check your answers: pick one to change it",
        "   1) Are you a shopper or a merchant?\r\n      → Shopper",
        "   2) What have you tried?\r\n      → In-app chat",
        " » 3) These are right: show the plan",
        "   4) Start again",
        "   0) ← Back",
    ):
        assert text in shown, text


def test_a_long_answer_in_check_your_answers_hangs_under_itself() -> None:
    from tests.tui.test_interactive import SizedOutput

    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)
        pipe.close()
        Prompter("zh", pipe, SizedOutput(out, 30)).review([("你是买家还是商家？", "买家：在拼多多买了东西")], True)
    lines = [line.rstrip() for line in out.getvalue().split("\r\n")]
    assert "   1) 你是买家还是商家？" in lines
    assert "      → 买家：在拼多多买了东西" not in lines  # 30 columns: the answer wraps under itself
    at = lines.index("   1) 你是买家还是商家？")
    assert lines[at + 1].startswith("      → ") and lines[at + 2].startswith("        ")


def test_changing_an_answer_keeps_the_later_answers_that_still_apply(tree: Tree) -> None:
    # A faulty item, the chat tried -> call_hotline. Change the problem to a late parcel: "tried" still
    # applies ("In-app chat" is offered for a parcel too), so it is kept, not asked again; the ladder
    # now starts at the courier.
    session, prompter, out = recorded(tree, *PATHS["call_hotline"][:-1], "2", ENTER, "1", ENTER, OK, NO)
    assert session.answers == {"role": "buyer", "problem": "parcel", "tried": frozenset({"chat"})}
    assert session.outcome.id == "call_courier"
    assert prompter.asked("What have you tried?") == 1
    # Asked again with the answer it had pre-selected.
    assert [c for c in prompter.calls if c[1] == "What is the problem?"][1] == (
        "single",
        "What is the problem?",
        "quality",
    )
    assert "dropped" not in out


def test_a_change_drops_only_the_answers_it_makes_unreachable(tree: Tree) -> None:
    run = wizard(tree, *PATHS["call_hotline"][:-1], "2", ENTER, "3", ENTER, OK, NO)
    assert run.session.answers == {"role": "buyer", "problem": "scam"}
    assert run.session.outcome.id == "scam_alert"
    assert "No longer on your path, so dropped: What have you tried?" in run.out


def test_a_tick_no_longer_offered_asks_the_question_again(tree: Tree) -> None:
    # A parcel, courier and chat tried; changed to a faulty item, "The courier" is not offered: "tried"
    # is asked again with "In-app chat" still ticked, never quietly cut down.
    session, prompter, _ = recorded(
        tree, ENTER, ENTER, SPACE, DOWN, SPACE, ENTER, "2", ENTER, "2", ENTER, ENTER, OK, NO
    )
    assert session.answers == {"role": "buyer", "problem": "quality", "tried": frozenset({"chat"})}
    tried = [c for c in prompter.calls if c[1] == "What have you tried?"]
    assert tried[1] == ("multiple", "What have you tried?", frozenset({"chat"}))


def test_a_change_that_opens_a_new_branch_asks_only_its_questions(tree: Tree) -> None:
    run = wizard(tree, *PATHS["seller_help"][:-1], "1", ENTER, "1", ENTER, ENTER, ENTER, OK, NO)
    assert run.session.answers == {"role": "buyer", "problem": "parcel", "tried": frozenset()}
    assert run.session.outcome.id == "call_courier"


@pytest.mark.parametrize("back", [LEFT, "0" + ENTER])
def test_back_at_the_question_being_changed_changes_nothing(tree: Tree, back: str) -> None:
    run = wizard(tree, *PATHS["call_hotline"][:-1], "2", ENTER, back, OK, NO)
    assert run.session.answers == {"role": "buyer", "problem": "quality", "tried": frozenset({"chat"})}
    assert run.session.outcome.id == "call_hotline"


def test_start_again_forgets_every_answer(tree: Tree) -> None:
    # A parcel (the default) -> start again (3 = after the one answer and "show the plan") -> a merchant.
    run = wizard(tree, *PATHS["seller_help"][:-1], "3", ENTER, "2", ENTER, OK, NO)
    assert run.session.answers == {"role": "seller"}
    assert run.out.count("Step 1 of about 3") == 2


def test_back_from_check_your_answers_goes_to_the_last_question(tree: Tree) -> None:
    run = wizard(tree, *PATHS["call_hotline"][:-1], LEFT, SPACE, ENTER, OK, NO)  # untick the chat
    assert run.session.answers["tried"] == frozenset()


def test_save_then_back_returns_to_check_your_answers(tree: Tree) -> None:
    session, prompter, _ = recorded(tree, *PATHS["call_hotline"], LEFT, "1", ENTER, "2", ENTER, OK, NO)
    assert session.outcome.id == "seller_help"
    assert [c[0] for c in prompter.calls].count("review") == 3


def test_a_change_is_redrawn_with_no_stale_answer_on_screen(tree: Tree) -> None:
    # The answers after the changed one are erased and drawn again as they now stand.
    shown = screen(terminal_run(tree, *PATHS["call_hotline"][:-1], "2", ENTER, "1", ENTER))
    assert [line for line in shown if line.startswith("✔")] == [
        "✔ Are you a shopper or a merchant? Shopper",
        "✔ What is the problem? The parcel is late",
        "✔ What have you tried? In-app chat",
    ]


# --- Tick-box keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "ticked"),
    [
        ("2" + ENTER, ["chat"]),
        ("23" + ENTER, ["chat", "hotline"]),
        ("22" + ENTER, []),  # a second press unticks
        ("3" + SPACE + ENTER, []),  # the number points there too: Space unticks it
        ("3" + DOWN + DOWN + SPACE + ENTER, ["chat", "hotline"]),
        ("a" + ENTER, ["courier", "chat", "hotline"]),  # all
        ("aa" + ENTER, []),  # all ticked: a unticks them all
        ("1i" + ENTER, ["chat", "hotline"]),  # invert
    ],
)
def test_number_keys_tick_the_options_of_a_tick_box(tree: Tree, keys: str, ticked: list[str]) -> None:
    question = tree.question("tried")
    result, shown = ask("en", "multiple", question.prompt.get("en"), question.options, frozenset(), True, keys=keys)
    assert sorted(result) == sorted(ticked)  # type: ignore[arg-type]
    assert "○ 1) The courier" in shown and "○ 3) The 95187 hotline" in shown


# --- The file-name prompt -------------------------------------------------------------------------------


def test_the_file_name_asked_again_after_an_error_is_what_was_typed(tree: Tree, tmp_path: Path) -> None:
    typed = str(tmp_path / "no" / "such" / "plan.md")
    _, prompter, out = recorded(tree, *PATHS["scam_alert"], "y", CTRL_U, typed, ENTER, CTRL_U, ENTER)
    assert "no such folder" in out
    assert [c[2] for c in prompter.calls if c[0] == "text"] == ["pdd-plan-scam-alert-20261112-2230.md", typed]
    assert "Not saved." in out


def test_the_file_name_asked_again_after_no_to_overwrite_is_what_was_typed(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine\n", encoding="utf-8")
    other = tmp_path / "plan-2.md"
    _, prompter, _ = recorded(
        tree, *PATHS["scam_alert"], "y", CTRL_U, str(target), ENTER, "n", CTRL_U, str(other), ENTER
    )
    assert [c[2] for c in prompter.calls if c[0] == "text"][1] == str(target)  # "overwrite?" no: as typed
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert other.read_text(encoding="utf-8").startswith("# Beware of scams")


# --- The prompts speak the user's language ----------------------------------------------------------


def test_a_yes_no_prompt_draws_no_english_answer() -> None:
    for keys, expected in (("y", True), ("n", False), (ENTER, False)):
        out = io.StringIO()
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output.plain_text import PlainTextOutput

        from wizard.tui.interactive import Prompter

        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            pipe.close()
            answer = Prompter("zh", pipe, PlainTextOutput(out)).confirm("存吗？", "（y/N）")
        assert answer is expected
        assert "Yes" not in out.getvalue() and "No" not in out.getvalue()
