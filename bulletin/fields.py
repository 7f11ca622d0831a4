"""Reading the record schemas' types: what a field holds, once, for every module that derives
something from the schemas (error messages, the data-format page, the web form, new-record
files, CSV columns, reference checks)."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from .errors import Loc
from .schema import Date, Month, RefTo, Year


@dataclass(frozen=True)
class Shape:
    """A field's type without Optional and Annotated layers, with their metadata collected."""

    base: Any  # str, int, float, bool, date, Literal[...], a model class, or list
    metadata: tuple[Any, ...] = ()
    item: Shape | None = None  # the shape of each item, for a list

    @property
    def values(self) -> Shape:
        """The shape that holds values: the item shape of a list, else itself."""
        return self.item if self.item is not None else self

    def model(self) -> type[BaseModel] | None:
        base = self.values.base
        return base if isinstance(base, type) and issubclass(base, BaseModel) else None

    def constraint(self, name: str) -> Any:
        """A constraint of the schema (ge, le, max_length, pattern...), or None."""
        return next((getattr(m, name) for m in self.metadata if getattr(m, name, None) is not None), None)


def shape_of(annotation: Any, metadata: typing.Iterable[Any] = ()) -> Shape:
    collected = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for item in extra:  # a Field(...) inside Annotated holds its constraints itself
                collected += item.metadata if isinstance(item, FieldInfo) else [item]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                break
            annotation = args[0]
        else:
            break
    if typing.get_origin(annotation) is list:
        return Shape(list, tuple(collected), shape_of(typing.get_args(annotation)[0]))
    return Shape(annotation, tuple(collected))


def field_shape(info: FieldInfo) -> Shape:
    return shape_of(info.annotation, info.metadata)


def alias_of(shape: Shape) -> Any:
    """Year, Month or Date from schema.py, recognised by their validators, not by field names."""
    for alias in (Year, Month, Date):
        validators = [m for m in typing.get_args(alias)[1:] if isinstance(m, BeforeValidator)]
        if validators and all(v in shape.metadata for v in validators):
            return alias
    return None


def is_month(info: FieldInfo) -> bool:
    return alias_of(field_shape(info)) is Month


def ref_target(shape: Shape) -> str | None:
    """The collection a value refers to (RefTo), if any."""
    return next((m.collection for m in shape.metadata if isinstance(m, RefTo)), None)


def choices(shape: Shape) -> tuple[str, ...]:
    """The allowed values of a Literal field (or of each item of a list of them)."""
    base = shape.values.base
    return tuple(str(a) for a in typing.get_args(base)) if typing.get_origin(base) is Literal else ()


@cache
def ref_fields(model: type[BaseModel]) -> dict[str, str | None]:
    """{field: collection it refers to, or None} for every field of ``model``."""
    return {
        name: ref_target(field_shape(info)) or ref_target(field_shape(info).values) for name, info in model.model_fields.items()
    }


def annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """The schema type found at ``loc`` inside ``model``, or None if the path leaves it."""
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    return unwrap(current)


def unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that holds values (a list keeps
    its item type)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation
