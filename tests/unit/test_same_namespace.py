"""One rule for "the same namespace", by name or by ``ns_`` id (``location.same_namespace``),
applied by check (an auto-named cluster keeps its name), by the diff of every resource
(Cluster, ClusterExecution, ClusterEnrichment) and by the native plugin's diff. No network."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.provider.experimental.provider import CheckRequest, DiffRequest
from pulumi_mixpeek._constants import CLUSTER_TOKEN
from pulumi_mixpeek.location import same_namespace
from pulumi_mixpeek.plugin.provider import MixpeekProvider
from pulumi_mixpeek.plugin.values import plain_map, property_map
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.resources.enrichment_provider import ClusterEnrichmentProvider
from pulumi_mixpeek.resources.execution_provider import ClusterExecutionProvider

from tests.unit.cluster_helpers import URI_A, VECTOR, checked, created_state, outcome

pytestmark = pytest.mark.unit

NAME = "search-prod"
#: The id the API answers for NAME (``server_metadata``'s namespace_id).
NAMESPACE_ID = "ns_0001"
UNNAMED = {k: v for k, v in VECTOR.items() if k != "cluster_name"}


# -- the rule ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("olds", "new", "same"),
    [
        # A Cluster's state: the recorded namespace and the namespace_id the API answered.
        ({"namespace": NAME, "namespace_id": NAMESPACE_ID}, NAME, True),
        ({"namespace": NAME, "namespace_id": NAMESPACE_ID}, NAMESPACE_ID, True),
        ({"namespace": NAMESPACE_ID, "namespace_id": NAMESPACE_ID}, NAMESPACE_ID, True),
        ({"namespace": NAME, "namespace_id": NAMESPACE_ID}, "search-staging", False),
        ({"namespace": NAME, "namespace_id": NAMESPACE_ID}, "ns_0002", False),
        # From the id back to a name: which namespace the name is cannot be told locally.
        ({"namespace": NAMESPACE_ID, "namespace_id": NAMESPACE_ID}, NAME, None),
        # State without a namespace_id (a run, an enrichment, check's previous inputs).
        ({"namespace": NAME}, NAMESPACE_ID, True),
        ({"namespace": NAMESPACE_ID}, NAME, True),
        ({"namespace": NAME}, "search-staging", False),
        ({"namespace": NAMESPACE_ID}, "ns_0002", False),
        # Nothing recorded before: no move; nothing to compare with; not known yet.
        ({"namespace": NAME}, None, True),
        ({}, NAME, None),
        ({"namespace": NAME}, Unknown(), None),
    ],
)
def test_the_rule(olds: dict[str, Any], new: Any, same: bool | None) -> None:
    assert same_namespace(olds, {"namespace": new}) is same


# -- check -------------------------------------------------------------------------------
def test_check_keeps_a_generated_name_when_the_namespace_is_respelled_as_its_id() -> None:
    first = checked({**UNNAMED, "namespace": NAME})
    again = checked({**UNNAMED, "namespace": NAMESPACE_ID}, olds=first)
    assert again["cluster_name"] == first["cluster_name"]
    assert again["namespace"] == NAMESPACE_ID
    # ... and diff, which sees the namespace_id the API answered, finds nothing to do.
    olds = created_state(UNNAMED, previous=first)
    assert olds["namespace_id"] == NAMESPACE_ID
    assert outcome(ClusterProvider().diff("clust_0001", olds, again)) == "none"
    # A namespace that is another one still gets a new name (a replacement).
    moved = checked({**UNNAMED, "namespace": "search-staging"}, olds=first)
    assert moved["cluster_name"] != first["cluster_name"]


def test_check_through_the_plugin_keeps_the_name_too() -> None:
    urn = f"urn:pulumi:test::proj::{CLUSTER_TOKEN}::products"

    def check(news: dict[str, Any], olds: dict[str, Any]) -> dict[str, Any]:
        request = CheckRequest(urn, property_map(olds), property_map(news), b"seed")
        result = asyncio.run(MixpeekProvider().check(request))
        assert result.failures == []
        return plain_map(result.inputs)

    # What the engine sends: the schema's camelCase names.
    unnamed = {"collectionIds": UNNAMED["collection_ids"],
               "vectorConfig": {"featureUris": [URI_A], "clusteringMethod": "kmeans"}}
    first = check({**unnamed, "namespace": NAME}, {})
    again = check({**unnamed, "namespace": NAMESPACE_ID}, first)
    assert again["clusterName"] == first["clusterName"]  # the schema's name on the wire


# -- diff of each resource ---------------------------------------------------------------
def cluster_diff(new_namespace: Any, **changes: Any) -> Any:
    previous = checked({**VECTOR, "namespace": NAME})
    olds = created_state(VECTOR, previous=previous)
    news = checked({**VECTOR, "namespace": new_namespace, **changes}, olds=previous)
    return ClusterProvider().diff("clust_0001", olds, news)


def test_cluster_diff() -> None:
    assert outcome(cluster_diff(NAMESPACE_ID)) == "none"
    assert outcome(cluster_diff("search-staging")) == "replace"
    assert outcome(cluster_diff(NAMESPACE_ID, description="new")) == "update"


RUN = {"cluster_id": "clust_1", "triggers": ["v1"]}
ENRICHMENT = {"clustering_ids": ["clust_1"], "source_collection_id": "col_a"}
RUN_OUTPUTS = {"task_id": "task_1", "status": "COMPLETED", "num_clusters": 4}
ENRICHMENT_OUTPUTS = {"processed": 10, "enriched": 10, "failed": 0, "batches": 1}

PROVIDERS = [
    pytest.param(ClusterExecutionProvider, RUN, RUN_OUTPUTS, {"triggers": ["v2"]},
                 id="ClusterExecution"),
    pytest.param(ClusterEnrichmentProvider, ENRICHMENT, ENRICHMENT_OUTPUTS, {"batch_size": 5},
                 id="ClusterEnrichment"),
]


@pytest.mark.parametrize(("cls", "declared", "outputs", "change"), PROVIDERS)
def test_a_run_or_enrichment_is_not_renewed_for_its_namespace_spelled_as_its_id(
    cls: Any, declared: dict[str, Any], outputs: dict[str, Any], change: dict[str, Any]
) -> None:
    provider = cls()
    first = provider.check({}, {**declared, "namespace": NAME}).inputs
    state = {**first, **outputs}

    def diff(**news: Any) -> Any:
        checked_news = provider.check(first, {**declared, **news}).inputs
        return provider.diff("id_1", state, checked_news)

    assert outcome(diff(namespace=NAMESPACE_ID)) == "none"
    assert diff(namespace="search-staging").replaces == ["namespace"]
    assert outcome(diff(namespace=Unknown())) == "replace"
    assert list(diff(namespace=NAMESPACE_ID, **change).replaces) == list(change)


# -- the plugin's diff -------------------------------------------------------------------
def plugin_diff(token: str, olds: dict[str, Any], news: dict[str, Any]) -> Any:
    urn = f"urn:pulumi:test::proj::mixpeek:index:{token}::r"
    request = DiffRequest(urn, "id_1", property_map(olds), property_map(news), [])
    return asyncio.run(MixpeekProvider().diff(request))


def test_plugin_diff_of_a_cluster_leaves_a_respelled_namespace_out() -> None:
    previous = checked({**VECTOR, "namespace": NAME})
    olds = created_state(VECTOR, previous=previous)
    same = checked({**VECTOR, "namespace": NAMESPACE_ID}, olds=previous)
    assert plugin_diff("Cluster", olds, same).changes is False
    described = checked({**VECTOR, "namespace": NAMESPACE_ID, "description": "new"},
                        olds=previous)
    updated = plugin_diff("Cluster", olds, described)
    assert updated.changes is True and updated.replaces == []
    assert updated.diffs == ["description"] and set(updated.detailed_diff) == {"description"}


@pytest.mark.parametrize(("cls", "declared", "outputs", "change"), PROVIDERS)
def test_plugin_diff_of_a_run_or_enrichment_leaves_a_respelled_namespace_out(
    cls: Any, declared: dict[str, Any], outputs: dict[str, Any], change: dict[str, Any]
) -> None:
    token = cls.__name__.removesuffix("Provider")
    first = cls().check({}, {**declared, "namespace": NAME}).inputs
    state = {**first, **outputs}
    news = cls().check(first, {**declared, "namespace": NAMESPACE_ID}).inputs
    assert plugin_diff(token, state, news).changes is False
    renewed = plugin_diff(token, state, {**news, **change})
    # Reported in the schema's camelCase (batch_size: batchSize).
    wire = [re.sub(r"_(.)", lambda m: m.group(1).upper(), name) for name in change]
    assert renewed.changes is True and renewed.replaces == wire
    assert renewed.diffs == wire
