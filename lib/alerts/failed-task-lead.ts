import type pg from "pg";
import type { IncidentChange } from "@/lib/db/alerts/evaluate-incidents";
import { selectRunTasks } from "@/lib/db/queries/select-run-tasks";
import { decodeExplanation, lastLine } from "@/lib/presenters/get-run-task-views";

// A failed run's alert leads with what failed — the task, its parameters and its exception's last
// line ("PublishReport(day=2026-12-02, service=shop-bad) failed: InjectedFailure: …") — and gives
// the runner's inference ("the process exited with code 30 and root task … is PENDING") second,
// as the run page's Error box does. The tasks are the run's own dependency closure in its window
// (selectRunTasks), never a parameter match. Read once, when the incident opens; a burst of
// failures enriches the first MAX_PER_TICK and leaves the rest with the runner's words.

const MAX_PER_TICK = 50;
const MAX_TASKS = 2_000;

export async function leadWithFailedTasks(client: pg.PoolClient, changes: IncidentChange[]): Promise<void> {
  const opened = changes.filter((c) => c.event === "open" && c.incident.rule === "run_failed" && c.incident.run_id !== null).slice(0, MAX_PER_TICK);
  for (const { incident } of opened) {
    const run = (
      await client.query<{ root_task_id: string | null; started_at: Date | null; finished_at: Date | null }>("SELECT root_task_id, started_at, finished_at FROM runs WHERE id = $1", [
        incident.run_id,
      ])
    ).rows[0];
    if (!run?.root_task_id || !run.started_at || !run.finished_at) continue;
    const tasks = await selectRunTasks(client, run.root_task_id, run.started_at.getTime(), run.finished_at.getTime(), [], MAX_TASKS);
    const lead = tasks
      .filter((t) => (t.statusAtEnd === "FAILED" || t.statusAtEnd === "DISABLED") && t.events.length > 0)
      .slice(0, 3)
      .map((t) => `${t.family}(${Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(", ")}) ${t.statusAtEnd === "DISABLED" ? "disabled" : "failed"}: ${lastLine(decodeExplanation(t.failure)) ?? "no explanation from the worker"}`);
    if (lead.length === 0) continue;
    incident.error = [...lead, incident.error].filter(Boolean).join("\n");
    await client.query("UPDATE alert_incidents SET error = $2 WHERE id = $1", [incident.id, incident.error]);
  }
}
