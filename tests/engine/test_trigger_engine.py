"""ClusterTrigger under the real Pulumi CLI against a real emulator process (its trigger
routes and clock), on both faces: a program declaring a cluster and a cron trigger; up creates
both; changing the cron expression is an in-place update (one PATCH); enabled: false pauses it
(the server shows paused) and no run fires while the server's clock advances; changing
trigger_type replaces it (the new one created, the old one deleted); a trigger paused out of
band shows as drift on refresh and is resumed by the next up; destroy deletes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, BOTH_FACES, FACES, Face, Stack
from tests.support.emulator import Emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
cluster = {module}.Cluster("products", **spec["cluster"])
trigger = {module}.ClusterTrigger("nightly", cluster_id=cluster.id, **spec["trigger"])
pulumi.export("cluster_id", cluster.id)
pulumi.export("trigger_id", trigger.trigger_id)
pulumi.export("status", trigger.status)
"""

CLUSTER: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "kmeans",
        "algorithm_params": {"n_clusters": 5},
    },
    "cluster_name": "products",
}
CRON: dict[str, Any] = {
    "trigger_type": "cron",
    "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    "description": "nightly clustering",
}


@pytest.fixture(params=BOTH_FACES)
def trigger_stack(
    request: pytest.FixtureRequest, tmp_path: Path, bin_dir: Path, emulator: Emulator,
    namespace: str,
) -> Iterator[Stack]:
    face: Face = FACES[request.param]
    module = "mixpeek.native" if face.name == "native" else "mixpeek"
    project = PulumiProject.create(tmp_path / "triggers", bin_dir,
                                   program=PROGRAM.format(module=module))
    project.extra_env.update(face.env(bin_dir))
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    emulator.reset()
    emulator.faults({"task_duration": 0})
    stack = Stack(project, emulator, namespace, face)
    yield stack
    if project.resources(face.cluster_type):
        project.run("destroy", "--yes")
    emulator.reset()
    assert stack.server_clusters() == []
    assert API_KEY not in project.logs()


def declare(stack: Stack, **trigger: Any) -> None:
    spec = {"cluster": CLUSTER, "trigger": {**CRON, **trigger}}
    (stack.project.root / "spec.json").write_text(json.dumps(spec))


def trigger_calls(stack: Stack) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in stack.api_requests()
            if r["path"].startswith("/v1/clusters/triggers") and r["method"] != "GET"]


def live(stack: Stack, trigger_id: str) -> dict[str, Any] | None:
    response = stack.emulator.api("GET", f"/v1/clusters/triggers/{trigger_id}", key=API_KEY,
                                  namespace=stack.namespace)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return dict(response.json())


def steps(stack: Stack) -> dict[str, str]:
    """resource name -> the preview's operation on it (same, update, replace, ...)."""
    preview = json.loads(stack.run("preview", "--json"))
    return {s["urn"].rsplit("::", 1)[1]: s["op"] for s in preview.get("steps", [])}


def test_trigger_lifecycle(trigger_stack: Stack) -> None:
    stack = trigger_stack
    declare(stack)

    # -- up creates the cluster and its trigger -------------------------------------------
    stack.run("up", "--yes")
    trigger_id = stack.project.outputs()["trigger_id"]
    cluster_id = stack.project.outputs()["cluster_id"]
    assert trigger_calls(stack) == ["POST /v1/clusters/triggers"]
    server = live(stack, trigger_id)
    assert server is not None and server["status"] == "active"
    assert server["cluster_id"] == cluster_id
    assert server["schedule_config"] == CRON["schedule_config"]
    stack.run("preview", "--expect-no-changes")

    # -- a new cron expression: an in-place update, one PATCH -----------------------------
    declare(stack, schedule_config={"cron_expression": "0 3 * * *", "timezone": "UTC"})
    assert steps(stack)["nightly"] == "update"
    stack.emulator.reset()
    stack.run("up", "--yes")
    assert trigger_calls(stack) == [f"PATCH /v1/clusters/triggers/{trigger_id}"]
    assert stack.project.outputs()["trigger_id"] == trigger_id
    assert live(stack, trigger_id)["schedule_config"]["cron_expression"] == "0 3 * * *"

    # -- enabled: false pauses it; no run fires while time advances -----------------------
    declare(stack, schedule_config={"cron_expression": "0 3 * * *", "timezone": "UTC"},
            enabled=False)
    stack.emulator.reset()
    stack.run("up", "--yes")
    assert trigger_calls(stack) == [f"POST /v1/clusters/triggers/{trigger_id}/pause"]
    assert live(stack, trigger_id)["status"] == "paused"
    assert stack.project.outputs()["status"] == "paused"
    fired = stack.emulator._http.post("/_emulator/clock/advance", json={"seconds": 3 * 86400})
    fired.raise_for_status()
    assert [f for f in fired.json()["fired"] if f["trigger_id"] == trigger_id] == []
    assert live(stack, trigger_id)["execution_count"] == 0
    assert stack.server_cluster(cluster_id)["last_execution_task_id"] is None

    # -- a new trigger_type replaces it: the new one first, then the old one deleted ------
    declare(stack, trigger_type="interval",
            schedule_config={"interval_seconds": 3600, "start_immediately": False})
    assert steps(stack)["nightly"] == "replace"
    stack.emulator.reset()
    stack.run("up", "--yes")
    new_id = stack.project.outputs()["trigger_id"]
    assert new_id != trigger_id
    assert trigger_calls(stack) == ["POST /v1/clusters/triggers",
                                    f"DELETE /v1/clusters/triggers/{trigger_id}"]
    assert live(stack, trigger_id) is None
    assert live(stack, new_id)["trigger_type"] == "interval"
    assert live(stack, new_id)["status"] == "active"

    # -- paused out of band: drift on refresh, resumed by the next up ---------------------
    stack.emulator.api("POST", f"/v1/clusters/triggers/{new_id}/pause", key=API_KEY,
                       namespace=stack.namespace).raise_for_status()
    stack.run("refresh", "--yes")
    (state,) = stack.project.resources(
        "mixpeek:index:ClusterTrigger" if stack.face.name == "native"
        else "pulumi-python:dynamic/mixpeek:ClusterTrigger")
    assert state["outputs"]["status"] == "paused"
    assert state["outputs"]["enabled"] is False
    assert steps(stack)["nightly"] == "update"
    stack.emulator.reset()
    stack.run("up", "--yes")
    assert trigger_calls(stack) == [f"POST /v1/clusters/triggers/{new_id}/resume"]
    assert live(stack, new_id)["status"] == "active"
    stack.run("preview", "--expect-no-changes")

    # -- destroy deletes it ---------------------------------------------------------------
    stack.emulator.reset()
    stack.run("destroy", "--yes")
    assert f"DELETE /v1/clusters/triggers/{new_id}" in trigger_calls(stack)
    assert live(stack, new_id) is None
    assert stack.server_clusters() == []
