"""The Pulumi Package Schema of pulumi-mixpeek and the docs made from it: one generator.

    python -m pulumi_mixpeek.schema [--root DIR] [--check]          (``make schema``)

writes ``schema.json`` and ``docs/reference.md`` under DIR (default: the current directory)
and rewrites the generated blocks (``<!-- schema:NAME:start -->`` ... ``<!-- schema:NAME:end
-->``) of ``DIR/README.md`` and the pages under ``DIR/docs/``: each block may stand on any of
them, and each must stand on one. ``--check`` writes nothing and exits 1 naming each file
that is out of date.

Everything comes from the declarations check and diff use: each resource's declaration model
(its inputs; the mutability markers read through ``fields``, so every ``replace`` field gets
``replaceOnChanges``), its server model (the outputs besides the inputs), the nested pydantic
models (object and enum types), the field descriptions, ``config.CONFIG_VARIABLES`` and the
lookups' argument and result models.

Property names are Pulumi's camelCase (``collectionIds``) of the API's field names
(``collection_ids``), which the provider's models, inputs and state use: ``snake_schema`` is
the schema with the models' names, ``package_schema`` renames it, and ``names.Renamer``
translates values between the two at the native plugin's boundary. Pulumi's Python generator
spells them in snake_case again. Resource tokens follow Pulumi's
convention (``mixpeek:index:Cluster``); the dynamic resources keep their own type tokens
(``pulumi-python:dynamic/mixpeek:Cluster``), which only the engine sees.
"""

from __future__ import annotations

import argparse
import copy
import functools
import inspect
import json
import re
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ._constants import TYPE_TOKEN_PREFIX
from ._version import __version__
from .config import CONFIG_VARIABLES
from .fields import FieldSpec, declared_fields, internal_fields
from .levels import API_VERSIONS, api_level
from .lookups import (
    GetClusterArgs,
    GetClusterGroupsArgs,
    GetTaskArgs,
    GetTriggerHistoryArgs,
    ListClustersResult,
    get_cluster,
    get_cluster_groups,
    get_task,
    get_trigger_history,
    list_clusters,
)
from .models import (
    AttributeBasedConfig,
    ClusterExecutionOutputs,
    ClusterGroupsResponse,
    ClusteringEnrichmentResponse,
    ClusterMetadata,
    ListClustersRequest,
    LLMLabelingInput,
    TaskResponse,
    TriggerHistoryResponse,
    TriggerModel,
    VectorBasedConfig,
)
from .models._base import RequestModel
from .models.declaration import (
    ClusterDeclaration,
    ClusterEnrichmentDeclaration,
    ClusterExecutionDeclaration,
    ClusterTriggerDeclaration,
    Mutability,
)
from .names import camel
from .resources import Cluster, ClusterEnrichment, ClusterExecution, ClusterTrigger

__all__ = [
    "FUNCTIONS",
    "PACKAGE",
    "RESOURCES",
    "FunctionSchema",
    "ResourceSchema",
    "check",
    "main",
    "package_schema",
    "readme_blocks",
    "reference_markdown",
    "render",
    "token",
]

PACKAGE = "mixpeek"
MODULE = "index"
REPOSITORY = "https://github.com/mixpeek/pulumi-mixpeek"
LICENSE = "Apache-2.0"

SCHEMA_FILE = "schema.json"
REFERENCE_FILE = "docs/reference.md"
README_FILE = "README.md"
DOCS_DIR = "docs"


@dataclass(frozen=True)
class ResourceSchema:
    """One resource: its Python class, its inputs and what the server adds as outputs."""

    resource: type
    declaration: type[BaseModel]
    server: type[BaseModel]
    #: Outputs the provider sets on every resource beyond the required fields of both models.
    always_set: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.resource.__name__


@dataclass(frozen=True)
class FunctionSchema:
    """One lookup: ``inputs`` (restricted to ``input_fields`` when given) and its result."""

    name: str
    function: Callable[..., Any]
    inputs: type[BaseModel]
    outputs: type[BaseModel]
    input_fields: tuple[str, ...] | None = None


#: Every resource the provider offers, in the order the docs show them.
RESOURCES: tuple[ResourceSchema, ...] = (
    ResourceSchema(Cluster, ClusterDeclaration, ClusterMetadata, always_set=("cluster_id",)),
    ResourceSchema(ClusterExecution, ClusterExecutionDeclaration, ClusterExecutionOutputs),
    ResourceSchema(ClusterEnrichment, ClusterEnrichmentDeclaration, ClusteringEnrichmentResponse),
    ResourceSchema(
        ClusterTrigger, ClusterTriggerDeclaration, TriggerModel, always_set=("trigger_id",)
    ),
)

