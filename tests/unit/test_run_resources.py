"""ClusterExecution and ClusterEnrichment without a server: their declarations read through the
one mutability mechanism, check (every problem, unknown values in preview), diff, the
pickled providers, and polling with a fake clock against an httpx.MockTransport."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.provider.experimental.provider import CheckRequest, DiffRequest
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.errors import ExecutionTimeoutError
from pulumi_mixpeek.fields import declared_fields, replace_fields
from pulumi_mixpeek.models import TaskResponse
from pulumi_mixpeek.models.declaration import (
    ClusterEnrichmentDeclaration,
    ClusterExecutionDeclaration,
    Mutability,
)
from pulumi_mixpeek.plugin.provider import MixpeekProvider
from pulumi_mixpeek.plugin.values import plain_map, property_map
from pulumi_mixpeek.polling import wait_for_task
from pulumi_mixpeek.resources import enrichment, execution
from pulumi_mixpeek.resources.enrichment_provider import (
    ENRICHMENT_OUTPUTS,
    ClusterEnrichmentProvider,
)
from pulumi_mixpeek.resources.execution_provider import RUN_OUTPUTS, ClusterExecutionProvider

from tests.unit.cluster_helpers import outcome

pytestmark = pytest.mark.unit

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
KEY = "sk_unit_runs_SECRET_4242"


def test_mutability_is_read_from_the_declarations() -> None:
    run = {s.name: s.mutability for s in declared_fields(ClusterExecutionDeclaration)}
    assert run == {
        "cluster_id": Mutability.REPLACE,
        "triggers": Mutability.REPLACE,
        "wait": Mutability.PROVIDER,
        "timeout_seconds": Mutability.PROVIDER,
        # The run options (API 1.3.783's execute body): a change is a new run.
        "mode": Mutability.REPLACE,
        "source_execution_ids": Mutability.REPLACE,
        "assignment_threshold": Mutability.REPLACE,
        "filters": Mutability.REPLACE,
        "sample_size": Mutability.REPLACE,
        "vis_n_components": Mutability.REPLACE,
        "defer_visualization": Mutability.REPLACE,
        "layout_stability": Mutability.REPLACE,
        "llm_labeling": Mutability.REPLACE,
        "namespace": Mutability.REPLACE,
        "endpoint": Mutability.REPLACE,
    }
    assert replace_fields(ClusterEnrichmentDeclaration) == {
        "clustering_ids", "source_collection_id", "target_collection_id", "batch_size",
        "parallelism", "triggers", "namespace", "endpoint",
    }
    for model in (ClusterExecutionDeclaration, ClusterEnrichmentDeclaration):
        assert all(spec.description for spec in declared_fields(model))


def test_preview_accepts_unknown_ids_and_diff_counts_them_as_a_new_run() -> None:
    provider = ClusterExecutionProvider()
    provider.configure(ConfigureRequest(Config({"mixpeek:namespace": "ns-a"}, "proj")))
    result = provider.check({}, {"cluster_id": UNKNOWN, "triggers": [UNKNOWN]})
    assert result.failures == []
    assert result.inputs["namespace"] == "ns-a"
    olds = {"cluster_id": "clust_1", "triggers": ["v1"], "namespace": "ns-a",
            "endpoint": "https://api.mixpeek.com", "task_id": "t"}
    assert outcome(provider.diff("t", olds, result.inputs)) == "replace"
    same = provider.check({}, {"cluster_id": "clust_1", "triggers": ["v1"], "wait": False,
                               "timeout_seconds": 60.0})
    assert outcome(provider.diff("t", olds, same.inputs)) == "none"
    moved = provider.check({}, {"cluster_id": "clust_1", "triggers": ["v1"], "namespace": "b"})
    assert provider.diff("t", olds, moved.inputs).replaces == ["namespace"]


def test_check_reports_each_bad_property_once() -> None:
    result = ClusterEnrichmentProvider().check(
        {}, {"clustering_ids": "clust_1", "source_collection_id": "", "parallelism": 0,
             "fail_on_error": True},
    )
    reasons = {f.property: f.reason for f in result.failures}
    assert set(reasons) == {"clustering_ids", "source_collection_id", "parallelism",
                            "fail_on_error"}
    assert "did you mean 'fail_on_errors'" in reasons["fail_on_error"]


LOAD = r"""
import base64, json, sys
import dill
provider = dill.loads(base64.b64decode(sys.stdin.read()))
print(json.dumps(type(provider).__module__ + "." + type(provider).__qualname__))
"""


@pytest.mark.parametrize("cls", [ClusterExecutionProvider, ClusterEnrichmentProvider])
def test_pickle_is_a_small_key_free_reference(
    cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXPEEK_API_KEY", KEY)
    provider = cls()
    provider.configure(ConfigureRequest(Config({"mixpeek:apiKey": KEY}, "proj")))
    blob = serialize_provider(provider)
    raw = base64.b64decode(blob)
    assert KEY.encode() not in raw and len(raw) < 200
    assert blob == serialize_provider(cls())
    done = subprocess.run([sys.executable, "-c", LOAD], input=blob, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"}, check=True)
    assert json.loads(done.stdout) == f"{cls.__module__}.{cls.__qualname__}"


@pytest.mark.parametrize(
    ("module", "provider", "outputs"),
    [
        (execution, ClusterExecutionProvider, RUN_OUTPUTS),
        (enrichment, ClusterEnrichmentProvider, ENRICHMENT_OUTPUTS),
    ],
    ids=["ClusterExecution", "ClusterEnrichment"],
)
def test_resource_registers_the_sdk_pickle_and_the_providers_outputs(
    module: Any, provider: type[Any], outputs: tuple[str, ...]
) -> None:
    assert module.SERIALIZED_PROVIDER == serialize_provider(provider())
    assert module.OUTPUT_NAMES == outputs


DECLARE_ONLY = """
import json, sys
import pulumi_mixpeek as mixpeek
mixpeek.ClusterExecution, mixpeek.ClusterEnrichment
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("httpx", "pydantic")
      or m.endswith("_provider"))))
