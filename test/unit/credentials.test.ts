// What the dynamic provider hands back to the engine: no secret outside the one `credentials`
// input, which is marked secret; handlers still see whole connections; failures, errors and
// diffs never echo a secret.
import * as dynamic from "../../provider/dynamic";
import { openCredentials, sealCredentials, withCredentials } from "../../provider/resources/credentials";
import type { Handler, Inputs } from "../../provider/resources/handler";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const PASSWORD = "cluster-Passw0rd-4711";
const KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAnodeKEYmaterial0123456789\n-----END OPENSSH PRIVATE KEY-----\n";
const PROXY_PASSWORD = "bastion-Passw0rd-42";

/** JSON of everything except the secret-marked `credentials` value. */
function visible(values: Inputs): string {
  const { credentials, ...rest } = values;
  if (credentials !== undefined) expect(credentials).toMatchObject({ [SIG]: SECRET });
  return JSON.stringify(rest);
}
const leaks = (text: string) =>
  [PASSWORD, KEY.split("\n")[1]!, PROXY_PASSWORD].filter((s) => text.includes(s));

const nodeInputs = (connection: Record<string, unknown>, extra: Inputs = {}): Inputs => ({
  clusterId: "c",
  manageAddress: "10.0.0.2",
  storageAddress: "10.0.0.2",
  zone: 1,
  tags: {},
  connection,
  members: [{ manageAddress: "10.0.0.1", storageAddress: "10.0.0.1", connection: { host: "10.0.0.1" } }],
  ...extra,
});

describe("the dynamic provider's results", () => {
  test("state written before the split (secrets inside connection): check moves them into secret credentials", async () => {
    const olds = nodeInputs({
      host: "10.0.0.2",
      password: PASSWORD,
      proxy: { host: "jump", password: PROXY_PASSWORD },
    });
    const r = await dynamic.node.check!({}, olds);
    expect(r.failures ?? []).toEqual([]);
    expect(leaks(visible(r.inputs!))).toEqual([]);
    expect(r.inputs!.connection).toEqual({ host: "10.0.0.2", proxy: { host: "jump" } });
    expect((r.inputs!.credentials as Inputs).value).toEqual({
      "10.0.0.2": { password: PASSWORD, proxy: { password: PROXY_PASSWORD } },
    });
  });

  test("credentials sent apart by the SDK stay apart and secret", async () => {
    const news = nodeInputs(
      { host: "10.0.0.2", proxy: { host: "jump" } },
      { credentials: { "10.0.0.2": { privateKey: KEY }, "10.0.0.1": { password: PASSWORD } } },
    );
    const r = await dynamic.node.check!({}, news);
    expect(leaks(visible(r.inputs!))).toEqual([]);
    expect((r.inputs!.credentials as Inputs).value).toEqual(news.credentials);
  });

  test("a credential change, or old state with secrets in the clear, is an update", async () => {
    const plain = nodeInputs({ host: "10.0.0.2" }, { credentials: { "10.0.0.2": { password: PASSWORD } } });
    const rotated = nodeInputs(
      { host: "10.0.0.2" },
      { credentials: { "10.0.0.2": { password: "new-Passw0rd" } } },
    );
    const legacy = nodeInputs({ host: "10.0.0.2", password: PASSWORD });
    expect((await dynamic.node.diff!("id", plain, plain)).changes).toBe(false);
    expect((await dynamic.node.diff!("id", plain, rotated)).changes).toBe(true);
    expect((await dynamic.node.diff!("id", legacy, plain)).changes).toBe(true);
  });

  test("a mistyped secret is not echoed in the check failure", async () => {
    for (const connection of [
      { host: "10.0.0.2", password: 123456789 },
      { host: "10.0.0.2", proxy: { host: "jump", password: ["bastion-Passw0rd-42"] } },
      { host: "10.0.0.2", privateKey: { pem: KEY } },
    ]) {
      const r = await dynamic.node.check!({}, nodeInputs(connection));
      expect(r.failures?.length).toBeGreaterThan(0);
      const text = JSON.stringify(r.failures);
      expect(leaks(text)).toEqual([]);
      expect(text).not.toContain("123456789");
    }
  });

  test("a secret shown under another name (a connection given as the key text) is not echoed", async () => {
    const r = await dynamic.device.check!(
      {},
      {
        clusterId: "c",
        node: "10.0.0.2",
        path: "/dev/vdb",
        connection: KEY,
        credentials: { x: { password: PASSWORD } },
      },
    );
    const text = JSON.stringify(r.failures);
    expect(r.failures?.length).toBeGreaterThan(0);
    expect(leaks(text)).toEqual([]);
  });
});

