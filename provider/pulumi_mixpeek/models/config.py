"""The nested configuration models of CreateClusterRequest: the union of the API levels'
(``levels.py``), mixpeek SDK 1.3.1 and 1.3.783.

Field names, defaults, enums and bounds follow ``mixpeek-clusters-api.md`` section 2 (1.3.1)
and the SDK 1.3.783's models (section 6). Each model takes every field and value of either
level; which of them a level has is declared once, as data, in ``levels.py``, and check
refuses what the chosen level lacks (``validation.py``). A field newer than 1.3.1 defaults to
None here, so a body built from these models never carries it unless it was declared; its
server default is stated in its description and in ``levels.py``. Where the two levels'
defaults differ (``llm_labeling.use_embedding_dedup``, ``max_samples_per_cluster``), the
default here is 1.3.1's and ``levels.py`` says today's.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator

from ._base import INTERNAL, RequestModel

__all__ = [
    "AGGREGATION_METHODS",
    "AttributeBasedConfig",
    "ClusterType",
    "ClusteringAlgorithm",
    "EnrichmentFieldMapping",
    "FEATURE_URI",
    "FaceClusterMergeConfig",
    "InputMapping",
    "LLMLabelingInput",
    "LLMProvider",
    "LabelingInputs",
    "LogicalOperator",
    "MODEL_NAMES",
    "MODEL_PROVIDERS",
    "NoReduction",
    "PreprocessingStep",
    "SourceEnrichmentConfig",
    "TSNEParams",
    "UMAPParams",
    "VectorBasedConfig",
    "WeightLearningConfig",
    "WhiteningParams",
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
    # API 1.3.783 (``levels.py``): community detection on a kNN graph, Embedding Vector
    # Oriented Clustering, and the server's choice.
    LEIDEN = "leiden"
    EVOC = "evoc"
    AUTO = "auto"


class LLMProvider(StrEnum):
    OPENAI = "openai"
    GOOGLE = "google"
    ANTHROPIC = "anthropic"
    TYPESAFE = "typesafe"  # API 1.3.783: Jev, picks each label from candidate_labels


#: The models of each provider, every level's (``levels.py`` says which a level offers):
#: 1.3.1's OpenAIModel, GoogleModel and AnthropicModel, and 1.3.783's, which drops
#: gemini-2.0-flash and gemini-2.0-flash-exp, lists Gemini 2.5 and 3.x, adds two Anthropic
#: models and TypeSafeModel (Jev).
PROVIDER_MODELS: dict[str, tuple[str, ...]] = {
    "openai": (
        "gpt-4o-2024-08-06",
        "gpt-4o-mini-2024-07-18",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "o3-mini-2025-01-31",
    ),
    "google": (
        "gemini-2.0-flash",
        "gemini-2.0-flash-exp",
        "gemini-2.5-flash-lite",
        "gemini-2.5-flash",
        "gemini-2.5-pro",
        "gemini-3.1-flash-lite",
        "gemini-3.5-flash-lite",
    ),
    "anthropic": (
        "claude-3-5-sonnet-20241022",
        "claude-3-5-haiku-20241022",
        "claude-sonnet-4-5-20250929",
        "claude-haiku-4-5-20251001",
    ),
    "typesafe": ("jev-latest", "jev-preview", "jev-1.13.0"),
}

ModelName = Literal[
    "gpt-4o-2024-08-06",
    "gpt-4o-mini-2024-07-18",
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "o3-mini-2025-01-31",
    "gemini-2.0-flash",
    "gemini-2.0-flash-exp",
    "gemini-2.5-flash-lite",
    "gemini-2.5-flash",
    "gemini-2.5-pro",
    "gemini-3.1-flash-lite",
    "gemini-3.5-flash-lite",
    "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-20241022",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "jev-latest",
    "jev-preview",
    "jev-1.13.0",
]

#: Every model name of every level (ModelName: anyOf the providers' model enums).
MODEL_NAMES: tuple[str, ...] = get_args(ModelName)

#: The provider each model belongs to; a declared provider must match the model's.
MODEL_PROVIDERS: dict[str, str] = {
    name: provider for provider, names in PROVIDER_MODELS.items() for name in names
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


class FaceClusterMergeConfig(RequestModel):
    """API 1.3.783: merge over-split face identity clusters after HDBSCAN. Two clusters merge
    when their centroids' cosine reaches the threshold and one spatial signal (bbox IoU on
    overlapping frames, or scene Jaccard) clears its own."""

    enabled: bool = Field(True, description="Run the merge pass; false turns it off.")
    centroid_cosine_threshold: float = Field(
        0.55, ge=0.0, le=1.0, description="Minimum centroid cosine similarity (0-1)."
    )
    bbox_iou_threshold: float = Field(
        0.4, ge=0.0, le=1.0, description="Minimum bbox IoU on overlapping frames (0-1)."
    )
    scene_jaccard_threshold: float = Field(
        0.3, ge=0.0, le=1.0, description="Minimum Jaccard similarity of scene ids (0-1)."
    )
    bbox_field: str = Field("bbox", description="Payload field holding the face bbox.")
    frame_field: str = Field(
        "frame_number", description="Payload field holding the frame identifier."
    )
    scene_field: str = Field("scene_id", description="Payload field holding the scene id.")


class TSNEParams(RequestModel):
    """A t-SNE reduction step (API 1.3.783)."""

    method: Literal["tsne"] = Field(..., description="tsne.")
    n_components: int = Field(2, ge=2, le=256, description="Output dimensions (2-256).")
    random_state: int = Field(42, description="Random seed.")
    perplexity: float = Field(30.0, description="t-SNE perplexity.")
    learning_rate: float = Field(200.0, description="t-SNE learning rate.")


class UMAPParams(RequestModel):
    """A UMAP reduction step (API 1.3.783)."""

    method: Literal["umap"] = Field(..., description="umap.")
    n_components: int = Field(50, ge=2, le=256, description="Output dimensions (2-256).")
    random_state: int = Field(42, description="Random seed.")
    n_neighbors: int = Field(30, ge=2, description="Neighbours per point (at least 2).")
    min_dist: float = Field(0.0, ge=0.0, le=1.0, description="Minimum distance (0-1).")
    metric: str = Field("cosine", description="Distance metric.")


class WhiteningParams(RequestModel):
    """A whitening step: decorrelate the features (API 1.3.783)."""

    method: Literal["whitening"] = Field(..., description="whitening.")
    regularization: float = Field(
        1e-5, ge=0.0, description="Eigenvalue floor against division by near-zero values."
    )


class NoReduction(RequestModel):
    """No dimensionality reduction (API 1.3.783)."""

    method: Literal["none"] = Field(..., description="none.")


def _step_method(value: Any) -> Any:
    return value.get("method") if isinstance(value, dict) else getattr(value, "method", None)


#: One preprocessing step, told apart by ``method`` (the SDK's oneOf matches exactly one:
#: without a method every variant would match, so the API needs it). A callable
#: discriminator: the models' strict-JSON validator (``RequestModel``) runs on every field,
#: ``method`` too, which a field discriminator does not allow.
PreprocessingStep = Annotated[
    Annotated[TSNEParams, Tag("tsne")]
    | Annotated[UMAPParams, Tag("umap")]
    | Annotated[WhiteningParams, Tag("whitening")]
    | Annotated[NoReduction, Tag("none")],
    Discriminator(_step_method),
]


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
    # -- API 1.3.783 (``levels.py``); None: not sent, the server's default applies ---------
    face_cluster_merge: FaceClusterMergeConfig | None = Field(
        None,
        description="API 1.3.783: a merge pass after HDBSCAN for face identity clusters "
        "(leave unset for other clusterings).",
    )
    preprocessing_steps: list[PreprocessingStep] | None = Field(
        None,
        description="API 1.3.783: steps applied in order before clustering (e.g. whitening, "
        "then umap); when set, they replace the default dimensionality reduction.",
    )
    hierarchical: bool | None = Field(
        None,
        description="API 1.3.783: sub-cluster each large enough cluster recursively "
        "(server default false).",
    )
    max_hierarchy_depth: int | None = Field(
        None,
        ge=1,
        le=5,
        description="API 1.3.783: depth of the recursive sub-clustering, 1-5 (server "
        "default 3).",
    )
    vis_n_components: Literal[2, 3] | None = Field(
        None,
        description="API 1.3.783: dimensions of the visualization coordinates, 2 or 3 "
        "(server default 2).",
    )
    layout_stability: Literal["none", "transform", "align"] | None = Field(
        None,
        description="API 1.3.783: how the visualization layout behaves across runs: align "
        "(the server's behaviour when unset) keeps the map's shape, transform also reuses "
        "the previous projection, none re-lays it out every run.",
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
    max_samples_per_cluster: int | None = Field(
        10,
        ge=1,
        le=20,
        description="Documents sampled per cluster (1-20); API 1.3.1's default is 10, "
        "1.3.783 scales it to each cluster when unset.",
    )
    sample_text_max_length: int = Field(
        200, ge=50, le=500, description="Characters kept per sample (50-500)."
    )
    sample_selection_strategy: Literal["nearest", "representative"] | None = Field(
        None,
        description="API 1.3.783: how the samples are chosen: nearest to the centroid "
        "(server default) or a representative mix.",
    )
    use_embedding_dedup: bool = Field(
        False,
        description="Deduplicate labels by embedding (API 1.3.1's default false, 1.3.783's "
        "true).",
    )
    embedding_similarity_threshold: float = Field(
        0.8, ge=0.5, le=1.0, description="Similarity above which samples are duplicates."
    )
    cache_ttl_seconds: int = Field(
        604800, ge=0, le=2592000, description="Label cache lifetime; 0 disables the cache."
    )
    labeling_context: str | None = Field(
        None,
        max_length=2000,
        description="API 1.3.783: domain context added to the default prompt (at most 2000 "
        "characters).",
    )
    custom_prompt: str | None = Field(None, description="Replaces the default prompt.")
    response_shape: str | dict[str, Any] | None = Field(
        None, description="Natural-language description or JSON schema of the response."
    )
    parameters: dict[str, Any] | None = Field(
        None, description="Provider-specific parameters (temperature, ...)."
    )
    candidate_labels: list[str] | dict[str, str] | None = Field(
        None,
        description="API 1.3.783: the labels to choose from (a list, or label -> what belongs "
        "under it; at most 255); required with provider typesafe unless response_shape is a "
        "schema.",
    )

    @field_validator("candidate_labels")
    @classmethod
    def _at_most_255(
        cls, value: list[str] | dict[str, str] | None
    ) -> list[str] | dict[str, str] | None:
        if value is not None and len(value) > 255:
            raise ValueError(f"at most 255 labels, got {len(value)}")
        return value


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
