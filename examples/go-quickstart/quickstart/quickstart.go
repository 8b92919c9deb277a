// Package quickstart declares the quickstart's clusters: a vector cluster over a product
// collection, labelled by an LLM, and an attribute cluster grouping a catalog by category,
// then brand.
//
// Stack config (all optional):
//
//	collectionIds  collections the vector cluster groups (default ["col_products"]; changing
//	               it replaces the cluster)
//	description    the vector cluster's description (changing it updates in place)
//
// The provider's own settings are mixpeek:apiKey, mixpeek:namespace and mixpeek:endpoint.
package quickstart

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/mixpeek/pulumi-mixpeek/sdk/go/mixpeek"
)

// Program is the Pulumi program: main.go runs it with pulumi.Run, automation/ inline.
func Program(ctx *pulumi.Context) error {
	conf := config.New(ctx, "")
	collectionIds := []string{"col_products"}
	if err := conf.GetObject("collectionIds", &collectionIds); err != nil {
		return err
	}
	description := conf.Get("description")
	if description == "" {
		description = "Products grouped by text embedding"
	}
	stack := ctx.Stack()

	products, err := mixpeek.NewCluster(ctx, "products", &mixpeek.ClusterArgs{
		ClusterName:   pulumi.String("go-products-" + stack),
		CollectionIds: pulumi.ToStringArray(collectionIds),
		ClusterType:   mixpeek.ClusterTypeVector,
		VectorConfig: &mixpeek.VectorConfigArgs{
			FeatureUris: pulumi.StringArray{
				pulumi.String("mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1"),
			},
			ClusteringMethod: mixpeek.ClusteringAlgorithmHdbscan,
			// Algorithm parameters are the API's own keys, passed as written.
			AlgorithmParams: pulumi.Map{"min_cluster_size": pulumi.Int(5)},
		},
		LlmLabeling: &mixpeek.LLMLabelingArgs{
			Enabled:         pulumi.Bool(true),
			ModelName:       mixpeek.LLMLabelingModelName_Gpt_4o_Mini_2024_07_18,
			IncludeSummary:  pulumi.Bool(true),
			IncludeKeywords: pulumi.Bool(true),
		},
		Description: pulumi.String(description),
		Metadata:    pulumi.Map{"team": pulumi.String("search"), "managed-by": pulumi.String("pulumi")},
	})
	if err != nil {
		return err
	}

	catalog, err := mixpeek.NewCluster(ctx, "catalog", &mixpeek.ClusterArgs{
		ClusterName:   pulumi.String("go-catalog-" + stack),
		CollectionIds: pulumi.StringArray{pulumi.String("col_catalog")},
		ClusterType:   mixpeek.ClusterTypeAttribute,
		AttributeConfig: &mixpeek.AttributeConfigArgs{
			Attributes:           pulumi.StringArray{pulumi.String("metadata.category"), pulumi.String("metadata.brand")},
			HierarchicalGrouping: pulumi.Bool(true),
			AggregationMethod:    pulumi.String("most_frequent"),
		},
		Description: pulumi.String("Catalog grouped by category, then brand"),
	})
	if err != nil {
		return err
	}

	ctx.Export("productsClusterId", products.ClusterId)
	ctx.Export("productsOutputCollectionIds", products.OutputCollectionIds)
	ctx.Export("catalogClusterId", catalog.ClusterId)
	return nil
}
