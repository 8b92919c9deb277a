"""Wire models both levels share unchanged (SDK 1.3.1 and 1.3.783 agree on their fields,
types, defaults and bounds)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator

from .base import Bool, Int, Request, Response

__all__ = [
    "ENRICHMENT_SOURCE_FIELDS",
    "AttributeBasedConfig",
    "ClusterListStats",
    "ClusterStats",
    "ClusterType",
    "EnrichmentFieldMapping",
    "LogicalOperator",
    "PaginationResponse",
    "SortOption",
    "SourceEnrichmentConfig",
    "TaskResponse",
    "WeightLearningConfig",
]


class ClusterType(StrEnum):
    VECTOR = "vector"
    ATTRIBUTE = "attribute"


class WeightLearningConfig(Request):
    method: Literal["grid_search", "bayesian"] = "bayesian"
    max_iterations: Annotated[Int, Field(ge=5, le=100)] = 20
    metric: Literal["silhouette", "davies_bouldin", "calinski_harabasz"] = "silhouette"
    sample_size: Annotated[Int, Field(ge=100)] | None = None
    random_state: Int = 42


class AttributeBasedConfig(Request):
    attributes: Annotated[list[str], Field(min_length=1)]
    hierarchical_grouping: Bool = False
    #: most_frequent (the server's default), first or last: a rule the description states in
    #: words, checked with the other semantic rules (400).
    aggregation_method: str | None = None


#: The cluster fields a source enrichment can copy (EnrichmentFieldMapping.source_field's
#: description: "Available fields: cluster_id, cluster_label, distance_to_centroid,
#: member_count, keywords, x, y, z ..., metadata.*").
ENRICHMENT_SOURCE_FIELDS: tuple[str, ...] = (
    "cluster_id", "cluster_label", "distance_to_centroid", "member_count", "keywords",
    "x", "y", "z",
)


class EnrichmentFieldMapping(Request):
    source_field: str
    target_field: str

    @field_validator("source_field")
    @classmethod
    def _available(cls, value: str) -> str:
        if value in ENRICHMENT_SOURCE_FIELDS or value.startswith("metadata."):
            return value
        raise ValueError(
            f"must be one of {', '.join(ENRICHMENT_SOURCE_FIELDS)} or metadata.<key>, "
            f"got {value!r}"
        )


class SourceEnrichmentConfig(Request):
    field_mappings: list[EnrichmentFieldMapping] | None = None


class LogicalOperator(Request):
    """LogicalOperatorInput: AND / OR / NOT lists plus shorthand equality keys (additional
    properties are allowed, as the SDK model's additional_properties say)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    and_: list[dict[str, Any]] | None = Field(None, alias="AND")
    or_: list[dict[str, Any]] | None = Field(None, alias="OR")
    not_: list[dict[str, Any]] | None = Field(None, alias="NOT")
    case_sensitive: Bool = False


class SortOption(Request):
    field: str
    direction: Literal["asc", "desc"] | None = None


class ClusterStats(Response):
    num_clusters: int
    noise_points: int | None = None
    silhouette_score: float | None = None
    extra: dict[str, Any] | None = None


class TaskResponse(Response):
    """TaskResponse: the status is written as the run has it (the fault controls can end a
    run with any status, even one no SDK knows)."""

    task_id: str
    task_type: str
    status: str
    inputs: list[Any] | None = None
    outputs: list[Any] | None = None
    additional_data: dict[str, Any] | None = None
    error: str | None = None


class PaginationResponse(Response):
    total: int | None = None
    page: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    next_page: str | None = None
    previous_page: str | None = None
    next_cursor: str | None = None


class ClusterListStats(Response):
    total_clusters: int = 0
    total_documents: int = 0
    avg_documents_per_cluster: float = 0.0
    clusters_by_status: dict[str, int] | None = None
