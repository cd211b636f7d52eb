"""Running a scenario: the engine's walk, and the plan's text, compared with what the scenario expects."""

from __future__ import annotations

import time
from collections.abc import Callable

from wizard.core.engine import Session, run_answers
from wizard.core.errors import AnswerError, LoadError, UnansweredError
from wizard.core.model import Tree
from wizard.render.plan import render_text
from wizard.source.answers import locate_answer_error
from wizard.source.scenario import Scenario, ScenarioResult, tree_problems

__all__ = ["run_scenario"]


def run_scenario(scenario: Scenario, get_tree: Callable[[str], Tree]) -> ScenarioResult:
    """Run one scenario through the engine (the same walk as `run --answers`) and compare.

    Args:
        scenario: The scenario.
        get_tree: Loads a tree by name or path (a cache, so that a suite loads each tree once).

    Raises:
        LoadError: The scenario's tree cannot be loaded, or the scenario names what the tree
            does not have (`tree_problems`).
    """
    tree = get_tree(scenario.tree)
    problems = tree_problems(scenario, tree)
    if problems:
        raise LoadError(problems)
    started = time.perf_counter()
    session, failures = _walk(scenario, tree)
    outcome = session.outcome.id if session is not None else None
    return ScenarioResult(scenario, session, outcome, tuple(failures), time.perf_counter() - started)


def _walk(scenario: Scenario, tree: Tree) -> tuple[Session | None, list[str]]:
    """The walk (None when it stopped) and what did not match; `tree_problems` found nothing."""
    try:
        session = run_answers(tree, scenario.answers, defaults=scenario.defaults)
    except UnansweredError as exc:
        default = tree.question(exc.question).default
        hint = "" if default is None else " (or set 'defaults: true' to take its default)"
        valid = ", ".join(exc.valid) or "(none offered)"
        return None, [f"question '{exc.question}' reached but not answered{hint}; valid options: {valid}"]
    except AnswerError as exc:  # located at the answer's value, as `run --answers` locates it
        return None, locate_answer_error(exc, scenario.answers).lines()
    expect = scenario.expect
    failures = []
    outcome = session.outcome.id
    if outcome != expect.outcome:
        failures.append(f"expected outcome '{expect.outcome}', got '{outcome}'")
    asked = tuple(step.question for step in session.steps)
    if expect.asked is not None and asked != expect.asked:
        failures.append(f"expected questions {list(expect.asked)}, asked {list(asked)}")
    if expect.contains:
        lang = scenario.lang or tree.languages[0]
        text = render_text(session, lang, scenario.now)
        for needle in expect.contains:
            if needle not in text:
                failures.append(f"outcome text ({lang}) does not contain {needle!r}")
    return session, failures
