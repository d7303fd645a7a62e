// What runs on a storage node: pure builders of remote scripts, parsers of their output, and
// the operations that run them through a RemoteExecutor (provider/core/exec.ts).
export * from "./brick";
export * from "./cluster-options";
export * from "./device";
export * from "./gluster-xml";
export * from "./health";
export * from "./inventory";
export * from "./lvm";
export * from "./markers";
export * from "./mounts";
export * from "./peer";
export * from "./script";
export * from "./step";
export * from "./volume";
