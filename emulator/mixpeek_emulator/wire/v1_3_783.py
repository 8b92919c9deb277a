"""Wire models of today's level: the Clusters API as mixpeek SDK 1.3.783 publishes it.

Field names, types, defaults, enums and bounds are the SDK's (``mixpeek/models/*.py``);
section 6 of mixpeek-clusters-api.md lists what changed since 1.3.1. Where the SDK types a
field as ``anyOf(SomeParams, object)`` (algorithm parameters) any JSON object is accepted, as
the ``object`` branch does. Defaults are the SDK models' defaults: the server fills them in
(for example ``llm_labeling.use_embedding_dedup`` true, ``sample_selection_strategy``
``"nearest"``, ``vector_config.vis_n_components`` 2).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator

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
    "AGGREGATION_METHODS",
    "MODEL_PROVIDERS",
    "AttributeBasedConfig",
    "ClusterGroup",
    "ClusterGroupsResponse",
    "ClusterListStats",
    "ClusterMetadata",
    "ClusterModel",
    "ClusterStats",
    "ClusterType",
    "ClusteringAlgorithm",
    "CollectionResponse",
    "CreateClusterRequest",
    "EnrichmentFieldMapping",
    "ErrorDetail",
    "ErrorResponse",
    "ExecuteClusterByIdRequest",
    "FaceClusterMergeConfig",
    "FaceClusterMergeOutput",
    "InputMapping",
    "LLMLabelingInput",
    "LLMLabelingOutput",
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
    "TaskStatus",
    "VectorBasedConfig",
    "VectorBasedConfigOutput",
    "WeightLearningConfig",
]


class ClusteringAlgorithm(StrEnum):
    """ClusteringAlgorithm (1.3.783): 1.3.1's plus leiden, evoc and auto."""

    KMEANS = "kmeans"
    DBSCAN = "dbscan"
    HDBSCAN = "hdbscan"
    AGGLOMERATIVE = "agglomerative"
    SPECTRAL = "spectral"
    GAUSSIAN_MIXTURE = "gaussian_mixture"
    MEAN_SHIFT = "mean_shift"
    OPTICS = "optics"
    LEIDEN = "leiden"
    EVOC = "evoc"
    ATTRIBUTE_BASED = "attribute_based"
    AUTO = "auto"


class LLMProvider(StrEnum):
    OPENAI = "openai"
    GOOGLE = "google"
    ANTHROPIC = "anthropic"
    TYPESAFE = "typesafe"


class TaskStatus(StrEnum):
    """TaskStatusEnum (1.3.783)."""

    PENDING = "PENDING"
    QUEUED = "QUEUED"
    IN_PROGRESS = "IN_PROGRESS"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    COMPLETED_WITH_ERRORS = "COMPLETED_WITH_ERRORS"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    INTERRUPTED = "INTERRUPTED"
    UNKNOWN = "UNKNOWN"
    SKIPPED = "SKIPPED"
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    SUSPENDED = "SUSPENDED"
    DEACTIVATED = "DEACTIVATED"


#: ModelName (1.3.783): anyOf OpenAIModel / GoogleModel / AnthropicModel / TypeSafeModel, each
#: model with the provider it belongs to. GoogleModel no longer lists gemini-2.0-flash(-exp).
MODEL_PROVIDERS: dict[str, str] = {
    **dict.fromkeys(
        (
            "gpt-4o-2024-08-06",
            "gpt-4o-mini-2024-07-18",
            "gpt-4.1-2025-04-14",
            "gpt-4.1-mini-2025-04-14",
            "o3-mini-2025-01-31",
        ),
        "openai",
    ),
    **dict.fromkeys(
        (
            "gemini-2.5-flash-lite",
            "gemini-2.5-flash",
            "gemini-2.5-pro",
            "gemini-3.1-flash-lite",
            "gemini-3.5-flash-lite",
        ),
        "google",
    ),
    **dict.fromkeys(
        (
            "claude-sonnet-4-5-20250929",
            "claude-haiku-4-5-20251001",
            "claude-3-5-sonnet-20241022",
            "claude-3-5-haiku-20241022",
        ),
        "anthropic",
    ),
    **dict.fromkeys(("jev-latest", "jev-preview", "jev-1.13.0"), "typesafe"),
}

