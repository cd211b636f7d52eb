"""`pdd-wizard show`: the tree drawn with rich, shared nodes drawn once, tree text never read as markup.

The golden drawing `tests/golden/show-mini.txt` is regenerated with
``UPDATE_GOLDEN=1 python -m pytest tests/tui/test_show.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.utils import FIXTURES, MINI, ROOT, run_cli
from wizard.source.load import load_tree

HOSTILE = FIXTURES / "export" / "hostile.yaml"
GOLDEN = ROOT / "tests" / "golden" / "show-mini.txt"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
NARROW = {"COLUMNS": "60"}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def has_colour(text: str) -> bool:
    """Whether any ANSI SGR sequence in `text` sets a colour (not only bold, dim or italic)."""
    codes = {int(c) for params in SGR.findall(text) for c in params.split(";") if c}
    return any(30 <= c <= 49 or 90 <= c <= 107 for c in codes)


def show(*args: str, environ: dict[str, str] | None = None) -> str:
    result = run_cli("show", *args, environ=environ if environ is not None else dict(NARROW))
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_golden_drawing_at_60_columns() -> None:
    got = show("--tree", str(MINI), "--lang", "en")
    if UPDATE:
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8"), "if on purpose: UPDATE_GOLDEN=1 pytest tests/tui/test_show.py"
    assert max(len(line) for line in got.splitlines()) <= 60


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_wrapped_line_ends_in_blanks(lang: str) -> None:
    """rich keeps the space a line was broken at; piped into a file, every such line carried it."""
    got = show("--tree", str(ROOT / "trees" / "pinduoduo.yaml"), "--lang", lang)
    assert [line for line in got.splitlines() if line != line.rstrip()] == []


@pytest.mark.parametrize("tree", [MINI, HOSTILE, ROOT / "trees" / "pinduoduo.yaml"], ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_node_is_drawn_once_and_referred_to_after(tree: Path, lang: str) -> None:
    model = load_tree(tree)
    text = show("--tree", str(tree), "--lang", lang, environ={"COLUMNS": "400"})
    see = "see '{}' above" if lang == "en" else "见上文 '{}'"
    for node_id in model.nodes:
        assert text.count(f" [{node_id}]") == 1, node_id
    references = sum(text.count(see.format(node_id)) for node_id in model.nodes)
    # Each node is reached once by a drawn line; every other distinct (source, target) is a reference.
    pairs = {(e.source, e.target) for e in model.edges()}
    assert references == len(pairs) - (len(model.nodes) - 1)


def test_pinduoduo_shared_question_is_referred_to() -> None:
    text = show("--lang", "en", environ={"COLUMNS": "200"})
    assert "→ see 'tried' above" in text
    assert text.splitlines()[0] == "? Are you a shopper or a merchant? [role]"


def test_tree_text_is_never_markup_or_emoji_codes() -> None:
    text = show("--tree", str(HOSTILE), "--lang", "en", environ={"COLUMNS": "300", "FORCE_COLOR": "1"})
    assert "[bold]x[/bold] :smile: (paren)" in text
    assert "😄" not in text
    assert "<script>alert('x')</script>" in text
    zh = show("--tree", str(HOSTILE), "--lang", "zh", environ={"COLUMNS": "300"})
    assert "[bold]粗体[/bold] :smile:" in zh


def test_colours_by_kind_and_no_color_is_honoured() -> None:
    coloured = show("--tree", str(MINI), "--lang", "en", environ={"COLUMNS": "80", "FORCE_COLOR": "1"})
    assert has_colour(coloured)
    plain = show("--tree", str(MINI), "--lang", "en", environ={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not has_colour(plain)
    assert "\x1b[1m" in plain  # bold stays: it is not a colour
    assert "\x1b" not in show("--tree", str(MINI), "--lang", "en")  # not a terminal: no escapes


def test_a_deep_tree_does_not_hit_the_recursion_limit(tmp_path: Path) -> None:
    depth = 1500
    lines = ["id: deep", "title: {zh: 深, en: Deep}", "languages: [zh, en]", "start: q0", "nodes:"]
    for i in range(depth):
        target = f"q{i + 1}" if i + 1 < depth else "done"
        lines.append(
            f"  q{i}: {{kind: single, prompt: {{zh: 问{i}, en: Q{i}}}, "
            f"options: [{{id: a, label: {{zh: 是, en: 'yes'}}, next: {target}}}]}}"
        )
    lines.append(
        "  done: {kind: outcome, title: {zh: 完, en: Done}, channel: {zh: 无, en: none}, summary: {zh: 无, en: none}}"
    )
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("show", "--tree", str(path), "--lang", "en", environ={"COLUMNS": "100000"})
    assert result.status == 0, result.stderr[-2000:]
    assert "[done]" in result.stdout


@pytest.mark.parametrize("columns", ["60", "80"])
def test_chinese_lines_never_start_with_closing_punctuation(columns: str) -> None:
    from rich.cells import cell_len

    from wizard.render.text import NO_LINE_END, NO_LINE_START

    text = show("--lang", "zh", environ={"COLUMNS": columns})
    for line in text.splitlines():
        assert cell_len(line) <= int(columns), line
        words = re.sub(r"^[?◇■] ", "", line.lstrip(" │├└─"))  # a node's own marker may start a line
        assert words[:1] not in NO_LINE_START, line
        assert line.rstrip()[-1:] not in NO_LINE_END, line


@pytest.mark.parametrize("columns", ["60", "70", "80", "100"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rung_is_never_broken_over_two_lines(lang: str, columns: str) -> None:
    # "· rung" / "2 [app_chat]" and "· 第 7" / "级 [consumer_all_tried]" were drawn.
    text = show("--lang", lang, environ={"COLUMNS": columns})
    levels = sorted({o.level for o in load_tree(ROOT / "trees" / "pinduoduo.yaml").outcomes()} - {0})
    assert all((f"第 {n} 级" if lang == "zh" else f"level {n}") in text for n in levels)  # each on one line
    cut = re.compile(r"(第|第 \d+|level)$")
    assert [line for line in text.splitlines() if cut.search(line.rstrip())] == []
    assert "\u00a0" not in text  # the glue that holds a rung together is drawn as a plain space
    assert [line for line in text.splitlines() if line.lstrip(" │├└─").startswith("·")] == []  # "·" ends a line


def test_control_characters_in_a_tree_are_shown_as_escapes() -> None:
    text = show("--tree", str(FIXTURES / "interactive" / "hostile.yaml"), "--lang", "en", environ={"COLUMNS": "300"})
    assert "? Who are you?\\x1b[2J\\x1b[H [role]" in text
    assert "Buyer\\x1b[31m red → ? What is the problem?\\x9b2J [problem]" in text
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_chinese_brackets_follow_their_text_without_a_space() -> None:
    """A condition or a "(pick any)" is a diagram's second line; on show's one line a full-width bracket
    follows the text directly, as Chinese is set."""
    got = show("--tree", str(ROOT / "trees" / "pinduoduo.yaml"), "--lang", "zh", environ={"COLUMNS": "400"})
    assert "（仅当" in got and "（可多选）" in got
    assert " （" not in got and "· （" not in got
