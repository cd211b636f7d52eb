"""Every tree the loader accepts can be run, shown, exported, counted and tested without a traceback.

Each value of the shipped tree (every field of every mapping, every item of every list) is
changed in turn into each JSON type, null, a huge number and an empty string. For each
change, either loading refuses the tree with a located message (exit 2), or every command
runs on it and exits with a documented status.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.utils import run_cli

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "trees" / "pinduoduo.yaml"
#: What each value is changed into.
REPLACEMENTS: list[Any] = [None, True, 0, 10**30, 1.5, "", [], {}, {"x": 1}]
#: The commands run on a tree that loads.
COMMANDS = [
    ("run", "--defaults", "--format", "json"),
    ("run", "--defaults", "--lang", "zh", "--now", "2026-06-18T10:00"),
    ("show",),
    ("export", "--format", "mermaid"),
    ("export", "--format", "dot"),
    ("export", "--format", "json"),
    ("paths", "--list", "--limit", "3"),
    ("check",),
]


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value below `value`."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*path, key)
        yield from places(item, (*path, key))


def changed(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    container = data
    for step in path[:-1]:
        container = container[step]
    container[path[-1]] = copy.deepcopy(value)
    return data


@pytest.mark.slow
def test_each_value_changed_is_refused_where_it_stands_or_runs_everywhere(tmp_path: Path) -> None:
    data = yaml.safe_load(TREE.read_text(encoding="utf-8"))
    path = tmp_path / "tree.json"
    accepted = refused = 0
    for place in places(data):
        for value in REPLACEMENTS:
            path.write_text(json.dumps(changed(data, place, value), ensure_ascii=False), encoding="utf-8")
            what = f"{'.'.join(map(str, place))} = {value!r}"
            first = run_cli("run", "--tree", str(path), "--defaults", "--format", "json")
            if first.status == 2 and "Traceback" not in first.stderr and "answer" not in first.stderr:
                assert f"{path}:" in first.stderr or f"{path}: " in first.stderr, what
                refused += 1
                continue
            accepted += 1
            for command in COMMANDS:
                result = run_cli(command[0], "--tree", str(path), *command[1:])
                assert result.status in (0, 1, 2), (what, command, result.stderr)
                assert "Traceback" not in result.stderr, (what, command)
    assert accepted > 100 and refused > 1000  # both sides of the line are exercised
