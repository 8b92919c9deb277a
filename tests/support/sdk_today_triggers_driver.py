"""The official ``mixpeek==1.3.783`` SDK's ClusterTriggersApi as the client of a server at
API level 1.3.783 (run by the SDK's own python, like ``sdk_today_driver.py``, whose Run and
records it reuses):

    .venv-sdk-1.3.783/bin/python tests/support/sdk_today_triggers_driver.py \
        URL KEY NAMESPACE [SCENARIO...]

Each scenario works in a namespace of its own (``NAMESPACE-<scenario>``), moves the server's
trigger clock with ``POST /_emulator/clock/advance`` (plain urllib: a test control, not part
of the API) and records what the SDK made of every answer. The pytest side
(``tests/emulator/test_sdk_today_triggers.py``) judges the JSON printed on stdout, in
``sdk_today_driver.py``'s shape.
"""

from __future__ import annotations

import json
import sys
import traceback
import urllib.request
from collections.abc import Callable
from typing import Any

import mixpeek
from sdk_today_driver import ERRORS, Run, Stop, vector_body

TRIGGER = "SharedClustersTriggersModelsTriggerModel"


class TriggersRun(Run):
    def __init__(self, base_url: str, key: str | None, namespace: str) -> None:
        super().__init__(base_url, key, namespace)
        self.triggers = mixpeek.ClusterTriggersApi(self.client)

    def control(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "X-Namespace": self.namespace},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def advance(self, step: str, seconds: float) -> list[dict[str, Any]]:
        """Advance the clock; this namespace's fires (recorded)."""
        result = self.control("/_emulator/clock/advance", {"seconds": seconds})
        fired = [f for f in result["fired"] if f["cluster_id"] is not None
                 and f["namespace_id"] == self.steps["create_trigger"]["data"]["namespace_id"]]
        self.note(step, fired)
        return fired

    def create_trigger(self, step: str, body: dict[str, Any]) -> Any:
        request = mixpeek.SharedClustersTriggersModelsCreateTriggerRequest.from_dict(body)
        created = self.ok(step, lambda: self.triggers.create_trigger_clusters(request))
        if not created.trigger_id:
            raise Stop(f"{step}: no trigger_id")
        return created


