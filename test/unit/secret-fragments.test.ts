// No fragment of a secret is ever shown: not when a value that holds it is quoted shortened in a
// check failure or an error ("the value \"abc...\""), nor when an excerpt of output starts mid-way.
import { ValidationError } from "../../provider/core/errors";
import { assertBrickRoot, assertOptionValue } from "../../provider/core/names";
import { createDeps, handlersFor } from "../../provider/resources";
import { redactError } from "../../provider/resources/credentials";
import { redact } from "../../provider/ssh";
import { nodeInputs } from "../support/handler-inputs";

/** The handlers of one provider process (nothing here reaches a node). */
const handlers = handlersFor(createDeps());

// Long enough that a shortened quote (77 characters) cuts through it.
const password = "Zq7-" + "pa55w0rd-L0ng-S3cret-".repeat(6);
const fragments = (text: string) =>
  [8, 12, 16, 24, 40].map((n) => password.slice(0, n)).filter((f) => text.includes(f));

const node = (over: Record<string, unknown> = {}) =>
  nodeInputs({ credentials: { "10.0.0.2": { password } }, ...over });

describe("a secret pasted into a field that is not secret", () => {
  test("is not shown in part when the check failure quotes the value shortened", async () => {
    const r = await handlers.node.check({}, node({ storageAddress: password }));
    expect(r.failures?.length ?? 0).toBeGreaterThan(0);
    const text = JSON.stringify(r.failures);
    expect(text).toContain("storageAddress");
    expect(fragments(text)).toEqual([]);
  });

  test("nor when it sits inside a longer value, cut in its middle", async () => {
    const r = await handlers.node.check({}, node({ storageAddress: `gfs-${password}` }));
    expect(fragments(JSON.stringify(r.failures))).toEqual([]);
  });

  test("nor in a builder's refusal, once the error is redacted", () => {
    for (const f of [
      () => assertBrickRoot(`/${password}/..`),
      () => assertOptionValue("nfs.disable", `-${password}`),
    ]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      const redacted = redactError(err, [password]) as Error;
      expect(fragments(redacted.message)).toEqual([]);
      expect(fragments(redacted.stack ?? "")).toEqual([]);
    }
  });
});

describe("redact", () => {
  test("a secret's start before '...' (a shortened quote) is redacted", () => {
    expect(redact(`the value "${password.slice(0, 30)}..." is not`, [password])).toBe(
      'the value "[redacted]..." is not',
    );
  });
  test("a secret's end after '...' (an excerpt's start) is redacted", () => {
    expect(redact(`...${password.slice(-30)}\nnext line`, [password])).toBe("...[redacted]\nnext line");
  });
  test("text that merely shares a short start with a secret is kept", () => {
    expect(redact('the value "Zq..." is', [password])).toBe('the value "Zq..." is');
  });
});

test("redacting at cuts stays fast with a long key and many ellipses", () => {
  const key = Array.from({ length: 50 }, (_, i) => `line${i}-${"x".repeat(64)}`).join("\n");
  const text = Array.from({ length: 200 }, (_, i) => `step ${i} waited... then ...retried`).join("\n");
  const started = Date.now();
  expect(redact(text, [key])).toBe(text);
  expect(Date.now() - started).toBeLessThan(2000);
});
