"""The ``/v1`` API at the seed level (1.3.1): the seven ClustersApi operations of SDK 1.3.1
plus ``GET /v1/tasks/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse

from . import present, service, tasks
from .auth import ApiKeyDep, CallerDep
from .clusters import RULES
from .defaults import fill_defaults
from .errors import ApiError
from .levels import SEED
from .listing import DEFAULT_LIMIT, list_page, sort_keys
from .state import Services, ServicesDep
from .store import Record
from .wire.v1_3_1 import (
    ApplyClusterEnrichmentRequest,
    ClusteringEnrichmentResponse,
    ClusterMetadata,
    ClusterModel,
    CreateClusterRequest,
    ListClustersRequest,
    ListClustersResponse,
    PatchClusterRequest,
    TaskResponse,
)

__all__ = ["router"]

RULES_1_3_1 = RULES[SEED]


def _settle(svc: ServicesDep) -> None:
    tasks.settle(svc.store)


router = APIRouter(prefix="/v1", dependencies=[Depends(_settle)])


def _json(body: Any) -> Record:
    dumped: Record = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def _metadata_doc(record: Record) -> dict[str, Any]:
    doc: dict[str, Any] = ClusterMetadata.model_validate(
        present.metadata_v1_3_1(record)
    ).model_dump(mode="json")
    return doc


def _metadata(svc: Services, record: Record) -> Any:
    """ClusterMetadata of a record; with ``--fill-defaults`` as a JSON response the response
    model does not filter (so fields 1.3.1 does not know reach the client)."""
    doc = _metadata_doc(record)
    return JSONResponse(fill_defaults(doc)) if svc.fill_defaults else doc


@router.post("/clusters", response_model=ClusterMetadata)
def create_cluster(body: CreateClusterRequest, caller: CallerDep, svc: ServicesDep) -> Any:
    record = service.create_cluster(svc, caller, _json(body), RULES_1_3_1,
                                    output_collections=False)
    return _metadata(svc, record)


@router.post("/clusters/list", response_model=ListClustersResponse)
def list_clusters(
    caller: CallerDep,
    svc: ServicesDep,
    body: ListClustersRequest | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
    cursor: str | None = None,
    include_total: bool = False,
) -> Any:
    request = _json(body) if body is not None else {}
    docs = [(_metadata_doc(r), r.get("description"))
            for r in svc.store.clusters_in(caller.namespace_id)]
    page = list_page(
        docs, filters=request.get("filters"), sorts=sort_keys(request.get("sort")),
        search=request.get("search"), limit=limit, offset=offset, cursor=cursor,
        include_total=include_total,
    )
    if not svc.fill_defaults:
        return page
    dumped = ListClustersResponse.model_validate(page).model_dump(mode="json")
    dumped["results"] = [fill_defaults(doc) for doc in dumped["results"]]
    return JSONResponse(dumped)


@router.post("/clusters/enrich")
def apply_cluster_enrichment(
    body: ApplyClusterEnrichmentRequest,
    caller: CallerDep,
    svc: ServicesDep,
) -> ClusteringEnrichmentResponse:
    if not body.clustering_ids:
        raise ApiError(400, "clustering_ids must list at least one cluster id.",
                       details={"field": "clustering_ids"})
    found: list[Record] = []
    missing: list[str] = []
    for cluster_id in body.clustering_ids:
        record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
        if record is None:
            missing.append(cluster_id)
        else:
            found.append(record)
    if missing:
        raise ApiError(
            404,
            f"Unknown clustering ids in namespace {caller.namespace!r}: {', '.join(missing)}.",
            details={"missing_clustering_ids": missing},
        )
    for record in found:
        if record.get("completed_at") is None:
            raise ApiError(
                400,
                f"Cluster {record['cluster_id']} has no completed run to apply: execute it "
                f"(POST /v1/clusters/{record['cluster_id']}/execute) and wait for COMPLETED.",
                details={"cluster_id": record["cluster_id"], "status": record.get("status")},
            )
        inputs = record["request"]["collection_ids"]
        if body.source_collection_id not in inputs:
            raise ApiError(
                400,
                f"Collection {body.source_collection_id!r} is not an input of cluster "
                f"{record['cluster_id']} (inputs: {', '.join(inputs)}).",
                details={"cluster_id": record["cluster_id"],
                         "source_collection_id": body.source_collection_id},
            )
    processed = sum(r.get("num_documents_clustered") or 0 for r in found)
    failed = round(processed * svc.faults.enrich_failure_rate())
    return ClusteringEnrichmentResponse(
        processed=processed,
        enriched=processed - failed,
        failed=failed,
        batches=-(-processed // body.batch_size),
    )


@router.get("/clusters/{cluster_identifier}", response_model=ClusterMetadata)
def get_cluster(cluster_identifier: str, caller: CallerDep, svc: ServicesDep) -> Any:
    return _metadata(svc, service.get_cluster(svc, caller, cluster_identifier))


@router.patch("/clusters/{cluster_identifier}", response_model=ClusterModel)
def patch_cluster(
    cluster_identifier: str,
    body: PatchClusterRequest,
    caller: CallerDep,
    svc: ServicesDep,
) -> Any:
    record = service.patch_cluster(svc, caller, cluster_identifier, _json(body), RULES_1_3_1)
    return present.model_v1_3_1(record)


@router.delete("/clusters/{cluster_id}")
def delete_cluster(cluster_id: str, caller: CallerDep, svc: ServicesDep) -> dict[str, Any]:
    # 1.3.1: output collections are never deleted (and this level creates none to keep).
    service.delete_cluster(svc, caller, cluster_id, cascade=False)
    return {
        "success": True,
        "message": f"Cluster {cluster_id} deleted; its output collections were kept.",
        "cluster_id": cluster_id,
    }


@router.post("/clusters/{cluster_id}/execute", response_model=TaskResponse)
def execute_clustering(cluster_id: str, caller: CallerDep, svc: ServicesDep) -> Any:
    return tasks.to_response(service.execute_cluster(svc, caller, cluster_id))


@router.get("/tasks/{task_id}", response_model=TaskResponse)
def get_task(
    task_id: str,
    key: ApiKeyDep,
    svc: ServicesDep,
    x_namespace: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    task, cluster = service.get_task(svc, key, task_id, x_namespace)
    return tasks.to_response(task, cluster)
