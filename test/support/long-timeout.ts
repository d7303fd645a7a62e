// The lab and e2e tiers drive real VMs under TCG: a single test may take minutes.
jest.setTimeout(1_200_000);
