"""Scripted runs: answers from a file and flags, defaults, text and JSON output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from tests.utils import MINI, ROOT, run_cli
from wizard import __version__
from wizard.cli.main import COMMANDS

TREE = ("--tree", str(MINI))

#: The documented shape of `run --format json` (README, "JSON output").
RESULT_SCHEMA = {
    "type": "object",
    "required": ["tree", "lang", "path", "outcome", "content", "now"],
    "additionalProperties": False,
    "properties": {
        "tree": {"type": "string"},
        "lang": {"enum": ["zh", "en"]},
        "path": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["question", "answer"],
                "additionalProperties": False,
                "properties": {
                    "question": {"type": "string"},
                    "answer": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                },
            },
        },
        "outcome": {"type": "string"},
        "content": {
            "type": "object",
            "required": [
                "title",
                "channel",
                "level",
                "tone",
                "summary",
                "how",
                "hours",
                "schedule",
                "busy",
                "prepare",
                "say",
                "record",
                "warning",
                "if_fails",
                "escalates_to",
            ],
            "properties": {
                "title": {"type": "string"},
                "channel": {"type": "string"},
                "level": {"type": "integer"},
                "tone": {"enum": ["info", "caution", "danger"]},
                "summary": {"type": "string"},
                "how": {"type": "array", "items": {"type": "string"}},
                "prepare": {"type": "array", "items": {"type": "string"}},
                "record": {"type": "array", "items": {"type": "string"}},
                **{
                    k: {"type": ["string", "null"]}
                    for k in ("hours", "schedule", "busy", "say", "warning", "if_fails", "escalates_to")
                },
            },
        },
        "now": {
            "type": ["object", "null"],
            "required": ["at", "schedule", "timezone", "open", "closes_at", "opens_at", "busy"],
            "additionalProperties": False,
            "properties": {
                "at": {"type": "string"},
                "schedule": {"type": "string"},
                "timezone": {"type": "string"},
                "open": {"type": "boolean"},
                "closes_at": {"type": ["string", "null"]},
                "opens_at": {"type": ["string", "null"]},
                "busy": {
                    "type": ["object", "null"],
                    "required": ["name", "until"],
                    "additionalProperties": False,
                    "properties": {"name": {"type": "string"}, "until": {"type": "string"}},
                },
            },
        },
    },
}


def test_answers_file_yaml_to_text_outcome(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: buyer\nproblem: parcel\ntried: [courier]\n", encoding="utf-8")
    result = run_cli("run", *TREE, "--answers", str(answers), "--lang", "en")
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("In-app chat\n")
    assert "What have you tried? Courier" in result.stdout
    assert result.stderr == ""


def test_json_output_has_the_documented_shape(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"role": "buyer", "problem": "parcel", "tried": ["chat", "courier"]}))
    result = run_cli("run", *TREE, "--answers", str(answers), "--format", "json", "--lang", "zh")
    assert result.status == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, RESULT_SCHEMA)
    assert document["tree"] == "mini"
    assert document["lang"] == "zh"
    assert document["outcome"] == "all_tried"
    assert document["path"] == [
        {"question": "role", "answer": "buyer"},
        {"question": "problem", "answer": "parcel"},
        {"question": "tried", "answer": ["courier", "chat"]},  # in the question's option order
    ]
    assert document["content"]["title"] == "都试过了"


def test_flags_override_the_file_and_take_commas_and_empty(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: buyer\nproblem: parcel\ntried: [courier]\n", encoding="utf-8")
    base = ("run", *TREE, "--answers", str(answers), "--format", "json")
    assert json.loads(run_cli(*base, "--answer", "tried=").stdout)["outcome"] == "call_courier"
    assert json.loads(run_cli(*base, "--answer", "tried=courier,chat").stdout)["outcome"] == "all_tried"
    assert json.loads(run_cli(*base, "--answer", "problem=scam").stdout)["outcome"] == "scam_alert"


def test_defaults_take_declared_defaults() -> None:
    result = run_cli("run", *TREE, "--defaults", "--format", "json")
    assert json.loads(result.stdout)["outcome"] == "call_courier"


def test_unanswered_question_is_exit_2_naming_it_and_its_options() -> None:
    result = run_cli("run", *TREE, "--answer", "role=buyer")
    assert result.status == 2
    assert result.stderr.strip() == (
        "pdd-wizard: question 'problem': reached but not answered (or pass --defaults to take 'parcel'); "
        "valid options: parcel, scam"
    )
    assert result.stdout == ""


def test_invalid_answer_is_exit_2() -> None:
    result = run_cli("run", *TREE, "--answer", "role=buyer", "--answer", "problem=weather")
    assert result.status == 2
    assert "question 'problem': 'weather' is not an option; valid options: parcel, scam" in result.stderr


def test_answers_never_reached_are_warned_about() -> None:
    result = run_cli("run", *TREE, "--answer", "role=seller", "--answer", "problem=parcel", "--answer", "colour=red")
    assert result.status == 0
    assert (
        "warning: --answer problem=parcel: answer to 'problem' ignored: the path never reached that question"
        in result.stderr
    )
    assert "warning: --answer colour=red: answer to 'colour' ignored: the tree has no such question" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- role\n", "answers must be a mapping"),
        ("role: {a: 1}\n", ":1:7: answer to 'role': expected an option id or a list, not a mapping"),
        ("role: [buyer, [x]]\n", ":1:15: answer to 'role': expected option ids"),
        ("role: buyer\nrole: seller\n", ":2:1: duplicate key 'role'"),
        ("{role: buyer", "YAML syntax error"),
    ],
)
def test_a_wrong_answers_file_is_one_located_line(tmp_path: Path, content: str, message: str) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(content, encoding="utf-8")
    result = run_cli("run", *TREE, "--answers", str(answers))
    assert result.status == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("answers.yaml", "role: buyer\nproblem: weather\n", ":2:10: question 'problem': 'weather' is not an option"),
        ("answers.yaml", "role: buyer\nproblem: parcel\ntried: [chat, nope]\n", ":3:15: question 'tried': 'nope'"),
        ("answers.yaml", "role: buyer\nproblem: parcel\ntried: nope\n", ":3:8: question 'tried': 'nope'"),
        ("answers.json", '{"role": "buyer",\n "problem": "weather"}', ":2:13: question 'problem': 'weather'"),
    ],
)
def test_a_refused_answer_names_the_line_it_was_written_on(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    answers = tmp_path / name
    answers.write_text(content, encoding="utf-8")
    result = run_cli("run", *TREE, "--answers", str(answers))
    assert result.status == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line
    assert result.stderr.startswith(f"pdd-wizard: {answers}{expected}")


def test_a_refused_answer_from_a_flag_names_the_flag_even_over_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("role: buyer\nproblem: parcel\ntried: [chat]\n", encoding="utf-8")
    result = run_cli("run", *TREE, "--answers", str(answers), "--answer", "tried=chat,nope")
    assert result.status == 2
    assert result.stderr.startswith("pdd-wizard: --answer tried=chat,nope: question 'tried': 'nope' is not an option")


def test_malformed_answer_flag_is_usage_error() -> None:
    result = run_cli("run", *TREE, "--answer", "role")
    assert result.status == 2
    assert "--answer 'role': expected ID=VALUE" in result.stderr


def test_no_terminal_and_no_answers_is_exit_2_with_how_to_script() -> None:
    result = run_cli("run", *TREE)
    assert result.status == 2
    assert "standard input is not a terminal" in result.stderr
    assert "--answers" in result.stderr


def test_a_terminal_with_output_redirected_is_exit_2_rather_than_questions_nobody_sees() -> None:
    result = run_cli("run", "--lang", "en", tty=True)  # the keyboard is there, the screen is a file
    assert result.status == 2
    assert result.stdout == ""
    assert result.stderr.startswith("pdd-wizard: standard output is not a terminal")
    assert "--save PATH" in result.stderr and "--answers" in result.stderr


def test_language_comes_from_the_environment() -> None:
    args = ("run", *TREE, "--defaults", "--format", "json")
    assert json.loads(run_cli(*args, environ={"LANG": "zh_CN.UTF-8"}).stdout)["lang"] == "zh"
    assert json.loads(run_cli(*args, environ={"LANG": "de_DE.UTF-8"}).stdout)["lang"] == "en"
    assert json.loads(run_cli(*args, environ={"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}).stdout)["lang"] == "zh"


def test_run_is_the_default_subcommand() -> None:
    result = run_cli(*TREE, "--defaults", "--format", "json")
    assert json.loads(result.stdout)["outcome"] == "call_courier"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("run", "--colour"), "run: unrecognized arguments: --colour (see 'pdd-wizard run --help')"),
        (("--colour",), "run: unrecognized arguments: --colour (see 'pdd-wizard run --help')"),
        (("paths", "--bogus", "x"), "paths: unrecognized arguments: --bogus x (see 'pdd-wizard paths --help')"),
        (("--lang", "en", "show"), "run: unrecognized arguments: show; the command comes first: 'pdd-wizard show ...'"),
        (("show", "--lang", "en", "run"), "show: unrecognized arguments: run (see 'pdd-wizard show --help')"),
    ],
)
def test_an_unknown_argument_names_the_command_and_its_help(args: tuple[str, ...], expected: str) -> None:
    result = run_cli(*args)
    assert (result.status, result.stderr) == (2, f"pdd-wizard: {expected}\n")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("export", "--format", "xx"), "pdd-wizard: export: argument --format: invalid choice: 'xx'"),
        (("nope",), "pdd-wizard: argument COMMAND: invalid choice: 'nope'"),
    ],
)
def test_a_usage_error_names_the_program_once_and_where_help_is(args: tuple[str, ...], expected: str) -> None:
    result = run_cli(*args)
    assert result.status == 2
    line = result.stderr.strip()
    assert line.startswith(expected)
    assert line.count("pdd-wizard:") == 1
    assert line.endswith("--help')")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_version_on_the_program_and_every_subcommand(command: str | None) -> None:
    argv = [sys.executable, "-m", "wizard", *([command] if command else []), "--version"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"pdd-wizard {__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_subcommand_lists_exit_codes(command: str | None) -> None:
    argv = [sys.executable, "-m", "wizard", *([command] if command else []), "--help"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0
    assert "usage: pdd-wizard" in result.stdout
    assert "130  interrupted" in result.stdout


def test_console_script_and_module_are_one_program() -> None:
    script = Path(sys.executable).parent / "pdd-wizard"
    args = ["--tree", str(MINI), "--defaults", "--format", "json"]
    via_script = subprocess.run([str(script), *args], capture_output=True, text=True, check=False)
    via_module = subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, check=False)
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout


def test_a_scripted_run_imports_neither_networkx_nor_questionary() -> None:
    code = (
        "import sys\n"
        "from wizard.cli.main import main\n"
        f"status = main(['run', '--tree', {str(MINI)!r}, '--defaults', '--format', 'json'])\n"
        "heavy = sorted(m for m in ('networkx', 'questionary', 'prompt_toolkit', 'rich') if m in sys.modules)\n"
        "print(status, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stderr.strip() == "0 []"


def script(*args: str, **run: object) -> subprocess.CompletedProcess[str]:
    """The installed console script, in a child process (for what only a real process has: its streams)."""
    command = [str(Path(sys.executable).parent / "pdd-wizard"), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, **run)  # type: ignore[call-overload,no-any-return]


def test_debug_may_come_before_the_command() -> None:
    assert run_cli("--debug", "check", str(MINI)).status == 0
    result = run_cli("--debug", *TREE, "--defaults", "--format", "json")
    assert result.status == 0 and json.loads(result.stdout)["outcome"]


def test_closed_or_full_standard_output_is_one_line_exit_2() -> None:
    args = ("run", *TREE, "--defaults")
    closed = script(*args, stdout=None, pass_fds=(), preexec_fn=lambda: os.close(1))
    assert closed.returncode == 2
    assert closed.stderr == "pdd-wizard: standard output is closed; nothing can be written\n"
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "pdd-wizard"), *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 2
    assert result.stderr == "pdd-wizard: cannot write: No space left on device\n"


@pytest.mark.parametrize("now", ["9999-12-31T23:59+08:00", "0001-01-01T05:00+08:00"])
def test_a_clock_out_of_range_is_a_usage_error(now: str) -> None:
    result = run_cli("run", *TREE, "--defaults", "--now", now)
    assert result.status == 2
    assert "expected a year from 1900 to 2999" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_save_path_is_a_usage_error() -> None:
    result = run_cli("run", *TREE, "--defaults", "--save", "")
    assert result.status == 2
    assert result.stderr == "pdd-wizard: --save: give a file name\n"


def test_a_tree_with_a_cycle_stops_a_scripted_run_and_an_export(tmp_path: Path) -> None:
    """The same answers would go round the cycle forever: each command stops with one line blaming the tree."""
    from tests.core.test_engine import CYCLIC

    tree = tmp_path / "loop.yaml"
    tree.write_text(CYCLIC, encoding="utf-8")
    expected = (
        "pdd-wizard: node 'problem': the answer to 'tried' leads back to this question; "
        "the tree has a cycle (see `pdd-wizard check`)\n"
    )
    for command in (["run"], ["export", "-o", str(tmp_path / "loop.mmd")]):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "wizard",
                *command,
                "--tree",
                str(tree),
                "--answer",
                "problem=late",
                "--answer",
                "tried=",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert (done.returncode, done.stdout, done.stderr) == (2, "", expected), command
    assert not (tmp_path / "loop.mmd").exists()


def test_with_standard_error_closed_messages_never_land_in_the_output(tmp_path: Path) -> None:
    """`2>&-`: Python has no sys.stderr, and print(file=None) would write warnings into the JSON on stdout."""
    script = f"{sys.executable} -m wizard run --tree {MINI} --defaults --answer nosuch=x --format json 2>&-"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert json.loads(done.stdout)["tree"] == "mini"
    failed = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m wizard run --answers {tmp_path / 'none.yaml'} 2>&-"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (failed.returncode, failed.stdout) == (2, "")


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_report_a_failed_write(flag: str) -> None:
    """argparse drops the error of writing its help; `> /dev/full` must still fail, as other output does."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "wizard", flag], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr.startswith("pdd-wizard: cannot write") and "No space left on device" in done.stderr