describe("handlers behind withCredentials", () => {
  const noStack = () => ({});
  /** A handler that dials (records what it was given) and echoes its inputs, as the real ones do. */
  function echo(seen: Inputs[]): Handler {
    return {
      check: async (_o, n) => (seen.push(n), { inputs: n }),
      diff: async () => ({ changes: false }),
      create: async (i) => (seen.push(i), { id: "x", outs: { ...i, extra: 1 } }),
      read: async (id, p) => (seen.push(p), { id, props: p, inputs: p }),
      update: async (_id, _o, n) => (seen.push(n), { outs: n }),
      delete: async (_id, p) => void seen.push(p),
    };
  }
  const volume: Inputs = {
    name: "v",
    topology: [
      { manageAddress: "a", connection: { host: "a", proxy: { host: "j" } } },
      { manageAddress: "b", connection: { host: "b" } },
    ],
    credentials: { a: { password: PASSWORD, proxy: { privateKey: KEY } }, b: { privateKey: KEY } },
  };

  test("see each connection whole, on every call (also delete and refresh)", async () => {
    const seen: Inputs[] = [];
    const h = withCredentials(echo(seen), noStack);
    await h.create(volume);
    await h.read("x", volume);
    await h.delete("x", volume);
    for (const s of seen) {
      expect(s.credentials).toBeUndefined();
      expect(s.topology).toEqual([
        {
          manageAddress: "a",
          connection: { host: "a", password: PASSWORD, proxy: { host: "j", privateKey: KEY } },
        },
        { manageAddress: "b", connection: { host: "b", privateKey: KEY } },
      ]);
    }
  });

  test("return no secret outside credentials", async () => {
    const h = withCredentials(echo([]), noStack);
    const { outs } = await h.create(volume);
    expect(outs.topology).toEqual(volume.topology);
    expect(outs.credentials).toEqual(volume.credentials);
    expect(outs.extra).toBe(1);
    expect(sealCredentials(openCredentials(volume))).toEqual(volume);
  });

  test("redact secrets from errors", async () => {
    const h = withCredentials(
      {
        ...echo([]),
        delete: async (_id, p) => {
          const t = (p.topology as { connection: { password: string } }[])[0]!;
          throw new Error(`could not log in with ${t.connection.password}`);
        },
      },
      noStack,
    );
    const err = (await h.delete("x", volume).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("could not log in with [redacted]");
    expect(err.stack).not.toContain(PASSWORD);
  });

  test("redact the stack's default credentials from errors too", async () => {
    const h = withCredentials(
      {
        ...echo([]),
        create: async () => {
          throw new Error("auth failed for stack-Passw0rd-99");
        },
      },
      () => ({ password: "stack-Passw0rd-99" }),
    );
    await expect(h.create(volume)).rejects.toThrow("auth failed for [redacted]");
  });

  test("leave an unknown credentials input (preview) for the handler to see", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(openCredentials({ ...volume, credentials: unknown }).credentials).toBe(unknown);
    expect(sealCredentials({ ...volume, credentials: unknown }).credentials).toBe(unknown);
  });
});
