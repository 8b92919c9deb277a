"""Response bodies of the Clusters API (mixpeek SDK 1.3.1), and what each task status means."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import Field

from ._base import ResponseModel

__all__ = [
    "FAILED_TASK_STATUSES",
    "RUNNING_TASK_STATUSES",
    "TASK_STATUS_CLASSES",
    "ClusterGroup",
    "ClusterGroupsResponse",
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
    "TaskStatusClass",
    "ValidationErrorItem",
    "HTTPValidationError",
    "task_status_class",
]


class TaskStatus(StrEnum):
    """Status of a task (a clustering run): the TaskStatusEnum of SDK 1.3.1, plus QUEUED and
    INTERRUPTED (SDK 1.3.2) and DEACTIVATED (by SDK 1.3.400). A response may carry any other
    value: it is read as it is, and the provider reports it by name as a status it does not
    know."""

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
    QUEUED = "QUEUED"
    INTERRUPTED = "INTERRUPTED"
    DEACTIVATED = "DEACTIVATED"

    @classmethod
    def _missing_(cls, value: object) -> TaskStatus | None:
        """Any other text: a member of its own, not one of the declared ones (so reading
        never fails on a status newer than this provider; ``task_status_class`` gives it
        no class)."""
        if not isinstance(value, str) or not value:
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class TaskStatusClass(StrEnum):
    """What a task status says about a run."""

    RUNNING = "running"  # still going: followed (polled), never started a second time
    SUCCEEDED = "succeeded"
    SUCCEEDED_WITH_ERRORS = "succeeded with errors"  # results written, some parts failed
    FAILED = "failed"  # ended without (new) results: reported, fails a create


#: The one declaration of what each status means, for every status the API can report.
#: The 1.3.1 SDK names only PENDING, IN_PROGRESS and PROCESSING as running and COMPLETED,
#: COMPLETED_WITH_ERRORS, FAILED and CANCELED as terminal. The other six are read the way
#: safest for the user's data: a run the provider cannot see completing is never reported
#: as a success, and never waited on until the timeout (whose error says the next ``up``
#: follows the run, which it only does for a running one):
#: - SKIPPED: the run was skipped and did nothing -> failed, so the user sees it instead of
#:   a success over the previous results;
#: - UNKNOWN: the server could not tell -> failed: reported by name at once, never polled;
#: - DRAFT: not submitted, nothing will run it -> failed (waiting could only time out);
#: - ACTIVE, ARCHIVED, SUSPENDED: lifecycle statuses of entities (buckets, collections,
#:   namespaces), not of a run in progress -> failed. (A SUSPENDED run that resumes later is
#:   seen by ``pulumi refresh``; the next ``up`` after the failure starts a new run.)
#: Newer APIs: QUEUED (waiting for a worker) -> running; INTERRUPTED and DEACTIVATED -> failed.
#: A status outside this table is not known (``task_status_class`` gives None): the wait
#: stops at once and names it.
TASK_STATUS_CLASSES: Mapping[TaskStatus, TaskStatusClass] = MappingProxyType(
    {
        TaskStatus.PENDING: TaskStatusClass.RUNNING,
        TaskStatus.IN_PROGRESS: TaskStatusClass.RUNNING,
        TaskStatus.PROCESSING: TaskStatusClass.RUNNING,
        TaskStatus.QUEUED: TaskStatusClass.RUNNING,
        TaskStatus.COMPLETED: TaskStatusClass.SUCCEEDED,
        TaskStatus.COMPLETED_WITH_ERRORS: TaskStatusClass.SUCCEEDED_WITH_ERRORS,
        TaskStatus.FAILED: TaskStatusClass.FAILED,
        TaskStatus.CANCELED: TaskStatusClass.FAILED,
        TaskStatus.INTERRUPTED: TaskStatusClass.FAILED,
        TaskStatus.DEACTIVATED: TaskStatusClass.FAILED,
        TaskStatus.SKIPPED: TaskStatusClass.FAILED,
        TaskStatus.UNKNOWN: TaskStatusClass.FAILED,
        TaskStatus.DRAFT: TaskStatusClass.FAILED,
        TaskStatus.ACTIVE: TaskStatusClass.FAILED,
        TaskStatus.ARCHIVED: TaskStatusClass.FAILED,
        TaskStatus.SUSPENDED: TaskStatusClass.FAILED,
    }
)


def task_status_class(status: str | None) -> TaskStatusClass | None:
    """The class of ``status`` (a TaskStatus or its text); None for a status not known."""
    return TASK_STATUS_CLASSES.get(TaskStatus(status)) if status else None


def _statuses(status_class: TaskStatusClass) -> frozenset[TaskStatus]:
    return frozenset(s for s, c in TASK_STATUS_CLASSES.items() if c is status_class)


#: Statuses of a run that is still going (an ``up`` follows it instead of starting one).
RUNNING_TASK_STATUSES = _statuses(TaskStatusClass.RUNNING)
#: Statuses of a run that ended without (new) results: a create fails with the task's error.
FAILED_TASK_STATUSES = _statuses(TaskStatusClass.FAILED)


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
    description: str | None = Field(
        None, description="Description (returned from API 1.3.783; 1.3.1 does not read it)."
    )


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


class ClusterGroup(ResponseModel):
    """One group (cluster) found by a cluster's last run."""

    cluster_id: str = Field(..., description="Group id within the run (e.g. `cl_0`).")
    label: str | None = Field(None, description="Label (LLM labeling, or Cluster N).")
    summary: str | None = Field(None, description="Summary of the group (LLM labeling).")
    keywords: list[str] | None = Field(None, description="Keywords (LLM labeling).")
    member_count: int = Field(..., description="Documents in the group.")


class ClusterGroupsResponse(ResponseModel):
    """The groups of a cluster's last run (``GET /v1/clusters/{cluster_id}/groups``, API
    1.3.2 onwards)."""

    cluster_id: str = Field(..., description="The cluster (`clust_...`).")
    run_id: str | None = Field(None, description="The run the groups come from.")
    total_groups: int = Field(..., description="Number of groups.")
    total_documents: int = Field(..., description="Documents in all groups.")
    member_counts_stale: bool | None = Field(
        False,
        description="Documents were deleted since the run, so member counts include some "
        "that no longer exist; run the cluster again for current counts.",
    )
    groups: list[ClusterGroup] = Field(..., description="Every group of the run.")


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
