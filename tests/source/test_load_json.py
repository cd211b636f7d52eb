"""Trees written as JSON: read by the json module, the same model as from YAML, locations found when needed."""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path

import msgspec
import pytest
import yaml

from tests.utils import MINI, run_cli
from wizard.core.errors import LoadError
from wizard.core.model import NO_LOCATION, Location, Tree
from wizard.rules import check_tree
from wizard.source.load import MAX_DEPTH, build_tree, read_document

ROOT = Path(__file__).resolve().parents[2]
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"


def as_json(path: Path, **dump: object) -> str:
    """A YAML tree's data written as JSON, one key per line (so that lines say something)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return json.dumps(data, ensure_ascii=False, indent=1, **dump)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "tree.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def without_locations(tree: Tree) -> Tree:
    """The tree without its file and locator (JSON and YAML place things differently)."""
    return msgspec.structs.replace(tree, source=NO_LOCATION, locator=None)


@pytest.mark.parametrize("source", [MINI, PINDUODUO], ids=["mini", "pinduoduo"])
def test_a_json_tree_is_the_same_tree_as_its_yaml(tmp_path: Path, source: Path) -> None:
    from_yaml = build_tree(read_document(source))
    from_json = build_tree(read_document(write(tmp_path, as_json(source))))
    assert without_locations(from_json) == without_locations(from_yaml)
    assert check_tree(from_json).findings == []


def test_a_scripted_run_of_a_json_tree_gives_the_same_plan(tmp_path: Path) -> None:
    path = write(tmp_path, as_json(PINDUODUO))
    args = ("--answer", "role=consumer", "--answer", "problem=quality", "--defaults", "--format", "json")
    from_yaml = run_cli("run", "--tree", "pinduoduo", *args)
    from_json = run_cli("run", "--tree", str(path), *args)
    assert from_yaml.status == from_json.status == 0
    assert json.loads(from_json.stdout)["content"] == json.loads(from_yaml.stdout)["content"]


def test_a_mistake_in_a_json_tree_names_its_line_and_column(tmp_path: Path) -> None:
    text = as_json(MINI).replace('"next": "ladder"', '"next": "ladderr"', 1)
    path = write(tmp_path, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"next": "ladderr"' in row)  # the field
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert "node 'tried': 'next' names no node: 'ladderr'" in result.stderr
    assert f"{path}:{line}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_json_tree_is_located_from_paths_when_a_place_is_asked_for(tmp_path: Path) -> None:
    tree = build_tree(read_document(write(tmp_path, as_json(MINI))))
    loc = tree.where(tree.nodes["tried"].path)
    assert loc.file.endswith("tree.json")
    assert loc.line > 1 and loc.column > 0
    assert loc == Location(loc.file, loc.line, loc.column) and Location(loc.file, loc.line, loc.column) == loc
    assert hash(loc) == hash(Location(loc.file, loc.line, loc.column))
    assert repr(loc) == repr(Location(loc.file, loc.line, loc.column))
    role = tree.where(tree.nodes["role"].path)
    assert pickle.loads(pickle.dumps(role)) == role


def test_validator_findings_on_a_json_tree_carry_lines(tmp_path: Path) -> None:
    data = json.loads(as_json(MINI))
    text_of = {"zh": "无", "en": "None"}
    data["nodes"]["orphan"] = {"kind": "outcome", "title": text_of, "channel": text_of, "summary": text_of}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    path = write(tmp_path, text)
    result = run_cli("check", str(path))
    assert result.status == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"orphan"' in row)
    assert f"{path}:{line + 1}:" in result.stdout or f"{path}:{line}:" in result.stdout
    assert "orphan" in result.stdout


BAD_JSON = [
    pytest.param(
        '{"id": "x",\n "id": "y"}\n', ":2:2: duplicate key 'id' (first defined at line 1)", id="duplicate-key"
    ),
    pytest.param('{"id": "x", "nodes": {\n', "YAML syntax error", id="syntax-error"),
    pytest.param('{"id": NaN}\n', ":1:1: missing required field 'title'", id="nan-is-not-json"),
    pytest.param("[" * 100_000 + "]" * 100_000, "YAML syntax error: exceeded maximum nesting depth", id="deep-list"),
    pytest.param('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "exceeded maximum nesting depth", id="deep-nesting"),
    # Deeper than a YAML tree may be, but json reads it: refused by name, and still located.
    pytest.param(
        '{"x":\n' + "[" * (MAX_DEPTH * 4) + "]" * (MAX_DEPTH * 4) + "}", ":2:1: unknown field 'x'", id="deep-x"
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_JSON)
def test_bad_json_is_one_located_line_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    started = time.perf_counter()
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2, result.stderr
    assert message in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - started < 1.0


def test_a_condition_nested_too_deep_is_refused(tmp_path: Path) -> None:
    data = json.loads(as_json(MINI))
    condition: dict[str, object] = {"role": "buyer"}
    for _ in range(MAX_DEPTH + 5):
        condition = {"not": condition}
    option = data["nodes"]["tried"]["options"][0]
    option["when"] = condition
    with pytest.raises(LoadError) as caught:
        build_tree(read_document(write(tmp_path, json.dumps(data))))
    assert f"condition nested more than {MAX_DEPTH} levels deep" in "\n".join(caught.value.lines())


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\ud800x"])
def test_a_lone_surrogate_is_refused_where_it_stands(tmp_path: Path, escape: str) -> None:
    text = as_json(MINI).replace('"Chat"', f'"Chat{escape}"', 1)
    path = write(tmp_path, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if escape in row)
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert f"{path}:{line}:" in result.stderr and "invalid Unicode character escape" in result.stderr


def test_a_surrogate_pair_is_a_character(tmp_path: Path) -> None:
    text = as_json(MINI).replace('"Chat"', '"Chat \\ud83d\\ude00"', 1)
    tree = build_tree(read_document(write(tmp_path, text)))
    assert "Chat 😀" in [o.label.get("en") for o in tree.question("tried").options]


def test_json_places_are_the_yaml_readers_places_even_for_tricky_keys(tmp_path: Path) -> None:
    """The one scan of a JSON text finds each path where the YAML reader, which reads the same text
    with positions, says it is: also where a key's text comes earlier inside a condition or a
    string, or is written escaped."""
    from wizard.source.load import _read_yaml

    data = json.loads(as_json(MINI))
    nodes = data["nodes"]
    nodes["problem"] = nodes.pop("problem")  # last: its name comes first inside the conditions that read it
    for number in range(120):
        tricky = {"zh": f'见 "extra{number + 1}": 下一个', "en": f'see "extra{number + 1}": {{"kind": "outcome"}}'}
        nodes[f"extra{number}"] = {"kind": "outcome", "title": tricky, "channel": tricky, "summary": tricky}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    assert text.index('"problem":') < text.index('"problem": {')
    text = text.replace('"extra9": {', '"extr\\u00619": {', 1)  # a key written escaped
    tree = build_tree(read_document(write(tmp_path, text)))
    paths = [node.path for node in tree.nodes.values()]
    paths += [(*q.path, "options", i, "label", "en") for q in tree.questions() for i in range(len(q.options))]
    by_yaml = _read_yaml(text, tree.source.file)
    assert tree.where_all(paths) == by_yaml.where_path(paths)
    assert all(place.line > 0 for place in tree.where_all(paths))
