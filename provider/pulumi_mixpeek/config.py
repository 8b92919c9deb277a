"""Provider configuration: endpoint, namespace, API key and retry budget, from stack config
or environment.

Nothing here talks to the network, and nothing here fails when the key is missing: only an
operation that calls the API asks for it (``require_api_key``), so ``pulumi preview`` works
without secrets (e.g. in a pull request from a fork). A key or namespace that cannot be sent
in an HTTP header is refused there too, before any request, by a message that never quotes
the value.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ._constants import (
    CONFIG_API_KEY,
    CONFIG_API_VERSION,
    CONFIG_ENDPOINT,
    CONFIG_MAX_RETRIES,
    CONFIG_NAMESPACE,
    DEFAULT_ENDPOINT,
    ENV_API_KEY,
    ENV_API_VERSION,
    ENV_ENDPOINT,
    ENV_MAX_RETRIES,
    ENV_NAMESPACE,
    MAX_RETRIES,
    MAX_RETRIES_LIMIT,
)
from .errors import ConfigurationError, MissingCredentialsError
from .levels import API_VERSIONS, DEFAULT_API_VERSION, ApiLevel, api_level

__all__ = ["CONFIG_VARIABLES", "ConfigVariable", "ProviderSettings", "validate_endpoint"]

ConfigGetter = Callable[[str], Any]


@dataclass(frozen=True)
class ConfigVariable:
    """One configuration variable, as the schema, the reference docs and the README show it."""

    key: str
    environment: str
    description: str
    secret: bool = False
    default: str | None = None
    #: The schema type (Pulumi Package Schema primitive).
    type: str = "string"

    @property
    def name(self) -> str:
        """The name without the package prefix (``apiKey`` for ``mixpeek:apiKey``)."""
        return self.key.partition(":")[2]


CONFIG_VARIABLES: tuple[ConfigVariable, ...] = (
    ConfigVariable(
        CONFIG_API_KEY,
        ENV_API_KEY,
        "API key, sent as `Authorization: Bearer`; needed by up, refresh and destroy (not by "
        "preview). Never written into a resource's state or outputs.",
        secret=True,
    ),
    ConfigVariable(
        CONFIG_NAMESPACE,
        ENV_NAMESPACE,
        "Namespace name or `ns_` id, sent as `X-Namespace`; needed by up, refresh and destroy.",
    ),
    ConfigVariable(
        CONFIG_ENDPOINT,
        ENV_ENDPOINT,
        "API base URL; plain `http://` only for loopback hosts (a local server).",
        default=DEFAULT_ENDPOINT,
    ),
    ConfigVariable(
        CONFIG_MAX_RETRIES,
        ENV_MAX_RETRIES,
        f"Retries of one request after its first attempt (0 to {MAX_RETRIES_LIMIT}); see "
        "docs/recovering.md, \"Retries and lost responses\".",
        default=str(MAX_RETRIES),
        type="integer",
    ),
    ConfigVariable(
        CONFIG_API_VERSION,
        ENV_API_VERSION,
        "The Mixpeek API level to speak: `1.3.783` (today's API) or `1.3.1` (older and "
        "self-hosted deployments); see docs/api-levels.md. Changing it changes no resource.",
        default=DEFAULT_API_VERSION,
    ),
)


def _first(*values: Any) -> str | None:
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _header_problem(value: str, *, space: bool = True) -> str | None:
    """What keeps ``value`` from being sent as an HTTP header value (RFC 9110 field-value;
    httpx also refuses non-ASCII), or None. ``space=False`` refuses spaces too (a bearer
    token has none, RFC 6750 section 2.1)."""
    for char in value:
        if char in "\r\n":
            return "a line break"
        if not char.isascii():
            return "a non-ASCII character"
        if char == " " and not space:
            return "a space"
        if not char.isprintable():
            return "a control character (such as a tab or NUL)"
    return None


def _retries(value: str | None) -> int | str:
    if value is None:
        return MAX_RETRIES
    try:
        number = float(value)  # the engine may hand a configured integer over as "12.0"
    except ValueError:
        return value
    if not number.is_integer() or not 0 <= number <= MAX_RETRIES_LIMIT:
        return value
    return int(number)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint(endpoint: str) -> str:
    """The endpoint without a trailing slash; plain http is allowed only on loopback."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigurationError(
            f"The Mixpeek endpoint {endpoint!r} is not an http(s) URL. "
            f"Set `{CONFIG_ENDPOINT}` / {ENV_ENDPOINT} to e.g. {DEFAULT_ENDPOINT}."
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConfigurationError(
            f"The Mixpeek endpoint {endpoint!r} uses plain http on a non-loopback host, which "
            "would send the API key unencrypted. Use https (plain http is accepted only for "
            "localhost / 127.0.0.1 / ::1, e.g. the local emulator)."
        )
    return endpoint.rstrip("/")


