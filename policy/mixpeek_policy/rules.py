"""The house rules for Mixpeek clusters as plain functions: inputs in, messages out.

Each rule reads a cluster's inputs as the engine hands them to a policy pack: the checked
inputs, in the provider's canonical form (values equal to the API default are left out, and
``cluster_name`` is always set, generated when the program omits it). An empty list means
compliant; each message says what to change.

Values not known yet (during preview, e.g. a name built from another resource's output) are
skipped: a rule reports nothing for them rather than guess, and runs again on the known
values when ``pulumi up`` analyses the same resource before changing it. pulumi-policy hands
the inputs over wrapped in ``unknown_checking_proxy``, which raises ``UnknownValueError`` when
an unknown value is read; ``_lookup`` turns that into ``UNKNOWN`` for one value, so an unknown
in one field never hides a violation in another.

Field names and enums are the provider's own declarations (``pulumi_mixpeek.models``): a
renamed field fails at import, not silently at review time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_mixpeek.models.config import (
    MODEL_NAMES,
    ClusteringAlgorithm,
    LLMLabelingInput,
    VectorBasedConfig,
    WeightLearningConfig,
)
from pulumi_mixpeek.models.declaration import ClusterDeclaration, ClusterEnrichmentDeclaration
from pulumi_policy.proxy import UnknownValueError
from pydantic import BaseModel

__all__ = [
    "ALGORITHMS",
    "DEFAULT_MAX_CLUSTERS",
    "DEFAULT_MAX_SAMPLE_SIZE",
    "DEFAULT_NAME_PATTERN",
    "DEFAULT_PROTECTED_STACKS",
    "DEFAULT_REQUIRED_METADATA",
    "MODELS",
    "UNKNOWN",
    "disallowed_algorithm",
    "disallowed_llm_model",
    "enrichment_into_source_in_protected_stack",
    "missing_description",
    "missing_metadata",
    "name_mismatch",
    "output_collections_not_kept",
    "oversized_sample",
    "source_enrichment_in_protected_stack",
    "too_many_clusters",
    "unprotected_clusters",
]


def _field(model: type[BaseModel], name: str) -> str:
    if name not in model.model_fields:
        raise AssertionError(f"{model.__name__} declares no field {name!r}")
    return name


DESCRIPTION = _field(ClusterDeclaration, "description")
METADATA = _field(ClusterDeclaration, "metadata")
CLUSTER_NAME = _field(ClusterDeclaration, "cluster_name")
VECTOR_CONFIG = _field(ClusterDeclaration, "vector_config")
ATTRIBUTE_CONFIG = _field(ClusterDeclaration, "attribute_config")
LLM_LABELING = _field(ClusterDeclaration, "llm_labeling")
ENRICH_SOURCE_COLLECTION = _field(ClusterDeclaration, "enrich_source_collection")
KEEP_OUTPUT_COLLECTIONS = _field(ClusterDeclaration, "keep_output_collections")
CLUSTERING_METHOD = _field(VectorBasedConfig, "clustering_method")
SAMPLE_SIZE = _field(VectorBasedConfig, "sample_size")
WEIGHT_LEARNING_CONFIG = _field(VectorBasedConfig, "weight_learning_config")
WEIGHT_SAMPLE_SIZE = _field(WeightLearningConfig, "sample_size")
ENRICH_SOURCE = _field(VectorBasedConfig, "enrich_source")
ENABLED = _field(LLMLabelingInput, "enabled")
SOURCE_COLLECTION_ID = _field(ClusterEnrichmentDeclaration, "source_collection_id")
TARGET_COLLECTION_ID = _field(ClusterEnrichmentDeclaration, "target_collection_id")
MODEL_NAME = _field(LLMLabelingInput, "model_name")

#: Every clustering algorithm API 1.3.1 accepts, and every labeling model.
ALGORITHMS: tuple[str, ...] = tuple(a.value for a in ClusteringAlgorithm)
MODELS: tuple[str, ...] = MODEL_NAMES

DEFAULT_REQUIRED_METADATA: tuple[str, ...] = ("owner",)
#: Lowercase letters, digits, '-' and '_', starting with a letter (matched in full).
#: Names the provider generates for unnamed clusters (``pulumi-<hex>``) match it.
DEFAULT_NAME_PATTERN = r"[a-z][a-z0-9_-]*"
DEFAULT_MAX_SAMPLE_SIZE = 100_000
DEFAULT_PROTECTED_STACKS: tuple[str, ...] = ("prod", "production")
DEFAULT_MAX_CLUSTERS = 25


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: What ``_lookup`` returns for a value the engine does not know yet.
UNKNOWN: Any = _Unknown()


def _lookup(props: Any, *path: str) -> Any:
    """``props[path[0]][path[1]]...``; None when absent, UNKNOWN when not known yet."""
    value = props
    for key in path:
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, Mapping):
            return None
        try:
            value = value.get(key)
        except UnknownValueError:
            return UNKNOWN
        if value is None:
            return None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def missing_description(props: Mapping[str, Any]) -> list[str]:
    value = _lookup(props, DESCRIPTION)
    if value is UNKNOWN or not _blank(value):
        return []
    return [
        "Set `description` to say what the cluster groups and who reads its output "
        "(an in-place update)."
    ]


def missing_metadata(props: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    metadata = _lookup(props, METADATA)
    if metadata is UNKNOWN:
        return []
    missing = []
    for key in keys:
        value = _lookup(metadata, key)
        if value is not UNKNOWN and _blank(value):
            missing.append(key)
    if not missing:
        return []
    example = ", ".join(f'"{key}": "..."' for key in missing)
    return [
        f"`metadata` lacks {', '.join(repr(k) for k in missing)}: add {{{example}}} to the "
        "cluster's metadata (an in-place update)."
    ]


def name_mismatch(props: Mapping[str, Any], pattern: str) -> list[str]:
    name = _lookup(props, CLUSTER_NAME)
    if name is UNKNOWN or not isinstance(name, str):
        return []
    try:
        matches = re.fullmatch(pattern, name) is not None
    except re.error as exc:
        return [
            f"The policy's `pattern` {pattern!r} is not a valid regular expression ({exc}): "
            "fix it in the policy pack configuration."
        ]
    if matches:
        return []
    hint = (
        "use lowercase letters, digits, '-' and '_', starting with a letter"
        if pattern == DEFAULT_NAME_PATTERN
        else f"use a name matching {pattern!r} in full"
    )
    return [
        f"cluster_name {name!r} does not follow the naming rule: {hint} "
        "(a rename is an in-place update)."
    ]


def _algorithm(props: Mapping[str, Any]) -> Any:
    method = _lookup(props, VECTOR_CONFIG, CLUSTERING_METHOD)
    if method is not None:
        return method
    # Attribute clusters have no clustering_method; the API reports them as attribute_based.
    attribute = _lookup(props, ATTRIBUTE_CONFIG)
    if attribute is UNKNOWN:
        return UNKNOWN
    return ClusteringAlgorithm.ATTRIBUTE_BASED.value if attribute is not None else None


def disallowed_algorithm(props: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    method = _algorithm(props)
    if method is UNKNOWN or method is None or method in allowed:
        return []
    return [
        f"Clustering algorithm {method!r} is not allowed here: use one of "
        f"{', '.join(allowed) or '(none configured)'} "
        "(changing the algorithm replaces the cluster)."
    ]


def oversized_sample(
    props: Mapping[str, Any], maximum: float, *, require: bool = False
) -> list[str]:
    vector = _lookup(props, VECTOR_CONFIG)
    if vector is UNKNOWN or vector is None:
        return []  # attribute clusters take no sample
    messages = []
    size = _lookup(vector, SAMPLE_SIZE)
    if size is None and require:
        messages.append(
            f"vector_config.sample_size is not set, so every run clusters all documents: set it "
            f"to at most {_number(maximum)}."
        )
    elif isinstance(size, int | float) and size > maximum:
        messages.append(
            f"vector_config.sample_size {_number(size)} is above the budget of "
            f"{_number(maximum)}: lower it (a change replaces the cluster)."
        )
    learning = _lookup(vector, WEIGHT_LEARNING_CONFIG, WEIGHT_SAMPLE_SIZE)
    if isinstance(learning, int | float) and learning > maximum:
        messages.append(
            f"vector_config.weight_learning_config.sample_size {_number(learning)} is above the "
            f"budget of {_number(maximum)}: lower it (a change replaces the cluster)."
        )
    return messages


def disallowed_llm_model(props: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    enabled = _lookup(props, LLM_LABELING, ENABLED)
    if enabled is UNKNOWN or enabled is not True:
        return []
    model = _lookup(props, LLM_LABELING, MODEL_NAME)
    choices = ", ".join(allowed) or "(none configured)"
    if model is UNKNOWN:
        return []
    if model is None:
        return [
            f"LLM labeling is enabled with no model: set llm_labeling.model_name to one of "
            f"{choices}, or turn labeling off."
        ]
    if model in allowed:
        return []
    return [
        f"LLM model {model!r} is not allowed here: use one of {choices} "
        "(changing the model replaces the cluster)."
    ]


def source_enrichment_in_protected_stack(
    props: Mapping[str, Any], stack: str, protected_stacks: Iterable[str]
) -> list[str]:
    if stack not in set(protected_stacks):
        return []
    switched_on = [
        ".".join(path)
        for path in ((ENRICH_SOURCE_COLLECTION,), (VECTOR_CONFIG, ENRICH_SOURCE))
        if _lookup(props, *path) is True
    ]
    if not switched_on:
        return []
    return [
        f"{' and '.join(switched_on)} writes cluster results into the source documents, which "
        f"is not allowed in stack {stack!r}: remove it, or enable it in a non-production "
        "stack first."
    ]


def enrichment_into_source_in_protected_stack(
    props: Mapping[str, Any], stack: str, protected_stacks: Iterable[str]
) -> list[str]:
    """A ClusterEnrichment without target_collection_id, in a protected stack.

    Assumption (API 1.3.1 does not say where results go without a target): they are written
    into the source collection's documents, the reading that is safest for the data.
    """
    if stack not in set(protected_stacks):
        return []
    target = _lookup(props, TARGET_COLLECTION_ID)
    if target is UNKNOWN or not _blank(target):
        return []
    source = _lookup(props, SOURCE_COLLECTION_ID)
    named = f" {source!r}" if isinstance(source, str) else ""
    return [
        f"This enrichment writes cluster results into the documents of source collection"
        f"{named}, which is not allowed in stack {stack!r}: set target_collection_id to "
        "write them into another collection, or remove the enrichment."
    ]


def output_collections_not_kept(
    props: Mapping[str, Any], *, protected: bool, all_clusters: bool = False
) -> list[str]:
    """A protected cluster (``protect=True``; every cluster with ``all_clusters``) that does
    not set ``keep_output_collections``: at API level 1.3.783 (the provider's default) a
    delete or a replacement deletes the cluster's output collections with it. ``protect``
    stops a delete or replacement while it is set; the output collections should survive the
    day it is lifted."""
    if not (protected or all_clusters):
        return []
    keep = _lookup(props, KEEP_OUTPUT_COLLECTIONS)
    if keep is UNKNOWN or keep is True:
        return []
    why = "it is protected" if protected else "every cluster must keep them here"
    return [
        f"Set keep_output_collections=True on this cluster ({why}): at API level 1.3.783 "
        "deleting or replacing a cluster deletes its output collections with it. The change "
        "is an in-place update that makes no API call; apply it with `pulumi up` before any "
        "destroy or replacement."
    ]


def too_many_clusters(count: int, maximum: int) -> list[str]:
    if count <= maximum:
        return []
    return [
        f"The stack declares {count} clusters, more than the {maximum} allowed: remove "
        f"{count - maximum}, or raise `maximum` in the policy configuration."
    ]


def unprotected_clusters(
    clusters: Iterable[tuple[str, bool]], stack: str, protected_stacks: Iterable[str]
) -> list[tuple[str, str]]:
    """(urn, message) for each cluster without ``protect`` in a protected stack.

    ``clusters`` holds (urn, protect) pairs. The resource option ``retain_on_delete`` would
    do too, but the engine does not pass it to policy packs (the Analyzer protocol's
    resource options carry protect, ignoreChanges, deleteBeforeReplace, aliases,
    customTimeouts, additionalSecretOutputs and parent only), so only ``protect`` is seen.
    """
    if stack not in set(protected_stacks):
        return []
    return [
        (
            urn,
            f"Clusters in stack {stack!r} must be protected from deletion: add "
            "opts=pulumi.ResourceOptions(protect=True) to this cluster.",
        )
        for urn, protect in clusters
        if not protect
    ]
