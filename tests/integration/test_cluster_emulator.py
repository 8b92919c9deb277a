"""Each provider method against a real emulator process, counting calls in its request log:
create = 1 POST (+1 PATCH only with description/metadata), read = 1 GET, update = 1 PATCH +
1 GET, delete = 1 DELETE, check and diff = 0. Plus adoption, the failed follow-up PATCH,
lost responses, retries and the lookup functions."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from pulumi_mixpeek import fields, get_cluster, list_clusters
from pulumi_mixpeek.errors import (
    AdoptionError,
    AuthenticationError,
    MissingCredentialsError,
    MixpeekError,
)
from pulumi_mixpeek.fields import update_fields
from pulumi_mixpeek.models import PatchClusterRequest
from pulumi_mixpeek.models.declaration import ClusterDeclaration, Mutability
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import PROVIDER_BLOB as BLOB
from tests.unit.cluster_helpers import URI_A, URI_B, VECTOR, outcome

pytestmark = pytest.mark.integration



def calls(server: Emulator) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in server.requests()]


def check(
    provider: ClusterProvider, declaration: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = provider.check(olds or {}, {**declaration, "__provider": BLOB})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {**result.inputs, "__provider": BLOB}


def create(provider: ClusterProvider, declaration: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = provider.create(check(provider, declaration))
    assert result.outs is not None
    return result.id, {**result.outs, "__provider": BLOB}


def live(server: Emulator, identifier: str) -> dict[str, Any] | None:
    response = server.api("GET", f"/v1/clusters/{identifier}", key=KEY, namespace=NAMESPACE)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


# -- one call per operation --------------------------------------------------------------
def test_check_and_diff_make_no_calls(server: Emulator, provider: ClusterProvider) -> None:
    _, outs = create(provider, VECTOR)
    server.reset()
    news = check(provider, {**VECTOR, "collection_ids": ["col_b"]})
    assert outcome(provider.diff(outs["cluster_id"], outs, news)) == "replace"
    assert outcome(provider.diff(outs["cluster_id"], outs, check(provider, VECTOR))) == "none"
    assert calls(server) == []


def test_create_is_one_post(server: Emulator, provider: ClusterProvider) -> None:
    cluster_id, outs = create(provider, VECTOR)
    assert calls(server) == [("POST", "/v1/clusters")]
    body = live(server, cluster_id)
    assert body is not None and body["cluster_name"] == "products"
    assert outs["cluster_id"] == cluster_id
    assert outs["namespace_id"] == body["namespace_id"]
    assert outs["output_collection_ids"] == body["output_collection_ids"]
    assert outs["collection_ids"] == ["col_a"] and outs["input_collections"] == ["col_a"]
    assert outs["vector_config"] == VECTOR["vector_config"]
    assert outs["cluster_type"] == "vector" and outs["algorithm"] == "kmeans"


def test_create_with_description_and_metadata_adds_one_patch(
    server: Emulator, provider: ClusterProvider
) -> None:
    cluster_id, outs = create(provider, {**VECTOR, "description": "d", "metadata": {"team": "x"}})
    assert calls(server) == [("POST", "/v1/clusters"), ("PATCH", f"/v1/clusters/{cluster_id}")]
    assert server.requests()[1]["body"] == {"description": "d", "metadata": {"team": "x"}}
    body = live(server, cluster_id)
    assert body is not None and body["metadata"] == {"team": "x"}
    assert outs["description"] == "d" and outs["metadata"] == {"team": "x"}


def test_create_without_a_name_sends_a_generated_one(
    server: Emulator, provider: ClusterProvider
) -> None:
    declaration = {k: v for k, v in VECTOR.items() if k != "cluster_name"}
    inputs = check(provider, declaration)
    result = provider.create(inputs)
    assert result.outs is not None
    cluster_id, outs = result.id, {**result.outs, "__provider": BLOB}
    sent = server.requests()[0]["body"]["cluster_name"]
    # The generated name is an input: the preview shows it, and it is what gets created.
    assert sent.startswith("pulumi-") and sent == inputs["cluster_name"] == outs["cluster_name"]
    assert outs["cluster_id"] == cluster_id
    news = check(provider, declaration, olds=inputs)
    assert outcome(provider.diff(cluster_id, outs, news)) == "none"


def test_read_is_one_get(server: Emulator, provider: ClusterProvider) -> None:
    cluster_id, outs = create(provider, VECTOR)
    server.reset()
    result = provider.read(cluster_id, outs)
    assert calls(server) == [("GET", f"/v1/clusters/{cluster_id}")]
    assert result.id == cluster_id
    assert result.outs is not None and result.outs["cluster_id"] == cluster_id
    assert result.inputs == {k: v for k, v in check(provider, VECTOR).items() if k != "__provider"}


def test_update_is_one_patch_and_one_get(server: Emulator, provider: ClusterProvider) -> None:
    cluster_id, outs = create(provider, {**VECTOR, "metadata": {"team": "a"}})
    server.reset()
    news = check(provider, {**VECTOR, "cluster_name": "products-v2", "description": "new"})
    assert outcome(provider.diff(cluster_id, outs, news)) == "update"
    result = provider.update(cluster_id, outs, news)
    assert calls(server) == [
        ("PATCH", f"/v1/clusters/{cluster_id}"),
        ("GET", f"/v1/clusters/{cluster_id}"),
    ]
    assert server.requests()[0]["body"] == {
        "cluster_name": "products-v2",
        "description": "new",
        "metadata": {},
    }
    body = live(server, cluster_id)
    assert body is not None and body["cluster_name"] == "products-v2" and not body["metadata"]
    assert result.outs is not None
    assert result.outs["cluster_name"] == "products-v2"
    assert result.outs["description"] == "new"
    assert result.outs["cluster_id"] == cluster_id and result.outs["namespace_id"]
    assert outcome(provider.diff(cluster_id, {**result.outs, "__provider": BLOB}, news)) == "none"


def test_update_sends_only_changed_fields(server: Emulator, provider: ClusterProvider) -> None:
    cluster_id, outs = create(provider, {**VECTOR, "description": "d", "metadata": {"a": 1}})
    server.reset()
    news = check(provider, {**VECTOR, "description": "d", "metadata": {"a": 2}})
    provider.update(cluster_id, outs, news)
    assert server.requests()[0]["body"] == {"metadata": {"a": 2}}


def test_delete_is_one_delete_and_404_is_success(
    server: Emulator, provider: ClusterProvider
) -> None:
    cluster_id, outs = create(provider, VECTOR)
    server.reset()
    provider.delete(cluster_id, outs)
    assert calls(server) == [("DELETE", f"/v1/clusters/{cluster_id}")]
    assert live(server, cluster_id) is None
    provider.delete(cluster_id, outs)  # already gone: still success
    assert calls(server)[-1] == ("DELETE", f"/v1/clusters/{cluster_id}")
    result = provider.read(cluster_id, outs)
    assert not result.id, "read of a deleted cluster reports it gone"


# -- refresh ---------------------------------------------------------------------------
ROUNDTRIP: list[dict[str, Any]] = [
    VECTOR,
    {**VECTOR, "description": "write-only", "metadata": {"team": "search", "n": 2}},
    {
        **VECTOR,
        "vector_config": {
            "feature_uris": [URI_A, URI_B],
            "clustering_method": "hdbscan",
            "algorithm_params": {"min_cluster_size": 10},
            "sample_size": 500,
            "multi_feature_strategy": "weighted",
            "feature_weights": {URI_A: 0.4, URI_B: 0.6},
            "weight_learning_config": {"method": "grid_search", "max_iterations": 30},
            "normalize_features": False,
            "output_strategy": "per_feature",
            "effective_feature_method": "medoid",
        },
    },
    {
        **VECTOR,
        "vector_config": {
            "feature_uri": URI_A,
            "clustering_method": "kmeans",
            "kmeans_parameters": {"n_clusters": 3},
        },
    },
    {**VECTOR, "vector_config": {**VECTOR["vector_config"], "enrich_source": True}},
    {
        "collection_ids": ["col_a", "col_b"],
        "cluster_name": "by-brand",
        "cluster_type": "attribute",
        "attribute_config": {
            "attributes": ["brand", "color"],
            "hierarchical_grouping": True,
            "aggregation_method": "first",
        },
    },
    {
        **VECTOR,
        "filters": {
            "AND": [{"field": "metadata.lang", "operator": "eq", "value": "en"}],
            "metadata.kind": "doc",
        },
        "llm_labeling": {
            "enabled": True,
            "model_name": "gemini-2.0-flash",
            "labeling_inputs": {
                "input_mappings": [{"input_key": "t", "source_type": "payload", "path": "title"}]
            },
            "max_samples_per_cluster": 5,
        },
    },
    {
        **VECTOR,
        "enrich_source_collection": True,
        "source_enrichment_config": {
            "field_mappings": [{"source_field": "cluster_label", "target_field": "topic"}]
        },
    },
]


@pytest.mark.parametrize("declaration", ROUNDTRIP, ids=[str(i) for i in range(len(ROUNDTRIP))])
def test_refresh_then_preview_is_empty(
    server: Emulator, provider: ClusterProvider, declaration: dict[str, Any]
) -> None:
    cluster_id, outs = create(provider, declaration)
    result = provider.read(cluster_id, outs)
    assert result.outs is not None and result.inputs is not None
    program = check(provider, declaration)
    refreshed = {**result.outs, "__provider": BLOB}
    assert outcome(provider.diff(cluster_id, refreshed, program)) == "none"
    assert result.inputs == {k: v for k, v in program.items() if k != "__provider"}
    again = provider.read(cluster_id, refreshed)
    assert again.outs == result.outs and again.inputs == result.inputs


@pytest.mark.parametrize("declaration", ROUNDTRIP, ids=[str(i) for i in range(len(ROUNDTRIP))])
def test_refresh_then_preview_is_empty_when_the_server_fills_in_defaults(
    defaults_emulator: Emulator, declaration: dict[str, Any]
) -> None:
    """The live API returns more than it was sent (filled algorithm parameters, labeling
    defaults, newer fields): that is not drift."""
    defaults_emulator.reset(data=True)
    provider = configured(defaults_emulator)
    cluster_id, outs = create(provider, declaration)
    result = provider.read(cluster_id, outs)
    assert result.outs is not None and result.inputs is not None
    filled = defaults_emulator.api(
        "GET", f"/v1/clusters/{cluster_id}", key=KEY, namespace=NAMESPACE
    ).json()
    assert "index_version" in filled, "the server did add fields"
    program = check(provider, declaration, olds=result.inputs)
    refreshed = {**result.outs, "__provider": BLOB}
    assert outcome(provider.diff(cluster_id, refreshed, program)) == "none"
    assert result.inputs == {k: v for k, v in program.items() if k != "__provider"}


def test_read_without_state_takes_everything_read(
    server: Emulator, provider: ClusterProvider
) -> None:
    """An import reads a cluster with no state: its whole configuration is the inputs, and
    it lives where it was read."""
    cluster_id, _ = create(provider, VECTOR)
    result = provider.read(cluster_id, {})
    assert result.inputs == {k: v for k, v in check(provider, VECTOR).items() if k != "__provider"}
    assert result.inputs["namespace"] == NAMESPACE


def test_refresh_reports_real_drift(server: Emulator, provider: ClusterProvider) -> None:
    cluster_id, outs = create(provider, {**VECTOR, "metadata": {"team": "a"}})
    server.api(
        "PATCH",
        f"/v1/clusters/{cluster_id}",
        key=KEY,
        namespace=NAMESPACE,
        json={"metadata": {"team": "hacked"}, "cluster_name": "renamed"},
    ).raise_for_status()
    result = provider.read(cluster_id, outs)
    assert result.inputs is not None
    assert result.inputs["metadata"] == {"team": "hacked"}
    assert result.inputs["cluster_name"] == "renamed"
    program = check(provider, {**VECTOR, "metadata": {"team": "a"}})
    diff = provider.diff(cluster_id, {**(result.outs or {}), "__provider": BLOB}, program)
    assert outcome(diff) == "update"
    server.reset()
    provider.update(cluster_id, {**(result.outs or {}), "__provider": BLOB}, program)
    body = live(server, cluster_id)
    assert body is not None
    assert (body["cluster_name"], body["metadata"]) == ("products", {"team": "a"})


# -- replacement -----------------------------------------------------------------------
def test_replacement_keeping_the_name_must_delete_first(
    server: Emulator, provider: ClusterProvider
) -> None:
    """diff asks for delete-first, and the server shows why: creating first is refused."""
    old_id, outs = create(provider, VECTOR)
    replacement = {**VECTOR, "collection_ids": ["col_b"]}
    news = check(provider, replacement, olds=check(provider, VECTOR))
    diff = provider.diff(old_id, outs, news)
    assert diff.replaces == ["collection_ids"] and diff.delete_before_replace is True
    with pytest.raises(MixpeekError, match="products"):
        provider.create(check(provider, replacement))
    provider.delete(old_id, outs)
    new_id, _ = create(provider, replacement)
    body = live(server, "products")
    assert body is not None and body["cluster_id"] == new_id


def test_replacement_of_a_generated_name_creates_first_under_a_new_name(
    server: Emulator, provider: ClusterProvider
) -> None:
    """The engine's flow: check against the previous inputs (preview shows its result),
    diff, then check the replacement again without previous inputs, create it, delete the
    old one."""
    unnamed = {k: v for k, v in VECTOR.items() if k != "cluster_name"}
    seeded = {**unnamed, "__autoname_seed": "proj/stack//products"}
    first = check(provider, seeded)
    assert check(provider, seeded, olds=first)["cluster_name"] == first["cluster_name"]
    old_id, outs = create(provider, seeded)
    changed = {**seeded, "collection_ids": ["col_b"]}
    news = check(provider, changed, olds=first)
    assert news["cluster_name"] != first["cluster_name"]
    diff = provider.diff(old_id, outs, news)
    assert diff.replaces == ["collection_ids"] and diff.delete_before_replace is False
    again = check(provider, changed)  # the engine's check of the replacement
    assert again["cluster_name"] == news["cluster_name"], "the name preview showed"
    server.reset()
    result = provider.create(again)
    provider.delete(old_id, outs)
    assert calls(server) == [("POST", "/v1/clusters"), ("DELETE", f"/v1/clusters/{old_id}")]
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=NAMESPACE).json()
    assert [(c["cluster_id"], c["cluster_name"]) for c in listed["results"]] == [
        (result.id, again["cluster_name"])
    ]


# -- adoption --------------------------------------------------------------------------
def seed_cluster(server: Emulator, body: dict[str, Any]) -> str:
    response = server.api("POST", "/v1/clusters", key=KEY, namespace=NAMESPACE, json=body)
    response.raise_for_status()
    cluster_id: str = response.json()["cluster_id"]
    server.reset()
    return cluster_id


def test_adopt_takes_over_without_a_post(server: Emulator, provider: ClusterProvider) -> None:
    existing = seed_cluster(server, {**VECTOR, "cluster_type": "vector"})
    cluster_id, outs = create(provider, {**VECTOR, "adopt": True, "metadata": {"team": "x"}})
    assert cluster_id == existing
    assert calls(server) == [
        ("GET", "/v1/clusters/products"),
        ("PATCH", f"/v1/clusters/{existing}"),
    ]
    assert outs["metadata"] == {"team": "x"}
    body = live(server, existing)
    assert body is not None and body["metadata"] == {"team": "x"}
    program = check(provider, {**VECTOR, "metadata": {"team": "x"}})  # adopt removed later
    assert outcome(provider.diff(cluster_id, outs, program)) == "none"


def test_adopt_without_changes_is_one_get(server: Emulator, provider: ClusterProvider) -> None:
    seed_cluster(server, VECTOR)
    create(provider, {**VECTOR, "adopt": True})
    assert calls(server) == [("GET", "/v1/clusters/products")]


def test_adopt_refuses_a_different_immutable_config(
    server: Emulator, provider: ClusterProvider
) -> None:
    seed_cluster(server, {**VECTOR, "collection_ids": ["col_z"]})
    declaration = {
        **VECTOR,
        "adopt": True,
        "vector_config": {"feature_uris": [URI_A], "clustering_method": "dbscan"},
    }
    with pytest.raises(AdoptionError) as caught:
        create(provider, declaration)
    message = str(caught.value)
    assert "collection_ids: declared ['col_a'], existing ['col_z']" in message
    assert "vector_config" in message
    assert calls(server) == [("GET", "/v1/clusters/products")]


def test_adopt_with_nothing_to_adopt_creates_it(
    server: Emulator, provider: ClusterProvider
) -> None:
    """Also what a replacement of an adopted cluster does (the old one is gone by then)."""
    cluster_id, _ = create(provider, {**VECTOR, "adopt": True})
    assert calls(server) == [("GET", "/v1/clusters/products"), ("POST", "/v1/clusters")]
    assert live(server, "products") is not None and live(server, cluster_id) is not None


# -- failures leave nothing behind -----------------------------------------------------
def test_failed_follow_up_patch_leaves_no_cluster(
    server: Emulator, provider: ClusterProvider
) -> None:
    server.faults(
        {"rules": [{"method": "PATCH", "path": "/v1/clusters/*", "errors": {"422": 1.0}}]}
    )
    with pytest.raises(MixpeekError, match="deleted again"):
        create(provider, {**VECTOR, "description": "d"})
    assert [m for m, _ in calls(server)] == ["POST", "PATCH", "DELETE"]
    assert live(server, "products") is None
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=NAMESPACE)
    assert listed.json()["results"] == []


def test_lost_create_response_creates_exactly_one_cluster(
    server: Emulator, provider: ClusterProvider
) -> None:
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1}]}
    )
    cluster_id, outs = create(provider, VECTOR)
    log = server.requests()
    assert [(r["method"], r["path"], r.get("fault")) for r in log] == [
        ("POST", "/v1/clusters", "drop"),
        ("GET", "/v1/clusters/products", None),
    ]
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=NAMESPACE).json()
    assert [c["cluster_id"] for c in listed["results"]] == [cluster_id]
    assert outs["cluster_name"] == "products"


def test_rate_limits_and_unavailability_are_retried(
    server: Emulator, provider: ClusterProvider
) -> None:
    server.faults(
        {
            "rules": [
                {"path": "/v1/clusters", "errors": {"429": 1.0}, "retry_after": 0, "times": 1},
                {"path": "/v1/clusters", "errors": {"503": 1.0}, "times": 1},
            ]
        }
    )
    cluster_id, _ = create(provider, VECTOR)
    assert [(r["method"], r["status"]) for r in server.requests()] == [
        ("POST", 429),
        ("POST", 503),
        ("GET", 404),  # a 503 may come after the server committed: look before resending
        ("POST", 200),
    ]
    assert live(server, cluster_id) is not None


# -- credentials -----------------------------------------------------------------------
def test_missing_key_fails_only_api_operations(
    server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    keyless = configured(server, **{"mixpeek:apiKey": None})
    news = check(keyless, VECTOR)  # preview works
    assert outcome(keyless.diff("x", news, news)) == "none"
    with pytest.raises(MissingCredentialsError, match="mixpeek:apiKey.*MIXPEEK_API_KEY"):
        keyless.create(news)
    assert calls(server) == []


def test_environment_fallback(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIXPEEK_API_KEY", KEY)
    monkeypatch.setenv("MIXPEEK_NAMESPACE", NAMESPACE)
    monkeypatch.setenv("MIXPEEK_ENDPOINT", server.base_url)
    unconfigured = ClusterProvider()  # as if the engine never called configure()
    cluster_id, _ = create(unconfigured, VECTOR)
    assert live(server, cluster_id) is not None


def test_wrong_key_says_what_to_do(server: Emulator) -> None:
    wrong = configured(server, **{"mixpeek:apiKey": "sk_wrong_key_123"})
    with pytest.raises(AuthenticationError) as caught:
        wrong.read("clust_x", {})
    assert "pulumi config set --secret mixpeek:apiKey" in str(caught.value)
    assert "sk_wrong_key_123" not in str(caught.value)


# -- lookups ---------------------------------------------------------------------------
def test_get_cluster_and_list_clusters_page_through(server: Emulator) -> None:
    for i in range(23):
        seed_cluster(server, {**VECTOR, "cluster_name": f"c{i:02d}"})
    seed_cluster(server, {**VECTOR, "cluster_name": "other"})
    settings = {"api_key": KEY, "namespace": NAMESPACE, "endpoint": server.base_url}
    found = get_cluster("c07", **settings)
    assert found.cluster_name == "c07"
    server.reset()
    every = list_clusters(page_size=10, **settings)
    assert len(every) == 24 and len({c.cluster_id for c in every}) == 24
    assert [m for m, _ in calls(server)] == ["POST"] * 3
    searched = list_clusters(search="c1*", page_size=5, **settings)
    assert sorted(c.cluster_name for c in searched) == [f"c{i}" for i in range(10, 20)]
    filtered = list_clusters(filters={"cluster_name": "other"}, **settings)
    assert [c.cluster_name for c in filtered] == ["other"]


# -- where a cluster lives ----------------------------------------------------------------
def requests_by_namespace(server: Emulator) -> list[tuple[str, str, str | None]]:
    return [(r["method"], r["path"], r.get("namespace")) for r in server.requests()]


def test_operations_address_the_recorded_namespace(server: Emulator) -> None:
    """After mixpeek:namespace changed, read, update and delete still go where the cluster
    lives; a 404 there means it is gone."""
    cluster_id, outs = create(configured(server), VECTOR)
    assert outs["namespace"] == NAMESPACE
    moved = configured(server, **{"mixpeek:namespace": "ns-other"})
    server.reset()
    read = moved.read(cluster_id, outs)
    assert read.id == cluster_id and read.inputs is not None
    assert read.inputs["namespace"] == NAMESPACE
    news = check(moved, {**VECTOR, "namespace": NAMESPACE, "description": "d"}, olds=outs)
    moved.update(cluster_id, outs, news)
    moved.delete(cluster_id, outs)
    assert live(server, cluster_id) is None
    moved.delete(cluster_id, outs)  # already gone from its namespace: done
    assert {ns for _, _, ns in requests_by_namespace(server)} == {NAMESPACE}


def test_check_records_where_the_cluster_lives(server: Emulator) -> None:
    provider = configured(server)
    recorded = check(provider, VECTOR)
    assert (recorded["namespace"], recorded["endpoint"]) == (NAMESPACE, server.base_url)
    # A declared namespace wins over the stack's.
    assert check(provider, {**VECTOR, "namespace": "ns-prod"})["namespace"] == "ns-prod"
    # A changed stack namespace is recorded (and so diffed: the cluster moves).
    moved = configured(server, **{"mixpeek:namespace": "ns-other"})
    news = check(moved, VECTOR, olds=recorded)
    assert news["namespace"] == "ns-other"
    _, outs = create(provider, VECTOR)
    diff = moved.diff(outs["cluster_id"], outs, news)
    assert diff.replaces == ["namespace"] and diff.delete_before_replace is False
    # The same namespace by its ns_ id is no move.
    by_id = configured(server, **{"mixpeek:namespace": outs["namespace_id"]})
    assert outcome(by_id.diff(outs["cluster_id"], outs, check(by_id, VECTOR, olds=recorded))) == (
        "none"
    )
    # No namespace configured at all: nowhere to move to, the recorded one stays.
    nowhere = configured(server, **{"mixpeek:namespace": None})
    assert check(nowhere, VECTOR, olds=recorded)["namespace"] == NAMESPACE
    assert calls(server) == [("POST", "/v1/clusters")]


def test_state_from_before_namespaces_were_recorded(server: Emulator) -> None:
    """Old state has no namespace input: check records none (no mass replacement), and the
    cluster is addressed by the namespace_id the API returned."""
    cluster_id, outs = create(configured(server), VECTOR)
    legacy = {k: v for k, v in outs.items() if k not in ("namespace", "endpoint")}
    legacy_inputs = {k: v for k, v in check(configured(server), VECTOR).items()
                     if k not in ("namespace", "endpoint")}
    moved = configured(server, **{"mixpeek:namespace": "ns-other"})
    news = check(moved, VECTOR, olds=legacy_inputs)
    assert "namespace" not in news and "endpoint" not in news
    assert outcome(moved.diff(cluster_id, legacy, news)) == "none"
    server.reset()
    assert moved.read(cluster_id, legacy).id == cluster_id
    moved.delete(cluster_id, legacy)
    assert {ns for _, _, ns in requests_by_namespace(server)} == {legacy["namespace_id"]}
    assert live(server, cluster_id) is None


def test_a_404_outside_the_recorded_namespace_is_no_proof(server: Emulator) -> None:
    cluster_id, outs = create(configured(server), VECTOR)
    unplaced = {
        k: v for k, v in outs.items() if k not in ("namespace", "endpoint", "namespace_id")
    }
    moved = configured(server, **{"mixpeek:namespace": "ns-other"})
    with pytest.raises(MixpeekError, match="does not record the namespace"):
        moved.delete(cluster_id, unplaced)
    with pytest.raises(MixpeekError, match="does not record the namespace"):
        moved.read(cluster_id, unplaced)
    assert live(server, cluster_id) is not None


def test_one_provider_manages_two_namespaces(server: Emulator, provider: ClusterProvider) -> None:
    staging_id, staging = create(provider, {**VECTOR, "namespace": "staging"})
    production_id, production = create(provider, {**VECTOR, "namespace": "production"})
    assert [(m, ns) for m, _, ns in requests_by_namespace(server)] == [
        ("POST", "staging"),
        ("POST", "production"),
    ]
    for namespace, cluster_id in (("staging", staging_id), ("production", production_id)):
        response = server.api("GET", f"/v1/clusters/{cluster_id}", key=KEY, namespace=namespace)
        assert response.status_code == 200 and response.json()["cluster_name"] == "products"
    server.reset()
    provider.delete(staging_id, staging)
    provider.delete(production_id, production)
    assert [(m, ns) for m, _, ns in requests_by_namespace(server)] == [
        ("DELETE", "staging"),
        ("DELETE", "production"),
    ]


# -- what update sends is what the declaration marks mutable --------------------------------
MUTABLE_CHANGES: dict[str, Any] = {
    "cluster_name": "products-renamed",
    "description": "a new description",
    "metadata": {"team": "new"},
}


def test_patch_body_and_update_fields_agree() -> None:
    # keep_output_collections changes in place but only in the state: no PATCH key.
    assert set(MUTABLE_CHANGES) == update_fields() - {"keep_output_collections"}
    assert set(MUTABLE_CHANGES) <= set(PatchClusterRequest.model_fields)


def test_keep_output_collections_changes_only_the_state(
    server: Emulator, provider: ClusterProvider
) -> None:
    cluster_id, outs = create(provider, VECTOR)
    news = check(provider, {**VECTOR, "keep_output_collections": True})
    assert outcome(provider.diff(cluster_id, outs, news)) == "update"
    server.reset()
    updated = provider.update(cluster_id, outs, news).outs
    assert [r["method"] for r in server.requests()] == ["GET"]
    assert updated["keep_output_collections"] is True


@pytest.mark.parametrize("field", sorted(MUTABLE_CHANGES))
def test_update_patches_each_mutable_field(
    server: Emulator, provider: ClusterProvider, field: str
) -> None:
    cluster_id, outs = create(provider, VECTOR)
    news = check(provider, {**VECTOR, field: MUTABLE_CHANGES[field]})
    assert outcome(provider.diff(cluster_id, outs, news)) == "update"
    server.reset()
    provider.update(cluster_id, outs, news)
    assert server.requests()[0]["body"] == {field: MUTABLE_CHANGES[field]}


def test_update_follows_a_flipped_marker(
    server: Emulator, provider: ClusterProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking metadata immutable makes diff replace on it and update stop sending it:
    both read the one declaration."""
    flipped = tuple(
        dataclasses.replace(spec, mutability=Mutability.REPLACE)
        if spec.name == "metadata"
        else spec
        for spec in fields.cluster_fields()
    )
    cluster_id, outs = create(provider, VECTOR)
    original = fields.declared_fields

    def declared(model: Any) -> Any:
        return flipped if model is ClusterDeclaration else original(model)

    monkeypatch.setattr(fields, "declared_fields", declared)
    news = check(provider, {**VECTOR, "metadata": {"team": "x"}, "description": "d"})
    assert provider.diff(cluster_id, outs, news).replaces == ["metadata"]
    server.reset()
    provider.update(cluster_id, outs, news)
    assert server.requests()[0]["body"] == {"description": "d"}


