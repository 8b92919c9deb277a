"""Clustering runs as tasks: PENDING -> PROCESSING -> COMPLETED (or FAILED).

A task stores when it started, how long it runs and how it will end. Its status is derived
from the clock: PENDING for the first fifth of the duration, PROCESSING until the end, then
its outcome. ``settle`` writes the derived status back (and, for the cluster's latest run,
the cluster's status and results); it runs at the start of every API request, so a server
restarted mid-run finishes the run on the first request after the restart.
"""

from __future__ import annotations

import time
from typing import Any

from pulumi_mixpeek.models import TaskResponse, TaskStatus

from .clusters import iso_at, new_id, run_failed, run_succeeded
from .store import Record, Store

__all__ = ["TASK_TYPE", "new_task", "settle", "status_at", "to_response"]

#: TaskType value of a clustering run (1.3.1 TaskType enum).
TASK_TYPE = "engine_cluster_build"
PENDING_FRACTION = 0.2


def new_task(
    cluster: Record, duration: float, failure: str | None, now: float | None = None
) -> Record:
    """A new run of ``cluster``; ``failure`` is the error message if the run is to fail."""
    return {
        "task_id": new_id("task"),
        "task_type": TASK_TYPE,
        "cluster_id": cluster["cluster_id"],
        "namespace_id": cluster["namespace_id"],
        "job_id": new_id("job"),
        "started": time.time() if now is None else now,
        "duration": duration,
        "outcome": TaskStatus.FAILED.value if failure else TaskStatus.COMPLETED.value,
        "error": failure,
        "status": TaskStatus.PENDING.value,
    }


def status_at(task: Record, now: float) -> str:
    """The task's status at time ``now`` (epoch seconds)."""
    elapsed = now - task["started"]
    if elapsed >= task["duration"]:
        outcome: str = task["outcome"]
        return outcome
    if elapsed < task["duration"] * PENDING_FRACTION:
        return str(TaskStatus.PENDING)
    return str(TaskStatus.PROCESSING)


def settle(store: Store, now: float | None = None) -> None:
    """Write every open task's current status, and its cluster's, to the store."""
    now = time.time() if now is None else now
    with store.transaction():
        for task in store.open_tasks():
            status = status_at(task, now)
            if status == task["status"]:
                continue
            terminal = status in (TaskStatus.COMPLETED.value, TaskStatus.FAILED.value)
            finished_at = task["started"] + task["duration"]
            task = {**task, "status": status}
            if terminal:
                task["finished_at"] = iso_at(finished_at)
            store.update_task(task, terminal=terminal)
            cluster = store.cluster_by_id(task["namespace_id"], task["cluster_id"])
            if cluster is None or cluster.get("last_execution_task_id") != task["task_id"]:
                continue
            if status == TaskStatus.COMPLETED.value:
                cluster = run_succeeded(cluster, task["task_id"], finished_at, task["duration"])
            elif status == TaskStatus.FAILED.value:
                cluster = run_failed(cluster, task["task_id"])
            else:
                cluster = {**cluster, "status": status}
            store.update_cluster(cluster)


def to_response(task: Record, cluster: Record | None = None) -> TaskResponse:
    """TaskResponse of a task (with the run's results once it has completed)."""
    additional: dict[str, Any] = {
        "cluster_id": task["cluster_id"],
        "namespace_id": task["namespace_id"],
        "job_id": task["job_id"],
    }
    outputs: list[Any] | None = None
    error = None
    if task["status"] == TaskStatus.FAILED.value:
        error = task["error"]
        additional["error"] = error
    if task["status"] == TaskStatus.COMPLETED.value and cluster is not None:
        if cluster.get("last_execution_task_id") == task["task_id"]:
            outputs = [
                {
                    "cluster_id": cluster["cluster_id"],
                    "num_clusters": cluster.get("num_clusters"),
                    "num_documents_clustered": cluster.get("num_documents_clustered"),
                    "output_collection_ids": cluster.get("output_collection_ids"),
                }
            ]
    return TaskResponse(
        task_id=task["task_id"],
        task_type=task["task_type"],
        status=TaskStatus(task["status"]),
        inputs=[task["cluster_id"]],
        outputs=outputs,
        additional_data=additional,
        error=error,
    )
