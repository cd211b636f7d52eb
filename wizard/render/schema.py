"""The JSON Schema of the tree format, generated from the model's Structs (never written by hand).

`python -m wizard.render.schema` prints it; `trees/tree.schema.json` is its committed copy,
which a test keeps current. Editors read it through the first line of each tree:
`# yaml-language-server: $schema=tree.schema.json`.
"""

from __future__ import annotations

import collections.abc
import json
import sys
import types
import typing
from typing import Any, Literal, Union

import msgspec

from wizard.core import model
from wizard.core.model import Condition, Localized

__all__ = ["SCHEMA_FILE", "render_schema", "tree_schema"]

SCHEMA_FILE = "tree.schema.json"
_ID = {"type": "string", "pattern": f"^{model.ID_PATTERN}$"}
#: Fields that hold an id (their own or another node's).
_ID_FIELDS = ("id", "next", "start", "exhausted", "question", "schedule", "escalates_to", "step")


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model), include_extras=True)


def _metas(hint: Any) -> tuple[Any, list[msgspec.Meta]]:
    """A field's type without its `Annotated` wrappers, and the `Meta` they held."""
    metas: list[msgspec.Meta] = []
    while typing.get_origin(hint) is typing.Annotated:
        hint, *extras = typing.get_args(hint)
        metas.extend(e for e in extras if isinstance(e, msgspec.Meta))
    return hint, metas


def _definition_name(cls: type) -> str:
    return cls.__name__


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    hint, _ = _metas(hint)
    origin = typing.get_origin(hint)
    if hint is Condition:
        return {"$ref": "#/$defs/Condition"}
    if origin in (Union, types.UnionType):
        args = tuple(a for a in typing.get_args(hint) if a is not type(None))
        return _type(args[0], defs)
    if hint is str:
        return {"type": "string"}
    if hint is int:
        return {"type": "integer"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is Localized:
        return {"$ref": "#/$defs/Localized"}
    if hint is model.Point:  # a plain text, or {text, when}
        return {"anyOf": [{"$ref": "#/$defs/Localized"}, _record(model.Point, defs)]}
    if origin is Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin is tuple:
        item = _metas(typing.get_args(hint)[0])[0]
        items = _type(item, defs)
        if item is str:  # a list of ids may be written as one id
            return {"anyOf": [{"type": "array", "items": items}, items]}
        return {"type": "array", "items": items}
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        return _record(hint, defs)
    if origin in (dict, collections.abc.Mapping):  # nodes, schedules: filled in by tree_schema
        return {"type": "object"}
    raise TypeError(f"no schema for {hint!r}")  # pragma: no cover - a model field of a new type


def _record(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = _definition_name(cls)
    if name in defs:
        return {"$ref": f"#/$defs/{name}"}
    defs[name] = {}  # reserve: recursion
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    fields = [("text", True), ("when", False)] if cls is model.Point else _fields(cls)
    for field_name, is_required in fields:
        _, metas = _metas(hints[field_name])
        given = {k: v for m in metas for k, v in (m.extra_json_schema or {}).items()}
        if given.get("key"):
            continue
        prop = dict(_type(hints[field_name], defs))
        if field_name in _ID_FIELDS:
            prop.update(_ID)
        limits = {
            "pattern": next((m.pattern for m in metas if m.pattern), None),
            "minimum": next((m.ge for m in metas if m.ge is not None), given.get("minimum")),
            "maximum": next((m.le for m in metas if m.le is not None), None),
            "minItems": next((m.min_length for m in metas if m.min_length is not None), None),
        }
        limits["pattern"] = limits["pattern"] or given.get("pattern")
        prop.update({k: v for k, v in limits.items() if v is not None and "$ref" not in prop})
        description = next((m.description for m in metas if m.description), None)
        if description:
            prop["description"] = description
        properties[field_name] = prop
        if is_required:
            required.append(field_name)
    definition: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        definition["required"] = required
    defs[name] = definition
    return {"$ref": f"#/$defs/{name}"}


def _fields(cls: type) -> list[tuple[str, bool]]:
    return [(f.name, f.required) for f in msgspec.structs.fields(cls) if f.name not in ("source", "locator")]


def _condition() -> dict[str, Any]:
    ids = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
    operators = {op: ids for op in ("is", "is_not", "in", "not_in", "includes", "excludes", "includes_any")}
    return {
        "type": "object",
        "description": (
            "A condition on earlier answers: {question: option} (is; includes for a multiple choice), "
            "{question: [a, b]} (one of), {question: {OPERATOR: ids}}, several keys (all hold), "
            "{all: [...]}, {any: [...]}, {not: {...}}."
        ),
        "minProperties": 1,
        "properties": {
            "all": {"type": "array", "items": {"$ref": "#/$defs/Condition"}, "minItems": 1},
            "any": {"type": "array", "items": {"$ref": "#/$defs/Condition"}, "minItems": 1},
            "not": {"$ref": "#/$defs/Condition"},
        },
        "additionalProperties": {
            "anyOf": [
                ids,
                {
                    "type": "object",
                    "properties": {**operators, "answered": {"const": True}},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ]
        },
    }


def tree_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a tree file."""
    defs: dict[str, Any] = {}
    root = _record(model.Tree, defs)
    tree = defs.pop("Tree")
    tree["properties"]["nodes"] = {
        "type": "object",
        "description": "The nodes by id.",
        "minProperties": 1,
        "propertyNames": _ID,
        "additionalProperties": {
            "oneOf": [_record(cls, defs) for cls in model.NODE_KINDS.values()],
        },
    }
    tree["properties"]["schedules"] = {
        "type": "object",
        "description": "Opening hours of channels, by id.",
        "propertyNames": _ID,
        "additionalProperties": _record(model.Schedule, defs),
    }
    tree["properties"]["languages"] = {  # a list, always: the loader refuses a lone string
        "type": "array",
        "minItems": 1,
        "description": tree["properties"]["languages"].get("description", ""),
        "items": {"type": "string", "pattern": f"^{model.LANGUAGE_PATTERN}$"},
    }
    defs["Localized"] = {
        "type": "object",
        "description": "A text in every language the tree declares, for example {zh: ..., en: ...}.",
        "minProperties": 1,
        "propertyNames": {"pattern": f"^{model.LANGUAGE_PATTERN}$"},
        "additionalProperties": {"type": "string"},
    }
    defs["Condition"] = _condition()
    for cls in model.NODE_KINDS.values():
        kind = defs[cls.__name__]
        kind["properties"]["kind"] = {"enum": [cls.kind], "description": cls.about}
        kind["required"] = sorted({*kind.get("required", []), "kind"})
    del root
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pdd-wizard decision tree",
        **{k: v for k, v in tree.items() if k != "description"},
        "description": "A pdd-wizard decision tree (generated from wizard/model.py; do not edit).",
        "$defs": dict(sorted(defs.items())),
    }


def render_schema() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(tree_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_schema())
