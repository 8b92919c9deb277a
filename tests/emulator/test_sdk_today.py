"""Today's API level (``--api-version 1.3.783``) driven by its own official SDK,
``mixpeek==1.3.783``: every cluster operation of the level, the task reads and the errors.

The SDK runs in its own virtualenv (``make sdk``; the project's .venv holds 1.3.1, the same
package), as a subprocess: ``tests/support/sdk_today_driver.py`` performs the operations
with ClustersApi, TasksApi and CollectionsApi and prints what the SDK made of each answer.
The SDK's models parse every 2xx body (``from_dict``) and its exceptions every error
(``.data``, an ErrorResponse when the SDK can read it), so an answer in a shape the SDK
cannot read fails here. The driver runs once for the module, each scenario in a namespace of
its own; the server's request log shows what the SDK sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.emulator.helpers import KEY
from tests.support.emulator import Emulator, running_emulator
from tests.support.sdk_today import SDK_TODAY_VERSION, run_driver, sdk_today_python

pytestmark = pytest.mark.emulator

#: Long enough for a poll every 20 ms to see each status of a run.
TASK_DURATION = 0.6
URI = "mixpeek://text_extractor@v1/embedding"
#: The statuses to keep polling in: TaskStatusEnum's "Polling Guidance" (SDK 1.3.783) names
#: them, and says nothing of the order they come in.
RUNNING = {"PENDING", "QUEUED", "IN_PROGRESS", "PROCESSING"}
#: Every key of the SDK's PatchClusterRequest, one PATCH each (the driver's PATCHES).
PATCH_KEYS = [
    "cluster_name", "description", "metadata", "llm_labeling", "filters",
    "face_cluster_merge", "sample_size", "algorithm_params", "source_cluster_ids",
    "layout_stability",
]


class Scenario:
    """One scenario's record: each step is what the SDK returned (``class``, ``data``) or
    raised (``exception``, ``status``, ``data_class``, ``data``)."""

    def __init__(self, name: str, record: dict[str, Any], log: list[dict[str, Any]]) -> None:
        self.name = name
        self.namespace: str = record["namespace"]
        self.steps: dict[str, Any] = record["steps"]
        self.error: str | None = record["error"]
        #: The server's log of this scenario's requests.
        self.log = [entry for entry in log if entry.get("namespace") == self.namespace]

    def requests_to(self, method: str, path: str) -> list[dict[str, Any]]:
        """The server's log entries of this scenario's requests to ``method path``."""
        return [e for e in self.log if (e["method"], e["path"]) == (method, path)]

    def step(self, name: str) -> Any:
        if name not in self.steps:
            pytest.fail(
                f"scenario {self.name!r} never reached {name!r}; it ended with: {self.error}"
            )
        return self.steps[name]

    def ok(self, name: str, model: str) -> Any:
        """The data of a step the SDK answered with ``model``."""
        record = self.step(name)
        assert record.get("exception") is None, (
            f"{self.name}.{name}: the SDK raised {json.dumps(record)[:3000]}"
        )
        assert record["class"] == model, f"{self.name}.{name}: {record['class']}, not {model}"
        return record["data"]

    def error_response(self, name: str, exception: str, status: int) -> dict[str, Any]:
        """The ``error`` of a step the SDK raised ``exception`` for, its body parsed as the
        SDK's ErrorResponse."""
        record = self.step(name)
        assert record.get("exception") == exception, (
            f"{self.name}.{name}: expected {exception}, got {json.dumps(record)[:3000]}"
        )
        assert record["status"] == status
        assert record["data_class"] == "ErrorResponse", (
            f"{self.name}.{name}: the SDK could not read the {status} body as ErrorResponse: "
            f"{record['body']}"
        )
        data = record["data"]
        assert data["status"] == status and data["success"] is False
        error: dict[str, Any] = data["error"]
        return error


@pytest.fixture(scope="module")
def today_server() -> Iterator[Emulator]:
    sdk_today_python()  # no server without the SDK to drive it
    with running_emulator(
        api_keys=(KEY,),
        api_version=SDK_TODAY_VERSION,
        extra_args=("--task-duration", str(TASK_DURATION)),
    ) as server:
        yield server


@pytest.fixture(scope="module")
def driven(today_server: Emulator) -> dict[str, Scenario]:
    """Every scenario of the driver, run once by the official SDK 1.3.783."""
    today_server.reset(data=True)
    result = run_driver(today_server.base_url, KEY, "ns-sdk-today", [])
    log = today_server.requests()
    return {name: Scenario(name, record, log) for name, record in result["scenarios"].items()}


