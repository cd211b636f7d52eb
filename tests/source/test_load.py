"""The loader: every kind of bad file gets one located line per problem, exit 2, quickly, no traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.utils import MINI, run_cli
from wizard.core.errors import MOST_PROBLEMS_SHOWN, LoadError
from wizard.rules import load_tree  # the gate: what every command but `check` loads trees with
from wizard.source.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_YAML_BYTES, build_tree, read_document

GOOD = MINI.read_text(encoding="utf-8")


def write(tmp_path: Path, content: str | bytes, name: str = "tree.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


BAD_FILES = [
    pytest.param(b"", "file is empty", id="empty"),
    pytest.param(b"# only a comment\n", "file is empty", id="only-comment"),
    pytest.param(b"- a\n- b\n", "expected a mapping at the top", id="a-list"),
    pytest.param(b"just text\n", "expected a mapping at the top", id="a-string"),
    pytest.param(b"id: x\ntitle: \xff\xfe\n", ":2:8: invalid UTF-8", id="invalid-utf8"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", id="binary"),
    pytest.param(b"id: x\nnodes: {a: [\n", "YAML syntax error", id="syntax-error"),
    pytest.param(b"id: x\nid: y\n", ":2:1: duplicate key 'id' (first defined at line 1)", id="duplicate-key"),
    pytest.param(
        b"nodes:\n  a:\n    kind: outcome\nnodes:\n  b: 1\n",
        ":4:1: duplicate key 'nodes' (first defined at line 1)",  # the key's line, not its value's
        id="duplicate-block-key",
    ),
    pytest.param(billion_laughs().encode(), "aliases expand", id="billion-laughs"),
    pytest.param(("x: " + "[" * 5000 + "]" * 5000 + "\n").encode(), "YAML syntax error", id="deep-flow"),
    pytest.param(
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)).encode() + b"  " * (MAX_DEPTH + 5) + b"v\n",
        f"nested more than {MAX_DEPTH} levels deep",
        id="deep-block",
    ),
    pytest.param(b"a: !!python/object:os.system {}\n", "unsupported YAML tag", id="python-tag"),
    pytest.param(b"base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys", id="merge-key"),
    pytest.param(b"? [a, b]\n: c\n", "a key must be a plain string", id="complex-key"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_file_is_one_located_line_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = write(tmp_path, content)
    started = time.perf_counter()
    result = run_cli("run", "--tree", str(path), "--defaults")
    elapsed = time.perf_counter() - started
    assert result.status == 2
    assert message in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert elapsed < 1.0


def test_yaml_over_its_own_limit_is_refused_before_parsing_and_json_is_not(tmp_path: Path) -> None:
    nodes = "".join(f"  n{i}: {{kind: outcome, title: {{zh: 题, en: T}}}}\n" for i in range(30_000))
    path = tmp_path / "big.yaml"
    path.write_text(f"id: x\nstart: n0\nnodes:\n{nodes}", encoding="utf-8")
    assert path.stat().st_size > MAX_YAML_BYTES
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert result.stderr.splitlines() == [
        f"pdd-wizard: {path}: YAML file is {path.stat().st_size:,} bytes; YAML is read up to "
        f"{MAX_YAML_BYTES:,} (1 MiB): write a file this large as JSON, which is YAML too, read up to "
        f"{MAX_FILE_BYTES:,}"
    ]
    # The same size as JSON is read (and its own problems reported).
    as_json = tmp_path / "big.json"
    as_json.write_text(json.dumps({"id": "x", "start": "n0", "nodes": {f"node{i:06}": {} for i in range(90_000)}}))
    assert as_json.stat().st_size > MAX_YAML_BYTES
    assert "YAML is read up to" not in run_cli("check", str(as_json)).stdout


def test_a_large_json_file_with_a_syntax_error_is_located_by_json_itself(tmp_path: Path) -> None:
    body = ",\n".join(f'  "n{i}": {{"kind": "outcome"}}' for i in range(40_000))
    path = tmp_path / "big.json"
    path.write_text('{"nodes": {\n' + body + '\n  "broken" {}\n}}\n', encoding="utf-8")
    assert path.stat().st_size > MAX_YAML_BYTES
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert result.stderr.strip() == f"pdd-wizard: {path}:40002:3: JSON syntax error: Expecting ',' delimiter"


def test_a_file_wrong_throughout_shows_its_first_hundred_problems_and_a_count(tmp_path: Path) -> None:
    nodes = "".join(f"  n{i}: {{kind: outcome, title: {{zh: 题, en: T}}}}\n" for i in range(300))
    path = tmp_path / "wrong.yaml"
    path.write_text(f"id: x\ntitle: {{zh: 树, en: Tree}}\nlanguages: [zh, en]\nstart: n0\nnodes:\n{nodes}")
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert len(lines) == MOST_PROBLEMS_SHOWN + 1
    assert lines[0].startswith(f"pdd-wizard: {path}:6:")
    assert lines[-1] == "pdd-wizard: ... and 500 more problems not shown; fix these first"
    checked = run_cli("check", str(path)).stdout.splitlines()
    assert f"{path}: ... and 500 more problems not shown; fix these first" in checked
    assert checked[-1].startswith("1 tree checked: 600 errors")


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no need to write 32 MiB
    started = time.perf_counter()
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert f"the limit is {MAX_FILE_BYTES:,}" in result.stderr
    assert time.perf_counter() - started < 1.0


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    assert "no such file" in run_cli("run", "--tree", str(tmp_path / "nope.yaml"), "--defaults").stderr
    result = run_cli("run", "--tree", "no-such-tree", "--defaults")
    assert result.status == 2
    assert "no tree named 'no-such-tree'" in result.stderr


# Mistakes in an otherwise valid tree: (replace this, with that) -> the message, with line:column.
TREE_MISTAKES = [
    pytest.param(
        "      - {id: chat, label: {zh: 在线客服, en: Chat}}",
        "      - {id: chat, label: {zh: 在线客服}}",
        ":30:27: node 'tried': option 'chat' has no 'en' label",
        id="missing-translation",
    ),
    pytest.param(
        "next: ladder", "next: ladderr", ":31:11: node 'tried': 'next' names no node: 'ladderr'", id="bad-next"
    ),
    pytest.param(
        "      - {step: chat, next: use_chat}",
        "      - {step: chat, next: nowhere}",
        "node 'ladder': rung 'chat': 'next' names no node: 'nowhere'",
        id="bad-rung-next",
    ),
    pytest.param("start: role", "start: rolle", "'start' names no node: 'rolle'", id="bad-start"),
    pytest.param("    kind: multiple", "    kind: several", ":25:11: node 'tried': 'kind' is 'several'", id="bad-kind"),
    pytest.param(
        "    default: buyer", "    default: nobody", "node 'role': default 'nobody' is not an option", id="bad-default"
    ),
    pytest.param("    level: 1\n", "    level: high\n", "'level' must be a whole number", id="bad-level"),
    pytest.param(
        "    tone: danger",
        "    tone: scary",
        "'tone' is 'scary'; expected one of: info, caution, danger",
        id="bad-tone",
    ),
    pytest.param("    level: 3\n", "    levl: 3\n", "unknown field 'levl'", id="unknown-field"),
    pytest.param(
        "when: {problem: parcel}}",
        "when: {problem: {equals: parcel}}}",
        "condition on 'problem': unknown operator 'equals'",
        id="bad-operator",
    ),
    pytest.param(
        "when: {problem: parcel}}",
        "when: {problem: {includes: parcel}}}",
        "operator 'includes' does not apply to a single choice",
        id="operator-kind",
    ),
    pytest.param(
        "title: {zh: 小向导, en: Mini wizard}",
        "title: {zh: 小向导, en: Mini wizard, fr: Mini}",
        "'title' has language 'fr', which the tree does not declare",
        id="undeclared-language",
    ),
    pytest.param(
        "      - {id: scam, label",
        "      - {id: parcel, label",
        "node 'problem': duplicate option id 'parcel'",
        id="duplicate-option",
    ),
    pytest.param("languages: [zh, en]", "languages: [zh, EN]", "'EN' is not a language code", id="language-code"),
    pytest.param("    kind: single\n", "    kinds: single\n", "missing required field 'kind'", id="no-kind"),
    pytest.param(
        "when: {problem: parcel}}",
        "when: {}}",
        "a condition must be a non-empty mapping, not an empty mapping",
        id="empty",
    ),
    pytest.param("level: 1", "level: 2.5", "'level' must be a whole number, not the number 2.5", id="fraction"),
    pytest.param("\n    kind: single\n", "\n\tkind: single\n", "(a tab: YAML is indented with spaces", id="tab"),
]


@pytest.mark.parametrize(("old", "new", "message"), TREE_MISTAKES)
def test_tree_mistake_names_file_line_node_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    result = run_cli("run", "--tree", str(path), "--defaults")
    assert result.status == 2
    assert message in result.stderr
    assert f"{path}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_reported_one_per_line(tmp_path: Path) -> None:
    broken = GOOD.replace("next: ladder", "next: nowhere").replace("    tone: danger", "    tone: scary")
    with pytest.raises(LoadError) as caught:
        build_tree(read_document(write(tmp_path, broken)))
    messages = caught.value.lines()
    assert any("'tone' is 'scary'" in m for m in messages)
    assert all(m.startswith(str(tmp_path)) for m in messages)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, b"- a\n")
    assert "Traceback" in run_cli("run", "--tree", str(path), "--defaults", "--debug").stderr
    assert "Traceback" in run_cli("run", "--tree", str(path), "--defaults", environ={"WIZARD_DEBUG": "1"}).stderr


def test_plain_scalars_stay_strings_where_the_format_wants_text(tmp_path: Path) -> None:
    # YAML 1.1 reads `yes` as true and `21:00` as a number; ids and texts keep what was written.
    text = GOOD.replace("id: buyer", "id: yes").replace("default: buyer", "default: yes")
    text = text.replace("next: problem\n", "next: problem\n        help: {zh: '1', en: 21:00}\n", 1)
    tree = build_tree(read_document(write(tmp_path, text)))
    role = tree.question("role")
    assert role.options[0].id == "yes"
    assert role.default == "yes"
    assert role.options[0].help is not None and role.options[0].help.get("en") == "21:00"


def test_aliases_for_repeated_text_are_fine(tmp_path: Path) -> None:
    text = GOOD.replace("summary: {zh: 挂断。, en: Hang up.}", "summary: &hang {zh: 挂断。, en: Hang up.}")
    text = text.replace("summary: {zh: 看后台。, en: See the back office.}", "summary: *hang")
    tree = build_tree(read_document(write(tmp_path, text)))
    assert tree.nodes["seller_help"].summary.get("en") == "Hang up."  # type: ignore[union-attr]


def test_load_tree_by_path_gives_locations() -> None:
    tree = load_tree(str(MINI))
    assert tree.where(tree.nodes["tried"].path).line == 25
    assert str(tree.where(tree.nodes["tried"].path)).endswith("mini.yaml:25:5")


_SCHEDULED = """\
id: t
title: {en: T}
languages: [en]
start: done
schedules:
  office:
    channel: {en: Service}
    timezone: ZONE
    opens: "OPENS"
    closes: "21:00"
    busy:
      - {name: {en: Singles Day}, date: "DATE", days: DAYS}
