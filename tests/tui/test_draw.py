"""What the wizard draws, at every width: nothing a user must read is clipped (issue 17)."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from rich.console import Console

from tests.utils import ROOT
from wizard.core.engine import run_answers
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.tui.draw import draw_header, draw_outcome, echo_answer, make_console

TREE = load_tree(ROOT / "trees" / "pinduoduo.yaml")
NOW = datetime.fromisoformat("2026-11-13T10:30+08:00")


def console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, markup=False, emoji=False, highlight=False, color_system=None)


def flat(text: str) -> str:
    """The words drawn, with the box and the line breaks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def outcome_answers() -> list[dict[str, object]]:
    """One set of answers reaching each outcome, from the scenario file."""
    import yaml

    scenarios = yaml.safe_load((ROOT / "tests" / "scenarios" / "pinduoduo.yaml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, object]] = {}
    for scenario in scenarios["scenarios"]:
        if not scenario.get("defaults"):
            found.setdefault(scenario["expect"]["outcome"], scenario["answers"])
    return list(found.values())


@pytest.mark.parametrize("width", [30, 40, 60])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_plan_title_wraps_whole_at_any_width(lang: str, width: int) -> None:
    answers = outcome_answers()
    assert len(answers) == len(list(TREE.outcomes()))
    for given in answers:
        session = run_answers(TREE, given)
        screen = console(width)
        draw_outcome(screen, session, lang, NOW)
        drawn = screen.file.getvalue()  # type: ignore[attr-defined]
        title = session.outcome.title.get(lang)
        assert " ".join(title.split()) in flat(drawn) or title.replace(" ", "") in flat(drawn).replace(" ", "")
        assert all(len(line) <= width for line in drawn.splitlines())


@pytest.mark.parametrize("width", [30, 40])
def test_the_banner_wraps_its_key_hint(width: int) -> None:
    for lang, hint in (("en", "Ctrl-C quits at any time"), ("zh", "Ctrl-C")):
        screen = console(width)
        draw_header(screen, TREE, lang)
        assert hint in flat(screen.file.getvalue()) or hint.replace(" ", "") in flat(screen.file.getvalue())  # type: ignore[attr-defined]


def test_a_wrapped_answer_hangs_under_the_answer() -> None:
    screen = console(30)
    echo_answer(screen, TREE, "role", "consumer", "zh")
    first, *rest = screen.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert first.startswith("✔ ") and rest and all(line.startswith("  ") and line.strip() for line in rest)


def test_a_plain_plan_draws_no_box() -> None:
    screen = console(60)
    draw_outcome(
        screen, run_answers(TREE, {"role": "consumer", "problem": "fraud", "scam_harm": "none"}), "en", NOW, plain=True
    )
    drawn = screen.file.getvalue()  # type: ignore[attr-defined]
    assert not re.search(r"[│╭╮╰╯─]", drawn) and "Careful" in drawn


def test_a_dumb_terminal_is_laid_out_at_its_real_width() -> None:
    """Under TERM=dumb rich says 80 columns whatever the window; the real width is read instead."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        os.set_blocking(follower, True)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 50, 0, 0))
        with open(follower, "w", closefd=False) as stream:
            env = Environment(
                stdin=io.StringIO(), stdout=stream, environ={"TERM": "dumb"}, stdin_isatty=False, stdout_isatty=True
            )
            assert make_console(env).width == 50
            env = Environment(
                stdin=io.StringIO(),
                stdout=stream,
                environ={"TERM": "dumb", "COLUMNS": "70"},
                stdin_isatty=False,
                stdout_isatty=True,
            )
            assert make_console(env).width == 70
    finally:
        os.close(leader)
        os.close(follower)
