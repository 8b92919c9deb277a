"""Shared helpers for the Cluster unit tests: declarations, and a minimal stand-in for what
the 1.3.1 API returns (the wire body the SDK sends, flattened per reference section 4)."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import DiffResult
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek.models import ClusterMetadata, CreateClusterRequest
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.state import build_outputs

PROVIDER_BLOB = serialize_provider(ClusterProvider())
URI_A = "mixpeek://text_extractor@v1/embedding"
URI_B = "mixpeek://image_extractor@v1/embedding"

VECTOR: dict[str, Any] = {
    "collection_ids": ["col_a"],
    "cluster_name": "products",
    "vector_config": {"feature_uris": [URI_A], "clustering_method": "kmeans"},
}
ATTRIBUTE: dict[str, Any] = {
    "collection_ids": ["col_a"],
    "cluster_name": "by-brand",
    "cluster_type": "attribute",
    "attribute_config": {"attributes": ["brand"]},
}


def checked(
    declaration: dict[str, Any],
    olds: dict[str, Any] | None = None,
    provider: ClusterProvider | None = None,
) -> dict[str, Any]:
    """What the engine stores as inputs: check's result (plus the pickled provider);
    ``olds`` are the previous inputs the engine passes to check; ``provider``: one
    configured for another API level than the suite's."""
    provider = provider or ClusterProvider()
    result = provider.check(olds or {}, {**declaration, "__provider": PROVIDER_BLOB})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {**result.inputs, "__provider": PROVIDER_BLOB}


def server_metadata(inputs: dict[str, Any], **extra: Any) -> ClusterMetadata:
    """A ClusterMetadata as the API would return it for these inputs (SDK wire defaults
    included, description not returned)."""
    body = CreateClusterRequest.model_validate(
        {k: v for k, v in inputs.items() if k in CreateClusterRequest.model_fields}
    ).model_dump(mode="json", by_alias=True)
    vector = body.get("vector_config") or {}
    attribute = body.get("attribute_config") or {}
    cluster_type = body["cluster_type"] or ("vector" if vector else "attribute")
    fields: dict[str, Any] = {
        "cluster_id": "clust_0001",
        "cluster_name": body.get("cluster_name") or "cluster_generated",
        "namespace_id": "ns_0001",
        "input_collections": body["collection_ids"],
        "cluster_type": cluster_type,
        "filters": body.get("filters"),
        "llm_labeling": body.get("llm_labeling"),
        "enrich_source": bool(body["enrich_source_collection"] or vector.get("enrich_source")),
        "source_enrichment_config": body.get("source_enrichment_config"),
        "metadata": inputs.get("metadata"),
        "status": "PENDING",
        "created_at": "2025-01-01T00:00:00Z",
    }
    if cluster_type == "vector":
        uris = vector.get("feature_uris") or [vector["feature_uri"]]
        method = vector["clustering_method"]
        fields.update(
            feature_uris=uris,
            algorithm=method,
            algorithm_params=vector.get("algorithm_params") or vector.get(f"{method}_parameters"),
            multi_feature_strategy=vector["multi_feature_strategy"],
            effective_feature_method=vector["effective_feature_method"],
        )
    else:
        fields.update(
            algorithm="attribute_based",
            clustered_attributes=attribute["attributes"],
            hierarchical_grouping=attribute["hierarchical_grouping"],
            aggregation_method=attribute.get("aggregation_method"),
        )
    fields.update(extra)
    return ClusterMetadata.model_validate(fields)


def created_state(
    declaration: dict[str, Any], previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The outputs stored after create (what diff receives as olds); ``previous``: the
    checked inputs it was created from (checked here when not given)."""
    inputs = previous if previous is not None else checked(declaration)
    outs = build_outputs(server_metadata(inputs), {k: v for k, v in inputs.items()})
    return {**outs, "__provider": PROVIDER_BLOB}


def outcome(result: DiffResult) -> str:
    if result.changes is False:
        return "none"
    assert result.changes is None, "changes=True would hide the engine's detailed diff"
    return "replace" if result.replaces else "update"
