"""What the request handlers of both API levels do with the store, on JSON bodies already
validated by the level's wire model. The routes (``routes_v1_3_1``, ``routes_v1_3_783``)
parse, call these and present the records their level's way."""

from __future__ import annotations

from typing import Any

from . import clusters, collections, tasks
from .auth import ApiKey, Caller, namespace_id_for
from .clusters import Rules
from .errors import ApiError
from .state import Services
from .store import NameTaken, Record

__all__ = [
    "create_cluster",
    "delete_cluster",
    "execute_cluster",
    "get_cluster",
    "get_task",
    "not_found",
    "patch_cluster",
]


def not_found(identifier: str, caller: Caller) -> ApiError:
    return ApiError(
        404,
        f"Cluster {identifier!r} not found in namespace {caller.namespace!r}.",
        details={"cluster_identifier": identifier},
        code="cluster_not_found",
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
        code="cluster_name_taken",
    )


def _sources(svc: Services, caller: Caller, ids: list[str]) -> dict[str, Record | None]:
    return {i: svc.store.cluster_by_id(caller.namespace_id, i) for i in ids}


def create_cluster(
    svc: Services, caller: Caller, body: Record, rules: Rules, *, output_collections: bool
) -> Record:
    """Validate and store a new cluster. ``output_collections`` (1.3.783): also store the
    output collections it creates, so they can be read and cascade-deleted."""
    with svc.store.transaction():
        if body.get("source_cluster_ids"):
            # A composite (1.3.783): its sources decide its inputs when none are given.
            cluster_type = clusters.validate_create(body, rules)
            if cluster_type == "vector":
                inputs = clusters.check_sources(
                    body["source_cluster_ids"], clusters.feature_uris(body),
                    _sources(svc, caller, body["source_cluster_ids"]),
                )
                body = {**body, "collection_ids": body.get("collection_ids") or inputs}
        cluster_type = clusters.validate_create(body, rules)
        record = clusters.new_cluster(body, cluster_type, caller.namespace_id)
        created: list[Record] = []
        if output_collections:
            record, created = collections.new_output_collections(
                record, svc.store.collection_names_in(caller.namespace_id)
            )
        try:
            svc.store.insert_cluster(record)
        except NameTaken as exc:
            raise _name_taken(svc, caller, exc.cluster_name) from exc
        for collection in created:
            svc.store.insert_collection(collection)
    return record


def get_cluster(svc: Services, caller: Caller, identifier: str) -> Record:
    record = svc.store.cluster_by_id_or_name(caller.namespace_id, identifier)
    if record is None:
        raise not_found(identifier, caller)
    return record


def patch_cluster(
    svc: Services, caller: Caller, identifier: str, body: Record, rules: Rules
) -> Record:
    with svc.store.transaction():
        record = get_cluster(svc, caller, identifier)
        updated = clusters.apply_patch(record, body, rules)
        if "source_cluster_ids" in body:
            inputs = clusters.check_sources(
                body["source_cluster_ids"], record.get("feature_uris") or [],
                _sources(svc, caller, body["source_cluster_ids"]),
                itself=record["cluster_id"],
            )
            updated["request"] = {**updated["request"],
                                  "source_cluster_ids": body["source_cluster_ids"],
                                  "collection_ids": inputs}
        try:
            svc.store.update_cluster(updated)
        except NameTaken as exc:
            raise _name_taken(svc, caller, exc.cluster_name) from exc
    return updated


def delete_cluster(
    svc: Services, caller: Caller, cluster_id: str, *, cascade: bool
) -> tuple[list[str], list[str]]:
    """Delete a cluster; its output collections too when ``cascade``, else they are kept
    (without an owner). Returns the ids of the deleted and of the kept output collections."""
    with svc.store.transaction():
        record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
        if record is None:
            raise not_found(cluster_id, caller)
        owned = svc.store.collections_of(cluster_id)
        if cascade:
            deleted = svc.store.delete_collections_of(cluster_id)
            kept: list[str] = []
        else:
            for collection in owned:
                svc.store.update_collection(collections.detach(collection, record))
            deleted, kept = [], [c["collection_id"] for c in owned]
        svc.store.delete_cluster(caller.namespace_id, cluster_id)
    return deleted, kept


