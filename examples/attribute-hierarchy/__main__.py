"""Attribute clustering: group a catalog by category, then brand, as a two-level hierarchy,
and write each document's cluster back into the source collection."""

import pulumi

import pulumi_mixpeek as mixpeek

config = pulumi.Config()
catalog = config.get("collectionId") or "col_catalog"

taxonomy = mixpeek.Cluster(
    "catalog-taxonomy",
    collection_ids=[catalog],
    cluster_type="attribute",
    attribute_config=mixpeek.AttributeConfigArgs(
        attributes=["metadata.category", "metadata.brand"],
        hierarchical_grouping=True,
        aggregation_method="most_frequent",
    ),
    enrich_source_collection=True,
    source_enrichment_config=mixpeek.SourceEnrichmentConfigArgs(
        field_mappings=[
            mixpeek.EnrichmentFieldMappingArgs(source_field="cluster_id", target_field="taxonomy_id"),
            mixpeek.EnrichmentFieldMappingArgs(
                source_field="cluster_label", target_field="taxonomy_label"
            ),
        ],
    ),
    cluster_name=f"catalog-taxonomy-{pulumi.get_stack()}",
    description="Catalog grouped by category, then brand",
    metadata={"owner": "merchandising"},
)

pulumi.export("cluster_id", taxonomy.cluster_id)
pulumi.export("algorithm", taxonomy.algorithm)
pulumi.export("enriched_collections", taxonomy.output_collection_ids)
