"""HTTP client for the Mixpeek Clusters API (1.3.1): retries, timeouts, error mapping.

Retry policy (``_send``):
- connection errors, timeouts, 429 (``Retry-After`` honoured), 502, 503, 504 are retried with
  exponential backoff and jitter, at most ``MAX_RETRIES`` times;
- GET, PATCH (it sets values), DELETE and the list POST are idempotent and retried freely;
- the create POST is not: when its request may have reached the server and the response was
  lost (dropped connection or read timeout after sending, 502/504 from a gateway), the client
  first looks the cluster up by the name it sent, and POSTs again only when no such cluster
  exists. Cluster names are unique per namespace (reference section 4, an inference we rely
  on), so the name is the idempotency key; a create without a name is never retried after an
  ambiguous failure. The provider always sends a name for this reason.
- the execute POST is not idempotent either (each one starts a run): after an ambiguous
  failure the client reads the cluster, whose ``last_execution_task_id`` names the run the
  lost request started, and POSTs again only when the cluster still names the run it named
  before (so no run was started);
- the enrich POST has nothing to look it up by: after an ambiguous failure it is never
  repeated, and the error says the enrichment may have been applied.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from ._constants import (
    BACKOFF_INITIAL_S,
    BACKOFF_MAX_S,
    LIST_PAGE_SIZE,
    MAX_RETRIES,
    RETRY_AFTER_MAX_S,
    RETRY_STATUSES,
    TIMEOUT_CONNECT_S,
    TIMEOUT_POOL_S,
    TIMEOUT_READ_S,
    TIMEOUT_WRITE_S,
)
from .config import ProviderSettings
from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    connection_error,
    redact,
    status_error,
)
from .models import (
    ApplyClusterEnrichmentRequest,
    ClusteringEnrichmentResponse,
    ClusterMetadata,
    ClusterModel,
    CreateClusterRequest,
    ListClustersRequest,
    ListClustersResponse,
    PatchClusterRequest,
    TaskResponse,
)

__all__ = ["MixpeekClient", "close_shared_clients", "shared_client"]

M = TypeVar("M", bound=BaseModel)

#: Transport errors raised before the request left this process: always safe to retry.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Transport errors worth retrying at all (others are configuration or programming errors).
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
#: Statuses that may come from a gateway after the server committed the request.
_AMBIGUOUS_STATUSES = frozenset({502, 504})


class _AmbiguousOutcome(Exception):
    """A non-idempotent request may or may not have been applied."""

    def __init__(self, error: APIError) -> None:
        super().__init__(str(error))
        self.error = error


def _default_timeout() -> httpx.Timeout:
    return httpx.Timeout(
        connect=TIMEOUT_CONNECT_S, read=TIMEOUT_READ_S, write=TIMEOUT_WRITE_S, pool=TIMEOUT_POOL_S
    )


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class MixpeekClient:
    """Synchronous client for the cluster endpoints. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        *,
        endpoint: str,
        api_key: str,
        namespace: str,
        http_client: httpx.Client | None = None,
        max_retries: int = MAX_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.namespace = namespace
        self._api_key = api_key
        self._http = http_client or httpx.Client(timeout=_default_timeout())
        self._owns_http = http_client is None
        self._max_retries = max_retries
        self._sleep = sleep
        self._jitter = jitter

    @classmethod
    def from_settings(
        cls, settings: ProviderSettings, *, http_client: httpx.Client | None = None
    ) -> MixpeekClient:
        """Raises ConfigurationError when the key or namespace is missing or the endpoint
        is unsafe."""
        return cls(
            endpoint=settings.checked_endpoint(),
            api_key=settings.require_api_key(),
            namespace=settings.require_namespace(),
            http_client=http_client,
        )

    def __repr__(self) -> str:
        return f"MixpeekClient(endpoint={self.endpoint!r}, namespace={self.namespace!r})"

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # -- cluster operations -------------------------------------------------------------
    def create_cluster(self, body: CreateClusterRequest) -> ClusterMetadata:
        """POST /v1/clusters, recovering a lost response by name (see the module docstring)."""
        name = body.cluster_name
        action = f"create cluster {name!r}" if name else "create a cluster"
        payload = body.model_dump(mode="json", by_alias=True, exclude_none=True)
        lost: APIError | None = None
        for attempt in range(self._max_retries + 1):
            try:
                response = self._send(
                    "POST", "/v1/clusters", action=action, json=payload, idempotent=False
                )
                return self._parse(ClusterMetadata, response, action)
            except _AmbiguousOutcome as outcome:
                if name is None:
                    raise APIConnectionError(
                        f"{outcome.error.message} The cluster may have been created anyway; it "
                        "had no name to look it up by, so the request was not repeated. Check "
                        "the namespace for an unmanaged cluster before running again."
                    ) from outcome.error
                lost = outcome.error
            except (BadRequestError, ConflictError):
                if lost is None or name is None:
                    raise
                # An earlier attempt whose response was lost may have taken the name.
            found = self.find_cluster(name)
            if found is not None:
                _check_recovered(found, body)
                return found
            if attempt < self._max_retries:
                self._sleep(self._backoff(attempt))
        assert lost is not None
        raise lost

    def get_cluster(self, identifier: str) -> ClusterMetadata:
        """GET by id or name. Raises NotFoundError."""
        action = f"read cluster {identifier!r}"
        response = self._send("GET", _cluster_path(identifier), action=action)
        return self._parse(ClusterMetadata, response, action)

    def find_cluster(self, identifier: str) -> ClusterMetadata | None:
        """GET by id or name; None when it does not exist."""
        try:
            return self.get_cluster(identifier)
        except NotFoundError:
            return None

    def patch_cluster(self, identifier: str, body: PatchClusterRequest) -> ClusterModel:
        action = f"update cluster {identifier!r}"
        payload = body.model_dump(mode="json", exclude_none=True)
        response = self._send("PATCH", _cluster_path(identifier), action=action, json=payload)
        return self._parse(ClusterModel, response, action)

    def delete_cluster(self, cluster_id: str) -> None:
        """DELETE by id. Raises NotFoundError when it is already gone."""
        self._send("DELETE", _cluster_path(cluster_id), action=f"delete cluster {cluster_id!r}")

    def iter_clusters(
        self, request: ListClustersRequest | None = None, *, page_size: int = LIST_PAGE_SIZE
    ) -> Iterator[ClusterMetadata]:
        """Every cluster matching ``request``, paging with limit/offset."""
        body = (
            request.model_dump(mode="json", by_alias=True, exclude_none=True) if request else None
        )
        offset = 0
        while True:
            action = f"list clusters (offset {offset})"
            response = self._send(
                "POST",
                "/v1/clusters/list",
                action=action,
                json=body,
                params={"limit": page_size, "offset": offset},
            )
            page = self._parse(ListClustersResponse, response, action)
            yield from page.results
            offset += len(page.results)
            if len(page.results) < page_size:
                return

    # -- clustering runs and enrichment ---------------------------------------------------
    def execute_clustering(
        self, cluster_id: str, *, previous_task_id: str | None
    ) -> TaskResponse:
        """POST /v1/clusters/{id}/execute: start a run. ``previous_task_id`` is the cluster's
        ``last_execution_task_id`` before this call; it tells a lost response (the cluster now
        names another run: that one is returned) from a request that never arrived."""
        action = f"start a clustering run of cluster {cluster_id!r}"
        path = _cluster_path(cluster_id) + "/execute"
        lost: APIError | None = None
        for attempt in range(self._max_retries + 1):
            try:
                response = self._send("POST", path, action=action, idempotent=False)
                return self._parse(TaskResponse, response, action)
            except _AmbiguousOutcome as outcome:
                lost = outcome.error
            started = self.get_cluster(cluster_id).last_execution_task_id
            if started and started != previous_task_id:
                return self.get_task(started)
            if attempt < self._max_retries:
                self._sleep(self._backoff(attempt))
        assert lost is not None
        raise lost

    def get_task(self, task_id: str) -> TaskResponse:
        """GET /v1/tasks/{id}. Raises NotFoundError. (The SDK's get_task sends no
        X-Namespace; this client sends it on every request, which scopes the lookup.)"""
        action = f"read task {task_id!r}"
        response = self._send("GET", "/v1/tasks/" + quote(task_id, safe=""), action=action)
        return self._parse(TaskResponse, response, action)

    def find_task(self, task_id: str) -> TaskResponse | None:
        """GET /v1/tasks/{id}; None when it does not exist (e.g. its cluster was deleted)."""
        try:
            return self.get_task(task_id)
        except NotFoundError:
            return None

    def apply_enrichment(
        self, body: ApplyClusterEnrichmentRequest
    ) -> ClusteringEnrichmentResponse:
        """POST /v1/clusters/enrich. Never repeated after an ambiguous failure."""
        action = (
            f"apply clusters {', '.join(body.clustering_ids)} to collection "
            f"{body.source_collection_id!r}"
        )
        payload = body.model_dump(mode="json", exclude_none=True)
        try:
            response = self._send(
                "POST", "/v1/clusters/enrich", action=action, json=payload, idempotent=False
            )
        except _AmbiguousOutcome as outcome:
            raise APIConnectionError(
                f"{outcome.error.message} The enrichment may have been applied anyway, so the "
                "request was not repeated. Check the collection before running again (a new "
                "run applies it again).",
                method="POST",
                path="/v1/clusters/enrich",
            ) from outcome.error
        return self._parse(ClusteringEnrichmentResponse, response, action)

    # -- transport ------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._api_key}",
            "X-Namespace": self.namespace,
            "Accept": "application/json",
            "User-Agent": "pulumi-mixpeek",
        }

    def _send(
        self,
        method: str,
        path: str,
        *,
        action: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        secrets = (self._api_key,)
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method, self.endpoint + path, headers=self._headers(), json=json, params=params
                )
            except httpx.TransportError as exc:
                error = connection_error(
                    exc,
                    action=action,
                    endpoint=self.endpoint,
                    secrets=secrets,
                    attempts=attempt + 1,
                )
                if not isinstance(exc, _RETRYABLE):
                    raise error from exc
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    raise _AmbiguousOutcome(error) from exc
                if attempt >= self._max_retries:
                    raise error from exc
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status in RETRY_STATUSES:
                if not idempotent and status in _AMBIGUOUS_STATUSES:
                    raise _AmbiguousOutcome(status_error(response, action=action, secrets=secrets))
                if attempt < self._max_retries:
                    self._sleep(self._delay(attempt, response))
                    attempt += 1
                    continue
            if response.is_error:
                raise status_error(response, action=action, secrets=secrets)
            return response

    def _backoff(self, attempt: int) -> float:
        base = min(BACKOFF_INITIAL_S * (2.0**attempt), BACKOFF_MAX_S)
        return base * (1.0 - 0.25 * self._jitter())

    def _delay(self, attempt: int, response: httpx.Response) -> float:
        retry_after = _retry_after_seconds(response)
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_MAX_S)
        return self._backoff(attempt)

    def _parse(self, model: type[M], response: httpx.Response, action: str) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            message = redact(
                f"Could not {action}: the API answered {response.status_code} with a body that "
                f"is not a valid {model.__name__} ({exc}).",
                (self._api_key,),
            )
            raise APIResponseValidationError(
                message, method=response.request.method, path=response.request.url.path
            ) from None


