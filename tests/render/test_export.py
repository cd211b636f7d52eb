"""`pdd-wizard export`: golden files, escaping proven by the real `dot` and Mermaid parsers, the README diagram.

Golden files live in `tests/golden/`, one per entry of `GOLDEN` (the command that makes
it). After a deliberate change of the output, regenerate them and the README's diagram
with::

    UPDATE_GOLDEN=1 python -m pytest tests/render/test_export.py tests/tui/test_show.py

and review the diff. The tests that need Graphviz's `dot` or node with
`tests/node_modules` (`cd tests && npm ci`) are skipped when those are missing, except
when the environment variable `CI` is set: there a missing tool fails the test.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.utils import FIXTURES, MINI, ROOT, Result, run_cli
from wizard.cli.main import main
from wizard.core.model import AllOf, AnyOf, Compare, Condition, Not
from wizard.render.diagrams import FORMATS, dot, graphviz, mermaid
from wizard.render.diagrams.graph import describe, label_lines, node_label, tree_graph, walk
from wizard.source.environment import Environment
from wizard.source.load import load_tree

GOLDEN_DIR = ROOT / "tests" / "golden"
HOSTILE = FIXTURES / "export" / "hostile.yaml"
SHIPPED = sorted((ROOT / "trees").glob("*.yaml"))
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")
NODE_DIR = ROOT / "tests"
PARSE_MJS = NODE_DIR / "mermaid" / "parse.mjs"
PATH_ANSWERS = ("--answer", "role=buyer", "--answer", "problem=parcel", "--answer", "tried=courier")

#: Golden file name -> the `pdd-wizard` arguments whose standard output it holds.
GOLDEN: dict[str, tuple[str, ...]] = {
    "mini.dot": ("export", "--tree", str(MINI), "--format", "dot", "--lang", "en"),
    "mini.mmd": ("export", "--tree", str(MINI), "--format", "mermaid", "--lang", "en"),
    "mini.json": ("export", "--tree", str(MINI), "--format", "json", "--lang", "en"),
    "mini-zh.mmd": ("export", "--tree", str(MINI), "--format", "mermaid", "--lang", "zh"),
    "mini-path.dot": ("export", "--tree", str(MINI), "--format", "dot", "--lang", "en", "--cluster", *PATH_ANSWERS),
    "mini-path.mmd": ("export", "--tree", str(MINI), "--format", "mermaid", "--lang", "en", "--cluster", *PATH_ANSWERS),
    "mini-path.json": ("export", "--tree", str(MINI), "--format", "json", "--lang", "en", "--cluster", *PATH_ANSWERS),
    "hostile.dot": ("export", "--tree", str(HOSTILE), "--format", "dot", "--lang", "en"),
    "hostile.mmd": ("export", "--tree", str(HOSTILE), "--format", "mermaid", "--lang", "en", "--cluster"),
    "hostile.json": ("export", "--tree", str(HOSTILE), "--format", "json", "--lang", "en"),
}

#: The README's diagram: this command's output, in a ```mermaid block between the markers.
README_COMMAND = ("export", "--tree", "pinduoduo", "--format", "mermaid", "--lang", "en", "--cluster")
README_BEGIN = re.compile(r"<!-- BEGIN mermaid: pinduoduo[^\n]*-->\n")
README_END = "<!-- END mermaid -->"


def require(available: bool, reason: str) -> None:
    """Skip when a tool is missing, but fail under CI, where it must be installed."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (see .ci/run)")
    pytest.skip(reason)


def require_dot() -> None:
    require(shutil.which("dot") is not None, "Graphviz 'dot' is not installed")


def require_mermaid() -> None:
    require(shutil.which("node") is not None, "node is not installed")
    require((NODE_DIR / "node_modules" / "mermaid").is_dir(), "tests/node_modules is missing: cd tests && npm ci")


def ok(result: Result) -> str:
    assert result.status == 0, result.stderr
    return result.stdout


# --- Golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name: str) -> None:
    got = ok(run_cli(*GOLDEN[name]))
    path = GOLDEN_DIR / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; make it with UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8"), f"{name} changed; if on purpose: UPDATE_GOLDEN=1 pytest {__file__}"


def test_every_golden_file_has_a_command() -> None:
    on_disk = {p.name for p in GOLDEN_DIR.glob("*") if p.suffix in (".dot", ".mmd", ".json")}
    assert on_disk == set(GOLDEN)


# --- The graph and its words --------------------------------------------------------------


