"""Outputs a resource adds to its inputs when the API has no single object for them.

``ClusterExecutionOutputs``: what ``ClusterExecution`` reports about its run (from the task
and, once the run ended, from the cluster). ``ClusterEnrichment``'s outputs are the API's
``ClusteringEnrichmentResponse``; ``Cluster``'s are ``ClusterMetadata``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import ResponseModel
from .responses import TaskStatus

__all__ = ["ClusterExecutionOutputs"]


class ClusterExecutionOutputs(ResponseModel):
    """One clustering run, as ``ClusterExecution`` reports it."""

    task_id: str = Field(..., description="Task of the run (also the resource id).")
    status: TaskStatus = Field(..., description="The task's status when last read.")
    num_clusters: int | None = Field(
        None, description="Clusters found by this run (read back from the cluster)."
    )
    num_documents_clustered: int | None = Field(
        None, description="Documents clustered by this run (read back from the cluster)."
    )
    completed_at: datetime | None = Field(
        None, description="When this run completed (read back from the cluster)."
    )
    error_message: str | None = Field(
        None, description="The task's error, when it ended with one."
    )
