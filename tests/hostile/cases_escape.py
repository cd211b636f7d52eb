"""Rows of the hostile-input table for issue 15's escaping and decoding: nothing from a file reaches
the terminal raw, and a file that is not UTF-8 or holds a number too long is named for what it is.

Every row already fails on a raw ESC, BEL, C1 control or bidi override on either stream, so a row
whose tree has an id like ``q ESC ]52;c;... BEL`` (an OSC 52 clipboard write) proves its output escaped.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.hostile.case import RAW_CONTROL, Case
from tests.utils import MINI

#: OSC 52: a terminal that obeys it writes "hi" to the clipboard.
OSC52 = "\\e]52;c;aGk=\\a"

#: A tree whose ids hold OSC 52, a colour escape and U+202E, and whose texts hold U+202E too.
HOSTILE_TREE = f"""\
id: hostile
title: {{en: "Hostile \\u202e tree"}}
languages: [en]
start: "q{OSC52}"
nodes:
  "q{OSC52}":
    kind: single
    prompt: {{en: "Who \\u202e are you?"}}
    options:
      - {{id: "a\\u202eb", label: {{en: "A \\u202e"}}, next: "o\\e[31m"}}
      - {{id: b, label: {{en: B}}, next: "o\\e[31m"}}
  "o\\e[31m":
    kind: outcome
    level: 1
    title: {{en: "T \\u202e"}}
    channel: {{en: C}}
    summary: {{en: S}}
  "orphan\\u202e":
    kind: outcome
    level: 1
    title: {{en: T}}
    channel: {{en: C}}
    summary: {{en: S}}
"""

#: The same tree with plain texts: only its ids are hostile (warnings), so it can be run.
HOSTILE_IDS = HOSTILE_TREE.replace(" \\u202e", "").replace('  "orphan\\u202e":', '  "orphan\\u2066":')

MINI_TEXT = MINI.read_text(encoding="utf-8")


def _with_level(level: str) -> str:
    return MINI_TEXT.replace("level: 1\n", f"level: {level}\n", 1)


def _mini_json(level: str, *, pad: int = 0) -> str:
    import yaml

    data = yaml.safe_load(MINI_TEXT)
    if pad:  # past the YAML reader's limit: only the JSON reader reads it
        data["description"] = {"zh": "x" * pad, "en": "y" * pad}
    return json.dumps(data, ensure_ascii=False, indent=1).replace('"level": 1', f'"level": {level}', 1)


def _json_valid(folder: Path, done: subprocess.CompletedProcess[bytes]) -> None:
    """The JSON output parses, and still holds the ids exactly (JSON keeps the data)."""
    text = done.stdout.decode("utf-8")
    assert text.isascii() or not RAW_CONTROL.search(text)
    findings = [f for tree in json.loads(text)["trees"] for f in tree["findings"]]
    assert "q\x1b]52;c;aGk=\x07" in {f["node"] for f in findings}
    assert "orphan\u202e" in {f["node"] for f in findings}


def _junit_visible(folder: Path, done: subprocess.CompletedProcess[bytes]) -> None:
    """The JUnit file parses as XML, holds no raw control, and shows the stand-ins."""
    raw = (folder / "out.xml").read_text(encoding="utf-8")
    assert not RAW_CONTROL.search(raw), RAW_CONTROL.search(raw)
    names = [case.get("name", "") for case in ET.parse(folder / "out.xml").iter("testcase")]
    assert "bad \\x1b]52;c;aGk=\\x07 \\u202e \\x00 \\x85" in names, names


HOSTILE_SCENARIO = f"""\
tree: t.yaml
scenarios:
  - name: "bad {OSC52} \\u202e \\0 \\x85"
    answers: {{role: seller}}
    expect: {{outcome: use_chat}}