"""


def test_declaring_runs_does_not_import_the_provider_implementation() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DECLARE_ONLY], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_polling_backs_off_and_stops_at_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    gets: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        gets.append(request.url.path)
        status = "PENDING" if len(gets) < 2 else "PROCESSING"
        return httpx.Response(200, json={"task_id": "task_1", "task_type": "engine_cluster_build",
                                         "status": status})

    client = MixpeekClient(endpoint="https://api.example", api_key=KEY, namespace="ns",
                           http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    clock = FakeClock()
    start = TaskResponse(task_id="task_1", task_type="engine_cluster_build", status="PENDING")

    with pytest.raises(ExecutionTimeoutError) as timed_out:
        wait_for_task(client, start, cluster_id="clust_1", timeout_s=20, clock=clock,
                      sleep=clock.sleep)

    assert clock.sleeps == [1.0, 1.5, 2.25, 3.375, 5.0625, 6.8125]  # last: the time left
    assert clock.now == 20 and len(gets) == 6
    assert timed_out.value.task_id == "task_1" and "task_1" in str(timed_out.value)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "mixpeek: clustering run task_1 of cluster clust_1: PENDING",
        "mixpeek: clustering run task_1 of cluster clust_1: PROCESSING (2 s)",
    ]


# -- the native plugin serves both resources with the same rules ---------------------------
@pytest.mark.parametrize(
    ("token", "base", "change", "replaced"),
    [
        # The schema's camelCase names, as the engine sends them.
        ("ClusterExecution", {"clusterId": "clust_1", "triggers": ["v1"]},
         {"triggers": ["v2"]}, ["triggers"]),
        ("ClusterEnrichment", {"clusteringIds": ["clust_1"], "sourceCollectionId": "col_a"},
         {"batchSize": 10}, ["batchSize"]),
    ],
)
def test_the_native_plugin_checks_and_diffs_them(
    token: str, base: dict[str, Any], change: dict[str, Any], replaced: list[str]
) -> None:
    urn = f"urn:pulumi:test::proj::mixpeek:index:{token}::r"
    provider = MixpeekProvider()
    checked = asyncio.run(provider.check(CheckRequest(urn, {}, property_map(base), b"seed")))
    assert checked.failures == []
    bad = asyncio.run(
        provider.check(CheckRequest(urn, {}, property_map({**base, "nope": 1}), b"seed"))
    )
    assert [f.property for f in bad.failures] == ["nope"]
    olds = plain_map(checked.inputs)
    same = asyncio.run(provider.diff(DiffRequest(urn, "id_1", checked.inputs, checked.inputs, [])))
    assert same.changes is False
    news = property_map({**olds, **change})
    changed = asyncio.run(provider.diff(DiffRequest(urn, "id_1", checked.inputs, news, [])))
    assert changed.changes is True and changed.replaces == replaced
    assert not changed.delete_before_replace
