"""The interactive wizard in-process: keys typed into prompt_toolkit's pipe input, output read back.

Each test types a whole run up front (prompt_toolkit keeps unread keys for the next
prompt) and closes the pipe, so a run that asks more than expected ends with
KeyboardInterrupt (the closed input reads as Ctrl-D) instead of hanging.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput
from prompt_toolkit.utils import get_cwidth
from rich.cells import cell_len

from tests.utils import FIXTURES, ROOT, run_cli
from wizard.core.engine import Session
from wizard.core.model import Tree
from wizard.render.words import word
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.tui.draw import breadcrumb, echo_answer, make_console, questions_left
from wizard.tui.interactive import BACK, AnswersOut, Prompter, fits_on_the_prompt_line, run_wizard

HOTLINE = FIXTURES / "interactive" / "hotline.yaml"
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"

ENTER, DOWN, LEFT, SPACE, BACKSPACE = "\r", "\x1b[B", "\x1b[D", " ", "\x7f"
CTRL_C, CTRL_D, CTRL_U = "\x03", "\x04", "\x15"
NO = "n"  # to "save this plan?"
OK = ENTER  # to "check your answers": these are right, show the plan

#: 22:30 on 12 November in Beijing: the hotline is closed, and it is the busy fortnight after 11.11.
NIGHT = datetime.fromisoformat("2026-11-12T22:30+08:00")
#: 10:00 on 10 March in Beijing: open, nothing busy.
MORNING = datetime.fromisoformat("2026-03-10T10:00+08:00")


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree(HOTLINE)


@dataclass
class Run:
    """One interactive run: the finished session, what rich drew, what the prompts showed."""

    session: Session
    out: str
    prompts: str


def wizard(
    tree: Tree,
    *keys: str,
    lang: str = "en",
    now: datetime = NIGHT,
    width: int = 100,
    save: str | None = None,
    force: bool = False,
    answers_out: AnswersOut | None = None,
) -> Run:
    """Run the wizard on `tree`, typing `keys`; the prompts render as plain text so tests can read them."""
    out, prompts = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stdin_isatty=True, stdout_isatty=False, environ={}, now=now)
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        pipe.close()
        prompter = Prompter(lang, pipe, PlainTextOutput(prompts))
        console = make_console(env, width=width)
        session = run_wizard(
            tree, lang, env, save=save, force=force, answers_out=answers_out, console=console, prompter=prompter
        )
    return Run(session, out.getvalue(), prompts.getvalue())


# --- A whole run to each outcome ---------------------------------------------------------------

PATHS = {
    # outcome: keys (1-9 pick a choice of a select, then Enter; Space ticks the pointed box), then OK
    "seller_help": ("2", ENTER, OK),
    "odd_outcome": ("3", ENTER, OK),
    "scam_alert": (ENTER, "3", ENTER, OK),
    "call_courier": (ENTER, ENTER, ENTER, OK),
    "use_chat": (ENTER, ENTER, SPACE, ENTER, OK),
    "call_hotline": (ENTER, "2", ENTER, SPACE, ENTER, OK),
    "complain": (ENTER, "2", ENTER, SPACE, DOWN, SPACE, ENTER, OK),
}


def test_every_outcome_of_the_fixture_has_a_path(tree: Tree) -> None:
    assert set(PATHS) == {o.id for o in tree.outcomes()}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("outcome", sorted(PATHS))
def test_a_full_path_to_each_outcome(tree: Tree, outcome: str, lang: str) -> None:
    run = wizard(tree, *PATHS[outcome], NO, lang=lang)
    assert run.session.outcome.id == outcome
    assert tree.nodes[outcome].title.get(lang) in run.out  # type: ignore[union-attr]


def test_the_run_shows_the_header_steps_breadcrumb_and_answers(tree: Tree) -> None:
    run = wizard(tree, *PATHS["complain"], NO)
    assert "Hotline helper [bold]test[/bold] :smile:" in run.out
    assert "Find who to turn to next." in run.out
    assert "Step 1 of about 3" in run.out
    assert "Step 2 of about 3  Shopper" in run.out
    assert "Step 3 of about 3  Shopper › A faulty item" in run.out
    assert "Pick the closest match." in run.out  # the question's help
    assert "✔ What is the problem? A faulty item" in run.out
    assert "✔ What have you tried? In-app chat, The 95187 hotline" in run.out


def ask(lang: str, method: str, *args: object, keys: str = ENTER) -> tuple[object, str]:
    """One prompt on its own: what it returned and what it showed before the keys were read."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        result = getattr(Prompter(lang, pipe, PlainTextOutput(out)), method)(*args)
    return result, out.getvalue()


