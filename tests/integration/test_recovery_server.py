"""Matching an interrupted run's pending Cluster creates to clusters a real
``mixpeek-emulator`` process holds: each cluster is created by a plain HTTP POST of a literal
body and found again by the client's GET, as ``mixpeek-recover-pending`` finds it, once on a
server that returns what it was sent and once on one that fills in the live API's defaults
and fields SDK 1.3.1 does not know (``--fill-defaults``). The hand-built state documents are
tests/unit/state_exports.py's; the unit tests of the same planning, on literal GET answers,
are tests/unit/test_recovery.py."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.config import ProviderSettings
from pulumi_mixpeek.location import cluster_location
from pulumi_mixpeek.models import ClusterMetadata
from pulumi_mixpeek.recovery import Action, PendingCreate, plan
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider, adopt_existing

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.support.emulator import Emulator
from tests.unit.state_exports import deployment, pending

pytestmark = pytest.mark.integration

URI_A = "mixpeek://text_extractor@v1/embedding"
URI_B = "mixpeek://image_extractor@v1/embedding"
OTHER_NAMESPACE = "ns-integration-staging"

#: Create bodies, as a program declares them and the API takes them.
VECTOR: dict[str, Any] = {
    "collection_ids": ["col_a"],
    "vector_config": {"feature_uris": [URI_A], "clustering_method": "kmeans"},
}
ATTRIBUTE: dict[str, Any] = {
    "collection_ids": ["col_a"],
    "cluster_type": "attribute",
    "attribute_config": {"attributes": ["brand"]},
}
LABELED: dict[str, Any] = {
    **VECTOR,
    "llm_labeling": {"enabled": True, "model_name": "gpt-4o-2024-08-06"},
}
TUNED: dict[str, Any] = {
    **VECTOR,
    "vector_config": {**VECTOR["vector_config"], "algorithm_params": {"n_clusters": 5}},
}
ENRICHED: dict[str, Any] = {
    **ATTRIBUTE,
    "enrich_source_collection": True,
    "source_enrichment_config": {
        "field_mappings": [{"source_field": "cluster_id", "target_field": "topic"}]
    },
}
FOREIGN: dict[str, Any] = {
    **VECTOR,
    "vector_config": {"feature_uris": [URI_B], "clustering_method": "dbscan"},
}


@pytest.fixture(params=["as-sent", "fill-defaults"])
def any_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Emulator]:
    """Each kind of server, empty."""
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    fixture = "emulator" if request.param == "as-sent" else "defaults_emulator"
    server: Emulator = request.getfixturevalue(fixture)
    server.reset(data=True)
    yield server
    server.reset(data=True)


def post(server: Emulator, name: str, body: dict[str, Any], namespace: str = NAMESPACE) -> str:
    response = server.api(
        "POST", "/v1/clusters", key=KEY, namespace=namespace,
        json={**copy.deepcopy(body), "cluster_name": name},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["cluster_id"])


def run_to_completion(server: Emulator, cluster_id: str) -> None:
    started = server.api(
        "POST", f"/v1/clusters/{cluster_id}/execute", key=KEY, namespace=NAMESPACE
    )
    assert started.status_code == 200, started.text
    task_id = started.json()["task_id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        task = server.api("GET", f"/v1/tasks/{task_id}", key=KEY, namespace=NAMESPACE).json()
        if task["status"] == "COMPLETED":
            return
        assert task["status"] in ("PENDING", "IN_PROGRESS", "PROCESSING"), task
        time.sleep(0.1)
    raise AssertionError(f"run {task_id} did not complete")


def declared(server: Emulator, name: str, body: dict[str, Any], **more: Any) -> dict[str, Any]:
    """The declaration of a pending create: the body, its name and where check recorded the
    cluster to live (the stack's configuration)."""
    return {
        **copy.deepcopy(body), "cluster_name": name,
        "namespace": NAMESPACE, "endpoint": server.base_url, **more,
    }


class Finder:
    """GET /v1/clusters/{name} in the namespace the pending create's inputs record, through
    the client (as mixpeek-recover-pending looks)."""

    def __init__(self, server: Emulator) -> None:
        # The level the server speaks, as the stack's configuration would say it.
        self.settings = ProviderSettings(
            endpoint=server.base_url, namespace=NAMESPACE, api_key=KEY,
            api_version=server.api_version,
        )
        self.clients: dict[ProviderSettings, MixpeekClient] = {}

    def client(self, item: PendingCreate) -> MixpeekClient:
        settings = cluster_location(item.inputs, self.settings).settings
        if settings not in self.clients:
            self.clients[settings] = MixpeekClient.from_settings(settings)
        return self.clients[settings]

    def find(self, item: PendingCreate) -> ClusterMetadata | None:
        return self.client(item).find_cluster_named(str(item.cluster_name))

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture
def finder(any_server: Emulator) -> Iterator[Finder]:
    found = Finder(any_server)
    yield found
    found.close()


def decide(doc: dict[str, Any], find: Callable[[PendingCreate], Any]) -> dict[str, Any]:
    return {d.pending.urn.rsplit("::", 1)[1]: d for d in plan(doc, find)}


def test_pending_creates_are_matched_against_the_clusters_the_server_holds(
    any_server: Emulator, finder: Finder
) -> None:
    server = any_server
    made = {
        "made": VECTOR,
        "made-attr": ATTRIBUTE,
        "made-labeled": LABELED,
        "made-tuned": TUNED,
        "made-enriched": ENRICHED,
        "made-run": VECTOR,
    }
    ids = {name: post(server, name, body) for name, body in made.items()}
    # A run's results (status, counts, task id, times) do not make it another cluster.
    run_to_completion(server, ids["made-run"])
    # Same name, collections and type, but another feature and algorithm: not ours.
    foreign_id = post(server, "foreign", FOREIGN)
    # Declared n_clusters=5; the cluster under that name has 9: not ours.
    retuned_id = post(server, "retuned", {**VECTOR, "vector_config": {
        **VECTOR["vector_config"], "algorithm_params": {"n_clusters": 9}}})
    # Found in the namespace its inputs record, not in the stack's.
    staged_id = post(server, "staged", VECTOR, namespace=OTHER_NAMESPACE)
    doc = deployment(
        [],
        [
            *(pending(name, declared(server, name, body)) for name, body in made.items()),
            pending("never-sent", declared(server, "never-sent", VECTOR)),
            pending("foreign", declared(server, "foreign", VECTOR)),
            pending("retuned", declared(server, "retuned", TUNED)),
            pending("staged", declared(server, "staged", VECTOR, namespace=OTHER_NAMESPACE)),
        ],
    )

    decisions = decide(doc, finder.find)

    assert {k: d.action for k, d in decisions.items()} == {
        **{name: Action.COMPLETE for name in made},
        "never-sent": Action.CLEAR,
        "foreign": Action.LEAVE,
        "retuned": Action.LEAVE,
        "staged": Action.COMPLETE,
    }, {k: d.reason for k, d in decisions.items()}
    assert {k: d.cluster.cluster_id for k, d in decisions.items() if d.cluster} == {
        **ids, "foreign": foreign_id, "retuned": retuned_id, "staged": staged_id,
    }
    reason = decisions["foreign"].reason
    assert foreign_id in reason and "not taken over, not deleted" in reason
    assert "vector_config" in reason and "collection_ids" not in reason
    assert "vector_config" in decisions["retuned"].reason


@pytest.mark.parametrize(
    ("body", "more"),
    [
        pytest.param(VECTOR, {}, id="vector"),
        pytest.param(ATTRIBUTE, {}, id="attribute"),
        pytest.param(LABELED, {}, id="labeled"),
        pytest.param(ENRICHED, {}, id="enriched"),
        # 1.3.1's create takes neither: completion PATCHes them, as create does.
        pytest.param(VECTOR, {"description": "d", "metadata": {"team": "search"}},
                     id="description-and-metadata"),
        pytest.param(
            {**VECTOR, "filters": {"AND": [{"field": "brand", "operator": "eq", "value": "x"}]}},
            {}, id="filters",
        ),
    ],
)
def test_a_completed_create_reads_back_as_it_was_recorded(
    any_server: Emulator, finder: Finder, body: dict[str, Any], more: dict[str, Any]
) -> None:
    """What completion records (adopt's outputs, as mixpeek-recover-pending stores them) is
    what a refresh then reads from the server, and the declaration shows no change."""
    server = any_server
    cluster_id = post(server, "products", body)
    op = pending("products", declared(server, "products", body, **more))
    (decision,) = plan(deployment([], [op]), finder.find)
    assert decision.action is Action.COMPLETE, decision.reason
    assert decision.cluster is not None

    result = adopt_existing(finder.client(decision.pending), decision.pending.declared,
                            decision.cluster)
    recorded = {**(result.outs or {}), "__provider": op["resource"]["inputs"]["__provider"]}
    provider: ClusterProvider = configured(server)
    read = provider.read(cluster_id, recorded)

    assert result.id == read.id == cluster_id
    # A PATCH (description/metadata) moves updated_at; completion does not read it again.
    assert {k: v for k, v in (read.outs or {}).items() if k != "updated_at"} == {
        k: v for k, v in recorded.items() if k not in ("updated_at", "__provider")
    }
    assert provider.diff(cluster_id, recorded, op["resource"]["inputs"]).changes is False
    if more:
        assert (read.outs or {})["metadata"] == {"team": "search"}
