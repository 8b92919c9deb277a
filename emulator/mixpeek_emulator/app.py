"""Assembles the emulator: FastAPI app, error handlers, routers and the fault/log layer."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from . import control, routes_triggers, routes_v1_3_1, routes_v1_3_783
from .errors import install_error_handlers
from .levels import SEED
from .middleware import Instrumented
from .state import Services

__all__ = ["create_app"]


def create_app(svc: Services, *, control_enabled: bool = True) -> ASGIApp:
    """The ASGI application to serve (the outermost layer must be what the server runs)."""
    app = FastAPI(
        title="mixpeek-emulator",
        description=f"A local stand-in for the Mixpeek Clusters API at the level of mixpeek SDK "
        f"{svc.api_version}.",
        version=svc.api_version,
    )
    app.state.services = svc
    app.state.keyring = svc.keyring
    install_error_handlers(app, svc.api_version)
    routes = routes_v1_3_1 if svc.api_version == SEED else routes_v1_3_783
    app.include_router(routes_triggers.router_for(svc.api_version))
    app.include_router(routes.router)
    if control_enabled:
        app.include_router(control.router)
    return Instrumented(app, svc.faults, svc.log, svc.api_version)
