"""One module per Pulumi resource."""

from .cluster import Cluster
from .cluster_args import (
    AttributeConfigArgs,
    EnrichmentFieldMappingArgs,
    InputMappingArgs,
    LabelingInputsArgs,
    LLMLabelingArgs,
    SourceEnrichmentConfigArgs,
    VectorConfigArgs,
    WeightLearningConfigArgs,
)
from .cluster_provider import ClusterProvider

__all__ = [
    "AttributeConfigArgs",
    "Cluster",
    "ClusterProvider",
    "EnrichmentFieldMappingArgs",
    "InputMappingArgs",
    "LLMLabelingArgs",
    "LabelingInputsArgs",
    "SourceEnrichmentConfigArgs",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
]
