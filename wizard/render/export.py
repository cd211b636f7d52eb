"""Diagrams of a tree: a networkx graph of it, and exporters to Mermaid, Graphviz DOT, JSON, SVG and PNG.

`tree_graph` builds one `networkx.MultiDiGraph` from the model; every exporter
renders that graph, so all formats show the same nodes, edges and words.

Graph attributes: ``tree``, ``title``, ``lang``, ``start``, ``highlighted`` (a path
is drawn), ``clusters`` (``[(cluster id, label), ...]`` when grouped by the first answer).
Node keys are the tree's node ids, with attributes ``ref`` (a synthetic id ``n0``,
``n1``... in file order: the only id written into DOT and Mermaid), ``kind``,
``label`` (plain text, lines separated by ``\\n``), ``level`` and ``tone``
(outcomes), ``style`` (the drawing class, see `STYLES`), ``cluster`` and
``highlighted``. Edge keys are the model's edge keys (unique per source), with
``label`` (the option or the condition in plain words) and ``highlighted``.

Diagram formats draw parallel edges (several options of one question leading to the
same node) as one arrow carrying every label.

Escaping (every text from a tree is data):

* DOT: node ids are synthetic; every value is a double-quoted string in which ``&``
  becomes ``&amp;`` (Graphviz decodes HTML entities in labels), ``\\`` becomes ``\\\\``
  (four in a tooltip, which Graphviz unescapes twice) and ``"`` becomes ``\\"``; line
  breaks are written as DOT's ``\\n`` escape. So ``\\N``, ``\\G``, ``\\l`` or ``&lt;``
  written in a tree stay literal text.
* Mermaid: node ids are synthetic (``end`` or ``graph`` can never be an id); every label
  is double-quoted and the characters that mean something to Mermaid, to its entity
  decoding or to HTML (``" # < > & % : ` |`` and a few more) are written as
  Mermaid's ``#code;`` entities; line breaks are ``<br>``. Where Mermaid would still
  read written text as markup (a backslash before ``n``, its private entity markers), an
  invisible U+2060 WORD JOINER is put between the two characters.
* Both: the characters of `wizard.render.text.UNSAFE` (controls, bidi overrides) become
  U+FFFD. The tree's own node id is kept as the DOT ``tooltip`` and as a Mermaid ``%%``
  comment (with unusual characters written as ``\\uXXXX``).

The JSON export is one object, the same bytes for the same tree and options, used by the
golden tests and by tools::

    {"format": "pdd-wizard-graph", "version": 1, "tree": ID, "lang": "en", "title": TEXT,
     "start": ID, "highlighted": false, "clusters": [{"id": "c0", "label": TEXT}],
     "nodes": [{"id": ID, "ref": "n0", "kind": "single", "label": TEXT, "level": null,
                "tone": null, "style": "question", "cluster": null, "highlighted": false}],
     "edges": [{"source": ID, "target": ID, "key": KEY, "label": TEXT, "highlighted": false}]}

``kind`` is the node kind of the tree format; ``level``/``tone`` are set on outcomes only;
``cluster`` is a cluster id or null; nodes in file order, edges in the engine's order.
"""

from __future__ import annotations

import contextlib
import gc
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from wizard.core.engine import Session, default_answer, refuse_revisit
from wizard.core.errors import UsageError, WizardError
from wizard.core.model import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Edge,
    Ladder,
    MultipleChoice,
    Node,
    Not,
    Outcome,
    Route,
    SingleChoice,
    Tree,
)
from wizard.render.text import UNSAFE, json_document, wrap
from wizard.render.words import WORDS, word

__all__ = [
    "EXPORTERS",
    "FONT",
    "FORMATS",
    "GRAPHVIZ_FORMATS",
    "STYLES",
    "SUFFIXES",
    "GraphvizError",
    "GraphvizMissing",
    "PathTaken",
    "describe",
    "export_tree",
    "format_from_name",
    "label_lines",
    "render_graphviz",
    "style_class",
    "to_dot",
    "to_json",
    "to_mermaid",
    "tree_graph",
    "walk",
    "words",
]

