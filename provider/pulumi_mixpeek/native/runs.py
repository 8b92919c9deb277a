"""``pulumi_mixpeek.native.ClusterExecution`` and ``ClusterEnrichment``: the run resources
served by the native plugin.

Arguments, types and outputs are those of the dynamic ``pulumi_mixpeek.ClusterExecution`` /
``ClusterEnrichment`` (a unit test keeps them and ``schema.json`` in step); the rules behind
them are the same code, reached through the plugin (``mixpeek:index:ClusterExecution``,
``mixpeek:index:ClusterEnrichment``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from .._constants import ENRICHMENT_TOKEN, EXECUTION_TOKEN
from ..resources.cluster_args import to_plain
from ..resources.enrichment import OUTPUT_NAMES as ENRICHMENT_OUTPUTS
from ..resources.execution import OUTPUT_NAMES as EXECUTION_OUTPUTS

__all__ = ["ClusterEnrichment", "ClusterExecution"]


class ClusterExecution(pulumi.CustomResource):
    """``pulumi_mixpeek.ClusterExecution`` served by the native plugin (same arguments, outputs and
    rules)."""

    # -- inputs, echoed as outputs in canonical form (defaults left out) ------------------
    cluster_id: pulumi.Output[str]
    triggers: pulumi.Output[Any]
    wait: pulumi.Output[bool | None]
    timeout_seconds: pulumi.Output[int | None]
    namespace: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    # -- the run ---------------------------------------------------------------------------
    task_id: pulumi.Output[str]
    status: pulumi.Output[str]
    num_clusters: pulumi.Output[int | None]
    num_documents_clustered: pulumi.Output[int | None]
    completed_at: pulumi.Output[str | None]
    error_message: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        cluster_id: pulumi.Input[str],
        triggers: pulumi.Input[Sequence[Any] | Mapping[str, Any]] | None = None,
        wait: pulumi.Input[bool] | None = True,
        timeout_seconds: pulumi.Input[int] | None = 1800,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "cluster_id": cluster_id,
            "triggers": triggers,
            "wait": wait,
            "timeout_seconds": timeout_seconds,
            "namespace": namespace,
            "endpoint": endpoint,
        }
        props: dict[str, Any] = {name: to_plain(value) for name, value in inputs.items()}
        for name in EXECUTION_OUTPUTS:
            props[name] = None
        super().__init__(EXECUTION_TOKEN, resource_name, props, opts)


class ClusterEnrichment(pulumi.CustomResource):
    """``pulumi_mixpeek.ClusterEnrichment`` served by the native plugin (same arguments, outputs and
    rules)."""

    # -- inputs, echoed as outputs in canonical form (defaults left out) ------------------
    clustering_ids: pulumi.Output[list[str]]
    source_collection_id: pulumi.Output[str]
    target_collection_id: pulumi.Output[str | None]
    batch_size: pulumi.Output[int | None]
    parallelism: pulumi.Output[int | None]
    triggers: pulumi.Output[Any]
    fail_on_errors: pulumi.Output[bool | None]
    namespace: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    # -- ClusteringEnrichmentResponse ------------------------------------------------------
    processed: pulumi.Output[int]
    enriched: pulumi.Output[int]
    failed: pulumi.Output[int]
    batches: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        *,
        clustering_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        source_collection_id: pulumi.Input[str],
        target_collection_id: pulumi.Input[str] | None = None,
        batch_size: pulumi.Input[int] | None = 1000,
        parallelism: pulumi.Input[int] | None = 1,
        triggers: pulumi.Input[Sequence[Any] | Mapping[str, Any]] | None = None,
        fail_on_errors: pulumi.Input[bool] | None = True,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "clustering_ids": clustering_ids,
            "source_collection_id": source_collection_id,
            "target_collection_id": target_collection_id,
            "batch_size": batch_size,
            "parallelism": parallelism,
            "triggers": triggers,
            "fail_on_errors": fail_on_errors,
            "namespace": namespace,
            "endpoint": endpoint,
        }
        props: dict[str, Any] = {name: to_plain(value) for name, value in inputs.items()}
        for name in ENRICHMENT_OUTPUTS:
            props[name] = None
        super().__init__(ENRICHMENT_TOKEN, resource_name, props, opts)
