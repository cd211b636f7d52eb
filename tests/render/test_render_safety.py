"""Tree text reaching a terminal or a file: control characters made visible, Chinese lines broken by its rules.

`wizard.render.text.visible` is tested once, thoroughly; then every front end is run on
`tests/fixtures/interactive/hostile.yaml` (escape sequences, C0 and C1 controls, DEL and bidi
overrides in a prompt, labels, a schedule and every outcome field) and must never write one
of those characters: `run` text output, the saved Markdown, `show` and the interactive prompts
and panels. Then line breaking: `wizard.render.text.line_breaks` against rich's own, and every
Chinese outcome of the Pinduoduo tree at 60 and 80 columns.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput
from rich._wrap import divide_line
from rich.cells import cell_len

from tests.utils import FIXTURES, ROOT, run_cli
from wizard.cli.main import main
from wizard.core.engine import Session, run_answers
from wizard.core.model import Tree
from wizard.render.markdown import render_markdown
from wizard.render.plan import render_text
from wizard.render.text import NO_LINE_END, NO_LINE_START, line_breaks, output_width, visible, wrap
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.source.scenario import load_scenarios
from wizard.tui.draw import draw_outcome, make_console
from wizard.tui.interactive import Prompter, run_wizard

HOSTILE = FIXTURES / "interactive" / "hostile.yaml"
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"
NIGHT = "2026-11-12T22:30+08:00"

#: What must never reach a terminal or a file: C0 controls but the line feed, DEL, C1 controls, bidi overrides.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: rich's own colour and style codes (SGR), which a colour terminal does get: nothing else may start with ESC.
SGR = re.compile(r"\x1b\[[0-9;]*m")

#: Answers reaching each outcome of the hostile tree.
HOSTILE_PATHS = {
    "call_courier": {"role": "buyer", "problem": "parcel", "tried": []},
    "use_chat": {"role": "buyer", "problem": "parcel", "tried": ["courier"]},
    "all_tried": {"role": "buyer", "problem": "parcel", "tried": ["courier", "chat"]},
    "scam_alert": {"role": "buyer", "problem": "scam"},
    "seller_help": {"role": "seller"},
}


def unsafe(text: str) -> list[str]:
    """The characters of `text` a terminal would act on (rich's own SGR codes aside), as code points."""
    return [f"U+{ord(c):04X}" for c in UNSAFE.findall(SGR.sub("", text))]


def unsafe_in_prompts(text: str) -> list[str]:
    """`unsafe` for what prompt_toolkit drew on a `PlainTextOutput`, less its own carriage returns."""
    return unsafe(text.replace("\r", ""))


@pytest.fixture(scope="module")
def hostile() -> Tree:
    return load_tree(HOSTILE)


# --- visible(): the one helper ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain 文本，标点。「引号」", "plain 文本，标点。「引号」"),
        ("two\nlines", "two\nlines"),
        ("windows\r\nline", "windows\nline"),
        ("tab\there", "tab here"),
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # clear the screen, cursor home
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # set the window title
        ("\x1b]8;;http://x\x1b\\link", "\\x1b]8;;http://x\\x1b\\link"),  # a hyperlink
        ("over\rwrite", "over\\x0dwrite"),
        ("\x00\x08\x0b\x0c\x7f", "\\x00\\x08\\x0b\\x0c\\x7f"),
        ("\x9b31m \x85 \x80 \x9f", "\\x9b31m \\x85 \\x80 \\x9f"),  # C1: CSI, NEL
        ("abc\u202edef", "abc\\u202edef"),  # right-to-left override
        (
            "\u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069",
            "\\u202a\\u202b\\u202c\\u202d \\u2066\\u2067\\u2068\\u2069",
        ),
        ("\u200b\u00a0\u2028é", "\u200b\u00a0\u2028é"),  # not terminal controls: kept
    ],
)
def test_visible_shows_control_characters_as_escapes(text: str, expected: str) -> None:
    assert visible(text) == expected


def test_visible_replaces_exactly_the_unsafe_characters_and_is_idempotent() -> None:
    for code in [*range(0x3000), *range(0xFE00, 0x10000)]:
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        shown = visible(f"a{char}b")
        if char == "\n":
            assert shown == "a\nb"
        elif char == "\t":
            assert shown == "a b"
        elif UNSAFE.match(char):
            assert shown in (f"a\\x{code:02x}b", f"a\\u{code:04x}b"), hex(code)
        else:
            assert shown == f"a{char}b", hex(code)
        assert not UNSAFE.search(shown)
        assert visible(shown) == shown


