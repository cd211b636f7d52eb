"""SIGTERM and SIGHUP stop a run as Ctrl-C does: nothing left behind, exit 128 + the signal (issue 15).

Real processes, real signals: a save held in the middle of its write, an export waiting on a
slow `dot`, an interactive question in a pseudo-terminal. Also: a run whose current folder was
deleted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.utils import FIXTURES, MINI, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

HOTLINE = FIXTURES / "interactive" / "hotline.yaml"
ANSWERS = ("--answer", "role=buyer", "--answer", "problem=quality", "--answer", "tried=chat")
SIGNALS = [pytest.param(signal.SIGTERM, 143, id="SIGTERM"), pytest.param(signal.SIGHUP, 129, id="SIGHUP")]

#: `pdd-wizard ARGV` with the file's sync held until a signal comes: the `.part` file is then full size.
HELD_SAVE = """
import os, sys, time
HELD = sys.argv[1]
def held(descriptor):
    open(HELD, "w").close()
    time.sleep(60)
os.fsync = held
from wizard.cli.main import entry
sys.argv = ["pdd-wizard", *sys.argv[2:]]
entry()
"""


def _environ(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **extra}


def _wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.parametrize(("signum", "status"), SIGNALS)
def test_a_signal_during_a_save_leaves_no_part_file(tmp_path: Path, signum: int, status: int) -> None:
    held = tmp_path / "held"
    target = tmp_path / "out" / "plan.md"
    target.parent.mkdir()
    argv = ["run", "--tree", str(HOTLINE), *ANSWERS, "--save", str(target)]
    with subprocess.Popen(
        [sys.executable, "-c", HELD_SAVE, str(held), *argv],
        env=_environ(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as child:
        _wait_for(held)
        assert [p.name.endswith(".part") for p in target.parent.iterdir()] == [True]
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    assert child.returncode == status, err
    assert err.decode().endswith(f"pdd-wizard: stopped by {signal.Signals(signum).name}\n")
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(("signum", "status"), SIGNALS)
def test_a_signal_during_an_svg_export_ends_dot(tmp_path: Path, signum: int, status: int) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    pid_file = tmp_path / "dot.pid"
    fake_dot = bin_folder / "dot"
    fake_dot.write_text(f"#!/bin/sh\necho $$ > {pid_file}.tmp && mv {pid_file}.tmp {pid_file}\nexec sleep 60\n")
    fake_dot.chmod(0o755)
    out = tmp_path / "tree.svg"
    with subprocess.Popen(
        [sys.executable, "-m", "wizard", "export", "--tree", str(MINI), "-o", str(out)],
        env=_environ(PATH=f"{bin_folder}:{os.environ['PATH']}"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as child:
        _wait_for(pid_file)
        dot_pid = int(pid_file.read_text())
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    assert child.returncode == status, err
    with pytest.raises(ProcessLookupError):  # ended and reaped, not left running on its own
        os.kill(dot_pid, 0)
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


@pytest.mark.pty
@pytest.mark.parametrize(("signum", "status"), SIGNALS)
def test_a_signal_at_a_question_restores_the_terminal(signum: int, status: int) -> None:
    pexpect = pytest.importorskip("pexpect")
    environ = _environ(PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", PYTHONUTF8="1", LANG="en_US.UTF-8")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "wizard", "run", "--tree", str(HOTLINE), "--lang", "en"],
        env=environ,
        dimensions=(30, 100),
        encoding="utf-8",
        timeout=30,
    )
    child.expect("Enter to choose")
    assert "\x1b[?2004h" in child.before and "\x1b[?25l" in child.before  # paste mode on, cursor hidden
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    after = child.before
    assert child.exitstatus == status, after
    assert "\x1b[?25h" in after and "\x1b[?2004l" in after, repr(after)  # cursor shown, paste mode off
    assert f"pdd-wizard: stopped by {signal.Signals(signum).name}" in after


def test_the_help_and_the_readme_list_the_signal_statuses() -> None:
    from wizard.cli.main import EXIT_CODES_HELP
    from wizard.core.errors import ExitStatus

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status in (ExitStatus.HANGUP, ExitStatus.TERMINATED):
        assert f"\n  {int(status)}  " in EXIT_CODES_HELP
        assert f"\n| {int(status)} |" in readme


def _in_a_deleted_folder(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`pdd-wizard ARGV` started in a folder removed just before."""
    gone = tmp_path / "gone"
    gone.mkdir()
    return subprocess.run(
        [
            "sh",
            "-c",
            'cd "$1" && rmdir "$1" && shift && exec "$@"',
            "sh",
            str(gone),
            sys.executable,
            "-m",
            "wizard",
            *argv,
        ],
        env=_environ(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_deleted_current_folder_is_named_as_the_cause(tmp_path: Path) -> None:
    """Not "cannot write": what went wrong is that the folder the run started in is gone."""
    done = _in_a_deleted_folder(tmp_path, "run", "--defaults", "--lang", "en")
    assert "Traceback" not in done.stderr
    if done.returncode != 0:  # the shipped tree's name is worked out from the current folder
        assert done.returncode == 2
        assert "the current folder no longer exists (deleted or moved)" in done.stderr, done.stderr
        assert "cannot write" not in done.stderr


def test_a_save_in_a_deleted_current_folder_says_so(tmp_path: Path) -> None:
    done = _in_a_deleted_folder(tmp_path, "run", "--tree", str(HOTLINE), *ANSWERS, "--save", "plan.md")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Next step" in done.stdout  # the plan is printed before the save
    assert "plan.md: cannot make a file in the current folder: the folder was deleted" in done.stderr, done.stderr
