"""The case file: a real SQLite file in a temporary folder, its settings, its mode, its migrations, and the
files it refuses (exit status 2, one line, left byte for byte as they were)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.case.helpers import as_json, case_cli, digest, ok, open_story_case
from tests.utils import run_cli
from wizard.core.case import Contact
from wizard.core.errors import CaseFileError
from wizard.source import casefile
from wizard.source.casefile import APPLICATION_ID, MIGRATIONS, open_store

BEIJING = timezone(timedelta(hours=8))


def store_with_case(tmp_path: Path) -> Path:
    """A case file with the story's case and one contact (so each table's first page is in use)."""
    db = tmp_path / "cases.sqlite3"
    open_story_case(db)
    ok(case_cli(db, "case", "log", "1", "--channel", "app_chat", "--result", "no_answer", "--at", "2026-12-01 10:00"))
    return db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_is_sqlite_in_wal_with_foreign_keys_a_busy_timeout_and_a_version(tmp_path: Path) -> None:
    db = store_with_case(tmp_path)
    store = open_store(db, create=False)
    assert store is not None
    with store:
        connection = store._db
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == casefile.BUSY_SECONDS * 1000
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_file_and_its_journal_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    open_story_case(db)
    assert mode(db) == 0o600
    store = open_store(db, create=False)
    assert store is not None
    with store:  # while it is open, the WAL and its index exist
        store.add_contact(1, contact())
        for suffix in ("-wal", "-shm"):
            assert mode(db.with_name(db.name + suffix)) == 0o600, suffix


def test_the_default_file_is_in_the_data_folder_which_only_its_owner_can_enter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = run_cli(
        "case", "new", "--title", "t", "--answer", "role=merchant", "--defaults", "--format", "json", environ={}
    )
    assert result.status == 0, result.stderr
    db = tmp_path / "data" / "pdd-wizard" / "cases.sqlite3"
    assert db.is_file() and mode(db) == 0o600
    assert mode(db.parent) == 0o700


def test_db_flag_and_environment_variable_choose_the_file(tmp_path: Path) -> None:
    by_env, by_flag = tmp_path / "env.db", tmp_path / "flag.db"
    open_story_case(by_env)
    assert as_json(case_cli(by_env, "case", "list", "--format", "json"))["cases"][0]["case"] == 1
    ok(case_cli(by_env, "case", "list", "--db", str(by_flag)))
    assert not by_flag.exists()  # reading makes no file
    result = case_cli(by_env, "case", "show", "1", "--db", str(by_flag))
    assert result.status == 2 and "no such case" in result.stderr


def contact(at: datetime | None = None) -> Contact:
    return Contact(
        id=0,
        channel="app_chat",
        channel_title={"zh": "找应用内的官方客服", "en": "Use the in-app official customer service"},
        at=at or datetime(2026, 12, 1, 10, 0, tzinfo=BEIJING),
        result="no_answer",
    )


def test_times_are_stored_with_their_zone(tmp_path: Path) -> None:
    db = store_with_case(tmp_path)
    berlin = datetime(2026, 12, 1, 3, 0, tzinfo=timezone(timedelta(hours=1)))
    store = open_store(db, create=False)
    assert store is not None
    with store:
        added = store.add_contact(1, contact(berlin))
        (read,) = [c for c in store.case(1).contacts if c.id == added.id]
    assert read.at == berlin and read.at.utcoffset() == timedelta(hours=1)
    with sqlite3.connect(db) as raw:
        assert (
            raw.execute("SELECT at FROM contacts WHERE id = ?", (added.id,)).fetchone()[0]
            == "2026-12-01T03:00:00+01:00"
        )
        assert raw.execute("SELECT opened, deadline FROM cases").fetchone() == (
            "2026-12-01T09:00:00+08:00",
            "2026-12-20",
        )


def test_deleting_a_case_deletes_its_contacts(tmp_path: Path) -> None:
    db = store_with_case(tmp_path)
    ok(case_cli(db, "case", "log", "1", "--channel", "app_chat", "--result", "refused"))
    ok(case_cli(db, "case", "delete", "1", "--yes"))
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
        assert raw.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    with sqlite3.connect(db) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute(
            "INSERT INTO contacts (case_id, channel, channel_title, at, result) VALUES (7, 'x', '{}', 'x', 'solved')"
        )


def test_a_migration_copies_the_file_aside_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = store_with_case(tmp_path)
    before = digest(db)
    monkeypatch.setattr(casefile, "MIGRATIONS", (*MIGRATIONS, ("ALTER TABLE cases ADD COLUMN note TEXT",)))
    assert "Refund refused" in ok(case_cli(db, "case", "list"))
    (copy,) = tmp_path.glob("cases.sqlite3.v1-*.bak")
    assert mode(copy) == 0o600
    with sqlite3.connect(copy) as old, sqlite3.connect(db) as new:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT title FROM cases").fetchall() == [("Refund refused",)]
        assert new.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "note" in [row[1] for row in new.execute("PRAGMA table_info(cases)")]
    assert digest(db) != before


def test_an_empty_file_becomes_a_case_file(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    db.touch(mode=0o600)
    open_story_case(db)
    assert ok(case_cli(db, "case", "list")).startswith("1 ")


# --- Files refused: one line, exit status 2, nothing written ----------------------------------------


def not_sqlite(db: Path) -> None:
    db.write_text("order,agent\n240512-0001,1234\n", encoding="utf-8")


def damaged_schema(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's tree, past the header: the schema
    db.write_bytes(bytes(data))


def damaged_page(db: Path) -> None:
    """The contacts' page: a command that writes checks the whole file first, one that reads meets it."""
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    data[size * 2 : size * 2 + 64] = b"\x0d" + b"\xff" * 63  # a table's page: a leaf header that cannot be
    db.write_bytes(bytes(data))


