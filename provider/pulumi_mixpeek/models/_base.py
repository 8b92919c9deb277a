"""Base classes for the API models: strict for what is sent, lenient for what is received."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["RequestModel", "ResponseModel"]


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