@pytest.mark.parametrize(
    ("lang", "back", "expected", "absent"),
    [
        ("en", True, ["(↑↓ or number keys, Enter to choose, ← back)", "1) Shopper", "2) Merchant", "0) ← Back"], []),
        ("en", False, ["(↑↓ or number keys, Enter to choose)", "1) Shopper"], ["← Back"]),
        ("zh", True, ["（↑↓ 或数字键选，回车确定，← 上一步）", "1) 买家", "0) ← 上一步"], []),
    ],
)
def test_a_select_shows_numbered_choices_back_and_key_instructions(
    tree: Tree, lang: str, back: bool, expected: list[str], absent: list[str]
) -> None:
    role = tree.question("role")
    _, shown = ask(lang, "single", role.prompt.get(lang), role.options, None, back)
    for text in expected:
        assert text in shown, text
    for text in absent:
        assert text not in shown, text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "(Space or 1–9 ticks, a all, Enter when done, ← back)"),
        ("zh", "（空格或数字键勾选，a 全选，回车确定，← 上一步）"),
    ],
)
def test_a_checkbox_shows_key_instructions_and_ticks_what_was_checked(tree: Tree, lang: str, expected: str) -> None:
    tried = tree.question("tried")
    result, shown = ask(lang, "multiple", tried.prompt.get(lang), tried.options, frozenset({"chat"}), True)
    assert expected in shown
    assert result == ["chat"]


@pytest.mark.parametrize(("method", "keys"), [("single", LEFT), ("single", BACKSPACE), ("multiple", LEFT)])
def test_the_back_key_returns_back(tree: Tree, method: str, keys: str) -> None:
    question = tree.question("role" if method == "single" else "tried")
    extra: frozenset[str] | None = None if method == "single" else frozenset()
    result, _ = ask("en", method, "?", question.options, extra, True, keys=keys)
    assert result is BACK


def test_a_select_points_at_the_remembered_answer(tree: Tree) -> None:
    problem = tree.question("problem")
    result, _ = ask("en", "single", "?", problem.options, "scam", True)
    assert result == "scam"


def test_the_whole_run_speaks_chinese(tree: Tree) -> None:
    run = wizard(tree, *PATHS["complain"], NO, lang="zh")
    assert "你是买家还是商家？ （↑↓ 或数字键选，回车确定）" in run.prompts
    assert "第 3 步，共约 3 步  买家 › 质量问题" in run.out
    assert "✔ 已经试过什么？ 在线客服、95187 热线" in run.out


def test_the_first_question_offers_no_back(tree: Tree) -> None:
    # ← at the first question does nothing; the run goes on as if it was not pressed.
    run = wizard(tree, LEFT, BACKSPACE, "2", ENTER, OK, NO)
    assert run.session.outcome.id == "seller_help"
    first_prompt = run.prompts.split("Are you a shopper or a merchant?")[1].split("?")[0]
    assert "← Back" not in first_prompt


class SizedOutput(PlainTextOutput):
    """Plain text, from a terminal `columns` wide (PlainTextOutput's own is 80)."""

    def __init__(self, stdout: io.StringIO, columns: int) -> None:
        super().__init__(stdout)
        self.columns = columns

    def get_size(self) -> Size:
        return Size(rows=40, columns=self.columns)