FUNCTIONS: tuple[FunctionSchema, ...] = (
    FunctionSchema("getCluster", get_cluster, GetClusterArgs, ClusterMetadata),
    FunctionSchema(
        "getClusterGroups", get_cluster_groups, GetClusterGroupsArgs, ClusterGroupsResponse
    ),
    FunctionSchema("getTask", get_task, GetTaskArgs, TaskResponse),
    FunctionSchema(
        "getTriggerHistory", get_trigger_history, GetTriggerHistoryArgs, TriggerHistoryResponse
    ),
    FunctionSchema(
        "listClusters",
        list_clusters,
        ListClustersRequest,
        ListClustersResult,
        input_fields=("search", "filters"),
    ),
)

#: Schema names of the nested models whose user-facing name differs from the API model's
#: (the Python args classes are these names + ``Args``: ``VectorConfigArgs``).
TYPE_NAMES: Mapping[type[BaseModel], str] = {
    VectorBasedConfig: "VectorConfig",
    AttributeBasedConfig: "AttributeConfig",
    LLMLabelingInput: "LLMLabeling",
}

_ANY = {"$ref": "pulumi.json#/Any"}
_PRIMITIVES: Mapping[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    datetime: "string",
    date: "string",
}


def token(name: str) -> str:
    return f"{PACKAGE}:{MODULE}:{name}"


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def _own_doc(cls: type) -> str:
    """The class's own docstring (not one inherited from a base class), cleaned."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


def _type_name(model: type[BaseModel]) -> str:
    return TYPE_NAMES.get(model, model.__name__)


def _default(info: FieldInfo) -> bool | int | float | str | None:
    """The field's default when it is a plain value a schema can state (not None)."""
    value = info.default
    if value is PydanticUndefined or value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool | int | float | str):
        return value
    return None


