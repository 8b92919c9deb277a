"""Cluster triggers (``/v1/clusters/triggers``, SDK ``ClusterTriggersApi``) and the clock
that fires them.

The server keeps its own trigger clock: the wall clock plus an offset kept in the store (so
it and the triggers survive a restart together). It only moves forward, with the wall clock
and with ``POST /_emulator/clock/advance {"seconds": N}``, which fires, in time order,
every fire due up to the new time (``advance``). Nothing fires on its own while the wall
clock runs: fires happen on an advance, or for an event
trigger on the events control (``feed``). So a test sees exactly the fires it asked for.

schedule_config per trigger type, as the SDK's CreateTriggerRequest documents it ("Requires
..."): every key it names is required, a key it does not name is refused (422), so a
misspelt key is never silently ignored:

- ``cron``: ``cron_expression`` (5 fields, cron.py) and ``timezone`` (an IANA name, e.g.
  ``UTC``, ``Europe/Berlin``). Fires at every matching minute of that zone's wall clock.
- ``interval``: ``interval_seconds`` (an integer >= 1) and ``start_immediately`` (a
  boolean). Fires every ``interval_seconds`` after creation (or after a resume / a new
  schedule_config); with ``start_immediately`` first at that moment itself, i.e. on the next
  advance, even by 0 seconds. Fires are caught up: advancing by 10 intervals fires 10 times.
- ``event``: ``event_type`` (a string, e.g. ``documents_added``), ``event_threshold`` (an
  integer >= 1), ``collection_id`` (a string) and ``cooldown_seconds`` (an integer >= 0).
  The server sees no documents, so events are fed with ``POST
  /_emulator/triggers/{trigger_id}/events {"count": n}``: ``event_counter`` grows by n; when
  it reaches the threshold the trigger fires at once and the counter starts again at 0,
  unless the cooldown since the last fire (``last_cooldown_at``) has not passed: then it
  fires when an advance reaches the end of the cooldown. Events fed to a trigger that is not
  active are counted but fire nothing until it is active again.
- ``conditional``: ``condition_type`` (a string, e.g. ``drift``), ``threshold`` (a number),
  ``metric`` (a string, e.g. ``cosine_drift``) and ``check_interval_seconds`` (an integer
  >= 1). The server computes no metric, so its value is fed with ``POST
  /_emulator/triggers/{trigger_id}/events {"value": x}``; the condition is checked every
  ``check_interval_seconds`` on the clock and fires when the last value fed is >= the
  threshold (the value is then cleared: a new run is measured afresh).

A fire starts a clustering run of the trigger's cluster exactly as ``POST
/v1/clusters/{id}/execute`` without a body does (a task; the cluster's
``last_execution_task_id``), and records it: ``execution_count`` + 1, ``last_triggered_at``
(the fire's time on the trigger clock), ``next_scheduled_at``, ``last_execution_job_id``
(the run's task id: ``GET /v1/tasks/{id}`` reads it), ``last_execution_status`` (the run's
task status) and a history entry. A trigger that carries only ``execution_config`` (no
cluster) starts a task of its own (its ``inputs`` name the trigger; there is no cluster to
update). A fire that cannot start a run (its cluster deleted, a run the cluster refuses)
is recorded as a FAILED execution with the reason.

Runs end as runs do (tasks.py; the task fault controls ``task_failure_rate`` etc. of
faults.py apply, and ``task_duration: 0`` makes a run end at once). A trigger reads its
runs' outcomes whenever it is read or the clock moves: ``last_execution_status`` /
``last_execution_error`` are the latest run's, ``consecutive_failures`` counts the FAILED or
CANCELED runs since the last successful one, and after ``MAX_CONSECUTIVE_FAILURES`` of them
the trigger's status becomes ``failed`` and it fires no more until resumed (the SDK names
the status, not when it is reached: this threshold is the server's choice).

Paused, disabled and failed triggers never fire; resuming one (``/resume``, or PATCH
``status: active``) schedules it afresh from the clock's present: fires missed meanwhile are
not caught up.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable
from typing import Any

from fastapi.exceptions import RequestValidationError

from . import cron, service, tasks
from .auth import ApiKey, Caller
from .clusters import iso_at, new_id
from .errors import ApiError
from .levels import SEED
from .state import Services
from .store import Record

__all__ = [
    "MAX_CONSECUTIVE_FAILURES",
    "MAX_FIRES_PER_ADVANCE",
    "advance",
    "clock",
    "create",
    "feed",
    "get",
    "present",
    "set_status",
    "update",
]

#: Consecutive failed runs after which a trigger's status becomes ``failed``.
MAX_CONSECUTIVE_FAILURES = 3
#: An advance fires at most this many times (the answer then says ``truncated``, and the
#: fires left over are due at once: the next advance, even by 0 seconds, fires them):
#: advancing a minutely cron by a year would otherwise start half a million runs.
MAX_FIRES_PER_ADVANCE = 1000
_FAILED_RUNS = ("FAILED", "CANCELED")
_SUCCEEDED_RUNS = ("COMPLETED", "COMPLETED_WITH_ERRORS")

#: schedule_config keys per trigger type and how each is checked.
_Check = Callable[[Any], str | None]


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _int_at_least(low: int) -> _Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            return "must be an integer"
        return None if value >= low else f"must be >= {low}"
    return check


def _number(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return None if ok else "must be a number"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be a boolean"


def _timezone(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be an IANA time zone name, e.g. 'UTC'"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (an IANA name, e.g. 'UTC', 'Europe/Berlin')"
    return None


def _cron(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a 5-field cron expression string, e.g. '0 2 * * *'"
    try:
        expression = cron.parse(value)
    except cron.CronError as exc:
        return str(exc)
    if expression.next_after(time.time(), "UTC") is None:
        return f"{value!r} matches no time in the next five years"
    return None


SCHEDULE_KEYS: dict[str, dict[str, _Check]] = {
    "cron": {"cron_expression": _cron, "timezone": _timezone},
    "interval": {"interval_seconds": _int_at_least(1), "start_immediately": _boolean},
    "event": {"event_type": _string, "event_threshold": _int_at_least(1),
              "collection_id": _string, "cooldown_seconds": _int_at_least(0)},
    "conditional": {"condition_type": _string, "threshold": _number, "metric": _string,
                    "check_interval_seconds": _int_at_least(1)},
}


def _invalid(errors: list[dict[str, Any]]) -> RequestValidationError:
    """A 422 in the level's shape (errors.py): FastAPI's at 1.3.1, ErrorResponse after."""
    return RequestValidationError(errors)


def validate_schedule(trigger_type: str, schedule: dict[str, Any]) -> dict[str, Any]:
    """The schedule_config, checked for its trigger type (422 naming every problem)."""
    accepted = SCHEDULE_KEYS[trigger_type]
    errors: list[dict[str, Any]] = []
    for key in accepted:
        if key not in schedule:
            errors.append({"loc": ("body", "schedule_config", key), "type": "missing",
                           "msg": f"Field required for a {trigger_type} trigger "
                                  f"(schedule_config takes: {', '.join(accepted)})"})
    for key, value in schedule.items():
        if key not in accepted:
            errors.append({"loc": ("body", "schedule_config", key), "type": "extra_forbidden",
                           "msg": f"Not a schedule_config key of a {trigger_type} trigger "
                                  f"(it takes: {', '.join(accepted)})"})
            continue
        problem = accepted[key](value)
        if problem:
            errors.append({"loc": ("body", "schedule_config", key), "type": "value_error",
                           "msg": problem})
    if errors:
        raise _invalid(errors)
    return dict(schedule)


def _validate_execution_config(config: dict[str, Any]) -> None:
    """TriggerExecutionConfig.config "must include 'algorithm' ('kmeans', 'hdbscan',
    'hierarchical')"; the per-algorithm requirements the SDK names are not checked."""
    algorithm = config.get("config", {}).get("algorithm")
    if algorithm not in ("kmeans", "hdbscan", "hierarchical"):
        raise _invalid([{"loc": ("body", "execution_config", "config", "algorithm"),
                         "type": "value_error",
                         "msg": "config must include 'algorithm': 'kmeans', 'hdbscan' or "
                                "'hierarchical'"}])


