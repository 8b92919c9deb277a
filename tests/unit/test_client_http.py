"""The HTTP client against httpx.MockTransport: retries, Retry-After, lost responses, error
mapping, redaction, paging, endpoint safety. Assertions are on the fake server's state and
on what reached it, never on mock calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.config import ProviderSettings
from pulumi_mixpeek.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from pulumi_mixpeek.models import CreateClusterRequest, ListClustersRequest, PatchClusterRequest

pytestmark = pytest.mark.unit

KEY = "sk_live_SECRET_0123456789"
BODY = CreateClusterRequest.model_validate(
    {
        "collection_ids": ["col_a"],
        "cluster_name": "products",
        "cluster_type": "vector",
        "vector_config": {"feature_uris": ["mixpeek://t@v1/e"], "clustering_method": "kmeans"},
    }
)

Fault = Callable[[httpx.Request], httpx.Response | None]


class FakeServer:
    """A tiny in-memory Clusters API. ``faults`` is a queue consulted per request: each entry
    returns a response to send instead, raises a transport error, or returns None (handle)."""

    def __init__(self) -> None:
        self.clusters: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[str, str]] = []
        self.faults: list[Fault] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.log.append((request.method, request.url.path))
        assert request.headers["Authorization"] == f"Bearer {KEY}"
        assert request.headers["X-Namespace"] == "ns-test"
        fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            injected = fault(request)
            if injected is not None:
                return injected
        return self.respond(request)

    def respond(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path == "/v1/clusters":
            body = json.loads(request.content)
            name = body["cluster_name"]
            if name in self.clusters:
                return error(400, "BadRequestError", f"A cluster named {name!r} already exists")
            self.clusters[name] = {
                "cluster_id": f"clust_{len(self.clusters) + 1}",
                "cluster_name": name,
                "namespace_id": "ns_1",
                "input_collections": body["collection_ids"],
                "cluster_type": body["cluster_type"],
            }
            return httpx.Response(200, json=self.clusters[name])
        if request.method == "POST" and path == "/v1/clusters/list":
            limit = int(request.url.params["limit"])
            offset = int(request.url.params["offset"])
            items = list(self.clusters.values())
            return httpx.Response(
                200,
                json={
                    "results": items[offset : offset + limit],
                    "pagination": {},
                    "total_count": len(items),
                },
            )
        ident = path.rsplit("/", 1)[-1]
        found = next(
            (c for c in self.clusters.values() if ident in (c["cluster_id"], c["cluster_name"])),
            None,
        )
        if found is None:
            return error(404, "NotFoundError", f"Cluster {ident!r} not found")
        if request.method == "GET":
            return httpx.Response(200, json=found)
        if request.method == "DELETE":
            del self.clusters[found["cluster_name"]]
            return httpx.Response(200, json={"success": True})
        if request.method == "PATCH":
            found.update(json.loads(request.content))
            return httpx.Response(200, json={**found, "collection_ids": found["input_collections"]})
        raise AssertionError(request)


def error(status: int, kind: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"success": False, "status": status, "error": {"message": message, "type": kind}},
        headers=headers,
    )


def commit_then_drop(server: FakeServer) -> Fault:
    def fault(request: httpx.Request) -> httpx.Response:
        server.respond(request)
        raise httpx.ReadError("connection closed", request=request)

    return fault


def status(code: int, **headers: str) -> Fault:
    return lambda request: error(code, "Injected", "injected", **headers)


def raise_(exc_type: type[httpx.TransportError]) -> Fault:
    def fault(request: httpx.Request) -> httpx.Response:
        raise exc_type("injected", request=request)

    return fault


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(server: FakeServer, sleeps: list[float]) -> MixpeekClient:
    return MixpeekClient(
        endpoint="https://api.example.test",
        api_key=KEY,
        namespace="ns-test",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        max_retries=3,
        sleep=sleeps.append,
        jitter=lambda: 0.0,
    )


# -- retries ---------------------------------------------------------------------------
@pytest.mark.parametrize("code", [429, 502, 503, 504])
def test_idempotent_requests_retry_retryable_statuses(
    client: MixpeekClient, server: FakeServer, sleeps: list[float], code: int
) -> None:
    client.create_cluster(BODY)
    server.log.clear()
    server.faults = [status(code), status(code)]
    assert client.get_cluster("products").cluster_name == "products"
    assert server.log == [("GET", "/v1/clusters/products")] * 3
    assert sleeps[-2:] == [0.5, 1.0]  # exponential backoff (jitter pinned to 0)


def test_backoff_has_jitter_and_a_ceiling(server: FakeServer) -> None:
    sleeps: list[float] = []
    client = MixpeekClient(
        endpoint="https://api.example.test",
        api_key=KEY,
        namespace="ns-test",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        max_retries=6,
        sleep=sleeps.append,
        jitter=lambda: 1.0,
    )
    server.faults = [status(503)] * 6
    with pytest.raises(NotFoundError):
        client.get_cluster("x")
    assert sleeps == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]  # 0.75 x min(0.5*2^n, 8)


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), ("0.25", 0.25), ("3600", 60.0)])
def test_retry_after_is_honoured_and_capped(
    client: MixpeekClient, server: FakeServer, sleeps: list[float], header: str, expected: float
) -> None:
    server.faults = [status(429, **{"Retry-After": header})]
    with pytest.raises(NotFoundError):
        client.get_cluster("x")
    assert sleeps == [expected]
    assert len(server.log) == 2


def test_retry_after_http_date(
    client: MixpeekClient, server: FakeServer, sleeps: list[float]
) -> None:
    server.faults = [status(429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})]
    with pytest.raises(NotFoundError):
        client.get_cluster("x")
    assert sleeps == [0.0]  # a date in the past: retry at once


def test_retries_are_bounded_and_the_last_error_is_raised(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [status(429)] * 10
    with pytest.raises(RateLimitError) as caught:
        client.get_cluster("x")
    assert len(server.log) == 4  # 1 + max_retries
    assert "rate-limiting" in str(caught.value)


def test_connection_errors_are_retried(client: MixpeekClient, server: FakeServer) -> None:
    server.faults = [raise_(httpx.ConnectError), raise_(httpx.ReadTimeout)]
    with pytest.raises(NotFoundError):
        client.get_cluster("x")
    assert len(server.log) == 3


def test_persistent_timeouts_become_api_timeout_error(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ReadTimeout)] * 10
    with pytest.raises(APITimeoutError) as caught:
        client.get_cluster("x")
    assert "timed out after 4 attempts" in str(caught.value)
    assert isinstance(caught.value, APIConnectionError)


def test_errors_that_are_not_transient_are_not_retried(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [status(500)]
    with pytest.raises(InternalServerError):
        client.get_cluster("x")
    assert len(server.log) == 1


# -- creates are never blindly repeated ------------------------------------------------
def test_lost_create_response_is_recovered_by_name_without_a_second_post(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [commit_then_drop(server)]
    created = client.create_cluster(BODY)
    assert created.cluster_name == "products"
    assert len(server.clusters) == 1
    assert server.log == [("POST", "/v1/clusters"), ("GET", "/v1/clusters/products")]


def test_create_lost_before_commit_is_sent_again_once(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ReadError)]
    client.create_cluster(BODY)
    assert len(server.clusters) == 1
    assert server.log == [
        ("POST", "/v1/clusters"),
        ("GET", "/v1/clusters/products"),
        ("POST", "/v1/clusters"),
    ]


@pytest.mark.parametrize("code", [502, 504])
def test_gateway_errors_on_create_are_ambiguous(
    client: MixpeekClient, server: FakeServer, code: int
) -> None:
    def committed_then_gateway_error(request: httpx.Request) -> httpx.Response:
        server.respond(request)
        return error(code, "GatewayError", "upstream timed out")

    server.faults = [committed_then_gateway_error]
    client.create_cluster(BODY)
    assert len(server.clusters) == 1
    assert [m for m, _ in server.log] == ["POST", "GET"]


def test_create_refused_before_sending_is_retried(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ConnectError), status(503)]
    client.create_cluster(BODY)
    assert len(server.clusters) == 1
    assert [m for m, _ in server.log] == ["POST", "POST", "POST"]


def test_retry_after_lost_response_that_hits_the_taken_name_recovers(
    client: MixpeekClient, server: FakeServer
) -> None:
    """Slow commit: the lookup misses, the second POST finds the name taken."""
    pending: list[httpx.Request] = []

    def lost_uncommitted(request: httpx.Request) -> httpx.Response:
        pending.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    def commit_the_first_then_handle(request: httpx.Request) -> None:
        server.respond(pending[0])  # the first POST commits late; this one is then handled

    server.faults = [lost_uncommitted, lambda r: None, commit_the_first_then_handle]
    created = client.create_cluster(BODY)
    assert created.cluster_name == "products"
    assert len(server.clusters) == 1
    assert [m for m, _ in server.log] == ["POST", "GET", "POST", "GET"]


def test_recovered_cluster_with_other_config_is_refused(
    client: MixpeekClient, server: FakeServer
) -> None:
    def someone_else_took_the_name(request: httpx.Request) -> httpx.Response:
        server.clusters["products"] = {
            "cluster_id": "clust_other",
            "cluster_name": "products",
            "namespace_id": "ns_1",
            "input_collections": ["col_other"],
            "cluster_type": "vector",
        }
        raise httpx.ReadError("dropped", request=request)

    server.faults = [someone_else_took_the_name]
    with pytest.raises(APIError, match="different configuration"):
        client.create_cluster(BODY)


def test_unnamed_create_is_never_repeated_after_a_lost_response(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ReadError)]
    body = BODY.model_copy(update={"cluster_name": None})
    with pytest.raises(APIConnectionError, match="may have been created"):
        client.create_cluster(body)
    assert [m for m, _ in server.log] == ["POST"]


def test_duplicate_name_without_a_lost_response_is_an_error(
    client: MixpeekClient, server: FakeServer
) -> None:
    client.create_cluster(BODY)
    with pytest.raises(BadRequestError, match="already exists"):
        client.create_cluster(BODY)


# -- error mapping ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "cls", "words"),
    [
        (400, BadRequestError, "bad thing"),
        (401, AuthenticationError, "pulumi config set --secret mixpeek:apiKey"),
        (403, PermissionDeniedError, "mixpeek:namespace"),
        (404, NotFoundError, "does not exist"),
        (409, ConflictError, "bad thing"),
        (422, UnprocessableEntityError, "bad thing"),
        (500, InternalServerError, "retry later"),
        (501, InternalServerError, "retry later"),
        (418, APIStatusError, "bad thing"),
    ],
)
def test_status_errors_map_to_one_class_each(
    client: MixpeekClient, server: FakeServer, code: int, cls: type[APIStatusError], words: str
) -> None:
    server.faults = [lambda r: error(code, "SomeError", "bad thing", **{"x-request-id": "req_42"})]
    with pytest.raises(APIStatusError) as caught:
        client.get_cluster("products")
    exc = caught.value
    assert type(exc) is cls
    assert exc.status_code == code
    assert exc.error_type == "SomeError"
    assert exc.api_message == "bad thing"
    assert exc.request_id == "req_42"
    assert exc.body["error"]["message"] == "bad thing"
    assert words in str(exc)
    assert "read cluster 'products'" in str(exc)
    assert "req_42" in str(exc)


def test_401_names_the_environment_variable_too(client: MixpeekClient, server: FakeServer) -> None:
    server.faults = [status(401)]
    with pytest.raises(AuthenticationError) as caught:
        client.get_cluster("x")
    assert "MIXPEEK_API_KEY" in str(caught.value)


def test_422_lists_the_fields(client: MixpeekClient, server: FakeServer) -> None:
    detail = [{"loc": ["body", "collection_ids"], "msg": "too short", "type": "too_short"}]
    server.faults = [lambda r: httpx.Response(422, json={"detail": detail})]
    with pytest.raises(UnprocessableEntityError, match="collection_ids: too short"):
        client.get_cluster("x")


def test_non_json_error_body(client: MixpeekClient, server: FakeServer) -> None:
    server.faults = [lambda r: httpx.Response(500, text="<html>oops</html>")]
    with pytest.raises(InternalServerError, match="oops"):
        client.get_cluster("x")


# -- redaction -------------------------------------------------------------------------
def test_the_key_never_appears_in_errors_or_reprs(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [lambda r: error(401, "UnauthorizedError", f"Invalid key {KEY}")]
    with pytest.raises(AuthenticationError) as caught:
        client.get_cluster("x")
    exc = caught.value
    for text in (str(exc), repr(exc), json.dumps(exc.body), str(exc.api_message), repr(client)):
        assert KEY not in text
    assert "[redacted]" in str(exc)
    settings = ProviderSettings(endpoint="https://x", namespace="n", api_key=KEY)
    assert KEY not in repr(settings) and KEY not in str(settings)


def test_the_key_never_appears_in_connection_errors(
    client: MixpeekClient, server: FakeServer
) -> None:
    def leak(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"failed with {request.headers['Authorization']}", request=request)

    server.faults = [leak] * 10
    with pytest.raises(APIConnectionError) as caught:
        client.get_cluster("x")
    assert KEY not in str(caught.value)


# -- paging and other operations -------------------------------------------------------
def test_list_pages_through_every_cluster(client: MixpeekClient, server: FakeServer) -> None:
    for i in range(25):
        client.create_cluster(BODY.model_copy(update={"cluster_name": f"c{i:02d}"}))
    server.log.clear()
    names = [c.cluster_name for c in client.iter_clusters(ListClustersRequest(), page_size=10)]
    assert names == [f"c{i:02d}" for i in range(25)]
    assert server.log == [("POST", "/v1/clusters/list")] * 3


def test_patch_and_delete(client: MixpeekClient, server: FakeServer) -> None:
    created = client.create_cluster(BODY)
    assert created.cluster_id is not None
    model = client.patch_cluster(created.cluster_id, PatchClusterRequest(metadata={"a": 1}))
    assert model.metadata == {"a": 1}
    client.delete_cluster(created.cluster_id)
    assert server.clusters == {}
    with pytest.raises(NotFoundError):
        client.delete_cluster(created.cluster_id)
    assert client.find_cluster(created.cluster_id) is None


# -- settings --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "endpoint",
    ["http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:9", "https://api.mixpeek.com"],
)
def test_safe_endpoints_are_accepted(endpoint: str) -> None:
    settings = ProviderSettings(endpoint=endpoint, namespace="n", api_key=KEY)
    assert MixpeekClient.from_settings(settings).endpoint == endpoint


@pytest.mark.parametrize(
    "endpoint", ["http://api.mixpeek.com", "http://10.0.0.1", "ftp://x", "nohost"]
)
def test_unsafe_endpoints_are_refused(endpoint: str) -> None:
    settings = ProviderSettings(endpoint=endpoint, namespace="n", api_key=KEY)
    with pytest.raises(ConfigurationError):
        MixpeekClient.from_settings(settings)


def test_missing_key_names_config_and_env() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        MixpeekClient.from_settings(ProviderSettings(namespace="n"))
    assert "mixpeek:apiKey" in str(caught.value) and "MIXPEEK_API_KEY" in str(caught.value)


def test_config_wins_over_environment() -> None:
    config = {"mixpeek:apiKey": "from-config", "mixpeek:namespace": "ns-config"}
    env = {
        "MIXPEEK_API_KEY": "from-env",
        "MIXPEEK_NAMESPACE": "ns-env",
        "MIXPEEK_ENDPOINT": "http://localhost:1",
    }
    settings = ProviderSettings.resolve(config.get, env)
    assert (settings.api_key, settings.namespace, settings.endpoint) == (
        "from-config",
        "ns-config",
        "http://localhost:1",
    )
    assert ProviderSettings.resolve(None, {}).endpoint == "https://api.mixpeek.com"
