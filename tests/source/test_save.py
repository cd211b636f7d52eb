"""The saved plan: Markdown content and escaping, the atomic no-clobber write (every output file's), `run --save`."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from tests.utils import FIXTURES, MINI, run_cli
from wizard.core.engine import run_answers
from wizard.core.model import Tree
from wizard.render.markdown import escape, render_markdown
from wizard.source.load import load_tree
from wizard.source.save import PlanExistsError, SaveError, save_text, suggested_name, write_file

HOTLINE = FIXTURES / "interactive" / "hotline.yaml"
NIGHT = datetime.fromisoformat("2026-11-12T22:30+08:00")
HOTLINE_ANSWERS = ("--answer", "role=buyer", "--answer", "problem=quality", "--answer", "tried=chat")


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree(HOTLINE)


# --- Markdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain 文本", "plain 文本"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("1. not a list", "1\\. not a list"),
        ("2) not a list", "2\\) not a list"),
        ("> not a quote", "\\> not a quote"),
        ("<b>not HTML</b>", "\\<b\\>not HTML\\</b\\>"),
        ("a | b", "a \\| b"),
        ("*not* _emphasis_ `code`", "\\*not\\* \\_emphasis\\_ \\`code\\`"),
        ("[not a link](x)", "\\[not a link\\](x)"),
        ("AT&T ~~x~~", "AT\\&T \\~\\~x\\~\\~"),
        ("hotline_95187 stays readable", "hotline_95187 stays readable"),
        ("back\\slash", "back\\\\slash"),
        ("first\n# second", "first\n\\# second"),
        ("in 2026. it was", "in 2026. it was"),  # a number mid-line is not a list
        ("    not code", "not code"),  # four spaces would make an indented code block
        ("first\n\n    not code\n  # not a heading", "first\n\nnot code\n\\# not a heading"),
        ("\x1b[31mred\x07", "\\\\x1b\\[31mred\\\\x07"),  # shown as the characters \x1b[31m, then \x07
        ("bidi\u202e", "bidi\\\\u202e"),
        ("windows\r\nline", "windows\nline"),
        ("「引号」，《书名》：全角标点！", "「引号」，《书名》：全角标点！"),  # CJK punctuation is not Markdown
    ],
)
def test_escape_shows_tree_text_literally(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_the_plan_has_the_checklist_the_path_and_the_time(tree: Tree) -> None:
    session = run_answers(tree, {"role": "buyer", "problem": "quality", "tried": ["chat"]})
    text = render_markdown(session, "en", NIGHT)
    assert text.startswith(
        "# Call 95187\n\nCall when the chat did not help.\n\n**Channel:** The 95187 consumer hotline\n"
    )
    for line in (
        "## Right now",
        "- Outside service hours now: 95187 human service (09:00–21:00 daily, Beijing time). It is 22:30 there; "
        "the hours start tomorrow at 09:00, in 10 h 30 min. Outside them a person is less likely to answer.",
        "- Busy period (After the 11.11 sale, until 24 November): queues may be much longer than usual. "
        "Write your points down before you get in touch.",
        "## How",
        "1. Dial 95187.",
        "## Prepare",
        "- [ ] The order number",
        "- [ ] \\# not a heading",
        "- [ ] \\<b\\>not HTML\\</b\\> \\| not a table",
        "- [ ] 1\\. not a list",
        "- [ ] \\*not emphasis\\* \\[not a link\\](x)",
        "## What to say",
        "> The order number is ...; I want a refund.",
        "## Write down",
        "- [ ] The agent's ID",
        "## Scam warning",
        "> **Official service never asks for a verification code.**",
        "## If this fails",
        "**Next step:** A written complaint",
        "## Your answers",
        "| Question | Answer |",
        "| Are you a shopper or a merchant? | Shopper |",
        "| What have you tried? | In-app chat |",
    ):
        assert f"\n{line}\n" in text, line
    assert "Made: 2026-11-12 22:30 (Asia/Shanghai, UTC+08:00)" in text
    assert "(hotline 0.1)" in text


def test_the_plan_in_chinese(tree: Tree) -> None:
    session = run_answers(tree, {"role": "buyer", "problem": "scam"})
    text = render_markdown(session, "zh", NIGHT)
    assert "**渠道**：挂断电话" in text
    assert "## 防骗提醒" in text and "## 现在" not in text  # no schedule, no open-now line
    assert "| 遇到了什么问题？ | 可疑来电 |" in text
    assert "生成时间：2026-11-12 22:30 (Asia/Shanghai, UTC+08:00)" in text


def test_the_plan_dates_itself_in_beijing_time_whatever_the_zone_given(tree: Tree) -> None:
    session = run_answers(tree, {"role": "seller"})
    text = render_markdown(session, "en", datetime.fromisoformat("2026-11-12T14:30+00:00"))
    assert "Made: 2026-11-12 22:30 (Asia/Shanghai, UTC+08:00)" in text


def test_suggested_name() -> None:
    assert suggested_name("call_hotline", NIGHT) == "pdd-plan-call-hotline-20261112-2230.md"


# --- The atomic write ---------------------------------------------------------------------------


def test_save_writes_utf8_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    save_text(target, "# 计划\n")
    assert target.read_text(encoding="utf-8") == "# 计划\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_save_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        save_text(tmp_path / "plan.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "plan.md").stat().st_mode & 0o777 == 0o644


def test_save_never_overwrites_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(PlanExistsError, match="the file exists; pass --force"):
        save_text(target, "new")
    assert target.read_text(encoding="utf-8") == "mine"
    save_text(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_a_file_created_meanwhile_is_not_clobbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.md"
    real_link = os.link

    def someone_else_writes_first(src: str, dst: str) -> None:
        Path(dst).write_text("theirs", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_writes_first)
    with pytest.raises(PlanExistsError):
        save_text(target, "mine")
    assert target.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_without_hard_links_it_still_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    save_text(tmp_path / "plan.md", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


@pytest.mark.parametrize("fails", ["fsync", "replace"])
def test_a_failure_midway_leaves_no_file_and_no_fragment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old", encoding="utf-8")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, fails, broken)
    with pytest.raises(SaveError, match="No space left on device"):
        save_text(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_an_interruption_midway_leaves_no_fragment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_text(tmp_path / "plan.md", "new")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [("folder", "is a folder"), ("missing/plan.md", "no such folder: "), ("file/plan.md", "file is not a folder")],
)
def test_unusable_paths(tmp_path: Path, where: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SaveError, match=message):
        save_text(tmp_path / where, "x")


# --- `run --save` in a scripted run ----------------------------------------------------------------


def test_scripted_save_writes_the_plan_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    result = run_cli(
        "run",
        "--tree",
        str(HOTLINE),
        *HOTLINE_ANSWERS,
        "--lang",
        "en",
        "--now",
        "2026-11-12T22:30",
        "--save",
        str(target),
    )
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("Call 95187\n")
    assert f"pdd-wizard: saved the plan to {target}" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Call 95187\n") and "Made: 2026-11-12 22:30 (Asia/Shanghai, UTC+08:00)" in text


def test_scripted_save_onto_an_existing_file_is_exit_2_before_anything_runs(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine", encoding="utf-8")
    result = run_cli("run", "--tree", str(MINI), "--defaults", "--save", str(target))
    assert result.status == 2
    assert (
        result.stderr.strip()
        == f"pdd-wizard: {target}: the file exists; pass --force to overwrite it, or choose another name"
    )
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == "mine"


def test_scripted_save_with_force_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("mine", encoding="utf-8")
    result = run_cli("run", "--tree", str(MINI), "--defaults", "--lang", "en", "--save", str(target), "--force")
    assert result.status == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Contact the courier\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--force",), "--force only goes with --save PATH"),
        (("--save", "{tmp}"), "is a folder; give a file name"),
        (("--save", "{tmp}/missing/plan.md"), "no such folder"),
    ],
)
def test_unusable_save_options_are_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    argv = [a.format(tmp=tmp_path) for a in args]
    for tty in (False, True):  # checked before any question is asked, too
        result = run_cli("run", "--tree", str(MINI), *(() if tty else ("--defaults",)), *argv, tty=tty)
        assert result.status == 2
        assert message in result.stderr


def test_the_scripted_text_plan_says_whether_the_hotline_is_open() -> None:
    result = run_cli("run", "--tree", str(HOTLINE), *HOTLINE_ANSWERS, "--lang", "zh", "--now", "2026-11-12T08:00+08:00")
    assert "现在：\n  现在不在人工服务时段：95187 人工客服（北京时间每天 09:00–21:00）。" in result.stdout
    assert "今天 09:00 开始，还有 1 小时；" in result.stdout
    assert "正值高峰期（双11 结束后，到 11月24日）" in result.stdout


# --- What the name already is: a link, a named pipe, a file with its own permissions ----------------


def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    with pytest.raises(PlanExistsError):
        write_file(link, "new", overwrite=False)
    write_file(link, "new")
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8") == "new"
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "made.md")
    write_file(dangling, "made", overwrite=False)
    assert dangling.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8") == "made"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.md", "link.md", "made.md", "real.md"]


def test_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/stdout` or a FIFO: a rename would put a plain file where the pipe was."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_file(fifo, "through the pipe\n")
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_file_keeps_its_permissions_and_a_new_one_gets_the_usual(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    write_file(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    old_mask = os.umask(0o022)
    try:
        for command in (["paths"], ["export", "--format", "mermaid"]):
            out = tmp_path / f"{command[0]}.out"
            assert run_cli(*command, "--tree", str(MINI), "-o", str(out)).status == 0
            assert stat.S_IMODE(out.stat().st_mode) == 0o644, command
    finally:
        os.umask(old_mask)


def test_output_to_dev_stdout_goes_to_standard_output() -> None:
    """`-o /dev/stdout` is a link to a pipe here: written into, as a shell's `>` would."""
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "export", "--tree", str(MINI), "--format", "mermaid", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("flowchart TB\n")


