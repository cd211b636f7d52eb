"""Benchmark: time from starting `pdd-wizard run` in a pseudo-terminal to its first question on screen.

The floor is `python -c "import questionary, rich.console, yaml, msgspec"` run to its end
in the same kind of pseudo-terminal: the imports no interactive run can avoid, the model's
library included (msgspec, when the installed package has it). Floor and wizard take turns;
the target is on the median of the ratios, round by round:

    first question / import floor <= 1.20x

    python benchmarks/bench_startup.py [--runs 15] [--quick] [--venv DIR] [--tree pinduoduo] [--lang en]

Exit status 1 when the target is missed, 2 when it could not be measured. If it is missed,
look at `python -X importtime -m wizard run --tree ...` in a terminal: the start-up path
must not import networkx, rich.markdown or the validator.
"""

from __future__ import annotations

import json
import sys
import time

import harness
import pexpect

TARGET = 1.20


def environ() -> dict[str, str]:
    """A terminal as a user's: no cursor-position request (a pty answers none), colours on, UTF-8."""
    env = {k: v for k, v in harness.child_environment().items() if k not in ("NO_COLOR", "COLUMNS", "LC_ALL", "LANG")}
    env.update({"PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8"})
    return env


def spawn(argv: list[str]) -> pexpect.spawn:
    return pexpect.spawn(
        argv[0], argv[1:], env=environ(), cwd=str(harness.CACHE), dimensions=(40, 100), encoding="utf-8", timeout=30
    )


def time_to_question(argv: list[str], question: str) -> float:
    """Seconds from spawn to `question` appearing on the terminal; then the wizard is cancelled."""
    started = time.perf_counter()
    child = spawn(argv)
    try:
        child.expect_exact(question)
    except (pexpect.EOF, pexpect.TIMEOUT):
        harness.fail(f"{' '.join(argv)} never asked {question!r}; it wrote:\n{child.before}")
    elapsed = time.perf_counter() - started
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def time_to_exit(argv: list[str]) -> float:
    """Seconds from spawn to exit, in the same kind of pseudo-terminal."""
    started = time.perf_counter()
    child = spawn(argv)
    child.expect(pexpect.EOF)
    elapsed = time.perf_counter() - started
    child.close()
    if child.exitstatus != 0:
        harness.fail(f"the floor failed: {' '.join(argv)}:\n{child.before}")
    return elapsed


def first_question(env: harness.Installed, tree: str, lang: str) -> str:
    """The start node's text, from the public JSON export (its label is the question in that language)."""
    done = harness.run([env.wizard, "export", "--tree", tree, "--format", "json", "--lang", lang])
    if done.status != 0:
        harness.fail(f"pdd-wizard export --tree {tree} exited {done.status}:\n{done.output}")
    graph = json.loads(done.output)
    label = next(node["label"] for node in graph["nodes"] if node["id"] == graph["start"])
    return str(label).splitlines()[0][:40]  # a start of it, in case the terminal wraps a long one


def main() -> int:
    parser = harness.arguments(__doc__, runs=15)
    parser.add_argument("--tree", default="pinduoduo")
    parser.add_argument("--lang", choices=("zh", "en"), default="en")
    args = parser.parse_args()
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    question = first_question(env, args.tree, args.lang)
    modules = ["questionary", "rich.console", "yaml"] + (["msgspec"] if env.has("msgspec") else [])
    floor = [str(env.python), "-c", f"import {', '.join(modules)}"]
    wizard = [str(env.wizard), "run", "--tree", args.tree, "--lang", args.lang]
    floors, wizards = harness.rounds([lambda: time_to_exit(floor), lambda: time_to_question(wizard, question)], runs)
    harness.print_median(f"floor: import {', '.join(modules)}", floors)
    harness.print_median("pdd-wizard run: first question on screen", wizards)
    verdicts = harness.Verdicts()
    verdicts.ratio("first question / import floor", harness.ratio(floors, wizards), TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
