"""Files to model: safe reading with locations, decoding with msgspec, and a located reporter.

A tree is read in three steps:
- `read_document` reads the text into plain data: JSON with the json module, anything
  else with libyaml's safe parser through a composer that records where each value
  stands. Both refuse duplicate keys, and the YAML reader alias bombs, deep nesting
  and oversized files.
- `build_tree` decodes the data into the model with `msgspec.convert`, which checks every
  type, required and unknown field and limit the model declares, in C.
- Only when that refuses the data does the model-driven reporter (`_Builder`) read it
  again, field by field, to list every problem of the file with its file:line:col.

The loader checks shape and types. What a tree means (references, conditions naming real
questions, translations) is checked by the rules (`wizard.rules`), for `check` and for
loading alike. Locations are worked out from paths, only when a message needs one.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Union

import msgspec
import yaml

from wizard.core import model
from wizard.core.errors import LoadError, Problem
from wizard.core.model import Condition, Localized, Location

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "Document",
    "build_tree",
    "collector_paused",
    "load_tree",
    "parse_condition",
    "read_document",
    "read_tree",
    "resolve_tree",
    "shipped_trees",
]

#: Largest file read, in bytes: a larger one is refused before parsing. Only JSON (which is
#: YAML too, and which the json module reads some fifteen times faster) may be this large.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Largest file read through the YAML parser, in bytes. A hand-written tree is tens of KB (the
#: Pinduoduo tree about 60 KB); libyaml reads about 1.5 MB a second here, so a broken file up to
#: this size is refused in well under a second. A program writing a larger tree writes JSON.
MAX_YAML_BYTES = 1024 * 1024
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 64
#: How many values aliases may add to a document beyond the ones written out.
MAX_ALIAS_EXPANSION = 50_000
#: Most digits of a whole number read from a file: Python's own limit on turning text into an
#: int and back (`sys.get_int_max_str_digits`), past which `int()` and `str()` raise ValueError.
MAX_NUMBER_DIGITS = 4300
#: The least whole number with more digits than that (a hexadecimal one is not held by the limit).
_TOO_MANY_DIGITS = 10**MAX_NUMBER_DIGITS

try:  # libyaml is ~7x faster than the pure-Python parser; both are safe.
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"


class _Loader:
    """What the composer needs to know of YAML's implicit types."""

    #: First characters of plain scalars that may resolve to something other than a string.
    _special = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)


_TAG = "tag:yaml.org,2002:"


class Document:
    """Plain data read from a YAML file, with the location of every value.

    Attributes:
        data: The converted value: dicts, lists, str, int, float, bool, None.
        file: The file name used in messages.
    """

    def __init__(self, data: Any, file: str) -> None:
        self.data = data
        self.file = file
        # id(container) -> (mark of the container, {key or index: mark of the value}); libyaml's
        # marks are kept as they are and become a Location only when one is asked for.
        self._where: dict[int, tuple[yaml.Mark, dict[Any, yaml.Mark]]] = {}
        # id(container) -> {key or index: source text of a plain scalar that did not resolve to str}
        self._text: dict[int, dict[Any, str]] = {}

    def where(self, container: Any, key: Any = None) -> Location:
        """Location of `container[key]`, or of the container itself when `key` is None."""
        line, column = self.locate(container, key)
        return Location(self.file, line, column)

    def where_all(self, containers: Iterable[Any], keys: Iterable[Any]) -> list[Location]:
        """`where(container, key)` of each pair."""
        return list(map(self.where, containers, keys))

    def locate(self, container: Any, key: Any = None) -> tuple[int, int]:
        """1-based line and column of `container[key]` (or of the container); (0, 0) when unknown."""
        entry = self._where.get(id(container))
        if entry is None:
            return 0, 0
        mark = entry[0] if key is None else entry[1].get(key, entry[0])
        return mark.line + 1, mark.column + 1

    def text(self, container: Any, key: Any) -> str | None:
        """The source text of a plain scalar (`yes`, `1.0`, `21:00`) when it did not resolve to a string."""
        return self._text.get(id(container), {}).get(key)

    def where_path(self, paths: list[model.Path]) -> list[Location]:
        """Where each path of the data is: the value's place (a mapping's key, a list's item)."""
        located = []
        for path in paths:
            container, key = self.data, None
            for step in path:
                if key is not None:
                    container = container[key]
                if not isinstance(container, (dict, list)) or not _has(container, step):
                    break
                key = step
            located.append(self.where(container, key))
        return located

    def finish(self, problems: list[Problem]) -> list[Problem]:
        """The problems with their places worked out, in the order of the file."""
        return sorted(problems, key=_problem_order)


def _has(container: dict[Any, Any] | list[Any], step: Any) -> bool:
    if type(container) is dict:
        return step in container
    return type(step) is int and 0 <= step < len(container)


#: A document of no file: conditions parsed outside the reporter locate nothing.
_NOWHERE = Document(None, "")


class _Pending(Location, frozen=True):
    """A place in a JSON document not worked out yet: `_JsonDocument.finish` does, for all at once."""

    container: Any = None
    key: Any = None


class _JsonDocument(Document):
    """A document the json module read: its values carry no positions, so places are found in the
    text from the values' paths (`_json_places`). While the reporter runs, places are only noted,
    and `finish` works them all out in one pass over the text."""

    def __init__(self, data: Any, file: str, source: str) -> None:
        super().__init__(data, file)
        self.source = source
        self.deferred = False
        self._parents: dict[int, tuple[Any, Any]] | None = None

    def where(self, container: Any, key: Any = None) -> Location:
        if self.deferred:
            return _Pending(self.file, container=container, key=key)
        return _json_places(self.source, self.file, [self._path(container, key)])[0]

    def where_path(self, paths: list[model.Path]) -> list[Location]:
        return _json_places(self.source, self.file, paths)

    def _path(self, container: Any, key: Any) -> model.Path:
        if self._parents is None:
            self._parents = _parents(self.data)
        path = _path_of(container, self._parents)
        return path if key is None else (*path, key)

    def finish(self, problems: list[Problem]) -> list[Problem]:
        pending = [p for p in problems if isinstance(p.location, _Pending)]
        paths = [self._path(p.location.container, p.location.key) for p in pending]  # type: ignore[union-attr]
        for problem, place in zip(pending, _json_places(self.source, self.file, paths), strict=True):
            problem.location = place
        self.deferred = False
        return super().finish(problems)


