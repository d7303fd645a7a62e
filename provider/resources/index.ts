// One handler per resource; the front ends (dynamic now, native later) map type tokens here.
import { clusterHandler } from "./cluster";
import { deviceHandler } from "./device";
import type { Handler } from "./handler";
import { nodeHandler } from "./node";
import { volumeHandler } from "./volume";

export type { Handler } from "./handler";
export { configureFromStack } from "./context";
export { CREDENTIALS, withCredentials } from "./credentials";

export const handlers: Record<"cluster" | "node" | "device" | "volume", Handler> = {
  cluster: clusterHandler,
  node: nodeHandler,
  device: deviceHandler,
  volume: volumeHandler,
};
