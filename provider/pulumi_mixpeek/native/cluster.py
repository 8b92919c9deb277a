"""``pulumi_mixpeek.native.Cluster``: a Mixpeek cluster served by the native plugin.

Type token ``mixpeek:index:Cluster`` (package ``mixpeek``, the plugin
``pulumi-resource-mixpeek``). The arguments, their types and the outputs are those of the
dynamic ``pulumi_mixpeek.Cluster`` (a unit test keeps the two and ``schema.json`` in step);
the rules behind them are the same code. What differs is how the engine reaches it: through
the plugin, configured per provider instance (``opts=pulumi.ResourceOptions(provider=...)``),
and importable with ``pulumi import mixpeek:index:Cluster <name> <cluster id>``.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from .._constants import CLUSTER_TOKEN
from ..resources.cluster import OUTPUT_NAMES
from ..resources.cluster_args import (
    AttributeConfigArgs,
    LLMLabelingArgs,
    SourceEnrichmentConfigArgs,
    VectorConfigArgs,
    to_plain,
)

__all__ = ["Cluster"]


class Cluster(pulumi.CustomResource):
    """A Mixpeek cluster (Clusters API, SDK 1.3.1), managed by the native plugin."""

    # -- inputs, echoed as outputs in canonical form ----------------------------------------
    collection_ids: pulumi.Output[list[str]]
    cluster_type: pulumi.Output[str]
    vector_config: pulumi.Output[dict[str, Any] | None]
    attribute_config: pulumi.Output[dict[str, Any] | None]
    filters: pulumi.Output[dict[str, Any] | None]
    llm_labeling: pulumi.Output[dict[str, Any] | None]
    enrich_source_collection: pulumi.Output[bool | None]
    source_enrichment_config: pulumi.Output[dict[str, Any] | None]
    cluster_name: pulumi.Output[str]
    description: pulumi.Output[str | None]
    metadata: pulumi.Output[dict[str, Any] | None]
    namespace: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    adopt: pulumi.Output[bool | None]
    # -- computed (ClusterMetadata) ---------------------------------------------------------
    cluster_id: pulumi.Output[str]
    namespace_id: pulumi.Output[str]
    input_collections: pulumi.Output[list[str]]
    source_bucket_ids: pulumi.Output[list[str] | None]
    feature_uris: pulumi.Output[list[str] | None]
    multi_feature_strategy: pulumi.Output[str | None]
    learned_weights: pulumi.Output[dict[str, float] | None]
    learning_quality_score: pulumi.Output[float | None]
    effective_feature_method: pulumi.Output[str | None]
    clustered_attributes: pulumi.Output[list[str] | None]
    hierarchical_grouping: pulumi.Output[bool | None]
    aggregation_method: pulumi.Output[str | None]
    output_collection_ids: pulumi.Output[list[str] | None]
    output_collection_names: pulumi.Output[list[str] | None]
    algorithm: pulumi.Output[str | None]
    algorithm_params: pulumi.Output[dict[str, Any] | None]
    enrich_source: pulumi.Output[bool | None]
    num_clusters: pulumi.Output[int | None]
    num_documents_clustered: pulumi.Output[int | None]
    execution_time_seconds: pulumi.Output[float | None]
    hierarchy_detected: pulumi.Output[bool | None]
    parent_cluster_id: pulumi.Output[str | None]
    child_cluster_ids: pulumi.Output[list[str] | None]
    hierarchy_relationships: pulumi.Output[list[dict[str, Any]] | None]
    status: pulumi.Output[str | None]
    last_execution_task_id: pulumi.Output[str | None]
    created_at: pulumi.Output[str | None]
    updated_at: pulumi.Output[str | None]
    last_executed_at: pulumi.Output[str | None]
    completed_at: pulumi.Output[str | None]
    llm_labeling_errors: pulumi.Output[list[str] | None]

    def __init__(
        self,
        resource_name: str,
        *,
        collection_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        cluster_type: pulumi.Input[str] | None = None,
        vector_config: pulumi.Input[VectorConfigArgs | Mapping[str, Any]] | None = None,
        attribute_config: pulumi.Input[AttributeConfigArgs | Mapping[str, Any]] | None = None,
        filters: pulumi.Input[Mapping[str, Any]] | None = None,
        llm_labeling: pulumi.Input[LLMLabelingArgs | Mapping[str, Any]] | None = None,
        enrich_source_collection: pulumi.Input[bool] | None = None,
        source_enrichment_config: (
            pulumi.Input[SourceEnrichmentConfigArgs | Mapping[str, Any]] | None
        ) = None,
        cluster_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[Mapping[str, Any]] | None = None,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "collection_ids": collection_ids,
            "cluster_type": cluster_type,
            "vector_config": vector_config,
            "attribute_config": attribute_config,
            "filters": filters,
            "llm_labeling": llm_labeling,
            "enrich_source_collection": enrich_source_collection,
            "source_enrichment_config": source_enrichment_config,
            "cluster_name": cluster_name,
            "description": description,
            "metadata": metadata,
            "namespace": namespace,
            "endpoint": endpoint,
            "adopt": adopt,
        }
        props: dict[str, Any] = {name: to_plain(value) for name, value in inputs.items()}
        for name in OUTPUT_NAMES:
            props.setdefault(name, None)
        super().__init__(CLUSTER_TOKEN, resource_name, props, opts)
