"""`rewalk`: change one answer and keep the others that still apply ("check your answers")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.utils import FIXTURES, ROOT
from wizard.core.engine import Session, dropped, rewalk, run_answers
from wizard.core.model import MultipleChoice, Tree
from wizard.source.load import load_tree

HOTLINE = load_tree(FIXTURES / "interactive" / "hotline.yaml")

#: Two ways to one question: changing `who` to `firm` inserts `size` before `issue`, which keeps its answer.
DETOUR = """\
id: detour
title: {en: Detour}
languages: [en]
start: who
nodes:
  who:
    kind: single
    prompt: {en: Who?}
    options:
      - {id: person, label: {en: A person}, next: issue}
      - {id: firm, label: {en: A firm}, next: size}
  size:
    kind: single
    prompt: {en: How big?}
    options:
      - {id: small, label: {en: Small}, next: issue}
      - {id: large, label: {en: Large}, next: issue}
  issue:
    kind: single
    prompt: {en: What issue?}
    options:
      - {id: late, label: {en: Late}, next: end}
      - {id: broken, label: {en: Broken}, next: end}
  end:
    kind: outcome
    title: {en: The end}
    channel: {en: Here}
    summary: {en: Done.}
"""


def walked(tree: Tree, answers: dict[str, object]) -> Session:
    return run_answers(tree, answers)


def test_the_same_answers_walk_the_same_path() -> None:
    before = walked(HOTLINE, {"role": "buyer", "problem": "quality", "tried": ["chat"]})
    again = rewalk(HOTLINE, before.answers)
    assert again.done and again.outcome.id == before.outcome.id
    assert again.steps == before.steps


def test_a_change_keeps_the_later_answers_that_still_apply() -> None:
    before = walked(HOTLINE, {"role": "buyer", "problem": "parcel", "tried": ["chat"]})
    after = rewalk(HOTLINE, {**before.answers, "problem": "quality"})
    assert after.answers == {"role": "buyer", "problem": "quality", "tried": frozenset({"chat"})}
    assert after.outcome.id == "call_hotline"  # the ladder re-reads "tried" under the new problem
    assert dropped(before.answers, after) == []


def test_a_change_drops_only_what_it_makes_unreachable() -> None:
    before = walked(HOTLINE, {"role": "buyer", "problem": "parcel", "tried": ["chat"]})
    after = rewalk(HOTLINE, {**before.answers, "problem": "scam"})
    assert after.outcome.id == "scam_alert"
    assert after.answers == {"role": "buyer", "problem": "scam"}
    assert dropped(before.answers, after) == ["tried"]


def test_a_tick_no_longer_offered_asks_the_question_again_with_what_still_applies_ticked() -> None:
    # "The courier" is offered only for a parcel: {courier, chat} is not quietly cut down to {chat}.
    before = walked(HOTLINE, {"role": "buyer", "problem": "parcel", "tried": ["courier", "chat"]})
    after = rewalk(HOTLINE, {**before.answers, "problem": "quality"}, before.memory())
    assert not after.done and after.question.id == "tried"
    assert after.answers == {"role": "buyer", "problem": "quality"}
    assert after.remembered() == frozenset({"chat"})


def test_a_question_newly_on_the_path_stops_the_walk_and_the_answers_after_it_are_kept(tmp_path: Path) -> None:
    file = tmp_path / "detour.yaml"
    file.write_text(DETOUR, encoding="utf-8")
    tree = load_tree(file)
    before = walked(tree, {"who": "person", "issue": "broken"})
    pending = {**before.answers, "who": "firm"}
    stopped = rewalk(tree, pending, before.memory())
    assert stopped.question.id == "size"
    assert stopped.remembered() is None  # never answered: nothing to pre-select
    # The new question answered, the walk goes on with the answers still pending.
    after = rewalk(tree, {**pending, "size": "large"}, stopped.memory())
    assert after.done
    assert after.answers == {"who": "firm", "size": "large", "issue": "broken"}
    assert dropped(before.answers, after) == []


def test_a_dropped_answer_is_remembered_to_pre_select_when_its_question_comes_back() -> None:
    before = walked(HOTLINE, {"role": "buyer", "problem": "quality", "tried": ["chat"]})
    seller = rewalk(HOTLINE, {**before.answers, "role": "seller"}, before.memory())
    assert seller.outcome.id == "seller_help" and seller.answers == {"role": "seller"}
    # Back to a shopper: "problem" is asked again (not silently taken back), its old answer pre-selected.
    buyer = rewalk(HOTLINE, {**seller.answers, "role": "buyer"}, seller.memory())
    assert buyer.question.id == "problem"
    assert buyer.remembered() == "quality"


def test_a_question_reached_twice_stops_instead_of_going_round(tmp_path: Path) -> None:
    from tests.core.test_engine import CYCLIC

    file = tmp_path / "loop.yaml"
    file.write_text(CYCLIC, encoding="utf-8")
    tree = load_tree(file)
    session = Session(tree)
    session.answer("late")
    session.answer([])
    assert session.question.id == "problem"  # reached a second time
    again = rewalk(tree, session.answers)
    assert again.question.id == "problem" and len(again.steps) == 2


def answers_of(tree: Tree, choices: list[int]) -> Session:
    """A walk of `tree` taking, at each question, the option `choices` points at (any subset for a tick-box)."""
    session = Session(tree)
    index = 0
    while not session.done:
        options = session.options()
        pick = choices[index % len(choices)]
        index += 1
        if isinstance(session.question, MultipleChoice):
            session.answer([o.id for n, o in enumerate(options) if pick >> n & 1])
        else:
            session.answer(options[pick % len(options)].id)
    return session


PINDUODUO = load_tree(ROOT / "trees" / "pinduoduo.yaml")


@settings(max_examples=60, deadline=None)
@given(
    first=st.lists(st.integers(0, 63), min_size=1, max_size=8),
    second=st.lists(st.integers(0, 63), min_size=1, max_size=8),
    where=st.integers(0, 7),
)
def test_changing_one_answer_of_the_pinduoduo_tree_keeps_every_later_answer_still_offered(
    first: list[int], second: list[int], where: int
) -> None:
    before = answers_of(PINDUODUO, first)
    step = before.steps[where % len(before.steps)]
    other = answers_of(PINDUODUO, second).answers.get(step.question, step.answer)
    after = rewalk(PINDUODUO, {**before.answers, step.question: other}, before.memory())
    if step.question not in after.answers:  # the new answer is not (wholly) offered on the new path
        assert not after.done and after.question.id == step.question
        return
    assert after.answers[step.question] == other
    # Every answer on the new path is an old one, except the changed one; and a walk that stopped
    # stopped at a question the old answers cannot answer as they stand.
    for question, answer in after.answers.items():
        if question != step.question:
            assert before.answers[question] == answer
    if not after.done:
        question = after.question
        old = before.answers.get(question.id)
        offered = {o.id for o in after.options()}
        assert old is None or (old not in offered if isinstance(old, str) else not old <= offered)


@pytest.mark.parametrize("question", ["role", "problem", "tried"])
def test_a_changed_answer_that_is_not_offered_stops_at_its_question(question: str) -> None:
    before = walked(HOTLINE, {"role": "buyer", "problem": "parcel", "tried": ["chat"]})
    bogus = "nope" if question != "tried" else frozenset({"nope"})
    after = rewalk(HOTLINE, {**before.answers, question: bogus})
    assert after.question.id == question
