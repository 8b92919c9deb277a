"""Test controls under ``/_emulator`` (not mounted with ``--no-control``).

- ``GET /_emulator/info``: the server's settings: ``api_version`` (the API level spoken),
  ``fill_defaults`` and ``task_duration``.
- ``GET /_emulator/requests``: ``{"requests": [...]}``, every API request since the last
  reset (see requestlog.py for the entry fields).
- ``POST /_emulator/reset``: clear the request log and the faults; ``?data=true`` also deletes
  every cluster and task.
- ``GET /_emulator/faults``: the active fault configuration.
- ``POST /_emulator/faults``: replace it (shape documented in faults.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

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
    data: Annotated[bool, Query(description="Also delete every cluster and task.")] = False,
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
