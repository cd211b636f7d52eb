"""Trees written as JSON: read by the json module, the same model as from YAML, locations found when needed."""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path

import pytest
import yaml

from tests.utils import MINI, run_cli
from wizard.core.errors import LoadError
from wizard.core.model import Location
from wizard.rules import check_tree
from wizard.source.load import MAX_DEPTH, build_tree, read_document

ROOT = Path(__file__).resolve().parent.parent
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"


def as_json(path: Path, **dump: object) -> str:
    """A YAML tree's data written as JSON, one key per line (so that lines say something)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return json.dumps(data, ensure_ascii=False, indent=1, **dump)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "tree.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def without_locations(value: object) -> object:
    """A record's fields, recursively, with every Location left out (JSON and YAML place them differently)."""
    if isinstance(value, Location):
        return None
    if isinstance(value, tuple):
        return tuple(without_locations(v) for v in value)
    if isinstance(value, dict):
        return {k: without_locations(v) for k, v in value.items()}
    if hasattr(value, "__fields__"):
        return (type(value).__name__, {f.name: without_locations(getattr(value, f.name)) for f in value.__fields__})
    return value


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


def test_a_json_tree_is_located_only_when_a_location_is_read(tmp_path: Path) -> None:
    tree = build_tree(read_document(write(tmp_path, as_json(MINI))))
    loc = tree.nodes["tried"].loc
    assert "line" not in loc.__dict__  # nothing looked up yet
    assert loc.file.endswith("tree.json") and "line" not in loc.__dict__  # the file costs no lookup
    assert loc.line > 1 and loc.column > 0
    assert loc.__dict__["line"] == loc.line  # looked up once, then kept
    assert loc == Location(loc.file, loc.line, loc.column) and Location(loc.file, loc.line, loc.column) == loc
    assert hash(loc) == hash(Location(loc.file, loc.line, loc.column))
    assert repr(loc) == repr(Location(loc.file, loc.line, loc.column))
    assert pickle.loads(pickle.dumps(tree.nodes["role"].loc)) == tree.nodes["role"].loc


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


def test_a_key_of_a_large_mapping_is_found_by_search_where_the_scan_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a mapping of more than 64 keys a key is searched for in the text, not scanned to: the places
    found are the scan's, even where the key's text comes earlier inside a condition, or is escaped."""
    from wizard.source import load

    data = json.loads(as_json(MINI))
    nodes = data["nodes"]
    nodes["problem"] = nodes.pop("problem")  # last: its name comes first inside the conditions that read it
    for number in range(120):  # unreachable outcomes: each an E103 finding, located
        tricky = {"zh": f'见 "extra{number + 1}": 下一个', "en": f'see "extra{number + 1}": {{"kind": "outcome"}}'}
        nodes[f"extra{number}"] = {"kind": "outcome", "title": tricky, "channel": tricky, "summary": tricky}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    assert text.index('"problem":') < text.index('"problem": {')
    text = text.replace('"extra9": {', '"extr\\u00619": {', 1)  # a key written escaped: the scan finds it
    path = write(tmp_path, text)

    def located() -> tuple[list[tuple[int, int]], list[str]]:
        doc = read_document(path, keys_checked_by_build=True)
        places = [doc.locate(doc.data["nodes"], key) for key in doc.data["nodes"]]
        return places, [str(f.loc) for f in check_tree(build_tree(doc)).findings]

    searched = located()
    monkeypatch.setattr(load, "_SEARCH_FROM", 10**9)
    assert searched == located()
    assert len(searched[1]) == 120 and all(loc.count(":") == 2 for loc in searched[1])  # file:line:column each