# -- the clock -----------------------------------------------------------------------
def clock(svc: Services) -> float:
    """The trigger clock's present (epoch seconds)."""
    return time.time() + svc.store.clock_offset()


def _first_due(trigger: Record, start: float) -> float | None:
    """When a (re)scheduled trigger is first due, counting from ``start``."""
    schedule = trigger["schedule_config"]
    kind = trigger["trigger_type"]
    if kind == "cron":
        return cron.parse(schedule["cron_expression"]).next_after(start, schedule["timezone"])
    if kind == "interval":
        if schedule["start_immediately"]:
            return start
        return start + float(schedule["interval_seconds"])
    if kind == "conditional":
        return start + float(schedule["check_interval_seconds"])
    return None


def _next_due(trigger: Record, fired_at: float) -> float | None:
    """When a trigger is due again after it was due at ``fired_at``."""
    schedule = trigger["schedule_config"]
    kind = trigger["trigger_type"]
    if kind == "cron":
        return cron.parse(schedule["cron_expression"]).next_after(fired_at,
                                                                  schedule["timezone"])
    if kind == "interval":
        return fired_at + float(schedule["interval_seconds"])
    if kind == "conditional":
        return fired_at + float(schedule["check_interval_seconds"])
    return None


def _event_due(trigger: Record, now: float) -> float | None:
    """When an event trigger with enough events fires: now, or at the cooldown's end."""
    schedule = trigger["schedule_config"]
    if trigger.get("event_counter", 0) < schedule["event_threshold"]:
        return None
    cooled = trigger.get("cooldown_at")
    return now if cooled is None else max(now, cooled + schedule["cooldown_seconds"])


