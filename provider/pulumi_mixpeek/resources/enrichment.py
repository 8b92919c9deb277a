"""``pulumi_mixpeek.ClusterEnrichment``: cluster results written into a collection.

Type token ``pulumi-python:dynamic/mixpeek:ClusterEnrichment`` (changing it changes every URN).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from .declared import Declared, output_names, register_dynamic

__all__ = [
    "ClusterEnrichment",
    "ClusterEnrichmentBase",
    "OUTPUT_NAMES",
    "SERIALIZED_PROVIDER",
    "TYPE_TOKEN",
]

#: The SDK's serialization of ``ClusterEnrichmentProvider()``: a plain pickle naming the
#: class ``pulumi_mixpeek.resources.enrichment_provider.ClusterEnrichmentProvider`` (no
#: state). Precomputed, as for ``Cluster``, so declaring the resource does not import the
#: provider (httpx, the pydantic API models); tests/unit/test_run_resources.py checks it.
SERIALIZED_PROVIDER = (
    "gASVVAAAAAAAAACMLHB1bHVtaV9taXhwZWVrLnJlc291cmNlcy5lbnJpY2htZW50X3Byb3ZpZGVylIwZQ2x1c3Rl"
    "ckVucmljaG1lbnRQcm92aWRlcpSTlCmBlH2UYi4="
)


class ClusterEnrichmentBase(Declared):
    """The arguments and attributes of ``ClusterEnrichment`` and ``native.ClusterEnrichment``,
    declared once."""

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
        self._declare(resource_name, inputs, opts)


class ClusterEnrichment(
    ClusterEnrichmentBase, pulumi.dynamic.Resource, module="mixpeek", name="ClusterEnrichment"
):
    """Cluster labels applied to a collection (``POST /v1/clusters/enrich``, SDK 1.3.1).

    Create applies the results of ``clustering_ids`` (clusters with a completed run) to
    ``source_collection_id``; the outputs are the API's counts. ``failed > 0`` fails the
    create when ``fail_on_errors`` (the default), otherwise it warns. Any change of an input
    other than ``fail_on_errors`` applies it again (replacement). To apply it after every new
    run, tie ``triggers`` to the run: ``triggers=[execution.task_id]``.

    Delete removes it from the state only: labels already written stay in the collection.
    """

    __annotations__ = ClusterEnrichmentBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register_dynamic(self, TYPE_TOKEN, SERIALIZED_PROVIDER, resource_name, props, opts)


#: ``pulumi-python:dynamic/mixpeek:ClusterEnrichment`` (from the class statement above).
TYPE_TOKEN: str = f"pulumi-python:{ClusterEnrichment._resource_type_name}"

#: Outputs that are not inputs (declared above as typed attributes; a unit test keeps them
#: equal to the provider's).
OUTPUT_NAMES: tuple[str, ...] = output_names(ClusterEnrichmentBase)
