"""A hostile tree's page shows every text as text and runs none of it: markup, event attributes,
`</script>`, bidirectional overrides and a 10,000-character label, in texts and ids."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.html.browser import Browser
from tests.html.conftest import export_page
from tests.html.hostile import BIDI, LONG, MARKUP, STRANGE_ID, write_hostile
from wizard.render.text import visible


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    return export_page(write_hostile(folder), folder / "hostile.html")


class Tags(HTMLParser):
    """Every start tag of a page and its attributes' names, as an HTML parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, [name for name, _ in attrs]))


def test_the_file_holds_no_markup_from_the_tree(hostile_page: Path) -> None:
    text = hostile_page.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(text)
    names = [tag for tag, _ in parser.tags]
    assert names.count("script") == 2  # the data and the page's own script
    assert not {"img", "iframe", "object", "embed", "template", "textarea"} & set(names)
    assert not [(tag, attrs) for tag, attrs in parser.tags if any(a.startswith("on") for a in attrs)]
    assert "\u202e" not in text and "\u2066" not in text


@pytest.mark.parametrize("size", [(360, 640), (1280, 800)])
def test_every_text_shows_as_text_and_nothing_runs(browser: Browser, hostile_page: Path, size: tuple[int, int]) -> None:
    browser.size(*size)
    for lang in ("zh", "en"):
        browser.open(hostile_page, lang=lang, now="2026-11-12T10:00+08:00")
        prompt = browser.run("return document.getElementById('focus').textContent")
        assert all(visible(markup) in prompt for markup in MARKUP)
        assert visible(BIDI) in prompt and "\u202e" not in prompt  # the override shown as \u202e, not obeyed
        labels = browser.run("return [...document.querySelectorAll('.choice-label')].map(e => e.textContent)")
        assert labels[0] == LONG
        width, inner = browser.run("return [document.documentElement.scrollWidth, innerWidth]")
        assert width <= inner  # the 10,000-character label wraps
        results = browser.walk(
            [
                {"role": role, "tried": tried}
                for role in ("long", STRANGE_ID)
                for tried in ([], ["a"], ["b"], ["a", "b"])
            ]
        )
        assert {r["outcome"] for r in results} == {STRANGE_ID, "last"}
        browser.driver.find_element("id", "view-diagram").click()
        browser.driver.find_element("id", "zoom").click()
        browser.driver.find_element("id", "view-questions").click()
        state = browser.run(
            "return {pwned: window.pwned === undefined ? null : window.pwned,"
            " scripts: document.scripts.length,"
            " strays: document.querySelectorAll('img, iframe, object, embed, #wizard svg, [onerror], [onload]').length,"
            " title: document.title}"
        )
        assert state == {"pwned": None, "scripts": 2, "strays": 0, "title": visible(f"{MARKUP[0]} title {BIDI}")}
        assert browser.console() == []  # no JavaScript error, no CSP violation
        page = hostile_page.resolve().as_uri()
        assert {url.split("?")[0] for url in browser.requests()} <= {page}  # the page loaded, nothing else