ModelName = Literal[
    "gpt-4o-2024-08-06",
    "gpt-4o-mini-2024-07-18",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "o3-mini-2025-01-31",
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
]

#: attribute_config.aggregation_method values (AttributeBasedConfig's description).
AGGREGATION_METHODS: tuple[str, ...] = ("most_frequent", "first", "last")

LayoutStability = Literal["none", "transform", "align"]
#: The largest sample_size the 1.3.783 models allow (KMeans/GMM hard max).
MAX_SAMPLE_SIZE = 1_000_000
Unit = Annotated[Float, Field(ge=0.0, le=1.0)]


# -- request bodies --------------------------------------------------------------------
class FaceClusterMergeConfig(Request):
    """The post-HDBSCAN face-identity merge pass (FaceClusterMergeConfig, 1.3.783)."""

    enabled: Bool = True
    centroid_cosine_threshold: Unit = 0.55
    bbox_iou_threshold: Unit = 0.4
    scene_jaccard_threshold: Unit = 0.3
    bbox_field: str = "bbox"
    frame_field: str = "frame_number"
    scene_field: str = "scene_id"


class TSNEParams(Request):
    method: Literal["tsne"]
    n_components: Annotated[Int, Field(ge=2, le=256)] = 2
    random_state: Int = 42
    perplexity: Float = 30.0
    learning_rate: Float = 200.0


class UMAPParams(Request):
    method: Literal["umap"]
    n_components: Annotated[Int, Field(ge=2, le=256)] = 50
    random_state: Int = 42
    n_neighbors: Annotated[Int, Field(ge=2)] = 30
    min_dist: Unit = 0.0
    metric: str = "cosine"


class WhiteningParams(Request):
    method: Literal["whitening"]
    regularization: Annotated[Float, Field(ge=0.0)] = 1.0e-5


class NoReduction(Request):
    method: Literal["none"]


#: One preprocessing step: oneOf TSNEParams / UMAPParams / WhiteningParams / NoReduction. Each
#: has a ``method`` default of its own, so an object without ``method`` would match all four
#: (the oneOf fails): ``method`` picks the step here.
PreprocessingStep = Annotated[
    TSNEParams | UMAPParams | WhiteningParams | NoReduction, Field(discriminator="method")
]


class _VectorSettings(Request):
    """The fields VectorBasedConfigInput and VectorBasedConfigOutput share."""

    feature_uri: str | None = None
    feature_uris: Annotated[list[str], Field(min_length=1)] | None = None
    clustering_method: ClusteringAlgorithm
    sample_size: Annotated[Int, Field(le=MAX_SAMPLE_SIZE)] | None = None
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
    face_cluster_merge: FaceClusterMergeConfig | None = None
    preprocessing_steps: list[PreprocessingStep] | None = None
    hierarchical: Bool = False
    max_hierarchy_depth: Annotated[Int, Field(ge=1, le=5)] = 3
    vis_n_components: Literal[2, 3] = 2
    layout_stability: LayoutStability | None = None

    @field_validator("feature_weights")
    @classmethod
    def _weights(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        for uri, weight in (value or {}).items():
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"the weight of {uri!r} must be between 0 and 1, got {weight}")
        return value


class VectorBasedConfig(_VectorSettings):
    """VectorBasedConfigInput (1.3.783): the shared fields plus three the server parses from
    the feature URI itself (accepted, never shown back)."""

    feature_extractor_name: str | None = None
    version: str | None = None
    output_name: str | None = None


class InputMapping(Request):
    input_key: str
    source_type: Literal["payload", "literal", "vector", "blob"] | None = None
    path: str | None = None
    override: Any = None


class LabelingInputs(Request):
    """LLMLabelingInputInput."""

    input_mappings: Annotated[list[InputMapping], Field(min_length=1)]


