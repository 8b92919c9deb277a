// Runs the quickstart's clusters as an inline program through Pulumi's Automation API: the
// program runs in this Node.js process and the Pulumi CLI (on PATH) runs the engine, so no
// Node.js language host is needed. On a normal Pulumi install, `pulumi up` in this directory
// runs index.ts instead; both declare the same clusters (quickstart.ts).
//
//   npm run build
//   node bin/automation.js up|preview|refresh|destroy [--stack NAME] [--expect-no-changes]
//
// The stack (default: $PULUMI_STACK, else dev) and its config live in the current directory,
// which must hold this Pulumi.yaml: set config with `pulumi config set` as for any stack.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { quickstart } from "./quickstart";

const USAGE = "usage: automation up|preview|refresh|destroy [--stack NAME] [--expect-no-changes]";

async function main(args: string[]): Promise<number> {
    const [command, ...flags] = args;
    const at = flags.indexOf("--stack");
    const stackName = at >= 0 ? flags[at + 1] : (process.env.PULUMI_STACK ?? "dev");
    const expectNoChanges = flags.includes("--expect-no-changes");
    if (!stackName) {
        console.error(USAGE);
        return 2;
    }

    const stack = await LocalWorkspace.createOrSelectStack(
        {
            stackName,
            projectName: "mixpeek-typescript-quickstart",
            program: async () => quickstart(),
        },
        { workDir: process.cwd() },
    );
    const onOutput = (text: string) => process.stdout.write(text);
    switch (command) {
        case "up":
            await stack.up({ onOutput, expectNoChanges });
            break;
        case "preview":
            await stack.preview({ onOutput, expectNoChanges });
            break;
        case "refresh":
            await stack.refresh({ onOutput, expectNoChanges });
            break;
        case "destroy":
            await stack.destroy({ onOutput });
            break;
        default:
            console.error(USAGE);
            return 2;
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        // A failed command's error carries the CLI's own output and exit code.
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
    },
);
