"""mixpeek-plan-summary's input handling and wording on hand-made inputs (the engine tier
runs it on real `pulumi preview --json` output)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pulumi_mixpeek._constants import CLUSTER_TOKEN, ENRICHMENT_TOKEN, EXECUTION_TOKEN
from pulumi_mixpeek.plan_summary import main
from pulumi_mixpeek.resources.cluster import CLUSTER_TYPE as CLUSTER
from pulumi_mixpeek.resources.enrichment import TYPE_TOKEN as ENRICHMENT
from pulumi_mixpeek.resources.execution import TYPE_TOKEN as EXECUTION

pytestmark = pytest.mark.unit

#: (Cluster, ClusterExecution, ClusterEnrichment) type tokens of each face.
FACES = {
    "dynamic": (CLUSTER, EXECUTION, ENRICHMENT),
    "native": (CLUSTER_TOKEN, EXECUTION_TOKEN, ENRICHMENT_TOKEN),
}


def run(stdin: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args), stdin=io.StringIO(stdin))
    out, err = capsys.readouterr()
    return code, out, err


def step(op: str, name: str, type_: str = CLUSTER, **extra: object) -> dict[str, object]:
    urn = f"urn:pulumi:dev::proj::{type_}::{name}"
    state = {"type": type_, "urn": urn, "inputs": {"cluster_name": name, "metadata": {"k": "v1"}}}
    return {"op": op, "urn": urn, "newState": state, "oldState": state, **extra}


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "standard input is empty"),
        ("not json\n", "standard input line 1 is not JSON"),
        ("[1, 2]", "is not `pulumi preview --json` output"),
        ('{"some": "object"}', "is not `pulumi preview --json` output"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    stdin: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(stdin, capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith("mixpeek-plan-summary: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run("", str(tmp_path / "nope.json"), capsys=capsys)
    assert code == 2 and "cannot read" in err and "nope.json" in err


def test_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    digest = {
        "steps": [step("same", "proj-dev", "pulumi:pulumi:Stack")],
        "changeSummary": {"same": 3},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-replace", "--fail-on-delete", capsys=capsys)
    assert code == 0
    assert out.splitlines()[0] == "✅ **No changes.**"
    assert "**Changes:** 3 unchanged" in out


def test_other_resources_are_counted_but_not_listed(capsys: pytest.CaptureFixture[str]) -> None:
    digest = {
        "steps": [
            step("delete", "bucket", "aws:s3/bucket:Bucket"),
            step("update", "native", "mixpeek:index:Cluster", diffReasons=["metadata"]),
            step("create", "mixpeek", "pulumi:providers:mixpeek"),
            step("replace", "reshaped", replaceReasons=["vector_config"]),
        ],
        "changeSummary": {"delete": 1, "replace": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-delete", capsys=capsys)
    assert code == 0  # the only delete is not a Mixpeek resource
    assert "bucket" not in out and "providers" not in out
    assert "- update Cluster `native`: `metadata`" in out
    assert "| **replace** | Cluster `reshaped` | `vector_config` |" in out
    assert "v1" not in out  # input values are never printed


@pytest.mark.parametrize("face", list(FACES))
def test_a_new_run_or_enrichment_is_not_destructive(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster, execution, enrichment = FACES[face]
    digest = {
        "steps": [
            step("same", "products", cluster),
            step("create", "first-run", execution),
            step("replace", "nightly", execution, replaceReasons=["triggers"]),
            step("create-replacement", "labels", enrichment, replaceReasons=["triggers"]),
            step("delete-replaced", "labels", enrichment, replaceReasons=["triggers"]),
        ],
        "changeSummary": {"create": 1, "replace": 2, "same": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-replace", "--fail-on-delete", capsys=capsys)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted."
    assert "- create ClusterExecution `first-run` (starts a run)" in lines
    assert "- replace ClusterExecution `nightly`: `triggers` (starts a new run)" in lines
    assert "- replace ClusterEnrichment `labels`: `triggers` (applies it again)" in lines
    assert "| action | resource | forced by |" not in lines
    assert "Destructive" not in out and "discarded" not in out


@pytest.mark.parametrize("face", list(FACES))
def test_removing_a_run_or_enrichment_only_leaves_the_state(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster, execution, enrichment = FACES[face]
    digest = {
        "steps": [
            step("same", "products", cluster),
            step("delete", "nightly", execution),
            step("delete", "labels", enrichment),
        ],
        "changeSummary": {"delete": 2, "same": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-replace", "--fail-on-delete", capsys=capsys)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted."
    assert (
        "- remove ClusterExecution `nightly` from the state (nothing is deleted on the server)"
    ) in lines
    assert (
        "- remove ClusterEnrichment `labels` from the state (nothing is deleted on the server)"
    ) in lines
    assert "| action | resource | forced by |" not in lines


@pytest.mark.parametrize("face", list(FACES))
def test_a_cluster_deleted_or_replaced_trips_the_gates(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster, execution, enrichment = FACES[face]
    digest = {
        "steps": [
            step("delete", "retired", cluster),
            step("delete", "labels", enrichment),
            step("replace", "nightly", execution, replaceReasons=["triggers"]),
        ],
        "changeSummary": {"delete": 2, "replace": 1},
    }
    text = json.dumps(digest)
    code, out, _ = run(text, "--fail-on-delete", capsys=capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "⚠️ **Destructive:** deletes 1 Mixpeek cluster; a replaced or deleted cluster is "
        "deleted on the server (its output collections are kept)."
    )
    start = lines.index("| action | resource | forced by |")
    assert lines[start : start + 4] == [
        "| action | resource | forced by |",
        "|---|---|---|",
        "| **delete** | Cluster `retired` | removed from the program |",
        "",
    ]
    assert "- replace ClusterExecution `nightly`: `triggers` (starts a new run)" in lines
    assert run(text, "--fail-on-replace", capsys=capsys)[0] == 0  # no cluster is replaced

    digest["steps"] = [step("replace", "reshaped", cluster, replaceReasons=["vector_config"])]
    code, out, _ = run(json.dumps(digest), "--fail-on-replace", capsys=capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "⚠️ **Destructive:** replaces 1 Mixpeek cluster; a replaced or deleted cluster is "
        "deleted on the server (its output collections are kept)."
    )


def test_preview_error_is_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    events = [
        {
            "sequence": 1,
            "diagnosticEvent": {
                "severity": "error",
                "message": "error: property cluster_name is bad\n",
            },
        },
        {"sequence": 2, "diagnosticEvent": {"severity": "error", "message": "preview failed\n"}},
        {"sequence": 3, "summaryEvent": {"resourceChanges": {}, "result": "failed"}},
    ]
    code, out, _ = run("\n".join(json.dumps(e) for e in events), capsys=capsys)
    assert code == 0
    assert out.splitlines()[0] == "❌ **Preview failed:** property cluster_name is bad"
