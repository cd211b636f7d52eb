"""JUnit reports hold no raw control: every text through `visible`, and the file always parses as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.hostile.case import RAW_CONTROL
from tests.utils import MINI, run_cli
from wizard.core.errors import Problem
from wizard.core.model import Location
from wizard.render.junit import broken_report, write_report

#: ESC (an OSC 52 clipboard write), NUL, a C1 control (NEL), DEL, U+202E, an isolate, a lone CR.
HOSTILE = "q\x1b]52;c;aGk=\x07 \x00 \x85 \x7f \u202e \u2066 cr\rend"
SHOWN = "q\\x1b]52;c;aGk=\\x07 \\x00 \\x85 \\x7f \\u202e \\u2066 cr\\x0dend"


def _written(report: ET.Element, tmp_path: Path) -> tuple[str, ET.Element]:
    path = tmp_path / "report.xml"
    write_report(report, path)
    text = path.read_text(encoding="utf-8")
    return text, ET.parse(path).getroot()


def test_a_broken_report_shows_stand_ins(tmp_path: Path) -> None:
    problem = Problem(Location(f"f{HOSTILE}.yaml", 3, 4), f"scenario '{HOSTILE}': broken")
    text, root = _written(broken_report([problem]), tmp_path)
    assert not RAW_CONTROL.search(text)
    case = next(root.iter("testcase"))
    assert case.get("name") == f"f{SHOWN}.yaml"
    error = next(root.iter("error"))
    assert error.get("message") == f"f{SHOWN}.yaml:3:4: scenario '{SHOWN}': broken"
    assert error.text == error.get("message")


def test_a_name_from_the_command_line_that_is_not_utf8(tmp_path: Path) -> None:
    """A lone surrogate (a file name byte that was not UTF-8) cannot be XML: shown as its escape."""
    _, root = _written(broken_report([Problem(Location("a\udcff.yaml"), "no such file")]), tmp_path)
    assert next(root.iter("testcase")).get("name") == "a\\udcff.yaml"


def test_a_run_report_of_a_scenario_named_with_controls(tmp_path: Path) -> None:
    """A real run: the scenario's name from the file is shown, not obeyed, in the name attribute."""
    (tmp_path / "t.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    name = '"bad \\e]52;c;aGk=\\a \\0 \\x85 \\u202e"'
    scenario = f"tree: t.yaml\nscenarios:\n  - name: {name}\n    answers: {{role: seller}}\n"
    scenario += "    expect: {outcome: use_chat}\n"
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    out = tmp_path / "out.xml"
    result = run_cli("test", str(tmp_path / "s.yaml"), "--format", "json", "--junit-xml", str(out))
    assert result.status == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert not RAW_CONTROL.search(text)
    names = [case.get("name") for case in ET.parse(out).iter("testcase")]
    assert "bad \\x1b]52;c;aGk=\\x07 \\x00 \\x85 \\u202e" in names
