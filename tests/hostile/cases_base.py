"""Rows of the hostile-input table that earlier issues made hold: broken trees, answers, streams."""

from __future__ import annotations

from tests.hostile.case import Case

CASES = [
    Case("check a raw ESC byte", ("check", "t.yaml"), 2, r"t\.yaml: E100", files={"t.yaml": "a\x1b[31m: 1\n"}),
    Case("run with closed stdin and no answers", ("run",), 2, "answers"),
    Case("answers file that is not YAML", ("run", "--answers", "a.yaml"), 2, r"a\.yaml", files={"a.yaml": "[: :"}),
    Case("check a file that does not exist", ("check", "missing.yaml"), 2, "missing.yaml"),
]