def _due(trigger: Record, now: float) -> float | None:
    if trigger["status"] != "active":
        return None
    if trigger["trigger_type"] == "event":
        return _event_due(trigger, now)
    due: float | None = trigger.get("next_at")
    return due


# -- records -------------------------------------------------------------------------
def _scheduled(trigger: Record, now: float) -> Record:
    """The trigger scheduled afresh from ``now`` (creation, resume, a new schedule)."""
    active = trigger["status"] == "active"
    return {**trigger, "next_at": _first_due(trigger, now) if active else None}


def create(svc: Services, caller: Caller, body: Record) -> Record:
    trigger_type = body["trigger_type"]
    schedule = validate_schedule(trigger_type, body["schedule_config"])
    if body.get("cluster_id") and body.get("execution_config"):
        # The SDK: execution_config "is inherited from the cluster" when cluster_id is given;
        # both given would silently drop the config sent, so it is refused.
        raise _invalid([{"loc": ("body", "execution_config"), "type": "value_error",
                         "msg": "Give either cluster_id (the trigger runs that cluster) or "
                                "execution_config, not both"}])
    if not body.get("cluster_id") and not body.get("execution_config"):
        raise _invalid([{"loc": ("body", "cluster_id"), "type": "missing",
                         "msg": "Either cluster_id or execution_config must be provided"}])
    if body.get("execution_config"):
        _validate_execution_config(body["execution_config"])
    if body.get("status") == "failed":
        raise ApiError(400, "A trigger cannot be created 'failed': the server sets that status "
                            "after failed runs. Create it 'active' or 'paused'.",
                       details={"status": "failed"}, code="invalid_trigger_status")
    with svc.store.transaction():
        if body.get("cluster_id"):
            service.get_cluster(svc, caller, body["cluster_id"])  # 404 when unknown
        now = clock(svc)
        trigger: Record = {
            "trigger_id": new_id("trig"),
            "cluster_id": body.get("cluster_id"),
            "namespace_id": caller.namespace_id,
            "namespace": caller.namespace,
            "execution_config": body.get("execution_config"),
            "trigger_type": trigger_type,
            "schedule_config": schedule,
            "status": body.get("status") or "active",
            "execution_count": 0,
            "consecutive_failures": 0,
            "event_counter": 0,
            "metric_value": None,
            "cooldown_at": None,
            "last_fire_at": None,
            "created": now,
            "updated": now,
            "description": body.get("description"),
            "history": [],
        }
        trigger = _scheduled(trigger, now)
        svc.store.insert_trigger(trigger)
    return trigger


def not_found(trigger_id: str, caller: Caller) -> ApiError:
    return ApiError(404, f"Trigger {trigger_id!r} not found in namespace {caller.namespace!r}.",
                    details={"trigger_id": trigger_id}, code="trigger_not_found")


def get(svc: Services, caller: Caller, trigger_id: str) -> Record:
    """A trigger of the caller's namespace, its runs' outcomes read (404 when unknown)."""
    with svc.store.transaction():
        trigger = svc.store.trigger(caller.namespace_id, trigger_id)
        if trigger is None:
            raise not_found(trigger_id, caller)
        synced = _sync(svc, trigger)
        if synced != trigger:
            svc.store.update_trigger(synced)
    return synced


