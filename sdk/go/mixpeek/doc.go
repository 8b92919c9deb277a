// Manage Mixpeek clusters as code: the Mixpeek Clusters API (API levels of the mixpeek SDK 1.3.1 and 1.3.783) as Pulumi resources.
package mixpeek
