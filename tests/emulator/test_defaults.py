"""``--fill-defaults``: reads carry server-side defaults and fields SDK 1.3.1 does not know,
as the live API's do; the official SDK still reads them."""

from __future__ import annotations

from typing import Any

import mixpeek
import pytest

from tests.emulator.helpers import KEY, Sdk, attribute_body, vector_body
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.emulator


def create(server: Emulator, body: dict[str, Any]) -> dict[str, Any]:
    response = server.api("POST", "/v1/clusters", key=KEY, namespace="ns-defaults", json=body)
    response.raise_for_status()
    created: dict[str, Any] = response.json()
    return created


def read(server: Emulator, cluster_id: str) -> dict[str, Any]:
    response = server.api("GET", f"/v1/clusters/{cluster_id}", key=KEY, namespace="ns-defaults")
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_reads_fill_in_defaults_and_unknown_fields(how: str) -> None:
    options: dict[str, Any] = (
        {"extra_args": ("--fill-defaults",)}
        if how == "flag"
        else {"env": {"MIXPEEK_EMULATOR_FILL_DEFAULTS": "1"}}
    )
    with running_emulator(api_keys=(KEY,), **options) as server:
        body = vector_body(
            cluster_name="filled",
            vector_config={**vector_body()["vector_config"], "algorithm_params": {"n_clusters": 3}},
            llm_labeling={"enabled": True},
        )
        created = create(server, body)
        attribute = create(server, attribute_body(cluster_name="by-brand"))
        got = read(server, created["cluster_id"])
        assert got["algorithm_params"] == {
            "n_clusters": 3, "max_iter": 300, "n_init": 10, "random_state": 42
        }
        assert got["llm_labeling"]["model_name"] == "gpt-4o-mini-2024-07-18"
        assert got["llm_labeling"]["prompt_version"] == 2
        assert got["index_version"] == 3 and created["index_version"] == 3
        assert read(server, attribute["cluster_id"])["aggregation_method"] == "most_frequent"
        listed = server.api(
            "POST", "/v1/clusters/list", key=KEY, namespace="ns-defaults"
        ).json()["results"]
        assert all(c["compute_region"] == "emulator-local" for c in listed)

        sdk = Sdk(server.base_url, KEY, "ns-defaults")
        parsed = sdk.clusters.get_cluster("filled", **sdk.kw)
        assert isinstance(parsed, mixpeek.ClusterMetadata)
        assert parsed.algorithm_params is not None


def test_without_the_switch_reads_echo_what_was_sent() -> None:
    with running_emulator(api_keys=(KEY,)) as server:
        created = create(server, vector_body(cluster_name="plain"))
        got = read(server, created["cluster_id"])
        assert got["algorithm_params"] is None
        assert "index_version" not in got
