"""`pdd-wizard case` without a terminal: every action's JSON, every missing or wrong field a usage error
(exit status 2, one line), closed and missing cases, and what the person typed shown safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.case.helpers import ORDER, STORY_ANSWERS, as_json, case_cli, ok, open_story_case
from tests.utils import ROOT


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cases.sqlite3"
    open_story_case(path)
    return path


def log(db: Path, *args: str) -> dict[str, object]:
    document: dict[str, object] = as_json(case_cli(db, "case", "log", "1", *args, "--format", "json"))
    return document


def test_every_action_has_json(db: Path, tmp_path: Path) -> None:
    logged = log(
        db,
        "--channel",
        "app_chat",
        "--at",
        "2026-12-01 10:00",
        "--result",
        "promised",
        "--promised-by",
        "2026-12-05",
        "--agent",
        "1234",
        "--said",
        "asked",
        "--evidence",
        "1",
        "--evidence",
        f"2={tmp_path}",
    )
    assert logged["case"] == 1
    contact = logged["contact"]
    assert isinstance(contact, dict)
    assert contact["at"] == "2026-12-01T10:00:00+08:00" and contact["promised_by"] == "2026-12-05T23:59:00+08:00"
    assert [e["path"] for e in contact["evidence"]] == [None, str(tmp_path)]
    assert contact["evidence"][0]["item"]["en"] == "The phone number your account is registered with"
    shown = as_json(case_cli(db, "case", "show", "1", "--format", "json"))
    assert shown["order_number"] == ORDER and shown["answers"]["merchant_contact"] == "refused"
    assert shown["contacts"][0]["agent_id"] == "1234"
    assert json.loads(ok(case_cli(db, "case", "export", "1", "--format", "json"))) == shown
    listed = as_json(case_cli(db, "case", "list", "--format", "json", "--now", "2026-12-02T00:00+08:00"))
    assert listed["cases"][0] == {
        "case": 1,
        "title": "Refund refused",
        "status": "open",
        "tree": "pinduoduo",
        "contacts": 1,
        "deadline": "2026-12-20",
        "overdue": False,
        "next": "hotline_95187",
        "notices": ["promise_waiting"],
        "problem": None,
    }
    assert as_json(case_cli(db, "case", "close", "1", "--solved", "--format", "json")) == {
        "case": 1,
        "status": "solved",
    }
    assert as_json(case_cli(db, "case", "list", "--format", "json"))["cases"] == []
    assert as_json(case_cli(db, "case", "list", "--all", "--format", "json"))["cases"][0]["status"] == "solved"
    closed = as_json(case_cli(db, "case", "next", "1", "--format", "json"))
    assert closed["outcome"] is None and closed["notices"][0]["kind"] == "closed"
    assert as_json(case_cli(db, "case", "delete", "1", "--yes", "--format", "json")) == {"case": 1, "deleted": True}


#: (arguments after `pdd-wizard case`, what the one line says)
USAGE = [
    (("new", *STORY_ANSWERS), "give --title TEXT (there is no terminal to ask)"),
    (("new", "--title", "t"), "give the path's answers"),
    (("new", "--title", "t", "--answer", "role=merchant", "--defaults", "--deadline", "20.12.2026"), "YYYY-MM-DD"),
    (("new", "--title", "t", "--answer", "role=shopper", "--defaults"), "'shopper' is not an option"),
    (("log", "1"), "give --channel and --result"),
    (("log", "1", "--channel", "app_chat"), "give --result"),
    (("log", "1", "--channel", "app_chat", "--result", "promised"), "give --promised-by"),
    (
        ("log", "1", "--channel", "app_cht", "--result", "refused"),
        "not an outcome of tree 'pinduoduo' (did you mean 'app_chat'?)",
    ),
    (("log", "1", "--channel", "app_chat", "--result", "refused", "--promise", "x"), "go with --result promised"),
    (("log", "1", "--channel", "app_chat", "--result", "refused", "--at", "yesterday"), "--at 'yesterday': expected"),
    (("log", "1", "--channel", "app_chat", "--result", "refused", "--evidence", "99"), "--evidence '99': expected N"),
    (("log", "1", "--channel", "app_chat", "--result", "maybe"), "invalid choice: 'maybe'"),
    (("log", "0", "--channel", "app_chat", "--result", "refused"), "'0' is not a case number"),
    (("close", "1"), "one of the arguments --solved --dropped is required"),
    (("delete", "1"), "add --yes to delete case 1"),
    (("export", "1"), "the following arguments are required: --format"),
    (("show", "7"), "case 7: no such case"),
    (("next", "7"), "case 7: no such case"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize(("args", "says"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_a_missing_or_wrong_field_is_a_usage_error(db: Path, args: tuple[str, ...], says: str) -> None:
    result = case_cli(db, "case", *args)
    assert result.status == 2, result.stdout
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert says in line and line.startswith("pdd-wizard: "), line


def test_run_case_takes_no_answers_of_its_own(db: Path) -> None:
    result = case_cli(db, "run", "--case", "1", "--answer", "role=consumer")
    assert result.status == 2 and "--case walks the case's own tree and answers" in result.stderr
    assert case_cli(db, "run", "--db", str(db)).status == 2


def test_a_closed_case_takes_no_contact(db: Path) -> None:
    ok(case_cli(db, "case", "close", "1", "--dropped"))
    result = case_cli(db, "case", "log", "1", "--channel", "app_chat", "--result", "refused")
    assert result.status == 2 and "case 1 is closed (dropped)" in result.stderr
    assert case_cli(db, "case", "close", "1", "--solved").status == 2


def test_no_case_file_yet(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert ok(case_cli(db, "case", "list")) == "No open case.\n"
    assert ok(case_cli(db, "case", "list", "--lang", "zh")) == "没有进行中的案件。\n"
    assert case_cli(db, "case", "next", "1").status == 2
    assert not db.exists()


def test_the_texts_typed_are_shown_safely(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    hostile = "Refund \x1b[2J\x1b]52;c;Zm9v\x07 \u202eevil"
    ok(case_cli(db, "case", "new", "--title", hostile, *STORY_ANSWERS, "--order-number", "\x1b[31m1"))
    ok(
        case_cli(
            db,
            "case",
            "log",
            "1",
            "--channel",
            "app_chat",
            "--result",
            "refused",
            "--said",
            hostile,
            "--agent",
            "\x9b1",
        )
    )
    for args in (
        ("list",),
        ("show", "1"),
        ("next", "1"),
        ("export", "1", "--format", "md"),
        ("export", "1", "--format", "ics"),
    ):
        text = ok(case_cli(db, "case", *args))
        assert not any(c in text for c in "\x1b\x07\x9b\u202e"), args
    assert as_json(case_cli(db, "case", "show", "1", "--format", "json"))["title"] == hostile  # JSON keeps it exact


def test_the_tree_is_named_again_as_it_was_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cases.sqlite3"
    monkeypatch.chdir(ROOT)
    ok(case_cli(db, "case", "new", "--title", "t", "--tree", "tests/fixtures/case/facts.yaml", "--defaults"))
    monkeypatch.chdir(tmp_path)  # a path is kept absolute: found again from anywhere
    shown = as_json(case_cli(db, "case", "show", "1", "--format", "json"))
    assert shown["tree_spec"] == str(ROOT / "tests" / "fixtures" / "case" / "facts.yaml") and shown["tree"] == "facts"
    assert as_json(case_cli(db, "case", "next", "1", "--format", "json"))["outcome"] == "done"
    opened = open_story_case(db)  # a shipped tree by its name
    assert as_json(case_cli(db, "case", "show", str(opened), "--format", "json"))["tree_spec"] == "pinduoduo"


def test_a_case_whose_tree_is_gone_is_still_shown_as_written(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite3"
    tree = tmp_path / "facts.yaml"
    tree.write_text((ROOT / "tests" / "fixtures" / "case" / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ok(case_cli(db, "case", "new", "--title", "t", "--tree", str(tree), "--defaults"))
    ok(case_cli(db, "case", "log", "1", "--channel", "done", "--result", "refused"))
    tree.unlink()
    shown = case_cli(db, "case", "show", "1")
    assert shown.status == 0 and "Done (done)" in shown.stdout
    assert "the contacts are shown as they were written" in shown.stderr
    listed = ok(case_cli(db, "case", "list"))
    assert "(cannot plan)" in listed and "no such file" in listed
    assert case_cli(db, "case", "next", "1").status == 2
