"""Today's level (``--api-version 1.3.783``) over plain HTTP: the create and PATCH bodies of
SDK 1.3.783, the defaults the server fills in, what GET reads back, composite clusters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.helpers import URI, attribute_body, call, vector_body, wait_for_run
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.emulator


def create(server: Emulator, namespace: str, body: dict[str, Any]) -> dict[str, Any]:
    response = call(server, "POST", "/v1/clusters", namespace, json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def get(server: Emulator, namespace: str, identifier: str) -> dict[str, Any]:
    response = call(server, "GET", f"/v1/clusters/{identifier}", namespace)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_create_takes_description_and_metadata_in_one_post(today: Emulator,
                                                           namespace: str) -> None:
    created = create(today, namespace, vector_body(
        cluster_name="products", description="Products by look", metadata={"team": "search"},
    ))
    assert created["description"] == "Products by look"
    assert created["metadata"] == {"team": "search"}
    assert [r["method"] for r in today.requests()] == ["POST"]
    assert get(today, namespace, "products") == created


def test_create_fills_the_1_3_783_defaults(today: Emulator, namespace: str) -> None:
    created = create(today, namespace, vector_body(
        llm_labeling={"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"},
    ))
    labeling = created["llm_labeling"]
    # LLMLabelingInput (1.3.783): the defaults changed or new since 1.3.1.
    assert labeling["use_embedding_dedup"] is True
    assert labeling["sample_selection_strategy"] == "nearest"
    assert labeling["max_samples_per_cluster"] is None  # auto-scaled (was 10)
    assert labeling["include_summary"] is True and labeling["cache_ttl_seconds"] == 604800
    assert labeling["candidate_labels"] is None and labeling["labeling_context"] is None
    # VectorBasedConfigInput defaults, read back flattened by ClusterMetadata.
    assert created["vis_n_components"] == 2
    assert created["max_hierarchy_depth"] == 3
    assert created["hierarchical_vector"] is False
    assert created["multi_feature_strategy"] == "concatenate"
    assert created["effective_feature_method"] == "mean"
    assert created["layout_stability"] is None and created["face_cluster_merge"] is None
    assert created["sample_size"] is None and created["source_cluster_ids"] is None
    assert created["status"] == "PENDING" and created["last_run_id"] is None
    assert get(today, namespace, created["cluster_id"]) == created


def test_create_reads_back_the_new_vector_settings(today: Emulator, namespace: str) -> None:
    body = vector_body(vector_config={
        "feature_uris": [URI],
        "clustering_method": "hdbscan",
        "sample_size": 250_000,
        "face_cluster_merge": {"centroid_cosine_threshold": 0.6},
        "preprocessing_steps": [{"method": "whitening"}, {"method": "umap", "n_components": 10}],
        "hierarchical": True,
        "max_hierarchy_depth": 2,
        "vis_n_components": 3,
        "layout_stability": "transform",
    }, auto_execute_on_batch=True, auto_execute_min_documents=50)
    created = create(today, namespace, body)
    assert created["sample_size"] == 250_000
    assert created["face_cluster_merge"] == {
        "enabled": True, "centroid_cosine_threshold": 0.6, "bbox_iou_threshold": 0.4,
        "scene_jaccard_threshold": 0.3, "bbox_field": "bbox", "frame_field": "frame_number",
        "scene_field": "scene_id",
    }
    assert [s["method"] for s in created["preprocessing_steps"]] == ["whitening", "umap"]
    assert created["preprocessing_steps"][1]["n_components"] == 10
    assert created["preprocessing_steps"][1]["metric"] == "cosine"  # UMAPParams default
    assert created["hierarchical_vector"] is True and created["max_hierarchy_depth"] == 2
    assert created["vis_n_components"] == 3 and created["layout_stability"] == "transform"
    # ClusterMetadata has no auto_execute_* fields; ClusterModel (PATCH's answer) echoes them.
    assert "auto_execute_on_batch" not in created
    model = call(today, "PATCH", f"/v1/clusters/{created['cluster_id']}", namespace,
                 json={"metadata": {}}).json()
    assert model["auto_execute_on_batch"] is True
    assert model["auto_execute_min_documents"] == 50
    assert model["auto_execute_cooldown_seconds"] == 3600
    assert model["vector_config"]["vis_n_components"] == 3
    assert "feature_extractor_name" not in model["vector_config"]  # Output: no internal fields


@pytest.mark.parametrize("algorithm", ["leiden", "evoc", "auto"])
def test_todays_algorithms_are_accepted(today: Emulator, namespace: str, algorithm: str) -> None:
    created = create(today, namespace, vector_body(
        vector_config={"feature_uris": [URI], "clustering_method": algorithm}))
    assert created["algorithm"] == algorithm


def test_typesafe_labeling(today: Emulator, namespace: str) -> None:
    created = create(today, namespace, vector_body(llm_labeling={
        "enabled": True, "model_name": "jev-latest", "candidate_labels": ["Shoes", "Bags"],
    }))
    assert created["llm_labeling"]["candidate_labels"] == ["Shoes", "Bags"]
    assert created["llm_labeling"]["model_name"] == "jev-latest"
    # Jev picks from candidates: without them (or a response_shape schema) it is refused.
    refused = call(today, "POST", "/v1/clusters", namespace, json=vector_body(
        llm_labeling={"enabled": True, "provider": "typesafe"}))
    assert refused.status_code == 400, refused.text
    assert "candidate_labels" in refused.json()["error"]["message"]
    mismatch = call(today, "POST", "/v1/clusters", namespace, json=vector_body(
        llm_labeling={"enabled": True, "provider": "openai", "model_name": "jev-latest"}))
    assert mismatch.status_code == 400 and "typesafe" in mismatch.json()["error"]["message"]


@pytest.mark.parametrize("model", ["gemini-2.0-flash", "gemini-2.0-flash-exp"])
def test_dropped_google_models_are_refused(today: Emulator, namespace: str, model: str) -> None:
    response = call(today, "POST", "/v1/clusters", namespace, json=vector_body(
        llm_labeling={"enabled": True, "model_name": model}))
    assert response.status_code == 422, response.text
    assert ["body", "llm_labeling", "model_name"] in [
        e["loc"] for e in response.json()["error"]["details"]["validation_errors"]]
    ok = call(today, "POST", "/v1/clusters", namespace, json=vector_body(
        llm_labeling={"enabled": True, "model_name": "gemini-2.5-flash"}))
    assert ok.status_code == 200 and ok.json()["llm_labeling"]["model_name"] == "gemini-2.5-flash"


# -- PATCH -------------------------------------------------------------------------------
PATCHES: list[tuple[str, Any]] = [
    ("cluster_name", "renamed"),
    ("description", "A new description"),
    ("metadata", {"owner": "me"}),
    ("llm_labeling", {"enabled": True, "model_name": "claude-sonnet-4-5-20250929"}),
    ("filters", {"AND": [{"field": "status", "operator": "eq", "value": "active"}]}),
    ("face_cluster_merge", {"enabled": False, "bbox_iou_threshold": 0.5}),
    ("sample_size", 1_000_000),
    ("algorithm_params", {"min_cluster_size": 7}),
    ("layout_stability", "none"),
]


@pytest.mark.parametrize(("key", "value"), PATCHES, ids=[k for k, _ in PATCHES])
def test_patch_changes_each_field_and_get_reads_it_back(
    today: Emulator, namespace: str, key: str, value: Any
) -> None:
    created = create(today, namespace, vector_body(
        vector_config={"feature_uris": [URI], "clustering_method": "hdbscan",
                       "sample_size": 5000, "algorithm_params": {"min_cluster_size": 5}},
        description="before", metadata={"owner": "you"},
    ))
    response = call(today, "PATCH", f"/v1/clusters/{created['cluster_id']}", namespace,
                    json={key: value})
    assert response.status_code == 200, response.text
    model = response.json()
    after = get(today, namespace, created["cluster_id"])

    if key in ("face_cluster_merge", "sample_size", "algorithm_params", "layout_stability"):
        # A vector setting: the stored vector_config's value changes, and GET reads it.
        expected = ({"enabled": False, "centroid_cosine_threshold": 0.55,
                     "bbox_iou_threshold": 0.5, "scene_jaccard_threshold": 0.3,
                     "bbox_field": "bbox", "frame_field": "frame_number",
                     "scene_field": "scene_id"} if key == "face_cluster_merge" else value)
        assert model["vector_config"][key] == expected
        assert after[key] == expected
    elif key == "llm_labeling":
        assert after["llm_labeling"]["model_name"] == value["model_name"]
        assert after["llm_labeling"]["use_embedding_dedup"] is True  # defaults filled
        assert model["llm_labeling"] == after["llm_labeling"]
    else:
        assert after[key] == value
        assert model[key] == value
    # Everything else is as it was.
    untouched = {k: v for k, v in created.items() if k not in (key, "updated_at")}
    assert {k: after[k] for k in untouched} == untouched
    assert after["updated_at"] > created["updated_at"]


def test_patch_bounds_and_vector_only_fields(today: Emulator, namespace: str) -> None:
    vector = create(today, namespace, vector_body())
    attribute = create(today, namespace, attribute_body())
    too_big = call(today, "PATCH", f"/v1/clusters/{vector['cluster_id']}", namespace,
                   json={"sample_size": 1_000_001})
    assert too_big.status_code == 422
    bad_mode = call(today, "PATCH", f"/v1/clusters/{vector['cluster_id']}", namespace,
                    json={"layout_stability": "sideways"})
    assert bad_mode.status_code == 422
    for field, value in (("sample_size", 10), ("algorithm_params", {"n_clusters": 3}),
                         ("layout_stability", "align"), ("face_cluster_merge", {})):
        refused = call(today, "PATCH", f"/v1/clusters/{attribute['cluster_id']}", namespace,
                       json={field: value})
        assert refused.status_code == 400, (field, refused.text)
        assert field in refused.json()["error"]["message"]
    assert get(today, namespace, attribute["cluster_id"]) == attribute


# -- composite clusters ------------------------------------------------------------------
def _run(server: Emulator, namespace: str, cluster_id: str) -> None:
    task = call(server, "POST", f"/v1/clusters/{cluster_id}/execute", namespace).json()
    assert wait_for_run(server, namespace, task["task_id"])[-1] == "COMPLETED"


def test_composite_cluster_takes_its_sources_inputs(today: Emulator, namespace: str) -> None:
    first = create(today, namespace, vector_body(collection_ids=["col_a", "col_b"]))
    second = create(today, namespace, vector_body(collection_ids=["col_b", "col_c"]))
    body = vector_body(source_cluster_ids=[first["cluster_id"], second["cluster_id"]])
    del body["collection_ids"]
    composite = create(today, namespace, body)
    assert composite["source_cluster_ids"] == [first["cluster_id"], second["cluster_id"]]
    assert composite["input_collections"] == ["col_a", "col_b", "col_c"]

    # Its run groups the sources' runs: mode 'composite' once every source has completed one.
    early = call(today, "POST", f"/v1/clusters/{composite['cluster_id']}/execute", namespace)
    assert early.status_code == 400 and "completed run" in early.json()["error"]["message"]
    _run(today, namespace, first["cluster_id"])
    _run(today, namespace, second["cluster_id"])
    # A body that names no mode leaves it to the cluster, as no body does.
    task = call(today, "POST", f"/v1/clusters/{composite['cluster_id']}/execute",
                namespace, json={"sample_size": 100}).json()
    assert task["additional_data"]["mode"] == "composite"
    assert wait_for_run(today, namespace, task["task_id"])[-1] == "COMPLETED"

    # PATCH source_cluster_ids: the inputs become the new sources'.
    third = create(today, namespace, vector_body(collection_ids=["col_z"]))
    model = call(today, "PATCH", f"/v1/clusters/{composite['cluster_id']}", namespace,
                 json={"source_cluster_ids": [third["cluster_id"]]}).json()
    assert model["source_cluster_ids"] == [third["cluster_id"]]
    after = get(today, namespace, composite["cluster_id"])
    assert after["source_cluster_ids"] == [third["cluster_id"]]
    assert after["input_collections"] == ["col_z"]


def test_composite_rules(today: Emulator, namespace: str) -> None:
    source = create(today, namespace, vector_body())
    other_uri = create(today, namespace, vector_body(
        vector_config={"feature_uris": ["mixpeek://image_extractor@v1/embedding"],
                       "clustering_method": "kmeans"}))
    attribute = create(today, namespace, attribute_body())

    def refused(body: dict[str, Any], *words: str) -> None:
        response = call(today, "POST", "/v1/clusters", namespace, json=body)
        assert response.status_code == 400, response.text
        for word in words:
            assert word in response.json()["error"]["message"]

    no_inputs = vector_body()
    del no_inputs["collection_ids"]
    refused(no_inputs, "collection_ids")
    refused(vector_body(source_cluster_ids=["clust_missing"]), "clust_missing")
    refused(vector_body(source_cluster_ids=[other_uri["cluster_id"]]), "feature_uris")
    refused(vector_body(source_cluster_ids=[attribute["cluster_id"]]), "attribute")
    refused(vector_body(source_cluster_ids=[source["cluster_id"]] * 2), "twice")
    refused(attribute_body(source_cluster_ids=[source["cluster_id"]]), "vector")
    itself = call(today, "PATCH", f"/v1/clusters/{source['cluster_id']}", namespace,
                  json={"source_cluster_ids": [source["cluster_id"]]})
    assert itself.status_code == 400 and "own source" in itself.json()["error"]["message"]
    listed = call(today, "POST", "/v1/clusters/list", namespace).json()
    assert listed["total_count"] == 3  # nothing refused was stored


def test_fill_defaults_at_todays_level(namespace: str) -> None:
    """``--fill-defaults`` at 1.3.783 adds what a defaults-filling server returns without
    undoing that level's defaults (a null max_samples_per_cluster means auto-scaled)."""
    with running_emulator(extra_args=("--fill-defaults",), api_version="1.3.783") as server:
        created = create(server, namespace, vector_body(llm_labeling={"enabled": True}))
        labeling = created["llm_labeling"]
        assert labeling["model_name"] == "gpt-4o-mini-2024-07-18"
        assert labeling["max_samples_per_cluster"] is None
        assert labeling["use_embedding_dedup"] is True
        assert created["algorithm_params"]["n_clusters"] == 8  # the algorithm's defaults
        assert "index_version" in created  # a field the SDK does not know
        listed = call(server, "POST", "/v1/clusters/list", namespace).json()
        assert listed["results"] == [created]
