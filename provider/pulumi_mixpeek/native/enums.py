"""The schema's enums, as the classes Pulumi's Python generator writes for them.

``pulumi import`` writes Python that names these (``mixpeek.ClusterType.VECTOR``) in
``pulumi_mixpeek.native``, the schema's ``language.python.packageName``. Class and member
names are those of ``pulumi package gen-sdk --language python`` (its ``_enums.py``;
tests/engine/test_schema_sdk.py compares the two, tests/unit/test_native_enums.py the values
with schema.json). Each is a ``StrEnum`` or ``IntEnum`` (the generator's are ``str`` and
``int`` enums too), so a member is its value wherever a string or number is expected and
reaches the plugin as that value.
"""

from enum import IntEnum, StrEnum

import pulumi

__all__ = [
    "ClusterExecutionLayoutStability",
    "ClusterExecutionMode",
    "ClusterExecutionVisNComponents",
    "ClusterType",
    "ClusteringAlgorithm",
    "InputMappingSourceType",
    "LLMLabelingModelName",
    "LLMLabelingSampleSelectionStrategy",
    "LLMProvider",
    "NoReductionMethod",
    "TSNEParamsMethod",
    "TaskStatus",
    "TriggerStatus",
    "TriggerType",
    "UMAPParamsMethod",
    "VectorConfigEffectiveFeatureMethod",
    "VectorConfigLayoutStability",
    "VectorConfigMultiFeatureStrategy",
    "VectorConfigOutputStrategy",
    "VectorConfigVisNComponents",
    "WeightLearningConfigMethod",
    "WeightLearningConfigMetric",
    "WhiteningParamsMethod",
]


@pulumi.type_token("mixpeek:index:ClusterExecutionLayoutStability")
class ClusterExecutionLayoutStability(StrEnum):
    NONE = "none"
    TRANSFORM = "transform"
    ALIGN = "align"


@pulumi.type_token("mixpeek:index:ClusterExecutionMode")
class ClusterExecutionMode(StrEnum):
    FULL = "full"
    ASSIGN = "assign"
    COMPOSITE = "composite"


@pulumi.type_token("mixpeek:index:ClusterExecutionVisNComponents")
class ClusterExecutionVisNComponents(IntEnum):
    TWO = 2
    THREE = 3


@pulumi.type_token("mixpeek:index:ClusterType")
class ClusterType(StrEnum):
    VECTOR = "vector"
    ATTRIBUTE = "attribute"


@pulumi.type_token("mixpeek:index:ClusteringAlgorithm")
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
    LEIDEN = "leiden"
    EVOC = "evoc"
    AUTO = "auto"


@pulumi.type_token("mixpeek:index:InputMappingSourceType")
class InputMappingSourceType(StrEnum):
    PAYLOAD = "payload"
    LITERAL = "literal"
    VECTOR = "vector"


@pulumi.type_token("mixpeek:index:LLMLabelingModelName")
class LLMLabelingModelName(StrEnum):
    GPT_4O_2024_08_06 = "gpt-4o-2024-08-06"
    GPT_4O_MINI_2024_07_18 = "gpt-4o-mini-2024-07-18"
    GPT_4_1_2025_04_14 = "gpt-4.1-2025-04-14"
    GPT_4_1_MINI_2025_04_14 = "gpt-4.1-mini-2025-04-14"
    O3_MINI_2025_01_31 = "o3-mini-2025-01-31"
    GEMINI_2_0_FLASH = "gemini-2.0-flash"
    GEMINI_2_0_FLASH_EXP = "gemini-2.0-flash-exp"
    GEMINI_2_5_FLASH_LITE = "gemini-2.5-flash-lite"
    GEMINI_2_5_FLASH = "gemini-2.5-flash"
    GEMINI_2_5_PRO = "gemini-2.5-pro"
    GEMINI_3_1_FLASH_LITE = "gemini-3.1-flash-lite"
    GEMINI_3_5_FLASH_LITE = "gemini-3.5-flash-lite"
    CLAUDE_3_5_SONNET_20241022 = "claude-3-5-sonnet-20241022"
    CLAUDE_3_5_HAIKU_20241022 = "claude-3-5-haiku-20241022"
    CLAUDE_SONNET_4_5_20250929 = "claude-sonnet-4-5-20250929"
    CLAUDE_HAIKU_4_5_20251001 = "claude-haiku-4-5-20251001"
    JEV_LATEST = "jev-latest"
    JEV_PREVIEW = "jev-preview"
    JEV_1_13_0 = "jev-1.13.0"


