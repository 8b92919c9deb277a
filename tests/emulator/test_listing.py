"""``POST /v1/clusters/list``: pagination, cursor, include_total, filters, sort and search."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import KEY, attribute_body, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


def _list(server: Emulator, namespace: str, query: str = "",
          body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = server.api("POST", f"/v1/clusters/list{query}", key=KEY, namespace=namespace,
                          json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def populated(server: Emulator, namespace: str) -> list[str]:
    names = [f"c{i:02d}" for i in range(12)]
    for i, name in enumerate(names):
        body = vector_body(cluster_name=name) if i % 3 else attribute_body(cluster_name=name)
        server.api("POST", "/v1/clusters", key=KEY, namespace=namespace, json=body)
    server.api("PATCH", "/v1/clusters/c05", key=KEY, namespace=namespace,
               json={"description": "the special one", "metadata": {"tier": 2}})
    return names


def test_pagination_newest_first(server: Emulator, namespace: str, populated: list[str]) -> None:
    first = _list(server, namespace)
    assert first["total_count"] == 12
    assert [c["cluster_name"] for c in first["results"]] == populated[::-1][:10]
    assert first["pagination"]["total"] is None  # only with include_total

    seen: list[str] = []
    query = "?limit=5&include_total=true"
    while True:
        page = _list(server, namespace, query)
        assert page["pagination"]["total"] == 12 and page["pagination"]["total_pages"] == 3
        seen += [c["cluster_name"] for c in page["results"]]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
        query = f"?limit=5&include_total=true&cursor={cursor}"
    assert seen == populated[::-1]
    assert [c["cluster_name"] for c in _list(server, namespace, "?limit=3&offset=10")["results"]] \
        == populated[1::-1]


def test_filters_sort_and_search(server: Emulator, namespace: str, populated: list[str]) -> None:
    attributes = _list(server, namespace, body={"filters": {"cluster_type": "attribute"}})
    assert sorted(c["cluster_name"] for c in attributes["results"]) == ["c00", "c03", "c06", "c09"]

    condition = {"filters": {"AND": [
        {"field": "cluster_type", "operator": "eq", "value": "vector"},
        {"field": "cluster_name", "operator": "in", "value": ["c01", "c02", "c03"]},
    ]}}
    assert sorted(c["cluster_name"] for c in _list(server, namespace, body=condition)["results"]) \
        == ["c01", "c02"]
    nested = {"filters": {"NOT": [{"field": "metadata.tier", "operator": "exists",
                                   "value": True}]}}
    assert _list(server, namespace, body=nested)["total_count"] == 11
    ordered = _list(server, namespace, "?limit=3",
                    body={"sort": {"field": "cluster_name", "direction": "asc"}})
    assert [c["cluster_name"] for c in ordered["results"]] == ["c00", "c01", "c02"]
    assert [c["cluster_name"] for c in _list(server, namespace,
                                             body={"search": "special"})["results"]] == ["c05"]
    assert _list(server, namespace, body={"search": "C1*"})["total_count"] == 2
    bad = server.api("POST", "/v1/clusters/list", key=KEY, namespace=namespace,
                     json={"filters": {"AND": [{"field": "x", "operator": "near", "value": 1}]}})
    assert bad.status_code == 400 and "operator" in bad.json()["error"]["message"]


def test_stats(server: Emulator, namespace: str, populated: list[str]) -> None:
    stats = _list(server, namespace)["stats"]
    assert stats["total_clusters"] == 12
    assert stats["clusters_by_status"] == {"PENDING": 12}
