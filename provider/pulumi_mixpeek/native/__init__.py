"""The native face: the same Cluster, served by the plugin ``pulumi-resource-mixpeek``.

import pulumi
import pulumi_mixpeek.native as mixpeek

staging = mixpeek.Provider("staging", namespace="staging")
cluster = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/embedding"], clustering_method="kmeans"
    ),
    opts=pulumi.ResourceOptions(provider=staging),
)

The engine finds the plugin on PATH (it is a console script of this package) or among the
installed plugins; see docs/native-plugin.md.
"""

from ..resources.cluster_args import (
    AttributeConfigArgs,
    EnrichmentFieldMappingArgs,
    FaceClusterMergeConfigArgs,
    InputMappingArgs,
    LabelingInputsArgs,
    LLMLabelingArgs,
    SourceEnrichmentConfigArgs,
    VectorConfigArgs,
    WeightLearningConfigArgs,
)
from .cluster import Cluster
from .enums import (
    ClusterExecutionLayoutStability,
    ClusterExecutionMode,
    ClusterExecutionVisNComponents,
    ClusteringAlgorithm,
    ClusterType,
    InputMappingSourceType,
    LLMLabelingModelName,
    LLMLabelingSampleSelectionStrategy,
    LLMProvider,
    NoReductionMethod,
    TaskStatus,
    TriggerStatus,
    TriggerType,
    TSNEParamsMethod,
    UMAPParamsMethod,
    VectorConfigEffectiveFeatureMethod,
    VectorConfigLayoutStability,
    VectorConfigMultiFeatureStrategy,
    VectorConfigOutputStrategy,
    VectorConfigVisNComponents,
    WeightLearningConfigMethod,
    WeightLearningConfigMetric,
    WhiteningParamsMethod,
)
from .lookups import get_cluster, get_cluster_groups, get_trigger_history, list_clusters
from .provider import Provider
from .runs import ClusterEnrichment, ClusterExecution
from .triggers import ClusterTrigger

__all__ = [
    "AttributeConfigArgs",
    "Cluster",
    "ClusterEnrichment",
    "ClusterExecution",
    "ClusterExecutionLayoutStability",
    "ClusterExecutionMode",
    "ClusterExecutionVisNComponents",
    "ClusterTrigger",
    "ClusterType",
    "ClusteringAlgorithm",
    "EnrichmentFieldMappingArgs",
    "FaceClusterMergeConfigArgs",
    "InputMappingArgs",
    "InputMappingSourceType",
    "LLMLabelingArgs",
    "LLMLabelingModelName",
    "LLMLabelingSampleSelectionStrategy",
    "LLMProvider",
    "LabelingInputsArgs",
    "NoReductionMethod",
    "Provider",
    "SourceEnrichmentConfigArgs",
    "TSNEParamsMethod",
    "TaskStatus",
    "TriggerStatus",
    "TriggerType",
    "UMAPParamsMethod",
    "VectorConfigArgs",
    "VectorConfigEffectiveFeatureMethod",
    "VectorConfigLayoutStability",
    "VectorConfigMultiFeatureStrategy",
    "VectorConfigOutputStrategy",
    "VectorConfigVisNComponents",
    "WeightLearningConfigArgs",
    "WeightLearningConfigMethod",
    "WeightLearningConfigMetric",
    "WhiteningParamsMethod",
    "get_cluster",
    "get_cluster_groups",
    "get_trigger_history",
    "list_clusters",
]
