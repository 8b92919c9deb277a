"""Quickstart: one vector cluster over a product collection, labelled by an LLM.

Stack config (all optional):
  collectionIds   list of collection ids to cluster   (default ["col_products"]; changing
                  it replaces)
  minClusterSize  HDBSCAN min_cluster_size             (default 5; changing it updates in
                  place at API level 1.3.783, the default, and replaces at 1.3.1)
  description     the cluster's description            (changing it updates in place)
"""

import pulumi

import pulumi_mixpeek as mixpeek

config = pulumi.Config()

products = mixpeek.Cluster(
    "products",
    collection_ids=config.get_object("collectionIds") or ["col_products"],
    cluster_type="vector",
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1"],
        clustering_method="hdbscan",
        algorithm_params={"min_cluster_size": config.get_int("minClusterSize") or 5},
    ),
    llm_labeling=mixpeek.LLMLabelingArgs(
        enabled=True,
        model_name="gpt-4o-mini-2024-07-18",
        include_summary=True,
        include_keywords=True,
    ),
    cluster_name=f"quickstart-products-{pulumi.get_stack()}",
    description=config.get("description") or "Products grouped by text embedding",
    metadata={"team": "search", "managed-by": "pulumi"},
)

pulumi.export("cluster_id", products.cluster_id)
pulumi.export("cluster_name", products.cluster_name)
pulumi.export("output_collection_ids", products.output_collection_ids)
