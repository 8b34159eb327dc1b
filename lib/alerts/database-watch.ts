import { claimWatch, releaseWatch } from "@/lib/db/alerts/watch";
import type { Queryable } from "@/lib/db/runs/run-columns";

// Every runner and every web process runs an alert loop, and each would tell the channels that
// PostgreSQL is unreachable: under `switchyard start` two messages per outage, in a deployment
// one per pod. So they agree on one teller while the database still answers: each loop claims the
// lease on alert_watch every few seconds (lib/db/alerts/watch.ts), and when the database goes away
// a loop that last saw another holder's lease still valid leaves the telling to it.
// A loop that knows of no live holder tells: one started during the outage, one whose holder had
// stopped renewing before it began, the holder itself. Two messages in those corners; never none
// because the holder is presumed alive on no evidence.

export type WatchTiming = { renewMs: number; leaseSeconds: number };

/** Renewed every 5 s for 20 s: a holder that died is replaced within ~25 s. */
export const WATCH_TIMING: WatchTiming = { renewMs: 5_000, leaseSeconds: 20 };

const WATCH_NAME = "database_unreachable";

export class DatabaseWatch {
  /** The holder the last claim saw, and until when (this process's clock) its lease runs. */
  private seen: { holder: string; until: number } | null = null;
  private lastClaim = -Infinity;

  constructor(
    private readonly db: Queryable,
    private readonly self: string,
    private readonly timing: WatchTiming = WATCH_TIMING,
  ) {}

  /** A pass with the database answering: takes or renews the lease, at most every renewMs. */
  async keep(): Promise<void> {
    if (Date.now() - this.lastClaim < this.timing.renewMs) return;
    const claim = await claimWatch(this.db, WATCH_NAME, this.self, this.timing.leaseSeconds);
    this.lastClaim = Date.now();
    this.seen = { holder: claim.holder, until: this.lastClaim + claim.secondsLeft * 1000 };
  }

  /** With the database unreachable since `since`: the other loop that tells the channels, or null when this one must. */
  tellerOtherThanMe(since: Date): string | null {
    const seen = this.seen;
    if (!seen || seen.holder === this.self || seen.until <= since.getTime()) return null;
    return seen.holder;
  }

  /** A loop that stops gives the lease up, so that another holds it at its next claim. */
  async release(): Promise<void> {
    if (this.seen?.holder !== this.self) return;
    this.seen = null;
    await releaseWatch(this.db, WATCH_NAME, this.self);
  }
}
