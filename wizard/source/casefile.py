"""The case file: cases and their contacts in an SQLite database, embedded, one file per user.

Where it is: `--db PATH`, else `PDD_WIZARD_DB`, else `cases.sqlite3` in the user's data folder
(`platformdirs`). It holds personal data (order numbers, what agents said), so it is created
readable by its owner only (0600, its folder 0700); SQLite gives its `-wal` and `-shm` files the
same mode.

How it is kept safe:
- WAL journal, `synchronous=FULL`: a crash (of the process or the machine) loses nothing that was
  committed; each change is one transaction, begun `IMMEDIATE` so that two writers queue for the
  lock (a busy timeout of `BUSY_SECONDS`) instead of failing or losing a write.
- Foreign keys on: a contact cannot outlive its case; deleting a case deletes its contacts, and
  `secure_delete` overwrites what was deleted.
- The schema's version is `PRAGMA user_version`, with ordered `MIGRATIONS`; before a migration
  the file is copied aside (`NAME.vN-YYYYmmddTHHMMSS.bak`, 0600), in SQLite's own consistent way.
- A file that is not SQLite, is another program's database, is damaged, or is from a newer
  pdd-wizard is refused with one line (`CaseFileError`, exit status 2) before anything is written
  to it: nothing is ever repaired or replaced silently.

Every value read back is checked by the model (`msgspec.convert` into `wizard.core.case`), as any
file is untrusted.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from wizard.core.case import Case, Contact, Status, new_case
from wizard.core.errors import CaseError, CaseFileError
from wizard.source.load import collector_paused

if TYPE_CHECKING:
    from wizard.core.engine import Session
    from wizard.source.environment import Environment

__all__ = [
    "APPLICATION_ID",
    "BUSY_SECONDS",
    "ENV_VARIABLE",
    "MIGRATIONS",
    "CaseStore",
    "case_file_path",
    "open_case",
    "open_store",
]

#: The environment variable naming the case file.
ENV_VARIABLE = "PDD_WIZARD_DB"
#: The file's name in the user's data folder.
FILE_NAME = "cases.sqlite3"
#: How long a write waits for another process's write to finish.
BUSY_SECONDS = 15.0
#: `PRAGMA application_id` of a pdd-wizard case file ("PDDw"): another program's database is refused.
APPLICATION_ID = int.from_bytes(b"PDDw", "big")
#: What every SQLite file starts with.
_MAGIC = b"SQLite format 3\x00"

#: The schema, one migration per version: MIGRATIONS[0] makes version 1 from an empty file. A new
#: version is one more entry; the file is copied aside before it is applied.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            tree TEXT NOT NULL,
            tree_spec TEXT NOT NULL,
            tree_version TEXT,
            answers TEXT NOT NULL,
            lang TEXT NOT NULL,
            opened TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'solved', 'dropped')),
            order_number TEXT,
            deadline TEXT,
            closed TEXT
        )""",
        """CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            channel_title TEXT NOT NULL,
            at TEXT NOT NULL,
            result TEXT NOT NULL CHECK (result IN ('solved', 'refused', 'no_answer', 'promised')),
            agent_id TEXT,
            said TEXT NOT NULL DEFAULT '',
            promise TEXT,
            promised_by TEXT,
            evidence TEXT NOT NULL DEFAULT '[]',
            logged TEXT
        )""",
        "CREATE INDEX contacts_by_case ON contacts (case_id, id)",
        "CREATE INDEX cases_by_status ON cases (status, id)",
    ),
)

_T = TypeVar("_T")


def case_file_path(env: Environment, given: str | None = None) -> tuple[Path, bool]:
    """The case file, and whether it is the default one (whose folders may be made).

    `given` (`--db`), else `PDD_WIZARD_DB`, else `cases.sqlite3` in the user's data folder.
    """
    if given is not None and given.strip():
        return Path(given), False
    named = env.environ.get(ENV_VARIABLE, "").strip()
    if named:
        return Path(named), False
    import platformdirs

    return platformdirs.user_data_path("pdd-wizard", appauthor=False) / FILE_NAME, True


