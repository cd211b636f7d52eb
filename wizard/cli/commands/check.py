"""`pdd-wizard check`: run the graph validator on trees; report as text, JSON or GitHub annotations."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from wizard.core.errors import ExitStatus, LoadError, Problem, UsageError, shown_problems
from wizard.render.text import json_document, one_line
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from wizard.rules import Finding, Limits, Report

HELP = "check trees for unsound graphs (unreachable nodes, dead ends, cycles, ...)"
DESCRIPTION = """\
Check decision trees with the graph validator: structure (missing or unreachable
nodes, dead ends, cycles), routing (route defaults, conditions that read the wrong
thing, branches and options never taken), text (translations, empty text, control
characters) and warnings (choices that change nothing, paths deeper than --max-depth,
lines longer than --line-budget). With no TREE, checks every shipped tree.

Exit status: 0 when clean, 1 when a check found an error (or a warning, with
--strict), 2 when a tree could not be read (the others are still checked).

examples:
  pdd-wizard check
  pdd-wizard check trees/pinduoduo.yaml --strict
  pdd-wizard check --format github my-tree.yaml    # annotations in a GitHub Actions log"""

#: Replaced by the table of check codes when the help is shown (importing the validator only then).
_CODES_MARK = "\x00check-codes\x00"
#: The defaults, as `wizard.rules` states them (a test keeps these equal).
DEFAULT_MAX_DEPTH = 25
DEFAULT_LINE_BUDGET = 240


