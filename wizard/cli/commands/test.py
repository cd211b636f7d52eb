"""`pdd-wizard test`: run scenario files through the engine, report each result and the trees' coverage."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.core.errors import ExitStatus
from wizard.render.text import cell_width, json_document, one_line, output_width
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from collections.abc import Sequence
    from fractions import Fraction

    from wizard.core.coverage import Coverage, Item
    from wizard.core.errors import Problem
    from wizard.core.model import Tree
    from wizard.source.scenario import Scenario, ScenarioResult

HELP = "run scenario files and report tree coverage"
DESCRIPTION = """\
Run every scenario of the scenario files given (files, or folders searched for *.yaml and
*.yml; default: tests/scenarios/) through the same walk as `run --answers`, and compare what
each reaches with what it expects. Prints a table of the results, then the coverage of each
tree by all the scenarios together:

  nodes    the nodes visited (questions, routes, ladders, outcomes)
  edges    the ways taken out of a node (an option, a route's branch, a ladder's rung)
  options  the options chosen; an option of a multiple choice counts when at least one
           scenario chose it

with every unreached item listed by id and file:line. A tree's coverage figure is the
lowest of the three percentages, and --min-coverage checks that figure: with
--min-coverage 100 every node, edge and option must be reached.

A scenario file (YAML):

  tree: pinduoduo          # a tree's name or a path relative to this file; a name means
                           # the trees/NAME.yaml of the nearest folder above this file that
                           # has one (a repository's own), else the installed tree
  scenarios:
    - name: parcel stuck, nothing tried
      answers: {role: consumer, problem: logistics, tried: []}
      defaults: false      # optional: unanswered questions take their default
      lang: en             # optional: the language `contains` reads
      now: 2026-11-12T10:00+08:00   # optional: the clock
      expect:
        outcome: contact_courier
        asked: [role, problem, tried]   # optional: the questions asked, in order
        contains: [tracking number]     # optional: text the plan must contain

A scenario fails (exit 1) when it reaches another outcome, asks other questions, lacks a
text, or its walk stops on an invalid or missing answer (such a walk counts for no
coverage; a walk to the wrong outcome still does). A broken file is bad input (exit 2),
reported with its file:line:col, and then no scenario runs: a file that is not YAML, has
the wrong shape or an unknown field, holds no scenario, or names what its tree does not
have (an expected outcome or asked question, a lang, an answered question); so is a tree
that cannot be loaded.

examples:
  pdd-wizard test
  pdd-wizard test tests/scenarios --min-coverage 100 --junit-xml test-results.xml
  pdd-wizard test my-scenarios.yaml --format json
  pdd-wizard test --format github       # annotations on a pull request, in GitHub Actions"""

DEFAULT_PATH = "tests/scenarios"
#: The narrowest a cut column gets: a terminal narrower still wraps the line rather than lose the id.
MIN_COLUMN = 16


def _percent(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, got {value!r}") from None
    if not 0 <= number <= 100 or math.isnan(number):
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, got {value!r}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"scenario files, or folders searched for *.yaml and *.yml (default: {DEFAULT_PATH}/)",
    )
    parser.add_argument(
        "--min-coverage",
        type=_percent,
        metavar="PCT",
        help="fail (exit 1) when a tree's coverage, the lowest of its node, edge and option percentages, is below PCT",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format: text (default), json for programs, github for GitHub Actions annotations",
    )
    parser.add_argument(
        "--junit-xml",
        metavar="FILE",
        help="also write a JUnit XML report to FILE, for CI systems that display them",
    )


