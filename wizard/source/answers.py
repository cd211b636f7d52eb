"""Scripted answers: an answers file (YAML or JSON) and `--answer ID=VALUE` flags, merged."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from wizard.core.errors import AnswerError, LoadError, Problem, UsageError
from wizard.core.model import Location
from wizard.source.load import MAX_FILE_BYTES, Document, read_document

if TYPE_CHECKING:
    from wizard.core.engine import Session
    from wizard.source.environment import Environment

__all__ = [
    "Answers",
    "answers_from_data",
    "answers_text",
    "ignored_answers",
    "locate_answer_error",
    "merge_answers",
    "parse_answer_flags",
    "read_answers",
]


class Answers(dict[str, Any]):
    """Raw answers by question id, remembering where each was written.

    A plain dict to the engine; `where` gives an error about an answer its place: the
    line of the value (or of the list item) in an answers file, or the `--answer` flag.
    """

    def __init__(self) -> None:
        super().__init__()
        self.places: dict[str, Location] = {}
        self.item_places: dict[tuple[str, str], Location] = {}

    def where(self, question: str, value: str | None = None) -> Location | None:
        """Where the answer to `question` (or its item `value`) was written, when known."""
        if value is not None and (question, value) in self.item_places:
            return self.item_places[question, value]
        return self.places.get(question)

    def update_from(self, other: Answers) -> None:
        """Take `other`'s answers and places over these (flags over a file)."""
        self.update(other)
        self.item_places = {key: at for key, at in self.item_places.items() if key[0] not in other}
        self.places.update(other.places)
        self.item_places.update(other.item_places)


#: How messages name answers read from standard input (`--answers -`).
STDIN_NAME = "<stdin>"


def read_answers(path: str | Path, env: Environment | None = None) -> Answers:
    """Read an answers file: a mapping of question id to option id, or to a list of option ids.

    Args:
        path: The file; `-` reads standard input (`env`'s), as a pipe gives it.

    Raises:
        LoadError: The file cannot be read or is not such a mapping.
        UsageError: `-` with standard input a terminal (nobody would know to type the answers).
    """
    if str(path) == "-" and env is not None:
        data = _read_stdin(env)
        if isinstance(data, bytes):
            doc = read_document(path, display=STDIN_NAME, raw=data)
        else:
            doc = read_document(path, display=STDIN_NAME, text=data)
    else:
        doc = read_document(path)
    return answers_from_data(doc, doc.data, None, None)


def _read_stdin(env: Environment) -> bytes | str:
    """Standard input, as bytes where it has them (decoded as a file is), else as text (a test's)."""
    if env.stdin is None:
        raise UsageError("--answers -: standard input is closed; pipe the answers in, or give a file")
    if env.stdin_isatty:
        raise UsageError("--answers -: standard input is a terminal; pipe the answers in, or give a file")
    stream = getattr(env.stdin, "buffer", env.stdin)
    try:
        with _blocking(env.stdin):
            data: bytes | str | None = stream.read(MAX_FILE_BYTES + 1)  # one more than the limit: too large
        if data is None:  # a non-blocking stream with nothing yet, which _blocking prevents
            raise OSError("no data")
        return data
    except (OSError, ValueError) as exc:
        raise LoadError(
            Problem(Location(STDIN_NAME), f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        ) from None


def answers_from_data(doc: Document, data: Any, parent: Any, key: Any) -> Answers:
    """Answers from a value of a document (a whole answers file, or a scenario's `answers`)."""
    where = doc.where(parent, key) if parent is not None else doc.where(data)
    if not isinstance(data, dict):
        raise LoadError(Problem(where, "answers must be a mapping of question id to option id(s)"))
    out = Answers()
    problems = []
    for question, value in data.items():
        at = doc.where(data, question)
        out.places[question] = at
        if value is None:
            out[question] = []  # `tried:` with nothing after it: the empty choice
        elif isinstance(value, list):
            items = []
            for index, item in enumerate(value):
                text = item if isinstance(item, str) else doc.text(value, index)
                if text is None or isinstance(item, (dict, list)):
                    problems.append(Problem(doc.where(value, index), f"answer to '{question}': expected option ids"))
                    continue
                items.append(text)
                out.item_places.setdefault((question, text.strip()), doc.where(value, index))
            out[question] = items
        elif isinstance(value, dict):
            problems.append(Problem(at, f"answer to '{question}': expected an option id or a list, not a mapping"))
        else:
            text = value if isinstance(value, str) else doc.text(data, question)
            out[question] = text if text is not None else str(value)
    if problems:
        raise LoadError(problems)
    return out


def parse_answer_flags(flags: Iterable[str]) -> Answers:
    """`--answer ID=VALUE` flags: `ID=a,b` for a multiple choice, `ID=` for the empty choice.

    The value stays a string; the engine splits it on commas for a multiple choice.

    Raises:
        UsageError: A flag without `=` or without an id; two flags giving one question different
            answers (as a key written twice in an answers file, it is a mistake either way round).
    """
    out = Answers()
    for flag in flags:
        question, sep, value = flag.partition("=")
        if not sep or not question.strip():
            raise UsageError(f"--answer {flag!r}: expected ID=VALUE, for example --answer role=consumer")
        question, value = question.strip(), value.strip()
        if question in out and _ids(out[question]) != _ids(value):
            earlier = out.places[question]
            raise UsageError(
                f"--answer {flag}: '{question}' is already answered by {earlier}; answer each question once"
            )
        out[question] = value
        out.places[question] = Location(f"--answer {flag}")
    return out


@contextlib.contextmanager
def _blocking(stream: IO[str]) -> Iterator[None]:
    """`stream`'s descriptor blocking while in the block: a pipe inherited non-blocking (a tool that
    shared it set the flag) would hand over only what has arrived yet, and the answers cut short
    would walk another path."""
    try:
        descriptor = stream.fileno()
        was_blocking = os.get_blocking(descriptor)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):  # no descriptor (a test's text)
        yield
        return
    if not was_blocking:
        os.set_blocking(descriptor, True)
    try:
        yield
    finally:
        if not was_blocking:
            with contextlib.suppress(OSError):
                os.set_blocking(descriptor, False)


