import type { HistoryEvent } from "@/lib/scheduler/core/changes";
import { localTimestamp } from "@/lib/scheduler/store/write";

// Two facts Luigi's history does not keep, written beside it (issue 13) so the run page can find a
// run's tasks as the root task's dependency closure and name a failure after the scheduler has
// forgotten it: task_dependencies (every edge ever reported; a task's deps arrive with the
// add_task that records its PENDING event, dynamic deps included) and task_failures (the expl a
// worker sent with a FAILED report). They ride in the checkpoint's own statement as two more
// data-modifying CTEs (no extra round trip, same transaction); both inserts are idempotent
// (ON CONFLICT DO NOTHING), so a retried flush writes nothing twice.

const ctes = (n: number) => `
WITH run_deps AS (
  INSERT INTO task_dependencies (task_id, dep_task_id)
  SELECT DISTINCT t, d FROM unnest($${n}::text[], $${n + 1}::text[]) AS x(t, d)
  ON CONFLICT DO NOTHING
), run_failures AS (
  INSERT INTO task_failures (task_id, ts, explanation)
  SELECT t, ts, e FROM unnest($${n + 2}::text[], $${n + 3}::timestamp[], $${n + 4}::text[]) AS f(t, ts, e)
  ON CONFLICT DO NOTHING
), `;

export type RunFacts = { depFrom: string[]; depTo: string[]; failedIds: string[]; failedAt: string[]; failedExpl: Array<string | null> };

/** Serialised with the checkpoint's statement, before any await (task.expl may change afterwards). */
export function runFacts(events: HistoryEvent[]): RunFacts | null {
  const facts: RunFacts = { depFrom: [], depTo: [], failedIds: [], failedAt: [], failedExpl: [] };
  const seen = new Set<string>();
  for (const e of events) {
    if (e.status === "PENDING" && !seen.has(e.task.id)) {
      seen.add(e.task.id);
      for (const dep of e.task.deps) {
        facts.depFrom.push(e.task.id);
        facts.depTo.push(dep);
      }
    } else if (e.status === "FAILED" && e.origin === "rpc") {
      facts.failedIds.push(e.task.id);
      facts.failedAt.push(localTimestamp(e.ts));
      facts.failedExpl.push(e.task.expl);
    }
  }
  return facts.depFrom.length + facts.failedIds.length > 0 ? facts : null;
}

/** The flush statement with the facts' inserts in front (its own WITH becomes the list's tail). */
export function withRunFacts<T extends { name: string; text: string; params: unknown[] }>(snap: T, facts: RunFacts | null): T {
  if (!facts) return snap;
  const text = snap.text.replace(/^\s*WITH /, ctes(snap.params.length + 1));
  return { ...snap, name: `${snap.name}-run-facts`, text, params: [...snap.params, facts.depFrom, facts.depTo, facts.failedIds, facts.failedAt, facts.failedExpl] };
}
