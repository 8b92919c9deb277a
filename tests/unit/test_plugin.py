"""The native plugin's adapter without the engine: property values in and out, check with the
names from the URN, the detailed diff, configuration per instance, and error messages.
No network (the provider's API operations are covered by the engine tier)."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    CreateRequest,
    DiffRequest,
    GetSchemaRequest,
    InvokeRequest,
    PropertyDiffKind,
)
from pulumi.runtime.proto import provider_pb2
from pulumi_mixpeek import native
from pulumi_mixpeek._constants import CLUSTER_TOKEN, UNKNOWN_SENTINEL
from pulumi_mixpeek.plugin.provider import MixpeekProvider, ProviderError
from pulumi_mixpeek.plugin.server import _message, _Servicer
from pulumi_mixpeek.plugin.values import from_plain, plain_map, property_map, to_plain
from pulumi_mixpeek.resources.cluster import Cluster as DynamicCluster
from pulumi_mixpeek.resources.enrichment import ClusterEnrichment as DynamicEnrichment
from pulumi_mixpeek.resources.execution import ClusterExecution as DynamicExecution

from tests.support.pulumi import REPO
from tests.support.pulumi_names import python_name
from tests.unit.cluster_helpers import URI_A, VECTOR

pytestmark = pytest.mark.unit

URN = f"urn:pulumi:test::proj::{CLUSTER_TOKEN}::products"
#: What the engine sends the plugin: the schema's camelCase names (written out here, not
#: derived from the provider's renaming).
WIRE_VECTOR: dict[str, Any] = {
    "collectionIds": ["col_a"],
    "clusterName": "products",
    "vectorConfig": {"featureUris": [URI_A], "clusteringMethod": "kmeans"},
}
KEY = "sk_plugin_unit_SECRET_4242"
T = TypeVar("T")


def run(call: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(call)


def props(values: dict[str, Any]) -> dict[str, PropertyValue]:
    return property_map(values)


# -- values ------------------------------------------------------------------------------
def test_values_round_trip_numbers_unknowns_and_secrets() -> None:
    engine = {
        "n": PropertyValue(5.0),
        "x": PropertyValue(0.5),
        "unknown": PropertyValue.computed(),
        "nested": PropertyValue({"list": PropertyValue([PropertyValue.computed()])}),
        "secret": PropertyValue("hidden", is_secret=True),
    }
    plain = plain_map(engine)
    assert plain == {
        "n": 5.0,
        "x": 0.5,
        "unknown": UNKNOWN_SENTINEL,
        "nested": {"list": [UNKNOWN_SENTINEL]},
        "secret": "hidden",
    }
    back = property_map({**plain, "n": 5}, secrets={"secret"})
    assert back["n"] == PropertyValue(5.0)  # ints go out as the wire's one number type
    # Sent as the engine's unknown sentinel: PropertyValue.computed() cannot be marshalled.
    wire = PropertyValue.marshal_map(back)
    assert wire["unknown"] == UNKNOWN_SENTINEL
    assert wire["nested"]["list"][0] == UNKNOWN_SENTINEL
    assert back["secret"].is_secret and not back["x"].is_secret
    assert to_plain(from_plain({"a": [1, None, True]})) == {"a": [1.0, None, True]}


# -- check -------------------------------------------------------------------------------
def check(news: dict[str, Any], olds: dict[str, Any] | None = None, urn: str = URN, seed=b"r1"):
    request = CheckRequest(urn, props(olds or {}), props(news), seed)
    return run(MixpeekProvider().check(request))


def test_check_names_an_unnamed_cluster_from_its_urn_not_the_random_seed() -> None:
    """The engine draws a new random seed for every run (preview, then up) unless an update
    plan is used; a name from it would change between preview and up."""
    unnamed = {k: v for k, v in WIRE_VECTOR.items() if k != "clusterName"}
    first = check(unnamed, seed=b"preview")
    again = check(unnamed, seed=b"up")
    other = check(unnamed, urn=URN.replace("::products", "::other"))
    name = to_plain(first.inputs["clusterName"])
    assert name.startswith("pulumi-") and len(name) == len("pulumi-") + 12
    assert to_plain(again.inputs["clusterName"]) == name
    assert to_plain(other.inputs["clusterName"]) != name
    # Later runs keep the name they have.
    kept = check({**unnamed, "description": "new"}, olds=plain_map(first.inputs))
    assert to_plain(kept.inputs["clusterName"]) == name


def test_check_reports_every_bad_property_and_keeps_unknowns_and_secrets() -> None:
    bad = check({"collectionIds": [], "vectorConfig": {"clusteringMethod": "kmeanz"}})
    # A property the engine cannot look up as one of the inputs (nested, or not a string,
    # number or boolean) goes without a property, its path leading the reason (the engine
    # would print "value {<nil>}": tests/unit/test_boundary.py).
    assert {f.property for f in bad.failures} == {""}
    failed = {f.reason.partition(":")[0] for f in bad.failures}
    assert failed >= {"collectionIds", "vectorConfig.clusteringMethod"}


def test_a_misspelt_property_is_named_in_the_spelling_it_was_written_in() -> None:
    """The nearest valid name, in the schema's camelCase for a camelCase typo (YAML,
    TypeScript, Go), in snake_case for a snake_case one (the Python faces)."""
    camel = check({**WIRE_VECTOR, "vectorConfig": {**WIRE_VECTOR["vectorConfig"],
                                                   "sampleSise": 10}})
    snake = check({**WIRE_VECTOR, "vectorConfig": {**WIRE_VECTOR["vectorConfig"],
                                                   "sample_sise": 10}})
    top = check({**WIRE_VECTOR, "descripton": "x"})
    assert [(f.property, f.reason) for f in camel.failures] == [
        ("", "vectorConfig.sampleSise: unknown property; did you mean 'sampleSize'?")
    ]
    assert [(f.property, f.reason) for f in snake.failures] == [
        ("", "vectorConfig.sample_sise: unknown property; did you mean 'sample_size'?")
    ]
    assert [(f.property, f.reason) for f in top.failures] == [
        ("descripton", "unknown property; did you mean 'description'?")
    ]

    request = CheckRequest(
        URN,
        {},
        {
            **props(WIRE_VECTOR),
            "collectionIds": PropertyValue.computed(),
            "metadata": PropertyValue({"k": PropertyValue("v")}, is_secret=True),
        },
        b"seed",
    )
    result = run(MixpeekProvider().check(request))
    assert result.failures == []
    assert result.inputs["collectionIds"] == PropertyValue(UNKNOWN_SENTINEL)
    PropertyValue.marshal_map(result.inputs)  # what the servicer sends must marshal
    assert result.inputs["metadata"].is_secret


# -- diff --------------------------------------------------------------------------------
def diff(olds: dict[str, Any], news: dict[str, Any]):
    request = DiffRequest(URN, "clu_1", props(olds), props(news), [])
    return run(MixpeekProvider().diff(request))


def test_diff_reports_each_changed_field_with_its_kind() -> None:
    assert diff(WIRE_VECTOR, WIRE_VECTOR).changes is False

    update = diff(WIRE_VECTOR, {**WIRE_VECTOR, "description": "new"})
    assert update.changes is True and update.replaces == []
    assert update.diffs == ["description"]
    assert update.detailed_diff["description"].kind is PropertyDiffKind.ADD

    moved = {**WIRE_VECTOR, "collectionIds": ["col_b"], "vectorConfig": {
        "featureUris": [URI_A], "clusteringMethod": "hdbscan"}}
    replace = diff(WIRE_VECTOR, moved)
    assert replace.replaces == ["collectionIds", "vectorConfig"]
    assert replace.delete_before_replace  # the name stays: delete first
    assert replace.detailed_diff["vectorConfig"].kind is PropertyDiffKind.UPDATE_REPLACE


def test_diff_reads_a_state_written_before_camel_case() -> None:
    """A native resource deployed when the plugin spoke snake_case keeps working: keys the
    schema does not know pass as they are, so its old state still diffs against new inputs."""
    assert diff(VECTOR, VECTOR).changes is False
    assert diff(VECTOR, {**VECTOR, "description": "new"}).diffs == ["description"]


def test_diff_keeps_the_users_keys_inside_free_form_maps() -> None:
    """metadata is the user's map: its keys are never renamed (clusterName stays, and so does
    cluster_name), so they are not a change."""
    keys = {"metadata": {"cluster_name": "a", "clusterName": "b"}}
    assert diff({**WIRE_VECTOR, **keys}, {**WIRE_VECTOR, **keys}).changes is False


def test_diff_counts_engine_floats_as_the_declared_ints() -> None:
    base = WIRE_VECTOR["vectorConfig"]
    olds = {**WIRE_VECTOR, "vectorConfig": {**base, "algorithmParams": {"k": 4}}}
    news = {**olds, "vectorConfig": {**olds["vectorConfig"], "algorithmParams": {"k": 4.0}}}
    assert diff(olds, news).changes is False


# -- configuration and errors ------------------------------------------------------------
def configure(provider: MixpeekProvider, args: dict[str, Any], variables: dict[str, str]) -> None:
    request = ConfigureRequest(variables, property_map(args, secrets={"apiKey"}), True, False)
    response = run(provider.configure(request))
    assert response.accept_secrets and not response.supports_preview


def test_configure_takes_the_instance_arguments_first(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider = MixpeekProvider()
    configure(
        provider,
        {"apiKey": KEY, "namespace": "staging"},
        {"mixpeek:config:namespace": "ignored", "mixpeek:config:endpoint": "http://127.0.0.1:1"},
    )
    settings = provider._settings
    assert (settings.api_key, settings.namespace, settings.endpoint) == (
        KEY,
        "staging",
        "http://127.0.0.1:1",
    )


@pytest.mark.parametrize(
    ("provider_urn", "where"),
    [
        ("urn:pulumi:test::proj::pulumi:providers:mixpeek::eu", "the provider resource's apiKey "
         "argument"),
        ("urn:pulumi:test::proj::pulumi:providers:mixpeek::default_0_1_0", "stack config "
         "mixpeek:apiKey"),
    ],
)
def test_a_key_error_names_where_the_key_was_set(
    monkeypatch: pytest.MonkeyPatch, provider_urn: str, where: str
) -> None:
    """The engine configures an explicit provider with its arguments, the default provider
    with the stack's config; the servicer tells the provider which one it is (its URN)."""
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider = MixpeekProvider()
    provider.provider_urn = provider_urn
    configure(provider, {"apiKey": "sk_first\nsk_second", "namespace": "ns"}, {})
    checked_inputs = run(provider.check(CheckRequest(URN, {}, props(WIRE_VECTOR), b"s"))).inputs
    with pytest.raises(ProviderError) as raised:
        run(provider.create(CreateRequest(URN, checked_inputs or {}, 60.0, False)))
    assert f"The Mixpeek API key set in {where} contains a line break" in str(raised.value)


