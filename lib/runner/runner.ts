import { RUN_LOG_DAYS } from "@/lib/config/env";
import { DatabaseOutage } from "@/lib/db/outage";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type pg from "pg";
import { claimRuns, type ClaimedRun } from "@/lib/db/runs/claim-runs";
import { detectLostRuns } from "@/lib/db/runs/detect-lost-runs";
import { pruneLogTails } from "@/lib/db/runs/log-tails";
import { listOwnRunningRuns, recordRunUsage } from "@/lib/db/runs/runner-runs";
import { insertHostSample, pruneHostSamples } from "@/lib/db/hosts/host-samples";
import { heartbeatRunner, pruneRunners, registerRunner, stopRunner, type HostInfo } from "@/lib/db/hosts/runners";
import type { Logger } from "@/lib/log/logger";
import type { Clock } from "@/lib/runner/clock";
import { executeRun, type ActiveRun } from "@/lib/runner/execute-run";
import { createHostSampler } from "@/lib/runner/host/host-sampler";
import type { Launcher } from "@/lib/runner/launchers/types";
import type { SchedulerClient } from "@/lib/runner/scheduler-client";
import { pruneRunLogs } from "@/lib/runner/run-logs";
import { probeScheduler } from "@/lib/runner/scheduler-probe";
import { triggerPass, type CatchUp, type TriggerState } from "@/lib/runner/trigger/trigger-pass";

// The runner: four loops over one database.
//   claim     — on a NOTIFY from the queue, and every pollMs: claim what fits, launch each run;
//   heartbeat — keep this runner alive, mark other runners' runs lost, pick up cancel requests;
//   trigger   — queue the periods that became due;
//   sample    — CPU and memory of this host and of each run;
//   probe     — can this runner reach the scheduler (the scheduler_unreachable alert rule)?
// Each loop is a timer that never overlaps itself; an error is logged and the loop goes on.

export const RUNS_QUEUED_CHANNEL = "switchyard_runs_queued";
export const RUN_CANCEL_CHANNEL = "switchyard_run_cancel";

export type RunnerOptions = {
  pool: pg.Pool;
  launcher: Launcher;
  scheduler: SchedulerClient;
  logger: Logger;
  clock: Clock;
  host: HostInfo;
  logDir: string;
  /** a run log nothing wrote to for this many days is deleted (run-logs.ts); 0 keeps every log */
  runLogDays?: number;
  /** how often the log folder is looked through (default hourly) */
  logPruneMs?: number;
  /** runs this runner may have running at once */
  maxRunning: number;
  /** runs on this host across all runners; null = no host limit */
  hostLimit?: number | null;
  catchUp?: CatchUp;
  /** false: this runner only claims (tests, or extra runners on a host) */
  trigger?: boolean;
  runnerId?: string;
  /** this process's own machine name, default os.hostname() (the pod in Kubernetes; `host` is its node) */
  instance?: string;
  /** where web servers that do not share logDir read this runner's logs (log-server.ts) */
  logUrl?: string | null;
  /** how often a running run's log end is kept in the database, with a logUrl (default a minute) */
  keepLogTailEveryMs?: number;
  version?: string | null;
  pollMs?: number;
  heartbeatMs?: number;
  /** a runner silent this long is dead and its runs are lost */
  staleSeconds?: number;
  triggerMs?: number;
  sampleMs?: number;
  sampleRetentionSeconds?: number;
  schedulerProbeMs?: number;
  stopGraceMs?: number;
};

const defaults = { runLogDays: RUN_LOG_DAYS, logPruneMs: 3_600_000, pollMs: 1000, heartbeatMs: 2000, staleSeconds: 15, triggerMs: 1000, sampleMs: 5000, sampleRetentionSeconds: 7 * 86_400, schedulerProbeMs: 5000, stopGraceMs: 5000 };

