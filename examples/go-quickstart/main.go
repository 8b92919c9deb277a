// The program `pulumi up` runs on a normal Pulumi install (runtime: go). automation/ runs the
// same clusters inline through the Automation API (quickstart/quickstart.go).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mixpeek/pulumi-mixpeek/examples/go-quickstart/quickstart"
)

func main() {
	pulumi.Run(quickstart.Program)
}
