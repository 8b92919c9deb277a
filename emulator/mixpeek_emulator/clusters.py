"""Cluster records: the rules the schema cannot express, server-computed fields, runs.

The routes validate a body against the wire model of their API level, then hand it here as
JSON (``model_dump(mode="json", by_alias=True, exclude_none=True)``, so the model's defaults
are filled in). A stored record keeps the create body (``request``) plus the server's own
fields; ``present_v1_3_1`` and ``present_v1_3_783`` turn it into each level's responses.

Assumptions (the contract leaves them open; see mixpeek-clusters-api.md):
- cluster_type may be omitted when exactly one of vector_config/attribute_config is given;
  it is inferred from that config.
- A new cluster's status is PENDING (never run).
- Semantic errors, including a duplicate cluster_name, are 400 BadRequestError: the spec
  declares 400 (not 409) for every client error it documents.
- PATCH replaces ``metadata`` as a whole (and, from 1.3.783, ``llm_labeling``, ``filters``,
  ``face_cluster_merge`` and ``algorithm_params``: each PATCH field is the whole new value).
- 1.3.783: the vector-only PATCH fields (face_cluster_merge, sample_size, algorithm_params,
  layout_stability, source_cluster_ids) on an attribute cluster are refused (400) rather than
  stored where no run would read them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import ApiError
from .levels import SEED, TODAY
from .store import Record

__all__ = [
    "FEATURE_URI",
    "RULES",
    "Rules",
    "apply_patch",
    "iso_at",
    "new_cluster",
    "new_id",
    "now_iso",
    "run_failed",
    "run_succeeded",
    "validate_create",
    "validate_name",
]

#: A feature URI: ``mixpeek://{extractor}@{version}/{output}``.
FEATURE_URI = re.compile(r"^mixpeek://(?P<extractor>[^@/\s]+)@(?P<version>[^/\s]+)/(?P<output>\S+)$")

_NOISY_ALGORITHMS = ("dbscan", "hdbscan", "optics", "leiden", "evoc")


@dataclass(frozen=True)
class Rules:
    """What differs between the levels in the semantic checks."""

    level: str
    #: model_name -> the provider it belongs to.
    model_providers: dict[str, str]
    aggregation_methods: tuple[str, ...] = ("most_frequent", "first", "last")


_OPENAI = ("gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14",
           "gpt-4.1-mini-2025-04-14", "o3-mini-2025-01-31")

#: ModelName per level (1.3.1: OpenAIModel / GoogleModel / AnthropicModel; 1.3.783 adds
#: TypeSafeModel, drops gemini-2.0-flash(-exp) and lists newer Gemini and Claude models).
RULES: dict[str, Rules] = {
    SEED: Rules(SEED, {
        **dict.fromkeys(_OPENAI, "openai"),
        **dict.fromkeys(("gemini-2.0-flash", "gemini-2.0-flash-exp"), "google"),
        **dict.fromkeys(("claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"),
                        "anthropic"),
    }),
    TODAY: Rules(TODAY, {
        **dict.fromkeys(_OPENAI, "openai"),
        **dict.fromkeys(("gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro",
                         "gemini-3.1-flash-lite", "gemini-3.5-flash-lite"), "google"),
        **dict.fromkeys(("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001",
                         "claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"),
                        "anthropic"),
        **dict.fromkeys(("jev-latest", "jev-preview", "jev-1.13.0"), "typesafe"),
    }),
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def iso_at(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def _bad(message: str, **details: Any) -> ApiError:
    return ApiError(400, message, details=details or None)


# -- validation ------------------------------------------------------------------------
def _resolve_type(body: Record) -> str:
    has_vector, has_attribute = "vector_config" in body, "attribute_config" in body
    cluster_type = body.get("cluster_type")
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
    return str(cluster_type)


def feature_uris(body: Record) -> list[str]:
    """The feature URIs of a vector create body (feature_uris, or the deprecated
    feature_uri), checked."""
    config = body["vector_config"]
    if "feature_uri" in config and "feature_uris" in config:
        raise _bad(
            "Give either vector_config.feature_uris or the deprecated vector_config.feature_uri, "
            "not both.",
            field="vector_config.feature_uri",
        )
    uris: list[str] = config.get("feature_uris") or (
        [config["feature_uri"]] if config.get("feature_uri") else []
    )
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


def _validate_vector(body: Record) -> None:
    config = body["vector_config"]
    uris = feature_uris(body)
    if config["clustering_method"] == "attribute_based":
        raise _bad(
            "clustering_method 'attribute_based' is for attribute clusters: choose a vector "
            "algorithm such as 'kmeans' or 'hdbscan', or use cluster_type 'attribute'.",
            field="vector_config.clustering_method",
        )
    unknown = sorted(set(config.get("feature_weights") or {}) - set(uris))
    if unknown:
        raise _bad(
            f"vector_config.feature_weights has weights for URIs that are not in feature_uris: "
            f"{', '.join(unknown)}.",
            field="vector_config.feature_weights",
            unknown=unknown,
        )


def _validate_attribute(body: Record, rules: Rules) -> None:
    config = body["attribute_config"]
    attributes: list[str] = config["attributes"]
    if any(not a.strip() for a in attributes):
        raise _bad("attribute_config.attributes contains an empty field name.",
                   field="attribute_config.attributes")
    if len(set(attributes)) != len(attributes):
        raise _bad("attribute_config.attributes lists a field twice.",
                   field="attribute_config.attributes")
    method = config.get("aggregation_method")
    if method is not None and method not in rules.aggregation_methods:
        raise _bad(
            f"attribute_config.aggregation_method {method!r} is not supported: use one of "
            f"{', '.join(rules.aggregation_methods)}.",
            field="attribute_config.aggregation_method",
        )


def validate_labeling(labeling: Record | None, rules: Rules, field: str = "llm_labeling") -> None:
    """A model must belong to the declared provider; from 1.3.783 on, an enabled typesafe
    (Jev) labeling needs candidate_labels unless response_shape is an explicit schema."""
    if labeling is None:
        return
    provider, model = labeling.get("provider"), labeling.get("model_name")
    if provider is not None and model is not None:
        expected = rules.model_providers[model]
        if provider != expected:
            raise _bad(
                f"{field}.model_name {model!r} is a {expected} model but {field}.provider is "
                f"{provider!r}: set provider to {expected!r} or omit it.",
                field=f"{field}.provider",
            )
    if rules.level == SEED:
        return
    effective = provider or (rules.model_providers.get(model) if model else None)
    if (
        effective == "typesafe"
        and labeling.get("enabled")
        and not labeling.get("candidate_labels")
        and not isinstance(labeling.get("response_shape"), dict)
    ):
        raise _bad(
            f"{field}.candidate_labels is required with provider 'typesafe' (Jev picks each "
            "label from the candidates): list the labels, or give response_shape as a schema.",
            field=f"{field}.candidate_labels",
        )


def validate_name(name: str, field: str = "cluster_name") -> str:
    stripped = name.strip()
    if not stripped:
        raise _bad(f"{field} must not be empty.", field=field)
    return stripped


def validate_create(body: Record, rules: Rules) -> str:
    """Check the rules the schema cannot express; return the resolved cluster_type.

    ``body`` is the create body as JSON with the level's defaults filled; from 1.3.783 on a
    composite's collection_ids may still be missing here (the caller fills them in from the
    source clusters first)."""
    collections: list[str] = body.get("collection_ids") or []
    if rules.level != SEED and not collections and "source_cluster_ids" not in body:
        raise _bad(
            "collection_ids is required unless source_cluster_ids is set: list the "
            "collections to cluster.",
            field="collection_ids",
        )
    if any(not c.strip() for c in collections):
        raise _bad("collection_ids contains an empty collection id.", field="collection_ids")
    if body.get("cluster_name") is not None:
        validate_name(body["cluster_name"])
    cluster_type = _resolve_type(body)
    if cluster_type == "vector":
        _validate_vector(body)
    else:
        _validate_attribute(body, rules)
        if "source_cluster_ids" in body:
            raise _bad(
                "source_cluster_ids makes a composite cluster, which only vector clusters "
                "can be: remove it, or make this a vector cluster.",
                field="source_cluster_ids",
            )
    if "source_enrichment_config" in body and not body.get("enrich_source_collection"):
        raise _bad(
            "source_enrichment_config is only used when enrich_source_collection is true: set "
            "enrich_source_collection to true, or remove source_enrichment_config.",
            field="source_enrichment_config",
        )
    validate_labeling(body.get("llm_labeling"), rules)
    return cluster_type


def check_sources(
    source_ids: list[str], uris: list[str], sources: dict[str, Record | None],
    *, itself: str | None = None,
) -> list[str]:
    """Check a composite's source clusters (1.3.783): each a vector cluster of this namespace
    with the same feature_uris (in the same order: a centroid's layout follows it), named once,
    never the cluster itself. Returns their input collections, in order, each once."""
    if len(set(source_ids)) != len(source_ids):
        raise _bad("source_cluster_ids lists a cluster twice.", field="source_cluster_ids")
    inputs: list[str] = []
    for source_id in source_ids:
        if itself is not None and source_id == itself:
            raise _bad("A cluster cannot be its own source: remove its id from "
                       "source_cluster_ids.", field="source_cluster_ids", cluster_id=source_id)
        source = sources.get(source_id)
        if source is None:
            raise _bad(
                f"Source cluster {source_id!r} does not exist in this namespace.",
                field="source_cluster_ids", cluster_id=source_id,
            )
        if source["cluster_type"] != "vector":
            raise _bad(
                f"Source cluster {source_id!r} is an attribute cluster: a composite groups "
                "the centroids of vector clusters only.",
                field="source_cluster_ids", cluster_id=source_id,
            )
        if (source.get("feature_uris") or []) != uris:
            raise _bad(
                f"Source cluster {source_id!r} clusters feature_uris "
                f"{source.get('feature_uris')}, not {uris}: a composite's sources must "
                "cluster the same features.",
                field="source_cluster_ids", cluster_id=source_id,
            )
        for collection in source["request"].get("collection_ids") or []:
            if collection not in inputs:
                inputs.append(collection)
    return inputs


# -- records ---------------------------------------------------------------------------
def _slug(uri: str) -> str:
    match = FEATURE_URI.match(uri)
    assert match is not None
    return re.sub(r"[^A-Za-z0-9]+", "_", f"{match['extractor']}_{match['output']}").strip("_")


def _outputs(body: Record, name: str, uris: list[str]) -> tuple[list[str], list[str]]:
    if body.get("enrich_source_collection"):
        return list(body["collection_ids"]), list(body["collection_ids"])
    config = body.get("vector_config") or {}
    if config.get("output_strategy") == "per_feature":
        return [new_id("col") for _ in uris], [f"{name}_{_slug(u)}_clusters" for u in uris]
    return [new_id("col")], [f"{name}_clusters"]


def new_cluster(body: Record, cluster_type: str, namespace_id: str) -> Record:
    """A new cluster record with every server-computed field filled. ``description`` and
    ``metadata`` (create fields from 1.3.783 on) are kept as the record's own fields, which
    PATCH changes, not in the stored request."""
    cluster_id = new_id("clust")
    name = validate_name(body["cluster_name"]) if body.get("cluster_name") else (
        f"cluster_{cluster_id[6:]}"
    )
    request = {k: v for k, v in body.items() if k not in ("description", "metadata")}
    request["cluster_type"] = cluster_type
    request["cluster_name"] = name
    uris = feature_uris(body) if cluster_type == "vector" else []
    output_ids, output_names = _outputs(body, name, uris)
    now = now_iso()
    return {
        "cluster_id": cluster_id,
        "namespace_id": namespace_id,
        "cluster_name": name,
        "cluster_type": cluster_type,
        "request": request,
        "feature_uris": uris or None,
        "description": body.get("description"),
        "metadata": body.get("metadata"),
        "output_collection_ids": output_ids,
        "output_collection_names": output_names,
        "status": "PENDING",
        "created_at": now,
        "updated_at": now,
    }


#: PATCH fields (1.3.783) stored in the create body's vector_config under the same name.
VECTOR_PATCH_FIELDS = ("face_cluster_merge", "sample_size", "algorithm_params",
                       "layout_stability")


def apply_patch(record: Record, body: Record, rules: Rules) -> Record:
    """The record with a PATCH body (JSON, unset and null fields left out) applied.
    ``source_cluster_ids`` is checked and applied by the caller, which can see the sources."""
    updated = dict(record)
    request = dict(record["request"])
    if body.get("cluster_name") is not None:
        updated["cluster_name"] = validate_name(body["cluster_name"])
        request["cluster_name"] = updated["cluster_name"]
    if "description" in body:
        updated["description"] = body["description"]
    if "metadata" in body:
        updated["metadata"] = body["metadata"]
    if "llm_labeling" in body:
        validate_labeling(body["llm_labeling"], rules)
        request["llm_labeling"] = body["llm_labeling"]
    if "filters" in body:
        request["filters"] = body["filters"]
    vector_fields = [f for f in (*VECTOR_PATCH_FIELDS, "source_cluster_ids") if f in body]
    if vector_fields and record["cluster_type"] != "vector":
        raise _bad(
            f"{', '.join(vector_fields)} only apply to vector clusters; "
            f"{record['cluster_id']} is an attribute cluster.",
            fields=vector_fields,
        )
    if any(f in body for f in VECTOR_PATCH_FIELDS):
        vector = dict(request["vector_config"])
        for field in VECTOR_PATCH_FIELDS:
            if field in body:
                vector[field] = body[field]
        request["vector_config"] = vector
    updated["request"] = request
    updated["updated_at"] = now_iso()
    return updated


# -- runs ------------------------------------------------------------------------------
def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def run_succeeded(record: Record, task: Record, finished_at: float) -> Record:
    """The record after a successful clustering run (deterministic, plausible results)."""
    task_id = task["task_id"]
    request = record["request"]
    vector = request.get("vector_config") or {}
    attribute = request.get("attribute_config") or {}
    seed = _digest(record["cluster_id"] + task_id)
    documents = 50 + seed % 950
    sample_size = (task.get("overrides") or {}).get("sample_size") or vector.get("sample_size")
    if sample_size:
        documents = min(documents, int(sample_size))
    params = vector.get("algorithm_params") or {}
    wanted = params.get("n_clusters") or params.get("n_components")
    num_clusters = int(wanted) if isinstance(wanted, int) else 2 + seed % 8
    num_clusters = max(1, min(num_clusters, documents))
    algorithm = vector.get("clustering_method", "attribute_based")
    noise = documents // 20 if algorithm in _NOISY_ALGORITHMS else 0
    run_id = task.get("run_id") or new_id("run")
    base = f"s3://mixpeek-emulator/{record['namespace_id']}/{record['cluster_id']}/{run_id}"
    silhouette = round(0.35 + (seed % 40) / 100, 2)
    updated = {
        **record,
        "status": "COMPLETED",
        "num_clusters": num_clusters,
        "num_documents_clustered": documents,
        "noise_points": noise,
        "execution_time_seconds": round(task["duration"], 3),
        "last_execution_task_id": task_id,
        "completed_at": iso_at(finished_at),
        "llm_labeling_errors": None,
        "error": None,
        "failure_category": None,
        "last_run_id": run_id,
        "parquet_path": f"{base}/clusters.parquet",
        "members_key": f"{base}/members.parquet",
        "cluster_stats": {
            "num_clusters": num_clusters,
            "noise_points": noise,
            "silhouette_score": silhouette,
        },
        "quality_metrics": {
            "silhouette_score": silhouette,
            "davies_bouldin_score": round(0.4 + (seed % 70) / 100, 2),
            "noise_ratio": round(noise / documents, 4),
        },
        "hierarchy_detected": bool(attribute.get("hierarchical_grouping"))
        or (vector.get("multi_feature_strategy") == "independent"
            and len(record.get("feature_uris") or []) > 1),
    }
    if vector.get("multi_feature_strategy") == "weighted" and not vector.get("feature_weights"):
        uris = record.get("feature_uris") or []
        updated["learned_weights"] = {u: round(1 / len(uris), 4) for u in uris}
        updated["learning_quality_score"] = silhouette
    return updated


def run_failed(record: Record, task_id: str, status: str = "FAILED",
               error: str | None = None) -> Record:
    """The record after a failed (or canceled) run: that status and its error, earlier
    results kept. (1.3.783 reads ``error`` and ``failure_category``; an injected failure's
    category is ``unknown``: nothing says which stage failed.)"""
    return {
        **record,
        "status": status,
        "last_execution_task_id": task_id,
        "error": error,
        "failure_category": "unknown" if status == "FAILED" else None,
    }
