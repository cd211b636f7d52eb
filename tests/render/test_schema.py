"""The JSON Schema: generated from the model, committed current, named by every shipped tree, and right."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.utils import FIXTURES, ROOT
from wizard.render.schema import SCHEMA_FILE, render_schema

SCHEMA_PATH = ROOT / "trees" / SCHEMA_FILE
SHIPPED = sorted((ROOT / "trees").glob("*.yaml"))


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "trees/tree.schema.json is stale: run `python -m wizard.render.schema > trees/tree.schema.json`"
    )


def test_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(render_schema()))


@pytest.mark.parametrize("tree", SHIPPED, ids=lambda p: p.name)
def test_shipped_tree_names_the_schema_on_its_first_line(tree: Path) -> None:
    first = tree.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}"


@pytest.mark.parametrize("tree", [*SHIPPED, FIXTURES / "trees" / "mini.yaml"], ids=lambda p: p.name)
def test_valid_trees_validate_against_the_schema(tree: Path) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(render_schema()))
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(yaml.safe_load(tree.read_text()))
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("nodes", "role", "kind"), "several"),
        (("nodes", "role", "colour"), "red"),
        (("nodes", "role", "options", 0, "label"), "not localized"),
        (("nodes", "tried", "options", 0, "when"), {"problem": {"equals": "parcel"}}),
        (("start",), 3),
    ],
)
def test_schema_refuses_what_the_loader_refuses(path: tuple[object, ...], value: object) -> None:
    data = yaml.safe_load((FIXTURES / "trees" / "mini.yaml").read_text())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    validator = jsonschema.Draft202012Validator(json.loads(render_schema()))
    assert list(validator.iter_errors(data)), f"the schema accepted {path} = {value!r}"
