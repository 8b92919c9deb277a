"""Integration tier: provider methods against a real ``mixpeek-emulator`` process over HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from pulumi.dynamic import ConfigureRequest, ResourceProvider  # noqa: E402
from pulumi.dynamic.config import Config  # noqa: E402
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider  # noqa: E402

from tests.support.emulator import Emulator, running_emulator  # noqa: E402

KEY = "sk_integration_key_0001"
NAMESPACE = "ns-integration"


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with running_emulator(api_keys=(KEY,)) as server:
        yield server


@pytest.fixture(scope="session")
def defaults_emulator() -> Iterator[Emulator]:
    """A server that answers with server-side defaults and unknown fields filled in."""
    with running_emulator(api_keys=(KEY,), extra_args=("--fill-defaults",)) as server:
        yield server


@pytest.fixture
def server(emulator: Emulator) -> Emulator:
    """The emulator with no clusters, no faults and an empty request log."""
    emulator.reset(data=True)
    return emulator


def configured(
    emulator: Emulator, provider_class: type[ResourceProvider] = ClusterProvider, **config: Any
) -> Any:
    """A provider of ``provider_class`` configured for the emulator as the engine would."""
    values = {
        "mixpeek:apiKey": KEY,
        "mixpeek:namespace": NAMESPACE,
        "mixpeek:endpoint": emulator.base_url,
        **config,
    }
    provider = provider_class()
    provider.configure(
        ConfigureRequest(Config({k: v for k, v in values.items() if v is not None}, "proj"))
    )
    return provider


@pytest.fixture
def provider(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> ClusterProvider:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    return configured(server)
