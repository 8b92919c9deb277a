"""API keys, namespaces and the FastAPI dependencies that enforce them.

A key is given as ``KEY`` (every namespace) or ``KEY:ns1,ns2`` (only those namespaces, by name
or by ``ns_...`` id). Namespaces need no creation: a value starting with ``ns_`` is a namespace
id; any other value is a namespace name whose id is derived from it (``ns_`` + 16 hex digits of
its SHA-256), so the name and the id address the same records.

Order of checks on ``/v1/clusters...``: 401 (missing, malformed or unknown key), then 400
(missing ``X-Namespace``), then 403 (key not allowed in that namespace).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from .errors import ApiError

__all__ = [
    "ApiKey",
    "ApiKeyDep",
    "Caller",
    "CallerDep",
    "Keyring",
    "namespace_id_for",
    "parse_api_key",
    "require_caller",
    "require_key",
]


def namespace_id_for(namespace: str) -> str:
    """The namespace id for an ``X-Namespace`` value (an ``ns_`` id, or a name)."""
    if namespace.startswith("ns_"):
        return namespace
    return "ns_" + hashlib.sha256(namespace.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ApiKey:
    """One accepted key; ``namespace_ids`` None means every namespace."""

    key: str
    namespace_ids: frozenset[str] | None

    def allows(self, namespace_id: str) -> bool:
        return self.namespace_ids is None or namespace_id in self.namespace_ids


def parse_api_key(spec: str) -> ApiKey:
    """Parse ``KEY`` or ``KEY:ns1,ns2``."""
    key, sep, namespaces = spec.strip().partition(":")
    if not key:
        raise ValueError(f"empty API key in {spec!r}")
    if not sep:
        return ApiKey(key, None)
    names = [n.strip() for n in namespaces.split(",") if n.strip()]
    if not names:
        raise ValueError(f"API key spec {spec!r} lists no namespaces after ':'")
    return ApiKey(key, frozenset(namespace_id_for(n) for n in names))


class Keyring:
    """The keys the server accepts."""

    def __init__(self, keys: Iterable[ApiKey]) -> None:
        self._keys = {k.key: k for k in keys}

    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, authorization: str | None) -> ApiKey:
        """The key in an ``Authorization`` header, or a 401."""
        if not authorization:
            raise ApiError(
                401,
                "Missing Authorization header. Send 'Authorization: Bearer <api key>'.",
            )
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise ApiError(
                401,
                "Malformed Authorization header. Expected 'Authorization: Bearer <api key>'.",
            )
        key = self._keys.get(token)
        if key is None:
            raise ApiError(401, "Invalid API key. Check the key you configured.")
        return key


@dataclass(frozen=True)
class Caller:
    """An authenticated request on a namespace."""

    key: ApiKey
    namespace: str
    namespace_id: str


def _keyring(request: Request) -> Keyring:
    keyring: Keyring = request.app.state.keyring
    return keyring


def require_key(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> ApiKey:
    """Dependency: a valid key (the tasks route, which the SDK calls without X-Namespace)."""
    return _keyring(request).lookup(authorization)


def require_caller(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_namespace: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Caller:
    """Dependency: a valid key allowed in the request's ``X-Namespace``."""
    key = _keyring(request).lookup(authorization)
    namespace = (x_namespace or "").strip()
    if not namespace:
        raise ApiError(
            400,
            "Missing X-Namespace header. Send 'X-Namespace: <namespace name or ns_ id>'.",
        )
    namespace_id = namespace_id_for(namespace)
    if not key.allows(namespace_id):
        raise ApiError(
            403,
            f"This API key is not allowed to access namespace {namespace!r}.",
            details={"namespace": namespace},
        )
    return Caller(key, namespace, namespace_id)


ApiKeyDep = Annotated[ApiKey, Depends(require_key)]
CallerDep = Annotated[Caller, Depends(require_caller)]
