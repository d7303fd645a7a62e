// Transport: SSH connection pool, host key checks, timeouts, counters.
export * from "./connection";
export * from "./errors";
export * from "./hostkeys";
export * from "./pool";
export { SshExecutor, remoteCommand } from "./executor";
export { redact, REDACTED } from "./redact";
export { Semaphore } from "./semaphore";
