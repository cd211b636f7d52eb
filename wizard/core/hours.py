"""Opening hours: whether a channel's human service is open at a moment, when it opens, and busy periods.

Pure: no terminal and no system clock. The caller passes the time (`Environment.clock()`,
fixed by `--now`); everything is computed in the schedule's own time zone, so the answer
is the same whatever the user's time zone. The words come in Chinese and English.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from msgspec import Struct

from wizard.core.errors import UsageError
from wizard.core.model import BusyPeriod, Outcome, Schedule, Tree

__all__ = [
    "SERVICE_TIMEZONE",
    "Availability",
    "availability",
    "busy_period",
    "describe",
    "for_outcome",
    "format_moment",
    "minutes_of",
    "parse_now",
]

#: The time zone of Pinduoduo's service, used to date a plan when no schedule applies.
SERVICE_TIMEZONE = "Asia/Shanghai"

_DAY = 24 * 60


class Availability(Struct, frozen=True):
    """A schedule read at one moment.

    Attributes:
        schedule: The schedule read.
        now: The moment, in the schedule's time zone.
        open: Whether people answer at that moment.
        closes_at: When today's service ends (when open).
        opens_at: When the service next opens (when closed).
        busy: The busy period the moment falls in, if any.
        busy_until: The last day of that busy period.
    """

    schedule: Schedule
    now: datetime
    open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    busy: BusyPeriod | None = None
    busy_until: date | None = None


def minutes_of(clock: str) -> int:
    """Minutes after midnight of an "HH:MM" time; "24:00" is the end of the day.

    Raises:
        ValueError: Not a time of day.
    """
    hours, _, minutes = clock.partition(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value <= _DAY):
        raise ValueError(f"not a time of day: {clock!r}")
    return value


def busy_period(schedule: Schedule, day: date) -> tuple[BusyPeriod, date] | None:
    """The busy period `day` falls in, with its last day; periods may cross the new year."""
    for period in schedule.busy:
        month, _, mday = period.date.partition("-")
        for year in (day.year, day.year - 1):
            try:
                start = date(year, int(month), int(mday))
            except ValueError:  # 02-29 in a common year: no period that year
                continue
            last = start + timedelta(days=period.days - 1)
            if start <= day <= last:
                return period, last
    return None


def availability(schedule: Schedule, now: datetime) -> Availability:
    """Read `schedule` at `now` (an aware time, in any zone).

    Opening is inclusive and closing exclusive: with 09:00-21:00 the service is open
    at 09:00 and closed at 21:00. A closing time at or before the opening time means
    the service runs past midnight; equal times mean it never closes.

    Raises:
        ValueError: `now` has no time zone, or the schedule's times are not times of day.
        zoneinfo.ZoneInfoNotFoundError: The schedule's time zone is unknown.
    """
    if now.tzinfo is None:
        raise ValueError("the time must carry its time zone")
    zone = ZoneInfo(schedule.timezone)
    local = now.astimezone(zone)
    opens, closes = minutes_of(schedule.opens), minutes_of(schedule.closes)
    minute = local.hour * 60 + local.minute
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)

    def at(day_offset: int, minutes: int) -> datetime:
        # Wall-clock arithmetic in the zone, so a DST change does not shift the opening hour.
        day = midnight.date() + timedelta(days=day_offset)
        return datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)

    found = busy_period(schedule, local.date())
    busy, busy_until = (found[0], found[1]) if found else (None, None)
    if opens % _DAY == closes % _DAY:
        return Availability(schedule, local, True, busy=busy, busy_until=busy_until)
    if opens < closes:
        if opens <= minute < closes:
            return Availability(schedule, local, True, closes_at=at(0, closes), busy=busy, busy_until=busy_until)
        opens_at = at(0, opens) if minute < opens else at(1, opens)
        return Availability(schedule, local, False, opens_at=opens_at, busy=busy, busy_until=busy_until)
    # Past midnight: open from `opens` to the end of the day and from midnight to `closes`.
    if minute >= opens:
        return Availability(schedule, local, True, closes_at=at(1, closes), busy=busy, busy_until=busy_until)
    if minute < closes:
        return Availability(schedule, local, True, closes_at=at(0, closes), busy=busy, busy_until=busy_until)
    return Availability(schedule, local, False, opens_at=at(0, opens), busy=busy, busy_until=busy_until)


def for_outcome(tree: Tree, outcome: Outcome, now: datetime) -> Availability | None:
    """The availability of an outcome's channel at `now`, or None when it names no (usable) schedule."""
    schedule = tree.schedules.get(outcome.schedule) if outcome.schedule else None
    if schedule is None:
        return None
    try:
        return availability(schedule, now)
    except (ValueError, KeyError):  # an unknown zone (ZoneInfoNotFoundError is a KeyError) or a bad time
        return None


# --- Words ---------------------------------------------------------------------------------