class LLMLabelingInput(Request):
    """LLMLabelingInput (1.3.783): max_samples_per_cluster defaults to null (auto-scaled),
    use_embedding_dedup to true, and sample_selection_strategy is new ("nearest")."""

    enabled: Bool = False
    labeling_inputs: LabelingInputs | None = None
    provider: LLMProvider | None = None
    model_name: ModelName | None = None
    include_summary: Bool = True
    include_keywords: Bool = True
    max_samples_per_cluster: Annotated[Int, Field(ge=1, le=20)] | None = None
    sample_text_max_length: Annotated[Int, Field(ge=50, le=500)] = 200
    sample_selection_strategy: Literal["nearest", "representative"] = "nearest"
    use_embedding_dedup: Bool = True
    embedding_similarity_threshold: Annotated[Float, Field(ge=0.5, le=1.0)] = 0.8
    cache_ttl_seconds: Annotated[Int, Field(ge=0, le=2_592_000)] = 604_800
    labeling_context: Annotated[str, Field(max_length=2000)] | None = None
    custom_prompt: str | None = None
    response_shape: str | dict[str, Any] | None = None
    parameters: dict[str, Any] | None = None
    #: A list of labels, or a map of label to its description; up to 255 labels.
    candidate_labels: (
        Annotated[list[str], Field(max_length=255)]
        | Annotated[dict[str, str], Field(max_length=255)]
        | None
    ) = None


class CreateClusterRequest(Request):
    """CreateClusterRequest (1.3.783)."""

    collection_ids: Annotated[list[str], Field(min_length=1)] | None = None
    source_cluster_ids: Annotated[list[str], Field(min_length=1)] | None = None
    cluster_name: str | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None
    cluster_type: ClusterType | None = None
    vector_config: VectorBasedConfig | None = None
    attribute_config: AttributeBasedConfig | None = None
    filters: LogicalOperator | None = None
    llm_labeling: LLMLabelingInput | None = None
    enrich_source_collection: Bool = False
    source_enrichment_config: SourceEnrichmentConfig | None = None
    auto_execute_on_batch: Bool = False
    auto_execute_min_documents: Int | None = None
    auto_execute_cooldown_seconds: Int = 3600


class PatchClusterRequest(Request):
    """PatchClusterRequest (1.3.783): every field optional; null leaves the stored value."""

    cluster_name: str | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None
    llm_labeling: LLMLabelingInput | None = None
    filters: dict[str, Any] | None = None
    face_cluster_merge: FaceClusterMergeConfig | None = None
    sample_size: Annotated[Int, Field(le=MAX_SAMPLE_SIZE)] | None = None
    algorithm_params: dict[str, Any] | None = None
    source_cluster_ids: Annotated[list[str], Field(min_length=1)] | None = None
    layout_stability: LayoutStability | None = None


class ExecuteClusterByIdRequest(Request):
    """The optional body of ``POST /v1/clusters/{cluster_id}/execute``: a mode, and overrides
    for this one run (never stored on the cluster)."""

    mode: Literal["full", "assign", "composite"] = "full"
    source_execution_ids: list[str] | None = None
    assignment_threshold: Unit = 0.5
    filters: LogicalOperator | None = None
    sample_size: Annotated[Int, Field(le=MAX_SAMPLE_SIZE)] | None = None
    vis_n_components: Literal[2, 3] | None = None
    defer_visualization: Bool | None = None
    layout_stability: LayoutStability | None = None
    llm_labeling: LLMLabelingInput | None = None


class ListClustersRequest(Request):
    """ListClustersRequest (1.3.783): body paging wins over the query's."""

    limit: Annotated[Int, Field(ge=1, le=1000)] | None = None
    page_size: Annotated[Int, Field(ge=1, le=1000)] | None = None
    offset: Annotated[Int, Field(ge=0, le=10_000)] | None = None
    page: Annotated[Int, Field(ge=1)] | None = None
    filters: LogicalOperator | None = None
    sort: SortOption | None = None
    sorts: list[dict[str, Any]] | None = None
    search: str | None = None


# -- response bodies -------------------------------------------------------------------
_OUTPUT = ConfigDict(extra="ignore", populate_by_name=True)


class VectorBasedConfigOutput(_VectorSettings):
    """VectorBasedConfigOutput: the stored vector_config as ClusterModel shows it."""

    model_config = _OUTPUT


class LLMLabelingOutput(LLMLabelingInput):
    """LLMLabelingOutput: the stored llm_labeling, every field written (defaults included).
    Provider and model are read as stored (a record written at 1.3.1 may name a model this
    level no longer lists)."""

    model_config = _OUTPUT

    provider: str | None = None  # type: ignore[assignment]
    model_name: str | None = None  # type: ignore[assignment]


