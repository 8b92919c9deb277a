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

from .errors import (
    AdoptionError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    MixpeekError,
    NotFoundError,
)
from .fields import FieldSpec, cluster_fields
from .lookups import get_cluster, list_clusters
from .models import ClusterMetadata
from .models.declaration import Mutability
from .resources import (
    AttributeConfigArgs,
    Cluster,
    ClusterProvider,
    EnrichmentFieldMappingArgs,
    InputMappingArgs,
    LabelingInputsArgs,
    LLMLabelingArgs,
    SourceEnrichmentConfigArgs,
    VectorConfigArgs,
    WeightLearningConfigArgs,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AdoptionError",
    "AttributeConfigArgs",
    "AuthenticationError",
    "Cluster",
    "ClusterMetadata",
    "ClusterProvider",
    "ConfigurationError",
    "EnrichmentFieldMappingArgs",
    "FieldSpec",
    "InputMappingArgs",
    "LLMLabelingArgs",
    "LabelingInputsArgs",
    "MixpeekError",
    "Mutability",
    "NotFoundError",
    "SourceEnrichmentConfigArgs",
    "VectorConfigArgs",
    "WeightLearningConfigArgs",
    "cluster_fields",
    "get_cluster",
    "list_clusters",
]
