"""Schedules and escalation: a schedule no outcome uses (W407), outcomes escalating round in a circle (W408)."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.core.model import Outcome
from wizard.rules.analysis import Analysis
from wizard.rules.findings import Found

__all__ = ["escalation_loops", "unused_schedules"]


def unused_schedules(a: Analysis) -> Iterator[Found]:
    """W407: a schedule no outcome names."""
    used = {n.schedule for n in a.node_list if isinstance(n, Outcome) and n.schedule is not None}
    for schedule_id in a.tree.schedules:
        if schedule_id not in used:
            yield Found(("schedules", schedule_id), f"schedule '{schedule_id}' is used by no outcome")


def escalation_loops(a: Analysis) -> Iterator[Found]:
    """W408: outcomes whose `escalates_to` lead round in a circle, each circle once."""
    state: dict[str, int] = {}  # 1: on the chain being followed, 2: done
    for start in a.outcome_ids:
        chain: list[str] = []
        current: str | None = start
        while current is not None and not state.get(current):
            state[current] = 1
            chain.append(current)
            node = a.nodes[current]
            following = node.escalates_to if isinstance(node, Outcome) else None
            current = following if isinstance(a.nodes.get(following or ""), Outcome) else None
        if current is not None and state.get(current) == 1:
            loop = chain[chain.index(current) :]
            message = f"outcome '{loop[0]}': 'escalates_to' leads round in a circle: {' → '.join([*loop, loop[0]])}"
            yield Found(("nodes", loop[0]), message, loop[0])
        for node_id in chain:
            state[node_id] = 2
