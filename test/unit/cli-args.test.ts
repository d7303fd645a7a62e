// The one flag parser of the `pulumi-glusterfs` commands (provider/cli/args.ts): every mistake is
// refused naming the flag, what was typed and what is allowed.
import { type FlagSpecs, parseFlags } from "../../provider/cli/args";
import { ValidationError } from "../../provider/core/errors";

const specs: FlagSpecs = {
  size: { type: "string" },
  node: { type: "string", multiple: true },
  identity: { type: "string", short: "i" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

function refused(args: string[]): ValidationError {
  try {
    parseFlags(args, specs);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(args)} to be refused`);
}

describe("parseFlags", () => {
  test("values (separate or after '='), short aliases under the long name, repeated lists in order, switches", () => {
    const p = parseFlags(["--size", "1TiB", "--node=a", "-i", "/k", "--node", "b", "--json", "-h"], specs);
    expect(p.values).toEqual(
      new Map([
        ["--size", "1TiB"],
        ["--identity", "/k"],
      ]),
    );
    expect(p.lists.get("--node")).toEqual(["a", "b"]);
    expect([...p.switches].sort()).toEqual(["--help", "--json"]);
  });

  test("a value may start with '-' when given after '=' or when it is not one of the flags", () => {
    expect(parseFlags(["--size=-1"], specs).values.get("--size")).toBe("-1");
    expect(parseFlags(["--size", "-1"], specs).values.get("--size")).toBe("-1");
  });

  test.each([
    [["--frobnicate"], "argument", '"--frobnicate"', "--size"],
    [["-x"], "argument", '"-x"', "--identity (-i)"],
    [["stray"], "argument", '"stray"', "--node"],
    [["--size"], "--size", "(missing)", "a value after the flag"],
    [["--size", "--json"], "--size", '"--json"', "a value after the flag"],
    [["-i", "-h"], "--identity", '"-h"', "a value after the flag"],
    [["--size", "1", "--size", "2"], "--size", '"2"', "the flag once"],
    [["--json=yes"], "--json", '"yes"', "no value: it is a switch"],
  ])("%p is refused naming %s, the value %s and %p", (args, field, value, allowed) => {
    const err = refused(args);
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}: invalid value ${value}`);
    expect(err.allowed).toContain(allowed);
  });
});
