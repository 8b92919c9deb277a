"""The official ``mixpeek==1.3.1`` SDK as a real peer: all seven ClustersApi operations plus
task polling, every response parsed into the SDK's models, every error raised as the SDK's
exception class."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import mixpeek
import pytest
from mixpeek.exceptions import (
    BadRequestException,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
    UnprocessableEntityException,
)

from tests.emulator.helpers import KEY, TASK_DURATION, Sdk, attribute_body, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator

TERMINAL = {"COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "CANCELED"}


def _create(sdk: Sdk, body: dict[str, Any]) -> mixpeek.ClusterMetadata:
    request = mixpeek.CreateClusterRequest.from_dict(body)
    return sdk.clusters.create_cluster(create_cluster_request=request, **sdk.kw)


def _poll(sdk: Sdk, task_id: str, timeout: float = 10.0) -> list[str]:
    """Poll a task to a terminal status; return every status seen."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = sdk.tasks.get_task(task_id, authorization=sdk.auth)
        assert isinstance(task, mixpeek.TaskResponse)
        status = task.status.value
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in TERMINAL:
            return seen
        time.sleep(TASK_DURATION / 10)
    raise AssertionError(f"task {task_id} did not finish: {seen}")


def test_create_vector_cluster_returns_cluster_metadata(sdk: Sdk) -> None:
    created = _create(sdk, vector_body(cluster_name="products"))

    assert isinstance(created, mixpeek.ClusterMetadata)
    assert created.cluster_id is not None and created.cluster_id.startswith("clust_")
    assert created.cluster_name == "products"
    assert created.namespace_id.startswith("ns_")
    assert created.input_collections == ["col_products"]
    assert created.cluster_type == "vector"
    assert created.feature_uris == ["mixpeek://text_extractor@v1/embedding"]
    assert created.algorithm == "kmeans"
    assert created.multi_feature_strategy == "concatenate"
    assert created.effective_feature_method == "mean"
    assert created.output_collection_ids and len(created.output_collection_ids) == 1
    assert created.output_collection_names and len(created.output_collection_names) == 1
    assert created.created_at is not None and created.updated_at is not None
    assert created.status is not None and created.status.value == "PENDING"


def test_sdk_wire_defaults_are_accepted(sdk: Sdk, server: Emulator) -> None:
    """from_dict fills every default and mis-parses algorithm_params as KMeansParams."""
    body = vector_body(
        cluster_name="all-defaults",
        filters={"AND": [{"field": "metadata.lang", "operator": "eq", "value": "en"}]},
        llm_labeling={
            "enabled": True,
            "provider": "google",
            "model_name": "gemini-2.0-flash",
            "labeling_inputs": {"input_mappings": [{"input_key": "text", "path": "text"}]},
        },
    )
    body["vector_config"].update(
        algorithm_params={"n_clusters": 7},
        weight_learning_config={"method": "bayesian"},
        multi_feature_strategy="weighted",
    )
    created = _create(sdk, body)

    sent = server.requests()[-1]["body"]
    assert sent["enrich_source_collection"] is False
    assert sent["vector_config"]["normalize_features"] is True
    assert sent["vector_config"]["algorithm_params"]["max_iter"] == 300  # the KMeans defaults
    assert sent["llm_labeling"]["cache_ttl_seconds"] == 604800
    assert sent["filters"]["case_sensitive"] is False
    assert created.algorithm_params is not None and created.algorithm_params["n_clusters"] == 7
    assert created.llm_labeling is not None and created.llm_labeling.enabled is True
    assert created.llm_labeling.model_name is not None
    assert created.llm_labeling.model_name.to_dict() == "gemini-2.0-flash"
    assert created.filters is not None and "AND" in created.filters


def test_create_attribute_cluster(sdk: Sdk) -> None:
    created = _create(
        sdk, attribute_body(attribute_config={"attributes": ["category"],
                                              "hierarchical_grouping": True,
                                              "aggregation_method": "first"})
    )
    assert created.cluster_type == "attribute"
    assert created.algorithm == "attribute_based"
    assert created.algorithm_params is None
    assert created.clustered_attributes == ["category"]
    assert created.hierarchical_grouping is True
    assert created.aggregation_method == "first"
    assert created.cluster_name  # generated when omitted


