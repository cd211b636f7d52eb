"""References and ids: names that name nothing (E101), ids given twice (E102), ids scripts cannot name (W411).

The loader reads any name; these rules, run by the loading gate too, refuse a tree whose
names lead nowhere, with the messages the loader once gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wizard.core.model import ID_PATTERN, TREE_ID_PATTERN, Ladder, MultipleChoice, Outcome, Route, SingleChoice
from wizard.rules.analysis import Analysis, with_repeats
from wizard.rules.findings import Found

__all__ = ["duplicate_ids", "missing_nodes", "not_plain_ids"]


def missing_nodes(a: Analysis) -> Iterator[Found]:
    """E101: a `next`, `start`, `exhausted`, `escalates_to` or `schedule` that names nothing; an option of a
    single choice with no `next`."""
    tree = a.tree
    if a.start < 0:
        yield Found(("start",), f"'start' names no node: '{tree.start}'")
    for number in sorted({*a.broken, *a.irregular}):
        yield from _edges_to_nothing(a, a.keys[number])
    for number in a.outcome_numbers:
        key = a.keys[number]
        node: Outcome = a.node_list[number]  # type: ignore[assignment]
        if node.escalates_to is not None and not isinstance(a.nodes.get(node.escalates_to), Outcome):
            what = f"node '{key}': 'escalates_to' names no outcome: '{node.escalates_to}'"
            yield Found(("nodes", key, "escalates_to"), what, key)
        if node.schedule is not None and node.schedule not in tree.schedules:
            what = f"node '{key}': 'schedule' names no schedule: '{node.schedule}'"
            yield Found(("nodes", key, "schedule"), what, key)


def _edges_to_nothing(a: Analysis, key: str) -> Iterator[Found]:
    """The ways out of one node that lead to no node, or (an option of a single choice) nowhere at all."""
    node = a.nodes[key]
    exists = a.index.__contains__
    here = f"node '{key}'"
    if isinstance(node, SingleChoice):
        for index, option in enumerate(node.options):
            where = ("nodes", key, "options", index)
            if option.next is None:
                yield Found(where, f"{here}: option '{option.id}': missing required field 'next'", key)
            elif not exists(option.next):
                yield Found(where, f"{here}: option '{option.id}': 'next' names no node: '{option.next}'", key)
    elif isinstance(node, MultipleChoice):
        if not exists(node.next):
            yield Found(("nodes", key, "next"), f"{here}: 'next' names no node: '{node.next}'", key)
    elif isinstance(node, Route):
        for index, branch in enumerate(node.branches):
            if not exists(branch.next):
                which = "the default branch's 'next'" if branch.default else f"branch {index + 1}: 'next'"
                yield Found(("nodes", key, "branches", index), f"{here}: {which} names no node: '{branch.next}'", key)
    elif isinstance(node, Ladder):
        for index, rung in enumerate(node.rungs):
            if not exists(rung.next):
                what = f"{here}: rung '{rung.step}': 'next' names no node: '{rung.next}'"
                yield Found(("nodes", key, "rungs", index), what, key)
        if not exists(node.exhausted):
            yield Found(("nodes", key, "exhausted"), f"{here}: 'exhausted' names no node: '{node.exhausted}'", key)


def duplicate_ids(a: Analysis) -> Iterator[Found]:
    """E102: two nodes with one id, two options of a question with one id, two rungs of a ladder for one step,
    a schedule whose id is not its key."""
    if not a.ids_ok:  # keys are unique, so two nodes can share an id only when one is not its key
        first_key: dict[str, str] = {}
        for key, node in zip(a.keys, a.node_list, strict=True):
            if node.id != key:
                yield Found(("nodes", key), f"node '{key}' has the id '{node.id}'; a node's id is its key", key)
                if node.id in first_key:
                    yield Found(
                        ("nodes", key), f"nodes '{first_key[node.id]}' and '{key}' have the same id '{node.id}'", key
                    )
            first_key.setdefault(node.id, key)
    for number in with_repeats(a, a.option_ids):
        key = a.keys[number]
        seen: set[str] = set()
        for index, option in enumerate(a.node_list[number].options):  # type: ignore[union-attr]
            if option.id in seen:
                yield Found(("nodes", key, "options", index), f"node '{key}': duplicate option id '{option.id}'", key)
            seen.add(option.id)
    for number, kind in enumerate(a.kinds):
        if kind is Ladder:
            yield from _duplicate_rungs(a.keys[number], a.node_list[number])  # type: ignore[arg-type]
    for key, schedule in a.tree.schedules.items():
        if schedule.id != key:
            yield Found(("schedules", key), f"schedule '{key}' has the id '{schedule.id}'")


def _duplicate_rungs(key: str, ladder: Ladder) -> Iterator[Found]:
    steps: set[str] = set()
    for index, rung in enumerate(ladder.rungs):
        if rung.step in steps:
            yield Found(("nodes", key, "rungs", index), f"ladder '{key}': the step '{rung.step}' has two rungs", key)
        steps.add(rung.step)


_PLAIN_ID = re.compile(ID_PATTERN)
_TREE_ID = re.compile(TREE_ID_PATTERN)
_NOT_PLAIN_LINE = re.compile(f"^(?!{ID_PATTERN}$)", re.MULTILINE)
_WHY = "is not a plain id (a letter, then letters, digits, '_', '.', '-'): --answer and the schema cannot name it"


def not_plain_ids(a: Analysis) -> Iterator[Found]:
    """W411: ids that are not plain; one scan of them all, and a look at each only when one is not."""
    tree_id = a.tree.id
    if _TREE_ID.fullmatch(tree_id) is None:
        yield Found(
            ("id",),
            f"the tree's id {tree_id!r} is not a plain tree id (a lower-case letter, then lower-case letters, "
            "digits, '_', '-'): the schema refuses it, and reports and file names carry it",
        )
    ids = [*a.keys, *a.tree.schedules, *a.option_ids]
    if _NOT_PLAIN_LINE.search("\n".join(ids)) is None:
        return
    for key in a.keys:
        if _PLAIN_ID.fullmatch(key) is None:
            yield Found(("nodes", key), f"node '{key}' {_WHY}", key)
    for number in a.question_numbers:
        key = a.keys[number]
        for index, option in enumerate(a.node_list[number].options):  # type: ignore[union-attr]
            if _PLAIN_ID.fullmatch(option.id) is None:
                yield Found(("nodes", key, "options", index), f"question '{key}': option '{option.id}' {_WHY}", key)
    for key in a.tree.schedules:
        if _PLAIN_ID.fullmatch(key) is None:
            yield Found(("schedules", key), f"schedule '{key}' {_WHY}")
