"""A cluster, run again whenever the data version changes, and its labels written into the
source collection after every run."""

import pulumi

import pulumi_mixpeek as mixpeek

config = pulumi.Config()
collection = config.get("collectionId") or "col_products"
# Set a new value (e.g. after a bulk import into the collection) to re-cluster and re-label.
data_version = config.get("dataVersion") or "1"

products = mixpeek.Cluster(
    "products",
    collection_ids=[collection],
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1"],
        clustering_method="kmeans",
        algorithm_params={"n_clusters": 8},
    ),
    cluster_name=f"pipeline-products-{pulumi.get_stack()}",
    description=config.get("description") or "Products grouped by text embedding",
)

# products.id (not products.cluster_id): known during the preview of an in-place update of
# the cluster, so such a preview does not show a run that `up` would not start.
run = mixpeek.ClusterExecution(
    "products-run",
    cluster_id=products.id,
    triggers=[data_version],
    timeout_seconds=900,
)

labels = mixpeek.ClusterEnrichment(
    "products-labels",
    clustering_ids=[products.id],
    source_collection_id=collection,
    batch_size=500,
    triggers=[run.task_id],  # apply the labels again after every new run
)

pulumi.export("cluster_id", products.id)
pulumi.export("task_id", run.task_id)
pulumi.export("run_status", run.status)
pulumi.export("num_clusters", run.num_clusters)
pulumi.export("completed_at", run.completed_at)
pulumi.export("documents_enriched", labels.enriched)