nodes:
  done: {kind: outcome, level: LEVEL, title: {en: Call}, channel: {en: Phone}, summary: {en: Call.}, schedule: office}
"""
_GOOD = {"ZONE": "Asia/Shanghai", "OPENS": "09:00", "DATE": "11-11", "DAYS": "14", "LEVEL": "1"}


def _scheduled(tmp_path: Path, **changed: str) -> Path:
    text = _SCHEDULED
    for key, value in {**_GOOD, **changed}.items():
        text = text.replace(key, value)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changed", "where", "message"),
    [
        ({"ZONE": "Asia/Shang_hai"}, "8:15", "'timezone' is not a known IANA time zone (such as Asia/Shanghai)"),
        ({"OPENS": "25:00"}, "9:12", "'opens' must be a time of day written HH:MM (00:00 to 23:59), not '25:00'"),
        ({"OPENS": "9:00"}, "9:12", "'opens' must be a time of day written HH:MM (00:00 to 23:59), not '9:00'"),
        ({"DATE": "13-45"}, "12:41", "busy period 1: 'date' must be a month and day written MM-DD"),
        ({"DAYS": "0"}, "12:56", "busy period 1: 'days' must be 1 or more, not 0"),
        ({"LEVEL": "-1"}, "14:32", "node 'done': 'level' must be 0 or more, not -1"),
    ],
)
def test_a_value_of_the_right_type_that_means_nothing_is_refused_where_written(
    tmp_path: Path, changed: dict[str, str], where: str, message: str
) -> None:
    # Each once passed the loader, and the plan silently lost its "Right now" or busy lines.
    path = _scheduled(tmp_path, **changed)
    with pytest.raises(LoadError) as caught:
        load_tree(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:{where}: ") and message in str(problem), str(problem)


def test_leap_day_and_the_edges_of_the_day_are_fine(tmp_path: Path) -> None:
    assert load_tree(_scheduled(tmp_path, DATE="02-29", OPENS="00:00")).schedules["office"].busy[0].date == "02-29"
    assert load_tree(_scheduled(tmp_path, OPENS="23:59")).schedules["office"].opens == "23:59"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('prompt: {zh: "什么问题?", en: "What is the problem?"}', 'prompt: "What is the problem?"'),
        ("summary: {zh: 先问快递。, en: Ask the courier first.}", "summary: [a, b]"),
    ],
)
def test_a_field_written_wrong_is_one_problem_not_also_missing(tmp_path: Path, old: str, new: str) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "t.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_tree(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert "missing required field" not in str(caught.value)


def test_a_typo_in_a_name_is_reported_beside_other_problems_in_file_order(tmp_path: Path) -> None:
    # A missing translation once hid every 'next' that names nothing: CI showed one layer per push.
    text = GOOD.replace("summary: {zh: 用聊天。, en: Use the chat.}", "summary: {zh: 用聊天。}", 1)
    text = text.replace("next: problem", "next: problme", 1)
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as caught:
        load_tree(path)
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "node 'role': option 'buyer': 'next' names no node: 'problme'",
        "node 'use_chat': 'summary' has no 'en' text",
    ]
    lines = [p.location.line for p in caught.value.problems if p.location]
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("exhausted: all_tried", "exhausted: all_tryed", "node 'ladder': 'exhausted' names no node: 'all_tryed'"),
        ("question: tried", "question: tryed", "node 'ladder': 'question' names no node: 'tryed'"),
    ],
)
def test_a_name_of_a_node_field_is_located_where_the_field_is_written(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    # Once located at the node's first line ('kind:'), where a GitHub annotation pointed at nothing.
    text = GOOD.replace(old, new, 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if new in row)
    column = text.splitlines()[line - 1].index(new) + len(new.split(": ")[0]) + 3
    with pytest.raises(LoadError) as caught:
        load_tree(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.location is not None
    assert (problem.location.line, problem.location.column) == (line, column)
    assert message in problem.message


def test_a_list_item_with_a_condition_and_a_misspelt_text_names_the_field(tmp_path: Path) -> None:
    # It was read as a text per language: "'prepare' has language 'txt'" and "has language 'when'".
    summary = "summary: {zh: 先问快递。, en: Ask the courier first.}"
    item = "\n    prepare:\n      - {txt: {zh: 单号, en: The number}, when: {problem: parcel}}"
    assert summary in GOOD
    with pytest.raises(LoadError) as caught:
        load_tree(write(tmp_path, GOOD.replace(summary, summary + item, 1)))
    messages = [p.message for p in caught.value.problems]
    assert "node 'call_courier': unknown field 'txt'; expected one of: text, when" in messages
    assert not any("has language" in m for m in messages), messages