def test_a_message_naming_what_the_user_typed_stays_one_line(tmp_path: Path) -> None:
    """A line break or an escape sequence in a file name is shown, never acted on."""
    name = tmp_path / "a\nb\x1b[2J.yaml"
    result = run_cli("run", "--answers", str(name))
    assert result.status == 2
    assert result.stderr == f"pdd-wizard: {tmp_path}/a\\nb\\x1b[2J.yaml: cannot read: No such file or directory\n"


def test_ctrl_c_speaks_the_language_the_run_chose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LANG=zh_CN, but a tree in English only: the run speaks English, and so does its Ctrl-C message."""
    import yaml

    def english(value: object) -> object:
        if isinstance(value, dict):
            if set(value) == {"zh", "en"}:
                return {"en": value["en"]}
            return {key: english(item) for key, item in value.items()}
        return [english(item) for item in value] if isinstance(value, list) else value

    data = english(yaml.safe_load(MINI.read_text(encoding="utf-8")))
    data["languages"] = ["en"]  # type: ignore[index]
    tree = tmp_path / "english.yaml"
    tree.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("wizard.core.engine.run_answers", interrupted)
    result = run_cli("run", "--tree", str(tree), "--defaults", environ={"LANG": "zh_CN.UTF-8"})
    assert (result.status, result.stderr) == (130, "\npdd-wizard: cancelled\n")
    chinese = run_cli("run", "--tree", str(MINI), "--defaults", environ={"LANG": "zh_CN.UTF-8"})
    assert (chinese.status, chinese.stderr) == (130, "\npdd-wizard: 已取消\n")


def _chinese_only_tree(folder: Path) -> Path:
    tree = folder / "zh-only.yaml"
    tree.write_text(
        "id: zhonly\ntitle: {zh: 小树}\nlanguages: [zh]\nstart: done\nnodes:\n"
        "  done: {kind: outcome, level: 1, title: {zh: 问客服}, channel: {zh: 客服}, summary: {zh: 先问。}}\n",
        encoding="utf-8",
    )
    return tree


@pytest.mark.parametrize("command", [("run", "--defaults", "--format", "json"), ("show",), ("export",)])
def test_lang_naming_a_language_the_tree_lacks_is_refused_not_mislabelled(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    tree = _chinese_only_tree(tmp_path)
    result = run_cli(*command, "--tree", str(tree), "--lang", "en")
    assert result.status == 2 and result.stdout == ""
    assert result.stderr == "pdd-wizard: --lang en: tree 'zhonly' has no 'en' text; its languages: zh\n"


def test_a_language_from_the_environment_the_tree_lacks_gives_way_to_its_first(tmp_path: Path) -> None:
    tree = _chinese_only_tree(tmp_path)
    result = run_cli("run", "--tree", str(tree), "--defaults", "--format", "json", environ={"LANG": "en_US.UTF-8"})
    assert result.status == 0 and json.loads(result.stdout)["lang"] == "zh"


def test_two_flags_giving_one_question_different_answers_are_refused() -> None:
    result = run_cli("run", *TREE, "--answer", "role=buyer", "--answer", "role=seller", "--defaults")
    assert result.status == 2 and result.stdout == ""
    assert result.stderr == (
        "pdd-wizard: --answer role=seller: 'role' is already answered by --answer role=buyer; "
        "answer each question once\n"
    )
    same = run_cli("run", *TREE, "--answer", "role=buyer", "--answer", "role= buyer", "--defaults", "--format", "json")
    assert same.status == 0 and json.loads(same.stdout)["outcome"] == "call_courier"
    ticked = ("--answer", "tried=courier,chat", "--answer", "tried=chat, courier")  # one set, written twice
    assert run_cli("run", *TREE, "--answer", "role=buyer", *ticked, "--defaults").status == 0
    other = run_cli("run", *TREE, "--answer", "tried=courier,chat", "--answer", "tried=chat", "--defaults")
    assert other.status == 2 and "'tried' is already answered by --answer tried=courier,chat" in other.stderr


def test_an_answer_close_to_an_option_suggests_it() -> None:
    result = run_cli("run", *TREE, "--answer", "role=buyer", "--answer", "problem=parcle")
    assert result.status == 2
    assert result.stderr == (
        "pdd-wizard: --answer problem=parcle: question 'problem': 'parcle' is not an option "
        "(did you mean 'parcel'?); valid options: parcel, scam\n"
    )


def _piped(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wizard", *args], input=stdin, capture_output=True, timeout=60)


def test_answers_from_standard_input_with_dash() -> None:
    done = _piped("run", *TREE, "--answers", "-", "--format", "json", stdin=b"role: buyer\nproblem: scam\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "scam_alert"
    drawn = _piped("export", *TREE, "--answers", "-", "--format", "mermaid", stdin=b'{"role": "seller"}')
    assert drawn.returncode == 0 and b"seller_help" in drawn.stdout


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"role: buyr\n", "<stdin>:1:7: question 'role': 'buyr' is not an option (did you mean 'buyer'?)"),
        (b"\xff\n", "<stdin>:1:1: invalid UTF-8"),
        (b"", "<stdin>: file is empty"),
    ],
)
def test_answers_from_standard_input_are_located_there(stdin: bytes, message: str) -> None:
    done = _piped("run", *TREE, "--answers", "-", stdin=stdin)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().startswith(f"pdd-wizard: {message}")
    assert len(done.stderr.decode().splitlines()) == 1


def test_answers_dash_refuses_a_terminal_and_a_closed_standard_input() -> None:
    result = run_cli("run", *TREE, "--answers", "-", tty=True)
    assert result.status == 2
    assert (
        result.stderr == "pdd-wizard: --answers -: standard input is a terminal; pipe the answers in, or give a file\n"
    )
    line = f"{sys.executable} -m wizard run --tree {MINI} --answers - <&-"
    closed = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60)
    assert closed.returncode == 2
    assert closed.stderr == "pdd-wizard: --answers -: standard input is closed; pipe the answers in, or give a file\n"


def test_answers_dash_reads_a_non_blocking_pipe_to_its_end() -> None:
    """A pipe inherited non-blocking hands over only what has arrived: the rest must be waited for."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    command = [sys.executable, "-m", "wizard", "run", *TREE, "--answers", "-", "--defaults", "--format", "json"]
    with subprocess.Popen(command, stdin=read_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        os.close(read_end)
        os.write(write_end, b"role: buyer\n")
        time.sleep(1.0)  # the command starts and reads meanwhile
        os.write(write_end, b"problem: scam\n")
        os.close(write_end)
        out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert json.loads(out)["outcome"] == "scam_alert"


def test_json_gives_the_right_now_facts_under_a_key_of_their_own() -> None:
    """Issue 17: "is 95187 open at T?" without parsing text; the rest does not depend on the clock."""
    answers = ("--answer", "role=consumer", "--answer", "problem=account", "--answer", "tried=")

    def document(now: str) -> dict[str, object]:
        result = run_cli("run", *answers, "--format", "json", "--now", now)
        assert result.status == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    night, noon = document("2026-11-12T15:30+01:00"), document("2026-03-10T12:00+08:00")
    assert night["now"] == {
        "at": "2026-11-12T22:30+08:00",
        "schedule": "hotline_95187",
        "timezone": "Asia/Shanghai",
        "open": False,
        "closes_at": None,
        "opens_at": "2026-11-13T09:00+08:00",
        "busy": {"name": "after the Singles' Day (11.11) sale", "until": "2026-11-25"},
    }
    assert noon["now"]["open"] is True and noon["now"]["closes_at"] == "2026-03-10T21:00+08:00"  # type: ignore[index]
    assert noon["now"]["busy"] is None  # type: ignore[index]
    assert {k: v for k, v in night.items() if k != "now"} == {k: v for k, v in noon.items() if k != "now"}
    chat = run_cli(
        "run", "--answer", "role=consumer", "--answer", "problem=order_status", "--answer", "tried=", "--format", "json"
    )
    assert json.loads(chat.stdout)["now"] is None  # the chat names no schedule
