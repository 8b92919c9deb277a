#!/usr/bin/env python3
"""`make bench`: the project's speed and size targets, measured on this machine.

- emulator start-up: process start to first answered request (median and worst of N runs);
  target < 2 s.
- provider pickle: the serialized ClusterProvider that Pulumi stores on every resource
  (twice: inputs and outputs); target < 1 KiB.
- provider operations against a real emulator process: wall time per call (median of N).

Prints one line per figure and exits 1 when a target is missed.
"""

from __future__ import annotations

import base64
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.emulator import running_emulator  # noqa: E402

KEY = "sk_bench_key"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
STARTUP_TARGET_S = 2.0
PICKLE_TARGET_BYTES = 1024


def startup_seconds() -> float:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "mixpeek_emulator", "--port", "0", "--db", ":memory:",
         "--api-key", KEY],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    httpx.post(f"{url}/v1/clusters/list",
               headers={"Authorization": f"Bearer {KEY}", "X-Namespace": "bench"})
    elapsed = time.monotonic() - started
    process.terminate()
    process.wait(timeout=10)
    return elapsed


def pickle_bytes() -> int:
    from pulumi.dynamic.dynamic import serialize_provider
    from pulumi_mixpeek import ClusterProvider

    return len(base64.b64decode(serialize_provider(ClusterProvider())))


def provider_ops() -> dict[str, float]:
    from pulumi_mixpeek import ClusterProvider

    timings: dict[str, list[float]] = {}

    def timed(name: str, call: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = call(*args)
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return result

    with running_emulator(api_keys=(KEY,)) as server:
        os.environ.update(
            MIXPEEK_API_KEY=KEY, MIXPEEK_NAMESPACE="bench", MIXPEEK_ENDPOINT=server.base_url
        )
        provider = ClusterProvider()
        for i in range(RUNS):
            inputs = {
                "collection_ids": ["col_bench"],
                "vector_config": {"feature_uris": ["mixpeek://t@v1/e"],
                                  "clustering_method": "kmeans"},
                "cluster_name": f"bench-{i}",
                "metadata": {"run": i},
            }
            checked = timed("check", provider.check, {}, inputs)
            created = timed("create", provider.create, checked.inputs)
            timed("read", provider.read, created.id, created.outs)
            news = {**checked.inputs, "metadata": {"run": i, "changed": True}}
            timed("diff", provider.diff, created.id, created.outs, news)
            timed("update", provider.update, created.id, created.outs, news)
            timed("delete", provider.delete, created.id, created.outs)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> int:
    missed = []
    startups = [startup_seconds() for _ in range(RUNS)]
    worst = max(startups)
    print(f"emulator start-up: median {statistics.median(startups):.3f}s, worst {worst:.3f}s "
          f"over {RUNS} runs (target < {STARTUP_TARGET_S}s)")
    if worst >= STARTUP_TARGET_S:
        missed.append("emulator start-up")
    size = pickle_bytes()
    print(f"pickled ClusterProvider: {size} bytes per copy, 2 copies per resource "
          f"(target < {PICKLE_TARGET_BYTES} bytes)")
    if size >= PICKLE_TARGET_BYTES:
        missed.append("pickle size")
    for name, seconds in provider_ops().items():
        print(f"provider {name}: median {seconds * 1000:.1f} ms")
    print("bench: " + ("all targets met" if not missed else "MISSED " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
