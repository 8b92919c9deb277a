"""CPU per provider call, as the dynamic-provider host spends it: the explanation behind
the wall-time ratios in ``bench/results.md``.

Calls each method of ``ClusterProvider`` and of the thin floor's ``ThinProvider`` in this
process, against a real emulator, N times, with the inputs the engine passes, and measures
the calling thread's CPU time (``time.thread_time``: unlike wall time it does not grow when
other work shares the machine). ``profile`` returns the cProfile of the provider over the
same sequence, restricted to the functions with the largest cumulative time.
"""

from __future__ import annotations

import cProfile
import functools
import io
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["call_cpu_ms", "profile"]


def _declaration(i: int) -> dict[str, Any]:
    return {
        "collection_ids": [f"col_bench_{i % 4}"],
        "cluster_type": "attribute",
        "attribute_config": {"attributes": ["category", "brand"]},
        "cluster_name": f"hostbench-{i:04d}",
    }


def _lifecycle(provider: Any, n: int, timed: Callable[..., Any]) -> None:
    """check, diff (no change), create, read, update (metadata), delete, per resource."""
    for i in range(n):
        news = _declaration(i)
        checked = timed("check", provider.check, {}, news)
        inputs = checked.inputs
        created = timed("create", provider.create, inputs)
        outs = created.outs
        timed("diff", provider.diff, created.id, outs, inputs)
        read = timed("read", provider.read, created.id, outs)
        outs = read.outs
        changed = {**inputs, "metadata": {"revision": 1}}
        timed("update", provider.update, created.id, outs, changed)
        timed("delete", provider.delete, created.id, outs)


def call_cpu_ms(providers: dict[str, Any], n: int, env: dict[str, str]) -> dict[str, Any]:
    """Median CPU ms per call, by provider and method."""
    os.environ.update(env)
    results: dict[str, Any] = {}
    for name, provider in providers.items():
        samples: dict[str, list[float]] = {}
        _lifecycle(provider, n, functools.partial(_timed, samples))
        results[name] = {m: 1000 * statistics.median(v) for m, v in samples.items()}
    return results


def _timed(
    samples: dict[str, list[float]], method: str, call: Callable[..., Any], *args: Any
) -> Any:
    started = time.thread_time()
    result = call(*args)
    samples.setdefault(method, []).append(time.thread_time() - started)
    return result


def profile(provider: Any, n: int, env: dict[str, str], top: int = 25) -> str:
    """cProfile (CPU time of this thread) of ``n`` lifecycles, by cumulative time."""
    os.environ.update(env)
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    _lifecycle(provider, n, lambda _m, call, *args: call(*args))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    text = out.getvalue()
    # Keep the table, not pstats' preamble; paths shortened to the package.
    table = text[text.index("   ncalls") :] if "   ncalls" in text else text
    return "\n".join(
        _shorten(line) for line in table.splitlines() if line.strip()
    )


def _shorten(line: str) -> str:
    return re.sub(r"\S*/(site-packages|provider|bench|lib/python3\.\d+)/", "", line)
