"""Input validation for ``check``: every problem at once, one failure per property path.

No network and no credentials. Values not known yet (preview) are accepted: an error whose
path runs through an unknown value is dropped, and cross-field rules skip unknown operands.

The declaration models take every API level's fields and values; what the chosen level
(``mixpeek:apiVersion``) lacks is refused here from the level's data (``levels.py``), naming
the field's path and the level: a field or value of a newer level "needs API level 1.3.783",
a value the level no longer offers "is not offered by API level 1.3.783" with the ones it
offers instead.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pulumi.dynamic import CheckFailure
from pydantic import BaseModel, ValidationError

from ._constants import CLUSTER_ID_PREFIX, CONFIG_API_VERSION
from ._unknowns import is_unknown
from .config import validate_endpoint
from .errors import ConfigurationError
from .fields import field_names, internal_fields
from .levels import (
    API_VERSIONS,
    LEVEL_SECTIONS,
    SEED_API_VERSION,
    ApiLevel,
    api_level,
    levels_having,
)
from .models.config import (
    AGGREGATION_METHODS,
    FEATURE_URI,
    MODEL_PROVIDERS,
    VectorBasedConfig,
)
from .models.declaration import ClusterDeclaration

__all__ = ["UnknownProperty", "validate_declaration", "validate_inputs"]


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


def _members(annotation: Any) -> list[tuple[Any, str | None]]:
    """The alternatives an annotation allows, each with its union tag (``Tag``), if any;
    ``Annotated``, ``Optional`` and unions unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extras = get_args(annotation)
        tags = [getattr(e, "tag", None) for e in extras]
        tag = next((t for t in tags if isinstance(t, str)), None)
        return [(a, tag or t) for a, t in _members(inner)]
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [] if annotation is type(None) else [(annotation, None)]


def _model_fields(annotation: Any) -> dict[str, Any]:
    """Field name (and alias) -> annotation, when ``annotation`` is a model."""
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return {}
    fields: dict[str, Any] = {}
    for name, info in annotation.model_fields.items():
        fields[name] = info.annotation
        if info.alias:
            fields[info.alias] = info.annotation
    return fields


