"""The `pulumi` commands of the GitOps example workflows, against the real CLI: every flag
they pass exists, and the drift check finds a change made outside Pulumi without changing
anything. (The preview step's form, `preview --json --policy-pack` with streaming JSON, and
its summary are tested in test_plan_summary_engine.py.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.engine.helpers import API_KEY, Stack
from tests.support.workflows import WORKFLOWS, commands

pytestmark = pytest.mark.engine

DRIFT = next(
    c.args
    for c in commands(WORKFLOWS / "mixpeek-drift.yml")
    if c.name == "pulumi" and c.args[0] == "refresh"
)


def test_every_pulumi_flag_the_workflows_pass_exists(bin_dir: Path) -> None:
    checked = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for command in commands(path):
            if command.name != "pulumi":
                continue
            subcommand = [a for a in command.args[:2] if not a.startswith(("-", "$"))]
            help_text = subprocess.run(
                [str(bin_dir / "pulumi"), *subcommand, "--help"],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            ).stdout
            for flag in (a for a in command.args if a.startswith("--")):
                assert f"{flag} " in help_text or f"{flag}=" in help_text, (
                    f"{path.name}: `pulumi {' '.join(subcommand)}` has no {flag}"
                )
                checked += 1
    assert checked >= 8


def test_drift_check_reports_out_of_band_changes_and_changes_nothing(stack: Stack) -> None:
    assert DRIFT[:3] == ["refresh", "--preview-only", "--expect-no-changes"]
    stack.declare(
        products={
            "collection_ids": ["col_products"],
            "vector_config": {
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "kmeans",
            },
            "cluster_name": "products",
            "metadata": {"owner": "search"},
        }
    )
    stack.run("up", "--yes")
    assert stack.project.run(*DRIFT, check=False).returncode == 0

    (cluster,) = stack.server_clusters()
    stack.emulator.api(
        "PATCH",
        f"/v1/clusters/{cluster['cluster_id']}",
        key=API_KEY,
        namespace=stack.namespace,
        json={"metadata": {"owner": "someone-else"}},
    ).raise_for_status()
    before = len(stack.api_requests())

    result = stack.project.run(*DRIFT, check=False)

    assert result.returncode != 0, result.stdout
    assert "metadata" in result.stdout and "someone-else" in result.stdout
    methods = {r["method"] for r in stack.api_requests()[before:]}
    assert methods == {"GET"}, methods  # read only
    # The state still holds the declared value: a preview-only refresh writes nothing.
    (state,) = stack.project.resources("pulumi-python:dynamic/mixpeek:Cluster")
    assert state["outputs"]["metadata"] == {"owner": "search"}
    stack.run("destroy", "--yes")