def open_case(
    env: Environment,
    session: Session,
    *,
    title: str,
    tree_spec: str,
    lang: str,
    order_number: str | None = None,
    deadline: date | None = None,
    db: str | None = None,
) -> Case:
    """Open a case for a finished walk and store it in the case file (made when missing).

    Args:
        env: The clock and `PDD_WIZARD_DB`.
        session: The walk, at its outcome.
        title: A short title.
        tree_spec: How the tree was named: a shipped tree's name or a path (kept to load it again).
        lang: The language of the run.
        order_number: The order's number, if known.
        deadline: The after-sales deadline, if known.
        db: `--db`, when given.

    Returns:
        The case, with its number.

    Raises:
        CaseFileError: The case file cannot be used.
    """
    path, default = case_file_path(env, db)
    case = new_case(
        session,
        title=title,
        tree_spec=tree_spec,
        lang=lang,
        opened=env.clock(),
        order_number=order_number,
        deadline=deadline,
    )
    store = open_store(path, create=True, make_folders=default)
    assert store is not None
    with store:
        return store.add_case(case)


def open_store(path: Path, *, create: bool, make_folders: bool = False) -> CaseStore | None:
    """The case file at `path`, checked and brought to the current schema.

    Args:
        path: The file.
        create: Make it when it does not exist (a command that writes); otherwise a missing file
            gives None (nothing to read yet).
        make_folders: Make its missing folders, readable by the owner only (the default place).

    Raises:
        CaseFileError: The file cannot be used; it is left as it was.
    """
    if not path.exists():
        if not create:
            return None
        _create(path, make_folders)
    _inspect(path)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise CaseFileError(f"{path}: cannot open the case file: {exc}") from None
    store = CaseStore(path, connection)
    try:
        store.prepare()
    except BaseException:
        connection.close()
        raise
    return store


def _create(path: Path, make_folders: bool) -> None:
    """An empty file, 0600, that SQLite then makes a database of (so it never has wider permissions)."""
    if make_folders:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseFileError(f"{path.parent}: cannot make the folder for the case file: {exc.strerror}") from None
    elif not path.parent.is_dir():
        raise CaseFileError(f"{path}: no such folder: {path.parent}; make it first, or give another --db")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another pdd-wizard made it a moment ago
        return
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot create the case file: {exc.strerror}") from None
    os.close(descriptor)


