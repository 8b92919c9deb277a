"""Output collections (1.3.783): the collections a cluster creates for its documents,
readable at ``GET /v1/collections/{collection_identifier}`` (by id or name) and deleted with
their cluster unless the delete says ``cascade_output_collections=false``.

Assumptions (the reference is silent; each is the reading safest for the user's data):
- Only the collections a cluster created are held here. With ``enrich_source_collection``
  no output collection is created (the cluster's output_collection_ids list the source
  collections), so a delete never touches a source collection. Source collections are not
  modelled: reading one answers 404.
- A collection name is unique in its namespace: a new cluster whose output name is held by a
  collection kept from a deleted cluster gets the name with ``_2`` (``_3``, ...) appended,
  rather than taking or replacing the kept collection.
- A kept collection belongs to no cluster any more: it keeps the document count of the
  deleted cluster's last run, and no later delete can cascade to it.
- The document is the minimal CollectionResponse: its required fields, where the
  feature_extractor is a placeholder (the output of a clustering is no extractor's) and the
  source names the cluster's input collections; metadata names the cluster.
"""

from __future__ import annotations

from typing import Any

from .clusters import now_iso
from .store import Record

__all__ = ["detach", "document_count", "new_output_collections", "to_response"]

PLACEHOLDER_EXTRACTOR = {
    "feature_extractor_name": "cluster_output",
    "version": "v1",
    "feature_extractor_id": "cluster_output_v1",
}


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate


def new_output_collections(cluster: Record, taken: set[str]) -> tuple[Record, list[Record]]:
    """The cluster (its output_collection_names made unique against ``taken``) and the
    records of the output collections it creates (none with enrich_source_collection)."""
    if cluster["request"].get("enrich_source_collection"):
        return cluster, []
    names = [_unique(n, taken) for n in cluster["output_collection_names"]]
    cluster = {**cluster, "output_collection_names": names}
    now = now_iso()
    records = [
        {
            "collection_id": collection_id,
            "namespace_id": cluster["namespace_id"],
            "collection_name": name,
            "cluster_id": cluster["cluster_id"],
            "description": f"Documents of cluster {cluster['cluster_name']} "
            f"({cluster['cluster_id']}): one centroid per group and one member per "
            "clustered document.",
            "inputs": list(cluster["request"].get("collection_ids") or []),
            "metadata": {"cluster_id": cluster["cluster_id"],
                         "cluster_name": cluster["cluster_name"]},
            "document_count": 0,
            "created_at": now,
            "updated_at": now,
        }
        for collection_id, name in zip(cluster["output_collection_ids"], names, strict=True)
    ]
    return cluster, records


def document_count(cluster: Record | None, collection: Record) -> int:
    """Documents in an output collection: after a run, one centroid per group plus one member
    per clustered document; a kept collection's count as it was."""
    if cluster is None:
        return int(collection.get("document_count") or 0)
    if cluster.get("num_clusters") is None:
        return 0
    return int(cluster["num_clusters"]) + int(cluster.get("num_documents_clustered") or 0)


def detach(collection: Record, cluster: Record) -> Record:
    """A collection kept when its cluster is deleted: no owner, its last count kept."""
    return {
        **collection,
        "cluster_id": None,
        "document_count": document_count(cluster, collection),
        "updated_at": now_iso(),
    }


def to_response(collection: Record, cluster: Record | None) -> dict[str, Any]:
    """CollectionResponse JSON (minimal)."""
    return {
        "collection_id": collection["collection_id"],
        "collection_name": collection["collection_name"],
        "description": collection.get("description"),
        "feature_extractor": dict(PLACEHOLDER_EXTRACTOR),
        "source": {"type": "collection", "collection_ids": collection.get("inputs") or None},
        "enabled": True,
        "metadata": collection.get("metadata"),
        "created_at": collection.get("created_at"),
        "updated_at": collection.get("updated_at"),
        "lifecycle_state": "active",
        "document_count": document_count(cluster, collection),
    }