class FaceClusterMergeOutput(FaceClusterMergeConfig):
    model_config = _OUTPUT


class ErrorDetail(Response):
    message: str
    type: str
    code: str | None = None
    details: dict[str, Any] | None = None


class ErrorResponse(Response):
    """Every non-2xx response at this level, 422 included (errors.py writes it; this model
    states its shape)."""

    success: bool = False
    status: int
    error: ErrorDetail


class ClusterMetadata(Response):
    """ClusterMetadata (1.3.783): create, get and list."""

    cluster_id: str | None = None
    cluster_name: str
    description: str | None = None
    namespace_id: str
    input_collections: list[str]
    source_cluster_ids: list[str] | None = None
    source_bucket_ids: list[str] | None = None
    filters: dict[str, Any] | None = None
    cluster_type: ClusterType
    feature_uris: list[str] | None = None
    multi_feature_strategy: str | None = None
    learned_weights: dict[str, float] | None = None
    learning_quality_score: float | None = None
    effective_feature_method: str | None = None
    face_cluster_merge: FaceClusterMergeOutput | None = None
    sample_size: int | None = None
    preprocessing_steps: list[dict[str, Any]] | None = None
    hierarchical_vector: bool | None = None
    max_hierarchy_depth: int | None = None
    vis_n_components: int | None = None
    layout_stability: str | None = None
    clustered_attributes: list[str] | None = None
    hierarchical_grouping: bool | None = None
    aggregation_method: str | None = None
    output_collection_ids: list[str] | None = None
    output_collection_names: list[str] | None = None
    algorithm: str | None = None
    algorithm_params: dict[str, Any] | None = None
    enrich_source: bool | None = False
    source_enrichment_config: dict[str, Any] | None = None
    llm_labeling: LLMLabelingOutput | None = None
    num_clusters: int | None = None
    num_documents_clustered: int | None = None
    execution_time_seconds: float | None = None
    quality_metrics: dict[str, Any] | None = None
    hierarchy_detected: bool | None = False
    parent_cluster_id: str | None = None
    child_cluster_ids: list[str] | None = None
    hierarchy_relationships: list[dict[str, Any]] | None = None
    status: str | None = None
    error: str | None = None
    failure_category: str | None = None
    last_execution_task_id: str | None = None
    last_run_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_executed_at: datetime | None = None
    completed_at: datetime | None = None
    llm_labeling_errors: list[str] | None = None
    metadata: dict[str, Any] | None = None


class ClusterModel(Response):
    """ClusterModel (1.3.783): PATCH. The create body echoed plus run fields."""

    collection_ids: list[str] | None = None
    source_cluster_ids: list[str] | None = None
    cluster_name: str | None = None
    description: str | None = None
    metadata: dict[str, Any] | None = None
    cluster_type: str | None = None
    vector_config: VectorBasedConfigOutput | None = None
    attribute_config: dict[str, Any] | None = None
    filters: dict[str, Any] | None = None
    llm_labeling: LLMLabelingOutput | None = None
    enrich_source_collection: bool | None = False
    source_enrichment_config: dict[str, Any] | None = None
    auto_execute_on_batch: bool | None = False
    auto_execute_min_documents: int | None = None
    auto_execute_cooldown_seconds: int | None = 3600
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


class ListClustersResponse(Response):
    results: list[ClusterMetadata]
    pagination: PaginationResponse
    total_count: int
    stats: ClusterListStats | None = None


class ClusterGroup(Response):
    cluster_id: str
    label: str | None = None
    summary: str | None = None
    keywords: list[str] | None = None
    member_count: int


class ClusterGroupsResponse(Response):
    """``GET /v1/clusters/{cluster_id}/groups``: the groups of the latest run."""

    cluster_id: str
    run_id: str | None = None
    total_groups: int
    total_documents: int
    member_counts_stale: bool = False
    groups: list[ClusterGroup]


class CollectionResponse(Response):
    """A minimal CollectionResponse (1.3.783) for a cluster's output collection: its required
    fields (collection_name, feature_extractor, source) and the few this server knows."""

    collection_id: str
    collection_name: str
    description: str | None = None
    feature_extractor: dict[str, Any]
    source: dict[str, Any]
    enabled: bool = True
    metadata: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    lifecycle_state: str = "active"
    document_count: int | None = None
