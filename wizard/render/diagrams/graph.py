"""A tree as the graph every diagram draws: its nodes and edges in words, styles, the path taken, clusters.

`tree_graph` builds one `networkx.MultiDiGraph` from the model; every format renders that
graph, so all of them show the same nodes, edges and words. networkx is imported only
there: the labels and words (`describe`, `node_label`, `edge_label`) serve `pdd-wizard show`
without it.

Graph attributes: ``tree``, ``title``, ``lang``, ``start``, ``highlighted`` (a path
is drawn), ``clusters`` (``[(cluster id, label), ...]`` when grouped by the first answer).
Node keys are the tree's node ids, with attributes ``ref`` (a synthetic id ``n0``,
``n1``... in file order: the only id written into DOT and Mermaid), ``kind``,
``label`` (plain text, lines separated by ``\\n``), ``level`` and ``tone``
(outcomes), ``style`` (the drawing class, see `STYLES`), ``cluster`` and
``highlighted``. Edge keys are the model's edge keys (unique per source), with
``label`` (the option or the condition in plain words) and ``highlighted``.

Diagram formats draw parallel edges (several options of one question leading to the
same node) as one arrow carrying every label (`arrows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from msgspec import Struct

from wizard.core.engine import Session, default_answer, refuse_revisit
from wizard.core.model import AllOf, AnyOf, Compare, Condition, Edge, Node, Not, Outcome, SingleChoice, Tree
from wizard.render.text import UNSAFE, wrap
from wizard.render.words import word

__all__ = [
    "HIGHLIGHT",
    "STYLES",
    "Arrow",
    "PathTaken",
    "arrow_lines",
    "arrows",
    "clean",
    "describe",
    "edge_label",
    "label_lines",
    "node_label",
    "placed",
    "style_class",
    "tree_graph",
    "walk",
]

# --- Words ----------------------------------------------------------------------------------


def describe(condition: Condition, tree: Tree, lang: str) -> str:
    """A condition in plain words, with option labels: "problem is Logistics", "tried does not include Chat".

    Args:
        condition: The condition.
        tree: The tree, for the option labels.
        lang: Language of the words and labels.
    """
    if isinstance(condition, Compare):
        values = [word("quote", lang, v=_option_label(tree, condition.question, v, lang)) for v in condition.values]
        op: str = condition.op
        if len(values) == 1:
            op = {"in": "is", "not_in": "is_not", "includes_any": "includes"}.get(op, op)
        else:
            op = {"includes": "includes_all", "excludes": "excludes_all"}.get(op, op)
        return word(op, lang, q=_question_name(tree, condition.question, lang), v=word("list", lang).join(values))
    if isinstance(condition, Not):
        return word("not", lang, c=describe(condition.condition, tree, lang))
    conditions = condition.conditions  # type: ignore[attr-defined]  # AllOf, AnyOf
    if isinstance(condition, AllOf):
        # `answered: true` beside a test of the same question only guards the read (E204): a reader
        # is told the test, not the guard.
        tested = {c.question for c in conditions if isinstance(c, Compare) and c.op != "answered"}
        kept = [c for c in conditions if not (isinstance(c, Compare) and c.op == "answered" and c.question in tested)]
        if len(kept) == 1:
            return describe(kept[0], tree, lang)
        conditions = kept
    parts = []
    for part in conditions:
        text = describe(part, tree, lang)
        if isinstance(part, (AllOf, AnyOf)) and len(part.conditions) > 1:
            text = word("group", lang, c=text)
        parts.append(text)
    return word("and" if isinstance(condition, AllOf) else "or", lang).join(parts)


def _question_name(tree: Tree, question_id: str, lang: str) -> str:
    """What a condition calls a question: its `name`, else its prompt quoted, else (no such question) its id."""
    try:
        question = tree.question(question_id)
    except KeyError:
        return question_id
    if question.name is not None:
        return question.name.get(lang)
    return word("quote", lang, v=question.prompt.get(lang))


def _option_label(tree: Tree, question_id: str, option_id: str, lang: str) -> str:
    """The label of a question's option; its id when there is no such question or option."""
    try:
        options = tree.question(question_id).options
    except KeyError:
        return option_id
    return next((option.label.get(lang) for option in options if option.id == option_id), option_id)


def _outcome_label(node: Outcome, lang: str, glue: str) -> str:
    title = node.title.get(lang)
    return f"{title}\n{word('rung', lang, n=node.level).replace(' ', glue)}" if node.level > 0 else title


#: What a diagram writes in a node, by `node.kind`: (node, language, the glue of "level 2") -> text.
_NODE_LABELS: dict[str, Callable[[Any, str, str], str]] = {
    "single": lambda node, lang, glue: node.prompt.get(lang),
    "multiple": lambda node, lang, glue: f"{node.prompt.get(lang)}\n{word('pick_any', lang)}",
    "route": lambda node, lang, glue: word("route", lang),
    "ladder": lambda node, lang, glue: word("ladder", lang),
    "outcome": _outcome_label,
}


def node_label(node: Node, tree: Tree, lang: str, *, glue: str = " ") -> str:
    """What a diagram writes in a node: the prompt, the outcome's title and rung, or what a route does.

    Args:
        glue: The spaces inside "level 2" (`wizard.render.text.GLUE` keeps it on one line where text wraps).
    """
    return _NODE_LABELS[node.kind](node, lang, glue)


