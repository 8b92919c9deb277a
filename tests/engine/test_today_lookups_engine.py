"""Today's lookups under the real Pulumi CLI, against the local server at --api-version
1.3.783: a program reads the groups of a cluster's last run through both faces
(``pulumi_mixpeek.get_cluster_groups`` in the program, ``pulumi_mixpeek.native
.get_cluster_groups`` answered by the plugin as the schema's ``getClusterGroups``) and lists
the namespace page by page; the stack's ``mixpeek:apiVersion`` chooses the level. At 1.3.1
the same program fails saying the level has no groups endpoint."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.helpers import API_KEY, plugin_path
from tests.support.emulator import Emulator, running_emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

TODAY = "1.3.783"

PROGRAM = """\
import pulumi
import pulumi_mixpeek as mixpeek
import pulumi_mixpeek.native as native

cluster_id = pulumi.Config().require("cluster_id")
groups = native.get_cluster_groups(cluster_id)
pulumi.export("native_groups", [g.member_count for g in groups.groups])
pulumi.export("native_total", groups.total_documents)
pulumi.export("dynamic_total", mixpeek.get_cluster_groups(cluster_id).total_documents)
pulumi.export("listed", sorted(c.cluster_name for c in native.list_clusters()))
pulumi.export("listed_dynamic", sorted(c.cluster_name for c in mixpeek.list_clusters(page_size=2)))
"""


@pytest.fixture(scope="module")
def today_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    db = tmp_path_factory.mktemp("emulator") / "today-lookups.db"
    with running_emulator(db=db, api_keys=(API_KEY,), api_version=TODAY) as server:
        yield server


def finished_cluster(server: Emulator, namespace: str, name: str) -> str:
    """A cluster made and run through the API, once its run has ended."""
    created = server.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=namespace,
        json={
            "collection_ids": ["col_products"],
            "cluster_type": "vector",
            "cluster_name": name,
            "vector_config": {
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "kmeans",
            },
        },
    )
    created.raise_for_status()
    cluster_id: str = created.json()["cluster_id"]
    task = server.api(
        "POST", f"/v1/clusters/{cluster_id}/execute", key=API_KEY, namespace=namespace
    )
    task.raise_for_status()
    for _ in range(120):
        status = server.api(
            "GET", f"/v1/tasks/{task.json()['task_id']}", key=API_KEY, namespace=namespace
        ).json()["status"]
        if status not in ("PENDING", "QUEUED", "IN_PROGRESS", "PROCESSING"):
            return cluster_id
        time.sleep(0.5)
    raise AssertionError("the run did not end")


def test_both_faces_read_the_groups_and_page_the_list(
    tmp_path: Path, bin_dir: Path, today_server: Emulator, namespace: str
) -> None:
    cluster_id = finished_cluster(today_server, namespace, "products")
    for name in ("a", "b", "c"):
        today_server.api(
            "POST", "/v1/clusters", key=API_KEY, namespace=namespace,
            json={"collection_ids": ["col_x"], "cluster_type": "attribute", "cluster_name": name,
                  "attribute_config": {"attributes": ["brand"]}},
        ).raise_for_status()
    project = PulumiProject.create(tmp_path / "lookups", bin_dir, program=PROGRAM)
    project.extra_env["PATH"] = os.pathsep.join(
        [str(bin_dir), str(plugin_path().parent), os.environ["PATH"]]
    )
    project.set_config("mixpeek:endpoint", today_server.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    project.set_config("mixpeek:apiVersion", TODAY)  # the suite's environment pins 1.3.1
    project.set_config("cluster_id", cluster_id)
    today_server.reset()

    project.run("up", "--yes")

    outputs = project.outputs()
    assert outputs["native_total"] == outputs["dynamic_total"] == sum(outputs["native_groups"])
    assert outputs["native_groups"] and all(n > 0 for n in outputs["native_groups"])
    assert outputs["listed"] == outputs["listed_dynamic"] == ["a", "b", "c", "products"]
    paths = [r["path"] for r in today_server.requests()]
    assert f"/v1/clusters/{cluster_id}/groups" in paths
    lists = [r["query"] for r in today_server.requests() if r["path"] == "/v1/clusters/list"]
    assert any("cursor=" in q for q in lists), lists  # page_size=2 over 4 clusters
    assert API_KEY not in project.logs()

    # At the seed's level the lookup fails, saying so, and nothing is read.
    project.set_config("mixpeek:apiVersion", "1.3.1")
    today_server.reset()
    failed = project.run("preview", check=False)
    assert failed.returncode != 0
    text = " ".join((failed.stdout + (failed.stderr or "")).split())
    assert "API level 1.3.1" in text and "/groups" in text, text
    assert not [r for r in today_server.requests() if r["path"].endswith("/groups")]
    for name in ("a", "b", "c", "products"):
        found = today_server.api("GET", f"/v1/clusters/{name}", key=API_KEY, namespace=namespace)
        today_server.api(
            "DELETE", f"/v1/clusters/{found.json()['cluster_id']}", key=API_KEY,
            namespace=namespace,
        ).raise_for_status()
