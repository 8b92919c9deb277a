"""ClusterExecution's provider against a real emulator process: a completed run, FAILED,
CANCELED and COMPLETED_WITH_ERRORS runs (the server's fault switches), a timeout and the retry
that follows the run instead of starting a second one, bounded polling counted in the request
log, a lost execute response, refresh, and the API key absent from every error."""

from __future__ import annotations

import math
import time
import traceback
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek import get_task
from pulumi_mixpeek.errors import ExecutionError, ExecutionTimeoutError, MixpeekError, NotFoundError
from pulumi_mixpeek.polling import poll_intervals
from pulumi_mixpeek.resources.execution_provider import ClusterExecutionProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.support.emulator import Emulator

pytestmark = pytest.mark.integration

BLOB = serialize_provider(ClusterExecutionProvider())
CLUSTER_BODY: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "cluster_type": "vector",
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "kmeans",
        "algorithm_params": {"n_clusters": 4},
    },
}


@pytest.fixture
def runs(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> ClusterExecutionProvider:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider: ClusterExecutionProvider = configured(server, ClusterExecutionProvider)
    return provider


def make_cluster(server: Emulator, name: str = "products") -> str:
    response = server.api(
        "POST", "/v1/clusters", key=KEY, namespace=NAMESPACE,
        json={**CLUSTER_BODY, "cluster_name": name},
    )
    response.raise_for_status()
    cluster_id: str = response.json()["cluster_id"]
    return cluster_id


def live(server: Emulator, path: str) -> dict[str, Any]:
    response = server.api("GET", path, key=KEY, namespace=NAMESPACE)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def checked(provider: ClusterExecutionProvider, **declaration: Any) -> dict[str, Any]:
    result = provider.check({}, {**declaration, "__provider": BLOB})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {**result.inputs, "__provider": BLOB}


def calls(server: Emulator) -> list[str]:
    return [f"{r['method']} {r['path'].split('/task_')[0]}" for r in server.requests()]


def task_gets(server: Emulator) -> list[dict[str, Any]]:
    return [r for r in server.requests() if r["path"].startswith("/v1/tasks/")]


def no_key_anywhere(error: BaseException, stderr: str = "") -> None:
    text = "".join(traceback.format_exception(error))
    assert KEY not in text and KEY not in repr(error) and KEY not in stderr


# -- the run's lifecycle -------------------------------------------------------------------
def test_completed_run_outputs_and_calls(
    server: Emulator, runs: ClusterExecutionProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster_id = make_cluster(server)
    server.reset()

    result = runs.create(checked(runs, cluster_id=cluster_id, triggers=["v1"]))
    log = calls(server)

    cluster = live(server, f"/v1/clusters/{cluster_id}")
    outs = result.outs
    assert result.id == outs["task_id"] == cluster["last_execution_task_id"]
    assert outs["status"] == "COMPLETED" == cluster["status"]
    assert outs["num_clusters"] == cluster["num_clusters"] == 4
    assert outs["num_documents_clustered"] == cluster["num_documents_clustered"]
    assert outs["completed_at"] == cluster["completed_at"]
    assert outs["error_message"] is None
    assert outs["cluster_id"] == cluster_id and outs["triggers"] == ["v1"]
    assert outs["namespace"] == NAMESPACE
    assert log[:2] == [f"GET /v1/clusters/{cluster_id}", f"POST /v1/clusters/{cluster_id}/execute"]
    assert log[-1] == f"GET /v1/clusters/{cluster_id}"
    assert set(log[2:-1]) == {"GET /v1/tasks"}, log
    # Each status change is one progress line on stderr (what `pulumi up` shows).
    err = capsys.readouterr().err
    task = outs["task_id"]
    assert f"started clustering run {task} of cluster {cluster_id}" in err
    assert f"clustering run {task} of cluster {cluster_id}: PENDING" in err
    assert f"clustering run {task} of cluster {cluster_id}: COMPLETED" in err
    assert "4 clusters" in err


def test_failed_run_fails_with_the_task_error(
    server: Emulator, runs: ClusterExecutionProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_failure_rate": 1.0, "task_failure_message": "out of memory"})

    with pytest.raises(ExecutionError) as failed:
        runs.create(checked(runs, cluster_id=cluster_id))

    task_id = live(server, f"/v1/clusters/{cluster_id}")["last_execution_task_id"]
    message = str(failed.value)
    assert "ended FAILED: out of memory" in message and task_id in message
    assert failed.value.task_id == task_id and failed.value.status == "FAILED"
    no_key_anywhere(failed.value, capsys.readouterr().err)


def test_canceled_run_fails(server: Emulator, runs: ClusterExecutionProvider) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_cancel_rate": 1.0})

    with pytest.raises(ExecutionError, match="ended CANCELED: Clustering run canceled"):
        runs.create(checked(runs, cluster_id=cluster_id))


@pytest.mark.parametrize(
    ("status", "said"),
    [("SKIPPED", "ended SKIPPED"), ("PAUSED_FOR_REVIEW", "'PAUSED_FOR_REVIEW'")],
    ids=["skipped", "not-known"],
)
def test_a_run_that_ends_in_no_running_status_fails_at_once_naming_it(
    server: Emulator, runs: ClusterExecutionProvider, status: str, said: str
) -> None:
    """SKIPPED (1.3.1) is not running: the wait stops when the task reports it, it is not
    polled until the timeout; a status the provider does not know stops it as well."""
    cluster_id = make_cluster(server)
    server.faults({"task_status": status, "task_duration": 0.5})
    started = time.monotonic()

    with pytest.raises(ExecutionError) as stopped:
        runs.create(checked(runs, cluster_id=cluster_id, timeout_seconds=15))

    assert not isinstance(stopped.value, ExecutionTimeoutError), str(stopped.value)
    assert time.monotonic() - started < 8
    cluster = live(server, f"/v1/clusters/{cluster_id}")
    task_id = cluster["last_execution_task_id"]
    assert cluster["status"] == status
    assert stopped.value.task_id == task_id and stopped.value.status == status
    assert said in str(stopped.value) and task_id in str(stopped.value)
    assert len(task_gets(server)) <= 3  # 1 s, 1.5 s: the first GETs after 0.5 s
    no_key_anywhere(stopped.value)


def test_completed_with_errors_succeeds_with_a_warning(
    server: Emulator, runs: ClusterExecutionProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_partial_rate": 1.0, "task_partial_message": "no label for 1 cluster"})

    outs = runs.create(checked(runs, cluster_id=cluster_id)).outs

    assert outs["status"] == "COMPLETED_WITH_ERRORS"
    assert outs["error_message"] == "no label for 1 cluster"
    assert outs["num_clusters"] == live(server, f"/v1/clusters/{cluster_id}")["num_clusters"]
    err = capsys.readouterr().err
    assert f"warning: clustering run {outs['task_id']}" in err
    assert "completed with errors: no label for 1 cluster" in err


def wait_until_finished(server: Emulator, task_id: str, limit_s: float = 20.0) -> str:
    deadline = time.monotonic() + limit_s
    while True:
        status = str(live(server, f"/v1/tasks/{task_id}")["status"])
        if status not in ("PENDING", "PROCESSING", "IN_PROGRESS") or time.monotonic() > deadline:
            return status
        time.sleep(0.3)


def executes(server: Emulator) -> list[dict[str, Any]]:
    return [r for r in server.requests() if r["path"].endswith("/execute")]


def test_a_run_past_its_timeout_is_recorded_and_the_next_up_follows_it_to_its_end(
    server: Emulator, runs: ClusterExecutionProvider, capsys: pytest.CaptureFixture[str]
) -> None:
    """A timeout then a finished run: the next up with the same triggers starts no second
    run (it follows the recorded one)."""
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 3.0})
    inputs = checked(runs, cluster_id=cluster_id, triggers=["v1"], timeout_seconds=1)

    created = runs.create(inputs)

    outs = {**created.outs, "__provider": BLOB}
    task_id = live(server, f"/v1/clusters/{cluster_id}")["last_execution_task_id"]
    assert created.id == outs["task_id"] == task_id
    assert outs["status"] in ("PENDING", "PROCESSING")
    err = capsys.readouterr().err
    assert f"warning: clustering run {task_id}" in err and "timeout_seconds" in err
    assert wait_until_finished(server, task_id) == "COMPLETED"

    # The next `up`, same triggers: an update that follows the recorded run, no new run.
    again = checked(runs, cluster_id=cluster_id, triggers=["v1"], timeout_seconds=1)
    diff = runs.diff(task_id, outs, again)
    assert diff.changes is True and not diff.replaces
    updated = runs.update(task_id, outs, again).outs
    assert updated["task_id"] == task_id and updated["status"] == "COMPLETED"
    assert updated["num_clusters"] == live(server, f"/v1/clusters/{cluster_id}")["num_clusters"]
    assert len(executes(server)) == 1
    # ... and after that, nothing more to do.
    assert runs.diff(task_id, {**updated, "__provider": BLOB}, again).changes is False


def test_a_trigger_change_while_the_previous_run_is_pending_starts_a_new_run(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 5.0})
    first = runs.create(checked(runs, cluster_id=cluster_id, triggers=["v1"], wait=False))
    outs = {**first.outs, "__provider": BLOB}
    assert outs["status"] == "PENDING"

    second_inputs = checked(runs, cluster_id=cluster_id, triggers=["v2"], wait=False)
    assert runs.diff(first.id, outs, second_inputs).replaces == ["triggers"]
    second = runs.create(second_inputs)

    assert second.id != first.id
    assert live(server, f"/v1/clusters/{cluster_id}")["last_execution_task_id"] == second.id
    assert len(executes(server)) == 2


def test_a_run_an_interrupted_up_started_is_followed_not_started_again(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    """The run a killed `up` started (it reached no state) is still going: the next `up`
    (a new provider process: a new provider object, nothing claimed) follows it."""
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 2.0})
    started = server.api("POST", f"/v1/clusters/{cluster_id}/execute", key=KEY,
                         namespace=NAMESPACE)
    started.raise_for_status()
    server.reset()

    outs = runs.create(checked(runs, cluster_id=cluster_id, triggers=["v1"])).outs

    assert outs["task_id"] == started.json()["task_id"] and outs["status"] == "COMPLETED"
    assert executes(server) == []