def test_graph_has_every_node_and_edge_with_synthetic_ids(mini_tree: Any) -> None:
    graph = tree_graph(mini_tree, "en")
    assert list(graph) == list(mini_tree.nodes)
    assert [graph.nodes[n]["ref"] for n in graph] == [f"n{i}" for i in range(len(mini_tree.nodes))]
    assert sorted((s, t, k) for s, t, k in graph.edges(keys=True)) == sorted(
        (e.source, e.target, e.key) for e in mini_tree.edges()
    )


def test_outcomes_are_coloured_up_the_ladder_and_danger_is_red(mini_tree: Any) -> None:
    graph = tree_graph(mini_tree, "en")
    styles = {n: graph.nodes[n]["style"] for n in graph}
    assert styles["role"] == "question" and styles["tried"] == "multiple" and styles["ladder"] == "route"
    assert styles["call_courier"] == "step0" and styles["all_tried"] == "step5"
    assert styles["use_chat"] not in ("step0", "step5")
    assert styles["scam_alert"] == "danger"


def compare(question: str, op: str, *values: str) -> Compare:
    return Compare(question, op, values)  # type: ignore[arg-type]


# `named(mini_tree)` gives `role` and `problem` a `name`; `tried` has none, so its prompt stands in.
DESCRIBED: list[tuple[Condition, str, str]] = [
    (compare("problem", "is", "parcel"), "the problem is “Parcel”", "问题为「包裹」"),
    (compare("problem", "is_not", "scam"), "the problem is not “Scam”", "问题不为「诈骗」"),
    (compare("problem", "in", "parcel"), "the problem is “Parcel”", "问题为「包裹」"),
    (
        compare("problem", "in", "parcel", "scam"),
        "the problem is one of: “Parcel” / “Scam”",
        "问题为「包裹」「诈骗」之一",
    ),
    (
        compare("problem", "not_in", "parcel", "scam"),
        "the problem is none of: “Parcel” / “Scam”",
        "问题不为「包裹」「诈骗」中任何一项",
    ),
    (compare("tried", "includes", "chat"), "“What have you tried?” includes “Chat”", "「试过什么?」包含「在线客服」"),
    (
        compare("tried", "includes", "chat", "courier"),
        "“What have you tried?” includes all of: “Chat” / “Courier”",
        "「试过什么?」包含「在线客服」「快递」",
    ),
    (
        compare("tried", "excludes", "courier"),
        "“What have you tried?” does not include “Courier”",
        "「试过什么?」不包含「快递」",
    ),
    (
        compare("tried", "excludes", "chat", "courier"),
        "“What have you tried?” includes none of: “Chat” / “Courier”",
        "「试过什么?」不包含「在线客服」「快递」中任何一项",
    ),
    (
        compare("tried", "includes_any", "chat", "courier"),
        "“What have you tried?” includes any of: “Chat” / “Courier”",
        "「试过什么?」包含「在线客服」「快递」中任意一项",
    ),
    (compare("tried", "answered"), "“What have you tried?” was answered", "已回答「试过什么?」"),
    (compare("problem", "is", "nonesuch"), "the problem is “nonesuch”", "问题为「nonesuch」"),
    (compare("nonesuch", "is", "x"), "nonesuch is “x”", "nonesuch为「x」"),
    (
        AllOf(
            (compare("role", "is", "buyer"), AnyOf((compare("problem", "is", "scam"), compare("tried", "answered"))))
        ),
        "the role is “Buyer” and (the problem is “Scam” or “What have you tried?” was answered)",
        "身份为「买家」 且 （问题为「诈骗」 或 已回答「试过什么?」）",
    ),
    (Not(compare("role", "is", "seller")), "not (the role is “Seller”)", "非（身份为「卖家」）"),
    # The `answered: true` guard of a read of the same question is not said (issue 16).
    (
        AllOf((compare("problem", "answered"), compare("problem", "is", "parcel"))),
        "the problem is “Parcel”",
        "问题为「包裹」",
    ),
    (
        AllOf((compare("tried", "answered"), compare("problem", "is", "parcel"))),
        "“What have you tried?” was answered and the problem is “Parcel”",
        "已回答「试过什么?」 且 问题为「包裹」",
    ),
]


@pytest.mark.parametrize(("condition", "en", "zh"), DESCRIBED)
def test_conditions_in_plain_words(mini_tree: Any, condition: Condition, en: str, zh: str) -> None:
    tree = named(mini_tree)
    assert describe(condition, tree, "en") == en
    assert describe(condition, tree, "zh") == zh


def named(tree: Any) -> Any:
    """The mini tree with a `name` on `role` and `problem` (its file stays as its line numbers are pinned)."""
    import msgspec

    from wizard.core.model import Localized

    names = {"role": ("身份", "the role"), "problem": ("问题", "the problem")}
    nodes = dict(tree.nodes)
    for key, (zh, en) in names.items():
        nodes[key] = msgspec.structs.replace(nodes[key], name=Localized({"zh": zh, "en": en}))
    return msgspec.structs.replace(tree, nodes=nodes)


