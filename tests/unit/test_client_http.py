"""The HTTP client against httpx.MockTransport: retries, Retry-After, lost responses, error
mapping, redaction, paging, endpoint safety. Assertions are on the fake server's state and
on what reached it, never on mock calls."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
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
    NameTakenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from pulumi_mixpeek.levels import api_level
from pulumi_mixpeek.models import (
    ClusterMetadata,
    CreateClusterRequest,
    ListClustersRequest,
    PatchClusterRequest,
)

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


def same(found: ClusterMetadata) -> list[tuple[str, Any, Any]]:
    """``differences`` for a cluster found by name that is the declared one."""
    return []


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
                "created_at": datetime.now(UTC).isoformat(),
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
def notices() -> list[str]:
    return []


@pytest.fixture
def client(server: FakeServer, sleeps: list[float], notices: list[str]) -> MixpeekClient:
    return MixpeekClient(
        endpoint="https://api.example.test",
        api_key=KEY,
        namespace="ns-test",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        max_retries=3,
        sleep=sleeps.append,
        jitter=lambda: 0.0,
        notify=notices.append,
        level=api_level("1.3.1"),  # the suite's level (tests/conftest.py); paging by offset
    )


# -- retries ---------------------------------------------------------------------------
@pytest.mark.parametrize("code", [429, 500, 501, 502, 503, 504, 599])
def test_idempotent_requests_retry_retryable_statuses(
    client: MixpeekClient, server: FakeServer, sleeps: list[float], code: int
) -> None:
    client.create_cluster(BODY, differences=same)
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
    assert "timed out" in str(caught.value)
    assert "Gave up after 4 attempts." in str(caught.value)
    assert isinstance(caught.value, APIConnectionError)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422])
def test_errors_that_are_not_transient_are_not_retried(
    client: MixpeekClient, server: FakeServer, code: int
) -> None:
    server.faults = [status(code)]
    with pytest.raises(APIStatusError):
        client.get_cluster("x")
    assert len(server.log) == 1


# -- creates are never blindly repeated ------------------------------------------------
def test_lost_create_response_is_recovered_by_name_without_a_second_post(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [commit_then_drop(server)]
    created = client.create_cluster(BODY, differences=same)
    assert created.cluster_name == "products"
    assert len(server.clusters) == 1
    assert server.log == [("POST", "/v1/clusters"), ("GET", "/v1/clusters/products")]


def test_create_lost_before_commit_is_sent_again_once(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ReadError)]
    client.create_cluster(BODY, differences=same)
    assert len(server.clusters) == 1
    assert server.log == [
        ("POST", "/v1/clusters"),
        ("GET", "/v1/clusters/products"),
        ("POST", "/v1/clusters"),
    ]


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx_on_create_is_ambiguous(
    client: MixpeekClient, server: FakeServer, code: int
) -> None:
    def committed_then_gateway_error(request: httpx.Request) -> httpx.Response:
        server.respond(request)
        return error(code, "GatewayError", "upstream timed out")

    server.faults = [committed_then_gateway_error]
    client.create_cluster(BODY, differences=same)
    assert len(server.clusters) == 1
    assert [m for m, _ in server.log] == ["POST", "GET"]


def test_create_refused_before_sending_is_retried(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ConnectError), status(429)]
    client.create_cluster(BODY, differences=same)
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
    created = client.create_cluster(BODY, differences=same)
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
            "created_at": datetime.now(UTC).isoformat(),
        }
        raise httpx.ReadError("dropped", request=request)

    server.faults = [someone_else_took_the_name]
    checked: list[str | None] = []

    def differences(found: ClusterMetadata) -> list[tuple[str, Any, Any]]:
        checked.append(found.cluster_id)
        return [("collection_ids", ["col_a"], found.input_collections)]

    with pytest.raises(NameTakenError) as caught:
        client.create_cluster(BODY, differences=differences)
    assert checked == ["clust_other"]
    assert "clust_other" in str(caught.value) and "collection_ids" in str(caught.value)
    assert [m for m, _ in server.log] == ["POST", "GET"]


def test_unnamed_create_is_never_repeated_after_a_lost_response(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [raise_(httpx.ReadError)]
    body = BODY.model_copy(update={"cluster_name": None})
    with pytest.raises(APIConnectionError, match="may have been created"):
        client.create_cluster(body, differences=same)
    assert [m for m, _ in server.log] == ["POST"]


def test_duplicate_name_without_a_lost_response_is_an_error(
    client: MixpeekClient, server: FakeServer
) -> None:
    holder = client.create_cluster(BODY, differences=same)
    with pytest.raises(NameTakenError) as caught:
        client.create_cluster(BODY, differences=same)
    assert f"already used by cluster {holder.cluster_id}" in str(caught.value)
    assert [m for m, _ in server.log] == ["POST", "POST", "GET"]


def test_a_400_that_is_not_about_the_name_stays_itself(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [status(400)]
    with pytest.raises(BadRequestError, match="injected"):
        client.create_cluster(BODY, differences=same)
    assert [m for m, _ in server.log] == ["POST", "GET"]
    assert server.clusters == {}


def test_one_create_sends_at_most_max_retries_plus_one_posts(
    client: MixpeekClient, server: FakeServer, notices: list[str]
) -> None:
    handle: Fault = lambda request: None  # noqa: E731 - the lookup by name between POSTs
    server.faults = [status(429, **{"Retry-After": "0"}), status(502), handle] * 20
    with pytest.raises(InternalServerError) as caught:
        client.create_cluster(BODY, differences=same)
    assert [m for m, _ in server.log].count("POST") == 4  # 1 + max_retries
    assert "Gave up after 4 attempts; no cluster has that name" in str(caught.value)
    assert len(notices) >= 4


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
    server.faults = [
        lambda r: error(code, "SomeError", "bad thing", **{"x-request-id": "req_42"})
    ] * 4  # 5xx are retried: every attempt fails the same way
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
    server.faults = [lambda r: httpx.Response(500, text="<html>oops</html>")] * 4
    with pytest.raises(InternalServerError, match="oops"):
        client.get_cluster("x")


# -- redaction -------------------------------------------------------------------------
def test_the_key_never_appears_in_errors_or_reprs(
    client: MixpeekClient, server: FakeServer
) -> None:
    # A 400 shows the API's message (a 401's is replaced by the provider's own sentence).
    server.faults = [lambda r: error(400, "BadRequestError", f"Invalid key {KEY}")]
    with pytest.raises(BadRequestError) as caught:
        client.get_cluster("x")
    exc = caught.value
    for text in (str(exc), repr(exc), json.dumps(exc.body), str(exc.api_message), repr(client)):
        assert KEY not in text
    assert "[redacted]" in str(exc)
    settings = ProviderSettings(endpoint="https://x", namespace="n", api_key=KEY)
    assert KEY not in repr(settings) and KEY not in str(settings)


def chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every exception reachable through __cause__ / __context__."""
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        if id(current) not in seen:
            seen.add(id(current))
            yield current
            todo += [e for e in (current.__cause__, current.__context__) if e is not None]


