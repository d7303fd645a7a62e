// The resources: declarations (registry.ts), the runtime that serves them to the engine, and the
// dependencies a provider process builds once.
export type { Declaration } from "./declaration";
export { type Deps, ProcessMemory, type StackDefaults, createDeps } from "./deps";
export type { Handler, Inputs } from "./handler";
export { PACKAGE, RESOURCE_KINDS, RESOURCE_TYPES, type ResourceKind, tokenOf } from "./kinds";
export { handlersFor, registry } from "./registry";
export { CREDENTIALS, withCredentials } from "./credentials";
export { VOLUME_IMPORT_ID, importVolume } from "./volume-import";
