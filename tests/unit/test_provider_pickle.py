"""The provider as Pulumi stores it: serialized by pulumi.dynamic, loaded in a fresh
interpreter, free of the API key, small and stable."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

pytestmark = pytest.mark.unit

KEY = "sk_pickle_test_SECRET_9876"

LOAD = r"""
import base64, json, sys
import dill
blob = sys.stdin.read()
provider = dill.loads(base64.b64decode(blob))
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
provider.configure(ConfigureRequest(Config({"mixpeek:namespace": "ns-fresh"}, "proj")))
result = provider.check({}, {"collection_ids": ["c"], "vector_config": {
    "feature_uris": ["mixpeek://t@v1/e"], "clustering_method": "kmeans"}})
print(json.dumps({
    "class": type(provider).__module__ + "." + type(provider).__qualname__,
    "state": vars(provider).get("_settings") is not None,
    "failures": len(result.failures),
    "cluster_type": result.inputs["cluster_type"],
    "secret_always": provider.serialize_as_secret_always,
}))
"""


def configured_provider(monkeypatch: pytest.MonkeyPatch) -> ClusterProvider:
    monkeypatch.setenv("MIXPEEK_API_KEY", KEY)
    provider = ClusterProvider()
    provider.configure(
        ConfigureRequest(Config({"mixpeek:apiKey": KEY, "mixpeek:namespace": "ns"}, "proj"))
    )
    assert provider._client({}).endpoint == "https://api.mixpeek.com"  # settings were in use
    return provider


def test_round_trip_in_a_fresh_interpreter_without_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blob = serialize_provider(configured_provider(monkeypatch))
    raw = base64.b64decode(blob)
    assert KEY not in blob and KEY.encode() not in raw
    assert b"sk_" not in raw and b"apiKey" not in raw and b"httpx" not in raw

    env = {"PATH": "/usr/bin:/bin"}  # no MIXPEEK_* in the fresh process
    done = subprocess.run(
        [sys.executable, "-c", LOAD],
        input=blob,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    loaded = json.loads(done.stdout)
    assert loaded == {
        "class": "pulumi_mixpeek.resources.cluster_provider.ClusterProvider",
        "state": True,
        "failures": 0,
        "cluster_type": "vector",
        "secret_always": False,
    }
    with capsys.disabled():
        print(f"\n[pickle] serialized ClusterProvider: {len(raw)} bytes ({len(blob)} base64 chars)")
    assert len(raw) < 200


def test_serialization_is_stable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Identical for a fresh and a configured provider: no spurious ~__provider diffs."""
    assert serialize_provider(ClusterProvider()) == serialize_provider(
        configured_provider(monkeypatch)
    )
