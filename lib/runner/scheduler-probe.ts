import type pg from "pg";
import { recordSchedulerContact } from "@/lib/db/alerts/scheduler-contact";
import { redactUrls } from "@/lib/luigi-rpc/url";
import type { SchedulerClient } from "@/lib/runner/scheduler-client";

// One probe of the scheduler from this runner, recorded in the database either way: the alert
// loop (any runner's) opens scheduler_unreachable from these rows, so a runner that cannot reach
// the scheduler is seen even while it has no run to ask about.

export async function probeScheduler(pool: pg.Pool, runnerId: string, scheduler: SchedulerClient): Promise<boolean> {
  let error: string | null = null;
  try {
    await scheduler.probe(); // tried twice (scheduler-client.ts): one failure is not an outage
  } catch (e) {
    // the first line only, with any URL's password hidden
    error = redactUrls((e instanceof Error ? e.message : String(e)).split("\n")[0]).slice(0, 500) || "no answer";
  }
  await recordSchedulerContact(pool, runnerId, error);
  return error === null;
}