def test_edges_carry_options_rungs_and_any_answer(mini_tree: Any) -> None:
    graph = tree_graph(named(mini_tree), "en")
    labels = {(s, k): d["label"] for s, _t, k, d in graph.edges(keys=True, data=True)}
    assert labels[("role", "buyer")] == "Buyer"
    assert labels[("tried", "next")] == "any answer"
    # The mini tree's rungs have no `label`: the edge says the option was not ticked.
    assert labels[("ladder", "rung:courier")] == "not ticked: Courier\n(only if the problem is “Parcel”)"
    assert labels[("ladder", "rung:chat")] == "not ticked: Chat"
    assert labels[("ladder", "exhausted")] == "all tried"


def test_route_branches_read_as_conditions_and_otherwise() -> None:
    graph = tree_graph(load_tree(HOSTILE), "en")
    labels = {k: d["label"] for s, _t, k, d in graph.edges(keys=True, data=True) if s == "route"}
    assert labels["default"] == "otherwise"
    # The question has no `name`: its prompt, quoted, stands in for its id.
    assert labels["branch:0"].startswith("“backtick `code` and --> arrow -- x --- y ==> z” includes all of: ")


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Who are you?", 30, ["Who are you?"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("averyveryverylongword x", 5, ["averyveryverylongword", "x"]),
        ("在拼多多买了东西，没有收到", 10, ["在拼多多买", "了东西，没", "有收到"]),
        ("拨打过 95187 热线", 8, ["拨打过", "95187 热", "线"]),
        ("a\nb\r\nc", 30, ["a", "b", "c"]),
        ("keep  \\N  as is", 0, ["keep  \\N  as is"]),
    ],
)
def test_label_lines(text: str, width: int, lines: list[str]) -> None:
    assert label_lines(text, width) == lines


def test_wrapping_keeps_every_character() -> None:
    for node in load_tree(HOSTILE).nodes.values():
        label = node_label(node, load_tree(HOSTILE), "zh")
        assert "".join(label_lines(label, 12)).replace(" ", "") == label.replace(" ", "").replace("\n", "")


# --- Highlighted path and clusters --------------------------------------------------------


def test_highlight_marks_the_path_taken(mini_tree: Any) -> None:
    path = walk(mini_tree, {"role": "buyer", "problem": "parcel", "tried": "courier"})
    assert path.nodes == ("role", "problem", "tried", "ladder", "use_chat")
    assert path.stopped_at is None
    graph = tree_graph(mini_tree, "en", path)
    assert [n for n in graph if graph.nodes[n]["highlighted"]] == ["role", "problem", "tried", "ladder", "use_chat"]
    assert [(s, k) for s, _t, k, d in graph.edges(keys=True, data=True) if d["highlighted"]] == [
        ("role", "buyer"),
        ("problem", "parcel"),
        ("tried", "next"),
        ("ladder", "rung:chat"),
    ]


