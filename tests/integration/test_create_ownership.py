"""Whose cluster is it? A create takes a cluster found under its name only when this create
made it, and recovery, ``adopt=True`` and ``mixpeek-recover-pending`` compare only what the
user declared. Provider methods against a real emulator process, with its fault controls and,
where the live API fills in defaults, ``--fill-defaults``; checked in the server's clusters and
its request log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi_mixpeek.errors import MixpeekError, NameTakenError
from pulumi_mixpeek.recover_pending import main as recover_pending
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.integration.test_cluster_emulator import check, create, live
from tests.integration.test_recover_pending import FakePulumi
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import VECTOR
from tests.unit.state_exports import deployment, pending, urn

pytestmark = pytest.mark.integration

#: A declaration that leaves the algorithm's parameters and the labeling model to the server.
LABELED: dict[str, Any] = {
    **VECTOR,
    "vector_config": {**VECTOR["vector_config"], "clustering_method": "hdbscan"},
    "llm_labeling": {"enabled": True},
}


@pytest.fixture
def filling(defaults_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """The defaults-filling server, empty, with no faults."""
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    defaults_emulator.reset(data=True)
    yield defaults_emulator
    defaults_emulator.reset(data=True)


def clusters(server: Emulator) -> list[dict[str, Any]]:
    response = server.api(
        "POST", "/v1/clusters/list", key=KEY, namespace=NAMESPACE, params={"limit": 100}
    )
    response.raise_for_status()
    return list(response.json()["results"])


def someone_elses(server: Emulator, declaration: dict[str, Any]) -> str:
    """A cluster this stack did not create, made by another client before the test."""
    response = server.api(
        "POST", "/v1/clusters", key=KEY, namespace=NAMESPACE, json=declaration
    )
    response.raise_for_status()
    server.reset()
    return str(response.json()["cluster_id"])


def methods(server: Emulator) -> list[tuple[str, str, int]]:
    return [(r["method"], r["path"], r["status"]) for r in server.requests()]


# -- 1. the stack's own cluster, on a server that fills in defaults ------------------------
def test_lost_create_on_a_defaults_filling_server_recovers_its_own_cluster(
    filling: Emulator,
) -> None:
    provider = configured(filling)
    filling.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "drop_rate": 1.0, "times": 1}]}
    )
    cluster_id, outs = create(provider, LABELED)

    assert [(m, p) for m, p, _ in methods(filling)] == [
        ("POST", "/v1/clusters"),
        ("GET", "/v1/clusters/products"),
    ]
    [only] = clusters(filling)
    assert only["cluster_id"] == cluster_id
    assert only["algorithm_params"], "the server filled in the algorithm's parameters"
    # ... and the state it records reads back as no change.
    read = provider.read(cluster_id, outs)
    assert read.inputs is not None
    diff = provider.diff(cluster_id, outs, check(provider, LABELED))
    assert diff.changes is False


def test_adopt_of_an_identical_declaration_on_a_defaults_filling_server(
    filling: Emulator,
) -> None:
    provider = configured(filling)
    existing = someone_elses(filling, {**LABELED, "cluster_type": "vector"})

    cluster_id, _ = create(provider, {**LABELED, "adopt": True})

    assert cluster_id == existing
    assert [m for m, _, _ in methods(filling)] == ["GET"]


def test_adopt_still_refuses_a_declared_value_that_differs(filling: Emulator) -> None:
    provider = configured(filling)
    someone_elses(filling, {**LABELED, "cluster_type": "vector"})
    vector = {**LABELED["vector_config"], "clustering_method": "kmeans"}
    other = {**LABELED, "vector_config": vector}

    with pytest.raises(MixpeekError, match="clustering_method"):
        create(provider, {**other, "adopt": True})


def test_recover_pending_completes_its_create_on_a_defaults_filling_server(
    filling: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PULUMI_BIN", str(tmp_path / "pulumi"))
    fake = FakePulumi(tmp_path, filling, KEY)
    declared = {**LABELED, "namespace": NAMESPACE, "endpoint": filling.base_url}
    made = someone_elses(filling, {**LABELED, "cluster_type": "vector"})  # the lost create
    fake.state(deployment([], [pending("products", declared)]))

    assert recover_pending(["--cwd", str(tmp_path), "--yes"]) == 0, capsys.readouterr()

    imported = fake.imported()
    assert imported is not None and imported["pending_operations"] == []
    record = imported["resources"][-1]
    assert (record["urn"], record["id"]) == (urn("products"), made)
    assert live(filling, made) is not None


# -- 2. someone else's cluster is never taken, never deleted -------------------------------
@pytest.mark.parametrize(
    "fault",
    [
        pytest.param({"errors": {"429": 1.0}, "retry_after": 0}, id="429-first"),
        pytest.param({"errors": {"503": 1.0}}, id="uncommitted-503-first"),
        pytest.param({"errors": {"400": 1.0}}, id="400-first"),
    ],
)
def test_a_name_held_by_someone_elses_cluster_is_refused_after_a_failed_attempt(
    server: Emulator, provider: ClusterProvider, fault: dict[str, Any]
) -> None:
    theirs = someone_elses(server, {**VECTOR, "cluster_type": "vector"})
    server.faults({"rules": [{"method": "POST", "path": "/v1/clusters", "times": 1, **fault}]})

    with pytest.raises(NameTakenError) as caught:
        create(provider, VECTOR)

    assert theirs in str(caught.value)
    assert not [m for m, _, _ in methods(server) if m in ("DELETE", "PATCH")]
    assert [c["cluster_id"] for c in clusters(server)] == [theirs]


def test_a_failed_follow_up_never_deletes_someone_elses_cluster(
    server: Emulator, provider: ClusterProvider
) -> None:
    theirs = someone_elses(server, {**VECTOR, "cluster_type": "vector"})
    server.faults(
        {
            "rules": [
                {"method": "POST", "path": "/v1/clusters", "errors": {"429": 1.0},
                 "retry_after": 0, "times": 1},
                {"method": "PATCH", "path": "/v1/clusters/*", "errors": {"403": 1.0}},
            ]
        }
    )

    with pytest.raises(NameTakenError):
        create(provider, {**VECTOR, "description": "ours"})

    assert live(server, theirs) is not None
    assert not [m for m, _, _ in methods(server) if m == "DELETE"]


def test_a_lost_create_recovers_only_a_cluster_created_after_it_was_sent(
    server: Emulator, provider: ClusterProvider
) -> None:
    """Its own lost create still recovers (the holder is newer than the attempt)."""
    server.faults(
        {"rules": [{"method": "POST", "path": "/v1/clusters", "commit_errors": {"503": 1.0},
                    "times": 1}]}
    )
    cluster_id, _ = create(provider, VECTOR)
    assert [c["cluster_id"] for c in clusters(server)] == [cluster_id]


# -- a name that reads as a cluster id ----------------------------------------------------
def test_a_name_that_reads_as_a_cluster_id_is_refused_at_check(
    server: Emulator, provider: ClusterProvider
) -> None:
    theirs = someone_elses(server, {**VECTOR, "cluster_type": "vector"})
    result = provider.check({}, {**VECTOR, "cluster_name": theirs, "adopt": True})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("cluster_name", "must not start with 'clust_', the prefix of cluster ids (the API "
         "reads such a name as an id); choose another name")
    ]
    assert server.requests() == []


def test_lookups_by_name_never_return_the_cluster_whose_id_it_is(
    server: Emulator, provider: ClusterProvider
) -> None:
    """Even state written before check refused such names: adopt looks the name up and
    finds no cluster of that name, so it creates one instead of taking the id's holder."""
    theirs = someone_elses(server, {**VECTOR, "cluster_type": "vector"})
    inputs = check(provider, {**VECTOR, "adopt": True})
    inputs["cluster_name"] = theirs  # as an older check let through
    server.reset()

    result = provider.create(inputs)

    assert result.id != theirs
    assert live(server, theirs) is not None
    assert json.dumps(live(server, result.id))  # a new cluster of its own
