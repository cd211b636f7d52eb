"""The page routes as the terminal does: every scenario and every path of the shipped tree, and random
trees, walked in Chromium by clicking, reach the outcome, path and escalation step `pdd-wizard run` gives.

The scenarios of `tests/scenarios/` are walked with real WebDriver clicks, one control at a time;
the 655 paths of `pdd-wizard paths --list --as-scenarios` and the random trees with clicks made
inside the page (`walk.js`), in batches, which is the same event on the same controls, faster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html.browser import Browser
from tests.html.conftest import PINDUODUO
from tests.rules.test_validate_properties import trees
from tests.utils import ROOT, run_cli
from wizard.core.engine import Session, run_answers
from wizard.core.model import MultipleChoice, Tree
from wizard.render.html import render_tree
from wizard.render.plan import result_content
from wizard.source.load import load_tree
from wizard.source.scenario import Scenario, load_scenarios

SCENARIO_FILES = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))
SCENARIOS = [scenario for path in SCENARIO_FILES for scenario in load_scenarios(path)]


def clickable(tree: Tree, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the walker clicks them: an option id, or a list of ids for a multiple choice."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        node = tree.nodes.get(key)
        if isinstance(node, MultipleChoice) and isinstance(value, str):
            value = [part.strip() for part in value.split(",")] if value.strip() else []
        out[key] = value
    return out


def terminal(tree_file: Path, answers: dict[str, Any], tmp_path: Path, *extra: str) -> dict[str, Any]:
    """What `pdd-wizard run --format json` prints for the answers (a real run of the command line)."""
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(answers), encoding="utf-8")
    result = run_cli("run", "--tree", str(tree_file), "--answers", str(file), "--format", "json", *extra)
    assert result.status == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def walked(document: dict[str, Any]) -> dict[str, Any]:
    """The part of `run --format json` the page must agree with: outcome, path, escalation step."""
    return {
        "outcome": document["outcome"],
        "path": document["path"],
        "next": document["content"]["escalates_to"],
        "level": document["content"]["level"],
    }


def shown(result: dict[str, Any]) -> dict[str, Any]:
    assert "error" not in result, result
    return {key: result[key] for key in ("outcome", "path", "next", "level")}


def click_walk(browser: Browser, answers: dict[str, Any], defaults: bool) -> dict[str, Any]:
    """Walk the open page with WebDriver clicks: each option that must change, then Continue; the plan's data."""
    from selenium.webdriver.common.by import By

    driver = browser.driver
    restart = driver.find_elements(By.ID, "restart")
    if restart:
        restart[0].click()
    for _ in range(100):
        if driver.find_elements(By.ID, "plan"):
            break
        if driver.find_elements(By.ID, "see-plan"):
            driver.find_element(By.ID, "see-plan").click()
            continue
        form = driver.find_element(By.CSS_SELECTOR, "form.question")
        question = form.get_attribute("data-question")
        inputs = browser.run(
            "return [...document.querySelectorAll('form.question input[name=answer]')]"
            ".map(i => [i, i.value, i.checked])"
        )
        if question in answers:
            want = answers[question]
            wanted = set(want) if isinstance(want, list) else {want}
            assert wanted <= {value for _, value, _ in inputs}, (question, wanted)
            for element, value, checked in inputs:
                # A radio button is picked by clicking it (which drops the one picked before); a box is toggled.
                if checked != (value in wanted) and (value in wanted or not isinstance(want, str)):
                    element.click()
        else:
            assert defaults, f"'{question}' reached but not answered"
        driver.find_element(By.ID, "continue").click()
    result: dict[str, Any] = browser.run(
        "const plan = document.getElementById('plan');"
        "return {outcome: plan.dataset.outcome, next: plan.dataset.next || null, level: Number(plan.dataset.level),"
        " path: [...plan.querySelectorAll('.answers .row')].map(r => ({question: r.dataset.question,"
        " answer: JSON.parse(r.dataset.answer)}))};"
    )
    return result


@pytest.fixture(scope="module")
def shipped() -> Tree:
    return load_tree(PINDUODUO)


def expected_of(tree: Tree, answers: dict[str, Any], lang: str, defaults: bool = False) -> dict[str, Any]:
    """`run --format json`'s document, made by the functions it calls (`run_scripted`), on a tree loaded once."""
    return walked(result_content(run_answers(tree, answers, defaults=defaults), lang))