# --- Every front end, on the hostile tree ---------------------------------------------------------


def answer_flags(answers: dict[str, object]) -> list[str]:
    flags = []
    for question, answer in answers.items():
        value = answer if isinstance(answer, str) else ",".join(answer)  # type: ignore[arg-type]
        flags += ["--answer", f"{question}={value}"]
    return flags


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("outcome", sorted(HOSTILE_PATHS))
def test_run_text_output_and_saved_markdown_hold_no_control_characters(
    hostile: Tree, tmp_path: Path, outcome: str, lang: str
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(HOSTILE_PATHS[outcome]), encoding="utf-8")
    saved = tmp_path / "plan.md"
    args = ("run", "--tree", str(HOSTILE), "--answers", str(answers), "--lang", lang, "--now", NIGHT)
    result = run_cli(*args, "--save", str(saved))
    assert result.status == 0, result.stderr
    assert unsafe(result.stdout) == []
    assert unsafe(saved.read_text(encoding="utf-8")) == []
    # The JSON document keeps the tree's text as written, every unsafe character escaped (\u001b, \u009b, \u202e).
    document = run_cli(*args, "--format", "json")
    assert unsafe(document.stdout) == []
    content = json.loads(document.stdout)["content"]
    assert content["title"] == hostile.nodes[outcome].title.get(lang)  # type: ignore[union-attr]


def test_run_text_output_shows_the_stand_ins() -> None:
    result = run_cli("run", "--tree", str(HOSTILE), *answer_flags(HOSTILE_PATHS["call_courier"]), "--now", NIGHT)
    out = result.stdout
    assert out.startswith("Contact the courier ##\\x1b[1A\\x1b[2K\n")
    for text in (
        "Ask the courier first.\\x0dOVERWRITTEN",
        "Channel: The courier\\u202eroodkcab",
        "  1. Open the order\\x1b[?25l",
        "  Daily 9:00–21:00\\x1b[0m",  # the tab is a space
        "Outside service hours now: Hotline\\x1b[5m",  # the schedule's names
        "Busy period (After\\x9b31m the sale",
        "  - The tracking number\\x1b]8;;http://evil\\x1b\\link",
        "  Hello\\x9b1m, I want a refund.",
        "  If not\\x0c, complain.",
        "  Next step: In-app chat\\x1b[5m ##",
        "  - Who are you?\\x1b[2J\\x1b[H Buyer\\x1b[31m red",
        "  - What is the problem?\\x9b2J Parcel\\u2066isolate\\u2069",
        "  - What have you tried?\\x7f (none)",
    ):
        assert text in out, text
    # A text of several lines stays under its item.
    assert "  2. Second step\n\n         not code\n" in out


def test_saved_markdown_keeps_its_structure(hostile: Tree) -> None:
    session = run_answers(hostile, HOSTILE_PATHS["call_courier"])
    text = render_markdown(session, "en", datetime.fromisoformat(NIGHT))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {token.type for token in tokens}
    assert not kinds & {"code_block", "fence", "html_block"}, kinds
    assert [t.type for t in tokens].count("hr") == 1  # the footer's own
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Contact the courier ##\\\\x1b\\[1A\\\\x1b\\[2K",
        "Right now",
        "How",
        "When",
        "Busy times",
        "Prepare",
        "What to say",
        "Write down",
        "Scam warning",
        "If this fails",
        "Your answers",
    ]
    inline = [child for t in tokens if t.type == "inline" for child in t.children or ()]
    assert not {c.type for c in inline} & {"html_inline", "link_open", "image", "code_inline", "em_open"}
    # Rendered, each tree text reads as written (the stand-ins included), with nothing missing.
    html = MarkdownIt("commonmark").enable("table").render(text)
    for shown in (
        "<h1>Contact the courier ##\\x1b[1A\\x1b[2K</h1>",
        "<p>[ ] &lt;b&gt;not HTML&lt;/b&gt; | not a table</p>\n<p>not code</p>\n</li>",
        "<p>Second step</p>\n<p>not code</p>\n</li>",
        "<p><strong>Never transfer money\\u2067</strong></p>",
        "<td>Who are you?\\x1b[2J\\x1b[H</td>",
        "<td>Buyer\\x1b[31m red</td>",
    ):
        assert shown in html, shown
    assert html.count("<tr>") == 4  # the header and three answers: no `|` made a column
    assert html.count("<li>") == 2 + 2 + 2 + 1  # right now, how, prepare, write down
    # The next rung's title keeps its closing hashes.
    session = run_answers(hostile, HOSTILE_PATHS["use_chat"])
    first = render_markdown(session, "en", datetime.fromisoformat(NIGHT)).split("\n")[0]
    assert first == "# In-app chat\\\\x1b\\[5m \\##"
    assert MarkdownIt("commonmark").render(first) == "<h1>In-app chat\\x1b[5m ##</h1>\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("environ", [{"COLUMNS": "70"}, {"COLUMNS": "70", "FORCE_COLOR": "1"}], ids=["plain", "colour"])