def test_per_feature_and_enrich_source_outputs(sdk: Sdk) -> None:
    uris = ["mixpeek://text_extractor@v1/embedding", "mixpeek://image_extractor@v2/clip"]
    per_feature = vector_body(cluster_name="per-feature")
    per_feature["vector_config"].update(feature_uris=uris, output_strategy="per_feature")
    created = _create(sdk, per_feature)
    assert created.output_collection_ids is not None and len(created.output_collection_ids) == 2
    assert created.output_collection_names is not None
    assert len(set(created.output_collection_names)) == 2

    enriched = _create(
        sdk,
        vector_body(
            cluster_name="in-place",
            collection_ids=["col_a", "col_b"],
            enrich_source_collection=True,
            source_enrichment_config={
                "field_mappings": [{"source_field": "cluster_id", "target_field": "topic"}]
            },
        ),
    )
    assert enriched.enrich_source is True
    assert enriched.output_collection_ids == ["col_a", "col_b"]
    assert enriched.source_enrichment_config is not None
    assert enriched.source_enrichment_config.field_mappings is not None
    assert enriched.source_enrichment_config.field_mappings[0].target_field == "topic"


def test_get_by_id_and_by_name(sdk: Sdk) -> None:
    created = _create(sdk, vector_body(cluster_name="lookup-me"))
    assert created.cluster_id is not None

    by_id = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    by_name = sdk.clusters.get_cluster("lookup-me", **sdk.kw)

    assert isinstance(by_id, mixpeek.ClusterMetadata)
    assert by_id.to_dict() == by_name.to_dict() == created.to_dict()


def test_patch_returns_cluster_model_and_get_reflects_it(sdk: Sdk) -> None:
    created = _create(
        sdk,
        vector_body(
            cluster_name="before",
            filters={"OR": [{"field": "metadata.lang", "operator": "in", "value": ["en"]}]},
            llm_labeling={"enabled": True, "model_name": "claude-3-5-haiku-20241022"},
        ),
    )
    assert created.cluster_id is not None

    patched = sdk.clusters.patch_cluster(
        "before",
        mixpeek.PatchClusterRequest(
            cluster_name="after", description="d", metadata={"team": "search"}
        ),
        **sdk.kw,
    )

    assert isinstance(patched, mixpeek.ClusterModel)
    assert patched.cluster_id == created.cluster_id
    assert patched.cluster_name == "after"
    assert patched.metadata == {"team": "search"}
    assert patched.collection_ids == ["col_products"]
    assert patched.vector_config is not None
    assert patched.vector_config.clustering_method.value == "kmeans"
    assert patched.filters is not None and patched.filters.var_or
    assert patched.llm_labeling is not None and patched.llm_labeling.enabled is True
    got = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert got.cluster_name == "after" and got.metadata == {"team": "search"}
    assert got.updated_at is not None and created.updated_at is not None
    assert got.updated_at > created.updated_at
    with pytest.raises(NotFoundException):
        sdk.clusters.get_cluster("before", **sdk.kw)


def test_list_returns_list_clusters_response(sdk: Sdk) -> None:
    for name in ("one", "two", "three"):
        _create(sdk, vector_body(cluster_name=name))

    page = sdk.clusters.list_clusters(limit=2, include_total=True, **sdk.kw)
    assert isinstance(page, mixpeek.ListClustersResponse)
    assert page.total_count == 3
    assert [c.cluster_name for c in page.results] == ["three", "two"]
    assert page.pagination.total == 3 and page.pagination.next_cursor
    rest = sdk.clusters.list_clusters(limit=2, cursor=page.pagination.next_cursor, **sdk.kw)
    assert [c.cluster_name for c in rest.results] == ["one"]

    searched = sdk.clusters.list_clusters(
        list_clusters_request=mixpeek.ListClustersRequest.from_dict(
            {"search": "t*", "sort": {"field": "cluster_name", "direction": "asc"}}
        ),
        **sdk.kw,
    )
    assert [c.cluster_name for c in searched.results] == ["three", "two"]

    # from_dict turns a literal condition into a nested operator with extra keys; still works.
    filtered = sdk.clusters.list_clusters(
        list_clusters_request=mixpeek.ListClustersRequest.from_dict(
            {"filters": {"AND": [{"field": "cluster_name", "operator": "eq", "value": "two"}]}}
        ),
        **sdk.kw,
    )
    assert [c.cluster_name for c in filtered.results] == ["two"]


def test_execute_and_poll_task_to_completion(sdk: Sdk) -> None:
    created = _create(sdk, vector_body(cluster_name="run-me"))
    assert created.cluster_id is not None

    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    assert isinstance(task, mixpeek.TaskResponse)
    assert task.task_type.value == "engine_cluster_build"
    assert task.status.value == "PENDING"

    seen = _poll(sdk, task.task_id)
    assert seen[-1] == "COMPLETED"
    assert "PROCESSING" in seen

    done = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert done.status is not None and done.status.value == "COMPLETED"
    assert done.last_execution_task_id == task.task_id
    assert done.num_clusters and done.num_clusters > 0
    assert done.num_documents_clustered and done.num_documents_clustered > 0
    assert done.last_executed_at is not None and done.completed_at is not None
    assert done.completed_at > done.last_executed_at