@pytest.mark.parametrize("exc_type", [httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout])
def test_the_key_never_appears_in_connection_errors(
    client: MixpeekClient, server: FakeServer, notices: list[str], exc_type: type[Exception]
) -> None:
    """Neither in the message, nor anywhere in the chain, nor in the printed traceback (the
    dynamic-provider host prints traceback.format_exc()), nor in the retry notices."""

    def leak(request: httpx.Request) -> httpx.Response:
        raise exc_type(f"failed with {request.headers['Authorization']}", request=request)

    server.faults = [leak] * 10
    for operation in (
        lambda: client.get_cluster("x"),
        lambda: client.create_cluster(BODY, differences=same),
    ):
        with pytest.raises(APIError) as caught:
            operation()
        for exc in chain(caught.value):
            assert KEY not in str(exc) and KEY not in repr(exc.args)
        assert KEY not in "".join(traceback.format_exception(caught.value))
        assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert notices and not any(KEY in line for line in notices)


def test_no_doubled_full_stop_after_a_message_that_has_one(
    client: MixpeekClient, server: FakeServer
) -> None:
    server.faults = [lambda r: error(403, "Forbidden", "Not allowed here.")]
    with pytest.raises(PermissionDeniedError) as caught:
        client.get_cluster("x")
    assert "Not allowed here. The API key may not be used" in str(caught.value)
    assert ".." not in str(caught.value)


# -- paging and other operations -------------------------------------------------------
def test_list_pages_through_every_cluster(client: MixpeekClient, server: FakeServer) -> None:
    for i in range(25):
        client.create_cluster(
            BODY.model_copy(update={"cluster_name": f"c{i:02d}"}), differences=same
        )
    server.log.clear()
    names = [c.cluster_name for c in client.iter_clusters(ListClustersRequest(), page_size=10)]
    assert names == [f"c{i:02d}" for i in range(25)]
    assert server.log == [("POST", "/v1/clusters/list")] * 3


def test_patch_and_delete(client: MixpeekClient, server: FakeServer) -> None:
    created = client.create_cluster(BODY, differences=same)
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


@pytest.mark.parametrize(
    ("configured", "expected"), [(None, 4), ("0", 0), ("12", 12), (" 20 ", 20), ("12.0", 12)]
)
def test_max_retries_is_configurable(configured: str | None, expected: int) -> None:
    env = {"MIXPEEK_MAX_RETRIES": configured} if configured is not None else {}
    settings = ProviderSettings.resolve(None, {**env, "MIXPEEK_API_KEY": KEY,
                                               "MIXPEEK_NAMESPACE": "n"})
    assert settings.checked_max_retries() == expected


@pytest.mark.parametrize("configured", ["-1", "21", "many", "2.5", "inf", "nan"])
def test_a_max_retries_out_of_range_names_the_setting(configured: str) -> None:
    settings = ProviderSettings.resolve({"mixpeek:maxRetries": configured}.get, {})
    with pytest.raises(ConfigurationError, match="mixpeek:maxRetries.*0 to 20"):
        settings.checked_max_retries()


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("sk_a\nsk_b", "a line break"),
        ("sk_a\rsk_b", "a line break"),
        ("sk_a\u00e9sk_b", "a non-ASCII character"),
        ("sk_a sk_b", "a space"),
        ("sk_a\tsk_b", "a control character"),
        ("sk_a\x7fsk_b", "a control character"),
    ],
)
def test_a_key_that_cannot_be_sent_is_refused_without_quoting_it(key: str, problem: str) -> None:
    settings = ProviderSettings(endpoint="https://x", namespace="n", api_key=key)
    with pytest.raises(ConfigurationError) as caught:
        MixpeekClient.from_settings(settings)
    assert problem in str(caught.value)
    assert "sk_a" not in str(caught.value) and "sk_b" not in str(caught.value)
