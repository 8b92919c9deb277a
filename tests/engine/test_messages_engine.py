"""What the user reads in the CLI's output when something is wrong (issue 19), for both faces:
a misspelt nested property names the nearest valid one with no ``value {<nil>}`` placeholder;
a key set after the last ``pulumi up`` is not seen by ``pulumi refresh`` or ``pulumi destroy``
(they use the provider settings recorded in the state), and the message says so and names
``--run-program``, which works."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.helpers import API_KEY, BOTH_FACES, FACES, Stack, server_clusters
from tests.engine.test_native_engine import TWO_PROVIDERS
from tests.support.emulator import Emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

both_faces = pytest.mark.parametrize("face", BOTH_FACES, indirect=True)

ATTRIBUTE_CLUSTER = {
    "collection_ids": ["col_products"],
    "cluster_type": "attribute",
    "attribute_config": {"attributes": ["brand"]},
    "cluster_name": "by-brand",
}


@both_faces
def test_a_misspelt_nested_property_names_the_nearest_one(stack: Stack) -> None:
    misspelt = {**ATTRIBUTE_CLUSTER,
                "attribute_config": {"attributes": ["brand"], "aggregaton_method": "mean"}}
    stack.declare(products=misspelt)

    preview = stack.project.run("preview", check=False)

    assert preview.returncode != 0
    out = preview.stdout
    # The nearest name in the user's spelling (snake_case in Python; the schema's would be
    # aggregationMethod); the native plugin names the path in the schema's names.
    parent = "attributeConfig" if stack.face.name == "native" else "attribute_config"
    assert (
        f"{parent}.aggregaton_method: unknown property; did you mean 'aggregation_method'?"
        in out
    ), out
    assert "<nil>" not in out, out
    # Said once (the CLI repeats each diagnostic on the resource's progress line).
    assert out.rpartition("Diagnostics:")[2].count("aggregaton_method") == 1, out
    assert stack.api_requests() == []


MISSING_KEY = (
    "No Mixpeek API key is configured. `pulumi {command}` uses the provider settings "
    "recorded in the state by the last `pulumi up`, not the current stack config: if "
    "mixpeek:apiKey was set since, run `pulumi {command} --run-program`; otherwise set it "
    "with `pulumi config set --secret mixpeek:apiKey <key>` or the MIXPEEK_API_KEY "
    "environment variable."
)


@both_faces
def test_a_key_set_after_the_last_up_needs_run_program(
    make_stack: Callable[..., Stack],
) -> None:
    stack = make_stack(api_key=False)
    stack.declare(products=ATTRIBUTE_CLUSTER)
    stack.project.run("up", "--yes", env={"MIXPEEK_API_KEY": API_KEY})
    (cluster,) = stack.server_clusters()
    # The key moves from the environment into the stack's config.
    stack.project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    sent = len(stack.api_requests())

    refresh = stack.project.run("refresh", "--yes", plain=True, check=False)
    destroy = stack.project.run("destroy", "--yes", plain=True, check=False)

    assert refresh.returncode != 0 and destroy.returncode != 0
    for command, result in (("refresh", refresh), ("destroy", destroy)):
        # As one line, however the CLI wraps it; said once (the CLI repeats each diagnostic
        # on the resource's progress line).
        out = " ".join(result.stdout.rpartition("Diagnostics:")[2].split())
        assert MISSING_KEY.format(command=command) in out, result.stdout
        assert out.count("No Mixpeek API key is configured") == 1, result.stdout
    assert len(stack.api_requests()) == sent  # nothing was sent without a key

    stack.project.run("refresh", "--yes", "--run-program")
    read = f"GET /v1/clusters/{cluster['cluster_id']}"
    assert read in [f"{r['method']} {r['path']}" for r in stack.api_requests()[sent:]]
    stack.project.run("destroy", "--yes", "--run-program")
    assert stack.server_clusters() == []


def test_a_key_refused_by_the_api_names_the_provider_argument_it_came_from(
    tmp_path: Path, bin_dir: Path, emulator: Emulator
) -> None:
    """An explicit native provider's key is its argument, not the stack's config."""
    project = PulumiProject.create(tmp_path / "explicit", bin_dir, program=TWO_PROVIDERS)
    project.extra_env.update(FACES["native"].env(bin_dir))
    namespace = f"engine-explicit-{uuid.uuid4().hex[:8]}"
    wrong = "sk_wrong_" + uuid.uuid4().hex
    (project.root / "providers.json").write_text(json.dumps(
        {"eu": {"namespace": namespace, "endpoint": emulator.base_url, "api_key": wrong}}
    ))

    up = project.run("up", "--yes", check=False)

    assert up.returncode != 0
    out = " ".join(up.stdout.rpartition("Diagnostics:")[2].split())
    assert (
        "the Mixpeek API rejected the API key set in the provider resource's apiKey argument "
        "(HTTP 401 UnauthorizedError). Pass a valid key as the provider's apiKey." in out
    ), up.stdout
    assert wrong not in project.logs()
    assert server_clusters(emulator, namespace) == []
