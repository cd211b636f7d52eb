"""Issue 17 in a real pseudo-terminal: check your answers, the scrollback, the file-name prompt, tick-box
number keys, the prompts' language, `--save-answers` replayed, and the plain mode.

What the terminal shows is read with pyte, a terminal emulator: the screen and the lines scrolled
off its top (the scrollback), as a person scrolling back would see them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.test_pty import (
    ANSI,
    ENTER,
    HOTLINE,
    LEFT,
    NOW,
    REVIEW,
    SAVE,
    SCRIPT,
    STEP,
    Terminal,
    enter_everywhere,
    environ,
    start,
)
from tests.utils import ROOT
from wizard.render.words import WORDS, word
from wizard.source.load import load_tree

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
pytestmark = [pytest.mark.pty, pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")]

PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"


def shown(output: str, cols: int, rows: int) -> list[str]:
    """What a terminal `cols` × `rows` holds after `output`: the scrollback, then the screen."""
    screen = pyte.HistoryScreen(cols, rows, history=5000)
    pyte.Stream(screen).feed(output)

    def text(line: dict[int, object]) -> str:
        return "".join(getattr(line[x], "data", " ") for x in range(cols)).rstrip()

    return [text(line) for line in screen.history.top] + [line.rstrip() for line in screen.display]


def at_review(term: Terminal, lang: str) -> None:
    term.expect(REVIEW[lang])
    term.at_prompt(lang)


def walk_to_review(term: Terminal, lang: str) -> None:
    """Enter at every question, until "check your answers"."""
    while term.expect([STEP[lang], REVIEW[lang]]) == 0:
        term.at_prompt(lang)
        term.send(ENTER)
    term.at_prompt(lang)


# --- Check your answers and the scrollback --------------------------------------------------------


def test_a_plan_taller_than_the_window_is_left_whole_when_going_back() -> None:
    # Issue 17: going back from a plan that has scrolled away left its top in the scrollback, cut mid-line.
    cols, rows = 100, 24
    term = start("--tree", str(PINDUODUO), "--lang", "en", "--now", NOW, cols=cols)
    term.child.setwinsize(rows, cols)
    walk_to_review(term, "en")
    term.send(ENTER)  # the plan
    term.expect(SAVE["en"])
    term.send(LEFT)  # back: to "check your answers"
    at_review(term, "en")
    term.send(LEFT)  # and to the last question
    term.expect(STEP["en"])
    term.at_prompt("en")
    lines = shown(term.output, cols, rows)
    term.child.sendcontrol("c")
    assert term.finish()[0] == 130
    tops = [n for n, line in enumerate(lines) if line.startswith("╭")]
    bottoms = [n for n, line in enumerate(lines) if line.startswith("╰")]
    assert len(tops) == len(bottoms) == 2  # the header and the plan, each whole
    plan = lines[tops[1] : bottoms[1] + 1]
    assert all(line.startswith("│") for line in plan[1:-1]), plan
    assert len(plan) > rows
    stale = [n for n, line in enumerate(lines) if word("stale", "en") in line]
    assert stale and stale[0] > bottoms[1]  # said, under the plan


def test_a_plan_that_fits_is_erased_when_going_back() -> None:
    cols, rows = 100, 40
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", NOW, cols=cols)
    term.at_prompt("en")
    term.send("2")
    term.send(ENTER)  # a merchant: the short plan
    at_review(term, "en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send(LEFT)
    at_review(term, "en")
    lines = shown(term.output, cols, rows)
    term.child.sendcontrol("c")
    term.finish()
    assert sum(line.startswith("╭") for line in lines) == 1  # the header only
    assert not any(word("stale", "en") in line for line in lines)
    assert "✔ Are you a shopper or a merchant? Merchant" in lines


def test_changing_an_answer_in_a_terminal() -> None:
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", NOW)
    walk_to_review(term, "en")  # a shopper, a late parcel, nothing tried: ask the courier
    term.send("2")  # change "What is the problem?"
    term.send(ENTER)
    term.expect(STEP["en"])
    term.at_prompt("en")
    term.send("3")  # a suspicious call
    term.send(ENTER)
    at_review(term, "en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send("n")
    status, output = term.finish()
    assert status == 0
    lines = shown(output, 100, 40)
    assert "No longer on your path, so dropped: What have you tried?" in lines
    assert "✔ What is the problem? A suspicious call" in lines
    assert not any("The parcel is late" in line for line in lines)  # erased where it stood
    assert any("Beware of scams" in line for line in lines)


# --- Prompts --------------------------------------------------------------------------------------


def test_number_keys_tick_in_a_terminal() -> None:
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", NOW)
    for keys in (ENTER, "2" + ENTER):  # a shopper, a faulty item
        term.at_prompt("en")
        term.send(keys)
    term.expect("1\\) In-app chat")  # drawn after the keys: the prompt reads keys
    term.send("2")  # the hotline
    term.send(ENTER)
    at_review(term, "en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send("n")
    status, output = term.finish()
    assert status == 0
    assert "✔ What have you tried? The 95187 hotline" in shown(output, 100, 40)


def test_after_no_to_overwrite_the_file_name_is_not_left_on_screen_twice(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("mine\n", encoding="utf-8")
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", NOW, cwd=tmp_path)
    term.at_prompt("en")
    term.send("2")
    term.send(ENTER)
    at_review(term, "en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send("y")
    term.expect("File name:")
    term.send("\x15plan.md" + ENTER)  # Ctrl-U, a name that exists
    term.expect("exists. Overwrite it")
    term.send("n")
    term.expect("File name:.*plan.md")  # asked again, as typed
    term.send("\x7f\x7f\x7f-2.md" + ENTER)  # plan-2.md
    status, output = term.finish()
    assert status == 0, output
    lines = [line for line in shown(output, 100, 40) if line]
    assert not any("File name:" in line for line in lines), lines
    assert lines[-1] == "Saved: plan-2.md"
    assert (tmp_path / "plan.md").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "plan-2.md").exists()


#: questionary's own English: key hints, and what it draws as an answer before the prompt is erased.
QUESTIONARY = ("Use arrow", "Use shortcuts", "arrow keys", "<space>", "to toggle", "selection", "done", "Yes", "(y/N)")


def test_every_prompt_of_a_chinese_run_is_chinese(tmp_path: Path) -> None:
    term = start("--tree", str(HOTLINE), "--lang", "zh", "--now", NOW, cwd=tmp_path)
    for keys in (ENTER, "2" + ENTER, "1" + ENTER):  # a shopper, a faulty item, the chat ticked
        term.at_prompt("zh")
        term.send(keys)
    at_review(term, "zh")
    term.send(ENTER)
    term.expect(SAVE["zh"])
    term.send("y")
    term.expect("文件名")
    term.send(ENTER)
    status, output = term.finish()
    assert status == 0, output
    text = ANSI.sub("", output)
    for english in QUESTIONARY:
        assert english not in text, english
    for key in ("review", "review_plan", "review_again", "select_keys_back", "checkbox_keys_back", "save", "file_keys"):
        assert word(key, "zh") in text, key
        assert WORDS[key]["en"] not in text, key
    assert list(tmp_path.glob("pdd-plan-*.md"))


# --- Answers out --------------------------------------------------------------------------------------


def replay(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "run", *args], capture_output=True, text=True, env=environ("en_US.UTF-8"), cwd=cwd, timeout=60
    )


@pytest.mark.parametrize("tree", [HOTLINE, PINDUODUO], ids=["fixture", "pinduoduo"])
def test_saved_answers_replay_the_interactive_run_exactly(tree: Path, tmp_path: Path) -> None:
    term = start("--tree", str(tree), "--lang", "en", "--now", NOW, "--save-answers", "answers.yaml", cwd=tmp_path)
    walk_to_review(term, "en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send("y")
    term.expect("File name:")
    term.send("\x15plan.md" + ENTER)
    status, output = term.finish()
    assert status == 0, output
    assert "Answers saved: answers.yaml" in ANSI.sub("", output)
    outcome = enter_everywhere(load_tree(tree))
    replayed = replay("--tree", str(tree), "--answers", "answers.yaml", "--format", "json", cwd=tmp_path)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stderr == ""  # no answer ignored
    assert json.loads(replayed.stdout)["outcome"] == outcome.id
    plan = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert "**Answers file:** answers.yaml" in plan
    assert f"pdd-wizard run --tree {tree} --answers answers.yaml --lang en walks this path again" in plan
    # The Markdown a scripted run saves from the file is the one the terminal saved.
    again = replay(
        "--tree",
        str(tree),
        "--answers",
        "answers.yaml",
        "--lang",
        "en",
        "--now",
        NOW,
        "--save",
        "again.md",
        "--save-answers",
        "answers.yaml",
        "--force",
        cwd=tmp_path,
    )
    assert again.returncode == 2  # the answers file is this run's input: never written over
    assert "answers.yaml" in again.stderr
    again = replay(
        "--tree",
        str(tree),
        "--answers",
        "answers.yaml",
        "--lang",
        "en",
        "--now",
        NOW,
        "--save",
        "again.md",
        "--save-answers",
        "copy.yaml",
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.md").read_text(encoding="utf-8") == plan.replace("answers.yaml", "copy.yaml")
    assert (tmp_path / "copy.yaml").read_text(encoding="utf-8") == (tmp_path / "answers.yaml").read_text(
        encoding="utf-8"
    ).replace("answers.yaml", "copy.yaml")


# --- The plain mode ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "variables"),
    [(("--plain",), {}), ((), {"TERM": "dumb"}), ((), {"ACCESSIBLE": "1"})],
    ids=["--plain", "TERM=dumb", "ACCESSIBLE=1"],
)
def test_plain_mode_in_a_terminal_moves_no_cursor_and_draws_no_box(
    args: tuple[str, ...], variables: dict[str, str]
) -> None:
    env = {**environ(), **variables}
    child = pexpect.spawn(
        str(SCRIPT),
        ["--tree", str(HOTLINE), "--lang", "en", "--now", NOW, *args],
        env=env,
        dimensions=(40, 60),
        encoding="utf-8",
        timeout=20,
    )
    import io

    child.logfile_read = io.StringIO()
    for answer in ("1", "2", "1 2", "", "n"):  # a shopper, a faulty item, chat and hotline, the plan, no save
        child.expect(r"(\)|Enter): $")  # the end of a prompt (wrapped at 60 columns)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    output = child.logfile_read.getvalue()
    assert child.exitstatus == 0, output
    assert "\x1b" not in output  # no cursor movement, no colour
    assert not re.search("[\u2500-\u257f]", output)  # no box drawing
    assert "  1. Shopper" in output and "  0. Back" in output
    assert "Your answer: In-app chat, The 95187 hotline" in output
    assert "A written complaint" in output  # both tried: the ladder's last outcome


def plain(
    *args: str, stdin: str, cwd: Path, variables: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**environ("en_US.UTF-8"), **(variables or {})}
    return subprocess.run(
        [str(SCRIPT), "run", *args], input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def test_plain_mode_reads_a_pipe_and_gives_the_scripted_plan(tmp_path: Path) -> None:
    typed = "1\n2\n1\n\n"  # a shopper, a faulty item, the chat, then "show the plan" (Enter)
    run = plain(
        "--tree",
        str(HOTLINE),
        "--plain",
        "--lang",
        "en",
        "--now",
        NOW,
        "--save-answers",
        "a.yaml",
        "--save",
        "plan.md",
        stdin=typed,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    scripted = replay("--tree", str(HOTLINE), "--answers", "a.yaml", "--lang", "en", "--now", NOW, cwd=tmp_path)
    assert scripted.returncode == 0, scripted.stderr
    assert scripted.stdout in run.stdout  # the same plan, to the byte
    assert "Saved: plan.md" in run.stdout
    assert "Type the numbers to tick, with spaces or commas between, then Enter" in run.stdout


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9\nx\n1\n2\n1,2\n\n", "A written complaint"),  # wrong numbers asked again; "1,2" ticks both
        ("1\n2\n2\n0\n0\n1\n-\n\n", "Ask the courier"),  # back from the review twice; a late parcel, none ticked
        ("1\n2\n1\n2\n3\n\n", "Beware of scams"),  # check your answers: change the problem to a scam call
    ],
)
def test_plain_mode_asks_again_goes_back_and_changes(typed: str, expected: str, tmp_path: Path) -> None:
    run = plain(
        "--tree", str(HOTLINE), "--plain", "--lang", "en", "--now", NOW, "--save", "p.md", stdin=typed, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert expected in run.stdout


def test_plain_mode_in_chinese(tmp_path: Path) -> None:
    run = plain("--tree", str(HOTLINE), "--plain", "--lang", "zh", "--now", NOW, stdin="1\n3\n\nn\n", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "输入数字后回车（直接回车选 1）：" in run.stdout
    assert "你的回答：可疑来电" in run.stdout and "小心诈骗" in run.stdout


def test_plain_mode_cancels_at_the_end_of_the_input(tmp_path: Path) -> None:
    run = plain("--tree", str(HOTLINE), "--plain", "--lang", "en", stdin="1\n", cwd=tmp_path)
    assert run.returncode == 130
    assert "pdd-wizard: cancelled" in run.stderr


@pytest.mark.parametrize("variables", [{"TERM": "dumb"}, {"ACCESSIBLE": "1"}], ids=["TERM=dumb", "ACCESSIBLE=1"])
def test_without_a_terminal_and_without_plain_the_run_still_refuses(variables: dict[str, str], tmp_path: Path) -> None:
    run = plain("--tree", str(HOTLINE), stdin="1\n", cwd=tmp_path, variables=variables)
    assert run.returncode == 2
    assert "standard input is not a terminal" in run.stderr and "--plain" in run.stderr
