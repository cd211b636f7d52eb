"""YAML to model: safe reading with locations, and the generic builder driven by the model's fields.

Reading is done in two steps. `read_document` composes the YAML with libyaml's
safe parser (never constructing arbitrary objects) and converts it to plain data
while recording where each value stands, refusing duplicate keys, alias bombs,
deep nesting and oversized files. `build_tree` then turns that data into the typed
model by reading the dataclass fields of `wizard.core.model`, so the format is written
down once, in the model.

Large trees are JSON, read by the json module. Two fast paths keep a 100,000-node tree
quick, and each gives what the slow path gives (tests/test_load_fast.py):
- json's duplicate-key hook is skipped; `build_tree` counts the keys it reads and
  compares them with the keys written, and reads the text again with the hook only
  when the two differ (`read_tree`, `_read_json`);
- in a tree of `COMPILE_FROM` nodes or more, a mapping written right is read by its
  class's compiled reader (`wizard.source.readers`); any other goes to the generic reader,
  which says what is wrong.
"""

from __future__ import annotations

import bisect
import functools
import operator
import os
import re
import sys
import types
import typing
from collections import deque
from collections.abc import Iterable, Mapping
from itertools import accumulate, chain, islice, repeat
from pathlib import Path
from typing import Any, Literal, Union

import yaml

from wizard.core import model, record
from wizard.core.errors import LoadError, Problem
from wizard.core.model import Condition, Localized, Location
from wizard.source import readers

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "Document",
    "build_tree",
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
#: Fewest nodes for which the loader compiles its readers (`wizard.source.readers`): compiling costs about
#: 1.5 ms a record class, which a tree of a few hundred nodes never wins back, and the interactive
#: wizard would pay it at start-up.
COMPILE_FROM = 1000
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 64
#: How many values aliases may add to a document beyond the ones written out.
MAX_ALIAS_EXPANSION = 50_000

try:  # libyaml is ~7x faster than the pure-Python parser; both are safe.
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_new = object.__new__
_set_texts = vars(Localized)["texts"].__set__  # the slot, past the immutable __setattr__


class _Loader:
    """What the composer needs to know of YAML's implicit types."""

    #: First characters of plain scalars that may resolve to something other than a string.
    _special = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)


_TAG = "tag:yaml.org,2002:"
_CONDITION_TYPES = set(typing.get_args(Condition))


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
        return Location._trusted({"file": self.file, "line": line, "column": column})

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


class _JsonDocument(Document):
    """A document the json module read: its locations are looked up only when one is used.

    JSON is YAML, and the json module reads it some fifteen times faster than libyaml's
    events: a generated tree of 100,000 nodes loads in half a second. Its values carry
    no positions, so `where` hands out a `_PendingLocation`, resolved when first read:
    the container's path from the root is found in the data, then the text is scanned
    along that path only, each value on the way skipped by json's own C scanner, and
    what a scan learns is kept for the next lookup. A clean tree never pays; a tree
    with problems pays about one more json read, whatever their number.
    """

    def __init__(self, data: Any, file: str, source: str) -> None:
        super().__init__(data, file)
        self._source = source
        self._parents: dict[int, tuple[Any, Any]] = {}  # id(container) -> (its container, its key)
        self._unvisited: list[Any] = [data]  # containers whose children are not in `_parents` yet
        self._scans: dict[int, _Scan] = {}  # id(container) -> what is known of where its values start
        self._starts: dict[int, int] = {}  # id(container) -> offset of its opening bracket
        self._lines: list[tuple[int, int]] = [(0, 1)]  # (offset, its line number), sorted
        #: Whether duplicate keys are left to `build_tree` (see `keys_written`).
        self.keys_unchecked = False

    def keys_written(self, read: int) -> bool:
        """Whether no key is written twice, as far as counting tells: True when `read`, the keys the
        builder read, is the number of keys written; False when a second read must tell.

        Every key is followed by a colon, so the colons are an upper bound of the keys written,
        exact unless a text holds one ("21:00"); then a closer bound counts only the colons after
        a quote and spaces.
        """
        text = self._source
        if read == text.count(":"):
            return True
        return read == text.count('":') + len(_SPACED_KEY.findall(text))

    def where(self, container: Any, key: Any = None) -> Location:
        pending = _new(_PendingLocation)
        _set_pending(pending, (self, container, key))  # a slot: no instance dict until it is read
        return pending

    def where_all(self, containers: Iterable[Any], keys: Iterable[Any]) -> list[Location]:
        """As `where` for each pair, made by `map` in C: a large tree has hundreds of thousands."""
        places = list(zip(repeat(self), containers, keys))
        pending: list[Location] = list(map(_new, repeat(_PendingLocation, len(places))))
        deque(map(_set_pending, pending, places), 0)
        return pending

    def locate(self, container: Any, key: Any = None) -> tuple[int, int]:
        offset = self._offset(container, key)
        if offset is None:
            return 0, 0
        # Lines are counted from the nearest offset whose line is known, not from the top each time.
        at = bisect.bisect_right(self._lines, (offset, sys.maxsize)) - 1
        known_offset, known_line = self._lines[at]
        line = known_line + self._source.count("\n", known_offset, offset)
        self._lines.insert(at + 1, (offset, line))
        return line, offset - (self._source.rfind("\n", 0, offset) + 1) + 1

    def _offset(self, container: Any, key: Any) -> int | None:
        start = self._start(container)
        if start is None or key is None:
            return start
        scan = self._scans.get(id(container))
        if scan is None:
            scan = self._scans[id(container)] = _Scan(self._source, start)
        found = scan.offsets.get(key)
        if found is None and type(container) is dict and len(container) > _SEARCH_FROM:
            found = self._search(container, key, start)
        if found is None:
            found = scan.find(key)
        return start if found is None else found

    def _search(self, mapping: dict[Any, Any], key: Any, start: int) -> int | None:
        """Where the value of `mapping[key]` starts, found by searching the text for the key.

        Scanning a mapping of 100,000 nodes to its last key parses them all. A key is searched
        for instead, as json writes it, and a place is taken only when the value written there
        reads back equal to `mapping[key]`; a key written otherwise (escaped), or not found, is
        left to the scan.
        """
        if type(key) is not str:
            return None
        _, scan_value = _json_scanners()
        text = self._source
        for written in dict.fromkeys((_json_string(key, ascii=False), _json_string(key, ascii=True))):
            at = text.find(written, start)
            for _ in range(_SEARCH_TRIES):
                if at < 0:
                    break
                colon = _SPACE.match(text, at + len(written)).end()  # type: ignore[union-attr]
                if text.startswith(":", colon):
                    value_at = _SPACE.match(text, colon + 1).end()  # type: ignore[union-attr]
                    try:
                        if scan_value(text, value_at)[0] == mapping[key]:
                            return value_at
                    except (ValueError, StopIteration):
                        pass
                at = text.find(written, at + 1)
        return None

    def _start(self, container: Any) -> int | None:
        """Offset of a container's opening bracket, through its parents."""
        known = self._starts.get(id(container))
        if known is not None:
            return known
        if container is self.data:
            start = _JSON_START.match(self._source)
            offset = start.end() - 1 if start is not None else None
        else:
            parent = self._parent(container)
            if parent is None:
                return None
            offset = self._offset(*parent)
        if offset is not None:
            self._starts[id(container)] = offset
        return offset

    def _parent(self, container: Any) -> tuple[Any, Any] | None:
        """The container holding `container`, and its key or index there.

        The data is walked a level at a time, as deep as needed: a node is found at the
        second level and an option at the fourth, without recording the million
        containers a large tree holds below them.
        """
        parents = self._parents
        found = parents.get(id(container))
        while found is None and self._unvisited:
            self._unvisited = _children(self._unvisited, parents)
            found = parents.get(id(container))
        return found


