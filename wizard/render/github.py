"""GitHub Actions workflow commands: `::error file=…,line=…::message` annotations on a pull request.

Shared by `check --format github` and `test --format github`. Every value passes through
`one_line`, so no raw control character from a tree or a scenario file reaches the log.
"""

from __future__ import annotations

from wizard.render.text import one_line

__all__ = ["annotation"]


def annotation(severity: str, file: str, line: int, column: int, title: str, message: str) -> str:
    """One annotation: `severity` is `error`, `warning` or `notice`; line and column 0 mean unknown."""
    properties = [f"file={_escape_property(file)}"]
    if line:
        properties.append(f"line={line}")
        if column:
            properties.append(f"col={column}")
    properties.append(f"title={_escape_property(title)}")
    return f"::{severity} {','.join(properties)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    """A workflow command's message: `one_line`, then GitHub's own escapes."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
