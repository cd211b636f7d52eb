"""Opening hours and busy periods (`wizard.core.hours`): many fixed moments, across zones, in both languages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.core.hours import (
    availability,
    busy_period,
    describe,
    for_outcome,
    format_moment,
    minutes_of,
)
from wizard.core.model import BusyPeriod, Localized, Outcome, Schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def schedule(
    opens: str = "09:00", closes: str = "21:00", *busy: tuple[str, int], zone: str = "Asia/Shanghai"
) -> Schedule:
    periods = tuple(
        BusyPeriod(Localized({"zh": f"{d} 之后", "en": f"After {d}"}), date=d, days=days) for d, days in busy
    )
    return Schedule(
        id="hotline",
        channel=Localized({"zh": "95187 人工客服", "en": "95187 human service"}),
        timezone=zone,
        opens=opens,
        closes=closes,
        busy=periods,
    )


HOTLINE = schedule("09:00", "21:00", ("06-18", 14), ("11-11", 14))
OUTSIDE = "Outside them a person is less likely to answer."


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("now", "is_open", "next_change"),
    [
        # The exact opening and closing minutes: open at 09:00, closed at 21:00.
        ("2026-03-10T09:00+08:00", True, "2026-03-10T21:00+08:00"),
        ("2026-03-10T08:59+08:00", False, "2026-03-10T09:00+08:00"),
        ("2026-03-10T08:59:59+08:00", False, "2026-03-10T09:00+08:00"),
        ("2026-03-10T20:59+08:00", True, "2026-03-10T21:00+08:00"),
        ("2026-03-10T21:00+08:00", False, "2026-03-11T09:00+08:00"),
        # Midnight and just before it.
        ("2026-03-10T00:00+08:00", False, "2026-03-10T09:00+08:00"),
        ("2026-03-10T23:59+08:00", False, "2026-03-11T09:00+08:00"),
        # Other zones: the same instant, read in Beijing time.
        ("2026-03-10T01:00Z", True, "2026-03-10T21:00+08:00"),  # 09:00 in Beijing
        ("2026-03-10T00:59Z", False, "2026-03-10T09:00+08:00"),
        ("2026-03-10T13:00Z", False, "2026-03-11T09:00+08:00"),  # 21:00 in Beijing
        ("2026-03-09T20:30-05:00", True, "2026-03-10T21:00+08:00"),  # New York evening = Beijing morning
        ("2026-07-01T03:00+02:00", True, "2026-07-01T21:00+08:00"),  # Berlin summer time = 09:00 Beijing
        ("2026-07-01T02:59+02:00", False, "2026-07-01T09:00+08:00"),
        # Year end: the next opening is in the new year.
        ("2026-12-31T22:00+08:00", False, "2027-01-01T09:00+08:00"),
    ],
)
def test_open_now_and_next_change(now: str, is_open: bool, next_change: str) -> None:
    found = availability(HOTLINE, at(now))
    assert found.open is is_open
    change = found.closes_at if is_open else found.opens_at
    assert change == at(next_change)
    assert found.now.tzinfo is not None and found.now.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("day", "event"),
    [
        (date(2026, 6, 17), None),
        (date(2026, 6, 18), "06-18"),
        (date(2026, 7, 1), "06-18"),  # the 14th day
        (date(2026, 7, 2), None),
        (date(2026, 11, 10), None),
        (date(2026, 11, 11), "11-11"),
        (date(2026, 11, 24), "11-11"),
        (date(2026, 11, 25), None),
    ],
)
def test_busy_periods_after_618_and_double_11(day: date, event: str | None) -> None:
    found = busy_period(HOTLINE, day)
    assert (found[0].date if found else None) == event


def test_busy_period_crossing_the_new_year() -> None:
    winter = schedule("09:00", "21:00", ("12-25", 14))
    assert busy_period(winter, date(2026, 12, 24)) is None
    assert busy_period(winter, date(2026, 12, 25)) is not None
    found = busy_period(winter, date(2027, 1, 7))
    assert found is not None and found[1] == date(2027, 1, 7)
    assert busy_period(winter, date(2027, 1, 8)) is None


def test_busy_period_on_29_february_only_in_leap_years() -> None:
    leap = schedule("09:00", "21:00", ("02-29", 2))
    assert busy_period(leap, date(2028, 3, 1)) is not None
    assert busy_period(leap, date(2027, 3, 1)) is None


def test_busy_is_read_on_the_service_date_not_the_users() -> None:
    # 17 June 18:00 in Los Angeles is already 18 June 09:00 in Beijing: the busy period has begun.
    found = availability(HOTLINE, at("2026-06-17T18:00-07:00"))
    assert found.open and found.busy is not None and found.busy_until == date(2026, 7, 1)


def test_a_schedule_past_midnight() -> None:
    night = schedule("22:00", "06:00")
    assert availability(night, at("2026-03-10T23:00+08:00")).closes_at == at("2026-03-11T06:00+08:00")
    assert availability(night, at("2026-03-10T05:59+08:00")).open
    closed = availability(night, at("2026-03-10T06:00+08:00"))
    assert not closed.open and closed.opens_at == at("2026-03-10T22:00+08:00")


def test_a_schedule_that_never_closes() -> None:
    found = availability(schedule("00:00", "24:00"), at("2026-03-10T03:00+08:00"))
    assert found.open and found.closes_at is None
    assert describe(found, "en") == ["Service hours: 95187 human service (around the clock)."]


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        availability(HOTLINE, datetime(2026, 3, 10, 9, 0))


@pytest.mark.parametrize("text", ["25:00", "09:60", "nine"])
def test_minutes_of_refuses_non_times(text: str) -> None:
    with pytest.raises(ValueError):
        minutes_of(text)


@pytest.mark.parametrize(
    ("now", "lang", "expected"),
    [
        (
            "2026-03-10T14:30+08:00",
            "zh",
            [
                "现在在人工服务时段内：95187 人工客服（北京时间每天 09:00–21:00，这段时间更可能接通人工）。"
                "现在是北京时间 14:30，离结束还有 6 小时 30 分钟。"
            ],
        ),
        (
            "2026-03-10T14:30+08:00",
            "en",
            [
                "Within service hours now: 95187 human service (09:00–21:00 daily, Beijing time, "
                "when a person is more likely to answer). It is 14:30 there; the hours end in 6 h 30 min."
            ],
        ),
        (
            "2026-03-10T22:15+08:00",
            "zh",
            [
                "现在不在人工服务时段：95187 人工客服（北京时间每天 09:00–21:00）。"
                "现在是北京时间 22:15，明天 09:00 开始，还有 10 小时 45 分钟；这段时间以外，接通人工的可能性较小。"
            ],
        ),
        (
            "2026-03-10T08:15+08:00",
            "en",
            [
                "Outside service hours now: 95187 human service (09:00–21:00 daily, Beijing time). "
                "It is 08:15 there; the hours start today at 09:00, in 45 min. "
                "Outside them a person is less likely to answer."
            ],
        ),
        (
            "2026-11-12T10:00+08:00",
            "en",
            [
                "Within service hours now: 95187 human service (09:00–21:00 daily, Beijing time, "
                "when a person is more likely to answer). It is 10:00 there; the hours end in 11 h.",
                "Busy period (After 11-11, until 24 November): queues may be much longer than usual. "
                "Write your points down before you get in touch.",
            ],
        ),
        (
            "2026-06-20T23:00+08:00",
            "zh",
            [
                "现在不在人工服务时段：95187 人工客服（北京时间每天 09:00–21:00）。"
                "现在是北京时间 23:00，明天 09:00 开始，还有 10 小时；这段时间以外，接通人工的可能性较小。",
                "正值高峰期（06-18 之后，到 7月1日）：排队可能比平时久得多。联系前先把要点写好。",
            ],
        ),
    ],
)
def test_describe_in_both_languages(now: str, lang: str, expected: list[str]) -> None:
    assert describe(availability(HOTLINE, at(now)), lang) == expected


@pytest.mark.parametrize(
    ("now", "wait"),
    [("08:59:59", "in 1 min"), ("08:59:00", "in 1 min"), ("08:58:30", "in 2 min"), ("08:00:00", "in 1 h")],
)
def test_a_wait_is_rounded_up_never_to_zero(now: str, wait: str) -> None:
    """A second before opening is "in 1 min", not "in 0 min"; the clock shows the minute it is in."""
    (line,) = describe(availability(HOTLINE, at(f"2026-03-10T{now}+08:00")), "en")
    assert line.endswith(f"It is {now[:5]} there; the hours start today at 09:00, {wait}. {OUTSIDE}")


def test_describe_names_a_zone_other_than_beijing() -> None:
    found = availability(schedule(zone="Europe/Berlin"), at("2026-03-10T08:00+01:00"))
    assert "Europe/Berlin" in describe(found, "en")[0]


def test_format_moment_gives_beijing_time_and_offset() -> None:
    assert format_moment(at("2026-11-12T02:30Z")) == "2026-11-12 10:30 (Asia/Shanghai, UTC+08:00)"
    assert (
        format_moment(at("2026-11-12T02:30Z"), "America/New_York") == "2026-11-11 21:30 (America/New_York, UTC-05:00)"
    )


def test_for_outcome_reads_the_named_schedule(mini_tree) -> None:  # type: ignore[no-untyped-def]
    outcome = next(mini_tree.outcomes())
    assert isinstance(outcome, Outcome) and for_outcome(mini_tree, outcome, at("2026-03-10T10:00+08:00")) is None


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()))
def test_the_next_change_is_always_ahead_and_within_a_day(now: datetime) -> None:
    found = availability(HOTLINE, now)
    local = now.astimezone(SHANGHAI)
    assert found.open is (9 * 60 <= local.hour * 60 + local.minute < 21 * 60)
    change = found.closes_at if found.open else found.opens_at
    assert change is not None
    assert timedelta(0) < change - now <= timedelta(hours=24)
    assert change.astimezone(SHANGHAI).strftime("%H:%M") == ("21:00" if found.open else "09:00")
    assert (found.busy is None) is (busy_period(HOTLINE, local.date()) is None)


def test_utc_input_and_shanghai_input_agree() -> None:
    utc = availability(HOTLINE, datetime(2026, 3, 10, 1, 0, tzinfo=timezone.utc))
    local = availability(HOTLINE, datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI))
    assert utc == local


def test_the_easier_times_hint_follows_the_hours_line() -> None:
    easier = Localized({"zh": "工作日上午 10 点前更容易接通。", "en": "Weekdays before 10:00 are easier."})
    found = availability(msgspec.structs.replace(HOTLINE, easier=easier), at("2026-03-10T14:30+08:00"))
    assert describe(found, "zh")[1] == "工作日上午 10 点前更容易接通。"
    assert describe(found, "en")[1] == "Weekdays before 10:00 are easier."


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()))
def test_the_right_now_words_never_say_to_wait_or_promise_a_person(now: datetime) -> None:
    """Issue 16: a deadline or a scam must not be told to wait, and the hours are when a person is
    more likely to answer (the article's section 一), not a promise that one will or will not."""
    for lang in ("zh", "en"):
        text = " ".join(describe(availability(HOTLINE, now), lang))
        assert not re.search(r"等高峰|一开门|wait until|opening time|没有人工服务|Open now|Closed now", text)
