"""The same namespace spelled by name, then by its ``ns_`` id, under the real Pulumi CLI and a
real emulator process, on both faces: an auto-named cluster, its run and its enrichment all
declare the namespace; switching the declaration to the cluster's ``namespace_id`` output is
no change (preview) and nothing is renamed, re-run or applied again (up)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.helpers import BOTH_FACES, Stack

pytestmark = pytest.mark.engine

PROGRAM = """\
import json
from pathlib import Path

import pulumi
import {module} as mixpeek

spec = json.loads(Path("spec.json").read_text())
namespace = spec["namespace"]
cluster = mixpeek.Cluster(
    "products",
    namespace=namespace,
    collection_ids=["col_products"],
    vector_config={{
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "kmeans",
    }},
)
run = mixpeek.ClusterExecution(
    "products-run", cluster_id=cluster.id, triggers=["v1"], namespace=namespace
)
labels = mixpeek.ClusterEnrichment(
    "products-labels",
    clustering_ids=[cluster.id],
    source_collection_id="col_products",
    triggers=[run.task_id],
    namespace=namespace,
)
pulumi.export("cluster_id", cluster.id)
pulumi.export("cluster_name", cluster.cluster_name)
pulumi.export("namespace_id", cluster.namespace_id)
pulumi.export("task_id", run.task_id)
pulumi.export("enriched", labels.enriched)
"""

MODULES = {"dynamic": "pulumi_mixpeek", "native": "pulumi_mixpeek.native"}


def declare(stack: Stack, namespace: str) -> None:
    (stack.project.root / "spec.json").write_text(json.dumps({"namespace": namespace}))


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_namespace_respelled_as_its_id_changes_nothing(
    make_stack: Callable[..., Stack],
) -> None:
    stack = make_stack()
    program = PROGRAM.format(module=MODULES[stack.face.name])
    (stack.project.root / "__main__.py").write_text(program)
    declare(stack, stack.namespace)
    stack.run("up", "--yes")
    before: dict[str, Any] = stack.project.outputs()
    namespace_id = before["namespace_id"]
    assert namespace_id.startswith("ns_") and before["cluster_name"].startswith("pulumi-")

    declare(stack, namespace_id)
    stack.emulator.reset()
    stack.run("preview", "--expect-no-changes")
    stack.run("up", "--yes", "--expect-no-changes")

    assert stack.project.outputs() == before
    calls = stack.api_requests(stack.namespace, namespace_id)
    assert [f"{r['method']} {r['path']}" for r in calls if r["method"] != "GET"] == []
    (cluster,) = stack.server_clusters()
    assert cluster["cluster_id"] == before["cluster_id"]
    assert cluster["cluster_name"] == before["cluster_name"]
    assert cluster["last_execution_task_id"] == before["task_id"]