def test_errors_are_one_message_without_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider = MixpeekProvider()
    # Plain http to a remote host: refused before any request, in words, key removed.
    configure(provider, {"apiKey": KEY, "namespace": "ns", "endpoint": f"http://{KEY}.example"}, {})
    # The engine checks with the same provider: the inputs record its endpoint.
    checked_inputs = run(
        provider.check(CheckRequest(URN, {}, props(WIRE_VECTOR), b"seed-1"))
    ).inputs
    request = CreateRequest(URN, checked_inputs or {}, 60.0, False)
    with pytest.raises(ProviderError) as raised:
        run(provider.create(request))
    message = str(raised.value)
    assert "plain http" in message
    assert KEY not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


    # The SDK's servicer re-raises it with a stack appended; the message behind is found.
    def sdk_servicer() -> None:
        try:
            raise raised.value
        except Exception as exc:
            raise Exception(f"{exc}:\n  File \"provider.py\", line 1") from None

    with pytest.raises(Exception) as outer:
        sdk_servicer()
    assert _message(outer.value) == message


@pytest.mark.parametrize(("endpoint", "failed"), [("ftp://example.com", True), ("", False)])
def test_check_config_refuses_a_bad_endpoint(endpoint: str, failed: bool) -> None:
    """An empty endpoint means the default, as for the dynamic face."""
    request = CheckRequest(
        "urn:pulumi:test::proj::pulumi:providers:mixpeek::p", {},
        props({"endpoint": endpoint}), b""
    )
    result = run(MixpeekProvider().check_config(request))
    assert [f.property for f in result.failures] == (["endpoint"] if failed else [])


