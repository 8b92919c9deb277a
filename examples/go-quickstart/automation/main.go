// Command automation runs the quickstart's clusters as an inline program through Pulumi's
// Automation API: the program runs in this process and the Pulumi CLI (on PATH) runs the
// engine, so no Go language host is needed. On a normal Pulumi install, `pulumi up` in this
// directory runs main.go instead; both declare the same clusters (quickstart/).
//
//	go build -o bin/automation ./automation
//	bin/automation up|preview|refresh|destroy [-stack NAME] [-expect-no-changes]
//
// The stack (default: $PULUMI_STACK, else dev) and its config live in the current directory,
// which must hold this Pulumi.yaml: set config with `pulumi config set` as for any stack.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/mixpeek/pulumi-mixpeek/examples/go-quickstart/quickstart"
)

const usage = "usage: automation up|preview|refresh|destroy [-stack NAME] [-expect-no-changes]"

func run(ctx context.Context, command, stackName string, expectNoChanges bool) error {
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(
		ctx, stackName, "mixpeek-go-quickstart", quickstart.Program, auto.WorkDir(workDir))
	if err != nil {
		return err
	}
	switch command {
	case "up":
		opts := []optup.Option{optup.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optup.ExpectNoChanges())
		}
		_, err = stack.Up(ctx, opts...)
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		_, err = stack.Preview(ctx, opts...)
	case "refresh":
		opts := []optrefresh.Option{optrefresh.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optrefresh.ExpectNoChanges())
		}
		_, err = stack.Refresh(ctx, opts...)
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
	default:
		return fmt.Errorf("unknown command %q; %s", command, usage)
	}
	return err
}

func main() {
	defaultStack := os.Getenv("PULUMI_STACK")
	if defaultStack == "" {
		defaultStack = "dev"
	}
	stackName := flag.String("stack", defaultStack, "the stack to run")
	expectNoChanges := flag.Bool("expect-no-changes", false, "fail if the run would change anything")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, usage) }
	// The command comes first, then its flags.
	if len(os.Args) < 2 {
		flag.Usage()
		os.Exit(2)
	}
	command := os.Args[1]
	if err := flag.CommandLine.Parse(os.Args[2:]); err != nil {
		os.Exit(2)
	}
	if err := run(context.Background(), command, *stackName, *expectNoChanges); err != nil {
		// A failed command's error carries the CLI's own output and exit code.
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
