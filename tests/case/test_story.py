"""A whole case, scripted, in both languages: open it, log in-app chat promised by a date, let the date pass,
next is 95187, log it refused, next is platform intervention with the order number, export it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.case.helpers import ORDER, as_json, case_cli, ok, open_story_case

#: What the story's steps say, by language.
WORDS = {
    "en": {
        "waiting": "Wait until 12-05 18:00, then: Call the consumer service line 95187 (agent 1234 promised a refund",
        "lapsed": "Agent 1234 promised a refund by 12-05 18:00: that has passed; next: Call the consumer service "
        "line 95187.",
        "promise": "a refund",
        "said": "asked for a refund of the broken kettle",
        "say": f"Order {ORDER}: the merchant and I could not settle this",
        "timeline": "## Timeline of contacts",
        "refused": "refused",
    },
    "zh": {
        "waiting": "等到 12-05 18:00，再：拨打消费者服务热线 95187（客服 1234 答应在那之前退款）",
        "lapsed": "客服 1234 答应在 12-05 18:00 前退款：已经过了期限；下一步：拨打消费者服务热线 95187。",
        "promise": "退款",
        "said": "要求退款：水壶坏了",
        "say": f"订单 {ORDER}：我和商家协商未果",
        "timeline": "## 联系时间线",
        "refused": "被拒绝",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_whole_story_of_a_case(tmp_path: Path, lang: str) -> None:
    db = tmp_path / "cases.sqlite3"
    words = WORDS[lang]
    number = open_story_case(db, lang=lang)
    case = str(number)
    assert number == 1

    # Log in-app chat: the agent promised a refund by 12-05 18:00.
    ok(
        case_cli(
            db,
            "case",
            "log",
            case,
            "--channel",
            "app_chat",
            "--at",
            "2026-12-01T10:00+08:00",
            "--agent",
            "1234",
            "--said",
            words["said"],
            "--result",
            "promised",
            "--promise",
            words["promise"],
            "--promised-by",
            "2026-12-05 18:00",
            "--evidence",
            "2",
            "--lang",
            lang,
        )
    )
    waiting = ok(case_cli(db, "case", "next", case, "--now", "2026-12-03T09:00+08:00", "--lang", lang))
    assert words["waiting"] in waiting

    # The date passes: next is 95187, the lapsed promise said first.
    late = "2026-12-06T09:00+08:00"
    text = ok(case_cli(db, "case", "next", case, "--now", late, "--lang", lang))
    assert text.splitlines()[1] == f"! {words['lapsed']}"
    document = as_json(case_cli(db, "case", "next", case, "--now", late, "--lang", lang, "--format", "json"))
    assert document["outcome"] == "hotline_95187"
    assert [n["kind"] for n in document["notices"]] == ["promise_lapsed"]
    assert document["overdue"] is True
    assert as_json(case_cli(db, "run", "--case", case, "--now", late, "--format", "json"))["outcome"] == "hotline_95187"
    listed = ok(case_cli(db, "case", "list", "--now", late, "--lang", lang))
    assert listed.startswith("1 ! ")  # overdue

    # Log 95187, refused: next is platform intervention, with the order number in what to say.
    ok(
        case_cli(
            db,
            "case",
            "log",
            case,
            "--channel",
            "hotline_95187",
            "--at",
            "2026-12-06T10:00+08:00",
            "--result",
            "refused",
            "--lang",
            lang,
        )
    )
    after = "2026-12-06T11:00+08:00"
    document = as_json(case_cli(db, "case", "next", case, "--now", after, "--lang", lang, "--format", "json"))
    assert document["outcome"] == "platform_intervention"
    assert document["notices"] == []
    assert words["say"] in document["plan"]["content"]["say"]
    plan = ok(case_cli(db, "case", "next", case, "--now", after, "--lang", lang))
    assert words["say"] in plan
    assert ok(case_cli(db, "run", "--case", case, "--now", after, "--lang", lang)) == plan

    # Export: the Markdown timeline, and the calendar read back by the library.
    markdown = ok(case_cli(db, "case", "export", case, "--format", "md", "--lang", lang, "--now", after))
    assert words["timeline"] in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| 1 |") or line.startswith("| 2 |")]
    assert len(rows) == 2 and "2026-12-01 10:00" in rows[0] and "1234" in rows[0] and words["refused"] in rows[1]
    assert ORDER in markdown
    ics = tmp_path / "case.ics"
    ok(case_cli(db, "case", "export", case, "--format", "ics", "-o", str(ics), "--lang", lang, "--now", after))
    check_calendar(ics.read_bytes(), words["promise"])


def check_calendar(data: bytes, promise: str) -> None:
    """The deadline (the end of 12-20 in Beijing time) and the promise (12-05 18:00), each with a reminder."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"pdd-wizard-case-1-deadline", "pdd-wizard-case-1-contact-1"}
    deadline = events["pdd-wizard-case-1-deadline"]
    assert deadline.decoded("dtstart") == datetime(2026, 12, 20, 15, 59, tzinfo=timezone.utc)
    assert [alarm.decoded("trigger") for alarm in deadline.walk("VALARM")] == [-timedelta(days=3), -timedelta(hours=12)]
    due = events["pdd-wizard-case-1-contact-1"]
    assert due.decoded("dtstart") == datetime(2026, 12, 5, 10, 0, tzinfo=timezone.utc)
    assert promise in str(due["summary"])
    assert [alarm.decoded("trigger") for alarm in due.walk("VALARM")] == [timedelta(0)]


def test_a_near_deadline_comes_first_and_sends_the_dispute_to_platform_intervention(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    case = str(open_story_case(db, deadline="2026-12-08"))
    ok(
        case_cli(
            db,
            "case",
            "log",
            case,
            "--channel",
            "app_chat",
            "--at",
            "2026-12-01T10:00+08:00",
            "--result",
            "promised",
            "--promised-by",
            "2026-12-05",
        )
    )
    document = as_json(case_cli(db, "case", "next", case, "--now", "2026-12-06T09:00+08:00", "--format", "json"))
    assert [n["kind"] for n in document["notices"]] == ["deadline_soon", "promise_lapsed"]
    assert document["notices"][0]["text"].startswith("The after-sales deadline is 2026-12-08 23:59, in 2 days")
    assert document["outcome"] == "platform_intervention"  # before 95187, though the chat was tried
    # Far from it again (the day moved back), the ladder goes on to 95187.
    later = as_json(case_cli(db, "case", "next", case, "--now", "2026-12-01T12:00+08:00", "--format", "json"))
    assert later["outcome"] == "hotline_95187"


def test_a_passed_deadline_is_overdue(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    case = str(open_story_case(db, deadline="2026-12-02"))
    document = as_json(case_cli(db, "case", "next", case, "--now", "2026-12-06T09:00+08:00", "--format", "json"))
    assert [n["kind"] for n in document["notices"]] == ["deadline_passed"]
    assert document["overdue"] is True
    listed = as_json(case_cli(db, "case", "list", "--now", "2026-12-06T09:00+08:00", "--format", "json"))
    assert listed["cases"][0]["overdue"] is True


def test_times_are_shown_in_beijing_time_and_the_persons_own(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    case = str(open_story_case(db))
    berlin = ok(case_cli(db, "case", "show", case, tz="Europe/Berlin"))
    assert "After-sales deadline: 2026-12-20 23:59 (Beijing time; 2026-12-20 16:59 CET your time)" in berlin
    beijing = ok(case_cli(db, "case", "show", case, tz="Asia/Shanghai"))
    assert "After-sales deadline: 2026-12-20 23:59\n" in beijing
