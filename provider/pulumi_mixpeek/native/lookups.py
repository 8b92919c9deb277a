"""The lookups of the native face: the schema's functions ``getCluster`` and ``listClusters``,
answered by the plugin with its provider's settings (pass ``opts=pulumi.InvokeOptions(
provider=p)`` for an explicit provider). Same results as the dynamic face's
``pulumi_mixpeek.get_cluster`` / ``list_clusters``, which call the API from the program.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.runtime

from .._constants import GET_CLUSTER_TOKEN, LIST_CLUSTERS_TOKEN
from ..lookups import ListClustersResult
from ..models import ClusterMetadata

__all__ = ["get_cluster", "list_clusters"]


def get_cluster(identifier: str, opts: pulumi.InvokeOptions | None = None) -> ClusterMetadata:
    """The cluster with this id or name (1 GET); fails when there is none."""
    result = pulumi.runtime.invoke(GET_CLUSTER_TOKEN, {"identifier": identifier}, opts)
    return ClusterMetadata.model_validate(result.value)


def list_clusters(
    search: str | None = None,
    filters: dict[str, Any] | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> list[ClusterMetadata]:
    """Every cluster matching ``search`` and ``filters``, fetched page by page."""
    args = {"search": search, "filters": filters}
    result = pulumi.runtime.invoke(LIST_CLUSTERS_TOKEN, args, opts)
    return ListClustersResult.model_validate(result.value).clusters
