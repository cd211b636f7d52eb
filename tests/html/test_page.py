"""The page as a person uses it, in Chromium: one file that fetches nothing, back, change, start again,
the language, the clock, the diagram, printing, copying and downloading, phones and the keyboard."""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.html.browser import Browser
from tests.html.conftest import PINDUODUO, export_page
from tests.utils import MINI, run_cli
from wizard.core.engine import run_answers
from wizard.core.hours import describe, for_outcome
from wizard.render.html import embed_json, page_policy
from wizard.render.markdown import render_markdown
from wizard.render.plan import render_text
from wizard.source.load import load_tree

PARCEL = {"role": "consumer", "problem": "logistics", "tried": ["courier", "app_chat"]}
NIGHT = "2026-03-03T22:30:00+08:00"


def pick(browser: Browser, *ids: str) -> None:
    """Tick exactly `ids` on the question shown (clicking), then Continue."""
    browser.run(
        "const want = new Set(arguments[0]);"
        "for (const i of document.querySelectorAll('form.question input[name=answer]'))"
        "  if (i.checked !== want.has(i.value) && (want.has(i.value) || i.type === 'checkbox')) i.click();"
        "document.getElementById('continue').click();",
        list(ids),
    )


def question(browser: Browser) -> str | None:
    found: str | None = browser.run("const f = document.querySelector('form.question'); return f && f.dataset.question")
    return found


def ticked(browser: Browser) -> list[str]:
    found: list[str] = browser.run(
        "return [...document.querySelectorAll('form.question input:checked')].map(i => i.value)"
    )
    return found


def review(browser: Browser) -> list[tuple[str, Any]]:
    rows = browser.run(
        "return [...document.querySelectorAll('.review .row')].map(r => [r.dataset.question, r.dataset.answer])"
    )
    return [(q, json.loads(a)) for q, a in rows]


def click(browser: Browser, element_id: str) -> None:
    browser.driver.find_element("id", element_id).click()


def no_sideways_scroll(browser: Browser) -> None:
    width, inner = browser.run("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, (width, inner)


# --- The file ------------------------------------------------------------------------------------


def test_the_shipped_page_is_one_file_under_250_kb_that_names_nothing_outside(pinduoduo_page: Path) -> None:
    data = pinduoduo_page.read_bytes()
    assert len(data) <= 250 * 1024, len(data)
    text = data.decode("utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    assert policy, "no CSP meta tag"
    rules = dict(part.strip().split(" ", 1) for part in policy.group(1).replace("&#x27;", "'").split(";"))
    assert rules["default-src"] == "'none'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", rules["script-src"])
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", rules["style-src"])
    assert rules["base-uri"] == rules["form-action"] == "'none'"
    # No attribute names anything to load: only the SVG namespaces mention a web address.
    assert not re.search(r"\s(?:src|href|srcset|action|poster|data)=", text)
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {"http://www.w3.org/2000/svg"}
    assert text.count("<script") == 2 and text.count("<style") == 1


def test_the_policy_allows_exactly_the_pages_own_style_and_script(pinduoduo_page: Path) -> None:
    text = pinduoduo_page.read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", text, flags=re.S)
    script = re.search(r"<script>(.*?)</script>", text, flags=re.S)
    assert style and script
    policy = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', text).group(1))  # type: ignore[union-attr]
    assert policy == page_policy(style.group(1), script.group(1))
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy


def test_the_script_inserts_text_only_and_cannot_end_its_element() -> None:
    """Tree text reaches the page through `textContent` (the `el` helper): no API that parses HTML is used."""
    assets = Path(__file__).resolve().parents[2] / "wizard" / "render" / "html" / "assets"
    for name in ("engine.js", "hours.js", "plan.js", "page.js", "page.css"):
        source = (assets / name).read_text(encoding="utf-8")
        parsing = r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|DOMParser"
        assert not re.search(parsing, source), name
        assert not re.search(r"</(script|style)", source, flags=re.I), name  # it is put inside one


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!--<script>",
        "a\u2028b\u2029c",
        "&lt; & >",
        "\x1b\u202e\x9b",
        "</SCRIPT >",
    ],
)
def test_embedded_json_cannot_close_its_script_and_reads_back_the_same(text: str) -> None:
    embedded = embed_json({"text": text, text: [text]})
    assert not re.search(r"[<>&\u2028\u2029\x1b\u202e\x9b]", embedded)
    assert json.loads(embedded) == {"text": text, text: [text]}


