"""``pulumi-resource-mixpeek``: serve ``MixpeekProvider`` to the Pulumi engine over gRPC.

The engine starts the plugin with its own address as the first argument and reads the port
the plugin prints on stdout (the protocol of ``pulumi.provider.experimental.server.main``).
That ``main`` builds a ``ProviderServicer`` whose methods append a Python stack to the
message of every exception they pass on; the engine prints that text verbatim. So this module
serves the same servicer with each call wrapped once more: a failed call ends the RPC with
the provider's message alone (``ProviderError``, already free of the key), no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from importlib import metadata
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from .provider import MixpeekProvider, ProviderError

__all__ = ["main", "plugin_version"]

#: The engine's calls that reach ``MixpeekProvider``.
_CALLS = (
    "GetSchema",
    "CheckConfig",
    "DiffConfig",
    "Configure",
    "Invoke",
    "Check",
    "Diff",
    "Create",
    "Read",
    "Update",
    "Delete",
)

Handler = Callable[[Any, Any, Any], Awaitable[Any]]


def plugin_version() -> str:
    return metadata.version("pulumi-mixpeek")


def _message(exc: BaseException) -> str:
    """The ``ProviderError`` message behind ``exc``: the servicer re-raises it as the
    ``__context__`` of a new exception carrying the stack."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ProviderError):
            return str(seen)
        seen = seen.__context__
    return f"{type(exc).__name__} in pulumi-resource-mixpeek"


def _without_traceback(handler: Handler) -> Handler:
    async def call(self: Any, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        try:
            return await handler(self, request, context)
        except NotImplementedError:
            raise
        except Exception as exc:  # the boundary to the engine
            await context.abort(grpc.StatusCode.UNKNOWN, _message(exc))

    return call


class _Servicer(ProviderServicer):
    def __init__(
        self, args: list[str], version: str, provider: MixpeekProvider, engine_address: str
    ) -> None:
        super().__init__(args, version, provider, engine_address=engine_address)
        self._mixpeek = provider

    async def Configure(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC name
        # The SDK's ConfigureRequest drops the provider resource's URN, which says whether
        # the configuration is the stack's (a default provider) or an explicit provider's
        # arguments (MixpeekProvider.configure).
        self._mixpeek.provider_urn = request.urn or None
        return await ProviderServicer.Configure(self, request, context)


for _name in _CALLS:
    setattr(_Servicer, _name, _without_traceback(getattr(_Servicer, _name)))


async def _serve(engine_address: str, args: list[str]) -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    servicer = _Servicer(args, plugin_version(), MixpeekProvider(), engine_address=engine_address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    await server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await server.wait_for_termination()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="pulumi-resource-mixpeek",
        description="The Mixpeek resource provider plugin; the Pulumi engine starts it.",
    )
    parser.add_argument("engine", help="address of the Pulumi engine")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    parser.add_argument("-v", dest="verbosity", help="ignored")
    known, _ = parser.parse_known_args(args)
    try:
        asyncio.run(_serve(known.engine, args))
    except KeyboardInterrupt:
        pass