@pytest.mark.slow
def test_every_scenario_clicked_reaches_what_run_reaches(browser: Browser, pinduoduo_page: Path, shipped: Tree) -> None:
    groups: dict[tuple[str, str | None, bool], list[Scenario]] = {}
    for scenario in SCENARIOS:
        lang = scenario.lang or shipped.languages[0]
        now = scenario.now.isoformat() if scenario.now else None
        groups.setdefault((lang, now, scenario.defaults), []).append(scenario)
    for (lang, now, defaults), scenarios in groups.items():
        browser.open(pinduoduo_page, now=now, lang=lang)
        answers = [clickable(shipped, s.answers) for s in scenarios]
        for scenario, result in zip(
            scenarios, browser.walk(answers, "defaults" if defaults else "strict"), strict=True
        ):
            expected = expected_of(shipped, scenario.answers, lang, defaults)
            assert shown(result) == expected, scenario.name
            assert result["outcome"] == scenario.expect.outcome, scenario.name
    assert browser.console() == []


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS[::9], ids=lambda s: s.name)
def test_scenarios_clicked_by_webdriver_reach_what_the_command_line_prints(
    scenario: Scenario, browser: Browser, pinduoduo_page: Path, shipped: Tree, tmp_path: Path
) -> None:
    """Some scenarios with WebDriver's own clicks, one control at a time, against the real `run --format json`."""
    lang = scenario.lang or shipped.languages[0]
    browser.open(pinduoduo_page, now=scenario.now.isoformat() if scenario.now else None, lang=lang)
    extra = ["--lang", lang, *(["--defaults"] if scenario.defaults else [])]
    expected = walked(terminal(PINDUODUO, scenario.answers, tmp_path, *extra))
    assert click_walk(browser, clickable(shipped, scenario.answers), scenario.defaults) == expected


def listed_paths() -> list[dict[str, Any]]:
    """Every path `pdd-wizard paths --list --as-scenarios` writes for the shipped tree."""
    result = run_cli("paths", "--tree", str(PINDUODUO), "--list", "--as-scenarios", "--limit", "100000")
    assert result.status == 0, result.stderr
    scenarios: list[dict[str, Any]] = yaml.safe_load(result.stdout)["scenarios"]
    return scenarios


@pytest.mark.slow
def test_every_listed_path_clicked_reaches_what_run_reaches(
    browser: Browser, pinduoduo_page: Path, shipped: Tree
) -> None:
    paths = listed_paths()
    assert len(paths) > 600
    browser.open(pinduoduo_page, lang="en")
    answers = [clickable(shipped, path["answers"]) for path in paths]
    results = [r for start in range(0, len(answers), 100) for r in browser.walk(answers[start : start + 100])]
    for path, result in zip(paths, results, strict=True):
        assert shown(result) == expected_of(shipped, path["answers"], "en"), path["name"]
        assert result["outcome"] == path["expect"]["outcome"]
        assert result["asked"] == path["expect"]["asked"]
    assert browser.console() == []


def test_run_json_and_its_functions_agree(shipped: Tree, tmp_path: Path) -> None:
    """The page is compared with `result_content(run_answers(...))` (`expected_of`): that is what `run` prints."""
    for path in listed_paths()[::97]:
        document = terminal(PINDUODUO, path["answers"], tmp_path, "--lang", "en")
        assert walked(document) == expected_of(shipped, path["answers"], "en")


@st.composite
def random_walks(draw: st.DrawFn) -> tuple[Tree, list[dict[str, Any]]]:
    """A random valid tree of the validator's property tests, and a few random answers for all its questions."""
    tree, _ = draw(trees(valid=True))
    walks = []
    for _ in range(4):
        answers: dict[str, Any] = {}
        for question in tree.questions():
            ids = [o.id for o in question.options]
            if isinstance(question, MultipleChoice):
                answers[question.id] = draw(st.lists(st.sampled_from(ids), unique=True))
            else:
                answers[question.id] = draw(st.sampled_from(ids))
        walks.append(answers)
    return tree, walks


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=random_walks())
def test_random_trees_clicked_reach_what_the_engine_reaches(
    case: tuple[Tree, list[dict[str, Any]]], browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tree, walks = case
    page = tmp_path_factory.mktemp("random") / "tree.html"
    page.write_bytes(render_tree(tree, lang="en"))
    browser.open(page, lang="en")
    for result in browser.walk(walks, "fallback"):
        if "error" in result:  # a question with no option offered: the terminal stops there too
            assert "no option is offered" in result["error"], result
            stopped = Session(tree)
            for question in result["asked"]:
                while stopped.question.id != question:  # a multiple choice with nothing offered, answered empty
                    assert stopped.options() == ()
                    stopped.answer([])
                if question != result["asked"][-1]:
                    stopped.answer(result["took"][question])
            assert stopped.options() == ()
            continue
        # The answers the page took (an option not offered was replaced), walked by the engine.
        answers = {step["question"]: step["answer"] for step in result["path"]}
        assert shown(result) == expected_of(tree, answers, "en")
    assert browser.console() == []
