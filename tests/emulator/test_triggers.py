"""Cluster triggers at the seed level (1.3.1), driven by the official ``mixpeek==1.3.1``
SDK's ClusterTriggersApi: create/get/update/pause/resume/list/history/delete parsed into the
SDK's models, errors raised as its exceptions; and the server's trigger clock
(``POST /_emulator/clock/advance``) firing cron, interval, event and conditional triggers.

The module has a server of its own: an advance fires the due triggers of every namespace,
so other tests' triggers stay out of it (and these out of theirs)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import mixpeek
import pytest
from mixpeek.exceptions import BadRequestException, NotFoundException, UnprocessableEntityException

from tests.emulator.helpers import KEY, Sdk, call, vector_body
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.emulator

DAY = 24 * 3600


@pytest.fixture(scope="module")
def clock_server() -> Iterator[Emulator]:
    with running_emulator(api_keys=(KEY,), extra_args=("--task-duration", "0.2"),
                          api_version="1.3.1") as server:
        yield server


@pytest.fixture
def tserver(clock_server: Emulator) -> Emulator:
    clock_server.reset()
    return clock_server


class Triggers:
    """ClusterTriggersApi bound to a key and namespace, plus the clock controls."""

    def __init__(self, server: Emulator, namespace: str) -> None:
        self.server = server
        self.sdk = Sdk(server.base_url, KEY, namespace)
        self.api = mixpeek.ClusterTriggersApi(self.sdk.client)
        self.kw = self.sdk.kw
        self.namespace = namespace

    def create(self, body: dict[str, Any]) -> Any:
        request = mixpeek.SharedClustersTriggersModelsCreateTriggerRequest.from_dict(body)
        return self.api.create_trigger_clusters(request, **self.kw)

    def get(self, trigger_id: str) -> Any:
        return self.api.get_trigger_clusters(trigger_id, **self.kw)

    def history(self, trigger_id: str, **request: Any) -> Any:
        return self.api.get_trigger_history_clusters(
            trigger_id, mixpeek.TriggerHistoryRequest(**request), **self.kw)

    def cluster(self, **overrides: Any) -> str:
        body = vector_body(cluster_name=f"c-{uuid.uuid4().hex[:8]}", **overrides)
        response = call(self.server, "POST", "/v1/clusters", self.namespace, json=body)
        assert response.status_code == 200, response.text
        cluster_id: str = response.json()["cluster_id"]
        return cluster_id

    def advance(self, seconds: float) -> dict[str, Any]:
        response = httpx.post(f"{self.server.base_url}/_emulator/clock/advance",
                              json={"seconds": seconds})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def now(self) -> datetime:
        response = httpx.get(f"{self.server.base_url}/_emulator/clock")
        return datetime.fromisoformat(response.json()["now"])

    def events(self, trigger_id: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{self.server.base_url}/_emulator/triggers/{trigger_id}/events",
                          json=body, headers={"X-Namespace": self.namespace})

    def fired(self, result: dict[str, Any], trigger_id: str) -> list[dict[str, Any]]:
        return [f for f in result["fired"] if f["trigger_id"] == trigger_id]


@pytest.fixture
def trig(tserver: Emulator) -> Iterator[Triggers]:
    triggers = Triggers(tserver, f"ns-trig-{uuid.uuid4().hex[:10]}")
    yield triggers
    # Left behind, they would fire on the next test's advances.
    listed = call(tserver, "POST", "/v1/clusters/triggers/list", triggers.namespace,
                  json={"limit": 1000}).json()
    for trigger in listed["results"]:
        call(tserver, "DELETE", f"/v1/clusters/triggers/{trigger['trigger_id']}",
             triggers.namespace)
    triggers.sdk.client.rest_client.pool_manager.clear()


def interval(cluster_id: str, seconds: int = 3600, **extra: Any) -> dict[str, Any]:
    return {"trigger_type": "interval", "cluster_id": cluster_id,
            "schedule_config": {"interval_seconds": seconds, "start_immediately": False},
            **extra}


# -- the operations, through the SDK ----------------------------------------------------
def test_sdk_drives_every_operation(trig: Triggers) -> None:
    cluster_id = trig.cluster()
    created = trig.create({
        "trigger_type": "cron", "cluster_id": cluster_id, "description": "nightly",
        "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    })
    assert isinstance(created, mixpeek.SharedClustersTriggersModelsTriggerModel)
    assert created.trigger_id and created.trigger_id.startswith("trig_")
    assert created.cluster_id == cluster_id
    assert created.status is not None and created.status.value == "active"
    assert created.trigger_type.value == "cron"
    assert created.execution_count == 0 and created.consecutive_failures == 0
    assert created.execution_config.collection_ids == ["col_products"]
    assert created.execution_config.config["algorithm"] == "kmeans"
    assert created.next_scheduled_at is not None
    assert (created.next_scheduled_at.hour, created.next_scheduled_at.minute) == (2, 0)
    assert created.namespace_id.startswith("ns_") and created.internal_id

    got = trig.get(created.trigger_id)
    assert got.to_dict() == created.to_dict()

    updated = trig.api.update_trigger_clusters(
        created.trigger_id,
        mixpeek.SharedClustersTriggersModelsUpdateTriggerRequest(
            description="at three", schedule_config={"cron_expression": "0 3 * * *",
                                                     "timezone": "Europe/Berlin"}),
        **trig.kw)
    assert updated.description == "at three"
    assert updated.schedule_config["timezone"] == "Europe/Berlin"
    assert updated.next_scheduled_at is not None
    berlin = updated.next_scheduled_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (berlin.hour, berlin.minute) == (3, 0)

    paused = trig.api.pause_trigger_clusters(created.trigger_id, **trig.kw)
    assert paused.status is not None and paused.status.value == "paused"
    resumed = trig.api.resume_trigger_clusters(created.trigger_id, **trig.kw)
    assert resumed.status is not None and resumed.status.value == "active"

    other = trig.create(interval(cluster_id, status="paused"))
    listed = trig.api.list_triggers_clusters(
        mixpeek.SharedClustersTriggersModelsListTriggersRequest(), **trig.kw)
    assert isinstance(listed, mixpeek.SharedClustersTriggersModelsListTriggersResponse)
    assert [t.trigger_id for t in listed.results] == [other.trigger_id, created.trigger_id]
    assert (listed.total, listed.offset, listed.limit) == (2, 0, 50)
    only_paused = trig.api.list_triggers_clusters(
        mixpeek.SharedClustersTriggersModelsListTriggersRequest(status="paused"), **trig.kw)
    assert [t.trigger_id for t in only_paused.results] == [other.trigger_id]
    by_type = trig.api.list_triggers_clusters(
        mixpeek.SharedClustersTriggersModelsListTriggersRequest(
            trigger_type="cron", direction="asc", limit=1), **trig.kw)
    assert [t.trigger_id for t in by_type.results] == [created.trigger_id]

    history = trig.history(created.trigger_id)
    assert isinstance(history, mixpeek.SharedClustersTriggersModelsTriggerHistoryResponse)
    assert (history.trigger_id, history.executions, history.total) == (
        created.trigger_id, [], 0)

    assert trig.api.delete_trigger_clusters(created.trigger_id, **trig.kw) is None
    with pytest.raises(NotFoundException) as raised:
        trig.get(created.trigger_id)
    assert raised.value.status == 404
    assert raised.value.data is not None and "not found" in raised.value.data.error.message


def test_create_status_is_201_at_this_level(trig: Triggers) -> None:
    response = call(trig.server, "POST", "/v1/clusters/triggers", trig.namespace,
                    json=interval(trig.cluster()))
    assert response.status_code == 201, response.text
    deleted = call(trig.server, "DELETE",
                   f"/v1/clusters/triggers/{response.json()['trigger_id']}", trig.namespace)
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_execution_config_trigger(trig: Triggers) -> None:
    created = trig.create({
        "trigger_type": "interval",
        "schedule_config": {"interval_seconds": 60, "start_immediately": True},
        "execution_config": {"collection_ids": ["col_a"],
                             "config": {"algorithm": "hdbscan", "min_cluster_size": 5}},
    })
    assert created.cluster_id is None
    assert created.execution_config.config == {"algorithm": "hdbscan", "min_cluster_size": 5}
    fired = trig.fired(trig.advance(0), created.trigger_id)
    assert len(fired) == 1
    task = call(trig.server, "GET", f"/v1/tasks/{fired[0]['task_id']}", trig.namespace)
    assert task.status_code == 200 and task.json()["inputs"] == [created.trigger_id]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"trigger_type": "weekly", "schedule_config": {}}, "trigger_type"),
        ({"trigger_type": "cron", "schedule_config": {"cron_expression": "0 2 * * *"}},
         "timezone"),
        ({"trigger_type": "cron",
          "schedule_config": {"cron_expression": "0 25 * * *", "timezone": "UTC"}},
         "cron_expression"),
        ({"trigger_type": "cron",
          "schedule_config": {"cron_expression": "0 2 * *", "timezone": "UTC"}},
         "cron_expression"),
        ({"trigger_type": "cron",
          "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "Mars/Base"}},
         "timezone"),
        ({"trigger_type": "interval", "schedule_config": {"interval_seconds": 0,
                                                          "start_immediately": False}},
         "interval_seconds"),
        ({"trigger_type": "interval", "schedule_config": {"interval_secs": 60,
                                                          "start_immediately": False}},
         "interval_secs"),
        ({"trigger_type": "event", "schedule_config": {"event_type": "documents_added"}},
         "event_threshold"),
    ],
)
def test_invalid_bodies_are_422(trig: Triggers, body: dict[str, Any], where: str) -> None:
    response = call(trig.server, "POST", "/v1/clusters/triggers", trig.namespace,
                    json={"cluster_id": trig.cluster(), **body})
    assert response.status_code == 422, response.text
    # 1.3.1: FastAPI's shape.
    assert any(where in [str(p) for p in e["loc"]] for e in response.json()["detail"])


def test_errors_through_the_sdk(trig: Triggers) -> None:
    with pytest.raises(UnprocessableEntityException):
        trig.create({"trigger_type": "interval",
                     "schedule_config": {"interval_seconds": 60, "start_immediately": False}})
    with pytest.raises(NotFoundException):
        trig.create(interval("clust_missing"))
    with pytest.raises(NotFoundException):
        trig.api.pause_trigger_clusters("trig_missing", **trig.kw)
    with pytest.raises(NotFoundException):
        trig.history("trig_missing")
    with pytest.raises(BadRequestException):
        trig.create(interval(trig.cluster(), status="failed"))
    # Another namespace does not see the trigger.
    created = trig.create(interval(trig.cluster()))
    elsewhere = Triggers(trig.server, f"ns-other-{uuid.uuid4().hex[:8]}")
    with pytest.raises(NotFoundException):
        elsewhere.get(created.trigger_id)


# -- the clock ----------------------------------------------------------------------------
def test_cron_trigger_fires_on_the_clock(trig: Triggers) -> None:
    cluster_id = trig.cluster()
    created = trig.create({
        "trigger_type": "cron", "cluster_id": cluster_id,
        "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    })
    due = created.next_scheduled_at
    assert due is not None
    assert trig.fired(trig.advance((due - trig.now()).total_seconds() - 60),
                      created.trigger_id) == []
    assert trig.get(created.trigger_id).execution_count == 0

    fired = trig.fired(trig.advance(120), created.trigger_id)
    assert len(fired) == 1
    assert datetime.fromisoformat(fired[0]["triggered_at"]) == due
    after = trig.get(created.trigger_id)
    assert after.execution_count == 1
    assert after.last_triggered_at == due
    assert after.next_scheduled_at == due + timedelta(days=1)
    assert after.last_execution_job_id == fired[0]["task_id"]
    cluster = call(trig.server, "GET", f"/v1/clusters/{cluster_id}", trig.namespace).json()
    assert cluster["last_execution_task_id"] == fired[0]["task_id"]

    # Three more days: three more fires, in order, and the history grows (newest first).
    fired = trig.fired(trig.advance(3 * DAY), created.trigger_id)
    assert [datetime.fromisoformat(f["triggered_at"]) for f in fired] == [
        due + timedelta(days=d) for d in (1, 2, 3)]
    history = trig.history(created.trigger_id)
    assert history.total == 4
    assert [e.triggered_at for e in history.executions] == [
        due + timedelta(days=d) for d in (3, 2, 1, 0)]
    assert history.executions[0].job_id == fired[-1]["task_id"]
    assert trig.get(created.trigger_id).execution_count == 4


def test_interval_trigger_fires_every_interval_and_paused_one_never(trig: Triggers) -> None:
    cluster_id = trig.cluster()
    every = trig.create(interval(cluster_id, 600))
    paused = trig.create(interval(cluster_id, 600, status="paused"))
    later = trig.create(interval(cluster_id, 600))
    trig.api.pause_trigger_clusters(later.trigger_id, **trig.kw)

    result = trig.advance(3600 + 1)
    assert len(trig.fired(result, every.trigger_id)) == 6
    assert trig.fired(result, paused.trigger_id) == []
    assert trig.fired(result, later.trigger_id) == []
    assert trig.get(paused.trigger_id).execution_count == 0
    assert trig.get(paused.trigger_id).next_scheduled_at is None
    got = trig.get(every.trigger_id)
    assert got.execution_count == 6
    assert got.next_scheduled_at == got.last_triggered_at + timedelta(seconds=600)
    assert trig.history(every.trigger_id, limit=2).total == 6
    assert len(trig.history(every.trigger_id, limit=2).executions) == 2

    # Resumed: scheduled afresh from now, missed fires not caught up.
    trig.api.resume_trigger_clusters(later.trigger_id, **trig.kw)
    assert trig.fired(trig.advance(599), later.trigger_id) == []
    assert len(trig.fired(trig.advance(2), later.trigger_id)) == 1


def test_runs_end_and_failures_count(trig: Triggers) -> None:
    trig.server.faults({"task_duration": 0, "task_failure_rate": 1.0,
                        "task_failure_message": "out of memory"})
    cluster_id = trig.cluster()
    created = trig.create(interval(cluster_id, 60))
    trig.advance(60)
    first = trig.get(created.trigger_id)
    assert (first.execution_count, first.consecutive_failures) == (1, 1)
    assert first.last_execution_status == "FAILED"
    assert first.last_execution_error == "out of memory"
    assert first.status is not None and first.status.value == "active"
    trig.advance(120)
    failed = trig.get(created.trigger_id)
    assert failed.consecutive_failures == 3
    assert failed.status is not None and failed.status.value == "failed"
    assert failed.next_scheduled_at is None
    # A failed trigger fires no more.
    assert trig.fired(trig.advance(600), created.trigger_id) == []
    history = trig.history(created.trigger_id, status_filter="FAILED")
    assert history.total == 3 and all(e.error == "out of memory" for e in history.executions)

    # Resumed, with runs that succeed: the count starts again.
    trig.server.faults({"task_duration": 0})
    trig.api.resume_trigger_clusters(created.trigger_id, **trig.kw)
    trig.advance(60)
    ok = trig.get(created.trigger_id)
    assert (ok.execution_count, ok.consecutive_failures) == (4, 0)
    assert ok.last_execution_status == "COMPLETED" and ok.last_execution_error is None
    latest = trig.history(created.trigger_id).executions[0]
    assert latest.status == "COMPLETED" and latest.execution_time_ms == 0


def test_status_by_patch(trig: Triggers) -> None:
    created = trig.create(interval(trig.cluster(), 60))
    update = mixpeek.SharedClustersTriggersModelsUpdateTriggerRequest
    disabled = trig.api.update_trigger_clusters(created.trigger_id, update(status="disabled"),
                                                **trig.kw)
    assert disabled.status is not None and disabled.status.value == "disabled"
    assert trig.fired(trig.advance(600), created.trigger_id) == []
    with pytest.raises(BadRequestException):
        trig.api.update_trigger_clusters(created.trigger_id, update(status="failed"),
                                         **trig.kw)
    active = trig.api.update_trigger_clusters(created.trigger_id, update(status="active"),
                                              **trig.kw)
    assert active.next_scheduled_at is not None
    assert len(trig.fired(trig.advance(60), created.trigger_id)) == 1
    with pytest.raises(NotFoundException):
        trig.api.update_trigger_clusters("trig_missing", update(description="x"), **trig.kw)


def test_history_reads_the_runs_results(trig: Triggers) -> None:
    trig.server.faults({"task_duration": 0})
    created = trig.create(interval(trig.cluster(), 60))
    trig.advance(60)
    entry = trig.history(created.trigger_id).executions[0]
    assert entry.status == "COMPLETED"
    assert entry.num_clusters is not None and entry.num_documents is not None


def test_a_run_whose_cluster_is_deleted_mid_run_is_canceled(trig: Triggers) -> None:
    trig.server.faults({"task_duration": 60})
    cluster_id = trig.cluster()
    created = trig.create(interval(cluster_id, 60))
    trig.advance(60)
    assert trig.get(created.trigger_id).last_execution_status == "PENDING"
    call(trig.server, "DELETE", f"/v1/clusters/{cluster_id}", trig.namespace)
    got = trig.get(created.trigger_id)
    assert got.last_execution_status == "CANCELED" and got.consecutive_failures == 1


def test_a_deleted_clusters_trigger_records_failed_fires(trig: Triggers) -> None:
    cluster_id = trig.cluster()
    created = trig.create(interval(cluster_id, 60))
    assert call(trig.server, "DELETE", f"/v1/clusters/{cluster_id}",
                trig.namespace).status_code == 200
    trig.advance(60)
    got = trig.get(created.trigger_id)
    assert got.last_execution_status == "FAILED" and got.consecutive_failures == 1
    assert got.last_execution_error is not None and "not found" in got.last_execution_error


def test_event_trigger_fires_on_fed_events(trig: Triggers) -> None:
    created = trig.create({
        "trigger_type": "event", "cluster_id": trig.cluster(),
        "schedule_config": {"event_type": "documents_added", "event_threshold": 10,
                            "collection_id": "col_products", "cooldown_seconds": 300},
    })
    assert trig.events(created.trigger_id, {"count": 6}).json()["fired"] == []
    assert trig.get(created.trigger_id).event_counter == 6
    fed = trig.events(created.trigger_id, {"count": 4}).json()
    assert len(fed["fired"]) == 1 and fed["event_counter"] == 0
    got = trig.get(created.trigger_id)
    assert got.execution_count == 1 and got.last_cooldown_at == got.last_triggered_at
    # Within the cooldown: counted, fired when the clock reaches its end.
    assert trig.events(created.trigger_id, {"count": 10}).json()["fired"] == []
    assert trig.fired(trig.advance(200), created.trigger_id) == []
    fired = trig.fired(trig.advance(200), created.trigger_id)
    assert len(fired) == 1
    assert datetime.fromisoformat(fired[0]["triggered_at"]) == \
        got.last_cooldown_at + timedelta(seconds=300)
    # Only event triggers take counts.
    other = trig.create(interval(trig.cluster()))
    assert trig.events(other.trigger_id, {"count": 1}).status_code == 400
    assert trig.events("trig_missing", {"count": 1}).status_code == 404


def test_conditional_trigger_fires_when_the_metric_crosses(trig: Triggers) -> None:
    created = trig.create({
        "trigger_type": "conditional", "cluster_id": trig.cluster(),
        "schedule_config": {"condition_type": "drift", "threshold": 0.3,
                            "metric": "cosine_drift", "check_interval_seconds": 3600},
    })
    trig.events(created.trigger_id, {"value": 0.1})
    assert trig.fired(trig.advance(3600), created.trigger_id) == []
    trig.events(created.trigger_id, {"value": 0.35})
    assert trig.fired(trig.advance(1800), created.trigger_id) == []
    assert len(trig.fired(trig.advance(1800), created.trigger_id)) == 1
    # The value is cleared by the run: no fire at the next check.
    assert trig.fired(trig.advance(3600), created.trigger_id) == []
    assert trig.get(created.trigger_id).execution_count == 1


def test_clock_control_refuses_going_back(tserver: Emulator) -> None:
    response = httpx.post(f"{tserver.base_url}/_emulator/clock/advance", json={"seconds": -1})
    assert response.status_code == 422


def test_triggers_and_their_clock_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "emulator.db"
    with running_emulator(api_keys=(KEY,), db=db, api_version="1.3.1") as first:
        trig = Triggers(first, "ns-restart")
        created = trig.create(interval(trig.cluster(), 3600))
        trig.advance(3600)
        before = trig.now()
    with running_emulator(api_keys=(KEY,), db=db, api_version="1.3.1") as second:
        trig = Triggers(second, "ns-restart")
        assert trig.now() >= before
        got = trig.get(created.trigger_id)
        assert got.execution_count == 1
        assert len(trig.fired(trig.advance(3600), created.trigger_id)) == 1
