// The Volume's `health` output on refresh: bricks online, entries pending heal, split-brain.
// The first node answers in the script that reads its inventory (surveyVolume with health); only
// when that node could not answer is another node whose glusterd runs asked, in one script of
// its own. Health never fails a refresh: what could not be read is said in `health.problems`.
import type { VolumeInputs } from "../core/model";
import * as node from "../node";
import type { Deps } from "./deps";
import type { VolumeSurvey } from "./volume-survey";

export type { VolumeHealth } from "../node";

export async function healthOf(
  deps: Deps,
  v: VolumeInputs,
  survey: VolumeSurvey,
): Promise<node.VolumeHealth | undefined> {
  const live = survey.live;
  if (!live) return undefined;
  const first = v.topology[0];
  let report = first ? survey.inventories.get(first.manageAddress)?.health : undefined;
  if (live.status === "Started" && (!report || report.glusterdDown)) {
    const other = v.topology.find(
      (t) => t !== first && survey.inventories.get(t.manageAddress)?.glusterdActive === true,
    );
    if (other) {
      try {
        const r = await node.runStep(deps.executorFor(other), node.buildHealthScript([v.name]));
        report = node.parseHealthSections(r.output);
      } catch (err) {
        const health = node.volumeHealth(live, undefined);
        health.problems.push(
          `${other.manageAddress}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
        );
        return health;
      }
    }
  }
  return node.volumeHealth(live, report);
}
