"""CPU time per process of a step, by role: where a step's CPU goes.

``CpuSampler`` polls /proc while a step runs and keeps, for every descendant of this process,
the last CPU time seen (user + system). Roles come from the command line: the Pulumi CLI
(``engine``), the Python process serving the program (``program``, scripts/pulumi-run) and
the dynamic-provider host (``provider host``, ``python -m pulumi.dynamic``). A process's CPU in
its last poll interval (0.1 s) before it exits is not seen, so the figures are slightly low.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from pathlib import Path
from types import TracebackType

__all__ = ["ROLES", "CpuSampler"]

ROLES = ("engine", "program", "provider host")
_TICK = os.sysconf("SC_CLK_TCK")


def _role(cmdline: str) -> str | None:
    if "pulumi.dynamic" in cmdline:
        return "provider host"
    if "pulumi-run" in cmdline:
        return "program"
    first = cmdline.split("\0", 1)[0]
    if first.endswith("/pulumi") or first == "pulumi":
        return "engine"
    return None


class CpuSampler:
    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self._seen: dict[int, tuple[str, float]] = {}
        self._ignored: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def by_role(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for role, seconds in self._seen.values():
            totals[role] += seconds
        return {role: totals.get(role, 0.0) for role in ROLES}

    def _run(self) -> None:
        root = os.getpid()
        while not self._stop.is_set():
            self._poll(root)
            self._stop.wait(self.interval)

    def _poll(self, root: int) -> None:
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(entry.name)
            parents[pid] = int(fields[1])
            cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
        for pid, seconds in cpu.items():
            if pid in self._ignored:
                continue
            ancestor = parents.get(pid)
            while ancestor not in (None, 0, 1, root):
                ancestor = parents.get(ancestor)
            if ancestor != root:
                continue
            known = self._seen.get(pid)
            if known is None:
                try:
                    cmdline = (Path("/proc") / str(pid) / "cmdline").read_text()
                except OSError:
                    continue
                role = _role(cmdline)
                if role is None:
                    self._ignored.add(pid)
                    continue
                self._seen[pid] = (role, seconds)
            else:
                self._seen[pid] = (known[0], max(known[1], seconds))
