"""The page's plan leaves it as the terminal's does: "Copy as text" is what `pdd-wizard run` prints, and
"Download as Markdown" what `run --save` writes, byte for byte, for the same answers and time.

The page makes both in JavaScript from the answers (`assets/plan.js`), so they are compared with
the Python (`render_text`, `render_markdown`) on every path of the shipped tree, at moments that
take each branch of the "right now" advice, in both languages, and on a hostile tree.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.html.browser import Browser
from tests.html.conftest import PINDUODUO, export_page
from tests.html.hostile import STRANGE_ID, hostile_tree, write_hostile
from tests.utils import run_cli
from wizard.core.engine import run_answers
from wizard.core.model import Tree
from wizard.render.markdown import render_markdown
from wizard.render.plan import render_text
from wizard.source.load import load_tree

#: Moments that take every branch of `hours.describe`: open (in a busy period), closed until tomorrow,
#: a second before opening ("in 1 min"), closed until later today, and one given in another zone.
MOMENTS = (
    "2026-11-12T10:00:00+08:00",
    "2026-03-03T22:30:00+08:00",
    "2026-03-04T08:59:30+08:00",
    "2026-01-01T00:10:00+08:00",
    "2026-06-20T01:00:00-07:00",
)


#: Readers' zones: Beijing's own (no clause on the reader's clock), one with Beijing's offset under
#: another name (none either), and ones with other offsets, with and without summer time.
READERS = ("Asia/Shanghai", "America/New_York", "Asia/Singapore", "Asia/Kolkata", "Europe/London")


def compare(browser: Browser, tree: Tree, cases: list[tuple[dict[str, Any], str, str]], zone: str) -> None:
    """Each case (answers, language, moment) through the page's functions and the Python's, one batch.

    The browser is set to `zone`, the reader's zone for the page; the Python is given it as the zone
    of its `now`, as `run --now` gives the reader's.
    """
    got = browser.run(
        "return arguments[0].map(([answers, lang, when]) => {"
        " const epoch = Date.parse(when);"
        " return [window.pddWizard.text(answers, lang, epoch), window.pddWizard.markdown(answers, lang, epoch)]; });",
        [list(case) for case in cases],
    )
    for (answers, lang, when), (text, markdown) in zip(cases, got, strict=True):
        session = run_answers(tree, answers)
        now = datetime.fromisoformat(when).astimezone(ZoneInfo(zone))
        assert text == render_text(session, lang, now), (answers, lang, when, zone)
        assert markdown == render_markdown(session, lang, now), (answers, lang, when, zone)


def listed(tree_file: Path) -> list[dict[str, Any]]:
    result = run_cli("paths", "--tree", str(tree_file), "--list", "--as-scenarios", "--limit", "100000")
    assert result.status == 0, result.stderr
    return [scenario["answers"] for scenario in yaml.safe_load(result.stdout)["scenarios"]]


@pytest.mark.slow
def test_text_and_markdown_equal_the_terminals_on_every_path(browser: Browser, pinduoduo_page: Path) -> None:
    tree = load_tree(PINDUODUO)
    paths = listed(PINDUODUO)
    cases = [
        (answers, lang, MOMENTS[(index + offset) % len(MOMENTS)])
        for index, answers in enumerate(paths)
        for offset, lang in enumerate(tree.languages)
    ]
    for batch, start in enumerate(range(0, len(cases), 200)):
        zone = READERS[batch % len(READERS)]
        with browser.zone(zone):
            browser.open(pinduoduo_page)
            compare(browser, tree, cases[start : start + 200], zone)
            assert browser.console() == []


def test_text_and_markdown_equal_the_terminals_on_a_hostile_tree(browser: Browser, tmp_path: Path) -> None:
    tree_file = write_hostile(tmp_path)
    tree = load_tree(tree_file)
    page = export_page(tree_file, tmp_path / "hostile.html")
    answers = [
        {"role": role, "tried": tried} for role in ("long", STRANGE_ID) for tried in ([], ["a"], ["b"], ["a", "b"])
    ]
    for zone in ("Asia/Shanghai", "America/New_York"):
        with browser.zone(zone):
            browser.open(page)
            compare(
                browser, tree, [(a, lang, when) for a in answers for lang in ("zh", "en") for when in MOMENTS], zone
            )
            assert browser.console() == []


def test_the_right_now_lines_follow_the_schedule_whatever_the_browsers_zone(
    browser: Browser, pinduoduo_page: Path
) -> None:
    """The advice is worked out in Beijing time though the browser is set to New York, Kolkata or Tokyo,
    and also gives the times on the browser's clock, as `describe` does with that zone as the reader's;
    in Singapore, whose clock is Beijing's, it does not. Both for the screen and for a saved file."""
    from wizard.core.hours import describe, for_outcome

    tree = load_tree(PINDUODUO)
    outcome = tree.nodes["hotline_95187"]
    for zone in ("America/New_York", "Asia/Kolkata", "Asia/Tokyo", "Asia/Singapore"):
        with browser.zone(zone):
            browser.open(pinduoduo_page)
            for when in MOMENTS:
                found = for_outcome(tree, outcome, datetime.fromisoformat(when))  # type: ignore[arg-type]
                assert found is not None
                for lang, saved in itertools.product(("zh", "en"), (False, True)):
                    got = browser.run(
                        "return window.pddWizard.now(arguments[0], 'hotline_95187', Date.parse(arguments[1]),"
                        " arguments[2])",
                        lang,
                        when,
                        saved,
                    )
                    expected = describe(found, lang, yours=ZoneInfo(zone), saved=saved)
                    assert got == expected, (zone, when, lang, saved)
                    assert ("Your time" in got[0] or "你的当地时间" in got[0]) is (zone != "Asia/Singapore")


#: Moments at the edges of New York's summer time, for a schedule kept there that opens at 02:30 and
#: closes at 01:30: opening at 02:30 on 8 March 2026, a time the clocks skip, and closing at 01:30
#: on 1 November, which comes twice (the first is meant, as Python reads it).
DST_MOMENTS = ("2026-03-08T01:45:00-05:00", "2026-03-07T23:00:00-05:00", "2026-11-01T01:00:00-04:00")


def test_the_readers_clock_is_right_across_a_summer_time_change(browser: Browser, tmp_path: Path) -> None:
    from wizard.core.hours import describe, for_outcome

    raw = hostile_tree()
    raw["schedules"]["desk"].update(timezone="America/New_York", opens="02:30", closes="01:30")  # type: ignore[index]
    tree_file = tmp_path / "dst.json"
    tree_file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    tree = load_tree(tree_file)
    page = export_page(tree_file, tmp_path / "dst.html")
    for zone in ("Asia/Shanghai", "Europe/London"):
        with browser.zone(zone):
            browser.open(page)
            for when in DST_MOMENTS:
                found = for_outcome(tree, tree.nodes[STRANGE_ID], datetime.fromisoformat(when))  # type: ignore[arg-type]
                assert found is not None
                for lang, saved in itertools.product(("zh", "en"), (False, True)):
                    got = browser.run(
                        "return window.pddWizard.now(arguments[0], arguments[1], Date.parse(arguments[2]),"
                        " arguments[3])",
                        lang,
                        STRANGE_ID,
                        when,
                        saved,
                    )
                    assert got == describe(found, lang, yours=ZoneInfo(zone), saved=saved), (zone, when, lang, saved)
            assert browser.console() == []
