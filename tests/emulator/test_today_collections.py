"""Today's level (``--api-version 1.3.783``) over plain HTTP: a cluster's output collections
are readable at ``GET /v1/collections/{id}`` and deleted with it, unless the delete says
``cascade_output_collections=false``; the seed level keeps them and has no such read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import URI, call, vector_body, wait_for_run
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


def create(server: Emulator, namespace: str, body: dict[str, Any]) -> dict[str, Any]:
    response = call(server, "POST", "/v1/clusters", namespace, json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def collection(server: Emulator, namespace: str, identifier: str) -> Any:
    return call(server, "GET", f"/v1/collections/{identifier}", namespace)


def test_output_collection_is_readable_by_id_and_name(today: Emulator, namespace: str) -> None:
    cluster = create(today, namespace, vector_body(cluster_name="shelf",
                                                   collection_ids=["col_a", "col_b"]))
    [collection_id] = cluster["output_collection_ids"]
    [name] = cluster["output_collection_names"]
    by_id = collection(today, namespace, collection_id)
    assert by_id.status_code == 200, by_id.text
    document = by_id.json()
    assert document["collection_id"] == collection_id and document["collection_name"] == name
    assert document["source"] == {"type": "collection", "collection_ids": ["col_a", "col_b"]}
    assert document["feature_extractor"]["feature_extractor_name"]
    assert document["metadata"]["cluster_id"] == cluster["cluster_id"]
    assert document["document_count"] == 0
    assert collection(today, namespace, name).json() == document
    # Another namespace does not see it.
    assert collection(today, namespace + "-other", collection_id).status_code == 404

    task = call(today, "POST", f"/v1/clusters/{cluster['cluster_id']}/execute",
                namespace).json()
    wait_for_run(today, namespace, task["task_id"])
    done = call(today, "GET", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
    counted = collection(today, namespace, collection_id).json()["document_count"]
    assert counted == done["num_clusters"] + done["num_documents_clustered"]


@pytest.mark.parametrize(("query", "kept"), [("", False),
                                             ("?cascade_output_collections=true", False),
                                             ("?cascade_output_collections=false", True)],
                         ids=["default", "true", "false"])
def test_delete_cascades_to_output_collections(
    today: Emulator, namespace: str, query: str, kept: bool
) -> None:
    cluster = create(today, namespace, vector_body(vector_config={
        "feature_uris": [URI, "mixpeek://image_extractor@v1/embedding"],
        "clustering_method": "kmeans", "output_strategy": "per_feature"}))
    ids = cluster["output_collection_ids"]
    assert len(ids) == 2
    assert all(collection(today, namespace, i).status_code == 200 for i in ids)
    deleted = call(today, "DELETE", f"/v1/clusters/{cluster['cluster_id']}{query}", namespace)
    assert deleted.status_code == 200, deleted.text
    body = deleted.json()
    assert body["success"] is True
    assert body["deleted_output_collection_ids"] == ([] if kept else ids)
    assert body["kept_output_collection_ids"] == (ids if kept else [])
    after = [collection(today, namespace, i) for i in ids]
    if kept:
        assert all(r.status_code == 200 for r in after)
        assert all(r.json()["metadata"]["cluster_id"] == cluster["cluster_id"] for r in after)
    else:
        assert all(r.status_code == 404 for r in after)
        assert after[0].json()["error"]["type"] == "NotFoundError"
    assert call(today, "GET", f"/v1/clusters/{cluster['cluster_id']}",
                namespace).status_code == 404


def test_a_kept_collection_keeps_its_name_and_count(today: Emulator, namespace: str) -> None:
    first = create(today, namespace, vector_body(cluster_name="catalog"))
    task = call(today, "POST", f"/v1/clusters/{first['cluster_id']}/execute", namespace).json()
    wait_for_run(today, namespace, task["task_id"])
    [kept_id] = first["output_collection_ids"]
    count = collection(today, namespace, kept_id).json()["document_count"]
    assert count > 0
    call(today, "DELETE", f"/v1/clusters/{first['cluster_id']}", namespace,
         params={"cascade_output_collections": "false"})
    # A new cluster of the same name: its output collection never takes the kept one's name.
    second = create(today, namespace, vector_body(cluster_name="catalog"))
    assert second["output_collection_names"] == ["catalog_clusters_2"]
    assert collection(today, namespace, "catalog_clusters").json()["collection_id"] == kept_id
    # Deleting the new cluster (cascade) never touches the kept collection.
    call(today, "DELETE", f"/v1/clusters/{second['cluster_id']}", namespace)
    still = collection(today, namespace, kept_id).json()
    assert still["document_count"] == count
    assert collection(today, namespace, second["output_collection_ids"][0]).status_code == 404


def test_enriching_the_source_creates_and_deletes_no_collection(today: Emulator,
                                                                namespace: str) -> None:
    cluster = create(today, namespace, vector_body(enrich_source_collection=True))
    assert cluster["output_collection_ids"] == ["col_products"]
    assert collection(today, namespace, "col_products").status_code == 404  # not modelled
    deleted = call(today, "DELETE", f"/v1/clusters/{cluster['cluster_id']}", namespace).json()
    assert deleted["deleted_output_collection_ids"] == []


def test_the_seed_level_keeps_output_collections_and_has_no_collection_read(
    server: Emulator, namespace: str
) -> None:
    cluster = create(server, namespace, vector_body())
    assert collection(server, namespace, cluster["output_collection_ids"][0]).status_code == 404
    deleted = call(server, "DELETE", f"/v1/clusters/{cluster['cluster_id']}", namespace,
                   params={"cascade_output_collections": "true"})  # ignored at 1.3.1
    assert deleted.status_code == 200
    assert "kept" in deleted.json()["message"]
    assert "deleted_output_collection_ids" not in deleted.json()
