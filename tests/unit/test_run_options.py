"""ClusterExecution's run options (API 1.3.783's execute body), without a server: check at each
level (refused at 1.3.1 naming the option and the level), a change is a new run, and the POST
execute carries exactly the declared options, against an httpx.MockTransport that records
what reached it. The options are those of the official SDK 1.3.783's
ExecuteClusterByIdRequest (its ``__properties``, written out here as the oracle)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.provider.experimental.provider import CheckRequest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.errors import ConfigurationError
from pulumi_mixpeek.fields import declared_fields
from pulumi_mixpeek.levels import api_level
from pulumi_mixpeek.models import ExecuteClusterRequest
from pulumi_mixpeek.models.declaration import ClusterExecutionDeclaration, Mutability
from pulumi_mixpeek.plugin.provider import MixpeekProvider
from pulumi_mixpeek.plugin.values import property_map
from pulumi_mixpeek.resources.execution_provider import RUN_OPTIONS, ClusterExecutionProvider

from tests.unit.cluster_helpers import outcome

pytestmark = pytest.mark.unit

KEY = "sk_unit_run_options_SECRET_77"

#: ExecuteClusterByIdRequest.__properties of mixpeek 1.3.783.
SDK_EXECUTE_KEYS = (
    "mode", "source_execution_ids", "assignment_threshold", "filters", "sample_size",
    "vis_n_components", "defer_visualization", "layout_stability", "llm_labeling",
)

RUN = {"cluster_id": "clust_1", "triggers": ["v1"]}
#: One value of every run option (mode assign, which reads assignment_threshold).
OPTIONS: dict[str, Any] = {
    "mode": "assign",
    "assignment_threshold": 0.7,
    "filters": {"AND": [{"field": "brand", "operator": "eq", "value": "acme"}]},
    "sample_size": 5000,
    "vis_n_components": 3,
    "defer_visualization": True,
    "layout_stability": "transform",
    "llm_labeling": {"enabled": True, "model_name": "gemini-2.0-flash"},
}


def at(version: str) -> ClusterExecutionProvider:
    provider = ClusterExecutionProvider()
    provider.configure(ConfigureRequest(Config({"mixpeek:apiVersion": version}, "proj")))
    return provider


def failures(version: str, declaration: dict[str, Any]) -> dict[str, str]:
    result = at(version).check_inputs({}, declaration)  # by path, as test_boundary.py says
    return {f.property: f.reason for f in result.failures or []}


# -- what the options are ------------------------------------------------------------------
def test_the_run_options_are_the_sdk_execute_body_and_each_is_a_new_run() -> None:
    assert RUN_OPTIONS == SDK_EXECUTE_KEYS
    assert tuple(ExecuteClusterRequest.model_fields) == SDK_EXECUTE_KEYS
    marked = {s.name: s.mutability for s in declared_fields(ClusterExecutionDeclaration)}
    assert {name: marked[name] for name in SDK_EXECUTE_KEYS} == dict.fromkeys(
        SDK_EXECUTE_KEYS, Mutability.REPLACE
    )
    for name in SDK_EXECUTE_KEYS:  # the same type and bounds as the wire model
        declared = ClusterExecutionDeclaration.model_fields[name]
        wire = ExecuteClusterRequest.model_fields[name]
        assert (declared.annotation, declared.metadata) == (wire.annotation, wire.metadata), name


# -- check ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SDK_EXECUTE_KEYS)
def test_each_option_is_refused_at_the_seed_level_naming_it_and_the_level(name: str) -> None:
    value = {**OPTIONS, "source_execution_ids": ["run_1", "run_2"]}[name]
    found = failures("1.3.1", {**RUN, name: value})
    assert list(found) == [name]
    reason = found[name]
    assert name in reason and "1.3.1" in reason and "mixpeek:apiVersion" in reason
    assert "1.3.783" in reason  # the level that has it
    assert failures("1.3.783", {**RUN, name: value} | (
        {"mode": "composite"} if name == "source_execution_ids" else {}
    ) | ({"mode": "assign"} if name == "assignment_threshold" else {})) == {}


def test_the_seed_level_refuses_every_declared_option_once_and_a_plain_run_nothing() -> None:
    assert set(failures("1.3.1", {**RUN, **OPTIONS})) == set(OPTIONS)
    assert failures("1.3.1", RUN) == {}
    # A value not known yet (preview) is still a declared option.
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert list(failures("1.3.1", {**RUN, "mode": unknown})) == ["mode"]


def test_todays_level_takes_every_option_and_checks_its_values() -> None:
    assert failures("1.3.783", {**RUN, **OPTIONS}) == {}
    bad = failures(
        "1.3.783",
        {
            **RUN,
            "mode": "partial",
            "vis_n_components": 4,
            "assignment_threshold": 1.5,
            "sample_size": 2_000_000,
            "layout_stability": "keep",
            "defer_visualization": "yes",
        },
    )
    assert set(bad) == {
        "mode", "vis_n_components", "assignment_threshold", "sample_size", "layout_stability",
        "defer_visualization",
    }


def test_an_option_the_declared_mode_does_not_read_is_refused() -> None:
    composite = {"source_execution_ids": ["run_1", "run_2"]}
    assert failures("1.3.783", {**RUN, **composite, "mode": "composite"}) == {}
    # No mode: a cluster made with source_cluster_ids runs composite.
    assert failures("1.3.783", {**RUN, **composite}) == {}
    found = failures("1.3.783", {**RUN, **composite, "mode": "full"})
    assert list(found) == ["source_execution_ids"] and "'composite'" in found[
        "source_execution_ids"
    ]
    found = failures("1.3.783", {**RUN, "assignment_threshold": 0.6})
    assert list(found) == ["assignment_threshold"]
    assert "'assign'" in found["assignment_threshold"] and "'full'" in found[
        "assignment_threshold"
    ]


# -- diff ----------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["1.3.1", "1.3.783"])
def test_a_changed_option_is_a_new_run(version: str) -> None:
    provider = at("1.3.783")
    olds = provider.check({}, {**RUN, **OPTIONS}).inputs
    state = {**olds, "task_id": "task_1", "status": "COMPLETED"}
    assert outcome(at(version).diff("task_1", state, olds)) == "none"
    for name, value in {"sample_size": 900, "mode": "full", "llm_labeling": None}.items():
        news = {**olds, name: value}
        if name == "mode":
            news.pop("assignment_threshold")
        result = at(version).diff("task_1", state, news)
        assert outcome(result) == "replace" and name in (result.replaces or []), name


# -- create: what the POST carries ---------------------------------------------------------
class FakeRuns:
    """The three requests a create makes with wait=False: GET the cluster, POST execute."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        if request.method == "GET" and request.url.path == "/v1/clusters/clust_1":
            return httpx.Response(
                200,
                json={
                    "cluster_id": "clust_1", "cluster_name": "products", "namespace_id": "ns_1",
                    "input_collections": ["col_a"], "cluster_type": "vector",
                },
            )
        if request.method == "POST" and request.url.path == "/v1/clusters/clust_1/execute":
            return httpx.Response(
                200, json={"task_id": "task_9", "task_type": "clustering", "status": "PENDING"}
            )
        raise AssertionError(f"unexpected {request.method} {request.url.path}")

    @property
    def executes(self) -> list[Any]:
        return [body for method, path, body in self.requests if path.endswith("/execute")]


