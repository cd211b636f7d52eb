"""The page's plan leaves it as the terminal's does: "Copy as text" is what `pdd-wizard run` prints, and
"Download as Markdown" what `run --save` writes, byte for byte, for the same answers and time.

The page makes both in JavaScript from the answers (`assets/plan.js`), so they are compared with
the Python (`render_text`, `render_markdown`) on every path of the shipped tree, at moments that
take each branch of the "right now" advice, in both languages, and on a hostile tree.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.html.browser import Browser
from tests.html.conftest import PINDUODUO, export_page
from tests.html.hostile import STRANGE_ID, write_hostile
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


def compare(browser: Browser, tree: Tree, cases: list[tuple[dict[str, Any], str, str]]) -> None:
    """Each case (answers, language, moment) through the page's functions and the Python's, one batch."""
    got = browser.run(
        "return arguments[0].map(([answers, lang, when]) => {"
        " const epoch = Date.parse(when);"
        " return [window.pddWizard.text(answers, lang, epoch), window.pddWizard.markdown(answers, lang, epoch)]; });",
        [list(case) for case in cases],
    )
    for (answers, lang, when), (text, markdown) in zip(cases, got, strict=True):
        session = run_answers(tree, answers)
        now = datetime.fromisoformat(when)
        assert text == render_text(session, lang, now), (answers, lang, when)
        assert markdown == render_markdown(session, lang, now), (answers, lang, when)


def listed(tree_file: Path) -> list[dict[str, Any]]:
    result = run_cli("paths", "--tree", str(tree_file), "--list", "--as-scenarios", "--limit", "100000")
    assert result.status == 0, result.stderr
    return [scenario["answers"] for scenario in yaml.safe_load(result.stdout)["scenarios"]]


@pytest.mark.slow
def test_text_and_markdown_equal_the_terminals_on_every_path(browser: Browser, pinduoduo_page: Path) -> None:
    tree = load_tree(PINDUODUO)
    browser.open(pinduoduo_page)
    paths = listed(PINDUODUO)
    cases = [
        (answers, lang, MOMENTS[(index + offset) % len(MOMENTS)])
        for index, answers in enumerate(paths)
        for offset, lang in enumerate(tree.languages)
    ]
    for start in range(0, len(cases), 200):
        compare(browser, tree, cases[start : start + 200])
    assert browser.console() == []


def test_text_and_markdown_equal_the_terminals_on_a_hostile_tree(browser: Browser, tmp_path: Path) -> None:
    tree_file = write_hostile(tmp_path)
    tree = load_tree(tree_file)
    browser.open(export_page(tree_file, tmp_path / "hostile.html"))
    answers = [
        {"role": role, "tried": tried} for role in ("long", STRANGE_ID) for tried in ([], ["a"], ["b"], ["a", "b"])
    ]
    compare(browser, tree, [(a, lang, when) for a in answers for lang in ("zh", "en") for when in MOMENTS])
    assert browser.console() == []


def test_the_right_now_lines_follow_the_schedule_whatever_the_browsers_zone(
    browser: Browser, pinduoduo_page: Path
) -> None:
    """The advice is worked out in Beijing time though the browser is set to New York, Kolkata or Tokyo."""
    from wizard.core.hours import describe, for_outcome

    tree = load_tree(PINDUODUO)
    outcome = tree.nodes["hotline_95187"]
    for zone in ("America/New_York", "Asia/Kolkata", "Asia/Tokyo"):
        browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
        try:
            browser.open(pinduoduo_page)
            for when in MOMENTS:
                found = for_outcome(tree, outcome, datetime.fromisoformat(when))  # type: ignore[arg-type]
                assert found is not None
                for lang in ("zh", "en"):
                    got = browser.run(
                        "return window.pddWizard.now(arguments[0], 'hotline_95187', Date.parse(arguments[1]))",
                        lang,
                        when,
                    )
                    assert got == describe(found, lang), (zone, when, lang)
        finally:
            browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})
