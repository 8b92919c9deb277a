"""The dynamic provider behind ``pulumi_mixpeek.ClusterExecution``: one clustering run.

Keep this module path stable: state refers to ``pulumi_mixpeek.resources.execution_provider
.ClusterExecutionProvider`` (see ``base.py`` for what is pickled: nothing).

- check: local, every problem at once, records the namespace and endpoint; a run option
  (``RUN_OPTIONS``: the fields of the execute body, ``ExecuteClusterRequest``) is refused at
  an API level whose execute takes no body (1.3.1), naming the option and the level. diff:
  local, any change of ``cluster_id``, ``triggers``, a run option, ``namespace`` or
  ``endpoint`` is a new run (replacement), ``wait`` and ``timeout_seconds`` are never a
  change, except that a recorded run that had not finished is an update while ``wait`` is set
  (see update).
- exactly one run per trigger value: a replacement's diff claims the old run, and every run
  this provider process starts or follows is claimed, so no create takes another resource's
  run as its own (``_CLAIMED``; the engine runs a deployment's diffs and creates in one
  provider process, diff first).
- create: 1 GET of the cluster; when it names a run that is still PENDING/PROCESSING and that
  no resource claims (the run an interrupted ``up`` started), 1 GET of that task and no new
  run is started: the create follows that run. Otherwise 1 POST execute, whose body carries
  the declared run options only (none declared: no body). With ``wait``, k GETs
  of the task (``polling.py``), then 1 GET of the cluster for the run's figures. FAILED or
  CANCELED fails the create with the task's error; COMPLETED_WITH_ERRORS succeeds with a
  warning. A run still going after ``timeout_seconds`` is recorded as it is, with a warning
  (the Python dynamic-provider host cannot keep the state of a failed create, so failing
  would lose which run this trigger value started, and a later ``up`` would start a second).
- update: with ``wait`` and a recorded run that had not finished, follows that same run (k
  GETs of the task), no new run; otherwise no API call.
- read: 1 GET of the task (+1 GET of the cluster): the task's current status, so a refresh
  reports a run that finished (or failed) since; the figures are the cluster's while its last
  run is this one. A task that no longer exists (its cluster was deleted) leaves the state.
- delete: no API call. A finished run cannot be undone; the resource only leaves the state.
"""

from __future__ import annotations

import threading
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from .._constants import CONFIG_API_VERSION
from .._unknowns import is_unknown
from ..boundary import user_facing
from ..client import MixpeekClient
from ..errors import ExecutionError, ExecutionTimeoutError
from ..levels import TODAY_API_VERSION, ApiLevel
from ..models import (
    FAILED_TASK_STATUSES,
    RUNNING_TASK_STATUSES,
    ClusterExecutionOutputs,
    ClusterMetadata,
    ExecuteClusterRequest,
    TaskResponse,
    TaskStatus,
)
from ..models.declaration import ClusterExecutionDeclaration
from ..normalize import canonical_inputs, strip_internal
from ..polling import describe_run, wait_for_task
from ..progress import report, warn
from .base import REFRESH, ReplacingProvider

__all__ = ["ClusterExecutionProvider", "RUN_OPTIONS", "RUN_OUTPUTS", "run_body"]

MODEL = ClusterExecutionDeclaration

#: Outputs that are not inputs.
RUN_OUTPUTS: tuple[str, ...] = tuple(ClusterExecutionOutputs.model_fields)

