"""The server as a process: start-up contract, keys from the environment, --no-control,
clean shutdown, persistence across a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.emulator.helpers import KEY, vector_body
from tests.support.emulator import running_emulator, start_emulator

pytestmark = pytest.mark.emulator


def _spawn(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
           ) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mixpeek_emulator", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_prints_url_first_and_stops_cleanly(tmp_path: Path, sig: int) -> None:
    # The start-up time target (< 2 s) is measured by `make bench`, not asserted here.
    process = _spawn("--port", "0", "--api-key", KEY, cwd=tmp_path)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    # The URL is printed only once the socket accepts connections: no retry needed.
    response = httpx.post(f"{url}/v1/clusters/list",
                          headers={"Authorization": f"Bearer {KEY}", "X-Namespace": "ns"})

    assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0
    assert response.status_code == 200
    # Without --db the database lives under .mixpeek-emulator/ in the working directory.
    assert (tmp_path / ".mixpeek-emulator" / "emulator.db").exists()

    process.send_signal(sig)
    assert process.wait(timeout=10) == 0
    out, err = process.communicate()
    assert out == "" and "Traceback" not in err


def test_keys_from_the_environment(tmp_path: Path) -> None:
    with running_emulator(
        api_keys=(), env={"MIXPEEK_EMULATOR_API_KEYS": "sk_env_one  sk_env_two:only-here"}
    ) as server:
        assert server.api("POST", "/v1/clusters/list", key="sk_env_one",
                          namespace="x").status_code == 200
        assert server.api("POST", "/v1/clusters/list", key="sk_env_two",
                          namespace="only-here").status_code == 200
        assert server.api("POST", "/v1/clusters/list", key="sk_env_two",
                          namespace="x").status_code == 403


def test_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MIXPEEK_EMULATOR_API_KEYS"}
    process = subprocess.run(
        [sys.executable, "-m", "mixpeek_emulator", "--port", "0", "--db", ":memory:"],
        capture_output=True, text=True, env=env, timeout=30,
    )
    assert process.returncode == 2
    assert "--api-key" in process.stderr


def test_no_control_hides_test_controls() -> None:
    with running_emulator(extra_args=("--no-control",)) as server:
        with httpx.Client(base_url=server.base_url) as http:
            for method, path in (("GET", "/_emulator/requests"), ("POST", "/_emulator/reset"),
                                 ("POST", "/_emulator/faults"), ("GET", "/_emulator/faults")):
                response = http.request(method, path, json={})
                assert response.status_code in (404, 405), (method, path)
                assert response.json()["success"] is False
        created = server.api("POST", "/v1/clusters", key=KEY, namespace="ns", json=vector_body())
        assert created.status_code == 200


def test_restart_keeps_clusters_and_tasks(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    args = ("--task-duration", "0.5")
    first = start_emulator(db=db, extra_args=args)
    try:
        kept = first.api("POST", "/v1/clusters", key=KEY, namespace="ns",
                         json=vector_body(cluster_name="survivor")).json()
        first.api("PATCH", "/v1/clusters/survivor", key=KEY, namespace="ns",
                  json={"metadata": {"owner": "me"}})
        done = first.api("POST", "/v1/clusters", key=KEY, namespace="ns",
                         json=vector_body(cluster_name="finished")).json()
        done_task = first.api("POST", f"/v1/clusters/{done['cluster_id']}/execute",
                              key=KEY, namespace="ns").json()["task_id"]
        time.sleep(0.6)
        before = first.api("GET", "/v1/clusters/finished", key=KEY, namespace="ns").json()
        assert before["status"] == "COMPLETED"
        # A run still in flight when the server stops finishes after the restart.
        running_task = first.api("POST", f"/v1/clusters/{kept['cluster_id']}/execute",
                                 key=KEY, namespace="ns").json()["task_id"]
    finally:
        assert first.stop() == 0

    second = start_emulator(db=db, extra_args=args)
    try:
        assert second.base_url != "" and second.process.pid != first.process.pid
        after = second.api("GET", "/v1/clusters/finished", key=KEY, namespace="ns").json()
        assert after == before
        task = second.api("GET", f"/v1/tasks/{done_task}", key=KEY, namespace=None).json()
        assert task["status"] == "COMPLETED"
        time.sleep(0.6)
        survivor = second.api("GET", f"/v1/clusters/{kept['cluster_id']}", key=KEY,
                              namespace="ns").json()
        assert survivor["metadata"] == {"owner": "me"}
        assert survivor["last_execution_task_id"] == running_task
        assert survivor["status"] == "COMPLETED"
        listed = second.api("POST", "/v1/clusters/list", key=KEY, namespace="ns").json()
        assert listed["total_count"] == 2
        # Names stay unique across the restart.
        again = second.api("POST", "/v1/clusters", key=KEY, namespace="ns",
                           json=vector_body(cluster_name="survivor"))
        assert again.status_code == 400
    finally:
        second.stop()
