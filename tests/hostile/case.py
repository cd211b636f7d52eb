"""One row of the hostile-input table: a command run on bad input, and what it must and must not do.

Every row runs `python -m wizard ARGV` as a real process, in a fresh folder holding the row's
files, with no terminal and `CI=true`, as CI runs it on a pull request's files. Whatever the
row, the command must end within its timeout, print no traceback, and write no raw terminal
control (ESC, BEL, a C1 control, a bidirectional override) on either stream.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from tests.utils import ROOT

#: What may never reach a terminal raw: C0 controls but tab and line feed, DEL, C1, and the
#: bidirectional embeddings, overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Case(NamedTuple):
    """A row.

    Attributes:
        name: The row's id in pytest's output.
        argv: The arguments after `pdd-wizard`; `{dir}` stands for the row's folder.
        status: The exit status it must end with.
        says: A pattern that standard error (or, failing that, standard output) must match.
        files: Files to make first in the row's folder, by relative path: text or bytes.
        stdin: What standard input holds (bytes); None for /dev/null.
        timeout: Seconds it may take.
        after: A further check, given the row's folder and the finished process.
    """

    name: str
    argv: tuple[str, ...]
    status: int
    says: str = ""
    files: Mapping[str, str | bytes] = {}
    stdin: bytes | None = None
    timeout: float = 60
    after: Callable[[Path, subprocess.CompletedProcess[bytes]], None] | None = None


def run_case(case: Case, folder: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the row in `folder` and check what every row must hold; the finished process."""
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    argv = [arg.replace("{dir}", str(folder)) for arg in case.argv]
    environ = {**os.environ, "CI": "true", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    environ.pop("WIZARD_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "wizard", *argv],
        cwd=folder,
        input=case.stdin,
        stdin=None if case.stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        env=environ,
        timeout=case.timeout,
    )
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert not RAW_CONTROL.search(out), f"raw control on stdout: {RAW_CONTROL.search(out)!r} in {out[-500:]!r}"
    assert not RAW_CONTROL.search(err), f"raw control on stderr: {RAW_CONTROL.search(err)!r} in {err[-500:]!r}"
    assert done.returncode == case.status, f"exit {done.returncode}, not {case.status}:\n{err[-2000:]}{out[-500:]}"
    if case.says:
        assert re.search(case.says, err) or re.search(case.says, out), f"{case.says!r} not in:\n{err}{out[-1000:]}"
    if case.after is not None:
        case.after(folder, done)
    return done
