"""`--save-answers`: the answers of a run as an answers file that `run --answers` replays exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.test_interactive import ENTER, HOTLINE, LEFT, NIGHT, NO, OK, PATHS, wizard
from tests.utils import run_cli
from wizard.core.engine import run_answers
from wizard.render.markdown import render_markdown
from wizard.source.answers import answers_text, read_answers
from wizard.source.load import load_tree
from wizard.tui.interactive import AnswersOut

#: Option ids YAML would read as something else, or as syntax, unless quoted.
AWKWARD = """\
id: awkward
title: {en: Awkward ids}
languages: [en]
start: "yes"
nodes:
  "yes":
    kind: single
    prompt: {en: One?}
    options:
      - {id: "12", label: {en: Twelve}, next: "null"}
      - {id: "no", label: {en: No}, next: "null"}
  "null":
    kind: multiple
    prompt: {en: Two?}
    options:
      - {id: "- x", label: {en: Dash}}
      - {id: "#c", label: {en: Hash}}
      - {id: "a: b", label: {en: Colon}}
      - {id: "买家", label: {en: Chinese}}
      - {id: "~", label: {en: Tilde}}
    next: end
  end:
    kind: outcome
    title: {en: End}
    channel: {en: Here}
    summary: {en: Done.}
"""


def test_awkward_ids_come_back_exactly(tmp_path: Path) -> None:
    file = tmp_path / "awkward.yaml"
    file.write_text(AWKWARD, encoding="utf-8")
    tree = load_tree(file)
    session = run_answers(tree, {"yes": "12", "null": ["- x", "#c", "a: b", "买家", "~"]})
    saved = tmp_path / "answers.yaml"
    saved.write_text(answers_text(session, "a comment\nwith a line break\n# and a hash"), encoding="utf-8")
    replayed = run_answers(tree, read_answers(saved))
    assert replayed.steps == session.steps
    assert saved.read_text(encoding="utf-8").startswith("# a comment\n# with a line break\n# # and a hash\n")


def test_an_empty_tick_box_is_written_as_an_empty_list() -> None:
    tree = load_tree(HOTLINE)
    session = run_answers(tree, {"role": "buyer", "problem": "parcel", "tried": []})
    assert answers_text(session) == "role: buyer\nproblem: parcel\ntried: []\n"


def test_the_interactive_run_saves_its_answers_and_the_plan_names_them(tmp_path: Path) -> None:
    target, plan = tmp_path / "answers.yaml", tmp_path / "plan.md"
    out = AnswersOut(str(target), f"pdd-wizard run --tree {HOTLINE} --answers {target} --lang en")
    run = wizard(load_tree(HOTLINE), *PATHS["call_hotline"], save=str(plan), answers_out=out)
    assert f"Answers saved: {target}" in run.out
    assert read_answers(target) == {"role": "buyer", "problem": "quality", "tried": ["chat"]}
    assert f"**Answers file:** {target} · pdd-wizard run --tree {HOTLINE}" in plan.read_text(encoding="utf-8")


def test_an_existing_answers_file_is_replaced_only_after_a_yes(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("mine\n", encoding="utf-8")
    out = AnswersOut(str(target), "pdd-wizard run --answers answers.yaml")
    run = wizard(load_tree(HOTLINE), *PATHS["seller_help"], "n", NO, answers_out=out)  # overwrite? no
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert "Answers not saved." in run.out
    # Asked once: after a change, the file this run wrote is written again without asking.
    out = AnswersOut(str(target), "pdd-wizard run --answers answers.yaml")
    wizard(load_tree(HOTLINE), *PATHS["seller_help"], "y", LEFT, "1", ENTER, "3", ENTER, OK, NO, answers_out=out)
    assert read_answers(target) == {"role": "odd"}


def test_a_scripted_run_saves_its_answers_too(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    args = ("run", "--tree", str(HOTLINE), "--answer", "role=buyer", "--answer", "problem=scam")
    result = run_cli(*args, "--save-answers", str(target))
    assert result.status == 0, result.stderr
    assert f"saved the answers to {target}" in result.stderr
    assert target.read_text(encoding="utf-8").endswith("role: buyer\nproblem: scam\n")
    again = run_cli(*args, "--save-answers", str(target))
    assert again.status == 2 and "exists" in again.stderr
    assert run_cli(*args, "--save-answers", str(target), "--force").status == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--save-answers", ""), "--save-answers: give a file name"),
        (("--save", "same.md", "--save-answers", "same.md"), "name the same file"),
        (("--answers", "a.yaml", "--save-answers", "a.yaml", "--force"), "the answers file this run reads"),
        (("--save-answers", "no/such/folder/a.yaml"), "--save-answers"),
    ],
)
def test_unusable_answers_targets_are_refused_before_anything_is_written(
    extra: tuple[str, ...], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("role: seller\n", encoding="utf-8")
    result = run_cli("run", "--tree", str(HOTLINE), "--answer", "role=seller", *extra)
    assert result.status == 2
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "role: seller\n"


def test_the_markdown_names_the_answers_file_in_chinese() -> None:
    session = run_answers(load_tree(HOTLINE), {"role": "seller"})
    text = render_markdown(session, "zh", NIGHT, answers_file="回答.yaml", replay="pdd-wizard run --answers 回答.yaml")
    assert "**回答文件**：回答.yaml · 用 pdd-wizard run --answers 回答.yaml 可以再走一遍这条路径" in text
    assert "回答文件" not in render_markdown(session, "zh", NIGHT)


def test_force_goes_with_save_answers() -> None:
    result = run_cli("run", "--tree", str(HOTLINE), "--answer", "role=seller", "--force")
    assert result.status == 2
    assert "--force only goes with --save PATH or --save-answers PATH" in result.stderr
