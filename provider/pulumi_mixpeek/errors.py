"""The one exception tree of pulumi-mixpeek, and the one place HTTP failures are mapped into it.

``MixpeekError``
├── ``ConfigurationError`` (``MissingCredentialsError``)
├── ``AdoptionError``
├── ``ExecutionError`` (a run failed, or its status is not known) → ``ExecutionTimeoutError``
├── ``EnrichmentError`` (documents failed while fail_on_errors)
└── ``APIError``
    ├── ``APIStatusError`` → one subclass per status (400, 401, 403, 404, 409, 422, 429, 5xx)
    ├── ``APIConnectionError`` → ``APITimeoutError``
    ├── ``APIResponseValidationError``
    └── ``NameTakenError``

Messages are written for the person reading ``pulumi up`` output: what failed, on which
cluster, what to do next. They never contain the API key: every text taken from the wire goes
through ``redact``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx

from ._constants import CONFIG_API_KEY, CONFIG_NAMESPACE, ENV_API_KEY, ENV_NAMESPACE

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AdoptionError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "EnrichmentError",
    "ExecutionError",
    "ExecutionTimeoutError",
    "InternalServerError",
    "MissingCredentialsError",
    "MixpeekError",
    "NameTakenError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "connection_error",
    "name_taken_error",
    "RECOVERY_SECTION",
    "redact",
    "status_error",
]

REDACTED = "[redacted]"
_MAX_BODY_CHARS = 2000


class MixpeekError(Exception):
    """Base of every error raised by pulumi-mixpeek."""


class ConfigurationError(MixpeekError):
    """The provider configuration (endpoint, namespace, key) cannot be used."""


class MissingCredentialsError(ConfigurationError):
    """An operation needs the API key (or namespace) and none is configured."""


class AdoptionError(MixpeekError):
    """``adopt=True`` found no cluster, or one whose immutable configuration differs."""


class ExecutionError(MixpeekError):
    """A clustering run did not complete: it ended in a failed status (FAILED, CANCELED,
    SKIPPED, ...: ``models.TASK_STATUS_CLASSES``), or reports one the provider does not know."""

    def __init__(self, message: str, *, task_id: str, status: str | None) -> None:
        super().__init__(message)
        self.task_id = task_id
        self.status = status


class ExecutionTimeoutError(ExecutionError):
    """A clustering run did not end within ``timeout_seconds`` (it may still be running)."""


class EnrichmentError(MixpeekError):
    """An enrichment was applied, but some documents failed (with ``fail_on_errors``)."""


class APIError(MixpeekError):
    """A request to the Mixpeek API failed."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path


class APIConnectionError(APIError):
    """No usable response: connection refused or dropped, TLS failure, ..."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body does not match the 1.3.1 model."""


class NameTakenError(APIError):
    """A create cannot go ahead: another cluster (``holder_id``) has the name."""

    def __init__(self, message: str, *, cluster_name: str, holder_id: str | None) -> None:
        super().__init__(message, method="POST", path="/v1/clusters")
        self.cluster_name = cluster_name
        self.holder_id = holder_id


class APIStatusError(APIError):
    """The API answered with an error status."""

    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_type: str | None,
        api_message: str | None,
        request_id: str | None,
        body: Any,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.status_code = status_code
        self.error_type = error_type
        self.api_message = api_message
        self.request_id = request_id
        self.body = body

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"error_type={self.error_type!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


class InternalServerError(APIStatusError):
    status_code = 500


_BY_STATUS: dict[int, type[APIStatusError]] = {
    cls.status_code: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
    )
}

_HINTS: dict[type[APIStatusError], str] = {
    PermissionDeniedError: (
        f"The API key may not be used in this namespace. Check `{CONFIG_NAMESPACE}` / "
        f"{ENV_NAMESPACE}, or use a key allowed in that namespace."
    ),
    NotFoundError: "It does not exist in this namespace (deleted, or never created here).",
    RateLimitError: (
        "The API kept rate-limiting after several retries; run again later or lower `--parallel`."
    ),
    InternalServerError: "The Mixpeek API failed; retry later.",
}


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every non-empty secret replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _parse_body(response: httpx.Response, secrets: Iterable[str | None]) -> Any:
    text = redact(response.text[:_MAX_BODY_CHARS], secrets)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _describe(body: Any) -> tuple[str | None, str | None]:
    """(error type, message) from an ErrorResponse or a FastAPI 422 body."""
    if not isinstance(body, dict):
        return None, (body.strip() or None) if isinstance(body, str) else None
    error = body.get("error")
    if isinstance(error, dict):
        message = error.get("message")
        return (
            str(error["type"]) if error.get("type") else None,
            str(message) if message else None,
        )
    detail = body.get("detail")
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                parts.append(f"{loc}: {item.get('msg')}" if loc else str(item.get("msg")))
        return "ValidationError", "; ".join(parts) or None
    if isinstance(detail, str):
        return None, detail
    return None, None


