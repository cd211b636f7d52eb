"""The page's diagram: the project's DOT export drawn by Graphviz as SVG, made fit to sit inside an HTML page.

Graphviz's SVG is read back with the standard library's XML parser and written out again,
so every text and attribute is escaped by the serializer whatever the tree holds (a tree id
with ``-->`` in it cannot end a comment early: comments, the XML declaration and the
DOCTYPE are dropped). Each node's group gets the id ``d-LANG-nN`` and each arrow's
``d-LANG-nN-nM`` (the synthetic refs of `wizard.render.diagrams.graph.tree_graph`), which the
page's script marks to highlight the path answered; the tooltips' links and titles go, as
do the attributes every text shares, which the root carries once instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.core.model import Tree

__all__ = ["diagram_svg"]

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_REF = re.compile(r"^n\d+$")
_ARROW = re.compile(r"^(n\d+)->(n\d+)$")
#: Text attributes written once on the root instead of on every text.
_SHARED = {"font-family": None, "text-anchor": "middle"}


def _tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


def _unwrap_links(group: ET.Element) -> None:
    """Replace each tooltip's ``<g><a>...</a></g>`` inside `group` by what it holds."""
    for index, child in enumerate(list(group)):
        links = child.findall(_tag("a")) if child.tag == _tag("g") else []
        if child.tag == _tag("g") and links and len(child) == 1:
            group.remove(child)
            for offset, inner in enumerate(list(links[0])):
                group.insert(index + offset, inner)


def _mark(root: ET.Element, lang: str) -> None:
    """Give nodes and arrows their ids and classes, and drop what the page does not need."""
    for group in root.iter(_tag("g")):
        kind = group.get("class")
        title = group.find(_tag("title"))
        name = "" if title is None else (title.text or "")
        if kind == "graph":
            group.attrib.pop("id", None)
        if kind in ("graph", "node", "edge") and title is not None:
            group.remove(title)
        if kind == "node" and _REF.match(name):
            group.set("id", f"d-{lang}-{name}")
        elif kind == "edge" and _ARROW.match(name):
            source, target = _ARROW.match(name).groups()  # type: ignore[union-attr]
            group.set("id", f"d-{lang}-{source}-{target}")
        if kind in ("node", "edge"):
            _unwrap_links(group)


def _share_text_attributes(root: ET.Element) -> None:
    """Write the font and the anchor once, on the root, rather than on each of hundreds of texts."""
    font = None
    for text in root.iter(_tag("text")):
        font = font or text.get("font-family")
        if text.get("font-family") == font:
            del text.attrib["font-family"]
        if text.get("text-anchor") == _SHARED["text-anchor"]:
            del text.attrib["text-anchor"]
    if font:
        root.set("font-family", font)
    root.set("text-anchor", str(_SHARED["text-anchor"]))


def page_svg(svg: bytes, lang: str, label: str) -> str:
    """Graphviz's SVG as markup to put inside the page, for the language `lang`, named `label`."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg)
    _mark(root, lang)
    _share_text_attributes(root)
    width = root.attrib.pop("width", "")
    root.attrib.pop("height", None)  # the page sizes it; the viewBox keeps its proportions
    if width.endswith("pt") and width[:-2].replace(".", "", 1).isdigit():
        root.set("data-width", f"{float(width[:-2]) * 4 / 3:.0f}")  # its natural size in CSS pixels
    root.set("class", "diagram-svg")
    root.set("role", "img")
    root.set("aria-label", label)
    return ET.tostring(root, encoding="unicode")


def diagram_svg(tree: Tree, lang: str, *, cluster: bool = False) -> str:
    """The tree drawn by Graphviz in `lang`, as markup for the page (`page_svg`).

    Raises:
        GraphvizMissing: Graphviz's `dot` is not on the PATH.
        GraphvizError: `dot` failed.
    """
    from wizard.render.diagrams import dot, graphviz
    from wizard.render.diagrams.graph import tree_graph
    from wizard.render.words import word

    text = dot.render(tree_graph(tree, lang, cluster=cluster))
    return page_svg(graphviz.render(text, "svg"), lang, word("page_diagram_label", lang))
