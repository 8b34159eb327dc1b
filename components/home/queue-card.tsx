import Link from "next/link";
import { RunnerActions } from "@/components/actions/runner-actions-client";
import { formatAgo, formatUtc } from "@/components/format/format";
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
          {queue.runner.reason ? ` — “${queue.runner.reason}”` : ""}: queued runs wait.
        </p>
      ) : null}
      {!queue.runner.paused && queue.runners.paused > 0 ? (
        <p className={`mt-3 text-sm ${queue.runners.paused === queue.runners.live ? "font-semibold text-amber-700 dark:text-amber-400" : "text-zinc-500"}`} data-testid="runners-drained">
          {queue.runners.paused === queue.runners.live
            ? `${queue.runners.live === 1 ? "The only live runner is" : `All ${queue.runners.live} live runners are`} paused (Component health): queued runs wait.`
            : `${queue.runners.paused} of ${queue.runners.live} live runners paused (Component health); the others claim runs.`}
        </p>
      ) : null}
      {canAct ? (
        <div className="mt-3">
          <RunnerActions paused={queue.runner.paused} />
        </div>
      ) : null}
    </section>
  );
}