export class Runner {
  readonly id: string;
  private readonly o: RunnerOptions & typeof defaults;
  private readonly active = new Map<number, ActiveRun>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly triggerState: TriggerState = { lastUntil: null };
  private listener: pg.PoolClient | null = null;
  private listenerAsked = false;
  private hostId = 0;
  private paused = false;
  private stopping = false;
  private claiming = false;
  private claimAgain = false;
  private readonly sampleHost = createHostSampler();
  private lastPrune = 0;
  private beating: Promise<void> | null = null;
  private readonly outage: DatabaseOutage;
  /** When this runner's current unbroken run of heartbeats began, and the last one's answer (ms). */
  private inTouchSince = 0;
  private lastHeartbeat = 0;

  constructor(options: RunnerOptions) {
    this.o = { ...defaults, ...options };
    this.outage = new DatabaseOutage(this.o.logger);
    this.id = options.runnerId ?? `${options.host.name}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  get runningCount(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    await this.register();
    await this.listen();
    await this.heartbeat();
    if (this.o.trigger !== false) await this.trigger();
    this.every(this.o.pollMs, () => this.claim());
    this.every(this.o.heartbeatMs, () => (this.beating = this.heartbeat().finally(() => (this.beating = null))));
    if (this.o.trigger !== false) this.every(this.o.triggerMs, () => this.trigger());
    this.every(this.o.sampleMs, () => this.sample());
    this.every(this.o.schedulerProbeMs, async () => void (await probeScheduler(this.o.pool, this.id, this.o.scheduler)));
    if (this.o.runLogDays > 0) {
      this.every(this.o.logPruneMs, () => this.pruneLogs());
      void this.pruneLogs().catch((error) => this.o.logger.error("could not delete old run logs", { error }));
    }
    this.kick();
    this.o.logger.info(`runner ${this.id} started`, { maxRunning: this.o.maxRunning, launcher: this.o.launcher.name });
  }

  private async register(): Promise<void> {
    const { hostId, pausedFrom } = await registerRunner(this.o.pool, { id: this.id, pid: process.pid, version: this.o.version ?? null, host: this.o.host, instance: this.o.instance ?? os.hostname(), logUrl: this.o.logUrl ?? null });
    this.hostId = hostId;
    if (pausedFrom) {
      this.paused = true;
      this.o.logger.warn(`runner ${this.id} starts paused: ${pausedFrom}, the runner before it on ${this.o.host.name}, was paused by an operator, and the pause holds for the host. It claims no run until resumed (home page, Component health; or switchyard runners resume ${this.id})`);
    }
  }

  /** Stops claiming, stops every run (SIGTERM, then SIGKILL) and puts it back in the queue, then marks the runner stopped. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    // A heartbeat still in flight would make the row live again after stopRunner below.
    await this.beating?.catch(() => {});
    if (this.listener) {
      this.listener.removeAllListeners("notification");
      await this.listener.query(`UNLISTEN *`).catch(() => {});
      this.listener.release();
      this.listener = null;
    }
    for (const run of this.active.values()) run.shutdown = true;
    await Promise.all([...this.active.values()].map((run) => run.stop()));
    await Promise.allSettled([...this.finishing]);
    await stopRunner(this.o.pool, this.id).catch((error) => this.o.logger.warn("could not mark the runner stopped", { error }));
    // Anything of this runner's still "running" (a run whose requeue failed) is lost now, not in 15 s.
    await detectLostRuns(this.o.pool, this.judgedStaleSeconds(), null).catch(() => {});
    this.o.logger.info(`runner ${this.id} stopped`);
  }

  /** Claim soon: coalesces bursts of notifications into one claim at a time. */
  kick(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    void this.claim();
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopping) return;
      busy = true;
      fn()
        .catch((error) => {
          if (!this.outage.failed(error)) this.o.logger.error("runner loop error", { error });
        })
        .finally(() => (busy = false));
    }, ms);
    this.timers.push(timer);
  }

  private async listen(): Promise<void> {
    const client = await this.o.pool.connect();
    client.on("notification", (n) => {
      if (n.channel === RUNS_QUEUED_CHANNEL) this.kick();
      else if (n.channel === RUN_CANCEL_CHANNEL) this.cancelLocal(Number(n.payload));
    });
    // Lost with the database: polling goes on, and the heartbeat listens again once it is back.
    client.on("error", () => this.dropListener(client));
    try {
      await client.query(`LISTEN ${RUNS_QUEUED_CHANNEL}`);
      await client.query(`LISTEN ${RUN_CANCEL_CHANNEL}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    this.listener = client;
    // a queued run's notification may have come while nothing listened (at start, or since the last listener was lost)
    this.kick();
  }

