"""pulumi-mixpeek: Mixpeek clusters as Pulumi resources.

import pulumi_mixpeek as mixpeek

cluster = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/embedding"],
        clustering_method="kmeans",
        algorithm_params={"n_clusters": 8},
    ),
    cluster_name="products",
)
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .errors import (
        AdoptionError,
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        EnrichmentError,
        ExecutionError,
        ExecutionTimeoutError,
        MixpeekError,
        NotFoundError,
    )
    from .fields import FieldSpec, cluster_fields, declared_fields
    from .lookups import (
        get_cluster,
        get_cluster_groups,
        get_task,
        get_trigger_history,
        list_clusters,
    )
    from .models import ClusterGroupsResponse, ClusterMetadata, TaskResponse, TriggerHistoryResponse
    from .models.declaration import Mutability
    from .resources import (
        AttributeConfigArgs,
        Cluster,
        ClusterEnrichment,
        ClusterExecution,
        ClusterTrigger,
        EnrichmentFieldMappingArgs,
        FaceClusterMergeConfigArgs,
        InputMappingArgs,
        LabelingInputsArgs,
        LLMLabelingArgs,
        SourceEnrichmentConfigArgs,
        VectorConfigArgs,
        WeightLearningConfigArgs,
    )
    from .resources.cluster_provider import ClusterProvider

# Exports are loaded on first use: importing pulumi_mixpeek.models (as the emulator does)
# must not pay for pulumi, httpx and the resource modules, and a program declaring clusters
# must not pay for the provider (httpx, pydantic).
_EXPORTS = {
    "APIConnectionError": ".errors",
    "APIError": ".errors",
    "APIStatusError": ".errors",
    "APITimeoutError": ".errors",
    "AdoptionError": ".errors",
    "AttributeConfigArgs": ".resources",
    "AuthenticationError": ".errors",
    "Cluster": ".resources",
    "ClusterEnrichment": ".resources",
    "ClusterExecution": ".resources",
    "ClusterTrigger": ".resources",
    "ClusterGroupsResponse": ".models",
    "ClusterMetadata": ".models",
    "ClusterProvider": ".resources.cluster_provider",
    "ConfigurationError": ".errors",
    "EnrichmentError": ".errors",
    "EnrichmentFieldMappingArgs": ".resources",
    "FaceClusterMergeConfigArgs": ".resources",
    "ExecutionError": ".errors",
    "ExecutionTimeoutError": ".errors",
    "FieldSpec": ".fields",
    "InputMappingArgs": ".resources",
    "LLMLabelingArgs": ".resources",
    "LabelingInputsArgs": ".resources",
    "MixpeekError": ".errors",
    "Mutability": ".models.declaration",
    "NotFoundError": ".errors",
    "SourceEnrichmentConfigArgs": ".resources",
    "TaskResponse": ".models",
    "TriggerHistoryResponse": ".models",
    "VectorConfigArgs": ".resources",
    "WeightLearningConfigArgs": ".resources",
    "cluster_fields": ".fields",
    "declared_fields": ".fields",
    "get_cluster": ".lookups",
    "get_cluster_groups": ".lookups",
    "get_task": ".lookups",
    "get_trigger_history": ".lookups",
    "list_clusters": ".lookups",
}

__all__ = [
    "__version__",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AdoptionError",
    "AttributeConfigArgs",
    "AuthenticationError",
    "Cluster",
    "ClusterEnrichment",
    "ClusterExecution",
    "ClusterTrigger",
    "ClusterGroupsResponse",
    "ClusterMetadata",
    "ClusterProvider",
    "ConfigurationError",
    "EnrichmentError",
    "EnrichmentFieldMappingArgs",
    "ExecutionError",
    "ExecutionTimeoutError",
    "FaceClusterMergeConfigArgs",
    "FieldSpec",
    "InputMappingArgs",
    "LLMLabelingArgs",
    "LabelingInputsArgs",
    "MixpeekError",
    "Mutability",
    "NotFoundError",
    "SourceEnrichmentConfigArgs",
    "TaskResponse",
    "TriggerHistoryResponse",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
    "cluster_fields",
    "declared_fields",
    "get_cluster",
    "get_cluster_groups",
    "get_task",
    "get_trigger_history",
    "list_clusters",
]


def __getattr__(name: str) -> Any:
    if name == "native":  # the native face, a subpackage: `mixpeek.native.Cluster`
        return importlib.import_module(".native", __name__)
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
