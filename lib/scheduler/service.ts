import type { FlushStats } from "@/lib/scheduler/core/histogram";
import { BadArguments } from "@/lib/scheduler/core/checks";
import { bindArguments, METHODS } from "@/lib/scheduler/core/rpc-methods";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { encodeReplyYielding, yieldsWhileEncoding } from "@/lib/scheduler/http/byte-writer";

// Runs one RPC against the scheduler and makes its effects durable before the caller may
// acknowledge it. The reply is encoded synchronously, right after the method ran, so that a
// later RPC cannot change what this one answered while its flush is in flight.

/** Where changes go: PostgreSQL (group commit) or nowhere (in-memory mode). */
export interface Durability {
  /** False while the database is unreachable: state-changing RPCs are then refused. */
  available(): boolean;
  /** True while this process may serve traffic (the active one, its database reachable). */
  ready(): boolean;
  /** Resolves once every change recorded so far is committed; rejects if that failed. */
  commit(): Promise<void>;
  /** Seconds the oldest not-yet-written history event has waited (0 if none). */
  historyLagSeconds(): number;
  /** Writes every acknowledged change into the state tables and the history now, instead of at the next checkpoint. */
  checkpoint(): Promise<void>;
  /** Group-commit statistics, if this durability flushes anywhere. */
  readonly stats?: FlushStats;
  close(): Promise<void>;
}

/** No database: changes are dropped once the RPC has run (luigid without a state file). */
export class MemoryDurability implements Durability {
  constructor(private readonly scheduler: Scheduler) {}
  available() {
    return true;
  }
  ready() {
    return true;
  }
  async commit() {
    this.scheduler.state.drainChanges();
  }
  historyLagSeconds() {
    return 0;
  }
  async checkpoint() {}
  async close() {}
}

export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SchedulerService {
  constructor(
    readonly scheduler: Scheduler,
    readonly durability: Durability,
  ) {
    scheduler.canPrune = () => durability.available();
  }

  isMethod(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(METHODS, name);
  }

  /** Whether the method exists to change state (SPEC §2: writes); such calls are refused cross-site. */
  changesState(name: string): boolean {
    return this.isMethod(name) && METHODS[name].write;
  }

  /**
   * Runs `method` with the decoded `data` object; returns the encoded `{"response": ...}` body.
   * `run`: the call came through a run's own URL (/runs/<run>/api/), so its worker is that run's.
   */
  async execute(method: string, data: Record<string, unknown>, run: number | null = null): Promise<Buffer[]> {
    const spec = METHODS[method];
    if (spec.write && !this.durability.available()) throw new RpcError(503, "database_unavailable", "the scheduler's database is unreachable; this call changes state and was not run");
    let result: unknown;
    try {
      result = spec.run(this.scheduler, bindArguments(method, spec, data));
      if (run !== null) this.scheduler.tagRun(data.worker, run);
    } catch (error) {
      if (error instanceof BadArguments) throw new RpcError(500, error.code, error.message);
      throw error;
    }
    // No reply shows a change before it is durable: this call's own, and, for a big reply written
    // while other calls ran (encodeReplyYielding), theirs too: the commit waits for all recorded so far.
    const changed = !this.scheduler.state.changes.empty || yieldsWhileEncoding(result);
    const body = await encodeReplyYielding(result);
    if (changed) {
      try {
        await this.durability.commit();
      } catch (error) {
        // A read that pruned something still answers from memory; the change is retried later.
        if (spec.write) throw new RpcError(503, "database_unavailable", `the change could not be made durable: ${(error as Error).message}`);
      }
    }
    return body;
  }
}
