"""``pulumi_mixpeek.ClusterExecution``: one clustering run of a cluster, as a resource.

Type token ``pulumi-python:dynamic/mixpeek:ClusterExecution`` (changing it changes every URN).
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from .cluster_args import LLMLabelingArgs
from .declared import Declared, output_names, register_dynamic

__all__ = [
    "ClusterExecution",
    "ClusterExecutionBase",
    "OUTPUT_NAMES",
    "SERIALIZED_PROVIDER",
    "TYPE_TOKEN",
]

#: The SDK's serialization of ``ClusterExecutionProvider()``: a plain pickle naming the
#: class ``pulumi_mixpeek.resources.execution_provider.ClusterExecutionProvider`` (no
#: state). Precomputed, as for ``Cluster``, so declaring the resource does not import the
#: provider (httpx, the pydantic API models); tests/unit/test_run_resources.py checks it.
SERIALIZED_PROVIDER = (
    "gASVUgAAAAAAAACMK3B1bHVtaV9taXhwZWVrLnJlc291cmNlcy5leGVjdXRpb25fcHJvdmlkZXKUjBhDbHVzdGVy"
    "RXhlY3V0aW9uUHJvdmlkZXKUk5QpgZR9lGIu"
)


class ClusterExecutionBase(Declared):
    """The arguments and attributes of ``ClusterExecution`` and ``native.ClusterExecution``,
    declared once."""

    # -- inputs, echoed as outputs in canonical form (defaults left out) ------------------
    cluster_id: pulumi.Output[str]
    triggers: pulumi.Output[Any]
    wait: pulumi.Output[bool | None]
    timeout_seconds: pulumi.Output[int | None]
    mode: pulumi.Output[str | None]
    source_execution_ids: pulumi.Output[list[str] | None]
    assignment_threshold: pulumi.Output[float | None]
    filters: pulumi.Output[dict[str, Any] | None]
    sample_size: pulumi.Output[int | None]
    vis_n_components: pulumi.Output[int | None]
    defer_visualization: pulumi.Output[bool | None]
    layout_stability: pulumi.Output[str | None]
    llm_labeling: pulumi.Output[dict[str, Any] | None]
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
        mode: pulumi.Input[str] | None = None,
        source_execution_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        assignment_threshold: pulumi.Input[float] | None = None,
        filters: pulumi.Input[Mapping[str, Any]] | None = None,
        sample_size: pulumi.Input[int] | None = None,
        vis_n_components: pulumi.Input[int] | None = None,
        defer_visualization: pulumi.Input[bool] | None = None,
        layout_stability: pulumi.Input[str] | None = None,
        llm_labeling: pulumi.Input[LLMLabelingArgs | Mapping[str, Any]] | None = None,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "cluster_id": cluster_id,
            "triggers": triggers,
            "wait": wait,
            "timeout_seconds": timeout_seconds,
            "mode": mode,
            "source_execution_ids": source_execution_ids,
            "assignment_threshold": assignment_threshold,
            "filters": filters,
            "sample_size": sample_size,
            "vis_n_components": vis_n_components,
            "defer_visualization": defer_visualization,
            "layout_stability": layout_stability,
            "llm_labeling": llm_labeling,
            "namespace": namespace,
            "endpoint": endpoint,
        }
        self._declare(resource_name, inputs, opts)


class ClusterExecution(
    ClusterExecutionBase, pulumi.dynamic.Resource, module="mixpeek", name="ClusterExecution"
):
    """A clustering run (``POST /v1/clusters/{cluster_id}/execute``).

    Create starts a run of ``cluster_id`` and, with ``wait`` (the default), follows it until
    it ends, showing each status change in the ``pulumi up`` output; a run still running
    (PENDING, QUEUED, IN_PROGRESS, PROCESSING) that an interrupted ``up`` started, and that
    no other resource owns, is followed instead of starting a second one. A failed status
    (FAILED, CANCELED, SKIPPED, UNKNOWN, ...) fails the create with the task's error, and a
    status the provider does not know fails it at once, naming it; COMPLETED_WITH_ERRORS
    succeeds with a warning, and a run that outlasts ``timeout_seconds`` is recorded as it is,
    with a warning naming its task id: the next ``up`` follows it (an update), never starting a
    second run for the same ``triggers``.

    The run options (``mode``, ``source_execution_ids``, ``assignment_threshold``,
    ``filters``, ``sample_size``, ``vis_n_components``, ``defer_visualization``,
    ``layout_stability``, ``llm_labeling``) are the execute body of API level 1.3.783
    (ExecuteClusterByIdRequest): the body carries the declared ones only, each for this run
    alone (nothing is stored on the cluster). At level 1.3.1, whose execute takes no body, check
    refuses them, naming the option and the level.

    A change to ``cluster_id``, ``triggers``, a run option, ``namespace`` or ``endpoint`` is a
    new run (replacement); ``wait`` and ``timeout_seconds`` never are. Pass the cluster as
    ``cluster_id=cluster.id``: the resource id stays known during the preview of an in-place
    update of the cluster, so the preview does not show a new run that ``up`` would not start.

    Delete removes the run from the state only: a finished run cannot be undone (its results
    stay on the cluster). Refresh reads the task's current status.
    """

    __annotations__ = ClusterExecutionBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register_dynamic(self, TYPE_TOKEN, SERIALIZED_PROVIDER, resource_name, props, opts)


#: ``pulumi-python:dynamic/mixpeek:ClusterExecution`` (from the class statement above).
TYPE_TOKEN: str = f"pulumi-python:{ClusterExecution._resource_type_name}"

#: Outputs that are not inputs (declared above as typed attributes; a unit test keeps them
#: equal to the provider's).
OUTPUT_NAMES: tuple[str, ...] = output_names(ClusterExecutionBase)
