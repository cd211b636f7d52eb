"""Graphviz's `dot`, which draws SVG and PNG from the DOT export: finding it, running it, its fonts."""

from __future__ import annotations

import shutil
import subprocess

from wizard.core.errors import UsageError, WizardError

__all__ = ["INSTALL_GRAPHVIZ", "GraphvizError", "GraphvizMissing", "cjk_font_installed", "dot_program", "render"]

INSTALL_GRAPHVIZ = (
    "Graphviz 'dot' is not installed; install it "
    "(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; Windows: winget install graphviz)"
)


class GraphvizMissing(UsageError):
    """SVG or PNG was asked for and Graphviz's `dot` is not on the PATH."""

    def __init__(self) -> None:
        super().__init__(INSTALL_GRAPHVIZ)


class GraphvizError(WizardError):
    """`dot` ran and failed."""


def dot_program() -> str:
    """The path of Graphviz's `dot`.

    Raises:
        GraphvizMissing: `dot` is not on the PATH.
    """
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing()
    return dot


def render(dot_text: str, fmt: str, *, timeout: float = 120.0) -> bytes:
    """Render DOT with Graphviz's `dot` to `fmt` (svg, png).

    Raises:
        GraphvizMissing: `dot` is not on the PATH.
        GraphvizError: `dot` failed.
    """
    try:
        done = subprocess.run(
            [dot_program(), f"-T{fmt}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz 'dot' took longer than {timeout:g} s; try --format dot") from None
    except OSError as exc:
        raise GraphvizError(f"cannot run Graphviz 'dot': {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        raise GraphvizError(f"Graphviz 'dot' failed: {_first_lines(done.stderr) or f'exit status {done.returncode}'}")
    return done.stdout


#: How much of `dot`'s error output is passed on: its first lines say what is wrong; a broken
#: tree can make it write megabytes.
MOST_LINES_SHOWN = 5
MOST_CHARACTERS_SHOWN = 300


def _first_lines(stderr: bytes) -> str:
    """The first lines of `dot`'s error output, each cut short, and how many were left out, in one line."""
    lines = [" ".join(line.split()) for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    shown = [
        line if len(line) <= MOST_CHARACTERS_SHOWN else f"{line[:MOST_CHARACTERS_SHOWN]}... ({len(line):,} characters)"
        for line in lines[:MOST_LINES_SHOWN]
    ]
    left = len(lines) - len(shown)
    return " | ".join(shown) + (f" (and {left:,} more lines)" if left else "")


def cjk_font_installed() -> bool:
    """Whether fontconfig, which Graphviz draws PNG text with, knows a font for Chinese.

    True when that cannot be told (no `fc-list`): a warning is given only when sure.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0 or bool(done.stdout.strip())
