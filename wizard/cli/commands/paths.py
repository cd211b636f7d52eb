"""`pdd-wizard paths`: count the paths from the start to each outcome; list them, or write them as scenarios."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.cli.commands import add_tree_option
from wizard.core.errors import ExitStatus, ProblemsFound, UsageError
from wizard.render.text import cell_width, json_document, one_line
from wizard.source.environment import Environment

if TYPE_CHECKING:
    from wizard.core.model import Tree
    from wizard.rules import PathCount, WalkedPath

HELP = "count the paths from the start to each outcome (and list them, or write them as scenarios)"
DESCRIPTION = """\
Count the paths through a tree: the exact number from the start to an outcome, and
per outcome. A path is one sequence of answers: a single choice's answer is one of
the options offered on the way, a multiple choice's is any subset of the options
offered (none included), so a multiple choice with k options offered counts 2^k
ways. The count is computed over the graph, never by listing, so it is exact and
immediate even for 10^100 paths. A count of more than 4,300 digits (Python's limit
for turning a number into text) is printed in scientific form, "about 1.23e+4304",
and in --format json it is that string rather than a number.

--list prints the paths themselves, as answers, in the order the walk finds them (up
to --limit); --as-scenarios prints them as a scenario file for `pdd-wizard test`, to
start a suite from. A scenario file larger than `test` reads (1 MiB of YAML) is not
written: the command says which --limit fits and exits 2. -o FILE writes the
output to FILE in one step (never half-written).

