"""`mixpeek-plan-summary` on real `pulumi preview --json` output made here by the engine.

A stack with three clusters is brought up, then the program changes so that the preview
holds a create, an in-place update, a replacement forced by `vector_config`, a delete and
policy violations. Another stack, of both faces, has a cluster's run and enrichment: a new
`triggers` value (a new run) and a removed enrichment (which only leaves the state) are
not destructive and do not trip `--fail-on-delete`; a removed cluster does. The summary
command runs as the installed console script, as a pipeline runs it, on both forms of
`preview --json` (the digest, and the engine event stream).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import BOTH_FACES, Face, Stack

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
        "⚠️ **Destructive:** replaces 1 and deletes 1 Mixpeek clusters; a replaced or deleted "
        "cluster is deleted on the server (its output collections are kept)."
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
    assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted."
    assert "| action | resource | forced by |" not in lines
    assert "**Policy violations:** none." in lines
    changed_stack.run("destroy", "--yes")


#: Clusters, runs and enrichments from spec.json (``{module}``: the face's module).
RUNS_PROGRAM = """\
import json
from pathlib import Path

import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
clusters = {{name: {module}.Cluster(name, **args) for name, args in spec["clusters"].items()}}
runs = {{
    name: {module}.ClusterExecution(
        name, cluster_id=clusters[args["cluster"]].id, triggers=args["triggers"]
    )
    for name, args in spec["runs"].items()
}}
for name, args in spec["enrichments"].items():
    {module}.ClusterEnrichment(
        name,
        clustering_ids=[clusters[args["cluster"]].id],
        source_collection_id="col_products",
        triggers=[runs[args["run"]].task_id],
    )