def _names(page: dict[str, Any]) -> list[str]:
    return [cluster["cluster_name"] for cluster in page["results"]]


# -- the level ------------------------------------------------------------------------------


def test_the_server_speaks_todays_level(today_server: Emulator) -> None:
    assert today_server.api_version == SDK_TODAY_VERSION
    info = httpx.get(f"{today_server.base_url}/_emulator/info").json()
    assert info["api_version"] == SDK_TODAY_VERSION


# -- create and get ---------------------------------------------------------------------------


def test_create_carries_description_and_metadata_in_the_one_post(
    driven: dict[str, Scenario],
) -> None:
    run = driven["create"]
    created = run.ok("create", "ClusterMetadata")

    assert created["cluster_id"].startswith("clust_")
    assert created["cluster_name"] == "products"
    assert created["description"] == "Product catalogue topics"
    assert created["metadata"] == {"team": "search", "tier": 2}
    assert created["namespace_id"].startswith("ns_")
    assert created["input_collections"] == ["col_products"]
    assert created["cluster_type"] == "vector"
    assert created["feature_uris"] == [URI]
    assert created["algorithm"] == "kmeans"
    assert created["output_collection_ids"] and len(created["output_collection_ids"]) == 1
    sent = run.requests_to("POST", "/v1/clusters")[0]["body"]
    assert sent["description"] == "Product catalogue topics"
    assert sent["metadata"] == {"team": "search", "tier": 2}
    assert not [e for e in run.log if e["method"] == "PATCH"]


def test_get_by_id_and_by_name_read_back_what_create_answered(
    driven: dict[str, Scenario],
) -> None:
    run = driven["create"]
    created = run.ok("create", "ClusterMetadata")
    by_id = run.ok("get_by_id", "ClusterMetadata")
    by_name = run.ok("get_by_name", "ClusterMetadata")

    assert by_id == by_name
    assert by_id["cluster_id"] == created["cluster_id"]
    assert by_id["description"] == "Product catalogue topics"
    assert by_id["metadata"] == {"team": "search", "tier": 2}
    assert by_id["output_collection_ids"] == created["output_collection_ids"]


def test_an_attribute_cluster_without_a_name_gets_one(driven: dict[str, Scenario]) -> None:
    created = driven["create"].ok("create_attribute", "ClusterMetadata")
    assert created["cluster_name"]
    assert created["cluster_type"] == "attribute"
    assert created["clustered_attributes"] == ["category", "brand"]


# -- list ----------------------------------------------------------------------------------


def test_list_pages_by_cursor_offset_and_page(driven: dict[str, Scenario]) -> None:
    run = driven["list"]
    everything = run.ok("all", "ListClustersResponse")
    assert sorted(_names(everything)) == ["one", "three", "two"]
    assert everything["total_count"] == 3
    order = _names(everything)

    first = run.ok("cursor_1", "ListClustersResponse")
    assert len(first["results"]) == 2
    assert first["pagination"]["total"] == 3
    assert first["pagination"]["next_cursor"]
    rest = run.ok("cursor_2", "ListClustersResponse")
    assert _names(first) + _names(rest) == order
    assert not rest["pagination"].get("next_cursor")

    for steps in (("offset_0", "offset_2"), ("page_1", "page_2")):
        pages = [run.ok(step, "ListClustersResponse") for step in steps]
        assert [len(page["results"]) for page in pages] == [2, 1], steps
        assert _names(pages[0]) + _names(pages[1]) == order, steps


def test_list_clusters_get(driven: dict[str, Scenario]) -> None:
    run = driven["list_get"]
    everything = run.ok("all", "ListClustersResponse")
    assert sorted(_names(everything)) == ["alpha", "beta"]
    assert everything["total_count"] == 2
    assert _names(run.ok("search", "ListClustersResponse")) == ["alpha"]
    assert len(run.ok("limit_1", "ListClustersResponse")["results"]) == 1
    assert len(run.requests_to("GET", "/v1/clusters")) == 3


# -- patch ---------------------------------------------------------------------------------


def _patched_value(key: str, cluster: dict[str, Any], nested: bool) -> Any:
    """The value of a PATCH key in a read: ClusterMetadata has each at the top level;
    ClusterModel (``nested``) keeps sample_size, algorithm_params, face_cluster_merge and
    layout_stability in its vector_config."""
    if nested and key in ("sample_size", "algorithm_params", "face_cluster_merge",
                          "layout_stability"):
        return (cluster.get("vector_config") or {}).get(key)
    return cluster.get(key)