def _cluster_path(identifier: str) -> str:
    return "/v1/clusters/" + quote(identifier, safe="")


def _check_recovered(found: ClusterMetadata, body: CreateClusterRequest) -> None:
    """After a lost create response, the cluster found by name must be the one we sent."""
    same_type = body.cluster_type is None or found.cluster_type == body.cluster_type.value
    if list(found.input_collections) == list(body.collection_ids) and same_type:
        return
    raise APIError(
        f"Could not create cluster {body.cluster_name!r}: the response was lost, and the cluster "
        "now found under that name has a different configuration (collections "
        f"{found.input_collections}, type {found.cluster_type!r}). It was not created by this "
        "request; rename the cluster or adopt the existing one with adopt=True.",
        method="POST",
        path="/v1/clusters",
    )


_SHARED: dict[ProviderSettings, MixpeekClient] = {}
_SHARED_LOCK = threading.Lock()


def shared_client(settings: ProviderSettings) -> MixpeekClient:
    """The process-wide client for these settings, created on first use."""
    with _SHARED_LOCK:
        client = _SHARED.get(settings)
        if client is None:
            client = MixpeekClient.from_settings(settings)
            _SHARED[settings] = client
        return client


def close_shared_clients() -> None:
    with _SHARED_LOCK:
        for client in _SHARED.values():
            client.close()
        _SHARED.clear()