@dataclass(frozen=True)
class ProviderSettings:
    """Resolved settings. The key is kept out of ``repr`` and is never pickled into state
    (the provider object keeps settings only in memory, see ``ClusterProvider``)."""

    endpoint: str = DEFAULT_ENDPOINT
    namespace: str | None = None
    api_key: str | None = field(default=None, repr=False)
    #: Retries after the first attempt of one request (``mixpeek:maxRetries``), or the
    #: text that was configured when it is not a number in range (refused at first use).
    max_retries: int | str = MAX_RETRIES
    #: ``mixpeek:apiVersion`` as configured (None: the default); checked at first use.
    api_version: str | None = None

    @classmethod
    def resolve(
        cls, config_get: ConfigGetter | None = None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Stack configuration first (``mixpeek:apiKey`` ...), then the environment."""
        env = os.environ if environ is None else environ

        def config(key: str) -> Any:
            return config_get(key) if config_get is not None else None

        return cls(
            endpoint=_first(config(CONFIG_ENDPOINT), env.get(ENV_ENDPOINT)) or DEFAULT_ENDPOINT,
            namespace=_first(config(CONFIG_NAMESPACE), env.get(ENV_NAMESPACE)),
            api_key=_first(config(CONFIG_API_KEY), env.get(ENV_API_KEY)),
            max_retries=_retries(_first(config(CONFIG_MAX_RETRIES), env.get(ENV_MAX_RETRIES))),
            api_version=_first(config(CONFIG_API_VERSION), env.get(ENV_API_VERSION)),
        )

    def require_api_key(self) -> str:
        if not self.api_key:
            raise MissingCredentialsError(
                "No Mixpeek API key is configured. Set it with "
                f"`pulumi config set --secret {CONFIG_API_KEY} <key>` or the {ENV_API_KEY} "
                "environment variable. (Preview does not need it; create, read, update and "
                "delete do.)"
            )
        problem = _header_problem(self.api_key, space=False)
        if problem is not None:
            raise ConfigurationError(
                f"The Mixpeek API key set in `{CONFIG_API_KEY}` / {ENV_API_KEY} contains "
                f"{problem}, so it cannot be sent in an HTTP header; nothing was sent. Set the "
                f"key again exactly as Mixpeek issued it: `pulumi config set --secret "
                f"{CONFIG_API_KEY} <key>` (or {ENV_API_KEY})."
            )
        return self.api_key

    def require_namespace(self) -> str:
        if not self.namespace:
            raise MissingCredentialsError(
                "No Mixpeek namespace is configured. Set it with "
                f"`pulumi config set {CONFIG_NAMESPACE} <namespace id or name>` or the "
                f"{ENV_NAMESPACE} environment variable."
            )
        problem = _header_problem(self.namespace)
        if problem is not None:
            raise ConfigurationError(
                f"The Mixpeek namespace set in `{CONFIG_NAMESPACE}` / {ENV_NAMESPACE} contains "
                f"{problem}, so it cannot be sent in the X-Namespace header; nothing was sent. "
                "Use the namespace's name or its ns_ id."
            )
        return self.namespace

    def checked_max_retries(self) -> int:
        if isinstance(self.max_retries, int):
            return self.max_retries
        raise ConfigurationError(
            f"`{CONFIG_MAX_RETRIES}` / {ENV_MAX_RETRIES} is {self.max_retries!r}; it must be a "
            f"whole number from 0 to {MAX_RETRIES_LIMIT} (default {MAX_RETRIES})."
        )

    def checked_api_level(self) -> ApiLevel:
        """The API level to speak. Raises ConfigurationError for a version it does not know."""
        version = self.api_version or DEFAULT_API_VERSION
        if version not in API_VERSIONS:
            raise ConfigurationError(
                f"`{CONFIG_API_VERSION}` / {ENV_API_VERSION} is {version!r}; it must be one of "
                f"{', '.join(API_VERSIONS)} (default {DEFAULT_API_VERSION}). Set it with "
                f"`pulumi config set {CONFIG_API_VERSION} {DEFAULT_API_VERSION}`."
            )
        return api_level(version)

    def checked_endpoint(self) -> str:
        return validate_endpoint(self.endpoint)
