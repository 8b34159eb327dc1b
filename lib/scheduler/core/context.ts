import type { SchedulerState } from "@/lib/scheduler/core/state";

// What every scheduler operation needs: the state, the options that shape behaviour, and the
// time of the call (one clock reading per RPC, in epoch seconds, injectable for tests).

export type CoreConfig = {
  retryDelay: number;
  removeDelay: number;
  workerDisconnectDelay: number;
  disableWindow: number;
  retryCount: number;
  disableHardTimeout: number;
  disablePersist: number;
  maxShownTasks: number;
  maxGraphNodes: number;
  recordTaskHistory: boolean;
  pruneOnGetWork: boolean;
  pauseEnabled: boolean;
  sendMessages: boolean;
  stableDoneCooldownSecs: number;
  resources: Record<string, number>;
};

export const DEFAULT_CORE_CONFIG: CoreConfig = {
  retryDelay: 900,
  removeDelay: 600,
  workerDisconnectDelay: 60,
  disableWindow: 3600,
  retryCount: 999999999,
  disableHardTimeout: 999999999,
  disablePersist: 86400,
  maxShownTasks: 100000,
  maxGraphNodes: 100000,
  recordTaskHistory: false,
  pruneOnGetWork: false,
  pauseEnabled: true,
  sendMessages: true,
  stableDoneCooldownSecs: 10,
  resources: {},
};

export type Ctx = { state: SchedulerState; config: CoreConfig; now: number };