def _parents(data: Any) -> dict[int, tuple[Any, Any]]:
    """id(container) -> (the container holding it, its key there), for every container in `data`."""
    parents: dict[int, tuple[Any, Any]] = {}
    stack = [data]
    while stack:
        value = stack.pop()
        items: Iterable[tuple[Any, Any]] = value.items() if type(value) is dict else enumerate(value)
        for key, child in items:
            if type(child) is dict or type(child) is list:
                parents[id(child)] = (value, key)
                stack.append(child)
    return parents


def _path_of(container: Any, parents: dict[int, tuple[Any, Any]]) -> model.Path:
    path: list[Any] = []
    while id(container) in parents:
        container, key = parents[id(container)]
        path.append(key)
    return tuple(reversed(path))


def _json_places(text: str, file: str, paths: list[model.Path]) -> list[Location]:
    """Where each path's value starts in a JSON text, found in one scan of the text.

    The paths make a trie; the scan walks the text with json's own C readers, going into the
    values a path leads through and skipping every other whole, so its time is linear in the
    text whatever the number of paths. A path that goes where the text does not stops at its
    last step found.
    """
    import json.decoder
    import json.scanner

    trie: dict[Any, Any] = {}
    for path in paths:
        node = trie
        for step in path:
            node = node.setdefault(step, {})
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    skip = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
    space = re.compile(r"[ \t\n\r]*").match
    offsets: dict[model.Path, int] = {}

    def scan(index: int, node: dict[Any, Any], prefix: model.Path) -> int:
        """Scan the container opening at `index`; return the offset just past its end."""
        offsets[prefix] = index
        is_object = text[index] == "{"
        index = space(text, index + 1).end()  # type: ignore[union-attr]
        count = 0
        while text[index] not in "}]":
            if is_object:
                name, index = scanstring(text, index + 1)
                index = space(text, space(text, index).end() + 1).end()  # type: ignore[union-attr]  # past ':'
            else:
                name = count
            count += 1
            below = node.get(name)
            here = (*prefix, name)
            if below is not None:
                offsets[here] = index
            index = scan(index, below, here) if below and text[index] in "{[" else skip(text, index)[1]
            index = space(text, index).end()  # type: ignore[union-attr]
            if text[index] == ",":
                index = space(text, index + 1).end()  # type: ignore[union-attr]
        return index + 1

    start = space(text, 0).end()  # type: ignore[union-attr]
    scan(start, trie, ())
    by_offset = sorted(set(offsets.values()))
    lines: dict[int, tuple[int, int]] = {}
    line, last, line_start = 1, 0, 0
    for offset in by_offset:  # lines counted once, from one offset to the next
        breaks = text.count("\n", last, offset)
        if breaks:  # the line's start searched back only to the last offset: one long line stays linear
            line += breaks
            line_start = text.rfind("\n", last, offset) + 1
        lines[offset] = (line, offset - line_start + 1)
        last = offset
    located = []
    for path in paths:
        while path not in offsets and path:
            path = path[:-1]
        at = lines.get(offsets.get(path, -1))
        located.append(Location(file, *at) if at else Location(file))
    return located


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while a file becomes objects, none of which make a cycle (nor do
    the checks' and exports' objects: each of those pauses it too). Reference counting still frees
    everything. Re-entrant: only the outermost pause turns it back on.

    # perf: benchmarks/bench_check.py — json.loads with the duplicate-key hook, then msgspec.convert,
    # of the 100,000-node tree: 2.3 s with the collector on, 1.4 s off (it walks every new dict).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_JSON_START = re.compile(r"\s*\{")
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
#: A \uD800-\uDFFF escape: only when one is written is the slower exact test run.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _read_json(text: str, file: str) -> Document | None:
    """The document when `text` is a JSON object with no key twice; None to leave it to the YAML reader.

    Whatever json refuses (a syntax error, a duplicate key, NaN, nesting too deep for
    it) goes to the YAML reader, which reads the same text and says where it is wrong.
    """
    if _JSON_START.match(text) is None:
        return None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _LONE_SURROGATE.search(text):
        return None  # a lone surrogate (\ud800) would make a string no stream can write
    import json

    try:
        with collector_paused():
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if len(text) > MAX_YAML_BYTES:  # too large to hand to the YAML reader: json says where
            raise LoadError(Problem(Location(file, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")) from None
        return None
    except (ValueError, RecursionError, _DuplicateKey):
        if len(text) > MAX_YAML_BYTES:  # too large for the YAML reader: a whole number too long for int()?
            _refuse_long_number(text, file)
        return None
    return _JsonDocument(data, file, text)


def _refuse_long_number(text: str, file: str) -> None:
    """Raise a located LoadError when `text` holds a whole number of more than `MAX_NUMBER_DIGITS` digits."""
    found = re.search(rf"\d{{{MAX_NUMBER_DIGITS + 1},}}", text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problem = Problem(Location(file, line, column), _too_long(f"{len(found.group()):,} digits"))
        raise LoadError(problem) from None


def read_document(
    path: Path | str, *, display: str | None = None, text: str | None = None, raw: bytes | None = None
) -> Document:
    """Read a YAML (or JSON) file safely into a `Document`.

    Args:
        path: The file.
        display: The file name in messages (default: `path` as given).
        text: The file's text, when already read (`path` is then only a name).
        raw: The file's bytes, when already read (standard input): checked and decoded as a file's.

    Raises:
        LoadError: The file cannot be read, is not UTF-8, is not YAML, or breaks a limit.
    """
    file = display or str(path)
    given = raw if raw is not None else text  # already read: measured here, a file's size by the system below
    if given is not None and len(given if isinstance(given, bytes) else given.encode("utf-8")) > MAX_FILE_BYTES:
        raise LoadError(Problem(Location(file), f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes"))
    if text is None:
        if raw is None:
            from wizard.source.reading import read_bounded  # counted as read: a pipe or device has no size

            raw = read_bounded(path, MAX_FILE_BYTES, file)
        if b"\x00" in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LoadError(Problem(Location(file), _not_utf8(raw)))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise LoadError(Problem(Location(file, line, column), "invalid UTF-8; save the file as UTF-8")) from None
    document = _read_json(text, file)
    if document is not None:
        return document
    return _read_yaml(text, file)


def _read_yaml(text: str, file: str) -> Document:
    """A document read by the YAML reader, which locates every problem (JSON that json refused included)."""
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES and _JSON_START.match(text) is None:  # JSON json refused: the YAML reader locates it
        raise LoadError(
            Problem(
                Location(file),
                f"YAML file is {size:,} bytes; YAML is read up to {MAX_YAML_BYTES:,} (1 MiB): "
                f"write a file this large as JSON, which is YAML too, read up to {MAX_FILE_BYTES:,}",
            )
        )
    try:
        return _Composer(file).run(yaml.parse(text, Loader=_SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            what += " (a tab: YAML is indented with spaces, never tabs)"
        raise LoadError(Problem(where, f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(Location(file), f"YAML error: {' '.join(str(exc).split())}")) from None


#: Byte order marks of the encodings a text editor may save a file in instead of UTF-8, longest first
#: (UTF-32 LE begins with UTF-16 LE's). A UTF-8 one is read, and dropped, as UTF-8.
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _not_utf8(raw: bytes) -> str:
    """What a file holding NUL bytes or a UTF-16 byte order mark is, in words: UTF-16 or -32 text, or binary."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return f"{encoding} text (it starts with a {encoding} byte order mark); trees and answers are UTF-8"
    head = raw[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)  # ASCII in UTF-16 has a NUL in every pair
    if min(even, odd) == 0 and max(even, odd) * 4 >= len(head) // 2:
        return (
            "UTF-16 text with no byte order mark, it seems (NUL bytes in every second place only); "
            "trees and answers are UTF-8"
        )
    return "binary file (NUL byte); expected YAML text"


def _too_long(size: str) -> str:
    return f"a whole number of {size}; numbers are read up to {MAX_NUMBER_DIGITS:,} digits"


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of `text` ("" past its end)."""
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


class _Frame:
    """A mapping or list being filled while events stream in."""

    __slots__ = ("anchor", "key", "key_lines", "mark", "size", "texts", "value", "where")
    mark: Any

    def __init__(self, value: Any, mark: yaml.Mark, anchor: str | None) -> None:
        self.value = value
        self.mark = mark
        self.anchor = anchor
        self.where: dict[Any, yaml.Mark] = {}
        self.texts: dict[Any, str] = {}
        self.key: Any = _NO_KEY
        self.key_lines: dict[Any, int] = {}  # where each key is written (its value may start a line below)
        self.size = 1


_NO_KEY = object()


class _Composer:
    """libyaml's events to plain data in one pass, recording where each value stands.

    Composing YAML nodes first (PyYAML's `compose`) costs several times the parse
    itself, in Python calls per node; reading the events directly builds the data
    and the location table at once. Anchored values are shared, never copied, and
    the size they would expand to is counted to refuse alias bombs.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.doc = Document(None, file)
        self.resolver = yaml.resolver.Resolver()

    def fail(self, mark: yaml.Mark | None, message: str) -> LoadError:
        where = Location(self.file, mark.line + 1, mark.column + 1) if mark else Location(self.file)
        return LoadError(Problem(where, message))

    def run(self, events: Any) -> Document:  # noqa: C901 - one loop over the event stream, by event kind: split up, each event would cost a call
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int, str | None]] = {}
        documents = 0
        distinct = 0
        root_size = 0
        root_mark: yaml.Mark | None = None
        for event in events:
            kind = type(event)
            text: str | None = None
            mark = event.start_mark
            if kind is yaml.ScalarEvent:
                if stack and stack[-1].key is _NO_KEY and isinstance(stack[-1].value, dict):
                    self.key(stack[-1], event)  # keys are read as written: `yes` and `1` stay strings
                    continue
                value, text = self.scalar(event)
                size = 1
                distinct += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, text)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                tag = event.tag
                if tag is not None and tag != "!" and tag not in (_TAG + "map", _TAG + "seq"):
                    raise self.fail(event.start_mark, f"unsupported YAML tag {tag!r}")
                if stack and stack[-1].key is _NO_KEY and isinstance(stack[-1].value, dict):
                    raise self.fail(event.start_mark, "a key must be a plain string")
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
                distinct += 1
                stack.append(_Frame({} if kind is yaml.MappingStartEvent else [], event.start_mark, event.anchor))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                value, size, mark = frame.value, frame.size, frame.mark
                self.doc._where[id(value)] = (frame.mark, frame.where)
                if frame.texts:
                    self.doc._text[id(value)] = frame.texts
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, size, None)
            elif kind is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise self.fail(event.start_mark, f"alias '*{event.anchor}' names no anchor defined before it")
                value, size, text = anchors[event.anchor]
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(event.start_mark, "more than one YAML document; expected one")
                continue
            else:  # stream start and end, document end
                continue
            if not stack:
                self.doc.data, root_size, root_mark = value, size, mark
                continue
            frame = stack[-1]
            if isinstance(frame.value, dict):
                if frame.key is _NO_KEY:  # an alias as a key
                    raise self.fail(mark, "a key must be a plain string")
                frame.value[frame.key] = value
                frame.where[frame.key] = mark
                if text is not None:
                    frame.texts[frame.key] = text
                frame.key = _NO_KEY
            else:
                index = len(frame.value)
                frame.value.append(value)
                frame.where[index] = mark
                if text is not None:
                    frame.texts[index] = text
            frame.size += size
        if documents == 0 or root_mark is None:
            raise self.fail(None, "file is empty; expected a mapping") from None
        if root_size > max(2 * distinct, distinct + MAX_ALIAS_EXPANSION):
            raise self.fail(
                root_mark,
                f"aliases expand {distinct:,} values to {root_size:,}; refusing (at most "
                f"{MAX_ALIAS_EXPANSION:,} more than written)",
            )
        return self.doc

    def key(self, frame: _Frame, event: Any) -> None:
        name = event.value
        if name == "<<" and event.implicit[0]:
            raise self.fail(event.start_mark, "merge keys '<<' are not supported")
        if name in frame.value:
            first = frame.key_lines[name]
            raise self.fail(event.start_mark, f"duplicate key '{name}' (first defined at line {first + 1})")
        frame.key = name
        frame.key_lines[name] = event.start_mark.line

    def scalar(self, event: Any) -> tuple[Any, str | None]:
        """A scalar's value, and its source text when a plain scalar did not resolve to a string."""
        text, tag = event.value, event.tag
        if tag is None or tag == "!":
            implicit = event.implicit
            if not implicit[0] or (text and text[0] not in _Loader._special):
                return text, None  # quoted, or plain but can only be a string
            tag = self.resolver.resolve(yaml.ScalarNode, text, implicit)  # type: ignore[no-untyped-call]
        if tag == _STR_TAG:
            return text, None
        if tag == _TAG + "null":
            return None, None
        if tag == _TAG + "bool":
            return text.lower() in ("yes", "true", "on", "y"), text
        if tag == _TAG + "int":
            try:
                number = int(text.replace("_", ""), 0)
            except ValueError:
                digits = sum(char.isdigit() for char in text)
                if digits > MAX_NUMBER_DIGITS:
                    raise self.fail(event.start_mark, _too_long(f"{digits:,} digits")) from None
                return text, text  # sexagesimal and other YAML 1.1 forms: keep the text
            if abs(number) >= _TOO_MANY_DIGITS:  # 0x... with thousands of hexadecimal digits
                raise self.fail(event.start_mark, _too_long(f"more than {MAX_NUMBER_DIGITS:,} digits"))
            return number, text
        if tag == _TAG + "float":
            try:
                return float(text.replace("_", "")), text
            except ValueError:
                return text, text
        if tag == _TAG + "timestamp":
            return text, text
        raise self.fail(event.start_mark, f"unsupported YAML tag {tag!r}")


# --- The reporter ---------------------------------------------------------------------------


class _Builder:
    """The model-driven reporter: reads a document field by field as the model declares it, and
    says what is wrong with each value, every problem of the file at once.

    It runs only when `msgspec.convert` refused the data. It builds the tree as well: what it
    reads more leniently than msgspec (a plain YAML scalar such as `yes` or `21:00` where a
    text is expected, a lone id for a list of ids) still makes a tree.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        self.kinds: Mapping[str, str] = {}  # node id -> node kind, for condition shorthands and references

    def problem(self, where: Location, context: str, message: str) -> None:
        self.problems.append(Problem(where, f"{context}: {message}" if context else message))

    # The generic part: a value of a given type hint, read by a function made once per hint.
    def value(self, hint: Any, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        return _reader(hint)(self, data, parent, key, context, name)

    def read_str(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        if type(data) is str:
            return data
        text = self.doc.text(parent, key)
        if text is not None and not isinstance(data, (dict, list)):
            return text
        self.problem(self.doc.where(parent, key), context, f"'{name}' must be a string, not {_kind(data)}")
        return None

    def read_int(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        self.problem(self.doc.where(parent, key), context, f"'{name}' must be a whole number, not {_kind(data)}")
        return None

    def read_bool(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        if isinstance(data, bool):
            return data
        self.problem(self.doc.where(parent, key), context, f"'{name}' must be true or false, not {_kind(data)}")
        return None

    def read_point(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        # With `text`, or with `when` (then `text` is misspelt): an item with a condition, read as one.
        if isinstance(data, dict) and ("text" in data or ("when" in data and "when" not in self.languages)):
            return self.record(model.Point, data, parent, key, context)
        plain = self.localized(data, parent, key, context, name)  # the plain-text shorthand
        return None if plain is None else model.Point(plain)

    def read_condition(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        return None if data is None else self.condition(data, parent, key, context)

    def localized(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Localized | None:
        if isinstance(data, str):
            langs = " and ".join(repr(lang) for lang in self.languages)
            self.problem(
                self.doc.where(parent, key),
                context,
                f"'{name}' must give a text per language ({langs}), not one string",
            )
            return None
        if not isinstance(data, dict):
            self.problem(
                self.doc.where(parent, key),
                context,
                f"'{name}' must be a mapping of language to text, not {_kind(data)}",
            )
            return None
        texts: dict[str, str] = {}
        ok = True
        for lang, text in data.items():
            if not isinstance(text, str):
                text = self.doc.text(data, lang)
                if text is None:
                    self.problem(self.doc.where(data, lang), context, f"'{name}' in '{lang}' must be text")
                    ok = False
                    continue
            texts[lang] = text
        return Localized(texts) if ok else None

    def record(
        self,
        cls: type,
        data: Any,
        parent: Any,
        key: Any,
        context: str,
        node_id: str | None = None,
        given: dict[str, Any] | None = None,
    ) -> Any:
        """A record from a mapping; fields from the class, unknown keys refused.

        Args:
            given: Fields already built by the caller (read from `data` but not converted here).
        """
        where = self.doc.where(parent, key)
        if not isinstance(data, dict):
            what = cls.__name__.lower()
            self.problem(where, context, f"expected a mapping for a {what}, not {_kind(data)}")
            return None
        plan = _plan(cls)
        values: dict[str, Any] = {}
        ok = True
        for name, raw in data.items():  # the keys written, not every field the class has
            if name == plan.tag:
                continue  # the node's kind: `node` read it
            spec = plan.fields.get(name)
            if spec is None:
                known = ", ".join(sorted({*plan.fields, *([plan.tag] if plan.tag else [])}))
                self.problem(self.doc.where(data, name), context, f"unknown field '{name}'; expected one of: {known}")
                ok = False
                continue
            if given is not None and name in given:
                continue
            read, required, optional = spec
            if raw is None and (optional or required):
                continue  # an optional field left empty; a required one is reported below
            got = read(self, raw, data, name, context, name)
            if got is None:  # its reader said what is wrong with it: it is not missing too
                ok = False
                continue
            values[name] = got
        values.update(given or {})
        for name, (_, required, _) in plan.fields.items():
            if required and name not in values and data.get(name) is None:
                self.problem(where, context, f"missing required field '{name}'")
                ok = False
        if not ok:
            return None
        if plan.keyed:
            values["id"] = node_id
        return cls(**values)

    # The parts that are not plain fields.
    def read_languages(self, data: dict[str, Any]) -> tuple[str, ...]:
        """The tree's languages, which every text is read against (zh and en when they are wrong)."""
        languages = data.get("languages")
        if isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages):
            found = tuple(languages)
            for index, code in enumerate(languages):
                if _LANGUAGE.fullmatch(code) is None:
                    self.problem(
                        self.doc.where(languages, index),
                        "",
                        f"{_shown(code)} is not a language code: two lower-case letters, then perhaps a script "
                        "or region, as zh, en or zh-Hant",
                    )
        else:
            self.problem(
                self.doc.where(data, "languages") if "languages" in data else self.doc.where(data),
                "",
                "'languages' must be a non-empty list of language codes, for example [zh, en]",
            )
            return ("zh", "en")
        return found

    def tree(self) -> model.Tree | None:
        data = self.doc.data
        context = ""
        if not isinstance(data, dict):
            self.problem(self.doc.where(data), "", f"expected a mapping at the top of the tree, not {_kind(data)}")
            return None
        self.languages = self.read_languages(data)
        nodes_data = data.get("nodes")
        if not isinstance(nodes_data, dict) or not nodes_data:
            where = self.doc.where(data, "nodes") if "nodes" in data else self.doc.where(data)
            self.problem(where, "", "'nodes' must be a non-empty mapping of node id to node")
            nodes_data = {}
        self.kinds = {k: str(v.get("kind")) for k, v in nodes_data.items() if type(v) is dict}
        known = {"id", "title", "languages", "start", "nodes", "description", "schedules", "version", "facts"}
        for name in data:
            if name not in known:
                self.problem(
                    self.doc.where(data, name),
                    context,
                    f"unknown field '{name}'; expected one of: {', '.join(sorted(known))}",
                )
        nodes: dict[str, model.Node] = {}
        for node_id, node_data in nodes_data.items():
            node = self.node(node_id, node_data, nodes_data)
            if node is not None:
                nodes[node_id] = node
        schedules: dict[str, model.Schedule] = {}
        schedules_data = data.get("schedules") or {}
        if not isinstance(schedules_data, dict):
            self.problem(self.doc.where(data, "schedules"), "", "'schedules' must be a mapping of id to schedule")
            schedules_data = {}
        for sid, sdata in schedules_data.items():
            schedule = self.record(model.Schedule, sdata, schedules_data, sid, f"schedule '{sid}'", sid)
            if schedule is not None:
                schedules[sid] = schedule
        head: dict[str, Any] = {}
        hints = typing.get_type_hints(model.Tree, vars(model))
        for name in ("id", "title", "start", "description", "version", "facts"):
            if name not in data or data[name] is None:
                if name in ("id", "title", "start"):
                    self.problem(self.doc.where(data), "", f"missing required field '{name}'")
                continue
            head[name] = self.value(hints[name], data[name], data, name, "", name)
        self.fact_names(data, head.get("facts") or ())
        self.values_in_range(nodes, nodes_data, schedules, schedules_data)
        if self.problems:
            return None
        return model.Tree(languages=self.languages, nodes=nodes, schedules=schedules, **head)

    def fact_names(self, data: dict[str, Any], facts: tuple[str, ...]) -> None:
        """Each declared fact a plain lower-case name, as a text writes it between braces."""
        for index, name in enumerate(facts):
            if _FACT_NAME.fullmatch(name) is None:
                where = (
                    self.doc.where(data["facts"], index)
                    if isinstance(data["facts"], list)
                    else self.doc.where(data, "facts")
                )
                self.problem(
                    where, "", f"'facts[{index + 1}]' is {name!r}; a fact's name is lower-case letters, digits and _"
                )

    def values_in_range(
        self,
        nodes: Mapping[str, model.Node],
        nodes_data: dict[str, Any],
        schedules: Mapping[str, model.Schedule],
        schedules_data: dict[str, Any],
    ) -> None:
        """Values of the right type that mean nothing: a time zone no one has, 25:00, 13-45, a level
        below 0. The schema says the same to an editor (its patterns and minimums come from the
        model); the wizard would silently drop the advice built on them."""
        outcomes = [n for n in nodes.values() if type(n) is model.Outcome]
        if outcomes and min(n.level for n in outcomes) < 0:
            for node in outcomes:
                if node.level < 0:
                    where = self.doc.where(nodes_data[node.id], "level")
                    self.problem(where, f"node '{node.id}'", f"'level' must be 0 or more, not {node.level}")
        for sid, schedule in schedules.items():
            written = schedules_data[sid]
            context = f"schedule '{sid}'"
            if not _known_zone(schedule.timezone):
                self.problem(
                    self.doc.where(written, "timezone"),
                    context,
                    f"'timezone' is not a known IANA time zone (such as Asia/Shanghai): {_shown(schedule.timezone)}",
                )
            for name in ("opens", "closes"):
                value = getattr(schedule, name)
                if _TIME_OF_DAY.fullmatch(value) is None:
                    self.problem(
                        self.doc.where(written, name),
                        context,
                        f"'{name}' must be a time of day written HH:MM (00:00 to 23:59), not {_shown(value)}",
                    )
            for index, period in enumerate(schedule.busy):
                item = written["busy"][index]
                if not _month_day(period.date):
                    self.problem(
                        self.doc.where(item, "date"),
                        f"{context}: busy period {index + 1}",
                        f"'date' must be a month and day written MM-DD (such as 06-18), not {_shown(period.date)}",
                    )
                if not 1 <= period.days <= model.MOST_BUSY_DAYS:
                    limit = "1 or more" if period.days < 1 else f"at most {model.MOST_BUSY_DAYS} (a year)"
                    self.problem(
                        self.doc.where(item, "days"),
                        f"{context}: busy period {index + 1}",
                        f"'days' must be {limit}, not {period.days}",
                    )

    def node(self, node_id: str, data: Any, parent: dict[str, Any]) -> model.Node | None:
        context = f"node '{node_id}'"
        if not isinstance(data, dict):
            self.problem(self.doc.where(parent, node_id), context, f"expected a mapping, not {_kind(data)}")
            return None
        kind = data.get("kind")
        cls = model.NODE_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:  # located only now: a node's own location is made once, by `record`
            kinds = ", ".join(model.NODE_KINDS)
            at = self.doc.where(data, "kind") if "kind" in data else self.doc.where(parent, node_id)
            if kind is None:
                self.problem(at, context, f"missing required field 'kind'; expected one of: {kinds}")
            else:
                self.problem(at, context, f"'kind' is {_shown(kind)}; expected one of: {kinds}")
            return None
        if cls in (model.SingleChoice, model.MultipleChoice):
            question: model.Node | None = self.question(cls, node_id, data, parent, context)
            return question
        node: model.Node | None = self.record(cls, data, parent, node_id, context, node_id)
        return node

    def question(self, cls: type, node_id: str, data: dict[str, Any], parent: Any, context: str) -> Any:
        """A single or multiple choice: its options first, each with a context that names it, so that
        messages read "node 'x': option 'y' ..."; then the question around them."""
        options = data.get("options")
        if not isinstance(options, list):
            return self.record(cls, data, parent, node_id, context, node_id)
        built = []
        for index, option in enumerate(options):
            oid = option.get("id") if type(option) is dict else None
            if type(oid) is not str:
                built.append(self.record(model.Option, option, options, index, f"{context}: option {index + 1}"))
                continue
            octx = f"{context}: option '{oid}'"
            if cls is model.MultipleChoice and "next" in option:
                self.problem(
                    self.doc.where(option, "next"),
                    octx,
                    "an option of a multiple choice has no 'next'; the question's 'next' applies",
                )
            built.append(self.record(model.Option, option, options, index, octx))
        if not built:
            self.problem(self.doc.where(data, "options"), context, "'options' must not be empty")
        node = self.record(cls, data, parent, node_id, context, node_id, given={"options": tuple(built)})
        if node is None or not built or None in built:
            return None
        return node

    def condition(self, data: Any, parent: Any, key: Any, context: str) -> Condition | None:
        try:
            return parse_condition(data, self.kinds, doc=self.doc, parent=parent, key=key)
        except _ConditionError as exc:
            self.problem(exc.where, context, exc.message)
            return None


class _ConditionError(Exception):
    def __init__(self, where: Location, message: str) -> None:
        self.where = where
        self.message = message


_OPERATORS = ("is", "is_not", "in", "not_in", "includes", "excludes", "includes_any", "answered")


def parse_condition(
    data: Any,
    kinds: Mapping[str, Any] | None = None,
    *,
    doc: Document | None = None,
    parent: Any = None,
    key: Any = None,
    at: model.Path = (),
) -> Condition:
    """A condition from its YAML form.

    Forms: `{question: option}` (is, or includes for a multiple choice), `{question:
    [a, b]}` (in, or includes_any), `{question: {OPERATOR: value}}`, several keys (all
    hold), `{all: [...]}`, `{any: [...]}`, `{not: {...}}`. Only the form is checked here:
    whether the questions and options it names exist, and whether an operator fits its
    question, are rules (E202, E203, E206).

    Args:
        kinds: Node id -> kind as written, which says what a shorthand means.
        doc, parent, key: Where `data` is (`parent[key]`), for the place of a problem.
        at: Where `data` is below its `when` (each condition keeps its own).

    Raises:
        _ConditionError: The condition is malformed.
    """
    doc = doc or _NOWHERE
    kinds = kinds or {}
    if len(at) > MAX_DEPTH:  # JSON is read without the YAML reader's nesting limit
        raise _ConditionError(doc.where(parent, key), f"condition nested more than {MAX_DEPTH} levels deep")
    if not isinstance(data, dict) or not data:
        raise _ConditionError(doc.where(parent, key), f"a condition must be a non-empty mapping, not {_kind(data)}")
    parts: list[Condition] = []
    for name, value in data.items():
        here = (*at, name)
        if name in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise _ConditionError(doc.where(data, name), f"'{name}' takes a non-empty list of conditions")
            subs = tuple(
                parse_condition(v, kinds, doc=doc, parent=value, key=i, at=(*here, i)) for i, v in enumerate(value)
            )
            parts.append(model.AllOf(subs, here) if name == "all" else model.AnyOf(subs, here))
        elif name == "not":
            parts.append(model.Not(parse_condition(value, kinds, doc=doc, parent=data, key=name, at=here), here))
        else:
            parts.extend(_compare(name, value, doc, data, kinds.get(name) == "multiple", here))
    return parts[0] if len(parts) == 1 else model.AllOf(tuple(parts), at)


def _compare(
    question: str, value: Any, doc: Document, parent: dict[str, Any], multiple: bool, at: model.Path
) -> list[model.Compare]:
    if not isinstance(value, dict):
        values = _ids(value, doc, parent, question, question)
        if isinstance(value, list):
            return [model.Compare(question, "includes_any" if multiple else "in", values, at)]
        return [model.Compare(question, "includes" if multiple else "is", values, at)]
    if not value:
        raise _ConditionError(doc.where(parent, question), f"condition on '{question}' is empty")
    out: list[model.Compare] = []
    for op, operand in value.items():
        if op not in _OPERATORS:
            raise _ConditionError(
                doc.where(value, op),
                f"condition on '{question}': unknown operator '{op}'; expected one of: {', '.join(_OPERATORS)}",
            )
        if op == "answered":
            if operand is not True:
                raise _ConditionError(doc.where(value, op), "'answered' takes true")
            out.append(model.Compare(question, "answered", (), at))
        else:
            out.append(model.Compare(question, op, _ids(operand, doc, value, op, question), (*at, op)))
    return out


def _ids(value: Any, doc: Document, parent: Any, key: Any, question: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            out.append(item)
            continue
        container, k = (value, index) if isinstance(value, list) else (parent, key)
        text = doc.text(container, k)
        if text is None or isinstance(item, (dict, list)):
            raise _ConditionError(
                doc.where(container, k), f"condition on '{question}': expected option ids, not {_kind(item)}"
            )
        out.append(text)
    if not out:
        raise _ConditionError(doc.where(parent, key), f"condition on '{question}': no option ids given")
    return tuple(out)


def _shown(value: Any) -> str:
    """A value as a message shows it: a scalar as written, a container by its kind (it may be huge or deep)."""
    return _kind(value) if isinstance(value, (dict, list)) else repr(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if type(value) in (dict, list) and not value:
        return "an empty mapping" if type(value) is dict else "an empty list"
    if type(value) is float:
        return f"the number {value!r}"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


# --- Decoding the model -------------------------------------------------------------------

#: Fields set by the loader, never read from a file.
_INTERNAL = frozenset({"source", "locator"})
#: Records whose `id` is their key in the mapping that holds them.
_KEYED = (*model.NODE_KINDS.values(), model.Schedule)


class _Hook:
    """msgspec's hook for the three forms a file writes more freely than a Struct reads."""

    def __init__(self, kinds: Mapping[str, Any], languages: tuple[str, ...]) -> None:
        self.kinds = kinds
        self.languages = languages

    def __call__(self, kind: type, data: Any) -> Any:
        if kind is Localized:
            return _texts(data)
        if kind is Condition:
            try:
                return parse_condition(data, self.kinds)
            except _ConditionError as exc:
                raise ValueError(exc.message) from None
        if kind is model.Point:
            # With `text`, or with `when` (then `text` is misspelt): an item with a condition.
            if type(data) is dict and ("text" in data or ("when" in data and "when" not in self.languages)):
                if not data.keys() <= {"text", "when"} or "text" not in data:
                    raise ValueError("an item is {text, when}")
                when = data.get("when")
                return model.Point(_texts(data["text"]), None if when is None else self(Condition, when))
            return model.Point(_texts(data))
        raise NotImplementedError(kind)


def _texts(data: Any) -> Localized:
    if type(data) is not dict:
        raise ValueError("expected a text per language")
    # perf: benchmarks/bench_check.py — a loop, not all(): decoding 100,000 nodes 0.73 s -> 0.53 s
    for text in data.values():
        if type(text) is not str:
            raise ValueError("expected a text per language")
    return Localized(data)


def _keyed(mapping: Any) -> dict[str, Any] | None:
    """`mapping`'s entries, each with its key as `id` (a copy: the document is left as written);
    None when one is not a mapping or writes an `id` of its own, for the reporter to say so."""
    if type(mapping) is not dict:
        return None
    keyed = {}
    for key, value in mapping.items():
        if type(value) is not dict or "id" in value:
            return None
        keyed[key] = {**value, "id": key}
    return keyed


def _decode(data: Any) -> model.Tree | None:
    """The tree, decoded by msgspec; None when anything is wrong with it (the reporter says what)."""
    if type(data) is not dict or not _INTERNAL.isdisjoint(data):
        return None
    nodes = _keyed(data.get("nodes"))
    schedules = _keyed(data.get("schedules", {}))
    if nodes is None or schedules is None:
        return None
    for node in nodes.values():  # an option of a multiple choice has no `next` of its own
        options = node.get("options") if node.get("kind") == "multiple" else None
        if type(options) is list and any(type(o) is dict and "next" in o for o in options):
            return None
    languages = data.get("languages")
    hook = _Hook({k: v.get("kind") for k, v in nodes.items()}, tuple(languages) if type(languages) is list else ())
    try:
        tree = msgspec.convert({**data, "nodes": nodes, "schedules": schedules}, model.Tree, dec_hook=hook)
    except (msgspec.ValidationError, TypeError):
        return None
    for schedule in tree.schedules.values():  # what a pattern cannot say: 25:00, 02-30, no such zone
        times = (schedule.opens, schedule.closes)
        if not all(map(_TIME_OF_DAY.fullmatch, times)) or not _known_zone(schedule.timezone):
            return None
        if not all(_month_day(period.date) for period in schedule.busy):
            return None
    return tree


def build_tree(doc: Document) -> model.Tree:
    """The typed tree from a document.

    Raises:
        LoadError: With every problem found, each with its location.
    """
    with collector_paused():
        tree = _decode(doc.data)
        if tree is None:
            builder = _Builder(doc)
            if isinstance(doc, _JsonDocument):
                doc.deferred = True  # every place is worked out at the end, in one pass
            tree = builder.tree()
            if builder.problems or tree is None:
                raise LoadError(doc.finish(builder.problems))  # in the order of the file, as `check` lists
    where = doc.where_path if not isinstance(doc, _JsonDocument) else _JsonLocator(doc.source, doc.file)
    return msgspec.structs.replace(tree, source=Location(doc.file), locator=where)


class _JsonLocator:
    """A JSON tree's `locator`: the text alone, not the data read from it, which can go."""

    __slots__ = ("file", "text")

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file

    def __call__(self, paths: list[model.Path]) -> list[Location]:
        return _json_places(self.text, self.file, paths)


def read_tree(path: Path | str, *, display: str | None = None) -> model.Tree:
    """The tree in a YAML or JSON file.

    Raises:
        LoadError: The file cannot be read, or is not a valid tree; every problem located.
    """
    return build_tree(read_document(path, display=display))


class _Plan:
    """How the reporter reads one record class: each field's reader, and whether it is required."""

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls, vars(model))
        if cls is model.Point:
            names = [("text", True), ("when", False)]
        else:
            names = [(f.name, f.required) for f in msgspec.structs.fields(cls) if f.name not in _INTERNAL]
        self.keyed = cls in _KEYED
        self.tag = "kind" if cls in model.NODE_KINDS.values() else None
        self.fields = {
            name: (_reader(hints[name]), required, _optional(hints[name]))
            for name, required in names
            if not (self.keyed and name == "id")
        }


_plan = functools.cache(_Plan)


def _optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType) and type(None) in typing.get_args(hint)


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and (issubclass(hint, msgspec.Struct) or hint is model.Point)


#: Reads one value: (builder, data, parent, key, context, field name) -> the value, or None after a problem.
_Reader = typing.Callable[["_Builder", Any, Any, Any, str, str], Any]


@functools.cache
def _reader(hint: Any) -> _Reader:  # noqa: C901 - one branch per kind of type hint the model uses
    """The function that reads a value of type `hint`: the type is looked at once, not per value."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = tuple(a for a in typing.get_args(hint) if a is not type(None))
        if args == (Condition,):
            return _Builder.read_condition
        if len(args) != 1:  # pragma: no cover - a model field of a new type
            raise TypeError(f"no loader for {hint!r}")
        inner = _reader(args[0])

        def optional(builder: _Builder, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
            return None if data is None else inner(builder, data, parent, key, context, name)

        return optional
    simple: dict[Any, _Reader] = {
        str: _Builder.read_str,
        int: _Builder.read_int,
        bool: _Builder.read_bool,
        Localized: _Builder.localized,
        model.Point: _Builder.read_point,
    }
    if hint in simple:
        return simple[hint]
    if origin is Literal:
        allowed = typing.get_args(hint)
        choices = ", ".join(map(str, allowed))

        def literal(builder: _Builder, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
            if data in allowed:
                return data
            builder.problem(
                builder.doc.where(parent, key), context, f"'{name}' is {_shown(data)}; expected one of: {choices}"
            )
            return None

        return literal
    if origin is tuple:
        item_hint = typing.get_args(hint)[0]
        read_item = _reader(item_hint)
        named = not _is_record(item_hint)

        def sequence(builder: _Builder, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
            if not isinstance(data, list):
                if item_hint is str and isinstance(data, str):
                    return (data,)
                builder.problem(builder.doc.where(parent, key), context, f"'{name}' must be a list, not {_kind(data)}")
                return ()
            if named:
                items = [read_item(builder, x, data, i, context, f"{name}[{i + 1}]") for i, x in enumerate(data)]
            else:  # a record's messages name it by its context, not by this field
                items = [read_item(builder, x, data, i, context, name) for i, x in enumerate(data)]
            return tuple(i for i in items if i is not None)

        return sequence
    if _is_record(hint):

        def nested(builder: _Builder, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
            return builder.record(hint, data, parent, key, context)

        return nested
    raise TypeError(f"no loader for {hint!r}")  # pragma: no cover - a model field of a new type


_LANGUAGE = re.compile(model.LANGUAGE_PATTERN)
_FACT_NAME = re.compile(model.FACT_ID_PATTERN)
_TIME_OF_DAY = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


def _month_day(value: str) -> bool:
    """Whether `value` is a day of the year written MM-DD (02-29 included: it comes in leap years)."""
    if re.fullmatch(r"\d\d-\d\d", value) is None:
        return False
    import datetime

    try:
        datetime.date(2024, int(value[:2]), int(value[3:]))
    except ValueError:
        return False
    return True


def _known_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this system (or the tzdata package) knows."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _problem_order(problem: Problem) -> tuple[bool, int, int]:
    """Where a problem is, for listing a file's problems top to bottom (those placed nowhere first)."""
    where = problem.location
    return (where is not None and where.line > 0, where.line if where else 0, where.column if where else 0)


# --- Finding trees ---------------------------------------------------------------------------


def shipped_trees() -> dict[str, Path]:
    """The trees installed with the package, by name."""
    import importlib

    # A package of data files: trees/ in the source, mapped to wizard/trees/ by setup.cfg.
    try:
        package = importlib.import_module("wizard.trees")
        root = Path(package.__file__ or "").parent
    except ImportError:  # `wizard` imported from a source checkout (its folder shadows the installed package)
        root = Path(__file__).resolve().parents[2] / "trees"
    return {p.stem: p for p in sorted(root.glob("*.yaml")) if not p.name.startswith(".")}


def resolve_tree(spec: str) -> tuple[Path, str]:
    """A `--tree` value to a file and its display name: a shipped tree's name or a path.

    Raises:
        LoadError: Neither a shipped tree nor a file.
    """
    looks_like_path = os.sep in spec or "/" in spec or spec.endswith((".yaml", ".yml", ".json"))
    if not looks_like_path:
        shipped = shipped_trees()
        if spec in shipped:
            return shipped[spec], _display(shipped[spec])
        if not Path(spec).exists():
            names = ", ".join(shipped) or "(none)"
            raise LoadError(
                Problem(None, f"no tree named '{spec}'; shipped trees: {names}; or give a path to a YAML file")
            )
    path = Path(spec)
    if not path.is_file():
        raise LoadError(Problem(Location(spec), "no such file" if not path.exists() else "not a file"))
    return path, spec


def _display(path: Path) -> str:
    """A shipped tree's name in messages: relative in a source checkout (`trees/x.yaml`), else the real path."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):  # an installed package, or no current folder: a path the user can open
        return str(path)


def load_tree(spec: str | Path) -> model.Tree:
    """Load a tree by shipped name or path.

    Raises:
        LoadError: The tree cannot be found or read, or is not a valid tree.
    """
    path, display = resolve_tree(str(spec))
    return read_tree(path, display=display)
