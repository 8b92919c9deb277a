"""Fixtures for the emulator tier: a real ``mixpeek-emulator`` process per session (or per
test where the test needs its own), the official ``mixpeek==1.3.1`` SDK pointed at it, and a
fresh namespace per test so tests never see each other's clusters. ``emulator``/``server``
speak the seed level (1.3.1); ``today_emulator``/``today`` speak today's (1.3.783)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/ is not a package on sys.path when pytest is run as a script; the harness lives there.
_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.emulator.helpers import KEY, TASK_DURATION, TEAM_A_KEY, Sdk  # noqa: E402
from tests.support.emulator import Emulator, running_emulator  # noqa: E402


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One server for the session: in-memory DB, short runs, two keys."""
    with running_emulator(
        api_keys=(KEY, f"{TEAM_A_KEY}:team-a"),
        extra_args=("--task-duration", str(TASK_DURATION)),
    ) as server:
        yield server


@pytest.fixture(scope="session")
def today_emulator() -> Iterator[Emulator]:
    """One server at today's level (``--api-version 1.3.783``) for the session."""
    with running_emulator(
        api_keys=(KEY, f"{TEAM_A_KEY}:team-a"),
        extra_args=("--task-duration", str(TASK_DURATION)),
        api_version="1.3.783",
    ) as server:
        yield server


@pytest.fixture
def today(today_emulator: Emulator) -> Emulator:
    """The 1.3.783 session server with a clean request log and no faults."""
    today_emulator.reset()
    return today_emulator


@pytest.fixture
def server(emulator: Emulator) -> Emulator:
    """The session server with a clean request log and no faults."""
    emulator.reset()
    return emulator


@pytest.fixture
def namespace() -> str:
    return f"ns-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def sdk(server: Emulator, namespace: str) -> Iterator[Sdk]:
    client = Sdk(server.base_url, KEY, namespace)
    yield client
    client.client.rest_client.pool_manager.clear()
