"""msgspec's decoding gives what the model-driven reporter gives, for good trees and broken ones; keys written twice."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils import MINI
from wizard.core.errors import LoadError
from wizard.source import load
from wizard.source.load import build_tree, read_document, read_tree

ROOT = Path(__file__).resolve().parents[2]
TREES = sorted([*(ROOT / "trees").glob("*.yaml"), MINI, *(ROOT / "tests" / "fixtures" / "validate").glob("*.yaml")])
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"


def outcome(doc: load.Document) -> object:
    """The tree built from `doc` (without its locator: the document's), or the lines of its problems."""
    try:
        return msgspec.structs.replace(build_tree(doc), locator=None)
    except LoadError as exc:
        return exc.lines()


def both_ways(doc_of: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """What the loader makes of a document through msgspec, and through the reporter alone."""
    fast = outcome(doc_of())
    with monkeypatch.context() as patched:
        patched.setattr(load, "_decode", lambda _: None)
        slow = outcome(doc_of())
    return fast, slow


def yaml_data(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", ["yaml", "json"])
def test_the_decoder_and_the_reporter_build_the_same_tree(
    path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8") if form == "yaml" else json.dumps(yaml_data(path), indent=1)
    fast, slow = both_ways(lambda: read_document(path, text=text), monkeypatch)
    assert fast == slow


# --- Broken trees: the same problems, in the same order ------------------------------------------------


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value under `value`."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from places(child, (*path, index))


def plain_tree() -> dict[str, Any]:
    """A tree whose single choices are all plain: its options are read in bulk."""

    def text(words: str) -> dict[str, str]:
        return {"zh": words, "en": words}

    def outcome(name: str) -> dict[str, Any]:
        return {"kind": "outcome", "title": text(name), "channel": text("c"), "summary": text("s")}

    def option(oid: str, target: str) -> dict[str, Any]:
        return {"id": oid, "label": text(oid.upper()), "next": target}

    nodes = {
        "q0": {
            "kind": "single",
            "prompt": text("Q0"),
            "default": "a",
            "options": [option("a", "q1"), option("b", "o1")],
        },
        "q1": {
            "kind": "single",
            "prompt": text("Q1"),
            "help": text("H"),
            "options": [option("x", "o1"), option("y", "o2")],
        },
        "o1": outcome("O1"),
        "o2": outcome("O2"),
    }
    return {"id": "plain", "title": text("T"), "languages": ["zh", "en"], "start": "q0", "nodes": nodes}


# The second has conditional items, schedules, busy periods; the third is read in bulk.
BASES = [yaml_data(MINI), yaml_data(PINDUODUO), plain_tree()]
PLACES = [(number, p) for number, base in enumerate(BASES) for p in places(base) if p]
BAD_VALUES = [None, "", "text", 3, True, [], ["x"], {}, {"zh": "x"}, {"zh": "x", "en": "y", "fr": "z"}, {"x": 1}]


def mutate(data: Any, place: tuple[Any, ...], how: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    *parents, last = place
    container = data
    for step in parents:
        container = container[step]
    if how == "replace":
        container[last] = value
    elif how == "delete":
        del container[last]
    elif isinstance(container, dict):
        container["unknown_field"] = value
    else:
        container.append(value)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(PLACES),
            st.sampled_from(["replace", "delete", "add"]),
            st.sampled_from(BAD_VALUES),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_broken_tree_gets_the_same_problems_either_way(
    changes: list[tuple[tuple[int, tuple[Any, ...]], str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = BASES[changes[0][0][0]]
    for (base, place), how, value in changes:
        if base != changes[0][0][0]:
            continue
        try:
            data = mutate(data, place, how, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    text = json.dumps(data, indent=1)
    fast, slow = both_ways(lambda: read_document("t.json", text=text), monkeypatch)
    assert fast == slow


# --- Keys written twice in JSON ----------------------------------------------------------------------------


def test_a_key_twice_deep_in_a_json_tree_is_refused_where_it_stands(tmp_path: Path) -> None:
    twice = '"kind": "outcome", "kind": "outcome",'
    text = json.dumps(yaml_data(MINI), indent=1).replace('"kind": "outcome",', twice, 1)
    path = tmp_path / "tree.json"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.count('"kind"') == 2)
    with pytest.raises(LoadError) as caught:
        read_tree(path)
    assert any(f":{line}:" in row and "duplicate key 'kind'" in row for row in caught.value.lines())


def test_a_quote_and_a_colon_in_a_text_are_no_key(tmp_path: Path) -> None:
    data = yaml_data(MINI)
    data["title"]["en"] = 'He said "wait": then left'
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_tree(path).title.get("en") == 'He said "wait": then left'


def test_a_tree_of_plain_single_choices_is_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps(plain_tree())
    helped = plain_tree()
    helped["nodes"]["q1"]["options"][0]["help"] = {"zh": "帮助", "en": "Help"}  # more than the plain three
    for source in (text, json.dumps(helped), json.dumps(yaml_data(PINDUODUO))):
        fast, slow = both_ways(lambda source=source: read_document("plain.json", text=source), monkeypatch)
        assert fast == slow and not isinstance(fast, list)


def test_space_before_a_colon_is_json_too(tmp_path: Path) -> None:
    text = json.dumps(yaml_data(MINI), indent=2, separators=(" ,", " :\n   "))
    assert build_tree(read_document("t.json", text=text)).id == "mini"


def test_a_text_in_a_slot_is_a_record_like_the_others() -> None:
    """Localized keeps its texts in a slot (a large tree has hundreds of thousands), not an instance dict."""
    import pickle

    from wizard.core.model import Localized

    text = Localized({"zh": "是", "en": "Yes"})
    assert not hasattr(text, "__dict__")
    assert text == Localized({"zh": "是", "en": "Yes"}) and text != Localized({"zh": "否", "en": "No"})
    assert hash(text) == hash(Localized({"zh": "是", "en": "Yes"}))
    assert repr(text) == "Localized({'zh': '是', 'en': 'Yes'})"
    assert pickle.loads(pickle.dumps(text)) == text
    assert Localized({"zh": "否", "en": "No"}).get("en") == "No" and text.get("fr") == "是"
