"""Matching an interrupted run's pending Cluster creates to the server's clusters, on
hand-built ``pulumi stack export`` documents (the shape CLI 3.274.1 writes)."""

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
from pulumi_mixpeek.state import build_outputs, immutable_differences, live_inputs

from tests.unit.cluster_helpers import ATTRIBUTE, PROVIDER_BLOB, URI_B, VECTOR, checked
from tests.unit.cluster_helpers import server_metadata as metadata_for
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

def named(name: str, base: dict[str, Any] = VECTOR, **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(base), "cluster_name": name, **changes}


class Server:
    """Clusters by (namespace, name), as GET /v1/clusters/{name} would find them."""

    def __init__(self) -> None:
        self.clusters: dict[tuple[str, str], ClusterMetadata] = {}
        self.asked: list[tuple[str, str]] = []

    def add(
        self, declaration: dict[str, Any], cluster_id: str, *, namespace: str = DEFAULT_NS,
        **server_side: Any,
    ) -> ClusterMetadata:
        meta = metadata_for(checked(declaration), cluster_id=cluster_id, **server_side)
        self.clusters[(namespace, meta.cluster_name)] = meta
        return meta

    def find(self, item: PendingCreate) -> ClusterMetadata | None:
        key = (item.namespace or DEFAULT_NS, str(item.cluster_name))
        self.asked.append(key)
        return self.clusters.get(key)


def decide(doc: dict[str, Any], server: Server, **kwargs: Any) -> dict[str, tuple[Action, str]]:
    return {
        d.pending.urn.rsplit("::", 1)[1]: (d.action, d.reason)
        for d in plan(doc, server.find, **kwargs)
    }


def test_cluster_type_is_the_resource_classes_token() -> None:
    assert CLUSTER_TYPE == "pulumi-python:" + Cluster._resource_type_name


def test_only_pending_cluster_creates_are_collected() -> None:
    other = {
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
    server.add(named("made"), "clust_made")
    # Run results and fields this client does not know do not make it another cluster.
    server.add(
        named("made-filled"), "clust_filled", status="COMPLETED", num_clusters=7, new_field=1
    )
    server.add(named("made-attr", ATTRIBUTE), "clust_attr")
    # Same name, same collections and type, but another feature and algorithm: not ours.
    server.add(
        named("foreign", vector_config={"feature_uris": [URI_B], "clustering_method": "dbscan"}),
        "clust_foreign",
    )
    doc = deployment(
        [],
        [
            pending("made", named("made")),
            pending("made-filled", named("made-filled")),
            pending("made-attr", named("made-attr", ATTRIBUTE)),
            pending("never-sent", named("never-sent")),
            pending("foreign", named("foreign")),
        ],
    )

    decisions = decide(doc, server)

    assert {k: v[0] for k, v in decisions.items()} == {
        "made": Action.COMPLETE,
        "made-filled": Action.COMPLETE,
        "made-attr": Action.COMPLETE,
        "never-sent": Action.CLEAR,
        "foreign": Action.LEAVE,
    }
    reason = decisions["foreign"][1]
    assert "clust_foreign" in reason
    assert "vector_config" in reason and "not taken over, not deleted" in reason
    assert "collection_ids" not in reason, "only the fields that differ are named"


def test_recreate_strategy_deletes_what_the_run_made_and_clears_the_rest() -> None:
    server = Server()
    server.add(named("made"), "clust_made")
    server.add(named("foreign", collection_ids=["col_other"]), "clust_foreign")
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


def test_a_cluster_the_state_already_manages_is_never_claimed() -> None:
    server = Server()
    server.add(named("shared"), "clust_shared")
    doc = deployment(
        [created("owner", named("shared"), "clust_shared")],
        [pending("newcomer", named("shared"))],
    )

    (decision,) = plan(doc, server.find)

    assert decision.action is Action.CLEAR
    assert urn("owner") in decision.reason


def test_an_interrupted_create_before_delete_replacement_is_deleted_not_completed() -> None:
    server = Server()
    server.add(named("products-v2"), "clust_new")
    doc = deployment(
        [created("products", named("products-v1"), "clust_old")],
        [pending("products", named("products-v2"))],
    )

    (decision,) = plan(doc, server.find)

    assert decision.action is Action.DELETE
    assert decision.cluster is not None and decision.cluster.cluster_id == "clust_new"


def test_the_namespace_recorded_in_the_inputs_is_searched_else_the_stacks() -> None:
    server = Server()
    server.add(named("staging"), "clust_staging", namespace="staging")
    declared_elsewhere = pending("staging", named("staging"))
    declared_elsewhere["resource"]["inputs"]["namespace"] = "staging"
    doc = deployment([], [declared_elsewhere, pending("plain", named("plain"))])

    decisions = decide(doc, server)

    assert server.asked == [("staging", "staging"), (DEFAULT_NS, "plain")]
    assert decisions["staging"][0] is Action.COMPLETE
    assert decisions["plain"][0] is Action.CLEAR


def test_two_pending_creates_of_one_name_are_left_for_a_person() -> None:
    server = Server()
    server.add(named("twin"), "clust_twin")
    doc = deployment([], [pending("a", named("twin")), pending("b", named("twin"))])

    decisions = decide(doc, server)

    assert {k: v[0] for k, v in decisions.items()} == {
        "a": Action.UNDECIDED, "b": Action.UNDECIDED
    }
    assert server.asked == []


def test_a_pending_create_with_secret_inputs_is_left_for_a_person() -> None:
    server = Server()
    server.add(named("secret"), "clust_secret")
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
    meta = server.add(named("made"), "clust_made")
    updating = pending("updated", named("updated"), kind="updating")
    doc = deployment(
        [created("done", named("done"), "clust_done")],
        [pending("made", named("made")), pending("never-sent", named("never-sent")), updating],
    )
    before = copy.deepcopy(doc)
    decisions = plan(doc, server.find)
    outputs = {**build_outputs(meta, decisions[0].pending.declared), "__provider": PROVIDER_BLOB}

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


@pytest.mark.parametrize(
    "declaration",
    [
        named("v"),
        named("a", ATTRIBUTE),
        named("m", description="d", metadata={"team": "search"}),
        named("f", filters={"AND": [{"field": "brand", "operator": "eq", "value": "x"}]}),
    ],
)
def test_completed_outputs_are_what_read_would_produce(declaration: dict[str, Any]) -> None:
    """Completion stores adopt's outputs (``build_outputs(meta, declared)``); for a cluster
    that passed the check they equal read's (``build_outputs(meta, live_inputs(...))``)."""
    inputs = checked(declaration)
    meta = metadata_for(inputs, cluster_id="clust_1")
    item = PendingCreate(urn("x"), inputs)

    assert immutable_differences(meta, item.declared) == []
    assert build_outputs(meta, item.declared) == build_outputs(
        meta, live_inputs(meta, item.declared)
    )