# -- figures ---------------------------------------------------------------------------
def test_lifecycle_figures(
    server: Emulator, provider: ClusterProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full lifecycle; prints call counts and durations per operation."""
    rows = []

    def step(name: str, fn: Any) -> Any:
        server.reset()
        start = time.perf_counter()
        value = fn()
        elapsed = (time.perf_counter() - start) * 1000
        rows.append((name, len(server.requests()), elapsed))
        return value

    decl = {**VECTOR, "description": "d", "metadata": {"a": 1}}
    inputs = step("check", lambda: check(provider, decl))
    created = step("create (+desc/meta)", lambda: provider.create(inputs))
    outs = {**created.outs, "__provider": BLOB}
    step("diff (no change)", lambda: provider.diff(created.id, outs, inputs))
    read = step("read", lambda: provider.read(created.id, outs))
    news = check(provider, {**decl, "metadata": {"a": 2}})
    step("update", lambda: provider.update(created.id, {**read.outs, "__provider": BLOB}, news))
    step("delete", lambda: provider.delete(created.id, outs))
    with capsys.disabled():
        print("\n[lifecycle] operation            calls   ms")
        for name, count, ms in rows:
            print(f"[lifecycle] {name:<22} {count:>5} {ms:>6.1f}")
    assert [count for _, count, _ in rows] == [0, 2, 0, 1, 2, 1]