@pulumi.type_token("mixpeek:index:LLMLabelingSampleSelectionStrategy")
class LLMLabelingSampleSelectionStrategy(StrEnum):
    NEAREST = "nearest"
    REPRESENTATIVE = "representative"


@pulumi.type_token("mixpeek:index:LLMProvider")
class LLMProvider(StrEnum):
    OPENAI = "openai"
    GOOGLE = "google"
    ANTHROPIC = "anthropic"
    TYPESAFE = "typesafe"


@pulumi.type_token("mixpeek:index:NoReductionMethod")
class NoReductionMethod(StrEnum):
    NONE = "none"


@pulumi.type_token("mixpeek:index:TSNEParamsMethod")
class TSNEParamsMethod(StrEnum):
    TSNE = "tsne"


@pulumi.type_token("mixpeek:index:TaskStatus")
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


@pulumi.type_token("mixpeek:index:TriggerStatus")
class TriggerStatus(StrEnum):
    """SharedClustersTriggersModelsTriggerStatus."""

    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"
    FAILED = "failed"


@pulumi.type_token("mixpeek:index:TriggerType")
class TriggerType(StrEnum):
    """SharedClustersTriggersModelsTriggerType."""

    CRON = "cron"
    INTERVAL = "interval"
    EVENT = "event"
    CONDITIONAL = "conditional"


@pulumi.type_token("mixpeek:index:UMAPParamsMethod")
class UMAPParamsMethod(StrEnum):
    UMAP = "umap"


@pulumi.type_token("mixpeek:index:VectorConfigEffectiveFeatureMethod")
class VectorConfigEffectiveFeatureMethod(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    MEDOID = "medoid"


@pulumi.type_token("mixpeek:index:VectorConfigLayoutStability")
class VectorConfigLayoutStability(StrEnum):
    NONE = "none"
    TRANSFORM = "transform"
    ALIGN = "align"


@pulumi.type_token("mixpeek:index:VectorConfigMultiFeatureStrategy")
class VectorConfigMultiFeatureStrategy(StrEnum):
    CONCATENATE = "concatenate"
    INDEPENDENT = "independent"
    WEIGHTED = "weighted"


@pulumi.type_token("mixpeek:index:VectorConfigOutputStrategy")
class VectorConfigOutputStrategy(StrEnum):
    SINGLE = "single"
    PER_FEATURE = "per_feature"


@pulumi.type_token("mixpeek:index:VectorConfigVisNComponents")
class VectorConfigVisNComponents(IntEnum):
    TWO = 2
    THREE = 3


@pulumi.type_token("mixpeek:index:WeightLearningConfigMethod")
class WeightLearningConfigMethod(StrEnum):
    BAYESIAN = "bayesian"
    GRID_SEARCH = "grid_search"


@pulumi.type_token("mixpeek:index:WeightLearningConfigMetric")
class WeightLearningConfigMetric(StrEnum):
    SILHOUETTE = "silhouette"
    DAVIES_BOULDIN = "davies_bouldin"
    CALINSKI_HARABASZ = "calinski_harabasz"


@pulumi.type_token("mixpeek:index:WhiteningParamsMethod")
class WhiteningParamsMethod(StrEnum):
    WHITENING = "whitening"
