#!/usr/bin/env node
// The `pulumi-glusterfs` command. Each verb lives in its own module; this file only dispatches.
import { runPlan } from "./plan";
import { runStatus } from "./status";

export const USAGE = `usage: pulumi-glusterfs <command> [options]

commands:
  plan     what-if brick placement for a volume on a topology (see 'pulumi-glusterfs plan --help')
  status   the live cluster, read from the nodes over SSH (see 'pulumi-glusterfs status --help')
  help     show this message
`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case "plan":
      return runPlan(rest, process.stdout, process.stderr);
    case "status":
      return runStatus(rest, process.stdout, process.stderr);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(verb ? `pulumi-glusterfs: unknown command '${verb}'\n\n${USAGE}` : USAGE);
      return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`pulumi-glusterfs: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