def _properties_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The property names the object at pydantic location ``loc`` takes (the union of its
    alternatives' fields), following models, lists, mappings and tagged unions."""
    current: list[Any] = [model]
    for item in loc:
        members = [m for a in current for m in _members(a)]
        tagged = [a for a, tag in members if tag == item]
        if tagged:  # a tagged union's member, as pydantic names it in locations
            current = tagged
            continue
        following = []
        for annotation, _ in members:
            origin, args = get_origin(annotation), get_args(annotation)
            if isinstance(item, int) and origin in (list, tuple) and args:
                following.append(args[0])
            elif isinstance(item, str) and origin is dict and len(args) == 2:
                following.append(args[1])
            elif isinstance(item, str) and item in _model_fields(annotation):
                following.append(_model_fields(annotation)[item])
        current = following
    names: dict[str, None] = {}
    for annotation, _ in (m for a in current for m in _members(a)):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(dict.fromkeys(annotation.model_fields))
    return list(names)


#: Past this many properties, an unknown one with no near name gets no list of them.
_LISTED_AT_MOST = 12


class UnknownProperty(CheckFailure):
    """A property the object at its path does not take: the reason names the nearest one
    it takes (``difflib``), else those it takes when they are few. The parts are kept so
    the native plugin can say the same in the schema's names (``respelt``)."""

    def __init__(self, path: str, known: Sequence[str]) -> None:
        self.known = tuple(known)
        parent, _, name = path.rpartition(".")
        close = difflib.get_close_matches(name, self.known, n=1)
        if close:
            reason = f"unknown property; did you mean {close[0]!r}?"
        elif self.known and parent and len(self.known) <= _LISTED_AT_MOST:
            reason = f"unknown property; {parent} takes {', '.join(self.known)}"
        else:
            reason = "unknown property; check the spelling"
        super().__init__(path, reason)

    def respelt(
        self, path: Callable[[str], str], name: Callable[[str], str]
    ) -> UnknownProperty:
        """The same failure with its object's path renamed by ``path`` and the names the
        object takes by ``name`` (the native plugin: the schema's camelCase); the unknown
        name itself is the user's."""
        parent, dot, last = self.property.rpartition(".")
        return UnknownProperty(f"{path(parent)}{dot}{last}", [name(k) for k in self.known])


def _reason(error: Mapping[str, Any]) -> str:
    kind = error.get("type")
    if kind == "missing":
        return "required"
    context = error.get("ctx") or {}
    if kind == "union_tag_invalid":  # a preprocessing step's method
        return f"method must be one of {context.get('expected_tags')} (got {context.get('tag')!r})"
    if kind == "union_tag_not_found":
        return "must be an object that names its method, e.g. {\"method\": \"umap\"}"
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
            if error.get("type") == "extra_forbidden" and path not in failures:
                failures[path] = UnknownProperty(path, _properties_at(model, error["loc"][:-1]))
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
    return [UnknownProperty(key, names) for key in raw if key not in names]


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


#: Every path some API level declares (``levels.py``); the others (provider inputs such as
#: adopt, typos) are not the levels' to judge.
_LEVEL_PATHS: frozenset[str] = frozenset().union(*(api_level(v).fields for v in API_VERSIONS))


def _needs(path: str, level: ApiLevel, value: Any = None) -> str:
    """Why ``path`` (or its ``value``) is refused at ``level``, naming the levels that have
    it: a newer one ("needs API level ..."), or only older ones ("is not offered by ...")."""
    what = f"{value!r} " if value is not None else ""
    having = levels_having(path, value)
    current = API_VERSIONS.index(level.version)
    newer = [v for v in having if API_VERSIONS.index(v) > current]
    if newer:
        reason = (
            f"{what}needs API level {' or '.join(newer)} ({CONFIG_API_VERSION} is "
            f"{level.version})"
        )
        if value is None:
            return f"{reason}; set {CONFIG_API_VERSION} to {newer[-1]} or remove it"
        return f"{reason}; at {level.version} use one of: {_offered_instead(path, value, level)}"
    older = f" (only by {' and '.join(having)})" if having else ""
    reason = f"{what}is not offered by API level {level.version}{older}"
    if value is None:
        return f"{reason}; remove it"
    return f"{reason}; use one of: {_offered_instead(path, value, level)}"


def _offered_instead(path: str, value: Any, level: ApiLevel) -> str:
    """What the level offers instead of ``value`` at ``path`` (for a model: the same
    provider's models, when the level has any)."""
    offered = list(level.values[path])
    if path == "llm_labeling.model_name":
        provider = MODEL_PROVIDERS.get(value) if isinstance(value, str) else None
        same = [m for m in offered if MODEL_PROVIDERS.get(m) == provider]
        offered = same or offered
    return ", ".join(str(v) for v in offered)


def _at(raw: Mapping[str, Any], path: str) -> Any:
    """The declared value at a dotted path (None when absent or under an unknown)."""
    current: Any = raw
    for part in path.split("."):
        if not isinstance(current, dict) or is_unknown(current):
            return None
        current = current.get(part)
    return current


def _lacking(raw: Mapping[str, Any], level: ApiLevel) -> list[str]:
    """The declared paths (fields, keys of ``LEVEL_SECTIONS``) of another level that
    ``level`` lacks."""
    declared = [name for name, value in raw.items() if value is not None]
    for section in LEVEL_SECTIONS:
        config = raw.get(section)
        if isinstance(config, dict) and not is_unknown(config):
            declared += [f"{section}.{k}" for k, v in config.items() if v is not None]
    return [p for p in declared if p in _LEVEL_PATHS and p not in level.fields]


def _level_failures(raw: Mapping[str, Any], level: ApiLevel) -> list[CheckFailure]:
    """What the API ``level`` lacks of the declaration ``raw`` (known fields, not None): a
    field or key, an enumerated value, a bound; and the fields it requires."""
    failures = [CheckFailure(path, _needs(path, level)) for path in _lacking(raw, level)]
    for path, offered in level.values.items():
        value = _at(raw, path)
        if not isinstance(value, str) or is_unknown(value) or value in offered:
            continue
        if levels_having(path, value):
            reason = _needs(path, level, value)
        else:
            reason = (
                f"must be one of {_offered_instead(path, value, level)} at API level "
                f"{level.version} (got {value!r})"
            )
        failures.append(CheckFailure(path, reason))
    for path, maximum in level.maxima.items():
        value = _at(raw, path)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > maximum:
            failures.append(
                CheckFailure(
                    path, f"must be at most {maximum} at API level {level.version} (got {value})"
                )
            )
    composite = "source_cluster_ids" in level.fields
    collections, sources = raw.get("collection_ids"), raw.get("source_cluster_ids")
    if collections is None and (sources is None or not composite):
        failures.append(
            CheckFailure(
                "collection_ids",
                "required unless source_cluster_ids is set (a composite cluster)"
                if composite
                else "required",
            )
        )
    return failures


def _composite_rules(raw: Mapping[str, Any]) -> list[CheckFailure]:
    """A composite cluster (``source_cluster_ids``, API 1.3.783): vector clusters only, each
    source listed once (the SDK's words: "Vector clusters only"; which clusters exist and
    share the feature_uris only the server knows)."""
    sources = raw.get("source_cluster_ids")
    if sources is None or is_unknown(sources):
        return []
    ids = _strings(sources)
    if any(not i.strip() for i in ids):
        return [CheckFailure("source_cluster_ids", "contains an empty cluster id")]
    if len(set(ids)) != len(ids):
        return [CheckFailure("source_cluster_ids", "lists a cluster twice; list each once")]
    cluster_type = raw.get("cluster_type")
    if cluster_type == "attribute" or (
        cluster_type is None and _given(raw.get("attribute_config"))
    ):
        return [
            CheckFailure(
                "source_cluster_ids",
                "a composite cluster is a vector cluster: declare vector_config (with its "
                "sources' feature_uris), not attribute_config",
            )
        ]
    return []


def _typesafe_rules(labeling: Mapping[str, Any]) -> list[CheckFailure]:
    """Enabled labeling by provider typesafe (Jev, API 1.3.783) picks each label from
    candidate_labels, "REQUIRED when provider is 'typesafe' (Jev) unless response_shape is an
    explicit schema" (the SDK's words)."""
    if labeling.get("enabled") is not True:
        return []
    provider, model = labeling.get("provider"), labeling.get("model_name")
    if provider is None and isinstance(model, str):
        provider = MODEL_PROVIDERS.get(model)
    shape = labeling.get("response_shape")
    if (
        provider != "typesafe"
        or _given(labeling.get("candidate_labels"))
        or isinstance(shape, dict)
        or is_unknown(shape)
    ):
        return []
    return [
        CheckFailure(
            "llm_labeling.candidate_labels",
            "required with provider 'typesafe' (Jev picks each label from them): list the "
            "labels, or give response_shape as a JSON schema",
        )
    ]


def validate_declaration(
    raw: Mapping[str, Any], model: type[BaseModel]
) -> list[CheckFailure]:
    """Every problem the declaration model ``model`` finds in the declared inputs (unknown
    keys, types, constraints), one failure per property path."""
    declared = {k: v for k, v in raw.items() if v is not None}
    known = {k: v for k, v in declared.items() if k in field_names(model)}
    return _unknown_key_failures(declared, model) + _model_failures(known, model)


def validate_inputs(
    raw: Mapping[str, Any], level: ApiLevel | None = None
) -> list[CheckFailure]:
    """Every problem of a Cluster's declared inputs (engine-internal ``__`` keys already
    removed) at the API ``level`` (default the seed's): the declaration model's, where the
    level has something to say about the same path its words instead (and nothing under a
    path the level lacks), then the cross-field rules."""
    level = level or api_level(SEED_API_VERSION)
    known = {k: v for k, v in raw.items() if v is not None and k in field_names()}
    by_level = {f.property: f for f in _level_failures(known, level)}
    lacking = _lacking(known, level)
    failures = []
    for failure in validate_declaration(raw, ClusterDeclaration):
        path = failure.property
        if any(path.startswith((p + ".", p + "[")) for p in lacking):
            continue
        failures.append(by_level.pop(path, failure))
    failures += by_level.values()
    seen = {f.property for f in failures}
    cluster_type = known.get("cluster_type")
    rules = _rule_failures(known) + _composite_rules(known)
    if not is_unknown(cluster_type):
        rules += _api_rules(known, cluster_type)
    labeling = known.get("llm_labeling")
    if isinstance(labeling, dict) and "llm_labeling.candidate_labels" in level.fields:
        rules += _typesafe_rules(labeling)
    for failure in rules:
        if failure.property not in seen:
            failures.append(failure)
            seen.add(failure.property)
    return failures
