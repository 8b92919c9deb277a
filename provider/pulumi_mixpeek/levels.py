"""The Mixpeek API levels this provider speaks, declared as data: what differs between the
seed's level (mixpeek SDK 1.3.1, the contract the source document describes; older and
self-hosted deployments speak it) and today's (SDK 1.3.783, what the live API speaks).

A level is chosen with ``mixpeek:apiVersion`` (``MIXPEEK_API_VERSION``), default today's. It
is not recorded in any resource's state: changing it is no change to any resource, the next
diff simply uses the new level's rules.

What a level says, and who reads it:
- ``in_place``: the declared values (a field, or a key of ``vector_config`` as
  ``vector_config.<key>``) that PATCH changes in place, each with its PATCH key. A Cluster
  field's own marker (``models/declaration.py``) says what it is at every level; this adds
  what a level changes in place beyond that (1.3.2 added ``llm_labeling``, ``filters``,
  ``sample_size`` and ``algorithm_params`` to PatchClusterRequest, top-level in the PATCH
  body even where the create body nests them under ``vector_config``). diff (update vs
  replace) and update (the PATCH body) read it.
- ``create_fields``: the mutable fields the create body carries (1.3.783 takes description
  and metadata in the POST; 1.3.1 needs a PATCH after it). create reads it.
- ``cascade_delete``: DELETE takes ``cascade_output_collections`` and, unless it is false,
  deletes the cluster's output collections with it (1.3.2 onwards; 1.3.1 keeps them). delete
  reads it with the Cluster's ``keep_output_collections``.
- ``enrich_endpoint``: ``POST /v1/clusters/enrich`` exists (gone by 1.3.783). check of a
  ``ClusterEnrichment`` reads it.
- ``reads_description``: GET returns ``description`` (1.3.783), so its drift shows on
  refresh; at 1.3.1 it is write-only and kept from the state.
- ``execute_body``: ``POST /v1/clusters/{id}/execute`` takes the optional
  ExecuteClusterByIdRequest body (1.3.2 onwards: mode, one-run overrides). check and create
  of a ``ClusterExecution`` read it (1.3.1 takes no body: declared run options are refused).
- ``groups_endpoint``: ``GET /v1/clusters/{id}/groups`` exists (1.3.2 onwards).
  ``client.get_cluster_groups`` reads it.
- ``cursor_paging``: the list POST pages with ``page_size`` and ``page``, or ``cursor`` from
  the previous page's ``next_cursor`` (1.3.783); 1.3.1 pages with ``limit``/``offset``.
  ``client.iter_clusters`` reads it.
- ``fields``: the API's fields a Cluster declaration may hold at this level, as paths: the
  Cluster's own (CreateClusterRequest, and PatchClusterRequest's description and metadata)
  and the keys of ``vector_config`` and ``llm_labeling`` (``vector_config.hierarchical``).
  The declaration models (``models/``) take every level's; check refuses a declared path the
  level lacks, naming the level that has it, and a create body carries only the level's.
  Provider inputs (``adopt``, ``namespace``, ...) are no API fields and exist at every level.
- ``values``: the values of an enumerated path at this level (clustering methods, LLM
  providers and models); check refuses the others, naming the level that offers the value
  or, for one the level no longer offers, the ones it does.
- ``defaults``: the server's documented defaults at this level for the paths whose default
  is not the declaration model's (a field newer than 1.3.1 defaults to None in the models,
  so that a body never carries it undeclared; the two levels' labeling defaults differ).
  The canonical form (``normalize.py``) drops a value equal to its level's default, and a
  create or PATCH body fills in the level's default for what is not declared, as that
  level's SDK sends it (a default of None: the key is left out).
- ``maxima``: upper bounds of numeric paths that only this level has (1.3.783 caps
  ``vector_config.sample_size`` at 1,000,000).

The seed's and today's fields and values come from the SDKs' models: 1.3.1's (reference
sections 2-5) and 1.3.783's (``create_cluster_request.py``, ``vector_based_config_input.py``,
``llm_labeling_input.py``, ``clustering_algorithm.py``, ``llm_provider.py``,
``open_ai_model.py``, ``google_model.py``, ``anthropic_model.py``, ``type_safe_model.py``,
``patch_cluster_request.py``; reference section 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_VERSION",
    "LEVEL_SECTIONS",
    "SEED_API_VERSION",
    "TODAY_API_VERSION",
    "ApiLevel",
    "api_level",
    "levels_having",
]

SEED_API_VERSION = "1.3.1"
TODAY_API_VERSION = "1.3.783"
DEFAULT_API_VERSION = TODAY_API_VERSION


@dataclass(frozen=True)
class ApiLevel:
    version: str
    in_place: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    create_fields: frozenset[str] = frozenset()
    cascade_delete: bool = False
    enrich_endpoint: bool = True
    reads_description: bool = False
    execute_body: bool = False
    groups_endpoint: bool = False
    cursor_paging: bool = False
    fields: frozenset[str] = frozenset()
    values: Mapping[str, tuple[Any, ...]] = field(default_factory=lambda: MappingProxyType({}))
    defaults: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    maxima: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def in_place_keys(self, name: str) -> frozenset[str]:
        """The keys of the mapping field ``name`` that PATCH changes in place."""
        prefix = name + "."
        return frozenset(p[len(prefix) :] for p in self.in_place if p.startswith(prefix))

    def keys(self, section: str) -> frozenset[str]:
        """The keys of ``section`` (``vector_config``, ``llm_labeling``) this level has, or
        with ``""`` the Cluster's own API fields."""
        if not section:
            return frozenset(p for p in self.fields if "." not in p)
        prefix = section + "."
        return frozenset(p[len(prefix) :] for p in self.fields if p.startswith(prefix))

    def section_defaults(self, section: str) -> dict[str, Any]:
        """The documented defaults of ``section``'s keys at this level (``""``: the
        Cluster's own fields), by key."""
        if not section:
            return {p: v for p, v in self.defaults.items() if "." not in p}
        prefix = section + "."
        return {p[len(prefix) :]: v for p, v in self.defaults.items() if p.startswith(prefix)}