# -- the native face ---------------------------------------------------------------------
def test_native_cluster_takes_the_same_arguments_and_outputs_as_the_dynamic_one() -> None:
    assert inspect.signature(native.Cluster.__init__) == inspect.signature(DynamicCluster.__init__)
    assert native.Cluster.__annotations__ == DynamicCluster.__annotations__


# -- the schema --------------------------------------------------------------------------
SCHEMA = json.loads((REPO / "schema.json").read_text())


def test_get_schema_serves_the_generated_schema_json() -> None:
    served = run(MixpeekProvider().get_schema(GetSchemaRequest(0)))
    assert json.loads(served.schema or "") == SCHEMA


def test_the_plugin_serves_every_resource_and_function_of_the_schema() -> None:
    provider = MixpeekProvider()
    assert set(provider._resources) == set(SCHEMA["resources"])
    for token in SCHEMA["functions"]:
        # Served: bad arguments are reported as failures, not as an unknown function.
        response = run(provider.invoke(InvokeRequest(token, {"search": PropertyValue(5.0)})))
        assert response.failures, token


def test_native_face_matches_the_schema() -> None:
    cluster = SCHEMA["resources"][CLUSTER_TOKEN]
    parameters = inspect.signature(native.Cluster.__init__).parameters
    assert [p for p in parameters if p not in ("self", "resource_name", "opts")] == [
        python_name(n) for n in cluster["inputProperties"]
    ]
    required = [p.name for p in parameters.values() if p.default is inspect.Parameter.empty]
    # After self and resource_name (none: a composite cluster may leave collection_ids out).
    assert required[2:] == [python_name(n) for n in cluster.get("requiredInputs", [])]
    assert set(native.Cluster.__annotations__) == {python_name(n) for n in cluster["properties"]}
    provider = inspect.signature(native.Provider.__init__).parameters
    names = {
        "api_key": "apiKey",
        "namespace": "namespace",
        "endpoint": "endpoint",
        "max_retries": "maxRetries",
        "api_version": "apiVersion",
    }
    assert {names[p] for p in provider if p in names} == set(
        SCHEMA["provider"]["inputProperties"]
    )


