"""The nested configuration models of CreateClusterRequest (mixpeek SDK 1.3.1).

Field names, defaults, enums and bounds follow ``mixpeek-clusters-api.md`` section 2.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import ConfigDict, Field, field_validator

from ._base import INTERNAL, RequestModel

__all__ = [
    "AGGREGATION_METHODS",
    "AttributeBasedConfig",
    "ClusterType",
    "ClusteringAlgorithm",
    "EnrichmentFieldMapping",
    "FEATURE_URI",
    "InputMapping",
    "LLMLabelingInput",
    "LLMProvider",
    "LabelingInputs",
    "LogicalOperator",
    "MODEL_NAMES",
    "MODEL_PROVIDERS",
    "SourceEnrichmentConfig",
    "VectorBasedConfig",
    "WeightLearningConfig",
]


class ClusterType(StrEnum):
    VECTOR = "vector"
    ATTRIBUTE = "attribute"


class ClusteringAlgorithm(StrEnum):
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

#: ModelName in 1.3.1: anyOf OpenAIModel / GoogleModel / AnthropicModel.
MODEL_NAMES: tuple[str, ...] = get_args(ModelName)

#: The provider each model belongs to (the order of ModelName: 5 OpenAI, 2 Google, the rest
#: Anthropic); a declared provider must match the model's.
MODEL_PROVIDERS: dict[str, str] = {
    **{name: "openai" for name in MODEL_NAMES[:5]},
    **{name: "google" for name in MODEL_NAMES[5:7]},
    **{name: "anthropic" for name in MODEL_NAMES[7:]},
}

#: A feature URI: ``mixpeek://{extractor}@{version}/{output}``.
FEATURE_URI = re.compile(r"^mixpeek://(?P<extractor>[^@/\s]+)@(?P<version>[^/\s]+)/(?P<output>\S+)$")

#: attribute_config.aggregation_method values the API accepts (most_frequent is its default).
AGGREGATION_METHODS: tuple[str, ...] = ("most_frequent", "first", "last")


class WeightLearningConfig(RequestModel):
    """How per-feature weights are learned when multi_feature_strategy is weighted."""

    method: Literal["bayesian", "grid_search"] = Field(
        "bayesian", description="Search method for the weights."
    )
    max_iterations: int = Field(20, ge=5, le=100, description="Optimisation iterations (5-100).")
    metric: Literal["silhouette", "davies_bouldin", "calinski_harabasz"] = Field(
        "silhouette", description="Cluster quality metric to optimise."
    )
    sample_size: int | None = Field(
        None, ge=100, description="Documents sampled for weight learning (at least 100)."
    )
    random_state: int = Field(42, description="Random seed for reproducible learning.")


class VectorBasedConfig(RequestModel):
    """Vector clustering: which feature embeddings to cluster and with which algorithm."""

    feature_uri: str | None = Field(
        None, description="DEPRECATED single feature URI; use feature_uris."
    )
    feature_uris: list[str] | None = Field(
        None,
        min_length=1,
        description="Feature URIs (mixpeek://{extractor}@{version}/{output}) to cluster on.",
    )
    feature_extractor_name: str | None = Field(
        None,
        description="Internal: parsed from the feature URI by the server.",
        json_schema_extra=INTERNAL,
    )
    version: str | None = Field(
        None,
        description="Internal: parsed from the feature URI by the server.",
        json_schema_extra=INTERNAL,
    )
    output_name: str | None = Field(
        None,
        description="Internal: parsed from the feature URI by the server.",
        json_schema_extra=INTERNAL,
    )
    clustering_method: ClusteringAlgorithm = Field(..., description="Clustering algorithm.")
    sample_size: int | None = Field(None, description="Number of documents to sample.")
    kmeans_parameters: dict[str, Any] | None = Field(
        None, description="DEPRECATED: use algorithm_params."
    )
    dbscan_parameters: dict[str, Any] | None = Field(
        None, description="DEPRECATED: use algorithm_params."
    )
    hdbscan_parameters: dict[str, Any] | None = Field(
        None, description="DEPRECATED: use algorithm_params."
    )
    algorithm_params: dict[str, Any] | None = Field(
        None, description="Algorithm parameters (sklearn-style names), sent verbatim."
    )
    multi_feature_strategy: Literal["concatenate", "independent", "weighted"] = Field(
        "concatenate", description="How several features are combined."
    )
    normalize_features: bool = Field(
        True, description="L2-normalise each feature block (concatenate only)."
    )
    feature_weights: dict[str, float] | None = Field(
        None, description="Per-feature-URI weights from 0 to 1 (weighted strategy)."
    )
    weight_learning_config: WeightLearningConfig | None = Field(
        None, description="How weights are learned when none are given."
    )
    output_strategy: Literal["single", "per_feature"] = Field(
        "single", description="One output collection, or one per feature."
    )
    effective_feature_method: Literal["mean", "median", "medoid"] = Field(
        "mean", description="How cluster centroids are computed."
    )
    enrich_source: bool = Field(
        False, description="Legacy: enrich source documents with their cluster_id."
    )

    @field_validator("feature_weights")
    @classmethod
    def _weights_in_range(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        for uri, weight in (value or {}).items():
            if not 0.0 <= weight <= 1.0:
                raise ValueError(f"weight for {uri!r} must be between 0 and 1, got {weight}")
        return value


class AttributeBasedConfig(RequestModel):
    """Attribute clustering: group documents by the values of fields."""

    attributes: list[str] = Field(
        ...,
        min_length=1,
        description="Fields to group by (dot paths allowed); the order sets hierarchy levels.",
    )
    hierarchical_grouping: bool = Field(
        False, description="Build parent/child clusters instead of flat A_B clusters."
    )
    aggregation_method: str | None = Field(
        None, description="most_frequent (server default), first or last."
    )


class InputMapping(RequestModel):
    """One input of the LLM labeling prompt."""

    input_key: str = Field(..., description="Name of the input in the prompt.")
    source_type: Literal["payload", "literal", "vector"] | None = Field(
        None, description="Where the value comes from."
    )
    path: str | None = Field(None, description="Dot path into the document.")
    override: Any = Field(None, description="Literal value used when source_type is literal.")


class LabelingInputs(RequestModel):
    """Which document fields are sent to the labeling model."""

    input_mappings: list[InputMapping] = Field(
        ..., min_length=1, description="Prompt inputs and where their values come from."
    )


class LLMLabelingInput(RequestModel):
    """Optional LLM-generated labels, summaries and keywords for clusters."""

    enabled: bool = Field(False, description="Turn LLM labels on.")
    labeling_inputs: LabelingInputs | None = Field(
        None, description="Prompt inputs; the whole payload is sent when omitted."
    )
    provider: LLMProvider | None = Field(
        None, description="LLM provider; inferred from model_name when omitted."
    )
    model_name: ModelName | None = Field(None, description="Model used for labeling.")
    include_summary: bool = Field(True, description="Generate a summary per cluster.")
    include_keywords: bool = Field(True, description="Generate keywords per cluster.")
    max_samples_per_cluster: int = Field(
        10, ge=1, le=20, description="Documents sampled per cluster (1-20)."
    )
    sample_text_max_length: int = Field(
        200, ge=50, le=500, description="Characters kept per sample (50-500)."
    )
    use_embedding_dedup: bool = Field(False, description="Deduplicate samples by embedding.")
    embedding_similarity_threshold: float = Field(
        0.8, ge=0.5, le=1.0, description="Similarity above which samples are duplicates."
    )
    cache_ttl_seconds: int = Field(
        604800, ge=0, le=2592000, description="Label cache lifetime; 0 disables the cache."
    )
    custom_prompt: str | None = Field(None, description="Replaces the default prompt.")
    response_shape: str | dict[str, Any] | None = Field(
        None, description="Natural-language description or JSON schema of the response."
    )
    parameters: dict[str, Any] | None = Field(
        None, description="Provider-specific parameters (temperature, ...)."
    )


ENRICHMENT_SOURCE_FIELDS: tuple[str, ...] = (
    "cluster_id",
    "cluster_label",
    "distance_to_centroid",
    "member_count",
    "keywords",
    "x",
    "y",
    "z",
)


class EnrichmentFieldMapping(RequestModel):
    """One cluster field written into each source document."""

    source_field: str = Field(
        ...,
        description=(
            "Cluster field to copy: cluster_id, cluster_label, distance_to_centroid, "
            "member_count, keywords, x, y, z or metadata.*."
        ),
    )
    target_field: str = Field(..., description="Field name written into the document.")

    @field_validator("source_field")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if value in ENRICHMENT_SOURCE_FIELDS or value.startswith("metadata."):
            return value
        allowed = ", ".join(ENRICHMENT_SOURCE_FIELDS)
        raise ValueError(f"must be one of {allowed} or metadata.<key>, got {value!r}")


class SourceEnrichmentConfig(RequestModel):
    """Which cluster fields are written back into the source documents."""

    field_mappings: list[EnrichmentFieldMapping] | None = Field(
        None, description="Fields to write; the server maps cluster_id and cluster_label."
    )


class LogicalOperator(RequestModel):
    """A document pre-filter: AND / OR / NOT lists of conditions or nested operators.

    Additional keys are allowed (shorthand equality such as ``{"metadata.title": "x"}``).
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    and_: list[dict[str, Any]] | None = Field(None, alias="AND", description="All must match.")
    or_: list[dict[str, Any]] | None = Field(None, alias="OR", description="Any must match.")
    not_: list[dict[str, Any]] | None = Field(None, alias="NOT", description="None may match.")
    case_sensitive: bool = Field(False, description="Compare strings case-sensitively.")
