import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as rbacV1 from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as coreV1 from "kubernetes-models/v1";
import { jobManifest } from "@/lib/runner/launchers/kubernetes/job-manifest";
import { parseRunnerFlags } from "@/lib/runner/daemon";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { loadConfig } from "@/lib/config/env";

// The kustomize base in this folder: every file parses, every object validates against the
// Kubernetes schemas (kubernetes-models), the Deployments run one image with probes and resource
// requests, and the Jobs the runner makes use that image and the base's labels and stay within
// what the runner's Role grants.

const dir = path.dirname(new URL(import.meta.url).pathname);
type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };

const models: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": appsV1.Deployment,
  "batch/v1/Job": batchV1.Job,
  "policy/v1/PodDisruptionBudget": policyV1.PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/Role": rbacV1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": rbacV1.RoleBinding,
  "v1/ServiceAccount": coreV1.ServiceAccount,
  "v1/Secret": coreV1.Secret,
  "v1/ConfigMap": coreV1.ConfigMap,
  "v1/Service": coreV1.Service,
};

function validate(obj: Obj) {
  const Model = models[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj as never).validate();
}

const kustomization = parseAllDocuments(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"))[0].toJS() as { resources: string[]; labels: { pairs: Record<string, string> }[] };
const objects: Obj[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS() as Obj;
  }),
);
const deployments = objects.filter((o) => o.kind === "Deployment") as (Obj & { spec: { template: { spec: PodSpec } } })[];
type Container = { name: string; image: string; args?: string[]; readinessProbe?: unknown; livenessProbe?: unknown; resources?: { requests?: Record<string, string> } };
type PodSpec = { containers: Container[]; initContainers?: Container[]; serviceAccountName?: string };
const byName = (name: string) => deployments.find((d) => d.metadata.name === name)!;

