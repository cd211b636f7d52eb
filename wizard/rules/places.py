"""Where findings are: a finding names a path into the tree's file, resolved to a file, line and column here.

Every rule writes a path, never a location, and the paths of all of a tree's findings are
resolved in one call, only once the rules have run: a clean tree resolves none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wizard.core.model import Location, Tree
from wizard.rules.findings import Path

__all__ = ["Locate", "where"]

#: Where a text is written, from the document the tree was read from: `Document.where(texts, lang)`.
Locate = Callable[[Any, Any], Location]


def where(tree: Tree, paths: Sequence[Path], locate: Locate | None = None) -> list[Location]:
    """The location of each path, in order, worked out together (`Tree.where_all`).

    Args:
        tree: The tree the paths lead into.
        paths: Keys and indexes from the top of the file, as ("nodes", "q", "options", 0, "next").
        locate: Unused: the tree knows its file (kept for callers that pass the document's lookup).
    """
    return tree.where_all(list(paths))