def _option_edge(edge: Edge, node: Any, tree: Tree, lang: str) -> str:
    text = edge.option.label.get(lang) if edge.option is not None else edge.key
    return text if edge.when is None else f"{text}\n{word('offered_if', lang, c=describe(edge.when, tree, lang))}"


def _route_edge(edge: Edge, node: Any, tree: Tree, lang: str) -> str:
    return word("otherwise", lang) if edge.when is None else describe(edge.when, tree, lang)


def _ladder_edge(edge: Edge, node: Any, tree: Tree, lang: str) -> str:
    if edge.key == "exhausted":
        return word("all_tried", lang)
    rung = node.rungs[edge.path[-1]]
    if rung.label is not None:
        text = rung.label.get(lang)
    else:  # the step's option label is what the user ticked ("Called 95187"): say it was not ticked
        text = word("not_ticked", lang, v=_option_label(tree, node.question, rung.step, lang))
    return text if edge.when is None else f"{text}\n{word('only_if', lang, c=describe(edge.when, tree, lang))}"


#: What a diagram writes on an edge, by the `kind` of the node it leaves: (edge, node, tree, language) -> text.
_EDGE_LABELS: dict[str, Callable[[Edge, Any, Tree, str], str]] = {
    "single": _option_edge,
    "multiple": lambda edge, node, tree, lang: word("any_answer", lang),
    "route": _route_edge,
    "ladder": _ladder_edge,
}


def edge_label(edge: Edge, tree: Tree, lang: str) -> str:
    """What a diagram writes on an edge: the option's label, or the route's condition in plain words."""
    source = tree.nodes[edge.source]
    return _EDGE_LABELS[source.kind](edge, source, tree, lang)


# --- Styles ---------------------------------------------------------------------------------

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


def _outcome_style(node: Outcome, top: int) -> str:
    if node.tone == "danger":
        return "danger"
    if node.level <= 0:
        return "info"
    if top <= 1:
        return "step0"
    return f"step{round((node.level - 1) * (_STEPS - 1) / (top - 1))}"


#: The drawing class of a node, by `node.kind`: (node, the tree's top rung) -> a key of `STYLES`.
_KIND_STYLES: dict[str, Callable[[Any, int], str]] = {
    "single": lambda node, top: "question",
    "multiple": lambda node, top: "multiple",
    "route": lambda node, top: "route",
    "ladder": lambda node, top: "route",
    "outcome": _outcome_style,
}


def style_class(node: Node, top: int) -> str:
    """The drawing class of a node (a key of `STYLES`); `top` is the tree's highest outcome level."""
    return _KIND_STYLES[node.kind](node, top)


# --- The path taken -------------------------------------------------------------------------


class PathTaken(Struct, frozen=True):
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


# --- The graph ------------------------------------------------------------------------------


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
        _cluster(tree, graph, lang)
    return graph


def _cluster(tree: Tree, graph: Any, lang: str) -> None:
    """Put the nodes into clusters by the first answer that leads to them (`first_answer_groups`)."""
    groups = first_answer_groups(tree, graph)
    start = tree.nodes[tree.start]
    names: dict[str, str] = {}
    for option in start.options if isinstance(start, SingleChoice) else ():
        if option.id in groups.values() and option.id not in names:
            names[option.id] = f"c{len(names)}"
            graph.graph["clusters"].append((names[option.id], option.label.get(lang)))
    for node_id, option_id in groups.items():
        graph.nodes[node_id]["cluster"] = names[option_id]


# --- What the formats share -----------------------------------------------------------------


def clean(text: str) -> str:
    """Text DOT and Mermaid can carry: CR LF and CR made line feeds, every `UNSAFE` character U+FFFD."""
    if text.isprintable():
        return text
    return UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def label_lines(text: str, width: int) -> list[str]:
    """A label's lines, `clean`, each at most about `width` columns (0: its own line breaks only).

    Broken as every plain text is (`wizard.render.text.wrap`), but a word wider than a line is
    kept whole: a diagram's box grows instead.
    """
    return wrap(clean(text), width or None, fold=False)


class Arrow(NamedTuple):
    """One arrow of a diagram: the edges between two nodes, drawn once."""

    source: str
    target: str
    labels: tuple[str, ...]
    highlighted: bool


def arrows(graph: Any) -> list[Arrow]:
    """The graph's edges as arrows: parallel edges merged, in the engine's order."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, target, data in graph.edges(data=True):
        grouped.setdefault((source, target), []).append(data)
    return [
        Arrow(source, target, tuple(d["label"] for d in items), any(d["highlighted"] for d in items))
        for (source, target), items in grouped.items()
    ]


def arrow_lines(arrow: Arrow, width: int) -> list[str]:
    """The lines of an arrow's label: one label wrapped, or several as a list of bullets."""
    if len(arrow.labels) == 1:
        return label_lines(arrow.labels[0], width)
    lines = []
    for label in arrow.labels:
        for index, line in enumerate(label_lines(label, max(width - 2, 0))):
            lines.append(("• " if index == 0 else "") + line)
    return lines


def placed(graph: Any) -> list[tuple[str | None, list[str]]]:
    """Nodes grouped for drawing: ``(cluster id or None, node ids)``, start and shared nodes first."""
    outside = [n for n, c in graph.nodes(data="cluster") if c is None]
    out: list[tuple[str | None, list[str]]] = [(None, outside)]
    for cid, _label in graph.graph["clusters"]:
        out.append((cid, [n for n, c in graph.nodes(data="cluster") if c == cid]))
    return out
