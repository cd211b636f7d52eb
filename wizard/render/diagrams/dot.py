"""Graphviz DOT, top to bottom, with a font that has Chinese glyphs; also what SVG and PNG are drawn from.

Escaping (every text from a tree is data): node ids are synthetic (``n0``, ``n1``...); every
value is a double-quoted string in which ``&`` becomes ``&amp;`` (Graphviz decodes HTML
entities in labels), ``\\`` becomes ``\\\\`` (four in a tooltip, which Graphviz unescapes
twice) and ``"`` becomes ``\\"``; line breaks are written as DOT's ``\\n`` escape. So ``\\N``,
``\\G``, ``\\l`` or ``&lt;`` written in a tree stay literal text. Unsafe characters become
U+FFFD (`wizard.render.diagrams.graph.clean`). The tree's own node id is kept as the ``tooltip``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wizard.render.diagrams.graph import HIGHLIGHT, STYLES, arrow_lines, arrows, clean, label_lines, placed

__all__ = ["FONT", "WRAP", "dot_quote", "dot_tooltip", "render"]

#: The fonts named in DOT, first found wins: WenQuanYi Micro Hei has Chinese glyphs (Debian/Ubuntu:
#: fonts-wqy-microhei) and draws the PNG here; the others are the CJK fonts of other systems, so an
#: SVG opened elsewhere still finds one (fontconfig and browsers both read a comma-separated list).
FONT = "WenQuanYi Micro Hei,Noto Sans CJK SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,sans-serif"
#: Labels are wrapped to about this many columns (a Chinese character counts two).
WRAP = 30


def dot_quote(text: str) -> str:
    """A DOT double-quoted string whose label text reads exactly `text` (line breaks as ``\\n``)."""
    body = clean(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def dot_tooltip(text: str) -> str:
    """A DOT double-quoted tooltip that reads exactly `text` in SVG.

    Graphviz unescapes a tooltip twice (as a label, then for the image map), so a
    backslash is written as four; checked against the real `dot` by the tests.
    """
    body = clean(text).replace("&", "&amp;").replace("\\", "\\" * 4).replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def _dot_attrs(attrs: Iterable[tuple[str, str | float]]) -> str:
    parts = []
    for name, value in attrs:
        if isinstance(value, float):
            parts.append(f"{name}={value:g}")
        else:
            parts.append(f"{name}={dot_tooltip(value) if name == 'tooltip' else dot_quote(value)}")
    return "[" + ", ".join(parts) + "]"


#: A node's shape, style and further attributes, by `node.kind`.
_SHAPES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "single": ("box", "filled", ()),
    "multiple": ("box", "filled", (("peripheries", "2"),)),  # a double border: pick any
    "route": ("diamond", "filled", ()),
    "ladder": ("hexagon", "filled", ()),
    "outcome": ("box", "rounded,filled", ()),
}


def _look(style_name: str, kind: str, highlighted: bool) -> str:
    """A node's drawing attributes in DOT: shape, style, colours, border."""
    fill, border, ink, pen = STYLES[style_name]
    shape, style, more = _SHAPES[kind]
    attrs: list[tuple[str, str | float]] = [
        ("shape", shape),
        ("style", style + (",bold" if style_name == "danger" else "")),
        ("fillcolor", fill),
        ("color", HIGHLIGHT if highlighted else border),
        ("fontcolor", ink),
        ("penwidth", 3.5 if highlighted else pen),
        *more,
    ]
    return _dot_attrs(attrs)[1:-1]


def _defaults(graph: Any, wrap: int) -> list[str]:
    """The statements for the graph, every node and every edge."""
    title = "\n".join(label_lines(graph.graph["title"], 2 * wrap))
    graph_attrs: list[tuple[str, str | float]] = [
        ("rankdir", "TB"),
        ("label", title),
        ("labelloc", "t"),
        ("fontname", FONT),
        ("fontsize", 16.0),
        ("nodesep", 0.3),
        ("ranksep", 0.45),
        ("newrank", "true"),
    ]
    edge_attrs: list[tuple[str, str | float]] = [
        ("fontname", FONT),
        ("fontsize", 9.0),
        ("color", "#94a3b8" if graph.graph["highlighted"] else "#64748b"),
        ("fontcolor", "#334155"),
        ("arrowsize", 0.7),
    ]
    return [
        "  graph " + _dot_attrs(graph_attrs) + ";",
        "  node " + _dot_attrs([("fontname", FONT), ("fontsize", 11.0), ("margin", "0.12,0.06")]) + ";",
        "  edge " + _dot_attrs(edge_attrs) + ";",
    ]


def render(graph: Any, *, wrap: int = WRAP) -> str:
    """The graph as Graphviz DOT, top to bottom, with the CJK font named.

    Args:
        graph: A graph from `wizard.render.diagrams.graph.tree_graph`.
        wrap: Wrap labels to about this many columns (0: keep the lines as they are).
    """
    out = [f"digraph {dot_quote(graph.graph['tree'])} {{", *_defaults(graph, wrap)]
    clusters = dict(graph.graph["clusters"])
    looks: dict[tuple[str, str, bool], str] = {}  # the attributes after label and tooltip, by look
    for cid, members in placed(graph):
        indent = "  "
        if cid is not None:
            label = "\n".join(label_lines(clusters[cid], 2 * wrap))
            cluster_attrs: list[tuple[str, str | float]] = [
                ("label", label),
                ("style", "rounded,dashed"),
                ("color", "#94a3b8"),
                ("fontsize", 12.0),
            ]
            out += [f"  subgraph cluster_{cid[1:]} {{", "    graph " + _dot_attrs(cluster_attrs) + ";"]
            indent = "    "
        for node_id in members:
            data = graph.nodes[node_id]
            look = (data["style"], data["kind"], data["highlighted"])
            if look not in looks:
                looks[look] = _look(*look)
            label = dot_quote("\n".join(label_lines(data["label"], wrap)))
            out.append(f"{indent}{data['ref']} [label={label}, tooltip={dot_tooltip(node_id)}, {looks[look]}];")
        if cid is not None:
            out.append("  }")
    for arrow in arrows(graph):
        source, target = graph.nodes[arrow.source], graph.nodes[arrow.target]
        label = "\n".join(arrow_lines(arrow, wrap))
        attrs: list[tuple[str, str | float]] = [("label", label), ("tooltip", f"{arrow.source} -> {arrow.target}")]
        if arrow.highlighted:
            attrs += [("color", HIGHLIGHT), ("fontcolor", HIGHLIGHT), ("penwidth", 3.0), ("arrowsize", 1.0)]
        out.append(f"  {source['ref']} -> {target['ref']} " + _dot_attrs(attrs) + ";")
    out.append("}")
    return "\n".join(out) + "\n"
