"""Diagrams of a tree: the registry of export formats, and `export_tree`, which writes one.

A format is one module with ``render(graph) -> str`` (a graph from
`wizard.render.diagrams.graph.tree_graph`) and one entry in `FORMATS`. This module is read
when the command line is built, so it imports no format and no networkx: each is imported
when it is asked for.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from wizard.core.errors import UsageError
from wizard.source.load import collector_paused

if TYPE_CHECKING:
    from wizard.core.model import Tree
    from wizard.render.diagrams.graph import PathTaken

__all__ = ["FORMATS", "SUFFIXES", "Format", "collector_paused", "export_tree", "format_from_name"]


class Format(NamedTuple):
    """One export format.

    Attributes:
        module: The module that writes it, with ``render(graph) -> str``.
        suffixes: The file name endings that ask for it (`-o tree.mmd`).
        graphviz: Graphviz's `dot` draws the module's DOT into this format (SVG, PNG).
        whole_tree: The module writes the tree itself, with ``render_tree(tree, lang=, cluster=) -> bytes``
            (the HTML page, which holds the whole tree and draws its diagrams with Graphviz).
    """

    module: str
    suffixes: tuple[str, ...]
    graphviz: bool = False
    whole_tree: bool = False


#: Every format `export_tree` writes, by name (`--format`).
FORMATS: dict[str, Format] = {
    "mermaid": Format("wizard.render.diagrams.mermaid", (".mmd", ".mermaid")),
    "dot": Format("wizard.render.diagrams.dot", (".dot", ".gv")),
    "json": Format("wizard.render.diagrams.json", (".json",)),
    "svg": Format("wizard.render.diagrams.dot", (".svg",), graphviz=True),
    "png": Format("wizard.render.diagrams.dot", (".png",), graphviz=True),
    "html": Format("wizard.render.html", (".html", ".htm"), graphviz=True, whole_tree=True),
}
#: File name ending -> the format it asks for.
SUFFIXES = {suffix: name for name, spec in FORMATS.items() for suffix in spec.suffixes}


def format_from_name(path: str | None) -> str | None:
    """The format a file name asks for by its suffix (`tree.svg` -> svg), or None."""
    return SUFFIXES.get(Path(path).suffix.lower()) if path else None


def export_tree(
    tree: Tree,
    fmt: str,
    *,
    lang: str,
    highlight: PathTaken | None = None,
    cluster: bool = False,
) -> bytes:
    """A tree exported in one format, as the bytes of the file (UTF-8 for text formats).

    Raises:
        UsageError: An unknown format, or a path to draw on the HTML page.
        GraphvizMissing: SVG, PNG or HTML without Graphviz.
        GraphvizError: Graphviz failed.
    """
    from wizard.render.diagrams import graphviz
    from wizard.render.diagrams.graph import tree_graph

    spec = FORMATS.get(fmt)
    if spec is None:
        raise UsageError(f"unknown format '{fmt}'; expected one of: {', '.join(FORMATS)}")
    if spec.graphviz:
        graphviz.dot_program()  # before any work: raises GraphvizMissing
    module = importlib.import_module(spec.module)
    if spec.whole_tree:
        if highlight is not None:
            raise UsageError(f"--format {fmt} draws the path as it is answered on the page; drop --highlight/--answer")
        with collector_paused():
            page: bytes = module.render_tree(tree, lang=lang, cluster=cluster)
        return page
    render = module.render
    with collector_paused():
        text: str = render(tree_graph(tree, lang, highlight, cluster=cluster))
    return graphviz.render(text, fmt) if spec.graphviz else text.encode("utf-8")
