"""Matching an interrupted run's pending Cluster creates to the server's clusters, on
hand-built ``pulumi stack export`` documents (the shape CLI 3.274.1 writes).

What the server holds is written out here as the JSON ``GET /v1/clusters/{name}`` answers
(ClusterMetadata, reference section 3), never derived from the declaration by provider code:
once as a server that returns what it was sent, once as the live API answers, with its own
defaults and fields SDK 1.3.1 does not know filled in (what the emulator's ``--fill-defaults``
adds, emulator/mixpeek_emulator/defaults.py). The same matching against a real server process
is in tests/integration/test_recovery_server.py.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi_mixpeek.models import ClusterMetadata
from pulumi_mixpeek.recovery import (
    CLUSTER_TYPE,
    Action,
    PendingCreate,
    Strategy,
    apply,
    other_pending_creates,
    pending_cluster_creates,
    plan,
)
from pulumi_mixpeek.resources.cluster import Cluster

from tests.unit.cluster_helpers import ATTRIBUTE, PROVIDER_BLOB, URI_A, URI_B, VECTOR
from tests.unit.state_exports import (
    DEFAULT_NS,
    PROVIDER_REF,
    PROVIDER_URN,
    STACK_URN,
    created,
    deployment,
    pending,
    urn,
)

pytestmark = pytest.mark.unit

#: GET's answer for a cluster created from ``VECTOR`` (col_a, URI_A, kmeans) by a server
#: that returns what it was sent: the create body's SDK wire defaults
#: (multi_feature_strategy, effective_feature_method, enrich_source; reference section 4)
#: and its own fields, never run.
VECTOR_ANSWER: dict[str, Any] = {
    "cluster_id": "clust_0001",
    "cluster_name": "products",
    "namespace_id": "ns_5afdf3ec34ae5255",
    "input_collections": ["col_a"],
    "source_bucket_ids": None,
    "filters": None,
    "cluster_type": "vector",
    "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
    "multi_feature_strategy": "concatenate",
    "learned_weights": None,
    "learning_quality_score": None,
    "effective_feature_method": "mean",
    "clustered_attributes": None,
    "hierarchical_grouping": None,
    "aggregation_method": None,
    "output_collection_ids": ["col_7c335f376518"],
    "output_collection_names": ["products_clusters"],
    "algorithm": "kmeans",
    "algorithm_params": None,
    "enrich_source": False,
    "source_enrichment_config": None,
    "llm_labeling": None,
    "num_clusters": None,
    "num_documents_clustered": None,
    "execution_time_seconds": None,
    "hierarchy_detected": False,
    "parent_cluster_id": None,
    "child_cluster_ids": None,
    "hierarchy_relationships": None,
    "status": "PENDING",
    "last_execution_task_id": None,
    "created_at": "2026-11-29T04:58:12.668232Z",
    "updated_at": "2026-11-29T04:58:12.668232Z",
    "last_executed_at": None,
    "completed_at": None,
    "llm_labeling_errors": None,
    "metadata": None,
}

#: GET's answer for a cluster created from ``ATTRIBUTE`` (col_a, grouped by brand).
ATTRIBUTE_ANSWER: dict[str, Any] = {
    **VECTOR_ANSWER,
    "cluster_name": "by-brand",
    "cluster_type": "attribute",
    "feature_uris": None,
    "multi_feature_strategy": None,
    "effective_feature_method": None,
    "clustered_attributes": ["brand"],
    "hierarchical_grouping": False,
    "aggregation_method": None,
    "output_collection_ids": ["col_3be1f0c2aa41"],
    "output_collection_names": ["by-brand_clusters"],
    "algorithm": "attribute_based",
}

#: Top-level fields a newer API returns that SDK 1.3.1 does not know.
UNKNOWN_FIELDS: dict[str, Any] = {
    "index_version": 3,
    "compute_region": "emulator-local",
    "run_defaults": {"timeout_seconds": 3600},
}

#: The live API's kmeans defaults under ``algorithm_params`` (scikit-learn's).
KMEANS_FILLED = {"n_clusters": 8, "max_iter": 300, "n_init": 10, "random_state": 42}

#: The live API's ``llm_labeling`` for a declared ``{"enabled": true, "model_name":
#: "gpt-4o-2024-08-06"}``: the provider inferred, the limits, a field 1.3.1 does not know.
LABELING_FILLED = {
    "enabled": True,
    "provider": "openai",
    "model_name": "gpt-4o-2024-08-06",
    "include_summary": True,
    "include_keywords": True,
    "max_samples_per_cluster": 10,
    "sample_text_max_length": 200,
    "cache_ttl_seconds": 604800,
    "use_embedding_dedup": False,
    "embedding_similarity_threshold": 0.8,
    "prompt_version": 2,
}


def named(name: str, base: dict[str, Any] = VECTOR, **changes: Any) -> dict[str, Any]:
    """A declaration (what the program passes to Cluster)."""
    return {**copy.deepcopy(base), "cluster_name": name, **changes}


def answer(
    name: str, cluster_id: str, base: dict[str, Any] = VECTOR_ANSWER, **changes: Any
) -> dict[str, Any]:
    """A GET answer: ``base`` under another name and id, with ``changes``."""
    return {**copy.deepcopy(base), "cluster_name": name, "cluster_id": cluster_id, **changes}


class Server:
    """Clusters by (namespace, name): the JSON GET /v1/clusters/{name} answers, parsed as
    the client parses a response."""

    def __init__(self) -> None:
        self.clusters: dict[tuple[str, str], dict[str, Any]] = {}
        self.asked: list[tuple[str, str]] = []

    def holds(self, body: dict[str, Any], *, namespace: str = DEFAULT_NS) -> None:
        self.clusters[(namespace, body["cluster_name"])] = body

    def find(self, item: PendingCreate) -> ClusterMetadata | None:
        key = (item.namespace or DEFAULT_NS, str(item.cluster_name))
        self.asked.append(key)
        body = self.clusters.get(key)
        return None if body is None else ClusterMetadata.model_validate(body)


def decide(doc: dict[str, Any], server: Server, **kwargs: Any) -> dict[str, tuple[Action, str]]:
    return {
        d.pending.urn.rsplit("::", 1)[1]: (d.action, d.reason)
        for d in plan(doc, server.find, **kwargs)
    }


def test_cluster_type_is_the_resource_classes_token() -> None:
    assert CLUSTER_TYPE == "pulumi-python:" + Cluster._resource_type_name


def test_only_pending_cluster_creates_are_collected() -> None:
    other: dict[str, Any] = {
        "resource": {"urn": "urn:pulumi:test::proj::random:index/randomId:RandomId::r",
                     "type": "random:index/randomId:RandomId", "custom": True, "inputs": {}},
        "type": "creating",
    }
    doc = deployment(
        [created("done", named("done"), "clust_done")],
        [pending("a", named("a")), pending("b", named("b"), kind="updating"), other],
    )

    assert [p.urn for p in pending_cluster_creates(doc)] == [urn("a")]
    assert pending_cluster_creates(doc)[0].cluster_name == "a"
    assert other_pending_creates(doc) == [other["resource"]["urn"]]
    assert pending_cluster_creates(deployment([], [])) == []


def test_each_pending_create_is_matched_by_name_and_verified_configuration() -> None:
    server = Server()
    server.holds(answer("made", "clust_made"))
    # Run results and fields this client does not know do not make it another cluster.
    server.holds(
        answer(
            "made-run", "clust_run",
            status="COMPLETED", num_clusters=7, num_documents_clustered=1200,
            execution_time_seconds=12.5, last_execution_task_id="task_5d1c0e2b",
            last_executed_at="2026-11-29T04:58:20Z", completed_at="2026-11-29T04:58:33Z",
            **UNKNOWN_FIELDS,
        )
    )
    server.holds(answer("made-attr", "clust_attr", ATTRIBUTE_ANSWER))
    # Same name, same collections and type, but another feature and algorithm: not ours.
    server.holds(
        answer(
            "foreign", "clust_foreign",
            feature_uris=["mixpeek://image_extractor@v1/embedding"], algorithm="dbscan",
        )
    )
    doc = deployment(
        [],
        [
            pending("made", named("made")),
            pending("made-run", named("made-run")),
            pending("made-attr", named("made-attr", ATTRIBUTE)),
            pending("never-sent", named("never-sent")),
            pending("foreign", named("foreign")),
        ],
    )

    decisions = decide(doc, server)

    assert {k: v[0] for k, v in decisions.items()} == {
        "made": Action.COMPLETE,
        "made-run": Action.COMPLETE,
        "made-attr": Action.COMPLETE,
        "never-sent": Action.CLEAR,
        "foreign": Action.LEAVE,
    }
    reason = decisions["foreign"][1]
    assert "clust_foreign" in reason
    assert "vector_config" in reason and "not taken over, not deleted" in reason
    assert "collection_ids" not in reason, "only the fields that differ are named"
    assert URI_B in reason and "dbscan" in reason, "the existing values are shown"


LABELED: dict[str, Any] = {"enabled": True, "model_name": "gpt-4o-2024-08-06"}
ENRICHED: dict[str, Any] = {
    "enrich_source_collection": True,
    "source_enrichment_config": {
        "field_mappings": [{"source_field": "cluster_id", "target_field": "topic"}]
    },
}


@pytest.mark.parametrize(
    ("declaration", "held", "action"),
    [
        pytest.param(
            named("x"),
            answer("x", "clust_x", algorithm_params=KMEANS_FILLED, **UNKNOWN_FIELDS),
            Action.COMPLETE,
            id="algorithm-defaults-for-undeclared-params",
        ),
        pytest.param(
            named("x", vector_config={**VECTOR["vector_config"],
                                      "algorithm_params": {"n_clusters": 5}}),
            answer("x", "clust_x", algorithm_params={**KMEANS_FILLED, "n_clusters": 5}),
            Action.COMPLETE,
            id="algorithm-defaults-beside-a-declared-param",
        ),
        pytest.param(
            named("x", vector_config={**VECTOR["vector_config"],
                                      "algorithm_params": {"n_clusters": 5}}),
            answer("x", "clust_x", algorithm_params=KMEANS_FILLED),
            Action.LEAVE,
            id="declared-param-held-differently",
        ),
        pytest.param(
            named("x", llm_labeling=LABELED),
            answer("x", "clust_x", llm_labeling=LABELING_FILLED),
            Action.COMPLETE,
            id="labeling-defaults",
        ),
        pytest.param(
            named("x", llm_labeling=LABELED),
            answer("x", "clust_x",
                   llm_labeling={**LABELING_FILLED, "model_name": "gpt-4o-mini-2024-07-18"}),
            Action.LEAVE,
            id="declared-labeling-model-held-differently",
        ),
        pytest.param(
            named("x", ATTRIBUTE),
            answer("x", "clust_x", ATTRIBUTE_ANSWER, aggregation_method="most_frequent",
                   **UNKNOWN_FIELDS),
            Action.COMPLETE,
            id="aggregation-default",
        ),
        pytest.param(
            named("x", ATTRIBUTE, attribute_config={"attributes": ["brand"],
                                                    "aggregation_method": "first"}),
            answer("x", "clust_x", ATTRIBUTE_ANSWER, aggregation_method="most_frequent"),
            Action.LEAVE,
            id="declared-aggregation-held-differently",
        ),
        pytest.param(
            named("x", ATTRIBUTE, **ENRICHED),
            answer(
                "x", "clust_x", ATTRIBUTE_ANSWER,
                aggregation_method="most_frequent", enrich_source=True,
                output_collection_ids=["col_a"], output_collection_names=["col_a"],
                source_enrichment_config={
                    **ENRICHED["source_enrichment_config"], "write_mode": "upsert"
                },
            ),
            Action.COMPLETE,
            id="enrichment-defaults",
        ),
    ],
)
def test_only_what_the_declaration_states_is_compared(
    declaration: dict[str, Any], held: dict[str, Any], action: Action
) -> None:
    """The live API answers with more than it was sent (its defaults for the algorithm, the
    labeling, the aggregation; fields 1.3.1 does not know). A value it filled in for what
    the declaration left out is no difference; a declared value it holds differently is."""
    server = Server()
    server.holds(held)

    (decision,) = plan(deployment([], [pending("x", declaration)]), server.find)

    assert decision.action is action, decision.reason
    if action is Action.LEAVE:
        assert "clust_x" in decision.reason and "not taken over" in decision.reason


def test_recreate_strategy_deletes_what_the_run_made_and_clears_the_rest() -> None:
    server = Server()
    server.holds(answer("made", "clust_made"))
    server.holds(answer("foreign", "clust_foreign", input_collections=["col_other"]))
    doc = deployment(
        [],
        [
            pending("made", named("made")),
            pending("never-sent", named("never-sent")),
            pending("foreign", named("foreign")),
        ],
    )

    decisions = decide(doc, server, strategy=Strategy.RECREATE)

    assert {k: v[0] for k, v in decisions.items()} == {
        "made": Action.DELETE,
        "never-sent": Action.CLEAR,
        "foreign": Action.LEAVE,
    }
    assert "collection_ids" in decisions["foreign"][1]


def test_a_cluster_the_state_already_manages_is_never_claimed() -> None:
    server = Server()
    server.holds(answer("shared", "clust_shared"))
    doc = deployment(
        [created("owner", named("shared"), "clust_shared")],
        [pending("newcomer", named("shared"))],
    )

    (decision,) = plan(doc, server.find)

    assert decision.action is Action.CLEAR
    assert urn("owner") in decision.reason and "clust_shared" in decision.reason


def test_an_interrupted_create_before_delete_replacement_is_deleted_not_completed() -> None:
    server = Server()
    server.holds(answer("products-v2", "clust_new"))
    doc = deployment(
        [created("products", named("products-v1"), "clust_old")],
        [pending("products", named("products-v2"))],
    )

    (decision,) = plan(doc, server.find)

    assert decision.action is Action.DELETE
    assert decision.cluster is not None and decision.cluster.cluster_id == "clust_new"


def test_the_namespace_recorded_in_the_inputs_is_searched_else_the_stacks() -> None:
    server = Server()
    server.holds(answer("staging", "clust_staging"), namespace="staging")
    declared_elsewhere = pending("staging", named("staging"))
    declared_elsewhere["resource"]["inputs"]["namespace"] = "staging"
    doc = deployment([], [declared_elsewhere, pending("plain", named("plain"))])

    decisions = decide(doc, server)

    assert server.asked == [("staging", "staging"), (DEFAULT_NS, "plain")]
    assert decisions["staging"][0] is Action.COMPLETE
    assert decisions["plain"][0] is Action.CLEAR


def test_two_pending_creates_of_one_name_are_left_for_a_person() -> None:
    server = Server()
    server.holds(answer("twin", "clust_twin"))
    doc = deployment([], [pending("a", named("twin")), pending("b", named("twin"))])

    decisions = decide(doc, server)

    assert {k: v[0] for k, v in decisions.items()} == {
        "a": Action.UNDECIDED, "b": Action.UNDECIDED
    }
    assert server.asked == []


def test_a_pending_create_with_secret_inputs_is_left_for_a_person() -> None:
    server = Server()
    server.holds(answer("secret", "clust_secret"))
    op = pending("secret", named("secret"))
    op["resource"]["inputs"]["metadata"] = {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "ciphertext": "v1:abc:def",
    }

    (decision,) = plan(deployment([], [op]), server.find)

    assert decision.action is Action.UNDECIDED and "secret" in decision.reason
    assert server.asked == []


def test_apply_records_completed_creates_and_drops_the_others() -> None:
    server = Server()
    server.holds(answer("made", "clust_made"))
    updating = pending("updated", named("updated"), kind="updating")
    doc = deployment(
        [created("done", named("done"), "clust_done")],
        [pending("made", named("made")), pending("never-sent", named("never-sent")), updating],
    )
    before = copy.deepcopy(doc)
    decisions = plan(doc, server.find)
    assert [d.action for d in decisions] == [Action.COMPLETE, Action.CLEAR]
    # What completion computed (mixpeek-recover-pending: adopt's outputs); apply records it
    # as given.
    outputs = {
        "cluster_id": "clust_made",
        "cluster_name": "made",
        "collection_ids": ["col_a"],
        "feature_uris": [URI_A],
        "status": "PENDING",
        "__provider": PROVIDER_BLOB,
    }

    result = apply(doc, decisions, {urn("made"): ("clust_made", outputs)})

    assert doc == before, "the input document is not modified"
    assert result["pending_operations"] == [updating]
    assert [r["urn"] for r in result["resources"]] == [
        STACK_URN, PROVIDER_URN, urn("done"), urn("made")
    ]
    record = result["resources"][-1]
    assert record["id"] == "clust_made"
    assert record["outputs"] == outputs
    assert record["inputs"] == doc["pending_operations"][0]["resource"]["inputs"]
    assert record["inputs"]["__provider"] == PROVIDER_BLOB
    assert (record["parent"], record["provider"]) == (STACK_URN, PROVIDER_REF)
    assert result["manifest"] == doc["manifest"]
    assert result["secrets_providers"] == doc["secrets_providers"]
