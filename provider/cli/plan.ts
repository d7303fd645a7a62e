// `pulumi-glusterfs plan`: filled in by the placement work (issue 3).
export async function runPlan(
  _args: string[],
  _stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  stderr.write("pulumi-glusterfs plan: not implemented yet\n");
  return 1;
}
