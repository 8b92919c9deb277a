"""Every record is scoped to its namespace: another namespace can never see, change, run,
enrich or delete it, and a task is shown only to keys allowed in its cluster's namespace."""

from __future__ import annotations

import time

import pytest

from tests.emulator.helpers import KEY, TASK_DURATION, TEAM_A_KEY, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


def test_other_namespace_cannot_touch_a_cluster(server: Emulator, namespace: str) -> None:
    mine = server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                      json=vector_body(cluster_name="private")).json()
    other = namespace + "-other"
    cluster_id = mine["cluster_id"]

    for method, path, body in (
        ("GET", f"/v1/clusters/{cluster_id}", None),
        ("GET", "/v1/clusters/private", None),
        ("PATCH", f"/v1/clusters/{cluster_id}", {"metadata": {"pwned": True}}),
        ("PATCH", "/v1/clusters/private", {"cluster_name": "stolen"}),
        ("POST", f"/v1/clusters/{cluster_id}/execute", None),
        ("DELETE", f"/v1/clusters/{cluster_id}", None),
    ):
        response = server.api(method, path, key=KEY, namespace=other, json=body)
        assert response.status_code == 404, (method, path, response.text)

    enrich = server.api("POST", "/v1/clusters/enrich", key=KEY, namespace=other,
                        json={"clustering_ids": [cluster_id], "source_collection_id": "c"})
    assert enrich.status_code == 404
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=other).json()
    assert listed["total_count"] == 0 and listed["results"] == []
    # The same name is free in the other namespace.
    twin = server.api("POST", "/v1/clusters", key=KEY, namespace=other,
                      json=vector_body(cluster_name="private"))
    assert twin.status_code == 200 and twin.json()["cluster_id"] != cluster_id

    untouched = server.api("GET", f"/v1/clusters/{cluster_id}", key=KEY, namespace=namespace)
    assert untouched.json() == mine


def test_tasks_are_visible_only_within_the_clusters_namespace(server: Emulator) -> None:
    team_a = server.api("POST", "/v1/clusters", key=KEY, namespace="team-a",
                        json=vector_body()).json()
    elsewhere = server.api("POST", "/v1/clusters", key=KEY, namespace="team-b",
                           json=vector_body()).json()
    task_a = server.api("POST", f"/v1/clusters/{team_a['cluster_id']}/execute", key=KEY,
                        namespace="team-a").json()["task_id"]
    task_b = server.api("POST", f"/v1/clusters/{elsewhere['cluster_id']}/execute", key=KEY,
                        namespace="team-b").json()["task_id"]

    # The SDK sends no X-Namespace on this route: the key's namespaces decide.
    assert server.api("GET", f"/v1/tasks/{task_a}", key=TEAM_A_KEY, namespace=None).status_code \
        == 200
    hidden = server.api("GET", f"/v1/tasks/{task_b}", key=TEAM_A_KEY, namespace=None)
    assert hidden.status_code == 404
    assert server.api("GET", f"/v1/tasks/{task_b}", key=KEY, namespace=None).status_code == 200
    # An explicit X-Namespace narrows it further.
    assert server.api("GET", f"/v1/tasks/{task_a}", key=KEY, namespace="team-b").status_code \
        == 404


def test_runs_update_only_their_own_cluster(server: Emulator, namespace: str) -> None:
    ran = server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                     json=vector_body(cluster_name="ran")).json()
    idle = server.api("POST", "/v1/clusters", key=KEY, namespace=namespace,
                      json=vector_body(cluster_name="idle")).json()
    server.api("POST", f"/v1/clusters/{ran['cluster_id']}/execute", key=KEY, namespace=namespace)
    time.sleep(TASK_DURATION * 1.5)

    after = server.api("GET", "/v1/clusters/idle", key=KEY, namespace=namespace).json()
    assert after == idle
    done = server.api("GET", "/v1/clusters/ran", key=KEY, namespace=namespace).json()
    assert done["status"] == "COMPLETED"
