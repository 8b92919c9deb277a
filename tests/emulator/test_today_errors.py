"""Today's level (``--api-version 1.3.783``) over plain HTTP: every non-2xx, 422 included, is
ErrorResponse with ``code``; undeclared keys are refused with 422 extra_forbidden naming the
accepted keys; ``/v1/clusters/enrich`` is gone (404)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import KEY, TEAM_A_KEY, URI, call, vector_body
from tests.support.emulator import Emulator

pytestmark = pytest.mark.emulator

CREATE_KEYS = ["collection_ids", "source_cluster_ids", "cluster_name", "description",
               "metadata", "cluster_type", "vector_config", "attribute_config", "filters",
               "llm_labeling", "enrich_source_collection", "source_enrichment_config",
               "auto_execute_on_batch", "auto_execute_min_documents",
               "auto_execute_cooldown_seconds"]
PATCH_KEYS = ["cluster_name", "description", "metadata", "llm_labeling", "filters",
              "face_cluster_merge", "sample_size", "algorithm_params", "source_cluster_ids",
              "layout_stability"]


def error_of(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"success", "status", "error"}
    assert body["success"] is False and body["status"] == status
    assert set(body["error"]) == {"message", "type", "code", "details"}
    assert body["error"]["type"] == kind and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("method", "path", "body", "key", "accepted"),
    [
        ("POST", "/v1/clusters", vector_body(clustr_name="x"), "clustr_name", CREATE_KEYS),
        ("PATCH", "/v1/clusters/{id}", {"descripton": "x"}, "descripton", PATCH_KEYS),
        ("POST", "/v1/clusters/list", {"serch": "x"}, "serch",
         ["limit", "page_size", "offset", "page", "filters", "sort", "sorts", "search"]),
        ("POST", "/v1/clusters/{id}/execute", {"modes": "full"}, "modes",
         ["mode", "source_execution_ids", "assignment_threshold", "filters", "sample_size"]),
    ],
    ids=["create", "patch", "list", "execute"],
)
def test_undeclared_keys_are_refused_naming_the_accepted_keys(
    today: Emulator, namespace: str, method: str, path: str, body: dict[str, Any], key: str,
    accepted: list[str],
) -> None:
    cluster = call(today, "POST", "/v1/clusters", namespace, json=vector_body()).json()
    response = call(today, method, path.format(id=cluster["cluster_id"]), namespace, json=body)
    error = error_of(response, 422, "ValidationError")
    assert error["code"] == "extra_forbidden"
    assert key in error["message"]
    assert {"loc": ["body", key], "msg": "Extra inputs are not permitted",
            "type": "extra_forbidden"} in error["details"]["validation_errors"]
    named = error["details"]["accepted_keys"]["body"]
    assert set(accepted) <= set(named)
    assert all(k in error["message"] for k in accepted)


def test_a_nested_undeclared_key_names_that_objects_keys(today: Emulator, namespace: str) -> None:
    body = vector_body(vector_config={"feature_uris": [URI], "clustering_method": "kmeans",
                                      "vis_n_component": 3},
                       llm_labeling={"enabled": True, "sample_strategy": "nearest"})
    error = error_of(call(today, "POST", "/v1/clusters", namespace, json=body), 422,
                     "ValidationError")
    assert error["code"] == "extra_forbidden"
    accepted = error["details"]["accepted_keys"]
    assert "vis_n_components" in accepted["body.vector_config"]
    assert "sample_selection_strategy" in accepted["body.llm_labeling"]
    assert "vector_config.vis_n_component" in error["message"]
    # Filters take shorthand keys (additional properties): never refused as undeclared.
    shorthand = vector_body(filters={"metadata.brand": "acme"})
    assert call(today, "POST", "/v1/clusters", namespace, json=shorthand).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "loc"),
    [
        ("POST", "/v1/clusters", {"json": vector_body(collection_ids="col_a")},
         ["body", "collection_ids"]),
        ("POST", "/v1/clusters", {"json": vector_body(enrich_source_collection="yes")},
         ["body", "enrich_source_collection"]),
        ("POST", "/v1/clusters", {"json": vector_body(vector_config={"feature_uris": [URI]})},
         ["body", "vector_config", "clustering_method"]),
        ("POST", "/v1/clusters", {"content": b"{not json",
                                  "headers": {"Content-Type": "application/json"}},
         ["body", 1]),
        ("POST", "/v1/clusters/list?limit=0", {}, ["query", "limit"]),
        ("POST", "/v1/clusters/list?offset=10001", {}, ["query", "offset"]),
        ("POST", "/v1/clusters/list?include_total=maybe", {}, ["query", "include_total"]),
        ("DELETE", "/v1/clusters/x?cascade_output_collections=perhaps", {},
         ["query", "cascade_output_collections"]),
    ],
    ids=["list-as-string", "bool-as-string", "missing-required", "malformed-json", "limit-0",
         "offset-too-big", "bad-bool", "bad-cascade"],
)
def test_schema_errors_are_error_responses(
    today: Emulator, namespace: str, method: str, path: str, kwargs: dict[str, Any],
    loc: list[Any],
) -> None:
    headers = {"Authorization": f"Bearer {KEY}", "X-Namespace": namespace,
               **kwargs.pop("headers", {})}
    with httpx.Client(base_url=today.base_url) as http:
        response = http.request(method, path, headers=headers, **kwargs)
    error = error_of(response, 422, "ValidationError")
    assert error["code"] == "validation_error"
    items = error["details"]["validation_errors"]
    assert all(set(item) == {"loc", "msg", "type"} for item in items)
    assert loc in [item["loc"] for item in items]
    assert ".".join(str(p) for p in loc) in error["message"]


def test_every_other_error_carries_a_code(today: Emulator, namespace: str) -> None:
    with httpx.Client(base_url=today.base_url) as http:
        unauthorized = http.post("/v1/clusters/list", headers={"X-Namespace": namespace})
    assert error_of(unauthorized, 401, "UnauthorizedError")["code"] is None
    no_namespace = today.api("POST", "/v1/clusters/list", key=KEY, namespace=None)
    error_of(no_namespace, 400, "BadRequestError")
    forbidden = today.api("POST", "/v1/clusters/list", key=TEAM_A_KEY, namespace="team-b")
    error_of(forbidden, 403, "ForbiddenError")
    missing = error_of(call(today, "GET", "/v1/clusters/nope", namespace), 404, "NotFoundError")
    assert missing["code"] == "cluster_not_found"
    call(today, "POST", "/v1/clusters", namespace, json=vector_body(cluster_name="taken"))
    taken = error_of(call(today, "POST", "/v1/clusters", namespace,
                          json=vector_body(cluster_name="taken")), 400, "BadRequestError")
    assert taken["code"] == "cluster_name_taken"
    error_of(call(today, "GET", "/v1/tasks/task_nope", namespace), 404, "NotFoundError")
    error_of(call(today, "PUT", "/v1/clusters/x", namespace), 405, "MethodNotAllowedError")
    today.faults({"rules": [{"path": "/v1/clusters/list", "errors": {"503": 1.0}}]})
    injected = error_of(call(today, "POST", "/v1/clusters/list", namespace), 503,
                        "ServiceUnavailableError")
    assert injected["details"] == {"injected": True}


def test_enrich_is_gone(today: Emulator, namespace: str) -> None:
    for method in ("POST", "GET"):
        response = call(today, method, "/v1/clusters/enrich", namespace,
                        json={"clustering_ids": ["c"], "source_collection_id": "col"})
        error_of(response, 404, "NotFoundError")


def test_the_seed_level_keeps_its_own_error_shapes(server: Emulator, namespace: str) -> None:
    """1.3.1: no ``code``, and FastAPI's 422 body (the seed contract of test_errors.py)."""
    missing = call(server, "GET", "/v1/clusters/nope", namespace).json()
    assert set(missing["error"]) == {"message", "type", "details"}
    invalid = call(server, "POST", "/v1/clusters", namespace, json=vector_body(typo=1))
    assert invalid.status_code == 422 and set(invalid.json()) == {"detail"}
    enrich = call(server, "POST", "/v1/clusters/enrich", namespace,
                  json={"clustering_ids": ["clust_x"], "source_collection_id": "col"})
    assert enrich.status_code == 404 and "clust_x" in enrich.json()["error"]["message"]