def created(version: str, declaration: dict[str, Any]) -> FakeRuns:
    server = FakeRuns()
    provider = at(version)
    client = MixpeekClient(
        endpoint="https://api.example",
        api_key=KEY,
        namespace="ns-unit",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        level=api_level(version),
    )
    provider._client = lambda _props: client  # type: ignore[method-assign]
    checked = provider.check({}, {**declaration, "wait": False})
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.id == "task_9"
    for name in declaration:
        assert result.outs[name] == checked.inputs[name]  # echoed as outputs
    return server


def test_todays_level_sends_exactly_the_declared_options() -> None:
    server = created("1.3.783", {**RUN, **OPTIONS})
    # Only declared keys, nested ones too: none of LLMLabelingInput's defaults is added.
    assert server.executes == [OPTIONS]
    server = created("1.3.783", {**RUN, "sample_size": 250})
    assert server.executes == [{"sample_size": 250}]


@pytest.mark.parametrize("version", ["1.3.1", "1.3.783"])
def test_a_run_without_options_posts_no_body(version: str) -> None:
    assert created(version, RUN).executes == [None]


def test_the_client_refuses_a_body_at_the_seed_level_before_sending() -> None:
    server = FakeRuns()
    client = MixpeekClient(
        endpoint="https://api.example",
        api_key=KEY,
        namespace="ns-unit",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
        level=api_level("1.3.1"),
    )
    body = ExecuteClusterRequest.model_validate({"mode": "assign"})
    with pytest.raises(ConfigurationError) as refused:
        client.execute_clustering("clust_1", previous_task_id=None, body=body)
    assert "1.3.1" in str(refused.value) and "mode" in str(refused.value)
    assert server.requests == []


def test_a_retried_execute_sends_the_same_body() -> None:
    server = FakeRuns()
    calls = {"n": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/execute"):
            calls["n"] += 1
            if calls["n"] == 1:  # refused before it was handled: sent again
                server.requests.append(("POST", request.url.path, json.loads(request.content)))
                return httpx.Response(
                    429, json={"success": False, "status": 429,
                               "error": {"message": "slow down", "type": "RateLimitError"}}
                )
        return server.handle(request)

    client = MixpeekClient(
        endpoint="https://api.example",
        api_key=KEY,
        namespace="ns-unit",
        http_client=httpx.Client(transport=httpx.MockTransport(flaky)),
        level=api_level("1.3.783"),
        sleep=lambda _s: None,
        notify=lambda _m: None,
    )
    body = ExecuteClusterRequest.model_validate({"mode": "assign", "assignment_threshold": 0.4})
    task = client.execute_clustering("clust_1", previous_task_id=None, body=body)
    assert task.task_id == "task_9"
    assert server.executes == [{"mode": "assign", "assignment_threshold": 0.4}] * 2


def test_the_native_plugin_refuses_them_at_the_seed_level_too() -> None:
    """The suite's level is 1.3.1 (tests/conftest.py); the plugin's check is the same rule."""
    urn = "urn:pulumi:test::proj::mixpeek:index:ClusterExecution::r"
    request = CheckRequest(urn, {}, property_map({**RUN, "mode": "assign"}), b"seed")
    checked = asyncio.run(MixpeekProvider().check(request))
    assert [f.property for f in checked.failures] == ["mode"]
    assert "1.3.1" in checked.failures[0].reason
