// Command schema-sdk checks a Pulumi Package Schema with Pulumi's own tools and generates SDKs
// from it: it binds the schema with pkg/v3/codegen/schema (the binder `pulumi package gen-sdk`
// uses, including its metaschema validation, here with dangling references refused) and runs
// the code generator of one language, the library each language host calls for
// `pulumi package gen-sdk --language <language>`:
//
//	python  codegen/python.GeneratePackage
//	nodejs  codegen/nodejs.GeneratePackage
//	go      codegen/go.GeneratePackage
//
//	go run ./schema-sdk [-language python|nodejs|go] <schema.json> <output dir>
//
// The Node.js and Go SDKs are generated as `pulumi package add` generates them for a package
// used from a local directory (pkg/cmd/pulumi/packages/packages.go): with SupportPack set, so
// the Go SDK is a module of its own (sdk/go/go.mod) and both carry the schema's version, and the
// Node.js SDK as a local SDK (main bin/index.js, compiled by its postinstall script), so a
// program can depend on the directory without a publishing step.
//
// Binding errors, and any warning, are printed to stderr and exit with status 1; the SDK's
// files are written under the output directory, which must be empty or absent.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the generator's name, written into the header of every generated file.
const tool = "schema-sdk"

// noPackages is a loader for a self-contained schema: it refuses to load any other package.
type noPackages struct{}

func (noPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; it must be self-contained", name)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noPackages) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(name, v)
	return nil, err
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func generate(language string, pkg *schema.Package) (map[string][]byte, error) {
	switch language {
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noPackages{})
	case "nodejs":
		pkg.SupportPack = true
		return nodejs.GeneratePackage(tool, pkg, nil, nil, true /* localSDK */, noPackages{})
	case "go":
		pkg.SupportPack = true
		return gogen.GeneratePackage(tool, pkg, nil)
	default:
		return nil, fmt.Errorf("unknown language %q: use python, nodejs or go", language)
	}
}

func run(language, schemaPath, outDir string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "%s\n", d.Error())
	}
	if len(diags) > 0 {
		return errors.New("the schema does not bind cleanly")
	}
	if entries, err := os.ReadDir(outDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: generate into a new directory", outDir)
	}
	files, err := generate(language, pkg)
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(outDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("bound %s and generated %d %s SDK files in %s\n", schemaPath, len(files), language, outDir)
	return nil
}

func main() {
	language := flag.String("language", "python", "the SDK to generate: python, nodejs or go")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: schema-sdk [-language python|nodejs|go] <schema.json> <output dir>")
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*language, flag.Arg(0), flag.Arg(1)); err != nil {
		fmt.Fprintf(os.Stderr, "schema-sdk: %v\n", err)
		os.Exit(1)
	}
}
