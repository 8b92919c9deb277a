"""HTTP client for the Mixpeek Clusters API (1.3.1): retries, timeouts, error mapping.

Retry policy:
- one request is sent at most ``max_retries + 1`` times (``MAX_RETRIES``, or
  ``mixpeek:maxRetries``), with exponential backoff and jitter between attempts, or the pause
  the API asks for in ``Retry-After``;
- retried: connection errors and timeouts, 429 and every 5xx (as openai-python and the AWS
  SDKs do); any other status is final;
- GET, PATCH (it sets values), DELETE and the list POST are idempotent: simply sent again;
- the create POST is not. When its outcome is unknown (the connection failed after the request
  went out, or the API answered 5xx, which a gateway or proxy also does after forwarding a
  request the server committed), the client looks the cluster up by the name it sent before
  sending again, and takes a cluster found there only when it was created no earlier than the
  first attempt with an unknown outcome was sent (its ``created_at``) and the caller's
  ``differences`` finds nothing declared that differs. Assumption (the reference infers it
  from get-by-name): names are unique per namespace, so the name is the idempotency key; the
  lookup matches names only (GET also takes ids). A 429 or any other 4xx is taken as not
  applied (refused before handling): a "name taken" answer after only such attempts is the
  name taken by someone else. A create without a name is never sent again after an unknown
  outcome. All POSTs of one create share the one budget.
- the execute POST is not idempotent either (each one starts a run): after an unknown
  outcome the client reads the cluster, whose ``last_execution_task_id`` names the run the
  lost request started, and POSTs again only when the cluster still names the run it named
  before (so no run was started);
- the trigger create POST has nothing to look it up by either (a trigger has no name): after
  an unknown outcome it is never repeated, and the error says the trigger may have been
  created; pause and resume set a status, so they are sent again like a PATCH;
- the enrich POST has nothing to look it up by: after an unknown outcome it is never
  repeated, and the error says the enrichment may have been applied;
- each retry, wait and recovery is reported through ``notify``: by default one progress line
  on stderr (``progress.report``), which the Pulumi engine shows in the output of
  ``pulumi up``. Never the key.

Exceptions raised here never chain the httpx exception they replace (they keep its class
name and redacted text): its text may hold request headers, so the key, and the
dynamic-provider host prints every chained exception.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from ._constants import (
    BACKOFF_INITIAL_S,
    BACKOFF_MAX_S,
    CONFIG_API_VERSION,
    LIST_PAGE_SIZE,
    MAX_RETRIES,
    RETRY_AFTER_MAX_S,
    TIMEOUT_CONNECT_S,
    TIMEOUT_POOL_S,
    TIMEOUT_READ_S,
    TIMEOUT_WRITE_S,
)
from .config import (
    Origin,
    ProviderSettings,
    key_origin_text,
    recorded_settings_text,
    where_set,
)
from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    connection_error,
    name_taken_error,
    redact,
    status_error,
)
from .levels import TODAY_API_VERSION, ApiLevel, api_level
from .models import (
    ApplyClusterEnrichmentRequest,
    ClusterGroupsResponse,
    ClusteringEnrichmentResponse,
    ClusterMetadata,
    ClusterModel,
    CreateClusterRequest,
    CreateTriggerRequest,
    ExecuteClusterRequest,
    ListClustersRequest,
    ListClustersResponse,
    PatchClusterRequest,
    TaskResponse,
    TriggerHistoryRequest,
    TriggerHistoryResponse,
    TriggerModel,
    UpdateTriggerRequest,
)
from .progress import report

__all__ = [
    "Differences",
    "MixpeekClient",
    "close_shared_clients",
    "shared_client",
]

M = TypeVar("M", bound=BaseModel)

#: ``differences(found)``: the immutable fields that keep ``found`` from being the declared
#: cluster, as (field, declared, existing); empty when it is the one. The provider passes
#: ``state.immutable_differences``, the comparison ``adopt=True`` uses.
Differences = Callable[[ClusterMetadata], Sequence[tuple[str, Any, Any]]]

#: Transport errors raised before the request left this process: never applied.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Transport errors worth retrying at all (others are configuration or programming errors).
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

@dataclass(frozen=True)
class _Failure:
    """One attempt that got no usable answer."""

    error: APIError
    #: Worth another attempt.
    retry: bool
    #: The server may have handled the request (matters for the create only).
    maybe_applied: bool
    #: What to tell the user, e.g. "HTTP 503 ServiceUnavailableError".
    reason: str
    #: The pause the API asked for (Retry-After), if any.
    retry_after: float | None = None


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


def _rejected_key_text(origin: Origin | None, recorded_for: str | None) -> tuple[str, str]:
    """(where the key was set, what to do) for a 401. A key from stack config may be the one
    recorded in the state when a refresh or destroy runs without ``--run-program``."""
    where, how = key_origin_text(origin)
    if recorded_for is not None and origin is Origin.STACK_CONFIG:
        stale = recorded_settings_text(recorded_for, changed="changed")
        how = f"{stale}; otherwise {how[0].lower()}{how[1:]}"
    return where, how


def _gave_up(error: APIError, attempts: int, detail: str = "") -> APIError:
    """``error`` with how many attempts were made (it is raised once, so it may be edited)."""
    if attempts > 1 or detail:
        error.message = f"{error.message} Gave up after {attempts} attempts{detail}."
        error.args = (error.message,)
    return error


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
        notify: Callable[[str], None] = report,
        level: ApiLevel | None = None,
        key_origin: Origin | None = None,
        recorded_for: str | None = None,
        namespace_origin: Origin | None = None,
        endpoint_origin: Origin | None = None,
    ) -> None:
        """``key_origin``, ``recorded_for``: where the key was set and the command using the
        settings recorded in state (``ProviderSettings``), named when the API refuses it;
        ``namespace_origin``, ``endpoint_origin``: where those were set, named in a 403 and
        when the endpoint does not answer."""
        self.endpoint = endpoint.rstrip("/")
        self.namespace = namespace
        #: The API level spoken (``levels.py``); the provider reads what the level allows.
        self.level = level or api_level(None)
        self._api_key = api_key
        self._http = http_client or httpx.Client(timeout=_default_timeout())
        self._owns_http = http_client is None
        self._max_retries = max_retries
        self._sleep = sleep
        self._jitter = jitter
        self._notify = notify
        self._rejected_key = _rejected_key_text(key_origin, recorded_for)
        self._namespace_where = where_set("namespace", namespace_origin)
        self._endpoint_where = where_set("endpoint", endpoint_origin)

    @classmethod
    def from_settings(
        cls, settings: ProviderSettings, *, http_client: httpx.Client | None = None
    ) -> MixpeekClient:
        """Raises ConfigurationError when the key or namespace is missing or cannot be sent,
        the endpoint is unsafe, or the retry count is not a number in range."""
        return cls(
            endpoint=settings.checked_endpoint(),
            api_key=settings.require_api_key(),
            namespace=settings.require_namespace(),
            http_client=http_client,
            max_retries=settings.checked_max_retries(),
            level=settings.checked_api_level(),
            key_origin=settings.api_key_origin,
            recorded_for=settings.recorded_for,
            namespace_origin=settings.namespace_origin,
            endpoint_origin=settings.endpoint_origin,
        )

    def __repr__(self) -> str:
        return f"MixpeekClient(endpoint={self.endpoint!r}, namespace={self.namespace!r})"

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # -- cluster operations -------------------------------------------------------------
    def create_cluster(
        self, body: CreateClusterRequest, *, differences: Differences
    ) -> ClusterMetadata:
        """POST /v1/clusters, at most ``max_retries + 1`` times, recovering an unknown
        outcome by name (see the module docstring). Raises NameTakenError when another
        cluster holds the name.

        A cluster found under the name is taken as this create's only when an attempt whose
        outcome is unknown was sent (a 429 or another 4xx is known not to have been applied,
        so it cannot have made the holder), the holder was created no earlier than the first
        such attempt was sent (its ``created_at``; a holder without one is not taken), and
        ``differences`` finds nothing declared that differs. Assumption, where the API says
        nothing: the server's clock is not behind this machine's. Were it behind, a lost
        create is refused as "name taken" (with the way to adopt the cluster), never the
        other way round: a cluster made by someone else is never taken.
        """
        name = body.cluster_name
        action = f"create cluster {name!r}" if name else "create a cluster"
        payload = body.model_dump(mode="json", by_alias=True, exclude_none=True)
        attempts = self._max_retries + 1
        failure: _Failure | None = None
        #: When the first attempt whose outcome is unknown was sent (this machine's clock).
        unknown_since: datetime | None = None
        for attempt in range(attempts):
            if failure is not None:
                self._pause(action, attempt, failure)
            sent_at = datetime.now(UTC)
            outcome = self._attempt("POST", "/v1/clusters", action=action, json=payload)
            if isinstance(outcome, httpx.Response):
                return self._parse(ClusterMetadata, outcome, action)
            failure = outcome
            if failure.maybe_applied and unknown_since is None:
                unknown_since = sent_at
            if failure.retry and failure.maybe_applied:
                if name is None:
                    raise APIConnectionError(
                        f"{failure.error.message} The cluster may have been created anyway; "
                        "it had no name to look it up by, so the request was not repeated. "
                        "Check the namespace for an unmanaged cluster before running again.",
                        method="POST",
                        path="/v1/clusters",
                    )
                self._note(
                    action,
                    f"{failure.reason}; the cluster may have been created anyway, looking it "
                    "up by name before sending again",
                )
                found = self._lookup_after(failure, name, action)
                if found is not None:
                    assert unknown_since is not None  # set for this very attempt
                    return self._recovered(found, name, action, differences, unknown_since)
                failure = _Failure(
                    failure.error,
                    retry=True,
                    maybe_applied=True,
                    reason=f"{failure.reason}, and it was not created",
                    retry_after=failure.retry_after,
                )
                continue
            if isinstance(failure.error, BadRequestError | ConflictError) and name is not None:
                holder = self._lookup_after(failure, name, action)
                if holder is not None:
                    if unknown_since is not None:  # an earlier attempt of this create may hold it
                        return self._recovered(holder, name, action, differences, unknown_since)
                    raise name_taken_error(name, holder.cluster_id, namespace=self.namespace)
            if not failure.retry:
                raise failure.error
        assert failure is not None
        detail = "; no cluster has that name, so none was created" if failure.maybe_applied else ""
        raise _gave_up(failure.error, attempts, detail)

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

    def find_cluster_named(self, name: str) -> ClusterMetadata | None:
        """The cluster whose name is ``name``, or None. GET takes an id or a name, so a name
        that is some cluster's id would find that cluster: only a cluster of that very name is
        returned (recovery, adopt and "name taken" look names up, never ids)."""
        found = self.find_cluster(name)
        return found if found is not None and found.cluster_name == name else None

    def get_cluster_groups(self, cluster_id: str) -> ClusterGroupsResponse:
        """GET /v1/clusters/{id}/groups: the groups of the cluster's last run (a level with
        ``groups_endpoint``, 1.3.783). Raises NotFoundError; at a level without the endpoint
        (1.3.1), ConfigurationError before anything is sent."""
        action = f"read the groups of cluster {cluster_id!r}"
        if not self.level.groups_endpoint:
            raise ConfigurationError(
                f"Could not {action}: API level {self.level.version} (`{CONFIG_API_VERSION}`) "
                "has no GET /v1/clusters/{cluster_id}/groups (the groups of a cluster's last "
                "run came with API 1.3.2); nothing was sent. Set "
                f"`{CONFIG_API_VERSION}` to {TODAY_API_VERSION} for a deployment that has it."
            )
        response = self._send("GET", _cluster_path(cluster_id) + "/groups", action=action)
        return self._parse(ClusterGroupsResponse, response, action)

    def patch_cluster(self, identifier: str, body: PatchClusterRequest) -> ClusterModel:
        action = f"update cluster {identifier!r}"
        payload = body.model_dump(mode="json", exclude_none=True)
        response = self._send("PATCH", _cluster_path(identifier), action=action, json=payload)
        return self._parse(ClusterModel, response, action)

    def delete_cluster(
        self, cluster_id: str, *, keep_output_collections: bool | None = None
    ) -> None:
        """DELETE by id. Raises NotFoundError when it is already gone. With
        ``keep_output_collections`` (API 1.3.783) the query says whether the cluster's output
        collections are deleted with it (``cascade_output_collections``); None sends no
        query (1.3.1, which always keeps them)."""
        params = (
            None
            if keep_output_collections is None
            else {"cascade_output_collections": "false" if keep_output_collections else "true"}
        )
        self._send(
            "DELETE",
            _cluster_path(cluster_id),
            action=f"delete cluster {cluster_id!r}",
            params=params,
        )

    def iter_clusters(
        self, request: ListClustersRequest | None = None, *, page_size: int = LIST_PAGE_SIZE
    ) -> Iterator[ClusterMetadata]:
        """Every cluster matching ``request``, page by page as the level pages: 1.3.1 with
        ``limit``/``offset``; a level with ``cursor_paging`` (1.3.783) with ``page_size`` and
        ``page``, or ``cursor`` once a page names a ``next_cursor`` (whose ``offset`` stops at
        10000), until the API's ``total_count`` is reached."""
        body = (
            request.model_dump(mode="json", by_alias=True, exclude_none=True) if request else None
        )
        if self.level.cursor_paging:
            yield from self._iter_cursor_pages(body, page_size)
            return
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

    def _iter_cursor_pages(
        self, body: dict[str, Any] | None, page_size: int
    ) -> Iterator[ClusterMetadata]:
        """Today's paging (``iter_clusters``). The first page is ``page=1``; each next one is
        the ``cursor`` the previous page named, else the next ``page``. It ends at an empty
        page, at ``total_count`` clusters, or at a short page that names no next cursor. A
        cursor named twice is an API fault, reported rather than followed forever."""
        seen = 0
        page = 1
        cursor: str | None = None
        cursors: set[str] = set()
        while True:
            params: dict[str, Any] = {"page_size": page_size}
            if cursor is None:
                params["page"] = page
                action = f"list clusters (page {page})"
            else:
                params["cursor"] = cursor
                action = f"list clusters (after {seen})"
            response = self._send(
                "POST", "/v1/clusters/list", action=action, json=body, params=params
            )
            listed = self._parse(ListClustersResponse, response, action)
            yield from listed.results
            seen += len(listed.results)
            cursor = listed.pagination.next_cursor or None
            if not listed.results or seen >= listed.total_count:
                return
            if cursor is None:
                if len(listed.results) < page_size:
                    return
                if seen % page_size:  # after short cursor pages no page number follows on
                    raise self._paging_fault(action, seen, listed.total_count, "no next_cursor")
                page = seen // page_size + 1
                continue
            if cursor in cursors:
                raise self._paging_fault(
                    action, seen, listed.total_count, f"next_cursor {cursor!r} a second time"
                )
            cursors.add(cursor)

    def _paging_fault(
        self, action: str, seen: int, total: int, what: str
    ) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"Could not {action}: the API named {what} after {seen} of {total} clusters; the "
            "listing stops here rather than skip or repeat clusters.",
            method="POST",
            path="/v1/clusters/list",
        )

    # -- clustering runs and enrichment ---------------------------------------------------
    def execute_clustering(
        self,
        cluster_id: str,
        *,
        previous_task_id: str | None,
        body: ExecuteClusterRequest | None = None,
    ) -> TaskResponse:
        """POST /v1/clusters/{id}/execute: start a run. ``previous_task_id`` is the cluster's
        ``last_execution_task_id`` before this call; it tells a lost response (the cluster now
        names another run: that one is returned) from a request that never arrived. At most
        ``max_retries + 1`` POSTs in all.

        ``body``: the run options (a level with ``execute_body``, 1.3.783), sent with the keys
        set on it only; None sends no body. A level whose execute takes no body (1.3.1)
        refuses one before anything is sent."""
        action = f"start a clustering run of cluster {cluster_id!r}"
        payload = None
        if body is not None:
            if not self.level.execute_body:
                raise ConfigurationError(
                    f"Could not {action}: API level {self.level.version} "
                    f"(`{CONFIG_API_VERSION}`) starts a run with no options, but "
                    f"{', '.join(sorted(body.model_fields_set))} were given; nothing was sent."
                )
            payload = body.model_dump(
                mode="json", by_alias=True, exclude_unset=True, exclude_none=True
            )

        def recover(failure: _Failure) -> TaskResponse | None:
            self._note(
                action,
                f"{failure.reason}; the run may have started anyway, reading the cluster "
                "before sending again",
            )
            started = self.get_cluster(cluster_id).last_execution_task_id
            if started and started != previous_task_id:
                self._note(action, f"recovered: run {started} was started")
                return self.get_task(started)
            return None

        return self._post_budgeted(
            _cluster_path(cluster_id) + "/execute", TaskResponse, action, payload, recover
        )

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
        """POST /v1/clusters/enrich. Never repeated after an unknown outcome."""
        action = (
            f"apply clusters {', '.join(body.clustering_ids)} to collection "
            f"{body.source_collection_id!r}"
        )
        path = "/v1/clusters/enrich"

        def refuse(failure: _Failure) -> NoReturn:
            raise APIConnectionError(
                f"{failure.error.message} The enrichment may have been applied anyway, so "
                "the request was not repeated. Check the collection before running again "
                "(a new run applies it again).",
                method="POST",
                path=path,
            )

        payload = body.model_dump(mode="json", exclude_none=True)
        return self._post_budgeted(path, ClusteringEnrichmentResponse, action, payload, refuse)

    # -- triggers (/v1/clusters/triggers; the same at API levels 1.3.1 and 1.3.783) --------
    def create_trigger(self, body: CreateTriggerRequest) -> TriggerModel:
        """POST /v1/clusters/triggers. Never repeated after an unknown outcome: a trigger has
        no name to look it up by, so a second POST could make a second trigger."""
        action = f"create a {body.trigger_type.value} trigger"
        path = _TRIGGERS_PATH

        def refuse(failure: _Failure) -> NoReturn:
            raise APIConnectionError(
                f"{failure.error.message} The trigger may have been created anyway, so the "
                "request was not repeated. List the namespace's triggers (POST "
                "/v1/clusters/triggers/list) and delete a stray one, or import it, before "
                "running `pulumi up` again (which creates one).",
                method="POST",
                path=path,
            )

        payload = body.model_dump(mode="json", exclude_none=True)
        return self._post_budgeted(path, TriggerModel, action, payload, refuse)

    def get_trigger(self, trigger_id: str) -> TriggerModel:
        """GET /v1/clusters/triggers/{id}. Raises NotFoundError."""
        action = f"read trigger {trigger_id!r}"
        response = self._send("GET", _trigger_path(trigger_id), action=action)
        return self._parse(TriggerModel, response, action)

    def find_trigger(self, trigger_id: str) -> TriggerModel | None:
        """GET /v1/clusters/triggers/{id}; None when it does not exist."""
        try:
            return self.get_trigger(trigger_id)
        except NotFoundError:
            return None

    def update_trigger(self, trigger_id: str, body: UpdateTriggerRequest) -> TriggerModel:
        """PATCH /v1/clusters/triggers/{id} with the keys set on ``body`` (it sets values:
        sent again after an unknown outcome)."""
        action = f"update trigger {trigger_id!r}"
        payload = body.model_dump(mode="json", exclude_unset=True, exclude_none=True)
        response = self._send("PATCH", _trigger_path(trigger_id), action=action, json=payload)
        return self._parse(TriggerModel, response, action)

    def pause_trigger(self, trigger_id: str) -> TriggerModel:
        """POST .../pause (sets the status: sent again after an unknown outcome)."""
        action = f"pause trigger {trigger_id!r}"
        response = self._send("POST", _trigger_path(trigger_id) + "/pause", action=action)
        return self._parse(TriggerModel, response, action)

    def resume_trigger(self, trigger_id: str) -> TriggerModel:
        """POST .../resume (sets the status: sent again after an unknown outcome)."""
        action = f"resume trigger {trigger_id!r}"
        response = self._send("POST", _trigger_path(trigger_id) + "/resume", action=action)
        return self._parse(TriggerModel, response, action)

    def delete_trigger(self, trigger_id: str) -> None:
        """DELETE /v1/clusters/triggers/{id}. Raises NotFoundError when it is already gone."""
        self._send("DELETE", _trigger_path(trigger_id), action=f"delete trigger {trigger_id!r}")

    def get_trigger_history(
        self, trigger_id: str, body: TriggerHistoryRequest | None = None
    ) -> TriggerHistoryResponse:
        """POST .../history: one page of the trigger's executions (a read: sent again)."""
        action = f"read the execution history of trigger {trigger_id!r}"
        payload = (body or TriggerHistoryRequest()).model_dump(mode="json", exclude_none=True)
        response = self._send(
            "POST", _trigger_path(trigger_id) + "/history", action=action, json=payload
        )
        return self._parse(TriggerHistoryResponse, response, action)

    def _post_budgeted(
        self,
        path: str,
        model: type[M],
        action: str,
        payload: dict[str, Any] | None,
        maybe_applied: Callable[[_Failure], M | None],
    ) -> M:
        """A POST that is not idempotent, sent at most ``max_retries + 1`` times. After an
        attempt whose outcome is unknown (``failure.maybe_applied``), ``maybe_applied`` finds
        what it did (its result is returned), raises, or returns None to send again."""
        attempts = self._max_retries + 1
        failure: _Failure | None = None
        for attempt in range(attempts):
            if failure is not None:
                self._pause(action, attempt, failure)
            outcome = self._attempt("POST", path, action=action, json=payload)
            if isinstance(outcome, httpx.Response):
                return self._parse(model, outcome, action)
            failure = outcome
            if not failure.retry:
                raise failure.error
            if failure.maybe_applied:
                found = maybe_applied(failure)
                if found is not None:
                    return found
        assert failure is not None
        raise _gave_up(failure.error, attempts)

    # -- recovery -------------------------------------------------------------------------
    def _lookup_after(self, failure: _Failure, name: str, action: str) -> ClusterMetadata | None:
        """The cluster named ``name``, or None; raises when even the lookup fails."""
        try:
            return self.find_cluster_named(name)
        except APIError as exc:
            lookup = exc
        raise APIError(
            f"Could not {action}: {failure.reason}, and looking the cluster up by name failed "
            f"too: {lookup.message} Whether it was created is not known; run again later (if "
            "it was, the create finds its name taken and says how to take it over).",
            method="POST",
            path="/v1/clusters",
        )

    def _recovered(
        self,
        found: ClusterMetadata,
        name: str,
        action: str,
        differences: Differences,
        since: datetime,
    ) -> ClusterMetadata:
        """``found`` when it is the cluster this create made (see ``create_cluster``), else
        NameTakenError."""
        lines = list(differences(found))
        created = found.created_at
        if created is not None and created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        if created is None or created < since:
            when = f"at {created.isoformat()}" if created else "at a time the API does not say"
            self._note(
                action,
                f"cluster {found.cluster_id} holds the name, but it was created {when}, before "
                "this create was sent: it is not this create's",
            )
            raise name_taken_error(
                name, found.cluster_id, namespace=self.namespace, differences=lines
            )
        if lines:
            raise name_taken_error(
                name, found.cluster_id, namespace=self.namespace, differences=lines
            )
        self._note(
            action,
            f"recovered: cluster {found.cluster_id} was created, although the answer to the "
            "create was lost",
        )
        return found

    # -- transport ------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._api_key}",
            "X-Namespace": self.namespace,
            "Accept": "application/json",
            "User-Agent": "pulumi-mixpeek",
        }

    def _attempt(
        self,
        method: str,
        path: str,
        *,
        action: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response | _Failure:
        """Send once: the response, or what went wrong (never raised here, so that what the
        caller raises has no httpx exception in its chain)."""
        secrets = (self._api_key,)
        try:
            response = self._http.request(
                method, self.endpoint + path, headers=self._headers(), json=json, params=params
            )
        except httpx.TransportError as exc:
            timed_out = isinstance(exc, httpx.TimeoutException)
            return _Failure(
                connection_error(
                    exc,
                    action=action,
                    endpoint=self.endpoint,
                    secrets=secrets,
                    endpoint_where=self._endpoint_where,
                ),
                retry=isinstance(exc, _RETRYABLE),
                maybe_applied=not isinstance(exc, _NOT_SENT),
                reason=f"{'timed out' if timed_out else 'connection failed'} "
                f"({type(exc).__name__})",
            )
        if not response.is_error:
            return response
        status = response.status_code
        error = status_error(
            response,
            action=action,
            secrets=secrets,
            rejected_key=self._rejected_key,
            namespace_where=self._namespace_where,
        )
        retry = status == 429 or status >= 500
        return _Failure(
            error,
            retry=retry,
            maybe_applied=status >= 500,
            reason=f"HTTP {status}" + (f" {error.error_type}" if error.error_type else ""),
            retry_after=_retry_after_seconds(response) if retry else None,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        action: str,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """An idempotent request, sent up to ``max_retries + 1`` times."""
        attempts = self._max_retries + 1
        failure: _Failure | None = None
        for attempt in range(attempts):
            if failure is not None:
                self._pause(action, attempt, failure)
            outcome = self._attempt(method, path, action=action, json=json, params=params)
            if isinstance(outcome, httpx.Response):
                return outcome
            failure = outcome
            if not failure.retry:
                raise failure.error
        assert failure is not None
        raise _gave_up(failure.error, attempts)

    def _pause(self, action: str, attempt: int, failure: _Failure) -> None:
        """Wait before ``attempt`` (1-based retry number) and say so."""
        of = f"retry {attempt} of {self._max_retries}"
        if failure.retry_after is not None:
            delay = min(failure.retry_after, RETRY_AFTER_MAX_S)
            self._note(
                action, f"{failure.reason}; waiting {delay:g} s as its Retry-After asks ({of})"
            )
        else:
            delay = self._backoff(attempt - 1)
            self._note(action, f"{failure.reason}; retrying in {delay:.1f} s ({of})")
        self._sleep(delay)

    def _note(self, action: str, text: str) -> None:
        self._notify(redact(f"{action}: {text}", (self._api_key,)))

    def _backoff(self, attempt: int) -> float:
        base = min(BACKOFF_INITIAL_S * (2.0**attempt), BACKOFF_MAX_S)
        return base * (1.0 - 0.25 * self._jitter())

    def _parse(self, model: type[M], response: httpx.Response, action: str) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            problem = str(exc)
        message = redact(
            f"Could not {action}: the API answered {response.status_code} with a body that "
            f"is not a valid {model.__name__} ({problem}).",
            (self._api_key,),
        )
        raise APIResponseValidationError(
            message, method=response.request.method, path=response.request.url.path
        )


_TRIGGERS_PATH = "/v1/clusters/triggers"


def _trigger_path(trigger_id: str) -> str:
    return f"{_TRIGGERS_PATH}/" + quote(trigger_id, safe="")


def _cluster_path(identifier: str) -> str:
    return "/v1/clusters/" + quote(identifier, safe="")


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
