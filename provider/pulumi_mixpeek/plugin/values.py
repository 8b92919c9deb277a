"""The engine's property values to plain Python values and back: the plugin's only translation.

The resource providers (``resources/``) work on plain values, as the dynamic-provider host
hands them over; the plugin receives ``PropertyValue`` trees. Going in:
- a computed (unknown) value becomes ``UNKNOWN_SENTINEL``, the spelling ``_unknowns.is_unknown``
  recognises, so check, diff and validation treat it exactly as under the dynamic host;
- a secret is unwrapped (``secret_keys`` remembers which top-level properties held one);
- numbers stay floats (``normalize.canonical_inputs`` turns integral ones into ints);
- a resource reference becomes its id (or its URN when it has none).
Going out, ints become floats (the wire has one number type), an unknown value is sent as the
sentinel string the engine reads as unknown, and the properties named in ``secrets`` are
marked secret again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pulumi
from pulumi.provider.experimental.property_value import (
    Computed,
    PropertyValue,
    ResourceReference,
)

from .._constants import UNKNOWN_SENTINEL
from .._unknowns import is_unknown

__all__ = ["from_plain", "plain_map", "property_map", "secret_keys", "to_plain"]


def to_plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN_SENTINEL
    if isinstance(inner, ResourceReference):
        ref_id = inner.resource_id
        return to_plain(ref_id) if ref_id is not None else inner.urn
    if inner is None or isinstance(inner, bool | float | str):
        return inner
    if isinstance(inner, pulumi.Asset | pulumi.Archive):
        raise TypeError("assets and archives are not valid Mixpeek property values")
    if isinstance(inner, Mapping):
        return {key: to_plain(item) for key, item in inner.items()}
    return [to_plain(item) for item in inner]


def plain_map(props: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {key: to_plain(value) for key, value in props.items()}


def secret_keys(props: Mapping[str, PropertyValue]) -> frozenset[str]:
    """Top-level properties whose value is, or contains, a secret."""
    return frozenset(key for key, value in props.items() if value.contains_secret())


def from_plain(value: Any) -> PropertyValue:
    if is_unknown(value):
        # The wire spelling of an unknown. Not PropertyValue.computed(): SDK 3.272.0's
        # PropertyValue.marshal raises "Unsupported value type" for it (and its unmarshal
        # leaves the sentinel a string, which is how unknowns arrive here).
        return PropertyValue(UNKNOWN_SENTINEL)
    if value is None or isinstance(value, bool | str):
        return PropertyValue(value)
    if isinstance(value, int | float):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(key): from_plain(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([from_plain(item) for item in value])
    raise TypeError(f"cannot send a {type(value).__name__} to the engine")


def property_map(
    values: Mapping[str, Any], secrets: Collection[str] = ()
) -> dict[str, PropertyValue]:
    """``values`` for the engine; the properties named in ``secrets`` are marked secret."""
    return {
        key: from_plain(value).with_secret(True) if key in secrets else from_plain(value)
        for key, value in values.items()
    }
