"""End to end in a real pseudo-terminal: the installed `pdd-wizard`, typed at like a person would.

Runs the console script next to the running Python (so CI's own virtual environment is
used), with `PROMPT_TOOLKIT_NO_CPR=1` (no cursor-position queries to wait for) and a fixed
window size.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tests.utils import FIXTURES
from wizard.core.engine import Session, default_answer
from wizard.core.model import MultipleChoice, Outcome, Tree
from wizard.source.load import load_tree, shipped_trees

pexpect = pytest.importorskip("pexpect")
pytestmark = [pytest.mark.pty, pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")]

SCRIPT = Path(sys.executable).parent / "pdd-wizard"
HOTLINE = FIXTURES / "interactive" / "hotline.yaml"
ENTER, LEFT, CTRL_C, CTRL_D = "\r", "\x1b[D", "\x03", "\x04"
STEP = {"zh": r"第 (\d+) 步，共约 (\d+) 步", "en": r"Step (\d+) of about (\d+)"}
SAVE = {"zh": "存成 Markdown 文件吗", "en": "Save this plan as a Markdown file"}
REVIEW = {"zh": "核对你的回答", "en": "Check your answers"}
#: The key instructions, drawn by prompt_toolkit once the terminal is in raw mode: keys sent
#: before that would meet the terminal's line discipline (Enter would arrive as Ctrl-J).
KEYS = {"zh": "回车确定", "en": "Enter to choose|Enter when done"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
NOW = "2026-11-12T22:30+08:00"


def trees() -> list[Any]:
    """The shipped default tree (when it is there) and the interactive fixture."""
    found = [pytest.param(HOTLINE, id="fixture")]
    if "pinduoduo" in shipped_trees():
        found.insert(0, pytest.param("pinduoduo", id="pinduoduo"))
    return found


def enter_everywhere(tree: Tree) -> Outcome:
    """Where pressing Enter at every question leads: the pre-selected default, or the first option."""
    session = Session(tree)
    while not session.done:
        options = session.options()
        question = session.question
        if isinstance(question, MultipleChoice):
            session.answer(default_answer(question, options) if question.default is not None else [])
        else:
            ids = [o.id for o in options]
            session.answer(question.default if question.default in ids else ids[0])
    return session.outcome


def environ(lang: str | None = None, no_color: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "COLUMNS")}
    env.update({"PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color", "PYTHONUTF8": "1"})
    if lang:
        env["LANG"] = lang
    if no_color:
        env["NO_COLOR"] = "1"
    return env


@dataclass
class Terminal:
    """A `pdd-wizard` run in a pseudo-terminal, and everything it wrote."""

    child: Any

    def expect(self, pattern: str | list[str]) -> int:
        index: int = self.child.expect(pattern)
        return index

    def at_prompt(self, lang: str) -> None:
        """Wait until a question's prompt is drawn and reads keys."""
        self.child.expect(KEYS[lang])

    def send(self, keys: str) -> None:
        time.sleep(0.05)  # let the prompt settle, as a person would
        self.child.send(keys)

    def finish(self) -> tuple[int, str]:
        """Wait for the end: the exit status, and the whole output."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus
        return int(status), self.output

    @property
    def output(self) -> str:
        return str(self.child.logfile_read.getvalue())


def start(
    *args: str, cols: int = 100, lang: str | None = None, no_color: bool = False, cwd: Path | None = None
) -> Terminal:
    import io

    child = pexpect.spawn(
        str(SCRIPT),
        list(args),
        env=environ(lang, no_color),
        dimensions=(40, cols),
        encoding="utf-8",
        timeout=20,
        cwd=str(cwd) if cwd else None,
    )
    child.logfile_read = io.StringIO()
    return Terminal(child)


def walk_with_enter(term: Terminal, lang: str) -> list[tuple[int, int]]:
    """Press Enter at every question and at "check your answers", and "n" at "save?"; the (N, M) of each
    "step N of about M" seen."""
    steps: list[tuple[int, int]] = []
    while True:
        index = term.expect([STEP[lang], REVIEW[lang], SAVE[lang]])
        if index == 2:
            term.send("n")
            return steps
        if index == 1:
            term.at_prompt(lang)
            term.send(ENTER)
            continue
        match = term.child.match
        steps.append((int(match.group(1)), int(match.group(2))))
        term.at_prompt(lang)
        term.send(ENTER)


def screen_lines(output: str) -> list[str]:
    return [ANSI.sub("", line) for line in output.replace("\r\n", "\n").split("\n")]


@pytest.mark.parametrize("tree", trees())
def test_chinese_start_to_outcome_on_60_columns_without_colour(tree: str | Path, tmp_path: Path) -> None:
    loaded = load_tree(tree)
    term = start("--tree", str(tree), "--now", NOW, cols=60, lang="zh_CN.UTF-8", no_color=True, cwd=tmp_path)
    steps = walk_with_enter(term, "zh")
    status, output = term.finish()
    assert status == 0, output
    assert [n for n, _ in steps] == list(range(1, len(steps) + 1))
    assert all(n <= m for n, m in steps)
    outcome = enter_everywhere(loaded)
    assert outcome.title.get("zh") in ANSI.sub("", output)
    assert not COLOUR.search(output), "NO_COLOR is set, yet a colour was drawn"
    # rich draws the header and the plan in panels exactly as wide as the terminal, Chinese text included.
    panel = [line for line in screen_lines(output) if line[:1] in ("╭", "│", "╰")]
    assert len(panel) > 5
    assert {cell_len(line.rstrip("\r")) for line in panel} == {60}
    assert list(tmp_path.iterdir()) == []  # "n": nothing saved


@pytest.mark.parametrize("tree", trees())
def test_english_with_back_and_colour(tree: str | Path) -> None:
    loaded = load_tree(tree)
    term = start("run", "--tree", str(tree), "--lang", "en", "--now", NOW)
    term.expect(r"Step 1 of about \d+")
    term.at_prompt("en")
    term.send(ENTER)
    term.expect(r"Step 2 of about \d+")
    term.at_prompt("en")
    term.send(LEFT)  # back to the first question, its answer pre-selected
    term.expect(r"Step 1 of about \d+")
    term.at_prompt("en")
    term.send(ENTER)
    walk_with_enter(term, "en")
    status, output = term.finish()
    assert status == 0, output
    assert enter_everywhere(loaded).title.get("en") in ANSI.sub("", output)
    assert COLOUR.search(output), "a colour terminal without NO_COLOR should get colour"
    assert "Traceback" not in output


def test_the_language_comes_from_lang() -> None:
    term = start("--tree", str(HOTLINE), lang="zh_CN.UTF-8")
    term.expect(STEP["zh"])
    term.at_prompt("zh")
    term.child.sendcontrol("c")
    status, _ = term.finish()
    assert status == 130


def test_the_hotline_plan_is_time_aware_whatever_the_local_zone() -> None:
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", "2026-11-12T15:30+01:00")  # 22:30 in Beijing
    for keys in (ENTER, "2" + ENTER, " " + ENTER, ENTER):  # a shopper, a faulty item, the chat tried; right
        term.at_prompt("en")
        term.send(keys)
    term.expect(SAVE["en"])
    term.send("n")
    status, output = term.finish()
    flat = " ".join(ANSI.sub("", output).replace("│", " ").split())
    assert status == 0
    assert "Outside service hours now: 95187 human service" in flat
    assert "the hours start tomorrow at 09:00" in flat
    assert "Busy period (After the 11.11 sale, until 24 November)" in flat


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize("where", ["first-question", "save-question", "file-name"])
def test_ctrl_c_and_ctrl_d_exit_130_with_one_line_and_no_file(key: str, where: str, tmp_path: Path) -> None:
    term = start("--tree", str(HOTLINE), "--lang", "en", cwd=tmp_path)
    term.at_prompt("en")
    if where != "first-question":
        term.send("2")
        term.send(ENTER)  # a merchant: straight to an outcome
        term.expect(REVIEW["en"])
        term.at_prompt("en")
        term.send(ENTER)
        term.expect(SAVE["en"])
    if where == "file-name":
        term.send("y")
        term.expect("File name:")
        term.send("\x15")  # Ctrl-U: an empty line, where Ctrl-D means end of input
    term.send(key)
    status, output = term.finish()
    assert status == 130
    assert "pdd-wizard: cancelled" in output
    assert "Traceback" not in output
    assert list(tmp_path.iterdir()) == []


def test_saving_in_the_terminal(tmp_path: Path) -> None:
    term = start("--tree", str(HOTLINE), "--lang", "en", "--now", NOW, cwd=tmp_path)
    term.at_prompt("en")
    term.send("2")
    term.send(ENTER)
    term.expect(REVIEW["en"])
    term.at_prompt("en")
    term.send(ENTER)
    term.expect(SAVE["en"])
    term.send("y")
    term.expect("File name:")
    term.send(ENTER)  # the suggested name
    status, output = term.finish()
    assert status == 0, output
    saved = tmp_path / "pdd-plan-seller-help-20261112-2230.md"
    assert saved.read_text(encoding="utf-8").startswith("# The merchant back office\n")


@pytest.mark.parametrize("stdin", ["devnull", "silent-pipe"])
def test_without_a_terminal_exit_2_at_once(stdin: str) -> None:
    started = time.monotonic()
    with subprocess.Popen(
        [str(SCRIPT)],
        stdin=subprocess.DEVNULL if stdin == "devnull" else subprocess.PIPE,  # a pipe that is never written
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ("en_US.UTF-8"),
        text=True,
    ) as proc:
        try:
            status = proc.wait(timeout=15)
        finally:
            proc.kill()
        stdout, stderr = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    assert status == 2
    assert time.monotonic() - started < 10
    assert "standard input is not a terminal" in stderr
    assert "pdd-wizard run --answers" in stderr
    assert stdout == ""


def test_ctrl_c_says_cancelled_in_the_runs_language(tmp_path: Path) -> None:
    term = start("--tree", str(HOTLINE), "--lang", "zh", cwd=tmp_path)
    term.at_prompt("zh")
    term.send(CTRL_C)
    status, output = term.finish()
    assert status == 130
    assert "pdd-wizard: 已取消" in output and "cancelled" not in output


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/tty"])
def test_png_is_never_written_on_the_terminal_under_another_name(name: str) -> None:
    term = start("export", "--format", "png", "-o", name, "--lang", "en")
    status, output = term.finish()
    assert status == 2
    assert f"pdd-wizard: PNG is binary and {name} is a terminal" in output
    assert "PNG" not in output.replace("PNG is binary", "")  # no image bytes (they begin with \x89PNG)