"""


def declare_runs(
    stack: Stack, *, clusters: tuple[str, ...], triggers: list[str], enrichment: bool
) -> None:
    spec = {
        "clusters": {name: cluster(name) for name in clusters},
        "runs": {"products-run": {"cluster": "products", "triggers": triggers}},
        "enrichments": (
            {"products-labels": {"cluster": "products", "run": "products-run"}}
            if enrichment
            else {}
        ),
    }
    (stack.project.root / "spec.json").write_text(json.dumps(spec))


def preview_both_forms(stack: Stack, tmp_path: Path) -> list[Path]:
    """The event stream and the digest of `pulumi preview --json` (no policy pack)."""
    paths = []
    for name, env in (("events.json", STREAMING), ("digest.json", None)):
        before = len(stack.api_requests())
        result = stack.project.run("preview", "--json", env=env)
        assert len(stack.api_requests()) == before, "preview must not call the API"
        path = tmp_path / name
        path.write_text(result.stdout)
        paths.append(path)
    return paths


NEW_RUN = "- replace ClusterExecution `products-run`: `triggers` (starts a new run)"
STATE_ONLY = (
    "- remove ClusterEnrichment `products-labels` from the state (nothing is deleted on the server)"
)


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_runs_and_enrichments_are_not_destructive(face: Face, stack: Stack, tmp_path: Path) -> None:
    module = face.cluster_class.rsplit(".", 1)[0]
    (stack.project.root / "__main__.py").write_text(RUNS_PROGRAM.format(module=module))
    declare_runs(stack, clusters=("products", "retired"), triggers=["v1"], enrichment=True)
    stack.run("up", "--yes")

    # A new data version and the enrichment removed: a new run, a record leaving the state.
    declare_runs(stack, clusters=("products", "retired"), triggers=["v2"], enrichment=False)
    for path in preview_both_forms(stack, tmp_path):
        result = summarize(str(path), "--fail-on-delete", "--fail-on-replace")
        assert result.returncode == 0, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted.", path
        assert "**Changes:** 1 to replace · 1 to delete · 3 unchanged" in lines
        assert NEW_RUN in lines and STATE_ONLY in lines
        assert "| action | resource | forced by |" not in lines
        assert "Destructive" not in result.stdout and "output collections" not in result.stdout

    # The cluster `retired` removed too: that deletes a cluster on the server.
    declare_runs(stack, clusters=("products",), triggers=["v2"], enrichment=False)
    for path in preview_both_forms(stack, tmp_path):
        result = summarize(str(path), "--fail-on-delete")
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == (
            "⚠️ **Destructive:** deletes 1 Mixpeek cluster; a replaced or deleted cluster is "
            "deleted on the server (its output collections are kept)."
        )
        start = lines.index("| action | resource | forced by |")
        assert lines[start + 2 : start + 4] == [
            "| **delete** | Cluster `retired` | removed from the program |",
            "",
        ]
        assert NEW_RUN in lines and STATE_ONLY in lines
        assert summarize(str(path), "--fail-on-replace").returncode == 0

    # What `up` sends is what the summary said: one run started, one cluster deleted.
    (retired,) = [c for c in stack.server_clusters() if c["cluster_name"] == "retired"]
    before = len(stack.api_requests())
    stack.run("up", "--yes")
    sent = [f"{r['method']} {r['path'].split('/')[-1]}" for r in stack.api_requests()[before:]]
    writes = [call for call in sent if not call.startswith("GET")]
    assert sorted(writes) == ["DELETE " + retired["cluster_id"], "POST execute"], sent
    assert [c["cluster_name"] for c in stack.server_clusters()] == ["products"]


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_todays_level_names_the_output_collections_a_change_deletes(
    face: Face, stack: Stack, tmp_path: Path
) -> None:
    """Brought up at the suite's level (the local server speaks 1.3.1); the stack then says
    `mixpeek:apiVersion` 1.3.783, which both forms of `preview --json` carry (the digest's
    `config`, the event stream's prelude) and which the summary reads: there a replacement
    or a delete deletes the output collections the state records, unless the cluster keeps
    them. The preview makes no API call."""
    stack.declare(
        reshaped=cluster("reshaped"),
        retired=cluster("retired"),
        kept=cluster("kept", keep_output_collections=True),
    )
    stack.run("up", "--yes")
    outputs = stack.project.outputs()
    stack.declare(
        reshaped=cluster(
            "reshaped",
            vector_config={
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "hdbscan",
            },
        ),
    )
    stack.project.set_config("mixpeek:apiVersion", "1.3.783")
    reshaped = ", ".join(f"`{c}`" for c in outputs["reshaped_outputs"])
    retired = ", ".join(f"`{c}`" for c in outputs["retired_outputs"])
    assert reshaped and retired
    count = len(outputs["reshaped_outputs"]) + len(outputs["retired_outputs"])
    for path in preview_both_forms(stack, tmp_path):
        result = summarize(str(path), "--fail-on-delete")
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        noun = "output collection" + "s" * (count != 1)
        assert lines[0] == (
            "⚠️ **Destructive:** replaces 1 and deletes 2 Mixpeek clusters; a replaced or "
            f"deleted cluster is deleted on the server, and with it {count} {noun} (API level "
            "1.3.783)."
        ), path
        assert (
            f"| **replace** | Cluster `reshaped` | `{face.shown('vector_config')}` | "
            f"**deleted**: {reshaped} |"
        ) in lines
        assert (
            f"| **delete** | Cluster `retired` | removed from the program | **deleted**: "
            f"{retired} |"
        ) in lines
        assert (
            "| **delete** | Cluster `kept` | removed from the program | kept "
            "(`keep_output_collections`) |"
        ) in lines
        # The seed's level, named on the command line: nothing goes with the clusters.
        seed = summarize(str(path), "--api-version", "1.3.1").stdout
        assert seed.splitlines()[0].endswith("(its output collections are kept).")
        assert "| action | resource | forced by |" in seed.splitlines()
    stack.project.set_config("mixpeek:apiVersion", "1.3.1")  # the local server's level
