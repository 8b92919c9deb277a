"""A Mixpeek vector cluster over one collection."""

import pulumi
import pulumi_mixpeek as mixpeek

products = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    cluster_type="vector",
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1"],
        clustering_method="kmeans",
        algorithm_params={"n_clusters": 8},
    ),
    description="Products grouped by text embedding",
)

pulumi.export("cluster_id", products.cluster_id)
pulumi.export("cluster_name", products.cluster_name)