def drawing(tree: Tree, question_id: str, lang: str, columns: int) -> list[str]:
    """The lines prompt_toolkit draws for a question asked with the Back choice, at `columns`.

    Enter answers at once, so there is one drawing: the prompt, then the choices to the end.
    """
    question = tree.question(question_id)
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)
        pipe.close()
        prompter = Prompter(lang, pipe, SizedOutput(out, columns))
        if question.kind == "multiple":
            prompter.multiple(question.prompt.get(lang), question.options, frozenset(), True)
        else:
            prompter.single(question.prompt.get(lang), question.options, None, True)
    return out.getvalue().split("\r\n")


def first_choice(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if "1)" in line or "○" in line)


def drawn_question(tree: Tree, question_id: str, lang: str, columns: int) -> list[str]:
    """The lines drawn for a question, up to its first choice."""
    lines = drawing(tree, question_id, lang, columns)
    return lines[: first_choice(lines)]


def test_merchant_contact_has_no_blank_line_under_it_at_60_columns() -> None:
    # "? 你和商家协商过了吗？ （↑↓ 或数字键选，回车确定，← 上一步）" is exactly 60 columns: prompt_toolkit's
    # cursor cell after it went onto a line of its own, a blank line between the question and its choices.
    lines = drawn_question(load_tree(PINDUODUO), "merchant_contact", "zh", 60)
    assert [line.rstrip() for line in lines] == ["? 你和商家协商过了吗？", "（↑↓ 或数字键选，回车确定，← 上一步）"]


@pytest.mark.parametrize("columns", [60, 80, 100, 101])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_question_of_the_pinduoduo_tree_shows_a_blank_line(lang: str, columns: int) -> None:
    tree = load_tree(PINDUODUO)
    for question in tree.questions():
        lines = drawn_question(tree, question.id, lang, columns)
        assert all(line.strip() for line in lines), (question.id, lines)
        # The key instruction is never cut in two by the terminal's edge.
        instruction = word("checkbox_keys_back" if question.kind == "multiple" else "select_keys_back", lang)
        assert any(instruction in line for line in lines), (question.id, lines)


def drawn_choices(tree: Tree, question_id: str, lang: str, columns: int) -> list[str]:
    """Every line drawn for a question's choices, as the terminal shows them."""
    lines = [line.rstrip() for line in drawing(tree, question_id, lang, columns)]
    return [line for line in lines[first_choice(lines) :] if line]


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_choice_titles_wrap_under_themselves_instead_of_being_cut(lang: str, columns: int) -> None:
    # prompt_toolkit cuts a line at the terminal's edge: "8) Someone claiming to be customer service called, messag"
    tree = load_tree(PINDUODUO)
    for question in tree.questions():
        lines = drawn_choices(tree, question.id, lang, columns)
        assert all(get_cwidth(line) < columns for line in lines), (question.id, lines)
        shown = " ".join(line.strip() for line in lines)
        squeezed = "".join(shown.split())
        for option in question.options:
            label = option.label.get(lang)
            if lang == "en":
                assert " ".join(label.split()) in shown, (question.id, label, lines)
            else:
                assert "".join(label.split()) in squeezed, (question.id, label, lines)
        # A continuation line starts under the title, not under the pointer.
        starts = re.compile(r"^ [» ] (\w\) |[○●] |-+$)")
        for line in lines:
            assert starts.match(line) or re.match(r"^ {5,}\S", line), (question.id, line)


