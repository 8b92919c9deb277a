"""The native provider ``mixpeek``: the resource providers of ``resources/`` behind the
engine's provider interface (``pulumi.provider.experimental.provider.Provider``).

Thin on purpose: every rule (check, diff, create, read, update, delete) is the dynamic
provider's own method, called with plain values (``values.py``). What the native protocol adds:
- configuration per provider instance (``mixpeek:apiKey`` / ``namespace`` / ``endpoint``
  for the default provider, the same keys as arguments of an explicit provider), so one
  program can address several namespaces; the environment variables stay the fallback;
- generated names derived from the resource's URN, so the name preview shows is the one
  created (see ``check``);
- a detailed diff, so ``replaceOnChanges``, ``ignoreChanges`` and the preview's
  ``[diff: ~field]`` work as under the dynamic host;
- errors as one message, with the API key removed (``server.py`` sends it without traceback);
- Pulumi's camelCase property names on the wire (``collectionIds``), translated to and from
  the models' snake_case by the schema (``names.py``), so every language's SDK and YAML use
  the schema's names while the rules keep theirs.

Calls run in worker threads (the client is synchronous), so the engine's parallel steps run
in parallel.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from pulumi.dynamic import CheckFailure as DynamicCheckFailure
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    InvokeRequest,
    InvokeResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pydantic import ValidationError

from .._constants import (
    CLUSTER_TOKEN,
    ENRICHMENT_TOKEN,
    EXECUTION_TOKEN,
    GET_CLUSTER_GROUPS_TOKEN,
    GET_CLUSTER_TOKEN,
    GET_TASK_TOKEN,
    GET_TRIGGER_HISTORY_TOKEN,
    LIST_CLUSTERS_TOKEN,
    TRIGGER_TOKEN,
)
from .._unknowns import is_unknown
from ..boundary import engine_failures
from ..client import MixpeekClient, shared_client
from ..config import Origin, ProviderSettings, validate_endpoint
from ..diff import changed_fields
from ..errors import MixpeekError, redact
from ..lookups import (
    GetClusterArgs,
    GetClusterGroupsArgs,
    GetTaskArgs,
    GetTriggerHistoryArgs,
    ListClustersResult,
)
from ..models import ListClustersRequest, TriggerHistoryRequest
from ..models.declaration import (
    ClusterEnrichmentDeclaration,
    ClusterExecutionDeclaration,
    ClusterTriggerDeclaration,
)
from ..names import camel, renamer
from ..names import resource_path as _camel_path
from ..names import resource_to_camel as _to_camel
from ..names import resource_to_snake as _to_snake
from ..normalize import canonical_inputs
from ..resources.cluster_provider import ClusterProvider
from ..resources.enrichment_provider import ClusterEnrichmentProvider
from ..resources.execution_provider import ClusterExecutionProvider
from ..resources.trigger_provider import ClusterTriggerProvider
from ..validation import UnknownProperty
from .values import plain_map, property_map, secret_keys

__all__ = ["MixpeekProvider", "ProviderError"]

P = ParamSpec("P")
R = TypeVar("R")


class ProviderError(Exception):
    """What the user reads when a call fails: one message, free of the API key."""


@dataclass(frozen=True)
class _Resource:
    """A resource type: its provider (the dynamic one's rules) and the fields its diff
    compares, in canonical form."""

    provider: (
        ClusterProvider
        | ClusterExecutionProvider
        | ClusterEnrichmentProvider
        | ClusterTriggerProvider
    )
    changed: Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]]
    canonical: Callable[[Mapping[str, Any]], dict[str, Any]]


def _user_message(exc: BaseException) -> str:
    if isinstance(exc, MixpeekError | ProviderError):
        return str(exc)
    # A bug rather than a user error: still one line, naming the exception type.
    return f"{type(exc).__name__}: {exc} (an internal error of pulumi-resource-mixpeek)"


def _errors_as_messages(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R]]:
    """Every exception leaves as a ``ProviderError`` holding only its message, the key
    removed, with no chained cause that could carry it elsewhere."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except Exception as exc:  # the boundary to the engine
            self = args[0]
            key = self._settings.api_key if isinstance(self, MixpeekProvider) else None
            raise ProviderError(redact(_user_message(exc), [key])) from None

    return wrapper


def _config_getter(request: ConfigureRequest) -> Callable[[str], Any]:
    """``mixpeek:apiKey`` ... from the provider's arguments (``apiKey``), else from the
    configuration variables (``mixpeek:config:apiKey``). Unknown values count as unset."""
    args = plain_map(request.args)

    def get(key: str) -> Any:
        package, name = key.split(":", 1)
        value = args.get(name)
        if value is None:
            value = request.variables.get(f"{package}:config:{name}")
        return None if is_unknown(value) else value

    return get


def _schema_failure(token: str, failure: DynamicCheckFailure) -> DynamicCheckFailure:
    """A check failure in the schema's names. An unknown property's nearest valid name is
    given in the spelling the user wrote it in: snake_case for a name with ``_`` (the Python
    faces), else the schema's camelCase (YAML, TypeScript, Go)."""
    path = _camel_path(token, failure.property)
    if not isinstance(failure, UnknownProperty):
        return DynamicCheckFailure(path, failure.reason)
    typed = failure.property.rpartition(".")[2]
    spell = (lambda name: name) if "_" in typed else camel
    return failure.respelt(lambda parent: _camel_path(token, parent), spell)


class MixpeekProvider(Provider):
    """The ``mixpeek`` package: ``mixpeek:index:Cluster``, ``ClusterExecution``,
    ``ClusterEnrichment`` and ``ClusterTrigger``."""

    def __init__(self) -> None:
        self._settings = ProviderSettings.resolve()
        #: The URN of the provider resource this process serves, when the engine says it
        #: (``server.py``): a default provider is configured from the stack's config, an
        #: explicit one from its arguments, which messages about the key tell apart.
        self.provider_urn: str | None = None
        cluster = ClusterProvider()
        self._resources = {
            # A Cluster's canonical form depends on the API level (its defaults): the
            # provider's, as configured.
            CLUSTER_TOKEN: _Resource(cluster, cluster.changed_inputs, cluster.canonical),
            EXECUTION_TOKEN: _Resource(
                ClusterExecutionProvider(),
                functools.partial(changed_fields, model=ClusterExecutionDeclaration),
                functools.partial(canonical_inputs, model=ClusterExecutionDeclaration),
            ),
            ENRICHMENT_TOKEN: _Resource(
                ClusterEnrichmentProvider(),
                functools.partial(changed_fields, model=ClusterEnrichmentDeclaration),
                functools.partial(canonical_inputs, model=ClusterEnrichmentDeclaration),
            ),
            TRIGGER_TOKEN: _Resource(
                ClusterTriggerProvider(),
                functools.partial(changed_fields, model=ClusterTriggerDeclaration),
                functools.partial(canonical_inputs, model=ClusterTriggerDeclaration),
            ),
        }

    def _resource(self, token: str) -> _Resource:
        resource = self._resources.get(token)
        if resource is None:
            raise ProviderError(
                f"The mixpeek provider has no resource type {token!r}; it serves "
                f"{', '.join(sorted(self._resources))}."
            )
        return resource

    # -- provider configuration ---------------------------------------------------------
    @_errors_as_messages
    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        # The schema generator is the one source of schema.json; imported here only, since
        # no other call needs it.
        from ..schema import package_schema

        return GetSchemaResponse(schema=json.dumps(package_schema()))

    @_errors_as_messages
    async def check_config(self, request: CheckRequest) -> CheckResponse:
        failures = []
        endpoint = plain_map(request.new_inputs).get("endpoint")
        # Empty means unset, as in ProviderSettings.resolve (`config set mixpeek:endpoint ""`).
        if isinstance(endpoint, str) and endpoint.strip() and not is_unknown(endpoint):
            try:
                validate_endpoint(endpoint)
            except MixpeekError as exc:
                failures.append(CheckFailure("endpoint", str(exc)))
        return CheckResponse(inputs=request.new_inputs, failures=failures)

    @_errors_as_messages
    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        get = _config_getter(request)
        name = (self.provider_urn or "").rpartition("::")[2]
        explicit = bool(name) and not name.startswith("default")
        origin = Origin.PROVIDER_ARGUMENT if explicit else Origin.STACK_CONFIG
        self._settings = ProviderSettings.resolve(get, origin=origin)
        for resource in self._resources.values():
            resource.provider.use_settings(self._settings)
        # supports_preview=False: the engine shows the inputs as the planned outputs and
        # never calls create/update during preview, which so needs no key, as before.
        return ConfigureResponse(accept_secrets=True, supports_preview=False)

    # -- local operations ---------------------------------------------------------------
    @_errors_as_messages
    async def check(self, request: CheckRequest) -> CheckResponse:
        resource = self._resource(request.type)
        # The seed for generated names is the URN (project, stack, parents, name), not the
        # engine's random_seed: that one is drawn anew for every deployment unless an update
        # plan carries it over (pkg/resource/deploy/step_generator.go in pulumi 3.274), so
        # preview and up would show different names. The declaration is hashed in as well
        # (generate_cluster_name), so a replacement still gets a new name.
        token = request.type
        result = resource.provider.check_inputs(
            _to_snake(token, plain_map(request.old_inputs)),
            _to_snake(token, plain_map(request.new_inputs)),
            random_seed=request.urn.encode(),
        )
        failures = [_schema_failure(token, f) for f in result.failures or []]
        return CheckResponse(
            inputs=property_map(_to_camel(token, result.inputs), secret_keys(request.new_inputs)),
            failures=[
                CheckFailure(f.property, f.reason)
                for f in engine_failures(failures, plain_map(request.new_inputs))
            ],
        )

    @_errors_as_messages
    async def diff(self, request: DiffRequest) -> DiffResponse:
        resource = self._resource(request.type)
        token = request.type
        olds = _to_snake(token, plain_map(request.old_state))
        news = _to_snake(token, plain_map(request.new_inputs))
        result = resource.provider.diff(request.resource_id, olds, news)
        if result.changes is False:
            return DiffResponse(changes=False)
        changed = resource.changed(olds, news)
        replaces = set(result.replaces or [])
        old, new = resource.canonical(olds), resource.canonical(news)
        return DiffResponse(
            # True with nothing changed: a recorded run to follow (execution_provider.diff).
            changes=bool(changed) or result.changes is True,
            replaces=sorted(_camel_path(token, name) for name in replaces),
            delete_before_replace=bool(result.delete_before_replace),
            diffs=[_camel_path(token, name) for name in changed],
            detailed_diff={
                _camel_path(token, name): PropertyDiff(
                    _diff_kind(name in old, name in new, name in replaces), True
                )
                for name in changed
            },
        )

    # -- API operations -----------------------------------------------------------------
    @_errors_as_messages
    async def create(self, request: CreateRequest) -> CreateResponse:
        resource = self._resource(request.type)
        token = request.type
        result = await asyncio.to_thread(
            resource.provider.create, _to_snake(token, plain_map(request.properties))
        )
        return CreateResponse(
            resource_id=result.id,
            properties=property_map(_to_camel(token, result.outs), secret_keys(request.properties)),
        )

    @_errors_as_messages
    async def read(self, request: ReadRequest) -> ReadResponse:
        resource = self._resource(request.type)
        token = request.type
        state = _to_snake(token, {**plain_map(request.inputs), **plain_map(request.properties)})
        result = await asyncio.to_thread(resource.provider.read, request.resource_id, state)
        if not result.id:
            return ReadResponse(resource_id="")
        secrets = secret_keys(request.properties) | secret_keys(request.inputs)
        return ReadResponse(
            resource_id=result.id,
            properties=property_map(_to_camel(token, result.outs), secrets),
            inputs=property_map(_to_camel(token, result.inputs), secrets),
        )

    @_errors_as_messages
    async def update(self, request: UpdateRequest) -> UpdateResponse:
        resource = self._resource(request.type)
        token = request.type
        result = await asyncio.to_thread(
            resource.provider.update,
            request.resource_id,
            _to_snake(token, plain_map(request.olds)),
            _to_snake(token, plain_map(request.news)),
        )
        return UpdateResponse(
            properties=property_map(_to_camel(token, result.outs), secret_keys(request.news))
        )

    @_errors_as_messages
    async def delete(self, request: DeleteRequest) -> None:
        resource = self._resource(request.type)
        await asyncio.to_thread(
            resource.provider.delete,
            request.resource_id,
            _to_snake(request.type, plain_map(request.properties)),
        )

    @_errors_as_messages
    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        """The lookups (``lookups.py``) as the schema's functions, with this provider's
        settings: ``getCluster`` (1 GET), ``getClusterGroups`` (1 GET; API level 1.3.783
        only), ``listClusters`` (1 list call per page), ``getTask`` (1 GET) and
        ``getTriggerHistory`` (1 POST .../history)."""
        function = renamer()[1]["functions"].get(request.tok)
        if function is None:
            raise ProviderError(
                f"The mixpeek provider has no function {request.tok!r}; it serves "
                f"{GET_CLUSTER_TOKEN}, {GET_CLUSTER_GROUPS_TOKEN}, {LIST_CLUSTERS_TOKEN}, "
                f"{GET_TASK_TOKEN} and {GET_TRIGGER_HISTORY_TOKEN}."
            )
        names = renamer()[0]
        inputs, outputs = function["inputs"]["properties"], function["outputs"]["properties"]
        args = names.to_snake(plain_map(request.args), inputs)
        try:
            result = await self._lookup(request.tok, args)
        except ValidationError as exc:
            return InvokeResponse(
                failures=[
                    CheckFailure(names.path(f.property, inputs), f.reason) for f in _failures(exc)
                ]
            )
        return InvokeResponse(property_map(names.to_camel(result, outputs)))

    async def _lookup(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        """The function ``token`` with snake_case ``args``: its result, snake_case."""
        found: Any
        if token == GET_CLUSTER_TOKEN:
            identifier = GetClusterArgs.model_validate(args).identifier
            found = await asyncio.to_thread(self._client().get_cluster, identifier)
        elif token == GET_CLUSTER_GROUPS_TOKEN:
            cluster_id = GetClusterGroupsArgs.model_validate(args).cluster_id
            found = await asyncio.to_thread(self._client().get_cluster_groups, cluster_id)
        elif token == LIST_CLUSTERS_TOKEN:
            query = ListClustersRequest.model_validate(
                {k: v for k, v in args.items() if v is not None}
            )
            clusters = await asyncio.to_thread(lambda: list(self._client().iter_clusters(query)))
            found = ListClustersResult(clusters=clusters)
        elif token == GET_TRIGGER_HISTORY_TOKEN:
            history_args = GetTriggerHistoryArgs.model_validate(
                {k: v for k, v in args.items() if v is not None}
            )
            page = TriggerHistoryRequest.model_validate(
                history_args.model_dump(exclude={"trigger_id"})
            )
            found = await asyncio.to_thread(
                self._client().get_trigger_history, history_args.trigger_id, page
            )
        else:  # GET_TASK_TOKEN, the last function of the schema
            task_id = GetTaskArgs.model_validate(args).task_id
            found = await asyncio.to_thread(self._client().get_task, task_id)
        dumped: dict[str, Any] = found.model_dump(mode="json")
        return dumped

    def _client(self) -> MixpeekClient:
        return shared_client(self._settings)


def _failures(exc: ValidationError) -> list[CheckFailure]:
    return [
        CheckFailure(".".join(str(p) for p in error["loc"]) or "args", str(error["msg"]))
        for error in exc.errors()
    ]


def _diff_kind(had: bool, has: bool, replaces: bool) -> PropertyDiffKind:
    if not had:
        return PropertyDiffKind.ADD_REPLACE if replaces else PropertyDiffKind.ADD
    if not has:
        return PropertyDiffKind.DELETE_REPLACE if replaces else PropertyDiffKind.DELETE
    return PropertyDiffKind.UPDATE_REPLACE if replaces else PropertyDiffKind.UPDATE
