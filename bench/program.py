"""The Pulumi program `make bench` runs, copied into each bench project as ``__main__.py``.

``bench.json`` beside it says which variant to declare (``provider``: pulumi_mixpeek.Cluster
with its typed args; ``thin`` / ``noop``: the floors in ``floors.py``), how many clusters,
and the revision: revision 1 adds ``metadata`` to every cluster (an in-place update).
Every variant declares the same N attribute clusters.
"""

import json
from pathlib import Path

spec = json.loads(Path("bench.json").read_text())


def declaration(i: int) -> dict:
    args = {
        "collection_ids": [f"col_bench_{i % 4}"],
        "cluster_type": "attribute",
        "cluster_name": f"bench-{i:04d}",
    }
    if spec["revision"]:
        args["metadata"] = {"revision": spec["revision"]}
    return args


if spec["variant"] == "provider":
    import pulumi_mixpeek as mixpeek

    for i in range(spec["n"]):
        mixpeek.Cluster(
            f"c{i:04d}",
            attribute_config=mixpeek.AttributeConfigArgs(attributes=["category", "brand"]),
            **declaration(i),
        )
else:
    import floors

    resource = floors.ThinCluster if spec["variant"] == "thin" else floors.NoopCluster
    for i in range(spec["n"]):
        resource(
            f"c{i:04d}",
            {**declaration(i), "attribute_config": {"attributes": ["category", "brand"]}},
        )