class Suite:
    """A finished run (a plain class: this module is imported whenever the parser is built).

    Attributes:
        results: Every scenario's result, in file order.
        coverage: Coverage by tree name.
        names: The tree name of each scenario, by the scenario's position in `results`.
        minimum: `--min-coverage`, or None.
    """

    def __init__(
        self, results: list[ScenarioResult], coverage: dict[str, Coverage], names: list[str], minimum: float | None
    ) -> None:
        self.results = results
        self.coverage = coverage
        self.names = names
        self.minimum = minimum

    @property
    def failed(self) -> list[ScenarioResult]:
        return [r for r in self.results if not r.passed]

    @property
    def below(self) -> list[str]:
        """Trees whose coverage is below the minimum."""
        if self.minimum is None:
            return []
        minimum = self.minimum
        return [name for name, found in self.coverage.items() if not found.meets(minimum)]


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.core.errors import LoadError, ProblemsFound

    paths = args.paths or [DEFAULT_PATH]
    if args.junit_xml:  # refused before any scenario runs: the report never replaces a scenario file
        _check_junit_target(args.junit_xml, paths)
    try:
        suite = run_suite(paths, args.min_coverage)
    except LoadError as exc:
        if args.junit_xml:
            from wizard.render.junit import broken_report

            _write_junit(broken_report(exc.problems), args.junit_xml)
        if args.format == "json":  # a program reading the output gets a document, saying what is broken
            env.stdout.write(json_document(broken_content(exc.problems, args.min_coverage)))
            env.stdout.flush()
        elif args.format == "github":  # the pull request shows each problem at its line
            env.stdout.write(render_broken_github(exc.problems))
            env.stdout.flush()
        raise
    if args.junit_xml:
        from wizard.render.junit import results_report

        _write_junit(results_report(suite.results, suite.coverage, suite.minimum), args.junit_xml)
    if args.format == "json":
        env.stdout.write(json_document(suite_content(suite)))
    elif args.format == "github":
        env.stdout.write(render_github(suite))
    else:
        env.stdout.write(render_suite(suite, output_width(env)))
    env.stdout.flush()
    if suite.failed or suite.below:
        raise ProblemsFound(_verdict(suite))
    return int(ExitStatus.OK)


def _check_junit_target(path: str, inputs: list[str]) -> None:
    from wizard.source.save import SaveError, check_target
    from wizard.source.scenario import scenario_files

    try:
        check_target(path, make_folders=True, inputs=scenario_files(list(inputs)))
    except SaveError as exc:
        raise SaveError(f"--junit-xml {exc}") from None


def _write_junit(report: Any, path: str) -> None:
    from wizard.render.junit import write_report
    from wizard.source.save import SaveError

    try:
        write_report(report, path)
    except SaveError as exc:
        raise SaveError(f"--junit-xml {exc}") from None


# --- running ---------------------------------------------------------------------------------


class TreeCache:
    """Trees by the file they come from, each loaded once however scenarios name it."""

    def __init__(self) -> None:
        self._by_file: dict[Path, Tree] = {}

    def __call__(self, spec: str) -> Tree:
        """The tree `spec` names (a shipped name or a path), loaded on first use.

        Raises:
            LoadError: The tree cannot be found or is not a valid tree.
        """
        from wizard.rules import refuse_broken
        from wizard.source.load import read_tree, resolve_tree

        path, display = resolve_tree(spec)
        key = path.resolve()
        if key not in self._by_file:
            self._by_file[key] = tree = read_tree(path, display=display)
            refuse_broken(tree)
        return self._by_file[key]


def run_suite(paths: list[str], minimum: float | None = None) -> Suite:
    """Load every scenario under `paths`, load their trees, run them all and measure coverage.

    Nothing runs unless every file is sound: a suite with a broken scenario would pass or
    fail for the wrong reason.

    Raises:
        LoadError: A scenario file or a tree is broken, or a scenario names what its tree does
            not have (every problem of every file, each with its location, file by file), or
            there is no scenario at all.
    """
    from wizard.core.coverage import tree_coverage
    from wizard.core.errors import LoadError, Problem
    from wizard.core.model import Location
    from wizard.render.scenario_run import run_scenario
    from wizard.source.scenario import read_scenarios, scenario_files, tree_problems

    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    empty: list[Location] = []
    trees = _Trees()
    for file in scenario_files(list(paths)):
        try:
            found = read_scenarios(file)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        # Blocks of problems, so that a tree's own problems stay under the scenario that names it.
        blocks = [[problem] for problem in found.problems]
        for scenario in found.scenarios:
            tree = trees.load(scenario, blocks)
            if tree is not None:
                blocks.extend([problem] for problem in tree_problems(scenario, tree))
        blocks.sort(key=lambda block: _position(block[0]))
        problems.extend(problem for block in blocks for problem in block)
        scenarios.extend(found.scenarios)
        if not found.scenarios and not found.problems:
            empty.append(found.loc)
    if problems:
        raise LoadError(problems)
    if not scenarios:
        if empty:
            raise LoadError(
                [Problem(loc, "the file holds no scenario: its 'scenarios' list is empty") for loc in empty]
            )
        raise LoadError(Problem(Location(", ".join(paths)), "no scenarios found (scenario files are *.yaml or *.yml)"))
    results = [run_scenario(scenario, trees.cache) for scenario in scenarios]
    by_spec = trees.by_spec
    names = _tree_names(list(by_spec.values()))
    # Walks that stopped on an invalid answer count for nothing; failed comparisons still walked the tree.
    coverage = {
        names[id(tree)]: tree_coverage(
            tree, [r.session for r in results if r.session is not None and by_spec[r.scenario.tree] is tree]
        )
        for tree in {id(t): t for t in by_spec.values()}.values()
    }
    return Suite(results, coverage, [names[id(by_spec[s.tree])] for s in scenarios], minimum)


