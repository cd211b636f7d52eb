"""DOT, Mermaid and SVG of a tree whose ids hold escapes and whose texts hold U+202E carry none raw."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.cases_escape import HOSTILE_TREE
from tests.utils import run_cli
from wizard.core.model import UNSAFE
from wizard.render.diagrams import dot, mermaid
from wizard.render.diagrams.graph import tree_graph
from wizard.source.load import load_tree


@pytest.fixture
def graph(tmp_path: Path) -> object:
    path = tmp_path / "t.yaml"
    path.write_text(HOSTILE_TREE, encoding="utf-8")
    tree = load_tree(path)
    assert "\u202e" in tree.nodes["o\x1b[31m"].title.get("en")  # type: ignore[union-attr]
    return tree_graph(tree, "en", cluster=True)


@pytest.mark.parametrize("module", [dot, mermaid], ids=["dot", "mermaid"])
def test_text_formats_carry_no_unsafe_character(module: object, graph: object) -> None:
    text = module.render(graph)  # type: ignore[attr-defined]
    assert [f"U+{ord(c):04X}" for c in UNSAFE.findall(text)] == []
    assert "\ufffd" in text  # the U+202E and the ESC in ids and texts are shown by a stand-in


def test_mermaid_comments_write_the_ids_as_escapes(graph: object) -> None:
    assert "q\\u001b\\u005d52\\u003bc\\u003baGk\\u003d\\u0007" in mermaid.render(graph)


def test_svg_carries_no_unsafe_character(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed")
    path = tmp_path / "t.yaml"
    path.write_text(HOSTILE_TREE, encoding="utf-8")
    result = run_cli("export", "--tree", str(path), "--format", "svg", "--lang", "en", "--cluster")
    assert result.status == 0, result.stderr
    assert "<svg" in result.stdout
    assert [f"U+{ord(c):04X}" for c in UNSAFE.findall(result.stdout)] == []