def test_a_format_from_the_suffix_and_no_path_to_draw(tmp_path: Path) -> None:
    assert run_cli("export", "--tree", str(MINI), "-o", str(tmp_path / "mini.html")).status == 0
    assert (tmp_path / "mini.html").read_bytes().startswith(b"<!DOCTYPE html>")
    refused = run_cli("export", "--tree", str(MINI), "--format", "html", "--answer", "role=buyer")
    assert refused.status == 2
    assert "drop --highlight/--answer" in refused.stderr


def test_without_graphviz_the_page_is_refused_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("export", "--tree", str(MINI), "--format", "html", "-o", str(tmp_path / "mini.html"))
    assert result.status == 2
    assert "Graphviz 'dot' is not installed" in result.stderr
    assert not (tmp_path / "mini.html").exists()


# --- Opened from disk ----------------------------------------------------------------------------


def test_from_file_it_runs_with_no_error_and_no_request(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    fresh.drain()
    fresh.driver.refresh()
    fresh.walk([PARCEL])
    click(fresh, "view-diagram")
    click(fresh, "zoom")
    click(fresh, "view-questions")
    assert fresh.console() == []
    assert fresh.requests() == [pinduoduo_page.resolve().as_uri()]  # the page itself, then nothing


def test_the_language_is_the_browsers_then_the_one_chosen_across_a_reload(fresh: Browser, pinduoduo_page: Path) -> None:
    driver = fresh.driver
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "Object.defineProperty(Navigator.prototype, 'language', {get() { return 'zh-CN'; }});"},
    )
    try:
        fresh.open(pinduoduo_page)
        assert fresh.run("return document.documentElement.lang") == "zh"
        assert fresh.run("return document.getElementById('continue').textContent") == "继续"
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    fresh.open(pinduoduo_page)  # this browser says en-US
    assert fresh.run("return document.documentElement.lang") == "en"
    driver.find_element("css selector", '#langs [data-lang="zh"]').click()
    assert fresh.run("return document.getElementById('focus').textContent") == "你是买家还是商家？"
    driver.refresh()
    assert fresh.run("return [document.documentElement.lang, localStorage.getItem('pdd-wizard:lang')]") == ["zh", "zh"]
    assert fresh.run("return document.querySelector('#langs [aria-pressed=true]').dataset.lang") == "zh"


def test_without_local_storage_the_page_still_works(fresh: Browser, pinduoduo_page: Path) -> None:
    """Some browsers refuse storage to file:// pages: the choice then lasts until the page is closed."""
    driver = fresh.driver
    fresh.open(pinduoduo_page, lang="en")
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "Object.defineProperty(window, 'localStorage', "
            "{get() { throw new DOMException('denied', 'SecurityError'); }});"
        },
    )
    try:
        driver.refresh()
        driver.find_element("css selector", '#langs [data-lang="zh"]').click()
        assert fresh.run("return document.documentElement.lang") == "zh"
        assert fresh.walk([PARCEL])[0]["outcome"] == "hotline_95187"
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    assert fresh.console() == []


# --- The walk ------------------------------------------------------------------------------------


