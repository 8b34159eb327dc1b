import type pg from "pg";
import { recordSchedulerContact } from "@/lib/db/alerts/scheduler-contact";
import type { SchedulerClient } from "@/lib/runner/scheduler-client";

// One probe of the scheduler from this runner, recorded in the database either way: the alert
// loop (any runner's) opens scheduler_unreachable from these rows, so a runner that cannot reach
// the scheduler is seen even while it has no run to ask about.

export async function probeScheduler(pool: pg.Pool, runnerId: string, scheduler: SchedulerClient): Promise<boolean> {
  let error: string | null = null;
  try {
    await scheduler.probe();
  } catch (e) {
    // the first line only, with any credentials of the URL hidden
    error = (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/\/\/[^/@\s]*@/g, "//***@").slice(0, 500);
  }
  await recordSchedulerContact(pool, runnerId, error);
  return error === null;
}
