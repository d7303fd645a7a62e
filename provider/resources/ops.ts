// Everything the handlers do on nodes, in one place.
export { glusterdCheck, joinPool, leavePool, peerInfo } from "./peers";
export { plannerInventory, prepareDevice, readDevice, removeDevice } from "./devices";
export { createBricks, destroyOwned, growBricks } from "./bricks";
export {
  claimOwnership,
  cleanupFailedCreate,
  createVolume,
  deleteVolume,
  ensureStarted,
  expandVolume,
  readVolume,
  rebalanceIfPending,
  rebalanceState,
  updateOptions,
  volumeOutputs,
} from "./volumes";
