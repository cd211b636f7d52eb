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
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
        raise GraphvizError(f"Graphviz 'dot' failed: {message}")
    return done.stdout


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