def update(svc: Services, caller: Caller, trigger_id: str, body: Record) -> Record:
    with svc.store.transaction():
        trigger = get(svc, caller, trigger_id)
        now = clock(svc)
        updated = {**trigger, "updated": now}
        if "description" in body:
            updated["description"] = body["description"]
        reschedule = False
        if body.get("schedule_config") is not None:
            updated["schedule_config"] = validate_schedule(trigger["trigger_type"],
                                                           body["schedule_config"])
            reschedule = True
        if body.get("status") is not None and body["status"] != trigger["status"]:
            if body["status"] == "failed":
                raise ApiError(400, "The status 'failed' is set by the server after failed "
                                    "runs; set 'active', 'paused' or 'disabled'.",
                               details={"status": "failed"}, code="invalid_trigger_status")
            updated["status"] = body["status"]
            reschedule = True
        if reschedule:
            updated = _scheduled(updated, now)
        svc.store.update_trigger(updated)
    return updated


def set_status(svc: Services, caller: Caller, trigger_id: str, status: str) -> Record:
    """Pause (``paused``) or resume (``active``); idempotent."""
    with svc.store.transaction():
        trigger = get(svc, caller, trigger_id)
        if trigger["status"] == status:
            return trigger
        now = clock(svc)
        updated = _scheduled({**trigger, "status": status, "updated": now}, now)
        svc.store.update_trigger(updated)
    return updated


def delete(svc: Services, caller: Caller, trigger_id: str) -> None:
    """Delete a trigger (its runs, tasks of their cluster, stay)."""
    if not svc.store.delete_trigger(caller.namespace_id, trigger_id):
        raise not_found(trigger_id, caller)


# -- fires -----------------------------------------------------------------------------
def _sync(svc: Services, trigger: Record, now: float | None = None) -> Record:
    """The trigger with its runs' current outcomes (history entries, counters, status)."""
    wall = time.time() if now is None else now
    history = []
    changed = False
    for entry in trigger["history"]:
        if entry["status"] not in tasks.TERMINAL and entry.get("task_id"):
            task = svc.store.task(entry["task_id"])
            if task is None:
                # Its cluster was deleted mid-run (and its tasks with it): the run never ends.
                entry = {**entry, "status": "CANCELED",
                         "error": "The run's cluster was deleted before the run ended."}
                changed = True
            else:
                status = tasks.status_at(task, wall)
                if status != entry["status"]:
                    entry = {**entry, "status": status}
                    if wall >= task["started"] + task["duration"]:
                        entry["execution_time_ms"] = round(task["duration"] * 1000)
                        if status not in _SUCCEEDED_RUNS or status == "COMPLETED_WITH_ERRORS":
                            entry["error"] = task.get("error")
                        if status in _SUCCEEDED_RUNS:
                            tasks.settle(svc.store, wall)  # the run's results on its cluster
                            cluster = svc.store.cluster_by_id(trigger["namespace_id"],
                                                              task["cluster_id"])
                            if cluster is not None:
                                entry["num_clusters"] = cluster.get("num_clusters")
                                entry["num_documents"] = cluster.get("num_documents_clustered")
                    changed = True
        history.append(entry)
    if not changed:
        return trigger
    updated = {**trigger, "history": history}
    return _counted(updated)


def _counted(trigger: Record) -> Record:
    """last_execution_*, consecutive_failures and a ``failed`` status from the history."""
    history = trigger["history"]
    if not history:
        return trigger
    last = history[-1]
    failures = 0
    for entry in reversed(history):
        if entry["status"] in _FAILED_RUNS:
            failures += 1
        elif entry["status"] in _SUCCEEDED_RUNS:
            break
    updated = {**trigger, "last_execution_status": last["status"],
               "last_execution_error": last.get("error"), "consecutive_failures": failures}
    if failures >= MAX_CONSECUTIVE_FAILURES and trigger["status"] == "active":
        updated["status"] = "failed"
        updated["next_at"] = None
    return updated


def _caller(trigger: Record) -> Caller:
    return Caller(key=ApiKey("trigger", None), namespace=trigger["namespace"],
                  namespace_id=trigger["namespace_id"])


def _start_run(svc: Services, trigger: Record) -> tuple[Record | None, str | None]:
    """Start the trigger's run: its task, or None and why it could not start."""
    queued = svc.api_version != SEED
    if trigger.get("cluster_id"):
        try:
            task = service.execute_cluster(svc, _caller(trigger), trigger["cluster_id"],
                                           queued=queued, options=None if not queued else {})
        except ApiError as exc:
            return None, exc.message
        return task, None
    # Only an execution_config: a task of the trigger's own (no cluster to update).
    pseudo = {"cluster_id": trigger["trigger_id"], "namespace_id": trigger["namespace_id"]}
    task = tasks.new_task(pseudo, svc.task_duration, svc.faults.task_outcome(), queued=queued)
    svc.store.insert_task(task)
    return task, None


