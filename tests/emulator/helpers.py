"""Shared pieces of the emulator tests: keys, request bodies and the SDK peer."""

from __future__ import annotations

import time
from typing import Any

import httpx
import mixpeek

from tests.support.emulator import Emulator

__all__ = ["KEY", "TASK_DURATION", "TEAM_A_KEY", "URI", "Sdk", "attribute_body", "call",
           "vector_body", "wait_for_run"]

KEY = "sk_test_emulator"
#: A key limited to the namespace "team-a".
TEAM_A_KEY = "sk_test_team_a"
TASK_DURATION = 0.3
URI = "mixpeek://text_extractor@v1/embedding"


def vector_body(**overrides: Any) -> dict[str, Any]:
    """A minimal valid vector cluster create body."""
    body: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "cluster_type": "vector",
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
        },
    }
    body.update(overrides)
    return body


def attribute_body(**overrides: Any) -> dict[str, Any]:
    """A minimal valid attribute cluster create body."""
    body: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "cluster_type": "attribute",
        "attribute_config": {"attributes": ["category", "brand"]},
    }
    body.update(overrides)
    return body


def call(server: Emulator, method: str, path: str, namespace: str, **kwargs: Any
         ) -> httpx.Response:
    """One plain HTTP request with the test key, in ``namespace``."""
    return server.api(method, path, key=KEY, namespace=namespace, **kwargs)


def wait_for_run(server: Emulator, namespace: str, task_id: str, timeout: float = 10.0
                 ) -> list[str]:
    """Poll a task until it reaches a terminal status; every status read, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = call(server, "GET", f"/v1/tasks/{task_id}", namespace).json()["status"]
        seen.append(status)
        if status in ("COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "CANCELED"):
            return seen
        time.sleep(0.01)
    raise AssertionError(f"task {task_id} did not finish: {seen}")


class Sdk:
    """The official SDK's ClustersApi/TasksApi bound to one key and namespace."""

    def __init__(self, base_url: str, key: str, namespace: str) -> None:
        self.client = mixpeek.ApiClient(mixpeek.Configuration(host=base_url))
        self.clusters = mixpeek.ClustersApi(self.client)
        self.tasks = mixpeek.TasksApi(self.client)
        self.auth = f"Bearer {key}"
        self.namespace = namespace

    @property
    def kw(self) -> dict[str, str]:
        """Header arguments every ClustersApi call takes."""
        return {"authorization": self.auth, "x_namespace": self.namespace}