@pytest.mark.parametrize("columns", [30, 45, 60])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_question_too_long_for_the_terminal_wraps_under_itself_instead_of_being_cut(lang: str, columns: int) -> None:
    # prompt_toolkit cut "? Which of these have you already tried witho" at 45 columns and drew no more of it.
    tree = load_tree(PINDUODUO)
    for question in tree.questions():
        lines = [line.rstrip() for line in drawn_question(tree, question.id, lang, columns) if line.strip()]
        assert all(get_cwidth(line) < columns for line in lines), (question.id, lines)
        assert lines[0].startswith("? "), (question.id, lines)
        shown = " ".join([lines[0][2:], *(line.strip() for line in lines[1:])])
        prompt = question.prompt.get(lang)
        if lang == "en":
            assert " ".join(prompt.split()) in shown, (question.id, lines)
            assert "Enter to choose" in shown or "Enter when done" in shown, (question.id, lines)
        else:
            assert "".join(prompt.split()) in "".join(shown.split()), (question.id, lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_yes_no_question_puts_its_keys_on_a_line_of_their_own_rather_than_cut_them(lang: str) -> None:
    # "? Save this plan as a Markdown file? (y/N, ← to change an an" / "swer)" at 60 columns.
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("n")
        pipe.close()
        prompter = Prompter(lang, pipe, SizedOutput(out, 40))
        assert prompter.confirm(word("save", lang), word("save_keys", lang), back=True) is False
    lines = [line.rstrip() for line in out.getvalue().split("\r\n") if line.strip()]
    assert all(get_cwidth(line) < 40 for line in lines), lines
    assert word("save_keys", lang) in lines, lines


@pytest.mark.parametrize(
    ("message", "columns", "fits"),
    [
        ("你和商家协商过了吗？", 60, False),  # 2 + 20 + 1 + 37 = 60: the cursor cell would start a new line
        ("你和商家协商过了吗？", 61, True),
        ("遇到了什么问题？", 60, True),
        ("第一行\n你和商家协商过了吗？", 58, False),  # only the last line counts: 20 + 1 + 37 = 58
        ("第一行\n你和商家协商过了吗？", 59, True),
    ],
)
def test_the_instruction_goes_on_a_line_of_its_own_when_the_prompt_would_fill_the_line(
    message: str, columns: int, fits: bool
) -> None:
    assert fits_on_the_prompt_line(message, "（↑↓ 或数字键选，回车确定，← 上一步）", columns) is fits


# --- Back -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "back",
    [
        pytest.param(LEFT, id="left-arrow"),
        pytest.param(BACKSPACE, id="backspace"),
        pytest.param("0" + ENTER, id="choice"),
    ],
)
def test_back_from_a_select(tree: Tree, back: str) -> None:
    run = wizard(tree, ENTER, back, "2", ENTER, OK, NO)
    assert run.session.outcome.id == "seller_help"
    assert run.session.answers == {"role": "seller"}
    assert run.out.count("Step 1 of about 3") == 2


def screen(stream: str) -> list[str]:
    """The lines a terminal shows after `stream`: text, line feeds, and the cursor-up and erase-line
    sequences the wizard sends when it goes back (colours and other sequences are dropped)."""
    lines, row = [""], 0
    for part in re.split(r"(\x1b\[[0-9;]*[A-Za-z]|\n|\r)", stream):
        if part == "\n":
            row += 1
            if row == len(lines):
                lines.append("")
        elif part == "\r":
            pass  # every line here starts at its first column
        elif part == "\x1b[1A":
            row = max(row - 1, 0)
        elif part == "\x1b[2K":
            lines[row] = ""
        elif not part.startswith("\x1b"):
            lines[row] += part
    return lines[: row + 1]


def terminal_run(tree: Tree, *keys: str) -> str:
    """What rich drew on a terminal console during a run typing `keys`, until they run out at a question."""
    from rich.console import Console

    out = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stdin_isatty=True, stdout_isatty=True, environ={}, now=NIGHT)
    console = Console(
        file=out, width=100, force_terminal=True, color_system=None, markup=False, emoji=False, highlight=False
    )
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        pipe.close()
        with pytest.raises(KeyboardInterrupt):  # the keys run out at a question: the input closed
            run_wizard(tree, "en", env, console=console, prompter=Prompter("en", pipe, PlainTextOutput(io.StringIO())))
    return out.getvalue()