def _ids(value: str) -> frozenset[str]:
    """The option ids a flag's value names, in any order (`a,b` and `b, a` are one answer)."""
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def merge_answers(file: str | None, flags: Iterable[str], env: Environment | None = None) -> Answers:
    """Answers from a file (`-`: `env`'s standard input), overridden by flags."""
    answers = read_answers(file, env) if file else Answers()
    answers.update_from(parse_answer_flags(flags))
    return answers


def locate_answer_error(exc: AnswerError, answers: Mapping[str, Any]) -> AnswerError:
    """`exc` with the place its answer was written, when it was written (not a question left unanswered)."""
    if isinstance(answers, Answers) and exc.blames_answer and exc.question in answers:
        exc.location = answers.where(exc.question, exc.value)
    return exc


def ignored_answers(answers: Iterable[str], questions: Collection[str], reached: Collection[str]) -> list[str]:
    """Warnings for answers a walk did not use: to no question of the tree, or to one the path never reached.

    Each starts with where the answer was written when `answers` knows (`Answers.where`).
    """
    warnings = []
    for question in answers:
        if question in questions and question in reached:
            continue
        why = "the tree has no such question" if question not in questions else "the path never reached that question"
        where = answers.where(question) if isinstance(answers, Answers) else None
        warnings.append(f"{where}: " * (where is not None) + f"answer to '{question}' ignored: {why}")
    return warnings


# --- Answers out (`run --save-answers`) -------------------------------------------------------


def answers_text(session: Session, comment: str = "") -> str:
    """A walk's answers as an answers file that `run --answers` reads back to the same path.

    YAML, one question a line in the order asked, a multiple choice as a flow list in its
    options' order (`[]` for none). PyYAML quotes every id its own reading would take for
    something else (`yes`, `12`, `null`, a leading `-`), so `read_answers` gets the ids back
    exactly. Each line of `comment` goes first, as a YAML comment (a line break in it cannot end
    the comment).
    """
    import yaml

    from wizard.core.engine import format_answer

    data = {step.question: format_answer(session.tree.question(step.question), step.answer) for step in session.steps}
    head = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    # One entry at a time: "id: option", or "id: [a, b]" (PyYAML writes a mapping of scalars alone
    # as one flow mapping, "{id: option, ...}", with default_flow_style=None).
    lines = []
    for question, answer in data.items():
        style = None if isinstance(answer, list) else False
        lines.append(yaml.safe_dump({question: answer}, allow_unicode=True, default_flow_style=style, width=2**31))
    return head + ("".join(lines) or "{}\n")
