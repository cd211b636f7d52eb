"""JUnit XML reports of a scenario run, for CI systems that display them; written atomically.

The shape is the common one (as pytest writes it)::

    <testsuites name="pdd-wizard test" tests="N" failures="F" errors="E" time="S">
      <testsuite name="tests/scenarios/pinduoduo.yaml" tests=... failures=... errors="0" skipped="0" time=...>
        <testcase classname="tests/scenarios/pinduoduo.yaml" name="parcel stuck" file=... line=... time=...>
          <failure message="expected outcome 'a', got 'b'" type="ScenarioFailure">every reason</failure>
        </testcase>
      </testsuite>
      <testsuite name="coverage">  <!-- one testcase per tree; a failure when below --min-coverage -->
    </testsuites>

A run that stops on a broken scenario file or tree has a report of `error` elements instead,
one test case per file, so that the CI's report shows why nothing ran.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from wizard.core.coverage import Coverage, format_percent
from wizard.core.errors import Problem
from wizard.render.text import SURROGATE, visible
from wizard.source.scenario import ScenarioResult

__all__ = ["broken_report", "results_report", "write_report"]

SUITES_NAME = "pdd-wizard test"

# What XML 1.0 cannot hold that `visible` leaves: lone surrogates (a file name from the command
# line may carry them) and U+FFFE, U+FFFF. `visible` has made every `UNSAFE` character plain.
_NOT_XML = re.compile(f"{SURROGATE.pattern}|[\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text a report can hold, as every output shows it: `wizard.render.text.visible` (ESC as
    ``\\x1b``, NUL as ``\\x00``, U+202E as ``\\u202e``), then what XML forbids besides as ``\\udc80``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text))


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    attrib = {key: _clean(value) for key, value in attributes.items()}
    element = ET.Element(tag, attrib) if parent is None else ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = _clean(text)
    return element


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _count(suite: ET.Element, tests: int, failures: int, errors: int, seconds: float) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", _seconds(seconds))


def results_report(
    results: Sequence[ScenarioResult], coverage: Mapping[str, Coverage], minimum: float | None
) -> ET.Element:
    """The report of a run: a suite per scenario file, then a `coverage` suite with a test case per tree.

    Args:
        results: Every scenario's result, in run order.
        coverage: Coverage by tree name.
        minimum: `--min-coverage`, or None (the coverage test cases then always pass).
    """
    root = _element(None, "testsuites", name=SUITES_NAME)
    by_file: dict[str, list[ScenarioResult]] = {}
    for result in results:
        by_file.setdefault(result.scenario.loc.file, []).append(result)
    tests = failures = 0
    total_time = 0.0
    for file, file_results in by_file.items():
        suite = _element(root, "testsuite", name=file)
        failed = 0
        for result in file_results:
            loc = result.scenario.loc
            case = _element(
                suite,
                "testcase",
                classname=file,
                name=result.scenario.name,
                file=file,
                line=str(loc.line),
                time=_seconds(result.seconds),
            )
            if not result.passed:
                failed += 1
                _element(
                    case,
                    "failure",
                    "\n".join(result.failures),
                    message=result.failures[0],
                    type="ScenarioFailure",
                )
        seconds = sum(r.seconds for r in file_results)
        _count(suite, len(file_results), failed, 0, seconds)
        tests, failures, total_time = tests + len(file_results), failures + failed, total_time + seconds
    if coverage:
        suite = _element(root, "testsuite", name="coverage")
        below = 0
        for name, found in coverage.items():
            title = f"coverage of {name}" if minimum is None else f"coverage of {name} >= {minimum:g}%"
            case = _element(suite, "testcase", classname="coverage", name=title, file=found.tree.source.file)
            summary = _coverage_lines(found)
            _element(case, "system-out", "\n".join(summary))
            if minimum is not None and not found.meets(minimum):
                below += 1
                message = f"{name} coverage {format_percent(found.lowest)} is below the minimum of {minimum:g}%"
                _element(case, "failure", "\n".join(summary), message=message, type="CoverageBelowMinimum")
        _count(suite, len(coverage), below, 0, 0.0)
        tests, failures = tests + len(coverage), failures + below
    _count(root, tests, failures, 0, total_time)
    root.attrib.pop("skipped")
    return root


def _coverage_lines(found: Coverage) -> list[str]:
    """A tree's coverage in words: the three figures, then each unreached item with its location."""
    return [found.figures()] + [f"unreached {kind}: {item.label} ({item.loc})" for kind, item in found.unreached()]


def broken_report(problems: Sequence[Problem]) -> ET.Element:
    """The report of a run that stopped on broken input: a test case per file, with an `error`."""
    root = _element(None, "testsuites", name=SUITES_NAME)
    suite = _element(root, "testsuite", name="scenario files")
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.location.file if problem.location else "pdd-wizard", []).append(problem)
    for file, file_problems in by_file.items():
        case = _element(suite, "testcase", classname="scenario files", name=file, file=file)
        lines = [str(p) for p in file_problems]
        _element(case, "error", "\n".join(lines), message=lines[0], type="LoadError")
    _count(suite, len(by_file), 0, len(by_file), 0.0)
    _count(root, len(by_file), 0, len(by_file), 0.0)
    root.attrib.pop("skipped")
    return root


def write_report(report: ET.Element, path: str | Path) -> None:
    """Write a report whole or not at all (`wizard.source.save.write_file`), making its folder if need be.

    Raises:
        SaveError: The folder cannot be made or written to.
    """
    from wizard.source.save import write_file

    ET.indent(report)
    write_file(path, ET.tostring(report, encoding="utf-8", xml_declaration=True) + b"\n", make_folders=True)
