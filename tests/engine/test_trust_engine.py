"""The second trust pass under the real Pulumi CLI, against a real emulator process with its
fault controls: the stack's own cluster is never orphaned by a server that fills in defaults,
someone else's cluster is never taken over or deleted, and a clustering run runs exactly once
per trigger value across a timeout and a trigger change while a run is pending."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, FACES, Stack
from tests.engine.test_cluster_engine import vector_cluster
from tests.support.emulator import Emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine


@pytest.fixture
def faults(emulator: Emulator) -> Iterator[Callable[[dict[str, Any]], None]]:
    yield emulator.faults
    emulator.faults({})


# -- 1. a lost create on a server that fills in defaults ----------------------------------
def test_a_lost_create_on_a_defaults_filling_server_is_recovered_not_orphaned(
    make_stack: Callable[..., Stack], defaults_emulator: Emulator
) -> None:
    stack = make_stack(server=defaults_emulator)
    # The algorithm's parameters and the labeling model are left to the server, which
    # fills them in.
    vector = {"feature_uris": ["mixpeek://text_extractor@v1/embedding"],
              "clustering_method": "hdbscan"}
    stack.declare(products=vector_cluster(
        "products", vector_config=vector, llm_labeling={"enabled": True}
    ))
    defaults_emulator.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1}]}
    )
    try:
        output = stack.run("up", "--yes")
    finally:
        defaults_emulator.faults({})

    assert "recovered: cluster clust_" in output, output
    (cluster,) = stack.server_clusters()
    assert cluster["algorithm_params"], "the server filled them in"
    (state,) = stack.project.resources(CLUSTER_TYPE)
    assert state["id"] == cluster["cluster_id"]
    stack.run("refresh", "--yes")
    stack.run("preview", "--expect-no-changes")


# -- 2. someone else's cluster -------------------------------------------------------------
@pytest.mark.parametrize("follow_up_fails", [False, True], ids=["429", "429-then-patch-403"])
def test_someone_elses_cluster_is_neither_taken_nor_deleted(
    stack: Stack, faults: Callable[[dict[str, Any]], None], follow_up_fails: bool
) -> None:
    theirs = stack.emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=stack.namespace,
        json={k: v for k, v in vector_cluster("products").items()
              if k not in ("description", "metadata")},
    )
    theirs.raise_for_status()
    their_id = theirs.json()["cluster_id"]
    rules: list[dict[str, Any]] = [
        {"method": "POST", "path": "/v1/clusters", "errors": {"429": 1.0}, "retry_after": 0,
         "times": 1},
    ]
    if follow_up_fails:
        rules.append({"method": "PATCH", "path": "/v1/clusters/*", "errors": {"403": 1.0}})
    stack.declare(products=vector_cluster("products"))
    faults({"rules": rules})

    failed = stack.project.run("up", "--yes", check=False)

    faults({})
    assert failed.returncode != 0
    assert f"the name is already used by cluster {their_id}" in failed.stdout, failed.stdout
    assert stack.project.resources(CLUSTER_TYPE) == []
    assert [c["cluster_id"] for c in stack.server_clusters()] == [their_id]
    assert not [r for r in stack.api_requests() if r["method"] == "DELETE"]
    stack.run("destroy", "--yes")
    assert [c["cluster_id"] for c in stack.server_clusters()] == [their_id]
    stack.emulator.api(  # the test's own cleanup: the namespace must end empty
        "DELETE", f"/v1/clusters/{their_id}", key=API_KEY, namespace=stack.namespace
    ).raise_for_status()


# -- 3. exactly one run per trigger value --------------------------------------------------
RUN_PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
cluster = mixpeek.Cluster("products", **spec["cluster"])
run = mixpeek.ClusterExecution("products-run", cluster_id=cluster.id, **spec["run"])
pulumi.export("task_id", run.task_id)
pulumi.export("run_status", run.status)
"""


@pytest.fixture
def run_stack(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> Iterator[Stack]:
    project = PulumiProject.create(tmp_path / "run", bin_dir, program=RUN_PROGRAM)
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    emulator.reset()
    stack = Stack(project, emulator, namespace, FACES["dynamic"])
    yield stack
    emulator.faults({})
    project.run("destroy", "--yes")
    assert stack.server_clusters() == []
    assert API_KEY not in project.logs()


def declare_run(stack: Stack, **run: Any) -> None:
    cluster = {k: v for k, v in vector_cluster("products").items() if k != "llm_labeling"}
    (stack.project.root / "spec.json").write_text(json.dumps({"cluster": cluster, "run": run}))


def executes(stack: Stack) -> list[dict[str, Any]]:
    return [r for r in stack.api_requests() if r["path"].endswith("/execute")]


def task_status(stack: Stack, task_id: str) -> str:
    response = stack.emulator.api(
        "GET", f"/v1/tasks/{task_id}", key=API_KEY, namespace=stack.namespace
    )
    response.raise_for_status()
    return str(response.json()["status"])


def test_a_run_past_its_timeout_is_followed_by_the_next_up_not_run_twice(
    run_stack: Stack,
) -> None:
    declare_run(run_stack, triggers=["v1"], timeout_seconds=1)
    run_stack.emulator.faults({"task_duration": 4.0})

    output = run_stack.run("up", "--yes")

    assert "did not finish within 1 s" in output, output
    task_id = run_stack.project.outputs()["task_id"]
    deadline = time.monotonic() + 20
    while task_status(run_stack, task_id) != "COMPLETED" and time.monotonic() < deadline:
        time.sleep(0.5)

    preview = run_stack.run("preview")
    assert "1 to update" in preview and "to create" not in preview, preview
    run_stack.run("up", "--yes")

    outputs = run_stack.project.outputs()
    assert (outputs["task_id"], outputs["run_status"]) == (task_id, "COMPLETED")
    assert len(executes(run_stack)) == 1
    run_stack.run("preview", "--expect-no-changes")


def test_a_trigger_change_while_the_last_run_is_pending_starts_a_new_run(
    run_stack: Stack,
) -> None:
    run_stack.emulator.faults({"task_duration": 30.0})  # still PENDING at the second up
    declare_run(run_stack, triggers=["v1"], wait=False)
    run_stack.run("up", "--yes")
    first = run_stack.project.outputs()
    assert first["run_status"] == "PENDING"

    declare_run(run_stack, triggers=["v2"], wait=False)
    run_stack.run("up", "--yes")

    second = run_stack.project.outputs()
    assert second["task_id"] != first["task_id"]
    assert len(executes(run_stack)) == 2
    (cluster,) = run_stack.server_clusters()
    assert cluster["last_execution_task_id"] == second["task_id"]