def test_output_to_dev_stdout_appends_where_the_shell_opened_it(tmp_path: Path) -> None:
    """`-o /dev/stdout >> log`: the shell's own descriptor is written to, so the log keeps what it held."""
    log = tmp_path / "log.txt"
    log.write_text("kept\n", encoding="utf-8")
    command = f"{sys.executable} -m wizard paths --tree {MINI} -o /dev/stdout >> {log}; echo after >> {log}"
    assert subprocess.run(["bash", "-c", command], timeout=60).returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kept" and lines[-1] == "after"
    assert lines[1].endswith("6 paths to 5 outcomes")


def test_a_file_named_on_the_command_line_that_cannot_be_written_whole_is_an_error() -> None:
    """`--junit-xml /dev/fd/3` whose reader went away: exit 2 and say so, never a quiet 0 that would
    hide the failed scenarios from CI (plain standard output to `| head` stays quiet, as is usual)."""
    scenarios = FIXTURES / "scenarios" / "fail"
    command = shlex.join([sys.executable, "-m", "wizard", "test", str(scenarios), "--junit-xml", "/dev/fd/3"])
    line = f"{command} 3>&1 >/dev/null | (exit 0); exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "pdd-wizard: --junit-xml /dev/fd/3: cannot write: Broken pipe\n"