#: The mappings whose keys a level declares (besides the Cluster's own fields).
LEVEL_SECTIONS: tuple[str, ...] = ("vector_config", "llm_labeling")


def _paths(section: str, keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f"{section}.{key}" if section else key for key in keys)


# -- the seed's level: mixpeek SDK 1.3.1 (reference sections 2-5) --------------------------
_SEED_FIELDS = (
    _paths(
        "",
        (
            "collection_ids",
            "cluster_name",
            "cluster_type",
            "vector_config",
            "attribute_config",
            "filters",
            "llm_labeling",
            "enrich_source_collection",
            "source_enrichment_config",
            "description",  # by PATCH only at 1.3.1 (``create_fields``)
            "metadata",
        ),
    )
    | _paths(
        "vector_config",
        (
            "feature_uri",
            "feature_uris",
            "feature_extractor_name",
            "version",
            "output_name",
            "clustering_method",
            "sample_size",
            "kmeans_parameters",
            "dbscan_parameters",
            "hdbscan_parameters",
            "algorithm_params",
            "multi_feature_strategy",
            "normalize_features",
            "feature_weights",
            "weight_learning_config",
            "output_strategy",
            "effective_feature_method",
            "enrich_source",
        ),
    )
    | _paths(
        "llm_labeling",
        (
            "enabled",
            "labeling_inputs",
            "provider",
            "model_name",
            "include_summary",
            "include_keywords",
            "max_samples_per_cluster",
            "sample_text_max_length",
            "use_embedding_dedup",
            "embedding_similarity_threshold",
            "cache_ttl_seconds",
            "custom_prompt",
            "response_shape",
            "parameters",
        ),
    )
)
_SEED_METHODS = (
    "kmeans",
    "dbscan",
    "hdbscan",
    "agglomerative",
    "spectral",
    "gaussian_mixture",
    "mean_shift",
    "optics",
    "attribute_based",
)
_SEED_PROVIDERS = ("openai", "google", "anthropic")
_OPENAI_MODELS = (
    "gpt-4o-2024-08-06",
    "gpt-4o-mini-2024-07-18",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "o3-mini-2025-01-31",
)
_SEED_MODELS = (
    *_OPENAI_MODELS,
    "gemini-2.0-flash",
    "gemini-2.0-flash-exp",
    "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-20241022",
)

