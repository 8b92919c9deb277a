"""From a ClusterMetadata (GET) to the inputs a program would declare, and to the outputs.

``live_inputs`` reverses reference section 4 (input_collections → collection_ids, algorithm →
vector_config.clustering_method, clustered_attributes → attribute_config.attributes,
enrich_source → enrich_source_collection, ...) and shapes the result exactly as check shapes
the program's inputs (``canonical_inputs``). Fields GET cannot return in 1.3.1 are taken from
the previous state, so refresh reports only drift the API can show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ._constants import DEFAULTS_KEY
from .fields import field_names, replace_fields
from .levels import SEED_API_VERSION, ApiLevel, api_level
from .models import ClusterMetadata, LLMLabelingInput, SourceEnrichmentConfig
from .models.declaration import ClusterDeclaration
from .normalize import canonical_inputs, same_value

__all__ = [
    "NOT_READ_BACK",
    "VECTOR_NOT_READ_BACK",
    "build_outputs",
    "immutable_differences",
    "live_inputs",
    "refreshed_inputs",
]

#: Declared fields GET does not return (description is write-only in 1.3.1; where the
#: cluster lives is recorded by check, see location.py), or that ClusterMetadata does not
#: read: the fields API 1.3.783 adds (source_cluster_ids, auto_execute_*) are kept from the
#: state, so refresh shows no drift of them.
NOT_READ_BACK: tuple[str, ...] = (
    "description",
    "adopt",
    "keep_output_collections",
    "namespace",
    "endpoint",
    "source_cluster_ids",
    "auto_execute_on_batch",
    "auto_execute_min_documents",
    "auto_execute_cooldown_seconds",
)

#: vector_config fields ClusterMetadata does not carry in 1.3.1 (sample_size came in 1.3.2;
#: the legacy enrich_source and the deprecated per-algorithm parameters have no column), and
#: those API 1.3.783 adds, which ClusterMetadata does not read: kept from the state.
VECTOR_NOT_READ_BACK: tuple[str, ...] = (
    "sample_size",
    "normalize_features",
    "feature_weights",
    "weight_learning_config",
    "output_strategy",
    "enrich_source",
    "kmeans_parameters",
    "dbscan_parameters",
    "hdbscan_parameters",
    "face_cluster_merge",
    "preprocessing_steps",
    "hierarchical",
    "max_hierarchy_depth",
    "vis_n_components",
    "layout_stability",
)


def _known_keys(model: Any, value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only the keys the 1.3.1 input model has (responses may carry more)."""
    if value is None:
        return None
    return {k: v for k, v in value.items() if k in model.model_fields}


def _vector_config(meta: ClusterMetadata, previous: Mapping[str, Any]) -> dict[str, Any]:
    before = previous.get("vector_config")
    config = {
        k: before[k] for k in VECTOR_NOT_READ_BACK if isinstance(before, dict) and k in before
    }
    config.update(
        feature_uris=meta.feature_uris,
        clustering_method=meta.algorithm,
        algorithm_params=meta.algorithm_params,
        multi_feature_strategy=meta.multi_feature_strategy,
        effective_feature_method=meta.effective_feature_method,
    )
    # GET folds the deprecated {algorithm}_parameters into algorithm_params when those are
    # not given: a declaration using the deprecated field reads back unchanged.
    if isinstance(before, dict) and before.get("algorithm_params") is None:
        legacy = before.get(f"{meta.algorithm}_parameters")
        if legacy is not None and same_value(legacy, meta.algorithm_params):
            config["algorithm_params"] = None
    return {k: v for k, v in config.items() if v is not None}


def _enrich_source_collection(meta: ClusterMetadata, before: Mapping[str, Any]) -> bool:
    """ClusterMetadata.enrich_source folds enrich_source_collection and the legacy
    vector_config.enrich_source: keep the declared split while the folded flag agrees."""
    declared = bool(before.get("enrich_source_collection"))
    vector = before.get("vector_config")
    legacy = bool(vector.get("enrich_source")) if isinstance(vector, dict) else False
    live = bool(meta.enrich_source)
    return declared if live == (declared or legacy) else live


def live_inputs(
    meta: ClusterMetadata, previous: Mapping[str, Any], level: ApiLevel | None = None
) -> dict[str, Any]:
    """The canonical inputs describing ``meta`` at ``level`` (default the seed's);
    ``previous`` (the last state, inputs or outputs) supplies the fields GET does not return
    (at ``level``: description is read back where the level returns it). A composite
    cluster declared without collection_ids keeps them undeclared: the server takes its
    source clusters' collections."""
    before = canonical_inputs(previous, level=level)
    composite = before.get("source_cluster_ids") is not None
    raw: dict[str, Any] = {
        "collection_ids": (
            None if composite and before.get("collection_ids") is None else meta.input_collections
        ),
        "cluster_name": meta.cluster_name,
        "cluster_type": meta.cluster_type,
        "filters": meta.filters,
        "llm_labeling": _known_keys(LLMLabelingInput, meta.llm_labeling),
        "enrich_source_collection": _enrich_source_collection(meta, before),
        "source_enrichment_config": _known_keys(
            SourceEnrichmentConfig, meta.source_enrichment_config
        ),
        "metadata": meta.metadata,
    }
    if meta.cluster_type == "vector":
        raw["vector_config"] = _vector_config(meta, before)
    elif meta.cluster_type == "attribute":
        raw["attribute_config"] = {
            "attributes": meta.clustered_attributes,
            "hierarchical_grouping": meta.hierarchical_grouping,
            "aggregation_method": meta.aggregation_method,
        }
    for name in NOT_READ_BACK:
        raw[name] = before.get(name)
    if level is not None and level.reads_description:
        raw["description"] = meta.description
    return canonical_inputs(raw, level=level)


