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
installed plugins; see the README, "Two faces".
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
from .lookups import get_cluster, get_cluster_groups, get_trigger_history, list_clusters
from .provider import Provider
from .runs import ClusterEnrichment, ClusterExecution
from .triggers import ClusterTrigger

__all__ = [
    "AttributeConfigArgs",
    "Cluster",
    "ClusterEnrichment",
    "ClusterExecution",
    "ClusterTrigger",
    "EnrichmentFieldMappingArgs",
    "FaceClusterMergeConfigArgs",
    "InputMappingArgs",
    "LLMLabelingArgs",
    "LabelingInputsArgs",
    "Provider",
    "SourceEnrichmentConfigArgs",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
    "get_cluster",
    "get_cluster_groups",
    "get_trigger_history",
    "list_clusters",
]
