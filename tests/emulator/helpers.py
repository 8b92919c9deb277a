"""Shared pieces of the emulator tests: keys, request bodies and the SDK peer."""

from __future__ import annotations

from typing import Any

import mixpeek

__all__ = ["KEY", "TASK_DURATION", "TEAM_A_KEY", "Sdk", "attribute_body", "vector_body"]

KEY = "sk_test_emulator"
#: A key limited to the namespace "team-a".
TEAM_A_KEY = "sk_test_team_a"
TASK_DURATION = 0.3


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