"""

CASES = [
    # --- Ids and keys from a file, in every format of check ---------------------------------
    Case(
        "check text: OSC 52 and U+202E ids",
        ("check", "t.yaml"),
        1,
        r"W411 node 'q\\x1b\]52;c;aGk=\\x07'",
        files={"t.yaml": HOSTILE_TREE},
    ),
    Case(
        "check github: OSC 52 and U+202E ids",
        ("check", "--format", "github", "t.yaml"),
        1,
        r"::warning file=t\.yaml,line=7,col=5,title=W411::node 'q\\x1b\]52;c;aGk=\\x07'",
        files={"t.yaml": HOSTILE_TREE},
    ),
    Case(
        "check json: ids kept exact, JSON-escaped",
        ("check", "--format", "json", "t.yaml"),
        1,
        r'"node": "q\\u001b\]52;c;aGk=\\u0007"',
        files={"t.yaml": HOSTILE_TREE},
        after=_json_valid,
    ),
    Case(
        "check: the ok line of a file named with a line feed",
        ("check", "a\nb.yaml"),
        0,
        r"(?m)^a\\nb\.yaml: ok \(",
        files={"a\nb.yaml": MINI_TEXT},
    ),
    Case(
        "check github: a file named with a line feed, comma and colon",
        ("check", "--format", "github", "a\n,:%.yaml"),
        1,
        r"(?m)^::warning file=a\\n%2C%3A%25\.yaml,line=7",
        files={"a\n,:%.yaml": HOSTILE_IDS},
    ),
    # --- run's warnings about ignored answers -----------------------------------------------
    Case(
        "run: ignored answers with OSC 52 and U+202E keys",
        ("run", "--tree", "t.yaml", "--answers", "a.yaml", "--answer", "z\x1b]52;c;aGk=\x07=1", "--defaults"),
        0,
        r"a\.yaml:2:\d+: answer to 'x\\x1b\]52;c;aGk=\\x07' ignored(?s:.*)--answer z\\x1b\]52",
        files={"t.yaml": HOSTILE_IDS, "a.yaml": f'"q{OSC52}": b\n"x{OSC52}": 1\n"y\\u202e": 2\n'},
    ),
    # --- Exports of tree text with U+202E and ids with escapes --------------------------------
    Case(
        "export dot: U+202E text and OSC 52 ids",
        ("export", "--tree", "t.yaml", "--format", "dot", "--cluster"),
        0,
        "digraph",
        files={"t.yaml": HOSTILE_TREE},
    ),
    Case(
        "export mermaid: U+202E text and OSC 52 ids",
        ("export", "--tree", "t.yaml", "--format", "mermaid"),
        0,
        "flowchart",
        files={"t.yaml": HOSTILE_TREE},
    ),
    # --- JUnit XML from a scenario named with controls ------------------------------------------
    Case(
        "test --junit-xml: a scenario named with OSC 52, U+202E, NUL, NEL",
        ("test", "s.yaml", "--format", "json", "--junit-xml", "out.xml"),
        1,
        "",
        files={"t.yaml": MINI_TEXT, "s.yaml": HOSTILE_SCENARIO},
        after=_junit_visible,
    ),
    # --- Files that are not UTF-8 ------------------------------------------------------------
    Case(
        "check a UTF-16 file with a BOM",
        ("check", "t.yaml"),
        2,
        r"t\.yaml: E100 UTF-16 text \(it starts with a "
        "UTF-16 byte order mark\\); trees and answers are UTF-8",
        files={"t.yaml": MINI_TEXT.encode("utf-16")},
    ),
    Case(
        "check a UTF-16 big-endian file with a BOM",
        ("check", "t.yaml"),
        2,
        "E100 UTF-16 text",
        files={"t.yaml": b"\xfe\xff" + MINI_TEXT.encode("utf-16-be")},
    ),
    Case(
        "check a UTF-32 file with a BOM",
        ("check", "t.yaml"),
        2,
        "E100 UTF-32 text",
        files={"t.yaml": MINI_TEXT.encode("utf-32")},
    ),
    Case(
        "check a UTF-16 file with no BOM",
        ("check", "t.yaml"),
        2,
        "E100 UTF-16 text with no byte order mark",
        files={"t.yaml": MINI_TEXT.encode("utf-16-le")},
    ),
    Case(
        "check a UTF-8 file with a BOM",
        ("check", "t.yaml"),
        0,
        r"t\.yaml: ok",
        files={"t.yaml": MINI_TEXT.encode("utf-8-sig")},
    ),
    Case(
        "check a binary file", ("check", "t.yaml"), 2, r"binary file \(NUL byte\)", files={"t.yaml": bytes(range(256))}
    ),
    Case(
        "run with a UTF-16 answers file",
        ("run", "--tree", "t.yaml", "--answers", "a.yaml"),
        2,
        r"a\.yaml: UTF-16 text",
        files={"t.yaml": MINI_TEXT, "a.yaml": "role: seller\n".encode("utf-16")},
    ),
    # --- Whole numbers too long for Python's int() ---------------------------------------------
    Case(
        "check a 5,000-digit level",
        ("check", "t.yaml"),
        2,
        r"t\.yaml:41:12: E100 a whole number of 5,000 digits; numbers are read up to 4,300 digits",
        files={"t.yaml": _with_level("9" * 5000)},
    ),
    Case(
        "check a 5,000-digit negative level",
        ("check", "t.yaml"),
        2,
        r"t\.yaml:41:12: E100 a whole number of 5,000",
        files={"t.yaml": _with_level("-" + "9" * 5000)},
    ),
    Case(
        "check a 4,000-digit level", ("check", "t.yaml"), 0, r"t\.yaml: ok", files={"t.yaml": _with_level("9" * 4000)}
    ),
    Case(
        "show a level of 5,000 hexadecimal digits",
        ("show", "--tree", "t.yaml"),
        2,
        r"t\.yaml:41:12: a whole number of more than 4,300 digits",
        files={"t.yaml": _with_level("0x" + "f" * 5000)},
    ),
    Case(
        "check a 5,000-digit level in JSON",
        ("check", "t.json"),
        2,
        r"t\.json:\d+:\d+: E100 a whole number of 5,000",
        files={"t.json": _mini_json("9" * 5000)},
    ),
    Case(
        "check a 5,000-digit level in JSON over the YAML limit",
        ("check", "t.json"),
        2,
        r"t\.json:\d+:\d+: E100 a whole number of 5,000",
        files={"t.json": _mini_json("9" * 5000, pad=600_000)},
    ),
    Case(
        "check a 5,000-digit option key",
        ("check", "t.yaml"),
        2,
        r"t\.yaml:9:14: E100 a whole number of 5,000",
        files={"t.yaml": MINI_TEXT.replace("default: buyer", "default: " + "9" * 5000, 1)},
    ),
    Case(
        "run with a 5,000-digit answer",
        ("run", "--tree", "t.yaml", "--answers", "a.yaml"),
        2,
        r"a\.yaml:1:7: a whole number of 5,000",
        files={"t.yaml": MINI_TEXT, "a.yaml": "role: " + "7" * 5000 + "\n"},
    ),
    Case(
        "test a scenario with a 5,000-digit value",
        ("test", "s.yaml"),
        2,
        r"s\.yaml:3:\d+: a whole number of 5,000",
        files={"t.yaml": MINI_TEXT, "s.yaml": "tree: t.yaml\nscenarios:\n  - name: " + "1" * 5000 + "\n"},
    ),
    Case(
        "check --max-depth of 5,000 digits",
        ("check", "--max-depth", "9" * 5000, "t.yaml"),
        2,
        "at most 4,300 digits",
        files={"t.yaml": MINI_TEXT},
    ),
]