def test_show_holds_no_control_characters(lang: str, environ: dict[str, str]) -> None:
    result = run_cli("show", "--tree", str(HOSTILE), "--lang", lang, environ=environ)
    assert result.status == 0, result.stderr
    assert unsafe(result.stdout) == []
    flat = "".join(SGR.sub("", result.stdout).split())  # rich wraps the long lines
    for text in ("\\x1b[2J\\x1b[H", "\\x1b[31m", "\\x9b2J", "\\u2066", "\\x7f", "\\x00", "\\x85", "\\x1b[1A"):
        assert text in flat, text


def hostile_run(tree: Tree, keys: str, lang: str, width: int, colour: bool) -> tuple[Session, str, str]:
    out, prompts = io.StringIO(), io.StringIO()
    environ = {"FORCE_COLOR": "1"} if colour else {}
    env = Environment(stdin=io.StringIO(), stdout=out, stdin_isatty=True, stdout_isatty=colour, environ=environ)
    env.now = datetime.fromisoformat(NIGHT)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = Prompter(lang, pipe, PlainTextOutput(prompts))
        session = run_wizard(tree, lang, env, console=make_console(env, width=width), prompter=prompter)
    return session, out.getvalue(), prompts.getvalue()


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_interactive_wizard_holds_no_control_characters(hostile: Tree, lang: str, colour: bool) -> None:
    # A shopper, a parcel, nothing tried: the outcome with every field; "check your answers" (its
    # list of the hostile questions and answers included); then "n" to saving.
    session, out, prompts = hostile_run(hostile, "\r\r\r\rn", lang, 60, colour)
    assert session.outcome.id == "call_courier"
    assert unsafe(out) == []
    assert unsafe_in_prompts(prompts) == []
    # The prompts show the stand-ins (not prompt_toolkit's ^[ caret notation).
    for question in ("role", "problem", "tried"):
        assert visible(hostile.question(question).prompt.get(lang)) in prompts
    # rich drew the header, the steps (help and breadcrumb), the answers echoed and the plan.
    flat = "".join(SGR.sub("", out).replace("│", "").split())
    for text in ("\\x1b]0;", "\\x1b[2J\\x1b[H", "\\x07\\x08", "\\x1b[31m", "\\x1b[?25l", "\\x9b1m", "\\u2067", "\\x7f"):
        assert text in flat, text


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("question", ["role", "problem", "tried"])
def test_every_prompt_shows_the_stand_ins(hostile: Tree, question: str, lang: str) -> None:
    asked = hostile.question(question)
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("\r")
        pipe.close()
        prompter = Prompter(lang, pipe, PlainTextOutput(out))
        if question == "tried":
            prompter.multiple(asked.prompt.get(lang), asked.options, frozenset(), True)
        else:
            prompter.single(asked.prompt.get(lang), asked.options, None, True)
    shown = out.getvalue()
    assert unsafe_in_prompts(shown) == []
    assert visible(asked.prompt.get(lang)) in shown
    for option in asked.options:
        assert visible(option.label.get(lang)) in shown
        if option.help is not None:
            assert visible(option.help.get(lang)) in shown
    assert "^[" not in shown  # prompt_toolkit's own notation would mean the text reached it raw


