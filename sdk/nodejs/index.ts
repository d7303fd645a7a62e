// What TypeScript programs import.
export { GlusterCluster, type GlusterClusterArgs } from "./cluster";
export { Node, type NodeArgs } from "./node";
export { Device, type DeviceArgs } from "./device";
export { Volume, type VolumeArgs, type DurabilityArgs, type BrickOutput } from "./volume";
export { type ConnectionArgs } from "./connection";
export { fromHeketiTopology, type HeketiTopologyOptions, type LoadedCluster } from "./topology";
export { programDeclared } from "./declared";
