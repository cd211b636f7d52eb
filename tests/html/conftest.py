"""The page's fixtures: one headless Chromium for the session, and pages exported by the real command line.

Without Chromium or selenium the browser tests are skipped, except on CI (`CI=true`), where
`.ci/run` installs them: there a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.html.browser import Browser, missing
from tests.utils import ROOT, run_cli

#: The shipped tree, by its path in this checkout (the tree the page is tested on).
PINDUODUO = ROOT / "trees" / "pinduoduo.yaml"
#: Screenshots the tests take, for a person to look at (git ignores the folder).
ARTIFACTS = ROOT / "tests" / "artifacts"


def export_page(tree: Path, out: Path, *extra: str) -> Path:
    """`pdd-wizard export --format html --tree TREE -o OUT`, which must succeed; OUT."""
    result = run_cli("export", "--tree", str(tree), "--format", "html", "-o", str(out), *extra)
    assert result.status == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    why = missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests need Chromium and selenium on CI: {why}")
        pytest.skip(why)
    started = Browser()
    yield started
    started.quit()


@pytest.fixture(scope="session")
def pinduoduo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped tree's page, exported once for the session."""
    return export_page(PINDUODUO, tmp_path_factory.mktemp("page") / "pinduoduo.html")


@pytest.fixture()
def fresh(browser: Browser) -> Browser:
    """The session's browser at 360 x 640, its logs read and forgotten."""
    browser.size(360, 640)
    browser.drain()
    return browser
