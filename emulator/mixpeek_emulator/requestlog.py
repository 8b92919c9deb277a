"""The request log behind ``GET /_emulator/requests``.

Each entry: seq, time, method, path, query, status, namespace (the X-Namespace header as sent,
or null), body (the parsed JSON request body, or null), fault (null, "error", "commit-error",
"drop") and duration_ms. Headers are not recorded, so the API key never appears in the log.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["RequestLog"]


class RequestLog:
    """A thread-safe, append-only list of request entries, cleared by reset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._seq = 0

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._seq += 1
            self._entries.append({"seq": self._seq, **entry})

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
