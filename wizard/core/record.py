"""Immutable records declared like dataclasses, without the start-up cost of `dataclasses`.

`import dataclasses` pulls in `inspect` (~8 ms), and each frozen dataclass compiles
six generated methods (~0.7 ms a class): a scripted run of pdd-wizard paid more for
its model's class statements than for reading the tree. A `Record` gets the same
declaration syntax (annotations, defaults, `field(default=..., metadata=...)`) and
the same behaviour (keyword or positional construction, frozen, ==, hash, repr)
from generic methods, and type checkers see it as a dataclass (PEP 681).
"""

from __future__ import annotations

from collections.abc import Callable
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

__all__ = ["MISSING", "Field", "Record", "field", "fields", "replace"]

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[type], type]:
        return lambda cls: cls


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: No default given.
MISSING: Any = _Missing()


class Field:
    """One declared field of a record.

    Attributes:
        name: The attribute's name.
        default: Its default value, or MISSING.
        default_factory: Makes the default for each instance, or MISSING.
        metadata: Free data about the field (the loader and the schema read `doc` and hints).
    """

    __slots__ = ("default", "default_factory", "metadata", "name")

    def __init__(self, default: Any, default_factory: Any, metadata: dict[str, Any] | None) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.metadata: dict[str, Any] = metadata or {}

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is MISSING

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    metadata: dict[str, Any] | None = None,
) -> Any:
    """Declare a field with a default or metadata (as `dataclasses.field`)."""
    return Field(default, default_factory, metadata)


_new = object.__new__


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class Record:
    """Base of immutable records: subclasses declare fields as annotated class attributes.

    A subclass keeps its fields in its instance dict, unless it declares `__slots__` naming
    them (a record made by the hundred thousand, such as a text), and then defines its own
    `__init__`, `_trusted`, `_values` and `__repr__` (see `wizard.core.model.Localized`).
    """

    __slots__ = ()  # subclasses without __slots__ get an instance dict as usual

    if TYPE_CHECKING:
        __fields__: ClassVar[tuple[Field, ...]]
        _names: ClassVar[tuple[str, ...]]
        _nameset: ClassVar[frozenset[str]]
        _defaults: ClassVar[dict[str, Any]]
        _factories: ClassVar[tuple[Field, ...]]
    else:  # unannotated at run time, so typing.get_type_hints() of a record sees only its fields
        __fields__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = list(cls.__fields__)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - own only
            if "ClassVar" in str(annotation):
                continue
            value = cls.__dict__.get(name, MISSING)
            slot = isinstance(value, MemberDescriptorType)  # a field kept in a slot: no default
            spec = value if isinstance(value, Field) else Field(MISSING if slot else value, MISSING, None)
            spec.name = name
            if name in cls.__dict__ and not slot:
                delattr(cls, name)
            declared = [f for f in declared if f.name != name] + [spec]
        seen_default = False
        for spec in declared:
            if not spec.required:
                seen_default = True
            elif seen_default:
                raise TypeError(f"{cls.__name__}: required field {spec.name!r} follows a field with a default")
        cls.__fields__ = tuple(declared)
        # Precomputed for __init__, which runs for every value a large tree holds.
        cls._names = tuple(spec.name for spec in declared)
        cls._nameset = frozenset(cls._names)
        cls._defaults = {spec.name: spec.default for spec in declared if spec.default is not MISSING}
        cls._factories = tuple(spec for spec in declared if spec.default_factory is not MISSING)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        names = cls._names
        if args:
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__} takes at most {len(names)} arguments")
            for name in names[: len(args)]:
                if name in kwargs:
                    raise TypeError(f"{cls.__name__} got two values for {name!r}")
            kwargs.update(zip(names, args, strict=False))
        values = self.__dict__
        values.update(cls._defaults)
        values.update(kwargs)
        for spec in cls._factories:
            if spec.name not in kwargs:
                values[spec.name] = spec.default_factory()
        if len(values) != len(names) or not cls._nameset.issuperset(values):
            unexpected = [n for n in values if n not in names]
            if unexpected:
                raise TypeError(f"{cls.__name__} got an unexpected argument {unexpected[0]!r}")
            missing = next(n for n in names if n not in values)
            raise TypeError(f"{cls.__name__} is missing the argument {missing!r}")

    @classmethod
    def _trusted(cls: type[R], values: dict[str, Any]) -> R:
        """A record from `values` that the caller has already checked: every required field,
        no unknown one. The loader builds a large tree's million records this way, at a
        third of the cost of `__init__`'s argument checks."""
        self = _new(cls)
        fields = self.__dict__
        fields.update(cls._defaults)
        fields.update(values)
        if cls._factories:
            for spec in cls._factories:
                if spec.name not in values:
                    fields[spec.name] = spec.default_factory()
        return self

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[spec.name] for spec in type(self).__fields__)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{spec.name}={self.__dict__[spec.name]!r}" for spec in type(self).__fields__)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._values())


R = TypeVar("R", bound=Record)


def fields(record: type[Record] | Record) -> tuple[Field, ...]:
    """The declared fields of a record class or instance, in order."""
    return type(record).__fields__ if isinstance(record, Record) else record.__fields__


def replace(record: R, **changes: Any) -> R:
    """A copy of `record` with some fields changed (as `dataclasses.replace`)."""
    values = {spec.name: getattr(record, spec.name) for spec in type(record).__fields__}  # a slot or the dict
    values.update(changes)
    return type(record)(**values)
