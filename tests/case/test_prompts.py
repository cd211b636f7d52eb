"""The questions of an interactive case, typed into a pipe: what `track_case` asks and stores, and a contact's
fields asked only where no flag gave them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.case.helpers import ORDER
from tests.utils import ROOT
from wizard.core.engine import run_answers
from wizard.source.environment import Environment
from wizard.source.load import load_tree
from wizard.tui.case_prompts import CasePrompter, track_case

ENTER, DOWN, SPACE, CLEAR = "\r", "\x1b[B", " ", "\x15"  # Ctrl-U clears the line
TREE = load_tree(ROOT / "trees" / "pinduoduo.yaml")


@contextlib.contextmanager
def typing(keys: str) -> Iterator[CasePrompter]:
    """A prompter reading `keys` from a pipe, as if typed."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        yield CasePrompter("en", pipe, DummyOutput())


def test_track_case_asks_the_details_and_stores_the_case(tmp_path: Path) -> None:
    session = run_answers(TREE, {"role": "consumer", "problem": "quality", "merchant_contact": "not_yet", "tried": []})
    env = Environment(environ={"PDD_WIZARD_DB": str(tmp_path / "cases.db")})
    with typing(f"Broken kettle{ENTER}{ORDER}{ENTER}2026-13-01{ENTER}{CLEAR}2026-12-20{ENTER}") as prompter:
        case = track_case(session, "en", env, tree_spec="pinduoduo", prompter=prompter)
    assert (case.id, case.title, case.order_number, str(case.deadline)) == (1, "Broken kettle", ORDER, "2026-12-20")
    assert case.answers == {"role": "consumer", "problem": "quality", "merchant_contact": "not_yet", "tried": []}
    assert (tmp_path / "cases.db").stat().st_mode & 0o777 == 0o600


def test_only_the_fields_no_flag_gave_are_asked() -> None:
    given = {
        "channel": "hotline_95187",
        "at": None,
        "agent": "7",
        "said": None,
        "result": None,
        "promise": None,
        "promised_by": None,
        "evidence": None,
    }
    asked: list[str] = []

    def evidence(channel: str) -> list[str]:
        asked.append(channel)
        return ["the order number", "a screenshot"]

    keys = (
        f"{ENTER}"  # at: now
        f"called twice{ENTER}"
        f"{DOWN * 3}{ENTER}"  # promised
        f"a callback{ENTER}"
        f"tomorrow{ENTER}{CLEAR}2026-12-05 18:00{ENTER}"  # a time it cannot read is asked again
        f"{DOWN}{SPACE}{ENTER}"
        f"/tmp/shot.png{ENTER}"
    )
    with typing(keys) as prompter:
        fields = prompter.contact(
            given,
            channels=[],
            default_channel=None,
            results=("solved", "refused", "no_answer", "promised"),
            evidence=evidence,
            valid_time=lambda text: text.startswith("2026"),
        )
    assert fields == {
        "channel": "hotline_95187",
        "at": "",
        "agent": "7",
        "said": "called twice",
        "result": "promised",
        "promise": "a callback",
        "promised_by": "2026-12-05 18:00",
        "evidence": ["2=/tmp/shot.png"],
    }
    assert asked == ["hotline_95187"]


def test_ctrl_d_at_a_question_is_ctrl_c() -> None:
    with typing("\x04") as prompter, pytest.raises(KeyboardInterrupt):
        prompter.text("Title?")