def test_polling_is_bounded_by_the_backoff_schedule(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    duration = 6.0
    cluster_id = make_cluster(server)
    server.faults({"task_duration": duration})
    server.reset()
    server.faults({"task_duration": duration})

    runs.create(checked(runs, cluster_id=cluster_id))

    gets = task_gets(server)
    # The schedule's GETs up to the first one at or after the end of the run.
    pauses, elapsed, allowed = poll_intervals(), 0.0, 0
    while elapsed < duration:
        elapsed += pauses()
        allowed += 1
    assert 2 <= len(gets) <= allowed + 1, [g["time"] for g in gets]
    assert len(gets) < math.ceil(duration)  # fewer than one GET a second
    gaps = [b["time"] - a["time"] for a, b in zip(gets, gets[1:], strict=False)]
    assert all(later >= earlier * 0.9 for earlier, later in zip(gaps, gaps[1:], strict=False))


def test_wait_false_returns_at_once_and_refresh_reports_the_finished_run(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 1.5})
    inputs = checked(runs, cluster_id=cluster_id, wait=False)

    created = runs.create(inputs)
    assert created.outs["status"] in ("PENDING", "PROCESSING")
    assert created.outs["num_clusters"] is None
    assert task_gets(server) == []

    pending = runs.read(created.id, {**created.outs, "__provider": BLOB})
    assert pending.outs["status"] in ("PENDING", "PROCESSING")
    time.sleep(1.6)
    refreshed = runs.read(created.id, {**created.outs, "__provider": BLOB})
    cluster = live(server, f"/v1/clusters/{cluster_id}")
    assert refreshed.outs["status"] == "COMPLETED"
    assert refreshed.outs["num_clusters"] == cluster["num_clusters"]
    assert refreshed.outs["completed_at"] == cluster["completed_at"]
    # Refresh then preview is a no-op: the inputs read back are the checked ones.
    assert refreshed.inputs == {k: v for k, v in inputs.items() if k != "__provider"}
    assert runs.diff(created.id, refreshed.outs, inputs).changes is False