def _zone_name(zone: str, lang: str) -> str:
    if zone == "Asia/Shanghai":
        return "北京时间" if lang == "zh" else "Beijing time"
    return zone


def _duration(delta: timedelta, lang: str) -> str:
    minutes = max(0, -(-delta // timedelta(minutes=1)))  # rounded up: a second before 9:00 opens "in 1 min"
    hours, minutes = divmod(minutes, 60)
    if lang == "zh":
        if hours and minutes:
            return f"{hours} 小时 {minutes} 分钟"
        return f"{hours} 小时" if hours else f"{minutes} 分钟"
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def _day_word(when: datetime, now: datetime, lang: str) -> str:
    days = (when.date() - now.date()).days
    words = {0: ("今天", "today"), 1: ("明天", "tomorrow")}
    if days in words:
        return words[days][0 if lang == "zh" else 1]
    return _date_word(when.date(), lang)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date_word(day: date, lang: str) -> str:
    # Month names spelled here: strftime's %B follows the process locale.
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {_MONTHS[day.month - 1]}"


def describe(found: Availability, lang: str) -> list[str]:
    """The advice in words: whether it is within the channel's hours now and, if not, when they start;
    then the schedule's hint on easier times, and a line during a busy period.

    The words are hedged: a schedule says when a person is more likely to answer, not a promise
    that one will. The busy line never says to wait: someone with a deadline or a scam on their
    hands must not be told to, and only the tree knows who can (its outcome's `busy` text).

    Args:
        found: What `availability` found.
        lang: `zh` or `en` (any other language reads as English).

    Returns:
        One line on the hours, then the easier-times hint and the busy-period line where they apply.
    """
    schedule = found.schedule
    channel = schedule.channel.get(lang)
    zone = _zone_name(schedule.timezone, lang)
    now = found.now.strftime("%H:%M")
    zh = lang == "zh"
    always = minutes_of(schedule.opens) % _DAY == minutes_of(schedule.closes) % _DAY
    if zh:
        hours = "全天" if always else f"每天 {schedule.opens}–{schedule.closes}"
    else:
        hours = "around the clock" if always else f"{schedule.opens}–{schedule.closes} daily"
    if found.open and found.closes_at is not None:
        left = _duration(found.closes_at - found.now, lang)
        if zh:
            line = (
                f"现在在人工服务时段内：{channel}（{zone}{hours}，这段时间更可能接通人工）。"
                f"现在是{zone} {now}，离结束还有 {left}。"
            )
        else:
            line = (
                f"Within service hours now: {channel} ({hours}, {zone}, when a person is more likely to answer). "
                f"It is {now} there; the hours end in {left}."
            )
    elif found.open:
        line = f"人工服务时段：{channel}（{hours}）。" if zh else f"Service hours: {channel} ({hours})."
    else:
        assert found.opens_at is not None
        day = _day_word(found.opens_at, found.now, lang)
        wait = _duration(found.opens_at - found.now, lang)
        opens = found.opens_at.strftime("%H:%M")
        if zh:
            line = (
                f"现在不在人工服务时段：{channel}（{zone}{hours}）。现在是{zone} {now}，{day} {opens} 开始，"
                f"还有 {wait}；这段时间以外，接通人工的可能性较小。"
            )
        else:
            line = (
                f"Outside service hours now: {channel} ({hours}, {zone}). It is {now} there; the hours start "
                f"{day} at {opens}, in {wait}. Outside them a person is less likely to answer."
            )
    lines = [line]
    if schedule.easier is not None:
        lines.append(schedule.easier.get(lang))
    if found.busy is not None and found.busy_until is not None:
        name = found.busy.name.get(lang)
        until = _date_word(found.busy_until, lang)
        if zh:
            lines.append(f"正值高峰期（{name}，到 {until}）：排队可能比平时久得多。联系前先把要点写好。")
        else:
            lines.append(
                f"Busy period ({name}, until {until}): queues may be much longer than usual. "
                "Write your points down before you get in touch."
            )
    return lines


def format_moment(now: datetime, zone: str = SERVICE_TIMEZONE) -> str:
    """A moment for a saved plan: "2026-11-12 10:30 (Asia/Shanghai, UTC+08:00)"."""
    local = now.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} ({zone}, UTC{offset[:3]}:{offset[3:]})"


def parse_now(value: str | None, name: str = "--now") -> datetime | None:
    """`--now` as an aware time; a time without a zone is taken as Beijing time (the service's own).

    Args:
        name: How messages name the value: the flag, or a scenario's `'now'`.
    """
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{name} {value!r}: expected an ISO-8601 time, for example 2026-11-12T10:30+08:00") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone(timedelta(hours=8), "CST"))
    if not 1900 <= when.year <= 2999:  # the advice looks days ahead and back: keep clear of datetime's ends
        raise UsageError(f"{name} {value!r}: expected a year from 1900 to 2999")
    return when
