"""Today's API level (``mixpeek:apiVersion`` 1.3.783) under the real Pulumi CLI, against the
local server at that level (``mixpeek-emulator --api-version 1.3.783``): a cluster with a
description and metadata is created with exactly one POST; refresh then a no-change preview
with the server's filled-in defaults; llm_labeling and vector_config.sample_size change in
place with one PATCH; a run's QUEUED status reads; a replacement deletes the old output
collections unless keep_output_collections is set, and a destroy with it set keeps them
(checked on the server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, FACES, Stack, server_clusters
from tests.support.emulator import Emulator, running_emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

TODAY = "1.3.783"

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
cluster = mixpeek.Cluster("products", **spec["cluster"])
pulumi.export("cluster_id", cluster.id)
pulumi.export("outputs", cluster.output_collection_ids)
if "run" in spec:
    run = mixpeek.ClusterExecution("products-run", cluster_id=cluster.id, **spec["run"])
    pulumi.export("run_status", run.status)
"""

CLUSTER: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "hdbscan",
    },
    "llm_labeling": {"enabled": True},
    "cluster_name": "products",
    "description": "Products by text embedding",
    "metadata": {"team": "search"},
}


@pytest.fixture(scope="module")
def today_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    db = tmp_path_factory.mktemp("emulator") / "today.db"
    with running_emulator(db=db, api_keys=(API_KEY,), api_version=TODAY) as server:
        yield server


@pytest.fixture
def today(
    tmp_path: Path, bin_dir: Path, today_server: Emulator, namespace: str
) -> Iterator[Stack]:
    project = PulumiProject.create(tmp_path / "today", bin_dir, program=PROGRAM)
    project.set_config("mixpeek:endpoint", today_server.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    project.set_config("mixpeek:apiVersion", TODAY)  # the suite's environment pins 1.3.1
    today_server.reset()
    stack = Stack(project, today_server, namespace, FACES["dynamic"])
    yield stack
    project.run("destroy", "--yes")
    assert server_clusters(today_server, namespace) == []
    assert API_KEY not in project.logs()


def declare(stack: Stack, cluster: dict[str, Any], run: dict[str, Any] | None = None) -> None:
    spec: dict[str, Any] = {"cluster": cluster}
    if run is not None:
        spec["run"] = run
    (stack.project.root / "spec.json").write_text(json.dumps(spec, indent=2))


def writes(stack: Stack) -> list[tuple[str, str]]:
    return [
        (r["method"], r["path"])
        for r in stack.api_requests()
        if r["method"] in ("POST", "PATCH", "DELETE") and r["path"] != "/v1/clusters/list"
    ]


def collection_exists(stack: Stack, collection_id: str) -> bool:
    response = stack.emulator.api(
        "GET", f"/v1/collections/{collection_id}", key=API_KEY, namespace=stack.namespace
    )
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def test_a_cluster_at_todays_level(today: Stack) -> None:
    declare(today, CLUSTER)

    today.run("up", "--yes")

    assert writes(today) == [("POST", "/v1/clusters")]
    (cluster,) = today.server_clusters()
    assert cluster["description"] == CLUSTER["description"]
    assert cluster["metadata"] == {"team": "search"}
    # The server fills in what the 1.3.783 models document as defaults.
    assert cluster["llm_labeling"]["use_embedding_dedup"] is True
    assert cluster["llm_labeling"]["sample_selection_strategy"] == "nearest"

    today.run("refresh", "--yes")
    today.run("preview", "--expect-no-changes")

    # llm_labeling and vector_config.sample_size: an update, one PATCH, top-level keys.
    changed = {
        **CLUSTER,
        "vector_config": {**CLUSTER["vector_config"], "sample_size": 500},
        "llm_labeling": {"enabled": True, "max_samples_per_cluster": 5},
    }
    declare(today, changed)
    preview = today.run("preview", "--diff")
    assert "1 to update" in preview and "to replace" not in preview, preview
    today.emulator.reset()
    today.run("up", "--yes")
    patches = [r for r in today.api_requests() if r["method"] == "PATCH"]
    assert [sorted(p["body"]) for p in patches] == [["llm_labeling", "sample_size"]]
    assert patches[0]["body"]["sample_size"] == 500
    (same,) = today.server_clusters()
    assert same["cluster_id"] == cluster["cluster_id"]
    today.run("preview", "--expect-no-changes")


def test_a_run_reports_queued(today: Stack) -> None:
    today.emulator.faults({"task_duration": 4.0})
    try:
        declare(today, CLUSTER, run={"triggers": ["v1"], "wait": False})
        today.run("up", "--yes")
        assert today.project.outputs()["run_status"] == "QUEUED"
        today.run("refresh", "--yes")  # reads the task again: no failure on its status
    finally:
        today.emulator.faults({})


@pytest.mark.parametrize("keep", [False, True], ids=["cascade", "keep"])
def test_output_collections_on_replacement_and_destroy(today: Stack, keep: bool) -> None:
    cluster = {**CLUSTER, "keep_output_collections": keep}
    declare(today, cluster)
    today.run("up", "--yes")
    old = today.project.outputs()["outputs"]
    assert old and all(collection_exists(today, c) for c in old)

    declare(today, {**cluster, "collection_ids": ["col_products", "col_more"]})
    today.run("up", "--yes")

    deletes = [r for r in today.api_requests() if r["method"] == "DELETE"]
    assert [r["query"] for r in deletes] == [
        f"cascade_output_collections={'false' if keep else 'true'}"
    ], deletes
    assert all(collection_exists(today, c) for c in old) is keep
    new = today.project.outputs()["outputs"]

    today.run("destroy", "--yes")
    assert all(collection_exists(today, c) for c in new) is keep
