import type pg from "pg";
import { recordSchedulerContact } from "@/lib/db/alerts/scheduler-contact";
import { redactUrls } from "@/lib/luigi-rpc/url";
import type { SchedulerClient } from "@/lib/runner/scheduler-client";

// One probe of the scheduler from this runner, recorded in the database either way: the alert
// loop (any runner's) opens scheduler_unreachable from these rows, so a runner that cannot reach
// the scheduler is seen even while it has no run to ask about.

export async function probeScheduler(pool: pg.Pool, runnerId: string, scheduler: SchedulerClient): Promise<boolean> {
  // A failure is tried once more before it is recorded: a call that timed out while this process
  // was stalled (a paused VM, SIGSTOP, a long pause) says nothing about the scheduler, and it
  // raised a false scheduler_unreachable, critical, as soon as the process ran again.
  let error = await attempt(scheduler);
  if (error !== null) error = await attempt(scheduler);
  await recordSchedulerContact(pool, runnerId, error);
  return error === null;
}

/** null if the scheduler answered, else the first line of the error, any URL's password hidden. */
async function attempt(scheduler: SchedulerClient): Promise<string | null> {
  try {
    await scheduler.probe();
    return null;
  } catch (e) {
    return redactUrls((e instanceof Error ? e.message : String(e)).split("\n")[0]).slice(0, 500) || "no answer";
  }
}
