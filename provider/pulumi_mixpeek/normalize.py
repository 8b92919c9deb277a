"""The canonical form of a resource's inputs: what check returns, read reproduces and diff compares.

Every declaration model (``models/declaration.py``) gets the generic rules; the Cluster's
known server defaults and spellings are folded in on top (``ClusterDeclaration`` only).

Rules (applied per top-level field, so an unknown value in one field leaves the others intact):
- each field is validated with its declaration type and dumped as JSON with every value equal
  to the 1.3.1 default removed (``exclude_defaults``): ``normalize_features: true`` and an
  absent ``normalize_features`` are the same declaration, and a server echoing the defaults the
  SDK sends reads back as exactly what the user wrote;
- known server defaults are removed too: ``attribute_config.aggregation_method:
  most_frequent``; ``filters`` lose ``case_sensitive: false`` at every level (the SDK adds it
  to every nested condition);
- the API level's documented defaults (``levels.py``, ``defaults``) are removed, and they
  win over the model's: at 1.3.783 ``llm_labeling.use_embedding_dedup: true`` is the default
  and ``false`` a choice that stays; so are ``vector_config.hierarchical: false``,
  ``auto_execute_cooldown_seconds: 3600``, ... (the level defaults to the seed's, whose
  defaults are the models');
- empty ``metadata`` / ``filters`` / ``llm_labeling`` / ``source_enrichment_config`` and an
  empty ``description`` mean "none";
- the deprecated ``vector_config.feature_uri`` becomes ``feature_uris: [uri]`` (the server
  returns the list; sending the list is the same request);
- ``cluster_type`` is inferred from the config given when omitted (the API requires it in
  every cluster it returns);
- numbers that are integral become ints (the engine turns every number into a float);
- a field holding an unknown value, or a value that does not validate, is kept as given
  (check reports the invalid ones; diff counts unknowns as changed).

The form is idempotent: ``canonical_inputs(canonical_inputs(x)) == canonical_inputs(x)`` (at
one level).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

from ._unknowns import contains_unknown
from .fields import field_names
from .levels import SEED_API_VERSION, ApiLevel, api_level
from .models.declaration import ClusterDeclaration

__all__ = ["canonical_inputs", "same_value", "strip_internal"]


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:  # constraints such as min_length
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _json_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_numbers(v) for v in value]
    return value


def _vector_config(value: dict[str, Any]) -> dict[str, Any]:
    uri = value.get("feature_uri")
    if uri is not None and not value.get("feature_uris"):
        value = {k: v for k, v in value.items() if k != "feature_uri"}
        value["feature_uris"] = [uri]
    return value


def _attribute_config(value: dict[str, Any]) -> dict[str, Any]:
    if value.get("aggregation_method") == "most_frequent":
        value = {k: v for k, v in value.items() if k != "aggregation_method"}
    return value


def _filter_node(value: Any) -> Any:
    if isinstance(value, list):
        return [_filter_node(v) for v in value]
    if not isinstance(value, dict):
        return value
    node = {}
    for key, item in value.items():
        if key == "case_sensitive" and item is False:
            continue
        if key in ("AND", "OR", "NOT") and item is None:
            continue
        node[key] = _filter_node(item)
    return node


_FIXUPS: dict[str, Callable[[Any], Any]] = {
    "vector_config": _vector_config,
    "attribute_config": _attribute_config,
    "filters": _filter_node,
}
_EMPTY_MEANS_NONE = frozenset(
    {"metadata", "filters", "llm_labeling", "source_enrichment_config", "description"}
)


def _level_defaults(name: str, dumped: Any, validated: Any, level: ApiLevel) -> Any:
    """``dumped`` (the field ``name`` without the model's defaults) with the level's defaults
    instead: a key declared with its level default, or None, is removed; a key declared with
    another value stays, also when it is the model's default (at 1.3.783,
    ``use_embedding_dedup: false``). None when the field itself is its level's default."""
    if not isinstance(dumped, dict):
        defaults = level.section_defaults("")
        return None if name in defaults and same_value(dumped, defaults[name]) else dumped
    section = level.section_defaults(name)
    if not section or not isinstance(validated, BaseModel):
        return dumped
    dumped = dict(dumped)
    for key, default in section.items():
        value = getattr(validated, key, None)
        if key in validated.model_fields_set and value is not None:
            value = to_jsonable_python(value)
            if not same_value(value, default):
                dumped[key] = value
                continue
        dumped.pop(key, None)
    return dumped


def _canonical_field(
    model: type[BaseModel], name: str, value: Any, level: ApiLevel | None = None
) -> Any:
    """The canonical value, or None when it equals "not declared"."""
    if contains_unknown(value):
        return value
    adapter = _adapter(model, name)
    try:
        validated = adapter.validate_python(value)
    except ValidationError:
        return _json_numbers(value)
    if validated == model.model_fields[name].default:
        return None
    dumped = adapter.dump_python(validated, mode="json", by_alias=True, exclude_defaults=True)
    if model is ClusterDeclaration:
        dumped = _level_defaults(name, dumped, validated, level or api_level(SEED_API_VERSION))
        if dumped is None:
            return None
        fixup = _FIXUPS.get(name)
        if fixup is not None:
            dumped = fixup(dumped)
        if name in _EMPTY_MEANS_NONE and dumped in ({}, ""):
            return None
    return _json_numbers(dumped)


def _infer_cluster_type(inputs: dict[str, Any]) -> None:
    if inputs.get("cluster_type") is not None:
        return
    has_vector = inputs.get("vector_config") is not None
    has_attribute = inputs.get("attribute_config") is not None
    if has_vector != has_attribute:
        inputs["cluster_type"] = "vector" if has_vector else "attribute"


def strip_internal(props: Mapping[str, Any]) -> dict[str, Any]:
    """Without engine-internal keys such as ``__provider``."""
    return {k: v for k, v in props.items() if not k.startswith("__")}


def canonical_inputs(
    props: Mapping[str, Any],
    model: type[BaseModel] = ClusterDeclaration,
    level: ApiLevel | None = None,
) -> dict[str, Any]:
    """The declared input fields of ``props`` (inputs or outputs) in canonical form, at the
    API ``level`` (a Cluster's; default the seed's, whose defaults are the models').

    Keys that are not input fields of ``model`` (``__provider``, computed outputs, typos) are
    dropped; absent keys mean "not declared".
    """
    names = field_names(model)
    inputs: dict[str, Any] = {}
    for name in names:
        value = props.get(name)
        if value is None:
            continue
        canonical = _canonical_field(model, name, value, level)
        if canonical is not None:
            inputs[name] = canonical
    if model is ClusterDeclaration:
        _infer_cluster_type(inputs)
    return {name: inputs[name] for name in names if name in inputs}


def _encode(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def same_value(a: Any, b: Any) -> bool:
    """Equal as JSON (so ``1`` and ``True`` differ, ``1`` and ``1.0`` do not). An unknown
    value is never the same as anything."""
    if contains_unknown(a) or contains_unknown(b):
        return False
    return _encode(_json_numbers(a)) == _encode(_json_numbers(b))