def test_highlight_from_a_file_and_flags(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: buyer\nproblem: scam\n", encoding="utf-8")
    for flag in ("--highlight", "--answers"):  # --answers, as `run` names its answers file
        doc = json.loads(ok(run_cli("export", "--tree", str(MINI), "--format", "json", flag, str(answers))))
        assert [n["id"] for n in doc["nodes"] if n["highlighted"]] == ["role", "problem", "scam_alert"]
    doc = json.loads(
        ok(
            run_cli(
                "export",
                "--tree",
                str(MINI),
                "--format",
                "json",
                "--highlight",
                str(answers),
                "--answer",
                "role=seller",
            )
        )
    )
    assert [n["id"] for n in doc["nodes"] if n["highlighted"]] == ["role", "seller_help"]


def test_a_path_without_enough_answers_is_drawn_as_far_as_it_goes() -> None:
    result = run_cli("export", "--tree", str(MINI), "--format", "json", "--answer", "role=buyer")
    doc = json.loads(ok(result))
    assert [n["id"] for n in doc["nodes"] if n["highlighted"]] == ["role", "problem"]
    assert "stops at question 'problem'" in result.stderr
    doc = json.loads(ok(run_cli("export", "--tree", str(MINI), "--format", "json", "--defaults")))
    assert [n["id"] for n in doc["nodes"] if n["highlighted"]] == ["role", "problem", "tried", "ladder", "call_courier"]


def test_a_wrong_answer_is_an_error() -> None:
    result = run_cli("export", "--tree", str(MINI), "--answer", "role=nobody")
    assert result.status == 2
    assert "question 'role': 'nobody' is not an option" in result.stderr


def test_highlight_answers_that_name_no_question_or_are_off_the_path_are_warned_about(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: seller\nproblme: scam\nproblem: parcel\nrole2: [x]\n", encoding="utf-8")
    result = run_cli("export", "--tree", str(MINI), "--format", "json", "--highlight", str(answers))
    ok(result)
    assert result.stderr.splitlines() == [  # each where it is written in the answers file
        f"pdd-wizard: warning: {answers}:2:10: answer to 'problme' ignored: the tree has no such question",
        f"pdd-wizard: warning: {answers}:3:10: answer to 'problem' ignored: the path never reached that question",
        f"pdd-wizard: warning: {answers}:4:8: answer to 'role2' ignored: the tree has no such question",
    ]


def test_a_wrong_highlight_answer_names_its_line(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: buyer\nproblem: rain\n", encoding="utf-8")
    result = run_cli("export", "--tree", str(MINI), "--highlight", str(answers))
    assert result.status == 2
    assert result.stderr.startswith(f"pdd-wizard: {answers}:2:10: question 'problem': 'rain' is not an option")


def test_mermaid_highlight_styles_the_links_on_the_path() -> None:
    text = ok(run_cli("export", "--tree", str(MINI), "--format", "mermaid", *PATH_ANSWERS))
    links = [line for line in text.splitlines() if "-->" in line]
    styled = re.search(r"linkStyle ([\d,]+) stroke:#db2777", text)
    assert styled
    assert [links[int(i)].split()[0] + ">" + links[int(i)].split()[-1] for i in styled.group(1).split(",")] == [
        "n0>n1",
        "n1>n2",
        "n2>n3",
        "n3>n5",
    ]


def test_cluster_groups_by_the_first_answer() -> None:
    tree = load_tree("pinduoduo")
    graph = tree_graph(tree, "en", cluster=True)
    clusters = dict(graph.graph["clusters"])
    assert sorted(clusters.values()) == sorted(o.label.get("en") for o in tree.question("role").options)
    by_option = {cid: {n for n in graph if graph.nodes[n]["cluster"] == cid} for cid in clusters}
    consumer, merchant = (by_option[c] for c in sorted(clusters))
    assert {"problem", "tried", "fraud_alert", "app_chat"} <= consumer
    assert {"merchant_problem", "merchant_ladder", "merchant_all_tried"} <= merchant
    assert graph.nodes["role"]["cluster"] is None
    dot_text = dot.render(graph)
    assert dot_text.count("subgraph cluster_") == 2


def test_shared_nodes_stay_outside_clusters() -> None:
    graph = tree_graph(load_tree(HOSTILE), "en", cluster=True)
    assert graph.nodes["graph"]["cluster"] is None  # reached through two first answers
    assert graph.nodes["a-b.c"]["cluster"] == "c0"


# --- Unsafe characters: none reaches a diagram ---------------------------------------------

#: C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "json", "svg"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_diagram_carries_an_unsafe_character(fmt: str, lang: str, tmp_path: Path) -> None:
    """Escape sequences, C0 and C1 controls, DEL and bidi overrides (U+202E in a prompt) in tree text."""
    if fmt == "svg":
        require_dot()
    hostile = (FIXTURES / "interactive" / "hostile.yaml").read_text(encoding="utf-8")
    tree = tmp_path / "hostile.yaml"
    tree.write_text(
        hostile.replace("Who are you?", "Who \\u202eare you?").replace("你是谁?", "你是\\u202e谁?"), encoding="utf-8"
    )
    assert "\u202e" in load_tree(tree).nodes["role"].prompt.get(lang)
    text = ok(run_cli("export", "--tree", str(tree), "--format", fmt, "--lang", lang, "--cluster", "--defaults"))
    assert [f"U+{ord(c):04X}" for c in UNSAFE.findall(text)] == []


# --- DOT: escaping, proved by the real dot -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash \\N \\n", '"back\\\\slash \\\\N \\\\n"'),
        ("two\nlines", '"two\\nlines"'),
        ("&lt; & <b>", '"&amp;lt; &amp; <b>"'),
        ("nul\x00bell\x07", '"nul\ufffdbell\ufffd"'),
        ("中文 😀", '"中文 😀"'),
    ],
)
def test_dot_quote(text: str, quoted: str) -> None:
    assert dot.dot_quote(text) == quoted


def dot_json(dot_text: str) -> dict[str, Any]:
    done = subprocess.run(["dot", "-Tjson"], input=dot_text.encode(), capture_output=True, check=True)
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


def drawn_texts(obj: dict[str, Any]) -> list[str]:
    return [op["text"] for op in obj.get("_ldraw_", []) if op["op"] == "T"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dot_draws_hostile_labels_exactly(lang: str) -> None:
    require_dot()
    tree = load_tree(HOSTILE)
    graph = tree_graph(tree, lang)
    doc = dot_json(dot.render(graph, wrap=0))
    by_ref = {obj["name"]: obj for obj in doc["objects"]}
    for node_id, data in graph.nodes(data=True):
        expected = data["label"].replace("\r\n", "\n").split("\n")
        assert drawn_texts(by_ref[data["ref"]]) == expected, node_id
    names = {obj["_gvid"]: obj["name"] for obj in doc["objects"]}
    refs = {data["ref"]: n for n, data in graph.nodes(data=True)}
    drawn = {(refs[names[e["tail"]]], refs[names[e["head"]]]): drawn_texts(e) for e in doc["edges"]}
    for (source, target), texts in drawn.items():
        labels = [d["label"].replace("\r\n", "\n") for d in graph.get_edge_data(source, target).values()]
        if len(labels) == 1:
            assert texts == labels[0].split("\n")
        else:
            assert "\n".join(texts) == "\n".join("• " + label for label in labels)
    assert drawn_texts(doc) == [graph.graph["title"]]


def test_dot_tooltips_keep_the_tree_ids_exactly() -> None:
    require_dot()
    tree = load_tree(HOSTILE)
    assert any("\\" in node_id for node_id in tree.nodes)
    graph = tree_graph(tree, "en")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.render(graph).encode(), capture_output=True).stdout.decode()
    found = re.findall(r'<title>([^<]*)</title>\s*<g id="a_[^"]*"><a xlink:title="([^"]*)"', svg)
    tooltips = {html.unescape(ref): html.unescape(tooltip) for ref, tooltip in found}
    for node_id, ref in graph.nodes(data="ref"):
        assert tooltips[ref] == node_id
    for source, target in graph.edges():
        ref = f"{graph.nodes[source]['ref']}->{graph.nodes[target]['ref']}"
        assert tooltips[ref] == f"{source} -> {target}"


def test_dot_is_top_to_bottom_with_the_cjk_font_and_synthetic_ids() -> None:
    text = ok(run_cli("export", "--tree", str(HOSTILE), "--format", "dot", "--lang", "zh"))
    assert 'rankdir="TB"' in text
    for what in ("graph", "node", "edge"):
        assert re.search(rf'^  {what} \[.*fontname="WenQuanYi Micro Hei,', text, flags=re.M), what
    statements = re.findall(r"^\s+(\S+) (?:->|\[)", text, flags=re.M)
    assert {s for s in statements if s not in ("graph", "node", "edge")} <= {f"n{i}" for i in range(7)}


# --- Graphviz: every shipped tree renders -------------------------------------------------


@pytest.mark.parametrize("tree", SHIPPED, ids=[p.stem for p in SHIPPED])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shipped_trees_render_as_svg_and_png(tree: Path, lang: str, tmp_path: Path) -> None:
    require_dot()
    for fmt in ("svg", "png"):
        out = tmp_path / f"{tree.stem}-{lang}.{fmt}"
        ok(run_cli("export", "--tree", str(tree), "--lang", lang, "--cluster", "--defaults", "-o", str(out)))
        data = out.read_bytes()
        assert len(data) > 10_000, f"{out.name} is only {len(data)} bytes"
        if fmt == "png":
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            svg = data.decode("utf-8")
            assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
            title = load_tree(tree).title.get(lang)
            assert html.escape(title, quote=False) in svg


def test_hostile_tree_renders_as_png(tmp_path: Path) -> None:
    require_dot()
    out = tmp_path / "hostile.png"
    ok(run_cli("export", "--tree", str(HOSTILE), "--lang", "zh", "-o", str(out)))
    assert out.read_bytes().startswith(b"\x89PNG")


def test_chinese_png_uses_the_cjk_font() -> None:
    require_dot()
    require(
        b"WenQuanYi Micro Hei" in subprocess.run(["fc-list"], capture_output=True).stdout,
        "the font WenQuanYi Micro Hei is not installed (fonts-wqy-microhei)",
    )
    dot_text = ok(run_cli("export", "--tree", "pinduoduo", "--format", "dot", "--lang", "zh"))
    # dot -v names the fonts it resolved: the CJK font, not a fallback without Chinese glyphs.
    done = subprocess.run(["dot", "-v", "-Tpng", "-o", os.devnull], input=dot_text.encode(), capture_output=True)
    assert done.returncode == 0
    assert "wqy-microhei" in done.stderr.decode("utf-8", "replace").lower()


def test_a_chinese_png_without_a_chinese_font_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_dot()
    assert graphviz.cjk_font_installed()  # CI installs one
    monkeypatch.setattr(graphviz, "cjk_font_installed", lambda: False)
    zh = run_cli("export", "--tree", str(MINI), "--lang", "zh", "-o", str(tmp_path / "zh.png"))
    assert zh.status == 0
    assert "warning: no Chinese font found" in zh.stderr and "fonts-wqy-microhei" in zh.stderr
    en = run_cli("export", "--tree", str(MINI), "--lang", "en", "-o", str(tmp_path / "en.png"))
    assert en.status == 0 and en.stderr == ""


# --- Output: files, stdout, missing dot ----------------------------------------------------


def test_text_formats_go_to_stdout_and_the_suffix_picks_the_format(tmp_path: Path) -> None:
    assert ok(run_cli("export", "--tree", str(MINI))).startswith("flowchart TB\n")
    assert ok(run_cli("export", "--tree", str(MINI), "--format", "dot")).startswith('digraph "mini" {')
    for name, start in (("t.gv", b"digraph"), ("t.mmd", b"flowchart"), ("t.json", b"{")):
        result = run_cli("export", "--tree", str(MINI), "-o", str(tmp_path / name))
        assert result.status == 0 and result.stdout == ""
        assert (tmp_path / name).read_bytes().startswith(start)


def test_a_suffix_that_names_no_format_is_refused_and_a_contradicting_one_warned_about(tmp_path: Path) -> None:
    result = run_cli("export", "--tree", str(MINI), "-o", str(tmp_path / "t.jpg"))
    assert result.status == 2
    assert "'.jpg' names no format; give --format" in result.stderr
    assert not (tmp_path / "t.jpg").exists()
    result = run_cli("export", "--tree", str(MINI), "--format", "dot", "-o", str(tmp_path / "t.png"))
    assert result.status == 0
    assert "warning:" in result.stderr and "writing dot, though '.png' means png" in result.stderr
    assert (tmp_path / "t.png").read_bytes().startswith(b"digraph")  # what was asked for, said out loud
    # A suffix --format does not contradict, or no suffix at all: no word.
    for args in (("--format", "mermaid", "-o", str(tmp_path / "t.txt")), ("-o", str(tmp_path / "diagram"))):
        result = run_cli("export", "--tree", str(MINI), *args)
        assert result.status == 0 and result.stderr == ""
    assert (tmp_path / "diagram").read_bytes().startswith(b"flowchart")


def test_svg_goes_to_stdout() -> None:
    require_dot()
    assert "</svg>" in ok(run_cli("export", "--tree", str(MINI), "--format", "svg"))


def test_png_is_refused_on_a_terminal() -> None:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=err, stdin_isatty=True, stdout_isatty=True, environ={})
    assert main(["export", "--tree", str(MINI), "--format", "png"], env) == 2
    assert "use -o FILE" in err.getvalue()
    assert out.getvalue() == ""


