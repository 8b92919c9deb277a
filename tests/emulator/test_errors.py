"""Status codes and bodies for every error rule: ErrorResponse for 400/401/403/404/500,
FastAPI's HTTPValidationError for 422."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import KEY, TEAM_A_KEY, attribute_body, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator


def assert_error(response: httpx.Response, status: int, kind: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["status"] == status
    assert body["error"]["type"] == kind
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    for word in words:
        assert word in body["error"]["message"]


def create(server: Emulator, namespace: str, body: dict[str, Any]) -> httpx.Response:
    return server.api("POST", "/v1/clusters", key=KEY, namespace=namespace, json=body)


@pytest.mark.parametrize(
    ("headers", "word"),
    [
        ({}, "Missing Authorization"),
        ({"Authorization": KEY}, "Malformed Authorization"),
        ({"Authorization": "Basic abc"}, "Malformed Authorization"),
        ({"Authorization": "Bearer"}, "Malformed Authorization"),
        ({"Authorization": "Bearer sk_unknown"}, "Invalid API key"),
    ],
    ids=["missing", "no-scheme", "basic", "empty", "unknown-key"],
)
def test_bad_credentials_are_401(server: Emulator, headers: dict[str, str], word: str) -> None:
    with httpx.Client(base_url=server.base_url) as http:
        for method, path in (
            ("POST", "/v1/clusters"),
            ("GET", "/v1/clusters/x"),
            ("POST", "/v1/clusters/list"),
            ("GET", "/v1/tasks/task_x"),
        ):
            response = http.request(method, path, headers={**headers, "X-Namespace": "ns"})
            assert_error(response, 401, "UnauthorizedError", word)
            assert KEY not in response.text


def test_missing_namespace_is_400(server: Emulator) -> None:
    response = server.api("POST", "/v1/clusters/list", key=KEY, namespace=None)
    assert_error(response, 400, "BadRequestError", "X-Namespace")


def test_key_outside_its_namespaces_is_403(server: Emulator) -> None:
    denied = server.api("POST", "/v1/clusters/list", key=TEAM_A_KEY, namespace="team-b")
    assert_error(denied, 403, "ForbiddenError", "team-b")
    allowed = server.api("POST", "/v1/clusters/list", key=TEAM_A_KEY, namespace="team-a")
    assert allowed.status_code == 200
    # The namespace's ns_ id addresses the same namespace as its name, for the same key.
    created = server.api("POST", "/v1/clusters", key=TEAM_A_KEY, namespace="team-a",
                         json=vector_body()).json()
    by_id = server.api("GET", f"/v1/clusters/{created['cluster_id']}", key=TEAM_A_KEY,
                       namespace=created["namespace_id"])
    assert by_id.status_code == 200
    assert by_id.json()["cluster_id"] == created["cluster_id"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/clusters/nope"),
        ("PATCH", "/v1/clusters/nope"),
        ("DELETE", "/v1/clusters/nope"),
        ("POST", "/v1/clusters/nope/execute"),
        ("GET", "/v1/tasks/task_nope"),
    ],
)
def test_unknown_ids_are_404(server: Emulator, namespace: str, method: str, path: str) -> None:
    kwargs: dict[str, Any] = {"json": {"metadata": {}}} if method == "PATCH" else {}
    response = server.api(method, path, key=KEY, namespace=namespace, **kwargs)
    assert_error(response, 404, "NotFoundError", "nope")


def test_delete_and_execute_take_ids_not_names(server: Emulator, namespace: str) -> None:
    assert create(server, namespace, vector_body(cluster_name="named")).status_code == 200
    for method, path in (("DELETE", "/v1/clusters/named"),
                         ("POST", "/v1/clusters/named/execute")):
        assert_error(server.api(method, path, key=KEY, namespace=namespace), 404, "NotFoundError")


def test_unknown_route_is_404_error_response(server: Emulator) -> None:
    response = server.api("GET", "/v1/collections", key=KEY, namespace="ns")
    assert_error(response, 404, "NotFoundError")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"collection_ids": ["c"], "cluster_type": "vector"}, ["vector_config is required"]),
        ({"collection_ids": ["c"], "cluster_type": "attribute"}, ["attribute_config is required"]),
        ({"collection_ids": ["c"]}, ["cluster_type is required"]),
        (vector_body(attribute_config={"attributes": ["a"]}), ["attribute_config", "only"]),
        (attribute_body(vector_config={"feature_uris": ["mixpeek://a@v1/b"],
                                       "clustering_method": "kmeans"}), ["vector_config"]),
        (vector_body(vector_config={"clustering_method": "kmeans"}), ["feature_uris"]),
        (vector_body(vector_config={"feature_uris": ["text-embedding"],
                                    "clustering_method": "kmeans"}),
         ["mixpeek://{extractor}@{version}/{output}"]),
        (vector_body(vector_config={"feature_uris": ["mixpeek://a@v1/b"],
                                    "clustering_method": "attribute_based"}), ["attribute_based"]),
        (vector_body(vector_config={"feature_uris": ["mixpeek://a@v1/b"],
                                    "clustering_method": "kmeans",
                                    "feature_weights": {"mixpeek://x@v1/y": 0.5}}),
         ["feature_weights"]),
        (attribute_body(attribute_config={"attributes": ["a"], "aggregation_method": "avg"}),
         ["aggregation_method", "most_frequent"]),
        (vector_body(source_enrichment_config={"field_mappings": []}),
         ["enrich_source_collection"]),
        (vector_body(llm_labeling={"enabled": True, "provider": "openai",
                                   "model_name": "gemini-2.0-flash"}), ["google"]),
        (vector_body(cluster_name="  "), ["cluster_name"]),
    ],
    ids=[
        "vector-without-config", "attribute-without-config", "no-type", "vector-with-attr-config",
        "attribute-with-vector-config", "no-feature-uris", "bad-uri", "attribute-based-vector",
        "unknown-weight", "bad-aggregation", "enrichment-config-without-flag",
        "model-provider-mismatch", "blank-name",
    ],
)
def test_semantic_errors_are_400(
    server: Emulator, namespace: str, body: dict[str, Any], words: list[str]
) -> None:
    assert_error(create(server, namespace, body), 400, "BadRequestError", *words)
    listed = server.api("POST", "/v1/clusters/list", key=KEY, namespace=namespace).json()
    assert listed["total_count"] == 0  # nothing was stored


def test_duplicate_name_is_400_on_create_and_patch(server: Emulator, namespace: str) -> None:
    first = create(server, namespace, vector_body(cluster_name="taken")).json()
    duplicate = create(server, namespace, attribute_body(cluster_name="taken"))
    assert_error(duplicate, 400, "BadRequestError", "taken", "already exists")
    assert duplicate.json()["error"]["details"]["existing_cluster_id"] == first["cluster_id"]

    other = create(server, namespace, vector_body(cluster_name="other")).json()
    rename = server.api("PATCH", f"/v1/clusters/{other['cluster_id']}", key=KEY,
                        namespace=namespace, json={"cluster_name": "taken"})
    assert_error(rename, 400, "BadRequestError", "taken")
    # Renaming a cluster to its own name is not a conflict.
    same = server.api("PATCH", "/v1/clusters/taken", key=KEY, namespace=namespace,
                      json={"cluster_name": "taken"})
    assert same.status_code == 200


def test_same_name_in_two_namespaces_is_fine(server: Emulator, namespace: str) -> None:
    assert create(server, namespace, vector_body(cluster_name="shared")).status_code == 200
    assert create(server, namespace + "-2", vector_body(cluster_name="shared")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "loc"),
    [
        ("POST", "/v1/clusters", {"json": {"collection_ids": []}}, ["body", "collection_ids"]),
        ("POST", "/v1/clusters", {"json": {}}, ["body", "collection_ids"]),
        ("POST", "/v1/clusters", {"json": vector_body(colection_ids=["typo"])},
         ["body", "colection_ids"]),
        ("POST", "/v1/clusters", {"json": vector_body(vector_config={
            "feature_uris": ["mixpeek://a@v1/b"], "clustering_method": "auto"})},
         ["body", "vector_config", "clustering_method"]),
        ("POST", "/v1/clusters", {"content": b"{not json", "headers": {
            "Content-Type": "application/json"}}, ["body", 1]),
        ("POST", "/v1/clusters/list?limit=0", {}, ["query", "limit"]),
        ("POST", "/v1/clusters/list?include_total=maybe", {}, ["query", "include_total"]),
        ("PATCH", "/v1/clusters/x", {"json": {"status": "COMPLETED"}}, ["body", "status"]),
        ("POST", "/v1/clusters/enrich", {"json": {"clustering_ids": ["c"]}},
         ["body", "source_collection_id"]),
    ],
    ids=["empty-collections", "no-collections", "unknown-field", "unknown-algorithm",
         "malformed-json", "limit-0", "bad-bool", "immutable-field", "enrich-missing-field"],
)
def test_schema_errors_are_fastapi_422(
    server: Emulator, namespace: str, method: str, path: str, kwargs: dict[str, Any],
    loc: list[Any],
) -> None:
    headers = {"Authorization": f"Bearer {KEY}", "X-Namespace": namespace,
               **kwargs.pop("headers", {})}
    with httpx.Client(base_url=server.base_url) as http:
        response = http.request(method, path, headers=headers, **kwargs)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert all({"loc", "msg", "type"} <= set(item) for item in detail)
    assert loc in [item["loc"] for item in detail]


def test_invalid_cursor_is_400(server: Emulator, namespace: str) -> None:
    response = server.api("POST", "/v1/clusters/list?cursor=garbage", key=KEY, namespace=namespace)
    assert_error(response, 400, "BadRequestError", "cursor")


def test_enrich_rules(server: Emulator, namespace: str) -> None:
    cluster = create(server, namespace, vector_body()).json()
    path = "/v1/clusters/enrich"
    missing = server.api("POST", path, key=KEY, namespace=namespace,
                         json={"clustering_ids": [cluster["cluster_id"], "clust_gone"],
                               "source_collection_id": "col_products"})
    assert_error(missing, 404, "NotFoundError", "clust_gone")
    assert missing.json()["error"]["details"]["missing_clustering_ids"] == ["clust_gone"]
    empty = server.api("POST", path, key=KEY, namespace=namespace,
                       json={"clustering_ids": [], "source_collection_id": "col_products"})
    assert_error(empty, 400, "BadRequestError", "clustering_ids")
    never_run = server.api("POST", path, key=KEY, namespace=namespace,
                           json={"clustering_ids": [cluster["cluster_id"]],
                                 "source_collection_id": "col_products"})
    assert_error(never_run, 400, "BadRequestError", "execute")
