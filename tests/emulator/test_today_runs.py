"""Today's level (``--api-version 1.3.783``) over plain HTTP: runs pass through QUEUED, execute
takes ExecuteClusterByIdRequest, the groups and visualization reads, a failed run's error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import URI, attribute_body, call, vector_body, wait_for_run
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.emulator


def create(server: Emulator, namespace: str, body: dict[str, Any]) -> dict[str, Any]:
    response = call(server, "POST", "/v1/clusters", namespace, json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def execute(server: Emulator, namespace: str, cluster_id: str,
            body: dict[str, Any] | None = None) -> dict[str, Any]:
    kwargs = {"json": body} if body is not None else {}
    response = call(server, "POST", f"/v1/clusters/{cluster_id}/execute", namespace, **kwargs)
    assert response.status_code == 200, response.text
    task: dict[str, Any] = response.json()
    return task


def distinct(statuses: list[str]) -> list[str]:
    return [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]


def test_a_run_passes_through_queued(namespace: str) -> None:
    # Long enough runs that polling sees every status.
    with running_emulator(extra_args=("--task-duration", "1.0"),
                          api_version="1.3.783") as server:
        cluster = create(server, namespace, vector_body())
        task = execute(server, namespace, cluster["cluster_id"])
        assert task["status"] == "QUEUED" and task["task_type"] == "engine_cluster_build"
        assert call(server, "GET", f"/v1/clusters/{cluster['cluster_id']}",
                    namespace).json()["status"] == "QUEUED"
        seen = distinct([task["status"], *wait_for_run(server, namespace, task["task_id"])])
        assert seen == ["QUEUED", "PROCESSING", "COMPLETED"]
        done = call(server, "GET", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
        assert done["status"] == "COMPLETED" and done["last_execution_task_id"] == task["task_id"]
        assert done["last_run_id"] and done["num_clusters"] and done["num_documents_clustered"]
        assert done["quality_metrics"]["silhouette_score"] > 0
        assert done["error"] is None and done["failure_category"] is None


def test_the_seed_level_never_reads_queued(namespace: str) -> None:
    with running_emulator(extra_args=("--task-duration", "0.5")) as server:
        cluster = create(server, namespace, vector_body())
        task = execute(server, namespace, cluster["cluster_id"])
        seen = distinct([task["status"], *wait_for_run(server, namespace, task["task_id"])])
        assert seen == ["PENDING", "PROCESSING", "COMPLETED"]


def test_execute_overrides_apply_to_one_run_only(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body())
    body = {"sample_size": 7, "vis_n_components": 3, "layout_stability": "none",
            "llm_labeling": {"enabled": True, "model_name": "gpt-4o-2024-08-06"}}
    task = execute(today, namespace, cluster["cluster_id"], body)
    assert task["additional_data"]["mode"] == "full"
    assert wait_for_run(today, namespace, task["task_id"])[-1] == "COMPLETED"
    after = call(today, "GET", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
    assert after["num_documents_clustered"] <= 7  # the override capped this run
    # "The override is not persisted on the cluster."
    for key in ("sample_size", "vis_n_components", "layout_stability", "llm_labeling"):
        assert after[key] == cluster[key], key
    assert [r["body"] for r in today.requests()
            if r["path"].endswith("/execute")] == [body]


def test_execute_modes(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body())
    path = f"/v1/clusters/{cluster['cluster_id']}/execute"
    assign = call(today, "POST", path, namespace, json={"mode": "assign"})
    assert assign.status_code == 400 and "completed run" in assign.json()["error"]["message"]
    composite = call(today, "POST", path, namespace, json={"mode": "composite"})
    assert composite.status_code == 400
    assert "source_cluster_ids" in composite.json()["error"]["message"]
    unknown = call(today, "POST", path, namespace,
                   json={"mode": "composite", "source_execution_ids": ["run_a", "run_b"]})
    assert unknown.status_code == 400 and "run_a" in unknown.json()["error"]["message"]
    bad = call(today, "POST", path, namespace, json={"mode": "sideways"})
    assert bad.status_code == 422 and bad.json()["success"] is False

    first = execute(today, namespace, cluster["cluster_id"], {})
    wait_for_run(today, namespace, first["task_id"])
    run_one = call(today, "GET", path[: -len("/execute")], namespace).json()["last_run_id"]
    again = execute(today, namespace, cluster["cluster_id"], {"mode": "assign",
                                                              "assignment_threshold": 0.7})
    assert again["additional_data"]["mode"] == "assign"
    wait_for_run(today, namespace, again["task_id"])
    run_two = call(today, "GET", path[: -len("/execute")], namespace).json()["last_run_id"]
    assert run_one != run_two
    grouped = execute(today, namespace, cluster["cluster_id"],
                      {"mode": "composite", "source_execution_ids": [run_one, run_two]})
    assert grouped["additional_data"]["mode"] == "composite"
    assert call(today, "POST", path, namespace, json={"mode": "full", "typo": 1}
                ).json()["error"]["code"] == "extra_forbidden"


def test_groups_of_the_latest_run(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body(
        vector_config={"feature_uris": [URI], "clustering_method": "kmeans",
                       "algorithm_params": {"n_clusters": 4}},
        llm_labeling={"enabled": True, "model_name": "jev-latest",
                      "candidate_labels": {"Shoes": "footwear", "Bags": "bags"}},
    ))
    path = f"/v1/clusters/{cluster['cluster_id']}/groups"
    never_run = call(today, "GET", path, namespace).json()
    assert never_run == {"cluster_id": cluster["cluster_id"], "run_id": None, "total_groups": 0,
                         "total_documents": 0, "member_counts_stale": False, "groups": []}
    task = execute(today, namespace, cluster["cluster_id"])
    wait_for_run(today, namespace, task["task_id"])
    after = call(today, "GET", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
    groups = call(today, "GET", path, namespace).json()
    assert groups["run_id"] == after["last_run_id"]
    assert groups["total_groups"] == len(groups["groups"]) == after["num_clusters"] == 4
    assert sum(g["member_count"] for g in groups["groups"]) == groups["total_documents"]
    assert groups["total_documents"] == after["num_documents_clustered"]
    assert [g["cluster_id"] for g in groups["groups"]] == ["cl_0", "cl_1", "cl_2", "cl_3"]
    assert {g["label"] for g in groups["groups"]} == {"Shoes", "Bags"}
    assert all(g["summary"] and g["keywords"] for g in groups["groups"])

    unlabeled = create(today, namespace, attribute_body())
    wait_for_run(today, namespace, execute(today, namespace, unlabeled["cluster_id"])["task_id"])
    plain = call(today, "GET", f"/v1/clusters/{unlabeled['cluster_id']}/groups",
                 namespace).json()
    assert plain["groups"][0]["label"] == "Cluster 0" and plain["groups"][0]["summary"] is None

    missing = call(today, "GET", "/v1/clusters/clust_nope/groups", namespace)
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFoundError"
    by_name = call(today, "GET", f"/v1/clusters/{cluster['cluster_name']}/groups", namespace)
    assert by_name.status_code == 404  # a path cluster_id, as for delete and execute


def test_visualization_of_the_latest_run(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body(
        vector_config={"feature_uris": [URI], "clustering_method": "kmeans",
                       "vis_n_components": 3, "algorithm_params": {"n_clusters": 3}}))
    path = f"/v1/clusters/{cluster['cluster_id']}/visualization"
    assert call(today, "GET", path, namespace).json()["centroids"] == []
    wait_for_run(today, namespace, execute(today, namespace, cluster["cluster_id"])["task_id"])
    scatter = call(today, "GET", path, namespace, params={"max_points": 5}).json()
    assert len(scatter["centroids"]) == 3 and len(scatter["members"]) == 5
    assert {"x", "y", "z"} <= set(scatter["members"][0])
    compact = call(today, "GET", path, namespace, params={"compact": "true"}).json()
    assert set(compact["members"]) == {"x", "y", "z", "cluster_ids", "document_ids"}
    assert len(compact["members"]["x"]) == compact["total_members"]
    only = call(today, "GET", path, namespace, params={"centroids_only": "true"}).json()
    assert only["members"] == [] and len(only["centroids"]) == 3
    old_run = call(today, "GET", path, namespace, params={"run_id": "run_other"})
    assert old_run.status_code == 404


def test_a_failed_run_reports_its_error(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body())
    today.faults({"task_failure_rate": 1.0, "task_failure_message": "out of memory"})
    task = execute(today, namespace, cluster["cluster_id"])
    assert wait_for_run(today, namespace, task["task_id"])[-1] == "FAILED"
    after = call(today, "GET", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
    assert after["status"] == "FAILED"
    assert after["error"] == "out of memory" and after["failure_category"] == "unknown"
    failed = call(today, "GET", f"/v1/tasks/{task['task_id']}", namespace).json()
    assert failed["error"] == "out of memory"
