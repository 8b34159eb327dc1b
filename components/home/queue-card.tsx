import Link from "next/link";
import { RunnerActions } from "@/components/actions/runner-actions-client";
import { formatAgo, formatUtc, shortReason } from "@/components/format/format";
import type { QueueSummary } from "@/lib/db/queries/select-queue-summary";

export function QueueCard({ queue, now, canAct }: { queue: QueueSummary; now: string; canAct: boolean }) {
  return (
    <section aria-labelledby="queue-heading" className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <h2 id="queue-heading" className="text-sm font-medium text-zinc-500">
        Run queue
      </h2>
      <dl className="mt-2 grid grid-cols-2 gap-3">
        <div>
          <dt className="text-xs text-zinc-500">Queued</dt>
          <dd className="text-2xl font-semibold tabular-nums" data-testid="queue-depth">
            {queue.depth}
          </dd>
          <dd className="text-xs text-zinc-500">{queue.ready} ready to start</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Oldest queued</dt>
          <dd className="text-sm">
            {queue.oldestRunId ? (
              <Link href={`/runs/${queue.oldestRunId}`} prefetch={false} className="hover:underline">
                run {queue.oldestRunId}
              </Link>
            ) : (
              "—"
            )}
          </dd>
          <dd className="text-xs text-zinc-500">{queue.oldestQueuedAt ? `${formatUtc(queue.oldestQueuedAt)} UTC (${formatAgo(queue.oldestQueuedAt, now)})` : "queue empty"}</dd>
        </div>
      </dl>
      {queue.runner.paused ? (
        <p className="mt-3 text-sm font-semibold text-amber-700 dark:text-amber-400" data-testid="runners-paused">
          Runners are paused{queue.runner.changedBy ? ` by ${queue.runner.changedBy}` : ""}
          {queue.runner.reason ? ` — “${shortReason(queue.runner.reason)}”` : ""}: queued runs wait.
        </p>
      ) : null}
      {!queue.runner.paused && queue.runners.paused > 0 ? <DrainedRunners {...queue.runners} /> : null}
      {canAct ? (
        <div className="mt-3">
          <RunnerActions paused={queue.runner.paused} />
        </div>
      ) : null}
    </section>
  );
}

/** Live runners an operator paused one by one (Component health): all of them means queued runs wait. */
function DrainedRunners({ live, paused }: QueueSummary["runners"]) {
  const all = paused === live;
  return (
    <p className={`mt-3 text-sm ${all ? "font-semibold text-amber-700 dark:text-amber-400" : "text-zinc-500"}`} data-testid="runners-drained">
      {all
        ? `${live === 1 ? "The only live runner is" : `All ${live} live runners are`} paused (Component health): queued runs wait.`
        : `${paused} of ${live} live runners paused (Component health); the others claim runs.`}
    </p>
  );
}
