"""Unit tier: pure functions and httpx.MockTransport; no processes (except the pickling
test's fresh interpreter)."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))


import pytest  # noqa: E402

#: The namespace unit tests configure (check records it on every cluster).
UNIT_NAMESPACE = "ns-unit"


@pytest.fixture(autouse=True)
def _provider_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known configuration whatever the developer's shell holds: a namespace, the
    default endpoint, no key."""
    monkeypatch.setenv("MIXPEEK_NAMESPACE", UNIT_NAMESPACE)
    monkeypatch.delenv("MIXPEEK_ENDPOINT", raising=False)
    monkeypatch.delenv("MIXPEEK_API_KEY", raising=False)
