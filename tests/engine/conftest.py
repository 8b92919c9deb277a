"""Fixtures for the engine tier: the real Pulumi CLI, a real emulator process, and a fresh
project + stack + namespace per test."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.engine.helpers import (  # noqa: E402
    API_KEY,
    FACES,
    Face,
    Stack,
    server_clusters,
)
from tests.support.emulator import Emulator, running_emulator  # noqa: E402
from tests.support.pulumi import PulumiProject, pulumi_bin_dir  # noqa: E402


@pytest.fixture(scope="session")
def bin_dir() -> Path:
    return pulumi_bin_dir()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    db = tmp_path_factory.mktemp("emulator") / "engine.db"
    with running_emulator(db=db, api_keys=(API_KEY,)) as server:
        yield server


@pytest.fixture(scope="session")
def defaults_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """A server that answers with server-side defaults and unknown fields filled in, as the
    live API does (``mixpeek-emulator --fill-defaults``)."""
    db = tmp_path_factory.mktemp("emulator") / "defaults.db"
    with running_emulator(db=db, api_keys=(API_KEY,), extra_args=("--fill-defaults",)) as server:
        yield server


@pytest.fixture
def namespace() -> str:
    return f"engine-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def face(request: pytest.FixtureRequest) -> Face:
    """The dynamic face unless a test is parametrized over ``BOTH_FACES`` (indirect)."""
    return FACES[getattr(request, "param", "dynamic")]


@pytest.fixture
def make_stack(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str, face: Face
) -> Iterator[Callable[..., Stack]]:
    stacks: list[Stack] = []

    def make(
        *, api_key: bool = True, name: str = "project", server: Emulator | None = None
    ) -> Stack:
        server = server or emulator
        project = PulumiProject.create(tmp_path / name, bin_dir, program=face.program)
        project.extra_env.update(face.env(bin_dir))
        project.set_config("mixpeek:endpoint", server.base_url)
        project.set_config("mixpeek:namespace", namespace)
        if api_key:
            project.set_config("mixpeek:apiKey", API_KEY, secret=True)
        created = Stack(project, server, namespace, face)
        stacks.append(created)
        return created

    yield make
    # Nothing may stay behind on the server: destroy what the test left in the state (from
    # the state alone, with the key from the environment when the test removed it from the
    # config), then every namespace the test used must be empty. No log may hold the key.
    for created in stacks:
        if created.project.resources(created.face.cluster_type):
            created.project.run("state", "unprotect", "--all", "--yes")  # e.g. imported ones
            created.project.run("destroy", "--yes", env={"MIXPEEK_API_KEY": API_KEY})
        for server, used in created.places():
            assert server_clusters(server, used) == [], f"left behind in {used}"
        assert API_KEY not in created.project.logs()


@pytest.fixture
def stack(make_stack: Callable[..., Stack]) -> Stack:
    return make_stack()
