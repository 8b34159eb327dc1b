import type { Logger } from "@/lib/log/logger";

// Signals and parents. A daemon started by `switchyard start` must not outlive it: if the
// parent is killed with SIGKILL, nothing forwards a signal, so the child watches its parent pid.

/** Resolves after SIGINT/SIGTERM and the cleanup ran; a second signal forces the exit. */
export function onShutdown(logger: Logger, cleanup: () => Promise<void>, forceAfterMs = 15_000): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        logger.warn(`second ${signal}: exiting now`);
        process.exit(130);
      }
      stopping = true;
      logger.info(`${signal} received, shutting down`);
      const force = setTimeout(() => {
        logger.error(`shutdown took longer than ${forceAfterMs} ms; exiting anyway`);
        process.exit(1);
      }, forceAfterMs);
      force.unref();
      try {
        await cleanup();
      } catch (error) {
        logger.error("error during shutdown", { error: error as Error });
      }
      resolve();
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
    parentGone = () => void stop("parent exit");
  });
}

let parentGone: (() => void) | undefined;

export function exitWhenParentDies(logger: Logger) {
  const expected = Number(process.env.SWITCHYARD_PARENT_PID);
  if (!expected) return;
  const timer = setInterval(() => {
    if (process.ppid !== expected) {
      clearInterval(timer);
      logger.warn("switchyard start is gone; shutting down");
      if (parentGone) parentGone();
      else process.exit(1);
    }
  }, 1000);
  timer.unref();
}
