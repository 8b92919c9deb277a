"""Start and drive a real ``mixpeek-emulator`` process for tests.

The process is started exactly as a user would start it (``python -m mixpeek_emulator``
with ``--port 0``); its base URL is the first line it prints on stdout.

``api_version`` picks the API level the server speaks (``--api-version``). It defaults to the
seed level, "1.3.1", which the provider speaks today, so every tier that does not name a level
(unit-adjacent, integration, engine) runs there; the emulator tier names "1.3.783" where it
tests today's level.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

__all__ = ["SEED_API_VERSION", "TODAY_API_VERSION", "Emulator", "running_emulator",
           "start_emulator"]

START_TIMEOUT_S = 30.0
#: The API levels (``mixpeek-emulator --api-version``), named by the SDK release.
SEED_API_VERSION = "1.3.1"
TODAY_API_VERSION = "1.3.783"


class Emulator:
    """A running emulator process plus helpers for its test-control endpoints."""

    def __init__(self, process: subprocess.Popen[str], base_url: str, args: list[str],
                 api_version: str = SEED_API_VERSION) -> None:
        self.process = process
        self.base_url = base_url
        self.args = args
        #: The API level the server speaks.
        self.api_version = api_version
        self._http = httpx.Client(base_url=base_url, timeout=10.0)
        # Drain the pipes so a chatty server can never block on a full pipe buffer.
        self.stdout_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self._drains = [
            _drain(stream, lines)
            for stream, lines in (
                (process.stdout, self.stdout_lines),
                (process.stderr, self.stderr_lines),
            )
            if stream is not None
        ]

    # -- test controls (outside /v1/) -------------------------------------------------
    def requests(self) -> list[dict[str, Any]]:
        """Every request since the last reset: method, path, status, namespace, ..."""
        response = self._http.get("/_emulator/requests")
        response.raise_for_status()
        body = response.json()
        return list(body["requests"] if isinstance(body, dict) else body)

    def reset(self, *, data: bool = False) -> None:
        """Clear the request log and faults; ``data=True`` also deletes every record."""
        params = {"data": "true"} if data else None
        self._http.post("/_emulator/reset", params=params).raise_for_status()

    def faults(self, config: dict[str, Any]) -> None:
        self._http.post("/_emulator/faults", json=config).raise_for_status()

    # -- plain API calls, for arranging and checking server state ---------------------
    def api(
        self, method: str, path: str, *, key: str, namespace: str | None, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"}
        if namespace is not None:
            headers["X-Namespace"] = namespace
        return self._http.request(method, path, headers=headers, **kwargs)

    def stop(self) -> int:
        self._http.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for thread in self._drains:
            thread.join(timeout=5)
        return self.process.returncode


def _drain(stream: Any, lines: list[str]) -> threading.Thread:
    def run() -> None:
        for line in stream:
            lines.append(line)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def start_emulator(
    *,
    db: Path | str = ":memory:",
    api_keys: Sequence[str] = ("sk_test_emulator",),
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
    api_version: str = SEED_API_VERSION,
) -> Emulator:
    args = [sys.executable, "-m", "mixpeek_emulator", "--port", "0", "--db", str(db),
            "--api-version", api_version]
    for key in api_keys:
        args += ["--api-key", key]
    args += list(extra_args)
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http"):
        process.kill()
        _, err = process.communicate(timeout=START_TIMEOUT_S)
        raise RuntimeError(f"mixpeek-emulator did not start: {line!r}\n{err}")
    return Emulator(process, line, args, api_version)


@contextmanager
def running_emulator(**kwargs: Any) -> Iterator[Emulator]:
    emulator = start_emulator(**kwargs)
    try:
        yield emulator
    finally:
        emulator.stop()
