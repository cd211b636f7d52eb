"""Helpers of the case tests: the CLI against one case file, the story's case opened, files compared."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from tests.utils import ROOT, Result, run_cli

#: The answers of the story's case: a refund the merchant refused, the deadline not close.
STORY_ANSWERS = (
    "--answer",
    "role=consumer",
    "--answer",
    "problem=after_sales",
    "--answer",
    "merchant_contact=refused",
    "--answer",
    "deadline=not_close",
    "--answer",
    "tried=",
)
ORDER = "240512-0001"


def case_cli(db: Path, *args: str, tz: str = "Asia/Shanghai", tty: bool = False, **environ: str) -> Result:
    """`pdd-wizard ARGS` in-process, with the case file `db` (through PDD_WIZARD_DB) and the zone `tz`."""
    return run_cli(*args, environ={"PDD_WIZARD_DB": str(db), "TZ": tz, **environ}, tty=tty)


def ok(result: Result) -> str:
    assert result.status == 0, result.stderr
    return result.stdout


def as_json(result: Result) -> Any:
    return json.loads(ok(result))


def open_story_case(
    db: Path, *, lang: str = "en", deadline: str = "2026-12-20", answers: tuple[str, ...] = STORY_ANSWERS
) -> int:
    """Open the story's case (a refused refund, order 240512-0001); its number."""
    document = as_json(
        case_cli(
            db,
            "case",
            "new",
            "--title",
            "Refund refused" if lang == "en" else "退款被拒",
            *answers,
            "--order-number",
            ORDER,
            "--deadline",
            deadline,
            "--now",
            "2026-12-01T09:00+08:00",
            "--lang",
            lang,
            "--format",
            "json",
        )
    )
    return int(document["id"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child_environment() -> dict[str, str]:
    """The environment of a child `python -m wizard`: this checkout first on the path."""
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [environ.get("PYTHONPATH")])])
    environ.pop("WIZARD_DEBUG", None)
    return environ


PYTHON = sys.executable