examples:
  pdd-wizard paths
  pdd-wizard paths --tree my-tree.yaml --format json
  pdd-wizard paths --list --limit 20
  pdd-wizard paths --list --as-scenarios --limit 0 -o tests/scenarios/all-paths.yaml"""

#: How many paths `--list` shows unless told otherwise.
DEFAULT_LIMIT = 100
#: Most digits a count is written with in full: Python's own limit for turning a number into text.
EXACT_DIGITS = 4300
_EXACT_BELOW = 10**EXACT_DIGITS


def count_text(number: int) -> str:
    """A count in decimal, or, past `EXACT_DIGITS` digits, in scientific form: `about 1.23e+4304`.

    The mantissa comes from the number's leading bits, so no digit string is ever built.
    """
    if number < _EXACT_BELOW:
        return str(number)
    return f"about {_scientific(number)}"


def _scientific(number: int) -> str:
    import math

    shift = max(0, number.bit_length() - 64)
    logarithm = math.log10(number >> shift) + shift * math.log10(2)
    exponent = math.floor(logarithm)
    mantissa = 10 ** (logarithm - exponent)
    if round(mantissa, 2) >= 10:  # 9.999 rounds up to the next power of ten
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.2f}e+{exponent}"


def _count_json(number: int) -> int | str:
    """A count for a JSON document: the number itself, or past `EXACT_DIGITS` digits its scientific form."""
    return number if number < _EXACT_BELOW else _scientific(number)


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (no limit) or more, got {number}")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_tree_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--list", action="store_true", help="also list the paths, as answers")
    parser.add_argument(
        "--limit",
        type=_limit,
        metavar="N",
        help=f"list at most N paths (default: {DEFAULT_LIMIT}; 0 lists every one)",
    )
    parser.add_argument(
        "--as-scenarios",
        action="store_true",
        help="write the listed paths as a scenario file (YAML: tree, scenarios with answers and expect)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")


def main(args: argparse.Namespace, env: Environment) -> int:
    from wizard.rules import TreeCycle, count_paths, gc_paused, iter_paths, refuse_broken
    from wizard.source.load import read_tree, resolve_tree

    listing = args.list or args.as_scenarios
    if args.limit is not None and not listing:
        raise UsageError("--limit goes with --list or --as-scenarios: it limits the paths listed")
    if args.as_scenarios and args.format == "json":
        raise UsageError("--as-scenarios writes a scenario file, which is YAML; leave out --format json")
    limit = DEFAULT_LIMIT if args.limit is None else args.limit
    with gc_paused():
        path, display = resolve_tree(args.tree)
        tree = read_tree(path, display=display)
        refuse_broken(tree)
        try:
            counted = count_paths(tree)
            listed = list(_first(iter_paths(tree), limit)) if listing and not args.as_scenarios else None
            if args.as_scenarios:
                listed = _scenario_paths(iter_paths(tree), limit)
        except TreeCycle as exc:  # one line on stderr; a program asking for JSON gets a document saying so
            if args.format == "json" and not args.output:
                env.stdout.write(
                    json_document(
                        {
                            "tree": tree.id,
                            "file": tree.source.file,
                            "total": None,
                            "exact": False,
                            "outcomes": {},
                            "cycle": str(exc),
                        }
                    )
                )
            raise ProblemsFound(f"{display}: {exc}; see `pdd-wizard check`") from None
    left = counted.total - len(listed) if listed is not None and counted.exact else 0
    if args.as_scenarios:
        assert listed is not None
        text = _scenarios_text(tree, _tree_reference(args.tree, path, args.output), counted, listed)
        _refuse_unreadable(text, len(listed))
    elif args.format == "json":
        text = _json_text(tree, counted, listed, left)
    else:
        text = _plain_text(tree, counted, listed, left)
    if args.output:
        from wizard.source.save import write_file

        write_file(args.output, text, inputs=[path])  # never the tree itself
    else:
        env.stdout.write(text)
        env.stdout.flush()
    if listed is not None and left > 0 and (args.as_scenarios or args.output):
        print(
            f"pdd-wizard: {len(listed)} of {count_text(counted.total)} paths written; raise --limit for the rest",
            file=env.stderr,
        )
    return int(ExitStatus.OK)


def _first(paths: Any, limit: int) -> Any:
    for number, walked in enumerate(paths):
        if limit and number >= limit:
            return
        yield walked


def _scenario_paths(paths: Any, limit: int) -> list[WalkedPath]:
    """The paths to write as scenarios: up to `limit`, and no more once their names alone pass the
    size `test` reads (the file would be refused anyway), so --limit 0 stays bounded."""
    from wizard.source.load import MAX_YAML_BYTES

    listed, size = [], 0
    for walked in _first(paths, limit):
        listed.append(walked)
        size += len(answers_text(walked.answers)) + len(walked.outcome)
        if size > MAX_YAML_BYTES:
            break
    return listed


def _refuse_unreadable(text: str, count: int) -> None:
    """Refuse a scenario file larger than `pdd-wizard test` reads a YAML file, rather than write it."""
    from wizard.source.load import MAX_YAML_BYTES

    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        fit = max(1, count * MAX_YAML_BYTES // size)
        raise UsageError(
            f"--as-scenarios: {count:,} paths make more than {MAX_YAML_BYTES:,} bytes of YAML, the most "
            f"`pdd-wizard test` reads; nothing written: give --limit of about {fit:,} or less"
        )


def answers_text(answers: dict[str, str | list[str]]) -> str:
    """Answers as `--answer` flags would give them: `role=consumer tried=courier,app_chat` (`tried=` for none)."""
    return " ".join(f"{q}={a if isinstance(a, str) else ','.join(a)}" for q, a in answers.items())


def _shown_answers(answers: dict[str, str | list[str]]) -> str:
    """`answers_text` safe for a terminal: ids from the tree go out through `one_line`."""
    return one_line(answers_text(answers))


def _plain_text(tree: Tree, counted: PathCount, listed: list[WalkedPath] | None, left: int) -> str:
    reached = sum(1 for n in counted.by_outcome.values() if n)
    outcomes = len(counted.by_outcome)
    to = (
        f"{outcomes} outcome{'s' if outcomes != 1 else ''}"
        if reached == outcomes
        else f"{reached} of {outcomes} outcomes"
    )
    how_many = f"{count_text(counted.total)} path{'s' if counted.total != 1 else ''}"
    if not counted.exact:
        how_many = f"at most {how_many} (too many answer combinations to follow the conditions)"
    lines = [f"{one_line(tree.source.file)}: {how_many} to {to}"]
    shown = {one_line(outcome): paths for outcome, paths in counted.by_outcome.items()}
    width = max((cell_width(o) for o in shown), default=7)
    lines.append(f"  {'outcome':<{width}}  paths")
    for outcome, paths in shown.items():
        lines.append(f"  {outcome}{' ' * (width - cell_width(outcome))}  {count_text(paths)}")
    if listed is not None:
        lines.append("")
        for walked in listed:
            lines.append(f"{_shown_answers(walked.answers)} → {one_line(walked.outcome)}")
        if left > 0:
            total, rest = count_text(counted.total), count_text(left)
            lines.append(f"({len(listed)} of {total} paths listed; {rest} not listed: raise --limit)")
    return "\n".join(lines) + "\n"


def _json_text(tree: Tree, counted: PathCount, listed: list[WalkedPath] | None, left: int) -> str:
    document: dict[str, Any] = {
        "tree": tree.id,
        "file": tree.source.file,
        "total": _count_json(counted.total),
        "exact": counted.exact,
        "outcomes": {outcome: _count_json(paths) for outcome, paths in counted.by_outcome.items()},
    }
    if listed is not None:
        document["paths"] = [{"answers": w.answers, "outcome": w.outcome} for w in listed]
        document["not_listed"] = _count_json(left)
    return json_document(document)


def _tree_reference(spec: str, path: Path, output: str | None) -> str:
    """How the scenario file names its tree: a shipped name as is, a path relative to the file written.

    On standard output the file's place is unknown, and `test` reads a tree's path relative to
    the scenario file: the path is absolute then, right wherever the output is saved on this machine.
    """
    from wizard.source.load import shipped_trees

    if "/" not in spec and not spec.endswith((".yaml", ".yml", ".json")) and spec in shipped_trees():
        return spec
    if output in (None, "-"):
        return str(path.resolve())
    return os.path.relpath(path.resolve(), Path(output).resolve().parent)


def _scenarios_text(tree: Tree, reference: str, counted: PathCount, listed: list[WalkedPath]) -> str:
    """A scenario file (see `wizard.source.scenario`): each path with the outcome it reaches and the questions asked."""
    from wizard.source.scenario import dump_scenarios

    scenarios = [
        {
            "name": f"{answers_text(w.answers) or '(no questions)'} → {w.outcome}",
            "answers": w.answers,
            "expect": {"outcome": w.outcome, "asked": list(w.answers)},
        }
        for w in listed
    ]
    body = dump_scenarios(reference, scenarios)
    total = count_text(counted.total)
    shown = f"{len(listed)} of {total}" if len(listed) < counted.total else f"all {total}"
    file = one_line(tree.source.file)
    head = f"# {shown} paths through {file}, written by `pdd-wizard paths --list --as-scenarios`.\n"
    return head + body
