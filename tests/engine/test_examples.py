"""Every example under examples/ runs under the real CLI, in its own virtualenv (made from
its requirements.txt by `make examples`), against a real emulator process."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, server_clusters
from tests.support.emulator import Emulator, running_emulator
from tests.support.pulumi import REPO, PulumiProject

pytestmark = pytest.mark.engine

EXAMPLES = REPO / "examples"


def example_project(name: str, tmp_path: Path, bin_dir: Path) -> PulumiProject:
    source = EXAMPLES / name
    venv = source / "venv"
    if not (venv / "bin" / "python").exists():
        pytest.fail(f"{venv} is missing: `make examples` creates it from requirements.txt")
    root = tmp_path / name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("venv", "Pulumi.*.yaml"))
    (root / "venv").symlink_to(venv)
    return PulumiProject.create(root, bin_dir, virtualenv=root / "venv", stack="dev")


def run_example(
    name: str, tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> tuple[PulumiProject, dict[str, Any], list[dict[str, Any]]]:
    project = example_project(name, tmp_path, bin_dir)
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)

    project.run("up", "--yes")
    outputs = project.outputs()
    clusters = server_clusters(emulator, namespace)
    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes")
    assert server_clusters(emulator, namespace) == []
    assert project.resources(CLUSTER_TYPE) == []
    assert API_KEY not in project.logs()
    return project, outputs, clusters


def test_examples_are_all_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()) == [
        "attribute-hierarchy",
        "clustering-pipeline",
        "go-quickstart",  # Automation API inline: tests/engine/test_languages_engine.py
        "multi-cluster",
        "quickstart",
        "scheduled-clustering",
        "typescript-quickstart",  # Automation API inline: tests/engine/test_languages_engine.py
        "yaml-quickstart",  # plain `pulumi`, YAML language host: tests/engine/test_yaml_engine.py
    ]


def test_quickstart(tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str) -> None:
    _, outputs, clusters = run_example("quickstart", tmp_path, bin_dir, emulator, namespace)

    (cluster,) = clusters
    assert outputs["cluster_id"] == cluster["cluster_id"]
    assert outputs["cluster_name"] == "quickstart-products-dev"
    assert outputs["output_collection_ids"] == cluster["output_collection_ids"]
    assert cluster["algorithm"] == "hdbscan"
    assert cluster["llm_labeling"]["enabled"] is True
    assert cluster["metadata"] == {"team": "search", "managed-by": "pulumi"}


def test_attribute_hierarchy(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    _, outputs, clusters = run_example(
        "attribute-hierarchy", tmp_path, bin_dir, emulator, namespace
    )

    (cluster,) = clusters
    assert cluster["cluster_type"] == "attribute"
    assert cluster["algorithm"] == outputs["algorithm"] == "attribute_based"
    assert cluster["clustered_attributes"] == ["metadata.category", "metadata.brand"]
    assert cluster["hierarchical_grouping"] is True
    assert cluster["enrich_source"] is True
    # Enriching the source collection writes into it: no new output collection.
    assert outputs["enriched_collections"] == ["col_catalog"]


def test_multi_cluster(tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str) -> None:
    _, outputs, clusters = run_example("multi-cluster", tmp_path, bin_dir, emulator, namespace)

    by_name = {c["cluster_name"]: c for c in clusters}
    assert sorted(by_name) == ["styles-dev", "themes-dev", "topics-dev"]
    topics, themes = by_name["topics-dev"], by_name["themes-dev"]
    assert (
        topics["input_collections"]
        == by_name["styles-dev"]["input_collections"]
        == [
            "col_articles",
            "col_videos",
        ]
    )
    # The dependency: "themes" clusters the collection "topics" writes into.
    assert themes["input_collections"] == topics["output_collection_ids"]
    assert themes["metadata"] == {"built_from": topics["cluster_id"]}
    assert outputs["cluster_ids"] == {
        "topics": topics["cluster_id"],
        "styles": by_name["styles-dev"]["cluster_id"],
    }


def test_examples_commit_no_stack_file() -> None:
    """Stack files hold each user's endpoint, namespace and encrypted key; a committed one is
    rewritten by the README's `pulumi stack init` / `pulumi config set`."""
    tracked = subprocess.run(
        ["git", "ls-files", "examples/*/Pulumi.*.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert tracked == ""


@pytest.mark.parametrize(
    "name",
    [
        "quickstart",
        "attribute-hierarchy",
        "multi-cluster",
        "clustering-pipeline",
        "scheduled-clustering",
    ],
)
def test_readme_steps_leave_the_repository_clean(name: str, bin_dir: Path, tmp_path: Path) -> None:
    """The README's steps in the example's own directory (stack init, config set) create no
    file git would show and change no tracked one."""
    example = EXAMPLES / name
    stack = f"readme-{uuid.uuid4().hex[:8]}"

    def git_status() -> str:
        return subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", str(example)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    before = git_status()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "MIXPEEK_"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(tmp_path / "home"),
        PULUMI_BACKEND_URL=(tmp_path / "backend").as_uri(),
        PULUMI_CONFIG_PASSPHRASE="readme",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    (tmp_path / "backend").mkdir()
    steps = [
        ["stack", "init", stack],
        ["config", "set", "mixpeek:endpoint", "http://127.0.0.1:8765"],
        ["config", "set", "mixpeek:namespace", "demo"],
        ["config", "set", "--secret", "mixpeek:apiKey", "sk_local_demo"],
    ]
    try:
        for step in steps:
            subprocess.run(
                ["pulumi", *step, "--stack", stack] if step[0] == "config" else ["pulumi", *step],
                cwd=example,
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
        assert (example / f"Pulumi.{stack}.yaml").exists()  # the steps did write it ...
        assert git_status() == before  # ... and git ignores it
    finally:
        (example / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)


def test_clustering_pipeline(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    project, outputs, clusters = run_example(
        "clustering-pipeline", tmp_path, bin_dir, emulator, namespace
    )

    (cluster,) = clusters
    assert outputs["cluster_id"] == cluster["cluster_id"]
    assert outputs["task_id"] == cluster["last_execution_task_id"]
    assert outputs["run_status"] == "COMPLETED" and outputs["num_clusters"] == 8
    assert outputs["documents_enriched"] == cluster["num_documents_clustered"]
    assert f"clustering run {outputs['task_id']}" in project.logs()


def test_scheduled_clustering(tmp_path: Path, bin_dir: Path, namespace: str) -> None:
    # A server of its own: on the shared one, the trigger this example makes left state that
    # made tests/engine/test_interrupted_run.py fail when it ran after this test (seen twice;
    # cause not isolated yet).
    with running_emulator(api_keys=(API_KEY,)) as emulator:
        _run_scheduled_clustering(tmp_path, bin_dir, emulator, namespace)


def _run_scheduled_clustering(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    def listed() -> list[dict[str, Any]]:
        response = emulator.api(
            "POST", "/v1/clusters/triggers/list", key=API_KEY, namespace=namespace, json={}
        )
        response.raise_for_status()
        body = response.json()
        return list(body["results"])

    project = example_project("scheduled-clustering", tmp_path, bin_dir)
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    project.run("up", "--yes")
    outputs = project.outputs()
    triggers = listed()
    project.run("preview", "--expect-no-changes")
    project.run("destroy", "--yes")

    (trigger,) = triggers
    assert trigger["trigger_id"] == outputs["trigger_id"]
    assert trigger["cluster_id"] == outputs["cluster_id"]
    assert trigger["trigger_type"] == "cron" and trigger["status"] == "active"
    assert trigger["schedule_config"]["cron_expression"] == "0 2 * * *"
    assert outputs["trigger_status"] == "active" and outputs["next_scheduled_at"]
    assert listed() == [] and server_clusters(emulator, namespace) == []
    assert API_KEY not in project.logs()
