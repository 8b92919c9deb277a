"""Lookup functions for Pulumi programs: read clusters, the groups of their last run, and
clustering runs, by id.

They run in the program process, synchronously, with the same settings as the provider:
stack config ``mixpeek:apiKey`` / ``mixpeek:namespace`` / ``mixpeek:endpoint`` when run by
``pulumi``, else ``MIXPEEK_API_KEY`` / ``MIXPEEK_NAMESPACE`` / ``MIXPEEK_ENDPOINT``; explicit
arguments win over both.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pulumi.runtime
from pydantic import Field

from .client import shared_client
from .config import Origin, ProviderSettings
from .models import (
    ClusterGroupsResponse,
    ClusterMetadata,
    ListClustersRequest,
    TaskResponse,
    TriggerHistoryRequest,
    TriggerHistoryResponse,
)
from .models._base import RequestModel, ResponseModel

__all__ = [
    "GetClusterArgs",
    "GetClusterGroupsArgs",
    "GetTaskArgs",
    "GetTriggerHistoryArgs",
    "ListClustersResult",
    "get_cluster",
    "get_cluster_groups",
    "get_task",
    "get_trigger_history",
    "list_clusters",
]


class GetClusterArgs(RequestModel):
    """The argument of ``get_cluster`` (the schema's ``getCluster`` function)."""

    identifier: str = Field(
        ..., min_length=1, description="Cluster id (`clust_...`) or name, in the namespace."
    )


class GetClusterGroupsArgs(RequestModel):
    """The argument of ``get_cluster_groups`` (the schema's ``getClusterGroups`` function)."""

    cluster_id: str = Field(
        ..., min_length=1, description="Cluster id (`clust_...`), e.g. a Cluster's id."
    )


class GetTaskArgs(RequestModel):
    """The argument of ``get_task`` (the schema's ``getTask`` function)."""

    task_id: str = Field(
        ..., min_length=1, description="Task id (`task_...`), e.g. a ClusterExecution's task_id."
    )


class GetTriggerHistoryArgs(TriggerHistoryRequest):
    """The arguments of ``get_trigger_history`` (the schema's ``getTriggerHistory`` function):
    the trigger, and the page (TriggerHistoryRequest)."""

    trigger_id: str = Field(
        ..., min_length=1, description="Trigger id, e.g. a ClusterTrigger's trigger_id."
    )


class ListClustersResult(ResponseModel):
    """What the schema's ``listClusters`` function returns (``list_clusters`` returns the list)."""

    clusters: list[ClusterMetadata] = Field(
        ..., description="Every matching cluster, newest first."
    )


def _settings(api_key: str | None, namespace: str | None, endpoint: str | None) -> ProviderSettings:
    """The stack's settings, each overridden by the function's argument when given (and
    then said to come from it)."""
    settings = ProviderSettings.resolve(pulumi.runtime.get_config)
    if api_key is not None:
        settings = replace(settings, api_key=api_key, api_key_origin=Origin.FUNCTION_ARGUMENT)
    if namespace is not None:
        settings = replace(
            settings, namespace=namespace, namespace_origin=Origin.FUNCTION_ARGUMENT
        )
    if endpoint is not None:
        settings = replace(settings, endpoint=endpoint, endpoint_origin=Origin.FUNCTION_ARGUMENT)
    return settings


def get_cluster(
    identifier: str,
    *,
    api_key: str | None = None,
    namespace: str | None = None,
    endpoint: str | None = None,
) -> ClusterMetadata:
    """The cluster with this id or name (1 GET). Raises ``NotFoundError`` when there is none."""
    return shared_client(_settings(api_key, namespace, endpoint)).get_cluster(identifier)


def get_cluster_groups(
    cluster_id: str,
    *,
    api_key: str | None = None,
    namespace: str | None = None,
    endpoint: str | None = None,
) -> ClusterGroupsResponse:
    """The groups of the cluster's last run: each group's label, summary, keywords and member
    count (1 GET). API level 1.3.783 (``mixpeek:apiVersion``) only: at 1.3.1, which has no
    such endpoint, it fails saying so before sending anything. Raises ``NotFoundError`` when
    there is no such cluster."""
    client = shared_client(_settings(api_key, namespace, endpoint))
    return client.get_cluster_groups(cluster_id)


def list_clusters(
    search: str | None = None,
    filters: dict[str, Any] | None = None,
    *,
    api_key: str | None = None,
    namespace: str | None = None,
    endpoint: str | None = None,
    page_size: int | None = None,
) -> list[ClusterMetadata]:
    """Every cluster matching ``search`` (wildcard over id, name, description, ...) and
    ``filters`` (AND / OR / NOT on cluster records), fetched page by page."""
    request = ListClustersRequest.model_validate({"search": search, "filters": filters})
    client = shared_client(_settings(api_key, namespace, endpoint))
    if page_size is None:
        return list(client.iter_clusters(request))
    return list(client.iter_clusters(request, page_size=page_size))


def get_task(
    task_id: str,
    *,
    api_key: str | None = None,
    namespace: str | None = None,
    endpoint: str | None = None,
) -> TaskResponse:
    """The current state of a task, e.g. a clustering run's (``ClusterExecution.task_id``):
    its ``status`` and, once it FAILED, its ``error`` (1 GET). Raises ``NotFoundError`` when
    there is none."""
    return shared_client(_settings(api_key, namespace, endpoint)).get_task(task_id)


def get_trigger_history(
    trigger_id: str,
    *,
    offset: int = 0,
    limit: int = 50,
    status_filter: str | None = None,
    api_key: str | None = None,
    namespace: str | None = None,
    endpoint: str | None = None,
) -> TriggerHistoryResponse:
    """One page of a trigger's executions (``ClusterTrigger.trigger_id``), newest first as
    the API lists them: each one's job_id, triggered_at, status, error, num_clusters and
    num_documents, with ``total`` (1 POST .../history; ``offset``/``limit`` page through them,
    ``status_filter`` keeps one status). Raises ``NotFoundError`` when there is no such
    trigger."""
    args = GetTriggerHistoryArgs.model_validate(
        {"trigger_id": trigger_id, "offset": offset, "limit": limit, "status_filter": status_filter}
    )
    page = TriggerHistoryRequest.model_validate(args.model_dump(exclude={"trigger_id"}))
    client = shared_client(_settings(api_key, namespace, endpoint))
    return client.get_trigger_history(args.trigger_id, page)