def _position(problem: Problem) -> tuple[int, int]:
    """Line and column of a problem, for ordering a file's problems (unknown first)."""
    return (problem.location.line, problem.location.column) if problem.location else (0, 0)


class _Trees:
    """The trees scenarios name, by the name they use; a tree that cannot be loaded is reported once."""

    def __init__(self) -> None:
        self.cache = TreeCache()
        self.by_spec: dict[str, Tree] = {}
        self._failed: set[str] = set()

    def load(self, scenario: Scenario, blocks: list[list[Problem]]) -> Tree | None:
        """The scenario's tree; None, with its problems added to `blocks` the first time, when it cannot be loaded."""
        from wizard.core.errors import LoadError, Problem

        spec = scenario.tree
        if spec in self._failed:
            return None
        if spec not in self.by_spec:
            try:
                self.by_spec[spec] = self.cache(spec)
            except LoadError as exc:
                self._failed.add(spec)
                where = scenario.locations.get("tree", scenario.loc)
                what = f"scenario '{scenario.name}': tree '{spec}' cannot be loaded"
                if len(exc.problems) == 1:  # one line: the reason follows, with its own place if it has one
                    blocks.append([Problem(where, f"{what}: {exc.problems[0]}")])
                else:  # each of the tree's problems on its own line, at its own place
                    count = len(exc.problems)
                    blocks.append([Problem(where, f"{what}, for the {count:,} problems below"), *exc.problems])
                return None
        return self.by_spec[spec]


def _tree_names(trees: list[Tree]) -> dict[int, str]:
    """A report name for each tree: its id, or its file when two trees share an id."""
    distinct = list({id(t): t for t in trees}.values())
    counts: dict[str, int] = {}
    for tree in distinct:
        counts[tree.id] = counts.get(tree.id, 0) + 1
    return {id(t): t.id if counts[t.id] == 1 else f"{t.id} ({t.source.file})" for t in distinct}


# --- reporting -------------------------------------------------------------------------------


def _verdict(suite: Suite) -> str:
    """Why the run failed, in one line (on stderr, under the report)."""
    parts = []
    if suite.failed:
        count = len(suite.failed)
        parts.append(f"{count} scenario{'s' if count != 1 else ''} failed")
    if suite.below:
        from wizard.core.coverage import format_percent

        trees = ", ".join(f"{one_line(name)} {format_percent(suite.coverage[name].lowest)}" for name in suite.below)
        parts.append(f"coverage below the minimum of {suite.minimum:g}%: {trees}")
    return "; ".join(parts)


def summary_line(suite: Suite) -> str:
    """`12 scenarios: 12 passed, 0 failed; coverage pinduoduo 100% (nodes 80/80, ...)`."""
    from wizard.core.coverage import KINDS, format_percent

    total = len(suite.results)
    failed = len(suite.failed)
    line = f"{total} scenario{'s' if total != 1 else ''}: {total - failed} passed, {failed} failed"
    trees = []
    for name, found in suite.coverage.items():
        counts = ", ".join(f"{kind} {found.kinds[kind].reached}/{found.kinds[kind].total}" for kind in KINDS)
        trees.append(f"{one_line(name)} {format_percent(found.lowest)} ({counts})")
    line += "; coverage " + ", ".join(trees)
    if suite.below:
        line += f"; below the minimum of {suite.minimum:g}%: {', '.join(map(one_line, suite.below))}"
    return line