def _expect_patched(key: str, value: Any, source_id: str) -> None:
    if key == "llm_labeling":
        assert value and value["enabled"] is True
        assert value["model_name"] == "gpt-4o-mini-2024-07-18"
    elif key == "filters":
        assert value and value["AND"][0]["field"] == "metadata.lang"
        assert value["AND"][0]["value"] == "en"
    elif key == "face_cluster_merge":
        assert value and value["enabled"] is False
    elif key == "algorithm_params":
        assert value and value["n_clusters"] == 5
    elif key == "source_cluster_ids":
        assert value == [source_id]
    else:
        expected = {
            "cluster_name": "renamed", "description": "Updated description",
            "metadata": {"team": "ranking"}, "sample_size": 5000,
            "layout_stability": "transform",
        }[key]
        assert value == expected


@pytest.mark.parametrize("key", PATCH_KEYS)
def test_patch_changes_each_key(driven: dict[str, Scenario], key: str) -> None:
    run = driven["patch"]
    source = run.ok("create_source", "ClusterMetadata")
    target = run.ok("create_target", "ClusterMetadata")

    patched = run.ok(f"{key}.patch", "ClusterModel")
    got = run.ok(f"{key}.get", "ClusterMetadata")

    assert patched["cluster_id"] == got["cluster_id"] == target["cluster_id"]
    _expect_patched(key, _patched_value(key, patched, nested=True), source["cluster_id"])
    _expect_patched(key, _patched_value(key, got, nested=False), source["cluster_id"])
    sent = run.requests_to("PATCH", f"/v1/clusters/{target['cluster_id']}")
    assert run.step(f"{key}.sent") in [entry["body"] for entry in sent]
    if key == "source_cluster_ids":
        # "The cluster's input collections become the sources' input collections."
        assert got["input_collections"] == source["input_collections"] == ["col_source"]


def test_patch_leaves_the_keys_it_does_not_name(driven: dict[str, Scenario]) -> None:
    run = driven["patch"]
    source = run.ok("create_source", "ClusterMetadata")
    last = run.ok(f"{PATCH_KEYS[-1]}.get", "ClusterMetadata")
    for key in PATCH_KEYS:
        _expect_patched(key, _patched_value(key, last, nested=False), source["cluster_id"])
    assert last["feature_uris"] == [URI]
    assert last["algorithm"] == "kmeans"


# -- execute, tasks, groups -------------------------------------------------------------------


def _run_statuses(run: Scenario, execute: str, statuses: str) -> list[str]:
    task = run.ok(execute, "TaskResponse")
    assert task["task_type"] == "engine_cluster_build"
    seen: list[str] = [task["status"], *run.step(statuses)]
    seen = [s for i, s in enumerate(seen) if i == 0 or seen[i - 1] != s]
    *running, last = seen
    assert set(running) <= RUNNING, f"a status to stop polling at before the end: {seen}"
    assert "QUEUED" in running, f"the run never read QUEUED: {seen}"
    assert last == "COMPLETED", seen
    return seen


def test_execute_without_a_body_reads_through_queued_to_completed(
    driven: dict[str, Scenario],
) -> None:
    run = driven["execute"]
    created = run.ok("create", "ClusterMetadata")
    _run_statuses(run, "execute", "statuses")
    task = run.ok("execute", "TaskResponse")
    done = run.ok("task", "TaskResponse")
    assert done["task_id"] == task["task_id"] and done["status"] == "COMPLETED"

    cluster = run.ok("after", "ClusterMetadata")
    assert cluster["status"] == "COMPLETED"
    assert cluster["last_execution_task_id"] == task["task_id"]
    assert cluster["last_run_id"]
    assert cluster["num_clusters"] and cluster["num_clusters"] > 0
    assert cluster["num_documents_clustered"] and cluster["num_documents_clustered"] > 0
    executed = datetime.fromisoformat(cluster["last_executed_at"])
    assert datetime.fromisoformat(cluster["completed_at"]) > executed
    executes = run.requests_to("POST", f"/v1/clusters/{created['cluster_id']}/execute")
    assert executes and executes[0]["body"] is None


def test_execute_with_a_body_runs_once_with_its_overrides(driven: dict[str, Scenario]) -> None:
    run = driven["execute"]
    created = run.ok("create", "ClusterMetadata")
    _run_statuses(run, "with_body", "with_body.statuses")
    task = run.ok("with_body", "TaskResponse")
    assert run.ok("with_body.task", "TaskResponse")["status"] == "COMPLETED"

    executes = run.requests_to("POST", f"/v1/clusters/{created['cluster_id']}/execute")
    assert [e["body"] for e in executes][1:] == [run.step("with_body.sent")]
    assert executes[1]["status"] == 200
    cluster = run.ok("with_body.after", "ClusterMetadata")
    assert cluster["last_execution_task_id"] == task["task_id"]
    assert cluster["status"] == "COMPLETED"
    # "The override is not persisted on the cluster."
    assert cluster.get("sample_size") is None


