"""Cluster records: validation of create/patch bodies, server-computed fields, presentation.

A stored record keeps the create body as received (``request``) plus the server's own fields.
It is presented two ways: ClusterMetadata (create, get, list: the configuration flattened)
and ClusterModel (PATCH: the create body echoed plus run fields).

Assumptions (the 1.3.1 contract leaves them open; see mixpeek-clusters-api.md):
- cluster_type may be omitted when exactly one of vector_config/attribute_config is given;
  it is inferred from that config.
- A new cluster's status is PENDING (never run).
- Semantic errors, including a duplicate cluster_name, are 400 BadRequestError: the 1.3.1
  spec declares 400 (not 409) for every client error it documents.
- PATCH replaces ``metadata`` as a whole; ``description`` is stored but, as in 1.3.1, not
  returned by ClusterMetadata or ClusterModel.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from pulumi_mixpeek.models import (
    ClusterMetadata,
    ClusterModel,
    CreateClusterRequest,
    PatchClusterRequest,
)
from pulumi_mixpeek.models.config import AGGREGATION_METHODS, FEATURE_URI, MODEL_PROVIDERS

from .errors import ApiError
from .store import Record

__all__ = [
    "apply_patch",
    "iso_at",
    "new_cluster",
    "new_id",
    "now_iso",
    "run_failed",
    "run_succeeded",
    "to_metadata",
    "to_model",
    "validate_create",
]

_INTERNAL_VECTOR_FIELDS = ("feature_extractor_name", "version", "output_name")
_NOISY_ALGORITHMS = ("dbscan", "hdbscan", "optics")


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def iso_at(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def _bad(message: str, **details: Any) -> ApiError:
    return ApiError(400, message, details=details or None)


# -- validation ------------------------------------------------------------------------
def _resolve_type(body: CreateClusterRequest) -> str:
    has_vector, has_attribute = body.vector_config is not None, body.attribute_config is not None
    cluster_type = str(body.cluster_type) if body.cluster_type is not None else None
    if cluster_type is None:
        if has_vector and not has_attribute:
            return "vector"
        if has_attribute and not has_vector:
            return "attribute"
        raise _bad(
            "cluster_type is required: use 'vector' with vector_config, or 'attribute' with "
            "attribute_config.",
            field="cluster_type",
        )
    if cluster_type == "vector":
        if not has_vector:
            raise _bad(
                "vector_config is required when cluster_type is 'vector': give feature_uris "
                "and clustering_method.",
                field="vector_config",
            )
        if has_attribute:
            raise _bad(
                "attribute_config is only used by attribute clusters: remove it, or set "
                "cluster_type to 'attribute'.",
                field="attribute_config",
            )
    else:
        if not has_attribute:
            raise _bad(
                "attribute_config is required when cluster_type is 'attribute': give the "
                "attributes to group by.",
                field="attribute_config",
            )
        if has_vector:
            raise _bad(
                "vector_config is only used by vector clusters: remove it, or set "
                "cluster_type to 'vector'.",
                field="vector_config",
            )
    return cluster_type


def _feature_uris(body: CreateClusterRequest) -> list[str]:
    config = body.vector_config
    assert config is not None
    if config.feature_uri is not None and config.feature_uris is not None:
        raise _bad(
            "Give either vector_config.feature_uris or the deprecated vector_config.feature_uri, "
            "not both.",
            field="vector_config.feature_uri",
        )
    uris = config.feature_uris or ([config.feature_uri] if config.feature_uri else [])
    if not uris:
        raise _bad(
            "vector_config.feature_uris is required: list the feature URIs to cluster, e.g. "
            "'mixpeek://text_extractor@v1/embedding'.",
            field="vector_config.feature_uris",
        )
    for uri in uris:
        if not FEATURE_URI.match(uri):
            raise _bad(
                f"Invalid feature URI {uri!r}: expected "
                "'mixpeek://{extractor}@{version}/{output}'.",
                field="vector_config.feature_uris",
                value=uri,
            )
    if len(set(uris)) != len(uris):
        raise _bad(
            "vector_config.feature_uris lists a URI twice.", field="vector_config.feature_uris"
        )
    return uris


def _validate_vector(body: CreateClusterRequest) -> None:
    config = body.vector_config
    assert config is not None
    uris = _feature_uris(body)
    if config.clustering_method.value == "attribute_based":
        raise _bad(
            "clustering_method 'attribute_based' is for attribute clusters: choose a vector "
            "algorithm such as 'kmeans' or 'hdbscan', or use cluster_type 'attribute'.",
            field="vector_config.clustering_method",
        )
    unknown = sorted(set(config.feature_weights or {}) - set(uris))
    if unknown:
        raise _bad(
            f"vector_config.feature_weights has weights for URIs that are not in feature_uris: "
            f"{', '.join(unknown)}.",
            field="vector_config.feature_weights",
            unknown=unknown,
        )


def _validate_attribute(body: CreateClusterRequest) -> None:
    config = body.attribute_config
    assert config is not None
    if any(not a.strip() for a in config.attributes):
        raise _bad("attribute_config.attributes contains an empty field name.",
                   field="attribute_config.attributes")
    if len(set(config.attributes)) != len(config.attributes):
        raise _bad("attribute_config.attributes lists a field twice.",
                   field="attribute_config.attributes")
    method = config.aggregation_method
    if method is not None and method not in AGGREGATION_METHODS:
        raise _bad(
            f"attribute_config.aggregation_method {method!r} is not supported: use one of "
            f"{', '.join(AGGREGATION_METHODS)}.",
            field="attribute_config.aggregation_method",
        )


def _validate_labeling(body: CreateClusterRequest) -> None:
    labeling = body.llm_labeling
    if labeling is None or labeling.provider is None or labeling.model_name is None:
        return
    expected = MODEL_PROVIDERS[labeling.model_name]
    if labeling.provider.value != expected:
        raise _bad(
            f"llm_labeling.model_name {labeling.model_name!r} is a {expected} model but "
            f"llm_labeling.provider is {labeling.provider.value!r}: set provider to "
            f"{expected!r} or omit it.",
            field="llm_labeling.provider",
        )


def validate_name(name: str, field: str = "cluster_name") -> str:
    stripped = name.strip()
    if not stripped:
        raise _bad(f"{field} must not be empty.", field=field)
    return stripped


def validate_create(body: CreateClusterRequest) -> str:
    """Check the rules the schema cannot express; return the resolved cluster_type."""
    if any(not c.strip() for c in body.collection_ids):
        raise _bad("collection_ids contains an empty collection id.", field="collection_ids")
    if body.cluster_name is not None:
        validate_name(body.cluster_name)
    cluster_type = _resolve_type(body)
    if cluster_type == "vector":
        _validate_vector(body)
    else:
        _validate_attribute(body)
    if body.source_enrichment_config is not None and not body.enrich_source_collection:
        raise _bad(
            "source_enrichment_config is only used when enrich_source_collection is true: set "
            "enrich_source_collection to true, or remove source_enrichment_config.",
            field="source_enrichment_config",
        )
    _validate_labeling(body)
    return cluster_type


# -- records ---------------------------------------------------------------------------
def _slug(uri: str) -> str:
    match = FEATURE_URI.match(uri)
    assert match is not None
    return re.sub(r"[^A-Za-z0-9]+", "_", f"{match['extractor']}_{match['output']}").strip("_")


def _outputs(body: CreateClusterRequest, name: str, uris: list[str]) -> tuple[list[str], list[str]]:
    if body.enrich_source_collection:
        return list(body.collection_ids), list(body.collection_ids)
    config = body.vector_config
    if config is not None and config.output_strategy == "per_feature":
        return [new_id("col") for _ in uris], [f"{name}_{_slug(u)}_clusters" for u in uris]
    return [new_id("col")], [f"{name}_clusters"]


def new_cluster(body: CreateClusterRequest, cluster_type: str, namespace_id: str) -> Record:
    """A new cluster record with every server-computed field filled."""
    cluster_id = new_id("clust")
    name = validate_name(body.cluster_name) if body.cluster_name else f"cluster_{cluster_id[6:]}"
    request = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    request["cluster_type"] = cluster_type
    request["cluster_name"] = name
    uris = _feature_uris(body) if cluster_type == "vector" else []
    output_ids, output_names = _outputs(body, name, uris)
    now = now_iso()
    return {
        "cluster_id": cluster_id,
        "namespace_id": namespace_id,
        "cluster_name": name,
        "cluster_type": cluster_type,
        "request": request,
        "feature_uris": uris or None,
        "description": None,
        "metadata": None,
        "output_collection_ids": output_ids,
        "output_collection_names": output_names,
        "status": "PENDING",
        "created_at": now,
        "updated_at": now,
    }


def apply_patch(record: Record, body: PatchClusterRequest) -> Record:
    """The record with the patch applied (only the fields that were sent)."""
    updated = dict(record)
    if body.cluster_name is not None:
        updated["cluster_name"] = validate_name(body.cluster_name)
        updated["request"] = {**record["request"], "cluster_name": updated["cluster_name"]}
    if body.description is not None:
        updated["description"] = body.description
    if body.metadata is not None:
        updated["metadata"] = body.metadata
    updated["updated_at"] = now_iso()
    return updated


# -- runs ------------------------------------------------------------------------------
def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def run_succeeded(record: Record, task_id: str, finished_at: float, seconds: float) -> Record:
    """The record after a successful clustering run (deterministic, plausible results)."""
    request = record["request"]
    vector = request.get("vector_config") or {}
    attribute = request.get("attribute_config") or {}
    seed = _digest(record["cluster_id"] + task_id)
    documents = 50 + seed % 950
    if vector.get("sample_size"):
        documents = min(documents, int(vector["sample_size"]))
    params = vector.get("algorithm_params") or {}
    wanted = params.get("n_clusters") or params.get("n_components")
    num_clusters = int(wanted) if isinstance(wanted, int) else 2 + seed % 8
    num_clusters = max(1, min(num_clusters, documents))
    algorithm = vector.get("clustering_method", "attribute_based")
    noise = documents // 20 if algorithm in _NOISY_ALGORITHMS else 0
    run_id = new_id("run")
    base = f"s3://mixpeek-emulator/{record['namespace_id']}/{record['cluster_id']}/{run_id}"
    updated = {
        **record,
        "status": "COMPLETED",
        "num_clusters": num_clusters,
        "num_documents_clustered": documents,
        "execution_time_seconds": round(seconds, 3),
        "last_execution_task_id": task_id,
        "completed_at": iso_at(finished_at),
        "llm_labeling_errors": None,
        "last_run_id": run_id,
        "parquet_path": f"{base}/clusters.parquet",
        "members_key": f"{base}/members.parquet",
        "cluster_stats": {
            "num_clusters": num_clusters,
            "noise_points": noise,
            "silhouette_score": round(0.35 + (seed % 40) / 100, 2),
        },
        "hierarchy_detected": bool(attribute.get("hierarchical_grouping"))
        or (vector.get("multi_feature_strategy") == "independent"
            and len(record.get("feature_uris") or []) > 1),
    }
    if vector.get("multi_feature_strategy") == "weighted" and not vector.get("feature_weights"):
        uris = record.get("feature_uris") or []
        updated["learned_weights"] = {u: round(1 / len(uris), 4) for u in uris}
        updated["learning_quality_score"] = updated["cluster_stats"]["silhouette_score"]
    return updated


def run_failed(record: Record, task_id: str, status: str = "FAILED") -> Record:
    """The record after a failed (or canceled) run: that status, earlier results kept."""
    return {**record, "status": status, "last_execution_task_id": task_id}


# -- presentation ----------------------------------------------------------------------
def to_metadata(record: Record) -> ClusterMetadata:
    """ClusterMetadata JSON (create, get, list)."""
    request = record["request"]
    vector = request.get("vector_config") or {}
    attribute = request.get("attribute_config") or {}
    if record["cluster_type"] == "vector":
        algorithm = vector["clustering_method"]
        legacy = vector.get(f"{algorithm}_parameters")
        algorithm_params = vector.get("algorithm_params") or legacy
    else:
        algorithm, algorithm_params = "attribute_based", None
    body = ClusterMetadata(
        cluster_id=record["cluster_id"],
        cluster_name=record["cluster_name"],
        namespace_id=record["namespace_id"],
        input_collections=request["collection_ids"],
        filters=request.get("filters"),
        cluster_type=record["cluster_type"],
        feature_uris=record.get("feature_uris"),
        multi_feature_strategy=vector.get("multi_feature_strategy"),
        learned_weights=record.get("learned_weights"),
        learning_quality_score=record.get("learning_quality_score"),
        effective_feature_method=vector.get("effective_feature_method"),
        clustered_attributes=attribute.get("attributes"),
        hierarchical_grouping=attribute.get("hierarchical_grouping"),
        aggregation_method=attribute.get("aggregation_method"),
        output_collection_ids=record["output_collection_ids"],
        output_collection_names=record["output_collection_names"],
        algorithm=algorithm,
        algorithm_params=algorithm_params,
        enrich_source=bool(request.get("enrich_source_collection") or vector.get("enrich_source")),
        source_enrichment_config=request.get("source_enrichment_config"),
        llm_labeling=request.get("llm_labeling"),
        num_clusters=record.get("num_clusters"),
        num_documents_clustered=record.get("num_documents_clustered"),
        execution_time_seconds=record.get("execution_time_seconds"),
        hierarchy_detected=record.get("hierarchy_detected", False),
        status=record.get("status"),
        last_execution_task_id=record.get("last_execution_task_id"),
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        last_executed_at=record.get("last_executed_at"),
        completed_at=record.get("completed_at"),
        llm_labeling_errors=record.get("llm_labeling_errors"),
        metadata=record.get("metadata"),
    )
    return body


def to_model(record: Record) -> ClusterModel:
    """ClusterModel JSON (PATCH): the create body echoed plus run fields."""
    request = dict(record["request"])
    if "vector_config" in request:
        request["vector_config"] = {
            k: v for k, v in request["vector_config"].items() if k not in _INTERNAL_VECTOR_FIELDS
        }
    body = ClusterModel(
        **request,
        cluster_id=record["cluster_id"],
        parquet_path=record.get("parquet_path"),
        members_key=record.get("members_key"),
        num_clusters=record.get("num_clusters"),
        cluster_stats=record.get("cluster_stats"),
        status=record.get("status"),
        task_id=record.get("last_execution_task_id"),
        last_run_id=record.get("last_run_id"),
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        metadata=record.get("metadata"),
    )
    return body
