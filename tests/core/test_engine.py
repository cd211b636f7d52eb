"""The engine: one place where answers are checked; back keeps later answers; routes and ladders resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.utils import MINI
from wizard.core.engine import Session, TreeCycleError, parse_answer, run_answers
from wizard.core.errors import AnswerError, UnansweredError
from wizard.core.model import Tree
from wizard.source.load import load_tree

TREE = load_tree(str(MINI))


def test_walk_to_an_outcome_through_a_ladder() -> None:
    session = Session(TREE)
    assert session.question.id == "role"
    session.answer("buyer")
    session.answer("parcel")
    assert [o.id for o in session.options()] == ["courier", "chat"]
    session.answer(["courier"])
    assert session.done
    assert session.outcome.id == "use_chat"
    assert session.visited() == ["role", "problem", "tried", "ladder", "use_chat"]
    assert [(e.source, e.key) for e in session.edges()] == [
        ("role", "buyer"),
        ("problem", "parcel"),
        ("tried", "next"),
        ("ladder", "rung:chat"),
    ]


@pytest.mark.parametrize(
    ("tried", "outcome"),
    [
        ([], "call_courier"),
        (["courier"], "use_chat"),
        (["chat"], "call_courier"),  # tried out of order: the first rung not tried wins
        (["chat", "courier"], "all_tried"),
    ],
)
def test_ladder_takes_the_first_rung_not_tried(tried: list[str], outcome: str) -> None:
    session = run_answers(TREE, {"role": "buyer", "problem": "parcel", "tried": tried})
    assert session.outcome.id == outcome


def test_invalid_answer_names_the_question_and_lists_the_options() -> None:
    session = Session(TREE)
    with pytest.raises(AnswerError) as caught:
        session.answer("alien")
    assert str(caught.value) == "question 'role': 'alien' is not an option; valid options: buyer, seller"
    assert caught.value.valid == ("buyer", "seller")
    assert session.question.id == "role"  # nothing moved


def test_an_empty_answer_to_a_single_choice_is_called_nothing(mini_tree: Tree) -> None:
    """`role:` with nothing after it in an answers file arrives as an empty list."""
    for empty in ([], None, "", "  "):  # `role:`, `role: []`, `--answer role=`
        with pytest.raises(AnswerError, match=r"^question 'role': expected one option id, got nothing; valid options"):
            run_answers(mini_tree, {"role": empty})


@pytest.mark.parametrize("raw", [None, 3.5, True, {"a": 1}, ["buyer"]])
def test_a_single_choice_takes_one_id(raw: object) -> None:
    with pytest.raises(AnswerError, match="question 'role': expected one option id"):
        Session(TREE).answer(raw)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("", frozenset()), ([], frozenset()), ("chat", {"chat"}), ("courier, chat", {"courier", "chat"})],
)
def test_a_multiple_choice_takes_a_list_or_commas(raw: object, parsed: set[str]) -> None:
    session = run_answers(TREE, {"role": "buyer"}, defaults=True)
    question = TREE.question("tried")
    assert parse_answer(question, question.options, raw) == frozenset(parsed)
    assert session.done


def test_an_option_hidden_by_its_condition_is_refused() -> None:
    # `courier` is offered only for a parcel problem: on another path it is not valid.
    tree = load_tree(str(MINI))
    question = tree.question("tried")
    offered = [o for o in question.options if o.id != "courier"]
    with pytest.raises(AnswerError, match="'courier' is not offered on this path; valid options: chat"):
        parse_answer(question, offered, ["courier"])


def test_back_keeps_later_answers_for_reuse_and_reroutes() -> None:
    session = Session(TREE)
    session.answer("buyer")
    session.answer("parcel")
    session.answer(["courier", "chat"])
    assert session.outcome.id == "all_tried"
    assert session.back()
    assert session.question.id == "tried"
    assert session.remembered() == frozenset({"courier", "chat"})
    assert session.back()
    assert session.question.id == "problem"
    assert session.remembered() == "parcel"
    session.answer("scam")
    assert session.outcome.id == "scam_alert"
    assert [s.question for s in session.steps] == ["role", "problem"]
    assert session.back() and session.back()
    assert not session.back()  # at the first question
    assert session.question.id == "role"


def test_remembered_answers_are_limited_to_what_is_offered_now() -> None:
    session = Session(TREE)
    session.answer("buyer")
    session.answer("parcel")
    session.answer(["courier"])
    session.back()
    assert session.remembered("tried") == frozenset({"courier"})


def test_unanswered_question_names_its_options_and_the_default() -> None:
    with pytest.raises(UnansweredError) as caught:
        run_answers(TREE, {"role": "buyer"})
    assert str(caught.value) == (
        "question 'problem': reached but not answered (or pass --defaults to take 'parcel'); "
        "valid options: parcel, scam"
    )


def test_an_empty_default_is_named_as_the_empty_choice() -> None:
    with pytest.raises(UnansweredError) as caught:
        run_answers(TREE, {"role": "buyer", "problem": "parcel"})
    assert "(or pass --defaults to take the empty choice)" in str(caught.value)


def test_defaults_fill_in_unanswered_questions() -> None:
    session = run_answers(TREE, {}, defaults=True)
    assert session.outcome.id == "call_courier"
    assert [(s.question, s.answer) for s in session.steps] == [
        ("role", "buyer"),
        ("problem", "parcel"),
        ("tried", frozenset()),
    ]


CYCLIC = """\
id: loop
title: {zh: 环, en: Loop}
languages: [zh, en]
start: problem
nodes:
  problem:
    kind: single
    prompt: {zh: 问题, en: Problem}
    options:
      - {id: late, label: {zh: 晚了, en: Late}, next: tried}
      - {id: done, label: {zh: 好了, en: Done}, next: end_here}
  tried:
    kind: multiple
    prompt: {zh: 试过, en: Tried}
    options:
      - {id: courier, label: {zh: 快递, en: Courier}}
    next: again
  again:
    kind: route
    branches:
      - {default: true, next: problem}
  end_here:
    kind: outcome
    title: {zh: 结束, en: The end}
    channel: {zh: 无, en: None}
    summary: {zh: 无, en: None}
