"""What leaves a provider method when it fails: the message (one sentence of what happened and
what to do), no chained httpx/httpcore exceptions, and never the API key, in the text or
anywhere in the chain. Against a real emulator process."""

from __future__ import annotations

import socket
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pulumi_mixpeek.errors import ConfigurationError, MixpeekError
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

from tests.integration.conftest import KEY, NAMESPACE, configured
from tests.integration.test_cluster_emulator import check, create
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import VECTOR

pytestmark = pytest.mark.integration

#: Keys that cannot be sent in an HTTP header, each with the fragments that must never show.
MALFORMED_KEYS = {
    "newline": "sk_first_half_4f2a9c\nsk_second_half_77d1e0",
    "carriage-return": "sk_first_half_4f2a9c\r\nX-Injected: sk_second_half_77d1e0",
    "control": "sk_first_half_4f2a9c\x00sk_second_half_77d1e0",
    "tab": "sk_first_half_4f2a9c\tsk_second_half_77d1e0",
    "space": "sk_first_half_4f2a9c sk_second_half_77d1e0",
    "non-ascii": "sk_first_half_4f2a9c\u00e9sk_second_half_77d1e0",
}
FRAGMENTS = ("first_half_4f2a9c", "second_half_77d1e0")


def chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and every exception reachable through __cause__ / __context__."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]


def shown(exc: BaseException) -> str:
    """What the dynamic-provider host prints: traceback.format_exc() of the raised error."""
    return "".join(traceback.format_exception(exc))


def raised(operation: Callable[[], Any]) -> BaseException:
    try:
        operation()
    except Exception as exc:
        return exc
    raise AssertionError("the operation did not fail")


def assert_no_secret(exc: BaseException, *secrets: str) -> None:
    text = shown(exc)
    for secret in secrets:
        assert secret not in text, text
        for item in chain(exc):
            assert secret not in str(item) and secret not in repr(item.args), repr(item)


def assert_message_only(exc: BaseException) -> None:
    """No chained exception, no trace of the HTTP stack, no doubled full stop."""
    assert exc.__cause__ is None and exc.__context__ is None, shown(exc)
    text = shown(exc)
    for noise in ("httpx", "httpcore", "h11", "During handling", "direct cause"):
        assert noise not in text, text
    assert ".." not in str(exc), str(exc)


@pytest.mark.parametrize("kind", sorted(MALFORMED_KEYS))
def test_a_malformed_key_is_refused_before_any_request_without_showing_it(
    server: Emulator, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider = configured(server, **{"mixpeek:apiKey": MALFORMED_KEYS[kind]})
    inputs = check(provider, VECTOR)
    operations: dict[str, Callable[[], Any]] = {
        "create": lambda: provider.create(inputs),
        "read": lambda: provider.read("clust_x", inputs),
        "update": lambda: provider.update("clust_x", inputs, inputs),
        "delete": lambda: provider.delete("clust_x", inputs),
    }
    for name, operation in operations.items():
        exc = raised(operation)
        assert isinstance(exc, ConfigurationError), (name, shown(exc))
        # Where the key was set (the stack's config) and how to set it there.
        assert "The Mixpeek API key set in stack config mixpeek:apiKey contains" in str(exc)
        assert "`pulumi config set --secret mixpeek:apiKey <key>`" in str(exc)
        assert_no_secret(exc, MALFORMED_KEYS[kind], *FRAGMENTS)
        assert_message_only(exc)
    assert server.requests() == []


def test_a_malformed_key_from_the_environment_is_refused_too(
    server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXPEEK_API_KEY", MALFORMED_KEYS["newline"])
    monkeypatch.setenv("MIXPEEK_NAMESPACE", NAMESPACE)
    monkeypatch.setenv("MIXPEEK_ENDPOINT", server.base_url)
    provider = ClusterProvider()
    exc = raised(lambda: provider.create(check(provider, VECTOR)))
    assert isinstance(exc, ConfigurationError)
    assert_no_secret(exc, *FRAGMENTS)
    assert server.requests() == []


def test_a_namespace_that_cannot_be_sent_is_refused_by_name(
    server: Emulator, provider: ClusterProvider
) -> None:
    bad = configured(server, **{"mixpeek:namespace": "prod\nuction"})
    exc = raised(lambda: bad.read("clust_x", {}))
    assert isinstance(exc, ConfigurationError) and "mixpeek:namespace" in str(exc)
    assert_message_only(exc)
    assert server.requests() == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_endpoint_is_one_message_without_httpx_or_the_key(
    server: Emulator,
) -> None:
    provider = configured(
        server,
        **{"mixpeek:endpoint": f"http://127.0.0.1:{_closed_port()}", "mixpeek:maxRetries": "0"},
    )
    exc = raised(lambda: provider.read("clust_x", {}))
    assert isinstance(exc, MixpeekError)
    assert "mixpeek:endpoint" in str(exc)
    assert_message_only(exc)
    assert_no_secret(exc, KEY)


def test_a_rejected_key_reads_as_one_sentence(server: Emulator) -> None:
    wrong = configured(server, **{"mixpeek:apiKey": "sk_wrong_key_0123456789"})
    exc = raised(lambda: wrong.create(check(wrong, VECTOR)))
    assert "pulumi config set --secret mixpeek:apiKey" in str(exc)
    assert_message_only(exc)
    assert_no_secret(exc, "sk_wrong_key_0123456789")


def test_update_of_a_cluster_deleted_out_of_band_says_to_refresh(
    server: Emulator, provider: ClusterProvider
) -> None:
    cluster_id, outs = create(provider, VECTOR)
    server.api(
        "DELETE", f"/v1/clusters/{cluster_id}", key=KEY, namespace=NAMESPACE
    ).raise_for_status()
    news = check(provider, {**VECTOR, "metadata": {"team": "new"}})
    exc = raised(lambda: provider.update(cluster_id, outs, news))
    message = str(exc)
    assert cluster_id in message
    assert "pulumi refresh" in message and "pulumi up --refresh" in message
    assert_message_only(exc)


@pytest.mark.parametrize(
    ("provider_class", "props"),
    [
        ("ClusterExecutionProvider", {"cluster_id": "clust_x"}),
        ("ClusterEnrichmentProvider", {"clustering_ids": ["clust_x"], "source_collection_id": "c"}),
    ],
)
def test_run_and_enrichment_providers_refuse_a_malformed_key_the_same_way(
    server: Emulator, monkeypatch: pytest.MonkeyPatch, provider_class: str, props: dict[str, Any]
) -> None:
    from pulumi_mixpeek.resources import enrichment_provider, execution_provider

    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    cls = getattr(execution_provider, provider_class, None) or getattr(
        enrichment_provider, provider_class
    )
    provider = configured(server, cls, **{"mixpeek:apiKey": MALFORMED_KEYS["newline"]})
    exc = raised(lambda: provider.create(props))
    assert isinstance(exc, ConfigurationError), shown(exc)
    assert_no_secret(exc, *FRAGMENTS)
    assert_message_only(exc)
    assert server.requests() == []