def test_failed_run_is_reported_on_task_and_cluster(sdk: Sdk, server: Emulator) -> None:
    created = _create(sdk, vector_body(cluster_name="doomed"))
    assert created.cluster_id is not None
    server.faults({"task_failure_rate": 1.0, "task_failure_message": "out of memory"})

    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    assert _poll(sdk, task.task_id)[-1] == "FAILED"

    failed = sdk.tasks.get_task(task.task_id, authorization=sdk.auth)
    assert failed.error == "out of memory"
    cluster = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert cluster.status is not None and cluster.status.value == "FAILED"
    assert cluster.completed_at is None


def test_run_completed_with_errors_keeps_its_results_and_lists_the_errors(
    sdk: Sdk, server: Emulator
) -> None:
    created = _create(sdk, vector_body(cluster_name="partly"))
    assert created.cluster_id is not None
    server.faults({"task_partial_rate": 1.0, "task_partial_message": "labels missing for 2"})

    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    assert _poll(sdk, task.task_id)[-1] == "COMPLETED_WITH_ERRORS"

    done = sdk.tasks.get_task(task.task_id, authorization=sdk.auth)
    assert done.additional_data is not None
    assert done.additional_data["error"] == "labels missing for 2"
    assert done.error is None  # 1.3.1 copies the error only for a failed task
    cluster = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert cluster.status is not None and cluster.status.value == "COMPLETED_WITH_ERRORS"
    assert cluster.completed_at is not None and cluster.num_clusters
    assert cluster.llm_labeling_errors == ["labels missing for 2"]


def test_canceled_run_and_task_duration_switch(sdk: Sdk, server: Emulator) -> None:
    created = _create(sdk, vector_body(cluster_name="canceled"))
    assert created.cluster_id is not None
    server.faults({"task_cancel_rate": 1.0, "task_duration": TASK_DURATION * 4})

    started = time.monotonic()
    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    assert _poll(sdk, task.task_id)[-1] == "CANCELED"
    assert time.monotonic() - started >= TASK_DURATION * 4

    canceled = sdk.tasks.get_task(task.task_id, authorization=sdk.auth)
    assert canceled.error and "canceled" in canceled.error
    cluster = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert cluster.status is not None and cluster.status.value == "CANCELED"
    assert cluster.completed_at is None


def test_task_status_switch_ends_runs_with_that_status(sdk: Sdk, server: Emulator) -> None:
    """``task_status``: a run ends SKIPPED (a 1.3.1 status the SDK reads), without results
    or error, and the cluster reports it; the next GETs still answer it."""
    created = _create(sdk, vector_body(cluster_name="skipped"))
    assert created.cluster_id is not None
    server.faults({"task_status": "SKIPPED"})

    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    deadline = time.monotonic() + 10
    while sdk.tasks.get_task(task.task_id, authorization=sdk.auth).status.value != "SKIPPED":
        assert time.monotonic() < deadline, "the run never reported SKIPPED"
        time.sleep(TASK_DURATION / 10)

    skipped = sdk.tasks.get_task(task.task_id, authorization=sdk.auth)
    assert skipped.status.value == "SKIPPED" and skipped.error is None and not skipped.outputs
    cluster = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert cluster.status is not None and cluster.status.value == "SKIPPED"
    assert cluster.completed_at is None


def test_task_outcome_rates_cannot_exceed_one(server: Emulator) -> None:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        server.faults({"task_failure_rate": 0.6, "task_partial_rate": 0.6})
    assert refused.value.response.status_code == 422


def test_enrich_failure_rate_reports_failed_documents(sdk: Sdk, server: Emulator) -> None:
    created = _create(sdk, vector_body(cluster_name="enrich-failing"))
    assert created.cluster_id is not None
    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    _poll(sdk, task.task_id)
    server.faults({"enrich_failure_rate": 0.5})

    request = mixpeek.ApplyClusterEnrichmentRequest(
        clustering_ids=[created.cluster_id], source_collection_id="col_products"
    )
    result = sdk.clusters.apply_cluster_enrichment_enrich(request, **sdk.kw)
    assert result.failed == round(result.processed * 0.5) > 0
    assert result.enriched == result.processed - result.failed