def test_refresh_after_an_out_of_band_run_keeps_this_runs_figures(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 0.2})
    created = runs.create(checked(runs, cluster_id=cluster_id))
    other = server.api(
        "POST", f"/v1/clusters/{cluster_id}/execute", key=KEY, namespace=NAMESPACE
    ).json()

    refreshed = runs.read(created.id, {**created.outs, "__provider": BLOB})

    assert refreshed.id == created.id != other["task_id"]
    assert refreshed.outs["status"] == "COMPLETED"
    assert refreshed.outs["completed_at"] == created.outs["completed_at"]


def test_read_of_a_run_whose_cluster_is_gone_leaves_the_state(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 0.2})
    created = runs.create(checked(runs, cluster_id=cluster_id))
    server.api("DELETE", f"/v1/clusters/{cluster_id}", key=KEY, namespace=NAMESPACE)

    assert runs.read(created.id, {**created.outs, "__provider": BLOB}).id == ""
    server.reset()
    runs.delete(created.id, {**created.outs, "__provider": BLOB})
    assert server.requests() == []  # delete only leaves the state


def test_lost_execute_response_starts_exactly_one_run(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    cluster_id = make_cluster(server)
    server.faults(
        {
            "task_duration": 0.2,
            "rules": [{"method": "POST", "path": "/v1/clusters/*/execute", "drop_rate": 1.0,
                       "times": 1}],
        }
    )

    outs = runs.create(checked(runs, cluster_id=cluster_id)).outs

    executes = [r for r in server.requests() if r["path"].endswith("/execute")]
    assert [r["fault"] for r in executes] == ["drop"]
    assert outs["task_id"] == live(server, f"/v1/clusters/{cluster_id}")["last_execution_task_id"]
    assert outs["status"] == "COMPLETED"


def test_unknown_cluster_fails_clearly_without_the_key(
    server: Emulator, runs: ClusterExecutionProvider
) -> None:
    with pytest.raises(NotFoundError) as missing:
        runs.create(checked(runs, cluster_id="clust_nope"))
    assert "clust_nope" in str(missing.value)
    no_key_anywhere(missing.value)
    assert [r["method"] for r in server.requests()] == ["GET"]


def test_check_and_diff_make_no_calls_and_need_no_key(server: Emulator) -> None:
    keyless = configured(server, ClusterExecutionProvider, **{"mixpeek:apiKey": None})
    result = keyless.check({}, {"cluster_id": "clust_x", "timeout_seconds": 0, "wiat": True,
                                "__provider": BLOB})
    assert sorted(f.property for f in result.failures) == ["timeout_seconds", "wiat"]
    assert "did you mean 'wait'" in next(f.reason for f in result.failures if f.property == "wiat")
    ok = checked(keyless, cluster_id="clust_x", triggers=["v1"])
    olds = {**ok, "task_id": "task_1", "status": "COMPLETED"}
    assert keyless.diff("task_1", olds, checked(keyless, cluster_id="clust_x", triggers=["v1"],
                                               wait=False)).changes is False
    changed = keyless.diff("task_1", olds, checked(keyless, cluster_id="clust_x", triggers=["v2"]))
    assert changed.changes is None and changed.replaces == ["triggers"]
    assert server.requests() == []


def test_get_task_lookup(server: Emulator, runs: ClusterExecutionProvider) -> None:
    cluster_id = make_cluster(server)
    server.faults({"task_duration": 0.2})
    outs = runs.create(checked(runs, cluster_id=cluster_id)).outs

    task = get_task(outs["task_id"], api_key=KEY, namespace=NAMESPACE, endpoint=server.base_url)
    assert task.task_id == outs["task_id"] and task.status.value == "COMPLETED"
    with pytest.raises(MixpeekError) as missing:
        get_task("task_nope", api_key=KEY, namespace=NAMESPACE, endpoint=server.base_url)
    no_key_anywhere(missing.value)
