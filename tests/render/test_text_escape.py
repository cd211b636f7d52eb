"""The one escaping function and JSON: `visible`, `one_line` and `json_document` on hostile text."""

from __future__ import annotations

import json

import pytest

from wizard.core.model import UNSAFE
from wizard.render import text as render_text
from wizard.render.text import json_document, one_line, visible

OSC52 = "\x1b]52;c;aGk=\x07"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"q{OSC52}", "q\\x1b]52;c;aGk=\\x07"),
        ("a\u202eb", "a\\u202eb"),
        ("csi \x9b2J", "csi \\x9b2J"),
        ("nul\x00", "nul\\x00"),
        ("中文，好", "中文，好"),
    ],
)
def test_visible_shows_every_unsafe_character(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(shown) == shown


def test_one_line_keeps_a_file_name_on_its_line() -> None:
    assert one_line("a\nb\r\nc.yaml") == "a\\nb\\nc.yaml"


def test_json_keeps_the_data_exact_but_escaped() -> None:
    """JSON is for programs: the value parses back exactly, while the text holds no raw control."""
    value = {"id": f"q{OSC52}\u202e\x85\x7f中", "name": "a\udcff"}
    text = json_document(value)
    assert not UNSAFE.search(text)
    text.encode("utf-8")  # a lone surrogate is escaped: the output is valid UTF-8
    assert json.loads(text) == value
    assert "中" in text  # CJK stays readable


def test_only_one_class_of_unsafe_characters() -> None:
    assert render_text.UNSAFE is UNSAFE