def test_enrich_after_a_completed_run(sdk: Sdk) -> None:
    created = _create(sdk, vector_body(cluster_name="enrich-me"))
    assert created.cluster_id is not None
    request = mixpeek.ApplyClusterEnrichmentRequest(
        clustering_ids=[created.cluster_id], source_collection_id="col_products", batch_size=10
    )
    with pytest.raises(BadRequestException):  # never run: nothing to apply yet
        sdk.clusters.apply_cluster_enrichment_enrich(request, **sdk.kw)

    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    _poll(sdk, task.task_id)
    result = sdk.clusters.apply_cluster_enrichment_enrich(request, **sdk.kw)

    assert isinstance(result, mixpeek.ClusteringEnrichmentResponse)
    done = sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    assert result.processed == done.num_documents_clustered
    assert result.failed == 0
    assert result.batches == -(-result.processed // 10)

    unknown = mixpeek.ApplyClusterEnrichmentRequest(
        clustering_ids=["clust_doesnotexist"], source_collection_id="col_products"
    )
    with pytest.raises(NotFoundException):
        sdk.clusters.apply_cluster_enrichment_enrich(unknown, **sdk.kw)


def test_delete_is_synchronous(sdk: Sdk) -> None:
    created = _create(sdk, vector_body(cluster_name="short-lived"))
    assert created.cluster_id is not None
    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)

    result = sdk.clusters.delete_cluster(created.cluster_id, **sdk.kw)
    assert result["success"] is True

    with pytest.raises(NotFoundException):
        sdk.clusters.get_cluster(created.cluster_id, **sdk.kw)
    with pytest.raises(NotFoundException):
        sdk.clusters.delete_cluster(created.cluster_id, **sdk.kw)
    with pytest.raises(NotFoundException):
        sdk.tasks.get_task(task.task_id, authorization=sdk.auth)


def test_errors_surface_as_sdk_exceptions(sdk: Sdk, server: Emulator) -> None:
    with pytest.raises(UnauthorizedException) as unauthorized:
        sdk.clusters.get_cluster("x", authorization="Bearer sk_wrong", x_namespace=sdk.namespace)
    with pytest.raises(ForbiddenException) as forbidden:
        Sdk(server.base_url, "sk_test_team_a", "team-b").clusters.list_clusters(
            authorization="Bearer sk_test_team_a", x_namespace="team-b"
        )
    with pytest.raises(BadRequestException) as no_namespace:
        sdk.clusters.list_clusters(authorization=sdk.auth)
    with pytest.raises(BadRequestException) as semantic:
        _create(sdk, {"collection_ids": ["c"], "cluster_type": "attribute"})
    with pytest.raises(NotFoundException) as not_found:
        sdk.clusters.get_cluster("missing", **sdk.kw)
    with pytest.raises(UnprocessableEntityException) as invalid:
        sdk.clusters.list_clusters(limit=0, **sdk.kw)

    for exc, status, kind in (
        (unauthorized, 401, "UnauthorizedError"),
        (forbidden, 403, "ForbiddenError"),
        (no_namespace, 400, "BadRequestError"),
        (semantic, 400, "BadRequestError"),
        (not_found, 404, "NotFoundError"),
    ):
        assert exc.value.status == status
        assert isinstance(exc.value.data, mixpeek.ErrorResponse)
        assert exc.value.data.status == status
        assert exc.value.data.error.type == kind
        assert exc.value.data.success is False
    assert isinstance(invalid.value.data, mixpeek.HTTPValidationError)
    detail = invalid.value.data.detail
    assert detail and [part.actual_instance for part in detail[0].loc] == ["query", "limit"]


def test_task_route_needs_a_key(sdk: Sdk) -> None:
    created = _create(sdk, vector_body())
    assert created.cluster_id is not None
    task = sdk.clusters.execute_clustering_clusters(created.cluster_id, **sdk.kw)
    with pytest.raises(UnauthorizedException):
        sdk.tasks.get_task(task.task_id)
    with pytest.raises(UnauthorizedException):
        sdk.tasks.get_task(task.task_id, authorization="Bearer nope")
    assert sdk.tasks.get_task(task.task_id, authorization=f"Bearer {KEY}").task_id == task.task_id


def test_request_log_never_records_the_key(sdk: Sdk, server: Emulator) -> None:
    _create(sdk, vector_body())
    sdk.clusters.list_clusters(**sdk.kw)
    log = server.requests()
    assert [(e["method"], e["path"], e["status"], e["namespace"]) for e in log] == [
        ("POST", "/v1/clusters", 200, sdk.namespace),
        ("POST", "/v1/clusters/list", 200, sdk.namespace),
    ]
    assert KEY not in json.dumps(log)
