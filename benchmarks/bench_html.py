"""Benchmark: the page of `pdd-wizard export --format html` in headless Chromium, against an empty page.

Two targets, both measured in one run in Debian's Chromium (`chromium`, `chromium-driver`,
driven by selenium, the project's test dependency):

    page interactive / empty page of the same size <= 2.00x
    step / one animation frame (16.7 ms)          <= 1.00x

The first: the shipped tree's page is loaded from disk, and so is a page of exactly as many
bytes that holds nothing but text in a comment; they take turns, round after round. Each time
is read from the page's own Navigation Timing: from the start of the navigation to the end
of DOMContentLoaded, when the wizard's script has run and its first question is on the page
(its `pdd-ready` mark, if later). The target is on the median of the ratios, round by round.

The second: the page's `pdd-step` measures in its performance timeline, one per answer, from
the click's handler to the new question laid out (script, style and layout). Walks of the
shipped tree are clicked through the page; the target is on the median step, against one
frame at 60 Hz; the slowest step is printed too.

    python benchmarks/bench_html.py [--runs 15] [--quick] [--venv DIR]

Exit status 1 when a target is missed, 2 when it could not be measured.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import harness

LOAD_TARGET = 2.00
STEP_TARGET = 1.00
FRAME_MS = 1000 / 60
#: Walks of the shipped tree (a script's answers), each clicked through the page.
WALKS = [
    {"role": "consumer", "problem": "logistics", "tried": ["courier", "app_chat"]},
    {"role": "consumer", "problem": "quality", "merchant_contact": "refused", "deadline": "close", "tried": []},
    {"role": "consumer", "problem": "fraud", "scam_harm": "none"},
    {"role": "merchant", "merchant_problem": "store_management", "merchant_tried": []},
]
#: Clicks through the page: for each walk, the options and Continue until the review, then Start again.
CLICKS = """
const walks = arguments[0];
for (const answers of walks) {
  for (let turn = 0; turn < 50; turn += 1) {
    const form = document.querySelector('form.question');
    if (form === null) break;
    const want = answers[form.dataset.question];
    const ids = new Set(Array.isArray(want) ? want : want === undefined ? [] : [want]);
    for (const input of form.querySelectorAll('input[name="answer"]'))
      if (input.checked !== ids.has(input.value) && (ids.has(input.value) || input.type === 'checkbox')) input.click();
    document.getElementById('continue').click();
  }
  document.getElementById('restart').click();
}
return performance.getEntriesByName('pdd-step').map((entry) => entry.duration);
"""
READY = """
const navigation = performance.getEntriesByType('navigation')[0];
const ready = performance.getEntriesByName('pdd-ready')[0];
return Math.max(navigation.domContentLoadedEventEnd, ready ? ready.startTime : 0);
"""


def browser() -> Any:
    """Headless Chromium from Debian's packages, driven by selenium (offline: no driver is downloaded)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        harness.fail("selenium is not installed: pip install '.[test]'")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        harness.fail("Chromium is not installed (Debian: apt-get install chromium chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(argument)
    started = webdriver.Chrome(options=options, service=Service(driver))
    started.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 360, "height": 640, "deviceScaleFactor": 1, "mobile": True}
    )
    return started


def empty_page(size: int) -> bytes:
    """A page of exactly `size` bytes that shows one word: the rest is text in a comment."""
    head = b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>empty</title>\n</head>\n'
    body, tail = b"<body>\n<p>empty</p>\n<!--", b"-->\n</body>\n</html>\n"
    padding = size - len(head) - len(body) - len(tail)
    if padding < 0:
        harness.fail(f"a page of {size} bytes is smaller than an empty page")
    lines = (b"x" * 99 + b"\n") * (padding // 100) + b"x" * (padding % 100)
    return head + body + lines + tail


def loaded(driver: Any, page: Path) -> float:
    """Seconds from the start of the navigation to `page` to its content loaded (READY)."""
    driver.get("about:blank")
    driver.get(page.as_uri())
    return float(driver.execute_script(READY)) / 1000


def main() -> int:
    parser = harness.arguments(__doc__, runs=15)
    args = parser.parse_args()
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "pinduoduo.html"
        done = harness.run([env.wizard, "export", "--tree", "pinduoduo", "--format", "html", "-o", page])
        if done.status != 0:
            harness.fail(f"pdd-wizard export --format html exited {done.status}:\n{done.output[-2000:]}")
        size = page.stat().st_size
        empty = Path(folder) / "empty.html"
        empty.write_bytes(empty_page(size))
        driver = browser()
        try:
            empties, pages = harness.rounds([lambda: loaded(driver, empty), lambda: loaded(driver, page)], runs)
            loaded(driver, page)
            steps = [float(ms) for ms in driver.execute_script(CLICKS, WALKS * (1 if args.quick else 5))]
        finally:
            driver.quit()
    if not steps:
        harness.fail("the page measured no step")
    print(f"the shipped tree's page: {size / 1024:.0f} KB", flush=True)
    harness.print_median("empty page of the same size, to DOMContentLoaded", empties)
    harness.print_median("the wizard's page, to its first question", pages)
    median = statistics.median(steps)
    print(f"{'a step, median of ' + str(len(steps)):<50} {median:>9.1f} ms  slowest {max(steps):.1f} ms", flush=True)
    verdicts = harness.Verdicts()
    verdicts.ratio("page interactive / empty page of the same size", harness.ratio(empties, pages), LOAD_TARGET)
    verdicts.ratio("step / one animation frame", median / FRAME_MS, STEP_TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
