"""The policy pack (policy/) under the real CLI: `pulumi preview --policy-pack policy/run-pack`.

run-pack starts the pack in its own virtualenv (`make policy`) as the Python language host
would; the CLI then configures it over gRPC (Handshake, ConfigureStack) and asks it to
analyse every resource and the stack. Each test checks the CLI's output and exit code, and
that the preview made no API call that changes anything.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.engine.helpers import BOTH_FACES, POLICY_LAUNCHER, Stack

pytestmark = pytest.mark.engine

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}

#: Messages (or parts of them) each policy reports for the clusters below.
#: Budget options the test config sets: kmeans only, at most 1000 sampled, one cluster per
#: stack, gemini only.
POLICY_CONFIG: dict[str, Any] = {
    "cluster-allowed-algorithms": {"allowed": ["kmeans"]},
    "cluster-max-sample-size": {"maximum": 1000},
    "llm-labeling-allowed-models": {"allowedModels": ["gemini-2.0-flash"]},
    "max-clusters-per-stack": {"maximum": 1},
}


def compliant(name: str, **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
            "sample_size": 500,
        },
        "llm_labeling": {"enabled": True, "model_name": "gemini-2.0-flash"},
        "cluster_name": name,
        "description": "Products grouped by text embedding",
        "metadata": {"owner": "search"},
    }
    spec.update(overrides)
    return spec


def violating() -> dict[str, dict[str, Any]]:
    """Two clusters that break every resource policy and max-clusters-per-stack."""
    bad = compliant(
        "Products Catalog",
        vector_config={
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "hdbscan",
            "sample_size": 5000,
        },
        llm_labeling={"enabled": True},
        metadata={"team": "search"},
    )
    return {"bad": bad, "second": compliant("second")}


EXPECTED_VIOLATIONS = {
    "cluster-required-metadata": "`metadata` lacks 'owner'",
    "cluster-name-pattern": "cluster_name 'Products Catalog' does not follow the naming rule",
    "cluster-allowed-algorithms": "Clustering algorithm 'hdbscan' is not allowed here",
    "cluster-max-sample-size": "vector_config.sample_size 5000 is above the budget of 1000",
    "llm-labeling-allowed-models": "LLM labeling is enabled with no model",
    "max-clusters-per-stack": "The stack declares 2 clusters, more than the 1 allowed",
}


def policy_preview(
    stack: Stack, *args: str, config: dict[str, Any] | None = None
) -> tuple[int, str]:
    result = stack.preview_with_policies(POLICY_CONFIG if config is None else config, *args)
    return result.returncode, result.stdout


def assert_nothing_changed(stack: Stack) -> None:
    assert [r for r in stack.api_requests() if r["method"] in MUTATING] == []
    assert stack.server_clusters() == []


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_violating_program_fails_with_every_violated_policy(stack: Stack) -> None:
    stack.declare(**violating())

    code, output = policy_preview(stack)

    assert code != 0, output
    for policy, message in EXPECTED_VIOLATIONS.items():
        assert policy in output, f"{policy} missing from:\n{output}"
        assert message in output, f"{message!r} missing from:\n{output}"
    assert "mandatory" in output
    # Compliant parts are not reported, and the stack-aware policies pass outside prod.
    assert "cluster-requires-description" not in output
    assert "no-source-enrichment-in-protected-stacks" not in output
    assert_nothing_changed(stack)


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_compliant_program_passes(stack: Stack) -> None:
    stack.declare(products=compliant("products"))

    code, output = policy_preview(stack)

    assert code == 0, output
    assert "mixpeek-guardrails" in output  # the pack ran
    for policy in EXPECTED_VIOLATIONS:
        assert policy not in output
    assert_nothing_changed(stack)


def test_advisory_violation_is_reported_without_failing(stack: Stack) -> None:
    spec = compliant("products")
    del spec["description"]
    stack.declare(products=spec)

    code, output = policy_preview(stack)

    assert code == 0, output
    assert "cluster-requires-description" in output
    assert "Set `description`" in output
    assert "advisory" in output
    assert_nothing_changed(stack)


def test_config_can_make_every_policy_mandatory(stack: Stack) -> None:
    spec = compliant("products")
    del spec["description"]
    stack.declare(products=spec)

    code, output = policy_preview(stack, config={"all": "mandatory"})

    assert code != 0, output
    assert "cluster-requires-description" in output and "mandatory" in output


def test_stack_policies_see_the_stack_the_cli_names(stack: Stack) -> None:
    """`--stack prod` while PULUMI_STACK=test is inherited: the pack must see prod."""
    project = stack.project
    assert project.env["PULUMI_STACK"] == "test"
    project.run("stack", "init", "prod")
    enriching = compliant(
        "by-brand",
        vector_config=None,
        cluster_type="attribute",
        attribute_config={"attributes": ["brand"]},
        enrich_source_collection=True,
        llm_labeling=None,
    )
    stack.declare(byBrand={k: v for k, v in enriching.items() if v is not None})

    code, output = policy_preview(stack, "--stack", "prod", config={})

    assert code != 0, output
    assert "no-source-enrichment-in-protected-stacks" in output
    assert "not allowed in stack 'prod'" in output
    assert "protect-clusters-in-protected-stacks" in output
    assert "protect=True" in output

    # The same program in a stack that is not protected passes.
    code, output = policy_preview(stack, "--stack", "test", config={})
    assert code == 0, output
    assert "no-source-enrichment-in-protected-stacks" not in output
    assert_nothing_changed(stack)


UNKNOWN_PROGRAM = """\
import pulumi
import pulumi_mixpeek as mixpeek

