"""Input validation for ``check``: every problem at once, one failure per property path.

No network and no credentials. Values not known yet (preview) are accepted: an error whose
path runs through an unknown value is dropped, and cross-field rules skip unknown operands.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi.dynamic import CheckFailure
from pydantic import BaseModel, ValidationError

from ._constants import CLUSTER_ID_PREFIX
from ._unknowns import is_unknown
from .config import validate_endpoint
from .errors import ConfigurationError
from .fields import field_names, internal_fields
from .models.config import (
    AGGREGATION_METHODS,
    FEATURE_URI,
    MODEL_PROVIDERS,
    VectorBasedConfig,
)
from .models.declaration import ClusterDeclaration

__all__ = ["validate_declaration", "validate_inputs"]


def _walk(raw: Any, loc: Sequence[int | str]) -> tuple[str, bool]:
    """(dotted path into ``raw`` for a pydantic error location, whether it crosses an
    unknown value). Union tags in ``loc`` that are not keys of the data are skipped."""
    path = ""
    current = raw
    for index, item in enumerate(loc):
        if is_unknown(current):
            return path, True
        last = index == len(loc) - 1
        if isinstance(current, list) and isinstance(item, int) and item < len(current):
            path += f"[{item}]"
            current = current[item]
        elif isinstance(current, dict) and item in current:
            path += f".{item}" if path else str(item)
            current = current[item]
        elif last and isinstance(item, str) and isinstance(current, dict):
            path += f".{item}" if path else item  # a missing key
            current = None
    return path, is_unknown(current)


def _reason(error: Mapping[str, Any]) -> str:
    kind = error.get("type")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown property; check the spelling"
    message = str(error.get("msg", "invalid value"))
    value = error.get("input")
    if kind in ("literal_error", "enum") or kind in ("int_parsing", "bool_parsing"):
        return f"{message} (got {value!r})"
    return message


def _model_failures(raw: dict[str, Any], model: type[BaseModel]) -> list[CheckFailure]:
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        failures: dict[str, CheckFailure] = {}
        for error in exc.errors():
            path, through_unknown = _walk(raw, error["loc"])
            if through_unknown:
                continue
            reason = _reason(error)
            if path in failures:  # one failure per path; union members each add a reason
                failures[path].reason += f"; or {reason[0].lower()}{reason[1:]}"
                continue
            failures[path] = CheckFailure(path or "inputs", reason)
        return list(failures.values())
    return []


def _unknown_key_failures(raw: Mapping[str, Any], model: type[BaseModel]) -> list[CheckFailure]:
    names = field_names(model)
    failures = []
    for key in raw:
        if key in names:
            continue
        close = difflib.get_close_matches(key, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        failures.append(CheckFailure(key, f"unknown property{hint}"))
    return failures


def _given(value: Any) -> bool:
    return value is not None


def _rule_failures(raw: Mapping[str, Any]) -> list[CheckFailure]:
    failures = []
    cluster_type = raw.get("cluster_type")
    vector = raw.get("vector_config")
    attribute = raw.get("attribute_config")
    if not is_unknown(cluster_type):
        if cluster_type == "vector":
            if not _given(vector):
                failures.append(
                    CheckFailure("vector_config", "required when cluster_type is vector")
                )
            if _given(attribute):
                failures.append(
                    CheckFailure(
                        "attribute_config", "only used when cluster_type is attribute; remove it"
                    )
                )
        elif cluster_type == "attribute":
            if not _given(attribute):
                failures.append(
                    CheckFailure("attribute_config", "required when cluster_type is attribute")
                )
            if _given(vector):
                failures.append(
                    CheckFailure(
                        "vector_config", "only used when cluster_type is vector; remove it"
                    )
                )
        elif cluster_type is None:
            if _given(vector) and _given(attribute):
                failures.append(
                    CheckFailure(
                        "cluster_type",
                        "both vector_config and attribute_config are given; set cluster_type "
                        "and keep the matching config only",
                    )
                )
            elif not _given(vector) and not _given(attribute):
                failures.append(
                    CheckFailure(
                        "cluster_type",
                        "declare vector_config (cluster_type vector) or attribute_config "
                        "(cluster_type attribute)",
                    )
                )
    if isinstance(vector, dict):
        for name in internal_fields(VectorBasedConfig):
            if vector.get(name) is not None:
                failures.append(
                    CheckFailure(
                        f"vector_config.{name}",
                        "internal; the server derives it from feature_uris, remove it",
                    )
                )
        if _given(vector.get("feature_uri")) and _given(vector.get("feature_uris")):
            failures.append(
                CheckFailure(
                    "vector_config.feature_uri",
                    "deprecated and given together with feature_uris; keep feature_uris only",
                )
            )
    enrich = raw.get("enrich_source_collection")
    if _given(raw.get("source_enrichment_config")) and not is_unknown(enrich) and not enrich:
        failures.append(
            CheckFailure(
                "source_enrichment_config",
                "only used with enrich_source_collection=true; set it or remove this config",
            )
        )
    endpoint = raw.get("endpoint")
    if isinstance(endpoint, str) and not is_unknown(endpoint):
        try:
            validate_endpoint(endpoint)
        except ConfigurationError:
            failures.append(
                CheckFailure(
                    "endpoint",
                    "must be an https URL such as https://api.mixpeek.com (plain http only "
                    "for localhost, 127.0.0.1 or ::1, e.g. the local emulator)",
                )
            )
    adopt = raw.get("adopt")
    if adopt is True and not _given(raw.get("cluster_name")):
        failures.append(
            CheckFailure("cluster_name", "required with adopt=true: it names the cluster to adopt")
        )
    return failures


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not is_unknown(value) and not value.strip()


def _strings(value: Any) -> list[str]:
    """The known strings of a list (an unknown list, or unknown items, are skipped)."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and not is_unknown(v)]


