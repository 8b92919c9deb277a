"""Waiting for a clustering run: poll its task with bounded backoff while it is running.

The first GET comes ``POLL_INITIAL_S`` after the run was seen, each later pause is
``POLL_FACTOR`` times longer, capped at ``POLL_MAX_S`` and at the time left before the
deadline. Every status change is reported on stderr (``progress.report``), so ``pulumi up``
shows the run's progress while it waits. Which statuses are running is declared once, in
``models.TASK_STATUS_CLASSES``: the wait ends at the first status that is not (succeeded,
succeeded with errors, failed), and a status the provider does not know ends it at once with
an error naming that status.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ._constants import POLL_FACTOR, POLL_INITIAL_S, POLL_MAX_S
from .client import MixpeekClient
from .errors import APIError, ExecutionError, ExecutionTimeoutError
from .models import TaskResponse, TaskStatusClass, task_status_class
from .progress import report

__all__ = ["describe_run", "poll_intervals", "wait_for_task"]


def describe_run(task_id: str, cluster_id: str) -> str:
    return f"clustering run {task_id} of cluster {cluster_id}"


def poll_intervals() -> Callable[[], float]:
    """The successive pauses between two GETs of the task."""
    interval = POLL_INITIAL_S / POLL_FACTOR

    def next_interval() -> float:
        nonlocal interval
        interval = min(interval * POLL_FACTOR, POLL_MAX_S)
        return interval

    return next_interval


def wait_for_task(
    client: MixpeekClient,
    task: TaskResponse,
    *,
    cluster_id: str,
    timeout_s: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> TaskResponse:
    """The task once it is no longer running. Raises ExecutionTimeoutError after
    ``timeout_s``, and ExecutionError at once when the task reports a status the provider
    does not know."""
    run = describe_run(task.task_id, cluster_id)
    start = clock()
    deadline = start + timeout_s
    next_interval = poll_intervals()
    report(f"{run}: {task.status.value}")
    while _running(task, run):
        remaining = deadline - clock()
        if remaining <= 0:
            raise ExecutionTimeoutError(
                f"The {run} did not finish within {timeout_s:g} s (last status "
                f"{task.status.value}); it goes on on the server. Look it up with "
                f"get_task({task.task_id!r}), or run `pulumi up` again: it follows this run "
                "instead of starting a second one while it is still running. Raise "
                "timeout_seconds for longer runs.",
                task_id=task.task_id,
                status=task.status.value,
            )
        sleep(min(next_interval(), remaining))
        try:
            latest = client.get_task(task.task_id)
        except APIError as exc:
            raise APIError(
                f"Lost track of the {run}: {exc} The run goes on on the server; run `pulumi "
                "up` again to follow it (it is not started twice while it is running).",
                method=exc.method,
                path=exc.path,
            ) from exc
        if latest.status != task.status:
            report(f"{run}: {latest.status.value} ({clock() - start:.0f} s)")
        task = latest
    return task


def _running(task: TaskResponse, run: str) -> bool:
    """Whether the task is still running; raises for a status the provider does not know."""
    status_class = task_status_class(task.status)
    if status_class is None:
        raise ExecutionError(
            f"The {run} reports status {task.status.value!r}, which this provider does not "
            "know (the API may be newer than it): it cannot tell whether the run is still "
            f"going or how it ended, so it stopped waiting. Look it up with "
            f"get_task({task.task_id!r}).",
            task_id=task.task_id,
            status=task.status.value,
        )
    return status_class is TaskStatusClass.RUNNING
