"""Today's level (``--api-version 1.3.783``) over plain HTTP: list paging (page_size, page,
cursor/next_cursor, after, include_total; body paging winning over the query's), ``sorts``,
and ``GET /v1/clusters``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import call, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


@pytest.fixture
def seven(today: Emulator, namespace: str) -> list[str]:
    """Seven clusters c0..c6; the ids newest first (the listing's default order)."""
    ids = [call(today, "POST", "/v1/clusters", namespace,
                json=vector_body(cluster_name=f"c{i}")).json()["cluster_id"] for i in range(7)]
    return ids[::-1]


def page(today: Emulator, namespace: str, query: str = "", body: Any = None,
         method: str = "POST") -> dict[str, Any]:
    path = ("/v1/clusters/list" if method == "POST" else "/v1/clusters") + query
    kwargs = {"json": body} if body is not None else {}
    response = call(today, method, path, namespace, **kwargs)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def ids(listed: dict[str, Any]) -> list[str]:
    return [c["cluster_id"] for c in listed["results"]]


def test_page_size_and_page(today: Emulator, namespace: str, seven: list[str]) -> None:
    first = page(today, namespace, "?page_size=3")
    assert ids(first) == seven[:3] and first["total_count"] == 7
    assert first["pagination"]["page"] == 1 and first["pagination"]["page_size"] == 3
    assert first["pagination"]["total"] is None  # only with include_total
    third = page(today, namespace, "?page_size=3&page=3&include_total=true")
    assert ids(third) == seven[6:]
    assert third["pagination"]["page"] == 3 and third["pagination"]["total"] == 7
    assert third["pagination"]["total_pages"] == 3 and third["pagination"]["next_cursor"] is None
    # limit wins over its alias page_size; offset wins over page.
    assert ids(page(today, namespace, "?limit=2&page_size=5")) == seven[:2]
    assert ids(page(today, namespace, "?limit=2&page=2&offset=1")) == seven[1:3]


def test_cursor_and_next_cursor(today: Emulator, namespace: str, seven: list[str]) -> None:
    collected: list[str] = []
    query = "?page_size=3"
    for name in ("cursor", "next_cursor", "cursor"):
        listed = page(today, namespace, query)
        collected += ids(listed)
        cursor = listed["pagination"]["next_cursor"]
        if cursor is None:
            break
        query = f"?page_size=3&{name}={cursor}"
    assert collected == seven
    after = page(today, namespace, f"?page_size=2&after={seven[1]}")
    assert ids(after) == seven[2:4]
    unknown = call(today, "POST", "/v1/clusters/list?after=clust_nope", namespace)
    assert unknown.status_code == 400


def test_body_paging_wins_over_the_query(today: Emulator, namespace: str,
                                         seven: list[str]) -> None:
    assert ids(page(today, namespace, "?limit=5", {"limit": 2})) == seven[:2]
    assert ids(page(today, namespace, "?page_size=5", {"page_size": 1, "page": 4})) == [seven[3]]
    assert ids(page(today, namespace, "?offset=0", {"offset": 5})) == seven[5:7]
    too_big = call(today, "POST", "/v1/clusters/list", namespace, json={"limit": 1001})
    assert too_big.status_code == 422 and too_big.json()["success"] is False


def test_sorts_win_over_sort(today: Emulator, namespace: str, seven: list[str]) -> None:
    call(today, "PATCH", "/v1/clusters/c3", namespace, json={"description": "b"})
    call(today, "PATCH", "/v1/clusters/c5", namespace, json={"description": "a"})
    listed = page(today, namespace, "?page_size=10", {
        "sort": {"field": "cluster_name", "direction": "desc"},
        "sorts": [{"field": "description", "direction": "asc"},
                  {"field": "cluster_name", "direction": "asc"}],
    })
    assert [c["cluster_name"] for c in listed["results"]] == [
        "c5", "c3", "c0", "c1", "c2", "c4", "c6"]
    bad = call(today, "POST", "/v1/clusters/list", namespace, json={"sorts": [{"direction": "up"}]})
    assert bad.status_code == 400


def test_list_clusters_get(today: Emulator, namespace: str, seven: list[str]) -> None:
    listed = page(today, namespace, "?page_size=2&page=2&include_total=true", method="GET")
    assert ids(listed) == seven[2:4] and listed["pagination"]["total"] == 7
    # The search also looks in the (random hex) cluster ids, so the needle is not hex.
    call(today, "PATCH", "/v1/clusters/c4", namespace, json={"description": "the needle"})
    searched = page(today, namespace, "?search=NEEDLE", method="GET")
    assert [c["cluster_name"] for c in searched["results"]] == ["c4"]
