// The closed list of operator actions. Each is written to audit_log under its own name; its
// effect decides how audited() records it:
// - "database": the change and its audit row commit (or roll back) in one transaction,
// - "scheduler": the change is a scheduler RPC, outside any transaction of ours, so a "pending"
//   intent row is committed before the call and its outcome written after it,
// - "external": any other call outside our database (a test send to an alert channel), recorded
//   like a scheduler RPC: intent row first, outcome after.

export const INTENTS = {
  "run.rerun": { target: "service", effect: "database" },
  "run.force": { target: "service", effect: "database" },
  "run.rerun-from-task": { target: "service", effect: "database" },
  "run.backfill": { target: "service", effect: "database" },
  "run.rerun-failed": { target: "service", effect: "database" },
  "run.cancel": { target: "run", effect: "database" },
  "service.pause": { target: "service", effect: "database" },
  "service.resume": { target: "service", effect: "database" },
  "service.update": { target: "service", effect: "database" },
  "service.silence": { target: "service", effect: "database" },
  "service.unsilence": { target: "service", effect: "database" },
  "runner.pause": { target: "runner", effect: "database" },
  "runner.resume": { target: "runner", effect: "database" },
  "runner.forget": { target: "runner", effect: "database" },
  "task.forgive_failures": { target: "task", effect: "scheduler" },
  "task.re_enable": { target: "task", effect: "scheduler" },
  "task.mark_done": { target: "task", effect: "scheduler" },
  "scheduler.pause": { target: "scheduler", effect: "scheduler" },
  "scheduler.unpause": { target: "scheduler", effect: "scheduler" },
  "worker.disable": { target: "worker", effect: "scheduler" },
  "worker.set_processes": { target: "worker", effect: "scheduler" },
  "incident.acknowledge": { target: "incident", effect: "database" },
  "incident.resolve": { target: "incident", effect: "database" },
  "channel.create": { target: "channel", effect: "database" },
  "channel.update": { target: "channel", effect: "database" },
  "channel.pause": { target: "channel", effect: "database" },
  "channel.resume": { target: "channel", effect: "database" },
  "channel.delete": { target: "channel", effect: "database" },
  "channel.test": { target: "channel", effect: "external" },
  "user.role": { target: "user", effect: "database" },
  "user.disable": { target: "user", effect: "database" },
  "user.enable": { target: "user", effect: "database" },
  "token.create": { target: "user", effect: "database" },
  "token.revoke": { target: "user", effect: "database" },
  "user.invite": { target: "user", effect: "database" },
  "user.password-link": { target: "user", effect: "database" },
  "user.link-email": { target: "user", effect: "external" },
} as const satisfies Record<string, { target: string; effect: "database" | "scheduler" | "external" }>;

export type Intent = keyof typeof INTENTS;
