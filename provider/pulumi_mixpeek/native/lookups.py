"""The lookups of the native face: the schema's functions ``getCluster``,
``getClusterGroups``, ``getTriggerHistory`` and ``listClusters``, answered by the plugin with
its provider's settings (pass ``opts=pulumi.InvokeOptions(provider=p)`` for an explicit
provider). Same results as the dynamic face's ``pulumi_mixpeek.get_cluster`` /
``get_cluster_groups`` / ``get_trigger_history`` / ``list_clusters``, which call the API from
the program.
"""

from __future__ import annotations

from typing import Any

import pulumi

from .._constants import (
    GET_CLUSTER_GROUPS_TOKEN,
    GET_CLUSTER_TOKEN,
    GET_TRIGGER_HISTORY_TOKEN,
    LIST_CLUSTERS_TOKEN,
)
from ..lookups import ListClustersResult
from ..models import ClusterGroupsResponse, ClusterMetadata, TriggerHistoryResponse
from ._wire import invoke

__all__ = ["get_cluster", "get_cluster_groups", "get_trigger_history", "list_clusters"]


def get_cluster(identifier: str, opts: pulumi.InvokeOptions | None = None) -> ClusterMetadata:
    """The cluster with this id or name (1 GET); fails when there is none."""
    result = invoke(GET_CLUSTER_TOKEN, {"identifier": identifier}, opts)
    return ClusterMetadata.model_validate(result)


def get_cluster_groups(
    cluster_id: str, opts: pulumi.InvokeOptions | None = None
) -> ClusterGroupsResponse:
    """The groups of the cluster's last run (1 GET); API level 1.3.783 only (the provider's
    ``apiVersion``): at 1.3.1 it fails saying the level lacks it."""
    result = invoke(GET_CLUSTER_GROUPS_TOKEN, {"cluster_id": cluster_id}, opts)
    return ClusterGroupsResponse.model_validate(result)


def list_clusters(
    search: str | None = None,
    filters: dict[str, Any] | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> list[ClusterMetadata]:
    """Every cluster matching ``search`` and ``filters``, fetched page by page."""
    args = {"search": search, "filters": filters}
    result = invoke(LIST_CLUSTERS_TOKEN, args, opts)
    return ListClustersResult.model_validate(result).clusters


def get_trigger_history(
    trigger_id: str,
    offset: int = 0,
    limit: int = 50,
    status_filter: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> TriggerHistoryResponse:
    """One page of a trigger's executions (1 POST .../history), as
    ``pulumi_mixpeek.get_trigger_history``."""
    args = {
        "trigger_id": trigger_id,
        "offset": offset,
        "limit": limit,
        "status_filter": status_filter,
    }
    result = invoke(GET_TRIGGER_HISTORY_TOKEN, args, opts)
    return TriggerHistoryResponse.model_validate(result)
