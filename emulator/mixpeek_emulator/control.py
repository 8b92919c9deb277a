"""Test controls under ``/_emulator`` (not mounted with ``--no-control``).

- ``GET /_emulator/info``: the server's settings: ``api_version`` (the API level spoken),
  ``fill_defaults`` and ``task_duration``.
- ``GET /_emulator/requests``: ``{"requests": [...]}``, every API request since the last
  reset (see requestlog.py for the entry fields).
- ``POST /_emulator/reset``: clear the request log and the faults; ``?data=true`` also deletes
  every cluster, task and trigger.
- ``GET /_emulator/faults``: the active fault configuration.
- ``POST /_emulator/faults``: replace it (shape documented in faults.py).
- ``GET /_emulator/clock``: the cluster triggers' clock: ``{"now": ISO time,
  "offset_seconds": how far it is ahead of the wall clock}``.
- ``POST /_emulator/clock/advance`` ``{"seconds": N}`` (N >= 0): move that clock forward and
  fire, in time order, every active trigger due up to the new time (triggers.py). Answers
  ``{"now", "advanced_seconds", "fired": [{"trigger_id", "namespace_id", "cluster_id",
  "triggered_at", "task_id", "status"}], "truncated"}``. The clock never goes back (a reset
  leaves it where it is).
- ``POST /_emulator/triggers/{trigger_id}/events`` ``{"count": n}`` (an event trigger: n
  more events; it fires at once when the threshold is reached and its cooldown is over) or
  ``{"value": x}`` (a conditional trigger: the metric's current value, checked on the
  clock). Answers ``{"trigger_id", "event_counter", "metric_value", "fired": [...]}``. The
  trigger is looked up in ``X-Namespace``'s namespace when that header is sent, else in
  any.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from . import triggers
from .auth import namespace_id_for
from .clusters import iso_at
from .faults import FaultConfig
from .middleware import CONTROL_PREFIX
from .state import ServicesDep

__all__ = ["router"]

router = APIRouter(prefix=CONTROL_PREFIX, tags=["emulator controls"])


@router.get("/info")
def info(svc: ServicesDep) -> dict[str, Any]:
    return {
        "api_version": svc.api_version,
        "fill_defaults": svc.fill_defaults,
        "task_duration": svc.task_duration,
    }


@router.get("/requests")
def requests_log(svc: ServicesDep) -> dict[str, Any]:
    return {"requests": svc.log.entries()}


@router.post("/reset")
def reset(
    svc: ServicesDep,
    data: Annotated[
        bool, Query(description="Also delete every cluster, task and trigger.")
    ] = False,
) -> dict[str, Any]:
    svc.log.clear()
    svc.faults.configure(FaultConfig())
    if data:
        svc.store.wipe()
    return {"reset": True, "data": data}


@router.get("/faults")
def get_faults(svc: ServicesDep) -> dict[str, Any]:
    return svc.faults.current()


@router.post("/faults")
def set_faults(config: FaultConfig, svc: ServicesDep) -> dict[str, Any]:
    svc.faults.configure(config)
    return svc.faults.current()


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(ge=0, allow_inf_nan=False)


class TriggerEvents(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int | None = Field(None, ge=1)
    value: float | None = Field(None, allow_inf_nan=False)


@router.get("/clock")
def get_clock(svc: ServicesDep) -> dict[str, Any]:
    return {"now": iso_at(triggers.clock(svc)), "offset_seconds": svc.store.clock_offset()}


@router.post("/clock/advance")
def advance_clock(body: ClockAdvance, svc: ServicesDep) -> dict[str, Any]:
    return triggers.advance(svc, body.seconds)


@router.post("/triggers/{trigger_id}/events")
def feed_trigger(
    trigger_id: str,
    body: TriggerEvents,
    svc: ServicesDep,
    x_namespace: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    namespace_id = namespace_id_for(x_namespace.strip()) if x_namespace else None
    return triggers.feed(svc, namespace_id, trigger_id, count=body.count, value=body.value)
