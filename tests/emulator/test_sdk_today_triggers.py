"""Cluster triggers at today's level (``--api-version 1.3.783``) driven by its own official
SDK, ``mixpeek==1.3.783``: ``tests/support/sdk_today_triggers_driver.py`` performs every
ClusterTriggersApi operation in the SDK's virtualenv (``make sdk``) and moves the server's
trigger clock; the SDK's models parse every 2xx body and its exceptions every error (an
ErrorResponse, 422 included, at this level)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.emulator.helpers import KEY
from tests.support.emulator import running_emulator
from tests.support.sdk_today import TRIGGERS_DRIVER, run_driver, sdk_today_python

pytestmark = pytest.mark.emulator

TRIGGER = "SharedClustersTriggersModelsTriggerModel"


@pytest.fixture(scope="module")
def driven() -> Iterator[dict[str, dict[str, Any]]]:
    sdk_today_python()
    with running_emulator(api_keys=(KEY,), extra_args=("--task-duration", "0.2"),
                          api_version="1.3.783") as server:
        result = run_driver(server.base_url, KEY, "ns-triggers", [], driver=TRIGGERS_DRIVER)
        scenarios: dict[str, dict[str, Any]] = result["scenarios"]
        scenarios["_log"] = {"requests": server.requests()}
        yield scenarios


def _steps(driven: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    scenario = driven[name]
    assert scenario["error"] is None, scenario["error"]
    steps: dict[str, Any] = scenario["steps"]
    return steps


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_every_operation_parses_into_the_sdks_models(driven: dict[str, Any]) -> None:
    steps = _steps(driven, "lifecycle")
    for step in ("create_trigger", "get", "update", "pause", "get_paused", "resume",
                 "get_fired", "create_interval"):
        assert steps[step]["class"] == TRIGGER, (step, steps[step])
    assert steps["list"]["class"] == "SharedClustersTriggersModelsListTriggersResponse"
    assert steps["history"]["class"] == "SharedClustersTriggersModelsTriggerHistoryResponse"
    created = steps["create_trigger"]["data"]
    assert created["status"] == "active" and created["trigger_type"] == "cron"
    assert created["execution_config"]["collection_ids"] == ["col_products"]
    assert steps["get"]["data"] == created
    assert steps["update"]["data"]["description"] == "at three"
    assert _when(steps["update"]["data"]["next_scheduled_at"]).hour == 3
    assert steps["pause"]["data"]["status"] == "paused"
    assert steps["resume"]["data"]["status"] == "active"
    assert [t["trigger_id"] for t in steps["list"]["data"]["results"]] == [
        steps["create_interval"]["data"]["trigger_id"], created["trigger_id"]]
    assert [t["trigger_id"] for t in steps["list_paused"]["data"]["results"]] == [
        steps["create_interval"]["data"]["trigger_id"]]
    assert steps["delete"]["data"] is None
    gone = steps["get_deleted"]
    assert (gone["exception"], gone["status"], gone["data_class"]) == (
        "NotFoundException", 404, "ErrorResponse")
    assert gone["data"]["error"]["code"] == "trigger_not_found"


def test_the_clock_fires_the_resumed_trigger_not_the_paused_one(driven: dict[str, Any]
                                                               ) -> None:
    steps = _steps(driven, "lifecycle")
    assert steps["advance_paused"] == []
    assert steps["get_paused"]["data"]["execution_count"] == 0
    fired = steps["advance_resumed"]
    assert len(fired) == 2
    times = [_when(f["triggered_at"]) for f in fired]
    assert times[1] - times[0] == timedelta(days=1) and times[0].hour == 3
    got = steps["get_fired"]["data"]
    assert got["execution_count"] == 2
    assert _when(got["last_triggered_at"]) == times[1]
    assert _when(got["next_scheduled_at"]) == times[1] + timedelta(days=1)
    assert got["last_execution_job_id"] == fired[1]["task_id"]
    # At this level a run waits as QUEUED first.
    assert fired[0]["status"] == "QUEUED"
    assert steps["cluster_after"]["data"]["last_execution_task_id"] == fired[1]["task_id"]
    history = steps["history"]["data"]
    assert history["total"] == 2
    assert [e["job_id"] for e in history["executions"]] == [f["task_id"]
                                                           for f in reversed(fired)]


def test_errors_are_error_responses(driven: dict[str, Any]) -> None:
    steps = _steps(driven, "errors")
    for step in ("bad_cron", "unknown_type", "missing_key", "undeclared"):
        record = steps[step]
        assert (record["exception"], record["status"], record["data_class"]) == (
            "UnprocessableEntityException", 422, "ErrorResponse"), (step, record)
    assert steps["undeclared"]["data"]["error"]["code"] == "extra_forbidden"
    assert "cron" in steps["bad_cron"]["data"]["error"]["message"]
    for step in ("unknown_cluster", "get_missing", "pause_missing", "history_missing"):
        record = steps[step]
        assert (record["exception"], record["status"], record["data_class"]) == (
            "NotFoundException", 404, "ErrorResponse"), (step, record)


def test_create_answers_200_at_this_level(driven: dict[str, Any]) -> None:
    created = [e for e in driven["_log"]["requests"]
               if (e["method"], e["path"]) == ("POST", "/v1/clusters/triggers")
               and e["status"] < 300]
    assert created and all(e["status"] == 200 for e in created)


def test_failing_runs_count_and_fail_the_trigger(driven: dict[str, Any]) -> None:
    steps = _steps(driven, "failures")
    assert len(steps["advance_one"]) == 1
    one = steps["get_one"]["data"]
    assert (one["execution_count"], one["consecutive_failures"]) == (1, 1)
    assert one["last_execution_status"] == "FAILED"
    assert one["last_execution_error"] == "out of memory"
    assert one["status"] == "active"
    # Two more failures, then failed: no fires after the third.
    assert len(steps["advance_more"]) == 2
    failed = steps["get_failed"]["data"]
    assert (failed["execution_count"], failed["consecutive_failures"]) == (3, 3)
    assert failed["status"] == "failed" and failed.get("next_scheduled_at") is None
    history = steps["history_failed"]["data"]
    assert history["total"] == 3
    assert {e["error"] for e in history["executions"]} == {"out of memory"}
