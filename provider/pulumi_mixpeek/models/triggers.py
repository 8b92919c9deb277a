"""Cluster triggers (``/v1/clusters/triggers``): the wire models of the official SDK (the same
at API levels 1.3.1 and 1.3.783: ``SharedClustersTriggersModels*``, ``TriggerExecutionConfig``,
``TriggerHistoryRequest``, ``TriggerExecutionHistoryItem``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ._base import RequestModel, ResponseModel

__all__ = [
    "CreateTriggerRequest",
    "TriggerExecutionConfig",
    "TriggerExecutionHistoryItem",
    "TriggerHistoryRequest",
    "TriggerHistoryResponse",
    "TriggerModel",
    "TriggerStatus",
    "TriggerType",
    "UpdateTriggerRequest",
]


class TriggerType(StrEnum):
    """SharedClustersTriggersModelsTriggerType."""

    CRON = "cron"
    INTERVAL = "interval"
    EVENT = "event"
    CONDITIONAL = "conditional"


class TriggerStatus(StrEnum):
    """SharedClustersTriggersModelsTriggerStatus."""

    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"
    FAILED = "failed"


class TriggerExecutionConfig(RequestModel):
    """What a trigger runs when it has no ``cluster_id`` (TriggerExecutionConfig)."""

    collection_ids: list[str] = Field(
        ...,
        min_length=1,
        description="Collections clustered together when the trigger fires (at least one).",
    )
    config: dict[str, Any] = Field(
        ...,
        description="Clustering algorithm configuration: 'algorithm' (kmeans, hdbscan, "
        "hierarchical) and its parameters (kmeans: n_clusters; hdbscan: min_cluster_size).",
    )


class CreateTriggerRequest(RequestModel):
    """POST /v1/clusters/triggers (SharedClustersTriggersModelsCreateTriggerRequest)."""

    cluster_id: str | None = None
    execution_config: TriggerExecutionConfig | None = None
    trigger_type: TriggerType
    schedule_config: dict[str, Any]
    description: str | None = None
    status: TriggerStatus | None = None


class UpdateTriggerRequest(RequestModel):
    """PATCH /v1/clusters/triggers/{id} (SharedClustersTriggersModelsUpdateTriggerRequest)."""

    schedule_config: dict[str, Any] | None = None
    description: str | None = None
    status: TriggerStatus | None = None


class TriggerModel(ResponseModel):
    """A trigger as the API reads it back (SharedClustersTriggersModelsTriggerModel)."""

    trigger_id: str | None = Field(None, description="Unique trigger id (also the resource id).")
    cluster_id: str | None = Field(None, description="The cluster the trigger runs, if any.")
    namespace_id: str = Field(..., description="Namespace id.")
    internal_id: str = Field(..., description="Organization internal id.")
    execution_config: dict[str, Any] | None = Field(
        None, description="What the trigger runs (inherited from the cluster with cluster_id)."
    )
    trigger_type: TriggerType = Field(..., description="cron, interval, event or conditional.")
    schedule_config: dict[str, Any] = Field(..., description="Type-specific schedule.")
    status: TriggerStatus | None = Field(
        None, description="active, paused, disabled or failed, when last read."
    )
    last_triggered_at: datetime | None = Field(None, description="Last time the trigger fired.")
    last_execution_job_id: str | None = Field(None, description="Job id of the last execution.")
    next_scheduled_at: datetime | None = Field(None, description="Next scheduled execution.")
    execution_count: int | None = Field(0, description="Executions so far.")
    consecutive_failures: int | None = Field(0, description="Consecutive failed executions.")
    last_execution_status: str | None = Field(None, description="Status of the last execution.")
    last_execution_error: str | None = Field(None, description="Error of the last execution.")
    event_counter: int | None = Field(0, description="Events counted since the last firing.")
    last_cooldown_at: datetime | None = Field(None, description="Last time a cooldown began.")
    created_at: datetime | None = Field(None, description="Creation time.")
    updated_at: datetime | None = Field(None, description="Last update time.")
    created_by: str | None = Field(None, description="Who created the trigger.")
    description: str | None = Field(None, description="Trigger description.")


class TriggerHistoryRequest(RequestModel):
    """POST /v1/clusters/triggers/{id}/history (TriggerHistoryRequest)."""

    offset: int = Field(0, ge=0, description="Executions to skip (pagination).")
    limit: int = Field(50, ge=1, le=1000, description="Executions per page (1 to 1000).")
    status_filter: str | None = Field(None, description="Only executions with this status.")


class TriggerExecutionHistoryItem(ResponseModel):
    """One execution of a trigger (TriggerExecutionHistoryItem)."""

    job_id: str = Field(..., description="Job id.")
    triggered_at: datetime = Field(..., description="When the trigger fired.")
    status: str = Field(..., description="Execution status.")
    execution_time_ms: int | None = Field(None, description="Execution time (ms).")
    error: str | None = Field(None, description="Error message, if it failed.")
    num_clusters: int | None = Field(None, description="Clusters created.")
    num_documents: int | None = Field(None, description="Documents processed.")


class TriggerHistoryResponse(ResponseModel):
    """A trigger's execution history (SharedClustersTriggersModelsTriggerHistoryResponse)."""

    trigger_id: str = Field(..., description="Trigger id.")
    executions: list[TriggerExecutionHistoryItem] = Field(..., description="Executions.")
    total: int = Field(..., description="Executions in all.")
    offset: int = Field(..., description="Offset of this page.")
    limit: int = Field(..., description="Limit of this page.")