"""

ROUTES_IN_A_CIRCLE = """\
id: spin
title: {zh: 转, en: Spin}
languages: [zh, en]
start: one
nodes:
  one:
    kind: route
    branches:
      - {default: true, next: two}
  two:
    kind: route
    branches:
      - {default: true, next: one}
"""


def test_a_question_reached_twice_on_one_path_stops_a_scripted_walk(tmp_path: Path) -> None:
    """Scripted answers would take the same way round forever: the walk stops at the question, blaming the tree."""
    tree_file = tmp_path / "loop.yaml"
    tree_file.write_text(CYCLIC, encoding="utf-8")
    tree = load_tree(tree_file)
    with pytest.raises(TreeCycleError) as caught:
        run_answers(tree, {"problem": "late", "tried": []})
    assert str(caught.value) == (
        "node 'problem': the answer to 'tried' leads back to this question; "
        "the tree has a cycle (see `pdd-wizard check`)"
    )
    assert not caught.value.blames_answer
    # A person may answer differently the second time round: the session itself goes on.
    session = Session(tree)
    session.answer("late")
    session.answer([])
    assert session.question.id == "problem"
    session.answer("done")
    assert session.outcome.id == "end_here"


def test_routes_in_a_circle_stop_the_walk(tmp_path: Path) -> None:
    tree_file = tmp_path / "spin.yaml"
    tree_file.write_text(ROUTES_IN_A_CIRCLE, encoding="utf-8")
    with pytest.raises(TreeCycleError, match=r"^node 'one': routes lead round in a circle here"):
        Session(load_tree(tree_file))
