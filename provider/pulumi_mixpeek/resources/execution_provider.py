"""The dynamic provider behind ``pulumi_mixpeek.ClusterExecution``: one clustering run.

Keep this module path stable: state refers to ``pulumi_mixpeek.resources.execution_provider
.ClusterExecutionProvider`` (see ``base.py`` for what is pickled: nothing).

- check: local, every problem at once, records the namespace and endpoint; diff: local,
  any change of ``cluster_id``, ``triggers``, ``namespace`` or ``endpoint`` is a new run
  (replacement), ``wait`` and ``timeout_seconds`` are never a change.
- create: 1 GET of the cluster; when it names a run that is still PENDING/PROCESSING (e.g. the
  run an interrupted or timed-out ``up`` started), 1 GET of that task and no new run is
  started: the create follows that run. Otherwise 1 POST execute. With ``wait``, k GETs of the
  task (``polling.py``), then 1 GET of the cluster for the run's figures. FAILED or CANCELED
  fails the create with the task's error; COMPLETED_WITH_ERRORS succeeds with a warning; a
  timeout fails naming the task id. (The Python dynamic-provider host cannot keep a partial
  state for a failed create, so the task id lives on in the error message and in the
  cluster's ``last_execution_task_id``, which the next create looks at.)
- read: 1 GET of the task (+1 GET of the cluster): the task's current status, so a refresh
  reports a run that finished (or failed) since; the figures are the cluster's while its last
  run is this one. A task that no longer exists (its cluster was deleted) leaves the state.
- delete: no API call. A finished run cannot be undone; the resource only leaves the state.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CreateResult, ReadResult, UpdateResult

from ..boundary import user_facing
from ..client import MixpeekClient
from ..errors import ExecutionError
from ..models import ClusterExecutionOutputs, ClusterMetadata, TaskResponse, TaskStatus
from ..models.declaration import ClusterExecutionDeclaration
from ..normalize import canonical_inputs, strip_internal
from ..polling import RUNNING_STATUSES, describe_run, wait_for_task
from ..progress import report, warn
from .base import ReplacingProvider

__all__ = ["ClusterExecutionProvider", "RUN_OUTPUTS"]

MODEL = ClusterExecutionDeclaration

#: Outputs that are not inputs.
RUN_OUTPUTS: tuple[str, ...] = tuple(ClusterExecutionOutputs.model_fields)

_STOPPED = frozenset({TaskStatus.FAILED, TaskStatus.CANCELED})


def _error_message(task: TaskResponse) -> str | None:
    """The task's error (TaskResponse.error, copied from additional_data.error)."""
    if task.error:
        return task.error
    extra = task.additional_data or {}
    error = extra.get("error")
    return str(error) if error else None


class ClusterExecutionProvider(ReplacingProvider):
    """A clustering run of ``mixpeek:ClusterExecution``. Stateless: see ``base.py``."""

    MODEL = MODEL

    # -- API operations -----------------------------------------------------------------
    @user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = canonical_inputs(strip_internal(props), MODEL)
        client = self._client(declared)
        cluster_id = str(declared["cluster_id"])
        cluster = client.get_cluster(cluster_id)
        task = _running_run(client, cluster)
        if task is not None:
            report(
                f"{describe_run(task.task_id, cluster_id)} is still {task.status.value}: "
                "following it instead of starting a second run"
            )
        else:
            task = client.execute_clustering(
                cluster_id, previous_task_id=cluster.last_execution_task_id
            )
            report(f"started {describe_run(task.task_id, cluster_id)}")
        if _setting(declared, "wait"):
            timeout = float(_setting(declared, "timeout_seconds"))
            task = wait_for_task(client, task, cluster_id=cluster_id, timeout_s=timeout)
        _raise_if_stopped(task, cluster_id)
        outputs = _outputs(declared, task, _figures(client, cluster_id, task, {}))
        _warn_if_partial(task, cluster_id, outputs)
        return CreateResult(task.task_id, outputs)

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = strip_internal(props)
        declared = canonical_inputs(state, MODEL)
        client = self._client(declared)
        task = client.find_task(id_)
        if task is None:
            return ReadResult("", {})
        cluster_id = str(declared.get("cluster_id") or "")
        figures = _figures(client, cluster_id, task, state) if cluster_id else state
        return ReadResult(id_, _outputs(declared, task, figures), declared)

    @user_facing
    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Only ``wait`` / ``timeout_seconds`` can differ here (every other change replaces),
        and they matter at create only: no API call, the run's outputs stay."""
        declared = canonical_inputs(strip_internal(_news), MODEL)
        olds = strip_internal(_olds)
        return UpdateResult({**{name: olds.get(name) for name in RUN_OUTPUTS}, **_inputs(declared)})

    @user_facing
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """A run cannot be undone: the resource only leaves the state."""


