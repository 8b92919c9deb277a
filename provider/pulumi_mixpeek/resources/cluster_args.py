"""Typed argument classes for the nested configs of ``Cluster``.

Each mirrors a model of ``models/config.py`` field for field (a unit test keeps them in step),
every API level's fields (those of API 1.3.783 say so; check refuses them at 1.3.1), and
accepts ``pulumi.Input`` values anywhere. Plain dicts are accepted wherever one of
these classes is; ``to_plain`` turns either into the dicts the provider receives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

__all__ = [
    "AttributeConfigArgs",
    "EnrichmentFieldMappingArgs",
    "FaceClusterMergeConfigArgs",
    "InputMappingArgs",
    "LLMLabelingArgs",
    "LabelingInputsArgs",
    "SourceEnrichmentConfigArgs",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
    "to_plain",
]


@dataclasses.dataclass(kw_only=True)
class WeightLearningConfigArgs:
    """How per-feature weights are learned (multi_feature_strategy weighted)."""

    method: pulumi.Input[str] | None = None
    max_iterations: pulumi.Input[int] | None = None
    metric: pulumi.Input[str] | None = None
    sample_size: pulumi.Input[int] | None = None
    random_state: pulumi.Input[int] | None = None


@dataclasses.dataclass(kw_only=True)
class FaceClusterMergeConfigArgs:
    """API 1.3.783: merge over-split face identity clusters after HDBSCAN."""

    enabled: pulumi.Input[bool] | None = None
    centroid_cosine_threshold: pulumi.Input[float] | None = None
    bbox_iou_threshold: pulumi.Input[float] | None = None
    scene_jaccard_threshold: pulumi.Input[float] | None = None
    bbox_field: pulumi.Input[str] | None = None
    frame_field: pulumi.Input[str] | None = None
    scene_field: pulumi.Input[str] | None = None


@dataclasses.dataclass(kw_only=True)
class VectorConfigArgs:
    """Vector clustering: features and algorithm (VectorBasedConfigInput)."""

    clustering_method: pulumi.Input[str]
    feature_uris: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    feature_uri: pulumi.Input[str] | None = None
    sample_size: pulumi.Input[int] | None = None
    algorithm_params: pulumi.Input[Mapping[str, Any]] | None = None
    kmeans_parameters: pulumi.Input[Mapping[str, Any]] | None = None
    dbscan_parameters: pulumi.Input[Mapping[str, Any]] | None = None
    hdbscan_parameters: pulumi.Input[Mapping[str, Any]] | None = None
    multi_feature_strategy: pulumi.Input[str] | None = None
    normalize_features: pulumi.Input[bool] | None = None
    feature_weights: pulumi.Input[Mapping[str, pulumi.Input[float]]] | None = None
    weight_learning_config: pulumi.Input[WeightLearningConfigArgs | Mapping[str, Any]] | None = None
    output_strategy: pulumi.Input[str] | None = None
    effective_feature_method: pulumi.Input[str] | None = None
    enrich_source: pulumi.Input[bool] | None = None
    # API 1.3.783:
    face_cluster_merge: (
        pulumi.Input[FaceClusterMergeConfigArgs | Mapping[str, Any]] | None
    ) = None
    #: Steps such as ``{"method": "umap", "n_components": 20}`` (tsne, umap, whitening, none).
    preprocessing_steps: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None
    hierarchical: pulumi.Input[bool] | None = None
    max_hierarchy_depth: pulumi.Input[int] | None = None
    vis_n_components: pulumi.Input[int] | None = None
    layout_stability: pulumi.Input[str] | None = None


@dataclasses.dataclass(kw_only=True)
class AttributeConfigArgs:
    """Attribute clustering: the fields to group by (AttributeBasedConfig)."""

    attributes: pulumi.Input[Sequence[pulumi.Input[str]]]
    hierarchical_grouping: pulumi.Input[bool] | None = None
    aggregation_method: pulumi.Input[str] | None = None


@dataclasses.dataclass(kw_only=True)
class InputMappingArgs:
    """One input of the labeling prompt."""

    input_key: pulumi.Input[str]
    source_type: pulumi.Input[str] | None = None
    path: pulumi.Input[str] | None = None
    override: pulumi.Input[Any] | None = None


@dataclasses.dataclass(kw_only=True)
class LabelingInputsArgs:
    """Which document fields are sent to the labeling model."""

    input_mappings: pulumi.Input[Sequence[pulumi.Input[InputMappingArgs | Mapping[str, Any]]]]


@dataclasses.dataclass(kw_only=True)
class LLMLabelingArgs:
    """LLM-generated labels, summaries and keywords (LLMLabelingInput)."""

    enabled: pulumi.Input[bool] | None = None
    labeling_inputs: pulumi.Input[LabelingInputsArgs | Mapping[str, Any]] | None = None
    provider: pulumi.Input[str] | None = None
    model_name: pulumi.Input[str] | None = None
    include_summary: pulumi.Input[bool] | None = None
    include_keywords: pulumi.Input[bool] | None = None
    max_samples_per_cluster: pulumi.Input[int] | None = None
    sample_text_max_length: pulumi.Input[int] | None = None
    sample_selection_strategy: pulumi.Input[str] | None = None  # API 1.3.783
    use_embedding_dedup: pulumi.Input[bool] | None = None
    embedding_similarity_threshold: pulumi.Input[float] | None = None
    cache_ttl_seconds: pulumi.Input[int] | None = None
    labeling_context: pulumi.Input[str] | None = None  # API 1.3.783
    custom_prompt: pulumi.Input[str] | None = None
    response_shape: pulumi.Input[str | Mapping[str, Any]] | None = None
    parameters: pulumi.Input[Mapping[str, Any]] | None = None
    candidate_labels: (  # API 1.3.783
        pulumi.Input[Sequence[pulumi.Input[str]] | Mapping[str, pulumi.Input[str]]] | None
    ) = None


@dataclasses.dataclass(kw_only=True)
class EnrichmentFieldMappingArgs:
    """One cluster field written into each source document."""

    source_field: pulumi.Input[str]
    target_field: pulumi.Input[str]


@dataclasses.dataclass(kw_only=True)
class SourceEnrichmentConfigArgs:
    """Which cluster fields are written back into source documents."""

    field_mappings: (
        pulumi.Input[Sequence[pulumi.Input[EnrichmentFieldMappingArgs | Mapping[str, Any]]]] | None
    ) = None


def to_plain(value: Any) -> Any:
    """Args classes → dicts (unset fields dropped), recursively, through lists, dicts and
    Outputs; every other value (including Outputs of plain values) is left as it is."""
    if isinstance(value, pulumi.Output):
        return value.apply(to_plain)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_plain(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if getattr(value, field.name) is not None
        }
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return value