def test_going_back_redraws_the_question_where_it_stood_with_no_stale_answer(tree: Tree) -> None:
    # Answer "role", then "problem", then go back from "tried" to "problem" and on to "role".
    arrived = screen(terminal_run(tree))  # the screen of step 1 as first drawn
    both_back = screen(terminal_run(tree, ENTER, "2", ENTER, LEFT, LEFT))
    assert both_back == arrived
    assert not any("✔" in line for line in both_back)
    one_back = screen(terminal_run(tree, ENTER, "2", ENTER, LEFT))
    assert [line for line in one_back if line.startswith(("Step", "✔"))] == [
        "Step 1 of about 3",
        "✔ Are you a shopper or a merchant? Shopper",
        "Step 2 of about 3  Shopper",
    ]


def test_going_back_from_the_plan_erases_it_and_redraws_the_last_question() -> None:
    # A suspicious call leads straight to the scam plan; ← at "Save?" goes back to "problem".
    tree = load_tree(HOTLINE)
    arrived = screen(terminal_run(tree, ENTER))  # "problem" as first drawn
    # ← at "Save?" goes back to "check your answers", ← there to the last question.
    assert screen(terminal_run(tree, ENTER, "3", ENTER, OK, LEFT, LEFT)) == arrived
    assert screen(terminal_run(tree, ENTER, "3", ENTER, OK, LEFT, LEFT, LEFT)) == screen(terminal_run(tree))


@pytest.mark.parametrize("back", [LEFT, BACKSPACE])
def test_back_from_a_checkbox_keeps_the_earlier_answer_selected(tree: Tree, back: str) -> None:
    # At "tried", tick a box, then go back: "problem" comes back with "A faulty item" under the pointer,
    # so Enter keeps it; the box ticked but not confirmed is not remembered.
    run = wizard(tree, ENTER, "2", ENTER, SPACE, back, ENTER, ENTER, OK, NO)
    assert run.session.answers == {"role": "buyer", "problem": "quality", "tried": frozenset()}
    assert run.session.outcome.id == "use_chat"
    assert run.out.count("Step 3 of about 3") == 2


def test_back_from_the_plan_to_the_checkbox_with_its_boxes_ticked(tree: Tree) -> None:
    # ← at "save this plan?" and at "check your answers" goes back to the last question, its earlier
    # answer ticked: Enter keeps it.
    run = wizard(tree, *PATHS["call_hotline"], LEFT, LEFT, ENTER, OK, NO)
    assert run.session.outcome.id == "call_hotline"
    assert run.session.answers["tried"] == frozenset({"chat"})
    assert run.out.count("Call 95187") == 2  # the plan was drawn twice


def test_changing_an_earlier_answer_re_routes_the_rest(tree: Tree) -> None:
    # A parcel, courier tried -> use_chat. Back twice and say it is a scam: "tried" is no longer on the path.
    run = wizard(tree, ENTER, ENTER, SPACE, ENTER, LEFT, LEFT, "3", ENTER, OK, NO)
    assert run.session.outcome.id == "scam_alert"
    assert run.session.answers == {"role": "buyer", "problem": "scam"}
    assert [step.question for step in run.session.steps] == ["role", "problem"]


def test_a_remembered_answer_is_limited_to_the_options_offered_now(tree: Tree) -> None:
    # A parcel, courier and chat tried -> call_hotline. Back to "problem", pick "A faulty item": "The courier"
    # is not offered any more, so only "In-app chat" comes back ticked; Enter keeps it.
    run = wizard(tree, ENTER, ENTER, SPACE, DOWN, SPACE, ENTER, LEFT, LEFT, "2", ENTER, ENTER, OK, NO)
    assert run.session.answers == {"role": "buyer", "problem": "quality", "tried": frozenset({"chat"})}
    assert run.session.outcome.id == "call_hotline"