#: The font named in DOT: it has Chinese glyphs (Debian/Ubuntu: fonts-wqy-microhei).
FONT = "WenQuanYi Micro Hei"
#: Labels are wrapped to about this many columns (a Chinese character counts two).
WRAP = 30
#: Formats rendered by Graphviz's `dot` from the DOT export.
GRAPHVIZ_FORMATS = ("svg", "png")

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


# --- Words ----------------------------------------------------------------------------------


def words(lang: str) -> dict[str, str]:
    """The fixed words of diagrams in `lang` (English when the language has none)."""
    return {key: word(key, lang) for key in WORDS}


def describe(condition: Condition, tree: Tree, lang: str) -> str:
    """A condition in plain words, with option labels: "problem is Logistics", "tried does not include Chat".

    Args:
        condition: The condition.
        tree: The tree, for the option labels.
        lang: Language of the words and labels.
    """
    w = words(lang)
    if isinstance(condition, Compare):
        values = [w["quote"].format(v=_option_label(tree, condition.question, v, lang)) for v in condition.values]
        op: str = condition.op
        if len(values) == 1:
            op = {"in": "is", "not_in": "is_not", "includes_any": "includes"}.get(op, op)
        else:
            op = {"includes": "includes_all", "excludes": "excludes_all"}.get(op, op)
        return w[op].format(q=condition.question, v=w["list"].join(values))
    if isinstance(condition, Not):
        return w["not"].format(c=describe(condition.condition, tree, lang))
    joiner = w["and"] if isinstance(condition, AllOf) else w["or"]
    parts = []
    for part in condition.conditions:
        text = describe(part, tree, lang)
        if isinstance(part, (AllOf, AnyOf)) and len(part.conditions) > 1:
            text = w["group"].format(c=text)
        parts.append(text)
    return joiner.join(parts)


def _option_label(tree: Tree, question_id: str, option_id: str, lang: str) -> str:
    node = tree.nodes.get(question_id)
    if isinstance(node, (SingleChoice, MultipleChoice)):
        for option in node.options:
            if option.id == option_id:
                return option.label.get(lang)
    return option_id


def node_label(node: Node, tree: Tree, lang: str, *, glue: str = " ") -> str:
    """What a diagram writes in a node: the prompt, the outcome's title and rung, or what a route does.

    Args:
        glue: The spaces inside "rung 2" (`wizard.render.text.GLUE` keeps it on one line where text wraps).
    """
    w = words(lang)
    if isinstance(node, SingleChoice):
        return node.prompt.get(lang)
    if isinstance(node, MultipleChoice):
        return f"{node.prompt.get(lang)}\n{w['pick_any']}"
    if isinstance(node, Route):
        return w["route"]
    if isinstance(node, Ladder):
        return w["ladder"]
    title = node.title.get(lang)
    return f"{title}\n{w['rung'].format(n=node.level).replace(' ', glue)}" if node.level > 0 else title


def edge_label(edge: Edge, tree: Tree, lang: str) -> str:
    """What a diagram writes on an edge: the option's label, or the route's condition in plain words."""
    w = words(lang)
    source = tree.nodes.get(edge.source)
    if isinstance(source, Ladder):
        if edge.key == "exhausted":
            return w["all_tried"]
        step = edge.key.partition(":")[2]
        text = w["not_tried"].format(v=_option_label(tree, source.question, step, lang))
        return text if edge.when is None else f"{text}\n{w['only_if'].format(c=describe(edge.when, tree, lang))}"
    if isinstance(source, Route):
        if edge.when is None:
            return w["otherwise"]
        return describe(edge.when, tree, lang)
    if isinstance(source, MultipleChoice):
        return w["any_answer"]
    text = edge.option.label.get(lang) if edge.option is not None else edge.key
    return text if edge.when is None else f"{text}\n{w['offered_if'].format(c=describe(edge.when, tree, lang))}"


# --- The graph ------------------------------------------------------------------------------