def _fire(svc: Services, trigger: Record, at: float) -> Record:
    """The trigger after firing at ``at`` (trigger clock): a run started and recorded."""
    task, problem = _start_run(svc, trigger)
    entry: Record = {
        "job_id": task["task_id"] if task else new_id("job"),
        "task_id": task["task_id"] if task else None,
        "triggered_at": at,
        "status": task["status"] if task else "FAILED",
        "execution_time_ms": None if task else 0,
        "error": problem,
        "num_clusters": None,
        "num_documents": None,
    }
    fired = {
        **trigger,
        "execution_count": trigger.get("execution_count", 0) + 1,
        "last_fire_at": at,
        "last_execution_job_id": entry["job_id"],
        "history": [*trigger["history"], entry],
    }
    kind = trigger["trigger_type"]
    if kind == "event":
        fired["event_counter"] = 0
        fired["cooldown_at"] = at
    else:
        fired["next_at"] = _next_due(trigger, at)
    if kind == "conditional":
        fired["metric_value"] = None
    return _sync(svc, _counted(fired))


def _check(svc: Services, trigger: Record, at: float) -> tuple[Record, bool]:
    """A due trigger at ``at``: fired (True), or for a conditional one whose condition does
    not hold, only its next check scheduled (False)."""
    if trigger["trigger_type"] == "conditional":
        value = trigger.get("metric_value")
        if value is None or value < trigger["schedule_config"]["threshold"]:
            return {**trigger, "next_at": _next_due(trigger, at)}, False
    return _fire(svc, trigger, at), True


def _fire_record(trigger: Record, at: float) -> dict[str, Any]:
    return {"trigger_id": trigger["trigger_id"], "namespace_id": trigger["namespace_id"],
            "cluster_id": trigger.get("cluster_id"), "triggered_at": iso_at(at),
            "task_id": trigger["history"][-1]["task_id"],
            "status": trigger["history"][-1]["status"]}


def advance(svc: Services, seconds: float) -> dict[str, Any]:
    """Move the trigger clock forward and fire, in time order, every fire due up to the new
    time (in every namespace). The answer: ``{"now", "advanced_seconds", "fired": [...],
    "truncated"}``."""
    fired: list[dict[str, Any]] = []
    truncated = False
    with svc.store.transaction():
        tasks.settle(svc.store)
        start = clock(svc)
        target = start + seconds
        current: dict[str, Record] = {}
        queue: list[tuple[float, int, str]] = []
        for order, trigger in enumerate(svc.store.triggers()):
            trigger = _sync(svc, trigger)
            current[trigger["trigger_id"]] = trigger
            due = _due(trigger, start)
            if due is not None and due <= target:
                heapq.heappush(queue, (due, order, trigger["trigger_id"]))
        while queue:
            at, order, trigger_id = heapq.heappop(queue)
            if len(fired) >= MAX_FIRES_PER_ADVANCE:
                truncated = True
                break
            trigger, did_fire = _check(svc, current[trigger_id], at)
            current[trigger_id] = trigger
            if did_fire:
                fired.append(_fire_record(trigger, at))
            due = _due(trigger, at)
            if due is not None and due <= target:
                heapq.heappush(queue, (max(due, at), order, trigger_id))
        for trigger in current.values():
            svc.store.update_trigger(trigger)
        svc.store.set_clock_offset(target - time.time())
    return {"now": iso_at(clock(svc)), "advanced_seconds": seconds, "fired": fired,
            "truncated": truncated}


