"""Several clusters over the same collections, declared in config (defaults in Pulumi.yaml),
plus a second-level cluster built on the output of the first: Pulumi creates it only once
the first cluster's output collection exists, and replaces it if that collection changes.

Config (project defaults in Pulumi.yaml; a stack may override each key):
  collections  collection ids shared by every cluster
  clusters     name -> {clustering_method, algorithm_params, description}
  themesFrom   which of those clusters "themes" is built on (default: topics)
"""

import pulumi

import pulumi_mixpeek as mixpeek

config = pulumi.Config()
collections = config.require_object("collections")
declared = config.require_object("clusters")
stack = pulumi.get_stack()

clusters = {
    name: mixpeek.Cluster(
        name,
        collection_ids=collections,
        cluster_type="vector",
        vector_config=mixpeek.VectorConfigArgs(
            feature_uris=["mixpeek://multimodal_extractor@v1/embedding"],
            clustering_method=spec["clustering_method"],
            algorithm_params=spec.get("algorithm_params"),
        ),
        cluster_name=f"{name}-{stack}",
        description=spec.get("description"),
        metadata={"family": "content", "stack": stack},
    )
    for name, spec in declared.items()
}

# Depends on "topics": it clusters the collection that "topics" writes its clusters into.
first = clusters[config.get("themesFrom") or "topics"]
themes = mixpeek.Cluster(
    "themes",
    collection_ids=first.output_collection_ids,
    cluster_type="vector",
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://multimodal_extractor@v1/embedding"],
        clustering_method="agglomerative",
        algorithm_params={"n_clusters": 4},
    ),
    cluster_name=f"themes-{stack}",
    description="Themes: clusters of topic clusters",
    metadata={"built_from": first.cluster_id},
)

pulumi.export("cluster_ids", {name: c.cluster_id for name, c in clusters.items()})
pulumi.export("themes_id", themes.cluster_id)
pulumi.export("themes_inputs", themes.collection_ids)
