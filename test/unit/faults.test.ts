// The fault-injection test hook: what PULUMI_GLUSTERFS_FAULT accepts, and that it names the
// expected form when it does not.
import { parseFault, parseFaults } from "../../provider/resources/faults";

describe("PULUMI_GLUSTERFS_FAULT", () => {
  test("unset or empty: no fault", () => {
    expect(parseFault(undefined)).toBeUndefined();
    expect(parseFault(" ")).toBeUndefined();
  });

  test("after a step, and during a step with and without a delay", () => {
    expect(parseFault("after:brick.create")).toEqual({ when: "after", step: "brick.create", delayMs: 5000 });
    expect(parseFault("during:volume.rebalance")).toEqual({
      when: "during",
      step: "volume.rebalance",
      delayMs: 5000,
    });
    expect(parseFault("during:volume.add-bricks:250")).toEqual({
      when: "during",
      step: "volume.add-bricks",
      delayMs: 250,
    });
  });

  test("a comma-separated list names several", () => {
    expect(parseFaults("after:brick.create,during:volume.rebalance:100").map((f) => f.step)).toEqual([
      "brick.create",
      "volume.rebalance",
    ]);
    expect(parseFaults(undefined)).toEqual([]);
  });

  test.each(["brick.create", "before:brick.create", "after:brick.create:10", "after:Brick;rm"])(
    "%s is refused with the expected form",
    (value) => {
      expect(() => parseFault(value)).toThrow(
        /is not a fault: expected after:<step> or during:<step>\[:<ms>\]/,
      );
    },
  );
});
