"""Injected faults: error rates by status, 429 with Retry-After, latency, "commit then drop
the connection", limited rules, and seeded repeatability."""

from __future__ import annotations

import time

import httpx
import mixpeek
import pytest

from tests.emulator.helpers import KEY, Sdk, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


def test_error_rate_one_fails_every_matching_request(server: Emulator, namespace: str) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters", "errors": {"503": 1.0}}]})
    for _ in range(3):
        response = server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                              json=vector_body())
        assert response.status_code == 503
        assert response.json()["error"]["type"] == "ServiceUnavailableError"
    # Other routes are untouched, and nothing was stored.
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=namespace)
    assert listed.status_code == 200 and listed.json()["total_count"] == 0
    assert [(e["status"], e["fault"]) for e in server.requests()] == [(503, "error")] * 3 + [
        (200, None)
    ]


def test_429_carries_retry_after(server: Emulator, namespace: str) -> None:
    server.faults({"rules": [{"path": "/v1/clusters/*", "errors": {"429": 1.0},
                              "retry_after": 7}]})
    response = server.api("GET", "/v1/clusters/anything", key=KEY, namespace=namespace)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json()["error"]["type"] == "TooManyRequestsError"


def test_times_limits_a_rule(server: Emulator, namespace: str) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters/list",
                              "errors": {"500": 1.0}, "times": 2}]})
    statuses = [
        server.api("POST", "/v1/clusters/list", key=KEY, namespace=namespace).status_code
        for _ in range(4)
    ]
    assert statuses == [500, 500, 200, 200]


def test_latency_is_added(server: Emulator, namespace: str) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters/list", "latency_ms": 300}]})
    started = time.monotonic()
    response = server.api("POST", "/v1/clusters/list", key=KEY, namespace=namespace)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_commit_then_drop_loses_the_response_not_the_write(
    server: Emulator, namespace: str
) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0,
                              "times": 1}]})
    with pytest.raises(httpx.RemoteProtocolError):
        server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                   json=vector_body(cluster_name="committed"))

    stored = server.api("GET", "/v1/clusters/committed", key=KEY, namespace=namespace)
    assert stored.status_code == 200
    log = server.requests()
    assert (log[0]["path"], log[0]["status"], log[0]["fault"]) == ("/v1/clusters", 200, "drop")


def test_sdk_sees_a_dropped_response_as_a_transport_error(server: Emulator, sdk: Sdk) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0}]})
    request = mixpeek.CreateClusterRequest.from_dict(vector_body(cluster_name="lost"))
    with pytest.raises(Exception) as lost:
        sdk.clusters.create_cluster(create_cluster_request=request, **sdk.kw)
    assert not isinstance(lost.value, mixpeek.ApiException)
    server.faults({})
    assert sdk.clusters.get_cluster("lost", **sdk.kw).cluster_name == "lost"


def _statuses(server: Emulator, namespace: str, seed: int) -> list[int]:
    server.reset()
    server.faults({"seed": seed, "rules": [{"path": "/v1/clusters/*",
                                            "errors": {"503": 0.3, "500": 0.2}}]})
    return [
        server.api("GET", "/v1/clusters/x", key=KEY, namespace=namespace).status_code
        for _ in range(30)
    ]


def test_faults_are_seeded(server: Emulator, namespace: str) -> None:
    first = _statuses(server, namespace, seed=42)
    again = _statuses(server, namespace, seed=42)
    other = _statuses(server, namespace, seed=43)

    assert first == again
    assert first != other
    assert {404, 500, 503} <= set(first)


def test_reset_clears_faults_and_log_but_keeps_data(server: Emulator, namespace: str) -> None:
    server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
               json=vector_body(cluster_name="kept"))
    server.faults({"rules": [{"errors": {"500": 1.0}}]})
    server.reset()
    assert server.requests() == []
    assert server.api("GET", "/v1/clusters/kept", key=KEY, namespace=namespace).status_code == 200


def test_invalid_fault_config_is_rejected(server: Emulator) -> None:
    with httpx.Client(base_url=server.base_url) as http:
        for config in ({"rules": [{"errors": {"200": 1.0}}]},
                       {"rules": [{"errors": {"500": 0.8, "503": 0.5}}]},
                       {"rules": [{"drop_rate": 2}]},
                       {"bogus": True}):
            assert http.post("/_emulator/faults", json=config).status_code == 422


def test_commit_errors_store_the_write_and_answer_the_error(
    server: Emulator, namespace: str
) -> None:
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters",
                              "commit_errors": {"503": 1.0}, "times": 1}]})
    response = server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                          json=vector_body(cluster_name="stored-anyway"))
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "ServiceUnavailableError"

    stored = server.api("GET", "/v1/clusters/stored-anyway", key=KEY, namespace=namespace)
    assert stored.status_code == 200
    log = server.requests()
    assert (log[0]["status"], log[0]["fault"]) == (503, "commit-error")


def test_errors_and_commit_errors_share_one_budget(server: Emulator) -> None:
    with httpx.Client(base_url=server.base_url) as http:
        config = {"rules": [{"errors": {"503": 0.6}, "commit_errors": {"500": 0.5}}]}
        assert http.post("/_emulator/faults", json=config).status_code == 422