def test_a_saved_file_name_from_a_hostile_outcome_id_holds_no_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HOSTILE.read_text(encoding="utf-8").replace("  seller_help:\n", '  "seller\\e[2Jhelp":\n')
    text = text.replace("next: seller_help", 'next: "seller\\e[2Jhelp"')
    path = tmp_path / "tree.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, prompts = hostile_run(load_tree(path), "2\r\ry\r", "en", 100, False)  # \r: check your answers
    assert unsafe(out) == [] and unsafe_in_prompts(prompts) == []
    assert "Saved: pdd-plan-seller\\x1b[2Jhelp-20261112-2230.md" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdd-plan-seller\\x1b[2Jhelp-20261112-2230.md", "tree.yaml"]


# --- Line breaking ----------------------------------------------------------------------------------


def tree_texts(tree: Tree, lang: str) -> list[str]:
    texts = []
    for node in tree.nodes.values():
        for name in ("prompt", "help", "title", "channel", "summary", "hours", "busy", "say", "warning", "if_fails"):
            value = getattr(node, name, None)
            if value is not None:
                texts.append(value.get(lang))
        for name in ("how", "prepare", "record"):
            texts += [point.text.get(lang) for point in getattr(node, name, ())]
        texts += [option.label.get(lang) for option in getattr(node, "options", ())]
    return texts


def test_without_cjk_the_breaks_are_riches_own() -> None:
    # English text (with Chinese terms in it, kept whole) breaks exactly where rich breaks it.
    texts = [*tree_texts(load_tree(PINDUODUO), "en"), "  lead  and  double  spaces", "a" * 30 + " b", ""]
    for text in texts:
        for width in range(4, 100, 3):
            for fold in (True, False):
                expected = divide_line(text, width, fold=fold)
                assert line_breaks(text, width, fold=fold, measure=cell_len, cjk=False) == expected, (text, width)


def test_narrow_text_breaks_as_rich_breaks_it_with_cjk_too() -> None:
    texts = [t for t in tree_texts(load_tree(PINDUODUO), "en") if all(cell_len(c) == 1 for c in t)]
    assert len(texts) > 100
    for text in texts:
        for width in range(4, 100, 3):
            assert line_breaks(text, width, measure=cell_len) == divide_line(text, width), (text, width)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # 。 would start the second line: 间 goes over with it.
        (
            "报上单号，请对方查清包裹现在的位置，并给出送达时间。",
            50,
            ["报上单号，请对方查清包裹现在的位置，并给出送达时", "间。"],
        ),
        # ） after 达, and （ never ends a line.
        ("看清快递公司（如中通、圆通、韵达）和快递单号。", 32, ["看清快递公司（如中通、圆通、韵", "达）和快递单号。"]),
        ("看清快递公司（如中通、圆通）", 12, ["看清快递公司", "（如中通、圆", "通）"]),
        ("看清快递公司（如中通、圆通）", 13, ["看清快递公司", "（如中通、圆", "通）"]),
        ("请按“下一步”找客服", 11, ["请按“下一", "步”找客服"]),
        ("快递单号是……，物流", 11, ["快递单号", "是……，物流"]),
        ("订单号 95187，请问", 13, ["订单号", "95187，请问"]),
        ("English words stay whole", 10, ["English", "words stay", "whole"]),
    ],
)
def test_chinese_breaks_never_before_closing_punctuation(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected
    assert all(cell_len(line) <= width for line in expected)


def test_json_output_escapes_what_json_dumps_leaves_raw() -> None:
    result = run_cli("run", "--tree", str(HOSTILE), *answer_flags(HOSTILE_PATHS["call_courier"]), "--format", "json")
    assert unsafe(result.stdout) == []
    assert "Hello\\u009b1m" in result.stdout and "courier\\u202eroodkcab" in result.stdout
    content = json.loads(result.stdout)["content"]
    assert content["say"] == "Hello\x9b1m, I want a refund." and "\u202e" in content["channel"]  # read back whole
    check = run_cli("check", str(HOSTILE), "--format", "json")
    assert unsafe(check.stdout) == []
    exported = run_cli("export", "--tree", str(HOSTILE), "--format", "json")
    assert unsafe(exported.stdout) == []


def test_run_wraps_for_a_terminal_and_never_for_a_pipe() -> None:
    flags = ("run", "--answer", "role=consumer", "--answer", "problem=after_sales", "--defaults", "--lang", "zh")
    outputs = []
    for terminal in (False, True):
        out = io.StringIO()
        env = Environment(
            stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), stdout_isatty=terminal, environ={"COLUMNS": "60"}
        )
        assert main(list(flags), env) == 0
        outputs.append(out.getvalue())
    piped, wrapped = outputs
    assert max(cell_len(line) for line in piped.splitlines()) > 60
    assert max(cell_len(line) for line in wrapped.splitlines()) <= 60
    assert not any(line.lstrip()[:1] in NO_LINE_START for line in wrapped.splitlines() if line.strip())
    assert "".join(piped.split()) == "".join(wrapped.split())  # the same words, broken differently


