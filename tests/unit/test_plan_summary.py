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


# -- output collections: deleted with a cluster where DELETE cascades (API 1.3.783) -----------
def cluster_step(
    op: str,
    name: str,
    collections: list[str] | None,
    *,
    keep: bool = False,
    keep_new: bool = False,
    type_: str = CLUSTER,
    **extra: object,
) -> dict[str, object]:
    """A digest step whose old state records the cluster's output collections (outputs) and
    keep_output_collections (inputs and outputs, left out when false: canonical form)."""
    urn = f"urn:pulumi:dev::proj::{type_}::{name}"
    kept = {"keep_output_collections": True} if keep else {}
    outputs: dict[str, object] = {"cluster_name": name, **kept}
    if collections is not None:
        outputs["output_collection_ids"] = collections
    old = {"type": type_, "urn": urn, "inputs": {"cluster_name": name, **kept}, "outputs": outputs}
    new_inputs = {"cluster_name": name, **({"keep_output_collections": True} if keep_new else {})}
    new = {"type": type_, "urn": urn, "inputs": new_inputs}
    return {"op": op, "urn": urn, "oldState": old, "newState": new if op != "delete" else None,
            **extra}


def destructive_digest(version: str | None, *steps: dict[str, object]) -> str:
    config = {"mixpeek:namespace": "ns", "mixpeek:apiKey": "[secret]"}
    if version is not None:
        config["mixpeek:apiVersion"] = version
    return json.dumps(
        {"config": config, "steps": list(steps), "changeSummary": {"replace": 1, "delete": 1}}
    )


TODAY_STEPS = (
    cluster_step("replace", "reshaped", ["col_r1", "col_r2"], replaceReasons=["vector_config"]),
    cluster_step("delete", "retired", ["col_d1"]),
)