#: Inputs that are the execute body's fields (API 1.3.783's ExecuteClusterByIdRequest).
RUN_OPTIONS: tuple[str, ...] = tuple(ExecuteClusterRequest.model_fields)


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

    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """As every replacing resource, plus the run options' rules: refused, each naming
        itself and the level, where the API level's execute takes no body (1.3.1); elsewhere
        an option refused where the declared ``mode`` never reads it."""
        result = super().check_inputs(olds, news, random_seed)
        level = self._current_settings().checked_api_level()
        failures = list(result.failures or [])
        seen = {f.property for f in failures}
        for failure in _run_option_failures(strip_internal(news), level):
            if failure.property not in seen:
                failures.append(failure)
                seen.add(failure.property)
        return CheckResult(result.inputs, failures)

    # -- API operations -----------------------------------------------------------------
    @user_facing
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """As every replacing resource (``base.ReplacingProvider``), plus: a replacement
        claims the old run, so the new one's create never takes it as its own; and a recorded
        run that had not finished when its ``up`` stopped waiting (``timeout_seconds``) is an
        update while ``wait`` is set, which follows that same run to its end."""
        result = super().diff(_id, _olds, _news)
        olds = strip_internal(_olds)
        if result.replaces:
            _claim(_id, olds.get("task_id"))
        elif result.changes is False and _unfinished(olds) and _setting(
            canonical_inputs(strip_internal(_news), MODEL), "wait"
        ):
            return DiffResult(changes=True)
        return result

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
                cluster_id,
                previous_task_id=cluster.last_execution_task_id,
                body=run_body(declared),
            )
            report(f"started {describe_run(task.task_id, cluster_id)}")
        _claim(task.task_id)
        return CreateResult(task.task_id, _finish(client, declared, task))

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = strip_internal(props)
        declared = canonical_inputs(state, MODEL)
        client = self._client(declared, command=REFRESH if state else None)
        # The run the state records (``task_id``; the id for state written before it).
        task = client.find_task(str(state.get("task_id") or id_))
        if task is None:
            return ReadResult("", {})
        cluster_id = str(declared.get("cluster_id") or "")
        figures = _figures(client, cluster_id, task, state) if cluster_id else state
        return ReadResult(id_, _outputs(declared, task, figures), declared)

    @user_facing
    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Only ``wait`` / ``timeout_seconds`` can differ here (every other change replaces),
        or the recorded run had not finished (see ``diff``). With ``wait``, an unfinished
        recorded run is followed to its end (no new run); otherwise no API call, and the
        run's outputs stay."""
        declared = canonical_inputs(strip_internal(_news), MODEL)
        olds = strip_internal(_olds)
        outputs = {**{name: olds.get(name) for name in RUN_OUTPUTS}, **_inputs(declared)}
        if not (_unfinished(olds) and _setting(declared, "wait")):
            return UpdateResult(outputs)
        client = self._client(declared)
        task = client.get_task(str(olds.get("task_id") or id_))
        _claim(task.task_id)
        return UpdateResult(_finish(client, declared, task, previous=olds))

    @user_facing
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """A run cannot be undone: the resource only leaves the state."""


def run_body(declared: dict[str, Any]) -> ExecuteClusterRequest | None:
    """The execute body of the declared run options (canonical inputs), with those keys set
    only; None when none is declared (the request then has no body)."""
    options = {name: declared[name] for name in RUN_OPTIONS if declared.get(name) is not None}
    return ExecuteClusterRequest.model_validate(options) if options else None


#: Run options the API reads only in one mode (ExecuteClusterByIdRequest's descriptions).
_ONLY_IN_MODE = {"source_execution_ids": "composite", "assignment_threshold": "assign"}


def _run_option_failures(raw: dict[str, Any], level: ApiLevel) -> list[CheckFailure]:
    """The run options ``level`` refuses: every declared one where its execute takes no body;
    else one the declared ``mode`` does not read (source_execution_ids outside composite: a
    cluster made with source_cluster_ids runs composite when no mode is named;
    assignment_threshold outside assign)."""
    declared = [name for name in RUN_OPTIONS if raw.get(name) is not None]
    if not level.execute_body:
        return [
            CheckFailure(
                name,
                f"{name} is a run option of API level {TODAY_API_VERSION}; API level "
                f"{level.version} ({CONFIG_API_VERSION}) starts a run with no options (its "
                f"POST /v1/clusters/{{id}}/execute takes no body): remove {name}, or set "
                f"{CONFIG_API_VERSION} to {TODAY_API_VERSION} for a deployment that speaks it",
            )
            for name in declared
        ]
    mode = raw.get("mode")
    if is_unknown(mode):
        return []
    failures = []
    for name, needed in _ONLY_IN_MODE.items():
        if name not in declared or mode == needed:
            continue
        if name == "source_execution_ids" and mode is None:
            continue
        failures.append(
            CheckFailure(
                name,
                f"only used with mode {needed!r} (mode is {mode or 'full'!r}): set mode to "
                f"{needed!r} or remove {name}",
            )
        )
    return failures


def _setting(declared: dict[str, Any], name: str) -> Any:
    """A declared value, or the model's default (canonical inputs leave defaults out)."""
    value = declared.get(name)
    return MODEL.model_fields[name].default if value is None else value


