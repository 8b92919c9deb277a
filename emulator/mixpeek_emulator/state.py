"""What the request handlers share: the store, the keys, faults, the log and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from .auth import Keyring
from .faults import Faults
from .levels import DEFAULT_API_VERSION
from .requestlog import RequestLog
from .store import Store

__all__ = ["Services", "ServicesDep", "services"]


@dataclass
class Services:
    store: Store
    keyring: Keyring
    faults: Faults
    log: RequestLog
    task_duration: float = 1.0
    #: Present clusters with server-side defaults and unknown fields (``defaults.py``).
    fill_defaults: bool = False
    #: The API level spoken (levels.py): "1.3.1" or "1.3.783".
    api_version: str = DEFAULT_API_VERSION


def services(request: Request) -> Services:
    """Dependency: the application's Services."""
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]