#: Drawing classes: fill colour, border colour, text colour, border width.
#: `step0`..`step5` are outcomes along the ladder (green to red), scaled to the tree's top rung.
STYLES: dict[str, tuple[str, str, str, float]] = {
    "question": ("#dbeafe", "#1d4ed8", "#0f172a", 1.2),
    "multiple": ("#e0e7ff", "#4338ca", "#0f172a", 1.2),
    "route": ("#f1f5f9", "#64748b", "#334155", 1.0),
    "info": ("#f0fdfa", "#0f766e", "#0f172a", 1.2),
    "step0": ("#dcfce7", "#15803d", "#0f172a", 1.2),
    "step1": ("#ecfccb", "#4d7c0f", "#0f172a", 1.2),
    "step2": ("#fef9c3", "#a16207", "#0f172a", 1.2),
    "step3": ("#fed7aa", "#c2410c", "#0f172a", 1.2),
    "step4": ("#fdba74", "#c2410c", "#0f172a", 1.5),
    "step5": ("#fca5a5", "#b91c1c", "#0f172a", 1.5),
    "danger": ("#dc2626", "#7f1d1d", "#ffffff", 3.0),
}
HIGHLIGHT = "#db2777"
_STEPS = 6


def style_class(node: Node, top: int) -> str:
    """The drawing class of a node (a key of `STYLES`); `top` is the tree's highest outcome level."""
    if isinstance(node, SingleChoice):
        return "question"
    if isinstance(node, MultipleChoice):
        return "multiple"
    if isinstance(node, (Route, Ladder)):
        return "route"
    if node.tone == "danger":
        return "danger"
    if node.level <= 0:
        return "info"
    if top <= 1:
        return "step0"
    return f"step{round((node.level - 1) * (_STEPS - 1) / (top - 1))}"


@dataclass(frozen=True)
class PathTaken:
    """Where a set of answers leads: the nodes and edges of the path, maybe stopped short.

    Attributes:
        nodes: Ids of the nodes on the path, in order.
        edges: ``(source, key)`` of every edge followed.
        stopped_at: The question where the path stopped for want of an answer, or None.
    """

    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]
    stopped_at: str | None = None


def walk(tree: Tree, answers: Mapping[str, object], *, defaults: bool = False) -> PathTaken:
    """The path scripted answers take; a path that reaches a question without an answer stops there.

    Raises:
        AnswerError: An answer is not valid for its question.
    """
    session = Session(tree)
    while not session.done:
        question = refuse_revisit(session)
        if question.id in answers:
            session.answer(answers[question.id])
        elif defaults and question.default is not None:
            session.answer(default_answer(question, session.options()))
        else:
            break
    edges = tuple((edge.source, edge.key) for edge in session.edges())
    return PathTaken(tuple(session.visited()), edges, None if session.done else session.question.id)


def first_answer_groups(tree: Tree, graph: Any) -> dict[str, str]:
    """Node id -> option id of the start question, for nodes reached through that one option only."""
    start = tree.nodes.get(tree.start)
    if not isinstance(start, SingleChoice):
        return {}
    import networkx as nx

    rest = graph.subgraph([n for n in graph if n != tree.start])
    reached: dict[str, set[str]] = {}
    for option in start.options:
        if option.next is None or option.next not in rest:
            continue
        for node_id in {option.next, *nx.descendants(rest, option.next)}:
            reached.setdefault(node_id, set()).add(option.id)
    return {node_id: next(iter(ids)) for node_id, ids in reached.items() if len(ids) == 1}


