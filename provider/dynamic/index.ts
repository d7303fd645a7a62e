// Thin pulumi.dynamic.ResourceProvider adapters over the resource handlers.
export {};
