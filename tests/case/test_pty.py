"""In a real pseudo-terminal: open a case answering its questions, log a contact interactively, then ask for
the next step, as a person would type them."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.case.helpers import ORDER, STORY_ANSWERS

pexpect = pytest.importorskip("pexpect")
pytestmark = [pytest.mark.pty, pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")]

SCRIPT = Path(sys.executable).parent / "pdd-wizard"
ENTER, DOWN, SPACE = "\r", "\x1b[B", " "


def spawn(*args: str) -> Any:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "COLUMNS")}
    environ.update({"PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color", "PYTHONUTF8": "1", "TZ": "Asia/Shanghai"})
    child = pexpect.spawn(
        str(SCRIPT), list(args), env=environ, encoding="utf-8", dimensions=(40, 200), timeout=30, codec_errors="replace"
    )
    child.logfile_read = io.StringIO()
    return child


def answer(child: Any, prompt: str, keys: str) -> None:
    """Wait for `prompt`, then type `keys` (a moment later, as a person would, once the prompt reads keys)."""
    child.expect_exact(prompt)
    time.sleep(0.15)
    child.send(keys)


def finish(child: Any) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return int(
        child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus
    ), child.logfile_read.getvalue()


def test_log_a_contact_interactively_then_ask_for_the_next_step(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite3")
    new = spawn("case", "new", *STORY_ANSWERS, "--db", db, "--lang", "en", "--now", "2026-12-01T09:00+08:00")
    answer(new, "A short title for the case:", "Refund refused" + ENTER)
    answer(new, "The order number", ORDER + ENTER)
    answer(new, "at the foot of the product page", "2026-12-20" + ENTER)  # the advice on where to find it
    status, screen = finish(new)
    assert status == 0, screen
    assert "Case 1: Refund refused" in screen

    log = spawn("case", "log", "1", "--db", db, "--lang", "en")
    answer(log, "Which channel did you contact?", ENTER)  # the case's next step is pre-selected: the chat
    answer(log, "When? (Enter for now)", "2026-12-01 10:00" + ENTER)
    answer(log, "The agent's ID", "1234" + ENTER)
    answer(log, "What was said?", "asked for a refund" + ENTER)
    answer(log, "What came of it?", DOWN * 3 + ENTER)  # solved, refused, no answer, promised
    answer(log, "What was promised?", "a refund" + ENTER)
    answer(log, "Promised by when?", "2026-12-05 18:00" + ENTER)
    answer(log, "What evidence did you keep?", DOWN + SPACE + ENTER)  # the second item: the order number
    answer(log, "A file for", ENTER)
    status, screen = finish(log)
    assert status == 0, screen
    assert "Logged contact 1 to case 1." in screen

    nxt = spawn("case", "next", "1", "--db", db, "--lang", "en", "--now", "2026-12-06T09:00+08:00")
    status, screen = finish(nxt)
    assert status == 0, screen
    assert (
        "Agent 1234 promised a refund by 12-05 18:00: that has passed; next: Call the consumer service line 95187."
        in screen
    )

    shown = spawn("case", "show", "1", "--db", db, "--lang", "en")
    status, screen = finish(shown)
    assert status == 0
    assert "2026-12-01 10:00 · Use the in-app official customer service (app_chat)" in screen
    assert "✓ The full order number, copied from the order page" in screen


def test_ctrl_c_at_a_question_logs_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite3")
    new = spawn("case", "new", *STORY_ANSWERS, "--db", db, "--title", "t", "--lang", "en")
    assert finish(new)[0] == 0
    log = spawn("case", "log", "1", "--db", db, "--lang", "en")
    answer(log, "Which channel did you contact?", ENTER)
    answer(log, "When? (Enter for now)", "\x03")
    status, screen = finish(log)
    assert status == 130, screen
    shown = spawn("case", "show", "1", "--db", db, "--lang", "en")
    assert "No contact logged yet." in finish(shown)[1]
