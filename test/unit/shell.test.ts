import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { raw, sh, shq } from "../../provider/core/shell";

/** What bash makes of one quoted word. */
function echoBack(word: string): string {
  return execFileSync("bash", ["-c", `printf '%s' ${word}`], { encoding: "utf8" });
}

describe("shq", () => {
  test("leaves plain words alone and quotes everything else", () => {
    expect(shq("gfs_lab_vdb")).toBe("gfs_lab_vdb");
    expect(shq("/dev/disk/by-id/x:1")).toBe("/dev/disk/by-id/x:1");
    expect(shq(42)).toBe("42");
    expect(shq("")).toBe("''");
    expect(shq("a b")).toBe("'a b'");
    expect(shq("it's")).toBe(`'it'\\''s'`);
    expect(shq("$(reboot)")).toBe("'$(reboot)'");
    expect(shq("=x")).toBe("'=x'");
  });

  test("refuses NUL bytes", () => {
    expect(() => shq("a\0b")).toThrow(/NUL/);
  });

  test("bash reads back exactly the original value (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")),
        (s) => {
          // bash and the test runner agree on UTF-8 only for well-formed strings
          const wellFormed = Buffer.from(s, "utf8").toString("utf8") === s;
          fc.pre(wellFormed);
          expect(echoBack(shq(s))).toBe(s);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("shell metacharacters never escape their quotes", () => {
    for (const evil of [
      "; touch /tmp/pwned",
      "`id`",
      "$(id)",
      "a\nb",
      "'; rm -rf / #",
      "${IFS}",
      "|cat",
      "&&true",
      "\\",
      '"',
    ]) {
      expect(echoBack(shq(evil))).toBe(evil);
    }
  });
});

describe("sh template", () => {
  test("quotes values, spreads arrays, keeps raw fragments", () => {
    const f = sh`lvcreate ${["--addtag", "a=b c"]} ${"x'y"} ${raw("$HOME")} ${sh`echo ${"q q"}`}`;
    expect(f.text).toBe(`lvcreate --addtag 'a=b c' 'x'\\''y' $HOME echo 'q q'`);
  });
});
