"""Wire models of the seed level: the Clusters API as mixpeek SDK 1.3.1 publishes it.

Field names, types, defaults, enums and bounds are the SDK's (``mixpeek/models/*.py`` of
1.3.1; mixpeek-clusters-api.md sections 2 and 3). Where the SDK types a field as
``anyOf(SomeParams, object)`` (algorithm parameters) any JSON object is accepted, as the
``object`` branch does. The defaults are the SDK's, so a stored body reads back with them
(e.g. ``llm_labeling.max_samples_per_cluster`` 10, ``use_embedding_dedup`` false).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from .base import Bool, Float, Int, Request, Response
from .common import (
    AttributeBasedConfig,
    ClusterListStats,
    ClusterStats,
    ClusterType,
    EnrichmentFieldMapping,
    LogicalOperator,
    PaginationResponse,
    SortOption,
    SourceEnrichmentConfig,
    TaskResponse,
    WeightLearningConfig,
)

__all__ = [
    "ApplyClusterEnrichmentRequest",
    "AttributeBasedConfig",
    "ClusterListStats",
    "ClusterMetadata",
    "ClusterModel",
    "ClusterStats",
    "ClusterType",
    "ClusteringAlgorithm",
    "ClusteringEnrichmentResponse",
    "CreateClusterRequest",
    "EnrichmentFieldMapping",
    "InputMapping",
    "LLMLabelingInput",
    "LLMProvider",
    "LabelingInputs",
    "ListClustersRequest",
    "ListClustersResponse",
    "LogicalOperator",
    "PaginationResponse",
    "PatchClusterRequest",
    "SortOption",
    "SourceEnrichmentConfig",
    "TaskResponse",
    "VectorBasedConfig",
    "WeightLearningConfig",
]


class ClusteringAlgorithm(StrEnum):
    """ClusteringAlgorithm (1.3.1)."""

    KMEANS = "kmeans"
    DBSCAN = "dbscan"
    HDBSCAN = "hdbscan"
    AGGLOMERATIVE = "agglomerative"
    SPECTRAL = "spectral"
    GAUSSIAN_MIXTURE = "gaussian_mixture"
    MEAN_SHIFT = "mean_shift"
    OPTICS = "optics"
    ATTRIBUTE_BASED = "attribute_based"


class LLMProvider(StrEnum):
    OPENAI = "openai"
    GOOGLE = "google"
    ANTHROPIC = "anthropic"


#: ModelName (1.3.1): anyOf OpenAIModel / GoogleModel / AnthropicModel.
ModelName = Literal[
    "gpt-4o-2024-08-06",
    "gpt-4o-mini-2024-07-18",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "o3-mini-2025-01-31",
    "gemini-2.0-flash",
    "gemini-2.0-flash-exp",
    "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-20241022",
]


# -- request bodies --------------------------------------------------------------------
class VectorBasedConfig(Request):
    """VectorBasedConfigInput (1.3.1)."""

    feature_uri: str | None = None
    feature_uris: Annotated[list[str], Field(min_length=1)] | None = None
    feature_extractor_name: str | None = None
    version: str | None = None
    output_name: str | None = None
    clustering_method: ClusteringAlgorithm
    sample_size: Int | None = None
    kmeans_parameters: dict[str, Any] | None = None
    dbscan_parameters: dict[str, Any] | None = None
    hdbscan_parameters: dict[str, Any] | None = None
    algorithm_params: dict[str, Any] | None = None
    multi_feature_strategy: Literal["concatenate", "independent", "weighted"] = "concatenate"
    normalize_features: Bool = True
    feature_weights: dict[str, Float] | None = None
    weight_learning_config: WeightLearningConfig | None = None
    output_strategy: Literal["single", "per_feature"] = "single"
    effective_feature_method: Literal["mean", "median", "medoid"] = "mean"
    enrich_source: Bool = False

    @field_validator("feature_weights")
    @classmethod
    def _weights(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        # "Optional per-feature weights (0.0-1.0)": a rule the description states in words.
        for uri, weight in (value or {}).items():
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"the weight of {uri!r} must be between 0 and 1, got {weight}")
        return value


class InputMapping(Request):
    input_key: str
    source_type: Literal["payload", "literal", "vector"] | None = None
    path: str | None = None
    override: Any = None


class LabelingInputs(Request):
    """LLMLabelingInputInput."""

    input_mappings: Annotated[list[InputMapping], Field(min_length=1)]


class LLMLabelingInput(Request):
    """LLMLabelingInput (1.3.1)."""

    enabled: Bool = False
    labeling_inputs: LabelingInputs | None = None
    provider: LLMProvider | None = None
    model_name: ModelName | None = None
    include_summary: Bool = True
    include_keywords: Bool = True
    max_samples_per_cluster: Annotated[Int, Field(ge=1, le=20)] = 10
    sample_text_max_length: Annotated[Int, Field(ge=50, le=500)] = 200
    use_embedding_dedup: Bool = False
    embedding_similarity_threshold: Annotated[Float, Field(ge=0.5, le=1.0)] = 0.8
    cache_ttl_seconds: Annotated[Int, Field(ge=0, le=2_592_000)] = 604_800
    custom_prompt: str | None = None
    response_shape: str | dict[str, Any] | None = None
    parameters: dict[str, Any] | None = None


class CreateClusterRequest(Request):
    """CreateClusterRequest (1.3.1): no description or metadata at create."""

    collection_ids: Annotated[list[str], Field(min_length=1)]
    cluster_name: str | None = None
    cluster_type: ClusterType | None = None
    vector_config: VectorBasedConfig | None = None
    attribute_config: AttributeBasedConfig | None = None
    filters: LogicalOperator | None = None
    llm_labeling: LLMLabelingInput | None = None
    enrich_source_collection: Bool = False
    source_enrichment_config: SourceEnrichmentConfig | None = None


class PatchClusterRequest(Request):
    """PatchClusterRequest (1.3.1): the three mutable fields."""

    cluster_name: str | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None


class ListClustersRequest(Request):
    filters: LogicalOperator | None = None
    sort: SortOption | None = None
    search: str | None = None


class ApplyClusterEnrichmentRequest(Request):
    """Body of ``POST /v1/clusters/enrich`` (gone by 1.3.783)."""

    clustering_ids: list[str]
    source_collection_id: str
    target_collection_id: str | None = None
    batch_size: Annotated[Int, Field(ge=1)] = 1000
    parallelism: Annotated[Int, Field(ge=1)] = 1


# -- response bodies -------------------------------------------------------------------
class ClusterMetadata(Response):
    """ClusterMetadata (1.3.1): create, get and list."""

    cluster_id: str | None = None
    cluster_name: str
    namespace_id: str
    input_collections: list[str]
    source_bucket_ids: list[str] | None = None
    filters: dict[str, Any] | None = None
    cluster_type: str
    feature_uris: list[str] | None = None
    multi_feature_strategy: str | None = None
    learned_weights: dict[str, float] | None = None
    learning_quality_score: float | None = None
    effective_feature_method: str | None = None
    clustered_attributes: list[str] | None = None
    hierarchical_grouping: bool | None = None
    aggregation_method: str | None = None
    output_collection_ids: list[str] | None = None
    output_collection_names: list[str] | None = None
    algorithm: str | None = None
    algorithm_params: dict[str, Any] | None = None
    enrich_source: bool | None = False
    source_enrichment_config: dict[str, Any] | None = None
    llm_labeling: dict[str, Any] | None = None
    num_clusters: int | None = None
    num_documents_clustered: int | None = None
    execution_time_seconds: float | None = None
    hierarchy_detected: bool | None = False
    parent_cluster_id: str | None = None
    child_cluster_ids: list[str] | None = None
    hierarchy_relationships: list[dict[str, Any]] | None = None
    status: str | None = None
    last_execution_task_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_executed_at: datetime | None = None
    completed_at: datetime | None = None
    llm_labeling_errors: list[str] | None = None
    metadata: dict[str, Any] | None = None


class ClusterModel(Response):
    """ClusterModel (1.3.1): PATCH. The create body echoed plus run fields."""

    collection_ids: list[str] | None = None
    cluster_name: str | None = None
    cluster_type: str | None = None
    vector_config: dict[str, Any] | None = None
    attribute_config: dict[str, Any] | None = None
    filters: dict[str, Any] | None = None
    llm_labeling: dict[str, Any] | None = None
    enrich_source_collection: bool | None = False
    source_enrichment_config: dict[str, Any] | None = None
    cluster_id: str | None = None
    parquet_path: str | None = None
    members_key: str | None = None
    num_clusters: int | None = None
    cluster_stats: ClusterStats | None = None
    status: str | None = None
    task_id: str | None = None
    last_run_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    metadata: dict[str, Any] | None = None


class ListClustersResponse(Response):
    results: list[ClusterMetadata]
    pagination: PaginationResponse
    total_count: int
    stats: ClusterListStats | None = None


class ClusteringEnrichmentResponse(Response):
    processed: int
    enriched: int
    failed: int
    batches: int
