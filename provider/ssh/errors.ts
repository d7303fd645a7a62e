// Transport errors. Every message is built from redacted text: no password, key or passphrase
// can appear in one.

export type TransportErrorKind = "dial" | "auth" | "hostkey" | "timeout" | "lost" | "config";

export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly host: string;
  readonly step: string | undefined;
  readonly hint: string | undefined;
  /** True when the step may have run (partly) on the node before the failure. */
  readonly mayHaveRun: boolean;

  constructor(args: {
    kind: TransportErrorKind;
    host: string;
    message: string;
    step?: string;
    hint?: string;
    mayHaveRun?: boolean;
  }) {
    super(
      `${args.host}${args.step ? `: step ${args.step}` : ""}: ${args.message}` +
        (args.hint ? `\n  next: ${args.hint}` : ""),
    );
    this.name = "TransportError";
    this.kind = args.kind;
    this.host = args.host;
    this.step = args.step;
    this.hint = args.hint;
    this.mayHaveRun = args.mayHaveRun ?? false;
  }
}

export class HostKeyMismatchError extends TransportError {
  readonly expected: string;
  readonly actual: string;
  constructor(host: string, expected: string, actual: string, source: string) {
    super({
      kind: "hostkey",
      host,
      message:
        `host key changed: expected ${expected} (${source}), the server presented ${actual}. ` +
        `Stopped before authenticating; nothing was run.`,
      hint:
        `if the node was reinstalled, update the pinned hostKey (or remove the line for ${host} from ${source}); ` +
        `otherwise treat this as a possible man-in-the-middle`,
    });
    this.name = "HostKeyMismatchError";
    this.expected = expected;
    this.actual = actual;
  }
}