describe("deploy/kubernetes", () => {
  it("lists every manifest of the folder, and each parses and validates against the Kubernetes schemas", () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(objects.length).toBeGreaterThanOrEqual(12);
    for (const obj of objects) expect(() => validate(obj), `${obj.kind} ${obj.metadata.name}`).not.toThrow();
    // The schema check can fail: a wrong type is caught.
    expect(() => validate({ ...byName("switchyard-web"), spec: { replicas: "two" } } as unknown as Obj)).toThrow();
  });

  it("web, scheduler and runner: one image, probes on their health endpoints, resource requests", () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(["switchyard-runner", "switchyard-scheduler", "switchyard-web"]);
    const images = new Set(deployments.flatMap((d) => [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])].map((c) => c.image)));
    expect([...images]).toEqual(["switchyard"]);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      expect(c.readinessProbe, d.metadata.name).toBeTruthy();
      expect(c.livenessProbe, d.metadata.name).toBeTruthy();
      expect(c.resources?.requests?.cpu && c.resources.requests.memory, d.metadata.name).toBeTruthy();
    }
    expect(byName("switchyard-web").spec.template.spec.containers[0].readinessProbe).toMatchObject({ httpGet: { path: "/api/v1/health" } });
    expect(byName("switchyard-runner").spec.template.spec.containers[0].readinessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
    // the runner replicas and the scheduler's two pods each prefer nodes of their own (a runner's host is its node)
    for (const name of ["switchyard-runner", "switchyard-scheduler"]) {
      const spec = byName(name).spec.template.spec as unknown as { affinity?: { podAntiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm: { topologyKey: string } }> } } };
      expect(spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0].podAffinityTerm.topologyKey, name).toBe("kubernetes.io/hostname");
    }
    // two schedulers, one active: each pod serves (a standby by forwarding) at the address it advertises
    const scheduler = byName("switchyard-scheduler") as unknown as { spec: { replicas: number; template: { spec: { containers: Array<Container & { env: Array<{ name: string; value?: string }> }> } } } };
    const sc = scheduler.spec.template.spec.containers[0];
    expect(scheduler.spec.replicas).toBe(2);
    expect(sc.readinessProbe).toMatchObject({ httpGet: { path: "/healthz/serving" } });
    expect(sc.env.find((e) => e.name === "SWITCHYARD_SCHEDULER_ADVERTISE_URL")?.value).toBe("http://$(POD_IP):8082");
    expect(buildSchedulerConfig({}, { SWITCHYARD_SCHEDULER_ADVERTISE_URL: "http://10.244.1.7:8082" }).server.advertise_url).toBe("http://10.244.1.7:8082");
    expect(byName("switchyard-web").spec.template.spec.initContainers![0].args).toEqual(["migrate"]);
  });

  it("the runner's arguments parse, and its Jobs use the same image and labels, within its Role", () => {
    const runner = byName("switchyard-runner").spec.template.spec;
    expect(runner.serviceAccountName).toBe("switchyard-runner");
    const args = runner.containers[0].args!.slice(1).map((a) => (a === "$(POD_NAMESPACE)" ? "batch" : a));
    const flags = parseRunnerFlags(args);
    expect(flags).toMatchObject({ launcher: "kubernetes", "kube-image": runner.containers[0].image, "kube-namespace": "batch", "health-port": 9090 });
    // its host is the node (samples, a restarted runner replacing the dead one), and the name parses
    const env = (runner.containers[0] as unknown as { env: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }).env;
    expect(env.find((e) => e.name === "SWITCHYARD_HOST_NAME")?.valueFrom?.fieldRef?.fieldPath).toBe("spec.nodeName");
    expect(loadConfig({ SWITCHYARD_HOST_NAME: "ip-10-0-3-17.eu-west-1.compute.internal" }).hostName).toBe("ip-10-0-3-17.eu-west-1.compute.internal");
    // its logs are read by the web pods from its health port, at the pod's own address
    const runnerUrl = (env as Array<{ name: string; value?: string }>).find((e) => e.name === "SWITCHYARD_RUNNER_URL")?.value;
    expect(runnerUrl).toBe(`http://$(POD_IP):${flags["health-port"]}`);
    expect(env.find((e) => e.name === "POD_IP")?.valueFrom?.fieldRef?.fieldPath).toBe("status.podIP");
    expect(loadConfig({ SWITCHYARD_RUNNER_URL: runnerUrl!.replace("$(POD_IP)", "10.244.1.9") }).runnerUrl).toBe("http://10.244.1.9:9090");

    const job = jobManifest(
      { runId: 7, attempt: 1, service: "shop-ok", kind: "daily", period: "2026-12-03", argv: ["luigi", "--module", "shop", "AllDaily"], env: {}, labels: {}, logPath: "/data/runs/run-7.log", timeoutSeconds: 600, workingDirectory: "/app/shop" },
      { namespace: flags["kube-namespace"], image: flags["kube-image"]!, serviceAccountName: undefined },
    ) as unknown as Obj & { spec: { template: { spec: PodSpec & { containers: (Container & { workingDir?: string })[] } } } };
    expect(() => validate(job)).not.toThrow();
    expect(job.spec.template.spec.containers[0]).toMatchObject({ image: "switchyard", workingDir: "/app/shop" });
    for (const [k, v] of Object.entries(kustomization.labels[0].pairs)) expect(job.metadata.labels?.[k]).toBe(v);

    const role = objects.find((o) => o.kind === "Role") as Obj & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const allowed = (group: string, resource: string, verb: string) => role.rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    // Every call kubernetes-launcher.ts makes.
    for (const [group, resource, verb] of [["batch", "jobs", "create"], ["batch", "jobs", "delete"], ["batch", "jobs/status", "get"], ["", "pods", "list"], ["", "pods/log", "get"]]) {
      expect(allowed(group, resource, verb), `${verb} ${resource}`).toBe(true);
    }
    expect(allowed("", "secrets", "get")).toBe(false);
  });

  it("the Containerfile builds in stages, runs as a non-root user and starts `switchyard`", () => {
    const text = fs.readFileSync(path.join(dir, "..", "Containerfile"), "utf8");
    expect(text.match(/^FROM /gm)).toHaveLength(2);
    expect(text).toMatch(/next\/dist\/bin\/next build/);
    expect(text).toMatch(/^USER 10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/switchyard.mjs"\]$/m);
  });
});
