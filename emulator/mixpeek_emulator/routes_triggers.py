"""``/v1/clusters/triggers``: the SDK's ClusterTriggersApi, at both API levels (triggers.py
says what the server does with them). The two SDKs declare the same models; per level:

- create answers 201 at 1.3.1 and 200 at 1.3.783 (each SDK's ``_response_types_map``);
- a 422 is FastAPI's ``{"detail": [...]}`` at 1.3.1 and ErrorResponse at 1.3.783, and
  ``error.code`` exists from 1.3.783 on (errors.py), as for every other route.

Delete answers 204 with no body, as both SDKs declare.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from . import tasks, triggers
from .auth import CallerDep
from .errors import ApiError
from .levels import SEED
from .state import ServicesDep
from .store import Record
from .wire.triggers import (
    CreateTriggerRequest,
    ListTriggersRequest,
    ListTriggersResponse,
    TriggerHistoryRequest,
    TriggerHistoryResponse,
    TriggerModel,
    UpdateTriggerRequest,
)

__all__ = ["router_for"]

#: TriggerModel fields a list may be sorted by (``sort_by``).
_SORTABLE = tuple(TriggerModel.model_fields)


def _settle(svc: ServicesDep) -> None:
    tasks.settle(svc.store)


def _json(body: Any) -> Record:
    dumped: Record = body.model_dump(mode="json", exclude_unset=True)
    return dumped


def router_for(api_version: str) -> APIRouter:
    """The triggers routes of one API level."""
    router = APIRouter(prefix="/v1/clusters/triggers", dependencies=[Depends(_settle)],
                       tags=["cluster triggers"])
    create_status = 201 if api_version == SEED else 200

    @router.post("", response_model=TriggerModel, status_code=create_status)
    def create_trigger(body: CreateTriggerRequest, caller: CallerDep, svc: ServicesDep) -> Any:
        return triggers.present(svc, triggers.create(svc, caller, _json(body)))

    @router.post("/list", response_model=ListTriggersResponse)
    def list_triggers(caller: CallerDep, svc: ServicesDep,
                      body: ListTriggersRequest | None = None) -> Any:
        request = body or ListTriggersRequest()
        if request.sort_by not in _SORTABLE or request.direction not in ("asc", "desc"):
            raise ApiError(400, f"sort_by must name a trigger field ({', '.join(_SORTABLE)}) "
                                "and direction be 'asc' or 'desc'.",
                           details={"sort_by": request.sort_by,
                                    "direction": request.direction},
                           code="invalid_sort")
        docs = []
        for trigger in svc.store.triggers(caller.namespace_id):
            trigger = triggers.get(svc, caller, trigger["trigger_id"])
            doc = triggers.present(svc, trigger)
            if any(wanted is not None and doc[key] != wanted for key, wanted in (
                    ("cluster_id", request.cluster_id), ("trigger_type", request.trigger_type),
                    ("status", request.status))):
                continue
            docs.append(doc)
        # Nulls last either way; ties keep creation order.
        present = [d for d in docs if d[request.sort_by] is not None]
        absent = [d for d in docs if d[request.sort_by] is None]
        present.sort(key=lambda d: str(d[request.sort_by]) if not isinstance(
            d[request.sort_by], int | float) else d[request.sort_by],
            reverse=request.direction == "desc")
        ordered = present + absent
        page = ordered[request.offset:request.offset + request.limit]
        return {"results": page, "total": len(ordered), "offset": request.offset,
                "limit": request.limit}

    @router.get("/{trigger_id}", response_model=TriggerModel)
    def get_trigger(trigger_id: str, caller: CallerDep, svc: ServicesDep) -> Any:
        return triggers.present(svc, triggers.get(svc, caller, trigger_id))

    @router.patch("/{trigger_id}", response_model=TriggerModel)
    def update_trigger(trigger_id: str, body: UpdateTriggerRequest, caller: CallerDep,
                       svc: ServicesDep) -> Any:
        return triggers.present(svc, triggers.update(svc, caller, trigger_id, _json(body)))

    @router.delete("/{trigger_id}", status_code=204, response_class=Response)
    def delete_trigger(trigger_id: str, caller: CallerDep, svc: ServicesDep) -> Response:
        triggers.delete(svc, caller, trigger_id)
        return Response(status_code=204)

    @router.post("/{trigger_id}/pause", response_model=TriggerModel)
    def pause_trigger(trigger_id: str, caller: CallerDep, svc: ServicesDep) -> Any:
        return triggers.present(svc, triggers.set_status(svc, caller, trigger_id, "paused"))

    @router.post("/{trigger_id}/resume", response_model=TriggerModel)
    def resume_trigger(trigger_id: str, caller: CallerDep, svc: ServicesDep) -> Any:
        return triggers.present(svc, triggers.set_status(svc, caller, trigger_id, "active"))

    @router.post("/{trigger_id}/history", response_model=TriggerHistoryResponse)
    def trigger_history(trigger_id: str, caller: CallerDep, svc: ServicesDep,
                        body: TriggerHistoryRequest | None = None) -> Any:
        request = body or TriggerHistoryRequest()
        trigger = triggers.get(svc, caller, trigger_id)
        return triggers.history(trigger, request.model_dump())

    return router