def _vector_rules(vector: Mapping[str, Any]) -> list[CheckFailure]:
    """The API's rules for a vector config that the schema cannot express."""
    failures = []
    uris = vector.get("feature_uris")
    single = vector.get("feature_uri")
    if not is_unknown(uris) and not is_unknown(single):
        listed = _strings(uris) if _given(uris) else _strings([single] if single else [])
        if not listed and not (isinstance(uris, list) and len(uris) > len(listed)):
            failures.append(
                CheckFailure(
                    "vector_config.feature_uris",
                    "required: list the feature URIs to cluster, e.g. "
                    "'mixpeek://text_extractor@v1/embedding'",
                )
            )
        bad = [u for u in listed if not FEATURE_URI.match(u)]
        if bad:
            failures.append(
                CheckFailure(
                    "vector_config.feature_uris",
                    f"{bad[0]!r} is not a feature URI: expected "
                    "'mixpeek://{extractor}@{version}/{output}'",
                )
            )
        elif len(set(listed)) != len(listed):
            failures.append(
                CheckFailure("vector_config.feature_uris", "lists a URI twice; list each once")
            )
        weights = vector.get("feature_weights")
        if isinstance(weights, dict) and not (isinstance(uris, list) and len(uris) > len(listed)):
            unknown = sorted(k for k in weights if not is_unknown(k) and k not in listed)
            if unknown:
                failures.append(
                    CheckFailure(
                        "vector_config.feature_weights",
                        f"weights for URIs that are not in feature_uris: {', '.join(unknown)}",
                    )
                )
    if vector.get("clustering_method") == "attribute_based":
        failures.append(
            CheckFailure(
                "vector_config.clustering_method",
                "'attribute_based' is for attribute clusters: choose a vector algorithm such "
                "as 'kmeans' or 'hdbscan', or declare attribute_config instead",
            )
        )
    return failures


def _attribute_rules(attribute: Mapping[str, Any]) -> list[CheckFailure]:
    failures = []
    names = _strings(attribute.get("attributes"))
    if any(not n.strip() for n in names):
        failures.append(
            CheckFailure("attribute_config.attributes", "contains an empty field name")
        )
    elif len(set(names)) != len(names):
        failures.append(
            CheckFailure("attribute_config.attributes", "lists a field twice; list each once")
        )
    method = attribute.get("aggregation_method")
    if isinstance(method, str) and not is_unknown(method) and method not in AGGREGATION_METHODS:
        failures.append(
            CheckFailure(
                "attribute_config.aggregation_method",
                f"must be one of {', '.join(AGGREGATION_METHODS)} (got {method!r})",
            )
        )
    return failures


def _api_rules(raw: Mapping[str, Any], cluster_type: Any) -> list[CheckFailure]:
    """Further rules of the API's create (what the server answers 400 for, apart from a
    name already taken, which only the server can know)."""
    failures = []
    if any(not c.strip() for c in _strings(raw.get("collection_ids"))):
        failures.append(CheckFailure("collection_ids", "contains an empty collection id"))
    name = raw.get("cluster_name")
    if _blank(name):
        failures.append(
            CheckFailure("cluster_name", "must not be blank; omit it to have one generated")
        )
    elif isinstance(name, str) and not is_unknown(name) and name.startswith(CLUSTER_ID_PREFIX):
        # GET /v1/clusters/{identifier} takes an id or a name: a name that reads as an id
        # could find the cluster of that id when this cluster is looked up by name.
        failures.append(
            CheckFailure(
                "cluster_name",
                f"must not start with {CLUSTER_ID_PREFIX!r}, the prefix of cluster ids (the "
                "API reads such a name as an id); choose another name",
            )
        )
    vector = raw.get("vector_config")
    attribute = raw.get("attribute_config")
    if isinstance(vector, dict) and cluster_type in (None, "vector") and not _given(attribute):
        failures += _vector_rules(vector)
    if isinstance(attribute, dict) and cluster_type in (None, "attribute") and not _given(vector):
        failures += _attribute_rules(attribute)
    labeling = raw.get("llm_labeling")
    if isinstance(labeling, dict):
        model, provider = labeling.get("model_name"), labeling.get("provider")
        expected = MODEL_PROVIDERS.get(model) if isinstance(model, str) else None
        if expected is not None and isinstance(provider, str) and not is_unknown(provider):
            if provider != expected:
                failures.append(
                    CheckFailure(
                        "llm_labeling.provider",
                        f"{model!r} is a {expected} model: set provider to {expected!r} or "
                        "omit it",
                    )
                )
    return failures


def validate_declaration(
    raw: Mapping[str, Any], model: type[BaseModel]
) -> list[CheckFailure]:
    """Every problem the declaration model ``model`` finds in the declared inputs (unknown
    keys, types, constraints), one failure per property path."""
    declared = {k: v for k, v in raw.items() if v is not None}
    known = {k: v for k, v in declared.items() if k in field_names(model)}
    return _unknown_key_failures(declared, model) + _model_failures(known, model)


def validate_inputs(raw: Mapping[str, Any]) -> list[CheckFailure]:
    """Every problem of a Cluster's declared inputs (engine-internal ``__`` keys already
    removed): the declaration model's, then the cross-field rules."""
    failures = validate_declaration(raw, ClusterDeclaration)
    known = {k: v for k, v in raw.items() if v is not None and k in field_names()}
    seen = {f.property for f in failures}
    cluster_type = known.get("cluster_type")
    rules = _rule_failures(known)
    if not is_unknown(cluster_type):
        rules += _api_rules(known, cluster_type)
    for failure in rules:
        if failure.property not in seen:
            failures.append(failure)
            seen.add(failure.property)
    return failures
