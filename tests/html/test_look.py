"""How the page looks and reads: screenshots for a person to look at, and axe-core's accessibility rules.

The screenshots, at 360 x 640 (a phone) and 1280 x 800, in Chinese and English, at a question and
at a plan (and at the review list and the diagram), are saved under `tests/artifacts/`, which git
ignores. axe-core comes from npm (`tests/package.json`) and is put into the page by the test only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.html.browser import Browser
from tests.html.conftest import ARTIFACTS
from tests.utils import ROOT

AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
PLAN = {"role": "consumer", "problem": "logistics", "tried": ["courier", "app_chat"]}
NOW = "2026-11-12T22:30+08:00"


def to_question(browser: Browser) -> None:
    browser.run("document.querySelector('input[value=consumer]').click(); document.getElementById('continue').click();")


def to_review(browser: Browser) -> None:
    browser.walk([PLAN])
    browser.run("document.getElementById('back').click();")


def to_plan(browser: Browser) -> None:
    browser.walk([PLAN])


SCREENS = {"question": to_question, "review": to_review, "plan": to_plan}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(360, 640), (1280, 800)], ids=["360x640", "1280x800"])
def test_screenshots(browser: Browser, pinduoduo_page: Path, lang: str, size: tuple[int, int]) -> None:
    browser.size(*size)
    for screen, go in SCREENS.items():
        browser.open(pinduoduo_page, lang=lang, now=NOW)
        go(browser)
        browser.run("window.scrollTo(0, 0)")
        shot = browser.screenshot(ARTIFACTS / f"page-{screen}-{lang}-{size[0]}x{size[1]}.png")
        assert shot.stat().st_size > 5000
        if screen == "plan":
            browser.screenshot(ARTIFACTS / f"page-plan-{lang}-{size[0]}-whole.png", whole=True)
    browser.driver.find_element("id", "view-diagram").click()
    browser.screenshot(ARTIFACTS / f"page-diagram-{lang}-{size[0]}x{size[1]}.png")
    assert browser.console() == []


def axe_violations(browser: Browser) -> list[dict[str, Any]]:
    """axe-core run on the page as it stands: the violations of serious or critical impact."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: run npm ci in tests/")
        pytest.skip("axe-core is not installed (cd tests && npm ci)")
    browser.run(AXE.read_text(encoding="utf-8"))  # injected by WebDriver, never part of the page
    found: list[dict[str, Any]] = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v =>"
        " ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))),"
        " e => done([{id: 'axe failed', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_axe_finds_nothing_serious(browser: Browser, pinduoduo_page: Path, screen: str, scheme: str) -> None:
    browser.size(360, 640)
    browser.driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    try:
        for lang in ("zh", "en"):
            browser.open(pinduoduo_page, lang=lang, now=NOW)
            SCREENS[screen](browser)
            assert axe_violations(browser) == [], (screen, lang)
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
