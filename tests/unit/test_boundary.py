"""What a provider method lets out (``boundary.user_facing``): the message of an expected
failure without its chain, a bug's traceback unless it holds the key, never the key."""

from __future__ import annotations

import traceback
from collections.abc import Iterable

import pytest
from pulumi.dynamic import CheckFailure
from pulumi_mixpeek.boundary import engine_failures, user_facing
from pulumi_mixpeek.errors import MixpeekError
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

pytestmark = pytest.mark.unit

KEY = "sk_boundary_SECRET_0042"


class Provider:
    def secret_values(self) -> Iterable[str]:
        return [KEY]

    @user_facing
    def expected(self) -> None:
        try:
            raise ValueError(f"Authorization: Bearer {KEY}")
        except ValueError as exc:
            raise MixpeekError(f"Could not read cluster 'x' with {KEY}.") from exc

    @user_facing
    def bug(self) -> None:
        {}["missing"]  # noqa: B018

    @user_facing
    def leaking_bug(self) -> None:
        try:
            raise RuntimeError(f"header {KEY}")
        except RuntimeError:
            raise KeyError("lookup") from None

    @user_facing
    def fine(self, value: int) -> int:
        return value + 1


def printed(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_an_expected_failure_keeps_its_message_and_loses_its_chain() -> None:
    with pytest.raises(MixpeekError) as caught:
        Provider().expected()
    exc = caught.value
    assert exc.__cause__ is None and exc.__context__ is None
    assert str(exc) == "Could not read cluster 'x' with [redacted]."
    text = printed(exc)
    assert KEY not in text and "ValueError" not in text
    assert text.count('File "') <= 2, text  # this test's frame and the boundary's raise


def test_a_bug_keeps_its_traceback() -> None:
    with pytest.raises(KeyError) as caught:
        Provider().bug()
    assert "{}[\"missing\"]" in printed(caught.value)


def test_a_bug_whose_chain_holds_the_key_is_replaced() -> None:
    with pytest.raises(MixpeekError) as caught:
        Provider().leaking_bug()
    assert "KeyError" in str(caught.value)
    assert KEY not in printed(caught.value)
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_results_pass_through() -> None:
    assert Provider().fine(1) == 2


# -- check failures as the engine prints them ---------------------------------------------
# The CLI prints a failure with a property as "property <p> value {<v>} has a problem: <r>",
# <v> being the resource's input named <p> (pulumi/pkg/resource/deploy/step_generator.go,
# issueCheckFailures, v3.274.1): a nested path or a missing input reads "value {<nil>}".
def test_a_failure_on_a_top_level_scalar_input_keeps_its_property() -> None:
    failures = [CheckFailure("cluster_type", "must be vector or attribute (got 'graph')")]
    shown = engine_failures(failures, {"cluster_type": "graph"})
    assert [(f.property, f.reason) for f in shown] == [
        ("cluster_type", "must be vector or attribute (got 'graph')")
    ]


def test_a_failure_the_engine_cannot_look_up_leads_with_its_path() -> None:
    inputs = {"attribute_config": {"attributes": ["brand"], "aggregaton_method": "mean"},
              "metadata": 3}
    failures = [
        CheckFailure("attribute_config.aggregaton_method",
                     "unknown property; did you mean 'aggregation_method'?"),
        CheckFailure("collection_ids", "required"),  # missing: the engine prints {<nil>}
        CheckFailure("attribute_config", "only used when cluster_type is attribute"),
        CheckFailure("metadata", "Input should be a valid dictionary"),
    ]
    shown = engine_failures(failures, inputs)
    assert [(f.property, f.reason) for f in shown] == [
        ("", "attribute_config.aggregaton_method: unknown property; did you mean "
             "'aggregation_method'?"),
        ("", "collection_ids: required"),
        ("", "attribute_config: only used when cluster_type is attribute"),
        ("metadata", "Input should be a valid dictionary"),
    ]


def test_check_gives_the_engine_no_path_it_cannot_look_up() -> None:
    declared = {"collection_ids": ["col_a"], "cluster_type": "attribute",
                "attribute_config": {"attributes": ["brand"], "aggregaton_method": "mean"}}
    result = ClusterProvider().check({}, {**declared, "__provider": "blob"})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("", "attribute_config.aggregaton_method: unknown property; did you mean "
             "'aggregation_method'?")
    ]
