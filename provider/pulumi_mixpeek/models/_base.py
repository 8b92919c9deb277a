"""Base classes for the API models: strict for what is sent, lenient for what is received."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

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


class ResponseModel(BaseModel):
    """A body the server returns. Unknown keys are ignored: the API adds fields over time."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