class _Types:
    """Builds type specs for annotations, collecting the object and enum types they use."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/types/{token(name)}"}

    def spec(self, annotation: Any, owner: str, field: str) -> dict[str, Any]:
        origin = get_origin(annotation)
        args = get_args(annotation)
        if annotation is Any:
            return dict(_ANY)
        if origin is Annotated:  # e.g. a discriminated union: the type itself
            return self.spec(args[0], owner, field)
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:
                return self.spec(options[0], owner, field)
            return {"oneOf": [self.spec(a, owner, field) for a in options]}
        if origin is Literal:
            return self._enum(f"{owner}{_pascal(field)}", list(args), "")
        if origin in (list, tuple, Sequence):
            return {"type": "array", "items": self.spec(args[0] if args else Any, owner, field)}
        if origin in (dict, Mapping):
            value = args[1] if len(args) == 2 else Any
            return {"type": "object", "additionalProperties": self.spec(value, owner, field)}
        if annotation in (dict, Mapping):
            return {"type": "object", "additionalProperties": dict(_ANY)}
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            values = [member.value for member in annotation]
            names = [_pascal(member.name.lower()) for member in annotation]  # GaussianMixture
            return self._enum(annotation.__name__, values, _own_doc(annotation), names)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.ref(self.object_type(annotation))
        if annotation in _PRIMITIVES:
            return {"type": _PRIMITIVES[annotation]}
        raise TypeError(f"{owner}.{field}: no schema type for {annotation!r}")

    def _enum(
        self,
        name: str,
        values: list[Any],
        description: str,
        names: list[str] | None = None,
    ) -> dict[str, Any]:
        kinds = {_PRIMITIVES[type(v)] for v in values}
        if len(kinds) != 1:
            raise TypeError(f"enum {name}: values of several types {values!r}")
        spec: dict[str, Any] = {"type": kinds.pop()}
        if description:
            spec["description"] = description
        spec["enum"] = [
            {"name": names[i], "value": value} if names else {"value": value}
            for i, value in enumerate(values)
        ]
        known = self.types.setdefault(token(name), spec)
        if known != spec:
            raise TypeError(f"two different enum types are both named {name}")
        return self.ref(name)

    def property(
        self, info: FieldInfo, owner: str, field: str, *, defaults: bool = True
    ) -> dict[str, Any]:
        prop = self.spec(info.annotation, owner, field)
        if info.description:
            prop["description"] = info.description
        default = _default(info) if defaults else None
        if default is not None:
            prop["default"] = default
        return prop

    def object_type(self, model: type[BaseModel]) -> str:
        """Register ``model`` (and every type it uses) as an object type; its schema name."""
        name = _type_name(model)
        key = token(name)
        if key in self.types:
            return name
        spec: dict[str, Any] = {"type": "object"}
        self.types[key] = spec  # before the properties, for recursive models
        hidden = set(internal_fields(model))
        shown = [field for field in model.model_fields if field not in hidden]
        properties, required = self.properties(model, name, shown)
        description = _own_doc(model)
        if description:
            spec["description"] = description
        spec["properties"] = properties
        if required:
            spec["required"] = required
        return name

    def properties(
        self,
        model: type[BaseModel],
        owner: str,
        only: Sequence[str] | None = None,
    ) -> tuple[dict[str, Any], list[str]]:
        """Property specs of ``model``'s fields (``only`` those, when given) and the required
        ones. Defaults are stated for what users send (``RequestModel``s), not for results."""
        defaults = issubclass(model, RequestModel)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field, info in model.model_fields.items():
            if only is not None and field not in only:
                continue
            wire = info.alias or field
            properties[wire] = self.property(info, owner, field, defaults=defaults)
            if info.is_required():
                required.append(wire)
        return properties, required


def _resource_spec(resource: ResourceSchema, registry: _Types) -> dict[str, Any]:
    name = resource.name
    fields = {spec.name: spec for spec in declared_fields(resource.declaration)}
    inputs, required_inputs = registry.properties(resource.declaration, name)
    for field, prop in inputs.items():
        by_level = _level_note(fields[field], resource.declaration)
        if by_level:
            prop["description"] = f"{prop.get('description', '')} {by_level}".strip()
        elif fields[field].mutability is Mutability.REPLACE:
            # Only what replaces at every API level: the level is chosen at run time, so a
            # generated SDK must not force a replacement that today's level makes in place.
            prop["replaceOnChanges"] = True
    server, server_required = registry.properties(resource.server, name)
    outputs = {**inputs, **{k: v for k, v in server.items() if k not in inputs}}
    always = set(required_inputs) | set(server_required) | set(resource.always_set)
    missing = always - set(outputs)
    if missing:
        raise TypeError(f"{name}: always_set names unknown outputs {sorted(missing)}")
    spec: dict[str, Any] = {}
    description = _own_doc(resource.resource)
    if description:
        spec["description"] = description
    spec["properties"] = outputs
    spec["required"] = [k for k in outputs if k in always]
    spec["inputProperties"] = inputs
    if required_inputs:
        spec["requiredInputs"] = required_inputs
    return spec


def _function_spec(function: FunctionSchema, registry: _Types) -> dict[str, Any]:
    inputs, required_inputs = registry.properties(
        function.inputs, _pascal(function.name), function.input_fields
    )
    outputs, required_outputs = registry.properties(function.outputs, _pascal(function.name))
    spec: dict[str, Any] = {}
    description = inspect.getdoc(function.function)
    if description:
        spec["description"] = description
    spec["inputs"] = {"properties": inputs}
    if required_inputs:
        spec["inputs"]["required"] = required_inputs
    spec["outputs"] = {"properties": outputs}
    if required_outputs:
        spec["outputs"]["required"] = required_outputs
    return spec


def _config_variables() -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for var in CONFIG_VARIABLES:
        spec: dict[str, Any] = {"type": var.type, "description": var.description}
        if var.default is not None:
            spec["default"] = int(var.default) if var.type == "integer" else var.default
        spec["defaultInfo"] = {"environment": [var.environment]}
        if var.secret:
            spec["secret"] = True
        variables[var.name] = spec
    return variables


def package_schema() -> dict[str, Any]:
    """The Pulumi Package Schema, as a JSON-ready dict: ``snake_schema()`` with every property
    name in Pulumi's camelCase (``collectionIds``), which each language's SDK spells its own
    way (Python ``collection_ids``)."""
    schema = copy.deepcopy(snake_schema())
    for resource in schema["resources"].values():
        _camel_properties(resource, "properties", "required")
        _camel_properties(resource, "inputProperties", "requiredInputs")
    for spec in schema["types"].values():
        _camel_properties(spec, "properties", "required")
    for function in schema["functions"].values():
        _camel_properties(function["inputs"], "properties", "required")
        _camel_properties(function["outputs"], "properties", "required")
    return schema


def _camel_properties(spec: dict[str, Any], properties: str, required: str) -> None:
    if properties in spec:
        spec[properties] = {camel(name): prop for name, prop in spec[properties].items()}
    if required in spec:
        spec[required] = [camel(name) for name in spec[required]]


@functools.cache
def snake_schema() -> dict[str, Any]:
    """The schema with the models' own property names (the API's snake_case): what
    ``names.Renamer`` walks to translate values, and what ``package_schema`` renames. Cached:
    treat it as read-only."""
    registry = _Types()
    resources = {token(r.name): _resource_spec(r, registry) for r in RESOURCES}
    functions = {token(f.name): _function_spec(f, registry) for f in FUNCTIONS}
    variables = _config_variables()
    return {
        "name": PACKAGE,
        "displayName": "Mixpeek",
        "version": __version__,
        "description": (
            "Manage Mixpeek clusters as code: the Mixpeek Clusters API (API levels of the "
            "mixpeek SDK 1.3.1 and 1.3.783) as Pulumi resources."
        ),
        "keywords": ["pulumi", "mixpeek", "category/database"],
        "homepage": REPOSITORY,
        "license": LICENSE,
        "repository": REPOSITORY,
        "publisher": "pulumi-mixpeek contributors",
        "meta": {"moduleFormat": "(.*)"},
        "config": {"variables": variables},
        "provider": {
            "description": "The Mixpeek provider: API key, namespace and endpoint.",
            "inputProperties": variables,
        },
        "resources": resources,
        "functions": functions,
        "types": dict(sorted(registry.types.items())),
        "language": {
            # The module that declares these tokens: Pulumi's Python program generator writes
            # `import <packageName> as mixpeek` in the code `pulumi import` generates
            # (pkg/v3 codegen/python/gen_program.go), and `pulumi_mixpeek` is the dynamic face.
            "python": {"packageName": "pulumi_mixpeek.native"},
            # The generated SDKs' names (scripts/generate-sdks, sdk/): the npm package, and the
            # Go import path of the module sdk/go.
            "nodejs": {"packageName": "@mixpeek/pulumi-mixpeek"},
            "go": {"importBasePath": "github.com/mixpeek/pulumi-mixpeek/sdk/go/mixpeek"},
        },
    }


# -- docs -------------------------------------------------------------------------------------

def _change_text(mutability: Mutability, resource: str, note: str = "") -> str:
    noun = re.sub(r"(?<!^)([A-Z])", r" \1", resource).lower()  # ClusterExecution: cluster execution
    text = {
        Mutability.UPDATE: "updates in place",
        Mutability.REPLACE: f"replaces the {noun}",
        Mutability.PROVIDER: "never a change (read at create)",
    }[mutability]
    return f"{text}; {note[0].lower()}{note[1:]}" if note else text


def _level_note(spec: FieldSpec, declaration: type[BaseModel]) -> str:
    """Where an API level changes ``spec`` in place beyond its own marker (``levels.py``):
    e.g. "At API level 1.3.783 it updates in place (removing it replaces)."; "" when no
    level does."""
    if declaration is not ClusterDeclaration or spec.mutability is not Mutability.REPLACE:
        return ""
    notes = []
    for version in API_VERSIONS:
        level = api_level(version)
        keys = sorted(level.in_place_keys(spec.name))
        if spec.name in level.in_place:
            notes.append(
                f"At API level {version} it updates in place (removing it replaces)."
            )
        elif keys:
            listed = ", ".join(f"`{key}`" for key in keys)
            notes.append(f"At API level {version} a change of only {listed} updates in place.")
    return " ".join(notes)


def _type_text(spec: Mapping[str, Any]) -> str:
    """A property's type for a Markdown table, with types linked to their section."""
    if "$ref" in spec:
        ref = str(spec["$ref"])
        if ref == _ANY["$ref"]:
            return "any"
        name = ref.rsplit(":", 1)[1]
        return f"[{name}](#{name.lower()})"
    if "oneOf" in spec:
        return " or ".join(_type_text(s) for s in spec["oneOf"])
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_type_text(spec['items'])}"
    if kind == "object":
        return f"map of {_type_text(spec['additionalProperties'])}"
    return str(kind)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def field_table(resource: ResourceSchema) -> str:
    """The update-vs-replace table of one resource's inputs (README and reference)."""
    rows = ["| input | required | on change | description |", "|---|---|---|---|"]
    for spec in declared_fields(resource.declaration):
        rows.append(_field_row(spec, resource))
    return "\n".join(rows) + "\n"


