"""Lost responses, retries and what the user is told about them: provider methods against a
real emulator process whose faults are seeded (``/_emulator/faults``), checked in its request
log and in the server's clusters."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi_mixpeek import list_clusters
from pulumi_mixpeek._constants import MAX_RETRIES
from pulumi_mixpeek.errors import MixpeekError
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

from tests.integration.conftest import KEY, NAMESPACE
from tests.integration.test_cluster_emulator import calls, check, create, live, seed_cluster
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import URI_A, URI_B, VECTOR

pytestmark = pytest.mark.integration


def listed(server: Emulator) -> list[dict[str, Any]]:
    response = server.api(
        "POST", "/v1/clusters/list", key=KEY, namespace=NAMESPACE, params={"limit": 100}
    )
    response.raise_for_status()
    return list(response.json()["results"])


def posts(server: Emulator) -> list[dict[str, Any]]:
    return [r for r in server.requests() if (r["method"], r["path"]) == ("POST", "/v1/clusters")]


# -- a 5xx answer to the create may have been committed ----------------------------------
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_create_committed_then_answered_5xx_is_found_by_name_not_sent_again(
    server: Emulator, provider: ClusterProvider, status: int
) -> None:
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "commit_errors": {status: 1.0},
                    "times": 1}]}
    )
    cluster_id, outs = create(provider, VECTOR)
    assert [(r["method"], r["path"], r["status"]) for r in server.requests()] == [
        ("POST", "/v1/clusters", status),
        ("GET", "/v1/clusters/products", 200),
    ]
    assert [c["cluster_id"] for c in listed(server)] == [cluster_id]
    assert outs["cluster_name"] == "products"


@pytest.mark.parametrize("status", [500, 503])
def test_create_refused_with_5xx_is_looked_up_before_it_is_sent_again(
    server: Emulator, provider: ClusterProvider, status: int
) -> None:
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "errors": {status: 1.0},
                    "times": 1}]}
    )
    cluster_id, _ = create(provider, VECTOR)
    assert [(m, p) for m, p in calls(server)] == [
        ("POST", "/v1/clusters"),
        ("GET", "/v1/clusters/products"),
        ("POST", "/v1/clusters"),
    ]
    assert [c["cluster_id"] for c in listed(server)] == [cluster_id]


def test_one_create_sends_at_most_max_retries_plus_one_posts(
    server: Emulator, provider: ClusterProvider
) -> None:
    """Rate limits and lost answers interleaved: each POST counts against one budget."""
    rounds = [
        rule
        for _ in range(MAX_RETRIES + 2)
        for rule in (
            {"method": "POST", "path": "/v1/clusters", "errors": {"429": 1.0},
             "retry_after": 0, "times": MAX_RETRIES},
            {"method": "POST", "path": "/v1/clusters", "errors": {"502": 1.0}, "times": 1},
        )
    ]
    server.faults({"rules": rounds})
    with pytest.raises(MixpeekError) as caught:
        create(provider, VECTOR)
    assert len(posts(server)) == MAX_RETRIES + 1
    assert listed(server) == []
    assert f"{MAX_RETRIES + 1} attempts" in str(caught.value)


# -- a cluster found under the name after a lost answer must be the declared one ----------
def _varied(field: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(declared, someone else's) differing only in ``field``."""
    declared: dict[str, Any] = {
        **VECTOR,
        "vector_config": {
            "feature_uris": [URI_A],
            "clustering_method": "kmeans",
            "algorithm_params": {"n_clusters": 3},
        },
        "filters": {"AND": [{"field": "metadata.lang", "operator": "eq", "value": "en"}]},
        "llm_labeling": {"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"},
    }
    other = copy.deepcopy(declared)
    if field == "collection_ids":
        other["collection_ids"] = ["col_other"]
    elif field == "vector_config":
        other["vector_config"] = {"feature_uris": [URI_B], "clustering_method": "dbscan"}
    elif field == "filters":
        other["filters"] = {"AND": [{"field": "metadata.lang", "operator": "eq", "value": "de"}]}
    elif field == "llm_labeling":
        other["llm_labeling"] = {"enabled": False}
    elif field == "enrich_source_collection":
        other["enrich_source_collection"] = True
    elif field == "source_enrichment_config":
        other["enrich_source_collection"] = declared["enrich_source_collection"] = True
        declared["source_enrichment_config"] = {
            "field_mappings": [{"source_field": "cluster_label", "target_field": "topic"}]
        }
        other["source_enrichment_config"] = {
            "field_mappings": [{"source_field": "cluster_id", "target_field": "group"}]
        }
    elif field in ("cluster_type", "attribute_config"):
        del other["vector_config"]
        other["cluster_type"] = "attribute"
        other["attribute_config"] = {"attributes": ["brand"]}
    else:  # pragma: no cover - a new immutable field needs a case here
        raise AssertionError(field)
    return declared, other


IMMUTABLE = [
    "collection_ids",
    "cluster_type",
    "vector_config",
    "attribute_config",
    "filters",
    "llm_labeling",
    "enrich_source_collection",
    "source_enrichment_config",
]


