"""The plain mode in-process: numbered text answered by number, the same walk and the same plan as a script's."""

from __future__ import annotations

import io
import re

import pytest

from tests.tui.test_interactive import HOTLINE, NIGHT, PINDUODUO
from tests.utils import run_cli
from wizard.core.engine import Session, run_answers
from wizard.core.model import MultipleChoice, Tree
from wizard.render.plan import render_text
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.tui.interactive import run_wizard
from wizard.tui.plain import PlainPrompter, PlainScreen, wants_plain

#: outcome: the lines typed (a number a question, "-" for no tick), then "check your answers" and "save?".
TYPED = {
    "seller_help": ["2"],
    "odd_outcome": ["3"],
    "scam_alert": ["1", "3"],
    "call_courier": ["1", "1", "-"],
    "use_chat": ["1", "1", "1"],
    "call_hotline": ["1", "2", "1"],
    "complain": ["1", "2", "1, 2"],
}


def plain_run(tree: Tree, lines: list[str], lang: str = "en", width: int | None = None) -> tuple[Session, str]:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    env = Environment(stdin=stdin, stdout=out, stdin_isatty=False, stdout_isatty=False, environ={}, now=NIGHT)
    screen = PlainScreen(out, lang, width)
    prompter = PlainPrompter(lang, stdin, out, width, echoes=False)
    return run_wizard(tree, lang, env, screen=screen, prompter=prompter), out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("outcome", sorted(TYPED))
def test_the_same_walk_and_the_same_plan_as_a_scripted_run(outcome: str, lang: str) -> None:
    tree = load_tree(HOTLINE)
    session, out = plain_run(tree, [*TYPED[outcome], "", "n"], lang)
    assert session.outcome.id == outcome
    scripted = run_answers(tree, session.answers)
    assert render_text(scripted, lang, NIGHT) in out
    assert "\x1b" not in out and not re.search("[\u2500-\u257f]", out)


def test_every_path_of_the_pinduoduo_tree_by_number_at_40_columns() -> None:
    """Enter alone at every question (the default) in both languages, wrapped to 40 columns."""
    tree = load_tree(PINDUODUO)
    for lang in ("zh", "en"):
        session, out = plain_run(tree, [""] * 12 + ["n"], lang, width=40)
        expected = Session(tree)
        while not expected.done:
            question = expected.question
            if isinstance(question, MultipleChoice):
                expected.answer([o for o in question.default or () if o in {x.id for x in expected.options()}])
            else:
                ids = [o.id for o in expected.options()]
                expected.answer(question.default if question.default in ids else ids[0])
        assert session.answers == expected.answers
        assert render_text(session, lang, NIGHT, width=40) in out
        assert max(len(line) for line in out.splitlines() if line.isascii()) <= 40


def test_a_wrong_number_is_asked_again_and_said_why() -> None:
    session, out = plain_run(load_tree(HOTLINE), ["7", "zero", "2", "", "n"])
    assert session.outcome.id == "seller_help"
    assert out.count("Type a number from 1 to 3.") == 2


def test_back_and_a_kept_tick() -> None:
    # A faulty item, the chat ticked; back from "check your answers" to "tried", Enter keeps the chat.
    session, out = plain_run(load_tree(HOTLINE), ["1", "2", "1", "0", "", "", "n"])
    assert session.answers["tried"] == frozenset({"chat"})
    assert "  1. In-app chat (ticked)" in out
    assert "(Enter alone keeps 1; - for none)" in out


def test_zero_among_ticks_is_refused() -> None:
    session, out = plain_run(load_tree(HOTLINE), ["1", "2", "0 1", "1", "", "n"])
    assert session.answers["tried"] == frozenset({"chat"})
    assert "Type a number from 1 to 2." in out


def test_full_width_numbers_and_commas_are_read_as_typed_in_chinese() -> None:
    session, out = plain_run(load_tree(HOTLINE), ["１", "２", "１，２", "", "n"], "zh")
    assert session.answers["tried"] == frozenset({"chat", "hotline"})
    assert "输入要勾选的数字，用空格或逗号隔开，再按回车（直接回车表示都不选）：" in out


def test_saving_in_plain_mode(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))
    _, out = plain_run(load_tree(HOTLINE), ["2", "", "y", "my plan.md"])
    assert "Saved: my plan.md" in out
    _, out = plain_run(load_tree(HOTLINE), ["2", "", "y", "my plan.md", "n", "-"])  # exists: no, then none
    assert "Not saved." in out


@pytest.mark.parametrize(
    ("environ", "flag", "plain"),
    [
        ({}, True, True),
        ({"TERM": "dumb"}, False, True),
        ({"ACCESSIBLE": "1"}, False, True),
        ({"ACCESSIBLE": "true"}, False, True),
        ({"ACCESSIBLE": "0"}, False, False),
        ({"ACCESSIBLE": ""}, False, False),
        ({"TERM": "xterm-256color"}, False, False),
    ],
)
def test_what_asks_for_the_plain_mode(environ: dict[str, str], flag: bool, plain: bool) -> None:
    assert wants_plain(environ, flag) is plain


def test_plain_mode_still_refuses_json_output() -> None:
    result = run_cli("run", "--tree", str(HOTLINE), "--plain", "--format", "json")
    assert result.status == 2
    assert "--format json needs a scripted run" in result.stderr


def test_the_readme_example_of_a_pipe_runs(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    from tests.utils import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"`(printf '[^`]*' \| pdd-wizard run --plain[^`]*)`", readme)
    assert command, "the README's plain-mode example"
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        command.group(1), shell=True, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Your answer: A merchant who sells on Pinduoduo" in result.stdout
    assert "Save this plan as a Markdown file?" in result.stdout
    assert list(os.listdir(str(tmp_path))) == []  # "n": nothing saved