base = dict(
    collection_ids=["col_products"],
    vector_config={"feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                   "clustering_method": "kmeans", "sample_size": 500},
    metadata={"owner": "search"},
    description="Products",
)
first = mixpeek.Cluster("first", cluster_name="first", **base)
# Known only after `first` exists: unknown during preview.
mixpeek.Cluster(
    "second",
    cluster_name=first.cluster_id.apply(lambda i: f"second-{i}"),
    llm_labeling=first.cluster_id.apply(lambda i: {"enabled": True, "model_name": None}),
    collection_ids=first.output_collection_ids.apply(lambda ids: ids or ["col_products"]),
    vector_config=base["vector_config"],
    metadata={"owner": first.cluster_id},
    description=first.cluster_id.apply(lambda i: f"copy of {i}"),
)
"""


def test_unknown_values_during_preview_are_not_violations(stack: Stack) -> None:
    (stack.project.root / "__main__.py").write_text(UNKNOWN_PROGRAM)

    code, output = policy_preview(stack, config={"all": "mandatory"})

    assert code == 0, output
    assert "mixpeek-guardrails" in output
    assert "can't run policy" not in output
    assert "Traceback" not in output
    assert_nothing_changed(stack)


def test_up_with_the_pack_refuses_a_violating_change_and_applies_a_compliant_one(
    stack: Stack,
) -> None:
    config_file = stack.project.root / "policy-config.json"
    config_file.write_text(json.dumps(POLICY_CONFIG))
    pack = ["--policy-pack", str(POLICY_LAUNCHER), "--policy-pack-config", str(config_file)]
    stack.declare(**violating())

    result = stack.project.run("up", "--yes", *pack, check=False)

    assert result.returncode != 0, result.stdout
    assert "cluster-name-pattern" in result.stdout
    assert_nothing_changed(stack)

    stack.declare(products=compliant("products"))
    stack.project.run("up", "--yes", *pack)
    assert [c["cluster_name"] for c in stack.server_clusters()] == ["products"]
    stack.run("destroy", "--yes")


ENRICHMENT_PROGRAM = """\
import pulumi_mixpeek as mixpeek

products = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    vector_config={"feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                   "clustering_method": "kmeans", "sample_size": 500},
    cluster_name="products",
    description="Products",
    metadata={"owner": "search"},
    keep_output_collections=True,  # a protected cluster keeps them (its own policy)
    opts=__import__("pulumi").ResourceOptions(protect=True),
)
mixpeek.ClusterEnrichment(
    "labels",
    clustering_ids=[products.cluster_id],
    source_collection_id="col_products",
)
"""


def test_enrichment_into_the_source_collection_is_refused_in_prod(stack: Stack) -> None:
    (stack.project.root / "__main__.py").write_text(ENRICHMENT_PROGRAM)
    stack.project.run("stack", "init", "prod")

    code, output = policy_preview(stack, "--stack", "prod", config={})

    assert code != 0, output
    assert "no-source-enrichment-in-protected-stacks" in output
    assert "writes cluster results into the documents of source collection 'col_products'" in (
        " ".join(output.split())
    )
    code, output = policy_preview(stack, "--stack", "test", config={})
    assert code == 0, output
    assert_nothing_changed(stack)


@pytest.mark.parametrize("face", BOTH_FACES, indirect=True)
def test_a_protected_cluster_must_keep_its_output_collections(stack: Stack) -> None:
    """`protect=True` reaches the pack as the resource's options; by default only protected
    clusters must set keep_output_collections, with `allClusters` every one must."""
    protected = {**compliant("products"), "resource_options": {"protect": True}}
    stack.declare(products=protected)

    code, output = policy_preview(stack, config={})

    assert code != 0, output
    assert "cluster-keep-output-collections" in output and "mandatory" in output
    assert "Set keep_output_collections=True on this cluster (it is protected)" in (
        " ".join(output.split())
    )

    stack.declare(products={**protected, "keep_output_collections": True})
    code, output = policy_preview(stack, config={})
    assert code == 0, output
    assert "cluster-keep-output-collections" not in output

    unprotected = compliant("products")
    stack.declare(products=unprotected)
    assert policy_preview(stack, config={})[0] == 0
    every = {"cluster-keep-output-collections": {"allClusters": True}}
    code, output = policy_preview(stack, config=every)
    assert code != 0 and "every cluster must keep them" in " ".join(output.split()), output
    assert_nothing_changed(stack)


TRIGGER_PROGRAM = """\
import pulumi_mixpeek as mixpeek

products = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    vector_config={"feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                   "clustering_method": "kmeans", "sample_size": 500},
    cluster_name="products",
    description="Products",
    metadata={"owner": "search"},
)
mixpeek.ClusterTrigger(
    "often",
    cluster_id=products.cluster_id,  # not known at preview: the schedule still is
    trigger_type="cron",
    schedule_config={"cron_expression": "SCHEDULE", "timezone": "UTC"},
    DESCRIPTION
)
"""


def test_cluster_trigger_policies(stack: Stack) -> None:
    """cluster-trigger-min-interval (mandatory) reads the cron expression; the advisory
    cluster-trigger-requires-description reports a trigger without a description."""
    program = stack.project.root / "__main__.py"
    program.write_text(
        TRIGGER_PROGRAM.replace("SCHEDULE", "*/10 * * * *").replace("DESCRIPTION", "")
    )

    code, output = policy_preview(stack, config={})

    flat = " ".join(output.split())
    assert code != 0, output
    assert "cluster-trigger-min-interval" in output and "mandatory" in output
    assert "'*/10 * * * *' fires as often as every 10 minutes, more often than the minimum " \
        "of 1 hour" in flat
    assert "cluster-trigger-requires-description" in output and "advisory" in output

    program.write_text(
        TRIGGER_PROGRAM.replace("SCHEDULE", "0 2 * * *")
        .replace("DESCRIPTION", 'description="Nightly",')
    )
    code, output = policy_preview(stack, config={})
    assert code == 0, output
    assert "cluster-trigger" not in output
    code, output = policy_preview(
        stack, config={"cluster-trigger-min-interval": {"minimumIntervalSeconds": 172800}}
    )
    assert code != 0 and "more often than the minimum of 2 days" in " ".join(output.split())
    assert_nothing_changed(stack)
