"""ClusterTrigger without a server: the declaration's mutability, check per trigger type
(one message per property), diff, the pickled provider, and the provider's calls against an
httpx.MockTransport holding triggers as the API documents them (SDK 1.3.1's
cluster_triggers_api: POST /v1/clusters/triggers, GET/PATCH/DELETE .../{id}, .../pause,
.../resume, .../history)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pulumi_mixpeek
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.provider.experimental.provider import CheckRequest, DiffRequest, InvokeRequest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.errors import APIConnectionError
from pulumi_mixpeek.fields import declared_fields
from pulumi_mixpeek.models.declaration import ClusterTriggerDeclaration, Mutability
from pulumi_mixpeek.plugin.provider import MixpeekProvider
from pulumi_mixpeek.plugin.values import plain_map, property_map
from pulumi_mixpeek.resources import trigger
from pulumi_mixpeek.resources.trigger_provider import TRIGGER_OUTPUTS, ClusterTriggerProvider
from pulumi_mixpeek.schedule import cron_problem

from tests.unit.cluster_helpers import outcome

pytestmark = pytest.mark.unit

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
KEY = "sk_unit_triggers_SECRET_4242"
PLACE = {"namespace": "ns", "endpoint": "https://api.example"}
CRON = {
    "cluster_id": "clust_1",
    "trigger_type": "cron",
    "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    **PLACE,
}


# -- the declaration -------------------------------------------------------------------------
def test_mutability_is_the_update_request_models() -> None:
    """UpdateTriggerRequest takes schedule_config, description and status (enabled):
    those change in place, everything else replaces."""
    marks = {s.name: s.mutability for s in declared_fields(ClusterTriggerDeclaration)}
    assert marks == {
        "cluster_id": Mutability.REPLACE,
        "execution_config": Mutability.REPLACE,
        "trigger_type": Mutability.REPLACE,
        "schedule_config": Mutability.UPDATE,
        "description": Mutability.UPDATE,
        "enabled": Mutability.UPDATE,
        "namespace": Mutability.REPLACE,
        "endpoint": Mutability.REPLACE,
    }


def test_the_resource_names_and_pickle() -> None:
    assert trigger.TYPE_TOKEN == "pulumi-python:dynamic/mixpeek:ClusterTrigger"
    assert trigger.SERIALIZED_PROVIDER == serialize_provider(ClusterTriggerProvider())
    assert trigger.OUTPUT_NAMES == TRIGGER_OUTPUTS
    assert pulumi_mixpeek.ClusterTrigger is trigger.ClusterTrigger
    assert pulumi_mixpeek.native.ClusterTrigger.__name__ == "ClusterTrigger"
    for name in ("trigger_id", "status", "next_scheduled_at", "last_triggered_at",
                 "execution_count", "consecutive_failures", "last_execution_status",
                 "last_execution_error"):
        assert name in TRIGGER_OUTPUTS


# -- check -------------------------------------------------------------------------------------
def _failures(inputs: dict[str, Any]) -> dict[str, str]:
    result = ClusterTriggerProvider().check_inputs({}, inputs)  # by path (test_boundary.py)
    return {f.property: f.reason for f in result.failures or []}


def test_a_valid_trigger_of_each_type_passes() -> None:
    schedules = {
        "cron": {"cron_expression": "*/15 9-17 * * MON-FRI", "timezone": "Europe/Berlin"},
        "interval": {"interval_seconds": 21600, "start_immediately": False},
        "event": {"event_type": "documents_added", "event_threshold": 100,
                  "collection_id": "col_a", "cooldown_seconds": 300},
        "conditional": {"condition_type": "drift", "threshold": 0.3, "metric": "cosine_drift",
                        "check_interval_seconds": 3600},
    }
    for kind, schedule in schedules.items():
        assert _failures({**CRON, "trigger_type": kind, "schedule_config": schedule}) == {}


@pytest.mark.parametrize(
    ("kind", "schedule", "path", "words"),
    [
        ("cron", {"cron_expression": "0 2 * *", "timezone": "UTC"},
         "schedule_config.cron_expression", "does not parse: has 4 field(s)"),
        ("cron", {"cron_expression": "61 * * * *", "timezone": "UTC"},
         "schedule_config.cron_expression", "minute 61 is outside 0-59"),
        ("cron", {"cron_expression": "0 2 * * *", "timezone": "Mars/Olympus_Mons"},
         "schedule_config.timezone", "timezone 'Mars/Olympus_Mons' does not exist"),
        ("cron", {"timezone": "UTC"},
         "schedule_config.cron_expression",
         "a cron trigger needs schedule_config.cron_expression"),
        ("interval", {"interval_seconds": 0, "start_immediately": False},
         "schedule_config.interval_seconds", "must be a positive whole number"),
        ("interval", {"interval_seconds": -60, "start_immediately": True},
         "schedule_config.interval_seconds", "got -60"),
        ("interval", {"interval_seconds": 1.5, "start_immediately": True},
         "schedule_config.interval_seconds", "positive whole number"),
        ("event", {"event_type": "documents_added", "collection_id": "col_a",
                   "cooldown_seconds": 0},
         "schedule_config.event_threshold",
         "an event trigger needs schedule_config.event_threshold"),
        ("event", {"event_type": "documents_added", "event_threshold": 0,
                   "collection_id": "col_a", "cooldown_seconds": 0},
         "schedule_config.event_threshold", "positive whole number"),
        ("conditional", {"condition_type": "drift", "metric": "cosine_drift",
                         "check_interval_seconds": 60},
         "schedule_config.threshold",
         "a conditional trigger needs schedule_config.threshold"),
    ],
)
def test_schedule_config_is_checked_per_trigger_type(
    kind: str, schedule: dict[str, Any], path: str, words: str
) -> None:
    failures = _failures({**CRON, "trigger_type": kind, "schedule_config": schedule})
    assert list(failures) == [path]
    assert words in failures[path]


def test_every_documented_key_is_required_and_no_other_is_taken() -> None:
    failures = _failures({**CRON, "schedule_config": {"cron_expresion": "0 2 * * *",
                                                      "timezone": "UTC",
                                                      "interval_seconds": 60}})
    # The misspelt key stands for the missing cron_expression (said once, on it).
    assert set(failures) == {"schedule_config.cron_expresion",
                             "schedule_config.interval_seconds"}
    assert "a key of interval triggers" in failures["schedule_config.interval_seconds"]
    interval = _failures({**CRON, "trigger_type": "interval",
                          "schedule_config": {"interval_seconds": 60}})
    assert "needs schedule_config.start_immediately" in interval[
        "schedule_config.start_immediately"]


def test_a_misspelt_schedule_key_names_the_nearest_one() -> None:
    failures = _failures({**CRON, "schedule_config": {"cron_expresion": "0 2 * * *",
                                                      "timezone": "UTC"}})
    assert failures["schedule_config.cron_expresion"] == (
        "a cron trigger's schedule_config takes cron_expression, timezone, not "
        "'cron_expresion'; did you mean 'cron_expression'?"
    )
    assert "schedule_config.cron_expression" not in failures  # said once, on the typo


def test_every_problem_at_once_each_under_its_property() -> None:
    failures = _failures({**CRON, "schedule_config": {"cron_expression": "0 25 * * *",
                                                      "timezone": "Nowhere/City"}})
    assert set(failures) == {"schedule_config.cron_expression", "schedule_config.timezone"}
    assert "hour 25 is outside 0-23" in failures["schedule_config.cron_expression"]


def test_cluster_id_or_execution_config() -> None:
    neither = {k: v for k, v in CRON.items() if k != "cluster_id"}
    assert "set cluster_id" in _failures(neither)["cluster_id"]
    both = {**CRON, "execution_config": {"collection_ids": ["col_a"], "config": {}}}
    assert "not both" in _failures(both)["execution_config"]
    config = {**neither, "execution_config": {"collection_ids": [], "config": {}}}
    assert "execution_config.collection_ids" in _failures(config)


def test_the_declaration_model_refuses_types_and_unknown_keys() -> None:
    failures = _failures({**CRON, "trigger_type": "hourly", "enabled": "yes", "nope": 1})
    assert set(failures) == {"trigger_type", "enabled", "nope"}


def test_unknown_values_are_not_judged_in_preview() -> None:
    assert _failures({**CRON, "cluster_id": UNKNOWN}) == {}
    assert _failures({**CRON, "schedule_config": UNKNOWN}) == {}
    assert _failures({**CRON, "schedule_config": {"cron_expression": UNKNOWN,
                                                  "timezone": "UTC"}}) == {}


@pytest.mark.parametrize(
    "expression", ["0 2 * * *", "*/5 * * * *", "0 0 1 JAN *", "0 9-17/2 * * 1-5",
                   "0,30 * * * SUN", "0 0 * * 7"],
)
def test_cron_expressions_that_parse(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    "expression", ["", "* * * *", "0 0 0 * * *", "x * * * *", "*/0 * * * *", "5-1 * * * *",
                   "0 0 32 * *", "0 0 * 13 *", "0 0 * * 8", "@every5m",
                   "@hourly", "@daily"],
)
def test_cron_expressions_that_do_not(expression: str) -> None:
    assert cron_problem(expression) is not None


def test_a_cron_macro_is_refused_naming_its_five_fields() -> None:
    assert cron_problem("@daily") == (
        "is a macro, which the API does not document; write the five fields it stands for: "
        "'0 0 * * *'"
    )


# -- diff --------------------------------------------------------------------------------------
def _diff(old: dict[str, Any], new: dict[str, Any]) -> Any:
    provider = ClusterTriggerProvider()
    olds = {**provider.check({}, old).inputs, "trigger_id": "trig_1", "status": "active"}
    return provider.diff("trig_1", olds, provider.check({}, new).inputs)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"schedule_config": {"cron_expression": "0 3 * * *", "timezone": "UTC"}}, "update"),
        ({"description": "nightly"}, "update"),
        ({"enabled": False}, "update"),
        ({"trigger_type": "interval",
          "schedule_config": {"interval_seconds": 60, "start_immediately": False}}, "replace"),
        ({"cluster_id": "clust_2"}, "replace"),
        ({"namespace": "ns-b"}, "replace"),
        ({}, "none"),
        ({"enabled": True}, "none"),  # the default
    ],
)
def test_diff(change: dict[str, Any], expected: str) -> None:
    result = _diff(CRON, {**CRON, **change})
    assert outcome(result) == expected
    if expected == "replace":
        assert not result.delete_before_replace


# -- the provider against a fake API -----------------------------------------------------------
class FakeTriggers:
    """Triggers as the API documents them, and every request received."""

    def __init__(self) -> None:
        self.triggers: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.fail_create_with: int | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        path = request.url.path
        self.requests.append((request.method, path, body))
        base = "/v1/clusters/triggers"
        if request.method == "POST" and path == base:
            if self.fail_create_with:
                return httpx.Response(self.fail_create_with, json={"detail": "boom"})
            trigger_id = f"trig_{len(self.triggers) + 1}"
            self.triggers[trigger_id] = {
                "trigger_id": trigger_id, "namespace_id": "ns_1", "internal_id": "org_1",
                "execution_config": body.get("execution_config")
                or {"collection_ids": ["col_a"], "config": {"algorithm": "kmeans"}},
                "cluster_id": body.get("cluster_id"), "trigger_type": body["trigger_type"],
                "schedule_config": body["schedule_config"],
                "description": body.get("description"),
                "status": body.get("status", "active"), "execution_count": 0,
                "consecutive_failures": 0, "next_scheduled_at": "2026-12-07T02:00:00Z",
            }
            return httpx.Response(201, json=self.triggers[trigger_id])
        trigger_id, _, action = path.removeprefix(base + "/").partition("/")
        found = self.triggers.get(trigger_id)
        if found is None:
            return httpx.Response(404, json={"detail": "Trigger not found"})
        if request.method == "GET":
            return httpx.Response(200, json=found)
        if request.method == "PATCH":
            found.update({k: v for k, v in body.items() if v is not None})
            return httpx.Response(200, json=found)
        if request.method == "DELETE":
            del self.triggers[trigger_id]
            return httpx.Response(204)
        if action == "pause":
            found["status"] = "paused"
            return httpx.Response(200, json=found)
        if action == "resume":
            found["status"] = "active"
            return httpx.Response(200, json=found)
        if action == "history":
            return httpx.Response(200, json={
                "trigger_id": trigger_id, "total": 1, "offset": body["offset"],
                "limit": body["limit"], "executions": [{
                    "job_id": "job_1", "triggered_at": "2026-12-06T02:00:00Z",
                    "status": "failed", "error": "no documents"}]})
        return httpx.Response(405)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTriggers]:
    fake = FakeTriggers()
    client = MixpeekClient(endpoint="https://api.example", api_key=KEY, namespace="ns",
                           http_client=httpx.Client(transport=httpx.MockTransport(fake)),
                           sleep=lambda _s: None, notify=lambda _m: None)
    monkeypatch.setattr("pulumi_mixpeek.resources.base.shared_client", lambda _s: client)
    monkeypatch.setattr("pulumi_mixpeek.lookups.shared_client", lambda _s: client)
    yield fake


def _created(provider: ClusterTriggerProvider, inputs: dict[str, Any]) -> tuple[str, dict]:
    checked = provider.check({}, inputs).inputs
    result = provider.create(checked)
    return result.id, result.outs


def test_create_sends_the_request_model(api: FakeTriggers) -> None:
    provider = ClusterTriggerProvider()
    trigger_id, outs = _created(provider, {**CRON, "description": "nightly"})
    assert api.requests == [("POST", "/v1/clusters/triggers", {
        "cluster_id": "clust_1", "trigger_type": "cron",
        "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
        "description": "nightly"})]
    assert trigger_id == outs["trigger_id"] == "trig_1"
    assert outs["status"] == "active" and outs["next_scheduled_at"] == "2026-12-07T02:00:00Z"
    assert outs["consecutive_failures"] == 0 and outs["schedule_config"] == CRON["schedule_config"]


def test_a_disabled_trigger_is_created_paused(api: FakeTriggers) -> None:
    _, outs = _created(ClusterTriggerProvider(), {**CRON, "enabled": False})
    assert api.requests[0][2]["status"] == "paused"
    assert outs["status"] == "paused" and outs["enabled"] is False


def test_a_create_with_an_unknown_outcome_is_not_sent_again(api: FakeTriggers) -> None:
    api.fail_create_with = 502
    with pytest.raises(APIConnectionError) as failed:
        _created(ClusterTriggerProvider(), CRON)
    assert [r[:2] for r in api.requests] == [("POST", "/v1/clusters/triggers")]
    assert "may have been created" in str(failed.value)


def test_update_patches_in_place_and_pauses_and_resumes(api: FakeTriggers) -> None:
    provider = ClusterTriggerProvider()
    trigger_id, outs = _created(provider, CRON)
    news = provider.check(outs, {**CRON, "schedule_config": {"cron_expression": "0 3 * * *",
                                                               "timezone": "UTC"},
                                 "enabled": False}).inputs
    api.requests.clear()
    outs = provider.update(trigger_id, outs, news).outs
    assert [r[:2] for r in api.requests] == [
        ("PATCH", "/v1/clusters/triggers/trig_1"), ("POST", "/v1/clusters/triggers/trig_1/pause")]
    assert api.requests[0][2] == {"schedule_config": {"cron_expression": "0 3 * * *",
                                                      "timezone": "UTC"}}
    assert outs["status"] == "paused" and outs["enabled"] is False
    api.requests.clear()
    outs = provider.update(trigger_id, outs, provider.check(outs, {**CRON, "schedule_config": {
        "cron_expression": "0 3 * * *", "timezone": "UTC"}}).inputs).outs
    assert [r[:2] for r in api.requests] == [
        ("GET", "/v1/clusters/triggers/trig_1"), ("POST", "/v1/clusters/triggers/trig_1/resume")]
    assert outs["status"] == "active"


def test_refresh_shows_a_trigger_paused_changed_or_deleted_outside(api: FakeTriggers) -> None:
    provider = ClusterTriggerProvider()
    trigger_id, outs = _created(provider, CRON)
    same = provider.read(trigger_id, outs)
    assert same.id == trigger_id and same.inputs == provider.check({}, CRON).inputs
    api.triggers[trigger_id].update(status="paused", consecutive_failures=3,
                                    last_execution_error="no documents")
    read = provider.read(trigger_id, outs)
    assert read.inputs["enabled"] is False and read.outs["status"] == "paused"
    assert read.outs["consecutive_failures"] == 3
    assert read.outs["last_execution_error"] == "no documents"
    # the next up sets it back: an in-place update
    assert outcome(provider.diff(trigger_id, read.outs, provider.check({}, CRON).inputs)) == \
        "update"
    api.triggers[trigger_id]["schedule_config"] = {"cron_expression": "0 5 * * *",
                                                   "timezone": "UTC"}
    assert provider.read(trigger_id, outs).inputs["schedule_config"] == {
        "cron_expression": "0 5 * * *", "timezone": "UTC"}
    del api.triggers[trigger_id]
    assert provider.read(trigger_id, outs).id == ""


def test_keys_the_server_fills_in_are_not_drift(api: FakeTriggers) -> None:
    provider = ClusterTriggerProvider()
    trigger_id, outs = _created(provider, CRON)
    api.triggers[trigger_id]["schedule_config"] = {**CRON["schedule_config"], "jitter": 0}
    assert provider.read(trigger_id, outs).inputs["schedule_config"] == CRON["schedule_config"]


def test_delete_and_a_trigger_already_gone(api: FakeTriggers) -> None:
    provider = ClusterTriggerProvider()
    trigger_id, outs = _created(provider, CRON)
    provider.delete(trigger_id, outs)
    assert trigger_id not in api.triggers
    provider.delete(trigger_id, outs)  # 404: already deleted
    assert [r[0] for r in api.requests] == ["POST", "DELETE", "DELETE"]


def test_get_trigger_history(api: FakeTriggers) -> None:
    trigger_id, _ = _created(ClusterTriggerProvider(), CRON)
    history = pulumi_mixpeek.get_trigger_history(trigger_id, limit=10, api_key=KEY,
                                                 namespace="ns", endpoint="https://api.example")
    assert api.requests[-1] == ("POST", f"/v1/clusters/triggers/{trigger_id}/history",
                                {"offset": 0, "limit": 10})
    assert history.total == 1 and history.executions[0].error == "no documents"


# -- the native plugin -------------------------------------------------------------------------
def test_the_native_plugin_checks_diffs_and_invokes(api: FakeTriggers) -> None:
    urn = "urn:pulumi:test::proj::mixpeek:index:ClusterTrigger::nightly"
    provider = MixpeekProvider()
    # What the engine sends: the schema's camelCase names; schedule_config is a free-form
    # map in the schema (its keys depend on the trigger type), so its keys are the API's.
    wire = {"clusterId": CRON["cluster_id"], "triggerType": CRON["trigger_type"],
            "scheduleConfig": CRON["schedule_config"], **PLACE}
    checked = asyncio.run(provider.check(CheckRequest(urn, {}, property_map(wire), b"seed")))
    assert checked.failures == []
    bad = asyncio.run(provider.check(CheckRequest(urn, {}, property_map(
        {**wire, "scheduleConfig": {"cron_expression": "0 2 * *", "timezone": "UTC"}}),
        b"seed")))
    assert [f.reason.partition(":")[0] for f in bad.failures] == [
        "scheduleConfig.cron_expression"
    ]
    olds = plain_map(checked.inputs)
    for change, replaces in (({"description": "x"}, []), ({"clusterId": "clust_2"},
                                                           ["clusterId"])):
        news = property_map({**olds, **change})
        diff = asyncio.run(provider.diff(DiffRequest(urn, "trig_1", checked.inputs, news, [])))
        assert diff.changes is True and diff.replaces == replaces
    trigger_id, _ = _created(ClusterTriggerProvider(), CRON)
    monkey_client = pulumi_mixpeek.resources.base.shared_client  # type: ignore[attr-defined]
    provider._client = lambda: monkey_client(None)  # type: ignore[method-assign]
    answer = asyncio.run(provider.invoke(InvokeRequest(
        "mixpeek:index:getTriggerHistory", property_map({"triggerId": trigger_id}))))
    assert plain_map(answer.return_value)["executions"][0]["jobId"] == "job_1"


# -- the wire models are the SDK's -------------------------------------------------------------
@pytest.mark.parametrize(
    ("ours", "sdk_module", "sdk_class"),
    [
        ("CreateTriggerRequest", "shared_clusters_triggers_models_create_trigger_request",
         "SharedClustersTriggersModelsCreateTriggerRequest"),
        ("UpdateTriggerRequest", "shared_clusters_triggers_models_update_trigger_request",
         "SharedClustersTriggersModelsUpdateTriggerRequest"),
        ("TriggerModel", "shared_clusters_triggers_models_trigger_model",
         "SharedClustersTriggersModelsTriggerModel"),
        ("TriggerHistoryResponse", "shared_clusters_triggers_models_trigger_history_response",
         "SharedClustersTriggersModelsTriggerHistoryResponse"),
        ("TriggerExecutionConfig", "trigger_execution_config", "TriggerExecutionConfig"),
        ("TriggerHistoryRequest", "trigger_history_request", "TriggerHistoryRequest"),
        ("TriggerExecutionHistoryItem", "trigger_execution_history_item",
         "TriggerExecutionHistoryItem"),
    ],
)
def test_trigger_models_have_the_sdks_keys(ours: str, sdk_module: str, sdk_class: str) -> None:
    """SDK 1.3.1 (this venv); SDK 1.3.783's trigger models are the same files but for the
    OpenAPI version line."""
    import importlib

    from pulumi_mixpeek import models

    sdk = getattr(importlib.import_module(f"mixpeek.models.{sdk_module}"), sdk_class)
    assert list(getattr(models, ours).model_fields) == list(sdk.model_fields)


def test_status_and_type_enums_are_the_sdks() -> None:
    from mixpeek.models.shared_clusters_triggers_models_trigger_status import (
        SharedClustersTriggersModelsTriggerStatus,
    )
    from mixpeek.models.shared_clusters_triggers_models_trigger_type import (
        SharedClustersTriggersModelsTriggerType,
    )
    from pulumi_mixpeek.models import TriggerStatus, TriggerType

    assert [s.value for s in TriggerStatus] == [
        s.value for s in SharedClustersTriggersModelsTriggerStatus]
    assert [t.value for t in TriggerType] == [
        t.value for t in SharedClustersTriggersModelsTriggerType]


LOAD = r"""
import base64, json, sys
import dill
provider = dill.loads(base64.b64decode(sys.stdin.read()))
result = provider.check({}, {"cluster_id": "clust_1", "trigger_type": "cron",
    "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"}})
print(json.dumps({"class": type(provider).__module__ + "." + type(provider).__qualname__,
                  "failures": len(result.failures)}))
"""


def test_the_pickle_loads_in_a_fresh_interpreter() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", LOAD], input=trigger.SERIALIZED_PROVIDER,
                          capture_output=True, text=True, check=True,
                          env={"MIXPEEK_NAMESPACE": "ns", "PATH": ""})
    assert json.loads(done.stdout) == {
        "class": "pulumi_mixpeek.resources.trigger_provider.ClusterTriggerProvider",
        "failures": 0,
    }