def render_suite(suite: Suite, width: int | None = None) -> str:
    """The text report: results table, failures, coverage per tree, summary line.

    Every name, id and file in it comes from a file, so each goes out through `one_line`.

    Args:
        width: The terminal's columns: long names and ids are cut with … to fit them. None (a
            pipe, a file): nothing is cut, so every scenario and unreached part can be told apart.
    """
    lines = _table(suite.results, width)
    if suite.failed:
        lines += ["", "failures:"]
        for result in suite.failed:
            lines.append(f"  {one_line(result.scenario.name)} ({one_line(str(result.scenario.loc))})")
            lines.extend(f"    {one_line(reason)}" for reason in result.failures)
    ignoring = [result for result in suite.results if result.ignored]
    if ignoring:
        lines += ["", "warnings:"]
        for result in ignoring:
            lines.append(f"  {one_line(result.scenario.name)} ({one_line(str(result.scenario.loc))})")
            lines.extend(
                f"    answer to '{one_line(question)}' ignored: the path never reached that question"
                for question in result.ignored
            )
    for name, found in suite.coverage.items():
        file = found.tree.source.file
        named = name if name.endswith(f"({file})") else f"{name} ({file})"  # two trees of one id carry it already
        lines += ["", f"coverage of {one_line(named)}: {one_line(found.figures())}"]
        unreached = [(kind, one_line(item.label), one_line(str(item.loc))) for kind, item in found.unreached()]
        if unreached:
            label = max(cell_width(shown) for _, shown, _ in unreached)
            if width is not None:  # "  unreached " + kind + "  " + label + "  " + file:line
                room = width - len("  unreached ") - 6 - 4 - max(len(at) for _, _, at in unreached)
                label = min(label, max(MIN_COLUMN, room - 1))
            lines.extend(f"  unreached {kind:<6}  {_fit(shown, label)}  {at}" for kind, shown, at in unreached)
    lines += ["", summary_line(suite)]
    return "\n".join(lines) + "\n"


def render_github(suite: Suite) -> str:
    """GitHub Actions annotations: an error at each failing scenario, a warning at each ignored answer,
    an error at each unreached part of a tree below --min-coverage; then the summary line."""
    from wizard.render.github import annotation

    lines = []
    for result in suite.failed:
        loc = result.scenario.loc
        message = "; ".join(result.failures) or "failed"
        lines.append(annotation("error", loc.file, loc.line, loc.column, result.scenario.name, message))
    for result in suite.results:
        for question in result.ignored:
            loc = result.scenario.locations.get(f"answers.{question}", result.scenario.loc)
            message = f"answer to '{question}' ignored: the path never reached that question"
            lines.append(annotation("warning", loc.file, loc.line, loc.column, result.scenario.name, message))
    for name in suite.below:  # coverage above the minimum is no failure: nothing to annotate
        for kind, item in suite.coverage[name].unreached():
            loc = item.loc
            lines.append(annotation("error", loc.file, loc.line, loc.column, f"unreached {kind}", item.label))
    lines.append(summary_line(suite))
    return "\n".join(lines) + "\n"


def render_broken_github(problems: Sequence[Problem]) -> str:
    """An error annotation at each problem of a scenario file or tree that could not be run."""
    from wizard.render.github import annotation

    lines = []
    for problem in problems:
        where = problem.location
        file, line, column = (where.file, where.line, where.column) if where is not None else ("", 0, 0)
        lines.append(annotation("error", file, line, column, "pdd-wizard test", problem.message))
    return "\n".join(lines) + "\n"


