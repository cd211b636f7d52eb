"""The one injectable view of the outside world: streams, terminal, environment variables, clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING

from wizard.core.errors import UsageError

if TYPE_CHECKING:  # datetime costs start-up time; a scripted run never reads the clock
    from datetime import datetime, tzinfo

__all__ = ["Environment"]


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

    def __init__(
        self,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        stdin_isatty: bool | None = None,
        stdout_isatty: bool | None = None,
        environ: Mapping[str, str] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.stdin: IO[str] | None = sys.stdin if stdin is None else stdin
        self.stdout: IO[str] = sys.stdout if stdout is None else stdout
        self.stderr: IO[str] = (sys.stderr or _discard()) if stderr is None else stderr
        self.stdin_isatty: bool = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stdout_isatty: bool = _isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.now = now
        #: The language `language` chose last: what the run speaks (its Ctrl-C message too).
        self.chosen_language: str | None = None

    def clock(self) -> datetime:
        """The current time, aware: in the user's own zone (TZ, else the system's) when taken from the
        system, so that its zone is the reader's; `--now` keeps the offset it was given."""
        from datetime import datetime

        return self.now if self.now is not None else datetime.now().astimezone()

    def local_zone(self) -> tzinfo:
        """The person's own time zone: `TZ` when it names an IANA zone, else the system's."""
        from datetime import datetime

        name = self.environ.get("TZ", "").strip().lstrip(":")
        if name:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):  # a POSIX rule ("CET-1CEST"): the system's reading
                pass
        zone = datetime.now().astimezone().tzinfo
        assert zone is not None  # astimezone() always gives one
        return zone

    def language(self, explicit: str | None, provided: tuple[str, ...] = ("zh", "en"), tree: str = "") -> str:
        """`--lang` when given; else from LC_ALL, LC_MESSAGES or LANG (`zh*` -> zh), else en.

        Args:
            provided: The languages the tree has: a language from the environment that it
                lacks gives way to its first; one asked for with `--lang` is an error.
            tree: The tree's id, for that error.

        Raises:
            UsageError: `--lang` names a language the tree does not have.
        """
        self.chosen_language = self._language(explicit, provided, tree)
        return self.chosen_language

    def _language(self, explicit: str | None, provided: tuple[str, ...], tree: str) -> str:
        if explicit:
            if explicit not in provided:  # else its text would be another language's, labelled as this one
                which = f"tree '{tree}'" if tree else "the tree"
                raise UsageError(
                    f"--lang {explicit}: {which} has no '{explicit}' text; its languages: {', '.join(provided)}"
                )
            return explicit
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            value = self.environ.get(name)
            if value:
                lang = "zh" if value.lower().startswith("zh") else "en"
                return lang if lang in provided else provided[0]
        return "en" if "en" in provided else provided[0]

    def debug(self) -> bool:
        return self.environ.get("WIZARD_DEBUG", "") not in ("", "0")


def _discard() -> IO[str]:
    """Where messages go when Python started with standard error closed (`2>&-`): nowhere.

    `print(..., file=None)` would write them to standard output, into the data a program reads.
    """
    return open(os.devnull, "w", encoding="utf-8")  # open for the whole run


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, OSError):  # closed or detached
        return False
