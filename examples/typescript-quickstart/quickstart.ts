// The quickstart's clusters: a vector cluster over a product collection, labelled by an LLM,
// and an attribute cluster grouping a catalog by category, then brand.
//
// Stack config (all optional):
//   collectionIds  collections the vector cluster groups (default ["col_products"]; changing
//                  it replaces the cluster)
//   description    the vector cluster's description (changing it updates in place)
// The provider's own settings are mixpeek:apiKey, mixpeek:namespace and mixpeek:endpoint.
import * as pulumi from "@pulumi/pulumi";
import * as mixpeek from "@mixpeek/pulumi-mixpeek";

export function quickstart() {
    const config = new pulumi.Config();
    const stack = pulumi.getStack();

    const products = new mixpeek.Cluster("products", {
        clusterName: `typescript-products-${stack}`,
        collectionIds: config.getObject<string[]>("collectionIds") ?? ["col_products"],
        clusterType: mixpeek.ClusterType.Vector,
        vectorConfig: {
            featureUris: ["mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1"],
            clusteringMethod: mixpeek.ClusteringAlgorithm.Hdbscan,
            // Algorithm parameters are the API's own keys, passed as written.
            algorithmParams: { min_cluster_size: 5 },
        },
        llmLabeling: {
            enabled: true,
            modelName: "gpt-4o-mini-2024-07-18",
            includeSummary: true,
            includeKeywords: true,
        },
        description: config.get("description") ?? "Products grouped by text embedding",
        metadata: { team: "search", "managed-by": "pulumi" },
    });

    const catalog = new mixpeek.Cluster("catalog", {
        clusterName: `typescript-catalog-${stack}`,
        collectionIds: ["col_catalog"],
        clusterType: mixpeek.ClusterType.Attribute,
        attributeConfig: {
            attributes: ["metadata.category", "metadata.brand"],
            hierarchicalGrouping: true,
            aggregationMethod: "most_frequent",
        },
        description: "Catalog grouped by category, then brand",
    });

    return {
        productsClusterId: products.clusterId,
        productsOutputCollectionIds: products.outputCollectionIds,
        catalogClusterId: catalog.clusterId,
    };
}
