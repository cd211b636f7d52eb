"""Real processes on one case file: two logging to one case at once lose nothing, and a process killed in the
middle of a write loses nothing that was committed and leaves the file sound."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.case.helpers import PYTHON, as_json, case_cli, child_environment, ok, open_story_case

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kills processes with POSIX signals")

#: A child that waits for the start signal (a file), then logs COUNT contacts through the command line.
LOG_BY_CLI = """
import sys, time
from pathlib import Path
from wizard.cli.main import main
db, tag, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.002)
for i in range(count):
    args = ["case", "log", "1", "--db", db, "--channel", "app_chat", "--result", "no_answer", "--said", f"{tag}-{i}"]
    status = main(args)
    if status:
        sys.exit(status)
"""

#: A child that keeps one store open and logs COUNT contacts as fast as it can (COUNT 0: until killed),
#: printing each contact's number once it is committed; with HANG, it stops just before a COMMIT.
LOG_BY_STORE = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from wizard.core.case import Contact
from wizard.source.casefile import open_store
db, tag, count, go, hang = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5] == "hang"
store = open_store(Path(db), create=False)
while not go.exists():
    time.sleep(0.002)
number = 0
while count == 0 or number < count:
    if hang and number == 5:
        real = store._db

        class Stalled:
            def execute(self, sql, *args):
                if sql == "COMMIT":
                    print("inside", flush=True)
                    time.sleep(600)
                return real.execute(sql, *args)

        store._db = Stalled()
    said = f"{tag}-{number}" + "x" * 2000  # a page or more: the write spans several
    contact = Contact(0, "app_chat", datetime.now(timezone.utc), "no_answer", said=said)
    print(store.add_contact(1, contact).id, flush=True)
    number += 1
"""


def start(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(),
    )


def said(db: Path) -> list[str]:
    document = as_json(case_cli(db, "case", "show", "1", "--format", "json"))
    return [contact["said"].rstrip("x") for contact in document["contacts"]]


def sound(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


@pytest.mark.slow
def test_two_processes_logging_to_one_case_at_once_lose_nothing(tmp_path: Path) -> None:
    db, go = tmp_path / "cases.sqlite3", tmp_path / "go"
    open_story_case(db)
    count = 20
    children = [start(LOG_BY_CLI, db, tag, count, go) for tag in ("left", "right")]
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
    logged = said(db)
    assert sorted(logged) == sorted(f"{tag}-{i}" for tag in ("left", "right") for i in range(count))
    sound(db)


@pytest.mark.slow
def test_two_processes_writing_as_fast_as_they_can_lose_nothing(tmp_path: Path) -> None:
    db, go = tmp_path / "cases.sqlite3", tmp_path / "go"
    open_story_case(db)
    count = 150
    children = [start(LOG_BY_STORE, db, tag, count, go, "-") for tag in ("left", "right")]
    go.touch()
    numbers = []
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        numbers += [int(line) for line in out.split()]
    assert len(set(numbers)) == 2 * count  # every commit got its own row
    logged = said(db)
    assert sorted(logged) == sorted(f"{tag}-{i}" for tag in ("left", "right") for i in range(count))


def test_a_process_killed_in_the_middle_of_a_write_loses_nothing_committed(tmp_path: Path) -> None:
    db, go = tmp_path / "cases.sqlite3", tmp_path / "go"
    open_story_case(db)
    go.touch()
    child = start(LOG_BY_STORE, db, "before", 0, go, "hang")
    assert child.stdout is not None
    lines = [child.stdout.readline().strip() for _ in range(6)]
    assert lines[-1] == "inside", lines  # the sixth contact is written, not committed
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert said(db) == [f"before-{i}" for i in range(5)]
    sound(db)
    ok(case_cli(db, "case", "log", "1", "--channel", "hotline_95187", "--result", "refused"))  # its lock died with it
    assert len(said(db)) == 6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_process_killed_at_any_moment_loses_nothing_committed(tmp_path: Path, seed: int) -> None:
    db, go = tmp_path / "cases.sqlite3", tmp_path / "go"
    open_story_case(db)
    go.touch()
    child = start(LOG_BY_STORE, db, "run", 0, go, "-")
    assert child.stdout is not None
    committed = [int(child.stdout.readline()) for _ in range(20)]
    # Somewhere in the next writes: between two, or inside one.
    delay = random.Random(seed).uniform(0, 0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=delay)
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    committed += [int(line) for line in rest.split()]
    document = as_json(case_cli(db, "case", "show", "1", "--format", "json"))
    stored = [contact["id"] for contact in document["contacts"]]
    assert set(committed) <= set(stored)
    assert len(stored) <= len(committed) + 1  # at most the one committed as the signal came, before it said so
    sound(db)
