"""mixpeek-plan-summary's input handling and wording on hand-made inputs (the engine tier
runs it on real `pulumi preview --json` output)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pulumi_mixpeek.plan_summary import main

pytestmark = pytest.mark.unit

CLUSTER = "pulumi-python:dynamic/mixpeek:Cluster"


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
            step(
                "replace",
                "run",
                "pulumi-python:dynamic/mixpeek:ClusterExecution",
                replaceReasons=["cluster_id"],
            ),
        ],
        "changeSummary": {"delete": 1, "replace": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-delete", capsys=capsys)
    assert code == 0  # the only delete is not a Mixpeek resource
    assert "bucket" not in out and "providers" not in out
    assert "- update Cluster `native`: `metadata`" in out
    assert "| **replace** | ClusterExecution `run` | `cluster_id` |" in out
    assert "v1" not in out  # input values are never printed


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
