"""Clustering runs as tasks: PENDING -> PROCESSING -> a terminal status: COMPLETED, or (with
the fault switches of faults.py) FAILED, COMPLETED_WITH_ERRORS or CANCELED, or any status
``task_status`` names (SKIPPED, UNKNOWN, one no SDK knows): such a run ends there without
results or error, and its cluster reports it. From 1.3.783 on a run waits as QUEUED instead
of PENDING (a status 1.3.1's TaskStatusEnum does not have): QUEUED -> PROCESSING -> its
outcome. (The execute docstring "queues a background clustering job"; a queued run is read
as QUEUED, the status 1.3.2 added for it, and PENDING stays what a never-run cluster reads.)

A task stores when it started, how long it runs and how it will end. Its status is derived
from the clock: PENDING (QUEUED) for the first fifth of the duration, PROCESSING until the
end, then its outcome. A COMPLETED_WITH_ERRORS run writes its results like a COMPLETED one and
lists its errors in the cluster's ``llm_labeling_errors``; FAILED and CANCELED runs keep the
earlier results. The TaskResponse carries ``additional_data.error`` for each of the three,
and ``error`` (copied from it, as the model describes) for FAILED and CANCELED.

``settle`` writes the derived status back (and, for the cluster's latest run,
the cluster's status and results); it runs at the start of every API request, so a server
restarted mid-run finishes the run on the first request after the restart.
"""

from __future__ import annotations

import time
from typing import Any

from .clusters import iso_at, new_id, run_failed, run_succeeded
from .faults import TaskOutcome
from .store import Record, Store

__all__ = ["TASK_TYPE", "TERMINAL", "new_task", "settle", "status_at", "to_response"]

#: TaskType value of a clustering run (TaskType enum of both levels).
TASK_TYPE = "engine_cluster_build"
PENDING_FRACTION = 0.2
#: Terminal statuses (the TaskStatusEnum docstring).
TERMINAL = frozenset({"COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "CANCELED"})
_RESULTS = ("COMPLETED", "COMPLETED_WITH_ERRORS")
_STOPPED = ("FAILED", "CANCELED")


def new_task(
    cluster: Record,
    duration: float,
    outcome: TaskOutcome,
    now: float | None = None,
    *,
    queued: bool = False,
    mode: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Record:
    """A new run of ``cluster`` that ends as ``outcome`` says (its duration, when set, wins).
    ``queued``: the run waits as QUEUED, not PENDING (1.3.783); ``mode`` and ``overrides``
    are the execute body's (1.3.783), for this run only."""
    task: Record = {
        "task_id": new_id("task"),
        "task_type": TASK_TYPE,
        "cluster_id": cluster["cluster_id"],
        "namespace_id": cluster["namespace_id"],
        "job_id": new_id("job"),
        "started": time.time() if now is None else now,
        "duration": duration if outcome.duration is None else outcome.duration,
        "outcome": outcome.status,
        "error": outcome.message,
        "status": "QUEUED" if queued else "PENDING",
    }
    if queued:
        task["queued"] = True
    if mode is not None:
        task["mode"] = mode
    if overrides:
        task["overrides"] = overrides
    return task


def status_at(task: Record, now: float) -> str:
    """The task's status at time ``now`` (epoch seconds)."""
    elapsed = now - task["started"]
    if elapsed >= task["duration"]:
        outcome: str = task["outcome"]
        return outcome
    if elapsed < task["duration"] * PENDING_FRACTION:
        return "QUEUED" if task.get("queued") else "PENDING"
    return "PROCESSING"


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
                if status in _RESULTS:
                    task["run_id"] = new_id("run")
            store.update_task(task, terminal=terminal)
            cluster = store.cluster_by_id(task["namespace_id"], task["cluster_id"])
            if cluster is None or cluster.get("last_execution_task_id") != task["task_id"]:
                continue
            if status in _RESULTS:
                cluster = run_succeeded(cluster, task, finished_at)
                if status == "COMPLETED_WITH_ERRORS":
                    cluster = {**cluster, "status": status, "llm_labeling_errors": [task["error"]]}
            elif status in _STOPPED:
                cluster = run_failed(cluster, task["task_id"], status, task["error"])
            else:
                cluster = {**cluster, "status": status}
            store.update_cluster(cluster)


def to_response(task: Record, cluster: Record | None = None) -> dict[str, Any]:
    """TaskResponse JSON of a task (with the run's results once it has completed)."""
    additional: dict[str, Any] = {
        "cluster_id": task["cluster_id"],
        "namespace_id": task["namespace_id"],
        "job_id": task["job_id"],
    }
    if "mode" in task:
        additional["mode"] = task["mode"]
    outputs: list[Any] | None = None
    error = None
    if task["status"] in TERMINAL and task["status"] != "COMPLETED":
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
    return {
        "task_id": task["task_id"],
        "task_type": task["task_type"],
        "status": task["status"],
        "inputs": [task["cluster_id"]],
        "outputs": outputs,
        "additional_data": additional,
        "error": error,
    }
