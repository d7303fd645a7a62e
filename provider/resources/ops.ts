// Everything the handlers do on nodes, in one place.
export { glusterdCheck, joinPool, leavePool, peerInfo } from "./peers";
export { plannerInventory, prepareDevice, readDevice, removeDevice } from "./devices";
export { createBricks, growBricks } from "./bricks";
export {
  cleanupFailedCreate,
  createVolume,
  deleteVolume,
  ensureStarted,
  expandVolume,
  readVolume,
  updateOptions,
  volumeOutputs,
} from "./volumes";
