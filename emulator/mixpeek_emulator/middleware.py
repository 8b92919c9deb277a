"""The ASGI layer around the API: injects faults and records the request log.

It wraps the FastAPI application directly (outermost, handed to uvicorn), so that "commit then
drop" can close the client connection without sending anything: the application runs to
completion, its response is discarded, and the server's transport is closed. Requests to the
test controls (``/_emulator/...``) are neither faulted nor logged.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_body
from .faults import Decision, Faults
from .levels import SEED
from .requestlog import RequestLog

__all__ = ["CONTROL_PREFIX", "Instrumented"]

CONTROL_PREFIX = "/_emulator"


class Instrumented:
    """Fault injection and request logging around an ASGI app."""

    def __init__(self, app: ASGIApp, faults: Faults, log: RequestLog,
                 api_version: str = SEED) -> None:
        self.app = app
        self.faults = faults
        self.log = log
        self.api_version = api_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method: str = scope["method"]
        body = await _read_body(receive)
        decision = self.faults.decide(method, path)
        entry: dict[str, Any] = {
            "time": time.time(),
            "method": method,
            "path": path,
            "query": scope.get("query_string", b"").decode("latin-1"),
            "status": 500,
            "namespace": _header(scope, b"x-namespace"),
            "body": _json_or_none(body),
            "fault": None,
        }
        try:
            if decision.latency_s:
                await asyncio.sleep(decision.latency_s)
            if decision.error_status is not None and decision.commit_first:
                entry["fault"] = "commit-error"
                await self._run_and_discard(scope, _replay(body, receive))
                entry["status"] = decision.error_status
                await _send_injected_error(send, decision, self.api_version)
                return
            if decision.error_status is not None:
                entry["fault"] = "error"
                entry["status"] = decision.error_status
                await _send_injected_error(send, decision, self.api_version)
                return
            replay = _replay(body, receive)
            if decision.drop:
                entry["fault"] = "drop"
                entry["status"] = await self._run_and_discard(scope, replay)
                await _drop_connection(send)
                return

            async def recording_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    entry["status"] = message["status"]
                await send(message)

            await self.app(scope, replay, recording_send)
        finally:
            entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
            self.log.add(entry)

    async def _run_and_discard(self, scope: Scope, receive: Receive) -> int:
        status = 500

        async def discard(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(scope, receive, discard)
        return status


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that yields the already-read body once, then defers to the server."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            text: str = value.decode("latin-1")
            return text
    return None


def _json_or_none(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")


async def _send_injected_error(send: Send, decision: Decision, api_version: str) -> None:
    status = decision.error_status
    assert status is not None
    payload = json.dumps(
        error_body(status, f"Injected fault: HTTP {status} (mixpeek-emulator faults)",
                   {"injected": True}, api_version=api_version)
    ).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(payload)).encode())]
    if status == 429:
        headers.append((b"retry-after", str(decision.retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


async def _drop_connection(send: Send) -> None:
    """Close the client connection without a response.

    uvicorn's ``send`` is a bound method of the request cycle, which holds the transport.
    Elsewhere, fall back to a truncated response (headers promising a body never sent).
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None:
        transport.close()
        cycle.disconnected = True  # type: ignore[union-attr]
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
    )
