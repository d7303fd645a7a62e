// Inputs of the resource handlers as the SDK sends them, for unit tests that call the handlers
// directly: three nodes in three zones with one device each, a strict cluster, a replica-3 volume.
export const topology = [1, 2, 3].map((i) => ({
  manageAddress: `10.0.0.${i}`,
  storageAddress: `gfs-${i}`,
  zone: i,
  tags: {},
  connection: { host: `10.0.0.${i}`, user: "root" },
  devices: [{ path: "/dev/vdb", tags: {} }],
}));

export const cluster = {
  clusterId: "lab",
  zoneChecking: "strict",
  brickRoot: "/var/lib/glusterfs-bricks",
  expandMode: "add-sets",
};

/** A Volume's inputs (2Gi, replica 3), with any field replaced. */
export const volumeInputs = (over: Record<string, unknown> = {}) => ({
  cluster,
  topology,
  name: "data",
  owner: "proj/dev/data",
  size: "2Gi",
  durability: { type: "replicate", replica: 3 },
  ...over,
});

/** The second node's inputs, joining the pool through the first, with any field replaced. */
export const nodeInputs = (over: Record<string, unknown> = {}) => ({
  clusterId: "lab",
  manageAddress: "10.0.0.2",
  storageAddress: "gfs-2",
  zone: 2,
  tags: {},
  connection: { user: "root" },
  members: [{ manageAddress: "10.0.0.1", storageAddress: "gfs-1", connection: { user: "root" } }],
  ...over,
});
