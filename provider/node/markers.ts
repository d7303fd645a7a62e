// Reading back the markers a script prints (see script.ts).

export interface Section {
  readonly text: string;
  readonly rc: number;
}

export interface ScriptOutput {
  readonly changes: string[];
  readonly refusals: string[];
  /** Why the step failed or refused, as the script named it (`@@cause KEY`). */
  readonly causes: string[];
  readonly sections: ReadonlyMap<string, Section>;
  /** stdout without marker lines and sections. */
  readonly rest: string;
  readonly values: ReadonlyMap<string, string>;
  /** The script printed its final "@@done" line. */
  readonly done: boolean;
}

export function parseMarkers(stdout: string): ScriptOutput {
  const changes: string[] = [];
  const refusals: string[] = [];
  const causes: string[] = [];
  const sections = new Map<string, Section>();
  const values = new Map<string, string>();
  const rest: string[] = [];
  let done = false;
  const lines = stdout.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let m: RegExpExecArray | null;
    if (line === "@@done") done = true;
    else if ((m = /^@@change (.*)$/.exec(line))) changes.push(m[1] as string);
    else if ((m = /^@@refuse (.*)$/.exec(line))) refusals.push(m[1] as string);
    else if ((m = /^@@cause (\S+)$/.exec(line))) causes.push(m[1] as string);
    else if ((m = /^@@value ([A-Za-z0-9_.-]+) (.*)$/.exec(line))) values.set(m[1] as string, m[2] as string);
    else if ((m = /^@@begin (\S+)$/.exec(line))) {
      const name = m[1] as string;
      const body: string[] = [];
      let rc = -1;
      for (i++; i < lines.length; i++) {
        const end = new RegExp(`^@@end ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (-?\\d+)$`).exec(
          lines[i] as string,
        );
        if (end) {
          rc = Number(end[1]);
          break;
        }
        body.push(lines[i] as string);
      }
      // section() prints a newline before @@end so that output without one still ends cleanly.
      if (body.length > 0 && body[body.length - 1] === "") body.pop();
      sections.set(name, { text: body.join("\n"), rc });
    } else rest.push(line);
  }
  return { changes, refusals, causes, sections, values, done, rest: rest.join("\n") };
}