def _setting(declared: dict[str, Any], name: str) -> Any:
    """A declared value, or the model's default (canonical inputs leave defaults out)."""
    value = declared.get(name)
    return MODEL.model_fields[name].default if value is None else value


def _running_run(client: MixpeekClient, cluster: ClusterMetadata) -> TaskResponse | None:
    """The cluster's last run when it is still going (1 GET, only when the cluster's status
    does not already say it ended)."""
    task_id = cluster.last_execution_task_id
    if not task_id or (cluster.status is not None and cluster.status not in RUNNING_STATUSES):
        return None
    task = client.find_task(task_id)
    return task if task is not None and task.status in RUNNING_STATUSES else None


def _figures(
    client: MixpeekClient, cluster_id: str, task: TaskResponse, previous: dict[str, Any]
) -> dict[str, Any]:
    """num_clusters, num_documents_clustered and completed_at of this run: read from the
    cluster while its last run is this one, else the ones recorded before (None when none)."""
    names = ("num_clusters", "num_documents_clustered", "completed_at")
    kept = {name: previous.get(name) for name in names}
    if task.status in RUNNING_STATUSES:
        return kept
    cluster = client.find_cluster(cluster_id)
    if cluster is None or cluster.last_execution_task_id != task.task_id:
        return kept
    completed = cluster.model_dump(mode="json")["completed_at"]
    return {
        "num_clusters": cluster.num_clusters,
        "num_documents_clustered": cluster.num_documents_clustered,
        "completed_at": completed if task.status not in _STOPPED else kept["completed_at"],
    }


def _inputs(declared: dict[str, Any]) -> dict[str, Any]:
    return {name: declared.get(name) for name in MODEL.model_fields}


def _outputs(
    declared: dict[str, Any], task: TaskResponse, figures: dict[str, Any]
) -> dict[str, Any]:
    return {
        **_inputs(declared),
        "task_id": task.task_id,
        "status": task.status.value,
        **figures,
        "error_message": _error_message(task),
    }


def _raise_if_stopped(task: TaskResponse, cluster_id: str) -> None:
    if task.status not in _STOPPED:
        return
    error = _error_message(task) or "the API gave no error message"
    raise ExecutionError(
        f"The {describe_run(task.task_id, cluster_id)} ended {task.status.value}: {error}. "
        "Fix the cause, then run `pulumi up` again to start a new run.",
        task_id=task.task_id,
        status=task.status.value,
    )


def _warn_if_partial(task: TaskResponse, cluster_id: str, outputs: dict[str, Any]) -> None:
    if task.status is TaskStatus.COMPLETED_WITH_ERRORS:
        error = outputs.get("error_message") or "see the cluster's llm_labeling_errors"
        warn(f"{describe_run(task.task_id, cluster_id)} completed with errors: {error}")
    elif task.status is TaskStatus.COMPLETED:
        report(
            f"{describe_run(task.task_id, cluster_id)} completed: "
            f"{outputs.get('num_clusters')} clusters, "
            f"{outputs.get('num_documents_clustered')} documents"
        )
