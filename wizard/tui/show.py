"""A tree drawn in the terminal with rich's `Tree`, each shared node drawn once (`pdd-wizard show`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, Group

    from wizard.core.model import Tree
    from wizard.source.environment import Environment

__all__ = ["draw_tree", "make_console", "show_tree"]

#: Rich styles by drawing class (`wizard.render.diagrams.graph.STYLES`): questions blue, routes grey, outcomes by rung.
_STYLES = {
    "question": "bold #1d4ed8",
    "multiple": "bold #4338ca",
    "route": "italic #64748b",
    "info": "#0f766e",
    "step0": "#15803d",
    "step1": "#4d7c0f",
    "step2": "#a16207",
    "step3": "#c2410c",
    "step4": "bold #c2410c",
    "step5": "bold #b91c1c",
    "danger": "bold #ffffff on #dc2626",
}
_MARKERS = {"single": "?", "multiple": "?", "route": "◇", "ladder": "◇", "outcome": "■"}
#: Most levels drawn one inside another: a node deeper than that ends its line with "↓" and its
#: branch is drawn below as a drawing of its own, from "↳ ID". Each level takes 4 columns, and rich
#: works out every line's guides level by level, so a chain of 30,000 questions drawn nested took
#: time growing with the square of its length, for lines squeezed to nothing.
MAX_DEPTH = 10


def show_tree(tree: Tree, lang: str, env: Environment) -> None:
    """Print the tree on `env.stdout`."""
    make_console(env).print(draw_tree(tree, lang))


def make_console(env: Environment) -> Console:
    """A console on `env.stdout` reading `env.environ` (NO_COLOR, COLUMNS); tree text is never markup."""
    from rich.console import Console

    return Console(
        file=env.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        _environ=dict(env.environ),
    )


def draw_tree(tree: Tree, lang: str) -> Group:
    """The tree as rich `Tree`s: depth first in the engine's order; a node seen before is a reference.

    The first drawing starts at the tree's start; a branch deeper than `MAX_DEPTH` continues in
    a drawing of its own after it (so drawing time and width stay linear in the tree's size).

    Every text from the tree, ids included, goes through `wizard.render.text.visible` (escape sequences
    and control characters show as ``\x1b`` and the like) into a `rich.text.Text`
    (`wizard.tui.draw.prose`), so `[tags]` and `:emoji:` codes in it show as written, and wrapped Chinese
    lines do not start with closing punctuation.
    """
    from rich.console import Group
    from rich.text import Text
    from rich.tree import Tree as RichTree

    from wizard.core.model import Outcome, node_edges
    from wizard.render.diagrams.graph import edge_label, node_label, style_class
    from wizard.render.text import GLUE, visible
    from wizard.render.words import word
    from wizard.tui.draw import prose

    top = max((o.level for o in tree.outcomes()), default=0)

    def node_text(node_id: str) -> Text:
        node = tree.nodes[node_id]
        style = _STYLES[style_class(node, top)]
        text = prose(lang)
        text.append(f"{_MARKERS[node.kind]} ", style=style)
        # "level 2" is never broken over two lines, and a "·" ends a line rather than starts one.
        text.append(_on_one_line(visible(node_label(node, tree, lang, glue=GLUE)), GLUE + "· "), style=style)
        text.append(f" [{visible(node_id)}]", style="dim")
        return text

    def children(node_id: str) -> list[tuple[tuple[str, ...], str]]:
        """(labels, target) of the node's edges, parallel edges merged, in the engine's order."""
        merged: dict[str, list[str]] = {}
        for edge in node_edges(tree.nodes[node_id]):
            if edge.target in tree.nodes:
                merged.setdefault(edge.target, []).append(edge_label(edge, tree, lang))
        return [(tuple(labels), target) for target, labels in merged.items()]

    roots = [RichTree(node_text(tree.start), guide_style="dim")]
    drawn = {tree.start}
    continued: list[str] = []  # nodes at the depth limit, whose branches are drawn after
    # Iterative depth-first walk: a deep tree must not hit Python's recursion limit.
    stack: list[tuple[RichTree, list[tuple[tuple[str, ...], str]]]] = [(roots[0], children(tree.start)[::-1])]
    while stack or continued:
        if not stack:
            node_id = continued.pop(0)
            roots.append(RichTree(Text(f"↳ {visible(node_id)}", style="dim"), guide_style="dim"))
            stack.append((roots[-1], children(node_id)[::-1]))
        branch, todo = stack[-1]
        if not todo:
            stack.pop()
            continue
        labels, target = todo.pop()
        line = prose(lang)
        line.append(" / ".join(_on_one_line(visible(label), " ") for label in labels), style="italic")
        line.append(" → ", style="dim")
        if target in drawn:
            line.append(word("see_above", lang, id=visible(target)), style="dim")
            branch.add(line)
            continue
        drawn.add(target)
        line.append_text(node_text(target))
        if isinstance(tree.nodes[target], Outcome):
            branch.add(line)
        elif len(stack) >= MAX_DEPTH:
            line.append(" ↓", style="dim")
            branch.add(line)
            continued.append(target)
        else:
            stack.append((branch.add(line), children(target)[::-1]))
    return Group(*roots)


def _on_one_line(label: str, joint: str) -> str:
    """A diagram's label of two lines (a prompt and "(pick any)", a choice and its condition) on one line:
    `joint` between them, and none before a Chinese full-width bracket, as Chinese is set."""
    return label.replace("\n（", "（").replace("\n", joint)