def test_groups_of_a_completed_run(driven: dict[str, Scenario]) -> None:
    run = driven["groups"]
    _run_statuses(run, "execute", "statuses")
    cluster = run.ok("after", "ClusterMetadata")
    groups = run.ok("groups", "ClusterGroupsResponse")

    assert groups["cluster_id"] == cluster["cluster_id"]
    assert groups["run_id"] and groups["run_id"] == cluster["last_run_id"]
    assert groups["total_groups"] == len(groups["groups"]) == cluster["num_clusters"]
    members = sum(group["member_count"] for group in groups["groups"])
    assert groups["total_documents"] == members == cluster["num_documents_clustered"]
    assert all(group["cluster_id"] for group in groups["groups"])


def test_visualization_of_a_completed_run(driven: dict[str, Scenario]) -> None:
    run = driven["visualization"]
    _run_statuses(run, "execute", "statuses")
    assert isinstance(run.ok("visualization", "dict"), dict)


# -- delete --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query", "kept"),
    [("cascade", "cascade_output_collections=true", False),
     ("keep", "cascade_output_collections=false", True),
     ("default", "", False)],
)
def test_delete_and_the_output_collection(
    driven: dict[str, Scenario], name: str, query: str, kept: bool
) -> None:
    """DELETE takes cascade_output_collections ("When true (default), the cluster's output
    collections are deleted alongside the cluster"); get_collection shows it."""
    run = driven["delete"]
    created = run.ok(f"{name}.create", "ClusterMetadata")
    collection = run.step(f"{name}.outputs")[0]
    before = run.ok(f"{name}.collection_before", "CollectionResponse")
    assert before["collection_id"] == collection

    run.ok(f"{name}.delete", "dict")
    deletes = run.requests_to("DELETE", f"/v1/clusters/{created['cluster_id']}")
    assert deletes[0]["query"] == query and deletes[0]["status"] == 200
    run.error_response(f"{name}.get_after", "NotFoundException", 404)
    if kept:
        after = run.ok(f"{name}.collection_after", "CollectionResponse")
        assert after["collection_id"] == collection
    else:
        error = run.error_response(f"{name}.collection_after", "NotFoundException", 404)
        assert error["type"] == "NotFoundError"
    run.error_response(f"{name}.delete_again", "NotFoundException", 404)


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["get_missing", "task_missing", "execute_missing"])
def test_not_found_is_an_error_response(driven: dict[str, Scenario], step: str) -> None:
    error = driven["errors"].error_response(step, "NotFoundException", 404)
    assert error["type"] == "NotFoundError"
    assert error["message"]


@pytest.mark.parametrize(
    ("step", "key", "accepted"),
    [("create_undeclared", "clustr_name", "accepted.create"),
     ("patch_undeclared", "descripton", "accepted.patch")],
)
def test_an_undeclared_key_is_refused_naming_the_accepted_keys(
    driven: dict[str, Scenario], step: str, key: str, accepted: str
) -> None:
    """"from 2026-11-02 they are refused with 422 extra_forbidden naming the accepted keys"
    (the SDK's description of every request body); 422 is an ErrorResponse at this level."""
    run = driven["errors"]
    error = run.error_response(step, "UnprocessableEntityException", 422)
    words = json.dumps(error)
    assert "extra_forbidden" in words
    assert key in words
    missing = [name for name in run.step(accepted) if name not in words]
    assert not missing, f"the refusal does not name the accepted keys {missing}: {words}"


def test_a_value_of_another_type_is_a_422_error_response(driven: dict[str, Scenario]) -> None:
    error = driven["errors"].error_response(
        "create_wrong_type", "UnprocessableEntityException", 422
    )
    assert "collection_ids" in json.dumps(error)


@pytest.mark.parametrize("step", ["wrong_key", "no_key", "no_key_task"])
def test_a_missing_or_wrong_key_is_401(driven: dict[str, Scenario], step: str) -> None:
    error = driven["errors"].error_response(step, "UnauthorizedException", 401)
    assert error["type"] == "UnauthorizedError"
    assert KEY not in json.dumps(error) and "sk_wrong" not in json.dumps(error)
