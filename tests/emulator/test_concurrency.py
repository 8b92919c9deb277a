"""Concurrent creates against a file-backed server: nothing lost, nothing duplicated, and
exactly one winner when several requests race for the same name."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.emulator.helpers import KEY, vector_body
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.emulator

N = 50


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    db: Path = tmp_path_factory.mktemp("concurrency") / "emulator.db"
    with running_emulator(db=db) as server:
        yield server


def _post_all(server: Emulator, namespace: str, bodies: list[dict[str, object]]
              ) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {KEY}", "X-Namespace": namespace}

    def post(body: dict[str, object]) -> httpx.Response:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            return http.post("/v1/clusters", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def _stored(server: Emulator, namespace: str) -> list[dict[str, object]]:
    response = server.api("POST", "/v1/clusters/list?limit=1000&include_total=true",
                          key=KEY, namespace=namespace)
    results: list[dict[str, object]] = response.json()["results"]
    assert response.json()["total_count"] == len(results)
    return results


def test_fifty_concurrent_creates(file_server: Emulator) -> None:
    bodies = [vector_body(cluster_name=f"c{i}") for i in range(N // 2)]
    bodies += [vector_body() for _ in range(N - N // 2)]  # server-generated names
    responses = _post_all(file_server, "concurrent", bodies)

    assert [r.status_code for r in responses] == [200] * N
    created = {r.json()["cluster_id"] for r in responses}
    stored = _stored(file_server, "concurrent")
    assert len(created) == N
    assert {c["cluster_id"] for c in stored} == created
    assert len({c["cluster_name"] for c in stored}) == N


def test_duplicate_name_race_has_one_winner(file_server: Emulator) -> None:
    responses = _post_all(file_server, "race", [vector_body(cluster_name="only-one")] * 20)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [400] * 19
    stored = _stored(file_server, "race")
    assert len(stored) == 1
    winner = next(r for r in responses if r.status_code == 200).json()
    assert stored[0]["cluster_id"] == winner["cluster_id"]