def scenario_lifecycle(run: TriggersRun) -> None:
    cluster = run.create("create_cluster", vector_body(cluster_name="nightly"))
    created = run.create_trigger("create_trigger", {
        "trigger_type": "cron", "cluster_id": cluster.cluster_id, "description": "nightly",
        "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    })
    trigger_id = created.trigger_id
    run.ok("get", lambda: run.triggers.get_trigger_clusters(trigger_id))
    run.ok("update", lambda: run.triggers.update_trigger_clusters(
        trigger_id, mixpeek.SharedClustersTriggersModelsUpdateTriggerRequest(
            description="at three",
            schedule_config={"cron_expression": "0 3 * * *", "timezone": "UTC"})))
    run.ok("pause", lambda: run.triggers.pause_trigger_clusters(trigger_id))
    run.advance("advance_paused", 2 * 24 * 3600)
    run.ok("get_paused", lambda: run.triggers.get_trigger_clusters(trigger_id))
    run.ok("resume", lambda: run.triggers.resume_trigger_clusters(trigger_id))
    run.advance("advance_resumed", 2 * 24 * 3600)
    run.ok("get_fired", lambda: run.triggers.get_trigger_clusters(trigger_id))
    run.ok("cluster_after", lambda: run.clusters.get_cluster(cluster.cluster_id))
    run.ok("history", lambda: run.triggers.get_trigger_history_clusters(
        trigger_id, mixpeek.TriggerHistoryRequest(limit=10)))
    second = run.create_trigger("create_interval", {
        "trigger_type": "interval", "cluster_id": cluster.cluster_id, "status": "paused",
        "schedule_config": {"interval_seconds": 600, "start_immediately": False},
    })
    run.ok("list", lambda: run.triggers.list_triggers_clusters(
        mixpeek.SharedClustersTriggersModelsListTriggersRequest()))
    run.ok("list_paused", lambda: run.triggers.list_triggers_clusters(
        mixpeek.SharedClustersTriggersModelsListTriggersRequest(status="paused")))
    run.ok("delete", lambda: run.triggers.delete_trigger_clusters(trigger_id))
    run.ok("delete_second", lambda: run.triggers.delete_trigger_clusters(second.trigger_id))
    run.fails("get_deleted", lambda: run.triggers.get_trigger_clusters(trigger_id))


def scenario_failures(run: TriggersRun) -> None:
    """Runs that fail at once (the task fault controls): consecutive_failures grows and
    the trigger becomes failed. The faults are cleared at the end."""
    cluster = run.create("create_cluster", vector_body(cluster_name="failing"))
    created = run.create_trigger("create_trigger", {
        "trigger_type": "interval", "cluster_id": cluster.cluster_id,
        "schedule_config": {"interval_seconds": 60, "start_immediately": False},
    })
    run.control("/_emulator/faults", {"task_duration": 0, "task_failure_rate": 1.0,
                                      "task_failure_message": "out of memory"})
    try:
        run.advance("advance_one", 60)
        run.ok("get_one", lambda: run.triggers.get_trigger_clusters(created.trigger_id))
        run.advance("advance_more", 600)
        run.ok("get_failed", lambda: run.triggers.get_trigger_clusters(created.trigger_id))
        run.ok("history_failed", lambda: run.triggers.get_trigger_history_clusters(
            created.trigger_id, mixpeek.TriggerHistoryRequest(status_filter="FAILED")))
    finally:
        run.control("/_emulator/faults", {})


def scenario_errors(run: TriggersRun) -> None:
    cluster = run.create("create_cluster", vector_body(cluster_name="target"))
    created = run.create_trigger("create_trigger", {
        "trigger_type": "interval", "cluster_id": cluster.cluster_id,
        "schedule_config": {"interval_seconds": 60, "start_immediately": False},
    })
    types = {"200": TRIGGER, **ERRORS}
    run.fails("bad_cron", lambda: run.send_raw("POST", "/v1/clusters/triggers", {
        "trigger_type": "cron", "cluster_id": cluster.cluster_id,
        "schedule_config": {"cron_expression": "0 2 * *", "timezone": "UTC"}}, types))
    run.fails("unknown_type", lambda: run.send_raw("POST", "/v1/clusters/triggers", {
        "trigger_type": "weekly", "cluster_id": cluster.cluster_id,
        "schedule_config": {}}, types))
    run.fails("missing_key", lambda: run.send_raw("POST", "/v1/clusters/triggers", {
        "trigger_type": "interval", "cluster_id": cluster.cluster_id,
        "schedule_config": {"interval_seconds": 60}}, types))
    run.fails("undeclared", lambda: run.send_raw("POST", "/v1/clusters/triggers", {
        "trigger_type": "interval", "cluster_id": cluster.cluster_id, "descripton": "typo",
        "schedule_config": {"interval_seconds": 60, "start_immediately": False}}, types))
    run.fails("unknown_cluster", lambda: run.triggers.create_trigger_clusters(
        mixpeek.SharedClustersTriggersModelsCreateTriggerRequest.from_dict({
            "trigger_type": "interval", "cluster_id": "clust_missing",
            "schedule_config": {"interval_seconds": 60, "start_immediately": False}})))
    run.fails("get_missing", lambda: run.triggers.get_trigger_clusters("trig_missing"))
    run.fails("pause_missing", lambda: run.triggers.pause_trigger_clusters("trig_missing"))
    run.fails("history_missing", lambda: run.triggers.get_trigger_history_clusters(
        "trig_missing", mixpeek.TriggerHistoryRequest()))
    run.ok("delete", lambda: run.triggers.delete_trigger_clusters(created.trigger_id))


SCENARIOS: dict[str, Callable[[TriggersRun], None]] = {
    name[len("scenario_"):]: function
    for name, function in sorted(globals().items())
    if name.startswith("scenario_") and callable(function)
}


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, key, namespace, *names = argv
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenarios {unknown}; known: {sorted(SCENARIOS)}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {}
    for name in names or list(SCENARIOS):
        run = TriggersRun(base_url, key, f"{namespace}-{name.replace('_', '-')}")
        error = None
        try:
            SCENARIOS[name](run)
        except Stop as stop:
            error = str(stop)
        except Exception:
            error = traceback.format_exc(limit=8)
        results[name] = {"namespace": run.namespace, "steps": run.steps, "error": error}
    json.dump({"sdk_version": mixpeek.__version__, "scenarios": results}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
