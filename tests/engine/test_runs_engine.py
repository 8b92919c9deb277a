"""Cluster -> ClusterExecution -> ClusterEnrichment in one program, under the real Pulumi CLI,
against a real emulator process: the steps run in order and preview lists each of them;
changing the trigger re-runs only the execution and what depends on it; changing the cluster's
description re-runs nothing; refresh then preview is a no-op; destroy leaves no cluster.
A failing run shows its error first, and a run's progress shows in `pulumi up`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, FACES, Stack
from tests.support.emulator import Emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

RUN_TYPE = "pulumi-python:dynamic/mixpeek:ClusterExecution"
ENRICH_TYPE = "pulumi-python:dynamic/mixpeek:ClusterEnrichment"

#: The cluster, a run re-started whenever spec.json's data_version changes, and its labels
#: written into the source collection after every run.
PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
cluster = mixpeek.Cluster("products", **spec["cluster"])
run = mixpeek.ClusterExecution(
    "products-run", cluster_id=cluster.id, triggers=[spec["data_version"]]
)
labels = mixpeek.ClusterEnrichment(
    "products-labels",
    clustering_ids=[cluster.id],
    source_collection_id="col_products",
    triggers=[run.task_id],
)
pulumi.export("cluster_id", cluster.id)
pulumi.export("task_id", run.task_id)
pulumi.export("run_status", run.status)
pulumi.export("num_clusters", run.num_clusters)
pulumi.export("enriched", labels.enriched)
"""

CLUSTER: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "kmeans",
        "algorithm_params": {"n_clusters": 5},
    },
    "cluster_name": "products",
    "description": "Products by text embedding",
}


@pytest.fixture
def runs_stack(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> Iterator[Stack]:
    project = PulumiProject.create(tmp_path / "runs", bin_dir, program=PROGRAM)
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    emulator.reset()
    stack = Stack(project, emulator, namespace, FACES["dynamic"])
    yield stack
    emulator.reset()
    assert API_KEY not in project.logs()


def declare(stack: Stack, *, data_version: str = "v1", **cluster: Any) -> None:
    spec = {"cluster": {**CLUSTER, **cluster}, "data_version": data_version}
    (stack.project.root / "spec.json").write_text(json.dumps(spec))


def api_calls(stack: Stack) -> list[str]:
    return [f"{r['method']} {re.sub(r'(clust|task)_[0-9a-f]+', '{id}', r['path'])}"
            for r in stack.api_requests()]


STEP = re.compile(
    r"^\s*([+\-~]+)\s*pulumi-python:dynamic/mixpeek:\w+: \((\w+)\)\n"
    r"(?:\s*\[id=[^\]]*\]\n)?\s*\[urn=[^\]]*::([^\]:]+)\]",
    re.M,
)


def step_lines(output: str) -> dict[str, str]:
    """resource name -> its operation in a ``preview --diff`` (create, update, replace...)."""
    return {match.group(3): match.group(2) for match in STEP.finditer(output)}


def test_cluster_run_and_enrichment_lifecycle(runs_stack: Stack) -> None:
    stack = runs_stack
    declare(stack)

    # -- preview lists each step; no API call -------------------------------------------
    preview = stack.run("preview", "--diff")
    assert step_lines(preview) == {
        "products": "create", "products-run": "create", "products-labels": "create"
    }, preview
    assert stack.api_requests() == []

    # -- up: in order, with the run's progress in the output ---------------------------
    up = stack.run("up", "--yes")
    calls = api_calls(stack)
    order = [c for c in calls if c.startswith("POST")]
    assert order == ["POST /v1/clusters", "POST /v1/clusters/{id}/execute",
                     "POST /v1/clusters/enrich"], calls
    outputs = stack.project.outputs()
    task_id = outputs["task_id"]
    assert f"clustering run {task_id} of cluster {outputs['cluster_id']}: PENDING" in up
    assert re.search(rf"clustering run {task_id} of cluster \S+: COMPLETED \(\d+ s\)", up), up
    (cluster,) = stack.server_clusters()
    assert cluster["last_execution_task_id"] == task_id and cluster["status"] == "COMPLETED"
    assert outputs["run_status"] == "COMPLETED" and outputs["num_clusters"] == 5
    assert outputs["enriched"] == cluster["num_documents_clustered"]
    stack.run("preview", "--expect-no-changes")

    # -- a new data version: only the run and the enrichment that depends on it ---------
    declare(stack, data_version="v2")
    preview = stack.run("preview", "--diff")
    assert step_lines(preview) == {"products-run": "replace", "products-labels": "replace"}, (
        preview
    )
    assert '~ [0]: "v1" => "v2"' in preview
    stack.emulator.reset()
    stack.run("up", "--yes")
    assert [c for c in api_calls(stack) if not c.startswith("GET")] == [
        "POST /v1/clusters/{id}/execute", "POST /v1/clusters/enrich"
    ]
    rerun = stack.project.outputs()["task_id"]
    assert rerun != task_id
    assert stack.server_clusters()[0]["last_execution_task_id"] == rerun
    stack.run("preview", "--expect-no-changes")

    # -- the cluster's description: an in-place update, nothing re-runs ----------------
    declare(stack, data_version="v2", description="Re-described")
    preview = stack.run("preview", "--diff")
    assert step_lines(preview) == {"products": "update"}, preview
    stack.emulator.reset()
    stack.run("up", "--yes")
    assert [c for c in api_calls(stack) if not c.startswith("GET")] == ["PATCH /v1/clusters/{id}"]
    assert stack.project.outputs()["task_id"] == rerun

    # -- refresh, then preview: nothing to do ---------------------------------------------
    stack.run("refresh", "--yes")
    stack.run("preview", "--expect-no-changes")

    # -- destroy: no cluster left; the run and the enrichment leave the state only ------
    stack.emulator.reset()
    stack.run("destroy", "--yes")
    assert stack.server_clusters() == []
    assert [c for c in api_calls(stack) if not c.startswith(("GET", "POST /v1/clusters/list"))] \
        == ["DELETE /v1/clusters/{id}"]
    assert stack.project.resources(RUN_TYPE) == stack.project.resources(ENRICH_TYPE) == []


def test_failed_run_shows_its_error_first(runs_stack: Stack) -> None:
    stack = runs_stack
    declare(stack)
    stack.emulator.faults({"task_failure_rate": 1.0, "task_failure_message": "out of memory"})

    failed = stack.project.run("up", "--yes", check=False)

    assert failed.returncode != 0
    (cluster,) = stack.server_clusters()
    task_id = cluster["last_execution_task_id"]
    assert re.search(rf"The clustering run {task_id} of cluster \S+ ended FAILED: out of memory",
                     failed.stdout), failed.stdout
    assert stack.project.resources(RUN_TYPE) == []
    assert stack.project.resources(ENRICH_TYPE) == []
    stack.emulator.reset()
    stack.run("destroy", "--yes")
