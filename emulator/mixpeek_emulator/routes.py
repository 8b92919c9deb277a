"""The ``/v1`` API: the seven ClustersApi operations of SDK 1.3.1 plus ``GET /v1/tasks/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from pulumi_mixpeek.models import (
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

from . import clusters, tasks
from .auth import ApiKeyDep, Caller, CallerDep, namespace_id_for
from .defaults import fill_defaults
from .errors import ApiError
from .listing import DEFAULT_LIMIT, list_page
from .state import Services, ServicesDep
from .store import NameTaken, Record

__all__ = ["router"]


def _settle(svc: ServicesDep) -> None:
    tasks.settle(svc.store)


router = APIRouter(prefix="/v1", dependencies=[Depends(_settle)])


def _not_found(identifier: str, caller: Caller) -> ApiError:
    return ApiError(
        404,
        f"Cluster {identifier!r} not found in namespace {caller.namespace!r}.",
        details={"cluster_identifier": identifier},
    )


def _name_taken(svc: Services, caller: Caller, name: str) -> ApiError:
    existing = svc.store.cluster_by_id_or_name(caller.namespace_id, name)
    return ApiError(
        400,
        f"A cluster named {name!r} already exists in namespace {caller.namespace!r}"
        + (f" ({existing['cluster_id']})" if existing else "")
        + ". Choose another cluster_name, or use the existing cluster.",
        details={
            "cluster_name": name,
            "existing_cluster_id": existing["cluster_id"] if existing else None,
        },
    )


def _metadata(svc: Services, record: Record) -> Any:
    """ClusterMetadata of a record; with ``--fill-defaults`` as a JSON response the response
    model does not filter (so fields 1.3.1 does not know reach the client)."""
    body = clusters.to_metadata(record)
    if not svc.fill_defaults:
        return body
    return JSONResponse(fill_defaults(body.model_dump(mode="json")))


@router.post("/clusters", response_model=ClusterMetadata)
def create_cluster(
    body: CreateClusterRequest,
    caller: CallerDep,
    svc: ServicesDep,
) -> Any:
    cluster_type = clusters.validate_create(body)
    record = clusters.new_cluster(body, cluster_type, caller.namespace_id)
    try:
        svc.store.insert_cluster(record)
    except NameTaken as exc:
        raise _name_taken(svc, caller, exc.cluster_name) from exc
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
    records = svc.store.clusters_in(caller.namespace_id)
    docs = [(clusters.to_metadata(r).model_dump(mode="json"), r.get("description"))
            for r in records]
    page = list_page(
        docs, body, limit=limit, offset=offset, cursor=cursor, include_total=include_total
    )
    if not svc.fill_defaults:
        return page
    dumped = page.model_dump(mode="json")
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
def get_cluster(
    cluster_identifier: str,
    caller: CallerDep,
    svc: ServicesDep,
) -> Any:
    record = svc.store.cluster_by_id_or_name(caller.namespace_id, cluster_identifier)
    if record is None:
        raise _not_found(cluster_identifier, caller)
    return _metadata(svc, record)


@router.patch("/clusters/{cluster_identifier}")
def patch_cluster(
    cluster_identifier: str,
    body: PatchClusterRequest,
    caller: CallerDep,
    svc: ServicesDep,
) -> ClusterModel:
    with svc.store.transaction():
        record = svc.store.cluster_by_id_or_name(caller.namespace_id, cluster_identifier)
        if record is None:
            raise _not_found(cluster_identifier, caller)
        updated = clusters.apply_patch(record, body)
        try:
            svc.store.update_cluster(updated)
        except NameTaken as exc:
            raise _name_taken(svc, caller, exc.cluster_name) from exc
    return clusters.to_model(updated)


@router.delete("/clusters/{cluster_id}")
def delete_cluster(
    cluster_id: str,
    caller: CallerDep,
    svc: ServicesDep,
) -> dict[str, Any]:
    if not svc.store.delete_cluster(caller.namespace_id, cluster_id):
        raise _not_found(cluster_id, caller)
    return {
        "success": True,
        "message": f"Cluster {cluster_id} deleted; its output collections were kept.",
        "cluster_id": cluster_id,
    }


@router.post("/clusters/{cluster_id}/execute")
def execute_clustering(
    cluster_id: str,
    caller: CallerDep,
    svc: ServicesDep,
) -> TaskResponse:
    with svc.store.transaction():
        record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
        if record is None:
            raise _not_found(cluster_id, caller)
        task = tasks.new_task(record, svc.task_duration, svc.faults.task_outcome())
        svc.store.insert_task(task)
        svc.store.update_cluster(
            {
                **record,
                "status": task["status"],
                "last_execution_task_id": task["task_id"],
                "last_executed_at": clusters.iso_at(task["started"]),
            }
        )
    return tasks.to_response(task)


@router.get("/tasks/{task_id}")
def get_task(
    task_id: str,
    key: ApiKeyDep,
    svc: ServicesDep,
    x_namespace: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> TaskResponse:
    task = svc.store.task(task_id)
    visible = task is not None and key.allows(task["namespace_id"])
    if visible and x_namespace and x_namespace.strip():
        visible = task is not None and namespace_id_for(x_namespace.strip()) == task["namespace_id"]
    if task is None or not visible:
        raise ApiError(404, f"Task {task_id!r} not found.", details={"task_id": task_id})
    cluster = svc.store.cluster_by_id(task["namespace_id"], task["cluster_id"])
    return tasks.to_response(task, cluster)
