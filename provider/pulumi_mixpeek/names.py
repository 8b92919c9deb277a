"""Property names on the wire to the engine (Pulumi's camelCase) and in Python (the API's
snake_case), translated by the schema.

Every Pulumi package schema names properties in camelCase (``collectionIds``) and lets each
language spell them its own way (Python ``collection_ids``). The provider's models and the
dynamic provider's state keep the API's names; the native plugin and the native Python face
translate at their boundary with a ``Renamer``, which walks a value along the schema's types:
only the keys of the schema's object types are renamed, so the keys a user chooses inside a
free-form map (``metadata``, ``filters``, ``algorithm_params``, ...) never are. A key the
schema does not know is passed on as it is: that is what lets the plugin read a state written
before the rename, when its keys were the snake_case ones.

The tables come from ``schema.snake_schema()``, the schema with the models' own names, from
which ``schema.package_schema()`` (camelCase) is made with ``camel``: one source for both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

__all__ = [
    "Renamer",
    "camel",
    "renamer",
    "resource_path",
    "resource_to_camel",
    "resource_to_snake",
]

_INDEX = re.compile(r"^(.*?)((?:\[\d+\])*)$")


def camel(name: str) -> str:
    """``collection_ids`` → ``collectionIds``; a name without ``_`` (``AND``) is kept."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


Spec = Mapping[str, Any]


class Renamer:
    """Renames the keys of values shaped by a schema's (snake_case) type specs."""

    def __init__(self, types: Mapping[str, Spec]) -> None:
        self._types = types

    # -- whole values ---------------------------------------------------------------------
    def to_camel(self, value: Any, properties: Mapping[str, Spec]) -> Any:
        """A map of properties (``properties``: their snake_case specs) in camelCase."""
        return self._object(value, properties, to_camel=True)

    def to_snake(self, value: Any, properties: Mapping[str, Spec]) -> Any:
        """A map of properties in camelCase back in the models' snake_case."""
        return self._object(value, properties, to_camel=False)

    def path(self, path: str, properties: Mapping[str, Spec], *, to_camel: bool = True) -> str:
        """A property path (``vector_config.sample_size``, ``collection_ids[0]``) renamed
        segment by segment; segments the schema does not know are kept."""
        parts = []
        current: Mapping[str, Spec] | None = properties
        for segment in path.split("."):
            name, index = _INDEX.match(segment).groups()  # type: ignore[union-attr]
            spec = None
            if current is not None:
                table = _names(current, to_camel)
                spec = current.get(name if to_camel else table.get(name, name))
                name = table.get(name, name)
            parts.append(name + index)
            current = self._properties_of(spec, through_arrays=bool(index)) if spec else None
        return ".".join(parts)

    # -- the walk -------------------------------------------------------------------------
    def _object(self, value: Any, properties: Mapping[str, Spec], to_camel: bool) -> Any:
        if not isinstance(value, Mapping):
            return value
        table = _names(properties, to_camel)
        specs = properties if to_camel else {camel(k): s for k, s in properties.items()}
        return {
            table.get(key, key): self._value(item, specs[key], to_camel) if key in specs else item
            for key, item in value.items()
        }

    def _value(self, value: Any, spec: Spec, to_camel: bool) -> Any:
        if isinstance(value, Mapping):
            properties = self._properties_of(spec)
            if properties is not None:
                return self._object(value, properties, to_camel)
            items = self._map_items(spec)
            if items is not None:
                return {key: self._value(item, items, to_camel) for key, item in value.items()}
            return value
        if isinstance(value, list):
            items = self._list_items(spec)
            return [self._value(item, items, to_camel) for item in value] if items else value
        return value

    def _options(self, spec: Spec) -> list[Spec]:
        """The spec itself, or the options of a ``oneOf``, with references resolved."""
        options = spec.get("oneOf", [spec])
        resolved = []
        for option in options:
            ref = option.get("$ref", "")
            if ref.startswith("#/types/"):
                option = self._types.get(ref[len("#/types/"):], {})
            resolved.append(option)
        return resolved

    def _properties_of(
        self, spec: Spec, *, through_arrays: bool = False
    ) -> Mapping[str, Spec] | None:
        """The properties of the object type(s) ``spec`` names (all options of a oneOf
        merged); with ``through_arrays``, those of an array's items."""
        merged: dict[str, Spec] = {}
        for option in self._options(spec):
            if through_arrays and option.get("type") == "array":
                inner = self._properties_of(option.get("items", {}))
                merged.update(inner or {})
            elif "properties" in option:
                merged.update(option["properties"])
        return merged or None

    def _map_items(self, spec: Spec) -> Spec | None:
        for option in self._options(spec):
            if option.get("type") == "object" and "additionalProperties" in option:
                extra: Spec = option["additionalProperties"]
                return extra
        return None

    def _list_items(self, spec: Spec) -> Spec | None:
        for option in self._options(spec):
            if option.get("type") == "array":
                items: Spec = option.get("items", {})
                return items
        return None


@cache
def _names_cached(keys: tuple[str, ...], to_camel: bool) -> Mapping[str, str]:
    forward = {key: camel(key) for key in keys}
    if to_camel:
        return forward
    backward = {value: key for key, value in forward.items()}
    if len(backward) != len(forward):
        raise TypeError(f"two properties have the same camelCase name among {sorted(keys)}")
    return backward


def _names(properties: Mapping[str, Spec], to_camel: bool) -> Mapping[str, str]:
    return _names_cached(tuple(properties), to_camel)


@cache
def renamer() -> tuple[Renamer, Mapping[str, Any]]:
    """The renamer over the package's schema, and that (snake_case) schema."""
    from .schema import snake_schema  # the schema imports every resource; only here

    schema = snake_schema()
    return Renamer(schema["types"]), schema


# -- a resource's values, by its type token --------------------------------------------------
def _resource_properties(token: str) -> Mapping[str, Spec] | None:
    """The (snake_case) property specs of the schema's resource ``token``; None for a type
    the schema does not declare (a dynamic resource's: its names are the models')."""
    resource = renamer()[1]["resources"].get(token)
    return None if resource is None else resource["properties"]


def resource_to_snake(token: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """A resource's property values in the schema's camelCase, in the models' names (a key the
    schema does not know, e.g. of a state from before the rename, is kept); the values of a
    type the schema does not declare as they are."""
    properties = _resource_properties(token)
    if properties is None:
        return dict(values or {})
    renamed: dict[str, Any] = renamer()[0].to_snake(values or {}, properties)
    return renamed


def resource_to_camel(token: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """``resource_to_snake`` the other way."""
    properties = _resource_properties(token)
    if properties is None:
        return dict(values or {})
    renamed: dict[str, Any] = renamer()[0].to_camel(values or {}, properties)
    return renamed


def resource_path(token: str, path: str) -> str:
    """A property path of resource ``token`` in the schema's camelCase."""
    properties = _resource_properties(token)
    return path if properties is None else renamer()[0].path(path, properties)