def tree_graph(tree: Tree, lang: str, highlight: PathTaken | None = None, *, cluster: bool = False) -> Any:
    """The tree as a `networkx.MultiDiGraph` with the words and styles of its diagrams.

    Args:
        tree: The tree.
        lang: Language of the labels.
        highlight: A path to mark (`walk`).
        cluster: Group nodes by the option of the start question that leads to them.
    """
    import networkx as nx  # here, so that `describe` and the labels are usable without it (`show`)

    graph = nx.MultiDiGraph(
        tree=tree.id,
        title=tree.title.get(lang),
        lang=lang,
        start=tree.start,
        highlighted=highlight is not None,
        clusters=[],
    )
    top = max((o.level for o in tree.outcomes()), default=0)
    on_path = set(highlight.nodes) if highlight else set()
    for index, node in enumerate(tree.nodes.values()):
        graph.add_node(
            node.id,
            ref=f"n{index}",
            kind=node.kind,
            label=node_label(node, tree, lang),
            level=node.level if isinstance(node, Outcome) else None,
            tone=node.tone if isinstance(node, Outcome) else None,
            style=style_class(node, top),
            cluster=None,
            highlighted=node.id in on_path,
        )
    taken = set(highlight.edges) if highlight else set()
    for edge in tree.edges():
        if edge.target not in graph:  # a broken reference: `pdd-wizard check` reports it
            continue
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.key,
            label=edge_label(edge, tree, lang),
            highlighted=(edge.source, edge.key) in taken,
        )
    if cluster:
        groups = first_answer_groups(tree, graph)
        start = tree.nodes[tree.start]
        assert isinstance(start, SingleChoice) or not groups
        names: dict[str, str] = {}
        for option in start.options if isinstance(start, SingleChoice) else ():
            if option.id in groups.values() and option.id not in names:
                names[option.id] = f"c{len(names)}"
                graph.graph["clusters"].append((names[option.id], option.label.get(lang)))
        for node_id, option_id in groups.items():
            graph.nodes[node_id]["cluster"] = names[option_id]
    return graph


class _Arrow(NamedTuple):
    """One arrow of a diagram: the edges between two nodes, drawn once."""

    source: str
    target: str
    labels: tuple[str, ...]
    highlighted: bool


def _arrows(graph: Any) -> list[_Arrow]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, target, data in graph.edges(data=True):
        grouped.setdefault((source, target), []).append(data)
    return [
        _Arrow(source, target, tuple(d["label"] for d in items), any(d["highlighted"] for d in items))
        for (source, target), items in grouped.items()
    ]


def _arrow_lines(arrow: _Arrow, wrap: int) -> list[str]:
    """The lines of an arrow's label: one label wrapped, or several as a list of bullets."""
    if len(arrow.labels) == 1:
        return label_lines(arrow.labels[0], wrap)
    lines = []
    for label in arrow.labels:
        for index, line in enumerate(label_lines(label, max(wrap - 2, 0))):
            lines.append(("• " if index == 0 else "") + line)
    return lines


def _placed(graph: Any) -> list[tuple[str | None, list[str]]]:
    """Nodes grouped for drawing: ``(cluster id or None, node ids)``, start and shared nodes first."""
    outside = [n for n, c in graph.nodes(data="cluster") if c is None]
    out: list[tuple[str | None, list[str]]] = [(None, outside)]
    for cid, _label in graph.graph["clusters"]:
        out.append((cid, [n for n, c in graph.nodes(data="cluster") if c == cid]))
    return out


# --- Text wrapping --------------------------------------------------------------------------


def label_lines(text: str, width: int) -> list[str]:
    """A label's lines, `_clean`, each at most about `width` columns (0: its own line breaks only).

    Broken as every plain text is (`wizard.render.text.wrap`), but a word wider than a line is
    kept whole: a diagram's box grows instead.
    """
    return wrap(_clean(text), width or None, fold=False)


def _clean(text: str) -> str:
    """Text DOT and Mermaid can carry: CR LF and CR made line feeds, every `UNSAFE` character U+FFFD."""
    if text.isprintable():
        return text
    return UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- DOT ------------------------------------------------------------------------------------


