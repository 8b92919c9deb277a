"""Base classes for the API models: strict for what is sent, lenient for what is received."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

__all__ = ["INTERNAL", "INTERNAL_KEY", "RequestModel", "ResponseModel"]

INTERNAL_KEY = "internal"

#: ``json_schema_extra`` of a field the server fills in itself: the wire model carries it, but
#: it is not offered to users (no argument, no schema property) and check refuses it.
INTERNAL: dict[str, Any] = {INTERNAL_KEY: True}


class RequestModel(BaseModel):
    """A body the client sends (and the emulator receives).

    Unknown keys are rejected: a typo in a declared field must fail loudly rather than be
    dropped on the floor. (The 1.3.1 server's handling of unknown keys is not documented;
    the current API rejects them with 422 ``extra_forbidden``, which is also the safest
    reading for the user's data.)
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _json_type(cls, value: Any, info: ValidationInfo) -> Any:
        """A true/false field takes only a JSON boolean, a number field only a JSON number,
        as the official SDK's models type them (pydantic's lax mode would read ``"yes"`` or
        ``1`` as true and ``"500"`` as 500). A whole number sent as a float stays a number:
        the engine sends every number as a float."""
        field = cls.model_fields.get(info.field_name or "")
        kinds = _scalar_kinds(field.annotation) if field is not None else set()
        if value is None or not kinds:
            return value
        # pydantic's own error types and texts, so a message reads the same either way.
        if kinds == {bool} and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Input should be a valid boolean")
        if kinds <= {int, float} and isinstance(value, str | bool):
            if kinds == {int}:
                raise PydanticCustomError("int_type", "Input should be a valid integer")
            raise PydanticCustomError("float_type", "Input should be a valid number")
        return value


def _scalar_kinds(annotation: Any) -> set[type]:
    """{bool}, {int}, {int, float}, ... when ``annotation`` is such a scalar (or one of them
    or None); empty for anything else (strings, enums, models, lists, mappings)."""
    if annotation in (bool, int, float):
        return {annotation}
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if args and all(a in (bool, int, float) for a in args):
            return set(args)
    return set()


class ResponseModel(BaseModel):
    """A body the server returns. Unknown keys are ignored: the API adds fields over time."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
