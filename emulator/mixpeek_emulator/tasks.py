"""Clustering runs as tasks: PENDING -> PROCESSING -> a terminal status of the 1.3.1
TaskStatusEnum: COMPLETED, or (with the fault switches of faults.py) FAILED,
COMPLETED_WITH_ERRORS or CANCELED, or any status ``task_status`` names (SKIPPED, UNKNOWN, one
no SDK knows): such a run ends there without results or error, and its cluster reports it.

A task stores when it started, how long it runs and how it will end. Its status is derived
from the clock: PENDING for the first fifth of the duration, PROCESSING until the end, then
its outcome. A COMPLETED_WITH_ERRORS run writes its results like a COMPLETED one and lists its
errors in the cluster's ``llm_labeling_errors``; FAILED and CANCELED runs keep the earlier
results. The TaskResponse carries ``additional_data.error`` for each of the three, and
``error`` (copied from it, as the 1.3.1 model describes) for FAILED and CANCELED.

``settle`` writes the derived status back (and, for the cluster's latest run,
the cluster's status and results); it runs at the start of every API request, so a server
restarted mid-run finishes the run on the first request after the restart.
"""

from __future__ import annotations

import time
from typing import Any

from pulumi_mixpeek.models import TaskResponse, TaskStatus

from .clusters import iso_at, new_id, run_failed, run_succeeded
from .faults import TaskOutcome
from .store import Record, Store

__all__ = ["TASK_TYPE", "new_task", "settle", "status_at", "to_response"]

#: TaskType value of a clustering run (1.3.1 TaskType enum).
TASK_TYPE = "engine_cluster_build"
PENDING_FRACTION = 0.2
TERMINAL = frozenset(
    s.value
    for s in (
        TaskStatus.COMPLETED,
        TaskStatus.COMPLETED_WITH_ERRORS,
        TaskStatus.FAILED,
        TaskStatus.CANCELED,
    )
)
_RESULTS = (TaskStatus.COMPLETED.value, TaskStatus.COMPLETED_WITH_ERRORS.value)
_STOPPED = (TaskStatus.FAILED.value, TaskStatus.CANCELED.value)


def new_task(
    cluster: Record, duration: float, outcome: TaskOutcome, now: float | None = None
) -> Record:
    """A new run of ``cluster`` that ends as ``outcome`` says (its duration, when set, wins)."""
    return {
        "task_id": new_id("task"),
        "task_type": TASK_TYPE,
        "cluster_id": cluster["cluster_id"],
        "namespace_id": cluster["namespace_id"],
        "job_id": new_id("job"),
        "started": time.time() if now is None else now,
        "duration": duration if outcome.duration is None else outcome.duration,
        "outcome": outcome.status,
        "error": outcome.message,
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
            finished_at = task["started"] + task["duration"]
            # Its outcome reached (a terminal status, or the one task_status set): final.
            terminal = now >= finished_at
            task = {**task, "status": status}
            if terminal:
                task["finished_at"] = iso_at(finished_at)
            store.update_task(task, terminal=terminal)
            cluster = store.cluster_by_id(task["namespace_id"], task["cluster_id"])
            if cluster is None or cluster.get("last_execution_task_id") != task["task_id"]:
                continue
            if status in _RESULTS:
                cluster = run_succeeded(cluster, task["task_id"], finished_at, task["duration"])
                if status == TaskStatus.COMPLETED_WITH_ERRORS.value:
                    cluster = {**cluster, "status": status, "llm_labeling_errors": [task["error"]]}
            elif status in _STOPPED:
                cluster = run_failed(cluster, task["task_id"], status)
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
    if task["status"] in TERMINAL and task["status"] != TaskStatus.COMPLETED.value:
        additional["error"] = task["error"]
        if task["status"] in _STOPPED:
            error = task["error"]
    if task["status"] in _RESULTS and cluster is not None:
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