def _children(level: list[Any], parents: dict[int, tuple[Any, Any]]) -> list[Any]:
    """The containers inside those of `level`, each recorded in `parents` with its container and key."""
    below: list[Any] = []
    containers = (dict, list)
    for value in level:
        if type(value) is dict:
            items: Iterable[tuple[Any, Any]] = value.items()
        elif any(map(isinstance, value, repeat(containers))):  # a long list of scalars is passed over in C
            items = enumerate(value)
        else:
            continue
        for key, child in items:
            if type(child) is dict or type(child) is list:
                parents[id(child)] = (value, key)
                below.append(child)
    return below


#: Mappings larger than this are searched for a key (`_JsonDocument._search`) before they are scanned.
_SEARCH_FROM = 64
#: How many places a key's text is tried at before the mapping is scanned instead.
_SEARCH_TRIES = 16


def _json_string(value: str, *, ascii: bool) -> str:
    """`value` as json writes a string, with non-ASCII characters as they are or escaped."""
    import json

    return json.dumps(value, ensure_ascii=ascii)


class _Scan:
    """Where the values of one JSON object or array start in the text, read as far as asked.

    Keys are read with json's `scanstring` and the values between skipped with its
    scanner, both in C; the scan stops at the value asked for and resumes from there.
    """

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.is_object = text[start] == "{"
        self.offsets: dict[Any, int] = {}
        self.position: int | None = _skip_space(text, start + 1)  # None: the end was reached
        self.at_value = False  # whether `position` is the start of a value already recorded (not a key)
        if text[self.position] in "}]":
            self.position = None

    def find(self, key: Any) -> int | None:
        offsets = self.offsets
        if key in offsets or self.position is None:
            return offsets.get(key)
        text, index, is_object = self.text, self.position, self.is_object
        scanstring, skip_value = _json_scanners()
        space: Any = _SPACE.match  # always matches, if only the empty string
        at_value = self.at_value
        while True:
            if not at_value:
                if is_object:
                    name, index = scanstring(text, index + 1)
                    index = space(text, space(text, index).end() + 1).end()  # past the colon
                else:
                    name = len(offsets)
                offsets.setdefault(name, index)
                if name == key:  # found: its value is skipped only if a later key is asked for
                    self.position, self.at_value = index, True
                    break
            at_value = False
            index = space(text, skip_value(text, index)[1]).end()
            if text[index] != ",":
                self.position = None
                break
            index = space(text, index + 1).end()
        return offsets.get(key)


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, index: int) -> int:
    return _SPACE.match(text, index).end()  # type: ignore[union-attr]  # matches the empty string too


@functools.cache
def _json_scanners() -> tuple[Any, Any]:
    """json's string reader and value scanner (its C ones when built with them)."""
    import json.decoder
    import json.scanner

    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    return scanstring, json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


