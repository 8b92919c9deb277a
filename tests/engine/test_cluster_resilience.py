"""The Cluster resource under the real Pulumi CLI when things go wrong: retries the user can
see, a flaky API that still converges, failures that read as one message and never show the
key. Against a real emulator process with seeded faults."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, Stack
from tests.engine.test_cluster_engine import vector_cluster
from tests.support.emulator import Emulator

pytestmark = pytest.mark.engine


@pytest.fixture
def faults(emulator: Emulator) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Set the emulator's faults for this test; cleared afterwards (the server is shared)."""
    yield emulator.faults
    emulator.faults({})


def assert_one_message(output: str) -> None:
    """The provider's error reads as its message under the host's own frames and the one
    that raised it: no chained exceptions, nothing of the HTTP stack, no doubled full stop."""
    for noise in ("httpx", "httpcore", "During handling", "direct cause"):
        assert noise not in output, output
    messages = re.findall(r"pulumi_mixpeek\.errors\.\w+: .*", output)
    assert messages, output
    assert not any(".." in message for message in messages), messages
    for trace in output.split("Traceback (most recent call last):")[1:]:
        frames = trace.split("pulumi_mixpeek.errors.")[0].count('File "')
        assert frames <= 3, trace


# -- what the user sees --------------------------------------------------------------------
def test_retries_and_recoveries_are_shown_in_the_up_output(
    stack: Stack, faults: Callable[[dict[str, Any]], None]
) -> None:
    stack.declare(products=vector_cluster("products"))
    faults({"rules": [
        {"method": "POST", "path": "/v1/clusters", "errors": {"429": 1.0}, "retry_after": 1,
         "times": 1},
        {"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1},
    ]})

    output = stack.run("up", "--yes")

    assert "mixpeek: create cluster 'products': HTTP 429" in output, output
    assert "Retry-After" in output
    assert "looking it up by name" in output
    assert "recovered: cluster clust_" in output
    assert len(stack.server_clusters()) == 1
    assert API_KEY not in output


def test_update_of_a_cluster_deleted_out_of_band_says_to_refresh(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (cluster,) = stack.server_clusters()
    stack.emulator.api(
        "DELETE", f"/v1/clusters/{cluster['cluster_id']}", key=API_KEY, namespace=stack.namespace
    ).raise_for_status()

    stack.declare(products=vector_cluster("products", metadata={"team": "other"}))
    failed = stack.project.run("up", "--yes", check=False)

    assert failed.returncode != 0
    assert "no longer exists" in failed.stdout
    assert "pulumi refresh" in failed.stdout and "pulumi up --refresh" in failed.stdout
    assert_one_message(failed.stdout)
    stack.run("up", "--refresh", "--yes")  # what the message says to do works
    (recreated,) = stack.server_clusters()
    assert recreated["metadata"] == {"team": "other"}


def test_a_taken_name_names_its_holder(stack: Stack) -> None:
    body = {k: v for k, v in vector_cluster("products").items()
            if k not in ("description", "metadata")}
    holder = stack.emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=stack.namespace, json=body
    )
    holder.raise_for_status()
    stack.declare(products=vector_cluster("products"))

    failed = stack.project.run("up", "--yes", check=False)

    assert failed.returncode != 0
    assert holder.json()["cluster_id"] in failed.stdout
    assert "adopt=True" in failed.stdout
    assert "Recovering from an interrupted run" in failed.stdout
    assert_one_message(failed.stdout)
    stack.emulator.api(  # not the stack's: the namespace must be empty afterwards
        "DELETE", f"/v1/clusters/{holder.json()['cluster_id']}", key=API_KEY,
        namespace=stack.namespace,
    ).raise_for_status()


# -- keys ------------------------------------------------------------------------------------
BAD_KEYS = {
    "newline": "sk_engine_first_9f3e1a\nsk_engine_second_2b7c4d",
    "header-injection": "sk_engine_first_9f3e1a\r\nX-Evil: sk_engine_second_2b7c4d",
    "control": "sk_engine_first_9f3e1a\x01sk_engine_second_2b7c4d",
    "non-ascii": "sk_engine_first_9f3e1a\u00fcsk_engine_second_2b7c4d",
    "unknown": "sk_engine_first_9f3e1a_sk_engine_second_2b7c4d",
}
FRAGMENTS = ("engine_first_9f3e1a", "engine_second_2b7c4d")


@pytest.mark.parametrize("source", ["config", "environment"])
@pytest.mark.parametrize("kind", sorted(BAD_KEYS))
def test_a_failing_up_never_shows_the_key(
    make_stack: Callable[..., Stack], kind: str, source: str
) -> None:
    stack = make_stack(api_key=False)
    if source == "config":
        stack.project.set_config("mixpeek:apiKey", BAD_KEYS[kind], secret=True)
    else:
        stack.project.extra_env["MIXPEEK_API_KEY"] = BAD_KEYS[kind]
    stack.declare(products=vector_cluster("products"))

    failed = stack.project.run("up", "--yes", check=False)

    assert failed.returncode != 0
    logs = stack.project.logs()
    for fragment in FRAGMENTS:
        assert fragment not in logs, logs
    if kind == "unknown":
        where = {
            "config": "stack config mixpeek:apiKey",
            "environment": "the MIXPEEK_API_KEY environment variable",
        }[source]
        assert f"the Mixpeek API rejected the API key set in {where}" in failed.stdout
    else:
        assert "cannot be sent in an HTTP header" in failed.stdout
        assert stack.api_requests() == []
    assert "mixpeek:apiKey" in failed.stdout
    assert_one_message(failed.stdout)
    assert stack.server_clusters() == []


# -- a flaky API converges -------------------------------------------------------------------
CHAOS = {
    "seed": 11,
    "rules": [{"errors": {"503": 0.30, "429": 0.10, "500": 0.05}, "drop_rate": 0.20,
               "retry_after": 1}],
}
CHAOS_CLUSTERS = 30
#: Retries per request in the chaos runs. With 45% errors plus 20% of the rest dropped, one
#: attempt in 0.56 fails; 13 attempts fail together once in ~2000 requests.
CHAOS_RETRIES = "12"


def _held_exactly_as_state_says(stack: Stack) -> None:
    """Checked with the faults off: one server cluster per Cluster in the state, with the
    state's id, name and collections, and nothing else in the namespace."""
    stack.emulator.faults({})
    server = {c["cluster_id"]: c for c in stack.server_clusters()}
    state = stack.project.resources(CLUSTER_TYPE)
    names = [c["cluster_name"] for c in server.values()]
    assert len(names) == len(set(names)), f"duplicate names on the server: {sorted(names)}"
    assert sorted(r["id"] for r in state) == sorted(server), "state and server disagree"
    for resource in state:
        outputs = resource["outputs"]
        live = server[resource["id"]]
        assert outputs["cluster_name"] == live["cluster_name"]
        assert outputs["collection_ids"] == live["input_collections"]
    assert not stack.project.export()["deployment"].get("pending_operations")


def _converge(stack: Stack, *args: str, runs: int = 3) -> int:
    """Run a command under the chaos faults until it succeeds; how many runs it took."""
    for run in range(1, runs + 1):
        stack.emulator.faults(CHAOS)
        result = stack.project.run(*args, check=False)
        assert API_KEY not in result.stdout
        if result.returncode == 0:
            return run
    raise AssertionError(f"pulumi {' '.join(args)} did not converge in {runs} runs:\n"
                         f"{result.stdout[-4000:]}")


def test_a_flaky_api_converges_without_duplicates_orphans_or_losses(
    stack: Stack, faults: Callable[[dict[str, Any]], None]
) -> None:
    stack.project.set_config("mixpeek:maxRetries", CHAOS_RETRIES)
    names = [f"c{i:02d}" for i in range(CHAOS_CLUSTERS)]
    small = {"description": None, "metadata": None, "llm_labeling": None}
    stack.declare(**{n: vector_cluster(n, **small) for n in names})
    runs = {"up": _converge(stack, "up", "--yes")}
    _held_exactly_as_state_says(stack)
    assert len(stack.server_clusters()) == CHAOS_CLUSTERS

    # Half updated in place (metadata), half replaced under the same name (collections).
    changed = {
        n: vector_cluster(n, **{**small, "metadata": {"round": 2}}) if i % 2 else
        vector_cluster(n, **{**small, "collection_ids": ["col_round_2"]})
        for i, n in enumerate(names)
    }
    before = {c["cluster_name"]: c["cluster_id"] for c in stack.server_clusters()}
    stack.declare(**changed)
    runs["update-and-replace"] = _converge(stack, "up", "--yes")
    _held_exactly_as_state_says(stack)
    after = {c["cluster_name"]: c for c in stack.server_clusters()}
    for i, n in enumerate(names):
        if i % 2:
            assert after[n]["cluster_id"] == before[n] and after[n]["metadata"] == {"round": 2}
        else:
            assert after[n]["cluster_id"] != before[n]
            assert after[n]["input_collections"] == ["col_round_2"]

    runs["refresh"] = _converge(stack, "refresh", "--yes")
    _held_exactly_as_state_says(stack)
    stack.run("preview", "--expect-no-changes")

    runs["destroy"] = _converge(stack, "destroy", "--yes")
    _held_exactly_as_state_says(stack)
    assert stack.server_clusters() == []
    print(f"\n[chaos] runs to converge: {json.dumps(runs)}")
