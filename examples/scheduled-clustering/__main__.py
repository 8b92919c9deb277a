"""Scheduled clustering: a cluster and a nightly trigger that re-runs it at 02:00.

Stack config (all optional):
  collectionIds  list of collection ids to cluster     (default ["col_products"]; changing
                 it replaces the cluster, and with it the trigger, which names the cluster)
  schedule       the trigger's cron expression          (default "0 2 * * *": 02:00 every
                 day; changing it updates the trigger in place)
  timezone       the IANA timezone the schedule is in   (default "Europe/Berlin"; in place)
  enabled        false pauses the trigger, true resumes (default true; in place)
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
        algorithm_params={"min_cluster_size": 5},
    ),
    cluster_name=f"scheduled-products-{pulumi.get_stack()}",
    description="Products grouped by text embedding, re-clustered every night",
    metadata={"owner": "search", "managed-by": "pulumi"},
)

enabled = config.get_bool("enabled")
nightly = mixpeek.ClusterTrigger(
    "nightly",
    cluster_id=products.id,  # the id stays known while the cluster is updated in place
    trigger_type="cron",
    # The SDK's keys for a cron trigger: cron_expression (five fields) and timezone.
    schedule_config={
        "cron_expression": config.get("schedule") or "0 2 * * *",
        "timezone": config.get("timezone") or "Europe/Berlin",
    },
    description="Re-cluster the products every night at 02:00, after the daily import",
    enabled=True if enabled is None else enabled,
)

pulumi.export("cluster_id", products.cluster_id)
pulumi.export("trigger_id", nightly.trigger_id)
pulumi.export("trigger_status", nightly.status)
pulumi.export("next_scheduled_at", nightly.next_scheduled_at)
