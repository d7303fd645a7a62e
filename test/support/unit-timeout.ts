// The unit tier asserts behaviour, never speed. Some of its tests start processes or load
// @pulumi/pulumi, which takes well over Jest's default five seconds on a loaded two-core
// machine (several test runs and lab VMs at once): a timeout there would fail a test that holds.
jest.setTimeout(60_000);
