"""schema.json, docs/reference.md and the README's tables: generated, current, valid, and
saying exactly what the provider does."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pulumi.dynamic
import pulumi_mixpeek
import pytest
from pulumi.dynamic import ConfigureRequest, DiffResult
from pulumi.dynamic.config import Config
from pulumi_mixpeek import schema
from pulumi_mixpeek.fields import declared_fields
from pulumi_mixpeek.levels import API_VERSIONS, TODAY_API_VERSION, api_level
from pulumi_mixpeek.models.declaration import Mutability
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.resources.enrichment_provider import ClusterEnrichmentProvider
from pulumi_mixpeek.resources.execution_provider import ClusterExecutionProvider
from pulumi_mixpeek.resources.trigger_provider import ClusterTriggerProvider

from tests.support.pulumi_names import python_name
from tests.unit.cluster_helpers import VECTOR, checked, created_state, outcome

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
#: Pulumi's package metaschema (pkg/codegen/schema/pulumi.json), as published with the CLI.
METASCHEMA = Path(__file__).with_name("data") / "pulumi-package-metaschema.json"


def _python_view(schema_json: dict[str, Any]) -> dict[str, Any]:
    """``schema_json`` with each property named as in Python."""
    view = json.loads(json.dumps(schema_json))

    def rename(spec: dict[str, Any], properties: str, required: str) -> None:
        if properties in spec:
            spec[properties] = {python_name(k): v for k, v in spec[properties].items()}
        if required in spec:
            spec[required] = [python_name(k) for k in spec[required]]

    for resource in view["resources"].values():
        rename(resource, "properties", "required")
        rename(resource, "inputProperties", "requiredInputs")
    for spec in view["types"].values():
        rename(spec, "properties", "required")
    for function in view["functions"].values():
        rename(function["inputs"], "properties", "required")
        rename(function["outputs"], "properties", "required")
    return view


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """schema.json as committed (camelCase property names)."""
    return json.loads((REPO / "schema.json").read_text())


@pytest.fixture(scope="module")
def committed(raw: dict[str, Any]) -> dict[str, Any]:
    """schema.json with its properties named as Pulumi's Python generator names them."""
    return _python_view(raw)


def _every_property_name(schema_json: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for resource in schema_json["resources"].values():
        names += [*resource["properties"], *resource["inputProperties"]]
    for spec in schema_json["types"].values():
        names += list(spec.get("properties", {}))
    for function in schema_json["functions"].values():
        names += [*function["inputs"]["properties"], *function["outputs"]["properties"]]
    return names


def test_property_names_are_camel_case(raw: dict[str, Any]) -> None:
    names = _every_property_name(raw)
    assert "collectionIds" in names and "featureUris" in names and "clusterId" in names
    bad = sorted({n for n in names if "_" in n or not re.fullmatch(r"[a-z][A-Za-z0-9]*|[A-Z]+", n)})
    assert bad == [], "schema property names must be camelCase"
    assert list(raw["config"]["variables"]) == [
        "apiKey", "namespace", "endpoint", "maxRetries", "apiVersion"
    ]


def metaschema_validator() -> jsonschema.protocols.Validator:
    # The metaschema's semver patterns use ECMAScript named groups, (?<name>...); Python's re
    # spells them (?P<name>...). Nothing else is changed.
    meta = json.loads(METASCHEMA.read_text().replace("(?<", "(?P<"))
    cls = jsonschema.validators.validator_for(meta)
    cls.check_schema(meta)
    return cls(meta)


def test_generated_files_are_current() -> None:
    stale = [str(path.relative_to(REPO)) for path in schema.check(REPO)]
    assert stale == [], f"out of date: {stale}; run `make schema`"


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    assert schema.main(["--root", str(tmp_path)]) == 0
    assert schema.check(tmp_path) == []
    (tmp_path / "schema.json").write_text("{}\n")
    assert schema.check(tmp_path) == [tmp_path / "schema.json"]
    assert schema.main(["--root", str(tmp_path), "--check"]) == 1


def test_schema_validates_against_pulumis_metaschema(raw: dict[str, Any]) -> None:
    validator = metaschema_validator()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(raw)]
    assert errors == []
    # ... and the validator does catch a broken property type.
    broken = json.loads(json.dumps(raw))
    broken["resources"]["mixpeek:index:Cluster"]["inputProperties"]["collectionIds"]["type"] = (
        "list"
    )
    assert list(validator.iter_errors(broken))


def test_every_resource_of_the_package_is_in_the_schema(committed: dict[str, Any]) -> None:
    offered = {
        name
        for name in pulumi_mixpeek.__all__
        if inspect.isclass(obj := getattr(pulumi_mixpeek, name))
        and issubclass(obj, pulumi.dynamic.Resource)
    }
    assert {r.name for r in schema.RESOURCES} == offered
    assert set(committed["resources"]) == {f"mixpeek:index:{name}" for name in offered}