def _request_id(response: httpx.Response) -> str | None:
    for header in ("x-request-id", "request-id", "x-amzn-requestid"):
        if header in response.headers:
            return response.headers[header]
    return None


#: What a 401 says by default: the key was set in one of two places (``key_origin_text``
#: in ``config.py`` says which one when the client knows).
_REJECTED_KEY = (
    "",
    f"Set a valid key with `pulumi config set --secret {CONFIG_API_KEY} <key>` or the "
    f"{ENV_API_KEY} environment variable.",
)


def status_error(
    response: httpx.Response,
    *,
    action: str,
    secrets: Iterable[str | None] = (),
    rejected_key: tuple[str, str] = _REJECTED_KEY,
    namespace_where: str | None = None,
) -> APIStatusError:
    """The exception for an error response; ``action`` says what was attempted.
    ``rejected_key``: for a 401, (where the key was set, e.g. " set in stack config
    mixpeek:apiKey", and what to do), so the message names the key's place once;
    ``namespace_where``: for a 403, where the namespace was set, if known.

    This is the only place a status code is turned into an exception class.
    """
    secrets = list(secrets)
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    body = _parse_body(response, secrets)
    error_type, api_message = _describe(body)
    request_id = _request_id(response)
    if cls is AuthenticationError:
        # The API's own words ("Invalid API key. Check the key you configured.") say what
        # this sentence says, without where the key came from: they stay in api_message.
        where, how = rejected_key
        kind = f" {error_type}" if error_type else ""
        parts = [
            f"Could not {action}: the Mixpeek API rejected the API key{where} "
            f"(HTTP {status}{kind}). {how}"
        ]
    else:
        parts = [f"Could not {action}: HTTP {status}"]
        if error_type:
            parts.append(f" {error_type}")
        if api_message:
            parts.append(f": {api_message.rstrip()}")
        if not parts[-1].endswith((".", "!", "?")):
            parts.append(".")
        hint = _HINTS.get(cls)
        if cls is PermissionDeniedError and namespace_where:
            # The API's message says the key may not use the namespace.
            hint = f"The namespace was set in {namespace_where}; use an API key allowed in it."
        if hint:
            parts.append(f" {hint}")
    if request_id:
        parts.append(f" (request id {request_id})")
    request = response.request
    return cls(
        redact("".join(parts), secrets),
        status_code=status,
        error_type=error_type,
        api_message=api_message,
        request_id=request_id,
        body=body,
        method=request.method,
        path=request.url.path,
    )


def connection_error(
    exc: httpx.TransportError,
    *,
    action: str,
    endpoint: str,
    secrets: Iterable[str | None] = (),
    endpoint_where: str | None = None,
) -> APIConnectionError:
    """The exception for an httpx transport error. The caller raises it without chaining
    ``exc`` (whose text may hold request headers). ``endpoint_where``: where the endpoint
    was set, if known."""
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if cls is APITimeoutError else f"failed ({type(exc).__name__}: {exc})"
    check = (
        f"the endpoint, set in {endpoint_where}"
        if endpoint_where
        else "`mixpeek:endpoint` / MIXPEEK_ENDPOINT"
    )
    message = (
        f"Could not {action}: the request to {endpoint} {what}. Check the network and {check}."
    )
    request = getattr(exc, "_request", None)
    return cls(
        redact(message, secrets),
        method=request.method if request is not None else None,
        path=request.url.path if request is not None else None,
    )


#: The README section on recovering after an interrupted `pulumi up` (pending creates).
RECOVERY_SECTION = "Recovering from an interrupted run"


def name_taken_error(
    name: str,
    holder_id: str | None,
    *,
    namespace: str,
    differences: Iterable[tuple[str, Any, Any]] = (),
) -> NameTakenError:
    """A create refused by, or a lost create's name found held by, another cluster;
    ``differences`` are (field, declared, existing) when its configuration was compared."""
    lines = [f"{f}: declared {d!r}, existing {e!r}" for f, d, e in differences]
    holder = f"cluster {holder_id}" if holder_id else "another cluster"
    if lines:
        found = (
            f"the answer to the create was lost, and {holder}, found under that name, is not "
            "the declared one; these fields cannot be changed in place and differ:\n"
            + "".join(f"  {line}\n" for line in lines)
        )
    else:
        found = f"the name is already used by {holder} in namespace {namespace!r}. "
    return NameTakenError(
        f"Could not create cluster {name!r}: {found}"
        "To manage that cluster with this resource, declare its configuration with "
        "adopt=True; to create a new one, choose another cluster_name. If an interrupted "
        "`pulumi up` of this stack created it, follow the README section "
        f'"{RECOVERY_SECTION}".',
        cluster_name=name,
        holder_id=holder_id,
    )