def _field_row(spec: FieldSpec, resource: ResourceSchema) -> str:
    required = "yes" if spec.required else "no"
    change = _change_text(
        spec.mutability, resource.name, _level_note(spec, resource.declaration)
    )
    return f"| `{spec.name}` | {required} | {change} | {_cell(spec.description)} |"


def config_table() -> str:
    rows = [
        "| stack config | environment fallback | default | meaning |",
        "|---|---|---|---|",
    ]
    for var in CONFIG_VARIABLES:
        key = f"`{var.key}` (set with `--secret`)" if var.secret else f"`{var.key}`"
        default = f"`{var.default}`" if var.default else "none"
        rows.append(f"| {key} | `{var.environment}` | {default} | {_cell(var.description)} |")
    return "\n".join(rows) + "\n"


def _properties_table(
    properties: Mapping[str, Any], required: Sequence[str], *, with_default: bool
) -> list[str]:
    head = "| name | type | required |" + (" default |" if with_default else "")
    rows = [head + " description |", "|---" * (4 + with_default) + "|"]
    for name, prop in properties.items():
        cells = [f"`{name}`", _type_text(prop), "yes" if name in required else "no"]
        if with_default:
            default = prop.get("default")
            cells.append("" if default is None else f"`{json.dumps(default)}`")
        cells.append(_cell(str(prop.get("description", ""))))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _inputs_table(resource: ResourceSchema, inputs: Mapping[str, Any]) -> list[str]:
    rows = [
        "| name | type | required | default | on change | description |",
        "|---|---|---|---|---|---|",
    ]
    for field in declared_fields(resource.declaration):
        prop = inputs[field.name]
        default = prop.get("default")
        cells = [
            f"`{field.name}`",
            _type_text(prop),
            "yes" if field.required else "no",
            "" if default is None else f"`{json.dumps(default)}`",
            _change_text(
                field.mutability, resource.name, _level_note(field, resource.declaration)
            ),
            _cell(field.description),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _function_text(function: FunctionSchema) -> str:
    """Which Python functions answer a schema function: the native face's, when it has one
    (answered by the plugin), and the dynamic face's (which calls the API itself)."""
    from . import native

    python = function.function.__name__
    faces = [f"`pulumi_mixpeek.native.{python}` (answered by the plugin)"] if (
        python in native.__all__
    ) else []
    faces.append(f"`pulumi_mixpeek.{python}` (calls the API from the program)")
    return (
        f"Schema function `{token(function.name)}`, which YAML, TypeScript and Go call. "
        f"In Python: {' or '.join(faces)}."
    )


def _python_type_text(name: str, spec: Mapping[str, Any]) -> list[str]:
    """The Python class of a schema type, when the package exports one: the enum class of
    the native face (with each value's member), or the ``...Args`` class of an object type."""
    from . import native

    if "enum" in spec and name in native.__all__:
        members = {member.value: member.name for member in getattr(native, name)}
        values = ", ".join(
            f"`{json.dumps(item['value'])}` (`{members[item['value']]}`)" for item in spec["enum"]
        )
        return [f"Python: `pulumi_mixpeek.native.{name}`, or the plain value. One of: {values}."]
    if "enum" in spec:
        values = ", ".join(f"`{json.dumps(item['value'])}`" for item in spec["enum"])
        return [f"One of: {values}."]
    if f"{name}Args" in native.__all__:
        return [f"Python: `pulumi_mixpeek.{name}Args` (the same class as "
                f"`pulumi_mixpeek.native.{name}Args`), or a dict.", ""]
    return []


def reference_markdown(schema: Mapping[str, Any]) -> str:
    """``docs/reference.md``: configuration, every resource, function and type."""
    out = [
        "# pulumi-mixpeek reference",
        "",
        "<!-- Generated by `make schema` (python -m pulumi_mixpeek.schema) from the provider's "
        "declarations; do not edit. -->",
        "",
        f"Package `{schema['name']}` {schema['version']}. The machine-readable form of this page "
        "is [`schema.json`](../schema.json) (a Pulumi Package Schema). Property names are "
        "shown as Python spells them (`collection_ids`); YAML, TypeScript and Go use the "
        "schema's camelCase (`collectionIds`).",
        "",
        "## Configuration",
        "",
        config_table().rstrip("\n"),
        "",
        "## Resources",
    ]
    for resource in RESOURCES:
        spec = schema["resources"][token(resource.name)]
        inputs = spec["inputProperties"]
        out += [
            "",
            f"### {resource.name}",
            "",
            f"Type token `{token(resource.name)}`: `pulumi_mixpeek.native.{resource.name}` in "
            f"Python, served by the plugin. The dynamic face's `pulumi_mixpeek.{resource.name}` "
            f"(type token `{TYPE_TOKEN_PREFIX}{resource.name}`) takes the same inputs and has "
            "the same outputs.",
            "",
            spec.get("description", ""),
            "",
            "#### Inputs",
            "",
            *_inputs_table(resource, inputs),
            "",
            "#### Outputs",
            "",
            "Every input is also an output (in canonical form), and:",
            "",
            *_properties_table(
                {k: v for k, v in spec["properties"].items() if k not in inputs},
                spec["required"],
                with_default=False,
            ),
        ]
    out += ["", "## Functions"]
    for function in FUNCTIONS:
        spec = schema["functions"][token(function.name)]
        out += [
            "",
            f"### {function.function.__name__}",
            "",
            _function_text(function),
            "",
            spec.get("description", ""),
            "",
            "Inputs:",
            "",
            *_properties_table(
                spec["inputs"]["properties"],
                spec["inputs"].get("required", []),
                with_default=False,
            ),
            "",
            "Outputs:",
            "",
            *_properties_table(
                spec["outputs"]["properties"],
                spec["outputs"].get("required", []),
                with_default=False,
            ),
        ]
    out += ["", "## Types"]
    for key, spec in schema["types"].items():
        name = key.rsplit(":", 1)[1]
        out += ["", f"### {name}", ""]
        if spec.get("description"):
            out += [spec["description"], ""]
        out += _python_type_text(name, spec)
        if "enum" not in spec:
            out += _properties_table(
                spec.get("properties", {}), spec.get("required", []), with_default=True
            )
    return "\n".join(out) + "\n"


def readme_blocks() -> dict[str, str]:
    """The generated blocks of the README and the docs pages, by name: ``config`` and each
    resource's field table (``Cluster-inputs``, ...)."""
    blocks = {"config": config_table()}
    for resource in RESOURCES:
        blocks[f"{resource.name}-inputs"] = field_table(resource)
    return blocks


_BLOCK = re.compile(r"(<!-- schema:([\w-]+):start -->\n)(?:.*?\n)?(<!-- schema:\2:end -->)", re.S)


def _fill_blocks(path: Path, text: str, blocks: Mapping[str, str]) -> tuple[str, set[str]]:
    """``text`` with each ``<!-- schema:NAME:start/end -->`` block holding its table, and the
    names of the blocks it holds."""
    found: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match[2]
        if name not in blocks:
            raise SystemExit(f"{path}: no generated block is named {name!r}")
        found.add(name)
        return match[1] + blocks[name] + match[3]

    return _BLOCK.sub(fill, text), found


def _pages(root: Path) -> list[Path]:
    """The pages that may hold generated blocks: the README and docs/*.md (not the
    reference, which is generated whole)."""
    pages = [root / README_FILE, *sorted((root / DOCS_DIR).glob("*.md"))]
    return [page for page in pages if page.exists() and page != root / REFERENCE_FILE]


def render(root: Path) -> dict[Path, str]:
    """Every generated file under ``root`` with its content."""
    schema = package_schema()
    files = {
        root / SCHEMA_FILE: json.dumps(schema, indent=2, ensure_ascii=False) + "\n",
        # Python's names: the page documents the Python faces (schema.json has camelCase).
        root / REFERENCE_FILE: reference_markdown(snake_schema()),
    }
    pages = _pages(root)
    blocks = readme_blocks()
    shown: set[str] = set()
    for page in pages:
        files[page], found = _fill_blocks(page, page.read_text(), blocks)
        shown |= found
    if pages and set(blocks) - shown:
        raise SystemExit(
            f"no page under {root} shows the generated blocks {sorted(set(blocks) - shown)}"
        )
    return files


def check(root: Path) -> list[Path]:
    """The generated files under ``root`` that are missing or out of date."""
    files = render(root).items()
    return [path for path, text in files if not path.exists() or path.read_text() != text]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_mixpeek.schema",
        description="Write schema.json, docs/reference.md and the README's generated tables.",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a file is stale"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = check(args.root)
        for path in stale:
            print(f"{path} is out of date: run `make schema`", file=sys.stderr)
        return 1 if stale else 0
    for path, text in render(args.root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
