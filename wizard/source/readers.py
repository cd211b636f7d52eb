"""Readers compiled for one record class: the loader's fast path for a mapping that is written right.

The loader's generic reader (`wizard.source.load._Builder.record`) walks a mapping key by key,
looks each field up, and has a message ready for every way a value can be wrong. Most
values of a large tree are written right, and a 100,000-node tree holds about a million
mappings: there, the generic walk cost more than reading the JSON. As `dataclasses`
compiles an `__init__` per class, this module compiles two functions per record class
(and per tree's languages):

- `check(data)` answers, without side effects, whether the generic reader would read
  `data` without a problem as far as its plain fields go: a mapping, no unknown key,
  every required one, and each string, number, flag, choice among literals and
  per-language text of the right type. False sends the mapping to the generic reader,
  which says what is wrong, so that no message is written twice.
- `build(...)` then makes the record from the mapping in a few dict operations, and
  reads the other fields (lists of records, conditions) with the generic readers, in
  the order they are written, as the generic reader does.

A test builds every tree and fixture both ways and compares the records and problems.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

__all__ = ["Compiled", "FieldShape", "compile_reader"]

_new = object.__new__


class FieldShape(NamedTuple):
    """One field as the compiler sees it.

    Attributes:
        name: The field (the key in the mapping).
        shape: `str`, `int`, `bool`, `localized`, `literal` (checked here) or `other` (read by `reader`).
        required: The mapping must hold it.
        optional: None is a value of the field (its default is None).
        default: The value when the key is absent (ignored when required).
        allowed: The values of a `literal` field.
        reader: The generic reader of an `other` field: (builder, data, parent, key, context, name) -> value.
    """

    name: str
    shape: str
    required: bool
    optional: bool
    default: Any = None
    allowed: tuple[Any, ...] = ()
    reader: Callable[..., Any] | None = None


class Compiled(NamedTuple):
    """A record class's compiled reader.

    Attributes:
        check: Whether the generic reader would find no problem in the plain fields of a mapping.
        build: The record from a mapping `check` passed (None when a field read by a generic
            reader had a problem, which it reported).
        fused: `check` and `build` at once, for a mapping none of whose fields a generic reader
            reads; None, having done nothing, for any other mapping.
    """

    check: Callable[[Any], bool]
    build: Callable[..., Any]
    fused: Callable[..., Any]


def _valid(shape: FieldShape, x: str, languages: Sequence[str]) -> str:
    """A Python expression: whether the value named `x` is valid for a plain field (never None here)."""
    if shape.shape in ("str", "int", "bool"):
        return f"type({x}) is {shape.shape}"
    if shape.shape == "literal":
        return f"{x} in ALLOWED_{shape.name}"
    if shape.shape == "localized":
        tests = [f"type({x}) is dict", f"len({x}) == {len(languages)}"]
        tests += [f"type({x}.get({lang!r})) is str" for lang in languages]
        return " and ".join(tests)
    raise ValueError(shape.shape)  # pragma: no cover - only plain fields are checked here


def compile_reader(
    cls: type,
    fields: Sequence[FieldShape],
    languages: Sequence[str],
    *,
    given: frozenset[str] = frozenset(),
    forbidden: frozenset[str] = frozenset(),
    key_field: str | None = None,
    has_loc: bool = False,
    localized: type,
    context_of: str = "context",
) -> Compiled:
    """Compile the fast reader of record class `cls`.

    Args:
        cls: The record class.
        fields: Its fields as written in a mapping (not the key field, not `loc`).
        languages: The tree's languages, each text's keys.
        given: Fields the caller builds and passes in (`options` of a question).
        forbidden: Fields that take their default and may not be written here (an option's
            `next` in a multiple choice): the mapping goes to the generic reader, which says so.
        key_field: The field that takes the mapping's key (a node's `id`).
        has_loc: Whether the record has a `loc`, set to where the mapping is written.
        localized: The class of per-language texts.
        context_of: A Python expression of `context` and `data`: how messages name the record,
            made only when a field the generic readers read needs it.
    """
    names = [f.name for f in fields if f.name not in forbidden]
    known = frozenset(names)
    required = frozenset(f.name for f in fields if f.required and f.name not in given)
    defaults = {f.name: (None if f.optional else f.default) for f in fields if not f.required}
    for f in fields:
        if f.optional and f.default is not None:  # pragma: no cover - a model field of a new kind
            raise ValueError(f"{cls.__name__}.{f.name}: an optional field defaults to None")
    env: dict[str, Any] = {
        "CLS": cls,
        "LOCALIZED": localized,
        "SET_TEXTS": vars(localized)["texts"].__set__,  # a slot
        "NEW": _new,
        "KNOWN": known,
        "REQUIRED": required,
        "DEFAULTS": defaults,
    }
    check = ["    if type(data) is not dict or not KNOWN.issuperset(data) or not REQUIRED.issubset(data):"]
    check.append("        FAIL")
    check.append("    get = data.get")
    build = ["    made = NEW(CLS)"]
    build.append("    values = made.__dict__")
    build.append("    values.update(DEFAULTS)")
    build.append("    values.update(data)")
    build.append("    builder.keys_read += len(data) + TEXT_KEYS")  # a text's keys: one per language
    text_keys = 0
    other: list[FieldShape] = []
    for f in fields:
        if f.name in given or f.name in forbidden:
            continue
        if f.shape == "literal":
            env[f"ALLOWED_{f.name}"] = f.allowed
        if f.shape == "other":
            other.append(f)
            if f.required:  # present (REQUIRED), and not None: the generic reader calls None missing
                check.append(f"    if get({f.name!r}) is None:")
                check.append("        FAIL")
            continue
        valid = _valid(f, "x", languages)
        if f.required:  # present: REQUIRED says so
            check.append(f"    x = data[{f.name!r}]")
            check.append(f"    if not ({valid}):")
        elif f.optional:
            check.append(f"    x = get({f.name!r})")
            check.append(f"    if x is not None and not ({valid}):")
        else:  # a default that is valid itself: absent is fine, None is not (the generic reader says so)
            check.append(f"    if {f.name!r} in data:")
            check.append(f"        x = data[{f.name!r}]")
            check.append(f"        if not ({valid}):")
            check.append("            FAIL")
            if f.shape == "localized":
                build.append(f"    if {f.name!r} in data:")
                build.append(f"        builder.keys_read += {len(languages)}")
                build.append("        text = NEW(LOCALIZED)")
                build.append(f"        SET_TEXTS(text, values[{f.name!r}])")
                build.append(f"        values[{f.name!r}] = text")
            continue
        check.append("        FAIL")
        if f.shape == "localized":
            indent = "    "
            if f.required:
                text_keys += len(languages)
            else:
                build.append(f"    if values[{f.name!r}] is not None:")
                build.append(f"        builder.keys_read += {len(languages)}")
                indent = "        "
            build.append(f"{indent}text = NEW(LOCALIZED)")
            build.append(f"{indent}SET_TEXTS(text, values[{f.name!r}])")
            build.append(f"{indent}values[{f.name!r}] = text")
    env["TEXT_KEYS"] = text_keys
    core = build
    build = ["    ok = True"]
    if other:
        env["OTHER"] = {f.name: (f.reader, f.optional) for f in other}
        env["OTHER_NAMES"] = frozenset(env["OTHER"])
        build.append("    if not OTHER_NAMES.isdisjoint(data):")
        build.append(f"        context = {context_of}")
        build.append("        for name, raw in data.items():  # in the order written, as the generic reader")
        build.append("            spec = OTHER.get(name)")
        build.append("            if spec is None:")
        build.append("                continue")
        build.append("            read, optional = spec")
        build.append("            if raw is None and optional:")
        build.append("                values[name] = None")
        build.append("                continue")
        build.append("            got = read(builder, raw, data, name, context, name)")
        build.append("            if got is None:")
        build.append("                ok = False")
        build.append("            else:")
        build.append("                values[name] = got")
    tail = []
    if given:
        tail.append("    if given:")
        tail.append("        values.update(given)")
    build.append("    if not ok:")
    build.append("        return None")
    if key_field is not None:
        tail.append(f"    values[{key_field!r}] = node_id")
    if has_loc:
        tail.append("    values['loc'] = builder.doc.where(parent, key)")
    tail.append("    return made")
    # check: the tests alone. build: the record, after check said yes. fused: both in one, for a
    # mapping with no field read by the generic readers (None, with nothing done, on any doubt).
    checked = "\n".join(check)
    guard = ["    if not OTHER_NAMES.isdisjoint(data):", "        return None"] if other else []
    source = "\n\n\n".join(
        [
            f"def check(data):\n{checked.replace('FAIL', 'return False')}\n    return True",
            "\n".join(
                ["def build(builder, data, parent, key, context, node_id=None, given=None):", *core, *build, *tail]
            ),
            "\n".join(
                [
                    "def fused(builder, data, parent, key, node_id=None, given=None):",
                    checked.replace("FAIL", "return None"),
                    *guard,
                    *core,
                    *tail,
                ]
            ),
        ]
    )
    namespace: dict[str, Any] = {}
    exec(compile(source + "\n", f"<reader of {cls.__name__}>", "exec"), env, namespace)
    return Compiled(namespace["check"], namespace["build"], namespace["fused"])
