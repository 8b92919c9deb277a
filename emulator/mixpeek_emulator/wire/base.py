"""Base classes and scalar types of the wire models.

Request bodies refuse keys they do not declare. The SDK types every field strictly
(StrictBool, StrictInt, StrictFloat, StrictStr), so a body the SDK would never send is refused
here too: a true/false field takes only a JSON boolean (not ``"yes"`` or ``1``), a number field
only a JSON number (not ``"500"`` or ``true``). A whole number sent as a float (``10.0``) is
still read as the integer it is, as a JSON number; ``10.5`` for an integer field is refused.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool
from pydantic_core import PydanticCustomError

__all__ = ["Bool", "Float", "Int", "Request", "Response"]


def _json_int(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _json_number(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


#: A JSON boolean only.
Bool = StrictBool
#: A JSON number holding a whole value (``10`` or ``10.0``), never a string or a boolean.
Int = Annotated[int, BeforeValidator(_json_int)]
#: A JSON number, never a string or a boolean.
Float = Annotated[float, BeforeValidator(_json_number)]


class Request(BaseModel):
    """A request body: undeclared keys are refused (``extra_forbidden``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Response(BaseModel):
    """A response body: every declared field is written, null when unset."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
