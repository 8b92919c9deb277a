"""The cluster triggers API's wire models (``ClusterTriggersApi``), written from the SDK's
``SharedClustersTriggersModels*``, ``TriggerExecutionConfig``, ``TriggerExecutionHistoryItem``
and ``TriggerHistoryRequest`` models. SDK 1.3.1 and 1.3.783 declare these models alike (the
same fields, defaults, enums and bounds), so both levels share them; what differs per level
is in routes_triggers.py (create answers 201 at 1.3.1 and 200 at 1.3.783, and the error
shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .base import Int, Request, Response

__all__ = [
    "TRIGGER_STATUSES",
    "TRIGGER_TYPES",
    "CreateTriggerRequest",
    "ListTriggersRequest",
    "ListTriggersResponse",
    "TriggerExecutionConfig",
    "TriggerExecutionHistoryItem",
    "TriggerHistoryRequest",
    "TriggerHistoryResponse",
    "TriggerModel",
    "UpdateTriggerRequest",
]

TriggerType = Literal["cron", "interval", "event", "conditional"]
TriggerStatus = Literal["active", "paused", "disabled", "failed"]
TRIGGER_TYPES: tuple[str, ...] = ("cron", "interval", "event", "conditional")
TRIGGER_STATUSES: tuple[str, ...] = ("active", "paused", "disabled", "failed")


class TriggerExecutionConfig(Request):
    collection_ids: list[str] = Field(min_length=1)
    config: dict[str, Any]


class CreateTriggerRequest(Request):
    cluster_id: str | None = None
    execution_config: TriggerExecutionConfig | None = None
    trigger_type: TriggerType
    schedule_config: dict[str, Any]
    description: str | None = None
    status: TriggerStatus | None = None


class UpdateTriggerRequest(Request):
    schedule_config: dict[str, Any] | None = None
    description: str | None = None
    status: TriggerStatus | None = None


class ListTriggersRequest(Request):
    cluster_id: str | None = None
    trigger_type: TriggerType | None = None
    status: TriggerStatus | None = None
    offset: Int = Field(0, ge=0)
    limit: Int = Field(50, ge=1, le=1000)
    sort_by: str = "created_at"
    direction: str = "desc"


class TriggerHistoryRequest(Request):
    offset: Int = Field(0, ge=0)
    limit: Int = Field(50, ge=1, le=1000)
    status_filter: str | None = None


class TriggerModel(Response):
    trigger_id: str | None = None
    cluster_id: str | None = None
    namespace_id: str
    internal_id: str
    execution_config: dict[str, Any]
    trigger_type: TriggerType
    schedule_config: dict[str, Any]
    status: TriggerStatus | None = None
    last_triggered_at: datetime | None = None
    last_execution_job_id: str | None = None
    next_scheduled_at: datetime | None = None
    execution_count: int = 0
    consecutive_failures: int = 0
    last_execution_status: str | None = None
    last_execution_error: str | None = None
    event_counter: int = 0
    last_cooldown_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    description: str | None = None


class ListTriggersResponse(Response):
    results: list[TriggerModel]
    total: int
    offset: int
    limit: int


class TriggerExecutionHistoryItem(Response):
    job_id: str
    triggered_at: datetime
    status: str
    execution_time_ms: int | None = None
    error: str | None = None
    num_clusters: int | None = None
    num_documents: int | None = None


class TriggerHistoryResponse(Response):
    trigger_id: str
    executions: list[TriggerExecutionHistoryItem]
    total: int
    offset: int
    limit: int