def feed(svc: Services, namespace_id: str | None, trigger_id: str, *,
         count: int | None, value: float | None) -> dict[str, Any]:
    """Feed an event trigger ``count`` events, or set a conditional trigger's metric
    ``value``; an event trigger due now fires at once."""
    with svc.store.transaction():
        tasks.settle(svc.store)
        found = [t for t in svc.store.triggers(namespace_id) if t["trigger_id"] == trigger_id]
        if not found:
            raise ApiError(404, f"Trigger {trigger_id!r} not found.",
                           details={"trigger_id": trigger_id}, code="trigger_not_found")
        trigger = _sync(svc, found[0])
        kind = trigger["trigger_type"]
        if kind == "event" and count is not None and value is None:
            trigger = {**trigger, "event_counter": trigger.get("event_counter", 0) + count}
        elif kind == "conditional" and value is not None and count is None:
            trigger = {**trigger, "metric_value": value}
        else:
            raise ApiError(400, f"Trigger {trigger_id} is a {kind} trigger: feed an event "
                                "trigger {\"count\": n} events, or set a conditional trigger's "
                                "metric with {\"value\": x}.",
                           details={"trigger_type": kind}, code="wrong_trigger_type")
        fired: list[dict[str, Any]] = []
        now = clock(svc)
        if kind == "event" and _due(trigger, now) == now:
            trigger = _fire(svc, trigger, now)
            fired.append(_fire_record(trigger, now))
        svc.store.update_trigger(trigger)
    return {"trigger_id": trigger_id, "event_counter": trigger.get("event_counter", 0),
            "metric_value": trigger.get("metric_value"), "fired": fired}


# -- presentation ----------------------------------------------------------------------
def _iso(epoch: float | None) -> str | None:
    return None if epoch is None else iso_at(epoch)


def _execution_config(svc: Services, trigger: Record) -> dict[str, Any]:
    """The trigger's execution config: its own, or its cluster's (collections and
    algorithm), read now. A deleted cluster's trigger keeps the cluster id and reads an
    empty ``config``."""
    if trigger.get("execution_config"):
        config: dict[str, Any] = trigger["execution_config"]
        return config
    cluster = svc.store.cluster_by_id(trigger["namespace_id"], trigger["cluster_id"])
    if cluster is None:
        return {"collection_ids": ["(deleted cluster)"], "config": {}}
    request = cluster["request"]
    vector = request.get("vector_config") or {}
    algorithm = vector.get("clustering_method") or cluster["cluster_type"]
    params = vector.get("algorithm_params") or vector.get(f"{algorithm}_parameters") or {}
    return {"collection_ids": list(request.get("collection_ids") or []) or ["(none)"],
            "config": {"algorithm": algorithm, **params}}


def present(svc: Services, trigger: Record) -> dict[str, Any]:
    """TriggerModel JSON."""
    return {
        "trigger_id": trigger["trigger_id"],
        "cluster_id": trigger.get("cluster_id"),
        "namespace_id": trigger["namespace_id"],
        # "Organization internal ID": the server has no organizations; one per namespace.
        "internal_id": "org_" + trigger["namespace_id"].removeprefix("ns_"),
        "execution_config": _execution_config(svc, trigger),
        "trigger_type": trigger["trigger_type"],
        "schedule_config": trigger["schedule_config"],
        "status": trigger["status"],
        "last_triggered_at": _iso(trigger.get("last_fire_at")),
        "last_execution_job_id": trigger.get("last_execution_job_id"),
        "next_scheduled_at": _iso(_due(trigger, clock(svc))
                                  if trigger["trigger_type"] == "event"
                                  else trigger.get("next_at")),
        "execution_count": trigger.get("execution_count", 0),
        "consecutive_failures": trigger.get("consecutive_failures", 0),
        "last_execution_status": trigger.get("last_execution_status"),
        "last_execution_error": trigger.get("last_execution_error"),
        "event_counter": trigger.get("event_counter", 0),
        "last_cooldown_at": _iso(trigger.get("cooldown_at")),
        "created_at": _iso(trigger["created"]),
        "updated_at": _iso(trigger["updated"]),
        "created_by": None,
        "description": trigger.get("description"),
    }


def history(trigger: Record, request: Record) -> dict[str, Any]:
    """TriggerHistoryResponse JSON: newest execution first (the SDK does not say the order;
    the latest runs are what a history page is read for), ``status_filter`` matching the
    execution status exactly."""
    entries = list(reversed(trigger["history"]))
    wanted = request.get("status_filter")
    if wanted:
        entries = [e for e in entries if e["status"] == wanted]
    offset, limit = request.get("offset", 0), request.get("limit", 50)
    page = entries[offset:offset + limit]
    return {
        "trigger_id": trigger["trigger_id"],
        "executions": [
            {"job_id": e["job_id"], "triggered_at": iso_at(e["triggered_at"]),
             "status": e["status"], "execution_time_ms": e.get("execution_time_ms"),
             "error": e.get("error"), "num_clusters": e.get("num_clusters"),
             "num_documents": e.get("num_documents")}
            for e in page
        ],
        "total": len(entries),
        "offset": offset,
        "limit": limit,
    }
