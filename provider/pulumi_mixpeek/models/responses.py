"""Response bodies of the Clusters API (mixpeek SDK 1.3.1)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ._base import ResponseModel

__all__ = [
    "TERMINAL_TASK_STATUSES",
    "ClusterListStats",
    "ClusterMetadata",
    "ClusterModel",
    "ClusterStats",
    "ClusteringEnrichmentResponse",
    "ErrorDetail",
    "ErrorResponse",
    "ListClustersResponse",
    "PaginationResponse",
    "TaskResponse",
    "TaskStatus",
    "ValidationErrorItem",
    "HTTPValidationError",
]


class TaskStatus(StrEnum):
    """TaskStatusEnum of 1.3.1. The SDK rejects any other value in a response."""

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    COMPLETED_WITH_ERRORS = "COMPLETED_WITH_ERRORS"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    UNKNOWN = "UNKNOWN"
    SKIPPED = "SKIPPED"
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    SUSPENDED = "SUSPENDED"


TERMINAL_TASK_STATUSES = frozenset(
    {
        TaskStatus.COMPLETED,
        TaskStatus.COMPLETED_WITH_ERRORS,
        TaskStatus.FAILED,
        TaskStatus.CANCELED,
    }
)


class ClusterMetadata(ResponseModel):
    """A cluster as returned by create, get and list (flattened configuration)."""

    cluster_id: str | None = Field(None, description="Cluster ID (clust_...).")
    cluster_name: str = Field(..., description="Cluster name, unique in the namespace.")
    namespace_id: str = Field(..., description="Namespace the cluster belongs to.")
    input_collections: list[str] = Field(..., description="Source collection IDs.")
    source_bucket_ids: list[str] | None = Field(
        None, description="Buckets the input collections came from."
    )
    filters: dict[str, Any] | None = Field(None, description="Pre-filter, as raw JSON.")
    cluster_type: str = Field(..., description="vector or attribute.")
    feature_uris: list[str] | None = Field(None, description="Clustered feature URIs (vector).")
    multi_feature_strategy: str | None = Field(
        None, description="How several features are combined (vector)."
    )
    learned_weights: dict[str, float] | None = Field(
        None, description="Learned feature weights (weighted strategy, after a run)."
    )
    learning_quality_score: float | None = Field(
        None, description="Quality score of the learned weights."
    )
    effective_feature_method: str | None = Field(
        None, description="How centroids are computed (vector)."
    )
    clustered_attributes: list[str] | None = Field(
        None, description="Clustered attribute fields (attribute)."
    )
    hierarchical_grouping: bool | None = Field(
        None, description="Whether hierarchical grouping is used (attribute)."
    )
    aggregation_method: str | None = Field(
        None, description="Attribute aggregation method (attribute)."
    )
    output_collection_ids: list[str] | None = Field(
        None, description="Collections holding the cluster documents."
    )
    output_collection_names: list[str] | None = Field(
        None, description="Names of the output collections."
    )
    algorithm: str | None = Field(None, description="Clustering algorithm.")
    algorithm_params: dict[str, Any] | None = Field(None, description="Algorithm parameters.")
    enrich_source: bool | None = Field(
        False, description="Whether results are written into the source collections."
    )
    source_enrichment_config: dict[str, Any] | None = Field(
        None, description="Fields written back into source documents."
    )
    llm_labeling: dict[str, Any] | None = Field(None, description="LLM labeling configuration.")
    num_clusters: int | None = Field(None, description="Clusters found by the last run.")
    num_documents_clustered: int | None = Field(
        None, description="Documents processed by the last run."
    )
    execution_time_seconds: float | None = Field(None, description="Duration of the last run.")
    hierarchy_detected: bool | None = Field(False, description="Whether a hierarchy was found.")
    parent_cluster_id: str | None = Field(None, description="Parent, for child clusters.")
    child_cluster_ids: list[str] | None = Field(None, description="Children, for parents.")
    hierarchy_relationships: list[dict[str, Any]] | None = Field(
        None, description="Parent-child relationships."
    )
    status: TaskStatus | None = Field(None, description="Status of the last clustering run.")
    last_execution_task_id: str | None = Field(None, description="Task of the last run.")
    created_at: datetime | None = Field(None, description="Creation time.")
    updated_at: datetime | None = Field(None, description="Last update time.")
    last_executed_at: datetime | None = Field(None, description="Last run start time.")
    completed_at: datetime | None = Field(None, description="Last successful completion time.")
    llm_labeling_errors: list[str] | None = Field(None, description="LLM labeling failures.")
    metadata: dict[str, Any] | None = Field(None, description="User metadata.")


class ClusterStats(ResponseModel):
    num_clusters: int
    noise_points: int | None = None
    silhouette_score: float | None = None
    extra: dict[str, Any] | None = None


class ClusterModel(ResponseModel):
    """A cluster as returned by PATCH: the create request echoed plus run fields."""

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
    status: TaskStatus | None = None
    task_id: str | None = None
    last_run_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    metadata: dict[str, Any] | None = None


class TaskResponse(ResponseModel):
    """An asynchronous task (a clustering run)."""

    task_id: str
    task_type: str
    status: TaskStatus
    inputs: list[Any] | None = None
    outputs: list[Any] | None = None
    additional_data: dict[str, Any] | None = None
    error: str | None = None


class PaginationResponse(ResponseModel):
    total: int | None = None
    page: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    next_page: str | None = None
    previous_page: str | None = None
    next_cursor: str | None = None


class ClusterListStats(ResponseModel):
    total_clusters: int = 0
    total_documents: int = 0
    avg_documents_per_cluster: float = 0.0
    clusters_by_status: dict[str, int] | None = None


class ListClustersResponse(ResponseModel):
    results: list[ClusterMetadata]
    pagination: PaginationResponse
    total_count: int
    stats: ClusterListStats | None = None


class ClusteringEnrichmentResponse(ResponseModel):
    """The counts of an applied enrichment (``POST /v1/clusters/enrich``)."""

    processed: int = Field(..., description="Documents processed.")
    enriched: int = Field(..., description="Documents enriched with cluster fields.")
    failed: int = Field(..., description="Documents that failed.")
    batches: int = Field(..., description="Batches sent.")


class ErrorDetail(ResponseModel):
    message: str
    type: str
    details: dict[str, Any] | None = None


class ErrorResponse(ResponseModel):
    """Body of every 400/401/403/404/500 response."""

    success: bool = False
    status: int
    error: ErrorDetail


class ValidationErrorItem(ResponseModel):
    loc: list[str | int]
    msg: str
    type: str


class HTTPValidationError(ResponseModel):
    """Body of a 422 response (FastAPI's shape)."""

    detail: list[ValidationErrorItem] | None = None
