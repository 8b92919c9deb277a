"""How the native face registers a resource: its snake_case Python names as the schema's
camelCase on the wire, and back on the resource's attributes (``names.py``).

The SDK's own name translation (``translate_input_property`` / ``translate_output_property``)
is not used: it renames the keys of every nested dict, a user's ``metadata`` keys included,
where the schema says which keys are property names.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pulumi

from ..names import camel, renamer

__all__ = ["invoke", "register"]


def _has_output(value: Any) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, Mapping):
        return any(_has_output(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_output(item) for item in value)
    return False


def _renamed(value: Any, rename: Any) -> Any:
    """``rename(value)``, through any Outputs the value holds."""
    if value is None:
        return None
    if _has_output(value):
        return pulumi.Output.from_input(value).apply(rename)
    return rename(value)


def register(
    resource: pulumi.CustomResource,
    token: str,
    resource_name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> None:
    """``pulumi.CustomResource.__init__`` with ``props`` (snake_case) renamed for the wire, and
    each attribute the registration creates renamed back to its Python name."""
    names, schema = renamer()
    properties: Mapping[str, Any] = schema["resources"][token]["properties"]
    wire = {
        camel(key) if key in properties else key: _renamed(
            value, lambda v, key=key: names.to_camel({key: v}, properties)[camel(key)]
        )
        if key in properties
        else value
        for key, value in props.items()
    }
    pulumi.CustomResource.__init__(resource, token, resource_name, wire, _wire_options(opts))
    for key in props:
        if key not in properties:
            continue
        attribute = resource.__dict__.pop(camel(key), None)
        if isinstance(attribute, pulumi.Output):
            resource.__dict__[key] = attribute.apply(_to_python(names, properties, key))


def _to_python(names: Any, properties: Mapping[str, Any], key: str) -> Any:
    def rename(value: Any) -> Any:
        return names.to_snake({camel(key): value}, properties)[key]

    return rename


def _wire_options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """``opts`` with property paths (``ignore_changes``, ``replace_on_changes``,
    ``additional_secret_outputs``) written in Python's names renamed as the schema's."""
    if opts is None:
        return None
    names, schema = renamer()
    wired = copy.copy(opts)
    for option in ("ignore_changes", "replace_on_changes", "additional_secret_outputs"):
        paths = getattr(opts, option, None)
        if paths:
            setattr(wired, option, [_path(names, schema, path) for path in paths])
    return wired


def _path(names: Any, schema: Mapping[str, Any], path: str) -> str:
    # The paths name a resource's properties: every resource has the same kinds of names, so
    # the union of their properties renames any of them.
    merged: dict[str, Any] = {}
    for resource in schema["resources"].values():
        merged.update(resource["properties"])
    renamed: str = names.path(path, merged)
    return renamed


def invoke(
    token: str, args: Mapping[str, Any], opts: pulumi.InvokeOptions | None
) -> dict[str, Any]:
    """``pulumi.runtime.invoke`` of a schema function with snake_case ``args``; its result in
    snake_case."""
    names, schema = renamer()
    function = schema["functions"][token]
    wire_args = names.to_camel(dict(args), function["inputs"]["properties"])
    result = pulumi.runtime.invoke(token, wire_args, opts)
    renamed: dict[str, Any] = names.to_snake(result.value or {}, function["outputs"]["properties"])
    return renamed
