import type pg from "pg";
import type { Actor } from "@/lib/auth/roles";
import { actorLabel } from "@/lib/audit/record-audit";
import { audited } from "@/lib/control/audited";
import { conflict, notFound } from "@/lib/control/errors";
import { forgetRunner, RUNNER_ALIVE_SECONDS, setRunnerRowPaused } from "@/lib/db/hosts/runners";

// What an operator does to one runner (the fleet's pause is control/pause.ts).
//
// POST /api/v1/runners/{id}/pause|resume. A paused runner finishes the runs it has and claims
// nothing new (its host drained before maintenance); audited as runner.pause / runner.resume with
// the runner's id as target (the fleet's switch has target "all"). Repeating it is answered
// `changed: false`. A stopped runner is refused.
//
// POST /api/v1/runners/{id}/forget. A runner that died without stopping (its pod lost with its
// node, a machine retired) is otherwise listed "down" for a day and keeps runner_stale open: the
// operator says it is gone. Its running runs are then lost and retried by the live runners'
// next heartbeat. A runner heard from in the last RUNNER_ALIVE_SECONDS is refused: stop it on its host.

export async function forgetRunnerAction(pool: pg.Pool, actor: Actor, input: { id: string; reason?: string }) {
  return audited(
    pool,
    actor,
    { intent: "runner.forget", targetId: input.id, reason: input.reason },
    async (db) => {
      const r = await forgetRunner(db, input.id);
      if (r.outcome === "absent") throw notFound(`runner "${input.id}"`);
      if (r.outcome === "stopped") throw conflict(`runner "${input.id}" on ${r.host} already stopped at ${r.stoppedAt.toISOString()}`);
      if (r.outcome === "alive")
        throw conflict(
          `runner "${input.id}" on ${r.host} heartbeated ${r.heartbeatAgeSeconds} s ago: it is alive (a runner silent for ${RUNNER_ALIVE_SECONDS} s can be forgotten). To stop it, stop its process on ${r.host} (SIGTERM)`,
          { heartbeatAgeSeconds: r.heartbeatAgeSeconds },
        );
      const runs = r.runningRuns === 0 ? "" : `; ${r.runningRuns} run${r.runningRuns === 1 ? "" : "s"} still marked running on it ${r.runningRuns === 1 ? "is" : "are"} marked lost and retried by the live runners`;
      return { runner: input.id, host: r.host, heartbeatAgeSeconds: r.heartbeatAgeSeconds, runningRuns: r.runningRuns, message: `Runner ${input.id} on ${r.host} is forgotten${runs}` };
    },
    (r) => r,
  );
}

export async function setOneRunnerPaused(pool: pg.Pool, actor: Actor, input: { id: string; reason?: string }, paused: boolean) {
  return audited(
    pool,
    actor,
    { intent: paused ? "runner.pause" : "runner.resume", targetId: input.id, reason: input.reason },
    async (db) => {
      const r = await setRunnerRowPaused(db, input.id, paused, { actor: actorLabel(actor), reason: input.reason ?? null });
      if (r.outcome === "absent") throw notFound(`runner "${input.id}"`);
      if (r.outcome === "stopped") throw conflict(`runner "${input.id}" on ${r.host} has stopped: there is nothing to ${paused ? "pause" : "resume"}`);
      const runs = r.runningRuns === 1 ? "the run it has" : `the ${r.runningRuns} runs it has`;
      const message = paused
        ? `Runner ${input.id} on ${r.host} is paused: it claims no new run${r.runningRuns ? ` and finishes ${runs}` : ""}`
        : `Runner ${input.id} on ${r.host} claims runs again`;
      return { runner: input.id, host: r.host, paused, changed: r.outcome === "changed", runningRuns: r.runningRuns, message };
    },
    (r) => r,
  );
}
