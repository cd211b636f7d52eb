"""Where findings are: a finding names a path into the tree's file, resolved to a file, line and column here.

Every rule writes a path, never a location, and the paths of all of a tree's findings are
resolved in one call, only once the rules have run: a clean tree resolves none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wizard.core.model import AllOf, AnyOf, Compare, Localized, Location, Not, Tree
from wizard.rules.findings import Path

__all__ = ["Locate", "where"]

#: Where a text is written, from the document the tree was read from: `Document.where(texts, lang)`.
Locate = Callable[[Any, Any], Location]


def where(tree: Tree, paths: Sequence[Path], locate: Locate | None = None) -> list[Location]:
    """The location of each path, in order.

    Args:
        tree: The tree the paths lead into.
        paths: Keys and indexes from the top of the file, as ("nodes", "q", "options", 0, "next").
        locate: Where a text's language mapping (or one language in it) is written; without it, a
            text is placed at the record holding it.
    """
    # Until the model knows where each of its values is written (`tree.where_all(paths)`), a path
    # is followed through the records to the last one that has a known `loc`.
    return [_follow(tree, path, locate) for path in paths]


def _follow(tree: Tree, path: Path, locate: Locate | None) -> Location:
    found = tree.source
    here: Any = tree
    for index, step in enumerate(path):
        if isinstance(here, Localized):
            return _text_place(here, step, found, locate)
        here = _step(here, step)
        if here is None:
            return found
        loc = getattr(here, "loc", None)
        if isinstance(loc, Location) and loc.known:
            found = loc
        if index == len(path) - 1 and isinstance(here, Localized):
            return _text_place(here, None, found, locate)
    return found


def _text_place(text: Localized, lang: Any, record: Location, locate: Locate | None) -> Location:
    """A text (in `lang`, or its mapping) where the document says; else the record holding it."""
    if locate is not None:
        found = locate(text.texts, lang)
        if found.line > 0:
            return found
    return record


def _step(here: Any, step: str | int) -> Any:
    """What `step` leads to from `here`, or None."""
    if isinstance(here, (Compare, AllOf, AnyOf, Not)):
        return _condition_step(here, step)
    if isinstance(step, int):
        return here[step] if isinstance(here, tuple) and 0 <= step < len(here) else None
    if isinstance(here, Mapping):
        return here.get(step)
    return getattr(here, step, None)


def _condition_step(condition: Compare | AllOf | AnyOf | Not, step: str | int) -> Any:
    """A part of a condition, by the key written (a question, `all`, `any`, `not`) or an index in a list."""
    if isinstance(step, int):
        parts = getattr(condition, "conditions", ())
        return parts[step] if 0 <= step < len(parts) else None
    if step in ("all", "any", "not"):
        wanted = {"all": AllOf, "any": AnyOf, "not": Not}[step]
        if isinstance(condition, wanted):
            return condition
        return next((c for c in getattr(condition, "conditions", ()) if isinstance(c, wanted)), None)
    return next((c for c in condition.questions() if c.question == step), None)