def test_the_recovery_cases_cover_every_immutable_field() -> None:
    from pulumi_mixpeek.fields import replace_fields
    from pulumi_mixpeek.levels import SEED_API_VERSION, TODAY_API_VERSION, api_level

    # namespace and endpoint say where the cluster is: the lookup by name is made there. The
    # fields only API 1.3.783 has are not read back (state.NOT_READ_BACK), so a cluster found
    # by name cannot be seen to differ in them (and this server speaks 1.3.1).
    today_only = api_level(TODAY_API_VERSION).fields - api_level(SEED_API_VERSION).fields
    assert set(IMMUTABLE) == replace_fields() - {"namespace", "endpoint"} - today_only


@pytest.mark.parametrize("field", IMMUTABLE)
def test_cluster_found_after_a_lost_answer_is_refused_when_any_immutable_field_differs(
    server: Emulator, provider: ClusterProvider, field: str
) -> None:
    """Someone else's cluster holds the name; our POST is refused for that, and the refusal
    is lost on the way back: the cluster found by name is not ours and must not be taken."""
    declared, other = _varied(field)
    theirs = seed_cluster(server, other)
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1}]}
    )
    with pytest.raises(MixpeekError) as caught:
        create(provider, declared)
    message = str(caught.value)
    # Only declared fields are compared: the declaration is a vector cluster and leaves
    # attribute_config out, so against an attribute cluster what differs is its type.
    named = "cluster_type" if field == "attribute_config" else field
    assert named in message and theirs in message
    assert "adopt=True" in message
    assert [c["cluster_id"] for c in listed(server)] == [theirs]
    assert not any(r["method"] in ("PATCH", "DELETE") for r in server.requests())


def test_cluster_found_after_a_lost_answer_with_the_same_configuration_is_accepted(
    server: Emulator, provider: ClusterProvider
) -> None:
    declared, _ = _varied("filters")
    cluster_id, _ = create(provider, declared)
    server.api(
        "DELETE", f"/v1/clusters/{cluster_id}", key=KEY, namespace=NAMESPACE
    ).raise_for_status()
    server.reset()
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1}]}
    )
    recovered, _ = create(provider, declared)
    assert [(r["method"], r["path"], r["fault"]) for r in server.requests()] == [
        ("POST", "/v1/clusters", "drop"),
        ("GET", "/v1/clusters/products", None),
    ]
    assert [c["cluster_id"] for c in listed(server)] == [recovered]


# -- idempotent requests are retried on every 5xx -----------------------------------------
@pytest.mark.parametrize("status", [500, 501, 503])
def test_reads_updates_deletes_and_lists_are_retried_on_any_5xx(
    server: Emulator, provider: ClusterProvider, status: int
) -> None:
    cluster_id, outs = create(provider, VECTOR)
    server.reset()
    server.faults({"rules": [{"errors": {status: 1.0}, "times": 1}]})
    assert provider.read(cluster_id, outs).id == cluster_id

    server.faults({"rules": [{"method": "PATCH", "errors": {status: 1.0}, "times": 1}]})
    news = check(provider, {**VECTOR, "metadata": {"team": "b"}})
    provider.update(cluster_id, outs, news)
    body = live(server, cluster_id)
    assert body is not None and body["metadata"] == {"team": "b"}

    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters/list",
                              "errors": {status: 1.0}, "times": 1}]})
    found = list_clusters(api_key=KEY, namespace=NAMESPACE, endpoint=server.base_url)
    assert [c.cluster_id for c in found] == [cluster_id]

    server.faults({"rules": [{"method": "DELETE", "errors": {status: 1.0}, "times": 1}]})
    provider.delete(cluster_id, outs)
    assert live(server, cluster_id) is None
    failed = [(r["method"], r["status"]) for r in server.requests() if r["status"] >= 500]
    assert failed == [("GET", status), ("PATCH", status), ("POST", status), ("DELETE", status)]


# -- the user sees retries, waits and recoveries ------------------------------------------
def test_retries_waits_and_recoveries_are_written_to_stderr(
    server: Emulator, provider: ClusterProvider, capfd: pytest.CaptureFixture[str]
) -> None:
    server.faults(
        {"rules": [
            {"method": "POST", "path": "/v1/clusters", "errors": {"429": 1.0},
             "retry_after": 1, "times": 1},
            {"method": "POST", "path": "/v1/clusters", "errors": {"503": 1.0}, "times": 1},
            {"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1},
        ]}
    )
    create(provider, VECTOR)
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("mixpeek: ")]
    assert len(lines) >= 4, err
    text = "\n".join(lines)
    assert "HTTP 429" in text and "Retry-After" in text
    assert "HTTP 503" in text and "looking it up by name" in text
    assert "recovered" in text
    assert KEY not in err


# -- a taken name --------------------------------------------------------------------------
def test_create_refused_because_the_name_is_taken_names_the_holder_and_the_ways_out(
    server: Emulator, provider: ClusterProvider
) -> None:
    theirs = seed_cluster(server, VECTOR)
    with pytest.raises(MixpeekError) as caught:
        create(provider, VECTOR)
    message = str(caught.value)
    assert theirs in message
    assert "adopt=True" in message
    assert "Recovering from an interrupted run" in message
    assert [c["cluster_id"] for c in listed(server)] == [theirs]
