import type { V1Job } from "@kubernetes/client-node";
import type { LaunchSpec } from "@/lib/runner/launchers/types";

// One Kubernetes Job per run. backoffLimit 0: a failed pod is a failed run — retries are the
// runner's (the service's retry policy), never Kubernetes', so an attempt is never run twice
// behind the runner's back. activeDeadlineSeconds enforces the service's timeout in the cluster
// too; ttlSecondsAfterFinished lets the cluster clean up once the runner has read the logs.

export type JobOptions = { namespace: string; image: string; ttlSecondsAfterFinished?: number; serviceAccountName?: string };

export const MANAGED_BY = "switchyard";

/** A DNS-1123 label: lower-case alphanumerics and '-', at most 63, starting and ending alphanumeric. */
export function dnsLabel(text: string, max = 63): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "");
  return cleaned.slice(0, max).replace(/-+$/, "") || "x";
}

/** Label values: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric, or empty. */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

export function jobName(spec: Pick<LaunchSpec, "service" | "runId" | "attempt">): string {
  const suffix = `-r${spec.runId}-a${spec.attempt}`;
  return `sy-${dnsLabel(spec.service, 63 - 3 - suffix.length)}${suffix}`;
}

export function jobLabels(spec: LaunchSpec): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.labels)) if (/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(k)) labels[k] = labelValue(v);
  return {
    ...labels,
    "app.kubernetes.io/managed-by": MANAGED_BY,
    // the label deploy/kubernetes puts on every object of the install, so one selector finds it all
    "app.kubernetes.io/part-of": "switchyard",
    "switchyard.dev/service": labelValue(spec.service),
    "switchyard.dev/run-id": String(spec.runId),
    "switchyard.dev/kind": spec.kind,
    "switchyard.dev/period": labelValue(spec.period),
  };
}

export function jobManifest(spec: LaunchSpec, options: JobOptions): V1Job {
  const labels = jobLabels(spec);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: jobName(spec), namespace: options.namespace, labels },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: options.ttlSecondsAfterFinished ?? 3600,
      activeDeadlineSeconds: spec.timeoutSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
          containers: [
            {
              name: "run",
              image: options.image,
              command: spec.argv,
              ...(spec.workingDirectory ? { workingDir: spec.workingDirectory } : {}),
              env: Object.entries(spec.env).map(([name, value]) => ({ name, value })),
            },
          ],
        },
      },
    },
  };
}