  /**
   * A listening connection cut off without a reset (a failover) delivers nothing again and reports
   * no error: ask it a question on each heartbeat, and drop it when none is answered (the pool's
   * query_timeout), so that the next heartbeat listens on a new one.
   */
  private checkListener(): void {
    const client = this.listener;
    if (!client || this.listenerAsked) return;
    this.listenerAsked = true;
    client
      .query("SELECT 1")
      .catch(() => this.dropListener(client))
      .finally(() => (this.listenerAsked = false));
  }

  /** The listening connection is lost (once, whoever notices first): the next heartbeat listens on a new one. */
  private dropListener(client: pg.PoolClient): void {
    if (this.listener !== client) return;
    this.listener = null;
    client.release(true);
  }

  private async claim(): Promise<void> {
    if (this.claiming || this.stopping || this.paused) return;
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        const wanted = this.o.maxRunning - this.active.size;
        if (wanted <= 0) break;
        const runs = await claimRuns(this.o.pool, { runnerId: this.id, host: this.o.host.name, wanted, hostLimit: this.o.hostLimit ?? null });
        for (const run of runs) this.launch(run);
        if (runs.length === wanted) this.claimAgain = true;
      } while (this.claimAgain && !this.stopping);
    } catch (error) {
      if (!this.outage.failed(error)) this.o.logger.error("claim failed", { error });
    } finally {
      this.claiming = false;
    }
  }

  private launch(run: ClaimedRun): void {
    const active: ActiveRun = {
      runId: run.id,
      claimedAt: Date.now(),
      proc: null,
      cancelled: false,
      timedOut: false,
      exited: false,
      shutdown: false,
      rootTaskId: null,
      stop: async () => {
        // The process may not exist yet; executeRun stops it as soon as it does.
        if (active.proc) await active.proc.stop(this.o.stopGraceMs);
      },
    };
    this.active.set(run.id, active);
    const deps = {
      pool: this.o.pool,
      runnerId: this.id,
      launcher: this.o.launcher,
      scheduler: this.o.scheduler,
      logDir: this.o.logDir,
      logger: this.o.logger,
      stopGraceMs: this.o.stopGraceMs,
      keepLogTails: Boolean(this.o.logUrl),
      keepLogTailEveryMs: this.o.keepLogTailEveryMs,
    };
    const done = executeRun(deps, run, active)
      .catch((error) => this.o.logger.error(`run ${run.id}: could not record its outcome`, { error }))
      .finally(() => {
        this.active.delete(run.id);
        this.finishing.delete(done);
        this.kick();
      });
    this.finishing.add(done);
  }

  private cancelLocal(runId: number): void {
    const run = this.active.get(runId);
    if (!run || run.cancelled) return;
    this.o.logger.info(`run ${runId}: cancel requested, stopping it`);
    run.cancelled = true;
    void run.stop();
  }

  private async heartbeat(): Promise<void> {
    let control = await heartbeatRunner(this.o.pool, this.id);
    if (!control) {
      this.o.logger.warn(`runner ${this.id}: its row was gone (pruned after a week without a heartbeat); registering again`);
      await this.register();
      control = (await heartbeatRunner(this.o.pool, this.id))!;
    }
    if (control.revived) this.o.logger.warn(`runner ${this.id} had been marked gone by an operator while it was out of touch; it is live again (a run of its that was marked lost meanwhile is stopped here, its retry runs elsewhere)`);
    this.outage.ok();
    this.heardBack();
    if (!this.listener && !this.stopping) await this.listen();
    else this.checkListener();
    const wasPaused = this.paused;
    this.paused = control.paused || control.runnerPaused;
    if (wasPaused && !this.paused) this.kick();
    const { lost } = await detectLostRuns(this.o.pool, this.judgedStaleSeconds(), this.id);
    for (const l of lost) {
      this.o.logger.warn(`run ${l.id} of runner ${l.runnerId} marked ${l.status}: its runner stopped heartbeating`);
      // A local run's processes died with its runner (the lifeline, launchers/local/lifeline.ts),
      // so its workers are gone: the scheduler frees their tasks now, not a minute later. A
      // Kubernetes Job may outlive its runner, so its workers are left to the scheduler's prune.
      if (l.launcher === "local") void this.o.scheduler.releaseRun(l.id).catch(() => {});
    }
    const askedAt = Date.now();
    const own = await listOwnRunningRuns(this.o.pool, this.id);
    for (const run of own) if (run.cancelRequested) this.cancelLocal(run.id);
    // A run this runner still has a process for, but that the database no longer counts as its
    // running run, was ended elsewhere (declared lost while this runner could not heartbeat):
    // its process must not work on unsupervised.
    const ownIds = new Set(own.map((r) => r.id));
    for (const run of this.active.values()) {
      if (run.proc && !run.exited && run.claimedAt < askedAt && !ownIds.has(run.runId) && !run.cancelled) {
        this.o.logger.warn(`run ${run.runId} is no longer this runner's; stopping its process`);
        run.cancelled = true;
        void run.stop();
      }
    }
  }

  /** A heartbeat was answered: the run of heartbeats goes on, or begins again after a gap. */
  private heardBack(): void {
    const now = Date.now();
    if (now - this.lastHeartbeat > (this.o.staleSeconds * 1000) / 2) this.inTouchSince = now;
    this.lastHeartbeat = now;
  }

  /**
   * The silence after which another runner counts as dead — or null until this runner has itself
   * been in touch that long. A database restart, a failover or a network cut silences every runner
   * at once; the first one back must not declare the others' runs lost (and have them stopped and
   * retried) for a silence it shared. Once it has heartbeated for staleSeconds without a gap, a
   * runner still silent was not merely cut off with it.
   */
  private judgedStaleSeconds(): number | null {
    return this.lastHeartbeat > 0 && Date.now() - this.inTouchSince >= this.o.staleSeconds * 1000 ? this.o.staleSeconds : null;
  }

  private async trigger(): Promise<void> {
    const queued = await triggerPass(this.o.pool, this.triggerState, this.o.clock.now(), this.o.catchUp ?? { days: 7, hours: 24 });
    if (queued > 0) this.o.logger.info(`queued ${queued} due period${queued === 1 ? "" : "s"}`);
  }

  private async pruneLogs(): Promise<void> {
    const { deleted, bytes } = await pruneRunLogs(this.o.logDir, this.o.runLogDays, new Set(this.active.keys()));
    if (deleted > 0) this.o.logger.info(`deleted ${deleted} run log${deleted === 1 ? "" : "s"} (${(bytes / 1048576).toFixed(1)} MiB) not written to for ${this.o.runLogDays} days (SWITCHYARD_RUN_LOG_DAYS) from ${this.o.logDir}`);
    const tails = await pruneLogTails(this.o.pool, this.o.runLogDays);
    if (tails > 0) this.o.logger.info(`deleted the kept ends of ${tails} run log${tails === 1 ? "" : "s"} older than ${this.o.runLogDays} days (SWITCHYARD_RUN_LOG_DAYS)`);
  }

  private async sample(): Promise<void> {
    await this.o.launcher.sample?.();
    const usage = [...this.active.values()].flatMap((run) => {
      if (!run.proc) return [];
      const u = run.proc.usage();
      return [{ runId: run.runId, cpuSeconds: u.cpuSeconds, peakMemoryBytes: u.peakMemoryBytes, rootTaskId: null }];
    });
    await recordRunUsage(this.o.pool, this.id, usage);
    await insertHostSample(this.o.pool, { hostId: this.hostId, ...this.sampleHost(), runningRuns: this.active.size });
    if (Date.now() - this.lastPrune > 3_600_000) {
      this.lastPrune = Date.now();
      await pruneHostSamples(this.o.pool, this.o.sampleRetentionSeconds);
      await pruneRunners(this.o.pool, this.o.sampleRetentionSeconds);
    }
  }
}