@pytest.mark.parametrize("resource", schema.RESOURCES, ids=lambda r: r.name)
def test_resource_properties_are_the_python_resources(
    resource: schema.ResourceSchema, committed: dict[str, Any]
) -> None:
    spec = committed["resources"][schema.token(resource.name)]
    params = inspect.signature(resource.resource.__init__).parameters
    arguments = [n for n in params if n not in ("self", "resource_name", "opts")]
    assert list(spec["inputProperties"]) == arguments
    required = [n for n in arguments if params[n].default is inspect.Parameter.empty]
    assert spec.get("requiredInputs", []) == required
    assert set(spec["properties"]) == set(resource.resource.__annotations__)
    marked = {n for n, p in spec["inputProperties"].items() if p.get("replaceOnChanges")}
    # What replaces at every API level: a field some level changes in place (levels.py,
    # which the 1.3.783 SDK's PatchClusterRequest keys are checked against in
    # test_api_levels.py) has no replaceOnChanges, since the level is chosen at run time.
    by_level = {
        f.name
        for f in declared_fields(resource.declaration)
        for level in map(api_level, API_VERSIONS)
        if resource.name == "Cluster" and (f.name in level.in_place or level.in_place_keys(f.name))
    }
    replace = {
        f.name for f in declared_fields(resource.declaration) if f.mutability is Mutability.REPLACE
    } - by_level
    assert marked == replace
    assert {n for n, p in spec["properties"].items() if p.get("replaceOnChanges")} == replace


def _args_classes() -> list[type]:
    return [
        getattr(pulumi_mixpeek, name)
        for name in pulumi_mixpeek.__all__
        if name.endswith("Args") and dataclasses.is_dataclass(getattr(pulumi_mixpeek, name))
    ]


@pytest.mark.parametrize("args_class", _args_classes(), ids=lambda c: c.__name__)
def test_object_types_are_the_python_args_classes(
    args_class: type, committed: dict[str, Any]
) -> None:
    """Each typed args class has an object type of the same name (minus Args) with the same
    properties and required ones, as Pulumi's Python generator would name it."""
    spec = committed["types"][schema.token(args_class.__name__.removesuffix("Args"))]
    fields = dataclasses.fields(args_class)  # type: ignore[arg-type]
    assert set(spec["properties"]) == {f.name for f in fields}
    required = {f.name for f in fields if f.default is dataclasses.MISSING}
    assert set(spec.get("required", [])) == required


def test_config_variables(committed: dict[str, Any]) -> None:
    variables = committed["config"]["variables"]
    assert variables["apiKey"]["secret"] is True
    assert variables["apiKey"]["defaultInfo"] == {"environment": ["MIXPEEK_API_KEY"]}
    assert variables["namespace"]["defaultInfo"] == {"environment": ["MIXPEEK_NAMESPACE"]}
    assert variables["endpoint"]["default"] == "https://api.mixpeek.com"
    assert committed["provider"]["inputProperties"] == variables


def test_the_docs_show_the_generated_tables() -> None:
    """Each generated table stands on the README or a docs page (the README shows the
    configuration, docs/update-or-replace.md the Cluster's inputs, ...), and every copy of it
    is current."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for name, body in schema.readme_blocks().items():
        marker = re.escape(f"<!-- schema:{name}:")
        pattern = re.compile(rf"{marker}start -->\n(.*?){marker}end -->", re.S)
        shown = [m.group(1) for page in pages for m in pattern.finditer(page.read_text())]
        assert shown and all(text == body for text in shown), name
    readme = (REPO / "README.md").read_text()
    assert "<!-- schema:config:start -->" in readme  # the README's own configuration table


def test_a_block_no_page_shows_fails_the_generator(tmp_path: Path) -> None:
    def block(name: str) -> str:
        return f"<!-- schema:{name}:start -->\n<!-- schema:{name}:end -->\n"

    (tmp_path / "README.md").write_text(block("config"))
    with pytest.raises(SystemExit, match="Cluster-inputs"):
        schema.render(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(block("Nope-inputs"))
    with pytest.raises(SystemExit, match="Nope-inputs"):
        schema.render(tmp_path)


# -- replaceOnChanges says what the diff does ------------------------------------------------
#
# One row per input property of each resource: a base declaration and a new one that changes
# that property (and only what a valid declaration must change with it). The schema's
# replaceOnChanges marks must be exactly the properties whose change the provider's diff
# reports as a replacement; every other input's change is an update, except provider-only
# inputs (read at create), whose change is no change at all.

DiffFn = Callable[[dict[str, Any], dict[str, Any]], DiffResult]


def _cluster_diff(old: dict[str, Any], new: dict[str, Any]) -> DiffResult:
    """At the suite's level (the seed's), or at today's where the new declaration holds a
    field only today's level has (levels.py)."""
    if not _needs_today(new):
        return ClusterProvider().diff("clust_0001", created_state(old), checked(new))
    provider = ClusterProvider()
    provider.configure(ConfigureRequest(Config({"mixpeek:apiVersion": TODAY_API_VERSION}, "p")))
    state = created_state(old, checked(old, provider=provider))
    return provider.diff("clust_0001", state, checked(new, provider=provider))


