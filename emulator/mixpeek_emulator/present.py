"""A stored cluster as each API level presents it, as JSON the level's response model then
checks and completes (every field it declares is written, null when unset).

- ClusterMetadata (create, get, list): the configuration flattened.
- ClusterModel (PATCH): the create body echoed plus run fields.
- ClusterGroupsResponse (1.3.783): the groups of the latest successful run.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .store import Record

__all__ = ["groups", "metadata_v1_3_1", "metadata_v1_3_783", "model_v1_3_1", "model_v1_3_783",
           "visualization"]

#: Server-parsed fields of the create body's vector_config; no response shows them.
_INTERNAL_VECTOR_FIELDS = ("feature_extractor_name", "version", "output_name")


def _configs(record: Record) -> tuple[Record, Record, Record]:
    request = record["request"]
    return request, request.get("vector_config") or {}, request.get("attribute_config") or {}


def _algorithm(record: Record, vector: Record) -> tuple[str, Any]:
    if record["cluster_type"] != "vector":
        return "attribute_based", None
    algorithm = vector["clustering_method"]
    legacy = vector.get(f"{algorithm}_parameters")
    return algorithm, vector.get("algorithm_params") or legacy


def metadata_v1_3_1(record: Record) -> dict[str, Any]:
    """ClusterMetadata JSON at 1.3.1."""
    request, vector, attribute = _configs(record)
    algorithm, algorithm_params = _algorithm(record, vector)
    return {
        "cluster_id": record["cluster_id"],
        "cluster_name": record["cluster_name"],
        "namespace_id": record["namespace_id"],
        "input_collections": request["collection_ids"],
        "filters": request.get("filters"),
        "cluster_type": record["cluster_type"],
        "feature_uris": record.get("feature_uris"),
        "multi_feature_strategy": vector.get("multi_feature_strategy"),
        "learned_weights": record.get("learned_weights"),
        "learning_quality_score": record.get("learning_quality_score"),
        "effective_feature_method": vector.get("effective_feature_method"),
        "clustered_attributes": attribute.get("attributes"),
        "hierarchical_grouping": attribute.get("hierarchical_grouping"),
        "aggregation_method": attribute.get("aggregation_method"),
        "output_collection_ids": record["output_collection_ids"],
        "output_collection_names": record["output_collection_names"],
        "algorithm": algorithm,
        "algorithm_params": algorithm_params,
        "enrich_source": bool(
            request.get("enrich_source_collection") or vector.get("enrich_source")
        ),
        "source_enrichment_config": request.get("source_enrichment_config"),
        "llm_labeling": request.get("llm_labeling"),
        "num_clusters": record.get("num_clusters"),
        "num_documents_clustered": record.get("num_documents_clustered"),
        "execution_time_seconds": record.get("execution_time_seconds"),
        "hierarchy_detected": record.get("hierarchy_detected", False),
        "status": record.get("status"),
        "last_execution_task_id": record.get("last_execution_task_id"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "last_executed_at": record.get("last_executed_at"),
        "completed_at": record.get("completed_at"),
        "llm_labeling_errors": record.get("llm_labeling_errors"),
        "metadata": record.get("metadata"),
    }


def metadata_v1_3_783(record: Record) -> dict[str, Any]:
    """ClusterMetadata JSON at 1.3.783: 1.3.1's plus the stored description, the composite's
    sources, the vector settings a run replays (face_cluster_merge, sample_size,
    preprocessing_steps, hierarchical_vector, max_hierarchy_depth, vis_n_components,
    layout_stability) and the last run's quality_metrics, error and run id."""
    request, vector, _ = _configs(record)
    doc = metadata_v1_3_1(record)
    is_vector = record["cluster_type"] == "vector"
    doc.update(
        {
            "description": record.get("description"),
            "source_cluster_ids": request.get("source_cluster_ids"),
            "face_cluster_merge": vector.get("face_cluster_merge"),
            "sample_size": vector.get("sample_size"),
            "preprocessing_steps": vector.get("preprocessing_steps"),
            "hierarchical_vector": vector.get("hierarchical") if is_vector else None,
            "max_hierarchy_depth": vector.get("max_hierarchy_depth"),
            "vis_n_components": vector.get("vis_n_components"),
            "layout_stability": vector.get("layout_stability"),
            "quality_metrics": record.get("quality_metrics"),
            "error": record.get("error"),
            "failure_category": record.get("failure_category"),
            "last_run_id": record.get("last_run_id"),
        }
    )
    return doc


def _echo(record: Record) -> dict[str, Any]:
    request = dict(record["request"])
    if "vector_config" in request:
        request["vector_config"] = {
            k: v for k, v in request["vector_config"].items() if k not in _INTERNAL_VECTOR_FIELDS
        }
    return request


