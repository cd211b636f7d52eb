"""What next in a case: the tree's one walk with the tried channels filled in from the contacts, the lines a
case adds (deadline, promise, solved, closed), the warnings of an upgraded tree, and the facts in the words."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from msgspec.structs import replace

from tests.case.helpers import ORDER
from tests.utils import ROOT, run_cli
from wizard.core import case as case_module
from wizard.core.case import Case, Contact, Planner, new_case
from wizard.core.engine import run_answers
from wizard.core.errors import CaseError
from wizard.render.case import case_facts, render_next, render_show
from wizard.render.plan import render_text
from wizard.source.load import load_tree

BEIJING = timezone(timedelta(hours=8))
TREE = load_tree(ROOT / "trees" / "pinduoduo.yaml")
FACTS_TREE = ROOT / "tests" / "fixtures" / "case" / "facts.yaml"
ANSWERS = {
    "role": "consumer",
    "problem": "after_sales",
    "merchant_contact": "refused",
    "deadline": "not_close",
    "tried": [],
}


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=BEIJING)


def opened(answers: dict[str, object] | None = None, **fields: object) -> Case:
    session = run_answers(TREE, answers or ANSWERS)
    case = new_case(session, title="Refund", tree_spec="pinduoduo", lang="en", opened=at(1, 9))
    return replace(case, id=1, **fields)


def contact(channel: str, result: str, day: int = 1, **fields: object) -> Contact:
    node = TREE.nodes.get(channel)
    title = dict(node.title.texts) if node is not None else {"en": "An old channel", "zh": "旧渠道"}  # type: ignore[union-attr]
    return Contact(id=fields.pop("id", day), channel=channel, channel_title=title, at=at(day), result=result, **fields)  # type: ignore[arg-type]


def next_of(case: Case, now: datetime) -> case_module.CaseNext:
    return Planner(TREE).plan(case, now)


def test_the_ladder_goes_on_from_the_channels_the_contacts_tried() -> None:
    case = opened()
    assert next_of(case, at(1)).outcome.id == "app_chat"  # type: ignore[union-attr]
    case = replace(case, contacts=(contact("app_chat", "no_answer"),))
    assert next_of(case, at(2)).outcome.id == "hotline_95187"  # type: ignore[union-attr]
    case = replace(case, contacts=(*case.contacts, contact("hotline_95187", "refused", 2)))
    assert next_of(case, at(3)).outcome.id == "platform_intervention"  # type: ignore[union-attr]
    # A channel off the ladder (the scam warning) and one whose step this path does not offer
    # (the courier, for a refund) change nothing.
    extra = (contact("fraud_alert", "refused", 3, id=3), contact("contact_courier", "refused", 3, id=4))
    assert next_of(replace(case, contacts=(*case.contacts, *extra)), at(4)).outcome.id == "platform_intervention"  # type: ignore[union-attr]


def test_a_promise_waits_until_its_time_and_lapses_at_it() -> None:
    promised = contact("app_chat", "promised", agent_id="1234", promise="a refund", promised_by=at(5, 18))
    case = opened(contacts=(promised,))
    waiting = next_of(case, at(5, 17))
    assert [n.kind for n in waiting.notices] == ["promise_waiting"] and not waiting.overdue
    assert waiting.outcome.id == "hotline_95187"  # type: ignore[union-attr]
    lapsed = next_of(case, at(5, 18))
    assert [n.kind for n in lapsed.notices] == ["promise_lapsed"] and lapsed.overdue
    line = render_next(lapsed, "en", BEIJING, at(5, 18)).splitlines()[1]
    assert (
        line
        == "! Agent 1234 promised a refund by 12-05 18:00: that has passed; next: Call the consumer service line 95187."
    )
    # A later contact supersedes the promise.
    later = replace(case, contacts=(promised, contact("hotline_95187", "no_answer", 6)))
    assert next_of(later, at(7)).notices == ()


def test_the_deadline_comes_first_near_it_and_after_it() -> None:
    case = opened(deadline=date(2026, 12, 8), contacts=(contact("app_chat", "promised", promised_by=at(5, 18)),))
    near = next_of(case, at(6))
    assert [n.kind for n in near.notices] == ["deadline_soon", "promise_lapsed"]
    assert near.outcome.id == "platform_intervention"  # type: ignore[union-attr]  # the urgent ladder
    assert next_of(case, at(4)).outcome.id == "hotline_95187"  # type: ignore[union-attr]  # 4 days before
    passed = next_of(case, datetime(2026, 12, 9, 0, 1, tzinfo=BEIJING))
    assert passed.notices[0].kind == "deadline_passed" and passed.overdue
    # In Berlin it is still 12-08 then; the deadline is Beijing's day.
    assert next_of(case, datetime(2026, 12, 8, 17, 30, tzinfo=timezone(timedelta(hours=1)))).notices[0].kind == (
        "deadline_passed"
    )


def test_a_solved_or_closed_case_has_no_plan() -> None:
    solved = next_of(opened(contacts=(contact("app_chat", "solved"),)), at(2))
    assert solved.session is None and [n.kind for n in solved.notices] == ["solved"]
    assert "pdd-wizard case close 1 --solved" in render_next(solved, "en", BEIJING, at(2))
    closed = next_of(opened(status="dropped", closed=at(3)), at(4))
    assert closed.session is None and [n.kind for n in closed.notices] == ["closed"]


def test_an_upgraded_tree_is_warned_about_and_a_lost_channel_shown_as_written() -> None:
    case = opened(tree_version="0.9.0", contacts=(contact("old_line", "refused"),))
    nxt = next_of(case, at(2))
    assert [n.kind for n in nxt.warnings] == ["tree_changed", "channel_gone"]
    assert nxt.outcome.id == "app_chat"  # type: ignore[union-attr]
    assert "An old channel (old_line)" in render_show(case, TREE, "en", BEIJING)


def test_answers_that_no_longer_fit_are_an_error_naming_the_case() -> None:
    case = replace(opened(), answers={**ANSWERS, "problem": "lost_pet"})
    with pytest.raises(CaseError, match=r"case 1: its answers no longer fit tree 'pinduoduo' 1\.0\.0: .*'lost_pet'"):
        next_of(case, at(2))


def test_cases_that_share_a_path_share_its_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    walks = []

    def counted(*args: object, **kwargs: object) -> object:
        walks.append(args)
        return run_answers(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(case_module, "run_answers", counted)
    planner = Planner(TREE)
    cases = [replace(opened(), id=n, contacts=(contact("app_chat", "refused"),)) for n in range(1, 200)]
    assert {planner.plan(case, at(3)).outcome.id for case in cases} == {"hotline_95187"}  # type: ignore[union-attr]
    assert len(walks) == 2  # the path as opened, then with the chat tried


# --- The facts in the words ----------------------------------------------------------------------------


def test_without_a_case_a_readable_placeholder_stands_in(tmp_path: Path) -> None:
    args = ("run", "--tree", str(ROOT / "trees" / "pinduoduo.yaml"), "--answer", "role=consumer", "--defaults")
    english = run_cli(*args, "--answer", "problem=quality", "--lang", "en")
    assert "(if there is an order: its number is [order number])" in english.stdout
    chinese = run_cli(*args, "--answer", "problem=quality", "--lang", "zh")
    assert "订单号是 【订单号】" in chinese.stdout
    assert "{order_number}" not in english.stdout + chinese.stdout


def test_the_case_supplies_every_fact() -> None:
    tree = load_tree(FACTS_TREE)
    session = run_answers(tree, {})
    case = replace(
        new_case(session, title="t", tree_spec=str(FACTS_TREE), lang="en", opened=at(1), order_number=ORDER),
        id=1,
        contacts=(
            Contact(1, "done", at(2), "promised", agent_id="88", promise="a refund", promised_by=at(5, 18)),
            Contact(2, "done", at(3), "no_answer"),
        ),
    )
    facts = case_facts(case, tree, "en", BEIJING)
    assert facts == {
        "order_number": ORDER,
        "agent_id": "88",
        "last_contact": "12-03 10:00, The help line",
        "promise": "a refund (by 12-05 18:00)",
    }
    say = render_text(session, "en", facts=facts).split("What to say:\n", 1)[1].splitlines()[0]
    assert (
        say
        == f"  Order {ORDER}; agent 88; last contact 12-03 10:00, The help line; promised a refund (by 12-05 18:00)."
    )
    bare = render_text(session, "en").split("What to say:\n", 1)[1].splitlines()[0]
    assert bare == (
        "  Order [order number]; agent [agent ID]; last contact [time and channel of the last contact]; "
        "promised [what was promised]."
    )
