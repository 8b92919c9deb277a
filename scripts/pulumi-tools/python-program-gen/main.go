// Command python-program-gen answers one GenerateProgram call of Pulumi's language runtime
// protocol for Python, with Pulumi's own Python program generator
// (pkg/v3/codegen/python.GenerateProgram). It stands in for that one method of the
// pulumi-language-python plugin, which the Go module proxy does not serve (README.md); the
// engine calls it when `pulumi import` writes the code of what it imported.
//
//	python-program-gen < request > response
//
// stdin holds a pulumirpc.GenerateProgramRequest and stdout receives the
// pulumirpc.GenerateProgramResponse, both in protobuf binary form. The steps are those of
// the Python language host's GenerateProgram (pulumi/pulumi,
// sdk/python/cmd/pulumi-language-python/main.go): parse every PCL file of the request, bind
// them with the engine's schema loader (request.loader_target, which loads each package's
// schema from its provider plugin), non-strictly unless the request says strict, preferring
// output-versioned invokes, then generate the program. Binding errors are returned as the
// response's diagnostics; any other failure is printed on stderr with exit status 1.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"
)

func generate(req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	parser := syntax.NewParser()
	for path, contents := range req.Source {
		if err := parser.ParseFile(strings.NewReader(contents), path); err != nil {
			return nil, err
		}
		if parser.Diagnostics.HasErrors() {
			return nil, parser.Diagnostics
		}
	}

	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	diagnostics := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: diagnostics}, nil
	}
	if program == nil {
		return nil, errors.New("binding the program produced no program")
	}

	files, diags, err := python.GenerateProgram(program)
	if err != nil {
		return nil, err
	}
	diagnostics = append(diagnostics, plugin.HclDiagnosticsToRPCDiagnostics(diags)...)
	return &pulumirpc.GenerateProgramResponse{Source: files, Diagnostics: diagnostics}, nil
}

func run() error {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var req pulumirpc.GenerateProgramRequest
	if err := proto.Unmarshal(data, &req); err != nil {
		return fmt.Errorf("stdin is not a GenerateProgramRequest: %w", err)
	}
	resp, err := generate(&req)
	if err != nil {
		return err
	}
	out, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}

func main() {
	if len(os.Args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: python-program-gen < GenerateProgramRequest > GenerateProgramResponse")
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "python-program-gen: %v\n", err)
		os.Exit(1)
	}
}
