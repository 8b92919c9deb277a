"""Today's API level against a real emulator process speaking it (``--api-version 1.3.783``):
ClusterExecution's run options reach the execute body as declared (the server's request log),
a second run in mode assign follows a full one, the groups of the last run are read through
both lookups' client, and list_clusters pages with page_size and the cursor the server
names. The same provider configured for 1.3.1 refuses the options and the groups lookup
before sending anything."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek import get_cluster_groups, list_clusters
from pulumi_mixpeek.client import close_shared_clients
from pulumi_mixpeek.errors import ConfigurationError
from pulumi_mixpeek.resources.execution_provider import ClusterExecutionProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.integration

TODAY = "1.3.783"
BLOB = serialize_provider(ClusterExecutionProvider())
CLUSTER_BODY: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "cluster_type": "vector",
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "kmeans",
        "algorithm_params": {"n_clusters": 3},
    },
}


@pytest.fixture(scope="module")
def today_emulator() -> Iterator[Emulator]:
    with running_emulator(api_keys=(KEY,), api_version=TODAY) as server:
        yield server


@pytest.fixture
def today(today_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    today_emulator.reset(data=True)
    yield today_emulator
    close_shared_clients()


def make_cluster(server: Emulator, name: str) -> str:
    response = server.api(
        "POST", "/v1/clusters", key=KEY, namespace=NAMESPACE,
        json={**CLUSTER_BODY, "cluster_name": name},
    )
    response.raise_for_status()
    cluster_id: str = response.json()["cluster_id"]
    return cluster_id


def executes(server: Emulator) -> list[Any]:
    return [
        r.get("body")
        for r in server.requests()
        if r["method"] == "POST" and r["path"].endswith("/execute")
    ]


def run(provider: ClusterExecutionProvider, **declaration: Any) -> dict[str, Any]:
    checked = provider.check({}, {**declaration, "__provider": BLOB})
    assert checked.failures == [], [(f.property, f.reason) for f in checked.failures]
    created = provider.create({**checked.inputs, "__provider": BLOB})
    return dict(created.outs)


def test_run_options_reach_the_server_as_declared(today: Emulator) -> None:
    cluster_id = make_cluster(today, "products")
    runs: ClusterExecutionProvider = configured(
        today, ClusterExecutionProvider, **{"mixpeek:apiVersion": TODAY}
    )
    labeling = {"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"}
    first = run(
        runs, cluster_id=cluster_id, triggers=["v1"], mode="full", sample_size=500,
        llm_labeling=labeling, vis_n_components=3, timeout_seconds=120,
    )
    assert first["status"] in ("COMPLETED", "COMPLETED_WITH_ERRORS"), first
    assert first["mode"] == "full" and first["sample_size"] == 500
    # A run needs a finished one with centroids before it can assign to them.
    second = run(
        runs, cluster_id=cluster_id, triggers=["v2"], mode="assign", assignment_threshold=0.4,
        timeout_seconds=120,
    )
    assert second["status"] in ("COMPLETED", "COMPLETED_WITH_ERRORS"), second
    assert executes(today) == [
        {"mode": "full", "sample_size": 500, "vis_n_components": 3, "llm_labeling": labeling},
        {"mode": "assign", "assignment_threshold": 0.4},
    ]
    # A plain run sends no body.
    run(runs, cluster_id=cluster_id, triggers=["v3"], timeout_seconds=120)
    assert executes(today)[-1] is None


def test_the_seed_level_refuses_the_options_before_sending(today: Emulator) -> None:
    cluster_id = make_cluster(today, "products")
    runs: ClusterExecutionProvider = configured(
        today, ClusterExecutionProvider, **{"mixpeek:apiVersion": "1.3.1"}
    )
    checked = runs.check({}, {"cluster_id": cluster_id, "mode": "assign", "__provider": BLOB})
    assert [f.property for f in checked.failures] == ["mode"]
    assert executes(today) == []


def test_the_groups_of_the_last_run(today: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster_id = make_cluster(today, "products")
    runs: ClusterExecutionProvider = configured(
        today, ClusterExecutionProvider, **{"mixpeek:apiVersion": TODAY}
    )
    run(runs, cluster_id=cluster_id, triggers=["v1"], timeout_seconds=120)
    monkeypatch.setenv("MIXPEEK_API_VERSION", TODAY)
    groups = get_cluster_groups(
        cluster_id, api_key=KEY, namespace=NAMESPACE, endpoint=today.base_url
    )
    assert groups.cluster_id == cluster_id
    assert groups.total_groups == len(groups.groups) > 0
    assert sum(g.member_count for g in groups.groups) == groups.total_documents
    assert ("GET", f"/v1/clusters/{cluster_id}/groups") in [
        (r["method"], r["path"]) for r in today.requests()
    ]
    # The seed level has no such endpoint: refused, nothing sent.
    close_shared_clients()
    monkeypatch.setenv("MIXPEEK_API_VERSION", "1.3.1")
    today.reset()
    with pytest.raises(ConfigurationError, match="1.3.1"):
        get_cluster_groups(cluster_id, api_key=KEY, namespace=NAMESPACE, endpoint=today.base_url)
    assert today.requests() == []


def test_list_clusters_pages_with_the_cursor(
    today: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {f"c{i}" for i in range(7)}
    for name in names:
        make_cluster(today, name)
    today.reset()
    monkeypatch.setenv("MIXPEEK_API_VERSION", TODAY)
    found = list_clusters(
        api_key=KEY, namespace=NAMESPACE, endpoint=today.base_url, page_size=3
    )
    assert {c.cluster_name for c in found} == names and len(found) == 7
    queries = [
        dict(parse_qsl(r["query"])) for r in today.requests() if r["path"] == "/v1/clusters/list"
    ]
    assert queries[0] == {"page_size": "3", "page": "1"}
    assert [set(q) for q in queries[1:]] == [{"page_size", "cursor"}] * 2, queries
