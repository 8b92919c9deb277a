"""ClusterEnrichment's provider against a real emulator process: an enrichment with counts,
enrichments the server refuses (unknown clustering id, no completed run), failed documents
with and without fail_on_errors, a lost response that is not repeated, and the API key absent
from every error."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek.errors import (
    APIConnectionError,
    BadRequestError,
    EnrichmentError,
    NotFoundError,
)
from pulumi_mixpeek.resources.enrichment_provider import ClusterEnrichmentProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.integration.test_execution_emulator import live, make_cluster
from tests.support.emulator import Emulator

pytestmark = pytest.mark.integration

BLOB = serialize_provider(ClusterEnrichmentProvider())


@pytest.fixture
def enrich(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> ClusterEnrichmentProvider:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider: ClusterEnrichmentProvider = configured(server, ClusterEnrichmentProvider)
    return provider


def executed_cluster(server: Emulator) -> str:
    """A cluster with a completed run (arranged through the API)."""
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 0.0})
    server.api("POST", f"/v1/clusters/{cluster_id}/execute", key=KEY, namespace=NAMESPACE)
    assert live(server, f"/v1/clusters/{cluster_id}")["status"] == "COMPLETED"
    server.reset()
    return cluster_id


def checked(provider: ClusterEnrichmentProvider, **declaration: Any) -> dict[str, Any]:
    result = provider.check({}, {**declaration, "__provider": BLOB})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {**result.inputs, "__provider": BLOB}


def enrich_posts(server: Emulator) -> list[dict[str, Any]]:
    return [r for r in server.requests() if r["path"] == "/v1/clusters/enrich"]


def no_key_anywhere(error: BaseException) -> None:
    text = "".join(traceback.format_exception(error))
    assert KEY not in text and KEY not in repr(error)


def test_enrichment_with_counts(
    server: Emulator, enrich: ClusterEnrichmentProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster_id = executed_cluster(server)

    result = enrich.create(
        checked(enrich, clustering_ids=[cluster_id], source_collection_id="col_products",
                batch_size=10, triggers=["task_1"])
    )

    documents = live(server, f"/v1/clusters/{cluster_id}")["num_documents_clustered"]
    outs = result.outs
    assert (outs["processed"], outs["enriched"], outs["failed"]) == (documents, documents, 0)
    assert outs["batches"] == -(-documents // 10)
    assert outs["clustering_ids"] == [cluster_id] and outs["triggers"] == ["task_1"]
    assert result.id.startswith("enrich_")
    (post,) = enrich_posts(server)
    assert post["body"] == {"clustering_ids": [cluster_id], "source_collection_id": "col_products",
                            "batch_size": 10, "parallelism": 1}
    assert f"{documents} enriched" in capsys.readouterr().err
    # Read makes no call (1.3.1 cannot read an enrichment back) and changes nothing.
    server.reset()
    read = enrich.read(result.id, {**outs, "__provider": BLOB})
    assert read.outs == outs and server.requests() == []


def test_unknown_clustering_id_is_refused(
    server: Emulator, enrich: ClusterEnrichmentProvider
) -> None:
    with pytest.raises(NotFoundError) as refused:
        enrich.create(
            checked(enrich, clustering_ids=["clust_nope"], source_collection_id="col_products")
        )
    assert "clust_nope" in str(refused.value)
    no_key_anywhere(refused.value)


def test_cluster_without_a_completed_run_is_refused(
    server: Emulator, enrich: ClusterEnrichmentProvider
) -> None:
    cluster_id = make_cluster(server)
    with pytest.raises(BadRequestError) as refused:
        enrich.create(
            checked(enrich, clustering_ids=[cluster_id], source_collection_id="col_products")
        )
    assert "has no completed run" in str(refused.value) and cluster_id in str(refused.value)
    no_key_anywhere(refused.value)


def test_failed_documents_fail_unless_accepted(
    server: Emulator, enrich: ClusterEnrichmentProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster_id = executed_cluster(server)
    server.faults({"enrich_failure_rate": 0.1})
    declaration = {"clustering_ids": [cluster_id], "source_collection_id": "col_products"}

    with pytest.raises(EnrichmentError, match="documents failed") as failed:
        enrich.create(checked(enrich, **declaration))
    assert "fail_on_errors=False" in str(failed.value)
    no_key_anywhere(failed.value)

    outs = enrich.create(checked(enrich, **declaration, fail_on_errors=False)).outs
    assert outs["failed"] > 0 and outs["enriched"] == outs["processed"] - outs["failed"]
    assert "warning:" in capsys.readouterr().err


def test_lost_response_is_not_repeated(
    server: Emulator, enrich: ClusterEnrichmentProvider
) -> None:
    cluster_id = executed_cluster(server)
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters/enrich", "drop_rate": 1.0}]})

    with pytest.raises(APIConnectionError, match="may have been applied") as lost:
        enrich.create(
            checked(enrich, clustering_ids=[cluster_id], source_collection_id="col_products")
        )
    assert len(enrich_posts(server)) == 1
    no_key_anywhere(lost.value)


def test_check_reports_every_problem_without_network(
    server: Emulator, enrich: ClusterEnrichmentProvider
) -> None:
    result = enrich.check_inputs(  # failures by path (the engine's form: test_boundary.py)
        {}, {"clustering_ids": [], "batch_size": 0, "parallelism": "two", "__provider": BLOB}
    )
    assert sorted(f.property for f in result.failures) == [
        "batch_size", "clustering_ids", "parallelism", "source_collection_id"
    ]
    olds = {**checked(enrich, clustering_ids=["c"], source_collection_id="s"), "processed": 1}
    for change, outcome in (({"fail_on_errors": False}, False), ({"batch_size": 5}, None)):
        news = checked(enrich, clustering_ids=["c"], source_collection_id="s", **change)
        assert enrich.diff("enrich_1", olds, news).changes is outcome
    assert server.requests() == []