def dot_quote(text: str) -> str:
    """A DOT double-quoted string whose label text reads exactly `text` (line breaks as ``\\n``)."""
    body = _clean(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def dot_tooltip(text: str) -> str:
    """A DOT double-quoted tooltip that reads exactly `text` in SVG.

    Graphviz unescapes a tooltip twice (as a label, then for the image map), so a
    backslash is written as four; checked against the real `dot` by the tests.
    """
    body = _clean(text).replace("&", "&amp;").replace("\\", "\\" * 4).replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def _dot_attrs(attrs: Iterable[tuple[str, str | float]]) -> str:
    parts = []
    for name, value in attrs:
        if isinstance(value, float):
            parts.append(f"{name}={value:g}")
        else:
            parts.append(f"{name}={dot_tooltip(value) if name == 'tooltip' else dot_quote(value)}")
    return "[" + ", ".join(parts) + "]"


_DOT_SHAPES = {
    "single": ("box", "filled"),
    "multiple": ("box", "filled"),
    "route": ("diamond", "filled"),
    "ladder": ("hexagon", "filled"),
    "outcome": ("box", "rounded,filled"),
}


def _dot_look(style_name: str, kind: str, highlighted: bool) -> str:
    """A node's drawing attributes in DOT: shape, style, colours, border."""
    fill, border, ink, pen = STYLES[style_name]
    shape, style = _DOT_SHAPES[kind]
    attrs: list[tuple[str, str | float]] = [
        ("shape", shape),
        ("style", style + (",bold" if style_name == "danger" else "")),
        ("fillcolor", fill),
        ("color", HIGHLIGHT if highlighted else border),
        ("fontcolor", ink),
        ("penwidth", 3.5 if highlighted else pen),
    ]
    if kind == "multiple":
        attrs.append(("peripheries", "2"))
    return _dot_attrs(attrs)[1:-1]


def to_dot(graph: Any, *, wrap: int = WRAP) -> str:
    """The graph as Graphviz DOT, top to bottom, with the CJK font named.

    Args:
        graph: A graph from `tree_graph`.
        wrap: Wrap labels to about this many columns (0: keep the lines as they are).
    """
    highlighted = graph.graph["highlighted"]
    out = [f"digraph {dot_quote(graph.graph['tree'])} {{"]
    title = "\n".join(label_lines(graph.graph["title"], 2 * wrap))
    out.append(
        "  graph "
        + _dot_attrs(
            [
                ("rankdir", "TB"),
                ("label", title),
                ("labelloc", "t"),
                ("fontname", FONT),
                ("fontsize", 16.0),
                ("nodesep", 0.3),
                ("ranksep", 0.45),
                ("newrank", "true"),
            ]
        )
        + ";"
    )
    out.append("  node " + _dot_attrs([("fontname", FONT), ("fontsize", 11.0), ("margin", "0.12,0.06")]) + ";")
    out.append(
        "  edge "
        + _dot_attrs(
            [
                ("fontname", FONT),
                ("fontsize", 9.0),
                ("color", "#94a3b8" if highlighted else "#64748b"),
                ("fontcolor", "#334155"),
                ("arrowsize", 0.7),
            ]
        )
        + ";"
    )
    clusters = dict(graph.graph["clusters"])
    looks: dict[tuple[str, str, bool], str] = {}  # the attributes after label and tooltip, by look
    for cid, members in _placed(graph):
        indent = "  "
        if cid is not None:
            index = cid[1:]
            out.append(f"  subgraph cluster_{index} {{")
            label = "\n".join(label_lines(clusters[cid], 2 * wrap))
            out.append(
                "    graph "
                + _dot_attrs([("label", label), ("style", "rounded,dashed"), ("color", "#94a3b8"), ("fontsize", 12.0)])
                + ";"
            )
            indent = "    "
        for node_id in members:
            data = graph.nodes[node_id]
            look = (data["style"], data["kind"], data["highlighted"])
            if look not in looks:
                looks[look] = _dot_look(*look)
            label = dot_quote("\n".join(label_lines(data["label"], wrap)))
            out.append(f"{indent}{data['ref']} [label={label}, tooltip={dot_tooltip(node_id)}, {looks[look]}];")
        if cid is not None:
            out.append("  }")
    for arrow in _arrows(graph):
        source, target = graph.nodes[arrow.source], graph.nodes[arrow.target]
        label = "\n".join(_arrow_lines(arrow, wrap))
        attrs: list[tuple[str, str | float]] = [("label", label), ("tooltip", f"{arrow.source} -> {arrow.target}")]
        if arrow.highlighted:
            attrs += [("color", HIGHLIGHT), ("fontcolor", HIGHLIGHT), ("penwidth", 3.0), ("arrowsize", 1.0)]
        out.append(f"  {source['ref']} -> {target['ref']} " + _dot_attrs(attrs) + ";")
    out.append("}")
    return "\n".join(out) + "\n"


# --- Mermaid --------------------------------------------------------------------------------

# Characters written as Mermaid entities inside labels: quotes end the string; `#`, `&`, `;`
# and the private markers U+FB02/U+00B6 take part in Mermaid's own entity decoding; `<`, `>`
# would be HTML; `%` could start a `%%{init}%%` directive; `:` makes `style ...:..#..;` lines
# lose their last `;`; backticks start Markdown strings; the rest are kept out for good measure.
_MERMAID_ENTITIES = {
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
_MERMAID_TABLE = str.maketrans(_MERMAID_ENTITIES)


# Mermaid draws a backslash followed by `n` as a line break, and decodes its entity markers
# (`ﬂ°`, `¶ß`) once more in the finished SVG: an invisible WORD JOINER keeps such text as written.
_MERMAID_INVISIBLE = re.compile(r"(?<=\\)(?=[nN])|(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)")
#: Columns a Mermaid label is wrapped to: Mermaid itself wraps labels wider than 200 pixels.
MERMAID_WRAP = 24


def mermaid_text(lines: Iterable[str]) -> str:
    """Label lines as the inside of a Mermaid double-quoted label: entities, and ``<br>`` between lines."""
    return "<br>".join(
        _MERMAID_INVISIBLE.sub("\u2060", _clean(line).replace("\n", " ")).translate(_MERMAID_TABLE) for line in lines
    )


def _comment_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "_-. " else f"\\u{ord(c):04x}" for c in text)


_MERMAID_SHAPES = {
    "single": ('("', '")'),
    "multiple": ('[["', '"]]'),
    "route": ('{"', '"}'),
    "ladder": ('{{"', '"}}'),
    "outcome": ('(["', '"])'),
}


def to_mermaid(graph: Any, *, wrap: int = MERMAID_WRAP) -> str:
    """The graph as a Mermaid flowchart, top to bottom, as GitHub renders it.

    Args:
        graph: A graph from `tree_graph`.
        wrap: Wrap labels to about this many columns (0: keep the lines as they are).
    """
    out = ["flowchart TB"]
    out.append(
        f"  %% tree {_comment_safe(graph.graph['tree'])} ({graph.graph['lang']}); each node's tree id is above it"
    )
    clusters = dict(graph.graph["clusters"])
    used_styles: dict[str, list[str]] = {}
    for cid, members in _placed(graph):
        indent = "  "
        if cid is not None:
            out.append(f'  subgraph {cid} ["{mermaid_text(label_lines(clusters[cid], 2 * wrap))}"]')
            out.append("    direction TB")
            indent = "    "
        for node_id in members:
            data = graph.nodes[node_id]
            opening, closing = _MERMAID_SHAPES[data["kind"]]
            out.append(f"{indent}%% {data['ref']} = {_comment_safe(node_id)}")
            out.append(f"{indent}{data['ref']}{opening}{mermaid_text(label_lines(data['label'], wrap))}{closing}")
            used_styles.setdefault(data["style"], []).append(data["ref"])
        if cid is not None:
            out.append("  end")
    marked: list[str] = []
    for index, arrow in enumerate(_arrows(graph)):
        source, target = graph.nodes[arrow.source]["ref"], graph.nodes[arrow.target]["ref"]
        text = mermaid_text(_arrow_lines(arrow, wrap))
        out.append(f'  {source} -->|"{text}"| {target}')
        if arrow.highlighted:
            marked.append(str(index))
    for name, (fill, border, ink, pen) in STYLES.items():
        if name in used_styles:
            weight = ",font-weight:bold" if name == "danger" else ""
            out.append(f"  classDef {name} fill:{fill},stroke:{border},color:{ink},stroke-width:{pen:g}px{weight}")
    for name in STYLES:
        if name in used_styles:
            out.append(f"  class {','.join(used_styles[name])} {name}")
    on_path = [data["ref"] for _n, data in graph.nodes(data=True) if data["highlighted"]]
    if on_path:
        out.append(f"  classDef highlight stroke:{HIGHLIGHT},stroke-width:4px")
        out.append(f"  class {','.join(on_path)} highlight")
    if marked:
        out.append(f"  linkStyle {','.join(marked)} stroke:{HIGHLIGHT},stroke-width:3px,color:{HIGHLIGHT}")
    return "\n".join(out) + "\n"


# --- JSON -----------------------------------------------------------------------------------


def to_json(graph: Any) -> str:
    """The graph as the stable JSON document described in this module's docstring."""
    doc = {
        "format": "pdd-wizard-graph",
        "version": 1,
        "tree": graph.graph["tree"],
        "lang": graph.graph["lang"],
        "title": graph.graph["title"],
        "start": graph.graph["start"],
        "highlighted": graph.graph["highlighted"],
        "clusters": [{"id": cid, "label": label} for cid, label in graph.graph["clusters"]],
        "nodes": [
            {
                "id": node_id,
                "ref": data["ref"],
                "kind": data["kind"],
                "label": data["label"],
                "level": data["level"],
                "tone": data["tone"],
                "style": data["style"],
                "cluster": data["cluster"],
                "highlighted": data["highlighted"],
            }
            for node_id, data in graph.nodes(data=True)
        ],
        "edges": [
            {
                "source": source,
                "target": target,
                "key": key,
                "label": data["label"],
                "highlighted": data["highlighted"],
            }
            for source, target, key, data in graph.edges(keys=True, data=True)
        ],
    }
    return json_document(doc)


#: Text exporters by format name: each renders a graph from `tree_graph`.
EXPORTERS: dict[str, Callable[[Any], str]] = {
    "mermaid": to_mermaid,
    "dot": to_dot,
    "json": to_json,
}
#: Every format `export_tree` writes.
FORMATS = (*EXPORTERS, *GRAPHVIZ_FORMATS)

SUFFIXES = {
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".json": "json",
    ".svg": "svg",
    ".png": "png",
}


def format_from_name(path: str | None) -> str | None:
    """The format a file name asks for by its suffix (`tree.svg` -> svg), or None."""
    return SUFFIXES.get(Path(path).suffix.lower()) if path else None


# --- Graphviz -------------------------------------------------------------------------------


def render_graphviz(dot_text: str, fmt: str, *, timeout: float = 120.0) -> bytes:
    """Render DOT with Graphviz's `dot` to `fmt` (svg, png).

    Raises:
        GraphvizMissing: `dot` is not on the PATH.
        GraphvizError: `dot` failed.
    """
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing()
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
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
        UsageError: An unknown format.
        GraphvizMissing: SVG or PNG without Graphviz.
        GraphvizError: Graphviz failed.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; expected one of: {', '.join(FORMATS)}")
    if fmt in GRAPHVIZ_FORMATS and shutil.which("dot") is None:
        raise GraphvizMissing()  # before any work
    with collector_paused():
        graph = tree_graph(tree, lang, highlight, cluster=cluster)
        text = to_dot(graph) if fmt in GRAPHVIZ_FORMATS else EXPORTERS[fmt](graph)
    if fmt in GRAPHVIZ_FORMATS:
        return render_graphviz(text, fmt)
    return text.encode("utf-8")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a big export allocates.

    An export makes many small objects and no cycles worth collecting, and with a large
    tree in memory every full collection walks all of it: pausing saves about 40% of
    the time of a 10,000-node export (benchmarks/bench_export.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # else the next allocation starts a full collection over all that was made
            gc.enable()
