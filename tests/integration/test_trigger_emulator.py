"""ClusterTrigger's provider against a real emulator process (its /v1/clusters/triggers
routes and the trigger clock ``POST /_emulator/clock/advance``): create, in-place updates,
pause/resume through ``enabled`` (a paused trigger fires nothing while the clock advances),
drift read by refresh, history, delete, a lost create response that is not sent again, and
check agreeing with the server's 422s on the per-type schedule rules."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_mixpeek import get_trigger_history
from pulumi_mixpeek.errors import APIConnectionError, APIStatusError
from pulumi_mixpeek.resources.trigger_provider import ClusterTriggerProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.integration.test_execution_emulator import live, make_cluster
from tests.support.emulator import Emulator

pytestmark = pytest.mark.integration

DAILY = {"cron_expression": "0 2 * * *", "timezone": "UTC"}


@pytest.fixture
def triggers(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> ClusterTriggerProvider:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    server.faults({"task_duration": 0})
    provider: ClusterTriggerProvider = configured(server, ClusterTriggerProvider)
    return provider


def _advance(server: Emulator, seconds: int) -> list[dict[str, Any]]:
    response = server._http.post("/_emulator/clock/advance", json={"seconds": seconds})
    response.raise_for_status()
    fired: list[dict[str, Any]] = response.json()["fired"]
    return fired


def _create(provider: ClusterTriggerProvider, inputs: dict[str, Any]) -> tuple[str, dict]:
    result = provider.check({}, inputs)
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    created = provider.create(result.inputs)
    return created.id, created.outs


def _trigger_requests(server: Emulator) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in server.requests()
            if r["path"].startswith("/v1/clusters/triggers")]


def test_lifecycle(server: Emulator, triggers: ClusterTriggerProvider) -> None:
    cluster_id = make_cluster(server)
    inputs = {"cluster_id": cluster_id, "trigger_type": "cron", "schedule_config": DAILY,
              "description": "nightly"}
    trigger_id, outs = _create(triggers, inputs)
    path = f"/v1/clusters/triggers/{trigger_id}"
    assert live(server, path)["status"] == "active"
    assert outs["trigger_id"] == trigger_id and outs["next_scheduled_at"]
    assert outs["namespace_id"] and outs["execution_count"] == 0

    # in place: a new cron expression is one PATCH
    server.reset()
    news = triggers.check(outs, {**inputs, "schedule_config": {**DAILY,
                                                              "cron_expression": "0 3 * * *"}})
    assert triggers.diff(trigger_id, outs, news.inputs).replaces == []
    outs = triggers.update(trigger_id, outs, news.inputs).outs
    assert _trigger_requests(server) == [("PATCH", path)]
    assert live(server, path)["schedule_config"]["cron_expression"] == "0 3 * * *"

    # enabled false pauses it, and no run fires while the clock advances
    paused = triggers.check(outs, {**news.inputs, "enabled": False}).inputs
    outs = triggers.update(trigger_id, outs, paused).outs
    assert live(server, path)["status"] == "paused" and outs["status"] == "paused"
    assert _advance(server, 2 * 86400) == []
    assert live(server, path)["execution_count"] == 0

    # enabled again: resumed, and the next day's 03:00 fires one run of the cluster
    outs = triggers.update(trigger_id, outs, news.inputs).outs
    assert live(server, path)["status"] == "active"
    fired = _advance(server, 86400)
    assert [f["trigger_id"] for f in fired] == [trigger_id]
    assert fired[0]["cluster_id"] == cluster_id
    read = triggers.read(trigger_id, outs)
    assert read.outs["execution_count"] == 1
    assert read.outs["last_execution_job_id"] == fired[0]["task_id"]
    assert read.outs["consecutive_failures"] == 0
    history = get_trigger_history(trigger_id, api_key=KEY, namespace=NAMESPACE,
                                  endpoint=server.base_url)
    assert history.total == 1 and history.executions[0].job_id == fired[0]["task_id"]

    # paused outside Pulumi: refresh reads enabled false, and the next up resumes it
    server.api("POST", path + "/pause", key=KEY, namespace=NAMESPACE).raise_for_status()
    read = triggers.read(trigger_id, read.outs)
    assert read.inputs["enabled"] is False and read.outs["status"] == "paused"
    diff = triggers.diff(trigger_id, read.outs, news.inputs)
    assert diff.changes is None and diff.replaces == []
    triggers.update(trigger_id, read.outs, news.inputs)
    assert live(server, path)["status"] == "active"

    # delete, then a trigger already gone
    triggers.delete(trigger_id, outs)
    assert server.api("GET", path, key=KEY, namespace=NAMESPACE).status_code == 404
    triggers.delete(trigger_id, outs)
    assert triggers.read(trigger_id, outs).id == ""


def test_a_failing_cluster_shows_consecutive_failures(
    server: Emulator, triggers: ClusterTriggerProvider
) -> None:
    cluster_id = make_cluster(server)
    trigger_id, outs = _create(triggers, {
        "cluster_id": cluster_id, "trigger_type": "interval",
        "schedule_config": {"interval_seconds": 3600, "start_immediately": False}})
    server.faults({"task_duration": 0, "task_failure_rate": 1.0,
                   "task_failure_message": "no documents"})
    assert len(_advance(server, 2 * 3600)) == 2
    read = triggers.read(trigger_id, outs)
    assert read.outs["consecutive_failures"] == 2
    assert read.outs["last_execution_status"] == "FAILED"
    assert "no documents" in (read.outs["last_execution_error"] or "")


def test_a_lost_create_response_is_not_sent_again(
    server: Emulator, triggers: ClusterTriggerProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters/triggers",
                              "commit_errors": {"503": 1.0}}]})
    with pytest.raises(APIConnectionError) as failed:
        _create(triggers, {"cluster_id": cluster_id, "trigger_type": "cron",
                           "schedule_config": DAILY})
    assert "may have been created" in str(failed.value)
    assert _trigger_requests(server) == [("POST", "/v1/clusters/triggers")]


@pytest.mark.parametrize(
    ("trigger_type", "schedule", "path"),
    [
        ("cron", {"cron_expression": "0 2 * *", "timezone": "UTC"},
         "schedule_config.cron_expression"),
        ("cron", {"cron_expression": "0 2 * * *", "timezone": "Mars/Olympus_Mons"},
         "schedule_config.timezone"),
        ("interval", {"interval_seconds": 0, "start_immediately": False},
         "schedule_config.interval_seconds"),
        ("event", {"event_type": "documents_added", "collection_id": "col_a",
                   "cooldown_seconds": 0}, "schedule_config.event_threshold"),
        ("cron", {"cron_expression": "0 2 * * *"}, "schedule_config.timezone"),
        ("interval", {"interval_seconds": 60, "start_immediately": True, "timezone": "UTC"},
         "schedule_config.timezone"),
    ],
)
def test_check_agrees_with_the_server(
    server: Emulator, triggers: ClusterTriggerProvider, trigger_type: str,
    schedule: dict[str, Any], path: str,
) -> None:
    cluster_id = make_cluster(server)
    body = {"cluster_id": cluster_id, "trigger_type": trigger_type, "schedule_config": schedule}
    failures = triggers.check_inputs({}, body).failures or []  # by path (test_boundary.py)
    assert [f.property for f in failures] == [path]
    answer = server.api("POST", "/v1/clusters/triggers", key=KEY, namespace=NAMESPACE,
                        json=body)
    assert answer.status_code == 422, answer.text


def test_an_unknown_trigger_reads_as_gone_and_other_errors_fail(
    server: Emulator, triggers: ClusterTriggerProvider
) -> None:
    state = {"cluster_id": "clust_x", "trigger_type": "cron", "schedule_config": DAILY,
             **triggers.recorded({}, {})}
    assert triggers.read("trig_missing", state).id == ""
    server.faults({"rules": [{"method": "GET", "path": "/v1/clusters/triggers/*",
                              "errors": {"403": 1.0}}]})
    with pytest.raises(APIStatusError):
        triggers.read("trig_missing", state)


def test_import_reads_the_trigger_and_records_the_place(
    server: Emulator, triggers: ClusterTriggerProvider
) -> None:
    cluster_id = make_cluster(server)
    trigger_id, outs = _create(triggers, {"cluster_id": cluster_id, "trigger_type": "cron",
                                          "schedule_config": DAILY, "enabled": False})
    read = triggers.read(trigger_id, {})
    assert read.inputs == {
        "cluster_id": cluster_id, "trigger_type": "cron", "schedule_config": DAILY,
        "enabled": False, "namespace": NAMESPACE, "endpoint": server.base_url,
    }
    assert read.outs["status"] == "paused"
    declared = triggers.check({}, {"cluster_id": cluster_id, "trigger_type": "cron",
                                   "schedule_config": DAILY, "enabled": False}).inputs
    assert triggers.diff(trigger_id, read.outs, declared).changes is False
