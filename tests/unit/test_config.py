"""Provider settings: where each value came from, and the messages that name it (a missing
key, a key refused by the API), each said once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.config import Origin, ProviderSettings
from pulumi_mixpeek.errors import (
    APIConnectionError,
    AuthenticationError,
    MissingCredentialsError,
    PermissionDeniedError,
)
from pulumi_mixpeek.location import cluster_location
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.resources.trigger_provider import ClusterTriggerProvider

pytestmark = pytest.mark.unit

KEY = "sk_unit_rejected_0123456789"

#: The text a key-less `pulumi up` shows (create, update): nothing about recorded settings.
MISSING_KEY = (
    "No Mixpeek API key is configured. Set it with `pulumi config set --secret "
    "mixpeek:apiKey <key>` or the MIXPEEK_API_KEY environment variable. (Preview does not "
    "need it; create, read, update and delete do.)"
)
MISSING_KEY_REFRESH = (
    "No Mixpeek API key is configured. `pulumi refresh` uses the provider settings recorded "
    "in the state by the last `pulumi up`, not the current stack config: if mixpeek:apiKey "
    "was set since, run `pulumi refresh --run-program`; otherwise set it with `pulumi "
    "config set --secret mixpeek:apiKey <key>` or the MIXPEEK_API_KEY environment variable."
)
MISSING_KEY_DESTROY = (
    "No Mixpeek API key is configured. `pulumi destroy` uses the provider settings recorded "
    "in the state by the last `pulumi up`, not the current stack config: if mixpeek:apiKey "
    "was set since, run `pulumi destroy --run-program`; otherwise set it with `pulumi "
    "config set --secret mixpeek:apiKey <key>` or the MIXPEEK_API_KEY environment variable."
)


def test_each_value_records_where_it_came_from() -> None:
    config = {"mixpeek:apiKey": KEY}
    env = {"MIXPEEK_NAMESPACE": "ns-env", "MIXPEEK_API_KEY": "sk_env"}
    settings = ProviderSettings.resolve(config.get, env)
    assert settings.api_key_origin is Origin.STACK_CONFIG
    assert settings.namespace_origin is Origin.ENVIRONMENT
    assert settings.endpoint_origin is None  # the default endpoint
    from_env = ProviderSettings.resolve(None, env)
    assert from_env.api_key == "sk_env"
    assert from_env.api_key_origin is Origin.ENVIRONMENT
    explicit = ProviderSettings.resolve(config.get, env, origin=Origin.PROVIDER_ARGUMENT)
    assert explicit.api_key_origin is Origin.PROVIDER_ARGUMENT
    assert explicit.namespace_origin is Origin.ENVIRONMENT


def test_a_missing_key_says_how_to_set_it() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        ProviderSettings(namespace="n").require_api_key()
    assert str(caught.value) == MISSING_KEY


@pytest.mark.parametrize(
    ("command", "expected"), [("refresh", MISSING_KEY_REFRESH), ("destroy", MISSING_KEY_DESTROY)]
)
def test_a_missing_key_in_recorded_settings_names_run_program(
    command: str, expected: str
) -> None:
    settings = ProviderSettings(namespace="n", recorded_for=command)
    with pytest.raises(MissingCredentialsError) as caught:
        settings.require_api_key()
    assert str(caught.value) == expected


def _keyless(provider: Any) -> Any:
    provider.configure(ConfigureRequest(Config({"mixpeek:namespace": "ns-unit"}, "mixpeek")))
    return provider


#: A cluster's state as the engine hands it to read (refresh) and delete (destroy).
STATE = {
    "cluster_id": "clust_0001",
    "cluster_name": "products",
    "namespace": "ns-unit",
    "endpoint": "https://api.mixpeek.com",
    "collection_ids": ["col_a"],
}


def test_refresh_without_a_key_names_run_program() -> None:
    """read() with the previous state is a refresh: outside `--run-program` the engine
    configures the provider with the settings recorded in the state."""
    with pytest.raises(MissingCredentialsError) as caught:
        _keyless(ClusterProvider()).read("clust_0001", STATE)
    assert str(caught.value) == MISSING_KEY_REFRESH
    trigger = {"trigger_id": "trig_1", "cluster_id": "clust_0001", "trigger_type": "cron",
               "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
               "namespace": "ns-unit"}
    with pytest.raises(MissingCredentialsError) as caught:
        _keyless(ClusterTriggerProvider()).read("trig_1", trigger)
    assert str(caught.value) == MISSING_KEY_REFRESH


def test_destroy_without_a_key_names_run_program() -> None:
    with pytest.raises(MissingCredentialsError) as caught:
        _keyless(ClusterProvider()).delete("clust_0001", STATE)
    assert str(caught.value) == MISSING_KEY_DESTROY


def test_create_without_a_key_says_only_how_to_set_it() -> None:
    declared = {"collection_ids": ["col_a"], "cluster_name": "products",
                "vector_config": {"feature_uris": ["mixpeek://t@v1/e"],
                                  "clustering_method": "kmeans"}}
    provider = _keyless(ClusterProvider())
    checked = provider.check({}, {**declared, "__provider": "blob"})
    with pytest.raises(MissingCredentialsError) as caught:
        provider.create(checked.inputs)
    assert str(caught.value) == MISSING_KEY


# -- a key the API refuses ---------------------------------------------------------------
def _refusing(settings: ProviderSettings) -> MixpeekClient:
    """A client for ``settings`` against a server that answers every request as the local
    server answers an unknown key."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = {"success": False, "status": 401, "error": {
            "message": "Invalid API key. Check the key you configured.",
            "type": "UnauthorizedError"}}
        return httpx.Response(401, json=body, headers={"x-request-id": "req_7"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return MixpeekClient.from_settings(settings, http_client=http)


REJECTED = {
    Origin.STACK_CONFIG: (
        "Could not read cluster 'products': the Mixpeek API rejected the API key set in "
        "stack config mixpeek:apiKey (HTTP 401 UnauthorizedError). Set a valid key with "
        "`pulumi config set --secret mixpeek:apiKey <key>`. (request id req_7)"
    ),
    Origin.ENVIRONMENT: (
        "Could not read cluster 'products': the Mixpeek API rejected the API key set in "
        "the MIXPEEK_API_KEY environment variable (HTTP 401 UnauthorizedError). Set "
        "MIXPEEK_API_KEY to a valid key (stack config mixpeek:apiKey, if set, takes "
        "precedence). (request id req_7)"
    ),
    Origin.PROVIDER_ARGUMENT: (
        "Could not read cluster 'products': the Mixpeek API rejected the API key set in "
        "the provider resource's apiKey argument (HTTP 401 UnauthorizedError). Pass a "
        "valid key as the provider's apiKey. (request id req_7)"
    ),
}


@pytest.mark.parametrize("origin", list(REJECTED), ids=str)
def test_a_rejected_key_is_said_once_naming_where_it_came_from(origin: Origin) -> None:
    settings = ProviderSettings(namespace="n", api_key=KEY, api_key_origin=origin)
    with pytest.raises(AuthenticationError) as caught:
        _refusing(settings).get_cluster("products")
    assert str(caught.value) == REJECTED[origin]


def test_a_rejected_key_during_refresh_names_run_program() -> None:
    settings = ProviderSettings(
        namespace="n", api_key=KEY, api_key_origin=Origin.STACK_CONFIG, recorded_for="refresh"
    )
    with pytest.raises(AuthenticationError) as caught:
        _refusing(settings).get_cluster("products")
    assert str(caught.value) == (
        "Could not read cluster 'products': the Mixpeek API rejected the API key set in "
        "stack config mixpeek:apiKey (HTTP 401 UnauthorizedError). `pulumi refresh` uses "
        "the provider settings recorded in the state by the last `pulumi up`, not the "
        "current stack config: if mixpeek:apiKey was changed since, run `pulumi refresh "
        "--run-program`; otherwise set a valid key with `pulumi config set --secret "
        "mixpeek:apiKey <key>`. (request id req_7)"
    )


# -- a namespace the key may not use, an endpoint that does not answer ---------------------
def test_the_place_recorded_on_a_resource_is_its_input() -> None:
    settings = ProviderSettings.resolve(
        {"mixpeek:namespace": "ns-config"}.get, {"MIXPEEK_ENDPOINT": "http://127.0.0.1:1"}
    )
    located = cluster_location({"namespace": "ns-recorded"}, settings).settings
    assert (located.namespace, located.namespace_origin) == ("ns-recorded", Origin.RESOURCE_INPUT)
    assert located.endpoint_origin is Origin.ENVIRONMENT  # not recorded: the configured one
    unrecorded = cluster_location({}, settings).settings
    assert unrecorded.namespace_origin is Origin.STACK_CONFIG


def test_a_namespace_the_key_may_not_use_is_said_once_naming_where_it_was_set() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"success": False, "status": 403, "error": {
            "message": "This API key is not allowed to access namespace 'ns-other'.",
            "type": "ForbiddenError"}}
        return httpx.Response(403, json=body)

    settings = ProviderSettings(namespace="ns-other", api_key=KEY,
                                namespace_origin=Origin.RESOURCE_INPUT)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(PermissionDeniedError) as caught:
        MixpeekClient.from_settings(settings, http_client=http).get_cluster("products")
    assert str(caught.value) == (
        "Could not read cluster 'products': HTTP 403 ForbiddenError: This API key is not "
        "allowed to access namespace 'ns-other'. The namespace was set in the resource's "
        "namespace input; use an API key allowed in it."
    )


def test_an_endpoint_that_does_not_answer_names_where_it_was_set() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    settings = ProviderSettings(endpoint="http://127.0.0.1:9", namespace="n", api_key=KEY,
                                endpoint_origin=Origin.ENVIRONMENT, max_retries=0)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(APIConnectionError) as caught:
        MixpeekClient.from_settings(settings, http_client=http).get_cluster("products")
    assert str(caught.value) == (
        "Could not read cluster 'products': the request to http://127.0.0.1:9 failed "
        "(ConnectError: [Errno 111] Connection refused). Check the network and the endpoint, "
        "set in the MIXPEEK_ENDPOINT environment variable."
    )
