// The program `pulumi up` runs on a normal Pulumi install (runtime: nodejs): the stack outputs
// are the properties of the exported object. automation.ts runs the same clusters inline.
import { quickstart } from "./quickstart";

export = quickstart();
