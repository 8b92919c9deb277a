"""Values the engine does not know yet (preview): ``pulumi.output.Unknown`` objects, or the
sentinel string, in any position and in place of any type."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from ._constants import UNKNOWN_SENTINEL

__all__ = ["contains_unknown", "is_unknown"]


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN_SENTINEL)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False
