"""Graphviz's error output passed on in a few readable lines, not as one 100 KB line (issue 15)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from wizard.render.diagrams.graphviz import GraphvizError, render

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for dot")


def _fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: str) -> None:
    """A `dot` on the PATH that fails, writing `stderr`."""
    (tmp_path / "err.txt").write_text(stderr, encoding="utf-8")
    dot = tmp_path / "dot"
    dot.write_text(f"#!/bin/sh\ncat > /dev/null\ncat {tmp_path / 'err.txt'} >&2\nexit 1\n", encoding="utf-8")
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")


def test_a_long_error_output_is_cut_to_its_first_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, monkeypatch, "".join(f"Error: line {n}\n" for n in range(1, 1001)))
    with pytest.raises(GraphvizError) as caught:
        render("digraph {}", "svg")
    message = str(caught.value)
    assert message == (
        "Graphviz 'dot' failed: Error: line 1 | Error: line 2 | Error: line 3 | Error: line 4 | Error: line 5"
        " (and 995 more lines)"
    )


def test_one_huge_line_is_cut_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, monkeypatch, "Warning: " + "x" * 100_000 + "\n")
    with pytest.raises(GraphvizError) as caught:
        render("digraph {}", "png")
    message = str(caught.value)
    assert len(message) < 400
    assert message.endswith("... (100,009 characters)")


def test_no_error_output_gives_the_exit_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, monkeypatch, "")
    with pytest.raises(GraphvizError, match=r"^Graphviz 'dot' failed: exit status 1$"):
        render("digraph {}", "svg")
