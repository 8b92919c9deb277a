"""CPU per declared resource in the program process, the program's share of a step.

    <user venv>/bin/python bench/program_profile.py provider|thin N [--profile]

Declares N clusters as ``bench/program.py`` does, against Pulumi's mock monitor
(``pulumi.runtime.set_mocks``: registration, serialization and output resolution run as in a
real program; only the engine is replaced), and prints JSON: CPU ms per resource, the number
of properties registered per resource and, with ``--profile``, the cProfile of the run by
internal time.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import re
import sys
import time
from typing import Any

import pulumi
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _sync_await

__all__ = ["main"]


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[int] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return args.name, dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


def _declare(variant: str, n: int) -> list[Any]:
    import floors
    import pulumi_mixpeek as mixpeek

    resources = []
    for i in range(n):
        args = {
            "collection_ids": [f"col_bench_{i % 4}"],
            "cluster_type": "attribute",
            "cluster_name": f"bench-{i:04d}",
        }
        if variant == "provider":
            resources.append(mixpeek.Cluster(
                f"c{i:04d}",
                attribute_config=mixpeek.AttributeConfigArgs(attributes=["category", "brand"]),
                **args,
            ))
        else:
            resources.append(floors.ThinCluster(
                f"c{i:04d}", {**args, "attribute_config": {"attributes": ["category", "brand"]}}
            ))
    _sync_await(wait_for_rpcs())
    return resources


def main(argv: list[str]) -> int:
    variant, n, profiling = argv[0], int(argv[1]), "--profile" in argv
    pulumi.runtime.set_mocks(_Mocks(), preview=False)
    import floors  # noqa: F401  (imports are start-up, measured elsewhere)
    import pulumi_mixpeek

    pulumi_mixpeek.Cluster  # noqa: B018
    profiler = cProfile.Profile(time.thread_time) if profiling else None
    started = time.thread_time()
    if profiler:
        profiler.enable()
    resources = _declare(variant, n)
    if profiler:
        profiler.disable()
    cpu_ms = 1000 * (time.thread_time() - started) / n
    result: dict[str, Any] = {
        "cpu_ms_per_resource": cpu_ms,
        "properties_per_resource": sum(
            1 for value in vars(resources[0]).values() if isinstance(value, pulumi.Output)
        ),
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        text = out.getvalue()
        table = text[text.index("   ncalls") :]
        result["profile"] = "\n".join(
            re.sub(r"\S*/(site-packages|lib/python3\.\d+)/", "", line)
            for line in table.splitlines()
            if line.strip()
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