def _without_additions(live: Any, before: Any) -> Any:
    """``live`` without the mapping keys ``before`` lacks, at any depth (through lists of
    the same length)."""
    if isinstance(live, dict) and isinstance(before, dict):
        return {k: _without_additions(v, before[k]) for k, v in live.items() if k in before}
    if isinstance(live, list) and isinstance(before, list) and len(live) == len(before):
        return [_without_additions(v, b) for v, b in zip(live, before, strict=True)]
    return live


def refreshed_inputs(
    meta: ClusterMetadata, previous: Mapping[str, Any], level: ApiLevel | None = None
) -> dict[str, Any]:
    """The inputs a refresh stores: ``live_inputs``, minus what the server added to the
    configuration the cluster was created with.

    The live API returns more than it was sent: server-side defaults (the algorithm's
    parameters, the labeling model, ...) and fields newer than 1.3.1. The fields this applies
    to cannot be changed after create (their mutability is ``replace``; 1.3.1 PATCH takes
    none of them), so a key the previous state lacks can only have been added by the
    server: it is not drift, and it is dropped. A changed value of a key the state has is
    still drift. (Adoption compares with ``live_inputs`` itself and stays strict: there the
    declaration has no history with the cluster.)
    """
    before = canonical_inputs(previous, level=level)
    live = live_inputs(meta, previous, level)
    if not before:
        # No previous state at all: `pulumi import` reads a cluster it knows only by id.
        # Nothing was sent that the server could have added to, so all of it is the cluster.
        return live
    for name in replace_fields():
        if isinstance(live.get(name), dict):
            kept = _without_additions(live[name], before.get(name))
            if before.get(name) is None:
                live.pop(name)
            else:
                live[name] = kept
    return canonical_inputs(live, level=level)


def build_outputs(meta: ClusterMetadata, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Every output: each input field (canonical; input fields own the names they share with
    ClusterMetadata), every ClusterMetadata field, and cluster_id. The cluster_name output is
    always the live name, declared or generated. The record of the inputs check filled in
    (``DEFAULTS_KEY``) is kept, so a refresh reproduces it."""
    outputs: dict[str, Any] = meta.model_dump(mode="json")
    for name in field_names():
        outputs[name] = inputs.get(name)
    if DEFAULTS_KEY in inputs:
        outputs[DEFAULTS_KEY] = inputs[DEFAULTS_KEY]
    outputs["cluster_name"] = meta.cluster_name
    outputs["cluster_id"] = meta.cluster_id
    return outputs


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``X | None`` -> ``X``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _without_fills(
    live: Any,
    wanted: Any,
    model: type[BaseModel] | None,
    defaults: Mapping[str, Any] | None = None,
) -> Any:
    """``live`` without the mapping keys ``wanted`` leaves out and the server may fill in:
    keys whose documented default is None (or that the model does not know). A key with a
    documented default stays: leaving it out declares that default, and the canonical form
    of either side leaves a default value out, so only a non-default value remains to
    differ. ``defaults``: the API level's documented defaults of these keys, where they are
    not the model's (``levels.py``)."""
    if not (isinstance(live, dict) and isinstance(wanted, dict)):
        return live
    fields = model.model_fields if model is not None else {}
    kept = {}
    for key, value in live.items():
        info = fields.get(key)
        if key in wanted:
            sub = _model_of(info.annotation) if info is not None else None
            kept[key] = _without_fills(value, wanted[key], sub)
            continue
        default = info.default if info is not None else None
        if defaults is not None and key in defaults:
            default = defaults[key]
        if default not in (None, PydanticUndefined):
            kept[key] = value
    return kept


def immutable_differences(
    meta: ClusterMetadata, declared: Mapping[str, Any], level: ApiLevel | None = None
) -> list[tuple[str, Any, Any]]:
    """The fields that cannot change in place and differ between ``declared`` (canonical
    inputs) and the cluster ``meta``, as (field, declared, existing), sorted by field. Empty
    when the cluster is what the declaration would create: the test for taking over a cluster
    found by name (``adopt=True``, a create whose answer was lost, ``mixpeek-recover-pending``).

    Only what the user declared is compared: a field, or a key of a declared mapping, that
    the declaration leaves out and whose documented default is None is the server's to fill
    in (the live API fills in the algorithm's parameters, the labeling model, ...), so a
    value there is not a difference. A field or key with a documented default is compared
    (leaving it out declares the default). Whether the cluster is this stack's to take at all
    is decided before, from its name and, for a lost create, from when it was created
    (``client.py``). ``declared`` is canonical at the API ``level`` (default the seed's),
    whose documented defaults apply.
    """
    live = live_inputs(meta, declared, level)
    fields = ClusterDeclaration.model_fields
    defaults = level or api_level(SEED_API_VERSION)
    differing = []
    for name in sorted(replace_fields()):
        wanted = declared.get(name)
        info = fields[name]
        if wanted is None and info.default is None:
            continue
        existing = _without_fills(
            live.get(name), wanted, _model_of(info.annotation), defaults.section_defaults(name)
        )
        if not same_value(existing, wanted):
            differing.append((name, wanted, live.get(name)))
    return differing
