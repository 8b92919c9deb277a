"""`mixpeek-plan-summary` on real `pulumi preview --json` output made here by the engine.

A stack with three clusters is brought up, then the program changes so that the preview
holds a create, an in-place update, a replacement forced by `vector_config`, a delete and
policy violations. The summary command runs as the installed console script, as a pipeline
runs it, on both forms of `preview --json` (the digest, and the engine event stream).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import Stack

pytestmark = pytest.mark.engine

SUMMARY = Path(sys.executable).parent / "mixpeek-plan-summary"
STREAMING = {"PULUMI_ENABLE_STREAMING_JSON_PREVIEW": "true"}


def cluster(name: str, **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
        },
        "cluster_name": name,
        "description": f"{name} grouped by text embedding",
        "metadata": {"owner": "search"},
    }
    spec.update(overrides)
    return spec


def summarize(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SUMMARY), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def changed_stack(stack: Stack) -> Stack:
    stack.declare(kept=cluster("kept"), reshaped=cluster("reshaped"), retired=cluster("retired"))
    stack.run("up", "--yes")
    stack.declare(
        kept=cluster("kept", description="Re-described"),
        reshaped=cluster(
            "reshaped",
            vector_config={
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "hdbscan",
            },
        ),
        fresh=cluster("Fresh Products", metadata={"team": "search"}),
    )
    return stack


def preview_json(stack: Stack, tmp_path: Path, *, stream: bool) -> tuple[int, Path]:
    before = len(stack.api_requests())
    result = stack.preview_with_policies({}, "--json", env=STREAMING if stream else None)
    assert len(stack.api_requests()) == before, "preview must not call the API"
    path = tmp_path / ("preview-events.json" if stream else "preview.json")
    path.write_text(result.stdout)
    return result.returncode, path


TABLE = [
    "| action | resource | forced by |",
    "|---|---|---|",
    "| **replace** | Cluster `reshaped` | `vector_config` |",
    "| **delete** | Cluster `retired` | removed from the program |",
]


def test_summary_of_the_event_stream(changed_stack: Stack, tmp_path: Path) -> None:
    code, path = preview_json(changed_stack, tmp_path, stream=True)
    assert code != 0  # two mandatory violations fail the preview

    result = summarize(str(path))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "❌ **Blocked by policy:** 2 mandatory violations; this change cannot be applied as it is."
    )
    assert (
        "**Changes:** 1 to create · 1 to update in place · 1 to replace · 1 to delete · 1 unchanged"
    ) in lines
    start = lines.index(TABLE[0])
    assert lines[start : start + 4] == TABLE
    assert "- create Cluster `fresh` (cluster `Fresh Products`)" in lines
    assert "- update Cluster `kept`: `description`" in lines
    violations = [line for line in lines if line.startswith("- **")]
    assert sorted(violations) == sorted(
        [
            "- **mandatory** `cluster-name-pattern` on `fresh`: cluster_name 'Fresh Products' "
            "does not follow the naming rule: use lowercase letters, digits, '-' and '_', "
            "starting with a letter (a rename is an in-place update).",
            "- **mandatory** `cluster-required-metadata` on `fresh`: `metadata` lacks 'owner': "
            'add {"owner": "..."} to the cluster\'s metadata (an in-place update).',
        ]
    )
    # The same from standard input; each gate trips on its own.
    assert summarize(stdin=path.read_text()).stdout == result.stdout
    assert summarize(str(path), "--fail-on-replace").returncode == 1
    assert summarize(str(path), "--fail-on-delete").returncode == 1


def test_summary_of_the_digest_and_the_gates(changed_stack: Stack, tmp_path: Path) -> None:
    # Name the new cluster by the rules: only an advisory violation is left.
    spec_path = changed_stack.project.root / "spec.json"
    spec_path.write_text(
        spec_path.read_text()
        .replace('"Fresh Products"', '"fresh-products"')
        .replace('"team": "search"', '"owner": "search"')
        .replace('"description": "Re-described"', '"description": ""')
    )
    code, path = preview_json(changed_stack, tmp_path, stream=True)
    assert code == 0
    result = summarize(str(path))
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "⚠️ **Destructive:** replaces 1 and deletes 1 Mixpeek resources; the runs and output "
        "collections of a replaced or deleted cluster are discarded."
    )
    assert [line for line in lines if line.startswith("- **")] == [
        "- **advisory** `cluster-requires-description` on `kept`: Set `description` to say "
        "what the cluster groups and who reads its output (an in-place update)."
    ]

    code, digest = preview_json(changed_stack, tmp_path, stream=False)
    assert code == 0
    result = summarize(str(digest))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("⚠️ **Destructive:** replaces 1 and deletes 1")
    start = lines.index(TABLE[0])
    assert lines[start : start + 4] == TABLE
    assert "Policy results are not in this `pulumi preview --json` digest" in result.stdout
    assert summarize(str(digest), "--fail-on-replace").returncode == 1
    assert summarize(str(digest), "--fail-on-delete").returncode == 1

    # Without a replacement or a delete, both gates pass.
    changed_stack.run("up", "--yes")
    spec = json.loads(spec_path.read_text())
    for args in spec.values():
        args["description"] = "Now described"
    spec_path.write_text(json.dumps(spec))
    code, path = preview_json(changed_stack, tmp_path, stream=True)
    assert code == 0
    result = summarize(str(path), "--fail-on-replace", "--fail-on-delete")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "✅ **Safe:** no Mixpeek resource is replaced or deleted."
    assert "| action | resource | forced by |" not in lines
    assert "**Policy violations:** none." in lines
    changed_stack.run("destroy", "--yes")