# -- today's level: mixpeek SDK 1.3.783 (reference section 6) ------------------------------
_TODAY_FIELDS = (
    _SEED_FIELDS
    | _paths(
        "",
        (
            "source_cluster_ids",  # a composite cluster; collection_ids then optional
            "auto_execute_on_batch",
            "auto_execute_min_documents",
            "auto_execute_cooldown_seconds",
        ),
    )
    | _paths(
        "vector_config",
        (
            "face_cluster_merge",
            "preprocessing_steps",
            "hierarchical",
            "max_hierarchy_depth",
            "vis_n_components",
            "layout_stability",
        ),
    )
    | _paths("llm_labeling", ("sample_selection_strategy", "labeling_context", "candidate_labels"))
)
_TODAY_MODELS = (
    *_OPENAI_MODELS,
    # GoogleModel drops gemini-2.0-flash and gemini-2.0-flash-exp.
    "gemini-2.5-flash-lite",
    "gemini-2.5-flash",
    "gemini-2.5-pro",
    "gemini-3.1-flash-lite",
    "gemini-3.5-flash-lite",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-20241022",
    "jev-latest",
    "jev-preview",
    "jev-1.13.0",
)


_LEVELS: dict[str, ApiLevel] = {
    SEED_API_VERSION: ApiLevel(
        SEED_API_VERSION,
        fields=_SEED_FIELDS,
        values=MappingProxyType(
            {
                "vector_config.clustering_method": _SEED_METHODS,
                "llm_labeling.provider": _SEED_PROVIDERS,
                "llm_labeling.model_name": _SEED_MODELS,
            }
        ),
        defaults=MappingProxyType(
            {
                "llm_labeling.max_samples_per_cluster": 10,
                "llm_labeling.use_embedding_dedup": False,
            }
        ),
    ),
    TODAY_API_VERSION: ApiLevel(
        TODAY_API_VERSION,
        in_place=MappingProxyType(
            {
                "llm_labeling": "llm_labeling",
                "filters": "filters",
                "source_cluster_ids": "source_cluster_ids",
                "vector_config.sample_size": "sample_size",
                "vector_config.algorithm_params": "algorithm_params",
                "vector_config.face_cluster_merge": "face_cluster_merge",
                "vector_config.layout_stability": "layout_stability",
            }
        ),
        create_fields=frozenset({"description", "metadata"}),
        cascade_delete=True,
        enrich_endpoint=False,
        reads_description=True,
        execute_body=True,
        groups_endpoint=True,
        cursor_paging=True,
        fields=_TODAY_FIELDS,
        values=MappingProxyType(
            {
                "vector_config.clustering_method": (*_SEED_METHODS, "leiden", "evoc", "auto"),
                "llm_labeling.provider": (*_SEED_PROVIDERS, "typesafe"),
                "llm_labeling.model_name": _TODAY_MODELS,
            }
        ),
        defaults=MappingProxyType(
            {
                "auto_execute_on_batch": False,
                "auto_execute_cooldown_seconds": 3600,
                "vector_config.hierarchical": False,
                "vector_config.max_hierarchy_depth": 3,
                "vector_config.vis_n_components": 2,
                # Reference section 6, "Labeling defaults": auto-scaled when unset.
                "llm_labeling.max_samples_per_cluster": None,
                "llm_labeling.sample_selection_strategy": "nearest",
                "llm_labeling.use_embedding_dedup": True,
            }
        ),
        maxima=MappingProxyType({"vector_config.sample_size": 1_000_000}),
    ),
}

#: The versions ``mixpeek:apiVersion`` accepts, oldest first.
API_VERSIONS: tuple[str, ...] = tuple(_LEVELS)


def levels_having(path: str, value: Any = None) -> tuple[str, ...]:
    """The versions whose level has ``path`` (and, given a ``value``, offers it there),
    oldest first."""
    found = []
    for version, level in _LEVELS.items():
        if path not in level.fields:
            continue
        if value is not None and path in level.values and value not in level.values[path]:
            continue
        found.append(version)
    return tuple(found)


def api_level(version: str | None) -> ApiLevel:
    """The level of ``version`` (None: the default). Raises KeyError for any other; settings
    refuse such a value before it gets here (``ProviderSettings.checked_api_level``)."""
    return _LEVELS[version or DEFAULT_API_VERSION]
