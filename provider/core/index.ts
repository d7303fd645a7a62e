// The pure core: model, units, placement. No I/O, no clock, no randomness, no Pulumi.
export {};
