"""An interrupted ``pulumi up`` (SIGKILL while creates are in flight) and its recovery with
``scripts/recover-pending`` (``mixpeek-recover-pending``), under the real CLI."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, Stack
from tests.support.emulator import Emulator
from tests.support.pulumi import REPO

pytestmark = pytest.mark.engine

RECOVER = REPO / "scripts" / "recover-pending"
#: The dynamic-provider plugin serves 4 calls at once (pulumi/dynamic/__main__.py,
#: max_workers=4), so creates go out in batches of 4 POSTs. The faults shape an interrupted
#: run: the first batch is answered quickly (created); every later POST is held IN_FLIGHT_MS
#: by the server, so the second batch is in flight when the run is killed; of it, the first
#: REACHED POSTs are then handled and stored (they reach the server anyway), the others refused
#: (503, nothing stored: pending in the state without ever reaching the server).
#: Why the refused ones are in flight too, rather than queued behind the second batch: the
#: engine runs a resource's Check before its create step, one at a time, through the same 4
#: workers, so once the second batch holds them no further create is issued; how many creates
#: queue behind it was a race (this test failed when none did).
BATCH = 4
REACHED = 2
IN_FLIGHT_MS = 10_000
CLUSTERS = 24


@pytest.fixture
def slow_creates(emulator: Emulator) -> Iterator[None]:
    post = {"method": "POST", "path": "/v1/clusters"}
    emulator.faults(
        {
            "rules": [
                {**post, "latency_ms": 500, "times": BATCH},
                {**post, "latency_ms": IN_FLIGHT_MS, "times": REACHED},
                {**post, "latency_ms": IN_FLIGHT_MS, "errors": {"503": 1.0}},
            ]
        }
    )
    try:
        yield
    finally:
        emulator.faults({})


def declaration(index: int) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "collection_ids": [f"col_{index % 3}"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans" if index % 2 else "hdbscan",
        },
    }
    if index % 6:  # every sixth cluster is auto-named (check generates the name)
        spec["cluster_name"] = f"interrupted-{index:02d}"
    if index % 2:  # description + metadata: the create sends a PATCH after the POST
        spec.update(description=f"cluster {index}", metadata={"index": str(index)})
    return spec


def posts(stack: Stack) -> list[dict[str, Any]]:
    return [
        r for r in stack.api_requests() if r["method"] == "POST" and r["path"] == "/v1/clusters"
    ]


def answered(stack: Stack) -> list[dict[str, Any]]:
    """The create POSTs the server handled (stored)."""
    return [r for r in posts(stack) if r["status"] < 400]


def run_processes(stack: Stack) -> list[int]:
    """Processes started for this project (their environment names its PULUMI_HOME)."""
    marker = f"PULUMI_HOME={stack.project.root / '.pulumi-home'}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_until_settled(stack: Stack) -> None:
    """Until requests the killed run had sent are handled: no new request for a while."""
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < IN_FLIGHT_MS / 1000 + 1.5:
        count = len(stack.api_requests())
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        time.sleep(0.25)


def checkpoint_pending(stack: Stack) -> list[dict[str, Any]]:
    """The pending operations in the file backend's checkpoint, read without the CLI (the
    backend replaces the file atomically)."""
    for path in (stack.project.root / ".state" / ".pulumi" / "stacks").glob("*/*.json"):
        if path.name == f"{stack.project.stack}.json":
            try:
                latest = json.loads(path.read_text())["checkpoint"].get("latest") or {}
            except (OSError, ValueError):
                return []
            return list(latest.get("pending_operations") or [])
    return []


def pending_creates(stack: Stack) -> list[dict[str, Any]]:
    operations = stack.project.export()["deployment"].get("pending_operations") or []
    return [op["resource"] for op in operations if op["type"] == "creating"]


def recover(stack: Stack, *args: str) -> tuple[int, str]:
    result = stack.project.execute(
        [str(stack.project.python), str(RECOVER), *args],
        shown=f"scripts/recover-pending {' '.join(args)}",
        check=False,
    )
    return result.returncode, result.stdout


@dataclass
class Interrupted:
    """What a killed ``up`` left: its pending creates, split by whether the server got them."""

    pending: list[dict[str, Any]]
    on_server: dict[str, dict[str, Any]]  # cluster name -> cluster

    @property
    def reached(self) -> list[dict[str, Any]]:
        return [p for p in self.pending if p["inputs"]["cluster_name"] in self.on_server]

    @property
    def missed(self) -> list[dict[str, Any]]:
        return [p for p in self.pending if p["inputs"]["cluster_name"] not in self.on_server]

    def cluster_id(self, resource: dict[str, Any]) -> str:
        return str(self.on_server[resource["inputs"]["cluster_name"]]["cluster_id"])


def interrupt_up(stack: Stack, clusters: int) -> Interrupted:
    """Declare ``clusters`` clusters, start ``up`` and SIGKILL it (its process group, then
    the plugin that outlives it) while the second batch of creates is in flight
    (``slow_creates``)."""
    stack.declare(**{f"c{i:02d}": declaration(i) for i in range(clusters)})
    # More create steps at once than the plugin serves (4), so creates queue in the plugin.
    run = stack.project.start("up", "--yes", "--skip-preview", "--parallel", "12")
    deadline = time.monotonic() + 180
    # The first batch answered, and the second in flight (pending in the checkpoint).
    while len(answered(stack)) < BATCH or len(checkpoint_pending(stack)) < BATCH:
        assert run.process.poll() is None, f"up ended before it was killed:\n{run.output()}"
        assert time.monotonic() < deadline, f"too few creates in flight:\n{run.output()}"
        time.sleep(0.05)
    time.sleep(1)  # let the second batch's POSTs leave
    assert len(answered(stack)) == BATCH, "killed too late: the second batch was answered"
    run.kill_group()
    # The dynamic-provider plugin runs in a process group of its own (the CLI starts plugins
    # with setpgid), so it outlives the killed group; end it too, as a torn-down CI job would.
    survivors = run_processes(stack)
    assert survivors, "expected the plugin to outlive the CLI's process group"
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    wait_until_settled(stack)
    stack.emulator.faults({})
    # The README's procedure: a kill during a file-backend write can leave an empty
    # ``.attrs`` sidecar (then every command fails with "failed to load checkpoint: EOF");
    # delete those. And a killed run keeps the stack locked.
    for sidecar in (stack.project.root / ".state").rglob("*.attrs"):
        if sidecar.stat().st_size == 0:
            sidecar.unlink()
    stack.run("cancel", "--yes")

    result = Interrupted(
        pending_creates(stack), {c["cluster_name"]: c for c in stack.server_clusters()}
    )
    # Every cluster on the server is known to the state, as a resource or a pending create.
    known = {r["inputs"].get("cluster_name") for r in stack.project.resources(CLUSTER_TYPE)}
    assert set(result.on_server) <= known | {p["inputs"]["cluster_name"] for p in result.pending}
    assert len(result.reached) == REACHED, (len(result.reached), len(result.missed))
    assert len(result.missed) >= 2, (len(result.reached), len(result.missed))
    return result


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the run's processes")
def test_up_killed_during_creates_is_recovered(stack: Stack, slow_creates: None) -> None:
    run = interrupt_up(stack, CLUSTERS)
    pending, on_server, reached, missed = run.pending, run.on_server, run.reached, run.missed
    # Someone creates a cluster under one of the missing names meanwhile, configured
    # differently: the recovery must neither take it over nor delete it.
    foreign_name = missed[0]["inputs"]["cluster_name"]
    foreign = stack.emulator.api(
        "POST",
        "/v1/clusters",
        key=API_KEY,
        namespace=stack.namespace,
        json={
            "cluster_name": foreign_name,
            "collection_ids": ["col_someone_else"],
            "cluster_type": "attribute",
            "attribute_config": {"attributes": ["brand"]},
        },
    ).json()

    # Pulumi's own answer leaves them pending.
    stack.run("refresh", "--yes")
    assert {p["urn"] for p in pending_creates(stack)} == {p["urn"] for p in pending}

    code, report = recover(stack)
    assert code == 4, report  # dry run; a name is held by a cluster that is not ours
    assert {p["urn"] for p in pending_creates(stack)} == {p["urn"] for p in pending}
    for item in pending:
        assert item["urn"] in report
    assert foreign["cluster_id"] in report and "not taken over, not deleted" in report

    requests_before = len(stack.api_requests())
    code, report = recover(stack, "--yes")
    assert code == 4, report
    assert pending_creates(stack) == []
    # Only the reached creates were completed (one PATCH each where the create sets a
    # description or metadata); nothing was created or deleted.
    methods = {r["method"] for r in stack.api_requests()[requests_before:]}
    assert methods <= {"GET", "PATCH"}, methods
    state = {r["inputs"]["cluster_name"]: r for r in stack.project.resources(CLUSTER_TYPE)}
    for item in reached:
        name = item["inputs"]["cluster_name"]
        assert state[name]["id"] == on_server[name]["cluster_id"]
        assert state[name]["outputs"]["__provider"] == item["inputs"]["__provider"]
    assert stack.server_cluster(foreign["cluster_id"]) is not None

    # The person's fix for the foreign cluster: here, remove it. Then the next up creates
    # what never reached the server.
    stack.emulator.api(
        "DELETE", f"/v1/clusters/{foreign['cluster_id']}", key=API_KEY, namespace=stack.namespace
    ).raise_for_status()
    stack.run("up", "--yes")

    clusters = stack.server_clusters()
    names = sorted(c["cluster_name"] for c in clusters)
    assert len(names) == len(set(names)) == CLUSTERS, names
    resources = stack.project.resources(CLUSTER_TYPE)
    assert sorted(r["id"] for r in resources) == sorted(c["cluster_id"] for c in clusters)
    assert stack.project.export()["deployment"].get("pending_operations") in (None, [])
    by_name = {c["cluster_name"]: c for c in clusters}
    for resource in resources:
        declared = resource["inputs"]
        assert by_name[declared["cluster_name"]]["metadata"] == declared.get("metadata")
    stack.run("preview", "--expect-no-changes")
    code, report = recover(stack)
    assert code == 0 and "nothing to do" in report, report
    assert run_processes(stack) == []


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the run's processes")
def test_refresh_import_pending_creates_drops_them_unread(stack: Stack, slow_creates: None) -> None:
    """What Pulumi's own non-interactive answer does here (docs/recovering.md, "Recovering
    from an interrupted run"): the CLI turns each named pending create into a pending import,
    the refresh reads only the resources already in the state, and the new snapshot keeps
    only pending creates; so the clusters vanish from the state and stay on the server. The
    pending creates not named are then resolved with ``--strategy recreate``.

    Why, in the engine source (``github.com/pulumi/pulumi/pkg/v3`` v3.274.1): the flag only
    rewrites the stack's state before the refresh, turning each named pending operation from
    ``creating`` into ``importing`` with the given ID (``cmd/pulumi/operations/refresh.go``,
    ``pendingCreatesToImports``). Nothing in the engine consumes an ``importing`` operation:
    the refresh plans one step per resource already in the state
    (``resource/deploy/deployment_executor.go``, ``refresh``), so the provider is never asked
    to read those IDs, and the snapshot the refresh writes carries forward only pending
    ``creating`` operations of the previous one (``backend/snapshot.go`` and
    ``backend/journal.go``, "Track pending create operations from the base snapshot"). The
    interactive "import" answer of ``pulumi refresh`` makes the same edit. Had the engine made
    import steps of them, it would still fail with this provider: an import step calls Read
    with the ID alone, no inputs and no state (``resource/deploy/step.go``,
    ``ImportStep.Apply``), so the Python dynamic-provider host finds no pickled provider to
    load (pulumi/pulumi#16175, why ``pulumi import`` does not work for dynamic resources)."""
    run = interrupt_up(stack, 12)
    named, unnamed = run.reached[:1], run.reached[1:]
    imported = {p["urn"]: run.cluster_id(p) for p in named}
    flags = [
        arg
        for urn, cluster_id in imported.items()
        for arg in ("--import-pending-creates", urn, "--import-pending-creates", cluster_id)
    ]
    before = len(stack.api_requests())

    stack.run("refresh", "--yes", *flags)

    read = {r["path"].rsplit("/", 1)[1] for r in stack.api_requests()[before:]}
    assert read.isdisjoint(imported.values()), "the provider was never asked to read them"
    state = stack.project.export()["deployment"]
    assert {r["urn"] for r in state["resources"]}.isdisjoint(imported)
    still_pending = {op["resource"]["urn"] for op in state.get("pending_operations") or []}
    assert still_pending == {p["urn"] for p in unnamed + run.missed}
    for cluster_id in imported.values():
        assert stack.server_cluster(cluster_id) is not None, "orphaned on the server"

    code, report = recover(stack, "--strategy", "recreate")
    assert code == 3, report  # dry run, something to do
    before = len(stack.api_requests())
    code, report = recover(stack, "--strategy", "recreate", "--yes")
    assert code == 0, report
    deleted = {
        r["path"].rsplit("/", 1)[1]
        for r in stack.api_requests()[before:]
        if r["method"] == "DELETE"
    }
    assert deleted == {run.cluster_id(p) for p in unnamed}
    assert {r["method"] for r in stack.api_requests()[before:]} <= {"GET", "DELETE"}
    assert pending_creates(stack) == []
    for cluster_id in deleted:
        assert stack.server_cluster(cluster_id) is None
    assert recover(stack)[0] == 0

    # Leave nothing behind (the teardown checks the namespace is empty): the clusters the
    # import orphaned are this test's to delete.
    for cluster_id in imported.values():
        stack.emulator.api(
            "DELETE", f"/v1/clusters/{cluster_id}", key=API_KEY, namespace=stack.namespace
        ).raise_for_status()