def run_module(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=cwd or ROOT,
        check=False,
    )


def test_png_goes_to_a_pipe() -> None:
    require_dot()
    done = run_module("export", "--tree", str(MINI), "--format", "png")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\x89PNG")


def path_without_dot(tmp_path: Path, fake_dot: str | None = None) -> str:
    """A PATH with python but no Graphviz (or with a fake `dot` script)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if fake_dot is not None:
        script = bin_dir / "dot"
        script.write_text(fake_dot, encoding="utf-8")
        script.chmod(0o755)
    return str(bin_dir)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_missing_dot_says_how_to_install_it(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"tree.{fmt}"
    done = run_module("export", "--tree", str(MINI), "-o", str(out), env={"PATH": path_without_dot(tmp_path)})
    assert done.returncode == 2
    assert done.stderr.decode() == f"pdd-wizard: {graphviz.INSTALL_GRAPHVIZ}\n"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "bin"]


def test_missing_dot_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_without_dot(tmp_path))
    result = run_cli("export", "--tree", str(MINI), "--format", "svg")
    assert (result.status, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"pdd-wizard: {graphviz.INSTALL_GRAPHVIZ}"]
    assert "apt-get install graphviz" in result.stderr


def test_a_failing_dot_leaves_the_old_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_without_dot(tmp_path, "#!/bin/sh\necho 'Error: syntax error' >&2\nexit 1\n"))
    out = tmp_path / "tree.png"
    out.write_bytes(b"old")
    result = run_cli("export", "--tree", str(MINI), "-o", str(out))
    assert result.status == 2
    assert "Graphviz 'dot' failed: Error: syntax error" in result.stderr
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "tree.png"]


def test_an_unwritable_output_is_an_error(tmp_path: Path) -> None:
    result = run_cli("export", "--tree", str(MINI), "-o", str(tmp_path / "no" / "such" / "dir.mmd"))
    assert result.status == 2
    assert result.stderr == f"pdd-wizard: {tmp_path}/no/such/dir.mmd: no such folder: {tmp_path}/no/such\n"


def test_commands_do_not_import_networkx_rich_or_the_exporters_until_run() -> None:
    formats = {spec.module for spec in FORMATS.values()}
    heavy = str({"networkx", "rich", "wizard.render.diagrams.graph", *formats})
    code = f"import sys, wizard.cli.main as c; c.build_parser(); print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_the_command_offers_every_format() -> None:
    from wizard.cli.main import build_parser

    parser = build_parser("export")
    assert tuple(FORMATS) == ("mermaid", "dot", "json", "svg", "png", "html")
    for fmt in FORMATS:
        assert parser.parse_args(["export", "--format", fmt]).format == fmt


# --- Mermaid: the real parser -------------------------------------------------------------


def mermaid_cases() -> dict[str, tuple[str, ...]]:
    cases: dict[str, tuple[str, ...]] = {}
    for tree in [*SHIPPED, HOSTILE]:
        for lang in ("zh", "en"):
            base = ("export", "--tree", str(tree), "--format", "mermaid", "--lang", lang)
            cases[f"{tree.stem}-{lang}"] = base
            cases[f"{tree.stem}-{lang}-cluster-path"] = (*base, "--cluster", "--defaults")
    return cases


MERMAID_CASES = mermaid_cases()


def run_parser(paths: list[Path], *options: str) -> list[dict[str, Any]]:
    done = subprocess.run(["node", str(PARSE_MJS), *options, *map(str, paths)], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def mermaid_parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case of `MERMAID_CASES` exported and parsed by Mermaid, in one node run."""
    require_mermaid()
    folder = tmp_path_factory.mktemp("mermaid")
    paths = []
    for name, args in MERMAID_CASES.items():
        paths.append(folder / f"{name}.mmd")
        paths[-1].write_text(ok(run_cli(*args)), encoding="utf-8")
    return {Path(r["file"]).stem: r for r in run_parser(paths)}


