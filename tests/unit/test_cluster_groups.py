"""The groups of a cluster's last run (``GET /v1/clusters/{cluster_id}/groups``, API 1.3.783's
ClusterGroupsResponse) through every face: the client, the dynamic lookup
``pulumi_mixpeek.get_cluster_groups``, the plugin's ``getClusterGroups``, and the schema. At
level 1.3.1, which has no such endpoint, each fails saying so and sends nothing. Against an
httpx.MockTransport that records what reached it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import InvokeRequest
from pulumi_mixpeek import get_cluster_groups, native
from pulumi_mixpeek._constants import GET_CLUSTER_GROUPS_TOKEN
from pulumi_mixpeek.client import MixpeekClient, close_shared_clients
from pulumi_mixpeek.errors import ConfigurationError, NotFoundError
from pulumi_mixpeek.levels import api_level
from pulumi_mixpeek.models import ClusterGroupsResponse
from pulumi_mixpeek.plugin.provider import MixpeekProvider, ProviderError
from pulumi_mixpeek.plugin.values import plain_map

from tests.support.pulumi import REPO
from tests.support.pulumi_names import python_name

pytestmark = pytest.mark.unit

KEY = "sk_unit_groups_SECRET_31"

#: A ClusterGroupsResponse as the SDK 1.3.783 documents it.
GROUPS: dict[str, Any] = {
    "cluster_id": "clust_1",
    "run_id": "run_7",
    "total_groups": 2,
    "total_documents": 30,
    "member_counts_stale": False,
    "groups": [
        {"cluster_id": "cl_0", "label": "Shoes", "summary": "Running shoes",
         "keywords": ["run", "shoe"], "member_count": 20},
        {"cluster_id": "cl_1", "label": None, "member_count": 10},
    ],
}


class Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if request.url.path == "/v1/clusters/clust_1/groups":
            return httpx.Response(200, json=GROUPS)
        return httpx.Response(
            404,
            json={"success": False, "status": 404,
                  "error": {"message": "Cluster not found", "type": "NotFoundError"}},
        )


def client_at(version: str, server: Server) -> MixpeekClient:
    return MixpeekClient(
        endpoint="https://api.example",
        api_key=KEY,
        namespace="ns-unit",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        level=api_level(version),
    )


def test_todays_level_reads_the_groups_of_the_last_run() -> None:
    server = Server()
    groups = client_at("1.3.783", server).get_cluster_groups("clust_1")
    assert server.requests == [("GET", "/v1/clusters/clust_1/groups")]
    assert groups == ClusterGroupsResponse.model_validate(GROUPS)
    assert [g.member_count for g in groups.groups] == [20, 10]
    assert groups.groups[0].keywords == ["run", "shoe"]
    with pytest.raises(NotFoundError):
        client_at("1.3.783", server).get_cluster_groups("clust_nope")


def test_the_seed_level_fails_saying_it_lacks_the_endpoint_and_sends_nothing() -> None:
    server = Server()
    with pytest.raises(ConfigurationError) as refused:
        client_at("1.3.1", server).get_cluster_groups("clust_1")
    message = str(refused.value)
    assert "1.3.1" in message and "mixpeek:apiVersion" in message
    assert "/groups" in message and "1.3.783" in message
    assert server.requests == []


def test_the_dynamic_lookup_speaks_the_configured_level(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite's level, 1.3.1 (tests/conftest.py): refused before any request is made.
    with pytest.raises(ConfigurationError) as refused:
        get_cluster_groups("clust_1", api_key=KEY, endpoint="http://127.0.0.1:9")
    assert "1.3.1" in str(refused.value)
    close_shared_clients()
    # Today's level: the lookup asks the client of its settings.
    monkeypatch.setenv("MIXPEEK_API_VERSION", "1.3.783")
    server = Server()
    seen: list[Any] = []

    def shared(settings: Any) -> MixpeekClient:
        seen.append(settings)
        return client_at(settings.checked_api_level().version, server)

    monkeypatch.setattr("pulumi_mixpeek.lookups.shared_client", shared)
    groups = get_cluster_groups("clust_1", api_key=KEY, namespace="ns-b")
    assert groups.total_groups == 2 and seen[0].namespace == "ns-b"
    assert server.requests == [("GET", "/v1/clusters/clust_1/groups")]


def invoke(provider: MixpeekProvider, args: dict[str, PropertyValue]) -> Any:
    return asyncio.run(provider.invoke(InvokeRequest(GET_CLUSTER_GROUPS_TOKEN, args)))


def test_the_plugin_serves_get_cluster_groups() -> None:
    provider = MixpeekProvider()
    server = Server()
    provider._client = lambda: client_at("1.3.783", server)  # type: ignore[method-assign]
    response = invoke(provider, {"clusterId": PropertyValue("clust_1")})
    assert not response.failures
    result = plain_map(response.return_value)
    # The schema's camelCase names, as every language's SDK reads them.
    assert result["clusterId"] == "clust_1" and result["totalGroups"] == 2
    assert result["groups"][0] == {"clusterId": "cl_0", "label": "Shoes",
                                   "summary": "Running shoes", "keywords": ["run", "shoe"],
                                   "memberCount": 20}
    bad = invoke(provider, {"identifier": PropertyValue("clust_1")})
    assert {f.property for f in bad.failures} == {"clusterId", "identifier"}
    assert server.requests == [("GET", "/v1/clusters/clust_1/groups")]


def test_the_plugin_at_the_seed_level_fails_in_words() -> None:
    provider = MixpeekProvider()
    server = Server()
    provider._client = lambda: client_at("1.3.1", server)  # type: ignore[method-assign]
    with pytest.raises(ProviderError) as failed:
        invoke(provider, {"clusterId": PropertyValue("clust_1")})
    assert "1.3.1" in str(failed.value) and "/groups" in str(failed.value)
    assert server.requests == []


def test_the_schema_and_the_native_face_offer_it() -> None:
    schema = json.loads((REPO / "schema.json").read_text())
    function = schema["functions"][GET_CLUSTER_GROUPS_TOKEN]
    assert function["inputs"]["required"] == ["clusterId"]
    assert {python_name(n) for n in function["outputs"]["properties"]} == set(
        ClusterGroupsResponse.model_fields
    )
    group = schema["types"]["mixpeek:index:ClusterGroup"]
    assert set(group["properties"]) == {
        "clusterId", "label", "summary", "keywords", "memberCount",
    }
    assert callable(native.get_cluster_groups)