@pytest.mark.parametrize("face", list(FACES))
def test_todays_level_names_the_output_collections_a_change_deletes(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = FACES[face][0]
    digest = destructive_digest(
        "1.3.783",
        cluster_step(
            "replace", "reshaped", ["col_r1", "col_r2"], type_=cluster,
            replaceReasons=["vector_config"],
        ),
        cluster_step("delete", "retired", ["col_d1"], type_=cluster),
    )
    code, out, _ = run(digest, "--fail-on-delete", capsys=capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "⚠️ **Destructive:** replaces 1 and deletes 1 Mixpeek clusters; a replaced or deleted "
        "cluster is deleted on the server, and with it 3 output collections (API level 1.3.783)."
    )
    start = lines.index("| action | resource | forced by | output collections |")
    assert lines[start : start + 5] == [
        "| action | resource | forced by | output collections |",
        "|---|---|---|---|",
        "| **replace** | Cluster `reshaped` | `vector_config` | **deleted**: `col_r1`, `col_r2` |",
        "| **delete** | Cluster `retired` | removed from the program | **deleted**: `col_d1` |",
        "",
    ]
    assert any("set `keep_output_collections=True`" in line for line in lines)


def test_kept_output_collections_are_said_kept(capsys: pytest.CaptureFixture[str]) -> None:
    digest = destructive_digest(
        "1.3.783",
        # Kept by the old state; kept by the replacement's new declaration (its diff tells
        # the delete); none to lose; a cluster that records none: any it has.
        cluster_step("delete", "kept", ["col_k"], keep=True),
        cluster_step("replace", "now-kept", ["col_n"], keep_new=True, replaceReasons=["x"]),
        cluster_step("delete", "empty", []),
        cluster_step("delete", "unread", None),
    )
    _, out, _ = run(digest, capsys=capsys)
    lines = out.splitlines()
    assert lines[0].endswith(
        "deleted on the server, with any output collections it has (API level 1.3.783)."
    )
    assert (
        "| **delete** | Cluster `kept` | removed from the program | kept "
        "(`keep_output_collections`) |"
    ) in lines
    assert "| **replace** | Cluster `now-kept` | `x` | kept (`keep_output_collections`) |" in lines
    assert "| **delete** | Cluster `empty` | removed from the program | none |" in lines
    assert (
        "| **delete** | Cluster `unread` | removed from the program | **deleted**: any it has "
        "(none recorded in the state) |"
    ) in lines
    assert "col_k" not in out and "col_n" not in out

    everything_kept = destructive_digest(
        "1.3.783", cluster_step("delete", "kept", ["col_k"], keep=True)
    )
    _, out, _ = run(everything_kept, capsys=capsys)
    assert out.splitlines()[0].endswith("(its output collections are kept).")
    assert "keep_output_collections=True` on the cluster" not in out


def test_the_seed_level_keeps_them_and_says_nothing_more(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(destructive_digest("1.3.1", *TODAY_STEPS), capsys=capsys)
    lines = out.splitlines()
    assert lines[0].endswith(
        "a replaced or deleted cluster is deleted on the server (its output collections are "
        "kept)."
    )
    assert "| action | resource | forced by |" in lines
    assert "output collections |" not in out and "col_r1" not in out


def test_where_the_level_comes_from(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def deletes(stdin: str, *args: str) -> bool:
        return "**deleted**: `col_d1`" in run(stdin, *args, capsys=capsys)[1]

    # The preview's stack configuration wins over this command's environment (the suite's
    # MIXPEEK_API_VERSION is 1.3.1, tests/conftest.py) ...
    assert deletes(destructive_digest("1.3.783", *TODAY_STEPS))
    # ... --api-version over both ...
    assert not deletes(destructive_digest("1.3.783", *TODAY_STEPS), "--api-version", "1.3.1")
    assert deletes(destructive_digest("1.3.1", *TODAY_STEPS), "--api-version", "1.3.783")
    # ... without it in the configuration (or secret), the environment, as the provider reads it
    assert not deletes(destructive_digest(None, *TODAY_STEPS))
    assert not deletes(destructive_digest("[secret]", *TODAY_STEPS))
    # ... else today's default.
    monkeypatch.delenv("MIXPEEK_API_VERSION")
    assert deletes(destructive_digest(None, *TODAY_STEPS))


def test_an_unknown_api_version_flag_is_refused() -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--api-version", "1.4"], stdin=io.StringIO("{}"))
    assert refused.value.code == 2


def test_the_event_stream_carries_the_level_in_its_prelude(
    capsys: pytest.CaptureFixture[str],
) -> None:
    replace = cluster_step("replace", "reshaped", ["col_r1"], replaceReasons=["vector_config"])
    old = replace["oldState"]
    events = [
        {"sequence": 0, "preludeEvent": {"config": {"mixpeek:apiVersion": "1.3.783"}}},
        *[
            {
                "sequence": i + 1,
                "resourcePreEvent": {
                    "metadata": {
                        "op": op, "urn": replace["urn"], "type": CLUSTER,
                        "old": old, "new": {} if op == "delete-replaced" else replace["newState"],
                        "keys": ["vector_config"],
                    }
                },
            }
            for i, op in enumerate(["create-replacement", "replace", "delete-replaced"])
        ],
        {"sequence": 9, "summaryEvent": {"resourceChanges": {"replace": 1}, "result": "succeeded"}},
    ]
    code, out, _ = run("\n".join(json.dumps(e) for e in events), "--fail-on-replace",
                       capsys=capsys)
    assert code == 1
    assert "| **replace** | Cluster `reshaped` | `vector_config` | **deleted**: `col_r1` |" in (
        out.splitlines()
    )
    assert "and with it 1 output collection (API level 1.3.783)." in out


# -- cluster triggers: a schedule on the server, not data -------------------------------------
TRIGGER_FACES = {
    "dynamic": "pulumi-python:dynamic/mixpeek:ClusterTrigger",
    "native": "mixpeek:index:ClusterTrigger",
}


def trigger_step(
    op: str, name: str, type_: str = TRIGGER_FACES["dynamic"], **outputs: object
) -> dict[str, object]:
    """A digest step for a trigger whose old state has these outputs (diffReasons and
    replaceReasons go on the step)."""
    reasons = {k: outputs.pop(k) for k in ("diffReasons", "replaceReasons") if k in outputs}
    urn = f"urn:pulumi:dev::proj::{type_}::{name}"
    inputs = {
        "cluster_id": "clust_1",
        "trigger_type": "cron",
        "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "Europe/Berlin"},
        "description": "secret-ish input value",
    }
    old = {
        "type": type_,
        "urn": urn,
        "inputs": inputs,
        "outputs": {**inputs, "trigger_id": f"trg_{name}", "status": "active", **outputs},
    }
    new = {"type": type_, "urn": urn, "inputs": inputs}
    step: dict[str, object] = {
        "op": op, "urn": urn, "oldState": old, "newState": new, **reasons
    }
    if op == "delete":
        step["newState"] = None
    if op == "create":
        step["oldState"] = None
    return step


def test_trigger_plan_summary_tokens() -> None:
    from pulumi_mixpeek._constants import TRIGGER_TOKEN
    from pulumi_mixpeek.plan_summary import TRIGGER_TYPES
    from pulumi_mixpeek.resources.trigger import TYPE_TOKEN

    assert TRIGGER_TYPES == set(TRIGGER_FACES.values()) == {TYPE_TOKEN, TRIGGER_TOKEN}


@pytest.mark.parametrize("face", list(TRIGGER_FACES))
def test_trigger_changes_are_named_and_never_trip_the_cluster_gates(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = TRIGGER_FACES[face]
    digest = {
        "steps": [
            trigger_step("create", "nightly", token),
            trigger_step("update", "hourly", token, diffReasons=["schedule_config"]),
            trigger_step("replace", "reshaped", token, replaceReasons=["trigger_type"]),
            trigger_step("delete", "retired", token),
        ],
        "changeSummary": {"create": 1, "update": 1, "replace": 1, "delete": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-replace", "--fail-on-delete", capsys=capsys)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted."
    assert "- create ClusterTrigger `nightly` (schedules clustering runs on the server)" in lines
    assert "- update ClusterTrigger `hourly`: `schedule_config`" in lines
    assert (
        "- replace ClusterTrigger `reshaped`: `trigger_type` (deletes its schedule on the "
        "server and creates it again: a new trigger, its run counters start over)"
    ) in lines
    assert (
        "- delete ClusterTrigger `retired` (removes its schedule on the server: no more runs "
        "from it; the cluster and its data are kept)"
    ) in lines
    assert "| action | resource | forced by |" not in out and "from the state" not in out
    assert "Failing" not in out
    assert "secret-ish" not in out and "0 2 * * *" not in out  # input values are not printed


def test_a_trigger_deleted_beside_a_cluster_only_the_cluster_trips(
    capsys: pytest.CaptureFixture[str],
) -> None:
    digest = {
        "steps": [step("delete", "retired"), trigger_step("delete", "nightly")],
        "changeSummary": {"delete": 2},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-delete", capsys=capsys)
    assert code == 1
    assert out.splitlines()[0].startswith("⚠️ **Destructive:** deletes 1 Mixpeek cluster;")
    assert "| **delete** | Cluster `retired` | removed from the program |" in out
    assert "ClusterTrigger `nightly`" not in out.split("Other Mixpeek changes:")[0]


@pytest.mark.parametrize("face", list(TRIGGER_FACES))
def test_the_plan_summary_warns_about_a_trigger_that_is_failing(
    face: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = TRIGGER_FACES[face]
    digest = {
        "steps": [
            step("same", "products"),
            # Unchanged, but failing: warned about all the same.
            trigger_step(
                "same", "nightly", token, consecutive_failures=3.0,  # the engine sends floats
                last_execution_error="collection col_products | not found",
                last_execution_status="failed",
            ),
            trigger_step(
                "update", "weekly", token, status="failed", consecutive_failures=0,
                diffReasons=["description"],
            ),
            trigger_step("same", "healthy", token, consecutive_failures=0, execution_count=12),
            # Being deleted: no warning.
            trigger_step("delete", "retired", token, consecutive_failures=5),
        ],
        "changeSummary": {"same": 3, "update": 1, "delete": 1},
    }
    code, out, _ = run(json.dumps(digest), "--fail-on-delete", "--fail-on-replace",
                       capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "✅ **Safe:** no Mixpeek cluster is replaced or deleted."
    start = lines.index(
        "**Failing triggers** (as of the last `up` or refresh; `pulumi preview --refresh` "
        "asks the server again):"
    )
    assert lines[start + 1 : start + 4] == [
        "- ⚠️ ClusterTrigger `nightly` is failing: 3 consecutive failures; last error: "
        "collection col_products \\| not found",
        "- ⚠️ ClusterTrigger `weekly` is failing: status `failed`; no error recorded",
        "",
    ]
    assert "healthy" not in out
    assert "retired` is failing" not in out


def test_a_failing_trigger_in_the_event_stream(capsys: pytest.CaptureFixture[str]) -> None:
    token = TRIGGER_FACES["native"]
    old = trigger_step(
        "same", "nightly", token, consecutive_failures=1, status="failed",
        last_execution_error="x" * 500,
    )["oldState"]
    events = [
        {
            "sequence": 1,
            "resourcePreEvent": {
                "metadata": {"op": "same", "urn": old["urn"], "type": token,
                             "old": old, "new": old}
            },
        },
        {"sequence": 2, "summaryEvent": {"resourceChanges": {"same": 1}, "result": "succeeded"}},
    ]
    _, out, _ = run("\n".join(json.dumps(e) for e in events), capsys=capsys)
    (line,) = [line for line in out.splitlines() if "is failing" in line]
    assert line.startswith(
        "- ⚠️ ClusterTrigger `nightly` is failing: 1 consecutive failure, status `failed`; "
        "last error: xxx"
    )
    assert line.endswith("x…") and line.count("x") == 299
    assert out.splitlines()[0] == "✅ **No changes.**"


def test_preview_refresh_reads_a_trigger_s_health_from_the_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`preview --refresh`: a refresh step (old: the state, new: the server), then the step
    whose old state is the refreshed one. The last word wins, both ways."""
    token = TRIGGER_FACES["dynamic"]

    def state(name: str, failures: int) -> dict[str, object]:
        old = trigger_step("same", name, token, consecutive_failures=failures)["oldState"]
        assert isinstance(old, dict)
        return old

    def events(name: str, before: int, now: int) -> list[dict[str, object]]:
        stale, fresh = state(name, before), state(name, now)
        urn = stale["urn"]
        return [
            {"sequence": 1, "resourcePreEvent": {"metadata": {
                "op": "refresh", "urn": urn, "type": token, "old": stale, "new": fresh}}},
            {"sequence": 2, "resourcePreEvent": {"metadata": {
                "op": "same", "urn": urn, "type": token, "old": fresh, "new": fresh}}},
        ]

    stream = [
        *events("recovered", 2, 0),
        *events("broke", 0, 4),
        {"sequence": 9, "summaryEvent": {"resourceChanges": {"same": 2}, "result": "succeeded"}},
    ]
    _, out, _ = run("\n".join(json.dumps(e) for e in stream), capsys=capsys)
    failing = [line for line in out.splitlines() if "is failing" in line]
    assert failing == [
        "- ⚠️ ClusterTrigger `broke` is failing: 4 consecutive failures; no error recorded"
    ]
    assert "**Failing trigger** (" in out
