// What TypeScript programs import: GlusterCluster, Node, Device, Volume and topology helpers.
export const packageName = "pulumi-glusterfs";