def model_v1_3_1(record: Record) -> dict[str, Any]:
    """ClusterModel JSON at 1.3.1 (PATCH): the create body echoed plus run fields."""
    return {
        **_echo(record),
        "cluster_id": record["cluster_id"],
        "parquet_path": record.get("parquet_path"),
        "members_key": record.get("members_key"),
        "num_clusters": record.get("num_clusters"),
        "cluster_stats": record.get("cluster_stats"),
        "status": record.get("status"),
        "task_id": record.get("last_execution_task_id"),
        "last_run_id": record.get("last_run_id"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "metadata": record.get("metadata"),
    }


def model_v1_3_783(record: Record) -> dict[str, Any]:
    """ClusterModel JSON at 1.3.783: 1.3.1's plus description (the echo already carries
    source_cluster_ids and the auto_execute_* fields)."""
    return {**model_v1_3_1(record), "description": record.get("description")}


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def groups(record: Record) -> dict[str, Any]:
    """ClusterGroupsResponse JSON: the groups of the latest successful run, cl_0, cl_1, ...
    with member counts that add up to the documents clustered less the noise. Labels follow
    llm_labeling: with it enabled, the candidate labels in turn (or a made-up label) and a
    summary and keywords as configured; without it, "Cluster N". A cluster never run has no
    groups (an empty list, run_id null: the reference is silent, and nothing is invented)."""
    count, run_id = record.get("num_clusters"), record.get("last_run_id")
    if count is None or run_id is None:
        return {"cluster_id": record["cluster_id"], "run_id": None, "total_groups": 0,
                "total_documents": 0, "member_counts_stale": False, "groups": []}
    documents = int(record.get("num_documents_clustered") or 0)
    noise = record.get("noise_points", (record.get("cluster_stats") or {}).get("noise_points"))
    members = max(0, documents - int(noise or 0))
    labeling = record["request"].get("llm_labeling") or {}
    enabled = bool(labeling.get("enabled"))
    candidates = labeling.get("candidate_labels") or []
    candidates = list(candidates) if isinstance(candidates, list | dict) else []
    found = []
    for i in range(count):
        share = members // count + (1 if i < members % count else 0)
        seed = _digest(f"{run_id}:{i}")
        if enabled:
            label = candidates[i % len(candidates)] if candidates else f"Group {i + 1:02d}"
            summary = (f"{share} documents around a shared theme (emulated)"
                       if labeling.get("include_summary", True) else None)
            keywords = ([f"keyword_{seed % 97}", f"keyword_{seed % 89}"]
                        if labeling.get("include_keywords", True) else None)
        else:
            label, summary, keywords = f"Cluster {i}", None, None
        found.append({"cluster_id": f"cl_{i}", "label": label, "summary": summary,
                      "keywords": keywords, "member_count": share})
    return {
        "cluster_id": record["cluster_id"],
        "run_id": run_id,
        "total_groups": count,
        "total_documents": documents,
        "member_counts_stale": False,
        "groups": found,
    }


def visualization(
    record: Record, *, max_points: int | None = None, centroids_only: bool = False,
    compact: bool = False,
) -> dict[str, Any]:
    """The scatter of the latest successful run (an untyped object in the SDK): every
    centroid, and up to ``max_points`` (10,000) members, with deterministic coordinates in
    ``vis_n_components`` dimensions. ``compact``: members as parallel arrays. A cluster never
    run has an empty scatter."""
    found = groups(record)
    vector = record["request"].get("vector_config") or {}
    dims = 3 if vector.get("vis_n_components") == 3 else 2
    axes = ("x", "y", "z")[:dims]

    def point(key: str) -> dict[str, float]:
        seed = _digest(key)
        return {axis: round(((seed >> (8 * i)) % 2000) / 100 - 10, 2)
                for i, axis in enumerate(axes)}

    run_id = found["run_id"]
    centroids = [{"cluster_id": g["cluster_id"], "label": g["label"],
                  "member_count": g["member_count"], **point(f"{run_id}:{g['cluster_id']}")}
                 for g in found["groups"]]
    members: list[dict[str, Any]] = []
    if not centroids_only:
        limit = 10_000 if max_points is None else max_points
        for g in found["groups"]:
            for n in range(g["member_count"]):
                if len(members) >= limit:
                    break
                group_id = g["cluster_id"]
                document = f"doc_{_digest(f'{run_id}:{group_id}:{n}'):08x}"
                members.append({"document_id": document, "cluster_id": g["cluster_id"],
                                **point(f"{run_id}:{document}")})
    total = sum(g["member_count"] for g in found["groups"])
    body: dict[str, Any] = {
        "cluster_id": record["cluster_id"],
        "run_id": run_id,
        "vis_n_components": dims,
        "centroids": centroids,
        "total_members": total,
        "returned_members": len(members),
    }
    if compact:
        body["members"] = {
            **{axis: [m[axis] for m in members] for axis in axes},
            "cluster_ids": [m["cluster_id"] for m in members],
            "document_ids": [m["document_id"] for m in members],
        }
    else:
        body["members"] = members
    return body
