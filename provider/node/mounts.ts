// Parsers of mount tables: `findmnt -J -l` and /etc/fstab. Pure.
import { ParseError } from "../core/errors";

export interface Mount {
  target: string;
  source: string;
  fstype: string;
  options: string;
}

export interface FstabEntry {
  spec: string;
  file: string;
  vfstype: string;
  options: string;
  freq: string;
  passno: string;
  line: number;
}

export function parseFindmnt(text: string): Mount[] {
  if (text.trim() === "") return [];
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new ParseError("findmnt json", (e as Error).message, text);
  }
  const fs = (j as { filesystems?: unknown }).filesystems;
  if (!Array.isArray(fs)) throw new ParseError("findmnt json", "no 'filesystems' array", text);
  const out: Mount[] = [];
  const walk = (list: unknown[]) => {
    for (const f of list as Record<string, unknown>[]) {
      out.push({
        target: String(f.target ?? ""),
        source: String(f.source ?? ""),
        fstype: String(f.fstype ?? ""),
        options: String(f.options ?? ""),
      });
      if (Array.isArray(f.children)) walk(f.children);
    }
  };
  walk(fs);
  return out;
}

/** fstab fields are separated by blanks; octal escapes (\040) are decoded. */
export function parseFstab(text: string): FstabEntry[] {
  const out: FstabEntry[] = [];
  const unescape = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const f = line.split(/\s+/);
    out.push({
      spec: unescape(f[0] ?? ""),
      file: unescape(f[1] ?? ""),
      vfstype: f[2] ?? "",
      options: f[3] ?? "defaults",
      freq: f[4] ?? "0",
      passno: f[5] ?? "0",
      line: i + 1,
    });
  });
  return out;
}
