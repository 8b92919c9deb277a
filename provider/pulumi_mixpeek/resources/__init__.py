"""One module per Pulumi resource.

The providers (``cluster_provider.ClusterProvider``) are not imported here: a program that
declares resources never runs them, and they bring the HTTP client and the API models.
"""

from .cluster import Cluster
from .cluster_args import (
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
from .enrichment import ClusterEnrichment
from .execution import ClusterExecution
from .trigger import ClusterTrigger

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
    "SourceEnrichmentConfigArgs",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
]
