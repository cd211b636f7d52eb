"""Benchmark: `case list` over 10,000 cases and `case next` on a case of 1,000 contacts, against a scripted run.

The floor is a scripted `pdd-wizard run --format json` of the shipped tree (as `bench_run.py` times it),
in the same rounds: a case command reads the same tree and walks it, so it should cost little more.

    case list (10,000 cases) / scripted run        <= 2.00x
    case next (1,000 contacts) / scripted run      <= 2.00x

The case files are made through the command line (`case new`, `case log`), then their rows are copied
with Python's own sqlite3 until they are that large: 10,000 cases on 8 paths, each with 0 to 3 contacts,
some promises lapsed, one case in 7 with a deadline.

    python benchmarks/bench_case.py [--runs 15] [--quick] [--venv DIR]

Exit status 1 when a target is missed, 2 when it could not be measured.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import harness

TARGET = 2.00
NOW = "2026-12-06T09:00+08:00"
#: The paths cases are opened on, and the contacts logged to each (channel, result, promised by).
TEMPLATES: list[tuple[list[str], list[tuple[str, str, str | None]]]] = [
    (
        ["role=consumer", "problem=after_sales", "merchant_contact=refused", "deadline=not_close", "tried="],
        [("app_chat", "promised", "2026-12-05 18:00")],
    ),
    (
        ["role=consumer", "problem=after_sales", "merchant_contact=refused", "deadline=not_close", "tried="],
        [("app_chat", "refused", None), ("hotline_95187", "refused", None)],
    ),
    (["role=consumer", "problem=logistics", "tried="], [("contact_courier", "no_answer", None)]),
    (["role=consumer", "problem=quality", "merchant_contact=not_yet", "tried=app_chat"], []),
    (
        ["role=consumer", "problem=counterfeit", "merchant_contact=refused", "deadline=close", "tried="],
        [("platform_intervention", "promised", "2026-12-09 12:00")],
    ),
    (
        ["role=consumer", "problem=order_status", "tried="],
        [("app_chat", "no_answer", None), ("hotline_95187", "promised", "2026-12-04"), ("email", "refused", None)],
    ),
    (["role=merchant", "merchant_problem=settlement", "merchant_tried="], [("merchant_help_center", "refused", None)]),
    (["role=consumer", "problem=product_question", "tried="], [("app_chat", "no_answer", None)]),
]


def wizard(env: harness.Installed, db: Path, *args: str) -> None:
    """Run a case command of the installed pdd-wizard on `db`; it must succeed."""
    done = harness.run([env.wizard, "case", *args, "--db", db])
    if done.status != 0:
        harness.fail(f"pdd-wizard case {' '.join(args)} exited {done.status}:\n{done.output}")


def open_templates(env: harness.Installed, db: Path) -> None:
    """The template cases, each opened and logged through the command line."""
    for number, (answers, contacts) in enumerate(TEMPLATES, 1):
        flags = [item for answer in answers for item in ("--answer", answer)]
        deadline = ["--deadline", "2026-12-08"] if number % 4 == 1 else []
        wizard(env, db, "new", "--title", f"case {number}", *flags, "--order-number", f"2405{number:04}", *deadline)
        for day, (channel, result, by) in enumerate(contacts, 1):
            promise = ["--promise", "a refund", "--promised-by", by] if by else []
            at = f"2026-12-0{day} 10:00"
            wizard(
                env,
                db,
                "log",
                str(number),
                "--channel",
                channel,
                "--at",
                at,
                "--result",
                result,
                "--agent",
                "1234",
                *promise,
            )


def multiply_cases(db: Path, total: int) -> None:
    """Copy the template cases and their contacts until there are `total` cases."""
    with sqlite3.connect(db) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(cases)") if row[1] != "id"]
        contact_columns = [
            row[1] for row in connection.execute("PRAGMA table_info(contacts)") if row[1] not in ("id", "case_id")
        ]
        templates = len(TEMPLATES)
        for number in range(templates + 1, total + 1):
            source = (number - 1) % templates + 1
            listed = ", ".join(columns)
            connection.execute(
                f"INSERT INTO cases (id, {listed}) SELECT ?, {listed} FROM cases WHERE id = ?", (number, source)
            )
            listed = ", ".join(contact_columns)
            connection.execute(
                f"INSERT INTO contacts (case_id, {listed}) "
                f"SELECT ?, {listed} FROM contacts WHERE case_id = ? ORDER BY id",
                (number, source),
            )
    connection.close()


def multiply_contacts(db: Path, total: int) -> None:
    """Copy case 1's contacts until it has `total`."""
    with sqlite3.connect(db) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(contacts)") if row[1] != "id"]
        listed = ", ".join(columns)
        have = connection.execute("SELECT count(*) FROM contacts WHERE case_id = 1").fetchone()[0]
        while have < total:
            connection.execute(
                f"INSERT INTO contacts ({listed}) SELECT {listed} FROM contacts WHERE case_id = 1 ORDER BY id LIMIT ?",
                (total - have,),
            )
            have = connection.execute("SELECT count(*) FROM contacts WHERE case_id = 1").fetchone()[0]
    connection.close()


def timed(argv: list[str | Path]) -> float:
    done = harness.run(argv)
    if done.status != 0:
        harness.fail(f"{' '.join(map(str, argv))} exited {done.status}:\n{done.output[-2000:]}")
    return done.seconds


def main() -> int:
    parser = harness.arguments(__doc__, runs=15)
    args = parser.parse_args()
    runs = harness.runs_wanted(args)
    env = harness.installed(args.venv)
    cases, contacts = (100, 10) if args.quick else (10_000, 1_000)
    with tempfile.TemporaryDirectory(prefix="pdd-wizard-bench-case-") as folder:
        many, long = Path(folder) / "many.sqlite3", Path(folder) / "long.sqlite3"
        open_templates(env, many)
        multiply_cases(many, cases)
        open_templates(env, long)
        multiply_contacts(long, contacts)
        run: list[str | Path] = [env.wizard, "run", "--format", "json", "--defaults"]
        run += ["--answer", "role=consumer", "--answer", "problem=quality", "--answer", "tried=app_chat"]
        listing: list[str | Path] = [env.wizard, "case", "list", "--db", many, "--now", NOW]
        following: list[str | Path] = [env.wizard, "case", "next", "1", "--db", long, "--now", NOW, "--format", "json"]
        floors, lists, nexts = harness.rounds(
            [lambda: timed(run), lambda: timed(listing), lambda: timed(following)], runs
        )
    harness.print_median("floor: pdd-wizard run --format json", floors)
    harness.print_median(f"pdd-wizard case list ({cases:,} cases)", lists)
    harness.print_median(f"pdd-wizard case next ({contacts:,} contacts)", nexts)
    verdicts = harness.Verdicts()
    verdicts.ratio(f"case list {cases:,} / scripted run", harness.ratio(floors, lists), TARGET)
    verdicts.ratio(f"case next {contacts:,} contacts / scripted run", harness.ratio(floors, nexts), TARGET)
    return verdicts.status()


if __name__ == "__main__":
    sys.exit(main())