# --- Ctrl-C and Ctrl-D --------------------------------------------------------------------------


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize(
    ("before", "after"),
    [
        # `after` would finish the run if the key were ignored, so only the key can stop it.
        pytest.param((), ("2", ENTER, OK, NO), id="select"),
        pytest.param((ENTER, ENTER), (ENTER, OK, NO), id="checkbox"),
        pytest.param(("2", ENTER), (OK, NO), id="check-your-answers"),
        pytest.param(PATHS["call_hotline"], (NO,), id="save-question"),
        pytest.param((*PATHS["call_hotline"], "y", CTRL_U), ("plan.md", ENTER), id="file-name"),
    ],
)
def test_ctrl_c_and_ctrl_d_cancel_every_prompt(
    tree: Tree,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: tuple[str, ...],
    after: tuple[str, ...],
    key: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    wizard(tree, *before, *after)  # without the key, the run finishes
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    with pytest.raises(KeyboardInterrupt):
        wizard(tree, *before, key, *after)
    assert list(tmp_path.iterdir()) == []  # no plan, no half-written file


def test_running_out_of_input_cancels_instead_of_hanging(tree: Tree) -> None:
    with pytest.raises(KeyboardInterrupt):
        wizard(tree, ENTER)


# --- Tree text is data ----------------------------------------------------------------------------


def test_markup_and_emoji_codes_in_a_tree_are_shown_as_written(tree: Tree) -> None:
    run = wizard(tree, *PATHS["odd_outcome"], NO)
    assert "[bold]x[/bold] :smile: ([red]not markup[/red])" in run.prompts  # the label and the option's help
    assert "✔ Are you a shopper or a merchant? [bold]x[/bold] :smile:" in run.out
    assert "[red]Literal[/red] :warning:" in run.out
    assert "[link=http://x]not a link[/link]" in run.out
    assert ":smile: [bold]as written[/bold]" in run.out
    assert "😄" not in run.out and "⚠️" not in run.out


# --- The plan ---------------------------------------------------------------------------------------


def test_the_plan_has_every_section_and_the_next_rung(tree: Tree) -> None:
    run = wizard(tree, *PATHS["call_hotline"], NO, width=100)
    out = run.out
    for text in (
        "Call 95187",
        "Channel: The 95187 consumer hotline",
        "Right now",
        "Outside service hours now: 95187 human service",
        "How",
        "1. Dial 95187.",
        "2. Follow the voice menu",
        "Prepare",
        "☐ The order number",
        "☐ # not a heading",
        "What to say",
        "The order number is ...; I want a refund.",
        "Write down",
        "- The agent's ID",
        "Scam warning",
        "⚠ Official service never asks for a verification code.",
        "If this fails",
        "If that fails, complain in writing.",
        "Next step: A written complaint",
        "escalation step 3",
    ):
        assert text in out, text


@pytest.mark.parametrize(
    ("now", "lang", "expected", "absent"),
    [
        (
            NIGHT,
            "en",
            [
                "Outside service hours now: 95187 human service",
                "the hours start tomorrow at 09:00, in 10 h 30 min",
                "Busy period",
            ],
            [],
        ),
        (MORNING, "en", ["Within service hours now: 95187 human service", "the hours end in 11 h"], ["Busy period"]),
        # The same instant given in UTC: the advice is read in Beijing time.
        (datetime.fromisoformat("2026-03-10T02:00+00:00"), "en", ["Within service hours now", "It is 10:00 there"], []),
        (
            NIGHT,
            "zh",
            ["现在不在人工服务时段：95187 人工客服", "明天 09:00 开始", "正值高峰期（双11 结束后，到 11月24日）"],
            [],
        ),
        (datetime.fromisoformat("2026-06-18T09:00+08:00"), "zh", ["现在在人工服务时段内", "618 大促结束后"], []),
    ],
)
def test_the_hotline_plan_says_whether_it_is_open_now(
    tree: Tree, now: datetime, lang: str, expected: list[str], absent: list[str]
) -> None:
    run = wizard(tree, *PATHS["call_hotline"], NO, now=now, lang=lang)
    flat = " ".join(run.out.replace("│", " ").split())  # the panel wraps long lines
    for text in expected:
        assert " ".join(text.split()) in flat, text
    for text in absent:
        assert text not in flat


def test_an_outcome_without_a_schedule_says_nothing_about_opening_hours(tree: Tree) -> None:
    run = wizard(tree, *PATHS["use_chat"], NO)
    assert "service hours" not in run.out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("outcome", ["call_hotline", "complain", "odd_outcome"])
def test_nothing_is_wider_than_a_60_column_terminal(tree: Tree, outcome: str, lang: str) -> None:
    run = wizard(tree, *PATHS[outcome], NO, width=60, lang=lang)
    lines = run.out.splitlines()
    assert max(cell_len(line) for line in lines) <= 60
    # The plan's panel is drawn square: every row is exactly as wide as the terminal.
    panel = [line for line in lines if line and line[0] in "╭│╰"]
    assert panel and {cell_len(line) for line in panel} == {60}


def test_breadcrumb_is_cut_from_the_left_to_fit() -> None:
    labels = ["买家：在拼多多买了东西", "退货、换货、退款", "还没有"]
    assert breadcrumb(labels, 100) == "买家：在拼多多买了东西 › 退货、换货、退款 › 还没有"
    assert breadcrumb(labels, 30) == "… › 退货、换货、退款 › 还没有"
    assert cell_len(breadcrumb(["一二三四五六七八九十"], 10)) <= 10


def test_questions_left_is_the_longest_way_on(tree: Tree, mini_tree: Tree) -> None:
    longest = questions_left(tree)
    assert (longest("role"), longest("problem"), longest("tried"), longest("call_hotline")) == (3, 2, 1, 0)
    assert questions_left(mini_tree)("role") == 3


# --- Saving --------------------------------------------------------------------------------------


def test_save_offered_at_the_end_with_a_suggested_name(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = wizard(tree, *PATHS["call_hotline"], "y", ENTER)
    saved = tmp_path / "pdd-plan-call-hotline-20261112-2230.md"
    assert [p.name for p in tmp_path.iterdir()] == [saved.name]
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# Call 95187\n")
    assert "- [ ] The order number" in text
    assert "Saved: pdd-plan-call-hotline-20261112-2230.md" in run.out


def test_save_to_a_typed_path(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "my plan.md"
    wizard(tree, *PATHS["scam_alert"], "y", CTRL_U, str(target), ENTER, lang="zh")
    assert target.read_text(encoding="utf-8").startswith("# 小心诈骗\n")


def test_save_never_overwrites_without_a_yes(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine\n", encoding="utf-8")
    # Save, same name, "overwrite?" no -> the name is asked again; an empty name gives up.
    run = wizard(tree, *PATHS["scam_alert"], "y", CTRL_U, str(target), ENTER, "n", CTRL_U, ENTER)
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert "Not saved." in run.out
    # And with a yes it is replaced.
    wizard(tree, *PATHS["scam_alert"], "y", CTRL_U, str(target), ENTER, "y")
    assert target.read_text(encoding="utf-8").startswith("# Beware of scams\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]


def test_a_folder_that_does_not_exist_asks_again(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    run = wizard(
        tree, *PATHS["scam_alert"], "y", CTRL_U, str(tmp_path / "no" / "plan.md"), ENTER, CTRL_U, str(target), ENTER
    )
    assert "no such folder" in run.out
    assert target.exists()


def test_a_typed_name_ending_in_a_slash_is_no_file_name(tree: Tree, tmp_path: Path) -> None:
    """`new/` names a folder, as for the shell's `>`: no file `new` is made; the name is asked again."""
    target = tmp_path / "plan.md"
    typed = f"{tmp_path / 'new'}/"
    run = wizard(tree, *PATHS["scam_alert"], "y", CTRL_U, typed, ENTER, CTRL_U, str(target), ENTER)
    assert "(Is a directory)" in run.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]


def test_save_option_saves_without_asking(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    run = wizard(tree, *PATHS["call_hotline"], save=str(target))  # no "save?" key typed
    assert "Saved: " in run.out
    assert target.read_text(encoding="utf-8").startswith("# Call 95187\n")


@pytest.mark.parametrize(
    ("keys", "force", "replaced"), [(("n",), False, False), (("y",), False, True), ((), True, True)]
)
def test_save_option_onto_an_existing_file_asks_unless_forced(
    tree: Tree, tmp_path: Path, keys: tuple[str, ...], force: bool, replaced: bool
) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine\n", encoding="utf-8")
    wizard(tree, *PATHS["call_hotline"], *keys, save=str(target), force=force)
    assert target.read_text(encoding="utf-8").startswith("# Call 95187") is replaced


# --- The command line -----------------------------------------------------------------------------


def test_without_a_terminal_the_run_command_exits_2_and_says_how_to_script_it() -> None:
    result = run_cli("run", "--tree", str(HOTLINE))
    assert result.status == 2
    assert "standard input is not a terminal" in result.stderr
    assert "--answers" in result.stderr and "--answer" in result.stderr


def test_the_interactive_path_never_imports_networkx() -> None:
    code = f"""
import io, sys
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from wizard.cli.main import build_parser
from wizard.source.environment import Environment
from wizard.tui.interactive import BACK, AnswersOut, Prompter, fits_on_the_prompt_line, run_wizard
from wizard.render.words import word
from wizard.source.load import load_tree
build_parser()
env = Environment(stdout=io.StringIO(), stdin_isatty=True, environ={{}})
with create_pipe_input() as pipe:
    pipe.send_text({"".join((*PATHS["call_hotline"], NO))!r})
    run_wizard(load_tree({str(HOTLINE)!r}), "en", env, prompter=Prompter("en", pipe, DummyOutput()))
print(sorted(m for m in sys.modules if m.split(".")[0] == "networkx"))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("width", range(12, 30))
def test_an_answer_echoed_in_chinese_breaks_as_chinese_is_set(width: int) -> None:
    # rich joins the texts printed at the top level into a plain Text: "家" / "？ 买家" was drawn.
    from rich.console import Console

    from wizard.render.text import NO_LINE_START

    console = Console(file=io.StringIO(), width=width, markup=False, emoji=False, highlight=False)
    echo_answer(console, load_tree(PINDUODUO), "role", "consumer", "zh")
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert all(line[:1] not in NO_LINE_START and line == line.rstrip() for line in lines), lines


def test_a_glue_space_printed_at_the_top_level_holds_and_shows_as_a_space() -> None:
    from rich.console import Console

    from wizard.render.text import GLUE
    from wizard.tui.draw import prose

    for lang in ("zh", "en"):
        console = Console(file=io.StringIO(), width=10, markup=False, emoji=False, highlight=False)
        console.print(prose(lang, f"abc rung{GLUE}12"))
        assert console.file.getvalue() == "abc\nrung 12\n", lang  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("width", "lang", "question", "answer", "expected"),
    [
        # The example: "东西" went back to column 0.
        (40, "zh", "role", "consumer", ["✔ 你是买家还是商家？ 买家：在拼多多买了", "                     东西"]),
        (
            36,
            "en",
            "problem",
            "after_sales",
            ["✔ What is the problem? A return,", " " * 23 + "exchange or", " " * 23 + "refund"],
        ),
        # Too little room beside the question: it wraps under itself, and the answer follows under it.
        (
            30,
            "en",
            "role",
            "consumer",
            ["✔ Are you a shopper or a", "  merchant?", "  A shopper who bought", "  something on Pinduoduo"],
        ),
        (60, "zh", "role", "consumer", ["✔ 你是买家还是商家？ 买家：在拼多多买了东西"]),
    ],
)
def test_a_wrapped_answer_hangs_under_its_start(
    width: int, lang: str, question: str, answer: str, expected: list[str]
) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, markup=False, emoji=False, highlight=False)
    echo_answer(console, load_tree(PINDUODUO), question, answer, lang)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines == expected
    assert all(cell_len(line) <= width for line in lines)