@pytest.mark.parametrize("name", sorted(MERMAID_CASES))
def test_mermaid_parses(name: str, mermaid_parsed: dict[str, dict[str, Any]]) -> None:
    result = mermaid_parsed[name]
    assert result["ok"], result.get("error")
    assert result["type"] == "flowchart-v2"


def test_the_parser_rejects_a_broken_diagram(tmp_path: Path) -> None:
    require_mermaid()
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart TB\n  end --> (x\n", encoding="utf-8")
    [result] = run_parser([bad])
    assert not result["ok"] and "Parse error" in result["error"]


def mermaid_markers(text: str) -> str:
    """Mermaid's `decodeEntities`: its private markers for `#code;` entities back to HTML entities."""
    return text.replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";")


def mermaid_shown(text: str) -> str:
    """What Mermaid draws for a label as its parser read it (mermaid 11: `createText`, `cleanUpSvgCode`).

    Markers decoded and the label read as HTML (`<br>` a line break); a backslash before
    `n` is a line break too; then the finished SVG's text has its markers decoded once
    more. U+2060 (invisible) is dropped.
    """
    shown = html.unescape(mermaid_markers(text).replace("<br>", "\n"))
    shown = re.sub(r"\\n", "\n", shown, flags=re.IGNORECASE)
    shown = html.unescape(mermaid_markers(html.escape(shown, quote=False)))
    return shown.replace("\u2060", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mermaid_shows_hostile_labels_exactly(lang: str, tmp_path: Path) -> None:
    require_mermaid()
    graph = tree_graph(load_tree(HOSTILE), lang, cluster=True)
    path = tmp_path / "hostile.mmd"
    path.write_text(mermaid.render(graph, wrap=0), encoding="utf-8")
    [result] = run_parser([path], "--labels")
    assert result["ok"], result.get("error")
    refs = {data["ref"]: node_id for node_id, data in graph.nodes(data=True)}
    assert set(result["nodes"]) == set(refs)
    for ref, text in result["nodes"].items():
        assert mermaid_shown(text) == graph.nodes[refs[ref]]["label"].replace("\r\n", "\n"), refs[ref]
    for source, target, text in result["edges"]:
        labels = [d["label"].replace("\r\n", "\n") for d in graph.get_edge_data(refs[source], refs[target]).values()]
        expected = labels[0] if len(labels) == 1 else "\n".join("• " + label for label in labels)
        assert mermaid_shown(text) == expected
    clusters = dict(graph.graph["clusters"])
    assert {k: mermaid_shown(v) for k, v in result["subgraphs"].items()} == clusters


def test_mermaid_ids_are_synthetic() -> None:
    text = ok(run_cli("export", "--tree", str(HOSTILE), "--format", "mermaid"))
    for line in text.splitlines()[1:]:
        line = line.strip()
        if line.startswith(("%%", "classDef", "class ", "linkStyle", "subgraph", "direction")) or line == "end":
            continue
        assert re.match(r'^n\d+(?:[(\[{]| -->\|")', line), line


def test_lockfile_pins_packages_from_the_npm_registry_only() -> None:
    package = json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in package["dependencies"].values())
    lock = json.loads((NODE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    for name, entry in lock["packages"].items():
        resolved = entry.get("resolved")
        assert resolved is None or resolved.startswith("https://registry.npmjs.org/"), name


# --- The README's diagram -----------------------------------------------------------------


def readme_region(text: str) -> tuple[int, int]:
    begin = README_BEGIN.search(text)
    assert begin, "README.md has no '<!-- BEGIN mermaid: pinduoduo ... -->' marker"
    end = text.find(README_END, begin.end())
    assert end >= 0, f"README.md has no {README_END!r} after the BEGIN marker"
    return begin.end(), end


def test_readme_diagram_is_the_current_export() -> None:
    assert (ROOT / "trees" / "pinduoduo.yaml").exists(), "trees/pinduoduo.yaml is missing"
    block = "```mermaid\n" + ok(run_cli(*README_COMMAND)) + "```\n"
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = readme_region(text)
    if UPDATE and text[start:end] != block:
        text = readme.read_text(encoding="utf-8")  # re-read: change only the lines between the markers
        start, end = readme_region(text)
        readme.write_text(text[:start] + block + text[end:], encoding="utf-8")
        text = readme.read_text(encoding="utf-8")
        start, end = readme_region(text)
    assert text[start:end] == block, (
        f"README.md's Mermaid diagram is not `pdd-wizard {' '.join(README_COMMAND)}`; "
        "refresh it with: UPDATE_GOLDEN=1 python -m pytest tests/render/test_export.py -k readme"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_diagrams_name_no_question_id_and_say_no_rung(lang: str) -> None:
    """Issue 16: a diagram reads "the problem is …" and "95187 not called yet", never a raw id, a
    past-tense option label glued to "not yet tried", or "rung"."""
    tree = load_tree(ROOT / "trees" / "pinduoduo.yaml")
    graph = tree_graph(tree, lang)
    labels = [d["label"] for *_, d in graph.edges(keys=True, data=True)] + [
        d["label"] for _, d in graph.nodes(data=True)
    ]
    text = "\n".join(labels)
    questions = [n.id for n in tree.nodes.values() if n.kind in ("single", "multiple")]
    said = rf"(?<![\w'’\[])({'|'.join(questions)})(为|不为|包含|不包含| is\b| includes\b| does not\b| was\b)"
    for node in tree.nodes.values():  # a question's name may hold its id ("the problem"): set names aside
        if node.kind in ("single", "multiple") and node.name is not None:
            text = text.replace(node.name.get(lang), "NAME")
    assert re.findall(said, text) == []
    assert not re.search(r"还没试过：|not yet tried:|\brung\b|answered", text)
    rungs = [rung for node in tree.nodes.values() if node.kind == "ladder" for rung in node.rungs]
    assert all(rung.label is not None and rung.label.get(lang) in text for rung in rungs)


def test_a_highlighted_answer_is_marked_alone_not_the_options_sharing_its_arrow() -> None:
    """Issue 17: options leading to one node share an arrow; on a path, the chosen one is drawn apart."""
    answers = ("--answer", "role=consumer", "--answer", "problem=logistics", "--answer", "tried=")
    dot_text = ok(run_cli("export", *answers, "--format", "dot", "--lang", "en"))
    marked = [line for line in dot_text.splitlines() if "->" in line and "penwidth=3," in line]
    chosen = next(line for line in marked if "Delivery" in line)
    assert "A question about a product" not in chosen and "•" not in chosen
    shared = [line for line in dot_text.splitlines() if "A question about a product" in line and "->" in line]
    assert shared and all("penwidth=3," not in line for line in shared)
    mermaid_text_ = ok(run_cli("export", *answers, "--format", "mermaid", "--lang", "en"))
    links = [line for line in mermaid_text_.splitlines() if "-->|" in line]
    styled = {
        int(i)
        for line in mermaid_text_.splitlines()
        if line.startswith("  linkStyle")
        for i in line.split()[1].split(",")
    }
    assert all("A question about a product" not in links[i] for i in styled)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_the_svg_names_a_list_of_fonts_to_fall_back_on() -> None:
    svg = ok(run_cli("export", "--format", "svg", "--lang", "zh"))
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families and all(f.startswith("WenQuanYi Micro Hei,") and f.endswith(",sans-serif") for f in families)