def newer(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 6}")
    raw.close()


def another_programs(db: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE bookmarks (url TEXT)")
    raw.close()


def another_application(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA application_id = 1234")
    raw.close()


def truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:50])


REFUSED = [
    (not_sqlite, "not an SQLite database"),
    (truncated, "not an SQLite database"),
    (damaged_schema, "damaged"),
    (damaged_page, "damaged"),
    (newer, "made by a newer pdd-wizard (case file version 7; this one reads up to 1)"),
    (another_programs, "an SQLite database of another program"),
    (another_application, "an SQLite database of another program"),
]
COMMANDS = [
    ("case", "list"),
    ("case", "show", "1"),
    ("case", "next", "1"),
    ("case", "log", "1", "--channel", "app_chat", "--result", "refused"),
    ("case", "new", "--title", "t", "--answer", "role=merchant", "--defaults"),
    ("case", "close", "1", "--solved"),
    ("case", "delete", "1", "--yes"),
    ("case", "export", "1", "--format", "md"),
    ("run", "--case", "1"),
]


@pytest.mark.parametrize(("spoil", "says"), REFUSED, ids=[spoil.__name__ for spoil, _ in REFUSED])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_case_file_is_refused_and_left_as_it_is(
    tmp_path: Path, spoil: object, says: str, command: tuple[str, ...]
) -> None:
    db = store_with_case(tmp_path)
    spoil(db)  # type: ignore[operator]
    before = digest(db)
    result = case_cli(db, *command)
    assert result.status == 2, result.stdout + result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"pdd-wizard: {db}: ") and says in line, line
    assert "Traceback" not in result.stderr
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.sqlite3"]  # no journal, no copy left


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = case_cli(tmp_path, "case", "list")
    assert result.status == 2 and "not a file" in result.stderr
    result = case_cli(tmp_path / "no" / "cases.db", *COMMANDS[4])
    assert result.status == 2 and "no such folder" in result.stderr


def test_a_damaged_row_is_refused_without_showing_its_data(tmp_path: Path) -> None:
    db = store_with_case(tmp_path)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE cases SET opened = 'yesterday', answers = '{\"role\": 3}'")
    raw.close()
    result = case_cli(db, "case", "show", "1")
    assert result.status == 2
    assert "case 1 is damaged" in result.stderr and "240512" not in result.stderr


def test_the_store_refuses_with_a_case_file_error(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    not_sqlite(db)
    with pytest.raises(CaseFileError, match="not an SQLite database"):
        open_store(db, create=True)
