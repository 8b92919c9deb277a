"""``pulumi_mixpeek.Cluster``: a Mixpeek cluster as a Pulumi resource.

Type token ``pulumi-python:dynamic/mixpeek:Cluster`` (changing it changes every URN).
Changing ``cluster_name``, ``description`` or ``metadata`` updates the cluster in place (and,
at API level 1.3.783, the inputs ``levels.py`` lists as PATCHed there); changing any other
input replaces it (delete first when the replacement keeps the same
``cluster_name`` in the same namespace, since names are unique per namespace; create first
otherwise). ``namespace`` / ``endpoint`` override the stack's ``mixpeek:namespace`` /
``mixpeek:endpoint`` for one cluster; either way the place is recorded in state.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from .._constants import AUTONAME_SEED_KEY
from .cluster_args import (
    AttributeConfigArgs,
    LLMLabelingArgs,
    SourceEnrichmentConfigArgs,
    VectorConfigArgs,
)
from .declared import Declared, output_names, register_dynamic

__all__ = ["CLUSTER_TYPE", "Cluster", "ClusterBase", "OUTPUT_NAMES", "SERIALIZED_PROVIDER"]

#: ``pulumi.dynamic``'s serialization of ``ClusterProvider()``: a plain pickle that names the
#: class ``pulumi_mixpeek.resources.cluster_provider.ClusterProvider`` and gives it no state.
#: Precomputed so that declaring a Cluster does not import the provider's module (httpx and
#: the pydantic API models, about 0.4 s per program run; only the dynamic-provider host runs
#: the provider). tests/unit/test_cluster_resource.py checks it against the SDK's own.
SERIALIZED_PROVIDER = (
    "gASVRwAAAAAAAACMKXB1bHVtaV9taXhwZWVrLnJlc291cmNlcy5jbHVzdGVyX3Byb3ZpZGVylIwPQ2x1c3RlclBy"
    "b3ZpZGVylJOUKYGUfZRiLg=="
)


class ClusterBase(Declared):
    """The arguments and attributes of ``Cluster`` and ``native.Cluster``, declared once."""

    # -- inputs, echoed as outputs in canonical form ----------------------------------------
    collection_ids: pulumi.Output[list[str] | None]
    source_cluster_ids: pulumi.Output[list[str] | None]
    cluster_type: pulumi.Output[str]
    vector_config: pulumi.Output[dict[str, Any] | None]
    attribute_config: pulumi.Output[dict[str, Any] | None]
    filters: pulumi.Output[dict[str, Any] | None]
    llm_labeling: pulumi.Output[dict[str, Any] | None]
    enrich_source_collection: pulumi.Output[bool | None]
    source_enrichment_config: pulumi.Output[dict[str, Any] | None]
    auto_execute_on_batch: pulumi.Output[bool | None]
    auto_execute_min_documents: pulumi.Output[int | None]
    auto_execute_cooldown_seconds: pulumi.Output[int | None]
    cluster_name: pulumi.Output[str]
    description: pulumi.Output[str | None]
    metadata: pulumi.Output[dict[str, Any] | None]
    namespace: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    adopt: pulumi.Output[bool | None]
    keep_output_collections: pulumi.Output[bool | None]
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
        collection_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        source_cluster_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        cluster_type: pulumi.Input[str] | None = None,
        vector_config: pulumi.Input[VectorConfigArgs | Mapping[str, Any]] | None = None,
        attribute_config: pulumi.Input[AttributeConfigArgs | Mapping[str, Any]] | None = None,
        filters: pulumi.Input[Mapping[str, Any]] | None = None,
        llm_labeling: pulumi.Input[LLMLabelingArgs | Mapping[str, Any]] | None = None,
        enrich_source_collection: pulumi.Input[bool] | None = None,
        source_enrichment_config: (
            pulumi.Input[SourceEnrichmentConfigArgs | Mapping[str, Any]] | None
        ) = None,
        auto_execute_on_batch: pulumi.Input[bool] | None = None,
        auto_execute_min_documents: pulumi.Input[int] | None = None,
        auto_execute_cooldown_seconds: pulumi.Input[int] | None = None,
        cluster_name: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        metadata: pulumi.Input[Mapping[str, Any]] | None = None,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
        keep_output_collections: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "collection_ids": collection_ids,
            "source_cluster_ids": source_cluster_ids,
            "cluster_type": cluster_type,
            "vector_config": vector_config,
            "attribute_config": attribute_config,
            "filters": filters,
            "llm_labeling": llm_labeling,
            "enrich_source_collection": enrich_source_collection,
            "source_enrichment_config": source_enrichment_config,
            "auto_execute_on_batch": auto_execute_on_batch,
            "auto_execute_min_documents": auto_execute_min_documents,
            "auto_execute_cooldown_seconds": auto_execute_cooldown_seconds,
            "cluster_name": cluster_name,
            "description": description,
            "metadata": metadata,
            "namespace": namespace,
            "endpoint": endpoint,
            "adopt": adopt,
            "keep_output_collections": keep_output_collections,
        }
        self._declare(resource_name, inputs, opts)


class Cluster(ClusterBase, pulumi.dynamic.Resource, module="mixpeek", name="Cluster"):
    """A Mixpeek cluster: groups the documents of collections by vector similarity or by
    attributes (Clusters API). Changing `cluster_name`, `description` or `metadata` updates it
    in place, and at API level 1.3.783 (``mixpeek:apiVersion``, the default) also
    `llm_labeling`, `filters`, `source_cluster_ids`, `vector_config.sample_size`,
    `vector_config.algorithm_params`, `vector_config.face_cluster_merge` and
    `vector_config.layout_stability`; any other change replaces it (deleting first when the
    replacement keeps the same `cluster_name`, since names are unique in a namespace). A
    composite cluster (`source_cluster_ids`, API 1.3.783) may leave `collection_ids` out."""

    __annotations__ = ClusterBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        props[AUTONAME_SEED_KEY] = _autoname_seed(resource_name, opts)
        register_dynamic(self, CLUSTER_TYPE, SERIALIZED_PROVIDER, resource_name, props, opts)


def _autoname_seed(resource_name: str, opts: pulumi.ResourceOptions | None) -> str:
    """What identifies this resource in the stack (its URN is not known yet): project,
    stack, parent and name. Check derives a generated cluster_name from it."""
    parent = opts.parent if opts is not None else None
    parent_id = f"{parent.pulumi_resource_type}::{parent.pulumi_resource_name}" if parent else ""
    return "/".join((pulumi.get_project(), pulumi.get_stack(), parent_id, resource_name))


#: The type token, ``pulumi-python:dynamic/mixpeek:Cluster`` (from the class statement above).
CLUSTER_TYPE: str = f"pulumi-python:{Cluster._resource_type_name}"

#: Outputs that are not inputs: cluster_id and every other ClusterMetadata field (declared
#: above as typed attributes; a unit test keeps them equal to ClusterMetadata's fields).
OUTPUT_NAMES: tuple[str, ...] = output_names(ClusterBase)