@pytest.mark.parametrize(
    ("native_class", "dynamic_class", "token"),
    [
        (native.ClusterExecution, DynamicExecution, "mixpeek:index:ClusterExecution"),
        (native.ClusterEnrichment, DynamicEnrichment, "mixpeek:index:ClusterEnrichment"),
    ],
)
def test_native_run_resources_match_the_dynamic_ones_and_the_schema(
    native_class: type, dynamic_class: type, token: str
) -> None:
    assert inspect.signature(native_class.__init__) == inspect.signature(dynamic_class.__init__)
    assert native_class.__annotations__ == dynamic_class.__annotations__
    resource = SCHEMA["resources"][token]
    parameters = inspect.signature(native_class.__init__).parameters
    assert [p for p in parameters if p not in ("self", "resource_name", "opts")] == [
        python_name(n) for n in resource["inputProperties"]
    ]
    assert set(native_class.__annotations__) == {python_name(n) for n in resource["properties"]}


def test_the_servicer_tells_the_provider_which_provider_resource_it_serves() -> None:
    """The engine's Configure names the provider resource (its URN); the SDK's request
    object drops it, so the servicer hands it over first."""
    provider = MixpeekProvider()
    servicer = _Servicer([], "0.0.0", provider, engine_address="127.0.0.1:0")
    urn = "urn:pulumi:test::proj::pulumi:providers:mixpeek::eu"
    request = provider_pb2.ConfigureRequest(urn=urn, acceptSecrets=True)
    run(servicer.Configure(request, None))
    assert provider.provider_urn == urn