def test_output_width_reads_columns_or_the_terminal() -> None:
    env = Environment(stdout=io.StringIO(), stdout_isatty=True, environ={"COLUMNS": "72"})
    assert output_width(env) == 72
    # A pipe or a file: the same bytes whatever the terminal says.
    assert output_width(Environment(stdout=io.StringIO(), stdout_isatty=False, environ={"COLUMNS": "72"})) is None
    assert output_width(Environment(stdout=io.StringIO(), stdout_isatty=False, environ={})) is None
    assert output_width(Environment(stdout=io.StringIO(), stdout_isatty=False, environ={"COLUMNS": "x"})) is None
    # A terminal that cannot say its size: no wrapping rather than a guess.
    assert output_width(Environment(stdout=io.StringIO(), stdout_isatty=True, environ={})) is None


@pytest.fixture(scope="module")
def sessions() -> list[Session]:
    """A finished session for every scenario of the Pinduoduo tree; together they reach every outcome."""
    tree = load_tree(PINDUODUO)
    scenarios = load_scenarios(ROOT / "tests" / "scenarios" / "pinduoduo.yaml")
    found = [run_answers(tree, s.answers, defaults=s.defaults) for s in scenarios]
    assert {s.outcome.id for s in found} == {o.id for o in tree.outcomes()}
    return found


def assert_broken_by_the_rules(lines: list[str], width: int) -> None:
    for line in lines:
        assert cell_len(line) <= width, line
        words = line.strip(" │╭╰─").strip()
        if words:
            assert words[0] not in NO_LINE_START, line
            assert words[-1] not in NO_LINE_END, line


@pytest.mark.parametrize("width", [60, 80])
def test_every_chinese_plan_in_text_wraps_by_the_rules(sessions: list[Session], width: int) -> None:
    for session in sessions:
        text = render_text(session, "zh", datetime.fromisoformat(NIGHT), width=width)
        assert_broken_by_the_rules(text.splitlines(), width)
        # Nothing lost: the wrapped plan is the unwrapped one with line breaks (and indents) added.
        whole = render_text(session, "zh", datetime.fromisoformat(NIGHT))
        assert "".join(text.split()) == "".join(whole.split())


@pytest.mark.parametrize("width", [60, 80])
def test_every_chinese_plan_panel_wraps_by_the_rules(sessions: list[Session], width: int) -> None:
    broken_before = 0
    for session in sessions:
        out = io.StringIO()
        env = Environment(stdout=out, stdout_isatty=False, environ={})
        draw_outcome(make_console(env, width=width), session, "zh", datetime.fromisoformat(NIGHT))
        lines = out.getvalue().splitlines()
        assert_broken_by_the_rules(lines, width)
        panel = [line for line in lines if line]
        assert {cell_len(line) for line in panel} == {width}  # square: the columns add up
        broken_before += sum(1 for line in lines if line.strip(" │")[:1] in NO_LINE_START)
    assert broken_before == 0


def test_english_plans_wrap_as_rich_wraps_them(sessions: list[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.text import Text

    import wizard.tui.draw

    def drawn() -> list[str]:
        pages = []
        for session in sessions:
            out = io.StringIO()
            env = Environment(stdout=out, stdout_isatty=False, environ={})
            draw_outcome(make_console(env, width=60), session, "en", datetime.fromisoformat(NIGHT))
            pages.append(out.getvalue())
        return pages

    ours = drawn()
    monkeypatch.setattr(wizard.tui.draw, "prose", lambda lang, text="", style="": Text(text, style=style))
    assert ours == drawn()


def test_the_saved_line_names_a_strange_file_on_one_line() -> None:
    import io

    from rich.console import Console

    from wizard.tui.draw import draw_saved

    out = io.StringIO()
    draw_saved(Console(file=out, width=200, color_system=None), "a\nb\x1b[2J.md", "en")
    assert out.getvalue().count("\n") == 1 and "a\\nb\\x1b[2J.md" in out.getvalue()