class _PendingLocation(Location):
    """A `Location` in a `_JsonDocument` whose line and column are found when first read.

    A large tree holds one per record and reads almost none: until one is read it is an
    object with one slot, `(document, container, key)`, and no instance dict, which is
    made the first time a field is asked for (`file` alone costs nothing more; `line`
    and `column` are looked up in the text).
    """

    __slots__ = ("_pending",)

    def __getattr__(self, name: str) -> Any:  # only while the fields are not in the instance dict
        if name not in ("file", "line", "column"):
            raise AttributeError(name)
        doc, container, key = self._pending
        fields = self.__dict__
        fields["file"] = doc.file  # the file is known at once: only the line and column are looked up
        if name != "file":
            fields["line"], fields["column"] = doc.locate(container, key)
        return fields[name]

    @property
    def known(self) -> bool:
        return "line" not in self.__dict__ or self.line > 0

    def _values(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return self._values() == (other.file, other.line, other.column)

    def __hash__(self) -> int:
        return hash(("Location", self._values()))

    def __repr__(self) -> str:
        return f"Location(file={self.file!r}, line={self.line!r}, column={self.column!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Location, self._values())


_set_pending = _PendingLocation._pending.__set__  # type: ignore[attr-defined]


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


_JSON_START = re.compile(r"\s*\{")
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


#: A \uD800-\uDFFF escape: only when one is written is the slower exact test run.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
#: The end of a key followed by space before its colon (json.dumps never writes one).
_SPACED_KEY = re.compile(r'"[ \t\n\r]+:')


def _read_json(text: str, file: str, *, count_keys: bool = False) -> Document | None:
    """The document when `text` is a JSON object with no key twice; None to leave it to the YAML reader.

    Whatever json refuses (a syntax error, a duplicate key, NaN, nesting too deep for
    it) goes to the YAML reader, which reads the same text and says where it is wrong.

    Args:
        count_keys: Leave duplicate keys to the caller: json reads the text twice as fast
            without its duplicate-key hook, and `build_tree` compares the keys it reads with
            the keys written (`_JsonDocument.keys_written`). Only when the two differ is the
            text read again with the hook.
    """
    if _JSON_START.match(text) is None:
        return None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _LONE_SURROGATE.search(text):
        return None  # a lone surrogate (\ud800) would make a string no stream can write
    import json

    try:
        if count_keys:
            data = json.loads(text, parse_constant=_no_constant)
        else:
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if len(text) > MAX_YAML_BYTES:  # too large to hand to the YAML reader: json says where
            raise LoadError(Problem(Location(file, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}")) from None
        return None
    except (ValueError, RecursionError, _DuplicateKey):
        return None
    document = _JsonDocument(data, file, text)
    document.keys_unchecked = count_keys
    return document


def _has_duplicate_key(text: str) -> bool:
    """Whether a JSON text that json reads holds a mapping with a key twice."""
    import json

    try:
        json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _DuplicateKey:
        return True
    return False


def read_document(
    path: Path | str,
    *,
    display: str | None = None,
    text: str | None = None,
    raw: bytes | None = None,
    keys_checked_by_build: bool = False,
) -> Document:
    """Read a YAML (or JSON) file safely into a `Document`.

    Args:
        path: The file.
        display: The file name in messages (default: `path` as given).
        text: The file's text, when already read (`path` is then only a name).
        raw: The file's bytes, when already read (standard input): checked and decoded as a file's.
        keys_checked_by_build: The document goes to `build_tree`, which refuses a key written
            twice in JSON for less than json's duplicate-key hook costs (see `_read_json`).

    Raises:
        LoadError: The file cannot be read, is not UTF-8, is not YAML, or breaks a limit.
    """
    file = display or str(path)
    given = raw if raw is not None else text  # already read: measured here, a file's size by the system below
    if given is not None and len(given if isinstance(given, bytes) else given.encode("utf-8")) > MAX_FILE_BYTES:
        raise LoadError(Problem(Location(file), f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes"))
    if text is None:
        if raw is None:
            try:
                size = os.path.getsize(path)
                if size > MAX_FILE_BYTES:
                    raise LoadError(Problem(Location(file), f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
                raw = Path(path).read_bytes()
            except OSError as exc:
                raise LoadError(Problem(Location(file), f"cannot read: {exc.strerror or exc}")) from None
        if b"\x00" in raw:
            raise LoadError(Problem(Location(file), "binary file (NUL byte); expected YAML text"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise LoadError(Problem(Location(file, line, column), "invalid UTF-8; save the file as UTF-8")) from None
    document = _read_json(text, file, count_keys=keys_checked_by_build)
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

    def run(self, events: Any) -> Document:
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
                return int(text.replace("_", ""), 0), text
            except ValueError:
                return text, text  # sexagesimal and other YAML 1.1 forms: keep the text
        if tag == _TAG + "float":
            try:
                return float(text.replace("_", "")), text
            except ValueError:
                return text, text
        if tag == _TAG + "timestamp":
            return text, text
        raise self.fail(event.start_mark, f"unsupported YAML tag {tag!r}")


# --- Building the model ---------------------------------------------------------------------


class _Builder:
    """Builds model dataclasses from a `Document`, collecting every problem."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        self.kinds: Mapping[str, str] = {}  # node id -> node kind, for condition shorthands and references
        self.options: Mapping[str, set[str]] = {}  # question id -> its option ids, for the ids conditions name
        self.nodes_data: dict[str, Any] = {}  # the nodes as written, for where a field of one is
        # Keys of the mappings read, counted as each is read once: a JSON document read without
        # json's slow duplicate-key hook checks its count against the keys written (`build_tree`).
        self.keys_read = 0
        self._compiled: dict[tuple[type, str], readers.Compiled | None] = {}
        self.compiling = False  # whether the tree is large enough for compiled readers to pay

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
        return None if plain is None else model.Point(plain, None, self.doc.where(parent, key))

    def read_condition(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Any:
        return None if data is None else self.condition(data, parent, key, context)

    def localized(self, data: Any, parent: Any, key: Any, context: str, name: str) -> Localized | None:
        languages = self.languages
        if type(data) is dict:
            self.keys_read += len(data)
        if type(data) is dict and len(data) == len(languages):  # the common case: every text, nothing else
            for lang in languages:
                if type(data.get(lang)) is not str:
                    break
            else:
                made = _new(Localized)
                _set_texts(made, data)
                return made
        here = _Here(self.doc, parent, key)
        if isinstance(data, str):
            langs = " and ".join(repr(lang) for lang in self.languages)
            self.problem(here(), context, f"'{name}' must give a text per language ({langs}), not one string")
            return None
        if not isinstance(data, dict):
            self.problem(here(), context, f"'{name}' must be a mapping of language to text, not {_kind(data)}")
            return None
        texts: dict[str, str] = {}
        for lang, text in data.items():
            if lang not in self.languages:
                declared = ", ".join(self.languages)
                self.problem(
                    self.doc.where(data, lang),
                    context,
                    f"'{name}' has language '{lang}', which the tree does not declare ({declared})",
                )
                continue
            if not isinstance(text, str):
                raw = self.doc.text(data, lang)
                if raw is None:
                    self.problem(self.doc.where(data, lang), context, f"'{name}' in '{lang}' must be text")
                    continue
                text = raw
            texts[lang] = text
        for lang in self.languages:
            if lang not in data:
                if name == "label":  # reads as: node 'x': option 'y' has no 'en' label
                    self.problems.append(Problem(here(), f"{context} has no '{lang}' label"))
                else:
                    self.problem(here(), context, f"'{name}' has no '{lang}' text")
        return Localized._trusted({"texts": texts})

    def compiled(self, cls: type, variant: str = "") -> readers.Compiled | None:
        """The compiled reader of `cls` for this tree's languages (None for a class it cannot read).

        Args:
            variant: "given" for a question whose options the caller reads; "single" or
                "multiple" for an option of such a question.
        """
        found = self._compiled.get((cls, variant), False)
        if found is False and not self.compiling:
            return None
        if found is False:
            found = self._compiled[cls, variant] = _compile(cls, self.languages, variant)
        return found  # type: ignore[return-value]

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

        A mapping written right is read by the class's compiled reader (`wizard.source.readers`);
        any other, key by key here, with a message for each problem.

        Args:
            given: Fields already built by the caller (read from `data` but not converted here).
        """
        compiled = self.compiled(cls, "" if given is None else "given")
        if compiled is not None and compiled.check(data):
            return compiled.build(self, data, parent, key, context, node_id, given)
        where = self.doc.where(parent, key)
        if type(data) is dict:
            self.keys_read += len(data)
        if not isinstance(data, dict):
            what = cls.__name__.lower()
            self.problem(where, context, f"expected a mapping for a {what}, not {_kind(data)}")
            return None
        plan = _PLANS.get(cls) or _plan(cls)
        made: Any = _new(cls)  # filled in place: the fields are checked here, not by __init__
        values: dict[str, Any] = made.__dict__
        values.update(plan.defaults)
        ok = True
        fields = plan.by_name
        read_str = _Builder.read_str
        for name, raw in data.items():  # the keys written, not every field the class has
            spec = fields.get(name)
            if spec is None:
                known = ", ".join(sorted(plan.known))
                self.problem(self.doc.where(data, name), context, f"unknown field '{name}'; expected one of: {known}")
                ok = False
                continue
            read, optional = spec
            if given is not None and name in given:
                continue
            if type(raw) is str and read is read_str:  # most values: no call needed
                values[name] = raw
                continue
            if raw is None and (optional or name in plan.required):
                continue  # an optional field left empty; a required one is reported below
            got = read(self, raw, data, name, context, name)
            if got is None:  # its reader said what is wrong with it: it is not missing too
                ok = False
                continue
            values[name] = got
        if given is not None:
            values.update(given)
        if not plan.required.issubset(values):
            for name in plan.required_order:
                if name not in values and data.get(name) is None:
                    self.problem(where, context, f"missing required field '{name}'")
                    ok = False
        if not ok:
            return None
        for factory in plan.factories:
            if factory.name not in values:
                values[factory.name] = factory.default_factory()
        if plan.key is not None:
            values[plan.key] = node_id
        if plan.has_loc:
            values["loc"] = where
        return made

    # The parts that are not plain fields.
    def tree(self) -> model.Tree | None:
        data = self.doc.data
        context = ""
        if not isinstance(data, dict):
            self.problem(self.doc.where(data), "", f"expected a mapping at the top of the tree, not {_kind(data)}")
            return None
        languages = data.get("languages")
        if isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages):
            self.languages = tuple(languages)
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
            self.languages = ("zh", "en")
        nodes_data = data.get("nodes")
        if not isinstance(nodes_data, dict) or not nodes_data:
            where = self.doc.where(data, "nodes") if "nodes" in data else self.doc.where(data)
            self.problem(where, "", "'nodes' must be a non-empty mapping of node id to node")
            nodes_data = {}
        self.keys_read += len(data) + len(nodes_data)
        self.compiling = len(nodes_data) >= COMPILE_FROM
        self.kinds = _Kinds(nodes_data)
        self.nodes_data = nodes_data
        self.options = _OptionIds(nodes_data, self)
        known = {"id", "title", "languages", "start", "nodes", "description", "schedules", "version"}
        for name in data:
            if name not in known:
                self.problem(
                    self.doc.where(data, name),
                    context,
                    f"unknown field '{name}'; expected one of: {', '.join(sorted(known))}",
                )
        nodes: dict[str, model.Node] = {}
        built: Mapping[str, model.Node] = (self.plain_single_choices(nodes_data) if self.compiling else None) or {}
        for node_id, node_data in nodes_data.items():
            node = built.get(node_id)
            if node is None:
                node = self.node(node_id, node_data, nodes_data)
            if node is not None:
                nodes[node_id] = node
        schedules: dict[str, model.Schedule] = {}
        schedules_data = data.get("schedules") or {}
        if not isinstance(schedules_data, dict):
            self.problem(self.doc.where(data, "schedules"), "", "'schedules' must be a mapping of id to schedule")
            schedules_data = {}
        self.keys_read += len(schedules_data)
        for sid, sdata in schedules_data.items():
            schedule = self.record(model.Schedule, sdata, schedules_data, sid, f"schedule '{sid}'", sid)
            if schedule is not None:
                schedules[sid] = schedule
        head: dict[str, Any] = {}
        hints = _hints(model.Tree)
        for name in ("id", "title", "start", "description", "version"):
            if name not in data or data[name] is None:
                if name in ("id", "title", "start"):
                    self.problem(self.doc.where(data), "", f"missing required field '{name}'")
                continue
            head[name] = self.value(hints[name], data[name], data, name, "", name)
        self.values_in_range(nodes, nodes_data, schedules, schedules_data)
        self.references(nodes, schedules_data, data)  # beside any other problem: all fixed in one go
        if self.problems:
            return None
        tree = model.Tree(
            languages=self.languages,
            nodes=nodes,
            schedules=schedules,
            source=self.doc.where(data),
            **head,
        )
        return tree

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
                if period.days < 1:
                    self.problem(
                        self.doc.where(item, "days"),
                        f"{context}: busy period {index + 1}",
                        f"'days' must be 1 or more, not {period.days}",
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
        single = cls is model.SingleChoice
        fast = self.fast_question(cls, node_id, data, parent, context, options, single)
        if fast is not _SLOW:
            return fast
        seen: set[str] = set()
        built = []
        for index, option in enumerate(options):
            oid = option.get("id") if type(option) is dict else None
            if type(oid) is not str:
                built.append(self.record(model.Option, option, options, index, f"{context}: option {index + 1}"))
                continue
            octx = f"{context}: option '{oid}'"
            if oid in seen:
                self.problem(self.doc.where(options, index), context, f"duplicate option id '{oid}'")
            seen.add(oid)
            if single and "next" not in option:
                self.problem(self.doc.where(options, index), octx, "missing required field 'next'")
            elif not single and "next" in option:
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
        self.default_among(node, [o.id for o in node.options], data, context)
        return node

    def default_among(self, node: model.Question, ids: list[str], data: dict[str, Any], context: str) -> None:
        """A question's default that is not one of its option ids is a load error."""
        default = node.default
        defaults = () if default is None else ((default,) if isinstance(default, str) else default)
        for value in defaults:
            if value not in ids:
                self.problem(
                    self.doc.where(data, "default"),
                    context,
                    f"default '{value}' is not an option; expected one of: {', '.join(ids)}",
                )

    def fast_question(
        self, cls: type, node_id: str, data: dict[str, Any], parent: Any, context: str, options: list[Any], single: bool
    ) -> Any:
        """A question whose options are all written right, read by the compiled readers; else `_SLOW`,
        before anything is read, and `question` reads it with a message for each problem."""
        node_reader = self.compiled(cls, "given")
        option_reader = self.compiled(model.Option, "single" if single else "multiple")
        if node_reader is None or option_reader is None or not options or not node_reader.check(data):
            return _SLOW
        # Options with plain fields only (most) are checked and built at once; others (with a
        # condition) are checked first, and built only when all are fine.
        keys_read = self.keys_read
        built = tuple(map(option_reader.fused, repeat(self), options, repeat(options), range(len(options))))
        fused = None not in built
        if not fused:
            self.keys_read = keys_read  # nothing was read after all
            if not all(map(option_reader.check, options)):
                return _SLOW  # (the option reader checks that each has a `next`, or none has)
        ids = list(map(_ID_KEY, options))
        if len(set(ids)) != len(ids):
            self.keys_read = keys_read
            return _SLOW
        if not fused:
            built = tuple(
                map(option_reader.build, repeat(self), options, repeat(options), range(len(options)), repeat(context))
            )
        node = node_reader.build(self, data, parent, node_id, context, node_id, {"options": built})
        if node is None or None in built:
            return None
        self.default_among(node, ids, data, context)
        return node

    def plain_single_choices(self, nodes_data: dict[str, Any]) -> dict[str, model.SingleChoice] | None:
        """Every single choice of a large tree at once, when all are plain; else None, with nothing read.

        Plain: each question written right (as its compiled reader checks), each option only
        an id, a label and a `next`, all of the right types, no id twice in a question, a
        default among the ids. A generated tree's questions are all plain, and their some
        300,000 options are then checked and made by `map` over C functions (`itemgetter`,
        `set`, `dict.update`), with no Python code run per option. Any doubt leaves every
        question to `question`, one at a time.
        """
        node_reader = self.compiled(model.SingleChoice, "given")
        if node_reader is None:
            return None
        node_ids = [key for key, data in nodes_data.items() if type(data) is dict and data.get("kind") == "single"]
        datas = list(map(nodes_data.__getitem__, node_ids))
        if not datas or not all(map(node_reader.check, datas)):
            return None
        option_lists = list(map(_OPTIONS_KEY, datas))
        if set(map(type, option_lists)) != {list}:
            return None
        counts = list(map(len, option_lists))
        options = list(chain.from_iterable(option_lists))
        languages = self.languages
        if 0 in counts:
            return None
        try:  # exactly id, label and next: no condition, no help, none missing (TypeError: not a mapping)
            if not all(map(operator.eq, repeat(_PLAIN_OPTION), map(dict.keys, options))):
                return None
        except TypeError:
            return None
        ids = list(map(_ID_KEY, options))
        labels = list(map(_LABEL_KEY, options))
        if set(map(type, ids)) != {str} or set(map(type, map(_NEXT_KEY, options))) != {str}:
            return None
        if set(map(type, labels)) != {dict} or set(map(len, labels)) != {len(languages)}:
            return None
        for lang in languages:
            try:
                if set(map(type, map(operator.itemgetter(lang), labels))) != {str}:
                    return None
            except KeyError:
                return None
        per_question = list(map(len, map(set, map(islice, repeat(iter(ids)), counts))))
        if per_question != counts:
            return None  # an id twice in a question
        defaults = list(map(_DEFAULT_KEY, datas))
        if defaults.count(None) != len(defaults):
            starts = list(accumulate(counts, initial=0))
            for number, default in enumerate(defaults):
                if default is not None and default not in ids[starts[number] : starts[number + 1]]:
                    return None
        # All plain: the options are made in bulk, then each question around its own.
        made = list(map(_new, repeat(model.Option, len(options))))
        values = list(map(_INSTANCE_DICT, made))
        deque(map(dict.update, values, repeat(_option_defaults())), 0)
        deque(map(dict.update, values, options), 0)
        texts = list(map(_new, repeat(Localized, len(labels))))
        deque(map(_set_texts, texts, labels), 0)
        deque(map(dict.__setitem__, values, repeat("label"), texts), 0)
        containers = chain.from_iterable(map(repeat, option_lists, counts))
        locations = self.doc.where_all(containers, chain.from_iterable(map(range, counts)))
        deque(map(dict.__setitem__, values, repeat("loc"), locations), 0)
        self.keys_read += sum(map(len, options)) + len(labels) * len(languages)
        tuples = map(tuple, map(islice, repeat(iter(made)), counts))
        build = node_reader.build
        return {
            node_id: build(self, data, nodes_data, node_id, "", node_id, {"options": options_of})
            for node_id, data, options_of in zip(node_ids, datas, tuples, strict=True)
        }

    def condition(self, data: Any, parent: Any, key: Any, context: str) -> Condition | None:
        self.keys_read += _count_keys(data)
        try:
            return parse_condition(data, self.doc, parent, key, self.kinds, options=self.options)
        except _ConditionError as exc:
            self.problem(exc.where, context, exc.message)
            return None

    def read_id(self, option: dict[str, Any]) -> str | None:
        """An option's id as written (`yes` stays "yes", not true), or None when it has none."""
        value = option.get("id")
        return value if isinstance(value, str) else self.doc.text(option, "id")

    def ladder_question(self, ladder: model.Ladder, nodes: Mapping[str, model.Node]) -> None:
        """A ladder reading what is not a multiple choice, or a step that is not its option: a load error.

        Either would send everyone to the first rung, whatever they tried.
        """
        for where, message in _ladder_problems(ladder, nodes):
            if where is ladder.loc:  # its 'question': where that is written
                where = self.written_at(ladder.id, "question", where)
            self.problem(where, f"node '{ladder.id}'", message)

    def written_at(self, node_id: str, name: str, fallback: Location) -> Location:
        """Where a node's field `name` is written (the node's own place when it is not)."""
        data = self.nodes_data.get(node_id)
        return self.doc.where(data, name) if type(data) is dict and name in data else fallback

    def edge_at(self, edge: model.Edge) -> Location:
        """Where an edge's target is named: an option, branch or rung has its own place; a node's
        `next` or `exhausted` is looked up where it is written."""
        if edge.option is None and edge.key in ("next", "exhausted"):
            return self.written_at(edge.source, edge.key, edge.loc)
        return edge.loc

    def references(self, nodes: Mapping[str, model.Node], schedules_data: dict[str, Any], data: dict[str, Any]) -> None:
        """A `next` (or start, exhausted, escalates_to, schedule) that names nothing is a load error.

        A name counts as written whether or not its node could be read (`nodes` holds those that
        could), so that a tree with other problems also has its typos reported, not one layer of
        problems per run; what a node that could not be read names is not looked into.
        """
        names = self.nodes_data
        start = data.get("start")
        if isinstance(start, str) and names and start not in names:
            self.problem(self.doc.where(data, "start"), "", f"'start' names no node: '{start}'")
        # The options of the single choices, most edges of a large tree, are looked at all at once.
        singles = [node for node in nodes.values() if type(node) is model.SingleChoice]
        targets = set(map(_NEXT, chain.from_iterable(map(_OPTIONS, singles))))
        targets.discard(None)
        all_there = targets <= names.keys()
        ladders: list[model.Ladder] = []
        outcomes: list[model.Outcome] = []
        for node in nodes.values():
            kind = type(node)
            if kind is model.SingleChoice and all_there:
                continue
            if kind is model.Outcome:
                outcomes.append(node)  # type: ignore[arg-type]
                continue
            if kind is model.Ladder:
                ladders.append(node)  # type: ignore[arg-type]
            if not _targets_exist(node, names):  # the edges are made only for a message
                for edge in model.node_edges(node):
                    if edge.target not in names:
                        self.problem(self.edge_at(edge), f"node '{edge.source}'", _missing(edge))
        for ladder in ladders:
            if ladder.question in nodes or ladder.question not in names:  # else its question could not be read
                self.ladder_question(ladder, nodes)
        for outcome in outcomes:
            escalates_to = outcome.escalates_to
            if escalates_to is not None:
                target = nodes.get(escalates_to)  # None also for a node written but not read
                if escalates_to not in names or (target is not None and type(target) is not model.Outcome):
                    where = self.written_at(outcome.id, "escalates_to", outcome.loc)
                    self.problem(where, f"node '{outcome.id}'", f"'escalates_to' names no outcome: '{escalates_to}'")
            if outcome.schedule is not None and outcome.schedule not in schedules_data:
                where = self.written_at(outcome.id, "schedule", outcome.loc)
                self.problem(where, f"node '{outcome.id}'", f"'schedule' names no schedule: '{outcome.schedule}'")


def _ladder_problems(ladder: model.Ladder, nodes: Mapping[str, model.Node]) -> list[tuple[Location, str]]:
    """A ladder's question that is no multiple choice, and steps that are not its options (where, what)."""
    question = nodes.get(ladder.question)
    if not isinstance(question, model.MultipleChoice):
        what = "names no node" if question is None else f"names a {question.kind} node"
        return [(ladder.loc, f"'question' {what}: '{ladder.question}'; a ladder reads a multiple-choice question")]
    ids = [o.id for o in question.options]
    return [
        (rung.loc, f"rung '{rung.step}' is not an option of '{ladder.question}' ({', '.join(ids)})")
        for rung in ladder.rungs
        if rung.step not in ids
    ]


def _targets_exist(node: model.Node, nodes: Mapping[str, model.Node]) -> bool:
    """Whether every node that `node` leads to exists."""
    kind = type(node)
    if kind is model.SingleChoice:
        return all(o.next in nodes for o in node.options if o.next is not None)  # type: ignore[union-attr]
    if kind is model.MultipleChoice:
        return node.next in nodes  # type: ignore[union-attr]
    if kind is model.Route:
        return all(b.next in nodes for b in node.branches)  # type: ignore[union-attr]
    if kind is model.Ladder:
        return node.exhausted in nodes and all(r.next in nodes for r in node.rungs)  # type: ignore[union-attr]
    return True


def _missing(edge: model.Edge) -> str:
    what = {"next": "'next'", "exhausted": "'exhausted'", "default": "the default branch's 'next'"}
    if edge.option is not None:
        label = f"option '{edge.option.id}': 'next'"
    elif edge.key.startswith("rung:"):
        label = f"rung '{edge.key[5:]}': 'next'"
    elif edge.key.startswith("branch:"):
        label = f"branch {int(edge.key[7:]) + 1}: 'next'"
    else:
        label = what.get(edge.key, f"'{edge.key}'")
    return f"{label} names no node: '{edge.target}'"


class _ConditionError(Exception):
    def __init__(self, where: Location, message: str) -> None:
        self.where = where
        self.message = message


_OPERATORS = ("is", "is_not", "in", "not_in", "includes", "excludes", "includes_any", "answered")
_COMBINATORS = ("all", "any", "not")


def parse_condition(
    data: Any,
    doc: Document,
    parent: Any,
    key: Any,
    kinds: Mapping[str, str] | None = None,
    depth: int = 0,
    *,
    options: Mapping[str, set[str]] | None = None,
) -> Condition:
    """A condition from its YAML form.

    Forms: `{question: option}` (is, or includes for a multiple choice), `{question:
    [a, b]}` (in, or includes_any), `{question: {OPERATOR: value}}`, several keys (all
    hold), `{all: [...]}`, `{any: [...]}`, `{not: {...}}`.

    With `kinds` (node id -> kind, the whole tree's), a question that is not one is refused,
    and with `options` (question id -> option ids) an option id the question does not have:
    a condition that can never hold would route every user the same way, silently.

    Raises:
        _ConditionError: The condition is malformed.
    """
    kinds = kinds or {}
    where = doc.where(parent, key)
    if depth > MAX_DEPTH:  # JSON is read without the YAML reader's nesting limit
        raise _ConditionError(where, f"condition nested more than {MAX_DEPTH} levels deep")
    if not isinstance(data, dict) or not data:
        raise _ConditionError(where, f"a condition must be a non-empty mapping, not {_kind(data)}")
    parts: list[Condition] = []
    for name, value in data.items():
        at = doc.where(data, name)
        if name in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise _ConditionError(at, f"'{name}' takes a non-empty list of conditions")
            subs = tuple(
                parse_condition(v, doc, value, i, kinds, depth + 1, options=options) for i, v in enumerate(value)
            )
            parts.append(model.AllOf(subs, at) if name == "all" else model.AnyOf(subs, at))
        elif name == "not":
            parts.append(model.Not(parse_condition(value, doc, data, name, kinds, depth + 1, options=options), at))
        else:
            parts.extend(_compare(name, value, doc, data, kinds, {} if options is None else options))
    return parts[0] if len(parts) == 1 else model.AllOf(tuple(parts), where)


def _compare(
    question: str,
    value: Any,
    doc: Document,
    parent: dict[str, Any],
    kinds: Mapping[str, str],
    options: Mapping[str, set[str]],
) -> list[model.Compare]:
    at = doc.where(parent, question)
    if kinds and kinds.get(question) not in ("single", "multiple"):
        kind = kinds.get(question)
        what = "names no question" if kind is None else f"names a {kind} node, not a question"
        questions = [q for q, k in kinds.items() if k in ("single", "multiple")]
        raise _ConditionError(at, f"condition on '{question}' {what}; questions: {', '.join(questions)}")
    multiple = kinds.get(question) == "multiple"
    compares = _compare_ops(question, value, doc, parent, kinds, at, multiple)
    known = options.get(question)
    if known is not None:
        for compare in compares:
            unknown = [v for v in compare.values if v not in known]
            if unknown:
                raise _ConditionError(
                    compare.loc,
                    f"condition on '{question}': '{unknown[0]}' is not one of its options ({', '.join(sorted(known))})",
                )
    return compares


def _compare_ops(
    question: str,
    value: Any,
    doc: Document,
    parent: dict[str, Any],
    kinds: Mapping[str, str],
    at: Location,
    multiple: bool,
) -> list[model.Compare]:
    if isinstance(value, dict):
        if not value:
            raise _ConditionError(at, f"condition on '{question}' is empty")
        out: list[model.Compare] = []
        for op, operand in value.items():
            if op not in _OPERATORS:
                raise _ConditionError(
                    doc.where(value, op),
                    f"condition on '{question}': unknown operator '{op}'; expected one of: {', '.join(_OPERATORS)}",
                )
            if op != "answered" and kinds.get(question) in ("single", "multiple"):
                wants_multiple = op in model.MULTIPLE_OPERATORS
                if wants_multiple != multiple:
                    kind = "multiple" if multiple else "single"
                    raise _ConditionError(
                        doc.where(value, op),
                        f"condition on '{question}': operator '{op}' does not apply to a {kind} choice",
                    )
            if op == "answered":
                if operand is not True:
                    raise _ConditionError(doc.where(value, op), "'answered' takes true")
                out.append(model.Compare(question, "answered", (), at))
                continue
            out.append(model.Compare(question, op, _ids(operand, doc, value, op, question), at))
        return out
    values = _ids(value, doc, parent, question, question)
    if isinstance(value, list):
        return [model.Compare(question, "includes_any" if multiple else "in", values, at)]
    return [model.Compare(question, "includes" if multiple else "is", values, at)]


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


class _Here:
    """The location of `parent[key]`, made only when a problem needs it."""

    __slots__ = ("doc", "key", "parent")

    def __init__(self, doc: Document, parent: Any, key: Any) -> None:
        self.doc, self.parent, self.key = doc, parent, key

    def __call__(self) -> Location:
        return self.doc.where(self.parent, self.key)


class _Plan:
    """How to read one record class: its fields' names, type hints and whether required."""

    def __init__(self, cls: type) -> None:
        hints = _hints(cls)
        specs = [f for f in record.fields(cls) if not f.metadata.get("internal")]
        self.key = next((f.name for f in specs if f.metadata.get("key")), None)
        self.fields = tuple(
            (f.name, _reader(hints[f.name]), f.required, _optional(hints[f.name]))
            for f in specs
            if not f.metadata.get("key")
        )
        self.known = frozenset(name for name, *_ in self.fields)
        self.by_name = {name: (read, optional) for name, read, _, optional in self.fields}
        self.required_order = tuple(name for name, _, required, _ in self.fields if required)
        self.required = frozenset(self.required_order)
        self.defaults = {f.name: f.default for f in record.fields(cls) if f.default is not record.MISSING}
        self.factories = tuple(f for f in record.fields(cls) if f.default_factory is not record.MISSING)
        self.has_loc = any(f.name == "loc" for f in record.fields(cls))


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS[cls] = _Plan(cls)
    return plan


#: Reads one value: (builder, data, parent, key, context, field name) -> the value, or None after a problem.
_Reader = typing.Callable[["_Builder", Any, Any, Any, str, str], Any]


@functools.cache
def _reader(hint: Any) -> _Reader:
    """The function that reads a value of type `hint`: the type is looked at once, not per value."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = tuple(a for a in typing.get_args(hint) if a is not type(None))
        if set(args) == _CONDITION_TYPES:
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


_ID_KEY = operator.itemgetter("id")
_LABEL_KEY = operator.itemgetter("label")
_NEXT_KEY = operator.itemgetter("next")
_DEFAULT_KEY = operator.methodcaller("get", "default")
_OPTIONS_KEY = operator.methodcaller("get", "options")  # None when absent: no list
_INSTANCE_DICT = operator.attrgetter("__dict__")
#: The keys of a plain option of a single choice (`_Builder.plain_single_choices`).
_PLAIN_OPTION = frozenset({"id", "label", "next"})


@functools.cache
def _option_defaults() -> dict[str, Any]:
    """An option's fields that a plain one does not write, with their defaults."""
    plan = _PLANS.get(model.Option) or _plan(model.Option)
    return {name: value for name, value in plan.defaults.items() if name not in _PLAIN_OPTION}


_NEXT = operator.attrgetter("next")
_OPTIONS = operator.attrgetter("options")

#: What `fast_question` returns to say "not the fast path": nothing was read.
_SLOW: Any = object()


def _shapes(cls: type) -> list[readers.FieldShape]:
    """The fields of `cls` as the reader compiler sees them (the key field and `loc` left out)."""
    plan = _PLANS.get(cls) or _plan(cls)
    hints = _hints(cls)
    shapes = []
    for name, read, required, optional in plan.fields:
        hint = hints[name]
        inner = [a for a in typing.get_args(hint) if a is not type(None)] if optional else []
        if len(inner) == 1:  # `X | None`: the type of X (a condition is a union of its own)
            hint = inner[0]
        shape = {str: "str", int: "int", bool: "bool", Localized: "localized"}.get(hint, "other")
        allowed: tuple[Any, ...] = ()
        if typing.get_origin(hint) is Literal:
            shape, allowed = "literal", typing.get_args(hint)
        shapes.append(
            readers.FieldShape(
                name, shape, required, optional, plan.defaults.get(name), allowed, read if shape == "other" else None
            )
        )
    return shapes


@functools.cache
def _compile(cls: type, languages: tuple[str, ...], variant: str) -> readers.Compiled | None:
    """The compiled reader of a record class (see `_Builder.compiled`), or None for one with a field
    made by a factory."""
    plan = _PLANS.get(cls) or _plan(cls)
    if plan.factories:
        return None
    shapes = _shapes(cls)
    forbidden: frozenset[str] = frozenset()
    context_of = "context"
    if variant in ("single", "multiple"):  # an option: `next` it must have, or must not; named in messages
        if variant == "single":
            shapes = [s._replace(required=True, optional=False) if s.name == "next" else s for s in shapes]
        else:
            forbidden = frozenset({"next"})
        context_of = "f\"{context}: option '{data['id']}'\""
    return readers.compile_reader(
        cls,
        shapes,
        languages,
        given=frozenset({"options"}) if variant == "given" else frozenset(),
        forbidden=forbidden,
        key_field=plan.key,
        has_loc=plan.has_loc,
        localized=Localized,
        context_of=context_of,
    )


_LANGUAGE = re.compile(model.LANGUAGE_PATTERN)
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


def _count_keys(data: Any) -> int:
    """The keys of every mapping in `data`, nested ones included."""
    total = 0
    stack = [data]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            total += len(value)
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    return total


class _Kinds(Mapping[str, str]):
    """Node id -> its kind as written, looked up when a condition names the node (most trees have few)."""

    def __init__(self, nodes_data: dict[str, Any]) -> None:
        self._nodes = nodes_data

    def __getitem__(self, node_id: str) -> str:
        node = self._nodes[node_id]
        kind = node.get("kind") if isinstance(node, dict) else None
        if not isinstance(kind, str):
            raise KeyError(node_id)
        return kind

    def __iter__(self) -> typing.Iterator[str]:
        return (node_id for node_id in self._nodes if node_id in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None


class _OptionIds(Mapping[str, set[str]]):
    """Question id -> its option ids as written, found when a condition first names the question."""

    def __init__(self, nodes_data: dict[str, Any], builder: _Builder) -> None:
        self._nodes = nodes_data
        self._builder = builder
        self._found: dict[str, set[str]] = {}

    def __getitem__(self, question: str) -> set[str]:
        found = self._found.get(question)
        if found is None:
            node = self._nodes.get(question)
            options = node.get("options") if isinstance(node, dict) and isinstance(node.get("kind"), str) else None
            if not isinstance(options, list):
                raise KeyError(question)
            ids = (self._builder.read_id(o) for o in options if isinstance(o, dict))
            found = self._found[question] = {i for i in ids if i is not None}
        return found

    def __iter__(self) -> typing.Iterator[str]:
        return (q for q in self._nodes if q in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, record.Record)


def _optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType) and type(None) in typing.get_args(hint)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def build_tree(doc: Document) -> model.Tree:
    """The typed tree from a document.

    Raises:
        LoadError: With every problem found, each with its location.
    """
    builder = _Builder(doc)
    tree = builder.tree()
    # Fewer keys read than written: a key written twice, or a quote and a colon inside a
    # text, or mappings a broken tree left unread. Only a second read can tell.
    unchecked = isinstance(doc, _JsonDocument) and doc.keys_unchecked
    if unchecked and not doc.keys_written(builder.keys_read) and _has_duplicate_key(doc._source):  # type: ignore[attr-defined]
        return build_tree(_read_yaml(doc._source, doc.file))  # type: ignore[attr-defined]  # it says where
    if builder.problems or tree is None:
        raise LoadError(sorted(builder.problems, key=_problem_order))  # in the order of the file, as `check` lists
    return tree


def read_tree(path: Path | str, *, display: str | None = None) -> model.Tree:
    """The tree in a YAML or JSON file.

    Raises:
        LoadError: The file cannot be read, or is not a valid tree; every problem located.
    """
    return build_tree(read_document(path, display=display, keys_checked_by_build=True))


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
    except ValueError:  # an installed package: a path the user can open
        return str(path)


def load_tree(spec: str | Path) -> model.Tree:
    """Load a tree by shipped name or path.

    Raises:
        LoadError: The tree cannot be found or read, or is not a valid tree.
    """
    path, display = resolve_tree(str(spec))
    return read_tree(path, display=display)
