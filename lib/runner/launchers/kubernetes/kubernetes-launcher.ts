import { redactUrls } from "@/lib/luigi-rpc/url";
import { BatchV1Api, CoreV1Api, KubeConfig, type V1Job, type V1Pod } from "@kubernetes/client-node";
import { RotatingLog } from "@/lib/runner/launchers/local/rotating-log";
import { jobManifest, type JobOptions } from "@/lib/runner/launchers/kubernetes/job-manifest";
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit } from "@/lib/runner/launchers/types";

// Kubernetes launcher: creates the run's Job, follows its status by polling the Job, appends the
// pod's new log lines to the run's log file on every poll (sinceTime from the last read), and
// reads the container's exit code when the Job ends. Cancel deletes the Job with foreground
// propagation: Kubernetes sends the pod SIGTERM, then SIGKILL after the grace period.
// How to run it on a cluster: lib/runner/launchers/kubernetes/README.md.

export type KubernetesLauncherOptions = JobOptions & { kubeConfig?: KubeConfig; pollMs?: number };

export function createKubernetesLauncher(options: KubernetesLauncherOptions): Launcher {
  const kc = options.kubeConfig ?? defaultKubeConfig();
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const pollMs = options.pollMs ?? 2000;
  return {
    name: "kubernetes",
    async launch(spec) {
      const body = jobManifest(spec, options);
      const log = new RotatingLog(spec.logPath, { maxBytes: 10 * 1024 * 1024, keep: 2 });
      log.note(`run ${spec.runId} attempt ${spec.attempt}: Job ${body.metadata!.name} in ${options.namespace}: ${redactUrls(spec.argv.join(" "))}`);
      try {
        await batch.createNamespacedJob({ namespace: options.namespace, body });
      } catch (error) {
        log.note(`could not create the Job: ${(error as Error).message}`);
        log.close();
        throw error;
      }
      return followJob({ batch, core, namespace: options.namespace, name: body.metadata!.name!, log, pollMs });
    },
  };
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault(); // in-cluster service account, or ~/.kube/config / KUBECONFIG
  return kc;
}

type Follow = { batch: BatchV1Api; core: CoreV1Api; namespace: string; name: string; log: RotatingLog; pollMs: number };

function followJob(f: Follow): LaunchedProcess {
  let stopped = false;
  let logSince: Date | undefined;
  let pod: string | undefined;
  const copyLogs = async () => {
    pod ??= (await findPod(f))?.metadata?.name;
    if (!pod) return;
    const now = new Date();
    const text = await f.core
      .readNamespacedPodLog({ name: pod, namespace: f.namespace, container: "run", ...(logSince ? { sinceTime: logSince } : {}) } as Parameters<CoreV1Api["readNamespacedPodLog"]>[0])
      .catch(() => "");
    if (text) f.log.write(text.endsWith("\n") ? text : `${text}\n`);
    logSince = now;
  };
  const finished = (async (): Promise<ProcessExit> => {
    for (;;) {
      let job: V1Job;
      try {
        job = await f.batch.readNamespacedJobStatus({ name: f.name, namespace: f.namespace });
      } catch (error) {
        if (stopped) return { exitCode: null, signal: "SIGTERM" };
        f.log.note(`could not read the Job: ${(error as Error).message}`);
        f.log.close();
        return { exitCode: null, signal: null, launchError: `the Job ${f.name} could not be read: ${(error as Error).message}` };
      }
      await copyLogs();
      const ended = jobEnded(job);
      if (ended || stopped) {
        const exit = exitOf(await findPod(f).catch(() => undefined), ended === "failed");
        f.log.note(`ended: Job ${ended ?? "deleted"}, ${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`}`);
        f.log.close();
        return stopped && !ended ? { exitCode: null, signal: "SIGTERM" } : exit;
      }
      await new Promise((r) => setTimeout(r, f.pollMs));
    }
  })();
  return {
    pid: null,
    externalId: f.name,
    finished,
    async stop(graceMs) {
      stopped = true;
      await f.batch
        .deleteNamespacedJob({ name: f.name, namespace: f.namespace, propagationPolicy: "Foreground", gracePeriodSeconds: Math.ceil(graceMs / 1000) })
        .catch(() => {});
      await finished;
    },
    usage: () => ({ cpuSeconds: null, peakMemoryBytes: null }),
  };
}

async function findPod(f: Follow): Promise<V1Pod | undefined> {
  const pods = await f.core.listNamespacedPod({ namespace: f.namespace, labelSelector: `job-name=${f.name}` });
  return pods.items[0];
}

export function jobEnded(job: V1Job): "complete" | "failed" | null {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === "Complete" || c.type === "SuccessCriteriaMet") return "complete";
    if (c.type === "Failed" || c.type === "FailureTarget") return "failed";
  }
  if ((job.status?.succeeded ?? 0) > 0) return "complete";
  if ((job.status?.failed ?? 0) > 0) return "failed";
  return null;
}

function exitOf(pod: V1Pod | undefined, failed: boolean): ProcessExit {
  const terminated = pod?.status?.containerStatuses?.find((c) => c.name === "run")?.state?.terminated;
  if (terminated) return { exitCode: terminated.exitCode, signal: terminated.signal ? String(terminated.signal) : null };
  // No container status (deadline exceeded before it started, pod deleted): say so by the Job.
  return { exitCode: failed ? 1 : 0, signal: null };
}

export type { LaunchSpec };