def execute_cluster(
    svc: Services,
    caller: Caller,
    cluster_id: str,
    *,
    queued: bool = False,
    options: Record | None = None,
) -> Record:
    """Start a run. ``queued`` (1.3.783): the run is QUEUED first. ``options``: the 1.3.783
    execute body (mode, and overrides for this run only, never stored on the cluster)."""
    with svc.store.transaction():
        record = svc.store.cluster_by_id(caller.namespace_id, cluster_id)
        if record is None:
            raise not_found(cluster_id, caller)
        mode: str | None = None
        overrides: dict[str, Any] | None = None
        if options is not None:
            mode = _execution_mode(svc, caller, record, options)
            overrides = {k: v for k, v in options.items()
                         if k not in ("mode", "source_execution_ids", "assignment_threshold")}
        task = tasks.new_task(record, svc.task_duration, svc.faults.task_outcome(),
                              queued=queued, mode=mode, overrides=overrides)
        svc.store.insert_task(task)
        svc.store.update_cluster(
            {
                **record,
                "status": task["status"],
                "last_execution_task_id": task["task_id"],
                "last_executed_at": clusters.iso_at(task["started"]),
            }
        )
    return task


def _execution_mode(svc: Services, caller: Caller, record: Record, options: Record) -> str:
    """The run's mode (1.3.783), its preconditions checked. Without a body, a composite
    cluster runs mode 'composite' and any other 'full'.

    Assumptions (safest for the user's data: a run that cannot do what it was asked is
    refused before it starts, rather than started and failed):
    - assign needs a completed run (its centroids);
    - composite with source_execution_ids needs at least two runs this namespace completed;
    - composite without them needs source_cluster_ids, each source still there and with a
      completed run."""
    requested = options.get("mode")
    sources = record["request"].get("source_cluster_ids")
    mode = str(requested) if requested else ("composite" if sources else "full")
    if mode == "assign" and record.get("completed_at") is None:
        raise ApiError(
            400,
            f"Mode 'assign' assigns documents to the centroids of a completed run, and cluster "
            f"{record['cluster_id']} has none: run it in mode 'full' first.",
            details={"cluster_id": record["cluster_id"], "mode": mode},
        )
    if mode != "composite":
        return mode
    runs = options.get("source_execution_ids")
    if runs:
        known = svc.store.runs_in(caller.namespace_id)
        unknown = [r for r in runs if r not in known]
        if len(runs) < 2 or unknown:
            raise ApiError(
                400,
                "Mode 'composite' needs at least two completed runs in source_execution_ids"
                + (f"; not completed runs of this namespace: {', '.join(unknown)}"
                   if unknown else "") + ".",
                details={"source_execution_ids": runs, "unknown": unknown},
            )
        return mode
    if not sources:
        raise ApiError(
            400,
            "Mode 'composite' needs source_execution_ids, or a cluster created with "
            "source_cluster_ids.",
            details={"cluster_id": record["cluster_id"], "mode": mode},
        )
    for source_id in sources:
        source = svc.store.cluster_by_id(caller.namespace_id, source_id)
        if source is None or source.get("completed_at") is None:
            raise ApiError(
                400,
                f"Source cluster {source_id!r} "
                + ("no longer exists" if source is None else "has no completed run")
                + ": a composite run groups the newest completed run of each source.",
                details={"source_cluster_id": source_id},
            )
    return mode


def get_task(
    svc: Services, key: ApiKey, task_id: str, x_namespace: str | None
) -> tuple[Record, Record | None]:
    """A task the key may see (in the X-Namespace's namespace, when one is sent) and its
    cluster."""
    task = svc.store.task(task_id)
    visible = task is not None and key.allows(task["namespace_id"])
    if visible and x_namespace and x_namespace.strip():
        visible = task is not None and namespace_id_for(x_namespace.strip()) == task["namespace_id"]
    if task is None or not visible:
        raise ApiError(404, f"Task {task_id!r} not found.", details={"task_id": task_id},
                       code="task_not_found")
    cluster = svc.store.cluster_by_id(task["namespace_id"], task["cluster_id"])
    return task, cluster
