"""The one injectable view of the outside world: streams, terminal, environment variables, clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO

__all__ = ["Environment"]


@dataclass
class Environment:
    """What a command may touch, so tests can swap any of it (httpie's `Environment`).

    Attributes:
        stdin: Standard input.
        stdout: Standard output.
        stderr: Standard error.
        stdin_isatty: Whether standard input is a terminal (prompts need one).
        stdout_isatty: Whether standard output is a terminal.
        environ: Environment variables.
        now: The clock, fixed by `--now`; None reads the real time.
    """

    stdin: IO[str] | None = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin_isatty: bool | None = None
    stdout_isatty: bool | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.stdin_isatty is None:
            self.stdin_isatty = _isatty(self.stdin)
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout)

    def clock(self) -> datetime:
        """The current time, aware (UTC when taken from the system)."""
        return self.now if self.now is not None else datetime.now(timezone.utc)

    def language(self, explicit: str | None, provided: tuple[str, ...] = ("zh", "en")) -> str:
        """`--lang` when given; else from LC_ALL, LC_MESSAGES or LANG (`zh*` -> zh), else en."""
        if explicit:
            return explicit
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = self.environ.get(name)
            if value:
                lang = "zh" if value.lower().startswith("zh") else "en"
                return lang if lang in provided else provided[0]
        return "en" if "en" in provided else provided[0]

    def debug(self) -> bool:
        return self.environ.get("WIZARD_DEBUG", "") not in ("", "0")


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, OSError):  # closed or detached
        return False
