"""A Mermaid flowchart, top to bottom, as GitHub renders it.

Escaping (every text from a tree is data): node ids are synthetic (``end`` or ``graph`` can
never be an id); every label is double-quoted and the characters that mean something to
Mermaid, to its entity decoding or to HTML (``" # < > & % : ` |`` and a few more) are written
as Mermaid's ``#code;`` entities; line breaks are ``<br>``. Where Mermaid would still read
written text as markup (a backslash before ``n``, its private entity markers), an invisible
U+2060 WORD JOINER is put between the two characters. Unsafe characters become U+FFFD
(`wizard.render.diagrams.graph.clean`). The tree's own node id is kept as a ``%%`` comment,
with unusual characters written as ``\\uXXXX``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from wizard.render.diagrams.graph import HIGHLIGHT, STYLES, arrow_lines, arrows, clean, label_lines, placed

__all__ = ["WRAP", "mermaid_text", "render"]

# Characters written as Mermaid entities inside labels: quotes end the string; `#`, `&`, `;`
# and the private markers U+FB02/U+00B6 take part in Mermaid's own entity decoding; `<`, `>`
# would be HTML; `%` could start a `%%{init}%%` directive; `:` makes `style ...:..#..;` lines
# lose their last `;`; backticks start Markdown strings; the rest are kept out for good measure.
_ENTITIES = str.maketrans(
    {
        '"': "#quot;",
        "#": "#35;",
        "&": "#amp;",
        "<": "#lt;",
        ">": "#gt;",
        "%": "#37;",
        ":": "#58;",
        ";": "#59;",
        "`": "#96;",
        "|": "#124;",
        "\\": "#92;",
        "\ufb02": "#64258;",
        "\u00b6": "#182;",
    }
)

# Mermaid draws a backslash followed by `n` as a line break, and decodes its entity markers
# (`ﬂ°`, `¶ß`) once more in the finished SVG: an invisible WORD JOINER keeps such text as written.
_INVISIBLE = re.compile(r"(?<=\\)(?=[nN])|(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)")
#: Columns a Mermaid label is wrapped to: Mermaid itself wraps labels wider than 200 pixels.
WRAP = 24

#: The brackets around a node's label, by `node.kind`.
_SHAPES = {
    "single": ('("', '")'),
    "multiple": ('[["', '"]]'),
    "route": ('{"', '"}'),
    "ladder": ('{{"', '"}}'),
    "outcome": ('(["', '"])'),
}


def mermaid_text(lines: Iterable[str]) -> str:
    """Label lines as the inside of a Mermaid double-quoted label: entities, and ``<br>`` between lines."""
    return "<br>".join(_INVISIBLE.sub("\u2060", clean(line).replace("\n", " ")).translate(_ENTITIES) for line in lines)


def _comment_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "_-. " else f"\\u{ord(c):04x}" for c in text)


def render(graph: Any, *, wrap: int = WRAP) -> str:
    """The graph as a Mermaid flowchart, top to bottom, as GitHub renders it.

    Args:
        graph: A graph from `wizard.render.diagrams.graph.tree_graph`.
        wrap: Wrap labels to about this many columns (0: keep the lines as they are).
    """
    out = ["flowchart TB"]
    out.append(
        f"  %% tree {_comment_safe(graph.graph['tree'])} ({graph.graph['lang']}); each node's tree id is above it"
    )
    clusters = dict(graph.graph["clusters"])
    used_styles: dict[str, list[str]] = {}
    for cid, members in placed(graph):
        indent = "  "
        if cid is not None:
            out.append(f'  subgraph {cid} ["{mermaid_text(label_lines(clusters[cid], 2 * wrap))}"]')
            out.append("    direction TB")
            indent = "    "
        for node_id in members:
            data = graph.nodes[node_id]
            opening, closing = _SHAPES[data["kind"]]
            out.append(f"{indent}%% {data['ref']} = {_comment_safe(node_id)}")
            out.append(f"{indent}{data['ref']}{opening}{mermaid_text(label_lines(data['label'], wrap))}{closing}")
            used_styles.setdefault(data["style"], []).append(data["ref"])
        if cid is not None:
            out.append("  end")
    marked: list[str] = []
    for index, arrow in enumerate(arrows(graph)):
        source, target = graph.nodes[arrow.source]["ref"], graph.nodes[arrow.target]["ref"]
        out.append(f'  {source} -->|"{mermaid_text(arrow_lines(arrow, wrap))}"| {target}')
        if arrow.highlighted:
            marked.append(str(index))
    out += _styles(graph, used_styles, marked)
    return "\n".join(out) + "\n"


def _styles(graph: Any, used_styles: dict[str, list[str]], marked: list[str]) -> list[str]:
    """The class definitions of the drawing classes used, the path's nodes, and the path's links."""
    out = []
    for name, (fill, border, ink, pen) in STYLES.items():
        if name in used_styles:
            weight = ",font-weight:bold" if name == "danger" else ""
            out.append(f"  classDef {name} fill:{fill},stroke:{border},color:{ink},stroke-width:{pen:g}px{weight}")
    out += [f"  class {','.join(used_styles[name])} {name}" for name in STYLES if name in used_styles]
    on_path = [data["ref"] for _n, data in graph.nodes(data=True) if data["highlighted"]]
    if on_path:
        out.append(f"  classDef highlight stroke:{HIGHLIGHT},stroke-width:4px")
        out.append(f"  class {','.join(on_path)} highlight")
    if marked:
        out.append(f"  linkStyle {','.join(marked)} stroke:{HIGHLIGHT},stroke-width:3px,color:{HIGHLIGHT}")
    return out
