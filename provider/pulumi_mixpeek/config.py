"""Provider configuration: endpoint, namespace, API key and retry budget, from stack config
or environment, each with where it came from (``Origin``), which messages name.

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
from enum import StrEnum
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

__all__ = [
    "CONFIG_VARIABLES",
    "ConfigVariable",
    "Origin",
    "ProviderSettings",
    "key_origin_text",
    "recorded_settings_text",
    "where_set",
    "validate_endpoint",
]

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


class Origin(StrEnum):
    """Where a setting's value came from, as messages name it."""

    #: ``pulumi config set mixpeek:...`` (the dynamic provider; the native default provider).
    STACK_CONFIG = "stack config"
    #: ``MIXPEEK_*`` in the environment of the provider process.
    ENVIRONMENT = "environment"
    #: An argument of an explicit native provider resource (``native.Provider(api_key=...)``).
    PROVIDER_ARGUMENT = "provider argument"
    #: The ``namespace`` / ``endpoint`` recorded on the resource (``location.py``).
    RESOURCE_INPUT = "resource input"
    #: An argument of a lookup function (``get_cluster(..., api_key=...)``).
    FUNCTION_ARGUMENT = "function argument"


#: The schema name of each setting (the key of ``mixpeek:<name>`` and of the provider's
#: argument), by ``ProviderSettings`` field.
_NAMES = {"api_key": "apiKey", "namespace": "namespace", "endpoint": "endpoint"}
_ENVIRONMENT = {"api_key": ENV_API_KEY, "namespace": ENV_NAMESPACE, "endpoint": ENV_ENDPOINT}


def where_set(setting: str, origin: Origin | None) -> str | None:
    """Where ``setting`` (``api_key``, ``namespace``, ``endpoint``) was set, e.g. "stack
    config mixpeek:namespace" (None: not known)."""
    return None if origin is None else _where(setting, origin)


def _where(setting: str, origin: Origin) -> str:
    name = _NAMES[setting]
    return {
        Origin.STACK_CONFIG: f"stack config mixpeek:{name}",
        Origin.ENVIRONMENT: f"the {_ENVIRONMENT[setting]} environment variable",
        Origin.PROVIDER_ARGUMENT: f"the provider resource's {name} argument",
        Origin.RESOURCE_INPUT: f"the resource's {setting} input",
        Origin.FUNCTION_ARGUMENT: f"the function's {setting} argument",
    }[origin]


def key_origin_text(origin: Origin | None) -> tuple[str, str]:
    """(where the API key was set, how to set a valid one) for the messages about a key the
    API refused; with no known origin, the two places it can be set."""
    set_config = f"`pulumi config set --secret {CONFIG_API_KEY} <key>`"
    if origin is None:
        return "", f"Set a valid key with {set_config} or the {ENV_API_KEY} environment variable."
    where = f" set in {_where('api_key', origin)}"
    if origin is Origin.ENVIRONMENT:
        return where, (
            f"Set {ENV_API_KEY} to a valid key (stack config {CONFIG_API_KEY}, if set, takes "
            "precedence)."
        )
    if origin is Origin.PROVIDER_ARGUMENT:
        return where, "Pass a valid key as the provider's apiKey."
    if origin is Origin.FUNCTION_ARGUMENT:
        return where, "Pass a valid key as the function's api_key."
    return where, f"Set a valid key with {set_config}."


def recorded_settings_text(command: str, *, changed: str) -> str:
    """Why ``pulumi <command>`` (refresh, destroy) may not see the key ``changed`` ("set",
    "changed") since the last ``pulumi up``: outside ``--run-program`` the engine configures
    the provider with the settings recorded in the state (the dynamic provider's stack
    config; the native provider's inputs), not with the current stack config."""
    return (
        f"`pulumi {command}` uses the provider settings recorded in the state by the last "
        f"`pulumi up`, not the current stack config: if {CONFIG_API_KEY} was {changed} since, "
        f"run `pulumi {command} --run-program`"
    )


def _first(*values: Any) -> str | None:
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _pick(
    configured: Any, environment: str | None, origin: Origin
) -> tuple[str | None, Origin | None]:
    """The configured value, else the environment's, with where it came from."""
    value = _first(configured)
    if value is not None:
        return value, origin
    value = _first(environment)
    return value, Origin.ENVIRONMENT if value is not None else None


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
    #: Where the key, the namespace and the endpoint came from (None: not set, or not known).
    api_key_origin: Origin | None = None
    namespace_origin: Origin | None = None
    endpoint_origin: Origin | None = None
    #: The command ("refresh", "destroy") that runs the operation these settings are for
    #: with the settings recorded in the state unless given ``--run-program``: a read of a
    #: resource in state is a refresh, a delete is a destroy (or an up deleting what the
    #: program no longer declares, which runs the program). Messages about the key then
    #: name ``--run-program``; the provider cannot tell whether it was given.
    recorded_for: str | None = None

    @classmethod
    def resolve(
        cls,
        config_get: ConfigGetter | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        origin: Origin = Origin.STACK_CONFIG,
    ) -> ProviderSettings:
        """Stack configuration first (``mixpeek:apiKey`` ...), then the environment.
        ``origin``: what ``config_get`` reads (the native plugin's explicit providers pass
        ``PROVIDER_ARGUMENT``)."""
        env = os.environ if environ is None else environ

        def config(key: str) -> Any:
            return config_get(key) if config_get is not None else None

        endpoint, endpoint_origin = _pick(config(CONFIG_ENDPOINT), env.get(ENV_ENDPOINT), origin)
        namespace, namespace_origin = _pick(
            config(CONFIG_NAMESPACE), env.get(ENV_NAMESPACE), origin
        )
        api_key, api_key_origin = _pick(config(CONFIG_API_KEY), env.get(ENV_API_KEY), origin)
        return cls(
            endpoint=endpoint or DEFAULT_ENDPOINT,
            namespace=namespace,
            api_key=api_key,
            max_retries=_retries(_first(config(CONFIG_MAX_RETRIES), env.get(ENV_MAX_RETRIES))),
            api_version=_first(config(CONFIG_API_VERSION), env.get(ENV_API_VERSION)),
            api_key_origin=api_key_origin,
            namespace_origin=namespace_origin,
            endpoint_origin=endpoint_origin,
        )

    def require_api_key(self) -> str:
        if not self.api_key:
            how = (
                f"set it with `pulumi config set --secret {CONFIG_API_KEY} <key>` or the "
                f"{ENV_API_KEY} environment variable."
            )
            if self.recorded_for is not None:
                how = f"{recorded_settings_text(self.recorded_for, changed='set')}; otherwise {how}"
            else:
                how = (
                    f"{how[0].upper()}{how[1:]} (Preview does not need it; create, read, update "
                    "and delete do.)"
                )
            raise MissingCredentialsError(f"No Mixpeek API key is configured. {how}")
        problem = _header_problem(self.api_key, space=False)
        if problem is not None:
            where, how = key_origin_text(self.api_key_origin)
            where = where or f" set in {CONFIG_API_KEY} / {ENV_API_KEY}"
            raise ConfigurationError(
                f"The Mixpeek API key{where} contains {problem}, so it cannot be sent in an "
                f"HTTP header; nothing was sent. {how} Copy it exactly as Mixpeek issued it."
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
