"""The list POST pages as the API level pages (``client.iter_clusters``): 1.3.1 with
``limit``/``offset``; 1.3.783 with ``page_size`` and ``page``, or ``cursor`` from the previous
page's ``next_cursor``, until ``total_count``. Against an httpx.MockTransport serving a fake
list as the SDK 1.3.783 documents it (ListClustersRequest's query parameters; its ``offset``
stops at 10000), recording every query that reached it."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.config import ProviderSettings
from pulumi_mixpeek.errors import APIResponseValidationError
from pulumi_mixpeek.levels import api_level
from pulumi_mixpeek.models import ListClustersRequest

pytestmark = pytest.mark.unit

KEY = "sk_unit_paging_SECRET_58"


def cluster(i: int) -> dict[str, Any]:
    return {
        "cluster_id": f"clust_{i:05d}", "cluster_name": f"c{i:05d}", "namespace_id": "ns_1",
        "input_collections": ["col_a"], "cluster_type": "vector",
    }


class ListServer:
    """``POST /v1/clusters/list`` over ``count`` clusters. Today's level: ``page_size`` (or
    ``limit``), ``page`` or ``offset`` (at most 10000, as the SDK bounds it), ``cursor``
    (opaque: an encoded offset); ``cursors=False`` is a server that never names one."""

    def __init__(self, count: int, *, cursors: bool = True, cursor_on_last: bool = False) -> None:
        self.items = [cluster(i) for i in range(count)]
        self.cursors = cursors
        self.cursor_on_last = cursor_on_last
        self.queries: list[dict[str, str]] = []
        self.bodies: list[Any] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert (request.method, request.url.path) == ("POST", "/v1/clusters/list")
        query = dict(request.url.params)
        self.queries.append(query)
        self.bodies.append(json.loads(request.content) if request.content else None)
        size = int(query.get("limit") or query.get("page_size") or 100)
        if "cursor" in query:
            offset = int(base64.urlsafe_b64decode(query["cursor"]).decode())
        elif "offset" in query:
            offset = int(query["offset"])
        else:
            offset = (int(query.get("page", "1")) - 1) * size
        if offset > 10000 and "cursor" not in query:
            return httpx.Response(
                422,
                json={
                    "success": False,
                    "status": 422,
                    "error": {"message": "offset must be at most 10000", "type": "ValidationError"},
                },
            )
        page = self.items[offset : offset + size]
        more = offset + size < len(self.items)
        cursor = None
        if self.cursors and (more or self.cursor_on_last):
            cursor = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return httpx.Response(
            200,
            json={
                "results": page,
                "pagination": {"page_size": size, "next_cursor": cursor},
                "total_count": len(self.items),
            },
        )


def client_at(version: str, server: Any) -> MixpeekClient:
    handle = server.handle if isinstance(server, ListServer) else server
    return MixpeekClient(
        endpoint="https://api.example",
        api_key=KEY,
        namespace="ns-unit",
        http_client=httpx.Client(transport=httpx.MockTransport(handle)),
        level=api_level(version),
    )


def names(
    client: MixpeekClient, page_size: int, request: ListClustersRequest | None = None
) -> list[str]:
    return [c.cluster_name for c in client.iter_clusters(request, page_size=page_size)]


def test_todays_level_follows_next_cursor() -> None:
    server = ListServer(25)
    found = names(client_at("1.3.783", server), 10, ListClustersRequest(search="c*"))
    assert found == [f"c{i:05d}" for i in range(25)]
    assert [set(q) for q in server.queries] == [
        {"page_size", "page"}, {"page_size", "cursor"}, {"page_size", "cursor"}
    ]
    assert server.queries[0] == {"page_size": "10", "page": "1"}
    assert server.bodies == [{"search": "c*"}] * 3  # the filter body on every page


def test_todays_level_pages_by_number_when_no_cursor_is_named() -> None:
    server = ListServer(25, cursors=False)
    assert len(names(client_at("1.3.783", server), 10)) == 25
    assert [q.get("page") for q in server.queries] == ["1", "2", "3"]
    assert all("offset" not in q and "limit" not in q for q in server.queries)


def test_todays_level_stops_at_total_count() -> None:
    """A cursor on the last page, or a full last page: no request for an empty page."""
    server = ListServer(20, cursor_on_last=True)
    assert len(names(client_at("1.3.783", server), 10)) == 20
    assert len(server.queries) == 2
    server = ListServer(20, cursors=False)
    assert len(names(client_at("1.3.783", server), 10)) == 20
    assert len(server.queries) == 2


def test_a_cursor_goes_past_the_offset_limit() -> None:
    """Offsets stop at 10000 (the SDK's bound); the cursor does not."""
    server = ListServer(12_500)
    assert len(names(client_at("1.3.783", server), 1000)) == 12_500
    assert len(server.queries) == 13 and "cursor" in server.queries[-1]


def test_a_repeated_cursor_is_reported_not_followed() -> None:
    def stuck(request: httpx.Request) -> httpx.Response:
        offset = 0 if "cursor" not in request.url.params else 1
        return httpx.Response(
            200,
            json={
                "results": [cluster(offset)],
                "pagination": {"next_cursor": "same"},
                "total_count": 50,
            },
        )

    client = client_at("1.3.783", stuck)
    with pytest.raises(APIResponseValidationError) as fault:
        names(client, 1)
    assert "next_cursor 'same' a second time" in str(fault.value)
    assert "2 of 50" in str(fault.value)


def test_the_seed_level_pages_with_limit_and_offset() -> None:
    server = ListServer(25)
    assert len(names(client_at("1.3.1", server), 10)) == 25
    assert server.queries == [
        {"limit": "10", "offset": "0"}, {"limit": "10", "offset": "10"},
        {"limit": "10", "offset": "20"},
    ]


@pytest.mark.parametrize(("version", "key"), [("1.3.1", "offset"), ("1.3.783", "page")])
def test_the_client_pages_as_the_configured_level(version: str, key: str) -> None:
    server = ListServer(3)
    settings = ProviderSettings(namespace="ns-unit", api_key=KEY, api_version=version)
    client = MixpeekClient.from_settings(
        settings, http_client=httpx.Client(transport=httpx.MockTransport(server.handle))
    )
    assert len(names(client, 100)) == 3
    assert key in server.queries[0]
