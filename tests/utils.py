"""Test helpers: run the CLI in-process and read what it printed."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from wizard.cli.main import main
from wizard.source.environment import Environment

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "trees" / "mini.yaml"


@dataclass
class Result:
    """What one CLI run did.

    Attributes:
        status: The exit status.
        stdout: What it printed on standard output.
        stderr: What it printed on standard error.
    """

    status: int
    stdout: str
    stderr: str


def run_cli(*args: str, environ: dict[str, str] | None = None, tty: bool = False) -> Result:
    """Run `pdd-wizard ARGS` in-process with captured streams and no terminal (unless `tty`)."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(),
        stdout=out,
        stderr=err,
        stdin_isatty=tty,
        stdout_isatty=False,
        environ=environ if environ is not None else {},
    )
    status = main(list(args), env)
    return Result(status, out.getvalue(), err.getvalue())
