import fs from "node:fs";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { keepLogTail } from "@/lib/db/runs/log-tails";
import type { Logger } from "@/lib/log/logger";

// While a run lasts, a runner whose logs go when it goes (a Kubernetes pod's emptyDir) keeps the
// end of the run's log in the database every minute or so, when the log grew: if the pod dies
// (OOM-killed, node drained), the run is marked lost elsewhere and its page still shows what the
// run wrote up to its last minute. The run's end keeps the final tail (execute-run.ts).

/** How often a running run's log end is kept: at most a minute of it is lost with the runner. */
export const KEEP_TAIL_EVERY_MS = 60_000;

export type TailKeeper = {
  /** stops keeping; resolves once a keep under way is written, so a later keep is the last word */
  stop(): Promise<void>;
};

export function keepTailWhileRunning(db: Queryable, runId: number, file: string, everyMs: number, log: Logger): TailKeeper {
  let keptSize = -1;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const keep = async () => {
    const size = await fs.promises.stat(file).then((s) => s.size, () => -1);
    if (size < 0 || size === keptSize) return;
    await keepLogTail(db, runId, file);
    keptSize = size;
  };
  const tick = () => {
    inFlight = keep()
      .catch((error: Error) => {
        // the database may be restarting: said once, tried again next time
        if (!warned) log.warn(`could not keep the end of the log in the database (tried again every ${Math.round(everyMs / 1000)} s): ${error.message}`);
        warned = true;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs).unref();
      });
  };
  timer = setTimeout(tick, everyMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
