// Nodes played back from recordings: an executor factory for the resources' deps that answers
// each script by its step name with output recorded from the lab (test/fixtures/node holds the
// real `gluster --xml`, `lvm --reportformat json` and inventory outputs the parsers are tested
// on), and records every script it was asked to run, on which host, in order. A step with no
// recorded answer fails the test loudly; a host can be made unreachable.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RemoteExecutor, RemoteResult, RemoteScript } from "../../provider/core/exec";
import type { ExecutorFactory } from "../../provider/resources/deps";
import { TransportError } from "../../provider/ssh";

const FIXTURES = path.join(__dirname, "../fixtures/node");

/** A recorded output (test/fixtures/node/...). */
export function recorded(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}

/** What a script prints: its markers (provider/node/script.ts's protocol), built from parts. */
export const out = {
  section: (name: string, text: string, rc = 0) => `@@begin ${name}\n${text}\n@@end ${name} ${rc}\n`,
  change: (what: string) => `@@change ${what}\n`,
  refuse: (reason: string, cause?: string) => `${cause ? `@@cause ${cause}\n` : ""}@@refuse ${reason}\n`,
  done: "@@done\n",
};

export interface Reply {
  code?: number;
  stdout: string;
  stderr?: string;
}
/** A reply, a transport failure to throw, or a function of the script (to look at what was built). */
export type Answer = Reply | Error | ((script: RemoteScript) => Reply);

export const ok = (...parts: string[]): Reply => ({ code: 0, stdout: parts.join("") + out.done });
/** A refusal: exit 3, nothing changed (the scripts' convention). */
export const refused = (reason: string, cause?: string): Reply => ({
  code: 3,
  stdout: out.refuse(reason, cause),
  stderr: `refused: ${reason}`,
});
export const failed = (stderr: string, code = 1): Reply => ({ code, stdout: "", stderr });

export interface Run {
  host: string;
  step: string;
  text: string;
}

export class RecordedNodes {
  readonly runs: Run[] = [];
  private readonly answers = new Map<string, Answer[]>();
  private readonly down = new Set<string>();

  /** The answers `step` gets on `host`, one per run, in order; the last one repeats. */
  on(host: string, step: string, ...answers: Answer[]): this {
    this.answers.set(`${host}|${step}`, answers);
    return this;
  }

  /** Every dial to `host` fails, as an SSH connection refused would. */
  unreachable(host: string): this {
    this.down.add(host);
    return this;
  }

  /** The steps run, as "host step", in order. */
  steps(): string[] {
    return this.runs.map((r) => `${r.host} ${r.step}`);
  }

  readonly executors: ExecutorFactory = (target) => {
    const host = target.connection.host ?? target.manageAddress;
    const exec: RemoteExecutor = {
      host,
      run: async (script: RemoteScript): Promise<RemoteResult> => {
        if (this.down.has(host))
          throw new TransportError({
            kind: "dial",
            host,
            step: script.step,
            message: "connect ECONNREFUSED (recorded: node down)",
            hint: "check that the node is up and sshd listens",
          });
        this.runs.push({ host, step: script.step, text: script.text });
        const list = this.answers.get(`${host}|${script.step}`);
        if (!list || list.length === 0)
          throw new Error(`recorded nodes: no answer for step ${script.step} on ${host}`);
        const answer = list.length > 1 ? list.shift()! : list[0]!;
        if (answer instanceof Error) throw answer;
        const reply = typeof answer === "function" ? answer(script) : answer;
        return { code: reply.code ?? 0, stdout: reply.stdout, stderr: reply.stderr ?? "", durationMs: 1 };
      },
    };
    return exec;
  };
}
