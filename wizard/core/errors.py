"""Errors of pdd-wizard, and the exit status each becomes (converted in one place: `wizard.cli.main`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum

from wizard.core.model import Location

__all__ = [
    "MOST_PROBLEMS_SHOWN",
    "AnswerError",
    "CaseError",
    "CaseFileError",
    "ExitStatus",
    "LoadError",
    "NotBuiltError",
    "Problem",
    "ProblemsFound",
    "Terminated",
    "UnansweredError",
    "UsageError",
    "WizardError",
    "did_you_mean",
    "shown_problems",
]


class ExitStatus(IntEnum):
    """Exit codes, documented in the README and in `--help`."""

    OK = 0
    PROBLEMS = 1  # a check or test found problems
    BAD_INPUT = 2  # bad input or usage
    HANGUP = 129  # SIGHUP: the terminal went away (128 + the signal, as a shell reports it)
    INTERRUPTED = 130  # Ctrl-C, Ctrl-D
    TERMINATED = 143  # SIGTERM: asked to stop (`kill`, a CI job cancelled)


class Problem:
    """One thing wrong with an input file: where, and what.

    Attributes:
        location: File, line and column, when known.
        message: What is wrong and what was expected, without the location.
    """

    __slots__ = ("location", "message")

    def __init__(self, location: Location | None, message: str) -> None:
        self.location = location
        self.message = message

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def place(self, file: str | None = None) -> dict[str, str | int | None]:
        """Where it is, as the JSON outputs give it: file (`file` when it has none), line and column,
        None where unknown."""
        where = self.location
        if where is None:
            return {"file": file, "line": None, "column": None}
        return {"file": where.file, "line": where.line or None, "column": where.column or None}

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"


class WizardError(Exception):
    """Root of every error pdd-wizard reports to the user; `lines()` are printed on stderr."""

    exit_status = ExitStatus.BAD_INPUT

    def lines(self) -> list[str]:
        return [str(self)]


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: raised from the signal handler (`wizard.cli.main`) as Ctrl-C
    raises KeyboardInterrupt, so `finally` blocks and context managers clean up (a temporary
    file removed, `dot` ended, the terminal restored) before the exit status 128 + `signum`.

    Attributes:
        signum: The signal's number.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


class UsageError(WizardError):
    """The command line is wrong."""


class NotBuiltError(WizardError):
    """A subcommand that is not built yet."""


#: The most problems of one input printed for a person to read: a file wrong throughout (a
#: generated tree in an old format) would otherwise bury the first, most useful ones.
MOST_PROBLEMS_SHOWN = 100


def shown_problems(problems: Sequence[Problem]) -> tuple[Sequence[Problem], str | None]:
    """The problems to print, and the line that says how many more were left out (or None)."""
    if len(problems) <= MOST_PROBLEMS_SHOWN:
        return problems, None
    left = len(problems) - MOST_PROBLEMS_SHOWN
    return problems[:MOST_PROBLEMS_SHOWN], f"... and {left:,} more problems not shown; fix these first"


class LoadError(WizardError):
    """A tree, answers or scenario file could not be read; holds every problem found."""

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems[:MOST_PROBLEMS_SHOWN]))

    def lines(self) -> list[str]:
        shown, more = shown_problems(self.problems)
        return [str(p) for p in shown] + ([more] if more else [])


class AnswerError(WizardError):
    """An answer is not valid for its question.

    Attributes:
        question: The question's id.
        valid: The option ids that would have been accepted.
        value: The option id that was refused, when one was (for finding where it was written).
        location: Where the answer was written (an answers file's line, or the `--answer` flag),
            set by the front end that knows; printed before the message.
    """

    #: Whether an answer is at fault (and its place is worth naming), not the tree.
    blames_answer = True

    def __init__(self, question: str, message: str, valid: Iterable[str] = (), *, value: str | None = None) -> None:
        self.question = question
        self.valid = tuple(valid)
        self.value = value
        self.location: Location | None = None
        choices = ", ".join(self.valid) if self.valid else "(none offered)"
        super().__init__(f"question '{question}': {message}; valid options: {choices}")

    def lines(self) -> list[str]:
        return [f"{self.location}: {self}" if self.location else str(self)]


class UnansweredError(AnswerError):
    """A scripted run reached a question that has no answer and no default."""


class CaseError(WizardError):
    """A case cannot be found, changed as asked, or planned against its tree (exit status 2)."""


class CaseFileError(WizardError):
    """The case file cannot be used: not SQLite, damaged, another program's, from a newer pdd-wizard,
    busy or unwritable. It is left exactly as it is (exit status 2)."""


class ProblemsFound(WizardError):
    """A check or test ran and found problems (already reported)."""

    exit_status = ExitStatus.PROBLEMS


def did_you_mean(wrong: str, choices: Sequence[str]) -> str:
    """ "did you mean 'x'?" for the choice closest to a likely typo, or "" when none is close."""
    import difflib  # only for a message: nothing imports it at start-up

    close = difflib.get_close_matches(wrong, choices, n=1)
    return f"did you mean '{close[0]}'?" if close else ""