#: Runs this provider process has started, followed, or seen replaced (``diff``): each
#: belongs to one resource's trigger value, so no other create takes it as its own. The
#: engine runs a deployment's diffs and creates in one provider process, diff first.
_CLAIMED: set[str] = set()
_CLAIMED_LOCK = threading.Lock()


def _claim(*task_ids: Any) -> None:
    with _CLAIMED_LOCK:
        _CLAIMED.update(str(t) for t in task_ids if t)


def _claimed(task_id: str) -> bool:
    with _CLAIMED_LOCK:
        return task_id in _CLAIMED


def _unfinished(state: dict[str, Any]) -> bool:
    """The recorded run had not finished when it was recorded."""
    status = state.get("status")
    return isinstance(status, str) and status in {s.value for s in RUNNING_TASK_STATUSES}


def _finish(
    client: MixpeekClient,
    declared: dict[str, Any],
    task: TaskResponse,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The outputs for ``task``: with ``wait``, once it ended (a run still going after
    ``timeout_seconds`` is recorded as it is, with a warning: the next ``up`` follows it, and
    never starts a second run for the same trigger value). A run that failed fails the
    operation."""
    cluster_id = str(declared["cluster_id"])
    if _setting(declared, "wait"):
        timeout = float(_setting(declared, "timeout_seconds"))
        try:
            task = wait_for_task(client, task, cluster_id=cluster_id, timeout_s=timeout)
        except ExecutionTimeoutError:
            task = client.get_task(task.task_id)
            if task.status in RUNNING_TASK_STATUSES:
                warn(
                    f"{describe_run(task.task_id, cluster_id)} did not finish within "
                    f"{timeout:g} s (status {task.status.value}); it goes on on the server. "
                    "It is recorded in the state: `pulumi refresh` shows how it ended, and "
                    "the next `pulumi up` waits for it again. It is not started twice. "
                    "Raise timeout_seconds for longer runs."
                )
    _raise_if_stopped(task, cluster_id, followed=previous is not None)
    outputs = _outputs(declared, task, _figures(client, cluster_id, task, previous or {}))
    _warn_if_partial(task, cluster_id, outputs)
    return outputs


def _running_run(client: MixpeekClient, cluster: ClusterMetadata) -> TaskResponse | None:
    """The cluster's last run when it is still going and no resource claims it (1 GET,
    only when the cluster's status does not already say it ended): the run an interrupted
    ``up`` started for this create. A run another resource started or owns is never it."""
    task_id = cluster.last_execution_task_id
    if not task_id or _claimed(task_id):
        return None
    if cluster.status is not None and cluster.status not in RUNNING_TASK_STATUSES:
        return None
    task = client.find_task(task_id)
    return task if task is not None and task.status in RUNNING_TASK_STATUSES else None


def _figures(
    client: MixpeekClient, cluster_id: str, task: TaskResponse, previous: dict[str, Any]
) -> dict[str, Any]:
    """num_clusters, num_documents_clustered and completed_at of this run: read from the
    cluster while its last run is this one, else the ones recorded before (None when none)."""
    names = ("num_clusters", "num_documents_clustered", "completed_at")
    kept = {name: previous.get(name) for name in names}
    if task.status in RUNNING_TASK_STATUSES:
        return kept
    cluster = client.find_cluster(cluster_id)
    if cluster is None or cluster.last_execution_task_id != task.task_id:
        return kept
    completed = cluster.model_dump(mode="json")["completed_at"]
    return {
        "num_clusters": cluster.num_clusters,
        "num_documents_clustered": cluster.num_documents_clustered,
        "completed_at": kept["completed_at"] if task.status in FAILED_TASK_STATUSES else completed,
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


def _raise_if_stopped(task: TaskResponse, cluster_id: str, *, followed: bool = False) -> None:
    if task.status not in FAILED_TASK_STATUSES:
        return
    error = _error_message(task) or "the API gave no error message"
    # A failed create leaves no state, so the next up starts a new run; a followed run is
    # recorded, so a new run needs a new trigger value.
    then = (
        "change `triggers` (or run `pulumi up --replace <urn>`) to start a new run"
        if followed
        else "run `pulumi up` again to start a new run"
    )
    raise ExecutionError(
        f"The {describe_run(task.task_id, cluster_id)} ended {task.status.value}: {error}. "
        f"Fix the cause, then {then}.",
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