def _table(results: list[ScenarioResult], width: int | None = None) -> list[str]:
    """Scenario, expected, got, result: aligned; cut to fit `width` columns when given (see `render_suite`)."""
    rows = [
        (
            one_line(r.scenario.name),
            one_line(r.scenario.expect.outcome),
            one_line(r.outcome or "-"),
            "ok" if r.passed else "FAIL",
        )
        for r in results
    ]
    header = ("SCENARIO", "EXPECTED", "GOT", "RESULT")
    widest = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(3)]
    if width is not None:
        room = width - 1 - len("RESULT") - 3 * 2  # a column spare: a full line would wrap by itself
        ids = [min(widest[i], max(MIN_COLUMN, room // 4)) for i in (1, 2)]
        widest = [max(MIN_COLUMN, min(widest[0], room - ids[0] - ids[1])), *ids]
    return [
        "  ".join([*(_fit(cell, cells) for cell, cells in zip(row, widest, strict=False)), row[3]]).rstrip()
        for row in [header, *rows]
    ]


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` columns and padded to exactly `width`.

    A cut keeps the start and, after a … , the end: names made from answers and edges
    (`a[x] -> target`) differ most at their ends, which a cut at the end alone would lose.
    """
    text = " ".join(text.split())  # a newline in a name would break the table
    if cell_width(text) > width:
        head_room = (width - 1) // 3
        head = ""
        for ch in text:
            if cell_width(head + ch) > head_room:
                break
            head += ch
        tail = ""
        for ch in reversed(text[len(head) :]):
            if cell_width(head) + 1 + cell_width(ch + tail) > width:
                break
            tail = ch + tail
        text = head + "…" + tail
    return text + " " * (width - cell_width(text))


def suite_content(suite: Suite) -> dict[str, Any]:
    """The JSON document of a run."""
    from wizard.core.coverage import KINDS

    scenarios = []
    for result, tree in zip(suite.results, suite.names, strict=True):
        scenario = result.scenario
        expect = scenario.expect
        scenarios.append(
            {
                "name": scenario.name,
                "file": scenario.loc.file,
                "line": scenario.loc.line,
                "tree": tree,
                "expected": {
                    "outcome": expect.outcome,
                    "asked": None if expect.asked is None else list(expect.asked),
                    "contains": list(expect.contains),
                },
                "got": {
                    "outcome": result.outcome,
                    "asked": None if result.asked is None else list(result.asked),
                },
                "passed": result.passed,
                "failures": list(result.failures),
                "ignored_answers": list(result.ignored),
            }
        )
    coverage = {}
    for name, found in suite.coverage.items():
        coverage[name] = {
            "tree": found.tree.id,
            "file": found.tree.source.file,
            "scenarios": found.walks,
            "totals": {kind: found.kinds[kind].total for kind in KINDS},
            "reached": {kind: found.kinds[kind].reached for kind in KINDS},
            "percent": {
                **{kind: _json_percent(found.kinds[kind].fraction) for kind in KINDS},
                "lowest": _json_percent(found.lowest),
            },
            "meets_minimum": None if suite.minimum is None else name not in suite.below,
            "unreached": {kind: [_item_content(kind, item) for item in found.kinds[kind].unreached] for kind in KINDS},
        }
    failed = len(suite.failed)
    return {
        "scenarios": scenarios,
        "coverage": coverage,
        "summary": {
            "scenarios": len(suite.results),
            "passed": len(suite.results) - failed,
            "failed": failed,
            "min_coverage": suite.minimum,
            "ok": not failed and not suite.below,
        },
        "problems": [],
    }


def broken_content(problems: list[Problem], minimum: float | None) -> dict[str, Any]:
    """The JSON document of a run that could not start: a scenario file or a tree is broken."""
    return {
        "scenarios": [],
        "coverage": {},
        "summary": {"scenarios": 0, "passed": 0, "failed": 0, "min_coverage": minimum, "ok": False},
        "problems": [{**problem.place(), "message": problem.message} for problem in problems],
    }


def _json_percent(fraction: Fraction) -> float:
    """A percentage rounded down to two decimals, so that only complete coverage is 100."""
    return math.floor(fraction * 10000) / 100


def _item_content(kind: str, item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.label, "location": str(item.loc)}
    if isinstance(item.key, tuple):
        first, second = item.key
        if kind == "edges":
            out.update(source=first, key=second, target=item.target)
        else:
            out.update(question=first, option=second)
    return out