def _needs_today(declaration: dict[str, Any]) -> bool:
    seed = api_level(API_VERSIONS[0])
    return any(k not in seed.fields and k in api_level(TODAY_API_VERSION).fields
               for k in declaration)


def _vector(**changes: Any) -> dict[str, Any]:
    return {**VECTOR, **changes}


_ATTRIBUTE = {k: v for k, v in VECTOR.items() if k != "vector_config"}


def _replacing_diff(provider: Any) -> DiffFn:
    """Diff of a run or enrichment: the old outputs are the checked inputs plus outputs."""

    def diff(old: dict[str, Any], new: dict[str, Any]) -> DiffResult:
        olds = {**provider.check({}, old).inputs, "task_id": "task_1", "processed": 1}
        return provider.diff("id_1", olds, provider.check({}, new).inputs)

    return diff


_PLACE = {"namespace": "ns-a", "endpoint": "https://api.mixpeek.com"}
_RUN = {"cluster_id": "clust_1", "triggers": ["v1"], **_PLACE}
_ENRICH = {"clustering_ids": ["clust_1"], "source_collection_id": "col_a", **_PLACE}
_TRIGGER = {
    "cluster_id": "clust_1",
    "trigger_type": "cron",
    "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "UTC"},
    **_PLACE,
}

CHANGES: dict[str, tuple[DiffFn, dict[str, Any], dict[str, dict[str, Any]]]] = {
    "Cluster": (
        _cluster_diff,
        VECTOR,
        {
            "collection_ids": _vector(collection_ids=["col_b"]),
            "cluster_type": {
                **_ATTRIBUTE,
                "cluster_type": "attribute",
                "attribute_config": {"attributes": ["brand"]},
            },
            "vector_config": _vector(
                vector_config={**VECTOR["vector_config"], "clustering_method": "hdbscan"}
            ),
            "attribute_config": {**_ATTRIBUTE, "attribute_config": {"attributes": ["brand"]}},
            "filters": _vector(
                filters={"AND": [{"field": "brand", "operator": "eq", "value": "acme"}]}
            ),
            "llm_labeling": _vector(
                llm_labeling={"enabled": True, "model_name": "gemini-2.0-flash"}
            ),
            "enrich_source_collection": _vector(enrich_source_collection=True),
            "source_cluster_ids": _vector(source_cluster_ids=["clust_source"]),
            "auto_execute_on_batch": _vector(auto_execute_on_batch=True),
            "auto_execute_min_documents": _vector(auto_execute_min_documents=100),
            "auto_execute_cooldown_seconds": _vector(auto_execute_cooldown_seconds=60),
            "source_enrichment_config": _vector(
                enrich_source_collection=True,
                source_enrichment_config={
                    "field_mappings": [{"source_field": "cluster_id", "target_field": "cid"}]
                },
            ),
            "cluster_name": _vector(cluster_name="products-renamed"),
            "description": _vector(description="Products by embedding"),
            "metadata": _vector(metadata={"team": "search"}),
            "namespace": _vector(namespace="ns-production"),
            "endpoint": _vector(endpoint="https://eu.mixpeek.example"),
            "adopt": _vector(adopt=True),
            "keep_output_collections": _vector(keep_output_collections=True),
        },
    ),
    "ClusterExecution": (
        _replacing_diff(ClusterExecutionProvider()),
        _RUN,
        {
            "cluster_id": {**_RUN, "cluster_id": "clust_2"},
            "triggers": {**_RUN, "triggers": ["v2"]},
            "wait": {**_RUN, "wait": False},
            "timeout_seconds": {**_RUN, "timeout_seconds": 60},
            "mode": {**_RUN, "mode": "assign"},
            "source_execution_ids": {**_RUN, "source_execution_ids": ["run_1", "run_2"]},
            "assignment_threshold": {**_RUN, "assignment_threshold": 0.7},
            "filters": {
                **_RUN,
                "filters": {"AND": [{"field": "brand", "operator": "eq", "value": "acme"}]},
            },
            "sample_size": {**_RUN, "sample_size": 500},
            "vis_n_components": {**_RUN, "vis_n_components": 3},
            "defer_visualization": {**_RUN, "defer_visualization": True},
            "layout_stability": {**_RUN, "layout_stability": "none"},
            "llm_labeling": {**_RUN, "llm_labeling": {"enabled": True}},
            "namespace": {**_RUN, "namespace": "ns-b"},
            "endpoint": {**_RUN, "endpoint": "https://eu.api.example"},
        },
    ),
    "ClusterEnrichment": (
        _replacing_diff(ClusterEnrichmentProvider()),
        _ENRICH,
        {
            "clustering_ids": {**_ENRICH, "clustering_ids": ["clust_1", "clust_2"]},
            "source_collection_id": {**_ENRICH, "source_collection_id": "col_b"},
            "target_collection_id": {**_ENRICH, "target_collection_id": "col_out"},
            "batch_size": {**_ENRICH, "batch_size": 10},
            "parallelism": {**_ENRICH, "parallelism": 4},
            "triggers": {**_ENRICH, "triggers": ["task_2"]},
            "fail_on_errors": {**_ENRICH, "fail_on_errors": False},
            "namespace": {**_ENRICH, "namespace": "ns-b"},
            "endpoint": {**_ENRICH, "endpoint": "https://eu.api.example"},
        },
    ),
    "ClusterTrigger": (
        _replacing_diff(ClusterTriggerProvider()),
        _TRIGGER,
        {
            "cluster_id": {**_TRIGGER, "cluster_id": "clust_2"},
            "execution_config": {
                **{k: v for k, v in _TRIGGER.items() if k != "cluster_id"},
                "execution_config": {
                    "collection_ids": ["col_a"],
                    "config": {"algorithm": "kmeans"},
                },
            },
            "trigger_type": {
                **_TRIGGER,
                "trigger_type": "interval",
                "schedule_config": {"interval_seconds": 3600, "start_immediately": False},
            },
            "schedule_config": {
                **_TRIGGER,
                "schedule_config": {"cron_expression": "0 3 * * *", "timezone": "UTC"},
            },
            "description": {**_TRIGGER, "description": "nightly"},
            "enabled": {**_TRIGGER, "enabled": False},
            "namespace": {**_TRIGGER, "namespace": "ns-b"},
            "endpoint": {**_TRIGGER, "endpoint": "https://eu.api.example"},
        },
    ),
}