def test_a_loop_of_links_and_a_long_name(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(SaveError, match=r": cannot write: a loop of symbolic links$"):
        write_file(loop, "x")
    long_name = tmp_path / ("a" * 250 + ".md")  # the temporary file's name must not be longer still
    write_file(long_name, "x")
    assert long_name.read_text(encoding="utf-8") == "x"


def test_a_set_id_bit_is_not_carried_over(tmp_path: Path) -> None:
    target = tmp_path / "tool.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o4755)
    write_file(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_a_link_planted_by_another_user_in_a_shared_folder_is_not_followed(tmp_path: Path) -> None:
    """As the kernel's protected_symlinks: in a sticky, world-writable folder (/tmp), a link is followed
    only if it is ours or the folder owner's; else a write could be aimed at any file of ours."""
    if os.geteuid() != 0:
        pytest.skip("making a link owned by another user needs root")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    mine = tmp_path / "mine.txt"
    mine.write_text("mine", encoding="utf-8")
    planted = shared / "out.txt"
    planted.symlink_to(mine)
    os.lchown(planted, 65534, 65534)
    with pytest.raises(SaveError, match="a link of another user's in a shared folder"):
        write_file(planted, "aimed")
    assert mine.read_text(encoding="utf-8") == "mine"
    os.lchown(planted, 0, 0)  # our own link: followed
    write_file(planted, "ours")
    assert mine.read_text(encoding="utf-8") == "ours" and planted.is_symlink()


def test_save_to_dev_stdout_needs_no_force() -> None:
    """The stream is not a file to keep: the plan goes where standard output goes, as `-o /dev/stdout` does."""
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "run", "--tree", str(HOTLINE), *HOTLINE_ANSWERS, "--save", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "\n# " in done.stdout and done.stderr == "pdd-wizard: saved the plan to /dev/stdout\n"


def _shared_folder(tmp_path: Path) -> Path:
    """A sticky, world-writable folder such as /tmp, owned by root."""
    if os.geteuid() != 0:
        pytest.skip("making a link owned by another user needs root")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    return shared


def test_a_chain_through_another_users_link_is_not_followed(tmp_path: Path) -> None:
    """Our own link pointing at another user's link in a shared folder: the planted one is met on the way."""
    shared = _shared_folder(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    planted = shared / "planted"
    planted.symlink_to(victim)
    os.lchown(planted, 65534, 65534)
    ours = tmp_path / "ours"
    ours.symlink_to(planted)
    with pytest.raises(SaveError, match="a link of another user's in a shared folder"):
        write_file(ours, "aimed")
    assert victim.read_text(encoding="utf-8") == "mine"


def test_another_users_link_to_a_folder_in_a_shared_folder_is_not_followed(tmp_path: Path) -> None:
    """`--save <their link>/plan.md`: a link anywhere on the way counts, not only the last part."""
    shared = _shared_folder(tmp_path)
    private = tmp_path / "private"
    private.mkdir()
    (private / "plan.md").write_text("mine", encoding="utf-8")
    planted = shared / "folder"
    planted.symlink_to(private)
    os.lchown(planted, 65534, 65534)
    result = run_cli("run", "--tree", str(HOTLINE), *HOTLINE_ANSWERS, "--save", f"{planted}/plan.md", "--force")
    assert result.status == 2 and "a link of another user's in a shared folder" in result.stderr
    assert (private / "plan.md").read_text(encoding="utf-8") == "mine"
    with pytest.raises(SaveError, match=r"in a shared folder \(.*/shared/folder\)"):
        write_file(planted / "new.md", "aimed")
    assert sorted(p.name for p in private.iterdir()) == ["plan.md"]
    os.lchown(planted, 0, 0)  # our own link: followed
    write_file(planted / "new.md", "ours")
    assert (private / "new.md").read_text(encoding="utf-8") == "ours"


def test_a_link_of_the_folders_owner_is_followed(tmp_path: Path) -> None:
    shared = _shared_folder(tmp_path)
    os.chown(shared, 65534, 65534)
    target = tmp_path / "target.txt"
    link = shared / "link"
    link.symlink_to(target)
    os.lchown(link, 65534, 65534)
    write_file(link, "theirs, in their folder")
    assert target.read_text(encoding="utf-8") == "theirs, in their folder"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("new/", r"a name ending in '/' names a folder \(Is a directory\)"),
        ("new/.", r"names a folder"),
        ("existing.md/", r"not a folder, though the name ends in '/' \(Not a directory\)"),
        ("folder/", "is a folder"),
    ],
)
def test_a_name_ending_in_a_slash_is_never_a_file(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "existing.md").write_text("keep", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    with pytest.raises(SaveError, match=message):
        write_file(f"{tmp_path}/{name}", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.md", "folder"]
    assert (tmp_path / "existing.md").read_text(encoding="utf-8") == "keep"


def test_an_input_is_never_replaced_by_any_name(tmp_path: Path) -> None:
    tree = tmp_path / "t.json"
    tree.write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(tree)
    for name in (tree, tmp_path / "sub" / ".." / "t.json", tmp_path / "link.json"):
        with pytest.raises(SaveError, match="which this command reads"):
            write_file(name, "x", inputs=[str(tree)])
    write_file(tmp_path / "other.json", "x", inputs=[str(tree), "-"])
    assert tree.read_text(encoding="utf-8") == "{}"


def test_a_folder_that_takes_no_new_files_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match=r"^/proc/version: cannot make a file in /proc: that folder takes no new files"):
        write_file("/proc/version", "x")
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        with pytest.raises(SaveError, match=r"cannot make a file in .*locked: permission denied"):
            write_file(locked / "plan.md", "x")


def test_a_report_may_name_a_missing_folder_but_never_a_scenario_file(tmp_path: Path) -> None:
    """What `test --junit-xml` can check before running: its folder is made, its inputs are kept."""
    from wizard.source.save import check_target

    scenario = tmp_path / "suite.yaml"
    scenario.write_text("tree: mini\n", encoding="utf-8")
    check_target(tmp_path / "reports" / "junit.xml", make_folders=True, inputs=[scenario])
    with pytest.raises(SaveError, match="no such folder"):
        check_target(tmp_path / "reports" / "junit.xml", inputs=[scenario])
    with pytest.raises(SaveError, match="which this command reads"):
        check_target(tmp_path / "." / "suite.yaml", make_folders=True, inputs=[scenario])
    assert not (tmp_path / "reports").exists()


def test_the_scripted_chinese_plan_uses_full_width_colons() -> None:
    """Issue 17: '渠道: …' in a script, where the interactive view and the Markdown write '渠道：…'."""
    result = run_cli("run", "--tree", str(HOTLINE), *HOTLINE_ANSWERS, "--lang", "zh", "--now", "2026-11-12T08:00+08:00")
    assert result.status == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert [line for line in headings if re.search(r"[\u4e00-\u9fff]: |[\u4e00-\u9fff]:$", line)] == []
    assert "渠道：" in result.stdout and "你的回答：" in result.stdout