def _inspect(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a case file this pdd-wizard can read.

    The header is read as bytes: the magic string, then `user_version` (offset 60) and
    `application_id` (offset 68). A version in the WAL not yet copied into the file is read
    again, through SQLite, by `CaseStore.prepare`.

    Raises:
        CaseFileError: Not a file, not SQLite, another program's, or from a newer pdd-wizard.
    """
    if not path.is_file():
        raise CaseFileError(f"{path}: not a file; give the case file's path with --db")
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read the case file: {exc.strerror}") from None
    if not header:  # an empty file: made just now, or by the user; nothing in it to lose
        return
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise CaseFileError(f"{path}: not an SQLite database, so not a case file; it was left as it is (see --db)")
    version = int.from_bytes(header[60:64], "big")
    application = int.from_bytes(header[68:72], "big")
    _refuse_version(path, version, application)


def _refuse_version(path: Path, version: int, application: int) -> None:
    """Refuse another program's database (a foreign `application_id`) and a newer schema."""
    if application not in (0, APPLICATION_ID) or (application == 0 and version != 0):
        raise CaseFileError(
            f"{path}: an SQLite database of another program, not a case file; it was left as it is (see --db)"
        )
    if version > len(MIGRATIONS):
        raise CaseFileError(
            f"{path}: made by a newer pdd-wizard (case file version {version}; this one reads up to "
            f"{len(MIGRATIONS)}); upgrade pdd-wizard, or give another --db; the file was left as it is"
        )


class CaseStore:
    """An open case file. Each method is one transaction; errors of SQLite come out as
    `CaseFileError` (one line, exit status 2).

    Attributes:
        path: The file.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._checked = False  # whether the whole file was checked (before the first write)

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    # --- opening --------------------------------------------------------------------------
    def prepare(self) -> None:
        """Check the file through SQLite, set the connection up, and migrate it to the current schema.

        Raises:
            CaseFileError: Damaged, another program's, or newer; nothing was written to it.
        """
        self._guard(self._check)
        self._guard(self._settings)
        self._guard(self._migrate)

    def _check(self) -> None:
        version, application = self._version()
        _refuse_version(self.path, version, application)
        if version == 0 and self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise CaseFileError(
                f"{self.path}: an SQLite database of another program, not a case file; it was left as it is (see --db)"
            )

    def _version(self) -> tuple[int, int]:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        application = int(self._db.execute("PRAGMA application_id").fetchone()[0])
        return version, application

    def _settings(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # a file system without shared memory: still safe, rollback journal
            db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA secure_delete = ON")
        db.execute("PRAGMA cell_size_check = ON")

    def _migrate(self) -> None:
        if self._version()[0] == len(MIGRATIONS):
            return
        with self._write():
            version, application = self._version()  # again, holding the lock: another process may have done it
            _refuse_version(self.path, version, application)
            if version and version < len(MIGRATIONS):
                self._copy_aside(version)
            for number in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[number]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")

    def _copy_aside(self, version: int) -> Path:
        """A consistent copy of the file as it is, beside it, before a migration changes it."""
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        copy = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(descriptor)
        # Read through a connection of its own: this one holds the write lock, and SQLite's backup from
        # a connection inside a transaction would wait for it forever. Readers pass a writer's lock.
        source = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return copy

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction that writes: begun IMMEDIATE (writers queue), committed whole or rolled back.

        Before its first write, a store checks the whole file (`quick_check`): nothing is ever written
        into a damaged file. A command that only reads refuses the file where it meets damage, SQLite
        checking each page it reads (`cell_size_check` too), so that listing many cases does not read
        the whole file twice.
        """
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if not self._checked:
                found = self._db.execute("PRAGMA quick_check(1)").fetchone()
                if found is None or found[0] != "ok":
                    raise _damaged(self.path, str(found[0] if found else "no answer").replace("\n", " "))
                self._checked = True
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _guard(self, action: Callable[[], _T]) -> _T:
        """`action()`, with SQLite's errors told as one line about the file."""
        try:
            return action()
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise CaseFileError(
                    f"{self.path}: the case file is busy: another pdd-wizard has been writing to it for "
                    f"{BUSY_SECONDS:.0f} s; try again"
                ) from None
            if "no such function" in text:
                raise CaseFileError(
                    f"{self.path}: this Python's SQLite has no JSON functions ({text}); SQLite 3.38 or later has them"
                ) from None
            if "malformed JSON" in text:
                raise self._bad_row("a case", "a value is not JSON") from None
            if "readonly" in text or "read-only" in text:
                raise CaseFileError(f"{self.path}: the case file cannot be written (read-only)") from None
            raise CaseFileError(f"{self.path}: {text}") from None
        except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
            raise _damaged(self.path, str(exc)) from None

    # --- reading --------------------------------------------------------------------------
    # SQLite writes each case, its contacts inside, as JSON, and msgspec decodes and checks them all
    # in one step: a list of 10,000 cases costs two passes in C, not a Python loop over rows.
    def case(self, case_id: int) -> Case:
        """One case with its contacts.

        Raises:
            CaseError: No such case.
        """

        def read() -> Case:
            row = self._db.execute(f"SELECT {_CASE_JSON} FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseError(f"case {case_id}: no such case in {self.path} (see 'pdd-wizard case list')")
            try:
                return _ONE_CASE.decode(row[0])
            except msgspec.ValidationError as exc:  # the message names the field, never its value
                raise self._bad_row(f"case {case_id}", str(exc)) from None

        return self._guard(read)

    def cases(self, *, closed: bool = False) -> list[Case]:
        """Every open case (and with `closed` the closed ones too), by number, with their contacts
        (only what a list needs of them: channel, time, result and promised-by time)."""

        def read() -> list[Case]:
            where = "" if closed else "WHERE status = 'open'"
            rows = self._db.execute(f"SELECT {_LISTED_JSON} FROM cases {where} ORDER BY id").fetchall()
            text = "[" + ",".join([row[0] for row in rows]) + "]"
            try:
                with collector_paused():  # tens of thousands of records, none of them in a cycle
                    return _CASES.decode(text)
            except msgspec.ValidationError as exc:
                found = re.search(r"\$\[(\d+)\]", str(exc))
                number = msgspec.json.decode(text)[int(found.group(1))].get("id", "?") if found else "?"
                raise self._bad_row(f"case {number}", str(exc)) from None

        return self._guard(read)

    def _bad_row(self, which: str, why: str) -> CaseFileError:
        return CaseFileError(f"{self.path}: {which} is damaged ({why}); it was left as it is")

    # --- writing --------------------------------------------------------------------------
    def add_case(self, case: Case) -> Case:
        """Store a new case; it comes back with its number."""

        def write() -> Case:
            values = {
                **{name: getattr(case, name) for name in _CASE_FIELDS if name != "id"},
                "answers": msgspec.json.encode(case.answers).decode(),
            }
            with self._write():
                cursor = self._db.execute(
                    f"INSERT INTO cases ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    [_sql(v) for v in values.values()],
                )
            return msgspec.structs.replace(case, id=int(cursor.lastrowid or 0))

        return self._guard(write)

    def add_contact(self, case_id: int, contact: Contact) -> Contact:
        """Log a contact to an open case; it comes back with its number.

        Raises:
            CaseError: No such case, or the case is closed.
        """

        def write() -> Contact:
            values = {
                **{name: getattr(contact, name) for name in _CONTACT_FIELDS if name not in ("id", "case_id")},
                "case_id": case_id,
                "channel_title": msgspec.json.encode(contact.channel_title).decode(),
                "evidence": msgspec.json.encode(contact.evidence).decode(),
            }
            with self._write():
                self._open_case(case_id)
                cursor = self._db.execute(
                    f"INSERT INTO contacts ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    [_sql(v) for v in values.values()],
                )
            return msgspec.structs.replace(contact, id=int(cursor.lastrowid or 0))

        return self._guard(write)

    def close_case(self, case_id: int, status: Status, when: datetime) -> None:
        """Close an open case as solved or dropped.

        Raises:
            CaseError: No such case, or it is closed already.
        """

        def write() -> None:
            with self._write():
                self._open_case(case_id)
                self._db.execute(
                    "UPDATE cases SET status = ?, closed = ? WHERE id = ?", (status, when.isoformat(), case_id)
                )

        self._guard(write)

    def delete(self, case_id: int) -> None:
        """Delete a case and its contacts, overwritten on disk (`secure_delete`, then a checkpoint).

        Raises:
            CaseError: No such case.
        """

        def write() -> None:
            with self._write():
                if self._db.execute("DELETE FROM cases WHERE id = ?", (case_id,)).rowcount == 0:
                    raise CaseError(f"case {case_id}: no such case in {self.path} (see 'pdd-wizard case list')")
            # The WAL still holds the old pages until they are copied back: copy them now.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        self._guard(write)

    def _open_case(self, case_id: int) -> None:
        row = self._db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise CaseError(f"case {case_id}: no such case in {self.path} (see 'pdd-wizard case list')")
        if row[0] != "open":
            raise CaseError(f"case {case_id} is closed ({row[0]}); open a new case to follow the problem again")


_CASE_FIELDS = (
    "id",
    "title",
    "tree",
    "tree_spec",
    "tree_version",
    "answers",
    "lang",
    "opened",
    "status",
    "order_number",
    "deadline",
    "closed",
)
_CONTACT_FIELDS = (
    "id",
    "case_id",
    "channel",
    "channel_title",
    "at",
    "result",
    "agent_id",
    "said",
    "promise",
    "promised_by",
    "evidence",
    "logged",
)
#: The columns that hold JSON text, embedded as JSON (not as a string) in a case's JSON.
_JSON_COLUMNS = ("answers", "channel_title", "evidence")


def _as_json(fields: tuple[str, ...], table: str) -> str:
    """`json_object(...)` of some columns of `table`, for SQLite to write a row as JSON."""
    pairs = (f"'{name}', {f'json({table}.{name})' if name in _JSON_COLUMNS else f'{table}.{name}'}" for name in fields)
    return f"json_object({', '.join(pairs)})"


def _case_json(contact_fields: tuple[str, ...]) -> str:
    """A case as JSON, with its contacts (those fields of them) in the order logged: the index on
    (case_id, id) reads them in that order."""
    contacts = _as_json(contact_fields, "c")
    fields = _as_json(_CASE_FIELDS, "cases")[: -len(")")]  # its contacts, an array SQLite keeps JSON, go inside
    return (
        f"{fields}, 'contacts', (SELECT json_group_array({contacts}) "
        "FROM contacts AS c INDEXED BY contacts_by_case WHERE c.case_id = cases.id))"
    )


_CONTACT_JSON_FIELDS = tuple(name for name in _CONTACT_FIELDS if name != "case_id")
#: A case with everything; a case as the list reads it, without what was said and the evidence.
_CASE_JSON = _case_json(_CONTACT_JSON_FIELDS)
_LISTED_JSON = _case_json(("id", "channel", "at", "result", "promised_by"))
_ONE_CASE = msgspec.json.Decoder(Case)
_CASES = msgspec.json.Decoder(list[Case])


def _sql(value: Any) -> Any:
    """A value as SQLite stores it: times and days as ISO-8601 text (times with their offset)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _damaged(path: Path, why: str) -> CaseFileError:
    return CaseFileError(
        f"{path}: the case file is damaged ({why}); it was left as it is: restore a copy, or give another --db"
    )