def _rows() -> list[tuple[str, str]]:
    return [(name, prop) for name, (_, _, rows) in CHANGES.items() for prop in rows]


def test_change_table_covers_every_input(committed: dict[str, Any]) -> None:
    for resource in schema.RESOURCES:
        inputs = committed["resources"][schema.token(resource.name)]["inputProperties"]
        assert resource.name in CHANGES, f"add a row per input of {resource.name} to CHANGES"
        assert set(CHANGES[resource.name][2]) == set(inputs)


@pytest.mark.parametrize(("resource", "prop"), _rows())
def test_replace_on_changes_is_what_diff_does(
    resource: str, prop: str, committed: dict[str, Any]
) -> None:
    spec = committed["resources"][schema.token(resource)]["inputProperties"][prop]
    diff, base, rows = CHANGES[resource]
    result = diff(base, rows[prop])
    (declaration,) = [r.declaration for r in schema.RESOURCES if r.name == resource]
    provider_only = {
        f.name for f in declared_fields(declaration) if f.mutability is Mutability.PROVIDER
    }
    if spec.get("replaceOnChanges"):
        assert outcome(result) == "replace"
        assert prop in result.replaces
    elif prop in provider_only:
        assert outcome(result) == "none"
    elif "At API level 1.3.783" in spec.get("description", ""):
        # Level-dependent (levels.py): no replaceOnChanges, since the level is chosen at run
        # time; this suite speaks 1.3.1, where the change replaces, except for a field only
        # today's level has, diffed at that level, where it updates in place.
        today = resource == "Cluster" and _needs_today(rows[prop])
        assert outcome(result) == ("update" if today else "replace")
    else:
        assert outcome(result) == "update"
        assert not result.replaces


def test_field_table_lists_every_input_once() -> None:
    (cluster,) = [r for r in schema.RESOURCES if r.name == "Cluster"]
    table = schema.field_table(cluster)
    for spec in declared_fields(cluster.declaration):
        assert table.count(f"| `{spec.name}` |") == 1
    assert "| `cluster_name` | no | updates in place |" in table
    # Optional for a composite cluster (source_cluster_ids, API 1.3.783); check requires it
    # otherwise.
    assert "| `collection_ids` | no | replaces the cluster |" in table
    assert "| `adopt` | no | never a change (read at create) |" in table


def test_package_metadata_agrees_with_the_schema(committed: dict[str, Any]) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert committed["repository"] == project["urls"]["Repository"]
    assert committed["license"] == project["license"]
    assert committed["version"] == pulumi_mixpeek.__version__
