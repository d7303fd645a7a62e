// Existing stacks keep working: a stack made by the previous release (the package as built from
// commit a168825, kept packed in test/fixtures) previews with no changes once the program runs
// on this working tree's package, and still does after a refresh. The old state's serialized
// providers require "pulumi-glusterfs/dynamic" at run time, which the new package serves.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, pulumi, stackOutputs } from "../support/pulumi";
import { clean, footprints } from "./nodes";

const RELEASE = path.resolve(__dirname, "../fixtures/pulumi-glusterfs-0.1.0-a168825.tgz");
let stack: Stack;
let local: string;

/** The program's own node_modules/pulumi-glusterfs shadows the working tree's package in the scratch folder. */
function useRelease(): void {
  fs.rmSync(local, { recursive: true, force: true });
  fs.mkdirSync(local, { recursive: true });
  execFileSync("tar", ["-xzf", RELEASE, "--strip-components=1", "-C", local]);
}
function useWorkingTree(): void {
  fs.rmSync(local, { recursive: true, force: true });
}
function installedVersionOf(stack: Stack): string {
  return execFileSync(process.execPath, ["-e", 'process.stdout.write(require.resolve("pulumi-glusterfs"))'], {
    cwd: stack.dir,
    encoding: "utf8",
  });
}

beforeAll(() => {
  labReset();
  stack = newStack("several-volumes", "upgrade");
  local = path.join(stack.dir, "node_modules/pulumi-glusterfs");
  expectOk(
    pulumi(stack, ["config", "set", "volumes", JSON.stringify(["replicated"])], {
      outsideLab: true,
    }),
  );
});

describe("upgrade from the previous release", () => {
  test("the previous release makes a stack of a volume on three nodes", () => {
    useRelease();
    expect(installedVersionOf(stack)).toContain(local);
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const out = stackOutputs(stack);
    expect(Object.keys(out.mountSources as object)).toEqual(["replicated"]);
  });

  test("on this working tree's package, preview shows no changes: no replacement, no diff", () => {
    useWorkingTree();
    expect(installedVersionOf(stack)).not.toContain(local);
    const r = pulumi(stack, ["preview", "--expect-no-changes", "--diff"]);
    expect({ code: r.code, out: r.code === 0 ? "" : `${r.stdout}\n${r.stderr}` }).toEqual({
      code: 0,
      out: "",
    });
  });

  test("after a refresh by the new package, preview still shows no changes", () => {
    expectOk(pulumi(stack, ["refresh", "--yes", "--skip-preview"]));
    const r = pulumi(stack, ["preview", "--expect-no-changes", "--diff"]);
    expect({ code: r.code, out: r.code === 0 ? "" : `${r.stdout}\n${r.stderr}` }).toEqual({
      code: 0,
      out: "",
    });
  });

  test("the new package destroys what the old one made, leaving the nodes clean", () => {
    expectOk(pulumi(stack, ["destroy", "--yes", "--skip-preview"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