def test_back_returns_to_the_last_question_with_its_answer_picked(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    assert fresh.driver.find_elements("id", "back") == []  # none at the first question
    pick(fresh, "consumer")
    pick(fresh, "logistics")
    assert question(fresh) == "tried"
    click(fresh, "back")
    assert question(fresh) == "problem"
    assert ticked(fresh) == ["logistics"]
    click(fresh, "back")
    assert (question(fresh), ticked(fresh)) == ("role", ["consumer"])


def test_change_re_routes_keeping_the_answers_that_still_apply(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    for ids in (["consumer"], ["quality"], ["refused"], ["not_close"], ["app_chat", "hotline_95187"]):
        pick(fresh, *ids)
    before = review(fresh)
    assert [q for q, _ in before] == ["role", "problem", "merchant_contact", "deadline", "tried"]
    # Change the problem: a parcel asks neither the merchant nor the deadline; what was tried still applies.
    fresh.driver.find_elements("css selector", ".review .change button")[1].click()
    assert (question(fresh), ticked(fresh)) == ("problem", ["quality"])
    pick(fresh, "logistics")
    assert review(fresh) == [
        ("role", "consumer"),
        ("problem", "logistics"),
        ("tried", ["app_chat", "hotline_95187"]),
    ]
    # Change the role: the merchant's questions are new, so they are asked; nothing of the shopper's is kept.
    fresh.driver.find_elements("css selector", ".review .change button")[0].click()
    pick(fresh, "merchant")
    assert question(fresh) == "merchant_problem"
    assert ticked(fresh) == ["store_management"]  # its default, not a shopper's answer
    while question(fresh):
        pick(fresh, *ticked(fresh))
    assert [q for q, _ in review(fresh)][:2] == ["role", "merchant_problem"]
    # And back to a shopper: the shopper's answers, unreachable a moment ago, were dropped.
    fresh.driver.find_elements("css selector", ".review .change button")[0].click()
    pick(fresh, "consumer")
    assert (question(fresh), ticked(fresh)) == ("problem", ["after_sales"])
    assert fresh.console() == []


def test_start_again_forgets_every_answer(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    fresh.walk([PARCEL])
    click(fresh, "restart")
    assert question(fresh) == "role"
    pick(fresh, "consumer")
    assert ticked(fresh) == ["after_sales"]  # the default, not the answer before


def test_the_focus_moves_to_each_new_question_and_the_step_is_announced(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    pick(fresh, "consumer")
    state = fresh.run(
        "const said = document.getElementById('announce');"
        "return [document.activeElement.id, document.activeElement.closest('legend') !== null,"
        " said.textContent, said.getAttribute('aria-live')]"
    )
    assert state == ["focus", True, "Step 2 of about 5: What is the problem?", "polite"]
    fresh.walk([PARCEL])
    assert fresh.run("return document.activeElement.id") == "focus"
    assert fresh.run("return document.getElementById('announce').textContent").startswith("Plan: ")


def test_keyboard_alone_walks_to_a_plan(fresh: Browser, pinduoduo_page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    fresh.open(pinduoduo_page, lang="en")
    keys = ActionChains(fresh.driver)
    # role: the default (a shopper) is picked; Tab to it, then to Continue, and press Enter.
    keys.send_keys(Keys.TAB, Keys.TAB, Keys.TAB, Keys.TAB, Keys.TAB).perform()  # views, languages, the choice
    assert fresh.run("return document.activeElement.name") == "answer"
    keys.send_keys(Keys.ENTER).perform()  # Enter in a form submits it
    assert question(fresh) == "problem"
    # problem: the arrow keys move the pick among the radio buttons; Space ticks a box.
    ActionChains(fresh.driver).send_keys(Keys.TAB).perform()
    while fresh.run("return document.activeElement.value") != "logistics":
        ActionChains(fresh.driver).send_keys(Keys.ARROW_DOWN).perform()
    ActionChains(fresh.driver).send_keys(Keys.ENTER).perform()
    assert question(fresh) == "tried"
    ActionChains(fresh.driver).send_keys(Keys.TAB, Keys.SPACE, Keys.ENTER).perform()
    assert fresh.run("return document.activeElement.id") == "focus"
    assert fresh.driver.find_elements("css selector", ".review")
    while fresh.run("return document.activeElement.id") != "see-plan":  # past the Change buttons
        ActionChains(fresh.driver).send_keys(Keys.TAB).perform()
    ActionChains(fresh.driver).send_keys(Keys.ENTER).perform()
    plan = fresh.run("return document.getElementById('plan') && document.getElementById('plan').dataset.outcome")
    assert plan == "app_chat"  # a parcel, the courier tried: the in-app chat


def test_choices_are_labelled_controls_and_large_tap_targets(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    pick(fresh, "consumer")
    sizes = fresh.run(
        "return [...document.querySelectorAll('label.choice, button')].filter(e => e.offsetParent)"
        ".map(e => [e.tagName, e.getBoundingClientRect().height, e.getBoundingClientRect().width])"
    )
    assert sizes and all(height >= 44 and width >= 44 for _, height, width in sizes), sizes
    labelled = fresh.run(
        "return [...document.querySelectorAll('input[name=answer]')].every(i => i.labels.length === 1"
        " && i.labels[0].textContent.trim() !== '')"
    )
    assert labelled
    assert fresh.run("return document.querySelector('fieldset legend h2').textContent") == "What is the problem?"


@pytest.mark.parametrize("size", [(360, 640), (1280, 800)])
def test_nothing_scrolls_sideways(fresh: Browser, pinduoduo_page: Path, size: tuple[int, int]) -> None:
    fresh.size(*size)
    fresh.open(pinduoduo_page, lang="zh", now=NIGHT)
    no_sideways_scroll(fresh)
    pick(fresh, "consumer")
    no_sideways_scroll(fresh)
    fresh.walk([PARCEL])
    no_sideways_scroll(fresh)
    click(fresh, "back")
    no_sideways_scroll(fresh)
    click(fresh, "view-diagram")
    no_sideways_scroll(fresh)
    click(fresh, "zoom")  # full size scrolls inside its own box, not the page
    no_sideways_scroll(fresh)


# --- The plan ------------------------------------------------------------------------------------


def test_the_plan_has_every_section_the_terminal_prints(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en", now=NIGHT)
    fresh.walk([PARCEL])
    headings = fresh.run("return [...document.querySelectorAll('#plan h3')].map(h => h.textContent)")
    text = render_text(run_answers(load_tree(PINDUODUO), PARCEL), "en", datetime.fromisoformat(NIGHT))
    printed = [line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == printed
    assert "Right now" in headings


def test_right_now_is_worked_out_in_beijing_time_in_the_page(fresh: Browser, pinduoduo_page: Path) -> None:
    """In Beijing time, with the times also on the reader's clock: the browser's, here London's."""
    tree = load_tree(PINDUODUO)
    found = for_outcome(tree, tree.nodes["hotline_95187"], datetime.fromisoformat(NIGHT))  # type: ignore[arg-type]
    assert found is not None
    with fresh.zone("Europe/London"):
        for lang in ("zh", "en"):
            fresh.open(pinduoduo_page, lang=lang, now=NIGHT)
            fresh.walk([PARCEL])
            lines = fresh.run("return [...document.querySelectorAll('#now li')].map(li => li.textContent)")
            assert lines == describe(found, lang, yours=ZoneInfo("Europe/London"))
            assert "14:30" in lines[0]  # 22:30 in Beijing is 14:30 in London in March


def test_print_shows_the_plan_as_a_checklist_without_the_controls(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en", now=NIGHT)
    fresh.walk([PARCEL])
    fresh.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = fresh.run(
            "const seen = s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'"
            " && e.getClientRects().length);"
            "return {controls: seen('.bar .controls'), actions: seen('#plan .actions'), plan: seen('#plan h2'),"
            " boxes: seen('.checklist li'), step: seen('.step')};"
        )
        assert shown == {"controls": False, "actions": False, "plan": True, "boxes": True, "step": False}
        pdf = fresh.driver.execute_cdp_cmd("Page.printToPDF", {})
        assert pdf["data"]
    finally:
        fresh.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_copy_puts_the_terminals_text_on_the_clipboard(fresh: Browser, pinduoduo_page: Path) -> None:
    """What `run --now` prints for a reader in the browser's zone (Kolkata's): the zone of its time."""
    with fresh.zone("Asia/Kolkata"):
        copied = copy_plan(fresh, pinduoduo_page)
    now = datetime.fromisoformat(NIGHT).astimezone(ZoneInfo("Asia/Kolkata"))
    assert copied == render_text(run_answers(load_tree(PINDUODUO), PARCEL), "zh", now)


def copy_plan(fresh: Browser, pinduoduo_page: Path) -> str:
    """The Chinese plan for PARCEL at NIGHT, copied with the page's button and read from the clipboard."""
    fresh.open(pinduoduo_page, lang="zh", now=NIGHT)
    fresh.driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": "file://"},
    )
    fresh.walk([PARCEL])
    click(fresh, "copy")
    time.sleep(0.2)
    assert fresh.run("return document.getElementById('copy-status').textContent") == "已复制。"
    copied: str = fresh.driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done(String(e)));"
    )
    return copied


def test_download_saves_the_markdown_the_terminal_saves(fresh: Browser, pinduoduo_page: Path, tmp_path: Path) -> None:
    """What `run --save --now` writes for a reader in the browser's zone (New York's): worded for later."""
    with fresh.zone("America/New_York"):
        fresh.open(pinduoduo_page, lang="en", now=NIGHT)
        fresh.driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
        )
        fresh.walk([PARCEL])
        fresh.drain()
        click(fresh, "download")
        target = tmp_path / "pdd-plan-hotline-95187-20260303-2230.md"
        for _ in range(50):
            if target.exists():
                break
            time.sleep(0.1)
        assert fresh.requests() == []  # a download of the page's own text: no request
    now = datetime.fromisoformat(NIGHT).astimezone(ZoneInfo("America/New_York"))
    saved = target.read_text(encoding="utf-8")
    assert saved == render_markdown(run_answers(load_tree(PINDUODUO), PARCEL), "en", now)
    assert "when saved" in saved and "(Your time: it was 09:30; they start on 3 March at 20:00.)" in saved


def test_the_diagram_highlights_the_path_answered_so_far(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    tree = load_tree(PINDUODUO)
    refs = {node_id: f"n{index}" for index, node_id in enumerate(tree.nodes)}
    pick(fresh, "consumer")
    pick(fresh, "logistics")
    pick(fresh, "courier", "app_chat")
    click(fresh, "view-diagram")
    assert fresh.run("return document.getElementById('diagram').hidden") is False
    marked = set(fresh.run("return [...document.querySelectorAll('#diagram .on')].map(e => e.id)"))
    path = ["role", "problem", "tried", "consumer_route", "consumer_ladder", "hotline_95187"]
    nodes = {f"d-en-{refs[n]}" for n in path}
    edges = {f"d-en-{refs[a]}-{refs[b]}" for a, b in itertools.pairwise(path)}
    assert marked == nodes | edges
    assert fresh.run("return document.querySelector('#diagram .here').id") == f"d-en-{refs['hotline_95187']}"
    click(fresh, "view-questions")
    click(fresh, "back")  # from the review back to `tried`: the outcome is no longer on the path
    marked = set(fresh.run("return [...document.querySelectorAll('#diagram .on')].map(e => e.id)"))
    assert f"d-en-{refs['hotline_95187']}" not in marked and f"d-en-{refs['tried']}" in marked


def test_dark_mode_follows_the_system(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en")
    colours = []
    for scheme in ("light", "dark"):
        fresh.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
        )
        colours.append(fresh.run("return getComputedStyle(document.body).backgroundColor"))
    fresh.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert colours == ["rgb(255, 255, 255)", "rgb(11, 17, 32)"]


def test_a_bad_now_in_the_address_is_said_and_the_clock_used(fresh: Browser, pinduoduo_page: Path) -> None:
    fresh.open(pinduoduo_page, lang="en", now="tomorrow")
    assert "not an ISO-8601 time" in fresh.run("return document.querySelector('#wizard .error').textContent")
    assert fresh.walk([PARCEL])[0]["outcome"] == "hotline_95187"


def test_other_trees_pages_work_too(fresh: Browser, tmp_path: Path) -> None:
    page = export_page(MINI, tmp_path / "mini.html", "--cluster")
    fresh.open(page, lang="en")
    tree = load_tree(MINI)
    answers = {q.id: (q.options[0].id if q.kind == "single" else []) for q in tree.questions()}
    result = fresh.walk([answers], "fallback")[0]
    assert result["outcome"] == run_answers(tree, {s["question"]: s["answer"] for s in result["path"]}).outcome.id
    assert fresh.console() == []