class _HelpWithCodes(argparse.RawDescriptionHelpFormatter):
    """Shows the table of check codes in `check --help` without importing the validator to build the parser."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if _CODES_MARK in text:
            from wizard.rules import codes_table

            text = text.replace(_CODES_MARK, "check codes (E: error, W: warning):\n" + codes_table())
        return super()._fill_text(text, width, indent)


def _count(value: str) -> int:
    from wizard.source.load import MAX_NUMBER_DIGITS

    if len(value.strip().lstrip("+-")) > MAX_NUMBER_DIGITS and value.strip().lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of at most {MAX_NUMBER_DIGITS:,} digits")
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = _HelpWithCodes
    parser.epilog = _CODES_MARK + ("\n\n" + parser.epilog if parser.epilog else "")
    parser.add_argument(
        "trees",
        nargs="*",
        metavar="TREE",
        help="a shipped tree's name or a path to a YAML file (default: every shipped tree)",
    )
    parser.add_argument(
        "--tree",
        dest="more_trees",
        action="append",
        default=[],
        metavar="TREE",
        help="a tree, as the other commands name it (may be repeated; added to the TREE arguments)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people (default), json for programs, github for GitHub Actions annotations",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument(
        "--max-depth",
        type=_count,
        metavar="N",
        help=f"warn (W403) about a path asking more than N questions (default: {DEFAULT_MAX_DEPTH})",
    )
    parser.add_argument(
        "--line-budget",
        type=_count,
        metavar="N",
        help=f"warn (W404) about a line of text longer than N characters (default: {DEFAULT_LINE_BUDGET})",
    )
    parser.add_argument("--list-codes", action="store_true", help="print the table of check codes and exit")


class Unreadable(Struct):
    """A tree the loader refused: its file and problems (reported as E100).

    Attributes:
        file: The file as named in messages.
        problems: What the loader found.
    """

    file: str
    problems: list[Problem]


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.rules import CODES, Limits, codes_table, gc_paused
    from wizard.source.load import shipped_trees

    if args.list_codes:
        ignored = [*args.trees, *args.more_trees] + ["--strict"] * args.strict
        limit_flags = {"--max-depth": args.max_depth, "--line-budget": args.line_budget}
        ignored += [flag for flag, value in limit_flags.items() if value is not None]
        if ignored:
            raise UsageError(f"--list-codes prints the codes and checks nothing: leave out {', '.join(ignored)}")
        if args.format == "github":
            raise UsageError("--list-codes prints a table (text or json); GitHub annotations are for findings")
        if args.format == "json":
            env.stdout.write(json_document({"codes": [{"code": c, "message": m} for c, m in CODES.items()]}))
        else:
            env.stdout.write(codes_table() + "\n")
        return int(ExitStatus.OK)
    specs = [*args.trees, *args.more_trees] or list(shipped_trees())
    if not specs:
        raise UsageError("no shipped trees found; name a tree file to check")
    limits = Limits(
        max_depth=DEFAULT_MAX_DEPTH if args.max_depth is None else args.max_depth,
        line_budget=DEFAULT_LINE_BUDGET if args.line_budget is None else args.line_budget,
    )
    render = {"text": _render_text, "json": _render_json, "github": _render_github}[args.format]
    # perf: benchmarks/bench_check.py — rendered inside the pause and the trees let go before the
    # collector resumes, so it does not walk a 100,000-node tree on the way out (0.45 s of 4.3 s).
    with gc_paused():
        results = [_check_one(spec, limits) for spec in specs]
        output = render(results)
        unreadable = any(isinstance(r, Unreadable) for r in results)
        reports = [r for r in results if not isinstance(r, Unreadable)]
        errors = any(r.errors for r in reports)
        warnings = any(r.warnings for r in reports)
        del results, reports
    env.stdout.write(output)
    env.stdout.flush()
    if unreadable:
        return int(ExitStatus.BAD_INPUT)
    if errors or (args.strict and warnings):
        return int(ExitStatus.PROBLEMS)
    return int(ExitStatus.OK)


def _check_one(spec: str, limits: Limits) -> Report | Unreadable:
    """The report on one tree, or what made it unreadable."""
    from wizard.rules import check_tree
    from wizard.source.load import build_tree, read_document, resolve_tree

    display = spec
    try:
        path, display = resolve_tree(spec)
        tree = build_tree(read_document(path, display=display))  # as read_tree; the document goes
    except LoadError as exc:
        return Unreadable(display, exc.problems)
    return check_tree(tree, limits)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _size(report: Report) -> str:
    return f"{_plural(report.nodes, 'node')}, {_plural(report.edges, 'edge')}, {_plural(report.outcomes, 'outcome')}"


def _problem_where(problem: Problem, file: str) -> str:
    return str(problem.location) if problem.location is not None else file


def _render_text(results: list[Report | Unreadable]) -> str:
    """Per tree its findings, one line each (`file:line:col: CODE message`), then a summary line.

    File names, ids and keys in the lines come from the trees and the arguments: each line goes
    through `wizard.render.text.one_line`, so no escape sequence, bidi override or line feed in
    them reaches the terminal raw or splits a line.
    """
    lines: list[str] = []
    errors = warnings = unreadable = 0
    for result in results:
        if isinstance(result, Unreadable):
            unreadable += 1
            errors += len(result.problems)  # each an E100 error, counted as the JSON's totals count them
            shown, more = shown_problems(result.problems)
            for problem in shown:
                lines.append(f"{_problem_where(problem, result.file)}: E100 {problem.message}")
            if more:
                lines.append(f"{result.file}: {more}")
            lines.append(f"{result.file}: cannot be read ({_plural(len(result.problems), 'problem')})")
            continue
        errors += result.errors
        warnings += result.warnings
        file = result.tree.source.file
        for finding in result.findings:
            lines.append(f"{finding.loc}: {finding.code} {finding.message}")
        if result.findings:
            counts = f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
            lines.append(f"{file}: {counts} ({_size(result)})")
        else:
            lines.append(f"{file}: ok ({_size(result)})")
    summary = f"{_plural(len(results), 'tree')} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if unreadable:
        summary += f", {unreadable} could not be read"
    lines.append(summary)
    return "".join(one_line(line) + "\n" for line in lines)


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "node": finding.node,
        "file": finding.loc.file,
        "line": finding.loc.line or None,
        "column": finding.loc.column or None,
    }


def _render_json(results: list[Report | Unreadable]) -> str:
    """One object: every tree with its findings, and the totals."""
    trees: list[dict[str, Any]] = []
    for result in results:
        if isinstance(result, Unreadable):
            trees.append(
                {
                    "tree": None,
                    "file": result.file,
                    "readable": False,
                    "nodes": None,
                    "edges": None,
                    "outcomes": None,
                    "findings": [
                        {
                            "code": "E100",
                            "severity": "error",
                            "message": problem.message,
                            "node": None,
                            **problem.place(result.file),
                        }
                        for problem in result.problems
                    ],
                }
            )
            continue
        trees.append(
            {
                "tree": result.tree.id,
                "file": result.tree.source.file,
                "readable": True,
                "nodes": result.nodes,
                "edges": result.edges,
                "outcomes": result.outcomes,
                "findings": [_finding_json(f) for f in result.findings],
            }
        )
    reports = [r for r in results if not isinstance(r, Unreadable)]
    document = {
        "trees": trees,
        "errors": sum(r.errors for r in reports) + sum(len(r.problems) for r in results if isinstance(r, Unreadable)),
        "warnings": sum(r.warnings for r in reports),
        "unreadable": len(results) - len(reports),
    }
    return json_document(document)


def _render_github(results: list[Report | Unreadable]) -> str:
    """GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding, then the summary."""
    from wizard.render.github import annotation

    lines: list[str] = []
    for result in results:
        if isinstance(result, Unreadable):
            for problem in shown_problems(result.problems)[0]:  # the summary line says how many in all
                where = problem.location
                file = where.file if where is not None else result.file
                line, column = (where.line, where.column) if where is not None else (0, 0)
                lines.append(annotation("error", file, line, column, "E100", problem.message))
            continue
        for finding in result.findings:
            loc = finding.loc
            lines.append(annotation(finding.severity, loc.file, loc.line, loc.column, finding.code, finding.message))
    lines.append(_render_text(results).splitlines()[-1])
    return "\n".join(lines) + "\n"
