"""The hostile-input table (issue 15): every row of `tests/hostile/cases_*.py` as one test.

A new case is one row in one of those modules: see `tests/hostile/case.py` for what a row says
and what every row must hold whatever it says.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.hostile.case import Case, run_case

CASES: list[Case] = []
for module in sorted(Path(__file__).parent.glob("cases_*.py")):
    CASES += importlib.import_module(f"tests.hostile.{module.stem}").CASES


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)
