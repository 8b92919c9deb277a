"""``pulumi_mixpeek.ClusterTrigger``: a trigger that runs a cluster on a schedule, after events
or on a condition, as a resource.

Type token ``pulumi-python:dynamic/mixpeek:ClusterTrigger`` (changing it changes every URN).
"""

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from .declared import Declared, output_names, register_dynamic

__all__ = [
    "ClusterTrigger",
    "ClusterTriggerBase",
    "OUTPUT_NAMES",
    "SERIALIZED_PROVIDER",
    "TYPE_TOKEN",
]

#: The SDK's serialization of ``ClusterTriggerProvider()``: a plain pickle naming the class
#: ``pulumi_mixpeek.resources.trigger_provider.ClusterTriggerProvider`` (no state).
#: Precomputed, as for ``Cluster``, so declaring the resource does not import the provider;
#: tests/unit/test_trigger_resource.py checks it.
SERIALIZED_PROVIDER = (
    "gASVTgAAAAAAAACMKXB1bHVtaV9taXhwZWVrLnJlc291cmNlcy50cmlnZ2VyX3Byb3ZpZGVylIwWQ2x1c3Rl"
    "clRyaWdnZXJQcm92aWRlcpSTlCmBlH2UYi4="
)


class ClusterTriggerBase(Declared):
    """The arguments and attributes of ``ClusterTrigger`` and ``native.ClusterTrigger``,
    declared once."""

    # -- inputs, echoed as outputs in canonical form (defaults left out) ------------------
    cluster_id: pulumi.Output[str | None]
    execution_config: pulumi.Output[dict[str, Any] | None]
    trigger_type: pulumi.Output[str]
    schedule_config: pulumi.Output[dict[str, Any]]
    description: pulumi.Output[str | None]
    enabled: pulumi.Output[bool | None]
    namespace: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    # -- the trigger as the API reads it (TriggerModel) ------------------------------------
    trigger_id: pulumi.Output[str]
    namespace_id: pulumi.Output[str]
    internal_id: pulumi.Output[str]
    status: pulumi.Output[str | None]
    last_triggered_at: pulumi.Output[str | None]
    last_execution_job_id: pulumi.Output[str | None]
    next_scheduled_at: pulumi.Output[str | None]
    execution_count: pulumi.Output[int | None]
    consecutive_failures: pulumi.Output[int | None]
    last_execution_status: pulumi.Output[str | None]
    last_execution_error: pulumi.Output[str | None]
    event_counter: pulumi.Output[int | None]
    last_cooldown_at: pulumi.Output[str | None]
    created_at: pulumi.Output[str | None]
    updated_at: pulumi.Output[str | None]
    created_by: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        cluster_id: pulumi.Input[str] | None = None,
        execution_config: pulumi.Input[Mapping[str, Any]] | None = None,
        trigger_type: pulumi.Input[str],
        schedule_config: pulumi.Input[Mapping[str, Any]],
        description: pulumi.Input[str] | None = None,
        enabled: pulumi.Input[bool] | None = True,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs: dict[str, Any] = {
            "cluster_id": cluster_id,
            "execution_config": execution_config,
            "trigger_type": trigger_type,
            "schedule_config": schedule_config,
            "description": description,
            "enabled": enabled,
            "namespace": namespace,
            "endpoint": endpoint,
        }
        self._declare(resource_name, inputs, opts)


class ClusterTrigger(
    ClusterTriggerBase, pulumi.dynamic.Resource, module="mixpeek", name="ClusterTrigger"
):
    """A cluster trigger (``/v1/clusters/triggers``): runs a cluster (``cluster_id``) or an
    ``execution_config`` on a schedule (``trigger_type`` cron or interval), after events
    (event) or on a condition (conditional).

    ``schedule_config`` is checked per ``trigger_type`` at preview (every key listed here is
    required, no other is taken): cron takes
    ``cron_expression`` (five fields) and ``timezone`` (an IANA name); interval
    ``interval_seconds`` (positive) and ``start_immediately``; event ``event_type``,
    ``event_threshold`` (positive), ``collection_id`` and ``cooldown_seconds``; conditional
    ``condition_type``, ``threshold``, ``metric`` and ``check_interval_seconds``.

    ``schedule_config``, ``description`` and ``enabled`` change in place (PATCH; ``enabled``
    false pauses the trigger, true resumes it); a change of ``trigger_type``, ``cluster_id``,
    ``execution_config``, ``namespace`` or ``endpoint`` replaces it (the new one is created
    first). Refresh reads the trigger back: paused, resumed, changed or deleted outside
    Pulumi shows as drift, and the next ``up`` sets it back. ``consecutive_failures``,
    ``last_execution_status`` and ``last_execution_error`` say how its runs went;
    ``get_trigger_history`` lists them.
    """

    __annotations__ = ClusterTriggerBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register_dynamic(self, TYPE_TOKEN, SERIALIZED_PROVIDER, resource_name, props, opts)


#: ``pulumi-python:dynamic/mixpeek:ClusterTrigger`` (from the class statement above).
TYPE_TOKEN: str = f"pulumi-python:{ClusterTrigger._resource_type_name}"

#: Outputs that are not inputs (a unit test keeps them equal to the provider's).
OUTPUT_NAMES: tuple[str, ...] = output_names(ClusterTriggerBase)
