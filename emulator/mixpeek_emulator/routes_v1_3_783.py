"""The ``/v1`` API at today's level (1.3.783): the ClustersApi operations of SDK 1.3.783 that
a cluster's lifecycle uses, ``GET /v1/tasks/{id}`` and ``GET /v1/collections/{id}``.

What differs from 1.3.1 (mixpeek-clusters-api.md section 6):
- create takes description, metadata, source_cluster_ids (a composite: collection_ids may then
  be omitted) and auto_execute_*; PATCH takes llm_labeling, filters, face_cluster_merge,
  sample_size, algorithm_params, source_cluster_ids and layout_stability, the vector settings
  changing the stored vector_config (read back by GET);
- the 1.3.783 models' defaults are filled in (llm_labeling.use_embedding_dedup true,
  sample_selection_strategy "nearest", vector_config.vis_n_components 2, ...);
- runs pass through QUEUED; execute takes the optional ExecuteClusterByIdRequest;
- a cluster's output collections are readable at ``GET /v1/collections/{id}`` and deleted
  with it unless ``cascade_output_collections=false``;
- ``GET /v1/clusters/{cluster_id}/groups`` and ``.../visualization``, ``GET /v1/clusters``
  and the list paging
  (page_size, page, cursor/next_cursor, after, include_total, body paging);
- no ``/v1/clusters/enrich`` (404), and every error, 422 included, is ErrorResponse.

Undeclared body keys are refused with 422 ``extra_forbidden``. (The SDK says they are
ignored with warnings until 2026-11-02 and refused from then on; refusing is the reading
safest for the user's data: a misspelt field is never silently dropped.)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse

from . import collections, present, service, tasks
from .auth import ApiKeyDep, Caller, CallerDep
from .clusters import RULES
from .defaults import fill_defaults_v1_3_783 as fill_defaults
from .errors import ApiError
from .levels import TODAY
from .listing import DEFAULT_LIMIT, list_page, sort_keys
from .state import Services, ServicesDep
from .store import Record
from .wire.v1_3_783 import (
    ClusterGroupsResponse,
    ClusterMetadata,
    ClusterModel,
    CollectionResponse,
    CreateClusterRequest,
    ExecuteClusterByIdRequest,
    ListClustersRequest,
    ListClustersResponse,
    PatchClusterRequest,
    TaskResponse,
)

__all__ = ["router"]

RULES_1_3_783 = RULES[TODAY]


def _settle(svc: ServicesDep) -> None:
    tasks.settle(svc.store)


router = APIRouter(prefix="/v1", dependencies=[Depends(_settle)])


def _json(body: Any) -> Record:
    dumped: Record = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def _metadata_doc(record: Record) -> dict[str, Any]:
    doc: dict[str, Any] = ClusterMetadata.model_validate(
        present.metadata_v1_3_783(record)
    ).model_dump(mode="json")
    return doc


def _metadata(svc: Services, record: Record) -> Any:
    doc = _metadata_doc(record)
    return JSONResponse(fill_defaults(doc)) if svc.fill_defaults else doc


@router.post("/clusters", response_model=ClusterMetadata)
def create_cluster(body: CreateClusterRequest, caller: CallerDep, svc: ServicesDep) -> Any:
    record = service.create_cluster(svc, caller, _json(body), RULES_1_3_783,
                                    output_collections=True)
    return _metadata(svc, record)


@router.post("/clusters/enrich", include_in_schema=False)
def apply_cluster_enrichment_removed() -> None:
    """Gone at this level (the SDK dropped the operation and its models by 1.3.783): 404,
    as for any route the server does not have, rather than the 405 the PATCH/GET route of
    ``/v1/clusters/{cluster_identifier}`` would give."""
    raise ApiError(404, "No route POST /v1/clusters/enrich (not part of the API at 1.3.783).",
                   code="route_not_found")


# -- list -------------------------------------------------------------------------------
Limit = Annotated[int | None, Query(ge=1, le=1000)]
Offset = Annotated[int | None, Query(ge=0, le=10_000)]
Page = Annotated[int | None, Query(ge=1)]


def _list(
    svc: Services,
    caller: Caller,
    request: Record,
    *,
    path: str,
    limit: int | None,
    page_size: int | None,
    offset: int | None,
    page: int | None,
    cursor: str | None,
    next_cursor: str | None,
    after: str | None,
    include_total: bool,
) -> Any:
    """One page. Body paging wins over the query's; ``limit`` over its alias ``page_size``;
    ``offset`` over ``page`` (offset = (page - 1) * limit); a cursor (``cursor``, or
    ``next_cursor`` as the last page returned it) over both, as ListClustersRequest's field
    descriptions say."""
    size = (request.get("limit") or request.get("page_size") or limit or page_size
            or DEFAULT_LIMIT)
    start = 0
    for given_offset, given_page in ((request.get("offset"), request.get("page")),
                                     (offset, page)):
        if given_offset is not None:
            start = given_offset
            break
        if given_page is not None:
            start = (given_page - 1) * size
            break
    docs = [(_metadata_doc(r), r.get("description"))
            for r in svc.store.clusters_in(caller.namespace_id)]
    result = list_page(
        docs, filters=request.get("filters"),
        sorts=sort_keys(request.get("sort"), request.get("sorts")),
        search=request.get("search"), limit=size, offset=start,
        cursor=cursor or next_cursor, after=after, include_total=include_total,
        always_page=True, path=path,
    )
    if not svc.fill_defaults:
        return result
    dumped = ListClustersResponse.model_validate(result).model_dump(mode="json")
    dumped["results"] = [fill_defaults(doc) for doc in dumped["results"]]
    return JSONResponse(dumped)


@router.post("/clusters/list", response_model=ListClustersResponse)
def list_clusters(
    caller: CallerDep,
    svc: ServicesDep,
    body: ListClustersRequest | None = None,
    limit: Limit = None,
    page_size: Limit = None,
    offset: Offset = None,
    page: Page = None,
    cursor: str | None = None,
    next_cursor: str | None = None,
    after: str | None = None,
    include_total: bool = False,
) -> Any:
    return _list(svc, caller, _json(body) if body is not None else {}, path="/v1/clusters/list",
                 limit=limit, page_size=page_size, offset=offset, page=page, cursor=cursor,
                 next_cursor=next_cursor, after=after, include_total=include_total)


@router.get("/clusters", response_model=ListClustersResponse)
def list_clusters_get(
    caller: CallerDep,
    svc: ServicesDep,
    search: str | None = None,
    limit: Limit = None,
    page_size: Limit = None,
    offset: Offset = None,
    page: Page = None,
    cursor: str | None = None,
    next_cursor: str | None = None,
    after: str | None = None,
    include_total: bool = False,
) -> Any:
    request = {"search": search} if search else {}
    return _list(svc, caller, request, path="/v1/clusters", limit=limit, page_size=page_size,
                 offset=offset, page=page, cursor=cursor, next_cursor=next_cursor,
                 after=after, include_total=include_total)


# -- one cluster ------------------------------------------------------------------------
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
    record = service.patch_cluster(svc, caller, cluster_identifier, _json(body), RULES_1_3_783)
    return present.model_v1_3_783(record)


@router.delete("/clusters/{cluster_id}")
def delete_cluster(
    cluster_id: str,
    caller: CallerDep,
    svc: ServicesDep,
    cascade_output_collections: bool = True,
) -> dict[str, Any]:
    deleted, kept = service.delete_cluster(svc, caller, cluster_id,
                                           cascade=cascade_output_collections)
    what = (f"its output collections were deleted ({', '.join(deleted)})" if deleted
            else f"its output collections were kept ({', '.join(kept)})" if kept
            else "it had no output collections")
    return {
        "success": True,
        "message": f"Cluster {cluster_id} deleted; {what}.",
        "cluster_id": cluster_id,
        "deleted_output_collection_ids": deleted,
        "kept_output_collection_ids": kept,
    }


@router.post("/clusters/{cluster_id}/execute", response_model=TaskResponse)
def execute_clustering(
    cluster_id: str,
    caller: CallerDep,
    svc: ServicesDep,
    body: ExecuteClusterByIdRequest | None = None,
) -> Any:
    options = _json(body) if body is not None else {}
    if body is not None and "mode" not in body.model_fields_set:
        # "Executing a composite cluster without a mode runs mode 'composite'": a body that
        # names no mode leaves the choice to the cluster, as no body does.
        options.pop("mode", None)
    task = service.execute_cluster(svc, caller, cluster_id, queued=True, options=options)
    return tasks.to_response(task)


@router.get("/clusters/{cluster_id}/groups", response_model=ClusterGroupsResponse)
def get_cluster_groups(cluster_id: str, caller: CallerDep, svc: ServicesDep) -> Any:
    record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
    if record is None:
        raise service.not_found(cluster_id, caller)
    return present.groups(record)


@router.get("/clusters/{cluster_id}/visualization")
def get_cluster_visualization(
    cluster_id: str,
    caller: CallerDep,
    svc: ServicesDep,
    max_points: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    centroids_only: bool = False,
    compact: bool = False,
    run_id: str | None = None,
) -> dict[str, Any]:
    record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
    if record is None:
        raise service.not_found(cluster_id, caller)
    if run_id is not None and run_id != record.get("last_run_id"):
        # Only the latest run's scatter is held (earlier runs' artifacts are not modelled).
        raise ApiError(404, f"Run {run_id!r} of cluster {cluster_id} not found.",
                       details={"cluster_id": cluster_id, "run_id": run_id},
                       code="run_not_found")
    return present.visualization(record, max_points=max_points, centroids_only=centroids_only,
                                 compact=compact)


# -- tasks and collections --------------------------------------------------------------
@router.get("/tasks/{task_id}", response_model=TaskResponse)
def get_task(
    task_id: str,
    key: ApiKeyDep,
    svc: ServicesDep,
    x_namespace: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    task, cluster = service.get_task(svc, key, task_id, x_namespace)
    return tasks.to_response(task, cluster)


@router.get("/collections/{collection_identifier}", response_model=CollectionResponse)
def get_collection(collection_identifier: str, caller: CallerDep, svc: ServicesDep) -> Any:
    collection = svc.store.collection_by_id_or_name(caller.namespace_id, collection_identifier)
    if collection is None:
        raise ApiError(
            404,
            f"Collection {collection_identifier!r} not found in namespace "
            f"{caller.namespace!r}.",
            details={"collection_identifier": collection_identifier},
            code="collection_not_found",
        )
    owner = collection.get("cluster_id")
    cluster = svc.store.cluster_by_id(caller.namespace_id, owner) if owner else None
    return collections.to_response(collection, cluster)
